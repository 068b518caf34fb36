// What `--database sqlite:DIR` means on disk: the SQLite file is made in DIR, whatever --data says.
// A test of the SQLite files themselves, so it runs on that backend only (make e2e; the
// backend-neutral choosing of a database is database.test.js, run on both).
'use strict';

const { it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');

it('--database sqlite:DIR keeps gazette.db in DIR and nothing in --data\'s directory', () => {
    const a = path.join(srv.tempDir(), 'a');
    const b = path.join(srv.tempDir(), 'b');
    let r = srv.bare(['--data', b, '--database', `sqlite:${a}`, 'post', 'add', '--title', 'Kept in A'],
        { input: 'Body.\n' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.existsSync(path.join(a, 'gazette.db')), 'the database is in A');
    assert.ok(!fs.existsSync(path.join(b, 'gazette.db')), 'nothing in B');
    r = srv.bare(['--data', a, 'post', 'list', '--format=json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).map((p) => p.title), ['Kept in A']);
});
