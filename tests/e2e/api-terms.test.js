// Categories and tags changed through the JSON API (docs/api.md) with the Terms screen's rules:
// renamed and re-slugged (the old address answers 301), deleted only with force=true, refused to
// roles that may not manage them; the posts collection filtered by several values at once, as
// comma lists and as repeated x[]= arguments (node-wpapi's .param('categories', [a, b])); and
// accounts made and changed by administrators with the Accounts screen's rules.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { apiServer, wpClient, as: apiAs } = require('./lib/api');
const { seedSite } = require('./lib/site');
const { Newsroom } = require('./lib/admin');

let site;
let ctx; // {server, api, pw}
let server;
let api;

before(async () => {
    site = seedSite();
    srv.userAdd(site.dataDir, { login: 'boss', name: 'The Boss', role: 'administrator' });
    ctx = await apiServer(site.dataDir, ['boss', 'mkent', 'jdoe']);
    ({ server, api } = ctx);
});

after(async () => {
    if (server)
        await server.stop();
});

const client = (login) => wpClient(ctx, login);
const as = (login, method, p, body) => apiAs(ctx, login, method, p, body);

async function ids(q) {
    const r = await srv.get(`${api}/wp/v2/posts${q}`);
    assert.equal(r.status, 200, `${q}: ${r.body}`);
    return { ids: JSON.parse(r.body).map((p) => p.id), total: Number(r.headers.get('x-wp-total')) };
}

// Published stories matching f, newest first.
function expected(f) {
    return [...site.published].filter(f).sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id).map((s) => s.id);
}

describe('terms', () => {
    it('an editor renames and re-slugs a category; the old address answers 301 and posts follow', async () => {
        const wp = client('mkent');
        const world = (await wp.categories().slug('world'))[0];
        const r = await wp.categories().id(world.id).update({ name: 'Foreign news', slug: 'foreign' });
        assert.equal(r.name, 'Foreign news');
        assert.equal(r.slug, 'foreign');
        assert.equal(r.count, world.count);
        const old = await srv.get(`${server.url}/category/world/`);
        assert.equal(old.status, 301);
        assert.match(old.headers.get('location'), /\/category\/foreign\/$/);
        const pub = await wpClient(ctx, null).categories().id(world.id);
        assert.equal(pub.name, 'Foreign news', 'the cached term was dropped');
        // a slug made from the name follows a rename (the newsroom's rule); the old one answers 301
        const tag = (await wp.tags().slug('climate'))[0];
        const t = await wp.tags().id(tag.id).update({ name: 'Climate change' });
        assert.equal(t.slug, 'climate-change');
        assert.equal(t.name, 'Climate change');
        assert.equal((await srv.get(`${server.url}/tag/climate/`)).status, 301);
        // a taken slug, a bad parent, a missing term: WordPress-shaped refusals that change nothing
        const science = (await wp.categories().slug('science'))[0];
        const dup = as('mkent', 'POST', `/wp/v2/categories/${science.id}`, { slug: 'foreign' });
        assert.equal(dup.status, 400);
        assert.equal(dup.json.code, 'duplicate_term_slug');
        const none = as('mkent', 'PUT', '/wp/v2/categories/999999', { name: 'x' });
        assert.equal(none.status, 404);
        assert.equal(none.json.code, 'rest_term_invalid');
        const wrong = as('mkent', 'PATCH', `/wp/v2/tags/${science.id}`, { name: 'x' });
        assert.equal(wrong.status, 404, 'a category is not a tag');
        assert.equal((await wp.categories().id(science.id)).slug, 'science');
    });

    it('authors may not change or delete terms; deleting needs force=true', async () => {
        const science = (await client('jdoe').categories().slug('science'))[0];
        const a = as('jdoe', 'POST', `/wp/v2/categories/${science.id}`, { name: 'Mine' });
        assert.equal(a.status, 403);
        assert.equal(a.json.code, 'rest_cannot_update');
        const d = as('jdoe', 'DELETE', `/wp/v2/categories/${science.id}?force=true`);
        assert.equal(d.status, 403);
        assert.equal(d.json.code, 'rest_cannot_delete');
        const anon = as(null, 'DELETE', `/wp/v2/categories/${science.id}?force=true`);
        assert.equal(anon.status, 401);
        const soft = as('mkent', 'DELETE', `/wp/v2/categories/${science.id}`);
        assert.equal(soft.status, 501);
        assert.equal(soft.json.code, 'rest_trash_not_supported');
        const tag = (await client('mkent').tags().slug('election'))[0];
        const gone = await client('mkent').tags().id(tag.id).param('force', true).delete();
        assert.equal(gone.deleted, true);
        assert.equal(gone.previous.slug, 'election');
        assert.equal(as(null, 'GET', `/wp/v2/tags/${tag.id}`).status, 404);
        const rich = site.stories[4];
        const post = await wpClient(ctx, null).posts().id(rich.id);
        assert.ok(!post.tags.includes(tag.id), 'the post lost the tag');
        const def = as('boss', 'GET', '/wp/v2/categories?slug=uncategorized').json[0];
        if (def) {
            const r = as('boss', 'DELETE', `/wp/v2/categories/${def.id}?force=true`);
            assert.equal(r.status, 403, 'the default category stays');
        }
    });
});

describe('filters with several values', () => {
    it('categories, tags and authors take lists, as comma lists and as x[]= arguments', async () => {
        const wp = wpClient(ctx, null);
        const cats = await wp.categories().perPage(100);
        const id = (slug) => cats.find((c) => c.slug === slug).id;
        const both = expected((s) => (s.categories || []).some((c) => c === 'world' || c === 'notices'));
        const a = await ids(`?categories=${id('foreign')},${id('notices')}&per_page=100`);
        assert.deepEqual(a.ids, both);
        assert.equal(a.total, both.length);
        const b = await ids(`?categories[]=${id('foreign')}&categories[]=${id('notices')}&per_page=100`);
        assert.deepEqual(b.ids, both);
        const c = await wp.posts().param('categories', [id('foreign'), id('notices')]).perPage(5).page(2);
        assert.deepEqual(c.map((p) => p.id), both.slice(5, 10));
        assert.equal(c._paging.total, both.length);
        // a story in two of them counts once
        const ws = expected((s) => (s.categories || []).some((x) => x === 'world' || x === 'science'));
        assert.deepEqual((await ids(`?categories=${id('foreign')},${id('science')}&per_page=100`)).ids, ws);
        // authors
        const users = await wp.users();
        const uid = (slug) => users.find((u) => u.slug === slug).id;
        const all = expected(() => true);
        assert.deepEqual((await ids(`?author=${uid('jdoe')},${uid('mkent')}&per_page=100`)).ids, all);
        const m = await ids(`?author_exclude=${uid('jdoe')}&per_page=100`);
        assert.deepEqual(m.ids, expected((s) => s.author === 'mkent'));
        assert.equal(m.total, m.ids.length);
        // exclusions
        const noWorld = await ids(`?categories_exclude=${id('foreign')}&per_page=100`);
        assert.deepEqual(noWorld.ids, expected((s) => !(s.categories || []).includes('world')));
        assert.equal(noWorld.total, noWorld.ids.length);
        const ex = site.stories[22].id;
        const e = await ids(`?exclude[]=${ex}&per_page=3`);
        assert.deepEqual(e.ids, all.filter((x) => x !== ex).slice(0, 3));
        assert.equal(e.total, all.length - 1);
        // status as a list, for writers
        const st = as('mkent', 'GET', '/wp/v2/posts?status=draft,pending&per_page=100');
        assert.equal(st.status, 200, JSON.stringify(st.json));
        assert.deepEqual(st.json.map((p) => p.status).sort(), ['draft', 'pending']);
        // slugs
        const sl = await ids('?slug=story-01,story-02');
        assert.deepEqual(sl.ids, [site.stories[1].id, site.stories[0].id]);
    });
});

describe('accounts', () => {
    it('an administrator makes and changes accounts; the new password logs in; others are refused', async () => {
        const wp = client('boss');
        const u = await wp.users().create({ username: 'newbie', email: 'newbie@newsroom.invalid', name: 'New Bie',
            password: 'a long enough password', roles: ['editor'], description: 'Joined today.' });
        assert.equal(u.username, 'newbie');
        assert.deepEqual(u.roles, ['editor']);
        assert.equal(u.name, 'New Bie');
        assert.equal(u.description, 'Joined today.');
        await new Newsroom(server.url).login('newbie', 'a long enough password');
        const dup = as('boss', 'POST', '/wp/v2/users', { username: 'newbie', email: 'x@newsroom.invalid' });
        assert.equal(dup.status, 400);
        assert.equal(dup.json.code, 'existing_user_login');
        const weak = as('boss', 'POST', '/wp/v2/users', { username: 'weak', password: 'short' });
        assert.equal(weak.status, 400);
        assert.equal(weak.json.code, 'rest_user_invalid_password');
        const role = as('boss', 'POST', '/wp/v2/users', { username: 'odd', roles: ['emperor'] });
        assert.equal(role.status, 400);
        assert.equal(role.json.code, 'rest_user_invalid_role');
        // changes: name, role, password
        const ch = await wp.users().id(u.id).update({ name: 'Newbie Bie', roles: ['author'], password: 'another long one' });
        assert.equal(ch.name, 'Newbie Bie');
        assert.deepEqual(ch.roles, ['author']);
        await new Newsroom(server.url).login('newbie', 'another long one');
        // an editor may not make or promote accounts
        const ed = as('mkent', 'POST', '/wp/v2/users', { username: 'sneaky', password: 'a long enough password' });
        assert.equal(ed.status, 403);
        assert.equal(ed.json.code, 'rest_cannot_create_user');
        const promote = as('jdoe', 'PATCH', `/wp/v2/users/${u.id}`, { roles: ['administrator'] });
        assert.equal(promote.status, 403);
        const other = as('jdoe', 'POST', `/wp/v2/users/${u.id}`, { password: 'taken over now' });
        assert.equal(other.status, 403);
        assert.equal(other.json.code, 'rest_cannot_edit');
        // everyone changes their own name and password
        const own = await client('jdoe').users().id(as('jdoe', 'GET', '/wp/v2/users/me').json.id)
            .update({ name: 'Jane Q. Doe', password: 'my own new secret' });
        assert.equal(own.name, 'Jane Q. Doe');
        await new Newsroom(server.url).login('jdoe', 'my own new secret');
        const anon = as(null, 'POST', '/wp/v2/users', { username: 'anon' });
        assert.equal(anon.status, 401);
        const none = as('boss', 'POST', '/wp/v2/users/999999', { name: 'x' });
        assert.equal(none.status, 404);
        assert.equal(none.json.code, 'rest_user_invalid_id');
        const me = as('boss', 'GET', `/wp/v2/users/${u.id}?context=edit`);
        assert.deepEqual(me.json.roles, ['author'], 'refusals changed nothing');
    });
});
