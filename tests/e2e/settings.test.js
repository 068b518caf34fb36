// The settings of docs/reader-site.md changed through `gazette setting set` before the server
// starts: thread_depth (nesting stops, Reply links disappear at the limit), posts_per_page,
// site_title, site_tagline, comment_hold_first and comment_max_links; `setting get` reads them back.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');
const { articleLinks, parse } = require('./lib/check');

const TITLE = 'Depth & Pages Daily';
const TAGLINE = 'All the tests fit to print';
let server;
let s;
const ids = {};

before(async () => {
    const posts = {};
    for (let i = 1; i <= 7; i++)
        posts[`p${i}`] = { title: `Settings story ${i}`, slug: `settings-story-${i}`,
            date: `2026-03-0${i}T08:00:00Z` };
    s = seedSmall(undefined, {
        settings: { thread_depth: 2, posts_per_page: 3, site_title: TITLE, site_tagline: TAGLINE,
            comment_hold_first: 0, comment_max_links: 0 },
        posts,
    });
    const add = (key, parent, min) => {
        ids[key] = srv.commentAdd(s.dataDir, { post: s.posts.p7.id, parent, author: `Reader ${key}`,
            email: `${key}@readers.example`, status: 'approved', date: `2026-03-08T10:0${min}:00Z`,
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

it('setting get reads back what setting set stored', () => {
    assert.equal(srv.cli(s.dataDir, ['setting', 'get', 'thread_depth']).stdout.trim(), '2');
    assert.equal(srv.cli(s.dataDir, ['setting', 'get', 'site_title']).stdout.trim(), TITLE);
    assert.equal(srv.cli(s.dataDir, ['setting', 'get', 'comment_flood_seconds']).stdout.trim(), '0');
});

it('with thread_depth 2, nesting stops at depth 2 and the Reply link disappears there', async () => {
    const r = await srv.get(server.url + s.posts.p7.path);
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
    assert.ok(c.classes.includes('depth-2'), `shown at the limit, not deeper: ${c.attr('class')}`);
    assert.equal(reply(c).length, 0, 'no Reply link on the reply past the limit');
    assert.equal(doc.one('h2#comments')?.cleanText, '3 Comments');
});

it('posts_per_page 3 makes pages of 3, and 404 past the last one', async () => {
    const newest = [7, 6, 5, 4, 3, 2, 1].map((i) => s.posts[`p${i}`].path);
    const got = [];
    for (const p of ['/', '/page/2/', '/page/3/']) {
        const r = await srv.get(server.url + p);
        assert.equal(r.status, 200, p);
        got.push(articleLinks(parse(r.body)));
    }
    assert.deepEqual(got, [newest.slice(0, 3), newest.slice(3, 6), newest.slice(6)]);
    assert.equal((await srv.get(server.url + '/page/4/')).status, 404);
});

it('site_title is in the <title> of every page, with site_tagline on the home page', async () => {
    const home = parse((await srv.get(server.url + '/')).body);
    assert.ok(home.one('title').text.includes(TITLE), home.one('title').text);
    assert.ok(home.one('title').text.includes(TAGLINE), home.one('title').text);
    assert.ok(home.one('header').text.includes(TAGLINE), 'the tagline in the page header');
    const art = parse((await srv.get(server.url + s.posts.p1.path)).body);
    assert.equal(art.one('title').text.trim(), `Settings story 1 \u2013 ${TITLE}`);
});

it('comment_hold_first 0 approves a first comment; comment_max_links 0 holds one with a link', async () => {
    const post = (fields) => srv.postForm(server.url + '/comment/', { comment_post_ID: s.posts.p1.id,
        comment_parent: 0, author: 'Brand New', email: 'brand.new@readers.example', ...fields });
    const r1 = await post({ comment: 'No links at all.' });
    assert.equal(r1.status, 303);
    assert.match(r1.headers.get('location'), /#comment-\d+$/, 'approved at once');
    const r2 = await post({ comment: 'One link: https://example.com/' });
    assert.equal(r2.status, 303);
    assert.match(r2.headers.get('location'), /\?moderation=1#respond$/, 'held for its link');
});
