// The reader's pages over HTTP, against one server on the standard test site (nothing here writes):
// listings, articles and their neighbours, comments as shown, the reply form, static pages, 404,
// methods and headers. Each test names the part of docs/reader-site.md it checks.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { seedSite } = require('./lib/site');
const { pathOf, articleLinks, assertHtmlPage, assertPrivate, formState, parse } = require('./lib/check');

let site;
let server;
const cache = new Map();

// GET a path once and keep the answer, parsed.
async function page(path) {
    if (!cache.has(path)) {
        const r = await srv.get(server.url + path);
        r.doc = parse(r.body);
        cache.set(path, r);
    }
    return cache.get(path);
}

async function ok(path) {
    const r = await page(path);
    assert.equal(r.status, 200, `GET ${path}: status`);
    return r;
}

before(async () => {
    site = seedSite();
    server = await srv.startServer({ dataDir: site.dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

const stickyPath = () => site.sticky.path;
// Non-sticky published stories, newest first.
const newestFirst = () => site.published.filter((p) => p.id !== site.sticky.id).reverse().map((p) => p.path);
const hiddenTitles = () => [...site.hidden, site.hiddenPage].map((h) => h.title);

describe('home page', () => {
    it('lists the sticky story first on page 1, then published stories newest first', async () => {
        const r = await ok('/');
        const links = articleLinks(r.doc);
        assert.equal(links[0], stickyPath(), 'sticky story first');
        const rest = links.slice(1);
        assert.deepEqual(rest, newestFirst().slice(0, rest.length), 'then newest first');
        assert.ok(rest.length >= 9, `page 1 lists at least 9 stories besides the sticky one (got ${rest.length})`);
    });

    it('holds posts_per_page (10) stories a page and lists every published story exactly once', async () => {
        const p1 = articleLinks((await ok('/')).doc);
        const p2 = articleLinks((await ok('/page/2/')).doc);
        const p3 = articleLinks((await ok('/page/3/')).doc);
        assert.ok(p1.length === 10 || p1.length === 11, `page 1: 10 stories (11 with the sticky), got ${p1.length}`);
        assert.equal(p2.length, 10, 'page 2: 10 stories');
        const all = [...p1, ...p2, ...p3];
        assert.equal(new Set(all).size, all.length, `no story twice: ${all.join(' ')}`);
        assert.deepEqual(all.filter((p) => p !== stickyPath()), newestFirst(), 'every published story, newest first');
        assert.ok(!p2.includes(stickyPath()) && !p3.includes(stickyPath()), 'sticky story only on page 1');
    });

    it('links older and newer pages, and answers 404 past the last page', async () => {
        const hrefs = async (path) => (await ok(path)).doc.one('body').all('a[href]')
            .map((a) => pathOf(a.attr('href')));
        const h1 = await hrefs('/');
        assert.ok(h1.includes('/page/2/'), 'page 1 links /page/2/');
        const h2 = await hrefs('/page/2/');
        assert.ok(h2.includes('/page/3/'), 'page 2 links the older /page/3/');
        assert.ok(h2.includes('/') || h2.includes('/page/1/'), 'page 2 links the newer page 1');
        const h3 = await hrefs('/page/3/');
        assert.ok(h3.includes('/page/2/'), 'page 3 links the newer /page/2/');
        assert.ok(!h3.includes('/page/4/'), 'the last page links no older page');
        assert.equal((await page('/page/4/')).status, 404, '/page/4/ is past the end');
        assert.equal((await page('/page/99/')).status, 404, '/page/99/ is past the end');
    });

    it('never lists drafts, pending, scheduled, future, private or trashed posts', async () => {
        for (const path of ['/', '/page/2/', '/page/3/']) {
            const r = await ok(path);
            for (const t of hiddenTitles())
                assert.ok(!r.body.includes(t), `${path} shows "${t}"`);
            for (const h of site.hidden)
                assert.ok(!articleLinks(r.doc).includes(h.path), `${path} links ${h.path}`);
        }
    });
});

describe('article page', () => {
    const rich = () => site.stories[4];

    it('has <title>Headline – Site title</title> and one <h1> with the headline', async () => {
        for (const s of [rich(), site.stories[22], site.sticky]) {
            const r = await ok(s.path);
            assert.equal(r.doc.one('title').text.trim(), `${s.title} \u2013 ${site.SITE_TITLE}`, `${s.path} <title>`);
            const h1 = r.doc.all('h1');
            assert.equal(h1.length, 1, `${s.path}: exactly one <h1>`);
            assert.equal(h1[0].cleanText, s.title, `${s.path}: <h1> text`);
        }
    });

    it('links the author with rel="author" to /author/LOGIN/ and the display name', async () => {
        for (const [s, login, name] of [[rich(), 'jdoe', 'Jane Doe'], [site.stories[1], 'mkent', 'Max Kent']]) {
            const a = (await ok(s.path)).doc.all('a[rel~=author]');
            assert.ok(a.length >= 1, `${s.path}: an a[rel=author]`);
            assert.equal(pathOf(a[0].attr('href')), `/author/${login}/`, `${s.path}: author href`);
            assert.equal(a[0].cleanText, name, `${s.path}: author link text`);
        }
    });

    it('shows the publish date in <time datetime="ISO">Month D, YYYY</time>', async () => {
        const r = await ok(rich().path);
        const t = r.doc.all('time').find((n) => n.attr('datetime') === '2026-01-05T09:30:00Z');
        assert.ok(t, `a <time datetime="2026-01-05T09:30:00Z">; found ${r.doc.all('time').map((n) => n.outerHTML)}`);
        assert.equal(t.cleanText, 'January 5, 2026');
    });

    it('links categories with rel="category tag" and tags with rel="tag"', async () => {
        const doc = (await ok(rich().path)).doc;
        const rels = (a) => (a.attr('rel') || '').split(/\s+/).sort().join(' ');
        const cats = doc.all('a[rel~=category]').filter((a) => rels(a) === 'category tag')
            .map((a) => pathOf(a.attr('href')));
        assert.deepEqual([...new Set(cats)].sort(), ['/category/science/', '/category/world/']);
        const tags = doc.all('a[rel=tag]').map((a) => pathOf(a.attr('href')));
        assert.deepEqual([...new Set(tags)].sort(), ['/tag/climate/', '/tag/election/']);
    });

    it('renders the Markdown body (table, strikethrough, emphasis, list)', async () => {
        const main = (await ok(rich().path)).doc.one('main');
        const table = main.one('table');
        assert.ok(table, 'a <table>');
        assert.deepEqual(table.all('th').map((n) => n.cleanText), ['Team', 'Score']);
        assert.deepEqual(table.all('td').map((n) => n.cleanText), ['Reds', '3', 'Blues', '1']);
        const del = main.all('del, s');
        assert.ok(del.some((n) => n.cleanText === 'struck out'), 'strikethrough as <del> or <s>');
        assert.ok(main.all('strong').some((n) => n.cleanText === 'bold'), '<strong>bold</strong>');
        assert.deepEqual(main.all('ul > li').map((n) => n.cleanText).filter((t) => t === 'one' || t === 'two'),
            ['one', 'two']);
        assert.ok(!main.text.includes('~~'), 'no raw Markdown left');
    });

    it('links the right Previous Post and Next Post with rel=prev/next, in publish time then id order', async () => {
        const list = site.published;
        for (let i = 0; i < list.length; i++) {
            const s = list[i];
            const nav = (await ok(s.path)).doc.one('nav[aria-label=Posts]');
            const prev = list[i - 1];
            const next = list[i + 1];
            const where = `${s.title} (${s.path})`;
            if (!prev && !next)
                continue;
            assert.ok(nav, `${where}: <nav aria-label="Posts">`);
            const p = nav.all('a[rel~=prev]');
            const n = nav.all('a[rel~=next]');
            if (prev) {
                assert.equal(p.length, 1, `${where}: one rel=prev link`);
                assert.equal(pathOf(p[0].attr('href')), prev.path, `${where}: previous is ${prev.title}`);
                assert.ok(p[0].cleanText.includes('Previous Post'), `${where}: "Previous Post" in ${p[0].cleanText}`);
                assert.ok(p[0].cleanText.includes(prev.title), `${where}: prev title in ${p[0].cleanText}`);
            } else {
                assert.equal(p.length, 0, `${where}: the oldest story has no rel=prev`);
            }
            if (next) {
                assert.equal(n.length, 1, `${where}: one rel=next link`);
                assert.equal(pathOf(n[0].attr('href')), next.path, `${where}: next is ${next.title}`);
                assert.ok(n[0].cleanText.includes('Next Post'), `${where}: "Next Post" in ${n[0].cleanText}`);
                assert.ok(n[0].cleanText.includes(next.title), `${where}: next title in ${n[0].cleanText}`);
            } else {
                assert.equal(n.length, 0, `${where}: the newest story has no rel=next`);
            }
        }
    });

    it('orders stories with the same publish time by id', async () => {
        const a = site.stories[12]; // Story 13, inserted first: lower id
        const b = site.stories[11]; // Story 12
        assert.equal(a.date, b.date);
        assert.ok(a.id < b.id);
        const na = (await ok(a.path)).doc.one('nav[aria-label=Posts]');
        assert.equal(pathOf(na.one('a[rel~=next]').attr('href')), b.path, 'Story 13 (lower id) -> next Story 12');
        const nb = (await ok(b.path)).doc.one('nav[aria-label=Posts]');
        assert.equal(pathOf(nb.one('a[rel~=prev]').attr('href')), a.path, 'Story 12 -> prev Story 13');
    });

    it('answers 404 for drafts, pending, scheduled, future, private and trashed posts', async () => {
        for (const h of site.hidden) {
            const r = await page(h.path);
            assert.equal(r.status, 404, `${h.status} post ${h.path}`);
            assert.ok(!r.body.includes(h.title), `${h.path}: 404 page shows the title`);
        }
    });

    it('never links a hidden post or a page as a neighbour', async () => {
        const hiddenPaths = new Set(site.hidden.map((h) => h.path));
        for (const s of site.published) {
            const nav = (await ok(s.path)).doc.one('nav[aria-label=Posts]');
            for (const a of nav ? nav.all('a[href]') : []) {
                const p = pathOf(a.attr('href'));
                assert.ok(!hiddenPaths.has(p), `${s.path} links hidden ${p}`);
                assert.ok(p !== '/about/' && p !== '/hidden-page/', `${s.path} links a page as neighbour`);
            }
        }
    });
});

describe('static page, category, 404', () => {
    it('serves a published static page at /slug/', async () => {
        const r = await ok('/about/');
        assert.equal(r.doc.one('title').text.trim(), `About this paper \u2013 ${site.SITE_TITLE}`);
        assert.equal(r.doc.all('h1').length, 1);
        assert.equal(r.doc.one('h1').cleanText, 'About this paper');
        assert.ok(r.doc.one('main').all('strong').some((n) => n.cleanText === 'the news'), 'Markdown body');
        assert.equal(r.doc.all('nav[aria-label=Posts]').length, 0, 'no Previous/Next on a static page');
    });

    it('answers 404 for a draft page and an unknown slug', async () => {
        assert.equal((await page('/hidden-page/')).status, 404);
        assert.ok(!(await page('/hidden-page/')).body.includes('Hidden page headline'));
        assert.equal((await page('/no-such-page/')).status, 404);
    });

    it('lists a category\'s published posts newest first, 10 a page, 404 past the end', async () => {
        const world = site.published.filter((p) => (p.categories || []).includes('world')).reverse().map((p) => p.path);
        assert.equal(world.length, 12);
        const p1 = articleLinks((await ok('/category/world/')).doc);
        const p2 = articleLinks((await ok('/category/world/page/2/')).doc);
        assert.deepEqual(p1, world.slice(0, 10), 'page 1');
        assert.deepEqual(p2, world.slice(10), 'page 2');
        assert.equal((await page('/category/world/page/3/')).status, 404, 'past the last page');
        const sci = articleLinks((await ok('/category/science/')).doc);
        assert.deepEqual(sci, site.published.filter((p) => (p.categories || []).includes('science')).reverse()
            .map((p) => p.path));
        for (const t of hiddenTitles())
            assert.ok(!(await page('/category/world/')).body.includes(t), `category lists "${t}"`);
    });

    it('answers 404 for an unknown category', async () => {
        assert.equal((await page('/category/no-such-category/')).status, 404);
    });

    it('serves the theme\'s 404 page with status 404 for anything else', async () => {
        for (const path of ['/no/such/thing/', '/2026/01/05/no-such-story/', '/wp-login.php', '/page/x/']) {
            const r = await page(path);
            assert.equal(r.status, 404, `${path}`);
            assertHtmlPage(r, `404 ${path}`);
        }
    });
});

describe('HTTP', () => {
    const paths = () => ['/', '/page/2/', site.stories[22].path, site.stories[4].path, '/about/', '/category/world/',
        '/no/such/thing/'];

    it('sends Content-Type, a strict CSP, nosniff, Content-Length and the page skeleton on every page', async () => {
        for (const p of paths())
            assertHtmlPage(await page(p), p);
    });

    it('answers HEAD like GET without a body', async () => {
        for (const p of paths()) {
            const g = await page(p);
            const r = await fetch(server.url + p, { method: 'HEAD', redirect: 'manual' });
            assert.equal(r.status, g.status, `HEAD ${p} status`);
            assert.equal(r.headers.get('content-length'), g.headers.get('content-length'), `HEAD ${p} Content-Length`);
            assert.equal(r.headers.get('content-type'), g.headers.get('content-type'), `HEAD ${p} Content-Type`);
            assert.equal((await r.arrayBuffer()).byteLength, 0, `HEAD ${p} has no body`);
        }
    });

    it('answers 405 to methods it does not serve', async () => {
        for (const [m, p] of [['PUT', '/'], ['DELETE', site.stories[22].path], ['PATCH', '/about/'],
            ['POST', '/']]) {
            const body = m === 'POST' || m === 'PUT' ? 'x=1' : undefined;
            const r = await srv.get(server.url + p, { method: m, body });
            assert.equal(r.status, 405, `${m} ${p}`);
        }
    });

    it('answers 300 requests at once with the same bytes as one at a time', async () => {
        const ps = paths();
        const want = new Map();
        for (const p of ps)
            want.set(p, (await page(p)).body);
        const rs = await Promise.all(Array.from({ length: 300 }, (_, i) => ps[i % ps.length])
            .map(async (p) => [p, await srv.get(server.url + p)]));
        for (const [p, r] of rs) {
            assert.equal(r.status, p === '/no/such/thing/' ? 404 : 200, p);
            assert.equal(r.body, want.get(p), `${p}: same body under load`);
        }
    });

    it('links the stylesheet by a content-hashed URL kept a year; the plain URL is revalidated', async () => {
        const href = (await ok('/')).doc.one('link[rel=stylesheet]').attr('href');
        assert.match(href, /^\/static\/style\.[0-9a-f]{16}\.css$/);
        const r = await srv.get(server.url + href);
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type') || '', /^text\/css/);
        assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        assert.ok(r.body.length > 0);
        const plain = await srv.get(server.url + '/static/style.css');
        assert.equal(plain.status, 200);
        assert.equal(plain.body, r.body, 'the old URL still works');
        assert.equal(plain.headers.get('cache-control'), 'public, no-cache');
    });
});

describe('comments as shown', () => {
    const s23 = () => site.stories[22];
    const c = () => site.comments;
    const li = async (id) => (await ok(s23().path)).doc.one(`li#comment-${id}`);

    it('counts approved comments in <h2 id="comments">: N Comments, 1 Comment, none when there are none', async () => {
        assert.equal((await ok(s23().path)).doc.one('h2#comments')?.cleanText, '5 Comments');
        assert.equal((await ok(site.stories[21].path)).doc.one('h2#comments')?.cleanText, '1 Comment');
        const none = (await ok(site.stories[20].path)).doc;
        assert.equal(none.one('h2#comments'), null, 'no heading without comments');
        assert.equal(none.all('li.comment').length, 0);
    });

    it('shows approved comments only', async () => {
        const doc = (await ok(s23().path)).doc;
        const ids = doc.all('ol.comment-list li.comment').map((n) => n.attr('id')).sort();
        const want = ['alice', 'bob', 'carol', 'mallory', 'late'].map((k) => `comment-${c()[k]}`).sort();
        assert.deepEqual(ids, want);
        const text = (await ok(s23().path)).body;
        for (const t of ['Pending comment text', 'Spam comment text', 'Trashed comment text', 'Pat Pending',
            'Sam Spammer', 'Tom Trash'])
            assert.ok(!text.includes(t), `shows "${t}"`);
        assert.equal((await ok(site.stories[21].path)).doc.all('li.comment').length, 1);
    });

    it('lists comments oldest first', async () => {
        const list = (await ok(s23().path)).doc.one('ol.comment-list');
        assert.ok(list, 'ol.comment-list');
        const top = list.elements.filter((n) => n.tag === 'li').map((n) => n.attr('id'));
        assert.deepEqual(top, [c().alice, c().mallory, c().late].map((id) => `comment-${id}`));
    });

    it('nests replies in ol.children of their parent, with depth classes', async () => {
        const a = await li(c().alice);
        assert.ok(a.classes.includes('comment') && a.classes.includes('depth-1'), `alice: ${a.attr('class')}`);
        const bob = a.one(`ol.children > li#comment-${c().bob}`);
        assert.ok(bob, 'Bob\'s reply inside Alice\'s ol.children');
        assert.ok(bob.classes.includes('depth-2'), `bob: ${bob.attr('class')}`);
        const carol = bob.one(`ol.children > li#comment-${c().carol}`);
        assert.ok(carol, 'Carol\'s reply inside Bob\'s ol.children');
        assert.ok(carol.classes.includes('depth-3'), `carol: ${carol.attr('class')}`);
        for (const id of [c().alice, c().bob, c().carol, c().mallory, c().late]) {
            const n = await li(id);
            const art = n.elements.find((e) => e.tag === 'article');
            assert.ok(art, `comment-${id} holds an <article>`);
            assert.ok(art.one('time[datetime]'), `comment-${id} has <time datetime>`);
        }
        assert.equal((await li(c().alice)).one('article time').attr('datetime'), '2026-02-01T10:00:00Z');
    });

    it('gives every comment a Reply link to ?replytocom=ID#respond below the depth limit', async () => {
        for (const id of [c().alice, c().bob, c().carol, c().mallory, c().late]) {
            const art = (await li(id)).elements.find((e) => e.tag === 'article');
            const links = art.all('a.comment-reply-link');
            assert.equal(links.length, 1, `comment-${id}: one Reply link`);
            assert.equal(links[0].attr('href'), `?replytocom=${id}#respond`);
            assert.equal(links[0].cleanText, 'Reply');
        }
    });

    it('links the author\'s website with rel="external nofollow ugc", and names without one plainly', async () => {
        const art = (await li(c().alice)).elements.find((e) => e.tag === 'article');
        const a = art.all('a').find((n) => n.cleanText === 'Alice Reader');
        assert.ok(a, 'author link');
        assert.equal(a.attr('href'), 'https://alice.example/blog');
        const rel = (a.attr('rel') || '').split(/\s+/);
        for (const r of ['external', 'nofollow', 'ugc'])
            assert.ok(rel.includes(r), `rel has ${r}: ${a.attr('rel')}`);
        const bob = (await li(c().bob)).elements.find((e) => e.tag === 'article');
        assert.ok(bob.text.includes('Bob Replier'));
        assert.ok(!bob.all('a').some((n) => n.cleanText === 'Bob Replier'), 'no link without a website');
    });

    it('renders comment bodies as plain text: paragraphs, <br>, autolinks, everything else escaped', async () => {
        const alice = (await li(c().alice)).elements.find((e) => e.tag === 'article');
        const ps = alice.all('p').filter((p) => /paragraph/.test(p.text));
        assert.equal(ps.length, 2, `two paragraphs: ${alice.innerHTML}`);
        assert.equal(ps[0].cleanText, 'First paragraph.');
        assert.ok(ps[1].one('br'), 'single newline becomes <br>');
        assert.equal(ps[1].text.replace(/\s+/g, ' ').trim(), 'Second paragraph, second line.');

        const m = (await li(c().mallory)).elements.find((e) => e.tag === 'article');
        assert.equal(m.all('script').length, 0, 'no <script> element from a comment');
        assert.equal(m.all('b').length, 0, 'no <b> element from a comment or its author name');
        assert.ok(m.innerHTML.includes('&lt;script&gt;'), 'the tag is escaped in the source');
        assert.ok(m.text.includes('<script>alert("x")</script> <b>bold?</b> & more'), `escaped text shown: ${m.text}`);
        assert.ok(m.text.includes('Mallory <b>Tags</b>'), 'the author name is escaped text');
        const link = m.all('a').find((n) => n.attr('href') === 'https://example.com/page?a=1&b=2');
        assert.ok(link, `autolink to the URL: ${m.innerHTML}`);
        const rel = (link.attr('rel') || '').split(/\s+/);
        assert.ok(rel.includes('nofollow') && rel.includes('ugc'), `autolink rel: ${link.attr('rel')}`);
        assert.equal(link.cleanText, 'https://example.com/page?a=1&b=2');
    });
});

describe('the reply form', () => {
    const s23 = () => site.stories[22];

    it('has the fields, required marks, notices, remember box and honeypot', async () => {
        const doc = (await ok(s23().path)).doc;
        const respond = doc.one('section#respond');
        assert.ok(respond, 'section#respond');
        assert.equal(respond.one('h2#reply-title')?.cleanText, 'Leave a Reply');
        const form = respond.one('form#commentform');
        assert.ok(form, 'form#commentform in section#respond');
        assert.equal(form.attr('method')?.toLowerCase(), 'post');
        assert.equal(form.attr('action'), '/comment/#respond', 'a refusal lands on the form');
        const f = formState(doc);
        assert.equal(f.field('comment').tag, 'textarea');
        assert.ok(f.field('comment').has('required'), 'comment required');
        assert.equal(f.field('author').tag, 'input');
        assert.ok(f.field('author').has('required'), 'author required');
        assert.equal(f.field('email').attr('type'), 'email');
        assert.ok(f.field('email').has('required'), 'email required');
        assert.equal(f.field('url').attr('type'), 'url');
        assert.ok(!f.field('url').has('required'), 'url optional');
        for (const name of ['comment', 'author', 'email']) {
            const id = f.field(name).attr('id');
            assert.ok(id, `${name} has an id for its label`);
            const label = form.one(`label[for=${id}]`);
            assert.ok(label, `label for ${name}`);
            const star = label.one('span.required');
            assert.ok(star && star.cleanText === '*', `visible * in the label of ${name}`);
        }
        const urlLabel = form.one(`label[for=${f.field('url').attr('id')}]`);
        assert.ok(urlLabel && !urlLabel.one('span.required'), 'no * on the optional url');
        const remember = f.field('remember');
        assert.ok(remember, 'remember checkbox');
        assert.equal(remember.attr('type'), 'checkbox');
        assert.equal(remember.attr('value'), '1');
        assert.ok(!remember.has('checked'), 'remember not ticked by default');
        assert.equal(f.field('comment_post_ID').attr('type'), 'hidden');
        assert.equal(f.postId, String(s23().id));
        assert.equal(f.field('comment_parent').attr('type'), 'hidden');
        assert.equal(f.parent, '0');
        const hp = f.field('gz_hp');
        assert.ok(hp, 'honeypot field gz_hp');
        assert.ok(hp.attr('type') === null || hp.attr('type') === 'text', `honeypot is a text input: ${hp.outerHTML}`);
        assert.equal(hp.attr('tabindex'), '-1');
        assert.equal(hp.attr('autocomplete'), 'off');
        assert.ok(!hp.attr('value'), 'honeypot empty');
        assert.ok(!hp.has('required'), 'honeypot not required');
        const text = respond.cleanText;
        assert.ok(text.includes('Your email address will not be published.'), 'email notice');
        assert.ok(text.includes('Required fields are marked *'), 'required notice');
        for (const k of ['comment', 'author', 'email', 'url'])
            assert.ok(!f[k], `${k} empty without a cookie`);
    });

    it('with ?replytocom=ID sets comment_parent and says whom it replies to, with a cancel link', async () => {
        const id = site.comments.alice;
        const doc = (await ok(`${s23().path}?replytocom=${id}`)).doc;
        assert.equal(formState(doc).parent, String(id));
        const title = doc.one('h2#reply-title');
        assert.ok(title.cleanText.startsWith('Leave a Reply to Alice Reader'), `heading: ${title.cleanText}`);
        const cancel = doc.one('section#respond').all('a').find((a) => /cancel/i.test(a.cleanText));
        assert.ok(cancel, 'a cancel link');
        assert.ok(!/replytocom/.test(cancel.attr('href')), `cancel goes back to a plain reply: ${cancel.attr('href')}`);
        const bob = site.comments.bob;
        const doc2 = (await ok(`${s23().path}?replytocom=${bob}`)).doc;
        assert.equal(formState(doc2).parent, String(bob));
        assert.ok(doc2.one('h2#reply-title').cleanText.startsWith('Leave a Reply to Bob Replier'));
    });

    it('never reflects a junk ?replytocom= raw into the page', async () => {
        const junks = ['%3Cscript%3Ealert(1)%3C%2Fscript%3E', '1%22%3E%3Cb%3Ex', '-1', '99999999999999999999999'];
        for (const junk of junks) {
            const r = await page(`${s23().path}?replytocom=${junk}`);
            assert.ok(r.status === 200 || r.status === 404, `?replytocom=${junk}: ${r.status}`);
            assert.ok(!/<script>alert|"><b>x/.test(r.body), `?replytocom=${junk} reflected raw`);
            if (r.status === 200) {
                assert.equal(formState(r.doc).parent, '0', `?replytocom=${junk}: comment_parent stays 0`);
                assert.equal(r.doc.one('h2#reply-title').cleanText, 'Leave a Reply');
            }
        }
    });

    it('replaces the form with "Comments are closed." when comments are closed', async () => {
        const doc = (await ok(site.stories[2].path)).doc;
        const p = doc.one('p.comments-closed');
        assert.ok(p, 'p.comments-closed');
        assert.equal(p.cleanText, 'Comments are closed.');
        assert.equal(doc.one('form#commentform'), null, 'no comment form');
        assert.equal(doc.all('textarea').length, 0, 'no textarea');
    });
});

describe('more addresses', () => {
    const newest = (pred) => site.published.filter(pred).reverse().map((p) => p.path);

    it('lists a tag\'s published posts at /tag/slug/, 404 past the end and for an unknown tag', async () => {
        const r = await ok('/tag/election/');
        assertHtmlPage(r, '/tag/election/');
        assert.deepEqual(articleLinks(r.doc), [site.stories[4].path], 'only the published tagged story');
        for (const t of hiddenTitles())
            assert.ok(!r.body.includes(t), `/tag/election/ lists "${t}"`);
        assert.deepEqual(articleLinks((await ok('/tag/climate/')).doc), [site.stories[4].path]);
        assert.equal((await page('/tag/election/page/2/')).status, 404);
        assert.equal((await page('/tag/no-such-tag/')).status, 404);
    });

    it('lists an author\'s published posts at /author/login/, 10 a page; 404 when none', async () => {
        const jdoe = newest((p) => p.author === 'jdoe');
        assert.equal(jdoe.length, 13);
        const r = await ok('/author/jdoe/');
        assertHtmlPage(r, '/author/jdoe/');
        assert.deepEqual(articleLinks(r.doc), jdoe.slice(0, 10), 'page 1, newest first');
        assert.deepEqual(articleLinks((await ok('/author/jdoe/page/2/')).doc), jdoe.slice(10), 'page 2');
        assert.equal((await page('/author/jdoe/page/3/')).status, 404, 'past the end');
        assert.deepEqual(articleLinks((await ok('/author/mkent/')).doc),
            newest((p) => p.author === 'mkent').slice(0, 10));
        assert.ok(r.body.includes('Jane Doe'), 'the author\'s name');
        for (const t of hiddenTitles())
            assert.ok(!r.body.includes(t), `/author/jdoe/ lists "${t}"`);
        assert.equal((await page('/author/quiet/')).status, 404, 'an author with only a draft');
        assert.equal((await page('/author/nobody/')).status, 404, 'no such author');
    });

    it('answers /?p=ID and /?page_id=ID with 301 to the public address, and never leads to a hidden one', async () => {
        const s5 = site.stories[4];
        let r = await srv.get(`${server.url}/?p=${s5.id}`);
        assert.equal(r.status, 301);
        assert.equal(pathOf(r.headers.get('location')), s5.path);
        r = await srv.get(`${server.url}/?page_id=${site.about.id}`);
        assert.equal(r.status, 301);
        assert.equal(pathOf(r.headers.get('location')), '/about/');
        // A non-public or unknown id answers 404 (as WordPress does) and never shows the post.
        const hidden = [[`p=${site.hidden[0].id}`, site.hidden[0]], [`p=${site.hidden[3].id}`, site.hidden[3]],
            [`page_id=${site.hiddenPage.id}`, site.hiddenPage], ['p=999999', null]];
        for (const [q, h] of hidden) {
            const r2 = await srv.get(`${server.url}/?${q}`);
            assert.equal(r2.status, 404, `/?${q} answers ${r2.status} ${r2.headers.get('location') || ''}`);
            if (h)
                assert.ok(!r2.body.includes(h.title), `/?${q} shows "${h.title}"`);
        }
    });

    it('answers an address without its final / with 301 to it when a page lives there, else 404', async () => {
        const s5 = site.stories[4];
        for (const p of [s5.path, '/about/', '/category/world/', '/page/2/', '/tag/election/', '/author/jdoe/']) {
            const r = await srv.get(server.url + p.slice(0, -1));
            assert.equal(r.status, 301, `${p.slice(0, -1)}`);
            assert.equal(pathOf(r.headers.get('location')), p, `${p.slice(0, -1)} -> ${p}`);
        }
        for (const p of ['/no-such-thing', '/hidden-page', site.hidden[0].path.slice(0, -1), '/page/99'])
            assert.equal((await srv.get(server.url + p)).status, 404, p);
    });

    it('navigation: Home, then the categories that have published posts', async () => {
        const nav = (await ok('/')).doc.one('nav[aria-label=Main]');
        assert.ok(nav, 'nav[aria-label=Main]');
        const links = nav.all('a[href]').map((a) => pathOf(a.attr('href')));
        assert.equal(links[0], '/', 'Home first');
        assert.deepEqual(links.slice(1).sort(), ['/category/notices/', '/category/science/', '/category/world/']);
    });
});

describe('caching', () => {
    it('serves visitor-independent pages with an ETag and answers 304 to If-None-Match', async () => {
        for (const p of ['/', site.stories[4].path, '/about/', '/category/world/']) {
            const r = await srv.get(server.url + p);
            const etag = r.headers.get('etag');
            assert.ok(etag, `${p}: ETag`);
            assert.ok(!/no-store/.test(r.headers.get('cache-control') || ''), `${p}: not no-store`);
            const again = await srv.get(server.url + p, { headers: { 'If-None-Match': etag } });
            assert.equal(again.status, 304, `${p}: 304`);
            assert.equal(again.body, '', `${p}: no body with 304`);
            const other = await srv.get(server.url + p, { headers: { 'If-None-Match': '"not-it"' } });
            assert.equal(other.status, 200, `${p}: 200 for another ETag`);
        }
    });

    it('marks pages built for one visitor Cache-Control: private, no-store', async () => {
        const s23 = site.stories[22];
        for (const p of [`${s23.path}?replytocom=${site.comments.alice}`, `${s23.path}?moderation=1`]) {
            const r = await srv.get(server.url + p);
            assert.equal(r.status, 200, p);
            assertPrivate(r, p);
        }
    });
});
