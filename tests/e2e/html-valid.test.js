// Every page type is valid HTML: one page of each is saved and the Nu HTML Checker (vnu.jar) runs
// once over all of them; any message of type "error" fails the test.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { seedSite } = require('./lib/site');

let site;
let server;

before(async () => {
    site = seedSite();
    server = await srv.startServer({ dataDir: site.dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

it('home, page 2, articles, the 422 form, category, static page and 404 have no HTML errors', async () => {
    const s23 = site.stories[22];
    const dir = srv.tempDir('gazette-vnu-');
    const pages = {
        'home.html': ['/', 200],
        'page-2.html': ['/page/2/', 200],
        'article-thread.html': [s23.path, 200],
        'article-reply-to.html': [`${s23.path}?replytocom=${site.comments.bob}`, 200],
        'article-rich.html': [site.stories[4].path, 200],
        'article-closed.html': [site.stories[2].path, 200],
        'article-moderation.html': [`${s23.path}?moderation=1`, 200],
        'category.html': ['/category/world/', 200],
        'static-page.html': ['/about/', 200],
        'not-found.html': ['/no/such/thing/', 404],
    };
    const files = [];
    for (const [name, [p, status]] of Object.entries(pages)) {
        const r = await srv.get(server.url + p);
        assert.equal(r.status, status, `GET ${p}`);
        files.push(path.join(dir, name));
        fs.writeFileSync(files.at(-1), r.body);
    }
    // The 422 answer: errors on every field at once would be unusual; the email one with all typed text.
    const bad = await srv.postForm(server.url + '/comment/', { comment_post_ID: s23.id, comment_parent: 0,
        author: 'Typed <Name>', email: 'not-an-email', url: 'https://typed.example/?a=1&b=2',
        comment: 'Typed text\n\nwith <b>markup</b> & more' });
    assert.equal(bad.status, 422, 'invalid comment');
    files.push(path.join(dir, 'article-422.html'));
    fs.writeFileSync(files.at(-1), bad.body);

    const jar = require('vnu-jar');
    assert.ok(fs.existsSync(jar), `vnu.jar at ${jar}`);
    const r = spawnSync('java', ['-jar', jar, '--format', 'json', '--stdout', ...files], {
        encoding: 'utf8', timeout: 120000, maxBuffer: 16 * 1024 * 1024 });
    assert.ok(!r.error, `java: ${r.error}`);
    let report;
    try {
        report = JSON.parse(r.stdout);
    } catch (e) {
        assert.fail(`vnu gave no JSON (status ${r.status}): ${r.stdout}\n${r.stderr}`);
    }
    const errors = report.messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
    const file = (m) => (m.url ? path.basename(new URL(m.url).pathname) : '?');
    const show = errors.map((m) => `${file(m)}:${m.lastLine}: ${m.message}` +
        `${m.extract ? `\n    ${m.extract.replace(/\n/g, ' ')}` : ''}`).join('\n');
    assert.equal(errors.length, 0, `HTML errors:\n${show}`);
});
