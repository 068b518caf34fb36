// Images from the post editor: the "Insert an image" panel without JavaScript (the whole editor
// form goes to /admin/media/insert with the file, and comes back with the typed text kept and the
// image at the end of the body, as Markdown or as a <figure>, per the post's format), the same
// refusals as the Media screen shown beside the editor, contributors refused; then in Chromium the
// file chooser, a drop and a paste on the body and a pick from the library, each inserted at the
// cursor, and the published article showing them with srcset, width and height. docs/media.md.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { Newsroom, savedId, formFields } = require('./lib/admin');
const { parse } = require('./lib/check');
const browser = require('./lib/browser');
const img = require('./lib/images');

const AXE = require('axe-core').source;
const MAX_BYTES = 400000; // media_max_bytes for this site, so that an over-size file is quick to make

let dataDir;
let server;
let work;
let ann;
const pages = {}; // name -> HTML of the answers, for the Nu HTML Checker

function mediaList() {
    return JSON.parse(srv.cli(dataDir, ['media', 'list', '--format=json']).stdout);
}

function uploadsFiles() {
    return img.filesUnder(path.join(dataDir, 'uploads'));
}

// The editor's text as the page holds it.
function bodyText(html) {
    return formFields(html, 'post-editor').content;
}

// Sends the editor's form as the page holds it, with fields changed, to where its image buttons
// send it: multipart, with the file (or an empty file input, as a browser sends one).
async function editorPost(nr, html, fields, file = null, { type = 'image/jpeg', name } = {}) {
    const f = { ...formFields(html, 'post-editor'), ...fields };
    delete f.file;
    const fd = new FormData();
    for (const [k, v] of Object.entries(f))
        fd.append(k, String(v));
    if (file)
        fd.append('file', new Blob([fs.readFileSync(file)], { type }), name || path.basename(file));
    else
        fd.append('file', new Blob([], { type: 'application/octet-stream' }), '');
    return srv.get(`${server.url}/admin/media/insert`, { method: 'POST', body: fd, headers: { Cookie: nr.cookie } });
}

// The published article's body images.
async function articleImages(id) {
    const r = await srv.get(server.url + srv.postShow(dataDir, id).path);
    assert.equal(r.status, 200);
    return parse(r.body).all('.entry-content img');
}

function assertResponsive(im, what) {
    assert.match(im.attr('srcset') || '', /^\/uploads\/\S+ \d+w(, \/uploads\/\S+ \d+w)*$/, `${what}: srcset`);
    assert.ok(Number(im.attr('width')) > 0 && Number(im.attr('height')) > 0, `${what}: width and height`);
    assert.ok(im.attr('sizes'), `${what}: sizes`);
}

before(async () => {
    dataDir = srv.newDataDir();
    work = srv.tempDir('gazette-media-editor-');
    srv.settingSet(dataDir, 'media_max_bytes', MAX_BYTES);
    srv.userAdd(dataDir, { login: 'ann', name: 'Ann Author', role: 'author' });
    srv.userAdd(dataDir, { login: 'cid', name: 'Cid Contrib', role: 'contributor' });
    server = await srv.startServer({ dataDir });
    ann = await new Newsroom(server.url).login('ann');
});

after(async () => {
    if (server)
        await server.stop();
});

describe('the editor without JavaScript', () => {
    it('uploads an image, keeps the typed text and puts Markdown at the end of the body', async () => {
        const ed = await ann.get('/admin/post/new');
        assert.ok(parse(ed.body).one('#image-insert input[type=file][name=file]'), 'a file input in the editor');
        const typed = 'First paragraph, typed & not saved.\r\n\r\nSecond one with <angle> "quotes".';
        const file = img.picture(path.join(work, 'quay.jpg'), 1400, 900);
        const r = await editorPost(ann, ed.body, { title: 'Quay story', content: typed, image_alt: 'The quay [west]',
            image_caption: 'Ships "loading"', image_credit: 'Photo: Ann', do: 'upload_image' }, file);
        assert.equal(r.status, 200, r.body.slice(0, 500));
        pages['insert-markdown.html'] = r.body;
        const f = formFields(r.body, 'post-editor');
        assert.equal(f.title, 'Quay story', 'the title as typed');
        const m = mediaList().find((x) => x.alt === 'The quay [west]');
        assert.ok(m, 'the image is in the library');
        assert.equal(m.caption, 'Ships "loading"');
        const copy = m.copies.find((c) => c.format === 'jpeg' && c.width === 1024);
        assert.equal(f.content, 'First paragraph, typed & not saved.\n\nSecond one with <angle> "quotes".\n\n' +
            `![The quay \\[west\\]](/uploads/${copy.path} "Ships \\"loading\\" — Photo: Ann")\n`);
        assert.match(parse(r.body).one('#editor-notice').text, /Nothing is saved yet/);
        // saved and published, the image has every copy
        const id = savedId(await ann.post('/admin/post/save', { ...f, status: 'published', do: 'save' }));
        const imgs = await articleImages(id);
        assert.equal(imgs.length, 1);
        assertResponsive(imgs[0], 'markdown image');
        assert.equal(imgs[0].attr('alt'), 'The quay [west]');
        assert.equal(imgs[0].attr('title'), 'Ships "loading" — Photo: Ann');
        assert.match(imgs[0].attr('srcset'), /-1400\.jpg 1400w/);
    });

    it('an HTML post gets a <figure> with the caption and credit, shown on the article', async () => {
        const ed = await ann.get('/admin/post/new');
        const file = img.picture(path.join(work, 'crane.png'), 900, 600);
        const r = await editorPost(ann, ed.body, { title: 'Crane story', format: 'html', content: '<p>Cranes.</p>',
            image_alt: 'A crane & a ship', image_caption: 'The new crane', image_credit: 'Photo: Port <Authority>',
            do: 'upload_image' }, file, { type: 'image/png' });
        assert.equal(r.status, 200, r.body.slice(0, 500));
        pages['insert-html.html'] = r.body;
        const f = formFields(r.body, 'post-editor');
        const m = mediaList().find((x) => x.alt === 'A crane & a ship');
        const copy = m.copies.find((c) => c.format === 'png' && c.width === 900);
        assert.equal(f.content, '<p>Cranes.</p>\n\n<figure class="wp-block-image"><img ' +
            `src="/uploads/${copy.path}" alt="A crane &amp; a ship" width="900" height="600" class="wp-image-${m.id}">` +
            '<figcaption>The new crane — Photo: Port &lt;Authority&gt;</figcaption></figure>\n');
        assert.equal(f.format, 'html');
        const id = savedId(await ann.post('/admin/post/save', { ...f, status: 'published', do: 'save' }));
        const r2 = await srv.get(server.url + srv.postShow(dataDir, id).path);
        const fig = parse(r2.body).one('.entry-content figure');
        assert.ok(fig, 'the figure is kept');
        assert.equal(fig.one('figcaption').text, 'The new crane — Photo: Port <Authority>');
        assert.ok(fig.one('picture source[type="image/webp"]'), 'a <picture> with the WebP copies');
        assertResponsive(fig.one('img'), 'figure image');
    });

    it('picks an image of the library, into a post being edited', async () => {
        const id = savedId(await ann.save({ title: 'Pick story', content: 'Typed before.', status: 'draft' }));
        const ed = await ann.get(`/admin/post/${id}`);
        const m = mediaList().find((x) => x.alt === 'The quay [west]');
        const opt = parse(ed.body).one(`#image-pick option[value="${m.id}"]`);
        assert.ok(opt, 'the library is offered');
        const r = await editorPost(ann, ed.body, { content: 'Typed before, changed.', do: 'pick_image',
            image_pick: m.id });
        assert.equal(r.status, 200, r.body.slice(0, 500));
        const f = formFields(r.body, 'post-editor');
        assert.match(f.content, /^Typed before, changed\.\n\n!\[The quay \\\[west\\\]\]\(\/uploads\/\S+-1024\.jpg "/);
        assert.equal(f.id, String(id));
        assert.equal(srv.postShow(dataDir, id).source, 'Typed before.', 'nothing saved');
        const again = await editorPost(ann, ed.body, { content: 'Text.', do: 'pick_image', image_pick: '0' });
        assert.equal(again.status, 422);
        assert.equal(parse(again.body).one('#image-error').text, 'Choose an image of the library to insert.');
        assert.equal(bodyText(again.body), 'Text.');
    });

    it('a refused file is shown beside the editor with the Media screen\'s words, the text untouched', async () => {
        const ed = await ann.get('/admin/post/new');
        const before = uploadsFiles();
        const media = mediaList().length;
        const text = path.join(work, 'notes.jpg');
        fs.writeFileSync(text, 'These are my notes, not a picture.\n');
        const big = path.join(work, 'noise.png');
        spawnSync('vips', ['gaussnoise', path.join(work, 'noise.v'), '700', '700']);
        spawnSync('vips', ['cast', path.join(work, 'noise.v'), big, 'uchar']);
        assert.ok(fs.statSync(big).size > MAX_BYTES, 'the noise is over the limit');
        for (const [file, name] of [[text, 'notes'], [big, 'too large'], [null, 'no file']]) {
            const typed = `Draft about ${name}.\n\nKeep me.`;
            const r = await editorPost(ann, ed.body, { title: `About ${name}`, content: typed, do: 'upload_image' },
                file);
            assert.equal(r.status, 422, `${name}: ${r.body.slice(0, 300)}`);
            pages[`insert-refused-${name.replace(/ /g, '-')}.html`] = r.body;
            const doc = parse(r.body);
            assert.equal(bodyText(r.body), typed, `${name}: the text is kept`);
            assert.equal(formFields(r.body, 'post-editor').title, `About ${name}`);
            assert.ok(doc.one('#image-insert').has('open'), `${name}: the panel is open`);
            const why = doc.one('#image-error').text;
            if (file) { // the Media screen's answer to the same file
                const fd = new FormData();
                fd.append('_csrf', ann.csrf);
                fd.append('file', new Blob([fs.readFileSync(file)], { type: 'image/jpeg' }), path.basename(file));
                const screen = await srv.get(`${server.url}/admin/media/upload`, { method: 'POST', body: fd,
                    headers: { Cookie: ann.cookie } });
                assert.equal(screen.status, 422);
                assert.equal(why, parse(screen.body).one('.error').text, `${name}: the same words`);
                assert.match(why, name === 'notes' ? /not a JPEG, PNG, WebP, GIF or AVIF/ : /larger than/);
            } else {
                assert.equal(why, 'Choose an image file to upload, or an image of the library.');
            }
        }
        assert.deepEqual(uploadsFiles(), before, 'nothing left on disk');
        assert.equal(mediaList().length, media, 'nothing in the library');
    });

    it('the script\'s upload answers JSON with what to insert, and its refusals', async () => {
        await ann.get('/admin/post/new');
        const file = img.picture(path.join(work, 'json.jpg'), 700, 500);
        const send = (f, type) => {
            const fd = new FormData();
            fd.append('_csrf', ann.csrf);
            fd.append('alt', 'Sent by script');
            fd.append('file', new Blob([fs.readFileSync(f)], { type }), path.basename(f));
            return fetch(`${server.url}/admin/media/upload`, { method: 'POST', body: fd,
                headers: { Cookie: ann.cookie, Accept: 'application/json' } });
        };
        const r = await send(file, 'image/jpeg');
        assert.equal(r.status, 201);
        assert.match(r.headers.get('content-type'), /^application\/json/);
        const j = await r.json();
        assert.match(j.markdown, /^!\[Sent by script\]\(\/uploads\/\d{4}\/\d\d\/[0-9a-f]{20}-700\.jpg\)$/);
        assert.match(j.html, /^<figure class="wp-block-image"><img src="\/uploads\/\S+-700\.jpg" alt="Sent by script" width="700" height="500" class="wp-image-\d+"><\/figure>$/);
        assert.equal((await send(file, 'image/jpeg')).status, 200, 'the same bytes again: the medium there');
        const bad = await send(path.join(work, 'notes.jpg'), 'image/jpeg');
        assert.equal(bad.status, 422);
        assert.match((await bad.json()).error, /not a JPEG, PNG, WebP, GIF or AVIF/);
        const lib = await fetch(`${server.url}/admin/media/?s=script`, { headers: { Cookie: ann.cookie,
            Accept: 'application/json' } });
        assert.equal(lib.headers.get('cache-control'), 'private, no-store');
        const l = await lib.json();
        assert.deepEqual(l.items.map((x) => x.alt), ['Sent by script']);
        assert.equal(l.items[0].markdown, j.markdown);
    });

    it('contributors get no image panel and the upload is refused to them', async () => {
        const cid = await new Newsroom(server.url).login('cid');
        const ed = await cid.get('/admin/post/new');
        assert.equal(ed.status, 200);
        assert.equal(parse(ed.body).one('#image-insert'), null, 'no panel');
        const file = img.picture(path.join(work, 'cid.jpg'), 400, 300);
        const before = mediaList().length;
        const r = await editorPost(cid, ed.body, { content: 'Mine.', do: 'upload_image' }, file);
        assert.equal(r.status, 403);
        const fd = new FormData();
        fd.append('_csrf', cid.csrf);
        fd.append('file', new Blob([fs.readFileSync(file)], { type: 'image/jpeg' }), 'cid.jpg');
        const j = await fetch(`${server.url}/admin/media/upload`, { method: 'POST', body: fd,
            headers: { Cookie: cid.cookie, Accept: 'application/json' } });
        assert.equal(j.status, 403);
        assert.equal(mediaList().length, before);
    });

    it('the answers pass the Nu HTML Checker', () => {
        const dir = srv.tempDir('gazette-vnu-media-editor-');
        const files = Object.entries(pages).map(([name, body]) => {
            fs.writeFileSync(path.join(dir, name), body);
            return path.join(dir, name);
        });
        assert.ok(files.length >= 5);
        const r = spawnSync('java', ['-jar', require('vnu-jar'), '--format', 'json', '--stdout', ...files],
            { encoding: 'utf8', timeout: 120000, maxBuffer: 16 * 1024 * 1024 });
        const errors = JSON.parse(r.stdout).messages.filter((m) => m.type === 'error' || m.type === 'non-document-error')
            .map((m) => `${path.basename(new URL(m.url).pathname)}:${m.lastLine}: ${m.message}`);
        assert.deepEqual(errors, []);
    });
});

describe('the editor in Chromium', () => {
    it('inserts at the cursor from the file chooser, a drop, a paste and the library; published with srcset', async () => {
        const b = await browser.launch();
        try {
            const pg = await b.newPage();
            const errors = [];
            pg.on('pageerror', (e) => errors.push(String(e)));
            await browser.login(pg, server.url, 'ann');
            await pg.goto(`${server.url}/admin/post/new`);
            await pg.fill('#title', 'Harbour day in pictures');
            await pg.fill('#content', 'Morning.\n\nNoon.\n\nEvening.');
            // Enter in the title is still a preview, not an upload
            await Promise.all([pg.waitForURL(/\/admin\/post\/save$/), pg.press('#title', 'Enter')]);
            assert.equal(await pg.inputValue('#content'), 'Morning.\n\nNoon.\n\nEvening.');
            const body = () => pg.inputValue('#content');
            // Saves the post as published; its article shows n body images with every copy.
            const publish = async (n) => {
                await pg.selectOption('#status', 'published');
                await Promise.all([pg.waitForURL(/\/admin\/post\/\d+\?msg=saved/), pg.click('#save-button')]);
                const id = Number(/\/admin\/post\/(\d+)/.exec(pg.url())[1]);
                const imgs = await articleImages(id);
                assert.equal(imgs.length, n);
                imgs.forEach((im, i) => assertResponsive(im, `image ${i}`));
                await pg.goto(server.url + srv.postShow(dataDir, id).path);
                for (const im of await pg.$$('.entry-content img')) // lazy: loaded once in view
                    await im.scrollIntoViewIfNeeded();
                await pg.waitForFunction((k) => Array.from(document.querySelectorAll('.entry-content img'))
                    .filter((i) => i.complete && i.naturalWidth > 0).length === k, n);
            };
            const caret = (text) => pg.evaluate((t) => {
                const c = document.getElementById('content');
                c.focus();
                c.setSelectionRange(c.value.indexOf(t) + t.length, c.value.indexOf(t) + t.length);
            }, text);

            // 1. the toolbar's image button opens the panel; the file chooser
            await caret('Morning.');
            await pg.click('[data-tool=insert-image]');
            assert.equal(await pg.evaluate(() => document.getElementById('image-insert').open), true);
            const file = img.picture(path.join(work, 'chooser.jpg'), 1300, 800);
            const [chooser] = await Promise.all([pg.waitForEvent('filechooser'), pg.click('#image-file')]);
            await chooser.setFiles(file);
            await pg.fill('#image-alt', 'Morning boats');
            await pg.fill('#image-caption', 'At six');
            await pg.click('#image-upload');
            await pg.waitForFunction(() => document.getElementById('content').value.includes('![Morning boats]'));
            assert.match(await body(), /^Morning\.\n\n!\[Morning boats\]\(\/uploads\/\S+-1024\.jpg "At six"\)\n\nNoon\./);
            assert.match(await pg.textContent('#image-status'), /was inserted/);
            assert.equal(await pg.inputValue('#image-alt'), '', 'the panel is ready for the next one');

            // 2. a drop on the body, at the cursor
            const png = fs.readFileSync(img.picture(path.join(work, 'dropped.png'), 800, 500)).toString('base64');
            await caret('Noon.');
            await pg.evaluate((b64) => {
                const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
                const dt = new DataTransfer();
                dt.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
                const c = document.getElementById('content');
                c.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
                c.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
            }, png);
            await pg.waitForFunction(() => /Noon\.\n\n!\[\]\(/.test(document.getElementById('content').value));
            assert.match(await body(), /Noon\.\n\n!\[\]\(\/uploads\/\S+-800\.png\)\n\nEvening\./);

            // published: both with srcset, width and height
            await publish(2);

            // 3. in a new post in HTML, a paste: a figure
            await pg.goto(`${server.url}/admin/post/new`);
            await pg.fill('#title', 'Evening in pictures');
            await pg.selectOption('#format', 'html-as-written');
            await pg.fill('#content', '<p>Evening.</p>');
            const jpg = fs.readFileSync(img.picture(path.join(work, 'pasted.jpg'), 600, 400)).toString('base64');
            await caret('<p>Evening.</p>');
            await pg.evaluate((b64) => {
                const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
                const dt = new DataTransfer();
                dt.items.add(new File([bytes], 'image.jpg', { type: 'image/jpeg' }));
                document.getElementById('content').dispatchEvent(new ClipboardEvent('paste',
                    { clipboardData: dt, bubbles: true, cancelable: true }));
            }, jpg);
            await pg.waitForFunction(() => document.getElementById('content').value.includes('<figure'));
            assert.match(await body(), /^<p>Evening\.<\/p>\n\n<figure class="wp-block-image"><img src="\/uploads\/\S+-600\.jpg" alt="" width="600" height="400" class="wp-image-\d+"><\/figure>\n$/);

            // 4. a refused drop: said next to the editor, the text untouched
            const kept = await body();
            await pg.evaluate(() => {
                const dt = new DataTransfer();
                dt.items.add(new File(['not an image'], 'fake.png', { type: 'image/png' }));
                document.getElementById('content').dispatchEvent(new DragEvent('drop',
                    { dataTransfer: dt, bubbles: true, cancelable: true }));
            });
            await pg.waitForFunction(() => document.getElementById('image-status').className === 'error');
            assert.match(await pg.textContent('#image-status'), /^The image was not added: .*not a JPEG, PNG/);
            assert.equal(await body(), kept);

            // 5. the library: search, then a click inserts at the cursor
            await caret('<p>Evening.</p>');
            assert.equal(await pg.evaluate(() => document.getElementById('image-insert').open), true,
                'the refusal opened the panel');
            await pg.fill('#image-search', 'Morning boats');
            await pg.waitForFunction(() => document.querySelectorAll('#image-library li button').length === 1);
            await pg.evaluate(AXE);
            const axe = await pg.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
                .violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
            assert.deepEqual(axe, [], 'the editor with its image panel open passes axe-core');
            await pg.click('#image-library li button');
            assert.match(await body(), /^<p>Evening\.<\/p>\n\n<figure class="wp-block-image"><img src="\/uploads\/\S+-1024\.jpg" alt="Morning boats" width="1024" height="630" class="wp-image-\d+"><figcaption>At six<\/figcaption><\/figure>\n\n<figure/);
            await publish(2);
            assert.deepEqual(errors, []);
        } finally {
            await b.close();
        }
    });
});
