// A throwaway certificate authority for the HTTPS tests, made with the openssl command: a CA and
// certificates for localhost and 127.0.0.1 signed by it (naming an OCSP responder when asked),
// written as the files gazette (chain and key) and curl (--cacert) take; and that CA's OCSP
// responder (`openssl ocsp`) on a free port.
'use strict';

const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

function openssl(args, opts = {}) {
    const r = spawnSync('openssl', args, { encoding: 'utf8', timeout: 30000, ...opts });
    if (r.error)
        throw r.error;
    assert.equal(r.status, 0, `openssl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

// A free TCP port on 127.0.0.1 (free when this returns; good enough for a test's own listener).
function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

// Makes DIR/ca.crt (CA), and with issue(): DIR/chain.pem (the leaf then the CA) and DIR/site.key.
// Returns {dir, ca, chain, key, issue({ocspUrl}) -> serial (hex), ocspIndex}.
function makeCA(dir) {
    fs.mkdirSync(dir, { recursive: true });
    const f = (n) => path.join(dir, n);
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'),
        '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=Gazette Test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
        '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
    fs.writeFileSync(f('index.txt'), '');
    let n = 0;
    return {
        dir,
        ca: f('ca.crt'),
        chain: f('chain.pem'),
        key: f('site.key'),
        ocspIndex: f('index.txt'),
        // A new key and certificate for localhost, written over chain.pem and site.key.
        issue({ ocspUrl } = {}) {
            n++;
            const ext = ['subjectAltName=DNS:localhost,IP:127.0.0.1', 'basicConstraints=CA:FALSE',
                'extendedKeyUsage=serverAuth'];
            if (ocspUrl)
                ext.push(`authorityInfoAccess=OCSP;URI:${ocspUrl}`);
            fs.writeFileSync(f(`ext${n}.cnf`), ext.join('\n') + '\n');
            openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout',
                f(`site${n}.key`), '-out', f(`site${n}.csr`), '-subj', '/CN=localhost']);
            const serial = (0x1000 + n).toString(16).toUpperCase();
            openssl(['x509', '-req', '-in', f(`site${n}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'),
                '-set_serial', `0x${serial}`, '-out', f(`site${n}.crt`), '-days', '2', '-extfile', f(`ext${n}.cnf`)]);
            const end = /notAfter=(.*)/.exec(openssl(['x509', '-in', f(`site${n}.crt`), '-noout', '-enddate']))[1];
            const d = new Date(end);
            const stamp = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
            fs.appendFileSync(f('index.txt'), `V\t${stamp}\t\t${serial}\tunknown\t/CN=localhost\n`);
            fs.writeFileSync(f('chain.pem'), fs.readFileSync(f(`site${n}.crt`), 'utf8') + fs.readFileSync(f('ca.crt'), 'utf8'));
            fs.copyFileSync(f(`site${n}.key`), f('site.key'));
            return serial;
        },
    };
}

// Starts the CA's OCSP responder on port; resolves to {url, stop()} once it says it accepts (a
// connection made to find out would hold up this one-at-a-time responder).
function startOcspResponder(ca, port) {
    const child = spawn('openssl', ['ocsp', '-index', ca.ocspIndex, '-port', String(port), '-rsigner', ca.ca, '-rkey',
        path.join(ca.dir, 'ca.key'), '-CA', ca.ca, '-ignore_err'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.unref();
    child.stdout.unref();
    child.stderr.unref();
    process.on('exit', () => child.kill('SIGKILL'));
    return new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`the OCSP responder did not start: ${out}`));
        }, 10000);
        const seen = (d) => {
            out += d;
            if (/ACCEPT/.test(out)) {
                clearTimeout(timer);
                resolve({ url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') });
            }
        };
        child.stdout.on('data', seen);
        child.stderr.on('data', seen);
    });
}

// The serial number (hex, upper case) of the certificate a server presents on 127.0.0.1:port.
function servedSerial(port) {
    const pem = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost'],
        { input: '', encoding: 'utf8', timeout: 20000 }).stdout;
    const out = spawnSync('openssl', ['x509', '-noout', '-serial'], { input: pem, encoding: 'utf8' }).stdout;
    const m = /serial=([0-9A-F]+)/.exec(out);
    assert.ok(m, `no certificate served on port ${port}: ${out}`);
    return m[1].replace(/^0+/, '');
}

module.exports = { makeCA, startOcspResponder, freePort, openssl, servedSerial };
