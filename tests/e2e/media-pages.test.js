// Images on the reader's pages: the featured image chosen in the editor (article with caption and
// credit, the front page's lead and grid, category and search thumbnails), images of the library
// inserted in a body, every <img> with srcset, sizes, width, height, decoding and alt, lazy below
// the fold; cached pages dropped when a medium changes; deleting a used medium asks first. The
// pages pass the Nu HTML Checker and axe-core, and the upload works from Chromium's file chooser.
// Screenshots at 375 and 1280 px are written to GAZETTE_SCREENSHOTS (a folder) when it is set.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { Newsroom, savedId } = require('./lib/admin');
const { parse } = require('./lib/check');
const browser = require('./lib/browser');
const img = require('./lib/images');

let dataDir;
let server;
let work;
let ann;
const media = {};
const posts = {};

function addMedium(file, args) {
    return JSON.parse(srv.cli(dataDir, ['media', 'add', file, '--format', 'json', ...args]).stdout).id;
}

function mediumJson(id) {
    return JSON.parse(srv.cli(dataDir, ['media', 'list', '--format=json']).stdout).find((m) => m.id === id);
}

async function page(p) {
    const r = await srv.get(server.url + p);
    assert.equal(r.status, 200, `GET ${p}`);
    return { ...r, doc: parse(r.body) };
}

// Every <img> of the page has what a responsive, stable image needs.
function assertImages(doc, what) {
    const imgs = doc.all('img');
    for (const [i, im] of imgs.entries()) {
        for (const a of ['src', 'srcset', 'sizes', 'width', 'height', 'alt'])
            assert.ok(im.attr(a) !== null && im.attr(a) !== undefined, `${what}: <img> ${i} has ${a}`);
        assert.equal(im.attr('decoding'), 'async', `${what}: <img> ${i} decodes async`);
        assert.match(im.attr('srcset'), /^\/uploads\/\S+ \d+w(, \/uploads\/\S+ \d+w)*$/, `${what}: srcset`);
        assert.ok(Number(im.attr('width')) > 0 && Number(im.attr('height')) > 0);
    }
    return imgs;
}

before(async () => {
    dataDir = srv.newDataDir();
    work = srv.tempDir('gazette-media-pages-');
    srv.settingSet(dataDir, 'posts_per_page', 4); // so that the front page has sections below its list
    srv.userAdd(dataDir, { login: 'ann', name: 'Ann Author', role: 'author' });
    srv.userAdd(dataDir, { login: 'ed', name: 'Ed Itor', role: 'editor' });
    media.harbour = addMedium(img.picture(path.join(work, 'harbour.jpg'), 2600, 1600),
        ['--alt', 'Boats in the harbour at dawn', '--caption', 'The harbour this morning', '--credit', 'Photo: Ann Author']);
    media.chart = addMedium(img.picture(path.join(work, 'chart.png'), 900, 600), ['--alt', 'A bar chart of ferry orders']);
    for (let i = 0; i < 6; i++)
        srv.postAdd(dataDir, { title: `Older story ${i}`, slug: `older-${i}`, status: 'published',
            date: `2026-0${i + 1}-10T09:00:00Z`, categories: [i % 2 ? 'City' : 'World'], body: `Story ${i} of the archive.\n` });
    server = await srv.startServer({ dataDir });
    ann = await new Newsroom(server.url).login('ann');
    const chart = mediumJson(media.chart).copies.find((c) => c.format === 'png' && c.width === 640);
    // The editor: a featured image and, in the body, an image of the library.
    await ann.get('/admin/post/new');
    posts.lead = savedId(await ann.save({ title: 'Shipyard wins its largest order', status: 'published',
        featured: String(media.harbour), categories: 'World',
        content: `The yard will build four ferries.\n\n![](/uploads/${chart.path})\n\nWork starts in spring.\n` }));
    await ann.get('/admin/post/new');
    posts.second = savedId(await ann.save({ title: 'Ferry timetable changes', status: 'published',
        featured: String(media.chart), categories: 'City', content: 'New times from Monday.\n' }));
});

after(async () => {
    if (server)
        await server.stop();
});

describe('pages with images', () => {
    it('the article shows its featured image with caption and credit, and the body image in full', async () => {
        const r = await page(srv.postShow(dataDir, posts.lead).path);
        const fig = r.doc.one('figure.featured-image');
        assert.ok(fig, 'a featured image');
        assert.match(fig.text, /The harbour this morning/);
        assert.match(fig.one('.credit').text, /Photo: Ann Author/);
        const imgs = assertImages(r.doc, 'article');
        assert.equal(imgs.length, 2);
        assert.equal(imgs[0].attr('alt'), 'Boats in the harbour at dawn');
        assert.equal(imgs[0].attr('loading'), null, 'the featured image loads at once');
        assert.match(r.doc.one('source[type="image/webp"]').attr('srcset'), /\.webp 320w/);
        const body = r.doc.one('.entry-content img');
        assert.equal(body.attr('alt'), 'A bar chart of ferry orders', 'the library\'s alt text when the body gave none');
        assert.equal(body.attr('loading'), 'lazy');
        assert.match(body.attr('srcset'), /-900\.png 900w/);
        // the library knows where its images are used
        assert.equal(mediumJson(media.chart).uses, 2);
    });

    it('social previews and structured data show the featured image', async () => {
        const r = await page(srv.postShow(dataDir, posts.lead).path);
        const meta = (p) => r.doc.one(`meta[property="${p}"]`)?.attr('content');
        const jpeg = mediumJson(media.harbour).copies.find((c) => c.format === 'jpeg' && c.width === 1600);
        assert.equal(meta('og:image'), `${server.url}/uploads/${jpeg.path}`, 'the copy at least 1200 wide');
        assert.equal(meta('og:image:type'), 'image/jpeg');
        assert.equal(meta('og:image:width'), '1600');
        assert.equal(meta('og:image:height'), String(jpeg.height));
        assert.equal(r.doc.one('meta[name="twitter:card"]').attr('content'), 'summary_large_image');
        const ld = JSON.parse(r.doc.one('script[type="application/ld+json"]').text);
        const article = (ld['@graph'] || [ld]).find((n) => n['@type'] === 'NewsArticle');
        assert.equal(article.image[0].url, `${server.url}/uploads/${jpeg.path}`);
        const png = mediumJson(media.chart).copies.find((c) => c.format === 'png' && c.width === 900);
        const second = await page(srv.postShow(dataDir, posts.second).path);
        assert.equal(second.doc.one('meta[property="og:image"]').attr('content'), `${server.url}/uploads/${png.path}`,
            'a smaller image: its largest copy, as a PNG');
    });

    it('the front page leads with the newest story and its large image, then a grid and sections', async () => {
        const r = await page('/');
        const lead = r.doc.one('.lead-story');
        assert.match(lead.text, /Ferry timetable changes/);
        const imgs = assertImages(r.doc, 'home');
        assert.equal(lead.one('img').attr('loading'), null, 'the lead image is above the fold');
        assert.match(lead.one('img').attr('sizes'), /1100px/);
        const grid = r.doc.all('.story-grid .post-summary');
        assert.ok(grid.length >= 3, `${grid.length} stories in grids`);
        assert.ok(r.doc.one('.story-grid .post-summary.has-image'), 'a thumbnail in the grid');
        assert.ok(r.doc.all('.home-section').length >= 1, 'sections by category');
        assert.ok(imgs.length >= 2);
    });

    it('category and search pages show thumbnails', async () => {
        for (const p of ['/category/world/', '/?s=shipyard']) {
            const r = await page(p);
            const imgs = assertImages(r.doc, p);
            assert.ok(imgs.length >= 1, `${p} shows a thumbnail`);
            assert.equal(imgs[0].attr('alt'), 'Boats in the harbour at dawn');
        }
    });

    it('a change of a medium\'s texts shows on cached pages at once', async () => {
        const p = srv.postShow(dataDir, posts.lead).path;
        await page(p);
        await page(p); // from the cache now
        const ed = await new Newsroom(server.url).login('ed');
        await ed.get(`/admin/media/${media.harbour}`);
        const r = await ed.post(`/admin/media/${media.harbour}`, { alt: 'Fishing boats at dawn',
            caption: 'The harbour this morning', credit: 'Photo: Ann Author', title: '' });
        assert.equal(r.status, 303);
        assert.equal((await page(p)).doc.one('figure.featured-image img').attr('alt'), 'Fishing boats at dawn');
        assert.equal((await page('/')).doc.all('img').some((i) => i.attr('alt') === 'Fishing boats at dawn'), true);
    });

    it('pages with images pass the Nu HTML Checker', async () => {
        const dir = srv.tempDir('gazette-vnu-media-');
        const files = [];
        for (const [name, p] of [['home', '/'], ['article', srv.postShow(dataDir, posts.lead).path],
            ['category', '/category/world/'], ['search', '/?s=ferry']]) {
            files.push(path.join(dir, `${name}.html`));
            fs.writeFileSync(files.at(-1), (await page(p)).body);
        }
        const r = spawnSync('java', ['-jar', require('vnu-jar'), '--format', 'json', '--stdout', ...files],
            { encoding: 'utf8', timeout: 120000, maxBuffer: 16 * 1024 * 1024 });
        const errors = JSON.parse(r.stdout).messages.filter((m) => m.type === 'error');
        assert.deepEqual(errors.map((m) => `${path.basename(m.url)}:${m.lastLine}: ${m.message}`), []);
    });

    it('pass axe-core and look right at 375 and 1280 px in Chromium', async () => {
        const b = await browser.launch();
        try {
            const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
            const shots = process.env.GAZETTE_SCREENSHOTS;
            for (const width of [375, 1280]) {
                const ctx = await b.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
                const pg = await ctx.newPage();
                for (const [name, p] of [['home', '/'], ['article', srv.postShow(dataDir, posts.lead).path],
                    ['category', '/category/world/'], ['search', '/?s=ferry']]) {
                    await pg.goto(server.url + p);
                    await pg.evaluate(axe);
                    const res = await pg.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
                    assert.deepEqual(res.violations.map((v) => `${v.id}: ${v.nodes[0].html}`), [], `${name} at ${width}`);
                    // the images above the fold have loaded and keep their proportions
                    const first = await pg.evaluate(() => {
                        const i = document.querySelector('main img');
                        return i ? { natural: i.naturalWidth, w: i.clientWidth, h: i.clientHeight, ratio: i.width / i.height } : null;
                    });
                    if (first) {
                        assert.ok(first.natural > 0, `${name} at ${width}: the first image loaded`);
                        assert.ok(first.w <= width, `${name} at ${width}: no wider than the screen`);
                    }
                    const overflow = await pg.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
                    assert.equal(overflow, false, `${name} at ${width}: no sideways scrolling`);
                    if (shots) {
                        fs.mkdirSync(shots, { recursive: true });
                        await pg.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
                    }
                }
                await ctx.close();
            }
        } finally {
            await b.close();
        }
    });

    it('deleting a medium posts show asks first; then the pages drop it', async () => {
        const ed = await new Newsroom(server.url).login('ed');
        await ed.get(`/admin/media/${media.chart}`);
        let r = await ed.post(`/admin/media/${media.chart}/delete`, {});
        assert.equal(r.status, 409);
        assert.match(r.body, /2 posts show this image/);
        assert.match(r.body, /name="confirm" value="1"/);
        assert.ok(mediumJson(media.chart), 'still there');
        r = await ed.post(`/admin/media/${media.chart}/delete`, { confirm: '1' });
        assert.equal(r.status, 303);
        const home = await page('/');
        assert.doesNotMatch(home.body, /A bar chart of ferry orders/);
        assert.equal(home.doc.one('.lead-story img'), null, 'the lead story lost its image');
    });
});

describe('uploading from Chromium', () => {
    it('the file chooser uploads a photo, which comes back upright without its GPS', async () => {
        const b = await browser.launch();
        try {
            const pg = await b.newPage();
            await browser.login(pg, server.url, 'ann');
            await pg.goto(`${server.url}/admin/media/`);
            const file = img.jpegWithGps(path.join(work, 'phone.jpg'), 1200, 900);
            const [chooser] = await Promise.all([pg.waitForEvent('filechooser'), pg.click('#m-file')]);
            await chooser.setFiles(file);
            await pg.fill('#m-alt', 'A photo from a phone');
            await Promise.all([pg.waitForURL(/\/admin\/media\/\d+\?msg=uploaded$/), pg.click('#upload-button')]);
            const id = Number(/\/admin\/media\/(\d+)/.exec(pg.url())[1]);
            const natural = await pg.evaluate(() => {
                const i = document.querySelector('.medium-preview img');
                return [i.naturalWidth, i.naturalHeight];
            });
            assert.ok(natural[1] > natural[0], `upright: ${natural}`);
            const m = mediumJson(id);
            assert.deepEqual([m.width, m.height], [900, 1200]);
            for (const c of m.copies)
                assert.equal(img.metadata(path.join(dataDir, 'uploads', c.path)), '', c.path);
        } finally {
            await b.close();
        }
    });
});
