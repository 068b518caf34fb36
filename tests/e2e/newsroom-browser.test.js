// The newsroom's screens in headless Chromium: every screen, for every role, at 375 px, checked
// by axe-core (injected into the page) and without horizontal scrolling; the refused ones answer
// 403. Then what an editor does by clicking (add an account, rename a category, arrange the menu,
// save settings and a profile), the editor getting in with the device cookie while the account is
// under attack, and the refused comment form landing on its first invalid field.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { Newsroom, PASSWORD, loginFrom } = require('./lib/admin');
const chromium = require('./lib/browser');

const AXE = require('axe-core').source;

let dataDir;
let server;
let browser;
const ids = {};

before(async () => {
    dataDir = srv.newDataDir();
    srv.settingSet(dataDir, 'comment_flood_seconds', 0);
    for (const [login, role] of [['boss', 'administrator'], ['ed', 'editor'], ['ann', 'author'], ['cid', 'contributor'],
        ['vic', 'editor']])
        ids[login] = srv.userAdd(dataDir, { login, name: `${login[0].toUpperCase()}${login.slice(1)} Person`, role });
    ids.world = srv.postAdd(dataDir, { title: 'World story', slug: 'world-story', date: '2026-01-05T09:00:00Z',
        author: 'ed', categories: ['World'], tags: ['Boats'] });
    ids.annPost = srv.postAdd(dataDir, { title: 'Ann writes', date: '2026-01-06T09:00:00Z', author: 'ann',
        categories: ['Sport'] });
    ids.cidDraft = srv.postAdd(dataDir, { title: 'Cid draft', status: 'draft', author: 'cid' });
    ids.sched = srv.postAdd(dataDir, { title: 'Future story', date: '2099-03-01T10:30:00Z', author: 'ed' });
    ids.about = srv.postAdd(dataDir, { title: 'About', slug: 'about', type: 'page', date: '2026-01-01T00:00:00Z',
        author: 'boss' });
    ids.held = srv.commentAdd(dataDir, { post: ids.world, author: 'Held Reader', email: 'held@readers.example',
        status: 'pending', body: 'Waiting for a moderator.' });
    server = await srv.startServer({ dataDir });
    // a revision to compare on the revisions screen
    const ed = await new Newsroom(server.url).login('ed');
    const e = await ed.editor(ids.world);
    await ed.save({ id: ids.world, version: e.version, title: 'World story', content: 'Changed once.',
        status: 'published', categories: 'World', tags: 'Boats' });
    browser = await chromium.launch();
});

after(async () => {
    if (browser)
        await browser.close();
    if (server)
        await server.stop();
});

// axe-core's violations on the page (every rule it runs by default), as "rule: target" lines.
async function axe(page) {
    if (!(await page.evaluate(() => typeof window.axe === 'object')))
        await page.evaluate(AXE);
    const found = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    return found;
}

it('every newsroom screen, for every role, passes axe-core at 375 px; refused ones answer 403', async () => {
    const cat = srv.cliJson(dataDir, ['category', 'list', '--format=json'])[0].id;
    const all = ['boss', 'ed', 'ann', 'cid'], editors = ['boss', 'ed'], admins = ['boss'];
    const screens = [
        ['/admin/', all], ['/admin/profile', all], ['/admin/posts/', all], ['/admin/post/new', all],
        [`/admin/post/${ids.world}`, editors], [`/admin/post/${ids.world}/revisions`, editors],
        ['/admin/pages/', editors], ['/admin/comments/', editors], [`/admin/comments/${ids.held}`, editors],
        ['/admin/users/', admins], [`/admin/users/${ids.ann}`, admins], ['/admin/categories/', editors],
        [`/admin/categories/${cat}`, editors], ['/admin/tags/', editors], ['/admin/menus/', editors],
        ['/admin/settings/', admins],
    ];
    const problems = [];
    for (const role of all) {
        const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
        const page = await context.newPage();
        page.on('pageerror', (e) => problems.push(`${role}: ${e}`));
        await page.goto(`${server.url}/admin/login`);
        if (role === 'boss')
            problems.push(...(await axe(page)).map((v) => `login: ${v}`));
        await chromium.login(page, server.url, role);
        for (const [p, allowed] of screens) {
            const r = await page.goto(server.url + p);
            if (!allowed.includes(role)) {
                assert.equal(r.status(), 403, `${role} ${p}`);
                assert.match(await page.locator('#admin-error').innerText(), /not allowed/);
                continue;
            }
            assert.equal(r.status(), 200, `${role} ${p}`);
            const wide = await page.evaluate(() => document.documentElement.scrollWidth);
            if (wide > 376)
                problems.push(`${role} ${p}: ${wide} px wide at 375`);
            // every screen for the administrator; what differs by role for the others
            if (role === 'boss' || ['/admin/', '/admin/posts/', '/admin/post/new'].includes(p))
                problems.push(...(await axe(page)).map((v) => `${role} ${p}: ${v}`));
        }
        await context.close();
    }
    assert.deepEqual(problems, []);
});

it('adds an account, renames a category, arranges the menu, saves settings and a profile by clicking', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    // failed loads are told by their answers (the refused settings form below answers 422, and a
    // site without an icon has no /favicon.ico)
    page.on('console', (m) => m.type() === 'error' && !/^Failed to load resource/.test(m.text()) &&
        errors.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && !(r.status() === 422 && /\/admin\/settings\/$/.test(r.url())) &&
        !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`));
    await chromium.login(page, server.url, 'boss');
    // an account
    await page.click('a[href="/admin/users/"]');
    await page.fill('#new-login', 'rita');
    await page.fill('#new-name', 'Rita Reporter');
    await page.selectOption('#new-role', 'author');
    await page.fill('#new-password', 'rita-password-1');
    await Promise.all([page.waitForURL(/\/admin\/users\/\d+\?msg=added$/), page.click('#add-user-button')]);
    assert.equal(await page.inputValue('#u-name'), 'Rita Reporter');
    await new Newsroom(server.url).login('rita', 'rita-password-1');
    // a category renamed: its old address leads to the new one
    await page.click('a[href="/admin/categories/"]');
    await page.click('#term-' + srv.cliJson(dataDir, ['category', 'list', '--format=json'])
        .find((c) => c.slug === 'world').id + ' a.row-title');
    await page.fill('#t-name', 'Globe');
    await Promise.all([page.waitForURL(/msg=saved$/), page.click('#save-term')]);
    const reader = await (await browser.newContext()).newPage();
    await reader.goto(`${server.url}/category/world/`);
    assert.equal(new URL(reader.url()).pathname, '/category/globe/');
    // the menu: arranged, the About page added and moved up
    await page.click('a[href="/admin/menus/"]');
    await Promise.all([page.waitForURL(/msg=menu$/), page.click('#start-menu')]);
    await page.selectOption('#add-page-object', String(ids.about));
    await Promise.all([page.waitForURL(/msg=menu$/), page.click('#add-page button')]);
    await Promise.all([page.waitForURL(/msg=menu$/),
        page.click('button[aria-label="Move About up"]')]);
    await reader.goto(`${server.url}/`);
    const nav = await reader.locator('nav.site-nav > ul > li > a').allInnerTexts();
    assert.equal(nav.map((t) => t.toLowerCase()).join(','), 'home,globe,about,sport');
    await reader.click('nav.site-nav a[href="/about/"]');
    assert.equal(new URL(reader.url()).pathname, '/about/');
    // settings: a value refused with its range, then saved
    await page.click('a[href="/admin/settings/"]');
    await page.fill('#posts_per_page', '0');
    await page.evaluate(() => { document.getElementById('settings-form-2').noValidate = true; });
    await page.click('#save-settings-2');
    assert.equal(await page.locator('#error-posts_per_page').innerText(), 'Enter a whole number from 1 to 1000.');
    await page.fill('#posts_per_page', '5');
    await Promise.all([page.waitForURL(/msg=settings#section-2$/), page.click('#save-settings-2')]);
    assert.equal(srv.cli(dataDir, ['setting', 'get', 'posts_per_page']).stdout.trim(), '5');
    // the profile: the bio shows on the author archive
    await page.click('a[href="/admin/profile"]');
    await page.fill('#p-bio', 'Runs the site.');
    await Promise.all([page.waitForURL(/msg=profile$/), page.click('#save-profile')]);
    srv.postAdd(dataDir, { title: 'By the boss', author: 'boss', date: '2026-01-07T09:00:00Z' });
    await reader.goto(`${server.url}/author/boss/`);
    assert.equal(await reader.locator('.archive-description').innerText(), 'Runs the site.');
    assert.deepEqual(errors, []);
    await reader.context().close();
    await context.close();
});

it('lets the editor in from their own browser while the account is under attack', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await chromium.login(page, server.url, 'vic'); // this browser now holds vic's device cookie
    await page.click('.admin-logout button');
    assert.equal(new URL(page.url()).pathname, '/admin/login');
    // a stranger's browser, ready to try the right password during the attack
    const stranger = await (await browser.newContext()).newPage();
    await stranger.goto(`${server.url}/admin/login`);
    await stranger.fill('#user_login', 'vic');
    await stranger.fill('#user_pass', PASSWORD);
    // guesses from several addresses, each sent again once the account's growing delay has passed,
    // until a stranger must wait 16 s: long enough for the click below on a busy machine
    for (let failed = 0, tries = 0; failed < 8 && tries < 20; tries++) {
        const r = await loginFrom(server.url, `127.0.0.${2 + failed}`, 'vic', `guess-${failed}`);
        assert.ok([403, 429].includes(r.status), `guess ${failed}: ${r.status}`);
        if (r.status === 403)
            failed++;
        else
            await new Promise((done) => setTimeout(done, Number(r.headers['retry-after']) * 1000 + 100));
    }
    const probe = await loginFrom(server.url, '127.0.0.20', 'vic');
    assert.equal(probe.status, 429, 'the attacker is refused, the right password too');
    const wait = Number(probe.headers['retry-after']);
    assert.ok(wait >= 10, `a stranger waits ${wait} s (16 less the time the probe took)`);
    await stranger.click('#wp-submit');
    assert.match(await stranger.locator('p.error').innerText(), /Too many failed login attempts/);
    await stranger.context().close();
    await page.fill('#user_login', 'vic');
    await page.fill('#user_pass', PASSWORD);
    await Promise.all([page.waitForURL(/\/admin\/$/), page.click('#wp-submit')]);
    assert.match(await page.locator('.admin-me').innerText(), /Vic Person/);
    await context.close();
});

it('answers a refused comment at the form, with the first invalid field focused and marked', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/2026/01/06/ann-writes/`);
    await page.fill('#comment', 'A reader writes.');
    await page.fill('#author', 'Reader');
    await page.fill('#email', 'not-an-email');
    // as a browser that does not check the fields itself would send it
    await page.evaluate(() => { document.getElementById('commentform').noValidate = true; });
    await Promise.all([page.waitForLoadState('load'), page.click('#commentform .submit')]);
    assert.equal(new URL(page.url()).hash, '#respond');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'email');
    assert.match(await page.locator('#comment-errors').innerText(), /Email: Please enter a valid email address/);
    const border = await page.evaluate(() => getComputedStyle(document.getElementById('email')).borderTopColor);
    assert.equal(border, 'rgb(163, 18, 30)', 'the invalid style');
    const top = await page.evaluate(() => document.querySelector('.comment-respond').getBoundingClientRect().top);
    assert.ok(top < 800 && top > -2000, 'the form is in view');
    await page.context().close();
});
