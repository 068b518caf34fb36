// Compressed answers over real connections (node:http, which leaves bodies as they come): brotli
// or gzip by Accept-Encoding with its q-values, identity and *; Vary and an ETag per coding; HTML,
// feeds, CSS and JavaScript compressed; images, small bodies and pages made for one visitor not.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const zlib = require('node:zlib');
const srv = require('./lib/server');
const { Newsroom } = require('./lib/admin');

// GET (or HEAD) without any decoding: {status, headers, body: Buffer}.
function raw(url, headers = {}, method = 'GET') {
    return new Promise((resolve, reject) => {
        const req = http.request(url, { method, headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
    });
}

function decode(r) {
    const coding = r.headers['content-encoding'];
    if (coding === 'br')
        return zlib.brotliDecompressSync(r.body).toString('utf8');
    if (coding === 'gzip')
        return zlib.gunzipSync(r.body).toString('utf8');
    assert.equal(coding, undefined, `unknown coding ${coding}`);
    return r.body.toString('utf8');
}

describe('compression', () => {
    let server;
    let theme;
    let article;

    before(async () => {
        // the default theme, with an image, a small file and a large text file besides
        theme = path.join(srv.tempDir('gazette-ztheme-'), 'theme');
        fs.cpSync(path.join(srv.ROOT, 'themes', 'default'), theme, { recursive: true });
        const png = Buffer.alloc(4096, 0x41);
        Buffer.from('89504e470d0a1a0a', 'hex').copy(png);
        fs.writeFileSync(path.join(theme, 'logo.png'), png); // very compressible bytes, all the same
        fs.writeFileSync(path.join(theme, 'small.txt'), 'a small file\n'.repeat(10));
        server = await srv.startServer({ command: 'demo', args: ['--theme', theme] });
        const first = await raw(server.url + '/');
        assert.equal(first.status, 200, `the demo's home page: ${first.body.toString().slice(0, 300)}`);
        const home = first.body.toString();
        article = /href="(\/\d{4}\/\d\d\/\d\d\/[^"]+\/)"/.exec(home)[1];
    });
    after(async () => {
        await server.stop();
    });

    it('sends brotli or gzip by Accept-Encoding, the same page once decoded, with Vary', async () => {
        const plain = await raw(server.url + article);
        assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: identity');
        assert.ok(plain.body.length > 1024);
        for (const [ae, want] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['br;q=0.5, gzip;q=0.9', 'gzip'],
            ['br;q=0.9, gzip;q=0.8', 'br'], ['*', 'br'], ['br;q=0, *', 'gzip'], ['identity', undefined],
            ['gzip;q=0, br;q=0', undefined], ['identity;q=0, *;q=0', undefined], ['deflate', undefined]]) {
            const r = await raw(server.url + article, { 'Accept-Encoding': ae });
            assert.equal(r.status, 200, ae);
            assert.equal(r.headers['content-encoding'], want, `Accept-Encoding: ${ae}`);
            assert.equal(r.headers.vary, 'Accept-Encoding', `${ae}: Vary`);
            assert.equal(Number(r.headers['content-length']), r.body.length, `${ae}: Content-Length of what is sent`);
            assert.equal(decode(r), plain.body.toString('utf8'), `${ae}: the same page`);
            if (want)
                assert.ok(r.body.length < plain.body.length / 2, `${ae}: ${r.body.length} of ${plain.body.length}`);
        }
    });

    it('gives each coding its own ETag, and 304 only for the ETag of the coding being sent', async () => {
        const br = await raw(server.url + article, { 'Accept-Encoding': 'br' });
        const gz = await raw(server.url + article, { 'Accept-Encoding': 'gzip' });
        const id = await raw(server.url + article);
        const tags = [br.headers.etag, gz.headers.etag, id.headers.etag];
        assert.equal(new Set(tags).size, 3, `three ETags: ${tags}`);
        assert.match(br.headers.etag, /^"[0-9a-f]{16}-br"$/);
        assert.match(gz.headers.etag, /^"[0-9a-f]{16}-gz"$/);
        const again = await raw(server.url + article, { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag });
        assert.equal(again.status, 304);
        assert.equal(again.body.length, 0);
        assert.equal(again.headers.etag, br.headers.etag);
        assert.equal(again.headers.vary, 'Accept-Encoding');
        const other = await raw(server.url + article, { 'Accept-Encoding': 'br', 'If-None-Match': gz.headers.etag });
        assert.equal(other.status, 200, 'a gzip ETag does not validate the brotli body');
        assert.equal(other.headers['content-encoding'], 'br');
    });

    it('answers HEAD with the headers of the coding it would send', async () => {
        const get = await raw(server.url + article, { 'Accept-Encoding': 'br' });
        const head = await raw(server.url + article, { 'Accept-Encoding': 'br' }, 'HEAD');
        assert.equal(head.status, 200);
        assert.equal(head.body.length, 0);
        assert.equal(head.headers['content-encoding'], 'br');
        assert.equal(head.headers['content-length'], get.headers['content-length']);
    });

    it('compresses the home page, feeds, the stylesheet and the newsroom\'s script', async () => {
        const home = (await raw(server.url + '/', { 'Accept-Encoding': 'br' }));
        assert.equal(home.headers['content-encoding'], 'br');
        const css = /href="(\/static\/style\.[0-9a-f]{16}\.css)"/.exec(decode(home))[1];
        for (const p of ['/feed/', '/feed/atom/', '/comments/feed/', css, '/static/admin.js', '/static/style.css',
            '/no/such/page/']) {
            const r = await raw(server.url + p, { 'Accept-Encoding': 'gzip, br' });
            assert.equal(r.headers['content-encoding'], 'br', p);
            const g = await raw(server.url + p, { 'Accept-Encoding': 'gzip' });
            assert.equal(g.headers['content-encoding'], 'gzip', p);
            assert.equal(decode(g), decode(r), `${p}: the same bytes either way`);
        }
    });

    it('never compresses images, nor bodies under 1 KB', async () => {
        const png = await raw(server.url + '/static/logo.png', { 'Accept-Encoding': 'gzip, br' });
        assert.equal(png.status, 200);
        assert.equal(png.headers['content-type'], 'image/png');
        assert.equal(png.headers['content-encoding'], undefined, 'an image is never compressed again');
        assert.equal(png.body.length, 4096);
        assert.equal(png.headers.vary, undefined, 'nothing varies');
        const small = await raw(server.url + '/static/small.txt', { 'Accept-Encoding': 'gzip, br' });
        assert.equal(small.body.length, 130);
        assert.equal(small.headers['content-encoding'], undefined, 'small: sent as it is');
    });

    it('sends pages made for one visitor uncompressed (their secrets must not leak through sizes)', async () => {
        const ae = { 'Accept-Encoding': 'gzip, br' };
        const withQuery = await raw(`${server.url}${article}?replytocom=1`, ae);
        assert.equal(withQuery.status, 200);
        assert.match(withQuery.headers['cache-control'], /private, no-store/);
        assert.equal(withQuery.headers['content-encoding'], undefined);
        const cookie = await raw(server.url + article,
            { ...ae, Cookie: 'gazette_commenter=author%3DAda%26email%3Dada%40example.com' });
        assert.equal(cookie.headers['content-encoding'], undefined);
        srv.userAdd(server.dataDir, { login: 'zed', role: 'administrator' });
        const editor = await new Newsroom(server.url).login('zed');
        const admin = await raw(server.url + '/admin/posts/', { ...ae, Cookie: editor.cookie });
        assert.equal(admin.status, 200);
        assert.equal(admin.headers['cache-control'], 'private, no-store');
        assert.equal(admin.headers['content-encoding'], undefined, 'the newsroom holds CSRF tokens');
        assert.match(admin.body.toString(), /_csrf/);
    });
});
