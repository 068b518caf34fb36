// The standard test site, built through the command line into a fresh data directory: 23 published
// stories (two with the same publish time), a sticky notice, posts in every other status placed
// between them, static pages, categories and tags, and a comment thread. seedSite() returns what
// the tests need to know about it (ids, paths, expected orders).
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const srv = require('./server');

const SITE_TITLE = 'The E2E Times';
// A commenter email no page may ever show.
const SECRET_EMAIL = 'zqsecret8472+news@hiddenmail.example';

const RICH_BODY = [
    'Intro paragraph with **bold** and ~~struck out~~ words.',
    '',
    '| Team | Score |',
    '| ---- | ----: |',
    '| Reds | 3 |',
    '| Blues | 1 |',
    '',
    '- one',
    '- two',
    '',
].join('\n');

function day(n, time = '09:30:00') {
    return `2026-01-${String(n).padStart(2, '0')}T${time}Z`;
}

function buildSite(dataDir, { settings = {} } = {}) {
    const base = { site_title: SITE_TITLE, comment_flood_seconds: 0, ...settings };
    for (const [k, v] of Object.entries(base))
        srv.settingSet(dataDir, k, v);
    srv.userAdd(dataDir, { login: 'jdoe', name: 'Jane Doe', role: 'author' });
    srv.userAdd(dataDir, { login: 'mkent', name: 'Max Kent', role: 'editor' });
    srv.userAdd(dataDir, { login: 'quiet', name: 'Quiet Writer', role: 'author' }); // only a draft

    const stories = [];
    for (let i = 1; i <= 23; i++) {
        const num = String(i).padStart(2, '0');
        stories.push({
            n: i,
            title: `Story ${num} headline`,
            slug: `story-${num}`,
            // Stories 12 and 13 share one publish time: the order between them is by id.
            date: i === 13 ? day(12) : day(i),
            author: i % 2 ? 'jdoe' : 'mkent',
            categories: i <= 12 ? ['world'] : i >= 19 ? ['science'] : [],
            tags: [],
        });
    }
    const rich = stories[4]; // Story 05
    rich.body = RICH_BODY;
    rich.categories = ['world', 'science'];
    rich.tags = ['election', 'climate'];
    stories[2].comments = 'closed'; // Story 03

    // Insert in a scrambled order so that ids do not follow dates; 13 before 12 so that the
    // same-time pair is ordered against its titles.
    const order = [13, 7, 1, 22, 12, 3, 18, 9, 15, 2, 20, 5, 11, 23, 4, 17, 6, 21, 8, 14, 19, 10, 16];
    for (const n of order) {
        const s = stories[n - 1];
        s.id = srv.postAdd(dataDir, { ...s, status: 'published' });
        s.path = srv.articlePath(s.date, s.slug);
    }
    const sticky = {
        title: 'Pinned notice headline', slug: 'pinned-notice', date: '2025-12-15T08:00:00Z', author: 'jdoe',
        categories: ['notices'], sticky: true,
    };
    sticky.id = srv.postAdd(dataDir, { ...sticky, status: 'published' });
    sticky.path = srv.articlePath(sticky.date, sticky.slug);

    // Posts no reader may see, dated between the published ones.
    const hidden = [
        { title: 'Hidden draft headline', slug: 'hidden-draft', status: 'draft', date: day(7, '12:00:00'),
            author: 'quiet', categories: ['ghosts'] },
        { title: 'Hidden pending headline', slug: 'hidden-pending', status: 'pending', date: day(8, '12:00:00') },
        { title: 'Hidden scheduled headline', slug: 'hidden-scheduled', status: 'scheduled',
            date: '2099-03-01T12:00:00Z' },
        { title: 'Hidden future headline', slug: 'hidden-future', status: 'published',
            date: '2099-04-01T12:00:00Z' },
        { title: 'Hidden private headline', slug: 'hidden-private', status: 'private', date: day(10, '12:00:00') },
        { title: 'Hidden trash headline', slug: 'hidden-trash', status: 'trash', date: day(11, '12:00:00') },
    ];
    for (const h of hidden) {
        h.id = srv.postAdd(dataDir, { author: 'jdoe', categories: ['world'], tags: ['election'], ...h });
        h.path = srv.articlePath(h.date, h.slug);
    }
    const about = { title: 'About this paper', slug: 'about', type: 'page', status: 'published',
        date: day(14, '12:00:00'), author: 'jdoe', body: 'We report **the news**.\n' };
    about.id = srv.postAdd(dataDir, about);
    const hiddenPage = { title: 'Hidden page headline', slug: 'hidden-page', type: 'page', status: 'draft',
        date: day(15, '12:00:00'), author: 'jdoe' };
    hiddenPage.id = srv.postAdd(dataDir, hiddenPage);

    // Published stories in site order (oldest first): publish time, then id.
    const published = [...stories, sticky].sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);

    // Comments on the newest story (23): a thread three deep, an escaped body, a late root comment
    // inserted first, and comments in every status that must not show.
    const s23 = stories[22];
    const cAt = (min) => `2026-02-01T${String(10 + Math.floor(min / 60)).padStart(2, '0')}:` +
        `${String(min % 60).padStart(2, '0')}:00Z`;
    const c = {};
    c.late = srv.commentAdd(dataDir, { post: s23.id, author: 'Zed Latecomer', email: 'zed@readers.example',
        status: 'approved', date: cAt(60), body: 'Late to the party.' });
    c.alice = srv.commentAdd(dataDir, { post: s23.id, author: 'Alice Reader', email: SECRET_EMAIL,
        url: 'https://alice.example/blog', status: 'approved', date: cAt(0),
        body: 'First paragraph.\n\nSecond paragraph,\nsecond line.' });
    c.bob = srv.commentAdd(dataDir, { post: s23.id, parent: c.alice, author: 'Bob Replier',
        email: 'bob@readers.example', status: 'approved', date: cAt(5), body: 'A reply to Alice.' });
    c.carol = srv.commentAdd(dataDir, { post: s23.id, parent: c.bob, author: 'Carol Deeper',
        email: 'carol@readers.example', status: 'approved', date: cAt(10), body: 'A reply to Bob.' });
    c.mallory = srv.commentAdd(dataDir, { post: s23.id, author: 'Mallory <b>Tags</b>',
        email: 'mallory@readers.example', url: 'http://mallory.example/', status: 'approved', date: cAt(20),
        body: '<script>alert("x")</script> <b>bold?</b> & more, see https://example.com/page?a=1&b=2 now' });
    c.pending = srv.commentAdd(dataDir, { post: s23.id, author: 'Pat Pending', email: 'pat@readers.example',
        status: 'pending', date: cAt(30), body: 'Pending comment text.' });
    c.spam = srv.commentAdd(dataDir, { post: s23.id, author: 'Sam Spammer', email: 'sam@readers.example',
        status: 'spam', date: cAt(31), body: 'Spam comment text.' });
    c.trash = srv.commentAdd(dataDir, { post: s23.id, author: 'Tom Trash', email: 'tom@readers.example',
        status: 'trash', date: cAt(32), body: 'Trashed comment text.' });
    // Story 22: exactly one approved comment.
    const s22 = stories[21];
    c.single = srv.commentAdd(dataDir, { post: s22.id, author: 'Solo Voice', email: SECRET_EMAIL,
        status: 'approved', date: cAt(40), body: 'The only approved one.' });
    c.singlePending = srv.commentAdd(dataDir, { post: s22.id, author: 'Pat Pending', email: 'pat@readers.example',
        status: 'pending', date: cAt(41), body: 'Still pending.' });

    return { dataDir, stories, sticky, hidden, about, hiddenPage, published, comments: c, SITE_TITLE };
}


// A small site for the tests that write: one author, the given settings (comment flooding off
// unless they say otherwise) and the given posts ({key: {title, slug, date, status, comments}}).
// Returns {dataDir, posts: {key: {id, path, ...}}}.
function buildSmall(dataDir, { settings = {}, posts = {} } = {}) {
    // A setting given as undefined keeps its default.
    for (const [k, v] of Object.entries({ site_title: SITE_TITLE, comment_flood_seconds: 0, ...settings }))
        if (v !== undefined)
            srv.settingSet(dataDir, k, v);
    srv.userAdd(dataDir, { login: 'jdoe', name: 'Jane Doe', role: 'author' });
    const out = {};
    for (const [key, p] of Object.entries(posts)) {
        const q = { author: 'jdoe', status: 'published', ...p };
        q.id = srv.postAdd(dataDir, q);
        q.path = srv.articlePath(q.date, q.slug);
        out[key] = q;
    }
    return { dataDir, posts: out };
}


// Seeding through the command line costs a process per item (slow under the sanitizers), so a
// seeded data directory is kept next to the binary, keyed by the binary and this code, and each
// test gets its own copy. A new binary or new seeding code makes a new one (the old is removed).
const CACHE = path.join(path.dirname(srv.BIN), 'e2e-seed-cache');
const CODE = ['site.js', 'server.js'].map((f) => fs.readFileSync(path.join(__dirname, f))).join('');

function cached(kind, opts, build, dataDir) {
    if (dataDir)
        return build(dataDir, opts);
    const st = fs.statSync(srv.BIN);
    const key = crypto.createHash('sha256').update(JSON.stringify([srv.BIN, st.mtimeMs, st.size, CODE, kind,
        JSON.stringify(opts, (k, v) => (v === undefined ? '(default)' : v))])).digest('hex').slice(0, 20);
    const stamp = crypto.createHash('sha256').update(JSON.stringify([srv.BIN, st.mtimeMs, st.size, CODE]))
        .digest('hex').slice(0, 8);
    if (srv.PG)
        return cachedPg(`gz_seed_${stamp}${key}`, opts, build);
    const dir = path.join(CACHE, `${stamp}-${key}`);
    if (!fs.existsSync(path.join(dir, 'info.json'))) {
        fs.mkdirSync(CACHE, { recursive: true });
        for (const old of fs.readdirSync(CACHE))
            if (!old.startsWith(stamp))
                fs.rmSync(path.join(CACHE, old), { recursive: true, force: true });
        // Built aside and renamed into place whole: test files run side by side may seed the same
        // site at once; the first rename wins and the others' copies are dropped (the seeding is
        // the same commands in the same order, so any copy would do).
        const tmp = fs.mkdtempSync(path.join(CACHE, `${stamp}-tmp-`));
        const info = build(path.join(tmp, 'data'), opts);
        fs.writeFileSync(path.join(tmp, 'info.json'), JSON.stringify(info));
        try {
            fs.renameSync(tmp, dir);
        } catch (e) {
            if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST')
                throw e;
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    }
    const info = JSON.parse(fs.readFileSync(path.join(dir, 'info.json'), 'utf8'));
    const fresh = srv.newDataDir();
    fs.cpSync(path.join(dir, 'data'), fresh, { recursive: true });
    return { ...info, dataDir: fresh };
}

// On PostgreSQL the seeded site is a database of the test server (kept while it runs, with what
// the tests need to know beside it on disk), and each test gets a database copied from it.
function cachedPg(name, opts, build) {
    const infoFile = path.join(CACHE, `${name}.json`);
    if (!srv.pgHas(name) || !fs.existsSync(infoFile)) {
        // As above: seeded under a name of this process, then renamed (or dropped if another
        // process's seed got the name first); the description is written whole, by rename.
        const dir = srv.newDataDir({ keep: `${name}_${process.pid}` });
        const info = build(dir, opts);
        srv.publishDatabase(dir, name);
        fs.mkdirSync(CACHE, { recursive: true });
        const tmp = `${infoFile}.${process.pid}`;
        fs.writeFileSync(tmp, JSON.stringify({ ...info, dataDir: undefined }));
        fs.renameSync(tmp, infoFile);
    }
    const info = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
    return { ...info, dataDir: srv.newDataDir({ template: name }) };
}

// The standard site in a fresh data directory (a copy of the cached one unless dataDir is given).
function seedSite(dataDir, opts = {}) {
    return cached('site', opts, buildSite, dataDir);
}

function seedSmall(dataDir, opts = {}) {
    return cached('small', opts, buildSmall, dataDir);
}

module.exports = { seedSite, seedSmall, SITE_TITLE, SECRET_EMAIL, day };
