// Stopping (docs/reader-site.md, Starting): SIGTERM or SIGINT lets in-flight requests finish and
// exits 0; a comment acknowledged with a 303 survives a crash (DESIGN: acknowledged writes); the
// password helpers end with the server, however it ends.
'use strict';

const { it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const srv = require('./lib/server');
const { Newsroom } = require('./lib/admin');
const { seedSmall } = require('./lib/site');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function small() {
    return seedSmall(undefined, {
        posts: { a: { title: 'Shutdown story headline', slug: 'shutdown-story', date: '2026-06-01T08:00:00Z' } },
    });
}

it('SIGTERM while a request is in flight still answers it, then exits 0', async () => {
    const s = small();
    const server = await srv.startServer({ dataDir: s.dataDir });
    const { hostname, port } = new URL(server.url);
    const body = new URLSearchParams({ comment_post_ID: s.posts.a.id, comment_parent: 0, author: 'Late Writer',
        email: 'late@readers.example', comment: 'Sent while the server was stopping.' }).toString();
    const sock = net.connect(Number(port), hostname);
    await new Promise((resolve, reject) => {
        sock.once('connect', resolve);
        sock.once('error', reject);
    });
    let answer = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => { answer += d; });
    const closed = new Promise((resolve) => sock.on('close', resolve));
    sock.on('error', () => {});
    const half = Math.floor(body.length / 2);
    sock.write(`POST /comment/ HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n` +
        `Connection: close\r\n\r\n${body.slice(0, half)}`);
    await sleep(300);
    const stopping = server.stop('SIGTERM');
    stopping.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
    let exitedEarly = false;
    server.exited.then(() => { exitedEarly = true; });
    await sleep(300);
    assert.ok(!exitedEarly, 'the server waits for the request in flight');
    sock.write(body.slice(half));
    await Promise.race([closed, sleep(10000)]);
    assert.match(answer, /^HTTP\/1\.1 303 /,
        `the in-flight request was answered: ${JSON.stringify(answer.slice(0, 200))}`);
    await stopping;
    const stored = srv.commentList(s.dataDir).filter((c) => c.body === 'Sent while the server was stopping.');
    assert.equal(stored.length, 1, 'the comment it acknowledged is stored');
});

it('SIGINT stops the server with exit status 0', async () => {
    const s = small();
    const server = await srv.startServer({ dataDir: s.dataDir });
    assert.equal((await srv.get(server.url + s.posts.a.path)).status, 200);
    await server.stop('SIGINT');
});

it('a comment acknowledged with 303 survives SIGKILL right after', async () => {
    const s = small();
    const server = await srv.startServer({ dataDir: s.dataDir });
    const body = 'Acknowledged, then the server crashed.';
    const r = await srv.postForm(server.url + '/comment/', { comment_post_ID: s.posts.a.id, comment_parent: 0,
        author: 'Crash Tester', email: 'crash@readers.example', comment: body });
    assert.equal(r.status, 303);
    await server.kill();
    const c = srv.commentList(s.dataDir).filter((x) => x.body === body);
    assert.equal(c.length, 1, 'the acknowledged comment is in the database');
    // The data directory still opens for a new server after the crash.
    const again = await srv.startServer({ dataDir: s.dataDir });
    assert.equal((await srv.get(again.url + s.posts.a.path)).status, 200);
    await again.stop();
});

// The live processes whose parent is pid and whose name is gazette-pwhash (the helpers that hash
// passwords, lib/pwhash.c), each with its parent and scheduling policy (/proc/PID/stat field 41).
function helpers(parent) {
    const out = [];
    for (const d of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
        let stat;
        try {
            stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        } catch {
            continue; // gone meanwhile
        }
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (name === 'gazette-pwhash' && f[0] !== 'Z' && (parent === undefined || Number(f[1]) === parent))
            out.push({ pid: Number(d), ppid: Number(f[1]), policy: Number(f[38]) });
    }
    return out;
}

async function until(what, test, ms = 10000) {
    for (const t0 = Date.now(); !test(); await sleep(50))
        assert.ok(Date.now() - t0 < ms, what);
}

it('hashes passwords in helper processes that end with the server, even killed', async () => {
    const s = small();
    srv.userAdd(s.dataDir, { login: 'ed', name: 'Ed Itor', role: 'editor' });
    for (const end of ['SIGTERM', 'SIGKILL']) {
        const server = await srv.startServer({ dataDir: s.dataDir });
        assert.deepEqual(helpers(server.pid), [], 'none before the first login');
        await new Newsroom(server.url).login('ed');
        const r = await new Newsroom(server.url).tryLogin('ed', 'a wrong password');
        assert.equal(r.status, 403, 'a wrong password is refused');
        const mine = helpers(server.pid);
        assert.ok(mine.length >= 1 && mine.length <= 2, `one helper a worker: ${JSON.stringify(mine)}`);
        for (const h of mine)
            assert.equal(h.policy, 5, `helper ${h.pid} runs as SCHED_IDLE`);
        if (end === 'SIGTERM')
            await server.stop();
        else
            await server.kill();
        // after SIGKILL the helpers read the end of their socket and exit by themselves
        await until(`the helpers of ${end} exit`, () => mine.every((h) => !helpers().some((x) => x.pid === h.pid)));
    }
});
