// The page cache drops only what a write changed (docs/storage.md, "The change log"): a comment
// drops its article, its comment feeds and the lists that show its count; a new post drops its
// neighbours and the lists; a setting drops everything. Counted with the statistics line that
// SIGUSR1 prints. And the event loop keeps serving pages while logins hash passwords.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');
const { PASSWORD, field, setCookies } = require('./lib/admin');

let s;
let server;
const day = (n) => `2026-01-${String(n).padStart(2, '0')}T09:00:00Z`;

before(async () => {
    s = seedSmall(undefined, {
        settings: { comment_hold_first: 0 },
        posts: {
            a: { title: 'Alpha story headline', slug: 'alpha', date: day(10), categories: ['world'] },
            b: { title: 'Bravo story headline', slug: 'bravo', date: day(12), categories: ['world'] },
            c: { title: 'Charlie story headline', slug: 'charlie', date: day(14), categories: ['world'] },
            d: { title: 'Delta story headline', slug: 'delta', date: day(16), categories: ['world'] },
        },
    });
    server = await srv.startServer({ dataDir: s.dataDir, threads: 1 });
});

after(async () => {
    if (server)
        await server.stop();
});

// The counters of the last statistics line printed after a fresh SIGUSR1.
async function stats() {
    const count = () => (server.output().stderr.match(/gazette stats:/g) || []).length;
    const n = count();
    process.kill(server.pid, 'SIGUSR1');
    for (let i = 0; i < 200 && count() === n; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
    const lines = server.output().stderr.split('\n').filter((l) => l.startsWith('gazette stats:'));
    const out = {};
    for (const m of lines[lines.length - 1].matchAll(/(\w+) (\d+)/g))
        out[m[1]] = Number(m[2]);
    return out;
}

// GETs each path (all must be 200) and returns which were served from the cache.
async function fetchAll(paths) {
    const hits = [];
    for (const p of paths) {
        const before = (await stats()).cache_hits;
        const r = await srv.get(server.url + p);
        assert.equal(r.status, 200, p);
        if ((await stats()).cache_hits > before)
            hits.push(p);
    }
    return hits;
}

const pages = () => [s.posts.a.path, s.posts.b.path, s.posts.c.path, s.posts.d.path, '/', '/feed/',
    '/comments/feed/', `${s.posts.a.path}feed/`, `${s.posts.b.path}feed/`, '/category/world/'];

it('the statistics signal never stops the server, whichever thread it reaches', async () => {
    for (let i = 0; i < 100; i++) {
        process.kill(server.pid, 'SIGUSR1');
        await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const st = await stats();
    assert.equal(st.threads, 1);
    assert.equal((await srv.get(server.url + '/')).status, 200);
});

it('serves a page again from the cache until something it shows changes', async () => {
    await fetchAll(pages());
    assert.deepEqual(await fetchAll(pages()), pages(), 'every page the second time');
    const st = await stats();
    assert.ok(st.cache_pages >= pages().length, `pages kept: ${st.cache_pages}`);
    assert.ok(st.cache_bytes > 0 && st.cache_bytes <= st.cache_budget);
});

it('a comment drops its article, its comment feeds and the lists that count it, nothing else', async () => {
    const { a, b, c, d } = s.posts;
    const r = await srv.postForm(server.url + '/comment/', { comment_post_ID: b.id, comment_parent: 0,
        author: 'Cache Reader', email: 'cache@readers.example', comment: 'A word on bravo.' });
    assert.equal(r.status, 303);
    const hits = await fetchAll(pages());
    assert.deepEqual(hits.sort(), [a.path, c.path, d.path, '/feed/', `${a.path}feed/`].sort());
    assert.ok((await srv.get(server.url + b.path)).body.includes('A word on bravo.'));
    assert.ok((await srv.get(server.url + '/comments/feed/')).body.includes('A word on bravo.'));
    assert.match((await srv.get(server.url + '/')).body, /1 Comment\b/);
});

it('a post added from the command line drops its neighbours and the lists; a setting drops all', async () => {
    const { a, b, c, d } = s.posts;
    await fetchAll(pages());
    srv.postAdd(s.dataDir, { title: 'Echo story headline', slug: 'echo', date: '2026-01-13T09:00:00Z',
        author: 'jdoe', status: 'published', categories: ['world'] });
    const hits = await fetchAll(pages());
    assert.deepEqual(hits.sort(), [a.path, d.path, `${a.path}feed/`, `${b.path}feed/`].sort(),
        'b and c are its neighbours; comment feeds do not list posts');
    assert.ok((await srv.get(server.url + c.path)).body.includes('Echo story headline'), 'c links to it');
    assert.ok((await srv.get(server.url + b.path)).body.includes('Echo story headline'), 'b links to it');

    srv.settingSet(s.dataDir, 'site_tagline', 'Fresh tagline');
    assert.deepEqual(await fetchAll(pages()), [], 'every page shows the settings');
    assert.ok((await srv.get(server.url + d.path)).body.includes('Fresh tagline'));
});

it('serves pages while logins hash passwords on the worker pool', async () => {
    srv.userAdd(s.dataDir, { login: 'boss', name: 'Site Owner', role: 'administrator' });
    await srv.get(server.url + s.posts.a.path); // cached
    // The login forms first, then the three password checks at once; the one event loop must
    // answer pages while they hash (under a loop that hashed, a page would wait for them).
    const forms = [];
    for (let i = 0; i < 3; i++) {
        const f = await srv.get(server.url + '/admin/login');
        forms.push({ tok: setCookies(f).gazette_login.value, field: field(f.body, '_login') });
    }
    const events = [];
    const logins = forms.map((f) => srv.postForm(server.url + '/admin/login',
        { _login: f.field, log: 'boss', pwd: PASSWORD }, { Cookie: `gazette_login=${f.tok}` })
        .then((r) => { events.push(`login ${r.status}`); }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (let i = 0; i < 3; i++) {
        const r = await srv.get(server.url + s.posts.a.path);
        events.push(`page ${r.status}`);
    }
    await Promise.all(logins);
    assert.deepEqual(events, ['page 200', 'page 200', 'page 200', 'login 303', 'login 303', 'login 303']);
});
