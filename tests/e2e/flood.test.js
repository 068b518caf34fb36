// comment_flood_seconds: the same IP posting again within the window gets 429 with the typed text
// kept; after the window it may post again (docs/reader-site.md, "Posting a comment").
'use strict';

const { it } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');
const { assertHtmlPage, formState } = require('./lib/check');

async function withServer(settings, fn) {
    const s = seedSmall(undefined, {
        settings,
        posts: { a: { title: 'Flood story headline', slug: 'flood-story', date: '2026-05-01T08:00:00Z' } },
    });
    const server = await srv.startServer({ dataDir: s.dataDir });
    try {
        const post = (fields) => srv.postForm(server.url + '/comment/', { comment_post_ID: s.posts.a.id,
            comment_parent: 0, author: 'Fast Typist', email: 'fast@readers.example', ...fields });
        await fn(post, s);
    } finally {
        await server.stop();
    }
}

it('with the default window (15 s) a second comment from the same IP is 429, typed text kept', async () => {
    await withServer({ comment_flood_seconds: undefined }, async (post, s) => {
        assert.equal((await post({ comment: 'First comment, in time.' })).status, 303);
        const typed = { comment: 'Second comment, too soon.', url: 'https://fast.example/' };
        const r = await post(typed);
        assert.equal(r.status, 429);
        assert.ok(r.body.includes('You are posting comments too quickly'), 'the flood message');
        const f = formState(assertHtmlPage(r, '429'));
        assert.equal(f.comment, typed.comment);
        assert.equal(f.author, 'Fast Typist');
        assert.equal(f.email, 'fast@readers.example');
        assert.equal(f.url, typed.url);
        assert.ok(!srv.commentList(s.dataDir).some((c) => c.body === typed.comment), 'not stored');
    });
});

it('after comment_flood_seconds have passed the same IP may post again', async () => {
    await withServer({ comment_flood_seconds: 2 }, async (post, s) => {
        assert.equal((await post({ comment: 'One.' })).status, 303);
        assert.equal((await post({ comment: 'Two, too soon.' })).status, 429);
        await new Promise((resolve) => setTimeout(resolve, 2600));
        assert.equal((await post({ comment: 'Three, after the window.' })).status, 303);
        const bodies = srv.commentList(s.dataDir).map((c) => c.body);
        assert.ok(bodies.includes('One.') && bodies.includes('Three, after the window.'));
        assert.ok(!bodies.includes('Two, too soon.'));
    });
});
