// The media library over HTTP: uploads as a browser form sends them (multipart), what is kept
// (upright, every copy free of metadata: checked with exiftool and vipsheader) and what is refused
// (leaving nothing on disk or in the database), the files served from /uploads/, the Media screen
// (search, paging, texts, deletion), who may upload, and the body limits. docs/media.md.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { Newsroom } = require('./lib/admin');
const img = require('./lib/images');

let dataDir;
let server;
let work;
let ann;

function mediaList() {
    return JSON.parse(srv.cli(dataDir, ['media', 'list', '--format=json']).stdout);
}

// POSTs a multipart form with the file's bytes under the name given (the type the client claims).
async function upload(nr, file, { name = path.basename(file), type = 'image/jpeg', fields = {} } = {}) {
    const fd = new FormData();
    fd.append('_csrf', nr.csrf);
    for (const [k, v] of Object.entries(fields))
        fd.append(k, v);
    fd.append('file', new Blob([fs.readFileSync(file)], { type }), name);
    return srv.get(`${server.url}/admin/media/upload`, { method: 'POST', body: fd, headers: { Cookie: nr.cookie } });
}

function uploadsFiles() {
    return img.filesUnder(path.join(dataDir, 'uploads'));
}

before(async () => {
    dataDir = srv.newDataDir();
    work = srv.tempDir('gazette-media-');
    srv.userAdd(dataDir, { login: 'ann', name: 'Ann Author', role: 'author' });
    srv.userAdd(dataDir, { login: 'cid', name: 'Cid Contrib', role: 'contributor' });
    srv.userAdd(dataDir, { login: 'ed', name: 'Ed Itor', role: 'editor' });
    server = await srv.startServer({ dataDir });
    ann = await new Newsroom(server.url).login('ann');
    await ann.get('/admin/media/');
});

after(async () => {
    if (server)
        await server.stop();
});

describe('uploading', () => {
    it('a JPEG with GPS and an orientation tag comes out upright, with no metadata in any copy', async () => {
        const file = img.jpegWithGps(path.join(work, 'harbour.jpg'), 1200, 800);
        assert.match(img.metadata(file), /GPSLatitude/, 'the source carries GPS');
        const r = await upload(ann, file, { fields: { alt: 'The harbour at dawn', caption: 'Boats', credit: 'Ann' } });
        assert.equal(r.status, 303, r.body.slice(0, 400));
        const id = Number(/\/admin\/media\/(\d+)\?msg=uploaded$/.exec(r.headers.get('location'))[1]);
        const m = mediaList().find((x) => x.id === id);
        assert.equal(m.mime, 'image/jpeg');
        assert.deepEqual([m.width, m.height], [800, 1200], 'upright');
        assert.equal(m.alt, 'The harbour at dawn');
        assert.deepEqual(m.copies.map((c) => `${c.format} ${c.width}`).sort(),
            ['jpeg 320', 'jpeg 640', 'jpeg 800', 'webp 320', 'webp 640', 'webp 800']);
        for (const c of m.copies) {
            const res = await fetch(`${server.url}/uploads/${c.path}`);
            assert.equal(res.status, 200, c.path);
            assert.equal(res.headers.get('content-type'), c.format === 'webp' ? 'image/webp' : 'image/jpeg');
            assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
            assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
            const local = path.join(work, `got-${path.basename(c.path)}`);
            fs.writeFileSync(local, Buffer.from(await res.arrayBuffer()));
            assert.equal(img.metadata(local), '', `${c.path} keeps metadata`);
            const h = img.header(local);
            assert.deepEqual([h.width, h.height], [c.width, c.height]);
            const red = img.pixel(local, c.width - 1 - Math.floor(c.width / 20), Math.floor(c.width / 20));
            assert.ok(red[0] > 180 && red[2] < 80, `${c.path}: the red corner is top right now (${red})`);
        }
        // The medium's page shows it, with its texts.
        const page = await ann.get(`/admin/media/${id}`);
        assert.equal(page.status, 200);
        assert.match(page.body, /value="The harbour at dawn"/);
        assert.match(page.body, /No post shows this image/);
        assert.match(page.body, /<textarea id="m-md"[^>]*>!\[The harbour at dawn\]\(\/uploads\/\d{4}\/\d\d\/[0-9a-f]{20}-800\.jpg &quot;Boats — Ann&quot;\)<\/textarea>/);
        assert.match(page.body, /&lt;figcaption&gt;Boats — Ann&lt;\/figcaption&gt;/);
    });

    it('a PNG named .jpg and sent as image/jpeg is stored and served as the PNG it is', async () => {
        const png = img.picture(path.join(work, 'chart.png'), 500, 300);
        const r = await upload(ann, png, { name: 'chart.jpg', type: 'image/jpeg' });
        assert.equal(r.status, 303, r.body.slice(0, 400));
        const id = Number(/\/admin\/media\/(\d+)/.exec(r.headers.get('location'))[1]);
        const m = mediaList().find((x) => x.id === id);
        assert.equal(m.mime, 'image/png');
        assert.ok(m.copies.every((c) => c.format === 'png' || c.format === 'webp'));
        const full = m.copies.find((c) => c.format === 'png' && c.width === 500);
        const res = await fetch(`${server.url}/uploads/${full.path}`);
        assert.equal(res.headers.get('content-type'), 'image/png');
        assert.equal(Buffer.from(await res.arrayBuffer()).subarray(1, 4).toString(), 'PNG');
        // The same bytes again: the same medium.
        const again = await upload(ann, png, { name: 'other.png', type: 'image/png' });
        assert.equal(again.headers.get('location'), `/admin/media/${id}?msg=exists`);
    });

    it('refuses what is not a whole, sane image, with a clear message, leaving nothing behind', async () => {
        const before = uploadsFiles();
        const n = mediaList().length;
        const text = path.join(work, 'notes.jpg');
        fs.writeFileSync(text, 'Just some notes, not a picture.\n');
        const svg = path.join(work, 'logo.svg');
        fs.writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' +
            '<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>');
        const whole = img.picture(path.join(work, 'whole.jpg'), 1600, 1200);
        const cut = path.join(work, 'cut.jpg');
        const bytes = fs.readFileSync(whole);
        fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
        const huge = path.join(work, 'huge.png');
        require('node:child_process').execFileSync('vips', ['black', huge, '20000', '20000']);
        const cases = [
            [text, 'image/jpeg', /not a JPEG, PNG, WebP, GIF or AVIF image/],
            [svg, 'image/svg+xml', /not a JPEG, PNG, WebP, GIF or AVIF image/],
            [cut, 'image/jpeg', /damaged or incomplete/],
            [huge, 'image/png', /more than 100 million pixels/],
        ];
        for (const [file, type, why] of cases) {
            const r = await upload(ann, file, { type });
            assert.equal(r.status, 422, `${path.basename(file)}: ${r.status}`);
            assert.match(r.body, why, path.basename(file));
            assert.match(r.body, /role="alert"/);
        }
        srv.settingSet(dataDir, 'media_max_bytes', 4096);
        const r = await upload(ann, whole);
        assert.equal(r.status, 422);
        assert.match(r.body, /larger than 4 KiB/);
        srv.settingSet(dataDir, 'media_max_bytes', 33554432);
        assert.deepEqual(uploadsFiles(), before, 'no file left, not even a temporary one');
        assert.equal(mediaList().length, n, 'no row left');
    });

    it('a form without a file, a broken multipart body and a stale token are refused', async () => {
        const fd = new FormData();
        fd.append('_csrf', ann.csrf);
        let r = await srv.get(`${server.url}/admin/media/upload`, { method: 'POST', body: fd,
            headers: { Cookie: ann.cookie } });
        assert.equal(r.status, 422);
        assert.match(r.body, /Choose an image file/);
        r = await srv.get(`${server.url}/admin/media/upload`, { method: 'POST', body: '--x\r\nbroken',
            headers: { Cookie: ann.cookie, 'Content-Type': 'multipart/form-data; boundary=x' } });
        assert.equal(r.status, 400);
        const file = img.picture(path.join(work, 'token.jpg'), 100, 100);
        const fd2 = new FormData();
        fd2.append('_csrf', 'not-the-token');
        fd2.append('file', new Blob([fs.readFileSync(file)]), 'token.jpg');
        r = await srv.get(`${server.url}/admin/media/upload`, { method: 'POST', body: fd2,
            headers: { Cookie: ann.cookie } });
        assert.equal(r.status, 403);
    });

    it('contributors may not upload, nor see the library', async () => {
        const cid = await new Newsroom(server.url).login('cid');
        let r = await cid.get('/admin/media/');
        assert.equal(r.status, 403);
        assert.doesNotMatch((await cid.get('/admin/posts/')).body, /href="\/admin\/media\/"/);
        const file = img.picture(path.join(work, 'cid.jpg'), 200, 100);
        r = await upload(cid, file);
        assert.equal(r.status, 403);
        assert.ok(!mediaList().some((m) => m.width === 200 && m.height === 100));
    });

    it('bodies over the usual limit are refused everywhere but the upload address', async () => {
        const big = 'x'.repeat(300 * 1024);
        const r = await srv.postForm(`${server.url}/admin/post/save`, { _csrf: ann.csrf, content: big },
            { Cookie: ann.cookie });
        assert.equal(r.status, 413);
    });
});

describe('the Media screen', () => {
    it('searches, pages, edits texts and deletes', async () => {
        const ids = [];
        for (let i = 0; i < 22; i++) {
            const f = img.picture(path.join(work, `p${i}.png`), 40 + i, 30);
            const r = await upload(ann, f, { type: 'image/png', fields: { title: i === 7 ? 'Council meeting' : `Pic ${i}` } });
            assert.equal(r.status, 303);
            ids.push(Number(/\/admin\/media\/(\d+)/.exec(r.headers.get('location'))[1]));
        }
        let page = await ann.get('/admin/media/');
        assert.equal((page.body.match(/class="media-item"/g) || []).length, 20, 'a page holds 20');
        assert.match(page.body, /<img src="\/uploads\/\d{4}\/\d\d\/[0-9a-f]{20}-\d+\.png" srcset="[^"]+ \d+w"/);
        assert.match(page.body, /href="\/admin\/media\/\?s=&amp;page=2"/);
        page = await ann.get('/admin/media/?page=2');
        assert.ok((page.body.match(/class="media-item"/g) || []).length >= 2);
        page = await ann.get('/admin/media/?s=council');
        assert.equal((page.body.match(/class="media-item"/g) || []).length, 1);
        assert.match(page.body, /Council meeting/);

        const id = ids[7];
        await ann.get(`/admin/media/${id}`);
        let r = await ann.post(`/admin/media/${id}`, { alt: 'Councillors at the table', caption: 'The vote',
            credit: 'Photo: Ann', title: 'Council' });
        assert.equal(r.status, 303);
        const m = mediaList().find((x) => x.id === id);
        assert.equal(m.alt, 'Councillors at the table');
        assert.equal(m.credit, 'Photo: Ann');

        // An editor may change anyone's; delete removes the row and the files.
        const ed = await new Newsroom(server.url).login('ed');
        await ed.get(`/admin/media/${id}`);
        const files = m.copies.map((c) => c.path);
        r = await ed.post(`/admin/media/${id}/delete`, {});
        assert.equal(r.status, 303);
        assert.ok(!mediaList().some((x) => x.id === id));
        for (const f of files) {
            assert.ok(!fs.existsSync(path.join(dataDir, 'uploads', f)), f);
            assert.equal((await fetch(`${server.url}/uploads/${f}`)).status, 404);
        }
    });

    it('an author may not change another author\'s image', async () => {
        srv.userAdd(dataDir, { login: 'bob', name: 'Bob Author', role: 'author' });
        const bob = await new Newsroom(server.url).login('bob');
        const id = mediaList()[0].id;
        await bob.get(`/admin/media/${id}`);
        const r = await bob.post(`/admin/media/${id}/delete`, { confirm: '1' });
        assert.equal(r.status, 403);
        assert.ok(mediaList().some((x) => x.id === id));
    });
});

describe('serving /uploads/', () => {
    it('answers only names of the shape it writes', async () => {
        for (const p of ['/uploads/../gazette.db', '/uploads/2026/12/x.webp', '/uploads/2026/12/abc.jpg',
            '/uploads/2026/12/0123456789abcdef0123-320.webp', '/uploads/2026/12/0123456789abcdef0123-320.svg',
            '/uploads/']) {
            const r = await srv.get(server.url + p);
            assert.equal(r.status, 404, p);
        }
        const r = await srv.get(`${server.url}/uploads/2026/12/0123456789abcdef0123-320.webp`, { method: 'POST' });
        assert.equal(r.status, 405);
    });
});
