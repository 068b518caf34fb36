// `serve --theme DIR` (docs/reader-site.md, Starting and "Theme templates and their data"): the
// templates and static files come from the given folder: a changed 404 template, a changed
// stylesheet and an added static file are what the server sends.
'use strict';

const { it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');
const { parse } = require('./lib/check');

it('serves templates and static files from --theme DIR', async () => {
    const theme = path.join(srv.tempDir('gazette-theme-'), 'mytheme');
    fs.cpSync(path.join(srv.ROOT, 'themes', 'default'), theme, { recursive: true });
    const tpl = path.join(theme, '404.mustache');
    fs.writeFileSync(tpl, fs.readFileSync(tpl, 'utf8').replace('Page not found', 'Lost at sea ({{site.title}})'));
    fs.appendFileSync(path.join(theme, 'style.css'), '\n/* custom-theme-marker */\n');
    fs.writeFileSync(path.join(theme, 'extra.txt'), 'an extra static file\n');
    const s = seedSmall(undefined, {
        posts: { a: { title: 'Theme story headline', slug: 'theme-story', date: '2026-07-01T08:00:00Z' } },
    });
    const server = await srv.startServer({ dataDir: s.dataDir, args: ['--theme', theme] });
    try {
        const r = await srv.get(server.url + '/no/such/page/');
        assert.equal(r.status, 404);
        assert.equal(parse(r.body).one('h1').cleanText, 'Lost at sea (The E2E Times)', 'the theme\'s 404 template');
        const css = await srv.get(server.url + '/static/style.css');
        assert.equal(css.status, 200);
        assert.ok(css.body.includes('custom-theme-marker'), 'the theme\'s stylesheet');
        const extra = await srv.get(server.url + '/static/extra.txt');
        assert.equal(extra.status, 200, 'another static file of the theme');
        assert.equal(extra.body, 'an extra static file\n');
        assert.equal((await srv.get(server.url + s.posts.a.path)).status, 200, 'the other templates still work');
        for (const target of ['/static/../404.mustache', '/static/%2e%2e/404.mustache', '/static/..%2f404.mustache',
            '/static/%2E%2E%2F404.mustache', '/static//etc/passwd', '/static/../../../../etc/passwd']) {
            const raw = await srv.rawGet(server.url, target);
            assert.ok(raw.status === 404 || raw.status === 400, `${target}: ${raw.status}`);
            assert.ok(!raw.body.includes('{{> header}}') && !raw.body.includes('root:'), `${target} leaks a file`);
        }
    } finally {
        await server.stop();
    }
});
