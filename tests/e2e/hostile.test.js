// What an author may publish: every hostile body of tests/fuzz/corpus/sanitize (HTML, and Markdown
// for the .md files) is saved by an author over HTTP, published, and opened in Chromium with the
// Content-Security-Policy header taken off the answers, so that only the HTML filter stands
// between the body and the reader. No script may run (no dialog, no navigation away, no marker set)
// and the article's DOM may hold no script, no event handler attribute and no URL of another scheme
// than http, https or mailto (data:image/ in images). An editor may post any HTML, but link and
// image URLs are filtered for every role: the same bodies saved by an editor keep no javascript:.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { Newsroom, savedId } = require('./lib/admin');
const { parse } = require('./lib/html');
const chromium = require('./lib/browser');

const CORPUS = path.join(srv.ROOT, 'tests', 'fuzz', 'corpus', 'sanitize');

let dataDir;
let server;
let browser;

const bodies = fs.readdirSync(CORPUS).sort().map((name) => ({
    name,
    format: name.endsWith('.md') ? 'markdown' : 'html',
    // a NUL cannot travel in a form field: the browser would send U+FFFD
    content: fs.readFileSync(path.join(CORPUS, name), 'utf8').replace(/\0/g, '\ufffd'),
}));

before(async () => {
    dataDir = srv.newDataDir();
    srv.userAdd(dataDir, { login: 'ann', name: 'Ann Author', role: 'author' });
    srv.userAdd(dataDir, { login: 'ed', name: 'Ed Editor', role: 'editor' });
    server = await srv.startServer({ dataDir });
    browser = await chromium.launch();
});

after(async () => {
    if (browser)
        await browser.close();
    if (server)
        await server.stop();
});

// Saves every body as login, published; returns [{name, path}].
async function publishAll(login, prefix) {
    const n = await new Newsroom(server.url).login(login);
    const out = [];
    for (const b of bodies) {
        const slug = `${prefix}-${b.name.replace(/\.\w+$/, '')}`;
        const r = await n.save({ title: `${prefix} ${b.name}`, slug, content: b.content, format: b.format,
            status: 'published', date: '2026-01-02', time: '10:00:00' });
        savedId(r);
        out.push({ name: b.name, path: `/2026/01/02/${slug}/` });
    }
    return out;
}

// In the page: every element of the article with what could run or lead away.
function inspect() {
    const bad = [];
    const content = document.querySelector('.entry-content');
    if (!content)
        return ['no .entry-content'];
    const urlAttrs = ['href', 'src', 'srcset', 'action', 'formaction', 'poster', 'data', 'cite', 'background',
        'xlink:href', 'ping', 'longdesc', 'codebase', 'dynsrc', 'lowsrc'];
    const allowed = (v, image) => {
        const s = v.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        const m = /^([a-z][a-z0-9+.-]*):/.exec(s);
        if (!m)
            return true;
        return ['http', 'https', 'mailto'].includes(m[1]) || (image && s.startsWith('data:image/'));
    };
    for (const el of content.querySelectorAll('*')) {
        const tag = el.localName;
        if (['script', 'iframe', 'object', 'embed', 'frame', 'base', 'meta', 'link', 'style', 'form', 'svg', 'math',
            'template', 'applet'].includes(tag))
            bad.push(`<${tag}>`);
        for (const a of el.attributes) {
            if (a.name.startsWith('on'))
                bad.push(`${tag} ${a.name}`);
            if (a.name === 'style')
                bad.push(`${tag} style`);
            if (urlAttrs.includes(a.name)) {
                const image = tag === 'img' && (a.name === 'src' || a.name === 'srcset');
                const values = a.name === 'srcset' ? a.value.split(',').map((c) => c.trim().split(/\s+/)[0]) : [a.value];
                for (const v of values)
                    if (!allowed(v, image))
                        bad.push(`${tag} ${a.name}=${a.value}`);
            }
        }
    }
    return bad;
}

// Opens each article, in a page of its own, with the CSP taken off; returns the problems seen.
async function visit(articles) {
    const problems = [];
    const context = await browser.newContext();
    let current = '?';
    await context.route('**/*', async (route) => {
        if (!route.request().url().startsWith(server.url)) {
            problems.push(`${current}: a request to ${route.request().url()}`);
            await route.abort();
            return;
        }
        const res = await route.fetch({ maxRedirects: 0 });
        const headers = { ...res.headers() };
        delete headers['content-security-policy'];
        await route.fulfill({ response: res, headers });
    });
    await context.addInitScript(() => {
        window.__ran = [];
        for (const f of ['alert', 'confirm', 'prompt', 'print'])
            window[f] = () => window.__ran.push(f);
    });
    for (const a of articles) {
        current = a.name;
        const page = await context.newPage();
        page.on('dialog', (d) => {
            problems.push(`${a.name}: a dialog "${d.message()}"`);
            d.dismiss().catch(() => {});
        });
        page.on('framenavigated', (f) => {
            if (f === page.mainFrame() && f.url() !== 'about:blank' && !f.url().endsWith(a.path))
                problems.push(`${a.name}: navigated to ${f.url()}`);
        });
        try {
            const r = await page.goto(server.url + a.path, { waitUntil: 'load' });
            assert.equal(r.status(), 200, `${a.name} is published at ${a.path}`);
            assert.equal(r.headers()['content-security-policy'], undefined, 'the CSP is off for this test');
            await page.waitForTimeout(50); // timers and errors of the page
            // hover everything that could carry a handler
            for (const el of await page.$$('.entry-content *'))
                await el.hover({ timeout: 200, force: true }).catch(() => {});
            const ran = await page.evaluate(() => window.__ran);
            if (ran.length)
                problems.push(`${a.name}: ran ${ran.join(', ')}`);
            for (const b of await page.evaluate(inspect))
                problems.push(`${a.name}: ${b}`);
        } catch (e) { // the page went away under the test: something took it elsewhere
            problems.push(`${a.name}: ${e.message.split('\n')[0]}`);
        }
        await page.close();
    }
    await context.close();
    return problems;
}

it('an author\'s hostile bodies run nothing and keep no script, handler or dangerous URL', async () => {
    assert.ok(bodies.length >= 50, `the corpus holds ${bodies.length} bodies`);
    assert.ok(bodies.some((b) => b.format === 'markdown') && bodies.some((b) => b.format === 'html'));
    const articles = await publishAll('ann', 'a');
    const problems = await visit(articles);
    assert.deepEqual(problems, []);
    // the filter said what it took, in the preview
    const n = await new Newsroom(server.url).login('ann');
    const pv = await n.save({ title: 'p', content: '<p onclick="x()">t</p><script>alert(1)</script>', format: 'html',
        do: 'preview' });
    assert.equal(pv.status, 200);
    assert.match(pv.body, /id="removed"[^>]*>Your role may not post some of this HTML: the filter takes out 2 item/);
    assert.ok(!/<script>alert/.test(pv.body), 'the preview shows what is kept');
});

it('an editor\'s bodies keep their HTML but no javascript:, vbscript: or data: link', async () => {
    // Read from the answer's markup: an editor's page may rightly refresh itself to another site.
    const articles = await publishAll('ed', 'e');
    const problems = [];
    for (const a of articles) {
        const r = await srv.get(server.url + a.path);
        assert.equal(r.status, 200, a.path);
        const content = parse(r.body).one('.entry-content');
        assert.ok(content, `${a.name}: the article`);
        for (const el of content.all('*')) {
            for (const name of ['href', 'src', 'action', 'formaction', 'poster', 'data', 'xlink:href']) {
                const v = (el.attr(name) || '').replace(/[\u0000-\u0020]/g, '').toLowerCase();
                if (/^(javascript|vbscript):/.test(v) || (v.startsWith('data:') &&
                    !(el.tag === 'img' && v.startsWith('data:image/'))))
                    problems.push(`${a.name}: ${el.tag} ${name}=${v}`);
            }
        }
    }
    assert.deepEqual(problems, []);
    // and what editors may post stays: a script of theirs is in the page
    const plain = await srv.get(`${server.url}/2026/01/02/e-01-script-plain/`);
    assert.match(plain.body, /<script>alert\(1\)<\/script>/);
});
