// The newsroom's editor, over HTTP and in Chromium: a change of format is shown before it is saved
// (with and without JavaScript); the toolbar writes the post's format; the word count and the
// preview follow the typing; the autosave keeps a revision marked autosave (a new post becomes a
// draft); the revisions list the original of a post made outside the newsroom, which restores byte
// for byte; the draft preview shows the post in the site's theme with a banner to those who may
// edit it and to nobody else; editors post any HTML and authors get the filter; the screens are
// valid HTML and fit a 375 px screen.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { Newsroom, field, savedId } = require('./lib/admin');
const chromium = require('./lib/browser');

let dataDir;
let server;
let browser;

function show(id) {
    return srv.postShow(dataDir, id);
}

before(async () => {
    dataDir = srv.newDataDir();
    srv.settingSet(dataDir, 'timezone', 'Europe/Paris');
    srv.userAdd(dataDir, { login: 'ed', name: 'Ed Editor', role: 'editor' });
    srv.userAdd(dataDir, { login: 'ann', name: 'Ann Author', role: 'author' });
    srv.userAdd(dataDir, { login: 'bob', name: 'Bob Author', role: 'author' });
    server = await srv.startServer({ dataDir });
    browser = await chromium.launch();
});

after(async () => {
    if (browser)
        await browser.close();
    if (server)
        await server.stop();
});

function login(page, user) {
    return chromium.login(page, server.url, user);
}

it('shows a change of format before saving it, over HTTP', async () => {
    const id = srv.postAdd(dataDir, { title: 'Switch me', slug: 'switch-me', status: 'published',
        date: '2026-02-01T08:00:00Z', body: '<b>bold</b> and *stars*\n' });
    const n = await new Newsroom(server.url).login('ed');
    const e = await n.editor(id);
    assert.match(e.body, /<option value="markdown" selected>/);
    const fields = { id, version: e.version, title: e.title, slug: e.slug, content: e.content, status: 'published',
        date: '2026-02-01', time: '09:00:00', format: 'html' };
    const first = await n.save(fields);
    assert.equal(first.status, 200, 'not saved yet: shown');
    assert.match(first.body, /id="editor-notice"[^>]*>You changed the format/);
    assert.match(first.body, /<div class="preview-body" id="preview-body"><p><b>bold<\/b> and \*stars\*<\/p>/);
    assert.equal(field(first.body, 'format_checked'), 'html');
    assert.equal(show(id).version, e.version, 'nothing saved');
    assert.equal(show(id).markup, 'markdown');
    savedId(await n.save({ ...fields, format_checked: field(first.body, 'format_checked') }));
    const after = show(id);
    assert.equal(after.markup, 'html');
    assert.equal(after.source, '<b>bold</b> and *stars*\n', 'the body is not converted');
    assert.equal(after.html, '<p><b>bold</b> and *stars*</p>\n');
    const art = await srv.get(`${server.url}/2026/02/01/switch-me/`);
    assert.match(art.body, /<p><b>bold<\/b> and \*stars\*<\/p>/);
});

it('shows a change of format before saving it, in Chromium without JavaScript', async () => {
    const id = srv.postAdd(dataDir, { title: 'No script switch', status: 'draft', body: '*one*\n' });
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await login(page, 'ed');
    await page.goto(`${server.url}/admin/post/${id}`);
    assert.equal(await page.locator('#toolbar').isVisible(), false, 'no toolbar without script');
    await page.selectOption('#format', 'html-as-written');
    await page.click('#save-button');
    assert.match(await page.locator('#editor-notice').innerText(), /You changed the format/);
    assert.equal(await page.locator('#preview-body').innerHTML(), '*one*\n');
    assert.equal(show(id).markup, 'markdown');
    await Promise.all([page.waitForURL(/msg=saved$/), page.click('#save-button')]);
    assert.equal(show(id).markup, 'html-as-written');
    await context.close();
});

it('writes with the toolbar in the post\'s format, counts words and previews as you type', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await login(page, 'ann');
    await page.goto(`${server.url}/admin/post/new`);
    await page.fill('#title', 'Toolbar test');
    await page.fill('#content', 'Start ');
    await page.locator('#content').press('End');
    await page.click('#toolbar button[data-tool="bold"]');
    assert.equal(await page.inputValue('#content'), 'Start **bold**');
    await page.selectOption('#format', 'html');
    await page.locator('#content').press('End');
    await page.click('#toolbar button[data-tool="italic"]');
    assert.equal(await page.inputValue('#content'), 'Start **bold**<em>italic</em>');
    await page.locator('#content').press('End');
    page.once('dialog', (d) => d.accept('https://example.org/page'));
    await page.click('#toolbar button[data-tool="link"]');
    assert.match(await page.inputValue('#content'), /<a href="https:\/\/example\.org\/page">link text<\/a>$/);
    await page.fill('#content', 'One two three <b>four</b> <script>alert(1)</script>');
    assert.equal(await page.locator('#word-count').innerText(), '4 words');
    await page.waitForFunction(() => document.querySelector('#preview-body b') !== null);
    assert.equal(await page.locator('#preview-body script').count(), 0, 'the preview shows what the filter keeps');
    assert.match(await page.locator('#removed').innerText(), /takes out 1 item\(s\) \(<script>\)/);
    // side by side on a wide screen
    const src = await page.locator('#content').boundingBox();
    const pv = await page.locator('#preview').boundingBox();
    assert.ok(pv.x > src.x + src.width - 1, `the preview is beside the body (${src.x}+${src.width} / ${pv.x})`);
    await context.close();
});

it('autosaves the draft every 30 seconds as a revision marked autosave', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.clock.install();
    await login(page, 'ann');
    // a new post: the autosave makes it a draft, and the page goes on editing it
    await page.goto(`${server.url}/admin/post/new`);
    await page.fill('#title', 'Autosaved story');
    await page.fill('#content', 'First words.');
    await page.clock.fastForward(31000);
    await page.waitForFunction(() => /Draft autosaved/.test(document.getElementById('autosave-status').textContent));
    await page.waitForURL(/\/admin\/post\/\d+$/);
    const id = Number(/\/admin\/post\/(\d+)$/.exec(page.url())[1]);
    const draft = show(id);
    assert.equal(draft.status, 'draft');
    assert.equal(draft.source, 'First words.');
    // then a revision of kind autosave; the post itself is untouched
    await page.fill('#content', 'First words. And more, autosaved.');
    await page.clock.fastForward(31000);
    await page.waitForFunction(() => /Draft autosaved .* at \d\d:\d\d\./.test(
        document.getElementById('autosave-status').textContent));
    assert.equal(show(id).source, 'First words.');
    assert.equal(show(id).version, draft.version);
    const n = await new Newsroom(server.url).login('ann');
    const ed = await n.editor(id);
    assert.match(ed.body, /id="autosave-notice"/, 'the editor offers the newer autosave');
    const revs = await n.get(`/admin/post/${id}/revisions`);
    assert.match(revs.body, /<td data-label="Kind">Autosave \(markdown\)<\/td>/);
    // a Save after the autosave is not refused as stale
    await Promise.all([page.waitForURL(/msg=saved$/), page.click('#save-button')]);
    assert.equal(show(id).source, 'First words. And more, autosaved.');
    await context.close();
});

it('keeps the original of a post made outside the newsroom, compares it and restores it', async () => {
    const src = 'Made on the *command line*.\n\nSecond paragraph.\n';
    const id = srv.postAdd(dataDir, { title: 'Original story', slug: 'original-story', status: 'published',
        date: '2026-02-03T08:00:00Z', body: src });
    const before = show(id);
    const n = await new Newsroom(server.url).login('ed');
    let e = await n.editor(id);
    assert.match(e.body, /id="no-revisions">No revisions yet: this post has not been changed in the newsroom/);
    assert.match((await n.get(`/admin/post/${id}/revisions`)).body, /id="no-revisions"/);
    savedId(await n.save({ id, version: e.version, title: 'Original story, edited', slug: e.slug,
        content: 'Rewritten entirely.', status: 'published', date: '2026-02-03', time: '09:00:00' }));
    e = await n.editor(id);
    assert.match(e.body, /<li class="revision-Original"><span class="revision-kind">Original<\/span>: Original story/);
    const revs = await n.get(`/admin/post/${id}/revisions`);
    assert.match(revs.body, /<del>Made on the \*command line\*\.<\/del>/);
    assert.match(revs.body, /<ins>Rewritten entirely\.<\/ins>/);
    const original = /<tr id="revision-(\d+)"><td data-label="Revision">#\d+<\/td><td data-label="Kind">Original/
        .exec(revs.body);
    assert.ok(original, 'the original is listed');
    const r = await n.post(`/admin/post/${id}/revert`, { revision: original[1], version: e.version });
    assert.equal(r.status, 303);
    const after = show(id);
    assert.equal(after.source, before.source, 'the source, byte for byte');
    assert.equal(after.html, before.html, 'and what readers see');
    assert.equal(after.title, 'Original story');
});

it('previews a draft in the site\'s theme for those who may edit it, and nobody else', async () => {
    const ann = await new Newsroom(server.url).login('ann');
    const id = savedId(await ann.save({ title: 'Secret draft', slug: 'secret-draft', content: 'Not yet *public*.',
        status: 'draft' }));
    const mine = await ann.get(`/admin/post/${id}/preview`);
    assert.equal(mine.status, 200);
    assert.equal(mine.headers.get('cache-control'), 'private, no-store');
    assert.match(mine.body, /<div class="preview-banner" role="status"><p><strong>Preview<\/strong> \(Draft\)/);
    assert.match(mine.body, /<h1 class="entry-title">Secret draft<\/h1>/);
    assert.match(mine.body, /Not yet <em>public<\/em>\./);
    assert.match(mine.body, /<link rel="stylesheet" href="\/static\/style\.[0-9a-f]{16}\.css">/, 'in the site\'s theme');
    const ed = await new Newsroom(server.url).login('ed');
    assert.equal((await ed.get(`/admin/post/${id}/preview`)).status, 200, 'an editor may');
    const bob = await new Newsroom(server.url).login('bob');
    const other = await bob.get(`/admin/post/${id}/preview`);
    assert.equal(other.status, 403, 'another author may not');
    assert.ok(!other.body.includes('Not yet'));
    const anon = await srv.get(`${server.url}/admin/post/${id}/preview`);
    assert.equal(anon.status, 403, 'nor a reader');
    assert.ok(!anon.body.includes('Not yet'));
    assert.equal((await srv.get(`${server.url}/admin/post/999999/preview`, { headers: { Cookie: ann.cookie } }))
        .status, 404);
    const d = new Date();
    const pub = `/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/` +
        `${String(d.getUTCDate()).padStart(2, '0')}/secret-draft/`;
    assert.equal((await srv.get(server.url + pub)).status, 404, 'not at its future address');
    assert.equal((await srv.get(server.url + pub, { headers: { Cookie: ann.cookie } })).status, 404);

    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, 'ann');
    await page.goto(`${server.url}/admin/post/${id}`);
    await page.click('#preview-link');
    await page.waitForURL(new RegExp(`/admin/post/${id}/preview$`));
    assert.ok(await page.locator('.preview-banner').isVisible());
    assert.match(await page.locator('.preview-banner').innerText(), /Preview \(Draft\)/);
    assert.match(await page.locator('.preview-banner').innerText(), /secret-draft/);
    await context.close();
});

it('lets editors post any HTML and filters authors\' (and says so in the preview)', async () => {
    const body = '<p>Watch:</p>\n<iframe src="https://video.example/embed/1" title="v"></iframe>\n' +
        '<p onclick="steal()">Tap <a href="javascript:steal()">here</a></p>';
    const ed = await new Newsroom(server.url).login('ed');
    const e = savedId(await ed.save({ title: 'Editor embed', slug: 'editor-embed', content: body, format: 'html',
        status: 'published', date: '2026-02-05', time: '10:00:00' }));
    assert.match(show(e).html, /<iframe src="https:\/\/video\.example\/embed\/1" title="v"><\/iframe>/);
    assert.match(show(e).html, /onclick="steal\(\)"/);
    assert.ok(!show(e).html.includes('javascript:'), 'no javascript: link, editor or not');
    const ann = await new Newsroom(server.url).login('ann');
    const preview = await ann.save({ title: 'Author embed', content: body, format: 'html', do: 'preview' });
    assert.match(preview.body, /the filter takes out 3 item\(s\) \(&lt;iframe&gt;, onclick, a URL of a scheme/);
    const a = savedId(await ann.save({ title: 'Author embed', slug: 'author-embed', content: body, format: 'html',
        status: 'published', date: '2026-02-05', time: '10:00:00' }));
    assert.equal(show(a).html, '<p>Watch:</p>\n<p>Tap <a>here</a></p>\n');
    const page = await srv.get(`${server.url}/2026/02/05/author-embed/`);
    assert.match(page.body, /<div class="entry-content">\n<p>Watch:<\/p>\n<p>Tap <a>here<\/a><\/p>\n\n<\/div>/);
});

it('shows the publish date in words in the site\'s zone and keeps the password and flags', async () => {
    const n = await new Newsroom(server.url).login('ed');
    const id = savedId(await n.save({ title: 'Dated', content: 'x', status: 'published', date: '2026-12-01',
        time: '14:05', password: 'open sesame', sticky: '1', comments_open: undefined }));
    const e = await n.editor(id);
    assert.match(e.body, /<span id="post-when">Published on Dec 1, 2026 at 14:05<\/span>/);
    assert.match(e.body, /name="password" id="password" value="open sesame"/);
    assert.match(e.body, /name="sticky" value="1" checked/);
    assert.ok(!/id="comments_open"[^>]*checked|name="comments_open" value="1" checked/.test(e.body),
        'comments stay closed as saved');
    assert.equal(show(id).published_at, '2026-12-01T13:05:00Z', '14:05 in Paris');
    assert.equal(show(id).password, 'open sesame');
    const list = await n.get('/admin/posts/');
    assert.match(list.body, /<time datetime="2026-12-01T13:05:00Z">Dec 1, 2026 at 14:05<\/time>/);
});

it('fits a 375 px screen and passes the Nu HTML Checker', async () => {
    const n = await new Newsroom(server.url).login('ann');
    const id = savedId(await n.save({ title: 'Valid screens', slug: 'valid-screens', content: 'Body *one*.',
        status: 'draft' }));
    const e = await n.editor(id);
    savedId(await n.save({ id, version: e.version, title: 'Valid screens', slug: 'valid-screens',
        content: 'Body *two*.', status: 'draft' }));
    const dir = srv.tempDir('gazette-vnu-editor-');
    const pages = {
        'editor.html': (await n.editor(id)).body,
        'editor-new.html': (await n.get('/admin/post/new')).body,
        'editor-preview.html': (await n.save({ id, version: e.version + 1, title: 'Valid screens', content:
            '<p onclick="x">p</p><table><tr><td>1</td></tr></table>', format: 'html', do: 'preview' })).body,
        'revisions.html': (await n.get(`/admin/post/${id}/revisions`)).body,
        'draft-preview.html': (await n.get(`/admin/post/${id}/preview`)).body,
        'posts.html': (await n.get('/admin/posts/')).body,
    };
    const files = Object.entries(pages).map(([name, body]) => {
        fs.writeFileSync(path.join(dir, name), body);
        return path.join(dir, name);
    });
    const jar = require('vnu-jar');
    const r = spawnSync('java', ['-jar', jar, '--format', 'json', '--stdout', ...files], {
        encoding: 'utf8', timeout: 120000, maxBuffer: 16 * 1024 * 1024 });
    const report = JSON.parse(r.stdout);
    const errors = report.messages.filter((m) => m.type === 'error' || m.type === 'non-document-error')
        .map((m) => `${path.basename(new URL(m.url).pathname)}:${m.lastLine}: ${m.message}`);
    assert.deepEqual(errors, []);

    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    await login(page, 'ann');
    for (const p of [`/admin/post/${id}`, `/admin/post/${id}/revisions`, `/admin/post/${id}/preview`, '/admin/posts/']) {
        await page.goto(server.url + p);
        const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
        assert.ok(w <= 375, `${p} is ${w} px wide at 375 px`);
    }
    await page.goto(`${server.url}/admin/post/${id}`);
    const body = await page.locator('#content').boundingBox();
    assert.ok(body.width > 300, 'the body takes the width of the screen');
    await context.close();
});
