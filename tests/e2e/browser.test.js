// The reply flow in headless Chromium: click a comment's Reply link, fill the form, submit, and
// after the redirect see the reply threaded under its parent (a known commenter) or the
// moderation notice (a new one). Also: no horizontal scroll on a 375 px phone, the honeypot is
// not visible, and the page breaks none of its own Content-Security-Policy.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const srv = require('./lib/server');
const { seedSite } = require('./lib/site');
const { shotPath } = require('./lib/browser');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let site;
let server;
let browser;

before(async () => {
    site = seedSite();
    server = await srv.startServer({ dataDir: site.dataDir });
    const { chromium } = require('playwright-core');
    assert.ok(fs.existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
            '--no-first-run'] });
});

after(async () => {
    try {
        if (browser)
            await browser.close();
    } finally {
        if (server)
            await server.stop();
    }
});

// A page that records console errors and CSP violations.
async function openPage(options = {}) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.problems = [];
    // Failed loads are judged by the responses below (a 404 page's own status, or the browser's
    // own /favicon.ico probe, are no fault of the page).
    page.on('console', (m) => {
        if (m.type() === 'error' && !/^Failed to load resource/.test(m.text()))
            page.problems.push(m.text());
    });
    page.on('response', (r) => {
        const u = new URL(r.url());
        if (r.status() >= 400 && r.request().resourceType() !== 'document' && u.pathname !== '/favicon.ico')
            page.problems.push(`${r.status()} for ${u.pathname}`);
    });
    page.on('pageerror', (e) => page.problems.push(String(e)));
    return page;
}

// Not shown to a sighted reader: not rendered, transparent, clipped, tiny, or placed off the page.
async function hiddenFromSight(page, selector) {
    if (!(await page.locator(selector).isVisible()))
        return true;
    return page.$eval(selector, (el) => {
        const r = el.getBoundingClientRect();
        const cs = getComputedStyle(el);
        const doc = document.documentElement;
        const left = r.left + window.scrollX;
        const top = r.top + window.scrollY;
        return cs.opacity === '0' || r.width <= 1 || r.height <= 1 || left + r.width <= 0 || top + r.height <= 0 ||
            left >= doc.scrollWidth || top >= doc.scrollHeight ||
            /rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(cs.clip) ||
            /inset\(50%\)/.test(cs.clipPath);
    });
}

async function replyThrough(page, parentId, who, text) {
    const s23 = site.stories[22];
    await page.goto(server.url + s23.path);
    await page.click(`#comment-${parentId} > article a.comment-reply-link`);
    await page.waitForURL((u) => u.searchParams.get('replytocom') === String(parentId));
    assert.equal(await page.inputValue('form#commentform [name=comment_parent]'), String(parentId));
    assert.ok(await hiddenFromSight(page, 'form#commentform [name=gz_hp]'), 'the honeypot is hidden by CSS');
    await page.fill('form#commentform [name=comment]', text);
    await page.fill('form#commentform [name=author]', who.author);
    await page.fill('form#commentform [name=email]', who.email);
    await Promise.all([
        page.waitForURL((u) => u.pathname === s23.path && u.searchParams.get('replytocom') === null),
        page.click('form#commentform [type=submit]'),
    ]);
    return new URL(page.url());
}

it('a known commenter replies through the Reply link and sees the reply under its parent', async () => {
    const page = await openPage({ viewport: { width: 1280, height: 900 } });
    const parent = site.comments.alice;
    const text = 'Replying from a real browser.';
    const u = await replyThrough(page, parent, { author: 'Bob Replier', email: 'bob@readers.example' }, text);
    const m = /^#comment-(\d+)$/.exec(u.hash);
    assert.ok(m, `redirected to #comment-ID: ${u}`);
    const reply = page.locator(`#comment-${parent} > ol.children > #comment-${m[1]}`);
    assert.equal(await reply.count(), 1, 'the new reply is a child of its parent');
    assert.ok((await reply.innerText()).includes(text));
    assert.ok(await reply.isVisible());
    await page.screenshot({ path: shotPath('reply-desktop'), fullPage: true });
    assert.deepEqual(page.problems, [], 'no console errors or CSP violations');
    await page.context().close();
});

it('a new commenter\'s reply is held and the page says it awaits moderation', async () => {
    const page = await openPage({ viewport: { width: 1280, height: 900 } });
    const text = 'A first comment from a stranger, in the browser.';
    const u = await replyThrough(page, site.comments.mallory, { author: 'Browser Stranger',
        email: 'stranger@readers.example' }, text);
    assert.equal(u.search, '?moderation=1');
    assert.equal(u.hash, '#respond');
    assert.ok((await page.locator('main').innerText()).includes('Your comment is awaiting moderation.'));
    assert.ok(!(await page.locator('ol.comment-list').innerText()).includes(text), 'not shown before approval');
    assert.deepEqual(page.problems, [], 'no console errors or CSP violations');
    await page.context().close();
});

it('fits a 375 px wide phone screen without horizontal scrolling', async () => {
    const page = await openPage({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 1, isMobile: true,
        hasTouch: true });
    for (const [name, p] of [['thread', site.stories[22].path], ['rich', site.stories[4].path], ['home', '/'],
        ['404', '/no/such/thing/']]) {
        await page.goto(server.url + p);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        await page.screenshot({ path: shotPath(`${name}-375`), fullPage: true });
        assert.ok(width <= 375, `${p}: scrollWidth ${width} > 375`);
    }
    assert.deepEqual(page.problems, [], 'no console errors or CSP violations');
    await page.context().close();
});
