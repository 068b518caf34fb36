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
const { writePng } = require('./lib/png');

let site;
let server;
let hostile;

before(async () => {
    site = seedSite();
    // the site's identity set, so that the head holds every icon, image and structured datum
    const dir = srv.tempDir('gazette-vnu-img-');
    srv.settingSet(site.dataDir, 'site_icon', writePng(path.join(dir, 'icon.png'), 512, 512));
    srv.settingSet(site.dataDir, 'site_logo', writePng(path.join(dir, 'logo.png'), 600, 120, { alpha: true }));
    srv.settingSet(site.dataDir, 'social_image', writePng(path.join(dir, 'social.png'), 1200, 630));
    srv.settingSet(site.dataDir, 'site_tagline', 'Tagline with "quotes" & <angle brackets>');
    hostile = { title: '</script><script>alert(1)</script> "Q" & \'A\' 🦊 العربية\u2028', slug: 'hostile',
        date: '2026-01-20T12:00:00Z' };
    srv.postAdd(site.dataDir, { ...hostile, tags: ['<b>tag</b>'], categories: ['"quoted" cat'] });
    server = await srv.startServer({ dataDir: site.dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

it('home, page 2, articles (a hostile title too), the 422 form, category, tag, author, static page, 404, date archives and search have no HTML errors', async () => {
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
        'archive-month.html': ['/2026/01/', 200],
        'archive-month-page-2.html': ['/2026/01/page/2/', 200],
        'search.html': ['/?s=story%20head', 200],
        'search-nothing.html': ['/?s=%22%3E%3Cb%3Enothing%20%E2%80%9Chere%E2%80%9D', 200],
        'article-hostile-title.html': [srv.articlePath(hostile.date, hostile.slug), 200],
        'comment-page.html': [`${s23.path}comment-page-1/`, 200],
        'tag.html': ['/tag/election/', 200],
        'author.html': ['/author/jdoe/', 200],
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
