// The JSON API under /wp-json/ (docs/api.md) driven by clients nobody here wrote: node-wpapi
// (discovery from the site's Link header, collections with filters and paging, _embed), curl for
// the error cases, and a JSON Schema validator (ajv) reading every route's schema from OPTIONS and
// checking real answers against it. The standard test site: what readers may not see (drafts,
// scheduled posts, held comments, emails) must not show here either.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const WPAPI = require('wpapi');
const Ajv = require('ajv-draft-04'); // WordPress's schemas are JSON Schema draft 4
const path = require('node:path');
const srv = require('./lib/server');
const img = require('./lib/images');
const { seedSite, SECRET_EMAIL } = require('./lib/site');

let site;
let server;
let wp; // the discovered client
let api; // server.url + '/wp-json'

before(async () => {
    site = seedSite();
    const photo = img.picture(path.join(srv.tempDir('gazette-api-'), 'photo.jpg'), 640, 480);
    srv.cli(site.dataDir, ['media', 'add', photo, '--alt', 'A photo']); // the media route has something to show
    server = await srv.startServer({ dataDir: site.dataDir });
    srv.settingSet(site.dataDir, 'site_url', server.url);
    api = `${server.url}/wp-json`;
    wp = await WPAPI.discover(server.url);
});

after(async () => {
    if (server)
        await server.stop();
});

async function getJson(path, opts = {}) {
    const r = await srv.get(path.startsWith('http') ? path : api + path, opts);
    let json = null;
    try {
        json = JSON.parse(r.body);
    } catch (e) { /* not JSON */ }
    return { ...r, json };
}

// curl as a person would type it: status, headers (lower case) and the body parsed.
function curl(args) {
    const r = spawnSync('curl', ['-s', '-i', ...args], { encoding: 'utf8', timeout: 30000 });
    assert.equal(r.status, 0, r.stderr);
    const [head, ...rest] = r.stdout.split('\r\n\r\n');
    const status = Number(/^HTTP\/\S+ (\d+)/.exec(head)[1]);
    const headers = {};
    for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    return { status, headers, json: JSON.parse(rest.join('\r\n\r\n')) };
}

// Published stories, newest first (the sticky notice is not first here: WordPress's /posts is by date).
function newestFirst() {
    return [...site.published].reverse();
}

describe('discovery', () => {
    it('every HTML page names the API in a Link header, and the index lists the routes', async () => {
        for (const p of ['/', site.stories[0].path, '/category/world/', '/no-such-page/']) {
            const r = await srv.get(server.url + p);
            assert.equal(r.headers.get('link'), `<${server.url}/wp-json/>; rel="https://api.w.org/"`, p);
            assert.ok(r.body.includes(`<link rel="https://api.w.org/" href="${server.url}/wp-json/">`), `${p}: <head>`);
        }
        const idx = await getJson('/');
        assert.equal(idx.status, 200);
        assert.equal(idx.json.name, site.SITE_TITLE);
        assert.deepEqual(idx.json.namespaces, ['wp/v2']);
        for (const route of ['/wp/v2/posts', '/wp/v2/posts/(?P<id>[\\d]+)', '/wp/v2/pages', '/wp/v2/categories',
            '/wp/v2/tags', '/wp/v2/comments', '/wp/v2/users', '/wp/v2/users/me', '/wp/v2/types', '/wp/v2/statuses',
            '/wp/v2/search', '/wp/v2/media', '/wp/v2/media/(?P<id>[\\d]+)'])
            assert.ok(idx.json.routes[route], route);
        assert.equal(idx.json.gazette_absent, undefined, 'nothing is left out any more');
        const viaQuery = await getJson(`${server.url}/?rest_route=/`);
        assert.deepEqual(Object.keys(viaQuery.json.routes), Object.keys(idx.json.routes));
        const posts = await getJson(`${server.url}/?rest_route=/wp/v2/posts&per_page=3`);
        assert.deepEqual(posts.json.map((p) => p.id), newestFirst().slice(0, 3).map((s) => s.id));
    });

    it('wpapi discovers the site from its home page', () => {
        assert.equal(wp._options.endpoint, `${server.url}/wp-json/`);
        assert.equal(typeof wp.posts, 'function');
        assert.equal(typeof wp.categories, 'function');
    });
});

describe('collections through wpapi', () => {
    it('pages through the published posts, newest first, with the totals', async () => {
        const all = newestFirst();
        const first = await wp.posts().perPage(10).page(1);
        assert.deepEqual(first.map((p) => p.id), all.slice(0, 10).map((s) => s.id));
        assert.equal(first._paging.total, all.length);
        assert.equal(first._paging.totalPages, Math.ceil(all.length / 10));
        const second = await first._paging.next;
        assert.deepEqual(second.map((p) => p.id), all.slice(10, 20).map((s) => s.id));
        const last = await wp.posts().perPage(10).page(3);
        assert.deepEqual(last.map((p) => p.id), all.slice(20).map((s) => s.id));
        const asc = await wp.posts().perPage(5).order('asc');
        assert.deepEqual(asc.map((p) => p.id), site.published.slice(0, 5).map((s) => s.id));
        const asc2 = await wp.posts().perPage(5).page(5).order('asc');
        assert.deepEqual(asc2.map((p) => p.id), site.published.slice(20, 25).map((s) => s.id));
    });

    it('filters by category, tag, author, slug, include, exclude, dates and search', async () => {
        const cats = await wp.categories().slug('world');
        assert.equal(cats.length, 1);
        const world = cats[0];
        const inWorld = newestFirst().filter((s) => (s.categories || []).includes('world'));
        assert.equal(world.count, inWorld.length);
        const r = await wp.posts().categories(world.id).perPage(100);
        assert.deepEqual(r.map((p) => p.id), inWorld.map((s) => s.id));
        const tag = (await wp.tags().slug('election'))[0];
        assert.deepEqual((await wp.posts().tags(tag.id)).map((p) => p.id), [site.stories[4].id]);
        const users = await wp.users();
        const jdoe = users.find((u) => u.slug === 'jdoe');
        assert.ok(jdoe, 'an author with posts is listed');
        assert.equal(users.find((u) => u.slug === 'quiet'), undefined, 'an author of drafts only is not');
        const byJdoe = await wp.posts().author(jdoe.id).perPage(100);
        assert.deepEqual(byJdoe.map((p) => p.id), newestFirst().filter((s) => s.author === 'jdoe').map((s) => s.id));
        const one = await wp.posts().slug('story-05');
        assert.equal(one.length, 1);
        assert.equal(one[0].title.rendered, 'Story 05 headline');
        assert.deepEqual(one[0].categories.length, 2);
        const inc = await wp.posts().include([site.stories[1].id, site.stories[3].id, site.hidden[0].id]);
        assert.deepEqual(inc.map((p) => p.id), [site.stories[3].id, site.stories[1].id], 'drafts are never included');
        const ex = await wp.posts().exclude([newestFirst()[0].id]).perPage(3);
        assert.deepEqual(ex.map((p) => p.id), newestFirst().slice(1, 4).map((s) => s.id));
        assert.equal(ex._paging.total, newestFirst().length - 1);
        const between = await wp.posts().after('2026-01-05T00:00:00').before('2026-01-08T00:00:00');
        assert.deepEqual(between.map((p) => p.title.rendered), ['Story 07 headline', 'Story 06 headline',
            'Story 05 headline']);
        const found = await wp.posts().search('Story 17');
        assert.ok(found.some((p) => p.id === site.stories[16].id));
        const pages = await wp.pages();
        assert.deepEqual(pages.map((p) => p.slug), ['about']);
    });

    it('embeds authors, terms and replies', async () => {
        const s23 = site.stories[22];
        const [post] = await wp.posts().id(s23.id).embed().then((p) => [p]);
        assert.equal(post._embedded.author[0].name, s23.author === 'jdoe' ? 'Jane Doe' : 'Max Kent');
        const replies = post._embedded.replies[0];
        assert.deepEqual(replies.map((c) => c.author_name).sort(),
            ['Alice Reader', 'Bob Replier', 'Carol Deeper', 'Mallory <b>Tags</b>', 'Zed Latecomer'].sort());
        const s05 = (await wp.posts().slug('story-05').embed())[0];
        assert.deepEqual(s05._embedded['wp:term'][0].map((t) => t.slug).sort(), ['science', 'world']);
        assert.deepEqual(s05._embedded['wp:term'][1].map((t) => t.slug).sort(), ['climate', 'election']);
    });

    it('lists the approved comments of a post, and never an email or a held comment', async () => {
        const s23 = site.stories[22];
        const list = await wp.comments().post(s23.id).order('asc').perPage(100);
        assert.deepEqual(list.map((c) => c.id), [site.comments.alice, site.comments.bob, site.comments.carol,
            site.comments.mallory, site.comments.late]);
        assert.equal(list[0].content.rendered, '<p>First paragraph.</p>\n<p>Second paragraph,<br>\nsecond line.</p>\n');
        assert.match(list[3].content.rendered, /&lt;script&gt;/);
        assert.equal(list[1].parent, site.comments.alice);
        for (const p of ['/wp/v2/comments?per_page=100', `/wp/v2/comments?post=${s23.id}`,
            `/wp/v2/comments/${site.comments.alice}`, `/wp/v2/posts/${s23.id}?_embed=1`,
            `/wp/v2/comments?post=${site.stories[21].id}`]) {
            const r = await getJson(p);
            assert.equal(r.status, 200, p);
            assert.ok(!r.body.includes(SECRET_EMAIL), `${p} shows no email`);
            assert.ok(!/Pat Pending|Sam Spammer|Tom Trash/.test(r.body), `${p} shows no held comment`);
        }
        assert.equal((await getJson(`/wp/v2/comments/${site.comments.pending}`)).status, 401);
    });

    it('shows no post a reader may not see', async () => {
        const all = await getJson('/wp/v2/posts?per_page=100');
        const pages = await getJson('/wp/v2/pages?per_page=100');
        for (const h of [...site.hidden, site.hiddenPage]) {
            assert.ok(!all.body.includes(h.slug) && !pages.body.includes(h.slug), h.slug);
            const one = await getJson(`/wp/v2/${h === site.hiddenPage ? 'pages' : 'posts'}/${h.id}`);
            assert.ok([401, 404].includes(one.status), `${h.slug}: ${one.status}`);
            assert.ok(!one.body.includes(h.title), h.slug);
        }
    });
});

describe('errors, as WordPress shapes them', () => {
    it('names each bad parameter', () => {
        const r = curl([`${api}/wp/v2/posts?per_page=1000&page=-1&order=sideways&categories=x`]);
        assert.equal(r.status, 400);
        assert.equal(r.json.code, 'rest_invalid_param');
        assert.equal(r.json.data.status, 400);
        assert.deepEqual(Object.keys(r.json.data.params).sort(), ['categories', 'order', 'page', 'per_page']);
        assert.match(r.json.data.params.per_page, /between 1 \(inclusive\) and 100 \(inclusive\)/);
        assert.match(r.json.message, /^Invalid parameter\(s\): /);
    });

    it('refuses unknown _fields, deep pages, missing posts, drafts, anonymous writes and unknown routes', () => {
        const cases = [
            [[`${api}/wp/v2/posts?_fields=id,nonsense`], 400, 'rest_invalid_param'],
            [[`${api}/wp/v2/posts?page=99`], 400, 'rest_post_invalid_page_number'],
            [[`${api}/wp/v2/posts/999999`], 404, 'rest_post_invalid_id'],
            [[`${api}/wp/v2/posts/${site.hidden[0].id}`], 401, 'rest_forbidden'],
            [[`${api}/wp/v2/posts?status=draft`], 400, 'rest_invalid_param'],
            [[`${api}/wp/v2/posts?context=edit`], 401, 'rest_forbidden_context'],
            [[`${api}/wp/v2/users/me`], 401, 'rest_not_logged_in'],
            [[`${api}/wp/v2/nothing`], 404, 'rest_no_route'],
            [[`${api}/wp/v3/posts`], 404, 'rest_no_route'],
            [['-X', 'DELETE', `${api}/wp/v2/posts/${site.stories[0].id}`], 401, 'rest_cannot_delete'],
            [['-X', 'DELETE', `${api}/wp/v2/types/post`], 404, 'rest_no_route'],
            [[`${api}/wp/v2/categories/999999`], 404, 'rest_term_invalid'],
            [[`${api}/wp/v2/comments/999999`], 404, 'rest_comment_invalid_id'],
            [[`${api}/wp/v2/types/nothing`], 404, 'rest_type_invalid'],
            [[`${api}/wp/v2/posts?after=yesterday`], 400, 'rest_invalid_param'],
        ];
        for (const [args, status, code] of cases) {
            const r = curl(args);
            assert.equal(r.status, status, args.join(' '));
            assert.equal(r.json.code, code, args.join(' '));
            assert.equal(r.json.data.status, status, args.join(' '));
            assert.equal(typeof r.json.message, 'string');
        }
        // nothing changed
        const after = curl([`${api}/wp/v2/posts/${site.stories[0].id}`]);
        assert.equal(after.status, 200);
    });
});

describe('schemas', () => {
    it('every route answers OPTIONS with its schema, and its answers validate against it', async () => {
        const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
        const idx = (await getJson('/')).json;
        const s23 = site.stories[22];
        const samples = {
            '/wp/v2/posts/(?P<id>[\\d]+)': `/wp/v2/posts/${s23.id}`,
            '/wp/v2/pages/(?P<id>[\\d]+)': `/wp/v2/pages/${site.about.id}`,
            '/wp/v2/types/(?P<type>[\\w-]+)': '/wp/v2/types/post',
            '/wp/v2/statuses/(?P<status>[\\w-]+)': '/wp/v2/statuses/publish',
            '/wp/v2/comments/(?P<id>[\\d]+)': `/wp/v2/comments/${site.comments.alice}`,
        };
        let checked = 0;
        for (const route of Object.keys(idx.routes)) {
            if (!route.startsWith('/wp/v2/'))
                continue;
            let path = samples[route] || route;
            if (/\(\?P<id>/.test(path)) {
                const base = route.split('/(?P')[0];
                const list = (await getJson(`${base}?per_page=1`)).json;
                assert.ok(list.length > 0, `${base} lists something`);
                path = `${base}/${list[0].id}`;
            }
            if (path === '/wp/v2/users/me' || path === '/wp/v2/settings')
                continue; // need a login: tests/e2e/api-write.test.js
            const opt = await getJson(path, { method: 'OPTIONS' });
            assert.equal(opt.status, 200, `OPTIONS ${path}`);
            assert.equal(opt.json.namespace, 'wp/v2');
            assert.ok(opt.json.endpoints[0].args, `${path}: args`);
            const schema = opt.json.schema;
            assert.ok(schema && schema.properties, `${path}: a schema`);
            const validate = ajv.compile(schema);
            const r = await getJson(path);
            assert.equal(r.status, 200, `GET ${path}`);
            let items = Array.isArray(r.json) ? r.json : [r.json];
            if (path === '/wp/v2/types' || path === '/wp/v2/statuses')
                items = Object.values(r.json);
            assert.ok(items.length > 0, `${path}: something to check`);
            for (const item of items) {
                assert.ok(validate(item), `${path}: ${ajv.errorsText(validate.errors)}`);
                // every field the schema does not know would be a surprise to a client
                for (const k of Object.keys(item))
                    assert.ok(k === '_links' || k === '_embedded' || schema.properties[k], `${path}: field ${k}`);
            }
            checked++;
        }
        assert.ok(checked >= 15, `routes checked: ${checked}`);
    });
});

describe('caching', () => {
    it('keeps a collection like a page and drops it when a post is published', async () => {
        const a = await getJson('/wp/v2/posts?per_page=2');
        const b = await getJson('/wp/v2/posts?per_page=2');
        assert.equal(a.headers.get('etag'), b.headers.get('etag'));
        assert.equal(b.headers.get('x-wp-total'), a.headers.get('x-wp-total'), 'headers kept with the page');
        assert.match(b.headers.get('link'), /rel="next"/);
        const before = Number(a.headers.get('x-wp-total'));
        const id = srv.postAdd(site.dataDir, { title: 'Fresh off the press', status: 'published',
            date: '2026-03-01T10:00:00Z', author: 'jdoe' });
        const c = await getJson('/wp/v2/posts?per_page=2');
        assert.equal(Number(c.headers.get('x-wp-total')), before + 1);
        assert.equal(c.json[0].id, id);
        const cors = await getJson('/wp/v2/posts?per_page=2', { headers: { Origin: 'https://elsewhere.example' } });
        assert.equal(cors.headers.get('access-control-allow-origin'), '*');
    });
});
