// Request body limits on both protocols: 256 KiB everywhere but the upload paths, whose limit
// follows the media_max_bytes setting (and the form around the file) while the server runs. A
// body announced larger (Content-Length, over HTTP/1.1 or HTTP/2) is refused from the head,
// before it is read; one sent without a length (HTTP/1.1 chunked, HTTP/2 without
// content-length) is refused once read. Driven with curl over the TLS listener (ALPN h2).
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { makeCA } = require('./lib/tls');

const FORM_MAX = 5 << 20; // APP_UPLOAD_FORM_MAX: the editor's form around an image
let ca;
let dir;
let dataDir;
let server;
let small; // 300 KiB
let big; // 6 MiB

// curl's answer to a POST of file to path: {status, version, headers, body}. chunked: without a
// length (HTTP/1.1 chunked; HTTP/2 without content-length).
function post(p, file, { http = '--http2', chunked = false } = {}) {
    const body = chunked ? ['-T', '-', '-X', 'POST'] : ['--data-binary', `@${file}`];
    const r = spawnSync('curl', ['-sS', '--max-time', '30', '--cacert', ca.ca, '-D', '-', '-o', '/dev/null', http,
        '-H', 'Content-Type: multipart/form-data; boundary=b', ...body, `${server.url}${p}`],
    { input: chunked ? fs.readFileSync(file) : '', encoding: 'latin1', timeout: 40000, maxBuffer: 1 << 20 });
    assert.equal(r.status, 0, `curl: ${r.stderr}`);
    const head = r.stdout.split('\r\n\r\n').filter((b) => /^HTTP\/[\d.]+ [2-5]/.test(b))[0] || '';
    const lines = head.split('\r\n');
    const m = /^HTTP\/([\d.]+) (\d{3})/.exec(lines[0]);
    const headers = {};
    for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0)
            headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
    }
    return { status: Number(m[2]), version: m[1], headers };
}

before(async () => {
    dir = srv.tempDir('gazette-body-limits-');
    ca = makeCA(path.join(dir, 'ca'));
    ca.issue();
    small = path.join(dir, 'small.bin');
    fs.writeFileSync(small, Buffer.alloc(300 << 10, 0x61));
    big = path.join(dir, 'big.bin');
    fs.writeFileSync(big, Buffer.alloc(6 << 20, 0x62));
    dataDir = srv.newDataDir();
    srv.settingSet(dataDir, 'media_max_bytes', 100000);
    server = await srv.startServer({ dataDir, args: ['--tls-cert', ca.chain, '--tls-key', ca.key] });
});

after(async () => {
    if (server)
        await server.stop();
});

it('a body over 256 KiB elsewhere than the uploads is refused on HTTP/2 and HTTP/1.1, with or without a length', () => {
    for (const [http, version] of [['--http2', '2'], ['--http1.1', '1.1']]) {
        for (const chunked of [false, true]) {
            const r = post('/comment/', small, { http, chunked });
            const what = `${http}${chunked ? ' without a length' : ''}`;
            assert.equal(r.version, version, what);
            assert.equal(r.status, 413, what);
            assert.equal(r.headers['x-content-type-options'], 'nosniff', `${what}: the security headers`);
        }
    }
});

it('the upload paths take up to media_max_bytes and the form, and follow the setting while serving', async () => {
    assert.ok((6 << 20) > 100000 + FORM_MAX);
    for (const http of ['--http2', '--http1.1']) {
        assert.equal(post('/admin/media/upload', big, { http }).status, 413, `${http}: announced over the limit`);
        assert.equal(post('/admin/media/upload', big, { http, chunked: true }).status, 413, `${http}: no length`);
        // under the limit, the newsroom itself answers: the body is no form
        assert.equal(post('/admin/media/upload', small, { http }).status, 400, `${http}: under the limit`);
    }
    srv.settingSet(dataDir, 'media_max_bytes', 2000000);
    for (let i = 0; i < 50; i++) { // each thread reloads the settings at its next request
        spawnSync('curl', ['-sS', '-o', '/dev/null', '--cacert', ca.ca, `${server.url}/`]);
        await new Promise((res) => setTimeout(res, 100));
        if (post('/admin/media/upload', big).status === 400)
            break;
    }
    assert.equal(post('/admin/media/upload', big).status, 400, 'HTTP/2: 6 MiB is under 2 MB and the form now');
    assert.equal(post('/admin/media/upload', big, { http: '--http1.1', chunked: true }).status, 400);
    assert.equal(post('/comment/', small).status, 413, 'the other paths keep their limit');
});
