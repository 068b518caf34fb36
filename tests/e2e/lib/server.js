// Drives the real gazette binary for the end-to-end tests: a fresh data directory, the server on a
// free loopback port, the command line against the same data, and HTTP without redirects.
// GAZETTE_BIN names the binary (make e2e gives the sanitizer build); build/gazette otherwise.
// GAZETTE_E2E_DATABASE=pg (make e2e-pg) puts each new data directory's database on the PostgreSQL
// server GAZETTE_TEST_PG names (scripts/pgtest): a new database copied from its template, passed
// with --database wherever the directory is; the directory still holds the uploads.
'use strict';

const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.resolve(ROOT, process.env.GAZETTE_BIN || 'build/gazette');
const START_TIMEOUT_MS = 15000;
const STOP_TIMEOUT_MS = 15000;
const NOTIFY_WAIT_MS = 50;

const PG = process.env.GAZETTE_E2E_DATABASE === 'pg';
const tempDirs = new Set();
const running = new Set(); // servers not yet seen to exit
const databases = new Map(); // data directory -> PostgreSQL database name
const kept = new Set(); // seed databases, not dropped at exit
process.on('exit', () => {
    // A test that failed before stopping its server must not leave it running.
    for (const child of running)
        child.kill('SIGKILL');
    for (const d of tempDirs)
        fs.rmSync(d, { recursive: true, force: true });
    for (const name of databases.values())
        if (!kept.has(name))
            psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

// Runs one statement on the PostgreSQL test server's postgres database.
function psql(sql) {
    const server = process.env.GAZETTE_TEST_PG;
    assert.ok(server, 'GAZETTE_E2E_DATABASE=pg needs GAZETTE_TEST_PG (scripts/pgtest run)');
    const r = spawnSync('psql', ['-qX', '-v', 'ON_ERROR_STOP=1', server, '-c', sql], { encoding: 'utf8' });
    if (r.status !== 0)
        throw new Error(`psql ${sql}: ${r.stderr}`);
}

// The URL of a database on the test server (its name in place of postgres).
function pgUrl(name) {
    return process.env.GAZETTE_TEST_PG.replace(/^(postgres(?:ql)?:\/\/[^/]*\/)[^?]*/, `$1${name}`);
}

// The --database option for a data directory: [] on SQLite (the directory is the database).
function databaseArgs(dataDir) {
    const name = databases.get(dataDir);
    return name ? ['--database', pgUrl(name)] : [];
}

// The database URL of a data directory, as the binary is given it.
function databaseUrl(dataDir) {
    const name = databases.get(dataDir);
    return name ? pgUrl(name) : `sqlite:${dataDir}`;
}

// A new empty directory under the system temp dir, removed when the test process exits.
function tempDir(prefix = 'gazette-e2e-') {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    tempDirs.add(d);
    return d;
}

function removeDir(d) {
    fs.rmSync(d, { recursive: true, force: true });
    tempDirs.delete(d);
}

// A fresh data directory for the server and the CLI (the binary creates what it needs inside).
// On PostgreSQL its database is a copy of `template` (a database of the test server: the empty
// schema unless given), or, with `keep`, that name (a seed database, kept for the server's life).
function newDataDir({ template = 'gazette_template', keep = null } = {}) {
    const dir = path.join(tempDir(), 'data');
    if (PG) {
        const name = keep || `gz_e2e_${process.pid}_${databases.size + 1}`;
        psql(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        databases.set(dir, name);
        if (keep)
            kept.add(name);
    }
    return dir;
}

// Renames the kept database of a data directory to `name` (a seed, made under a name of its own so
// that test processes seeding at the same time do not meet), unless another process got there
// first: then its own copy is dropped and the other's is used. Either way `name` holds the seed.
function publishDatabase(dataDir, name) {
    const own = databases.get(dataDir);
    try {
        psql(`ALTER DATABASE ${own} RENAME TO ${name}`);
    } catch (e) {
        if (!/already exists/.test(e.message))
            throw e;
        psql(`DROP DATABASE ${own} WITH (FORCE)`);
    }
    kept.delete(own);
    kept.add(name);
    databases.set(dataDir, name);
}

// 1 when the test server has a database of that name.
function pgHas(name) {
    const r = spawnSync('psql', ['-tAX', process.env.GAZETTE_TEST_PG, '-c',
        `SELECT 1 FROM pg_database WHERE datname = '${name}'`], { encoding: 'utf8' });
    return r.status === 0 && r.stdout.trim() === '1';
}

// The database name behind a data directory (PostgreSQL), else null.
function databaseName(dataDir) {
    return databases.get(dataDir) || null;
}

// Everything the database of a data directory holds, as stored, for a test that some secret is
// not kept: the SQLite files (gazette.db and its journal or write-ahead log), or on PostgreSQL a
// pg_dump of the directory's database (every table's rows as text).
function storedDatabase(dataDir) {
    const name = databases.get(dataDir);
    if (!name)
        return Buffer.concat(fs.readdirSync(dataDir).filter((f) => /^gazette\.db(-\w+)?$/.test(f))
            .map((f) => fs.readFileSync(path.join(dataDir, f))));
    const r = spawnSync('pg_dump', ['--data-only', pgUrl(name)], { maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0)
        throw new Error(`pg_dump ${name}: ${r.stderr}`);
    return r.stdout;
}

// Runs `gazette --data DIR ARGS...` with `input` on stdin; throws with stderr unless it exits 0
// (or `allowFail` is set). Returns {status, stdout, stderr}.
function cli(dataDir, args, { input = '', allowFail = false } = {}) {
    assert.ok(fs.existsSync(BIN), `gazette binary not found at ${BIN} (build it, or set GAZETTE_BIN)`);
    const r = spawnSync(BIN, ['--data', dataDir, ...databaseArgs(dataDir), ...args.map(String)], {
        input,
        encoding: 'utf8',
        timeout: 60000,
        env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1' },
        maxBuffer: 64 * 1024 * 1024,
    });
    if (r.error)
        throw r.error;
    // On PostgreSQL another process's commit reaches a running server's page cache through a
    // notification (LISTEN/NOTIFY), a moment after the command has ended: give it that moment.
    if (databases.has(dataDir))
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, NOTIFY_WAIT_MS);
    if (!allowFail && r.status !== 0)
        throw new Error(`gazette ${args.join(' ')} exited ${r.status} (signal ${r.signal})\n` +
            `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Runs the binary with exactly these arguments (no --data or --database added); {status, stdout,
// stderr}, whatever the status.
function bare(args, { input = '', cwd = undefined } = {}) {
    return spawnSync(BIN, args.map(String), {
        input,
        cwd,
        encoding: 'utf8',
        timeout: 60000,
        env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1' },
    });
}

function cliJson(dataDir, args) {
    const out = cli(dataDir, args).stdout;
    try {
        return JSON.parse(out);
    } catch (e) {
        throw new Error(`gazette ${args.join(' ')}: not JSON: ${e.message}\n${out.slice(0, 2000)}`);
    }
}

// The id a `... add` command printed: the whole output is the id, or a JSON object with "id",
// or the first number in the output.
function idFrom(out) {
    const t = out.trim();
    try {
        const j = JSON.parse(t);
        if (typeof j === 'number')
            return j;
        if (j && typeof j.id === 'number')
            return j.id;
    } catch (e) { /* not JSON */ }
    const m = /\b(\d+)\b/.exec(t);
    if (!m)
        throw new Error(`no id in command output: ${JSON.stringify(out)}`);
    return Number(m[1]);
}

function settingSet(dataDir, key, value) {
    cli(dataDir, ['setting', 'set', key, String(value)]);
}

function userAdd(dataDir, { login, name, role = 'author', email }) {
    const args = ['user', 'add', login, '--role', role];
    if (name)
        args.push('--name', name);
    args.push('--email', email || `${login}@newsroom.invalid`);
    return idFrom(cli(dataDir, args, { input: 'e2e-password-1234\n' }).stdout);
}

// Adds a post (or page) with the Markdown body on stdin and returns its id.
//   {title, slug, body, type: post|page, status, date: ISO UTC, author: login, categories: [slug],
//    tags: [slug], sticky: bool, comments: 'open'|'closed'}
function postAdd(dataDir, p) {
    const args = ['post', 'add', '--title', p.title];
    if (p.slug)
        args.push('--slug', p.slug);
    if (p.type)
        args.push('--type', p.type);
    if (p.status)
        args.push('--status', p.status);
    if (p.date)
        args.push('--date', p.date);
    if (p.author)
        args.push('--author', p.author);
    for (const c of p.categories || [])
        args.push('--category', c);
    for (const t of p.tags || [])
        args.push('--tag', t);
    if (p.sticky)
        args.push('--sticky');
    if (p.featured)
        args.push('--featured', String(p.featured));
    if (p.comments)
        args.push('--comments', p.comments);
    return idFrom(cli(dataDir, args, { input: p.body ?? `Body of ${p.title}.\n` }).stdout);
}

// Adds a comment with the body on stdin and returns its id.
//   {post, parent, author, email, url, status: approved|pending|spam|trash, date: ISO UTC, body}
function commentAdd(dataDir, c) {
    const args = ['comment', 'add', '--post', c.post, '--author', c.author, '--email', c.email];
    if (c.url)
        args.push('--url', c.url);
    if (c.parent)
        args.push('--parent', c.parent);
    if (c.status)
        args.push('--status', c.status);
    if (c.date)
        args.push('--date', c.date);
    return idFrom(cli(dataDir, args, { input: c.body }).stdout);
}

function commentApprove(dataDir, id) {
    cli(dataDir, ['comment', 'approve', id]);
}

// One post as `gazette post show ID` prints it: with its source, html and markup.
function postShow(dataDir, id) {
    return cliJson(dataDir, ['post', 'show', id]);
}

function postList(dataDir) {
    return asList(cliJson(dataDir, ['post', 'list', '--format=json']), 'posts');
}

function commentList(dataDir) {
    return asList(cliJson(dataDir, ['comment', 'list', '--format=json']), 'comments').map(normalizeComment);
}

function asList(j, key) {
    if (Array.isArray(j))
        return j;
    if (j && Array.isArray(j[key]))
        return j[key];
    throw new Error(`expected a JSON array of ${key}, got ${JSON.stringify(j).slice(0, 500)}`);
}

// `comment list` spells the post and parent post_id and parent_id; the tests say post and parent.
function normalizeComment(c) {
    return { ...c, post: c.post_id, parent: c.parent_id };
}

// Starts `gazette --data DIR serve --listen 127.0.0.1:0 --threads 2` and waits for its
// `listening on http(s)://HOST:PORT/` line. Returns {url, redirectUrl, dataDir, pid, stop(),
// output()}; stop() sends SIGTERM and asserts exit status 0. redirectUrl is the cleartext
// listener's address when the server printed one before (`redirecting http://HOST:PORT/ to https`).
// `command` may be 'demo', which fills an empty data directory first. `bin` runs another binary
// (an installed one); `prefix` runs it under a command such as ['prlimit', '--nofile=128'], which
// must exec it (the pid stays the server's); `cwd` is its working directory; `env` adds to the
// environment.
async function startServer({ dataDir = newDataDir(), args = [], threads = 2, command = 'serve',
    startTimeout = START_TIMEOUT_MS, bin = BIN, prefix = [], cwd = undefined, env = {} } = {}) {
    assert.ok(fs.existsSync(bin), `gazette binary not found at ${bin} (build it, or set GAZETTE_BIN)`);
    const argv = [...prefix, bin, '--data', dataDir, ...databaseArgs(dataDir), command, '--listen', '127.0.0.1:0',
        '--threads',
        String(threads), ...args];
    const child = spawn(argv[0], argv.slice(1), {
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd,
        env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => { stderr += d; });
    running.add(child);
    // A forgotten server keeps no test process alive; the exit hook above then kills it.
    child.unref();
    child.stdout.unref();
    child.stderr.unref();
    const exited = new Promise((resolve) => {
        child.on('exit', (code, signal) => {
            running.delete(child);
            resolve({ code, signal });
        });
    });
    const url = await new Promise((resolve, reject) => {
        const fail = (why) => {
            clearTimeout(timer);
            child.kill('SIGKILL');
            reject(new Error(`gazette serve ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
        };
        const timer = setTimeout(() => fail(`printed no "listening on" line within ${startTimeout} ms`),
            startTimeout);
        child.stdout.on('data', (d) => {
            stdout += d;
            const m = /listening on (https?:\/\/[^\s/]+:\d+)\/\s/.exec(stdout);
            if (m) {
                clearTimeout(timer);
                resolve(m[1]);
            }
        });
        child.on('error', (e) => fail(`could not start: ${e.message}`));
        exited.then(({ code, signal }) => fail(`exited early (status ${code}, signal ${signal})`));
    });
    let stopped = null;
    const redirect = /redirecting (http:\/\/[^\s/]+:\d+)\/ to https/.exec(stdout);
    return {
        url,
        redirectUrl: redirect ? redirect[1] : null,
        dataDir,
        pid: child.pid,
        output: () => ({ stdout, stderr }),
        exited,
        // SIGTERM (or `signal`), then the exit status must be 0 (a leak under ASan makes it non-zero).
        async stop(signal = 'SIGTERM') {
            if (stopped)
                return stopped;
            stopped = (async () => {
                process.kill(child.pid, signal);
                let timer;
                const r = await Promise.race([exited, new Promise((resolve) => {
                    timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS);
                })]);
                clearTimeout(timer);
                if (r === null) {
                    child.kill('SIGKILL');
                    assert.fail(`gazette serve did not exit within ${STOP_TIMEOUT_MS} ms of ${signal}\n` +
                        `stderr: ${stderr}`);
                }
                assert.equal(r.signal, null, `gazette serve died of ${r.signal}\nstderr: ${stderr}`);
                assert.equal(r.code, 0, `gazette serve exited ${r.code} after ${signal}\nstderr: ${stderr}`);
            })();
            return stopped;
        },
        // SIGKILL, as a crash would; resolves once the process is gone. The child is unref'd, so
        // a timer keeps this process alive until its exit is seen.
        async kill() {
            stopped = (async () => {
                process.kill(child.pid, 'SIGKILL');
                let timer;
                const r = await Promise.race([exited, new Promise((resolve) => {
                    timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS);
                })]);
                clearTimeout(timer);
                assert.ok(r !== null, `gazette serve did not exit within ${STOP_TIMEOUT_MS} ms of SIGKILL`);
            })();
            return stopped;
        },
    };
}

// fetch without following redirects; the body read as text. Returns {status, headers, body, res}.
async function get(url, opts = {}) {
    // Two turns of the event loop first: a keep-alive connection the server closed while this
    // process was blocked (a spawnSync of the CLI, vips or exiftool, seconds on a busy machine,
    // past the server's 10 s idle timeout) has its close read and is dropped, not reused.
    for (let i = 0; i < 2; i++)
        await new Promise((resolve) => setImmediate(resolve));
    const res = await fetch(url, { redirect: 'manual', ...opts });
    const body = opts.method === 'HEAD' ? '' : await res.text();
    return { status: res.status, headers: res.headers, body, res };
}

// POST application/x-www-form-urlencoded without following redirects.
async function postForm(url, fields, headers = {}) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
        if (v !== undefined && v !== null)
            body.append(k, String(v));
    return get(url, {
        method: 'POST',
        body: body.toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    });
}

// Sends `target` exactly as written (fetch would normalize dot segments) in a GET with
// Connection: close; resolves to {status, head, body} as text.
function rawGet(url, target) {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
        const sock = net.connect(Number(port), hostname, () => {
            sock.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
        });
        let data = '';
        sock.setEncoding('latin1');
        sock.setTimeout(10000, () => sock.destroy(new Error(`no answer to GET ${target}`)));
        sock.on('data', (d) => { data += d; });
        sock.on('error', reject);
        sock.on('close', () => {
            const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
            const cut = data.indexOf('\r\n\r\n');
            resolve({ status: m ? Number(m[1]) : 0, head: data.slice(0, cut), body: data.slice(cut + 4) });
        });
    });
}

// The path of an article: /YYYY/MM/DD/slug/ from an ISO UTC date.
function articlePath(date, slug) {
    return `/${date.slice(0, 4)}/${date.slice(5, 7)}/${date.slice(8, 10)}/${slug}/`;
}

module.exports = {
    BIN, ROOT, PG, tempDir, removeDir, newDataDir, databaseArgs, databaseUrl, databaseName, pgHas, publishDatabase, storedDatabase, cli, bare, cliJson, idFrom, settingSet, userAdd, postAdd, commentAdd,
    commentApprove, postShow, postList, commentList, startServer, get, postForm, rawGet, articlePath,
};
