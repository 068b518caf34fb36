// The permalink_structure setting (docs/reader-site.md, "Article URL"): for each supported
// structure, set through the command line while the server runs, the home page, the article,
// its neighbours' links, the feed and the command line's paths use the new address; the old
// /YYYY/MM/DD/slug/ address answers 301 to it; static pages keep /slug/ (and win over a post
// under /%postname%/); the settings command refuses structures it cannot route.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');

const SITE_URL = 'https://perma.example.org';

// Each structure with the path it gives a post {id, slug, date, cat}.
const STRUCTURES = [
    ['/%year%/%monthnum%/%postname%/', (p) => `/${p.date.slice(0, 4)}/${p.date.slice(5, 7)}/${p.slug}/`],
    ['/%postname%/', (p) => `/${p.slug}/`],
    ['/archives/%post_id%/', (p) => `/archives/${p.id}/`],
    ['/%category%/%postname%/', (p) => `/${p.cat}/${p.slug}/`],
    ['/%year%/%monthnum%/%day%/%postname%/', (p) => srv.articlePath(p.date, p.slug)],
];

let server;
let dataDir;
const posts = []; // oldest first
let pageId;

describe('permalink structures', () => {
    before(async () => {
        dataDir = srv.newDataDir();
        srv.settingSet(dataDir, 'site_url', SITE_URL);
        srv.userAdd(dataDir, { login: 'editor', name: 'Ed', role: 'editor' });
        const specs = [
            { title: 'First Story', slug: 'first-story', date: '2026-02-03T08:00:00Z', cat: 'politics' },
            { title: 'Second Story', slug: 'second-story', date: '2026-02-10T08:00:00Z', cat: 'sports' },
            { title: 'Third Story', slug: 'third-story', date: '2026-03-01T08:00:00Z', cat: 'politics' },
        ];
        for (const s of specs) {
            const id = srv.postAdd(dataDir, { title: s.title, slug: s.slug, date: s.date, author: 'editor',
                categories: [s.cat], status: 'published' });
            posts.push({ ...s, id });
        }
        pageId = srv.postAdd(dataDir, { title: 'About Us', slug: 'about', type: 'page', author: 'editor',
            status: 'published', date: '2026-01-01T08:00:00Z' });
        server = await srv.startServer({ dataDir });
    });

    after(async () => {
        if (server)
            await server.stop();
    });

    it('refuses structures it cannot route', () => {
        for (const bad of ['/%year%/', '/%author%/%postname%/', '%postname%/', '/%postname%', '/x%postname%/',
            '/%postname%/%postname%/', '/A/%postname%/', `/${'a'.repeat(200)}/%postname%/`]) {
            const r = srv.cli(dataDir, ['setting', 'set', 'permalink_structure', bad], { allowFail: true });
            assert.notEqual(r.status, 0, `"${bad}" was accepted`);
        }
    });

    for (const [structure, pathFor] of STRUCTURES) {
        it(`serves articles at ${structure}`, async () => {
            // Warm the cache with the home page and an old address first: the change must show anyway.
            await srv.get(`${server.url}/`);
            await srv.get(`${server.url}${srv.articlePath(posts[1].date, posts[1].slug)}`);
            srv.settingSet(dataDir, 'permalink_structure', structure);
            assert.equal(srv.cli(dataDir, ['setting', 'get', 'permalink_structure']).stdout.trim(), structure);

            const home = await srv.get(`${server.url}/`);
            assert.equal(home.status, 200);
            for (const p of posts)
                assert.ok(home.body.includes(`href="${pathFor(p)}"`) || home.body.includes(`href="${SITE_URL}${pathFor(p)}"`),
                    `home page lacks a link to ${pathFor(p)}`);

            const mid = posts[1];
            const art = await srv.get(`${server.url}${pathFor(mid)}`);
            assert.equal(art.status, 200, `${pathFor(mid)} answered ${art.status}`);
            assert.match(art.body, /Second Story/);
            assert.ok(art.body.includes(pathFor(posts[0])), 'no link to the previous article');
            assert.ok(art.body.includes(pathFor(posts[2])), 'no link to the next article');

            const feed = await srv.get(`${server.url}/feed/`);
            assert.equal(feed.status, 200);
            for (const p of posts)
                assert.ok(feed.body.includes(`${SITE_URL}${pathFor(p)}`), `feed lacks ${pathFor(p)}`);
            const afeed = await srv.get(`${server.url}${pathFor(mid)}feed/`);
            assert.equal(afeed.status, 200, `${pathFor(mid)}feed/ answered ${afeed.status}`);

            const old = srv.articlePath(mid.date, mid.slug);
            const r = await srv.get(`${server.url}${old}`);
            if (old === pathFor(mid)) {
                assert.equal(r.status, 200);
            } else {
                assert.equal(r.status, 301, `${old} answered ${r.status}`);
                assert.equal(new URL(r.headers.get('location'), server.url).pathname, pathFor(mid));
            }

            const list = srv.postList(dataDir);
            const item = list.find((x) => x.id === mid.id);
            assert.equal(item.path, pathFor(mid));

            const page = await srv.get(`${server.url}/about/`);
            assert.equal(page.status, 200);
            assert.match(page.body, /About Us/);
            assert.equal((await srv.get(`${server.url}/category/politics/`)).status, 200);
            assert.equal((await srv.get(`${server.url}/2026/02/`)).status, 200);
            assert.equal((await srv.get(`${server.url}/no-such-story-here/`)).status, 404);
        });
    }

    it('checks the parts of the address against the post', async () => {
        srv.settingSet(dataDir, 'permalink_structure', '/%category%/%postname%/');
        const r = await srv.get(`${server.url}/sports/first-story/`);
        assert.equal(r.status, 301);
        assert.equal(new URL(r.headers.get('location'), server.url).pathname, '/politics/first-story/');
        srv.settingSet(dataDir, 'permalink_structure', '/%year%/%monthnum%/%postname%/');
        const w = await srv.get(`${server.url}/2026/01/first-story/`);
        assert.equal(w.status, 301);
        assert.equal(new URL(w.headers.get('location'), server.url).pathname, '/2026/02/first-story/');
        assert.equal((await srv.get(`${server.url}/2026/02/no-such-story/`)).status, 404);
    });

    it('lets a static page win over a post of the same slug under /%postname%/', async () => {
        srv.postAdd(dataDir, { title: 'About Post', slug: 'about', author: 'editor', status: 'published',
            date: '2026-03-05T08:00:00Z' });
        srv.settingSet(dataDir, 'permalink_structure', '/%postname%/');
        const r = await srv.get(`${server.url}/about/`);
        assert.equal(r.status, 200);
        assert.match(r.body, /About Us/);
        assert.ok(pageId > 0);
    });
});
