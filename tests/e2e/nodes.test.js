// Two `gazette serve` processes on one database serve one site (docs/storage.md, "Several
// nodes"): a page cached on node B drops within a second of a comment posted on node A; a
// session and CSRF token made on A work on B; failed logins and the comment flood window count
// across nodes; a scheduled post is published once. On PostgreSQL (make e2e-pg) the nodes share
// the database server and hear of each other's commits by LISTEN/NOTIFY; on SQLite they share
// the data directory. On PostgreSQL also: the nodes' connections cut (as a database restart
// would) gives 503s at most, then the nodes serve again by themselves.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');
const { Newsroom } = require('./lib/admin');

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two nodes on one database', () => {
    let site;
    let a;
    let b;

    before(async () => {
        site = seedSmall(srv.newDataDir(), {
            settings: { comment_hold_first: 0 },
            posts: { story: { title: 'Shared story headline', slug: 'shared-story', date: '2026-03-01T08:00:00Z' } },
        });
        srv.userAdd(site.dataDir, { login: 'ed', name: 'Ed Itor', role: 'editor' });
        a = await srv.startServer({ dataDir: site.dataDir });
        b = await srv.startServer({ dataDir: site.dataDir });
    });

    after(async () => {
        await a?.stop();
        await b?.stop();
    });

    const comment = (node, text, email = 'reader@readers.example') => srv.postForm(`${node.url}/comment/`, {
        comment_post_ID: site.posts.story.id, comment_parent: 0, author: 'Node Reader', email, comment: text,
    });

    it('the comment flood window counts a comment made on the other node', async () => {
        // first: no comment from this address yet
        srv.settingSet(site.dataDir, 'comment_flood_seconds', 30);
        assert.equal((await comment(a, 'First, on A.', 'flood@readers.example')).status, 303);
        assert.equal((await comment(b, 'Second, on B, too soon.', 'flood@readers.example')).status, 429);
        srv.settingSet(site.dataDir, 'comment_flood_seconds', 0);
    });

    it('a page cached on B drops within a second of a comment posted on A', async () => {
        const page = `${b.url}${site.posts.story.path}`;
        for (let i = 0; i < 2; i++)
            assert.equal((await srv.get(page)).status, 200);
        const r = await comment(a, 'Posted on node A, read on node B.');
        assert.equal(r.status, 303, r.body.slice(0, 300));
        const t0 = Date.now();
        let seen = false;
        while (!seen && Date.now() - t0 < 1000) {
            seen = (await srv.get(page)).body.includes('Posted on node A, read on node B.');
            if (!seen)
                await sleep(20);
        }
        assert.ok(seen, `node B still shows its cached page ${Date.now() - t0} ms after the comment`);
    });

    it('a session and its CSRF token made on A work on B', async () => {
        const n = new Newsroom(a.url);
        await n.login('ed');
        n.base = b.url;
        const list = await n.get('/admin/posts/');
        assert.equal(list.status, 200, 'node B knows the session');
        const r = await n.save({ title: 'Saved on node B' });
        assert.equal(r.status, 303, `node B takes A's CSRF token: ${r.status}`);
        assert.ok(srv.postList(site.dataDir).some((p) => p.title === 'Saved on node B'));
    });

    it('failed logins on A count on B', async () => {
        const n = new Newsroom(a.url);
        srv.userAdd(site.dataDir, { login: 'target', role: 'author' });
        for (let i = 0; i < 5; i++)
            assert.equal((await n.tryLogin('target', `wrong-${i}`)).status, 403, `attempt ${i + 1} on A`);
        n.base = b.url;
        assert.equal((await n.tryLogin('target')).status, 429, 'node B refuses the right password after five');
    });

    it('a scheduled post is published once, and both nodes show it', async () => {
        const due = Math.ceil((Date.now() + 3000) / 1000) * 1000;
        const p = { title: 'Due on both nodes', slug: 'due-on-both', date: iso(due), status: 'scheduled' };
        const id = srv.postAdd(site.dataDir, { author: 'jdoe', ...p });
        const path = srv.articlePath(p.date, p.slug);
        assert.equal(srv.postShow(site.dataDir, id).version, 1);
        assert.equal((await srv.get(a.url + path)).status, 404, 'not yet');
        await sleep(Math.max(due - Date.now(), 0) + 2500);
        assert.equal((await srv.get(a.url + path)).status, 200, 'node A shows it');
        assert.equal((await srv.get(b.url + path)).status, 200, 'node B shows it');
        const shown = srv.postShow(site.dataDir, id);
        assert.equal(shown.status, 'published');
        assert.equal(shown.version, 2, 'one status change: published by one node only');
    });

    it('a cut connection to PostgreSQL gives 503s at most, and the nodes recover by themselves', {
        skip: !srv.PG && 'PostgreSQL only',
    }, async () => {
        const name = srv.databaseName(site.dataDir);
        const cut = spawnSync('psql', ['-qtAX', process.env.GAZETTE_TEST_PG, '-c',
            `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${name}'`],
        { encoding: 'utf8' });
        assert.equal(cut.status, 0, cut.stderr);
        assert.ok(Number(cut.stdout.trim()) >= 2, `both nodes had connections: ${cut.stdout}`);
        for (const node of [a, b]) {
            const t0 = Date.now();
            let ok = false;
            for (let i = 0; !ok && Date.now() - t0 < 5000; i++) {
                // an uncached page each time: a search for a new word
                const r = await srv.get(`${node.url}/?s=recover${i}x${Date.now()}`);
                assert.ok(r.status === 200 || r.status === 503, `answered ${r.status} while reconnecting`);
                ok = r.status === 200;
                if (!ok)
                    await sleep(100);
            }
            assert.ok(ok, 'the node serves again within 5 s');
        }
        const r = await comment(b, 'After the cut, kept.');
        assert.equal(r.status, 303, 'writes work again');
        assert.ok(srv.commentList(site.dataDir).some((c) => c.body === 'After the cut, kept.'));
    });
});
