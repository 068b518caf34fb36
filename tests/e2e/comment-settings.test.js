// The comment settings an article shows, changed while the server runs (`gazette setting set`):
// comment_close_days closes the reply form of an article older than that at once, and
// comment_require_name_email takes the required marks off the name and email fields.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');
const { parse } = require('./lib/check');

let server;
let s;

before(async () => {
    s = seedSmall(undefined, {
        settings: { comment_hold_first: 0 },
        posts: { old: { title: 'An older story', slug: 'an-older-story', date: '2026-01-05T08:00:00Z' } },
    });
    server = await srv.startServer({ dataDir: s.dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

async function article() {
    const r = await srv.get(server.url + s.posts.old.path);
    assert.equal(r.status, 200);
    return parse(r.body);
}

it('comment_require_name_email 0 takes the required marks off a running server\'s form', async () => {
    let doc = await article();
    assert.ok(doc.one('input#author[required]'), 'required at first');
    srv.cli(s.dataDir, ['setting', 'set', 'comment_require_name_email', '0']);
    await new Promise((r) => setTimeout(r, 100));
    doc = await article();
    assert.ok(doc.one('input#author'), 'the form is there');
    assert.equal(doc.one('input#author[required]'), null, 'no longer required');
    assert.equal(doc.one('input#email[required]'), null);
});

it('comment_close_days closes an older article\'s comments on a running server', async () => {
    let doc = await article();
    assert.ok(doc.one('form#commentform'), 'open at first');
    srv.cli(s.dataDir, ['setting', 'set', 'comment_close_days', '1']);
    await new Promise((r) => setTimeout(r, 100));
    doc = await article();
    assert.equal(doc.one('form#commentform'), null, 'no reply form');
    assert.ok(doc.one('p.comments-closed'), 'Comments are closed.');
});
