// HTTPS as a site owner runs it: a certificate from a (throwaway) CA, clients that verify it (curl
// --cacert, node), TLS 1.2 and 1.3, HTTP/2 and HTTP/1.1 by ALPN (h2load, nghttp), session
// resumption, OCSP stapling, HSTS, the cleartext listener's redirect, and SIGHUP taking a renewed
// certificate without dropping the connections that are open.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const srv = require('./lib/server');
const { makeCA, startOcspResponder, freePort, servedSerial } = require('./lib/tls');

// Runs curl with the test CA; returns {status, version, headers (lower-case names), body}.
function curl(ca, args) {
    const r = spawnSync('curl', ['-sS', '--max-time', '20', '--cacert', ca, '-D', '-', ...args],
        { encoding: 'latin1', timeout: 30000 });
    assert.equal(r.status, 0, `curl ${args.join(' ')}: ${r.stderr}`);
    // with -L, one header block per response: the last one is the answer's
    let rest = r.stdout, cut = rest.indexOf('\r\n\r\n');
    while (/^HTTP\/[\d.]+ 3\d\d/.test(rest) && /^HTTP\//.test(rest.slice(cut + 4))) {
        rest = rest.slice(cut + 4);
        cut = rest.indexOf('\r\n\r\n');
    }
    r.stdout = rest;
    const lines = r.stdout.slice(0, cut).split('\r\n');
    const m = /^HTTP\/([\d.]+) (\d{3})/.exec(lines[0]);
    const headers = {};
    for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
    }
    return { status: Number(m[2]), version: m[1], headers, body: r.stdout.slice(cut + 4) };
}

function portOf(url) {
    return Number(new URL(url).port);
}

// openssl s_client's report of a handshake with the server (stdin closed after `send`).
function sClient(port, args, send = '') {
    return spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...args],
        { input: send, encoding: 'utf8', timeout: 20000 });
}

describe('HTTPS', () => {
    let ca;
    let server;
    let dir;

    before(async () => {
        dir = srv.tempDir('gazette-tls-');
        ca = makeCA(path.join(dir, 'ca'));
        ca.issue();
        server = await srv.startServer({
            command: 'demo',
            args: ['--tls-cert', ca.chain, '--tls-key', ca.key, '--redirect-http', '127.0.0.1:0'],
        });
    });
    after(async () => {
        await server.stop();
    });

    it('serves the site over TLS 1.3 and 1.2 to a client that verifies the chain, HTTP/2 or HTTP/1.1 by ALPN', () => {
        assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
        const h2 = curl(ca.ca, ['--tlsv1.3', `${server.url}/`]);
        assert.equal(h2.status, 200);
        assert.equal(h2.version, '2', 'ALPN h2');
        assert.match(h2.body, /<!DOCTYPE html>/i);
        assert.equal(h2.headers['x-content-type-options'], 'nosniff');
        const h1 = curl(ca.ca, ['--http1.1', '--tlsv1.2', '--tls-max', '1.2',
            `https://localhost:${portOf(server.url)}/`]);
        assert.equal(h1.status, 200);
        assert.equal(h1.version, '1.1', 'ALPN http/1.1');
        assert.equal(h1.body, h2.body, 'the same page');
        const v12 = sClient(portOf(server.url), ['-tls1_2', '-CAfile', ca.ca]);
        assert.match(v12.stdout, /Protocol\s*: TLSv1\.2/);
        assert.match(v12.stdout, /Verify return code: 0 \(ok\)/);
    });

    it('refuses TLS 1.1 and older', () => {
        const old = sClient(portOf(server.url), ['-tls1_1', '-cipher', 'DEFAULT:@SECLEVEL=0']);
        assert.match(old.stdout, /written [1-9]\d* bytes/, 'the client did offer TLS 1.1');
        assert.match(old.stdout, /Cipher is \(NONE\)/, 'no session');
        assert.match(old.stdout, /no peer certificate available/);
    });

    it('answers h2load and nghttp over h2', () => {
        const load = spawnSync('h2load', ['-n', '200', '-c', '4', '-m', '4', `${server.url}/`],
            { encoding: 'utf8', timeout: 60000 });
        assert.equal(load.status, 0, load.stderr);
        assert.match(load.stdout, /Application protocol: h2/);
        assert.match(load.stdout, /requests: 200 total, 200 started, 200 done, 200 succeeded, 0 failed/);
        assert.match(load.stdout, /status codes: 200 2xx/);
        const one = spawnSync('nghttp', ['-v', `${server.url}/`], { encoding: 'utf8', timeout: 30000 });
        assert.equal(one.status, 0, one.stderr);
        assert.match(one.stdout, /:status: 200/);
        assert.match(one.stdout, /content-security-policy:/);
    });

    it('resumes sessions (TLS 1.3 tickets, TLS 1.2 session ids)', () => {
        for (const v of ['-tls1_3', '-tls1_2']) {
            const sess = path.join(dir, `sess${v}.pem`);
            // a request, so that the client waits for the TLS 1.3 ticket that follows the handshake
            const req = 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';
            const first = sClient(portOf(server.url), [v, '-CAfile', ca.ca, '-alpn', 'http/1.1', '-ign_eof',
                '-sess_out', sess], req);
            assert.match(first.stdout, /^New, /m, v);
            const again = sClient(portOf(server.url), [v, '-CAfile', ca.ca, '-alpn', 'http/1.1', '-ign_eof',
                '-sess_in', sess], req);
            assert.match(again.stdout, /^Reused, /m, `${v}: the session is resumed`);
            assert.match(again.stdout, /HTTP\/1\.1 200 OK/);
        }
    });

    it('sends Strict-Transport-Security over HTTPS when the hsts setting asks for it', async () => {
        assert.equal(curl(ca.ca, [`${server.url}/`]).headers['strict-transport-security'], undefined, 'off by default');
        srv.settingSet(server.dataDir, 'hsts', 'max-age=31536000; includeSubDomains');
        const r = curl(ca.ca, [`${server.url}/`]);
        assert.equal(r.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
        assert.equal(curl(ca.ca, [`${server.url}/admin/login`]).headers['strict-transport-security'],
            'max-age=31536000; includeSubDomains', 'the newsroom too');
        const plain = curl(ca.ca, [`${server.redirectUrl}/`]);
        assert.equal(plain.headers['strict-transport-security'], undefined, 'never over cleartext');
        srv.settingSet(server.dataDir, 'hsts', '');
    });

    it('answers cleartext requests with a 301 to the same address over HTTPS', () => {
        assert.match(server.redirectUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
        const port = portOf(server.url);
        const r = curl(ca.ca, ['-H', 'Host: news.example:8080', `${server.redirectUrl}/2026/05/04/story/?replytocom=3`]);
        assert.equal(r.status, 301);
        assert.equal(r.headers.location, `https://news.example:${port}/2026/05/04/story/?replytocom=3`);
        assert.equal(r.headers['x-content-type-options'], 'nosniff');
        assert.match(r.headers['content-security-policy'], /default-src 'self'/);
        const v6 = curl(ca.ca, ['-H', 'Host: [::1]:80', `${server.redirectUrl}/feed/`]);
        assert.equal(v6.headers.location, `https://[::1]:${port}/feed/`);
        const bad = curl(ca.ca, ['-H', 'Host: evil"<x>', `${server.redirectUrl}/`]);
        assert.equal(bad.status, 400, 'no Location from a Host that is not a host name');
        // followed by a client that verifies the certificate, the redirect leads to the page
        const followed = curl(ca.ca, ['-L', '-H', `Host: localhost:${portOf(server.redirectUrl)}`,
            `${server.redirectUrl}/about/`]);
        assert.equal(followed.status, 200);
        assert.match(followed.body, /<h1[^>]*>About/);
    });

    it('takes a renewed certificate on SIGHUP; open connections go on, new ones get the new certificate', async () => {
        const port = portOf(server.url);
        const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: fs.readFileSync(ca.ca) });
        const get = () => new Promise((resolve, reject) => {
            const req = https.get({ host: '127.0.0.1', port, path: '/', agent, servername: 'localhost' }, (res) => {
                const serial = res.socket.getPeerCertificate().serialNumber;
                res.resume();
                res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket, serial }));
            });
            req.on('error', reject);
        });
        const before = await get();
        assert.equal(before.status, 200);
        const oldSerial = servedSerial(port);
        assert.equal(before.serial.replace(/^0+/, ''), oldSerial);

        const newSerial = ca.issue();
        assert.notEqual(newSerial, oldSerial);
        process.kill(server.pid, 'SIGHUP');
        let served = oldSerial;
        for (let i = 0; i < 50 && served !== newSerial; i++) {
            await new Promise((r) => setTimeout(r, 100));
            served = servedSerial(port);
        }
        assert.equal(served, newSerial, 'a new connection gets the renewed certificate');
        const during = await get();
        assert.equal(during.status, 200);
        assert.ok(during.reused, 'the connection opened before the reload is still open and answers');
        assert.equal(during.serial.replace(/^0+/, ''), oldSerial, 'with the certificate it started with');
        agent.destroy();
        assert.match(server.output().stderr, /SIGHUP: TLS certificate and key reloaded/);

        // a broken file on the next SIGHUP: the server says so and keeps what it has
        fs.writeFileSync(ca.key, 'not a key\n');
        process.kill(server.pid, 'SIGHUP');
        for (let i = 0; i < 50 && !/keeping the certificate in use/.test(server.output().stderr); i++)
            await new Promise((r) => setTimeout(r, 100));
        assert.match(server.output().stderr, /TLS key .*site\.key/);
        assert.match(server.output().stderr, /keeping the certificate in use/);
        assert.equal(servedSerial(port), newSerial);
        assert.equal(curl(ca.ca, [`${server.url}/`]).status, 200);
    });
});

describe('HTTPS: OCSP stapling and refusals', () => {
    it('staples the responder\'s answer when the certificate names one, and none when it does not', async () => {
        const dir = srv.tempDir('gazette-ocsp-');
        const ca = makeCA(path.join(dir, 'ca'));
        const port = await freePort();
        ca.issue({ ocspUrl: `http://127.0.0.1:${port}` }); // before the responder reads its index
        const responder = await startOcspResponder(ca, port);
        const server = await srv.startServer({ args: ['--tls-cert', ca.chain, '--tls-key', ca.key] });
        try {
            let out = '';
            for (let i = 0; i < 100 && !/OCSP Response Status: successful/.test(out); i++) {
                out = sClient(portOf(server.url), ['-status', '-CAfile', ca.ca]).stdout;
                if (!/OCSP Response Status: successful/.test(out))
                    await new Promise((r) => setTimeout(r, 100));
            }
            assert.match(out, /OCSP Response Status: successful/);
            assert.match(out, /Cert Status: good/);
            assert.match(out, /Verify return code: 0 \(ok\)/);
        } finally {
            await server.stop();
            responder.stop();
        }

        ca.issue(); // no responder named
        const plain = await srv.startServer({ args: ['--tls-cert', ca.chain, '--tls-key', ca.key] });
        try {
            const out = sClient(portOf(plain.url), ['-status', '-CAfile', ca.ca]).stdout;
            assert.match(out, /OCSP response: no response sent/);
        } finally {
            await plain.stop();
        }
    });

    it('refuses to start with a missing or mismatched key, and TLS options that do not go together', () => {
        const dir = srv.tempDir('gazette-badtls-');
        const ca = makeCA(path.join(dir, 'ca'));
        ca.issue();
        const other = makeCA(path.join(dir, 'other'));
        other.issue();
        const data = srv.newDataDir();
        const run = (args) => srv.cli(data, ['serve', '--listen', '127.0.0.1:0', ...args], { allowFail: true });
        let r = run(['--tls-cert', ca.chain, '--tls-key', path.join(dir, 'missing.key')]);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /TLS key .*missing\.key/);
        r = run(['--tls-cert', ca.chain, '--tls-key', other.key]);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /TLS key .*other\/site\.key: .*mismatch/, 'a key that is not the certificate\'s');
        r = run(['--tls-cert', ca.chain]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /--tls-cert and --tls-key go together/);
        r = run(['--redirect-http', '127.0.0.1:0']);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /--redirect-http needs --tls-cert/);
    });

    it('reads the certificate, key and redirect listener from the config file', async () => {
        const dir = srv.tempDir('gazette-tlsini-');
        const ca = makeCA(path.join(dir, 'ca'));
        ca.issue();
        const ini = path.join(dir, 'gazette.ini');
        fs.writeFileSync(ini, `[server]\ntls_cert = ${ca.chain}\ntls_key = ${ca.key}\nredirect_http = 127.0.0.1:0\n`);
        const server = await srv.startServer({ args: ['--config', ini] });
        try {
            assert.match(server.url, /^https:/);
            assert.equal(curl(ca.ca, [`${server.url}/`]).status, 200);
            assert.equal(curl(ca.ca, [`${server.redirectUrl}/`]).status, 301);
        } finally {
            await server.stop();
        }
    });
});
