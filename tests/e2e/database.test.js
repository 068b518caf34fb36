// Choosing the database: `--database URL` before any command and on serve, `database =` in the
// config file (the command line wins), and a URL the program does not know refused with a clear
// message. The URLs are the run's backend's (sqlite:DIR, or a database of the PostgreSQL test
// server); what sqlite:DIR means on disk is database-sqlite.test.js.
'use strict';

const { it, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');

const servers = [];
after(async () => {
    for (const s of servers)
        await s.stop();
});


function titles(out) {
    return JSON.parse(out).map((p) => p.title).sort();
}

it('--database URL before a command is the database, whatever --data says', () => {
    const a = srv.newDataDir();
    const b = srv.newDataDir();
    let r = srv.bare(['--data', b, '--database', srv.databaseUrl(a), 'post', 'add', '--title', 'Kept in A'],
        { input: 'Body.\n' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(srv.postList(a).map((p) => p.title), ['Kept in A']);
    assert.deepEqual(srv.postList(b), [], 'nothing in B');
    r = srv.bare([`--database=${srv.databaseUrl(a)}`, 'post', 'list', '--format=json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(titles(r.stdout), ['Kept in A']);
});

it('a database URL of an unknown kind is refused, and nothing is made', () => {
    const cwd = srv.tempDir();
    const r = srv.bare(['--database', 'mysql://localhost/news', 'post', 'list'], { cwd });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /mysql:\/\/localhost\/news/);
    assert.deepEqual(fs.readdirSync(cwd), [], 'no directory made for it');
});

it('serve takes the database from the config file, and --database over it', async () => {
    const dir = srv.tempDir();
    const a = srv.newDataDir();
    const b = srv.newDataDir();
    srv.postAdd(a, { title: 'Story in A', slug: 'story-a', date: '2026-02-01T08:00:00Z' });
    srv.postAdd(b, { title: 'Story in B', slug: 'story-b', date: '2026-02-01T08:00:00Z' });
    const ini = path.join(dir, 'gazette.ini');
    fs.writeFileSync(ini, `database = ${srv.databaseUrl(a)}\n`);
    const empty = path.join(dir, 'empty'); // --data: a directory no database is in
    let s = await srv.startServer({ dataDir: empty, args: ['--config', ini] });
    servers.push(s);
    let home = await srv.get(`${s.url}/`);
    assert.match(home.body, /Story in A/);
    assert.doesNotMatch(home.body, /Story in B/);
    await s.stop();
    s = await srv.startServer({ dataDir: empty, args: ['--config', ini, '--database', srv.databaseUrl(b)] });
    servers.push(s);
    home = await srv.get(`${s.url}/`);
    assert.match(home.body, /Story in B/);
    assert.doesNotMatch(home.body, /Story in A/);
});
