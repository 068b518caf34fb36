// A generated archive of 10,000 posts (bench/wxr/gen.py, imported as a WordPress export) with one
// article of 300 comments: every public page type answers without scanning a table (each
// statement the server prepares is logged with its query plan through GAZETTE_PLAN_LOG and
// checked), the long thread is paged as docs/reader-site.md says, and a request past
// request_budget_ms gets a clean 503 while another page is still served.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./lib/server');
const { parse, pathOf } = require('./lib/check');

const POSTS = 10000;
const COMMENTS = 3; // a post
const LONG = 300; // comments on the first post
const PER_PAGE = 20; // top-level comments a page
const EXTRA = 21; // published posts added to the export's: a sticky one and 20 long reads

let dir;
let planLog;
let server;
let article; // the first post: {id, path}
let thread; // its approved comments: [{id, parent}] in display order, and the pages

function run(cmd, args, opts = {}) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 600000, maxBuffer: 1 << 26, ...opts });
    if (r.error)
        throw r.error;
    assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

// The threads of the long article as the reader site must show them: approved comments in the
// order they were written, a reply under its parent when the parent is shown, else a thread of
// its own; pages of PER_PAGE threads.
function expectedThread(comments) {
    const shown = comments.filter((c) => c.status === 'approved')
        .sort((a, b) => a.created_at - b.created_at || a.id - b.id);
    const byId = new Map(shown.map((c) => [c.id, { id: c.id, parent: c.parent || 0, children: [] }]));
    const roots = [];
    for (const c of shown) {
        const n = byId.get(c.id);
        const p = n.parent && byId.get(n.parent);
        if (p)
            p.children.push(n);
        else
            roots.push(n);
    }
    const pages = [];
    for (let i = 0; i < roots.length; i += PER_PAGE)
        pages.push(roots.slice(i, i + PER_PAGE));
    return { total: shown.length, roots, pages, byId };
}

before(async () => {
    dir = srv.tempDir('gazette-e2e-scale-');
    const wxr = path.join(dir, 'site.xml');
    fs.writeFileSync(wxr, run('python3', [path.join(srv.ROOT, 'bench', 'wxr', 'gen.py'), POSTS, COMMENTS, LONG]));
    const data = srv.newDataDir();
    run(srv.BIN, ['--data', data, ...srv.databaseArgs(data), 'import', 'wxr', wxr, '--quiet'],
        { env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1' } });
    fs.rmSync(wxr);
    srv.settingSet(data, 'comments_per_page', PER_PAGE);
    srv.settingSet(data, 'comment_flood_seconds', 0);
    srv.settingSet(data, 'comment_hold_first', 0);
    srv.postAdd(data, { title: 'About the archive', slug: 'about', type: 'page', date: '2020-01-01T00:00:00Z' });
    // an image of the library: featured on the front page's lead (the sticky notice), in a body
    const photo = path.join(dir, 'photo.png');
    run('vips', ['black', photo, '1200', '800']);
    const medium = srv.cliJson(data, ['media', 'add', photo, '--alt', 'A photo', '--format', 'json']).id;
    const copy = srv.cliJson(data, ['media', 'list', '--format=json'])[0].copies[0].path;
    srv.postAdd(data, { title: 'Pinned notice', date: '2012-03-03T03:03:03Z', sticky: true, categories: ['Section 3'],
        featured: medium, body: `A notice with a picture.\n\n![](/uploads/${copy})\n` });
    srv.postAdd(data, { title: 'Not yet', date: '2099-01-01T00:00:00Z', categories: ['Section 3'] });
    // Long reads whose words come in a fixed order: a phrase of two of them in the other order is in
    // none, and finding that out compares every position of every one (the slow search below).
    for (let i = 0; i < 20; i++)
        srv.postAdd(data, { title: `Long read ${i}`, date: '2013-05-05T05:05:05Z',
            body: 'council hall budget library '.repeat(40000) + '\n' });
    planLog = path.join(dir, 'plans.log');
    process.env.GAZETTE_PLAN_LOG = planLog;
    server = await srv.startServer({ dataDir: data, threads: 1 });
    delete process.env.GAZETTE_PLAN_LOG;
    const r = await get('/?p=1'); // the first post of the export, by its WordPress id
    assert.equal(r.status, 301);
    article = { path: r.headers.get('location') };
    article.id = srv.postList(data).find((p) => p.slug === 'council-story-1').id;
    const comments = srv.commentList(data).filter((c) => c.post === article.id);
    thread = expectedThread(comments);
    assert.ok(thread.pages.length >= 5, `the long thread has pages: ${thread.pages.length}`);
});

after(async () => {
    if (server)
        await server.stop();
    if (dir)
        srv.removeDir(dir);
});

async function get(p) {
    const r = await srv.get(server.url + p);
    r.doc = r.status === 200 && /html/.test(r.headers.get('content-type') || '') ? parse(r.body) : null;
    return r;
}

// The top-level comment ids of a comment page, and each one's replies (ids, nested), as shown.
function shownThreads(doc) {
    const list = doc.one('ol.comment-list');
    assert.ok(list, 'ol.comment-list');
    const walk = (li) => {
        const kids = li.elements.find((e) => e.tag === 'ol');
        return { id: Number(li.attr('id').slice('comment-'.length)),
            children: kids ? kids.elements.filter((e) => e.tag === 'li').map(walk) : [] };
    };
    return list.elements.filter((e) => e.tag === 'li').map(walk);
}

function strip(n) {
    return { id: n.id, children: n.children.map(strip) };
}

describe('every public page type of a 10,000-post archive', () => {
    it('answers, deep pages included', async () => {
        const pages = Math.ceil((POSTS + EXTRA) / 10);
        const want = [
            ['/', 200], ['/page/2/', 200], [`/page/${pages}/`, 200], [`/page/${pages + 1}/`, 404],
            ['/category/section-3/', 200], ['/category/section-3/page/40/', 200], ['/category/section-3/page/51/', 200],
            ['/category/section-3/page/52/', 404], ['/tag/topic-7/', 200], ['/tag/topic-7/page/10/', 200],
            ['/author/writer1/', 200], ['/author/writer1/page/300/', 200], ['/author/writer1/page/334/', 200],
            ['/2015/', 200], ['/2015/page/60/', 200], ['/2015/02/', 200], ['/2015/02/page/5/', 200],
            ['/2015/02/06/', 200], ['/2015/03/', 404], ['/about/', 200], [article.path, 200],
            ['/feed/', 200], ['/feed/atom/', 200], ['/category/section-3/feed/', 200], ['/tag/topic-7/feed/', 200],
            ['/author/writer1/feed/', 200], ['/comments/feed/', 200], [`${article.path}feed/`, 200],
            ['/?s=council', 200], ['/?s=library+hours', 200], ['/?s=%22library+hours%22', 200], ['/?s=counc', 200],
            ['/page/3/?s=council', 200], ['/?s=qqqnothing', 200], ['/?cat=1', 301], ['/?p=2', 301],
            ['/2012/03/03/pinned-notice/', 200], ['/robots.txt', 200], ['/sitemap.xml', 200], ['/sitemap-posts-1.xml', 200], ['/sitemap-posts-2.xml', 200],
            ['/sitemap-posts-3.xml', 404], ['/sitemap-pages-1.xml', 200], ['/sitemap-categories-1.xml', 200],
            ['/sitemap-tags-1.xml', 200], ['/sitemap-authors-1.xml', 200], ['/sitemap-news.xml', 200],
        ];
        for (const [p, status] of want) {
            const r = await get(p);
            assert.equal(r.status, status, `GET ${p}`);
        }
        // the JSON API's collections read the same lists (docs/api.md)
        const section = JSON.parse((await get('/wp-json/wp/v2/categories?slug=section-3')).body)[0];
        const topic = JSON.parse((await get('/wp-json/wp/v2/tags?slug=topic-7')).body)[0];
        const writer = JSON.parse((await get('/wp-json/wp/v2/users?slug=writer1')).body)[0];
        const api = [
            '/wp-json/', '/wp-json/wp/v2/posts', `/wp-json/wp/v2/posts?page=${pages - 1}`,
            '/wp-json/wp/v2/posts?order=asc&page=40', `/wp-json/wp/v2/posts?categories=${section.id}&page=40`,
            `/wp-json/wp/v2/posts?tags=${topic.id}&page=10&_embed=1`, `/wp-json/wp/v2/posts?author=${writer.id}&page=300`,
            '/wp-json/wp/v2/posts?after=2015-02-01T00:00:00&before=2015-03-01T00:00:00&page=5',
            '/wp-json/wp/v2/posts?search=council', '/wp-json/wp/v2/search?search=library+hours',
            '/wp-json/wp/v2/pages', '/wp-json/wp/v2/comments', '/wp-json/wp/v2/comments?page=50&order=asc',
            `/wp-json/wp/v2/comments?post=${article.id}&page=3`, `/wp-json/wp/v2/posts/${article.id}?_embed=1`,
            '/wp-json/wp/v2/users', '/wp-json/wp/v2/categories', '/wp-json/wp/v2/tags?per_page=100',
            `/wp-json/wp/v2/posts?categories=${section.id}&author=${writer.id},${writer.id + 1}&page=2`,
            `/wp-json/wp/v2/posts?tags_exclude=${topic.id}&author_exclude=${writer.id}&page=30`,
            '/wp-json/wp/v2/media', `/wp-json/wp/v2/media?parent=${article.id}&mime_type=image/jpeg`,
            '/wp-json/wp/v2/posts?_embed=wp:featuredmedia',
        ];
        for (const p of api) {
            const r = await get(p);
            assert.equal(r.status, 200, `GET ${p}: ${r.body.slice(0, 300)}`);
        }
        // the front page's lead and the notice's page show the library's image (read by id)
        for (const p of ['/', '/2012/03/03/pinned-notice/'])
            assert.match((await get(p)).body, /<img src="\/uploads\/[^"]+" srcset="\/uploads\//, p);
        const deep = await get(`/page/${pages}/`);
        assert.equal(deep.doc.all('main article').length, 1, 'the last page holds what is left');
        // the posts sitemaps: 10,000 addresses, then the rest, oldest first, none of them twice
        const locs = async (p) => [...(await get(p)).body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => pathOf(m[1]));
        const first = await locs('/sitemap-posts-1.xml');
        const second = await locs('/sitemap-posts-2.xml');
        assert.equal(first.length, 10000);
        assert.equal(second.length, POSTS + EXTRA - 10000, 'every public post (not the one dated 2099)');
        assert.equal(new Set([...first, ...second]).size, first.length + second.length);
        assert.ok(!second.some((p) => /not-yet/.test(p)), 'a post dated in the future is not listed');
        const search = await get('/?s=council');
        assert.match(search.doc.one('main').cleanText, /More than 1,000 results/);
        assert.equal(search.doc.all('main article').length, 10);
    });

    // The plans are SQLite's (EXPLAIN QUERY PLAN of each statement, logged by its driver): on
    // PostgreSQL the same statements are planned by another planner, which logs nothing here.
    it('runs no statement that scans posts, comments or post_terms, or sorts a range of them',
        { skip: srv.PG && 'SQLite query plans only' }, async () => {
        await get('/2015/02/06/page/2/');
        await get('/sitemap-posts-2.xml?again=1'); // a query string: made again, not from the cache
        await get(`${article.path}comment-page-2/`);
        const text = fs.readFileSync(planLog, 'utf8');
        const statements = text.split('\n\n').filter((s) => s.startsWith('SQL\t'));
        assert.ok(statements.length >= 40, `statements logged: ${statements.length}`);
        const bad = [];
        for (const s of statements) {
            const lines = s.split('\n');
            const sql = lines[0].slice(4);
            // PLAN <id> <parent> <step>: the steps of one query (or subquery) share a parent
            const plan = lines.slice(1).filter((l) => l.startsWith('PLAN\t')).map((l) => {
                const [, id, parent, step] = l.split('\t');
                return { id, parent, step };
            });
            for (const { step } of plan) {
                const m = /^SCAN (\S+)(.*)$/.exec(step);
                if (!m)
                    continue;
                // A full-text match and the ids of a comment page (json_each of the page's own
                // ids) are virtual tables that read only what they are asked for.
                if (/VIRTUAL TABLE INDEX/.test(m[2]) && /^(posts_fts|json_each|j)$/.test(m[1]))
                    continue;
                // The media library's lists (the API's /wp/v2/media) read the media table, whose
                // size is the number of uploads, not of posts, filtered in the row.
                if (m[1] === 'm' && /\bFROM media m\b/.test(sql))
                    continue;
                // An index read in its own order and stopped by LIMIT (the newest comments of the
                // comments feed): it reads as many entries as it returns.
                if (/USING (COVERING )?INDEX/.test(m[2]) && /\bLIMIT \?\d+$/.test(sql) &&
                    !plan.some((p) => /USE TEMP B-TREE FOR ORDER BY/.test(p.step)))
                    continue;
                bad.push(`${step}\n    in ${sql}`);
            }
            // A range of an index read and then sorted reads the whole range, however far a LIMIT
            // stops: the order must come from the index. (Sorting the rows found by their ids, or a
            // post's few terms, is fine: those are not ranges.)
            for (const sort of plan.filter((p) => /USE TEMP B-TREE FOR ORDER BY/.test(p.step))) {
                const range = plan.find((p) => p.parent === sort.parent && /^SEARCH .*\(.*[<>].*\)/.test(p.step));
                if (range)
                    bad.push(`${range.step} then ${sort.step}\n    in ${sql}`);
            }
        }
        assert.deepEqual(bad, [], `statements that scan or sort a range:\n${bad.join('\n')}`);
    });
});

describe('a long comment thread', () => {
    it('shows its last page at the article, counts every comment, and links the older pages', async () => {
        const n = thread.pages.length;
        const r = await get(article.path);
        assert.equal(r.doc.one('h2#comments').cleanText, `${thread.total} Comments`);
        assert.deepEqual(shownThreads(r.doc), thread.pages[n - 1].map(strip), 'the newest threads, replies nested');
        const nav = r.doc.one('nav.comment-navigation');
        assert.ok(nav, 'comment page navigation');
        assert.equal(nav.one('a[rel="prev"]').attr('href'), `${article.path}comment-page-${n - 1}/#comments`);
        assert.equal(nav.one('a[rel="next"]'), null, 'nothing newer than the newest');
        assert.match(nav.cleanText, new RegExp(`page ${n} of ${n}`));
    });

    it('serves every comment-page-N/ with its threads and rel=prev/next', async () => {
        const n = thread.pages.length;
        for (let k = 1; k <= n; k++) {
            const r = await get(`${article.path}comment-page-${k}/`);
            assert.equal(r.status, 200, `page ${k}`);
            assert.deepEqual(shownThreads(r.doc), thread.pages[k - 1].map(strip), `page ${k}`);
            assert.equal(r.doc.one('h2#comments').cleanText, `${thread.total} Comments`, 'the count on every page');
            const prev = r.doc.one('nav.comment-navigation a[rel="prev"]');
            const next = r.doc.one('nav.comment-navigation a[rel="next"]');
            assert.equal(prev ? prev.attr('href') : null, k > 1 ? `${article.path}comment-page-${k - 1}/#comments` : null);
            // the newest page is the article's own address
            const newer = k + 1 === n ? `${article.path}#comments` : `${article.path}comment-page-${k + 1}/#comments`;
            assert.equal(next ? next.attr('href') : null, k < n ? newer : null);
        }
        for (const bad of [0, n + 1, '01'])
            assert.equal((await get(`${article.path}comment-page-${bad}/`)).status, 404, `comment-page-${bad}`);
    });

    it('finds a reply\'s parent on another page, and a new reply is linked on its thread\'s page', async () => {
        const parent = thread.pages[0][1];
        const form = await get(`${article.path}?replytocom=${parent.id}`);
        assert.match(form.doc.one('#reply-title').cleanText, /^Leave a Reply to Reader \d+/);
        assert.equal(form.doc.one('form#commentform [name=comment_parent]').attr('value'), String(parent.id));
        const r = await srv.postForm(`${server.url}/comment/`, {
            comment_post_ID: article.id, comment_parent: parent.id, author: 'Late Reader',
            email: 'late@readers.example', comment: 'Replying to an old thread.',
        });
        assert.equal(r.status, 303, r.body.slice(0, 300));
        const loc = new URL(r.headers.get('location'), server.url);
        assert.equal(loc.pathname, `${article.path}comment-page-1/`, 'the page of the thread');
        const id = Number(/^#comment-(\d+)$/.exec(loc.hash)[1]);
        const page = await get(loc.pathname);
        assert.ok(page.doc.one(`li#comment-${parent.id} > ol.children > li#comment-${id}`), 'under its parent');
        assert.equal(page.doc.one('h2#comments').cleanText, `${thread.total + 1} Comments`);

        // the comment feeds link each comment on its page
        for (const feed of [`${article.path}feed/`, '/comments/feed/']) {
            const f = await get(feed);
            const links = [...f.body.matchAll(/<item>[\s\S]*?<link>([^<]+)<\/link>/g)].map((m) => m[1]);
            assert.ok(links.length > 0, feed);
            assert.equal(pathOf(links[0]) + new URL(links[0]).hash, `${article.path}comment-page-1/#comment-${id}`,
                `${feed}: the newest comment`);
            for (const link of links.slice(0, 4)) {
                const u = new URL(link);
                if (!u.pathname.startsWith(article.path))
                    continue;
                const p = await get(u.pathname);
                assert.ok(p.doc.one(`li${u.hash}`), `${link} shows its comment`);
            }
        }
    });

    // The rule against duplicate comments looks a submission up by name and by email on its post:
    // two index lookups however long the thread is, not a read of the thread (SQLite's plans, as
    // above; the reply just posted prepared the statement).
    it('checks a new comment for a duplicate without reading the thread',
        { skip: srv.PG && 'SQLite query plans only' }, () => {
        const text = fs.readFileSync(planLog, 'utf8');
        const dup = text.split('\n\n').find((s) => s.startsWith('SQL\tSELECT 1 FROM comments WHERE author = '));
        assert.ok(dup, 'the duplicate check was prepared');
        const steps = dup.split('\n').filter((l) => l.startsWith('PLAN\t')).map((l) => l.split('\t')[3])
            .filter((step) => /^(SEARCH|SCAN) /.test(step));
        assert.deepEqual(steps, ['SEARCH comments USING INDEX comments_author (author=? AND post_id=?)',
            'SEARCH comments USING INDEX comments_email (email=? AND post_id=?)']);
    });
});

describe('a request past request_budget_ms', () => {
    it('gets a clean 503 while another page is still served', async () => {
        srv.settingSet(server.dataDir, 'request_budget_ms', 10);
        await get('/'); // the server reads the settings again
        // The worst searches a reader can type: phrases of words that many posts hold, never next
        // to each other, so every position of them is compared (the long reads hold 160,000 each);
        // a partial word tried as a prefix; the deepest pages.
        const worst = ['/?s=%22hall+council%22', '/?s=%22library+hall%22+%22budget+council%22', '/?s=counc',
            `/page/${Math.ceil(POSTS / 10)}/?s=council`, '/author/writer1/page/333/', '/category/section-19/page/50/'];
        const started = Date.now();
        const light = (async () => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            const t0 = Date.now();
            const r = await get('/about/?light=1');
            return { status: r.status, ms: Date.now() - t0 };
        })();
        const answers = await Promise.all(worst.map((p) => get(p)));
        const l = await light;
        const statuses = answers.map((r) => r.status);
        for (const [i, r] of answers.entries()) {
            assert.ok(r.status === 200 || r.status === 503 || r.status === 404, `${worst[i]}: ${r.status}`);
            if (r.status === 503) {
                assert.equal(r.headers.get('retry-after'), '5');
                assert.match(r.body, /took too long/);
            }
        }
        // At least one of them runs past the budget on any machine: on SQLite the phrases (the
        // one with two phrases reads twice as many positions as the other, so a fast machine may
        // finish the first in time); PostgreSQL keeps at most 256 positions of a word in a
        // tsvector, so a phrase is cheap there, and the prefix, which ranks every post holding a
        // word that starts with it, is its slowest.
        const slowest = statuses.indexOf(503);
        assert.ok(slowest >= 0, `none of the worst requests ran past 10 ms: ${statuses}`);
        assert.equal(l.status, 200, 'the light page is served');
        console.log(`# worst requests: ${statuses.join(' ')} in ${Date.now() - started} ms; ` +
            `the light page took ${l.ms} ms`);
        srv.settingSet(server.dataDir, 'request_budget_ms', 1000);
        await get('/'); // read again: the request that notices the change still had the old budget
        const again = await get(worst[slowest]);
        assert.equal(again.status, 200, 'with the default budget the same search answers');
    });
});
