// Date archives (/YYYY/, /YYYY/MM/, /YYYY/MM/DD/ and their /page/N/) and search (/?s=words,
// /page/N/?s=, &paged=N, /search/words/), against one server on a small site with posts across
// months and in every hidden status (docs/reader-site.md, "Pages").
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');
const { assertHtmlPage, parse, pathOf } = require('./lib/check');

const POSTS = {
    old: { title: 'Old year story', slug: 'old-year', date: '2025-12-31T23:59:59Z' },
    march: { title: 'March apple report', slug: 'march-apple', date: '2026-03-05T10:00:00Z',
        body: 'Orchards are full of apples this spring.\n' },
    special: { title: 'Election night special', slug: 'election-night', date: '2026-03-20T20:00:00Z',
        body: 'Results came in late.\n' },
    aprFirst: { title: 'April first harbour', slug: 'april-first', date: '2026-04-01T00:00:00Z' },
    twinA: { title: 'April middle count', slug: 'april-count', date: '2026-04-15T12:00:00Z',
        body: 'The election count went on all night.\n' },
    twinB: { title: 'April twin story', slug: 'april-twin', date: '2026-04-15T12:00:00Z' },
    aprLast: { title: 'April last day', slug: 'april-last', date: '2026-04-30T23:59:59Z',
        body: 'Tom & Jerry <b>markup</b> in the body.\n' },
    policy: { title: 'Election coverage policy', slug: 'coverage', type: 'page', date: '2026-02-01T09:00:00Z',
        body: 'How we cover every election.\n' },
    draft: { title: 'Draft election zebra', slug: 'draft-zebra', status: 'draft', date: '2026-04-10T12:00:00Z' },
    pending: { title: 'Pending election zebra', slug: 'pending-zebra', status: 'pending',
        date: '2026-04-11T12:00:00Z' },
    private: { title: 'Private election zebra', slug: 'private-zebra', status: 'private',
        date: '2026-04-12T12:00:00Z' },
    trash: { title: 'Trashed election zebra', slug: 'trash-zebra', status: 'trash', date: '2026-04-13T12:00:00Z' },
    scheduled: { title: 'Scheduled election zebra', slug: 'scheduled-zebra', status: 'scheduled',
        date: '2099-04-10T12:00:00Z' },
    future: { title: 'Future election zebra', slug: 'future-zebra', date: '2099-05-10T12:00:00Z' },
    hiddenPage: { title: 'Draft zebra page', slug: 'zebra-page', type: 'page', status: 'draft',
        date: '2026-02-02T09:00:00Z' },
};

let site;
let server;
let P;

before(async () => {
    site = seedSmall(undefined, { settings: { posts_per_page: 2 }, posts: POSTS });
    P = site.posts;
    server = await srv.startServer({ dataDir: site.dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

async function get(path) {
    const r = await srv.get(server.url + path);
    r.doc = parse(r.body);
    return r;
}

// Titles of the listed posts in <main>, in order.
function listed(r) {
    return r.doc.one('main').all('h2.entry-title a').map((a) => a.cleanText);
}

function h1(r) {
    const h = r.doc.one('main h1');
    return h ? h.cleanText : null;
}

function pager(r) {
    const older = r.doc.one('nav[aria-label="Pagination"] a.older');
    const newer = r.doc.one('nav[aria-label="Pagination"] a.newer');
    return { older: older && pathOf(older.attr('href')), newer: newer && pathOf(newer.attr('href')) };
}

describe('date archives', () => {
    it('a month lists its published posts newest first, paged by posts_per_page', async () => {
        const p1 = await get('/2026/04/');
        assert.equal(p1.status, 200);
        assertHtmlPage(p1, '/2026/04/');
        assert.equal(h1(p1), 'Archives: April 2026');
        assert.match(p1.doc.one('title').cleanText, /^Archives: April 2026 – /);
        // The twins share a publish time: the later id comes first.
        const [first, second] = P.twinA.id > P.twinB.id ? [P.twinA, P.twinB] : [P.twinB, P.twinA];
        assert.deepEqual(listed(p1), [P.aprLast.title, first.title]);
        assert.deepEqual(pager(p1), { older: '/2026/04/page/2/', newer: null });
        const p2 = await get('/2026/04/page/2/');
        assert.equal(p2.status, 200);
        assert.deepEqual(listed(p2), [second.title, P.aprFirst.title]);
        assert.deepEqual(pager(p2), { older: null, newer: '/2026/04/' });
        assert.match(p2.doc.one('title').cleanText, /^Archives: April 2026 – Page 2 – /);
        assert.equal((await get('/2026/04/page/3/')).status, 404);
    });

    it('a year and a day, with the edges of the period', async () => {
        const y = await get('/2026/');
        assert.equal(y.status, 200);
        assert.equal(h1(y), 'Archives: 2026');
        assert.deepEqual(listed(y), [P.aprLast.title, listed(y)[1]]);
        const y3 = await get('/2026/page/3/');
        assert.deepEqual(listed(y3), [P.special.title, P.march.title]);
        assert.deepEqual(pager(y3), { older: null, newer: '/2026/page/2/' });
        assert.equal((await get('/2026/page/4/')).status, 404);

        const d = await get('/2026/04/15/');
        assert.equal(d.status, 200);
        assert.equal(h1(d), 'Archives: April 15, 2026');
        assert.equal(listed(d).length, 2);
        assert.equal(pager(d).older, null);
        assert.deepEqual(listed(await get('/2026/04/30/')), [P.aprLast.title]); // 23:59:59 is still that day
        assert.deepEqual(listed(await get('/2026/04/01/')), [P.aprFirst.title]); // 00:00:00 is that day
        assert.deepEqual(listed(await get('/2025/')), [P.old.title]);
        assert.deepEqual(listed(await get('/2025/12/31/')), [P.old.title]);
    });

    it('404 for dates that do not exist and for periods with nothing published', async () => {
        for (const p of ['/2026/02/30/', '/2026/13/', '/2026/00/', '/2026/04/31/', '/2026/4/', '/2026/04/5/',
            '/2024/', '/2026/01/', '/2026/05/01/', '/0999/',
            '/2026/04/10/', '/2026/04/11/', '/2026/04/12/', '/2026/04/13/', // only hidden posts that day
            '/2099/', '/2099/04/', '/2099/05/10/', // scheduled and future posts
            '/2026/02/']) { // only pages that month: archives list posts
            const r = await get(p);
            assert.equal(r.status, 404, `GET ${p}`);
        }
    });

    it('no draft, pending, private, trashed, scheduled or future post is listed', async () => {
        for (const p of ['/2026/', '/2026/page/2/', '/2026/page/3/', '/2026/04/', '/2026/04/page/2/']) {
            const r = await get(p);
            assert.ok(!/zebra/i.test(r.body), `${p} shows a hidden post`);
        }
    });

    it('article addresses are untouched, and /2026 redirects to /2026/', async () => {
        assert.equal((await get(P.twinA.path)).status, 200);
        assert.equal((await get('/2026/04/15/april-count/')).status, 200);
        const r = await get('/2026');
        assert.equal(r.status, 301);
        assert.equal(pathOf(r.headers.get('location')), '/2026/');
    });

    it('every page lists the months with posts in its footer, newest first', async () => {
        for (const p of ['/', P.march.path, '/coverage/', '/?s=apple', '/no/such/']) {
            const r = await get(p);
            const nav = r.doc.one('footer nav[aria-label="Archives"]');
            assert.ok(nav, `${p}: Archives nav`);
            const links = nav.all('a').map((a) => [a.cleanText, pathOf(a.attr('href'))]);
            assert.deepEqual(links, [['April 2026', '/2026/04/'], ['March 2026', '/2026/03/'],
                ['December 2025', '/2025/12/']], p);
        }
        const r = await get('/2026/03/');
        assert.equal(r.doc.one('footer a[aria-current="page"]').attr('href'), '/2026/03/');
    });

    it('archive pages are cached like other public pages', async () => {
        const a = await get('/2026/03/');
        const etag = a.headers.get('etag');
        assert.ok(etag, 'ETag');
        const b = await srv.get(server.url + '/2026/03/', { headers: { 'If-None-Match': etag } });
        assert.equal(b.status, 304);
    });
});

describe('search', () => {
    it('every page has the search form in its header', async () => {
        for (const p of ['/', '/2026/04/', P.march.path, '/no/such/']) {
            const r = await get(p);
            const form = r.doc.one('header form[role="search"]');
            assert.ok(form, `${p}: search form`);
            assert.equal(form.attr('method'), 'get');
            assert.equal(form.attr('action'), '/');
            assert.ok(form.one('input[type="search"][name="s"]'), `${p}: search input`);
        }
    });

    it('finds by title and body words, title matches first, pages too', async () => {
        const r = await get('/?s=election');
        assert.equal(r.status, 200);
        assertHtmlPage(r, '/?s=election');
        assert.equal(h1(r), 'Search results for “election”');
        assert.match(r.doc.one('title').cleanText, /^Search results for “election” – /);
        assert.equal(r.headers.get('cache-control'), 'private, no-store');
        const first = listed(r);
        assert.equal(first.length, 2, 'posts_per_page results');
        // Both title matches (a post and a page) come before the post that has the word only in its body.
        assert.deepEqual([...first].sort(), [P.policy.title, P.special.title].sort());
        assert.deepEqual(pager(r), { older: '/page/2/?s=election', newer: null });
        const p2 = await get('/page/2/?s=election');
        assert.equal(p2.status, 200);
        assert.deepEqual(listed(p2), [P.twinA.title]);
        assert.deepEqual(pager(p2), { older: null, newer: '/?s=election' });
        assert.deepEqual(listed(await get('/?s=election&paged=2')), [P.twinA.title]);
        assert.equal((await get('/page/3/?s=election')).status, 404);
        assert.equal((await get('/?s=election&paged=9')).status, 404);
        assert.equal((await get('/?s=election&paged=x')).status, 404);

        assert.deepEqual(listed(await get('/?s=orchards')), [P.march.title], 'a body word');
        assert.deepEqual(listed(await get('/?s=APPLES%20Spring')), [P.march.title], 'all words, any case');
        assert.deepEqual(listed(await get('/?s=harb')), [P.aprFirst.title], 'the last word as a prefix');
        assert.deepEqual(listed(await get('/?s=spring+orch')), [P.march.title], '+ is a space');
    });

    it('never finds drafts, pending, private, trashed, scheduled or future posts, nor draft pages', async () => {
        const r = await get('/?s=zebra');
        assert.equal(r.status, 200);
        assert.deepEqual(listed(r), []);
        assert.ok(!/zebra (page|story)|Draft election|Private election/i.test(r.body.replace(/value="[^"]*"/g, '')));
        assert.match(r.doc.one('main').cleanText, /Nothing found/);
    });

    it('"Nothing found" is a 200 page with the search form again', async () => {
        const r = await get('/?s=qqqnothing');
        assert.equal(r.status, 200);
        assert.equal(h1(r), 'Search results for “qqqnothing”');
        assert.match(r.doc.one('main').cleanText, /Nothing found/);
        const form = r.doc.one('main form[role="search"]');
        assert.ok(form, 'a search form in <main>');
        assert.equal(form.one('input[name="s"]').attr('value'), 'qqqnothing');
        assert.equal(r.doc.one('header input[name="s"]').attr('value'), 'qqqnothing');
        const empty = await get('/?s=');
        assert.equal(empty.status, 200);
        assert.equal(h1(empty), 'Search');
    });

    it('hostile input answers 200 and is never echoed unescaped', async () => {
        const inputs = ['"', '*', 'NEAR(', 'NEAR(a b)', 'a OR b', 'OR', 'NOT x', 'title:x', '{title}: x', '^x', '(',
            '"unbalanced', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'été ☃ 日本',
            '\u0000\u0001x', 'x'.repeat(5000), 'a b c d e f g h i j k l m n o p', '%', '%zz', '\\'];
        for (const s of inputs) {
            const r = await get('/?s=' + encodeURIComponent(s));
            assert.equal(r.status, 200, `?s=${s.slice(0, 40)}`);
            assert.ok(!/<script|<img/i.test(r.body), 'no element from the input');
            assert.ok(!r.body.includes('"><img'), 'no attribute break-out');
        }
        const attr = await get('/?s=' + encodeURIComponent('"><img src=x onerror=alert(1)>'));
        assert.equal(attr.doc.one('header input[name="s"]').attr('value'), '"><img src=x onerror=alert(1)>');
        assert.ok(attr.body.includes('value="&quot;&gt;&lt;img'), 'the form value is escaped');
        const r = await get('/?s=' + encodeURIComponent('<b>"x"</b> & y'));
        assert.equal(h1(r), 'Search results for “<b>"x"</b> & y”');
        assert.ok(r.body.includes('&lt;b&gt;'), 'the heading is escaped');
        const long = await get('/?s=' + 'x'.repeat(5000));
        assert.ok(h1(long).length < 300, 'the echoed words are bounded');
        assert.equal(long.doc.one('header input[name="s"]').attr('value'), 'x'.repeat(200));
        // Operators are plain words: "a OR b" is not "anything".
        assert.deepEqual(listed(await get('/?s=' + encodeURIComponent('qqq OR election'))), []);
        assert.deepEqual(listed(await get('/?s=' + encodeURIComponent('apples*'))), [P.march.title]);
        // A body holding markup is found and shown as text.
        const tom = await get('/?s=jerry');
        assert.deepEqual(listed(tom), [P.aprLast.title]);
        assert.ok(!tom.body.includes('<b>markup</b>'));
    });

    it('/search/words/ redirects to /?s=words', async () => {
        for (const [from, to] of [['/search/election/', '/?s=election'], ['/search/two%20words/', '/?s=two%20words'],
            ['/search/two+words/', '/?s=two%20words'], ['/search/%3Cb%3E/', '/?s=%3Cb%3E'],
            ['/search/election', '/?s=election']]) {
            const r = await get(from);
            assert.equal(r.status, 301, from);
            const loc = r.headers.get('location');
            assert.equal(pathOf(loc), to, from);
            const u = new URL(loc, server.url);
            assert.equal(u.searchParams.get('s'), decodeURIComponent(to.slice(4)));
        }
    });
});
