// thread_depth: with the setting at 2, replies nest two levels deep and no deeper, and the Reply
// link disappears at the limit (docs/reader-site.md, Comments and Settings).
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');
const { parse } = require('./lib/check');

let server;
let post;
const ids = {};

before(async () => {
    const s = seedSmall(undefined, {
        settings: { thread_depth: 2 },
        posts: { story: { title: 'Deep thread story', slug: 'deep-thread', date: '2026-03-01T08:00:00Z' } },
    });
    post = s.posts.story;
    const add = (key, parent, min) => {
        ids[key] = srv.commentAdd(s.dataDir, { post: post.id, parent, author: `Reader ${key}`,
            email: `${key}@readers.example`, status: 'approved', date: `2026-03-02T10:0${min}:00Z`,
            body: `Comment ${key}.` });
    };
    add('a', 0, 0);
    add('b', ids.a, 1);
    add('c', ids.b, 2);
    server = await srv.startServer({ dataDir: s.dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

it('with thread_depth 2, nesting stops at depth 2 and the Reply link disappears there', async () => {
    const r = await srv.get(server.url + post.path);
    assert.equal(r.status, 200);
    const doc = parse(r.body);
    const a = doc.one(`li#comment-${ids.a}`);
    assert.ok(a && a.classes.includes('depth-1'), 'top comment at depth 1');
    const b = a.one(`ol.children > li#comment-${ids.b}`);
    assert.ok(b && b.classes.includes('depth-2'), 'reply at depth 2 inside ol.children');
    const reply = (li) => li.elements.find((e) => e.tag === 'article').all('a.comment-reply-link');
    assert.equal(reply(a).length, 1, 'Reply link below the limit');
    assert.equal(reply(b).length, 0, 'no Reply link at the limit');
    assert.equal(b.all('ol.children').length, 0, 'no ol.children below the limit');
    assert.equal(doc.all('li.depth-3').length, 0, 'no comment at depth 3');
    const c = doc.one(`li#comment-${ids.c}`);
    assert.ok(c, 'the reply past the limit is still shown');
    assert.ok(!c.classes.includes('depth-3'), `shown at the limit, not deeper: ${c.attr('class')}`);
    assert.equal(reply(c).length, 0, 'no Reply link on the reply past the limit');
    assert.equal(doc.one('h2#comments')?.cleanText, '3 Comments');
});
