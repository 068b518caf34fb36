// Comments from many connections share commits (docs/storage.md, "Group commit"), and a 303 is
// still only sent once the comment is on disk: killed with SIGKILL in the middle of a stream of
// comments, the server loses none that it acknowledged. The moderation rules hold across a batch.
'use strict';

const { it } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');

const posts = {
    a: { title: 'First durable headline', slug: 'durable-a', date: '2026-02-01T08:00:00Z' },
    b: { title: 'Second durable headline', slug: 'durable-b', date: '2026-02-02T08:00:00Z' },
};

it('no acknowledged comment is lost when the server is killed while comments stream in', async () => {
    const s = seedSmall(undefined, { settings: { comment_hold_first: 0 }, posts });
    const server = await srv.startServer({ dataDir: s.dataDir });
    const acked = [];
    let stop = false; // no new request
    let killing = false; // failures are the kill's
    let sent = 0;
    // 16 connections post one comment after another until the kill.
    const poster = async (n) => {
        for (let i = 0; !stop; i++) {
            const body = `Durable comment ${n}-${i}.`;
            sent++;
            try {
                const r = await srv.postForm(server.url + '/comment/', {
                    comment_post_ID: (i % 2 ? s.posts.a : s.posts.b).id, comment_parent: 0,
                    author: `Reader ${n}`, email: `reader${n}@durable.example`, comment: body });
                if (r.status === 303)
                    acked.push(body);
                else
                    assert.fail(`unexpected ${r.status}`);
            } catch (e) {
                if (!killing)
                    throw e;
            }
        }
    };
    const running = Array.from({ length: 16 }, (_, n) => poster(n));
    while (acked.length < 150)
        await new Promise((resolve) => setTimeout(resolve, 20));
    // The posters keep sending while the server dies, so some comments are in flight at the kill.
    killing = true;
    const alive = setInterval(() => {}, 100); // the server is unref'd: keep this process waiting for it
    await server.kill();
    stop = true;
    await Promise.allSettled(running);
    clearInterval(alive);
    assert.ok(acked.length >= 150 && sent > acked.length, `${acked.length} acknowledged of ${sent} sent`);

    const stored = new Set(srv.commentList(s.dataDir).map((c) => c.body));
    const lost = acked.filter((b) => !stored.has(b));
    assert.deepEqual(lost, [], `${lost.length} acknowledged comments lost`);
    // The server starts again on the same data and shows them.
    const again = await srv.startServer({ dataDir: s.dataDir });
    try {
        const page = await srv.get(again.url + s.posts.a.path);
        const onA = acked.filter((b) => /-\d*[13579]\.$/.test(b)); // odd i: post a
        assert.ok(onA.length > 0 && onA.some((b) => page.body.includes(b)), 'the article shows them');
    } finally {
        await again.stop();
    }
});

it('the flood rule holds for comments from one address arriving together', async () => {
    const s = seedSmall(undefined, { settings: { comment_hold_first: 0, comment_flood_seconds: 60 }, posts });
    const server = await srv.startServer({ dataDir: s.dataDir });
    try {
        const all = await Promise.all(Array.from({ length: 12 }, (_, n) => srv.postForm(server.url + '/comment/', {
            comment_post_ID: s.posts.a.id, comment_parent: 0, author: `Quick ${n}`,
            email: `quick${n}@flood.example`, comment: `Quick comment ${n}.` })));
        const statuses = all.map((r) => r.status).sort();
        assert.equal(statuses.filter((x) => x === 303).length, 1, `one accepted: ${statuses}`);
        assert.equal(statuses.filter((x) => x === 429).length, 11, `the others refused: ${statuses}`);
        assert.equal(srv.commentList(s.dataDir).filter((c) => c.body.startsWith('Quick comment')).length, 1);
    } finally {
        await server.stop();
    }
});
