// Animated GIFs in the media library: every WebP copy keeps the animation (each frame resized, the
// delays and the loop count kept, no metadata), the JPEG/PNG fallback shows the first frame, and
// the pixel limit counts every frame, so a GIF of many large frames is refused before it is
// decoded. The GIFs are made with ImageMagick's convert (Debian imagemagick). docs/media.md.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { Newsroom } = require('./lib/admin');
const img = require('./lib/images');

const MAX_PIXELS = 2000000;

let dataDir;
let server;
let work;
let ann;

// A GIF of w x h with one frame a colour, 0.2 s each, looping for ever.
function gif(name, w, h, colours) {
    const file = path.join(work, name);
    execFileSync('convert', ['-size', `${w}x${h}`, ...colours.map((c) => `xc:${c}`), '-set', 'delay', '20',
        '-loop', '0', file]);
    return file;
}

function vipsField(file, field) {
    return execFileSync('vipsheader', ['-f', field, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

async function upload(file, alt) {
    const fd = new FormData();
    fd.append('_csrf', ann.csrf);
    fd.append('alt', alt);
    fd.append('file', new Blob([fs.readFileSync(file)], { type: 'image/gif' }), path.basename(file));
    return srv.get(`${server.url}/admin/media/upload`, { method: 'POST', body: fd, headers: { Cookie: ann.cookie } });
}

function medium(alt) {
    return JSON.parse(srv.cli(dataDir, ['media', 'list', '--format=json']).stdout).find((m) => m.alt === alt);
}

before(async () => {
    dataDir = srv.newDataDir();
    work = srv.tempDir('gazette-media-gif-');
    srv.settingSet(dataDir, 'media_max_pixels', MAX_PIXELS);
    srv.userAdd(dataDir, { login: 'ann', name: 'Ann Author', role: 'author' });
    server = await srv.startServer({ dataDir });
    ann = await new Newsroom(server.url).login('ann');
    await ann.get('/admin/media/');
});

after(async () => {
    if (server)
        await server.stop();
});

it('an animated GIF keeps its three frames in every WebP copy; the fallback is its first frame', async () => {
    const file = gif('traffic.gif', 700, 400, ['red', 'yellow', 'green']);
    assert.equal(vipsField(file, 'n-pages'), '3', 'the source has three frames');
    const r = await upload(file, 'A traffic light changing');
    assert.equal(r.status, 303, r.body.slice(0, 300));
    const m = medium('A traffic light changing');
    assert.equal(m.mime, 'image/gif');
    assert.deepEqual([m.width, m.height], [700, 400]);
    assert.deepEqual(m.copies.map((c) => `${c.format} ${c.width}x${c.height}`).sort(),
        ['png 320x183', 'png 640x366', 'png 700x400', 'webp 320x183', 'webp 640x366', 'webp 700x400']);
    for (const c of m.copies) {
        const res = await fetch(`${server.url}/uploads/${c.path}`);
        assert.equal(res.status, 200);
        const local = path.join(work, `got-${path.basename(c.path)}`);
        fs.writeFileSync(local, Buffer.from(await res.arrayBuffer()));
        assert.equal(img.metadata(local), '', `${c.path}: no metadata`);
        if (c.format === 'webp') {
            assert.equal(vipsField(`${local}[n=-1]`, 'n-pages'), '3', `${c.path}: three frames`);
            assert.equal(vipsField(`${local}[n=-1]`, 'page-height'), String(c.height), `${c.path}: frame height`);
            assert.equal(vipsField(local, 'delay'), '200 200 200', `${c.path}: the delays`);
            assert.equal(vipsField(local, 'loop'), '0', `${c.path}: loops for ever`);
            const h = img.header(local);
            assert.deepEqual([h.width, h.height], [c.width, c.height]);
        } else {
            assert.throws(() => vipsField(local, 'n-pages'), undefined, `${c.path}: one frame`);
            const red = img.pixel(local, 10, 10);
            assert.ok(red[0] > 200 && red[1] < 60, `${c.path}: the first frame (red): ${red}`);
        }
    }
});

it('the pixel limit counts every frame: a frame bomb is refused, the same size in one frame is not', async () => {
    const before = img.filesUnder(path.join(dataDir, 'uploads'));
    // 1000 x 800 is 0.8 megapixels a frame: one frame fits in 2 million, three do not
    const bomb = gif('bomb.gif', 1000, 800, ['red', 'green', 'blue']);
    const r = await upload(bomb, 'Three large frames');
    assert.equal(r.status, 422);
    assert.match(r.body, /The image has more than 2 million pixels in all its frames\./);
    assert.equal(medium('Three large frames'), undefined);
    assert.deepEqual(img.filesUnder(path.join(dataDir, 'uploads')), before, 'nothing left on disk');
    const one = gif('one.gif', 1000, 800, ['blue']);
    assert.equal((await upload(one, 'One large frame')).status, 303);
    assert.ok(medium('One large frame').copies.length > 0);
});
