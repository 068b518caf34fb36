// What search engines, news aggregators and social sites read (docs/reader-site.md, "Search
// engines and social sites"): every page type's <head> checked field by field against the post's
// data, the JSON-LD parsed and checked for what news features require, the identity settings
// (icons, logo, social image, language, blog_public), the sitemaps validated against the sitemap
// and news sitemap schemas (tests/e2e/schemas, with xmllint) and read by a real client (npm
// sitemapper), and robots.txt read by a robots parser (npm robots-parser).
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { seedSite, SITE_TITLE } = require('./lib/site');
const { parse, pathOf, assertHtmlPage } = require('./lib/check');
const { writePng, imageSize } = require('./lib/png');

const Sitemapper = require('sitemapper').default || require('sitemapper');
const robotsParser = require('robots-parser');

const SCHEMAS = path.join(__dirname, 'schemas');
const HOSTILE = '</script><script>alert(1)</script> "Quotes" & \'apostrophes\' <b>tags</b> 🦊 العربية\u2028end';

let site;
let server;
let base; // the server's address, also the site_url setting
let tmp;
let recent; // a story published an hour ago: {id, title, path}
let hostile; // the hostile title's story

before(async () => {
    site = seedSite();
    tmp = srv.tempDir('gazette-seo-');
    const now = Date.now();
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
    recent = { title: 'Harbour reopens after the storm', slug: 'harbour-reopens', date: iso(now - 3600e3) };
    recent.id = srv.postAdd(site.dataDir, { ...recent, author: 'jdoe', categories: ['world'], tags: ['storm'],
        body: 'The harbour opened again this morning, two days after the storm.\n' });
    recent.path = srv.articlePath(recent.date, recent.slug);
    hostile = { title: HOSTILE, slug: 'hostile-title', date: iso(now - 7200e3) };
    hostile.id = srv.postAdd(site.dataDir, { ...hostile, author: 'jdoe', tags: [HOSTILE.slice(0, 40)],
        body: 'A body.\n' });
    hostile.path = srv.articlePath(hostile.date, hostile.slug);
    server = await srv.startServer({ dataDir: site.dataDir });
    base = server.url;
    srv.settingSet(site.dataDir, 'site_url', base);
});

after(async () => {
    if (server)
        await server.stop();
});

async function get(p, opts) {
    const r = await srv.get(base + p, opts);
    r.doc = /html/.test(r.headers.get('content-type') || '') ? parse(r.body) : null;
    return r;
}

// The <head> of a page as data: meta by name and property (lists), links by rel, JSON-LD nodes.
function head(doc) {
    const h = { name: {}, property: {}, link: {}, ld: [] };
    for (const m of doc.all('head meta')) {
        const key = m.attr('name') ? 'name' : m.attr('property') ? 'property' : null;
        if (!key)
            continue;
        (h[key][m.attr(key)] ||= []).push(m.attr('content'));
    }
    for (const l of doc.all('head link'))
        for (const rel of (l.attr('rel') || '').split(/\s+/))
            (h.link[rel] ||= []).push(l);
    for (const s of doc.all('head script[type="application/ld+json"]')) {
        const j = JSON.parse(s.text);
        assert.equal(j['@context'], 'https://schema.org');
        h.ld.push(...(j['@graph'] || [j]));
    }
    h.one = (kind, key) => (h[kind][key] || [])[0];
    h.node = (type) => h.ld.find((n) => n['@type'] === type);
    return h;
}

function post(id) {
    return srv.postShow(site.dataDir, id);
}

describe('the <head> of each page type', () => {
    it('an article: canonical, description, Open Graph, Twitter, feeds, NewsArticle and breadcrumbs', async () => {
        const s = site.stories[4]; // Story 05: two categories, two tags
        const p = post(s.id);
        const r = await get(s.path);
        assert.equal(r.status, 200);
        assertHtmlPage(r, 'article');
        const h = head(r.doc);
        const url = base + s.path;
        assert.equal(h.link.canonical.length, 1);
        assert.equal(h.link.canonical[0].attr('href'), url);
        assert.ok(p.excerpt.length > 0);
        assert.equal(h.one('name', 'description'), p.excerpt);
        assert.equal(h.one('name', 'robots'), 'max-image-preview:large');
        assert.equal(h.one('property', 'og:site_name'), SITE_TITLE);
        assert.equal(h.one('property', 'og:type'), 'article');
        assert.equal(h.one('property', 'og:title'), s.title);
        assert.equal(h.one('property', 'og:description'), p.excerpt);
        assert.equal(h.one('property', 'og:url'), url);
        assert.equal(h.one('property', 'og:locale'), 'en_US');
        assert.equal(h.one('property', 'article:published_time'), s.date);
        assert.ok(h.one('property', 'article:modified_time') >= s.date);
        assert.equal(h.one('property', 'article:section'), 'science', 'the first category by name');
        assert.deepEqual(h.property['article:tag'].sort(), ['climate', 'election']);
        assert.equal(h.one('property', 'article:author'), `${base}/author/jdoe/`);
        assert.equal(h.one('name', 'twitter:card'), 'summary', 'no image yet');
        assert.equal(h.one('name', 'twitter:title'), s.title);
        const feeds = h.link.alternate.map((l) => [l.attr('type'), l.attr('href')]);
        assert.deepEqual(feeds, [['application/rss+xml', '/feed/'], ['application/atom+xml', '/feed/atom/'],
            ['application/rss+xml', `${s.path}feed/`], ['application/atom+xml', `${s.path}feed/atom/`]]);

        const a = h.node('NewsArticle');
        assert.ok(a, 'NewsArticle');
        assert.equal(a.headline, s.title);
        assert.equal(a.description, p.excerpt);
        assert.equal(a.datePublished, s.date);
        assert.equal(a.dateModified, h.one('property', 'article:modified_time'));
        assert.deepEqual(a.author, [{ '@type': 'Person', name: 'Jane Doe', url: `${base}/author/jdoe/` }]);
        assert.equal(a.publisher['@type'], 'Organization');
        assert.equal(a.publisher.name, SITE_TITLE);
        assert.equal(a.mainEntityOfPage['@id'], url);
        assert.deepEqual(a.articleSection, ['science', 'world']);
        assert.deepEqual(a.keywords, ['climate', 'election']);
        assert.ok(a.wordCount > 10 && a.wordCount < 40, `wordCount ${a.wordCount}`);
        assert.equal(a.inLanguage, 'en-US');
        const crumbs = h.node('BreadcrumbList').itemListElement;
        assert.deepEqual(crumbs.map((c) => [c.position, c.name, c.item]), [[1, 'Home', `${base}/`],
            [2, 'science', `${base}/category/science/`], [3, s.title, url]]);
    });

    it('the home page: the tagline, WebSite with a SearchAction, Organization, rel=next', async () => {
        srv.settingSet(site.dataDir, 'site_tagline', 'News from the "harbour" & hills');
        const r = await get('/');
        const h = head(r.doc);
        assert.equal(h.link.canonical[0].attr('href'), `${base}/`);
        assert.equal(h.one('name', 'description'), 'News from the "harbour" & hills');
        assert.equal(h.one('property', 'og:type'), 'website');
        assert.equal(h.one('property', 'og:title'), SITE_TITLE);
        assert.equal(h.link.next[0].attr('href'), `${base}/page/2/`);
        assert.equal(h.link.prev, undefined);
        const w = h.node('WebSite');
        assert.equal(w.name, SITE_TITLE);
        assert.equal(w.url, `${base}/`);
        assert.equal(w.potentialAction['@type'], 'SearchAction');
        assert.equal(w.potentialAction.target.urlTemplate, `${base}/?s={search_term_string}`);
        assert.equal(w.potentialAction['query-input'], 'required name=search_term_string');
        // the search the SearchAction names is a real search page
        const search = await get(new URL(w.potentialAction.target.urlTemplate.replace('{search_term_string}', 'Story'))
            .pathname + '?s=Story');
        assert.equal(search.status, 200);
        assert.equal(h.node('Organization').name, SITE_TITLE);
        const p2 = head((await get('/page/2/')).doc);
        assert.equal(p2.link.canonical[0].attr('href'), `${base}/page/2/`);
        assert.equal(p2.link.prev[0].attr('href'), `${base}/`);
        assert.equal(p2.link.next[0].attr('href'), `${base}/page/3/`);
        assert.equal(p2.node('CollectionPage').url, `${base}/page/2/`);
        srv.settingSet(site.dataDir, 'site_tagline', '');
    });

    it('archives: CollectionPage, breadcrumbs, a description from the archive\'s name', async () => {
        const cases = [
            ['/category/world/', 'world', 'Articles filed under world.', [['world', '/category/world/']]],
            ['/tag/election/', 'election', 'Articles tagged election.', [['election', '/tag/election/']]],
            ['/author/jdoe/', 'Jane Doe', 'Articles by Jane Doe.', [['Jane Doe', '/author/jdoe/']]],
            ['/2026/01/05/', 'Archives: January 5, 2026', 'Articles published in January 5, 2026.',
                [['2026', '/2026/'], ['January 2026', '/2026/01/'], ['January 5, 2026', '/2026/01/05/']]],
        ];
        for (const [p, name, description, crumbs] of cases) {
            const r = await get(p);
            assert.equal(r.status, 200, p);
            const h = head(r.doc);
            assert.equal(h.link.canonical[0].attr('href'), base + p, p);
            assert.equal(h.one('name', 'description'), description, p);
            assert.equal(h.one('property', 'og:type'), 'website', p);
            const cp = h.node('CollectionPage');
            assert.equal(cp.name, name, p);
            assert.equal(cp.url, base + p, p);
            assert.deepEqual(h.node('BreadcrumbList').itemListElement.map((c) => [c.name, pathOf(c.item)]),
                [['Home', '/'], ...crumbs], p);
        }
        const world2 = head((await get('/category/world/page/2/')).doc);
        assert.equal(world2.link.canonical[0].attr('href'), `${base}/category/world/page/2/`);
        assert.equal(world2.link.prev[0].attr('href'), `${base}/category/world/`);
        const feeds = head((await get('/category/world/')).doc).link.alternate.map((l) => l.attr('href'));
        assert.deepEqual(feeds, ['/feed/', '/feed/atom/', '/category/world/feed/', '/category/world/feed/atom/']);
    });

    it('a static page: WebPage and its canonical address', async () => {
        const h = head((await get('/about/')).doc);
        assert.equal(h.link.canonical[0].attr('href'), `${base}/about/`);
        assert.equal(h.node('WebPage').name, 'About this paper');
        assert.equal(h.one('property', 'og:title'), 'About this paper');
    });

    it('search results and the 404 say noindex, and have no canonical address nor structured data', async () => {
        for (const [p, status] of [['/?s=Story', 200], ['/page/2/?s=Story', 200], ['/no/such/page/', 404]]) {
            const r = await get(p);
            assert.equal(r.status, status, p);
            const h = head(r.doc);
            assert.equal(h.one('name', 'robots'), 'noindex, follow', p);
            assert.equal(h.link.canonical, undefined, p);
            assert.equal(h.ld.length, 0, p);
            assert.equal(h.one('property', 'og:title'), undefined, p);
        }
    });

    it('tracking query strings never reach the canonical address; comment pages are handled', async () => {
        const s23 = site.stories[22];
        const r = await get(`${s23.path}?utm_source=news&utm_medium=social&fbclid=abc`);
        assert.equal(head(r.doc).link.canonical[0].attr('href'), base + s23.path);
        const reply = await get(`${s23.path}?replytocom=${site.comments.bob}`);
        assert.equal(head(reply.doc).link.canonical[0].attr('href'), base + s23.path);
        // three top-level comments, one a page: the article shows the newest page
        srv.settingSet(site.dataDir, 'comments_per_page', 1);
        try {
            const art = head((await get(s23.path)).doc);
            assert.equal(art.link.canonical[0].attr('href'), base + s23.path);
            assert.equal(art.link.prev[0].attr('href'), `${base}${s23.path}comment-page-2/`);
            assert.equal(art.link.next, undefined);
            const p2 = head((await get(`${s23.path}comment-page-2/`)).doc);
            assert.equal(p2.link.canonical[0].attr('href'), `${base}${s23.path}comment-page-2/`, 'a page of its own');
            assert.equal(p2.link.prev[0].attr('href'), `${base}${s23.path}comment-page-1/`);
            assert.equal(p2.link.next[0].attr('href'), base + s23.path, 'the newest page is the article');
            const p3 = head((await get(`${s23.path}comment-page-3/`)).doc);
            assert.equal(p3.link.canonical[0].attr('href'), base + s23.path, 'the default page is the article');
        } finally {
            srv.settingSet(site.dataDir, 'comments_per_page', 50);
        }
    });

    it('no comment, email or held text ever reaches a description or structured data', async () => {
        const s23 = site.stories[22];
        for (const p of [s23.path, '/', '/category/science/', `${s23.path}?replytocom=${site.comments.alice}`]) {
            const r = await get(p);
            const h = head(r.doc.one('head') ? r.doc : r.doc);
            const text = JSON.stringify([h.name, h.property, h.ld]);
            for (const secret of ['hiddenmail', 'readers.example', 'Pending comment text', 'Spam comment text',
                'Late to the party', 'Alice Reader'])
                assert.ok(!text.includes(secret), `${p}: ${secret} in the head`);
        }
    });
});

describe('escaping', () => {
    it('a hostile title is shown as written in every tag and in the JSON-LD, and closes nothing', async () => {
        const r = await get(hostile.path);
        assert.equal(r.status, 200);
        const scripts = r.body.match(/<script\b[^>]*>/g) || [];
        assert.deepEqual(scripts, ['<script type="application/ld+json">'], 'one script element: the data');
        const ldText = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(r.body)[1];
        assert.ok(!/[<>&\u2028\u2029]/.test(ldText), 'no < > & or line separators inside the data');
        const h = head(r.doc);
        assert.equal(r.doc.one('title').text, `${HOSTILE} – ${SITE_TITLE}`);
        assert.equal(h.one('property', 'og:title'), HOSTILE);
        assert.equal(h.one('name', 'twitter:title'), HOSTILE);
        assert.equal(h.one('property', 'article:tag'), HOSTILE.slice(0, 40).trim());
        const a = h.node('NewsArticle');
        assert.equal(a.headline, HOSTILE);
        assert.deepEqual(a.keywords, [HOSTILE.slice(0, 40).trim()]);
        assert.equal(h.node('BreadcrumbList').itemListElement.at(-1).name, HOSTILE);
    });

    it('in Chromium: nothing runs, nothing is blocked by the CSP, every tag and the JSON-LD read back the title',
        async () => {
            const { launch } = require('./lib/browser');
            const browser = await launch();
            try {
                const page = await browser.newPage();
                const problems = [];
                page.on('dialog', (d) => {
                    problems.push(`dialog: ${d.message()}`);
                    d.dismiss();
                });
                page.on('console', (m) => {
                    if (m.type() === 'error' || /Content Security Policy|Refused/i.test(m.text()))
                        problems.push(`console: ${m.text()}`);
                });
                page.on('pageerror', (e) => problems.push(`error: ${e.message}`));
                await page.addInitScript(() => {
                    window.__violations = [];
                    document.addEventListener('securitypolicyviolation',
                        (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
                });
                for (const p of [hostile.path, '/', '/category/world/']) {
                    await page.goto(base + p);
                    const got = await page.evaluate(() => ({
                        title: document.title,
                        og: document.querySelector('meta[property="og:title"]')?.content,
                        twitter: document.querySelector('meta[name="twitter:title"]')?.content,
                        ld: [...document.querySelectorAll('script[type="application/ld+json"]')]
                            .map((s) => JSON.parse(s.textContent)),
                        scripts: document.scripts.length,
                        injected: typeof window.alert === 'function' && document.querySelectorAll('b').length,
                        violations: window.__violations,
                    }));
                    assert.deepEqual(got.violations, [], `${p}: CSP violations`);
                    assert.equal(got.scripts, 1, `${p}: only the data block is a script element`);
                    assert.equal(got.ld.length, 1, `${p}: the JSON-LD parses`);
                    if (p === hostile.path) {
                        assert.equal(got.title, `${HOSTILE} – ${SITE_TITLE}`);
                        assert.equal(got.og, HOSTILE);
                        assert.equal(got.twitter, HOSTILE);
                        const a = got.ld[0]['@graph'].find((n) => n['@type'] === 'NewsArticle');
                        assert.equal(a.headline, HOSTILE);
                        const h1 = await page.textContent('h1');
                        assert.equal(h1, HOSTILE, 'the heading shows the title as written');
                    }
                }
                assert.deepEqual(problems, []);
            } finally {
                await browser.close();
            }
        });
});

describe('site identity settings', () => {
    it('the site icon makes a favicon, a touch icon and the manifest\'s icons; the page links them', async () => {
        const file = writePng(path.join(tmp, 'icon.png'), 700, 600, { alpha: true });
        srv.settingSet(site.dataDir, 'site_icon', file);
        const h = head((await get('/')).doc);
        assert.equal(h.link.icon.length, 2);
        assert.equal(h.link.icon[0].attr('href'), '/favicon.ico');
        assert.equal(h.link['apple-touch-icon'][0].attr('href'), '/apple-touch-icon.png');
        assert.equal(h.link.manifest[0].attr('href'), '/manifest.webmanifest');
        const ico = await fetch(`${base}/favicon.ico`);
        assert.equal(ico.status, 200);
        assert.equal(ico.headers.get('content-type'), 'image/x-icon');
        assert.deepEqual(imageSize(Buffer.from(await ico.arrayBuffer())), { type: 'ico', count: 1, width: 48, height: 48 });
        const touch = await fetch(`${base}/apple-touch-icon.png`);
        assert.equal(touch.headers.get('content-type'), 'image/png');
        const ts = imageSize(Buffer.from(await touch.arrayBuffer()));
        assert.equal(ts.width, 180);
        assert.equal(ts.height, 180);
        assert.equal(ts.alpha, false, 'the touch icon is opaque');
        const m = await fetch(`${base}/manifest.webmanifest`);
        assert.equal(m.headers.get('content-type'), 'application/manifest+json');
        const manifest = await m.json();
        assert.equal(manifest.name, SITE_TITLE);
        assert.equal(manifest.start_url, '/');
        assert.equal(manifest.lang, 'en-US');
        for (const icon of manifest.icons) {
            const f = await fetch(base + icon.src);
            const size = imageSize(Buffer.from(await f.arrayBuffer()));
            assert.equal(`${size.width}x${size.height}`, icon.sizes);
        }
        assert.deepEqual(manifest.icons.map((i) => i.sizes), ['192x192', '512x512']);
    });

    it('refuses what is not a usable image, with the reason, and keeps the old value', async () => {
        const small = writePng(path.join(tmp, 'small.png'), 100, 100);
        const text = path.join(tmp, 'notes.png');
        fs.writeFileSync(text, 'not an image at all');
        const cases = [[small, /at least 512/], [text, /not a JPEG, PNG, WebP, GIF or AVIF/],
            [path.join(tmp, 'missing.png'), /no file/], ['relative/icon.png', /full path/], [tmp, /not a file/]];
        for (const [value, why] of cases) {
            const r = srv.cli(site.dataDir, ['setting', 'set', 'site_icon', value], { allowFail: true });
            assert.equal(r.status, 1, value);
            assert.match(r.stderr, why, value);
        }
        assert.equal(srv.cli(site.dataDir, ['setting', 'get', 'site_icon']).stdout.trim(), path.join(tmp, 'icon.png'));
        assert.equal((await fetch(`${base}/favicon.ico`)).status, 200);
    });

    it('the logo and the default social image reach Open Graph, Twitter and the NewsArticle', async () => {
        srv.settingSet(site.dataDir, 'site_logo', writePng(path.join(tmp, 'logo.png'), 900, 300, { alpha: true }));
        srv.settingSet(site.dataDir, 'social_image', writePng(path.join(tmp, 'social.png'), 1600, 900));
        const r = await get(recent.path);
        const h = head(r.doc);
        assert.equal(h.one('property', 'og:image'), `${base}/social-image.jpg`);
        assert.equal(h.one('property', 'og:image:type'), 'image/jpeg');
        assert.equal(h.one('property', 'og:image:width'), '1200');
        assert.equal(h.one('property', 'og:image:height'), '675');
        assert.equal(h.one('name', 'twitter:card'), 'summary_large_image');
        assert.equal(h.one('name', 'twitter:image'), `${base}/social-image.jpg`);
        const img = await fetch(`${base}/social-image.jpg`);
        assert.deepEqual(imageSize(Buffer.from(await img.arrayBuffer())), { type: 'jpeg', width: 1200, height: 675 });
        const a = h.node('NewsArticle');
        // what Google's news features require
        assert.equal(a.headline, recent.title);
        assert.deepEqual(a.image, [{ '@type': 'ImageObject', url: `${base}/social-image.jpg`, width: 1200, height: 675 }]);
        assert.equal(a.datePublished, recent.date);
        assert.equal(a.author[0].name, 'Jane Doe');
        assert.equal(a.publisher.name, SITE_TITLE);
        assert.deepEqual(a.publisher.logo, { '@type': 'ImageObject', url: `${base}/site-logo.png`, width: 600, height: 200 });
        const logo = await fetch(`${base}/site-logo.png`);
        assert.deepEqual(imageSize(Buffer.from(await logo.arrayBuffer())), { type: 'png', width: 600, height: 200, alpha: true });
        assert.deepEqual(head((await get('/')).doc).node('Organization').logo.url, `${base}/site-logo.png`);
        // emptied, the images go
        srv.settingSet(site.dataDir, 'social_image', '');
        assert.equal((await fetch(`${base}/social-image.jpg`)).status, 404);
        assert.equal(head((await get(recent.path)).doc).one('name', 'twitter:card'), 'summary');
    });

    it('site_language sets <html lang>, og:locale, the feeds and the news sitemap', async () => {
        const bad = srv.cli(site.dataDir, ['setting', 'set', 'site_language', 'French'], { allowFail: true });
        assert.equal(bad.status, 1);
        assert.match(bad.stderr, /language tag/);
        srv.settingSet(site.dataDir, 'site_language', 'fr-CA');
        try {
            const r = await get(recent.path);
            assert.equal(r.doc.one('html').attr('lang'), 'fr-CA');
            assert.equal(head(r.doc).one('property', 'og:locale'), 'fr_CA');
            assert.equal(head(r.doc).node('NewsArticle').inLanguage, 'fr-CA');
            assert.match((await get('/feed/')).body, /<language>fr-CA<\/language>/);
            assert.match((await get('/feed/atom/')).body, /xml:lang="fr-CA"/);
            assert.match((await get('/sitemap-news.xml')).body, /<news:language>fr<\/news:language>/);
        } finally {
            srv.settingSet(site.dataDir, 'site_language', 'en-US');
        }
    });

    it('blog_public 0: every page says noindex, robots.txt disallows everything, no sitemap', async () => {
        srv.settingSet(site.dataDir, 'blog_public', 0);
        try {
            for (const p of ['/', site.stories[0].path, '/category/world/'])
                assert.equal(head((await get(p)).doc).one('name', 'robots'), 'noindex, nofollow', p);
            const txt = (await get('/robots.txt')).body;
            const robots = robotsParser(`${base}/robots.txt`, txt);
            assert.equal(robots.isAllowed(`${base}/`, 'Googlebot'), false);
            assert.equal(robots.isAllowed(`${base}${site.stories[0].path}`, 'Bingbot'), false);
            assert.deepEqual(robots.getSitemaps(), []);
            assert.equal((await get('/sitemap.xml')).status, 404);
            assert.equal((await get('/sitemap-news.xml')).status, 404);
        } finally {
            srv.settingSet(site.dataDir, 'blog_public', 1);
        }
        assert.equal(head((await get('/')).doc).one('name', 'robots'), 'max-image-preview:large');
    });
});

describe('the newsroom\'s settings form', () => {
    it('sets the identity: images made off the event loop, a refused file saves nothing', async () => {
        const { Newsroom, formFields } = require('./lib/admin');
        srv.userAdd(site.dataDir, { login: 'chief', name: 'Chief Editor', role: 'administrator' });
        const n = await new Newsroom(base).login('chief');
        const page = await n.get('/admin/settings/');
        assert.equal(page.status, 200);
        // the identity settings are rows of the settings table: Site holds the language and the
        // images, Reading whether search engines may index the site
        const fields = formFields(page.body, 'settings-form-0');
        const reading = formFields(page.body, 'settings-form-2');
        for (const key of ['site_language', 'site_icon', 'site_logo', 'social_image'])
            assert.ok(key in fields, `the form has ${key}`);
        assert.equal(reading.blog_public, '1', 'ticked: the site may be indexed');
        assert.match(page.body, /id="site_icon"[^>]*>\s*<p class="help" id="help-site_icon">[^<]*512/);

        const bad = await n.post('/admin/settings/', { ...fields, site_language: 'de-AT',
            social_image: path.join(tmp, 'notes.png') });
        assert.equal(bad.status, 422);
        assert.match(bad.body, /<p class="field-error" id="error-social_image">The file is not a JPEG, PNG, WebP, GIF or AVIF/);
        assert.equal(srv.cli(site.dataDir, ['setting', 'get', 'site_language']).stdout.trim(), 'en-US', 'nothing saved');
        const badLang = await n.post('/admin/settings/', { ...fields, site_language: 'Deutsch' });
        assert.equal(badLang.status, 422);
        assert.match(badLang.body, /id="error-site_language"/);

        const social = writePng(path.join(tmp, 'form-social.png'), 1000, 1000);
        const ok = await n.post('/admin/settings/', { ...fields, site_language: 'de-AT', social_image: social });
        assert.equal(ok.status, 303, ok.body.slice(0, 400));
        const h = head((await get(recent.path)).doc);
        assert.equal(h.one('property', 'og:locale'), 'de_AT');
        assert.equal(h.one('property', 'og:image:width'), '1000');
        assert.equal(srv.cli(site.dataDir, ['setting', 'get', 'social_image']).stdout.trim(), social);
        const off = await n.post('/admin/settings/', { ...reading, blog_public: undefined });
        assert.equal(off.status, 303);
        assert.equal(head((await get('/')).doc).one('name', 'robots'), 'noindex, nofollow');
        assert.equal((await n.post('/admin/settings/', reading)).status, 303);
        assert.equal((await n.post('/admin/settings/', fields)).status, 303);
        assert.equal(srv.cli(site.dataDir, ['setting', 'get', 'social_image']).stdout.trim(), fields.social_image);
        assert.equal(head((await get('/')).doc).one('name', 'robots'), 'max-image-preview:large');
    });
});

describe('robots.txt', () => {
    it('points at the sitemaps and keeps crawlers out of the newsroom and search results', async () => {
        const r = await get('/robots.txt');
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
        const robots = robotsParser(`${base}/robots.txt`, r.body);
        assert.deepEqual(robots.getSitemaps(), [`${base}/sitemap.xml`, `${base}/sitemap-news.xml`]);
        for (const ua of ['Googlebot', 'Bingbot', 'facebookexternalhit']) {
            for (const p of ['/admin/', '/admin/login', '/?s=harbour', '/page/2/?s=harbour', '/?paged=2&s=x',
                '/search/harbour/', `${site.stories[22].path}?replytocom=3`])
                assert.equal(robots.isAllowed(base + p, ua), false, `${ua} ${p}`);
            for (const p of ['/', '/page/2/', site.stories[0].path, '/category/world/', '/feed/', '/sitemap.xml',
                '/2026/01/', '/static/style.css'])
                assert.equal(robots.isAllowed(base + p, ua), true, `${ua} ${p}`);
        }
    });
});

function xmllint(schema, xml, name) {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--schema', path.join(SCHEMAS, schema), file], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${name} against ${schema}:\n${r.stderr}`);
}

describe('sitemaps', () => {
    it('the schemas catch a broken sitemap (they are not empty promises)', () => {
        const file = path.join(tmp, 'broken.xml');
        fs.writeFileSync(file, '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>2026-01-01' +
            '</lastmod></url></urlset>');
        const r = spawnSync('xmllint', ['--noout', '--schema', path.join(SCHEMAS, 'sitemap.xsd'), file],
            { encoding: 'utf8' });
        assert.notEqual(r.status, 0);
    });

    it('the index and every file are valid, and a sitemap client finds every public address', async () => {
        const index = await get('/sitemap.xml');
        assert.equal(index.status, 200);
        assert.equal(index.headers.get('content-type'), 'application/xml; charset=utf-8');
        xmllint('siteindex.xsd', index.body, 'index.xml');
        const files = [...index.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => pathOf(m[1]));
        assert.deepEqual(files, ['/sitemap-posts-1.xml', '/sitemap-pages-1.xml', '/sitemap-categories-1.xml',
            '/sitemap-tags-1.xml', '/sitemap-authors-1.xml']);
        for (const f of files) {
            const r = await get(f);
            assert.equal(r.status, 200, f);
            xmllint('sitemap.xsd', r.body, f.slice(1));
        }
        const client = new Sitemapper({ url: `${base}/sitemap.xml`, timeout: 15000, fields: { loc: true, lastmod: true } });
        const { sites, errors } = await client.fetch();
        assert.deepEqual(errors, []);
        const got = new Map(sites.map((s) => [pathOf(s.loc), s.lastmod]));
        const published = [...site.published, recent, hostile];
        for (const p of published)
            assert.ok(got.has(p.path), `${p.path} listed`);
        for (const p of ['/', '/about/', '/category/world/', '/category/science/', '/tag/election/', '/author/jdoe/',
            '/author/mkent/'])
            assert.ok(got.has(p), `${p} listed`);
        for (const h of [...site.hidden, site.hiddenPage])
            assert.ok(![...got.keys()].some((k) => k.includes(h.slug)), `${h.slug} (${h.status}) not listed`);
        for (const p of ['/category/ghosts/', '/author/quiet/', '/category/notices/'])
            assert.equal(got.has(p), p === '/category/notices/', p);
        // lastmod: when the post last changed, never before it was published
        for (const p of site.published)
            assert.ok(got.get(p.path) >= p.date, `${p.path} lastmod ${got.get(p.path)}`);
        assert.equal(got.get('/author/jdoe/'), recent.date, 'an author\'s: the newest post');
        // posts oldest first
        const posts = (await get('/sitemap-posts-1.xml')).body;
        const order = [...posts.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => pathOf(m[1]));
        assert.deepEqual(order.slice(0, 3), site.published.slice(0, 3).map((p) => p.path));
        assert.equal(order.length, published.length);
    });

    it('the news sitemap lists the last two days\' articles with their publication, and is valid', async () => {
        const r = await get('/sitemap-news.xml');
        assert.equal(r.status, 200);
        xmllint('news.xsd', r.body, 'news.xml');
        const urls = [...r.body.matchAll(/<url>([\s\S]*?)<\/url>/g)].map((m) => m[1]);
        const locs = urls.map((u) => pathOf(/<loc>([^<]+)</.exec(u)[1]));
        assert.deepEqual(locs, [recent.path, hostile.path], 'newest first, nothing older than 48 hours');
        assert.match(urls[0], new RegExp(`<news:name>${SITE_TITLE}</news:name>`));
        assert.match(urls[0], /<news:language>en<\/news:language>/);
        assert.match(urls[0], new RegExp(`<news:publication_date>${recent.date}</news:publication_date>`));
        assert.match(urls[0], /<news:title>Harbour reopens after the storm<\/news:title>/);
        assert.match(urls[1], /<news:title>&lt;\/script&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt; &quot;Quotes&quot; &amp; 'apostrophes'/);
        const client = new Sitemapper({ url: `${base}/sitemap-news.xml`, timeout: 15000 });
        const { sites } = await client.fetch();
        assert.deepEqual(sites.map((u) => pathOf(u)), locs);
    });

    it('is cached, and follows the site: a new post appears, a draft never does', async () => {
        const first = await get('/sitemap-posts-1.xml');
        const again = await get('/sitemap-posts-1.xml');
        assert.equal(first.headers.get('etag'), again.headers.get('etag'));
        const fresh = { title: 'Fresh off the press', slug: 'fresh-off-the-press',
            date: new Date(Date.now() - 60e3).toISOString().replace(/\.\d+Z$/, 'Z') };
        srv.postAdd(site.dataDir, { ...fresh, author: 'mkent' });
        srv.postAdd(site.dataDir, { title: 'Draft never listed', slug: 'draft-never', status: 'draft' });
        const after = await get('/sitemap-posts-1.xml');
        assert.match(after.body, /fresh-off-the-press/);
        assert.doesNotMatch(after.body, /draft-never/);
        assert.match((await get('/sitemap-news.xml')).body, /fresh-off-the-press/);
    });

    it('WordPress\'s and Yoast\'s addresses answer 301; wrong numbers 404', async () => {
        for (const [p, to] of [['/wp-sitemap.xml', '/sitemap.xml'], ['/sitemap_index.xml', '/sitemap.xml'],
            ['/wp-sitemap-posts-post-1.xml', '/sitemap.xml'], ['/post-sitemap.xml', '/sitemap.xml'],
            ['/post_tag-sitemap2.xml', '/sitemap.xml'], ['/news-sitemap.xml', '/sitemap-news.xml']]) {
            const r = await get(p);
            assert.equal(r.status, 301, p);
            assert.equal(pathOf(r.headers.get('location'), base), to, p);
        }
        for (const p of ['/sitemap-posts-2.xml', '/sitemap-posts-0.xml', '/sitemap-posts-01.xml', '/sitemap-bogus-1.xml',
            '/sitemap-tags-9.xml', '/favicon.png', '/sitemap.xml/'])
            assert.equal((await get(p)).status, 404, p);
    });
});
