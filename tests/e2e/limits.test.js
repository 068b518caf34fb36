// Limits that hold, over raw sockets: requests with conflicting framing refused with 400 and the
// connection closed (nothing smuggled behind them is answered), malformed and oversized heads
// answered with the security headers, the connection cap, and running out of file descriptors
// (a low RLIMIT_NOFILE through prlimit) without spinning, while still answering.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const srv = require('./lib/server');

// Sends bytes on a new connection and collects everything until the server closes it (or
// `waitMs` passes). Resolves to {text, closed, responses}.
function exchange(url, bytes, waitMs = 5000) {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
        const sock = net.connect(Number(port), hostname, () => sock.write(bytes));
        let text = '';
        let closed = false;
        sock.setEncoding('latin1');
        const timer = setTimeout(() => sock.destroy(), waitMs);
        sock.on('data', (d) => { text += d; });
        sock.on('end', () => { closed = true; });
        sock.on('error', reject);
        sock.on('close', () => {
            clearTimeout(timer);
            resolve({ text, closed, responses: (text.match(/^HTTP\/1\.1 \d{3}/gm) || []).length });
        });
    });
}

function assertSecurityHeaders(text, what) {
    const head = text.slice(0, text.indexOf('\r\n\r\n')).toLowerCase();
    assert.match(head, /\r\ncontent-security-policy: default-src 'self'/, `${what}: CSP`);
    assert.match(head, /\r\nx-content-type-options: nosniff/, `${what}: nosniff`);
    assert.match(head, /\r\nx-frame-options: deny/, `${what}: X-Frame-Options`);
    assert.match(head, /\r\nreferrer-policy: /, `${what}: Referrer-Policy`);
}

// The CPU seconds (user + system) a process has used, from /proc.
function cpuSeconds(pid) {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
}

// Opens n connections that send nothing; resolves once all are connected.
async function idle(url, n) {
    const { hostname, port } = new URL(url);
    const socks = [];
    for (let i = 0; i < n; i++) {
        socks.push(await new Promise((resolve, reject) => {
            const s = net.connect(Number(port), hostname, () => resolve(s));
            s.on('error', reject);
        }));
        socks[i].on('error', () => {});
    }
    return socks;
}

describe('request framing and heads', () => {
    let server;
    before(async () => {
        server = await srv.startServer({ command: 'demo' });
    });
    after(async () => {
        await server.stop();
    });

    it('refuses two different Content-Length headers with 400 and closes the connection', async () => {
        const r = await exchange(server.url, 'POST /2026/01/01/x/comment/ HTTP/1.1\r\nHost: x\r\n' +
            'Content-Length: 5\r\nContent-Length: 40\r\n\r\nhello' +
            'GET /admin/ HTTP/1.1\r\nHost: x\r\n\r\n');
        assert.match(r.text, /^HTTP\/1\.1 400 Bad Request\r\n/);
        assert.match(r.text, /conflicting Content-Length and Transfer-Encoding/);
        assertSecurityHeaders(r.text, 'two lengths');
        assert.ok(r.closed, 'the server closed the connection');
        assert.equal(r.responses, 1, 'nothing behind the refused request is answered');
    });

    it('refuses Content-Length with Transfer-Encoding, so nothing can be smuggled behind a body', async () => {
        const smuggled = 'GET /admin/ HTTP/1.1\r\nHost: x\r\n\r\n';
        const r = await exchange(server.url, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n' +
            'Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n' + smuggled);
        assert.match(r.text, /^HTTP\/1\.1 400 /);
        assertSecurityHeaders(r.text, 'length and chunked');
        assert.ok(r.closed);
        assert.equal(r.responses, 1);
        const te = await exchange(server.url, 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n' +
            'Content-Length: 60\r\n\r\n0\r\n\r\n');
        assert.match(te.text, /^HTTP\/1\.1 400 /, 'in either order');
    });

    it('accepts a repeated identical Content-Length, and keeps the connection', async () => {
        const r = await exchange(server.url, 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n' +
            'Content-Length: 0\r\n\r\nGET /about/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        assert.equal(r.responses, 2);
        assert.match(r.text, /^HTTP\/1\.1 200 OK/);
    });

    it('answers an unparsable request line and an oversized head with the security headers', async () => {
        const bad = await exchange(server.url, 'GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n');
        assert.match(bad.text, /^HTTP\/1\.1 400 /);
        assert.match(bad.text, /could not be parsed/);
        assertSecurityHeaders(bad.text, 'malformed');
        assert.ok(bad.closed);
        const junk = await exchange(server.url, 'HELLO\r\n\r\n');
        assert.match(junk.text, /^HTTP\/1\.1 400 /);
        assertSecurityHeaders(junk.text, 'junk');
        const big = await exchange(server.url, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(420000)}\r\n\r\n`);
        assert.match(big.text, /^HTTP\/1\.1 431 /);
        assertSecurityHeaders(big.text, 'oversized head');
        const tooMany = await exchange(server.url, 'GET / HTTP/1.1\r\nHost: x\r\n' +
            Array.from({ length: 150 }, (_, i) => `X-H${i}: v\r\n`).join('') + '\r\n');
        assert.match(tooMany.text, /^HTTP\/1\.1 400 /, 'more headers than the parser takes');
        assertSecurityHeaders(tooMany.text, 'too many headers');
    });

    it('answers a body over the limit, an unknown Transfer-Encoding and a bad Expect with the security headers', async () => {
        const big = await exchange(server.url, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n');
        assert.match(big.text, /^HTTP\/1\.1 413 /);
        assertSecurityHeaders(big.text, '413');
        const te = await exchange(server.url, 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n');
        assert.match(te.text, /^HTTP\/1\.1 400 /);
        assertSecurityHeaders(te.text, 'unknown transfer-encoding');
        const ex = await exchange(server.url, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: x\r\n\r\n');
        assert.match(ex.text, /^HTTP\/1\.1 417 /);
        assertSecurityHeaders(ex.text, '417');
    });
});

describe('connections and descriptors', () => {
    it('holds new connections in the queue at --max-connections and serves them when one closes', async () => {
        const server = await srv.startServer({ command: 'demo', threads: 1, args: ['--max-connections', '4'] });
        try {
            const socks = await idle(server.url, 4);
            await new Promise((r) => setTimeout(r, 200));
            let done = false;
            const waiting = srv.get(server.url + '/about/').then((r) => { done = true; return r; });
            await new Promise((r) => setTimeout(r, 700));
            assert.equal(done, false, 'a fifth connection waits while four are open');
            socks[0].destroy();
            const r = await waiting;
            assert.equal(r.status, 200, 'and is served once one closes');
            for (const s of socks)
                s.destroy();
        } finally {
            await server.stop();
        }
    });

    it('runs out of descriptors without spinning, tells waiting clients to come back, and recovers', async () => {
        const server = await srv.startServer({ command: 'demo', prefix: ['prlimit', '--nofile=128:128'],
            args: ['--max-connections', '100000'] });
        let socks = [];
        try {
            socks = await idle(server.url, 400);
            await new Promise((r) => setTimeout(r, 500));
            const before = cpuSeconds(server.pid);
            await new Promise((r) => setTimeout(r, 2000));
            const used = cpuSeconds(server.pid) - before;
            assert.ok(used < 0.3, `the server used ${used} s of CPU in 2 s while out of descriptors`);
            const r = await exchange(server.url, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 5000);
            assert.match(r.text, /^HTTP\/1\.1 503 Service Unavailable\r\n/, 'still answers, from its reserve');
            assert.match(r.text, /Retry-After: 1/);
            assertSecurityHeaders(r.text, '503');
            for (const s of socks)
                s.destroy();
            socks = [];
            let status = 0;
            for (let i = 0; i < 50 && status !== 200; i++) {
                await new Promise((res) => setTimeout(res, 100));
                status = (await srv.get(server.url + '/about/')).status;
            }
            assert.equal(status, 200, 'serves again once descriptors are free');
        } finally {
            for (const s of socks)
                s.destroy();
            await server.stop();
        }
    });
});
