// The release as people install it: `meson install` of the -O3 release build (make release) into a
// temporary DESTDIR puts the binary, the default theme and the man page in place, and the installed
// binary, run from a directory with no theme in it, finds its theme, serves the site and the
// newsroom, and reports its version and its libraries'.
'use strict';

const { it } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');

const RELEASE = process.env.GAZETTE_RELEASE_BUILD || path.join(srv.ROOT, 'build-release');

it('installs into a DESTDIR and runs from there', async () => {
    assert.ok(fs.existsSync(path.join(RELEASE, 'build.ninja')), `no release build in ${RELEASE}: run make release`);
    const dest = srv.tempDir('gazette-install-');
    const inst = spawnSync('meson', ['install', '-C', RELEASE, '--destdir', dest, '--no-rebuild'],
        { encoding: 'utf8', timeout: 120000 });
    assert.equal(inst.status, 0, inst.stdout + inst.stderr);

    const prefix = path.join(dest, 'usr', 'local');
    const bin = path.join(prefix, 'bin', 'gazette');
    assert.ok(fs.statSync(bin).mode & 0o111, 'the binary');
    assert.ok(fs.existsSync(path.join(prefix, 'share', 'gazette', 'themes', 'default', 'article.mustache')), 'the theme');
    assert.ok(fs.existsSync(path.join(prefix, 'share', 'gazette', 'themes', 'default', 'admin')), 'its newsroom');
    const man = fs.readFileSync(path.join(prefix, 'share', 'man', 'man1', 'gazette.1'), 'utf8');
    assert.match(man, /^\.TH GAZETTE 1/);
    assert.match(man, /\\-\\-tls\\-cert/, 'the man page documents the options');

    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0);
    const lines = version.stdout.trim().split('\n');
    assert.match(lines[0], /^gazette \d+\.\d+\.\d+$/);
    for (const lib of [/^libh2o 2\.2\.\d+/, /^OpenSSL 3\./, /^SQLite 3\./, /^zlib 1\./, /^brotli 1\./, /^libsodium /,
        /^jansson 2\./, /^libxml2 2\./, /^PCRE2 10\./, /^md4c /])
        assert.ok(lines.some((l) => lib.test(l)), `--version names ${lib}: ${version.stdout}`);
    assert.match(spawnSync(bin, ['--help'], { encoding: 'utf8' }).stdout, /--version/);

    // from an empty directory: only the installed theme can be found
    const cwd = srv.tempDir('gazette-cwd-');
    const server = await srv.startServer({ bin, command: 'demo', cwd });
    try {
        const home = await srv.get(server.url + '/');
        assert.equal(home.status, 200);
        const css = /href="(\/static\/style\.[0-9a-f]{16}\.css)"/.exec(home.body);
        assert.ok(css, 'the installed theme\'s stylesheet is linked');
        assert.equal((await srv.get(server.url + css[1])).status, 200);
        const login = await srv.get(server.url + '/admin/login');
        assert.equal(login.status, 200, 'the newsroom templates are found too');
    } finally {
        await server.stop();
    }
});
