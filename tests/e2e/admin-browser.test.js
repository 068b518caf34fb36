// The newsroom in headless Chromium: log in, write and schedule a post, publish another, approve a
// held comment, then see all of it on the public site (the scheduled post only once its time has
// come). The pages break none of their Content-Security-Policy and log no errors.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { PASSWORD } = require('./lib/admin');
const chromium = require('./lib/browser');


let dataDir;
let server;
let browser;
let heldId;

before(async () => {
    dataDir = srv.newDataDir();
    srv.settingSet(dataDir, 'site_title', 'The Browser Bulletin');
    srv.userAdd(dataDir, { login: 'chief', name: 'Chief Editor', role: 'editor' });
    const post = srv.postAdd(dataDir, { title: 'Harbour reopens', slug: 'harbour-reopens', status: 'published',
        date: '2026-02-01T08:00:00Z', author: 'chief', body: 'The harbour is open again.\n' });
    heldId = srv.commentAdd(dataDir, { post, author: 'First Timer', email: 'first@readers.example',
        status: 'pending', body: 'Glad to see the boats back.' });
    server = await srv.startServer({ dataDir });
    browser = await chromium.launch();
});

after(async () => {
    if (browser)
        await browser.close();
    if (server)
        await server.stop();
});

it('logs in, schedules a post, publishes another, approves a comment, and the site shows them', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => {
        if (m.type() === 'error' && !/^Failed to load resource/.test(m.text()))
            problems.push(m.text());
    });
    // Failed loads are judged by their address: only the browser's own favicon probe may be missing.
    page.on('response', (r) => {
        if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico')
            problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(String(e)));

    await page.goto(`${server.url}/admin/`);
    assert.equal(new URL(page.url()).pathname, '/admin/login', 'sent to the login page');
    await page.fill('#user_login', 'chief');
    await page.fill('#user_pass', PASSWORD);
    await Promise.all([page.waitForURL(/\/admin\/$/), page.click('#wp-submit')]);
    assert.match(await page.locator('.admin-me').innerText(), /Chief Editor/);

    // 1. a post scheduled a few seconds ahead
    const when = new Date(Date.now() + 12000);
    const stamp = when.toISOString();
    await page.click('a[href="/admin/post/new"]');
    await page.fill('#title', 'Tide tables for the weekend');
    await page.fill('#content', 'High water at **noon**.');
    await page.fill('#categories', 'Harbour');
    await page.selectOption('#status', 'published');
    await page.fill('#date', stamp.slice(0, 10));
    await page.fill('#time', stamp.slice(11, 19));
    await Promise.all([page.waitForURL(/\/admin\/post\/\d+\?msg=saved$/), page.click('#save-button')]);
    assert.equal(await page.locator('#post-status').innerText(), 'Scheduled');
    const schedPath = `/${stamp.slice(0, 4)}/${stamp.slice(5, 7)}/${stamp.slice(8, 10)}/tide-tables-for-the-weekend/`;
    const early = await srv.get(server.url + schedPath);
    assert.ok(Date.now() < when.getTime(), 'the test reached this point before the publish time');
    assert.equal(early.status, 404, 'not on the site before its time');

    // 2. a post published now, previewed first
    await page.click('a[href="/admin/post/new"]');
    await page.fill('#title', 'Ferry timetable changes');
    await page.fill('#content', 'The ferry now leaves at *nine*.');
    await page.click('#preview-button');
    assert.equal(await page.locator('.preview-body em').innerText(), 'nine');
    await page.selectOption('#status', 'published');
    await Promise.all([page.waitForURL(/\/admin\/post\/\d+\?msg=saved$/), page.click('#save-button')]);
    assert.equal(await page.locator('#post-status').innerText(), 'Published');
    await page.screenshot({ path: chromium.shotPath('admin-editor'), fullPage: true });

    // 3. approve the held comment from the queue
    await page.click('a[href="/admin/comments/"]');
    const row = page.locator(`#comment-${heldId}`);
    assert.match(await row.innerText(), /first@readers\.example/);
    await Promise.all([page.waitForURL(/msg=done/), row.locator('button[value^="approve:"]').click()]);
    assert.equal(await page.locator(`#comment-${heldId}`).count(), 0, 'gone from the pending queue');
    await page.screenshot({ path: chromium.shotPath('admin-comments'), fullPage: true });

    // 4. the public site, as a visitor in a fresh context
    const reader = await (await browser.newContext()).newPage();
    await reader.goto(server.url + '/');
    const home = await reader.locator('main').innerText();
    assert.ok(home.includes('Ferry timetable changes'), 'the published post is on the home page');
    if (Date.now() < when.getTime() - 500)
        assert.ok(!home.includes('Tide tables for the weekend'), 'the scheduled post is not, yet');
    await reader.goto(server.url + '/2026/02/01/harbour-reopens/');
    assert.ok((await reader.locator(`#comment-${heldId}`).innerText()).includes('Glad to see the boats back.'));
    const wait = when.getTime() - Date.now() + 2500;
    if (wait > 0)
        await new Promise((r) => setTimeout(r, wait));
    // The home page may be kept a minute (Cache-Control max-age=60): the reader reloads it.
    await reader.goto(server.url + '/');
    await reader.reload();
    assert.ok((await reader.locator('main').innerText()).includes('Tide tables for the weekend'),
        'the scheduled post appears once its time has come');
    const art = await reader.goto(server.url + schedPath);
    assert.equal(art.status(), 200);
    assert.ok((await reader.locator('main').innerText()).includes('High water at noon.'));
    await reader.context().close();

    assert.deepEqual(problems, [], 'no console errors or CSP violations in the newsroom');
    await context.close();
});
