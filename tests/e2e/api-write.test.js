// Writing through the JSON API (docs/api.md) with the clients people use: node-wpapi with an
// application password made by `gazette user app-password add`, curl for the refusals, and
// @wordpress/api-fetch with its nonce middleware from a newsroom page in Chromium. The newsroom's
// rules hold: each role's refusals, the HTML filter for authors, the trash, login throttling.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const WPAPI = require('wpapi');
const srv = require('./lib/server');
const apiLib = require('./lib/api');
const { curl } = apiLib;
const { seedSite } = require('./lib/site');
const { Newsroom } = require('./lib/admin');

let site;
let server;
let api;
const pw = {}; // login -> application password
const uuid = {}; // login -> its UUID

function appPassword(login, name) {
    const out = srv.cli(site.dataDir, ['user', 'app-password', 'add', login, name]).stdout;
    const m = /^([0-9a-f-]{36})\npassword: ((?:[A-Za-z0-9]{4} ){5}[A-Za-z0-9]{4})\n$/.exec(out);
    assert.ok(m, `app-password add prints the UUID and the password: ${out}`);
    return { uuid: m[1], password: m[2] };
}

before(async () => {
    site = seedSite();
    srv.userAdd(site.dataDir, { login: 'boss', name: 'The Boss', role: 'administrator' });
    srv.userAdd(site.dataDir, { login: 'cora', name: 'Cora Contributor', role: 'contributor' });
    for (const login of ['boss', 'mkent', 'jdoe', 'cora']) {
        const p = appPassword(login, `tests of ${login}`);
        pw[login] = p.password;
        uuid[login] = p.uuid;
    }
    server = await srv.startServer({ dataDir: site.dataDir });
    srv.settingSet(site.dataDir, 'site_url', server.url);
    api = `${server.url}/wp-json`;
});

after(async () => {
    if (server)
        await server.stop();
});

function client(login) {
    return new WPAPI({ endpoint: `${api}/`, username: login, password: pw[login] });
}

// curl and the API request as a login come from lib/api.js, on this file's server and passwords.
function as(login, method, path, body) {
    return apiLib.as({ api, pw }, login, method, path, body);
}

async function wpError(promise) {
    try {
        await promise;
    } catch (e) {
        return e;
    }
    assert.fail('the request succeeded');
}

describe('application passwords', () => {
    it('are listed and revoked from the command line, and only their hash is kept', () => {
        const extra = appPassword('jdoe', 'a phone');
        const list = JSON.parse(srv.cli(site.dataDir, ['user', 'app-password', 'list', 'jdoe', '--format=json']).stdout);
        assert.deepEqual(list.map((p) => p.name).sort(), ['a phone', 'tests of jdoe']);
        const db = srv.storedDatabase(site.dataDir);
        assert.ok(db.includes(extra.uuid), 'the stored database is read');
        assert.ok(!db.includes(extra.password.replace(/ /g, '')), 'the password itself is not stored');
        srv.cli(site.dataDir, ['user', 'app-password', 'revoke', 'jdoe', extra.uuid]);
        const r = curl(['-u', `jdoe:${extra.password}`, `${api}/wp/v2/users/me`]);
        assert.equal(r.status, 401);
        assert.equal(r.json.code, 'incorrect_password');
        const again = srv.cli(site.dataDir, ['user', 'app-password', 'revoke', 'jdoe', extra.uuid], { allowFail: true });
        assert.equal(again.status, 1);
    });

    it('authenticate wpapi, and users/me says who', async () => {
        const me = await client('jdoe').users().me().param('context', 'edit');
        assert.equal(me.slug, 'jdoe');
        assert.equal(me.username, 'jdoe');
        assert.deepEqual(me.roles, ['author']);
        assert.equal(me.email, 'jdoe@newsroom.invalid');
        const list = JSON.parse(srv.cli(site.dataDir, ['user', 'app-password', 'list', 'jdoe', '--format=json']).stdout);
        assert.ok(list[0].last_used, 'the use is recorded');
        assert.equal(list[0].last_ip, '127.0.0.1');
    });
});

describe('posts through wpapi', () => {
    it('an author creates, updates and trashes a post; HTML is filtered by their trust', async () => {
        const wp = client('jdoe');
        const world = (await wp.categories().slug('world'))[0];
        const made = await wp.posts().create({ title: 'Filed from the field', status: 'publish',
            content: '<p>Calm <b>seas</b>.<script>alert(1)</script></p>', categories: [world.id] });
        assert.equal(made.status, 'publish');
        assert.equal(made.title.raw, 'Filed from the field');
        assert.ok(!made.content.rendered.includes('<script'), made.content.rendered);
        assert.match(made.content.rendered, /<b>seas<\/b>/);
        assert.deepEqual(made.categories, [world.id]);
        const pub = await new WPAPI({ endpoint: `${api}/` }).posts().id(made.id);
        assert.equal(pub.title.rendered, 'Filed from the field');
        const page = await srv.get(made.link);
        assert.equal(page.status, 200, 'the article is on the site');

        const upd = await wp.posts().id(made.id).update({ title: 'Filed from the field, updated' });
        assert.equal(upd.title.raw, 'Filed from the field, updated');
        assert.deepEqual(upd.categories, [world.id], 'what the update leaves out is kept');
        assert.equal(upd.content.raw, made.content.raw);
        const revs = srv.cli(site.dataDir, ['post', 'show', made.id]).stdout;
        assert.match(revs, /updated/);

        const trashed = await wp.posts().id(made.id).delete();
        assert.equal(trashed.status, 'trash');
        assert.equal((await srv.get(made.link)).status, 404);
        const e = await wpError(wp.posts().id(made.id).param('force', true).delete());
        assert.equal(e.code, 'rest_cannot_delete', 'authors may not empty the trash');
        const gone = await client('mkent').posts().id(made.id).param('force', true).delete();
        assert.equal(gone.deleted, true);
        assert.equal(gone.previous.id, made.id);
        const r = curl([`${api}/wp/v2/posts/${made.id}`]);
        assert.equal(r.status, 404);
    });

    it('scheduling: a date in the future makes a scheduled post', async () => {
        const made = await client('jdoe').posts().create({ title: 'Tomorrow\'s news', status: 'publish',
            date_gmt: '2099-01-01T09:00:00', content: 'Soon.' });
        assert.equal(made.status, 'future');
        assert.equal(made.date_gmt, '2099-01-01T09:00:00');
        assert.equal(curl([`${api}/wp/v2/posts/${made.id}`]).status, 401, 'not public yet');
        const drafts = await client('jdoe').posts().status('future');
        assert.ok(drafts.some((p) => p.id === made.id), 'its writer lists it');
    });

    it('an editor creates a page; terms and comments', async () => {
        const page = await client('mkent').pages().create({ title: 'Corrections policy', status: 'publish',
            content: 'We correct errors.' });
        assert.equal(page.type, 'page');
        assert.equal((await srv.get(`${server.url}/${page.slug}/`)).status, 200);
        const cat = await client('mkent').categories().create({ name: 'Harbour' });
        assert.equal(cat.name, 'Harbour');
        assert.equal(cat.slug, 'harbour');
        const dup = await wpError(client('mkent').categories().create({ name: 'Harbour' }));
        assert.equal(dup.code, 'term_exists');
    });
});

describe('each role\'s refusals', () => {
    it('anonymous callers, contributors, authors and editors are refused what the newsroom refuses', () => {
        const mkentPost = site.stories.find((s) => s.author === 'mkent');
        const cases = [
            [curl(['-X', 'POST', '-H', 'Content-Type: application/json', '--data', '{"title":"x"}', `${api}/wp/v2/posts`]),
                401, 'rest_cannot_create', 'anonymous: no posts'],
            [as('cora', 'POST', '/wp/v2/posts', { title: 'Let me publish', status: 'publish', content: 'x' }),
                403, 'rest_cannot_create', 'contributor: no publishing'],
            [as('cora', 'POST', '/wp/v2/pages', { title: 'A page', content: 'x' }), 403, 'rest_cannot_create',
                'contributor: no pages'],
            [as('jdoe', 'POST', '/wp/v2/pages', { title: 'A page', content: 'x' }), 403, 'rest_cannot_create',
                'author: no pages'],
            [as('jdoe', 'PUT', `/wp/v2/posts/${mkentPost.id}`, { title: 'Mine now' }), 403, 'rest_cannot_edit',
                'author: not others\' posts'],
            [as('jdoe', 'POST', '/wp/v2/categories', { name: 'Mine' }), 403, 'rest_cannot_create',
                'author: no new terms'],
            [as('jdoe', 'POST', `/wp/v2/comments/${site.comments.pending}`, { status: 'approve' }), 403,
                'rest_cannot_edit', 'author: no moderation'],
            [as('jdoe', 'GET', `/wp/v2/posts/${mkentPost.id}?context=edit`), 403, 'rest_forbidden_context',
                'author: no edit context on others\' posts'],
            [as('mkent', 'POST', '/wp/v2/posts', { title: 'x', status: 'nonsense' }), 400, 'rest_invalid_param',
                'editor: a bad status'],
            [as('mkent', 'PUT', '/wp/v2/posts/999999', { title: 'x' }), 404, 'rest_post_invalid_id',
                'editor: no such post'],
            [as('mkent', 'DELETE', '/wp/v2/users/1'), 404, 'rest_no_route', 'nobody deletes users here'],
        ];
        for (const [r, status, code, what] of cases) {
            assert.equal(r.status, status, `${what}: ${JSON.stringify(r.json)}`);
            assert.equal(r.json.code, code, what);
        }
        // a contributor may submit for review
        const r = as('cora', 'POST', '/wp/v2/posts', { title: 'For review', status: 'pending', content: 'Draft.' });
        assert.equal(r.status, 201);
        assert.equal(r.json.status, 'pending');
        assert.match(r.headers.location, new RegExp(`/wp-json/wp/v2/posts/${r.json.id}$`));
        const bad = curl(['-X', 'POST', '-u', `jdoe:${pw.jdoe}`, '-H', 'Content-Type: application/json', '--data',
            '{"title": ', `${api}/wp/v2/posts`]);
        assert.equal(bad.status, 400);
        assert.equal(bad.json.code, 'rest_invalid_json');
    });
});

describe('comments through the API', () => {
    it('a visitor comments by the reader form\'s rules; moderators moderate; the switch turns visitors away',
        async () => {
            const s22 = site.stories[21];
            const anon = new WPAPI({ endpoint: `${api}/` });
            const c = await anon.comments().create({ post: s22.id, author_name: 'Api Reader',
                author_email: 'api.reader@readers.example', content: 'Posted through the API.' });
            assert.equal(c.status, 'hold', 'a first comment waits for moderation');
            assert.equal(c.author_email, undefined, 'no email in the answer');
            const missing = await wpError(anon.comments().create({ post: s22.id, content: '' }));
            assert.equal(missing.code, 'rest_invalid_param');
            assert.ok(missing.data.params.content && missing.data.params.author_name);
            const closed = await wpError(anon.comments().create({ post: site.stories[2].id, author_name: 'A',
                author_email: 'a@readers.example', content: 'Closed?' }));
            assert.equal(closed.code, 'rest_comment_closed');
            const approved = await client('mkent').comments().id(c.id).update({ status: 'approve' });
            assert.equal(approved.status, 'approved');
            assert.equal(approved.author_email, 'api.reader@readers.example', 'moderators see the email');
            const pub = await anon.comments().post(s22.id);
            assert.ok(pub.some((x) => x.id === c.id), 'now public');
            const mine = await client('jdoe').comments().create({ post: s22.id, content: 'The author replies.' });
            assert.equal(mine.status, 'approved');
            assert.equal(mine.author, (await client('jdoe').users().me()).id);

            srv.settingSet(site.dataDir, 'api_anonymous_comments', 0);
            const off = await wpError(anon.comments().create({ post: s22.id, author_name: 'B',
                author_email: 'b@readers.example', content: 'Let me in.' }));
            assert.equal(off.code, 'rest_comment_login_required');
            srv.settingSet(site.dataDir, 'api_anonymous_comments', 1);
        });
});

describe('the newsroom\'s own scripts', () => {
    it('cookie authentication needs the X-WP-Nonce token', async () => {
        const nr = await new Newsroom(server.url).login('mkent');
        const me = await srv.get(`${api}/wp/v2/users/me`, { headers: { Cookie: nr.cookie, 'X-WP-Nonce': nr.csrf } });
        assert.equal(me.status, 200);
        assert.equal(JSON.parse(me.body).slug, 'mkent');
        const none = await srv.get(`${api}/wp/v2/users/me`, { headers: { Cookie: nr.cookie } });
        assert.equal(none.status, 401, 'a cookie alone is no login (no CSRF through the API)');
        const wrong = await srv.get(`${api}/wp/v2/users/me`, { headers: { Cookie: nr.cookie, 'X-WP-Nonce': 'x' } });
        assert.equal(wrong.status, 403);
        assert.equal(JSON.parse(wrong.body).code, 'rest_cookie_invalid_nonce');
    });

    it('the profile screen makes, lists and revokes application passwords', async () => {
        const nr = await new Newsroom(server.url).login('jdoe');
        const before = await nr.get('/admin/profile');
        assert.equal(before.status, 200);
        assert.match(before.body, /tests of jdoe/, 'the one made on the command line is listed');
        const empty = await nr.post('/admin/profile', { do: 'app-password-add', app_name: '' });
        assert.equal(empty.status, 422);
        assert.match(empty.body, /Name the application/);
        const made = await nr.post('/admin/profile', { do: 'app-password-add', app_name: 'Wire importer' });
        assert.equal(made.status, 200);
        const m = /The password for\s*<strong>Wire importer<\/strong> is <code>((?:[A-Za-z0-9]{4} ){5}[A-Za-z0-9]{4})<\/code>/
            .exec(made.body);
        assert.ok(m, 'the new password is shown once');
        const shown = m[1];
        const use = () => curl(['-u', `jdoe:${shown}`, `${api}/wp/v2/users/me?context=edit`]);
        const ok = use();
        assert.equal(ok.status, 200);
        assert.equal(ok.json.slug, 'jdoe');
        const listed = await nr.get('/admin/profile');
        assert.doesNotMatch(listed.body, new RegExp(shown), 'never shown again');
        const row = /<tr><td data-label="Name">Wire importer<\/td>[\s\S]*?<\/tr>/.exec(listed.body);
        assert.ok(row, 'listed');
        assert.match(row[0], /from 127\.0\.0\.1/, 'its last use and address');
        const id = /name="uuid" value="([0-9a-f-]{36})"/.exec(row[0])[1];
        const other = await nr.post('/admin/profile', { do: 'app-password-revoke', uuid: uuid.boss });
        assert.equal(other.status, 404, 'another user\'s password is not one\'s own to revoke');
        const gone = await nr.post('/admin/profile', { do: 'app-password-revoke', uuid: id });
        assert.equal(gone.status, 303);
        assert.equal(use().status, 401, 'revoked: refused');
        assert.equal(as('boss', 'GET', '/wp/v2/users/me').status, 200, 'the other user\'s still works');
        assert.doesNotMatch((await nr.get('/admin/profile')).body, /Wire importer/);
    });

    it('@wordpress/api-fetch with its nonce middleware, from a newsroom page in Chromium', async () => {
        const esbuild = require('esbuild');
        const bundle = esbuild.buildSync({
            stdin: { contents: 'import apiFetch from "@wordpress/api-fetch"; window.apiFetch = apiFetch;',
                resolveDir: srv.ROOT },
            bundle: true, write: false, format: 'iife', logLevel: 'silent',
        }).outputFiles[0].text;
        const { launch, login } = require('./lib/browser');
        const browser = await launch();
        try {
            // the page's own Content-Security-Policy allows no inline script: the test injects one
            const ctx = await browser.newContext({ bypassCSP: true });
            const page = await ctx.newPage();
            await login(page, server.url, 'jdoe');
            const nonce = await page.getAttribute('input[name="_csrf"]', 'value');
            assert.ok(nonce, 'the newsroom page holds the token');
            await page.addScriptTag({ content: bundle });
            const out = await page.evaluate(async ({ root, nonce }) => {
                const f = window.apiFetch;
                f.use(f.createRootURLMiddleware(root));
                f.use(f.createNonceMiddleware(nonce));
                const me = await f({ path: '/wp/v2/users/me' });
                const made = await f({ path: '/wp/v2/posts', method: 'POST',
                    data: { title: 'Written in the browser', content: 'Via api-fetch.', status: 'draft' } });
                let refused = null;
                try {
                    await f({ path: '/wp/v2/pages', method: 'POST', data: { title: 'Not for authors' } });
                } catch (e) {
                    refused = e.code;
                }
                return { me: me.slug, made: made.id, status: made.status, refused };
            }, { root: `${api}/`, nonce });
            assert.equal(out.me, 'jdoe');
            assert.equal(out.status, 'draft');
            assert.equal(out.refused, 'rest_cannot_create');
            const stored = srv.postShow(site.dataDir, out.made);
            assert.equal(stored.title, 'Written in the browser');
        } finally {
            await browser.close();
        }
    });
});

describe('settings and what logged-in callers see', () => {
    it('administrators read and change settings; others are refused', async () => {
        const before = await client('boss').settings();
        assert.equal(before.url, server.url);
        assert.equal(before.title, site.SITE_TITLE);
        const after = await client('boss').settings().update({ description: 'News you can use', posts_per_page: 7,
            language: 'ignored' });
        assert.equal(after.description, 'News you can use');
        assert.equal(after.posts_per_page, 7);
        assert.equal(srv.cli(site.dataDir, ['setting', 'get', 'site_tagline']).stdout.trim(), 'News you can use');
        const bad = as('boss', 'POST', '/wp/v2/settings', { timezone: 'Mars/Olympus', title: 'Not kept' });
        assert.equal(bad.status, 400);
        assert.equal((await client('boss').settings()).title, site.SITE_TITLE, 'all or nothing');
        assert.equal(as('mkent', 'GET', '/wp/v2/settings').status, 403);
        assert.equal(as('mkent', 'POST', '/wp/v2/settings', { title: 'Mine' }).status, 403);
        assert.equal(curl([`${api}/wp/v2/settings`]).status, 401);
    });

    it('edit-context answers validate against the schemas OPTIONS gives', async () => {
        const Ajv = require('ajv-draft-04');
        const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
        const draft = as('jdoe', 'POST', '/wp/v2/posts', { title: 'A draft to check', content: 'Text.' }).json;
        for (const path of ['/wp/v2/users/me?context=edit', `/wp/v2/posts/${draft.id}?context=edit`,
            '/wp/v2/posts?status=draft&context=edit', '/wp/v2/settings']) {
            const login = path.includes('settings') ? 'boss' : 'jdoe';
            const opt = curl(['-X', 'OPTIONS', `${api}${path.split('?')[0]}`]).json;
            const validate = ajv.compile(opt.schema);
            const r = as(login, 'GET', path);
            assert.equal(r.status, 200, path);
            for (const item of Array.isArray(r.json) ? r.json : [r.json]) {
                assert.ok(validate(item), `${path}: ${ajv.errorsText(validate.errors)}`);
                for (const k of Object.keys(item))
                    assert.ok(k === '_links' || opt.schema.properties[k], `${path}: field ${k}`);
            }
        }
    });
});

describe('CORS', () => {
    it('GET from anywhere; credentials and writes only from the listed origins', () => {
        srv.settingSet(site.dataDir, 'api_cors_origins', 'https://app.example');
        const any = curl(['-H', 'Origin: https://elsewhere.example', `${api}/wp/v2/posts?per_page=1`]);
        assert.equal(any.headers['access-control-allow-origin'], '*');
        assert.equal(any.headers['access-control-allow-credentials'], undefined);
        const listed = curl(['-H', 'Origin: https://app.example', `${api}/wp/v2/posts?per_page=1`]);
        assert.equal(listed.headers['access-control-allow-origin'], 'https://app.example');
        assert.equal(listed.headers['access-control-allow-credentials'], 'true');
        const pre = curl(['-X', 'OPTIONS', '-H', 'Origin: https://elsewhere.example', '-H',
            'Access-Control-Request-Method: POST', `${api}/wp/v2/posts`]);
        assert.equal(pre.status, 204);
        assert.equal(pre.headers['access-control-allow-methods'], 'GET, OPTIONS');
        const pre2 = curl(['-X', 'OPTIONS', '-H', 'Origin: https://app.example', '-H',
            'Access-Control-Request-Method: POST', `${api}/wp/v2/posts`]);
        assert.match(pre2.headers['access-control-allow-methods'], /POST/);
        assert.match(pre2.headers['access-control-allow-headers'], /X-WP-Nonce/);
    });
});

// Last: the failures throttle this address for a minute.
describe('login throttling', () => {
    it('applies to application passwords as to newsroom logins', () => {
        let wrong = 0;
        let r;
        while ((r = curl(['-u', 'mkent:wrong wrong wrong wrong wrong wron', `${api}/wp/v2/users/me`])).status === 401)
            wrong++;
        assert.equal(r.status, 429);
        assert.ok(wrong >= 3 && wrong <= 5, `refused after ${wrong} failures`);
        r = curl(['-u', `mkent:${pw.mkent}`, `${api}/wp/v2/users/me`]);
        assert.equal(r.status, 429, 'even the right password waits');
        assert.equal(r.json.code, 'rest_too_many_logins');
        assert.equal(r.headers['retry-after'], '60');
    });
});
