// The site's time zone (setting `timezone`): reader-facing dates, the date archives and the
// newsroom editor's publish date and time follow it, while datetime attributes, feeds and the
// command line stay UTC; the setting refuses what is not a zone (docs/newsroom.md, "Settings").
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { Newsroom, formFields } = require('./lib/admin');

const DATE = '2026-05-04T20:30:00Z'; // May 5, 05:30 in Tokyo (UTC+9)
let dataDir;
let server;
let id;
let path;

before(async () => {
    dataDir = srv.newDataDir();
    srv.userAdd(dataDir, { login: 'boss', name: 'Site Owner', role: 'administrator' });
    id = srv.postAdd(dataDir, { title: 'Late night in Tokyo', slug: 'late-night', date: DATE });
    path = srv.articlePath(DATE, 'late-night'); // permalinks keep the UTC date
    server = await srv.startServer({ dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

function timeOf(body) {
    const m = /<time datetime="([^"]+)">([^<]+)<\/time>/.exec(body);
    assert.ok(m, 'the page has a <time>');
    return { iso: m[1], text: m[2] };
}

it('shows UTC dates by default, then the new zone as soon as the setting changes', async () => {
    let r = await srv.get(server.url + path);
    assert.equal(r.status, 200);
    assert.deepEqual(timeOf(r.body), { iso: DATE, text: 'May 4, 2026' });

    srv.cli(dataDir, ['setting', 'set', 'timezone', 'Asia/Tokyo']);
    assert.equal(srv.cli(dataDir, ['setting', 'get', 'timezone']).stdout.trim(), 'Asia/Tokyo');

    r = await srv.get(server.url + path); // the cached page is gone with the settings write
    assert.equal(r.status, 200);
    assert.deepEqual(timeOf(r.body), { iso: DATE, text: 'May 5, 2026' }, 'datetime stays the UTC instant');
    const home = await srv.get(server.url + '/');
    assert.match(home.body, /<time datetime="2026-05-04T20:30:00Z">May 5, 2026<\/time>/);
});

it('files the post under its local day, month and year', async () => {
    for (const p of ['/2026/05/05/', '/2026/05/', '/2026/']) {
        const r = await srv.get(server.url + p);
        assert.equal(r.status, 200, p);
        assert.ok(r.body.includes('Late night in Tokyo'), `${p} lists the post`);
    }
    assert.equal((await srv.get(server.url + '/2026/05/04/')).status, 404, 'nothing on May 4 in Tokyo');
});

it('keeps feeds and the command line in UTC', async () => {
    const feed = await srv.get(server.url + '/feed/');
    assert.equal(feed.status, 200);
    assert.match(feed.body, /Mon, 04 May 2026 20:30:00 \+0000/);
    const p = srv.postList(dataDir).find((x) => x.id === id);
    assert.equal(p.published_at, DATE);
});

it('shows and reads the editor\'s publish date and time in the site\'s zone', async () => {
    const n = await new Newsroom(server.url).login('boss');
    const e = await n.editor(id);
    assert.match(e.body, /name="date" id="date" value="2026-05-05"/);
    assert.match(e.body, /name="time" id="time" value="05:30:00"/);
    assert.match(e.body, /Asia\/Tokyo time/);
    const r = await n.save({ id, version: e.version, title: e.title, slug: e.slug, content: e.content,
        status: 'published', date: '2026-05-06', time: '08:15' });
    assert.equal(r.status, 303, `save: ${r.status} ${r.body.slice(0, 300)}`);
    const p = srv.postList(dataDir).find((x) => x.id === id);
    assert.equal(p.published_at, '2026-05-05T23:15:00Z', '08:15 in Tokyo is 23:15 UTC the day before');
});

it('refuses a time zone that is not one, on the settings page and on the command line', async () => {
    const n = await new Newsroom(server.url).login('boss');
    const form = await n.get('/admin/settings/');
    assert.equal(form.status, 200);
    for (const bad of ['../../../etc/passwd', 'Mars/Olympus', 'Europe/Paris/', '/etc/localtime']) {
        const r = await n.post('/admin/settings/', { ...formFields(form.body, 'settings-form-5'), timezone: bad });
        assert.equal(r.status, 422, bad);
        assert.ok(r.body.includes('Enter UTC or a time zone name such as Europe/Paris'), `${bad}: the field says why`);
        const c = srv.cli(dataDir, ['setting', 'set', 'timezone', bad], { allowFail: true });
        assert.notEqual(c.status, 0, `the CLI refuses ${bad}`);
    }
    assert.equal(srv.cli(dataDir, ['setting', 'get', 'timezone']).stdout.trim(), 'Asia/Tokyo');
});
