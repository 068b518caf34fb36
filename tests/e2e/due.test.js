// "404 unless published and its time has come" (docs/reader-site.md, Pages): a post dated a few
// seconds ahead, published or scheduled, stays hidden until then and appears by itself after,
// on its address, on the home page and as a neighbour, with no write in between.
'use strict';

const { it } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');
const { articleLinks, parse } = require('./lib/check');

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

it('a post whose time comes while the server runs appears by itself', async () => {
    const s = seedSmall(srv.newDataDir(), {
        posts: { old: { title: 'Already out headline', slug: 'already-out', date: '2026-01-01T08:00:00Z' } },
    });
    const { old } = s.posts;
    const server = await srv.startServer({ dataDir: s.dataDir });
    try {
        // Dated a few seconds from now only once the server is up, so a slow start (sanitizers,
        // a busy machine) cannot use up the time before the first look.
        const due = Math.ceil((Date.now() + 6000) / 1000) * 1000;
        const add = (p) => ({ ...p, id: srv.postAdd(s.dataDir, { author: 'jdoe', status: 'published', ...p }),
            path: srv.articlePath(p.date, p.slug) });
        const pub = add({ title: 'Soon published headline', slug: 'soon-published', date: iso(due) });
        const sched = add({ title: 'Soon scheduled headline', slug: 'soon-scheduled', date: iso(due + 1000),
            status: 'scheduled' });
        assert.ok(Date.now() < due - 1000, 'the posts were added well before they are due');
        const home = async () => articleLinks(parse((await srv.get(server.url + '/')).body));
        const oldNext = async () => parse((await srv.get(server.url + old.path)).body)
            .one('nav[aria-label=Posts] a[rel~=next]');
        assert.equal((await srv.get(server.url + pub.path)).status, 404, 'not yet');
        assert.equal((await srv.get(server.url + sched.path)).status, 404, 'not yet');
        assert.deepEqual(await home(), [old.path]);
        assert.equal(await oldNext(), null, 'no neighbour yet');
        const wait = due + 1000 - Date.now() + 1500;
        await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 0)));
        assert.equal((await srv.get(server.url + pub.path)).status, 200, 'published once its time came');
        // A scheduled post is published by the writer's timer (each second, in its own
        // transaction): on a busy machine, give it a few seconds more before calling it missed.
        let status = (await srv.get(server.url + sched.path)).status;
        for (const until = Date.now() + 8000; status === 404 && Date.now() < until;) {
            await new Promise((resolve) => setTimeout(resolve, 250));
            status = (await srv.get(server.url + sched.path)).status;
        }
        assert.equal(status, 200, 'scheduled, published once due');
        assert.deepEqual(await home(), [sched.path, pub.path, old.path], 'on the home page, newest first');
        const next = await oldNext();
        assert.ok(next, 'a neighbour now');
        assert.equal(new URL(next.attr('href'), server.url).pathname, pub.path);
    } finally {
        await server.stop();
    }
});
