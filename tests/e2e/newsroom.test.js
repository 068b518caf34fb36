// The site managed from /admin/ over HTTP, for every role: the dashboard, accounts and profiles,
// categories and tags (renames answered with a 301), the header menu, the settings by section,
// each screen refused (403) to the roles that may not use it; login throttling that slows
// strangers down but lets a browser that logged in before through; site_url that follows the
// server's address; the comment form's refusal at #respond; and the command line's checks.
// One server for the whole file (docs/newsroom.md describes what is checked here).
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const srv = require('./lib/server');
const { Newsroom, formFields, loginFrom } = require('./lib/admin');
const { parse } = require('./lib/check');

let dataDir;
let server;
const ids = {};

before(async () => {
    dataDir = srv.newDataDir();
    srv.settingSet(dataDir, 'comment_flood_seconds', 0);
    ids.boss = srv.userAdd(dataDir, { login: 'boss', name: 'Site Owner', role: 'administrator' });
    ids.ed = srv.userAdd(dataDir, { login: 'ed', name: 'Ed Itor', role: 'editor' });
    ids.ann = srv.userAdd(dataDir, { login: 'ann', name: 'Ann Author', role: 'author' });
    ids.cid = srv.userAdd(dataDir, { login: 'cid', name: 'Cid Contrib', role: 'contributor' });
    ids.vic = srv.userAdd(dataDir, { login: 'vic', name: 'Vic Chief', role: 'editor' });
    ids.world = srv.postAdd(dataDir, { title: 'World story', slug: 'world-story', date: '2026-01-05T09:00:00Z',
        author: 'ed', categories: ['World'], tags: ['Boats'] });
    ids.both = srv.postAdd(dataDir, { title: 'Two sections', slug: 'two-sections', date: '2026-01-06T09:00:00Z',
        author: 'ed', categories: ['World', 'Sport'] });
    ids.annPost = srv.postAdd(dataDir, { title: 'Ann writes', slug: 'ann-writes', date: '2026-01-07T09:00:00Z',
        author: 'ann', categories: ['Sport'] });
    ids.annDraft = srv.postAdd(dataDir, { title: 'Ann draft', status: 'draft', author: 'ann' });
    ids.cidPending = srv.postAdd(dataDir, { title: 'Cid pending', status: 'pending', author: 'cid' });
    ids.sched = srv.postAdd(dataDir, { title: 'Future story', slug: 'future-story', date: '2099-03-01T10:30:00Z',
        author: 'ed' });
    ids.about = srv.postAdd(dataDir, { title: 'About', slug: 'about', type: 'page', date: '2026-01-01T00:00:00Z',
        author: 'boss' });
    ids.held = srv.commentAdd(dataDir, { post: ids.world, author: 'Held Reader', email: 'held@readers.example',
        status: 'pending', body: 'Waiting for a moderator.' });
    server = await srv.startServer({ dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

const as = async (login, password) => new Newsroom(server.url).login(login, password);
const page = (p, opts) => srv.get(server.url + p, opts);
const navOf = (body) => parse(body).one('nav.site-nav').all('a').map((a) => `${a.cleanText} ${a.attr('href')}`);
const category = (slug) => srv.cliJson(dataDir, ['category', 'list', '--format=json']).find((c) => c.slug === slug);

describe('who may use which screen', () => {
    it('answers each role 200 or 403 on every screen, and refuses every change to those who may not', async () => {
        const world = category('world');
        const all = ['boss', 'ed', 'ann', 'cid'], editors = ['boss', 'ed'], admins = ['boss'];
        const screens = [
            ['/admin/', all], ['/admin/profile', all], ['/admin/posts/', all], ['/admin/pages/', editors],
            ['/admin/users/', admins], [`/admin/users/${ids.ann}`, admins], ['/admin/categories/', editors],
            [`/admin/categories/${world.id}`, editors], ['/admin/tags/', editors], ['/admin/menus/', editors],
            ['/admin/settings/', admins], ['/admin/comments/', editors],
        ];
        const users = {};
        for (const role of all)
            users[role] = await as(role);
        for (const [p, allowed] of screens)
            for (const role of all) {
                const r = await users[role].get(p);
                assert.equal(r.status, allowed.includes(role) ? 200 : 403, `${role} GET ${p}`);
                assert.equal(r.headers.get('cache-control'), 'private, no-store');
            }
        const before = { users: srv.cliJson(dataDir, ['user', 'list', '--format=json']).length,
            cats: srv.cliJson(dataDir, ['category', 'list', '--format=json']).length,
            settings: srv.cli(dataDir, ['setting', 'list']).stdout };
        const refused = [
            ['ed', '/admin/users/new', { login: 'sneaky', role: 'administrator', password: 'sneaky-pass-1' }],
            ['ed', `/admin/users/${ids.ann}`, { do: 'disable' }],
            ['ed', `/admin/users/${ids.ann}`, { do: 'save', display_name: 'X', role: 'administrator' }],
            ['ann', '/admin/categories/new', { name: 'Sneaky' }],
            ['cid', `/admin/categories/${world.id}`, { do: 'delete' }],
            ['ann', '/admin/tags/new', { name: 'sneaky' }],
            ['ann', '/admin/menus/', { do: 'add_home' }],
            ['cid', '/admin/menus/', { do: 'reset' }],
            ['ed', '/admin/settings/', { section: 0, site_title: 'Taken over' }],
        ];
        for (const [role, p, fields] of refused)
            assert.equal((await users[role].post(p, fields)).status, 403, `${role} POST ${p}`);
        assert.equal((await users.boss.post('/admin/profile', { _csrf: undefined, do: 'save', display_name: 'X' }))
            .status, 403, 'no CSRF token');
        const anon = await page('/admin/');
        assert.equal(anon.status, 303);
        assert.equal(anon.headers.get('location'), '/admin/login');
        assert.equal((await srv.postForm(`${server.url}/admin/menus/`, { do: 'reset' })).status, 403);
        assert.equal(srv.cliJson(dataDir, ['user', 'list', '--format=json']).length, before.users);
        assert.equal(srv.cliJson(dataDir, ['category', 'list', '--format=json']).length, before.cats);
        assert.equal(srv.cli(dataDir, ['setting', 'list']).stdout, before.settings);
    });
});

describe('the dashboard', () => {
    it('lists drafts, pending review, scheduled with times, held comments and the latest stories, by role', async () => {
        const boss = await as('boss');
        const d = parse((await boss.get('/admin/')).body);
        const box = (id) => d.one(`#${id}`).parent;
        assert.ok(box('box-drafts').all('a').some((a) => a.attr('href') === `/admin/post/${ids.annDraft}`));
        assert.ok(box('box-pending').all('a').some((a) => a.attr('href') === `/admin/post/${ids.cidPending}`));
        const sched = box('box-scheduled');
        assert.ok(sched.all('a').some((a) => a.attr('href') === `/admin/post/${ids.sched}`));
        assert.equal(sched.one('time').attr('datetime'), '2099-03-01T10:30:00Z');
        assert.match(sched.one('time').cleanText, /Mar 1, 2099 at 10:30/);
        assert.ok(box('box-comments').all('a').some((a) => a.attr('href') === `/admin/comments/${ids.held}`));
        const latest = box('box-published').all('a').map((a) => a.attr('href'));
        assert.ok(latest.includes('/2026/01/07/ann-writes/') && latest.includes(`/admin/post/${ids.world}`));
        const ann = parse((await (await as('ann')).get('/admin/')).body);
        assert.equal(ann.one('#box-comments'), null, 'no moderation for authors');
        const annLinks = ann.all('main a').map((a) => a.attr('href'));
        assert.ok(annLinks.includes(`/admin/post/${ids.annDraft}`));
        assert.ok(!annLinks.includes(`/admin/post/${ids.cidPending}`), 'an author sees only her own posts');
    });
});

describe('accounts', () => {
    it('adds an account with a role, or with a password made and shown once', async () => {
        const boss = await as('boss');
        const bad = await boss.post('/admin/users/new', { login: 'bad name!', role: 'author', password: 'long-enough-1' });
        assert.equal(bad.status, 422);
        const short = await boss.post('/admin/users/new', { login: 'newbie', role: 'author', password: 'short' });
        assert.equal(short.status, 422);
        assert.match(short.body, /at least 8 characters/);
        assert.match(short.body, /value="newbie"/, 'what was typed is kept');
        const r = await boss.post('/admin/users/new', { login: 'Newbie', display_name: 'New Bie', email: 'n@x.example',
            role: 'editor', password: 'newbie-password' });
        assert.equal(r.status, 303);
        assert.match(r.headers.get('location'), /^\/admin\/users\/\d+\?msg=added$/);
        const u = srv.cliJson(dataDir, ['user', 'list', '--format=json']).find((x) => x.login === 'newbie');
        assert.equal(u.role, 'editor');
        await as('newbie', 'newbie-password');
        assert.equal((await boss.post('/admin/users/new', { login: 'newbie', role: 'author', password: 'x'.repeat(9) }))
            .status, 409, 'a login taken');
        const gen = await boss.post('/admin/users/new', { login: 'genny', role: 'contributor', password: '' });
        assert.equal(gen.status, 200);
        const pw = /id="generated-password">[^<]*<code>([A-Za-z0-9]{20})<\/code>/.exec(gen.body)[1];
        await as('genny', pw);
    });

    it('changes role and name, resets a password (sessions end), disables, enables and deletes an account', async () => {
        const boss = await as('boss');
        const id = srv.userAdd(dataDir, { login: 'temp', name: 'Temp Writer', role: 'author' });
        const postId = srv.postAdd(dataDir, { title: 'By temp', author: 'temp', date: '2026-01-08T09:00:00Z' });
        const temp = await as('temp');
        const edit = await boss.get(`/admin/users/${id}`);
        const fields = formFields(edit.body, 'user-form');
        assert.equal(fields.role, 'author');
        assert.equal((await boss.post(`/admin/users/${id}`, { ...fields, role: 'editor', display_name: 'Temp Editor' }))
            .status, 303);
        let u = srv.cliJson(dataDir, ['user', 'list', '--format=json']).find((x) => x.login === 'temp');
        assert.equal(u.role, 'editor');
        assert.equal(u.name, 'Temp Editor');
        const reset = await boss.post(`/admin/users/${id}`, { do: 'password', password: 'reset-password-1' });
        assert.equal(reset.status, 303);
        assert.equal((await temp.get('/admin/')).status, 303, 'the old session ended');
        const again = await as('temp', 'reset-password-1');
        const off = await boss.post(`/admin/users/${id}`, { do: 'disable' });
        assert.equal(off.status, 303);
        assert.equal((await again.get('/admin/')).status, 303, 'disabling ends the sessions');
        const refused = await new Newsroom(server.url).tryLogin('temp', 'reset-password-1');
        assert.equal(refused.status, 403, 'a disabled account cannot log in');
        assert.match((await boss.get(`/admin/users/${id}`)).body, /id="user-state">Disabled/);
        assert.equal((await boss.post(`/admin/users/${id}`, { do: 'enable' })).status, 303);
        await as('temp', 'reset-password-1');
        const del = await boss.post(`/admin/users/${id}`, { do: 'delete', reassign: ids.ed });
        assert.equal(del.status, 303);
        assert.equal(srv.cliJson(dataDir, ['user', 'list', '--format=json']).find((x) => x.login === 'temp'), undefined);
        assert.equal(srv.postShow(dataDir, postId).author, 'ed', 'the posts went to the account chosen');
        assert.equal((await boss.get(`/admin/users/${id}`)).status, 404);
    });

    it('keeps an active administrator, and nobody disables or deletes themselves', async () => {
        const boss = await as('boss');
        const own = formFields((await boss.get(`/admin/users/${ids.boss}`)).body, 'user-form');
        const demote = await boss.post(`/admin/users/${ids.boss}`, { ...own, role: 'editor' });
        assert.equal(demote.status, 409);
        assert.match(demote.body, /needs an active administrator/);
        assert.equal((await boss.post(`/admin/users/${ids.boss}`, { do: 'disable' })).status, 409);
        assert.equal((await boss.post(`/admin/users/${ids.boss}`, { do: 'delete', reassign: ids.ed })).status, 403);
        assert.equal(srv.cliJson(dataDir, ['user', 'list', '--format=json']).find((x) => x.login === 'boss').role,
            'administrator');
    });

    it('lets each user edit their own profile; the author archive shows the bio', async () => {
        const ann = await as('ann');
        const other = await as('ann');
        const form = formFields((await ann.get('/admin/profile')).body, 'profile-form');
        assert.equal(form.display_name, 'Ann Author');
        const saved = await ann.post('/admin/profile', { ...form, display_name: 'Ann A. Author',
            email: 'ann@desk.example', bio: 'Covers sport <and> the harbour.\nSecond line.' });
        assert.equal(saved.status, 303);
        const archive = await page('/author/ann/');
        assert.equal(archive.status, 200);
        const desc = parse(archive.body).one('.archive-description');
        assert.ok(desc, 'the bio is shown');
        assert.equal(desc.text, 'Covers sport <and> the harbour.\nSecond line.');
        assert.match(archive.body, /Ann A\. Author/);
        const badEmail = await ann.post('/admin/profile', { ...form, email: 'not an email' });
        assert.equal(badEmail.status, 422);
        const wrong = await ann.post('/admin/profile', { do: 'password', current_password: 'nope-nope',
            password: 'a-new-password-2' });
        assert.equal(wrong.status, 403);
        const ok = await ann.post('/admin/profile', { do: 'password', current_password: 'e2e-password-1234',
            password: 'a-new-password-2' });
        assert.equal(ok.status, 303);
        assert.equal((await ann.get('/admin/profile')).status, 200, 'this session stays');
        assert.equal((await other.get('/admin/profile')).status, 303, 'the others end');
        await as('ann', 'a-new-password-2');
        srv.cli(dataDir, ['user', 'passwd', 'ann'], { input: 'e2e-password-1234\n' });
    });
});

describe('categories and tags', () => {
    it('adds, renames with a 301 from the old address, changes the slug and the parent', async () => {
        const ed = await as('ed');
        const world = category('world');
        const add = await ed.post('/admin/categories/new', { name: 'Weather', slug: '', parent: world.id });
        assert.equal(add.status, 303);
        const weather = category('weather');
        assert.equal(weather.parent, world.id);
        assert.equal((await ed.post('/admin/categories/new', { name: 'Again', slug: 'weather' })).status, 409);
        assert.equal((await ed.post('/admin/categories/new', { name: 'Bad', slug: 'Not a slug' })).status, 422);
        // rename: the slug made from the name follows it
        const form = formFields((await ed.get(`/admin/categories/${world.id}`)).body, 'term-form');
        assert.equal(form.slug, 'world');
        assert.equal((await ed.post(`/admin/categories/${world.id}`, { ...form, name: 'Planet' })).status, 303);
        assert.equal(category('planet').id, world.id);
        for (const [from, to] of [['/category/world/', '/category/planet/'],
            ['/category/world/feed/', '/category/planet/feed/'], ['/category/world/?x=1', '/category/planet/?x=1']]) {
            const r = await page(from);
            assert.equal(r.status, 301, from);
            assert.equal(r.headers.get('location'), to);
        }
        assert.equal((await page('/category/planet/')).status, 200);
        assert.ok(navOf((await page('/')).body).includes('Planet /category/planet/'), 'the menu follows');
        // a slug chosen by hand; both old addresses lead to it
        assert.equal((await ed.post(`/admin/categories/${world.id}`, { ...form, name: 'Planet', slug: 'earth' }))
            .status, 303);
        for (const from of ['/category/world/', '/category/planet/'])
            assert.equal((await page(from)).headers.get('location'), '/category/earth/');
        // no loops in the tree
        const cycle = await ed.post(`/admin/categories/${world.id}`, { do: 'save', name: 'Planet', slug: 'earth',
            parent: weather.id });
        assert.equal(cycle.status, 422);
        assert.match(cycle.body, /under itself/);
    });

    it('merges two terms and deletes one; a post left without a category gets the default one', async () => {
        const ed = await as('ed');
        const weather = category('weather'), earth = category('earth');
        const wPost = srv.postAdd(dataDir, { title: 'Rain again', slug: 'rain-again', date: '2026-01-09T09:00:00Z',
            author: 'ed', categories: ['Weather'], tags: ['Rain'] });
        assert.equal((await ed.post(`/admin/categories/${weather.id}`, { do: 'merge', into: earth.id })).status, 303);
        assert.deepEqual(srv.postShow(dataDir, wPost).categories, ['Planet']);
        assert.equal((await page('/category/weather/')).headers.get('location'), '/category/earth/');
        assert.equal(category('weather'), undefined);
        // delete Earth: the post only in it gets Uncategorized, the one also in Sport keeps Sport
        assert.equal((await ed.post(`/admin/categories/${earth.id}`, { do: 'delete' })).status, 303);
        assert.deepEqual(srv.postShow(dataDir, wPost).categories, ['Uncategorized']);
        assert.deepEqual(srv.postShow(dataDir, wPost).tags, ['Rain'], 'the tags stay');
        assert.deepEqual(srv.postShow(dataDir, ids.both).categories, ['Sport']);
        assert.equal((await page('/category/earth/')).status, 404);
        const def = category('uncategorized');
        const refused = await ed.post(`/admin/categories/${def.id}`, { do: 'delete' });
        assert.equal(refused.status, 409, 'the default category stays');
        // tags: add, rename (301), delete
        assert.equal((await ed.post('/admin/tags/new', { name: 'Harbour' })).status, 303);
        const boats = srv.cliJson(dataDir, ['tag', 'list', '--format=json']).find((t) => t.slug === 'boats');
        assert.equal((await ed.post(`/admin/tags/${boats.id}`, { do: 'save', name: 'Ships', slug: 'boats' })).status,
            303);
        assert.equal((await page('/tag/boats/')).headers.get('location'), '/tag/ships/');
        assert.equal((await page('/tag/ships/')).status, 200);
    });
});

describe('the header menu', () => {
    it('starts as Home and the categories, then is arranged from pages, categories and links', async () => {
        const ed = await as('ed');
        const first = navOf((await page('/')).body);
        assert.equal(first[0], 'Home /');
        assert.ok(first.includes('Sport /category/sport/'));
        assert.ok(!first.some((l) => l.startsWith('About')), 'pages only once arranged');
        assert.match((await ed.get('/admin/menus/')).body, /id="menu-default"/);
        assert.equal((await ed.post('/admin/menus/', { do: 'add_page', object: ids.about })).status, 303);
        let nav = navOf((await page('/')).body);
        assert.equal(nav.at(-1), 'About /about/', `the page at the end, the rest as before: ${nav}`);
        assert.equal(nav[0], 'Home /');
        const badLink = await ed.post('/admin/menus/', { do: 'add_custom', label: 'Evil', url: 'javascript:alert(1)' });
        assert.equal(badLink.status, 422);
        assert.equal((await ed.post('/admin/menus/', { do: 'add_custom', label: 'Shop', url: 'https://shop.example/' }))
            .status, 303);
        const screen = parse((await ed.get('/admin/menus/')).body);
        const item = (label) => screen.all('li.menu-item').find((li) => li.one('strong').cleanText === label);
        const idOf = (label) => item(label).one('input[name=item]').attr('value');
        const sport = idOf('Sport'), shop = idOf('Shop'), about = idOf('About');
        // Shop under Sport, About up one, Home renamed
        assert.equal((await ed.post('/admin/menus/', { do: 'save', item: shop, label: 'Shop', url: 'https://shop.example/',
            parent: sport })).status, 303);
        assert.equal((await ed.post('/admin/menus/', { do: 'up', item: about })).status, 303);
        assert.equal((await ed.post('/admin/menus/', { do: 'save', item: idOf('Home'), label: 'Front page', parent: '' }))
            .status, 303);
        const doc = parse((await page('/')).body);
        const top = doc.one('nav.site-nav > ul').elements.map((li) => li.one('a').cleanText);
        assert.equal(top[0], 'Front page');
        assert.equal(top.at(-2), 'About', 'moved up one');
        const sportLi = doc.one('nav.site-nav > ul').elements.find((li) => li.one('a').cleanText === 'Sport');
        assert.deepEqual(sportLi.all('ul.sub-menu a').map((a) => a.attr('href')), ['https://shop.example/']);
        const nested = await ed.post('/admin/menus/', { do: 'save', item: sport, label: '', parent: about });
        assert.equal(nested.status, 422, 'one level of sub-items');
        assert.equal((await ed.post('/admin/menus/', { do: 'remove', item: shop })).status, 303);
        assert.ok(!navOf((await page('/')).body).some((l) => l.startsWith('Shop')));
        assert.equal((await ed.post('/admin/menus/', { do: 'reset' })).status, 303);
        nav = navOf((await page('/')).body);
        assert.equal(nav[0], 'Home /');
        assert.ok(!nav.some((l) => l.startsWith('About')));
    });
});

describe('settings', () => {
    it('refuses a value with the allowed range on the screen and on the command line', async () => {
        const boss = await as('boss');
        const body = (await boss.get('/admin/settings/')).body;
        const doc = parse(body);
        assert.ok(doc.all('.settings-section .help').length >= 20, 'every setting has a help line');
        const discussion = formFields(body, 'settings-form-3');
        const r = await boss.post('/admin/settings/', { ...discussion, thread_depth: 500 });
        assert.equal(r.status, 422);
        assert.match(r.body, /id="error-thread_depth">Enter a whole number from 1 to 100\./);
        assert.match(r.body, /name="thread_depth" id="thread_depth" value="500"/, 'the typed value is shown again');
        const cli = srv.cli(dataDir, ['setting', 'set', 'thread_depth', '500'], { allowFail: true });
        assert.equal(cli.status, 1);
        assert.equal(cli.stderr.trim(), 'gazette setting set: thread_depth: Enter a whole number from 1 to 100.');
        const choice = srv.cli(dataDir, ['setting', 'set', 'default_comments_page', 'middle'], { allowFail: true });
        assert.match(choice.stderr, /one of: newest, oldest/);
        const described = srv.cli(dataDir, ['setting', 'list', '--describe']).stdout;
        for (const s of ['# Site', '# Reading', '# Discussion', '# Permalinks', '# Time', '# HTTP (caching and limits)'])
            assert.ok(described.includes(s), s);
        assert.match(described, /cache_control=.*\n {4}Cache-Control of public pages/);
    });
});

describe('login throttling', () => {
    it('refuses the attacker, slows strangers down, and lets the editor in with the device cookie', async () => {
        // the editor logged in from this browser before: it holds a device cookie
        const first = await loginFrom(server.url, '127.0.0.1', 'vic');
        assert.equal(first.status, 303);
        const device = first.cookies.gazette_device;
        assert.match(device, /^vic:[0-9a-f]{32}:[0-9a-f]{64}$/);
        assert.match(first.headers['set-cookie'].find((c) => c.startsWith('gazette_device=')), /HttpOnly/);
        // guesses from three addresses: none reaches the per-IP limit, the account's is reached; each
        // is sent again once the growing delay has passed, until a stranger must wait 8 s (long
        // enough for the requests below on a busy machine)
        for (let failed = 0, tries = 0; failed < 7 && tries < 20; tries++) {
            const r = await loginFrom(server.url, `127.0.0.${2 + (failed % 3)}`, 'vic', `guess-${failed}`);
            assert.ok([403, 429].includes(r.status), `guess ${failed}: ${r.status}`);
            if (r.status === 403)
                failed++;
            else
                await new Promise((done) => setTimeout(done, Number(r.headers['retry-after']) * 1000 + 100));
        }
        const attacker = await loginFrom(server.url, '127.0.0.5', 'vic');
        assert.equal(attacker.status, 429, 'the right password from a stranger waits');
        assert.match(attacker.body, /Too many failed login attempts/);
        assert.ok(Number(attacker.headers['retry-after']) >= 6, attacker.headers['retry-after']);
        assert.equal(attacker.cookies.gazette_session, undefined);
        const fresh = await loginFrom(server.url, '127.0.0.1', 'vic');
        assert.equal(fresh.status, 429, 'a browser that never logged in waits too');
        const editor = await loginFrom(server.url, '127.0.0.1', 'vic', undefined, `gazette_device=${device}`);
        assert.equal(editor.status, 303, 'the editor gets in during the attack');
        assert.match(editor.cookies.gazette_session, /^[0-9a-f]{64}$/);
        const forged = device.slice(0, -1) + (device.endsWith('0') ? '1' : '0');
        assert.equal((await loginFrom(server.url, '127.0.0.1', 'vic', undefined, `gazette_device=${forged}`)).status,
            429, 'a forged device cookie is a stranger');
        assert.equal((await loginFrom(server.url, '127.0.0.1', 'ed', undefined, `gazette_device=${device}`)).status,
            303, 'another account logs in as usual');
        // the delay grows with each guess that gets through
        const wait1 = Number(attacker.headers['retry-after']);
        await new Promise((r) => setTimeout(r, wait1 * 1000 + 200));
        assert.equal((await loginFrom(server.url, '127.0.0.6', 'vic', 'guess-late')).status, 403);
        const later = await loginFrom(server.url, '127.0.0.7', 'vic');
        assert.equal(later.status, 429);
        assert.ok(Number(later.headers['retry-after']) > wait1, `${later.headers['retry-after']} > ${wait1}`);
        // the per-IP limit still holds for strangers
        for (let i = 0; i < 5; i++)
            await loginFrom(server.url, '127.0.0.8', `nobody${i}`, 'x');
        assert.equal((await loginFrom(server.url, '127.0.0.8', 'ed')).status, 429, 'the address is limited');
        const mine = await loginFrom(server.url, '127.0.0.8', 'vic', undefined, `gazette_device=${editor.cookies.gazette_device}`);
        assert.equal(mine.status, 303, 'the editor\'s own browser passes that one too');
    });
});

describe('site_url and the address requests arrive at', () => {
    it('follows the listen address until set, and warns once when requests come for another host', async () => {
        assert.equal(srv.cli(dataDir, ['setting', 'get', 'site_url']).stdout.trim(), server.url);
        const feed = await page('/feed/');
        assert.match(feed.body, new RegExp(`<link>${server.url}/</link>`));
        const { port } = new URL(server.url);
        const ask = () => new Promise((resolve, reject) => {
            const sock = net.connect(Number(port), '127.0.0.1', () =>
                sock.write('GET / HTTP/1.1\r\nHost: news.example.org\r\nConnection: close\r\n\r\n'));
            sock.on('data', () => {});
            sock.on('error', reject);
            sock.on('close', resolve);
        });
        await ask();
        await ask();
        const warnings = server.output().stderr.split('\n').filter((l) => /warning: requests arrive at/.test(l));
        assert.equal(warnings.length, 1, server.output().stderr);
        assert.match(warnings[0], /http:\/\/news\.example\.org but site_url is http:\/\/127\.0\.0\.1:\d+/);
    });
});

describe('the comment form refused', () => {
    it('answers at #respond with a summary and the first invalid field focused', async () => {
        const r = await srv.postForm(`${server.url}/comment/`, { comment_post_ID: ids.world, comment_parent: 0,
            comment: 'Typed text', author: '', email: 'not-an-email' });
        assert.equal(r.status, 422);
        const doc = parse(r.body);
        assert.equal(doc.one('#commentform').attr('action'), '/comment/#respond');
        const summary = doc.one('#comment-errors');
        assert.ok(summary && summary.attr('role') === 'alert');
        assert.deepEqual(summary.all('a').map((a) => a.attr('href')), ['#author', '#email']);
        assert.ok(doc.one('#author').has('autofocus'), 'the first invalid field is focused');
        assert.ok(!doc.one('#email').has('autofocus'));
        assert.ok(!doc.one('#comment').has('autofocus'));
        // a browser skips autofocus while #respond names an element
        assert.equal(doc.one('#respond'), null);
        assert.ok(doc.one('section.comment-respond'));
        const css = fs.readFileSync(path.join(srv.ROOT, 'themes/default/style.css'), 'utf8');
        assert.match(css, /\.comment-form input\[aria-invalid="true"\]/, 'Name and Email get the invalid style');
    });
});

describe('the command line', () => {
    it('schedules a post with a future date, refuses what makes no sense, and names each command', () => {
        const dir = srv.newDataDir();
        const future = srv.cli(dir, ['post', 'add', '--title', 'Later', '--date', '2099-01-01T00:00:00Z'],
            { input: 'Body.' });
        assert.equal(srv.postShow(dir, srv.idFrom(future.stdout)).status, 'scheduled');
        const noDate = srv.cli(dir, ['post', 'add', '--title', 'When?', '--status', 'scheduled'],
            { input: 'Body.', allowFail: true });
        assert.equal(noDate.status, 2);
        assert.equal(noDate.stderr.trim(), 'gazette post add: --status scheduled needs a --date in the future');
        const empty = srv.cli(dir, ['post', 'add', '--title', 'Empty'], { input: '\n', allowFail: true });
        assert.equal(empty.status, 1);
        assert.match(empty.stderr, /^gazette post add: the body is empty/);
        assert.equal(srv.cli(dir, ['post', 'add', '--title', 'Empty', '--allow-empty'], { input: '' }).status, 0);
        const long = srv.cli(dir, ['post', 'add', '--title', 'x'.repeat(1001)], { input: 'b', allowFail: true });
        assert.match(long.stderr, /^gazette post add: the title is too long \(at most 1000 bytes\)/);
        const help = srv.cli(dir, ['help']).stdout;
        for (const c of ['serve', 'post', 'setting', 'category', 'tag', 'help'])
            assert.match(help, new RegExp(`^  ${c} `, 'm'));
        assert.match(srv.cli(dir, ['help', 'post']).stdout, /--allow-empty/);
        assert.equal(srv.cli(dir, ['help', 'nothing'], { allowFail: true }).status, 2);
        srv.postAdd(dir, { title: 'Tagged', tags: ['Rain'], categories: ['Weather'] });
        assert.match(srv.cli(dir, ['tag', 'list']).stdout, /^ID +SLUG +PARENT +POSTS +NAME\n\d+ +rain +0 +1 +Rain\n/);
        assert.match(srv.cli(dir, ['category', 'list']).stdout, /^ID +SLUG +PARENT +POSTS +NAME\n/);
        const badStatus = srv.cli(dir, ['comment', 'approve', '999'], { allowFail: true });
        assert.match(badStatus.stderr, /^gazette comment approve: /);
    });
});
