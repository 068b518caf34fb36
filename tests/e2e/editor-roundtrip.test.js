// Edits never damage a story: every post and page of WordPress's theme unit test export is
// imported, opened in the newsroom's editor in Chromium and saved untouched. Its stored source and
// HTML (gazette post show) and its public page stay the same byte for byte, and the editor showed
// it in its own format. Posts made as HTML from the command line before HTML got wpautop's
// paragraphs keep showing as written, through an untouched save and through an edit.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { Newsroom, savedId } = require('./lib/admin');
const chromium = require('./lib/browser');

const WXR = path.join(srv.ROOT, '..', 'shared', 'testdata', 'wxr', 'themeunittestdata.wordpress.xml');

let dataDir;
let server;
let browser;

function show(id) {
    return srv.postShow(dataDir, id);
}

before(async () => {
    dataDir = srv.newDataDir();
    srv.userAdd(dataDir, { login: 'chief', name: 'Chief', role: 'administrator' });
    assert.ok(fs.existsSync(WXR), `the export at ${WXR}`);
    srv.cli(dataDir, ['import', 'wxr', WXR, '--quiet']);
    server = await srv.startServer({ dataDir });
    browser = await chromium.launch();
});

after(async () => {
    if (browser)
        await browser.close();
    if (server)
        await server.stop();
});

it('saves every imported post and page untouched without changing a byte of it', async () => {
    const posts = srv.postList(dataDir).filter((p) => p.type === 'post' || p.type === 'page');
    assert.ok(posts.length >= 70, `the export's posts and pages were imported (${posts.length})`);
    const before = new Map();
    for (const p of posts) {
        const stored = show(p.id);
        assert.equal(stored.format, 'html', `imported posts are HTML (${p.id})`);
        const page = p.status === 'published' ? await srv.get(server.url + p.path) : null;
        if (page)
            assert.equal(page.status, 200, `GET ${p.path}`);
        before.set(p.id, { stored, page: page && page.body });
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await chromium.login(page, server.url, 'chief');
    for (const p of posts) {
        await page.goto(`${server.url}/admin/post/${p.id}`);
        assert.equal(await page.inputValue('#format'), 'html', `the editor shows ${p.id} as HTML`);
        await Promise.all([page.waitForURL(new RegExp(`/admin/post/${p.id}\\?msg=saved$`)),
            page.click('#save-button')]);
    }
    await context.close();

    let bodies = 0;
    for (const p of posts) {
        const was = before.get(p.id);
        const now = show(p.id);
        assert.equal(now.version, was.stored.version + 1, `post ${p.id} was saved`);
        assert.equal(now.source, was.stored.source, `source of ${p.id} (${p.title})`);
        assert.equal(now.html, was.stored.html, `html of ${p.id} (${p.title})`);
        assert.equal(now.markup, was.stored.markup, `markup of ${p.id}`);
        assert.equal(now.excerpt, was.stored.excerpt, `excerpt of ${p.id}`);
        assert.deepEqual([now.categories, now.tags, now.status, now.published_at, now.sticky, now.password],
            [was.stored.categories, was.stored.tags, was.stored.status, was.stored.published_at, was.stored.sticky,
                was.stored.password], `the other fields of ${p.id}`);
        if (was.page !== null) {
            const r = await srv.get(server.url + p.path);
            assert.equal(r.status, 200);
            // a save is a modification: only its time may differ (article:modified_time, dateModified)
            const modified = (html) => html.replace(/(article:modified_time" content=")[^"]*/, '$1')
                .replace(/("dateModified":")[^"]*/, '$1');
            assert.equal(modified(r.body), modified(was.page), `the public page ${p.path}`);
            bodies++;
        }
    }
    assert.ok(bodies >= 60, `public pages compared: ${bodies}`);
});

it('keeps HTML posts made before wpautop as written, untouched and edited', async () => {
    const src = '<p>First line\nsecond line of the same paragraph</p>\n<div class="box">A box</div>\n';
    const id = srv.idFrom(srv.cli(dataDir, ['post', 'add', '--title', 'Written as HTML', '--format',
        'html-as-written', '--date', '2026-03-01T10:00:00Z'], { input: src }).stdout);
    // A database of an earlier version: such a post's HTML is its source.
    assert.equal(show(id).html, src);
    assert.equal(show(id).markup, 'html-as-written');
    const ed = await new Newsroom(server.url).login('chief');
    const form = await ed.editor(id);
    assert.match(form.body, /<option value="html-as-written" selected>/);
    savedId(await ed.save({ id, version: form.version, title: form.title, content: form.content.replace(/\n/g, '\r\n'),
        status: 'published', format: 'html-as-written', date: '2026-03-01', time: '10:00:00' }));
    assert.equal(show(id).source, src, 'untouched: the same bytes');
    assert.equal(show(id).html, src);
    const again = await ed.editor(id);
    savedId(await ed.save({ id, version: again.version, title: again.title, format: 'html-as-written',
        content: again.content.replace('second line', 'second, corrected line'), status: 'published',
        date: '2026-03-01', time: '10:00:00' }));
    assert.equal(show(id).html, src.replace('second line', 'second, corrected line'), 'no <br> and no <p> added');
    const art = await srv.get(`${server.url}/2026/03/01/written-as-html/`);
    assert.ok(art.body.includes('<p>First line\nsecond, corrected line of the same paragraph</p>\n<div class="box">'));
});
