// The media library through the JSON API (/wp-json/wp/v2/media, docs/api.md): uploads with
// node-wpapi (multipart, an application password) and with curl as the WordPress handbook shows
// them (the file as the body, Content-Disposition naming it), the copies each answer names served
// over HTTP, the collection's filters, texts changed, deletion as WordPress asks for it (force=true)
// and as the Media screen does (a medium that posts show is kept unless confirmed), each role's
// refusals, refused files leaving nothing behind, and featured_media / _embed on posts.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const Ajv = require('ajv-draft-04');
const srv = require('./lib/server');
const img = require('./lib/images');
const { apiServer, wpClient, curl, as: apiAs } = require('./lib/api');

let dataDir;
let work;
let ctx; // {server, api, pw}
let api;
let pw;

before(async () => {
    dataDir = srv.newDataDir();
    work = srv.tempDir('gazette-api-media-');
    srv.userAdd(dataDir, { login: 'boss', name: 'The Boss', role: 'administrator' });
    srv.userAdd(dataDir, { login: 'ed', name: 'Ed Itor', role: 'editor' });
    srv.userAdd(dataDir, { login: 'ann', name: 'Ann Author', role: 'author' });
    srv.userAdd(dataDir, { login: 'bob', name: 'Bob Author', role: 'author' });
    srv.userAdd(dataDir, { login: 'cid', name: 'Cid Contrib', role: 'contributor' });
    ctx = await apiServer(dataDir, ['boss', 'ed', 'ann', 'bob', 'cid']);
    ({ api, pw } = ctx);
});

after(async () => {
    if (ctx)
        await ctx.server.stop();
});

const client = (login) => wpClient(ctx, login);
const as = (login, method, p, body) => apiAs(ctx, login, method, p, body);

// The file as the request's body, named by Content-Disposition (the handbook's way).
function rawUpload(login, file, { name = path.basename(file), type = 'image/jpeg', query = '', disposition } = {}) {
    const args = ['-X', 'POST', '-H', `Content-Type: ${type}`, '--data-binary', `@${file}`];
    if (login)
        args.push('-u', `${login}:${pw[login]}`);
    if (disposition !== null)
        args.push('-H', `Content-Disposition: ${disposition || `attachment; filename=${name}`}`);
    return curl([...args, `${api}/wp/v2/media${query}`]);
}

function mediaList() {
    return JSON.parse(srv.cli(dataDir, ['media', 'list', '--format=json']).stdout);
}

function uploadsFiles() {
    return img.filesUnder(path.join(dataDir, 'uploads'));
}

async function wpError(promise) {
    try {
        await promise;
    } catch (e) {
        return e;
    }
    assert.fail('the request succeeded');
}

const made = {}; // name -> medium as answered

describe('uploading', () => {
    it('wpapi uploads a file with its texts; every size it names is served at that size', async () => {
        const file = img.jpegWithGps(path.join(work, 'harbour.jpg'), 1200, 800);
        const m = await client('ann').media().file(fs.readFileSync(file), 'harbour.jpg')
            .create({ title: 'The harbour', alt_text: 'Boats at dawn', caption: 'Morning <tide>', credit: 'Ann' });
        made.harbour = m;
        assert.equal(m.type, 'attachment');
        assert.equal(m.media_type, 'image');
        assert.equal(m.mime_type, 'image/jpeg');
        assert.equal(m.title.raw, 'The harbour');
        assert.equal(m.alt_text, 'Boats at dawn');
        assert.equal(m.caption.rendered, '<p>Morning &lt;tide&gt;</p>\n');
        assert.equal(m.credit, 'Ann');
        assert.deepEqual([m.media_details.width, m.media_details.height], [800, 1200], 'upright');
        assert.deepEqual(Object.keys(m.media_details.sizes).sort(),
            ['full', 'full-webp', 'medium', 'medium-webp', 'thumbnail', 'thumbnail-webp']);
        assert.equal(m.source_url, m.media_details.sizes.full.source_url);
        for (const [name, s] of Object.entries(m.media_details.sizes)) {
            const res = await fetch(s.source_url);
            assert.equal(res.status, 200, `${name}: ${s.source_url}`);
            assert.equal(res.headers.get('content-type'), s.mime_type);
            const local = path.join(work, `got-${s.file}`);
            fs.writeFileSync(local, Buffer.from(await res.arrayBuffer()));
            assert.equal(fs.statSync(local).size, s.filesize, name);
            const h = img.header(local);
            assert.deepEqual([h.width, h.height], [s.width, s.height], name);
            assert.equal(img.metadata(local), '', `${name} carries no metadata`);
        }
        // anyone reads it back, without the raw fields
        const pub = await wpClient(ctx, null).media().id(m.id);
        assert.equal(pub.source_url, m.source_url);
        assert.equal(pub.title.raw, undefined);
        assert.equal(pub.post, null);
    });

    it('curl sends the file as the body with Content-Disposition; the title defaults to its name', () => {
        const file = img.picture(path.join(work, 'city-lights.png'), 700, 500);
        const r = rawUpload('bob', file, { type: 'image/png', query: '?alt_text=Night' });
        assert.equal(r.status, 201, JSON.stringify(r.json));
        assert.equal(r.headers.location, `${api}/wp/v2/media/${r.json.id}`);
        assert.equal(r.json.title.raw, 'city-lights');
        assert.equal(r.json.alt_text, 'Night');
        assert.equal(r.json.mime_type, 'image/png');
        assert.deepEqual(Object.keys(r.json.media_details.sizes).sort(),
            ['full', 'full-webp', 'medium', 'medium-webp', 'thumbnail', 'thumbnail-webp']);
        made.city = r.json;
        // the same bytes again are the same medium
        const again = rawUpload('bob', file, { type: 'image/png', name: 'other.png' });
        assert.equal(again.status, 200);
        assert.equal(again.json.id, r.json.id);
        // a multipart form from curl, as a browser's
        const third = img.picture(path.join(work, 'forest.jpg'), 400, 300);
        const mp = curl(['-X', 'POST', '-u', `ed:${pw.ed}`, '-F', `file=@${third};type=image/jpeg`, '-F',
            'title=Zebra forest', `${api}/wp/v2/media`]);
        assert.equal(mp.status, 201, JSON.stringify(mp.json));
        assert.equal(mp.json.title.raw, 'Zebra forest');
        assert.deepEqual(Object.keys(mp.json.media_details.sizes).sort(), ['full', 'full-webp', 'thumbnail',
            'thumbnail-webp']);
        made.forest = mp.json;
        // a photograph larger than other requests may send (their bodies stop at 256 KiB)
        const noise = path.join(work, 'noise.jpg');
        spawnSync('vips', ['gaussnoise', noise, '900', '900', '--sigma', '60']);
        assert.ok(fs.statSync(noise).size > 300 * 1024, `${fs.statSync(noise).size} bytes`);
        const large = rawUpload('bob', noise, { query: '?title=Static' });
        assert.equal(large.status, 201, JSON.stringify(large.json));
        assert.equal(large.json.media_details.width, 900);
        const body = path.join(work, 'long.json');
        fs.writeFileSync(body, JSON.stringify({ title: 'x'.repeat(300 * 1024) }));
        const post = curl(['-X', 'POST', '-u', `bob:${pw.bob}`, '-H', 'Content-Type: application/json',
            '--data-binary', `@${body}`, `${api}/wp/v2/posts`]);
        assert.equal(post.status, 413, 'other routes keep the usual limit');
        assert.equal(as('bob', 'DELETE', `/wp/v2/media/${large.json.id}?force=true`).status, 200);
    });

    it('refuses what it must, with WordPress\'s codes, and leaves nothing on disk or in the database', () => {
        const files = uploadsFiles();
        const count = mediaList().length;
        const good = path.join(work, 'harbour.jpg');
        const text = path.join(work, 'notes.jpg');
        fs.writeFileSync(text, 'these are not the pixels you are looking for\n'.repeat(50));
        const cases = [
            [rawUpload(null, good), 401, 'rest_cannot_create'],
            [rawUpload('cid', good), 403, 'rest_cannot_create'],
            [rawUpload('ann', good, { disposition: null }), 400, 'rest_upload_no_content_disposition'],
            [rawUpload('ann', text), 400, 'rest_upload_sideload_error'],
            [curl(['-X', 'POST', '-u', `ann:${pw.ann}`, '-F', 'title=nothing', `${api}/wp/v2/media`]), 400,
                'rest_upload_no_data'],
        ];
        for (const [r, status, code] of cases) {
            assert.equal(r.status, status, JSON.stringify(r.json));
            assert.equal(r.json.code, code);
            assert.equal(r.json.data.status, status);
        }
        assert.match(cases[3][0].json.message, /not an image|image/i);
        // the site's limits, named in the answer
        srv.settingSet(dataDir, 'media_max_bytes', '4000');
        const big = rawUpload('ann', good);
        assert.equal(big.status, 413, JSON.stringify(big.json));
        assert.equal(big.json.code, 'rest_upload_file_too_big');
        assert.match(big.json.message, /at most 4000 bytes/);
        srv.settingSet(dataDir, 'media_max_bytes', String(32 << 20));
        srv.settingSet(dataDir, 'media_max_pixels', '100000');
        const wide = img.picture(path.join(work, 'wide.jpg'), 1000, 400);
        const px = rawUpload('ann', wide);
        assert.equal(px.status, 400, JSON.stringify(px.json));
        assert.equal(px.json.code, 'rest_upload_sideload_error');
        assert.match(px.json.message, /pixels/);
        srv.settingSet(dataDir, 'media_max_pixels', '100000000');
        // a contributor through wpapi too
        return wpError(client('cid').media().file(fs.readFileSync(good), 'h.jpg').create({})).then((e) => {
            assert.equal(e.code, 'rest_cannot_create');
            assert.deepEqual(uploadsFiles(), files, 'no file left behind');
            assert.equal(mediaList().length, count, 'no row left behind');
        });
    });
});

describe('the collection', () => {
    it('lists media newest first with the totals, and filters as WordPress does', async () => {
        const wp = wpClient(ctx, null);
        const all = await wp.media();
        assert.deepEqual(all.map((m) => m.id), [made.forest.id, made.city.id, made.harbour.id]);
        assert.equal(all._paging.total, 3);
        const page = await wp.media().perPage(2).page(2);
        assert.deepEqual(page.map((m) => m.id), [made.harbour.id]);
        const ids = async (q) => JSON.parse((await srv.get(`${api}/wp/v2/media${q}`)).body).map((m) => m.id);
        assert.deepEqual(await ids('?mime_type=image/png'), [made.city.id]);
        assert.deepEqual(await ids('?mime_type=image/jpeg&order=asc'), [made.harbour.id, made.forest.id]);
        assert.deepEqual(await ids('?media_type=video'), []);
        assert.deepEqual(await ids('?media_type=image&per_page=1'), [made.forest.id]);
        assert.deepEqual(await ids('?search=BOATS'), [made.harbour.id]);
        assert.deepEqual(await ids(`?author=${made.city.author}`), [made.city.id]);
        assert.deepEqual(await ids(`?author_exclude=${made.city.author}`), [made.forest.id, made.harbour.id]);
        assert.deepEqual(await ids(`?include=${made.harbour.id},${made.city.id}`), [made.city.id, made.harbour.id]);
        assert.deepEqual(await ids(`?include[]=${made.harbour.id}&include[]=${made.city.id}&orderby=include`),
            [made.harbour.id, made.city.id]);
        assert.deepEqual(await ids(`?exclude=${made.city.id}`), [made.forest.id, made.harbour.id]);
        assert.deepEqual(await ids(`?slug=${made.city.slug}`), [made.city.id]);
        assert.deepEqual(await ids('?orderby=title&order=asc'), [made.city.id, made.harbour.id, made.forest.id]);
        assert.deepEqual(await wp.media().param('include', [made.harbour.id, made.forest.id]).then((l) => l.map((m) => m.id)),
            [made.forest.id, made.harbour.id]);
        const bad = curl([`${api}/wp/v2/media?media_type=sound&per_page=500`]);
        assert.equal(bad.status, 400);
        assert.equal(bad.json.code, 'rest_invalid_param');
        assert.deepEqual(Object.keys(bad.json.data.params).sort(), ['media_type', 'per_page']);
        const none = curl([`${api}/wp/v2/media/999999`]);
        assert.equal(none.status, 404);
        assert.equal(none.json.code, 'rest_post_invalid_id');
    });

    it('answers OPTIONS with the attachment schema, and its answers validate against it', async () => {
        const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
        for (const p of ['/wp/v2/media', `/wp/v2/media/${made.harbour.id}`]) {
            const opt = curl(['-X', 'OPTIONS', `${api}${p}`]);
            assert.equal(opt.status, 200);
            const validate = ajv.compile(opt.json.schema);
            for (const q of ['', '?context=edit']) {
                const r = as('boss', 'GET', p + q);
                assert.equal(r.status, 200);
                for (const item of Array.isArray(r.json) ? r.json : [r.json]) {
                    assert.ok(validate(item), `${p}${q}: ${ajv.errorsText(validate.errors)}`);
                    for (const k of Object.keys(item))
                        assert.ok(k === '_links' || opt.json.schema.properties[k], `${p}: field ${k}`);
                }
            }
        }
        const idx = curl([`${api}/`]).json;
        assert.ok(idx.routes['/wp/v2/media'].methods.includes('POST'));
        assert.deepEqual(idx.routes['/wp/v2/media/(?P<id>[\\d]+)'].methods, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
        assert.equal(idx.gazette_absent, undefined);
    });
});

describe('texts and deletion', () => {
    it('the uploader or an editor changes the texts; another author may not', async () => {
        const r = as('ann', 'POST', `/wp/v2/media/${made.harbour.id}`, { alt_text: 'Boats in the harbour', credit: 'A. Author' });
        assert.equal(r.status, 200, JSON.stringify(r.json));
        assert.equal(r.json.alt_text, 'Boats in the harbour');
        assert.equal(r.json.credit, 'A. Author');
        assert.equal(r.json.title.raw, 'The harbour', 'what the request leaves out is kept');
        const e = await client('ed').media().id(made.harbour.id).update({ title: 'Harbour at dawn', caption: 'Early' });
        assert.equal(e.title.raw, 'Harbour at dawn');
        assert.equal(e.caption.raw, 'Early');
        const other = as('bob', 'PATCH', `/wp/v2/media/${made.harbour.id}`, { alt_text: 'mine now' });
        assert.equal(other.status, 403);
        assert.equal(other.json.code, 'rest_cannot_edit');
        const anon = as(null, 'PUT', `/wp/v2/media/${made.harbour.id}`, { alt_text: 'x' });
        assert.equal(anon.status, 401);
        const long = as('ann', 'POST', `/wp/v2/media/${made.harbour.id}`, { caption: 'x'.repeat(3000) });
        assert.equal(long.status, 400);
        assert.equal(long.json.code, 'rest_invalid_param');
        const now = curl([`${api}/wp/v2/media/${made.harbour.id}`]).json;
        assert.equal(now.alt_text, 'Boats in the harbour', 'refusals changed nothing');
    });

    it('a post\'s featured_media must be a medium, is embedded, and follows the medium\'s changes', async () => {
        const wp = client('ann');
        const e = await wpError(wp.posts().create({ title: 'No such picture', status: 'publish', featured_media: 987654 }));
        assert.equal(e.code, 'rest_invalid_featured_media');
        assert.equal(e.data.status, 400);
        const post = await wp.posts().create({ title: 'Harbour report', status: 'publish', content: '<p>Calm.</p>',
            featured_media: made.harbour.id });
        made.post = post;
        assert.equal(post.featured_media, made.harbour.id);
        const anon = wpClient(ctx, null);
        const read = async () => (await anon.posts().id(post.id).embed());
        let got = await read();
        assert.equal(got._links['wp:featuredmedia'][0].href, `${api}/wp/v2/media/${made.harbour.id}`);
        assert.equal(got._embedded['wp:featuredmedia'][0].source_url, made.harbour.source_url);
        assert.equal(got._embedded['wp:featuredmedia'][0].alt_text, 'Boats in the harbour');
        const list1 = JSON.parse((await srv.get(`${api}/wp/v2/posts?_embed=wp:featuredmedia`)).body);
        assert.equal(list1[0]._embedded['wp:featuredmedia'][0].id, made.harbour.id);
        as('ann', 'POST', `/wp/v2/media/${made.harbour.id}`, { alt_text: 'Boats, later' });
        got = await read();
        assert.equal(got._embedded['wp:featuredmedia'][0].alt_text, 'Boats, later', 'the cached post was dropped');
        const list2 = JSON.parse((await srv.get(`${api}/wp/v2/posts?_embed=wp:featuredmedia`)).body);
        assert.equal(list2[0]._embedded['wp:featuredmedia'][0].alt_text, 'Boats, later');
        // the medium now names the post, and the post's media are listed by parent
        assert.equal(curl([`${api}/wp/v2/media/${made.harbour.id}`]).json.post, post.id);
        assert.deepEqual(JSON.parse((await srv.get(`${api}/wp/v2/media?parent=${post.id}`)).body).map((m) => m.id),
            [made.harbour.id]);
        const cleared = await wp.posts().id(post.id).update({ featured_media: 0 });
        assert.equal(cleared.featured_media, 0);
        await wp.posts().id(post.id).update({ featured_media: made.harbour.id });
    });

    it('deletes only with force=true, asks first when posts show the medium, and takes its files away', async () => {
        const r1 = as('ann', 'DELETE', `/wp/v2/media/${made.harbour.id}`);
        assert.equal(r1.status, 501);
        assert.equal(r1.json.code, 'rest_trash_not_supported');
        const r2 = as('bob', 'DELETE', `/wp/v2/media/${made.harbour.id}?force=true`);
        assert.equal(r2.status, 403);
        assert.equal(r2.json.code, 'rest_cannot_delete');
        const r3 = as('ann', 'DELETE', `/wp/v2/media/${made.harbour.id}?force=true`);
        assert.equal(r3.status, 409, JSON.stringify(r3.json));
        assert.equal(r3.json.code, 'rest_media_in_use');
        assert.match(r3.json.message, /1 post shows this image/);
        assert.equal(curl([`${api}/wp/v2/media/${made.harbour.id}`]).status, 200, 'still there');
        const urls = Object.values(made.harbour.media_details.sizes).map((s) => s.source_url);
        const r4 = as('ann', 'DELETE', `/wp/v2/media/${made.harbour.id}?force=true&confirm=true`);
        assert.equal(r4.status, 200, JSON.stringify(r4.json));
        assert.equal(r4.json.deleted, true);
        assert.equal(r4.json.previous.id, made.harbour.id);
        assert.equal(curl([`${api}/wp/v2/media/${made.harbour.id}`]).status, 404);
        for (const u of urls)
            assert.equal((await fetch(u)).status, 404, u);
        const post = await wpClient(ctx, null).posts().id(made.post.id);
        assert.equal(post.featured_media, 0, 'the post lost its featured image');
        // an unused medium goes with force=true alone, through wpapi too
        const gone = await client('ed').media().id(made.forest.id).param('force', true).delete();
        assert.equal(gone.deleted, true);
        assert.ok(!mediaList().some((m) => m.id === made.forest.id));
    });
});
