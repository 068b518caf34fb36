// Caching rules that browsers and CDNs read: Cache-Control on public pages (the cache_control
// setting), Last-Modified with If-Modified-Since, If-None-Match first, private, no-store for pages
// of a logged-in user, and theme files under content-hashed URLs kept a year.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { Newsroom } = require('./lib/admin');

const DEFAULT_CC = 'public, max-age=60, stale-while-revalidate=600';

describe('caching headers', () => {
    let server;
    let article;

    before(async () => {
        server = await srv.startServer({ command: 'demo' });
        article = /href="(\/\d{4}\/\d\d\/\d\d\/[^"]+\/)"/.exec((await srv.get(server.url + '/')).body)[1];
    });
    after(async () => {
        await server.stop();
    });

    it('gives public pages the cache_control setting and a Last-Modified', async () => {
        for (const p of ['/', '/page/2/', article, '/about/', '/category/world/', '/feed/', '/no/such/page/']) {
            const r = await srv.get(server.url + p);
            assert.equal(r.headers.get('cache-control'), DEFAULT_CC, p);
            if (r.status === 200) {
                const lm = Date.parse(r.headers.get('last-modified'));
                assert.ok(lm > Date.now() - 3600e3 && lm <= Date.now() + 1000, `${p}: Last-Modified ${lm}`);
                assert.match(r.headers.get('last-modified'), /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
            }
        }
    });

    it('answers If-Modified-Since with 304 when nothing changed, and If-None-Match wins over it', async () => {
        const r = await srv.get(server.url + article);
        const lm = r.headers.get('last-modified');
        const same = await srv.get(server.url + article, { headers: { 'If-Modified-Since': lm } });
        assert.equal(same.status, 304);
        assert.equal(same.body, '');
        assert.equal(same.headers.get('cache-control'), DEFAULT_CC, 'a 304 repeats the caching headers');
        assert.equal(same.headers.get('etag'), r.headers.get('etag'));
        const later = new Date(Date.parse(lm) + 3600e3).toUTCString();
        assert.equal((await srv.get(server.url + article, { headers: { 'If-Modified-Since': later } })).status, 304);
        const earlier = new Date(Date.parse(lm) - 1000).toUTCString();
        assert.equal((await srv.get(server.url + article, { headers: { 'If-Modified-Since': earlier } })).status, 200);
        assert.equal((await srv.get(server.url + article, { headers: { 'If-Modified-Since': 'yesterday' } })).status,
            200, 'a date that does not parse is ignored');
        const both = await srv.get(server.url + article,
            { headers: { 'If-Modified-Since': lm, 'If-None-Match': '"not-this-one"' } });
        assert.equal(both.status, 200, 'If-None-Match decides when both come');
        const etag = await srv.get(server.url + article,
            { headers: { 'If-Modified-Since': earlier, 'If-None-Match': r.headers.get('etag') } });
        assert.equal(etag.status, 304);
    });

    it('follows a change of the cache_control setting; empty sends none', async () => {
        srv.settingSet(server.dataDir, 'cache_control', 'public, max-age=300');
        assert.equal((await srv.get(server.url + '/')).headers.get('cache-control'), 'public, max-age=300');
        srv.settingSet(server.dataDir, 'cache_control', '');
        assert.equal((await srv.get(server.url + '/')).headers.get('cache-control'), null);
        srv.settingSet(server.dataDir, 'cache_control', DEFAULT_CC);
        assert.equal((await srv.get(server.url + '/')).headers.get('cache-control'), DEFAULT_CC);
        const bad = srv.cli(server.dataDir, ['setting', 'set', 'cache_control', 'public\r\nSet-Cookie: x=1'],
            { allowFail: true });
        assert.equal(bad.status, 1, 'no header injection through the setting');
    });

    it('marks every page of a logged-in user private, no-store, the public ones included', async () => {
        srv.userAdd(server.dataDir, { login: 'cachy', role: 'editor' });
        const editor = await new Newsroom(server.url).login('cachy');
        for (const p of ['/', article, '/feed/', '/admin/posts/', '/admin/login']) {
            const r = await srv.get(server.url + p, { headers: { Cookie: editor.cookie } });
            assert.equal(r.status, p === '/admin/login' ? 303 : 200, p);
            if (p === '/feed/') // a feed is the same for everyone, logged in or not
                assert.equal(r.headers.get('cache-control'), DEFAULT_CC, p);
            else
                assert.equal(r.headers.get('cache-control'), 'private, no-store', p);
        }
    });

    it('serves theme files at content-hashed URLs for a year, and at their plain URLs revalidated', async () => {
        const home = (await srv.get(server.url + '/')).body;
        const css = /<link rel="stylesheet" href="(\/static\/style\.([0-9a-f]{16})\.css)">/.exec(home);
        assert.ok(css, 'the stylesheet is linked by its hashed URL');
        const hashed = await srv.get(server.url + css[1]);
        assert.equal(hashed.status, 200);
        assert.equal(hashed.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        assert.equal(hashed.headers.get('etag').slice(1, 17), css[2], 'the URL names the content');
        const plain = await srv.get(server.url + '/static/style.css');
        assert.equal(plain.body, hashed.body);
        assert.equal(plain.headers.get('cache-control'), 'public, no-cache');
        const again = await srv.get(server.url + '/static/style.css',
            { headers: { 'If-None-Match': plain.headers.get('etag') } });
        assert.equal(again.status, 304);
        const old = await srv.get(server.url + '/static/style.0123456789abcdef.css');
        assert.equal(old.status, 200, 'a page cached with an older hash still gets a stylesheet');
        assert.equal(old.headers.get('cache-control'), 'public, no-cache', 'but not to be kept as that hash\'s');
        assert.equal((await srv.get(server.url + '/static/style.012345.css')).status, 404);

        srv.userAdd(server.dataDir, { login: 'hashy', role: 'administrator' });
        const admin = (await (await new Newsroom(server.url).login('hashy')).get('/admin/posts/')).body;
        assert.match(admin, /href="\/static\/admin\.[0-9a-f]{16}\.css"/);
        assert.match(admin, /src="\/static\/admin\.[0-9a-f]{16}\.js"/);
    });
});
