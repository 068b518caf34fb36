// The feeds (docs/reader-site.md, "Feeds") over HTTP, on a small site of their own: each feed is
// well-formed XML (xmllint), lists the right items newest first with absolute links, never a draft,
// a scheduled post or a commenter's email; WordPress's feed addresses answer 301; the pages link
// their feeds.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const srv = require('./lib/server');
const { pathOf, parse, articleLinks, assertContentLength } = require('./lib/check');

const SITE_URL = 'https://news.example.org';
const SITE_TITLE = 'Feed & Co Gazette';
const SECRET = 'feedsecret4471+x@hidden.example';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';
// Raw HTML with a CDATA end marker and a control character (U+0001) in it.
const TRICKY_HTML = '<p>Tricky ]]> end &amp; <b>bold</b>\u0001 text</p>';

let server;
let dataDir;
const posts = []; // published posts, oldest first: {id, title, slug, date, path, cats, tags, author}
const hidden = []; // titles that must never show
let commentsOn; // the post with the comment thread
const approved = []; // {id, author, body}, oldest first, on commentsOn
let otherComment; // an approved comment on another post

function day(n, time = '09:30:00') {
    return `2026-01-${String(n).padStart(2, '0')}T${time}Z`;
}

// RFC 822 as RSS writes it, from an ISO date.
function rfc822(iso) {
    return new Date(iso).toUTCString().replace('GMT', '+0000');
}

// Well-formed XML, by libxml2's own checker.
function assertXml(body, what) {
    const r = spawnSync('xmllint', ['--noout', '-'], { input: body, encoding: 'utf8' });
    assert.ok(!r.error, `xmllint could not run (apt-get install libxml2-utils): ${r.error}`);
    assert.equal(r.status, 0, `${what} is not well-formed XML:\n${r.stderr}\n${body.slice(0, 2000)}`);
}

function decode(s) {
    return s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (m, name, dec, hex) => {
        if (dec)
            return String.fromCodePoint(Number(dec));
        if (hex)
            return String.fromCodePoint(parseInt(hex, 16));
        return { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[name.toLowerCase()];
    });
}

// The text of an element's content: CDATA sections joined, other text decoded.
function text(inner) {
    let out = '';
    const re = /<!\[CDATA\[([\s\S]*?)\]\]>|([^<]+)/g;
    let m;
    while ((m = re.exec(inner)) !== null)
        out += m[1] !== undefined ? m[1] : decode(m[2]);
    return out;
}

// Every <tag ...>content</tag> directly in xml (no nesting of the same tag): [{attrs, text}].
function elements(xml, tag) {
    const re = new RegExp(`<${tag}(\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${tag}>)`, 'g');
    const out = [];
    let m;
    while ((m = re.exec(xml)) !== null) {
        const attrs = {};
        for (const a of (m[1] || '').matchAll(/([\w:]+)="([^"]*)"/g))
            attrs[a[1]] = decode(a[2]);
        out.push({ attrs, text: text(m[2] || ''), raw: m[2] || '' });
    }
    return out;
}

function first(xml, tag) {
    const e = elements(xml, tag)[0];
    return e ? e.text : undefined;
}

// An RSS feed: the channel's fields and its items.
function rss(body) {
    const channel = body.replace(/<item>[\s\S]*<\/item>/, '');
    return {
        title: first(channel, 'title'),
        link: first(channel, 'link'),
        self: elements(channel, 'atom:link')[0]?.attrs.href,
        items: elements(body, 'item').map((i) => ({
            title: first(i.raw, 'title'),
            link: first(i.raw, 'link'),
            guid: elements(i.raw, 'guid')[0],
            pubDate: first(i.raw, 'pubDate'),
            creator: first(i.raw, 'dc:creator'),
            categories: elements(i.raw, 'category').map((c) => c.text),
            description: first(i.raw, 'description'),
            content: first(i.raw, 'content:encoded'),
        })),
    };
}

function atom(body) {
    const head = body.replace(/<entry>[\s\S]*<\/entry>/, '');
    return {
        title: first(head, 'title'),
        id: first(head, 'id'),
        updated: first(head, 'updated'),
        links: elements(head, 'link').map((l) => l.attrs),
        entries: elements(body, 'entry').map((e) => ({
            title: first(e.raw, 'title'),
            link: elements(e.raw, 'link')[0]?.attrs.href,
            id: first(e.raw, 'id'),
            published: first(e.raw, 'published'),
            updated: first(e.raw, 'updated'),
            author: first(elements(e.raw, 'author')[0]?.raw ?? '', 'name'),
            content: first(e.raw, 'content'),
        })),
    };
}

async function feed(path, type = RSS_TYPE) {
    const r = await srv.get(server.url + path);
    assert.equal(r.status, 200, `GET ${path}: status`);
    assert.equal(r.headers.get('content-type'), type, `${path}: Content-Type`);
    assertXml(r.body, path);
    return r;
}

const newestFirst = () => [...posts].reverse();
// The id that `post add` printed ("ID PATH").
const idOf = (out) => Number(/\d+/.exec(out)[0]);

before(async () => {
    dataDir = srv.newDataDir();
    srv.settingSet(dataDir, 'site_title', SITE_TITLE);
    srv.settingSet(dataDir, 'site_url', `${SITE_URL}/`); // the final slash is not doubled
    srv.settingSet(dataDir, 'comment_flood_seconds', 0);
    srv.userAdd(dataDir, { login: 'jdoe', name: 'Jane <Doe>', role: 'author' });
    srv.userAdd(dataDir, { login: 'mkent', name: 'Max Kent', role: 'editor' });
    srv.userAdd(dataDir, { login: 'quiet', name: 'Quiet Writer', role: 'author' }); // only a draft
    for (let n = 1; n <= 13; n++) {
        const p = {
            title: `Story ${n} & "more"`,
            slug: `story-${n}`,
            date: day(n),
            author: n % 2 ? 'jdoe' : 'mkent',
            categories: n % 3 === 0 ? ['World', 'Sport'] : ['World'],
            tags: n % 4 === 0 ? ['red'] : [],
            sticky: n === 12, // first on the home page, in date order in feeds
            body: `Body of story ${n} with *emphasis*.\n`,
        };
        p.id = srv.postAdd(dataDir, p);
        p.path = srv.articlePath(p.date, p.slug);
        posts.push(p);
    }
    // An HTML post with "]]>" and a control character in it, newest of all.
    const tricky = { title: 'Tricky markup', slug: 'tricky', date: day(20), author: 'mkent', categories: ['Tech'],
        tags: [] };
    tricky.id = idOf(srv.cli(dataDir, ['post', 'add', '--title', tricky.title, '--slug', tricky.slug,
        '--date', tricky.date, '--author', 'mkent', '--category', 'Tech', '--format', 'html-as-written'],
    { input: TRICKY_HTML }).stdout);
    tricky.path = srv.articlePath(tricky.date, tricky.slug);
    posts.push(tricky);
    for (const [status, date, title] of [['draft', day(21), 'Hidden draft'], ['scheduled', '2099-01-01T00:00:00Z',
        'Hidden scheduled'], ['published', '2099-02-01T00:00:00Z', 'Hidden future'], ['pending', day(22),
        'Hidden pending'], ['private', day(23), 'Hidden private'], ['trash', day(24), 'Hidden trash']]) {
        srv.postAdd(dataDir, { title, status, date, author: 'quiet', categories: ['World'], tags: ['red'] });
        hidden.push(title);
    }
    commentsOn = posts[10];
    for (const [i, author] of ['Alice', 'Bob <b>', 'Carol'].entries()) {
        const body = `Comment ${i} by ${author} & friends`;
        const id = srv.commentAdd(dataDir, { post: commentsOn.id, author, email: SECRET, status: 'approved',
            date: day(25, `10:0${i}:00`), body });
        approved.push({ id, author, body });
    }
    srv.commentAdd(dataDir, { post: commentsOn.id, author: 'Held Harry', email: SECRET, status: 'pending',
        date: day(25, '11:00:00'), body: 'Held comment text' });
    srv.commentAdd(dataDir, { post: commentsOn.id, author: 'Spammy Sam', email: SECRET, status: 'spam',
        date: day(25, '11:01:00'), body: 'Spam comment text' });
    otherComment = { author: 'Dora', body: 'On another story' };
    otherComment.id = srv.commentAdd(dataDir, { post: posts[3].id, author: 'Dora', email: SECRET, status: 'approved',
        date: day(26), body: otherComment.body });
    server = await srv.startServer({ dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

describe('the site feed /feed/ (RSS 2.0)', () => {
    it('lists the 10 newest published posts, newest first, sticky or not, with absolute links', async () => {
        const f = rss((await feed('/feed/')).body);
        assert.equal(f.title, SITE_TITLE);
        assert.equal(f.link, `${SITE_URL}/`);
        assert.equal(f.self, `${SITE_URL}/feed/`);
        const want = newestFirst().slice(0, 10);
        assert.deepEqual(f.items.map((i) => i.link), want.map((p) => SITE_URL + p.path));
        assert.deepEqual(f.items.map((i) => i.title), want.map((p) => p.title));
        const home = parse((await srv.get(`${server.url}/`)).body);
        assert.equal(articleLinks(home)[0], posts[11].path, 'the home page puts the sticky story first');
        for (const i of f.items) {
            assert.equal(i.guid.text, i.link, 'guid is the permalink');
            assert.equal(i.guid.attrs.isPermaLink, 'true');
        }
    });

    it('gives each item its date (RFC 822), author, categories and tags, excerpt and full HTML', async () => {
        const f = rss((await feed('/feed/')).body);
        const byLink = new Map(f.items.map((i) => [i.link, i]));
        const p12 = posts[11];
        const i12 = byLink.get(SITE_URL + p12.path);
        assert.equal(i12.pubDate, rfc822(p12.date));
        assert.match(i12.pubDate, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
        assert.equal(i12.creator, 'Max Kent');
        assert.deepEqual(i12.categories.sort(), ['Sport', 'World', 'red'].sort());
        assert.equal(i12.description, 'Body of story 12 with emphasis.');
        assert.equal(i12.content.trim(), '<p>Body of story 12 with <em>emphasis</em>.</p>');
        const i11 = byLink.get(SITE_URL + posts[10].path);
        assert.equal(i11.creator, 'Jane <Doe>');
    });

    it('keeps HTML holding "]]>" whole and drops characters XML forbids', async () => {
        const r = await feed('/feed/');
        const tricky = rss(r.body).items[0];
        assert.equal(tricky.title, 'Tricky markup');
        assert.equal(tricky.content, TRICKY_HTML.replace('\u0001', ''));
        assert.ok(!r.body.includes('\u0001'), 'no U+0001 in the feed');
    });

    it('never lists drafts, scheduled, pending, private or trashed posts', async () => {
        for (const path of ['/feed/', '/feed/atom/', '/category/world/feed/', '/tag/red/feed/']) {
            const { body } = await srv.get(server.url + path);
            for (const t of hidden)
                assert.ok(!body.includes(t), `${path} shows "${t}"`);
        }
    });

    it('sends Content-Length, an ETag and 304 for If-None-Match, and HEAD without a body', async () => {
        const r = await feed('/feed/');
        assertContentLength(r, '/feed/');
        const etag = r.headers.get('etag');
        assert.ok(etag, 'an ETag');
        const again = await srv.get(server.url + '/feed/', { headers: { 'If-None-Match': etag } });
        assert.equal(again.status, 304);
        assert.equal(again.body, '');
        const head = await srv.get(server.url + '/feed/', { method: 'HEAD' });
        assert.equal(head.status, 200);
        assert.equal(head.headers.get('content-type'), RSS_TYPE);
        assert.equal(head.headers.get('content-length'), r.headers.get('content-length'));
    });

    it('is the same for a visitor with the remembered-commenter cookie (no email, shared cache)', async () => {
        const plain = await feed('/feed/');
        const cookie = `gazette_commenter=${encodeURIComponent(`author=Remembered&email=${SECRET}&url=`)}`;
        const r = await srv.get(server.url + '/feed/', { headers: { Cookie: cookie } });
        assert.equal(r.status, 200);
        assert.equal(r.body, plain.body);
        assert.equal(r.headers.get('etag'), plain.headers.get('etag'));
        assert.ok(!r.body.includes(SECRET) && !r.body.includes('Remembered'));
        assert.ok(!/private/.test(r.headers.get('cache-control') || ''), 'cacheable like any feed');
    });
});

describe('the Atom feed /feed/atom/', () => {
    it('is Atom 1.0 with the same entries, absolute links and dates', async () => {
        const r = await feed('/feed/atom/', ATOM_TYPE);
        assert.match(r.body, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
        const f = atom(r.body);
        assert.equal(f.title, SITE_TITLE);
        assert.equal(f.id, `${SITE_URL}/feed/atom/`);
        assert.ok(f.links.some((l) => l.rel === 'self' && l.href === `${SITE_URL}/feed/atom/`));
        assert.ok(f.links.some((l) => l.rel === 'alternate' && l.href === `${SITE_URL}/`));
        assert.match(f.updated, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        const want = newestFirst().slice(0, 10);
        assert.deepEqual(f.entries.map((e) => e.link), want.map((p) => SITE_URL + p.path));
        assert.equal(f.entries[1].published, posts[12].date);
        assert.equal(f.entries[1].author, 'Jane <Doe>');
        assert.equal(f.entries[0].content, TRICKY_HTML.replace('\u0001', ''));
        const content = /<content ([^>]*)>/.exec(r.body)[1];
        assert.match(content, new RegExp(`xml:base="${SITE_URL}${posts[13].path}"`), 'relative links resolve');
    });
});

describe('category, tag and author feeds', () => {
    it('/category/slug/feed/ lists that category\'s posts, newest first', async () => {
        const f = rss((await feed('/category/sport/feed/')).body);
        const want = newestFirst().filter((p) => p.categories.includes('Sport'));
        assert.ok(want.length >= 4);
        assert.deepEqual(f.items.map((i) => i.link), want.map((p) => SITE_URL + p.path));
        assert.equal(f.self, `${SITE_URL}/category/sport/feed/`);
        assert.equal(f.link, `${SITE_URL}/category/sport/`);
        assert.ok(f.title.includes('Sport'), f.title);
        const a = atom((await feed('/category/sport/feed/atom/', ATOM_TYPE)).body);
        assert.deepEqual(a.entries.map((e) => e.link), want.map((p) => SITE_URL + p.path));
    });

    it('/tag/slug/feed/ and /author/login/feed/ list theirs', async () => {
        const tag = rss((await feed('/tag/red/feed/')).body);
        assert.deepEqual(tag.items.map((i) => i.link),
            newestFirst().filter((p) => p.tags.includes('red')).map((p) => SITE_URL + p.path));
        const author = rss((await feed('/author/jdoe/feed/')).body);
        assert.deepEqual(author.items.map((i) => i.link),
            newestFirst().filter((p) => p.author === 'jdoe').map((p) => SITE_URL + p.path));
        assert.ok(author.items.every((i) => i.creator === 'Jane <Doe>'));
    });

    it('answers 404 (an HTML page) for a missing category, tag or author, or one with nothing published', async () => {
        for (const path of ['/category/no-such-thing/feed/', '/tag/nope/feed/', '/author/nobody/feed/',
            '/author/quiet/feed/', '/2026/01/05/no-such-story/feed/', '/2026/01/21/hidden-draft/feed/',
            '/page/2/feed/', '/category/world/page/2/feed/']) {
            const r = await srv.get(server.url + path);
            assert.equal(r.status, 404, `${path}: status`);
            assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8', `${path}: the 404 page`);
        }
    });
});

describe('comment feeds', () => {
    it('ARTICLE/feed/ lists the article\'s approved comments, newest first, names only', async () => {
        const r = await feed(`${commentsOn.path}feed/`);
        const f = rss(r.body);
        assert.equal(f.self, `${SITE_URL}${commentsOn.path}feed/`);
        assert.equal(f.link, SITE_URL + commentsOn.path);
        assert.ok(f.title.includes(commentsOn.title), f.title);
        const want = [...approved].reverse();
        assert.deepEqual(f.items.map((i) => i.link), want.map((c) => `${SITE_URL}${commentsOn.path}#comment-${c.id}`));
        assert.deepEqual(f.items.map((i) => i.creator), want.map((c) => c.author));
        assert.deepEqual(f.items.map((i) => i.description), want.map((c) => c.body));
        assert.ok(f.items.every((i) => i.guid.attrs.isPermaLink === 'false'));
        assert.equal(f.items[0].pubDate, rfc822(day(25, '10:02:00')));
        assert.ok(!r.body.includes('Held comment') && !r.body.includes('Spam comment'), 'approved comments only');
        const a = await feed(`${commentsOn.path}feed/atom/`, ATOM_TYPE);
        assert.deepEqual(atom(a.body).entries.map((e) => e.author), want.map((c) => c.author));
    });

    it('/comments/feed/ lists the latest approved comments site-wide', async () => {
        const f = rss((await feed('/comments/feed/')).body);
        assert.equal(f.self, `${SITE_URL}/comments/feed/`);
        assert.deepEqual(f.items.map((i) => i.creator), ['Dora', 'Carol', 'Bob <b>', 'Alice']);
        assert.equal(f.items[0].link, `${SITE_URL}${posts[3].path}#comment-${otherComment.id}`);
        assert.ok(f.items[0].title.includes(posts[3].title), f.items[0].title);
        await feed('/comments/feed/atom/', ATOM_TYPE);
    });

    it('never holds a commenter\'s email', async () => {
        for (const path of ['/comments/feed/', '/comments/feed/atom/', `${commentsOn.path}feed/`,
            `${commentsOn.path}feed/atom/`, `${posts[3].path}feed/`]) {
            const { body } = await srv.get(server.url + path);
            assert.ok(!body.includes(SECRET), `${path} holds the email`);
            assert.ok(!body.includes('hidden.example'), `${path} holds the email's domain`);
        }
    });
});

describe('WordPress feed addresses', () => {
    const cases = [
        ['/?feed=rss2', '/feed/'], ['/?feed=rss', '/feed/'], ['/?feed=atom', '/feed/atom/'],
        ['/feed/rss2/', '/feed/'], ['/feed/rss/', '/feed/'], ['/feed/rdf/', '/feed/'],
        ['/?feed=comments-rss2', '/comments/feed/'], ['/category/world/feed/rss2/', '/category/world/feed/'],
        ['/feed', '/feed/'], ['/feed/atom', '/feed/atom/'],
    ];
    for (const [from, to] of cases) {
        it(`${from} answers 301 to ${to}`, async () => {
            const r = await srv.get(server.url + from);
            assert.equal(r.status, 301, `${from}: status`);
            assert.equal(pathOf(r.headers.get('location')), to);
        });
    }

    it('?p=ID&feed=rss2 goes to the post\'s comment feed, ?cat=ID&feed=rss2 to the category\'s', async () => {
        const r = await srv.get(`${server.url}/?p=${commentsOn.id}&feed=rss2`);
        assert.equal(r.status, 301);
        assert.equal(pathOf(r.headers.get('location')), `${commentsOn.path}feed/`);
    });
});

describe('feed links on the pages', () => {
    const alternates = (doc) => doc.all('head link[rel="alternate"]').map((l) => ({
        type: l.attr('type'), href: pathOf(l.attr('href')),
    }));

    it('every page links the site feed in its head and footer', async () => {
        for (const path of ['/', '/page/2/', posts[0].path]) {
            const doc = parse((await srv.get(server.url + path)).body);
            assert.ok(alternates(doc).some((l) => l.type === 'application/rss+xml' && l.href === '/feed/'), path);
            assert.ok(doc.all('footer a[href]').some((a) => pathOf(a.attr('href')) === '/feed/'), `${path}: footer`);
        }
    });

    it('a category page links its feed, an article its comments feed', async () => {
        const cat = parse((await srv.get(`${server.url}/category/sport/`)).body);
        assert.ok(alternates(cat).some((l) => l.href === '/category/sport/feed/'));
        const art = parse((await srv.get(server.url + commentsOn.path)).body);
        assert.ok(alternates(art).some((l) => l.href === `${commentsOn.path}feed/`));
        const home = parse((await srv.get(`${server.url}/`)).body);
        assert.deepEqual(alternates(home), [{ type: 'application/rss+xml', href: '/feed/' },
            { type: 'application/atom+xml', href: '/feed/atom/' }], 'the home page links the site feed only, RSS and Atom');
        assert.ok(alternates(cat).some((l) => l.type === 'application/atom+xml' && l.href === '/category/sport/feed/atom/'));
    });
});

describe('settings and changes', () => {
    it('a new post shows in the feed at once (the cache follows the database)', async () => {
        const before = await feed('/feed/');
        const p = { title: 'Breaking late story', slug: 'breaking', date: day(27), author: 'jdoe',
            categories: ['World'] };
        p.id = srv.postAdd(dataDir, p);
        const after = await feed('/feed/');
        assert.notEqual(after.headers.get('etag'), before.headers.get('etag'));
        assert.equal(rss(after.body).items[0].link, SITE_URL + srv.articlePath(p.date, p.slug));
    });

    it('posts_per_rss sets the number of items', async () => {
        srv.settingSet(dataDir, 'posts_per_rss', 3);
        assert.equal(rss((await feed('/feed/')).body).items.length, 3);
        assert.equal(atom((await feed('/feed/atom/', ATOM_TYPE)).body).entries.length, 3);
        assert.equal(rss((await feed('/category/world/feed/')).body).items.length, 3);
    });
});
