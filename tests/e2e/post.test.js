// POST /comment/ against one server (docs/reader-site.md, "Posting a comment" and "The reply
// form"): every answer in the table, validation with the typed text kept, moderation, the link
// limit, the honeypot, the remember cookie. Flooding is off here (flood.test.js checks it).
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { seedSmall } = require('./lib/site');
const { assertHtmlPage, formState, parse } = require('./lib/check');

const LIMITS = { comment: 65525, author: 245, email: 100, url: 200 };
const REGULAR = { author: 'Regular Reader', email: 'regular@readers.example' };

let server;
let s;
let otherComment; // an approved comment on story B
let regularFirst; // Regular Reader's approved comment on story A
let n = 0;

const unique = (what = 'Comment') => `${what} number ${++n} from the posting tests.`;

before(async () => {
    const d = (day) => `2026-04-${day}T08:00:00Z`;
    s = seedSmall(undefined, {
        posts: {
            a: { title: 'Story A headline', slug: 'story-a', date: d('01') },
            b: { title: 'Story B headline', slug: 'story-b', date: d('02') },
            closed: { title: 'Closed story headline', slug: 'closed-story', date: d('03'), comments: 'closed' },
            draft: { title: 'Draft story headline', slug: 'draft-story', date: d('04'), status: 'draft' },
            priv: { title: 'Private story headline', slug: 'private-story', date: d('05'), status: 'private' },
            sched: { title: 'Scheduled story headline', slug: 'scheduled-story', date: '2099-01-01T08:00:00Z',
                status: 'scheduled' },
        },
    });
    regularFirst = srv.commentAdd(s.dataDir, { post: s.posts.a.id, ...REGULAR, status: 'approved',
        date: '2026-04-06T10:00:00Z', body: 'An earlier approved comment.' });
    otherComment = srv.commentAdd(s.dataDir, { post: s.posts.b.id, author: 'Other Reader',
        email: 'other@readers.example', status: 'approved', date: '2026-04-06T11:00:00Z', body: 'On story B.' });
    server = await srv.startServer({ dataDir: s.dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

function submit(fields, headers) {
    return srv.postForm(server.url + '/comment/', {
        comment_post_ID: s.posts.a.id, comment_parent: 0, ...REGULAR, comment: unique(), ...fields,
    }, headers);
}

function location(r) {
    const loc = r.headers.get('location');
    assert.ok(loc, `a Location header (status ${r.status})`);
    return new URL(loc, server.url);
}

// 303 to ARTICLE_PATH#comment-ID; returns the id.
function expectApproved(r, post = s.posts.a) {
    assert.equal(r.status, 303, `approved comment: 303 (body: ${r.body.slice(0, 300)})`);
    const u = location(r);
    assert.equal(u.pathname, post.path, 'Location: the article path');
    assert.equal(u.search, '', 'Location: no query');
    const m = /^#comment-(\d+)$/.exec(u.hash);
    assert.ok(m, `Location ends in #comment-ID: ${r.headers.get('location')}`);
    return Number(m[1]);
}

// 303 to ARTICLE_PATH?moderation=1#respond.
function expectHeld(r, post = s.posts.a) {
    assert.equal(r.status, 303, `held comment: 303 (body: ${r.body.slice(0, 300)})`);
    const u = location(r);
    assert.equal(u.pathname, post.path, 'Location: the article path');
    assert.equal(u.search, '?moderation=1', 'Location: ?moderation=1');
    assert.equal(u.hash, '#respond', 'Location: #respond');
}

function findComment(pred) {
    return srv.commentList(s.dataDir).filter(pred);
}

// The re-shown form holds exactly what was typed.
function assertTypedKept(doc, typed, what) {
    const f = formState(doc);
    for (const k of ['comment', 'author', 'email', 'url'])
        assert.equal(f[k] ?? '', typed[k] ?? '', `${what}: the ${k} field keeps the typed text`);
}

// 422 with the article page again, an error on `field` only, and the typed text kept.
async function expectInvalid(fields, field, what) {
    const typed = { ...REGULAR, comment: unique(), ...fields };
    const r = await submit(typed);
    assert.equal(r.status, 422, `${what}: 422 (got ${r.status})`);
    const doc = assertHtmlPage(r, `${what} (422)`);
    assert.equal(doc.one('h1')?.cleanText, s.posts.a.title, `${what}: the article page again`);
    const errs = doc.all('p.field-error').map((p) => p.attr('id'));
    assert.deepEqual(errs, [`error-${field}`], `${what}: an error on ${field} only`);
    assert.ok(doc.one(`p#error-${field}`).cleanText.length > 0, `${what}: the error has a message`);
    if (field !== 'comment_parent') {
        const input = formState(doc).field(field);
        assert.equal(input.attr('aria-invalid'), 'true', `${what}: ${field} has aria-invalid="true"`);
    }
    assertTypedKept(doc, typed, what);
    assert.equal(findComment((x) => x.body === typed.comment).length, 0, `${what}: nothing stored`);
    return doc;
}

const pad = (prefix, bytes, ch = 'x') => prefix + ch.repeat(bytes - Buffer.byteLength(prefix));
// An address of exactly `bytes` bytes with a short local part and labels under 64 characters.
const emailOf = (bytes) => `limit@${'d'.repeat(60)}.${'e'.repeat(bytes - 6 - 60 - 1 - 8)}.example`;
const urlOf = (bytes) => pad('https://example.com/', bytes, 'p');

describe('posting a comment', () => {
    it('approved: 303 to ARTICLE_PATH#comment-ID, stored before the answer, then shown on the page', async () => {
        const body = unique('Approved');
        const r = await submit({ comment: body, url: 'https://regular.example/' });
        const id = expectApproved(r);
        const [c] = findComment((x) => x.id === id);
        assert.ok(c, 'the comment is in `comment list` right after the 303');
        assert.equal(c.status, 'approved');
        assert.equal(c.post, s.posts.a.id);
        assert.equal(c.body, body);
        assert.equal(c.author, REGULAR.author);
        const page = await srv.get(server.url + s.posts.a.path);
        const li = parse(page.body).one(`li#comment-${id}`);
        assert.ok(li, `li#comment-${id} on the article`);
        assert.ok(li.text.includes(body));
    });

    it('a reply lands in its parent\'s ol.children', async () => {
        const id = expectApproved(await submit({ comment_parent: regularFirst, comment: unique('Reply') }));
        const doc = parse((await srv.get(server.url + s.posts.a.path)).body);
        assert.ok(doc.one(`li#comment-${regularFirst} > ol.children > li#comment-${id}`), 'nested under the parent');
        assert.equal(findComment((x) => x.id === id)[0].parent, regularFirst);
    });

    it('held: a first comment by a new name + email goes to ?moderation=1 and the article says so', async () => {
        const who = { author: 'Newbie One', email: 'newbie1@readers.example' };
        const body = unique('First-timer');
        expectHeld(await submit({ ...who, comment: body }));
        const [c] = findComment((x) => x.body === body);
        assert.ok(c, 'stored');
        assert.equal(c.status, 'pending');
        const page = await srv.get(`${server.url}${s.posts.a.path}?moderation=1`);
        assert.equal(page.status, 200);
        assert.ok(parse(page.body).one('main').cleanText.includes('Your comment is awaiting moderation.'),
            'the moderation notice');
        const plain = await srv.get(server.url + s.posts.a.path);
        assert.ok(!plain.body.includes(body), 'a pending comment is not shown to everyone');
        assert.ok(!plain.body.includes('Your comment is awaiting moderation.'), 'no notice without ?moderation=1');
    });

    it('after a commenter\'s comment is approved, their next comment is approved at once', async () => {
        const who = { author: 'Newbie Two', email: 'newbie2@readers.example' };
        const body = unique('Will be approved');
        expectHeld(await submit({ ...who, comment: body }));
        const [c] = findComment((x) => x.body === body);
        srv.commentApprove(s.dataDir, c.id);
        assert.equal(findComment((x) => x.id === c.id)[0].status, 'approved');
        const id = expectApproved(await submit({ ...who, comment: unique('Now trusted') }));
        assert.equal(findComment((x) => x.id === id)[0].status, 'approved');
        // The same name with another email is someone else: held.
        expectHeld(await submit({ author: who.author, email: 'impostor@readers.example', comment: unique() }));
    });

    it('holds a comment with more than comment_max_links (2) links, approves one with 2', async () => {
        const two = unique('Two links https://one.example/ and http://two.example/x');
        expectApproved(await submit({ comment: two }));
        const three = unique('Three links https://one.example/ http://two.example/ https://three.example/');
        expectHeld(await submit({ comment: three }));
        assert.equal(findComment((x) => x.body === three)[0].status, 'pending');
    });

    it('a filled honeypot stores the comment as spam and answers like a held one', async () => {
        const body = unique('Bot');
        expectHeld(await submit({ comment: body, gz_hp: 'http://spam.example/' }));
        const [c] = findComment((x) => x.body === body);
        assert.ok(c, 'stored');
        assert.equal(c.status, 'spam');
        assert.ok(!(await srv.get(server.url + s.posts.a.path)).body.includes(body), 'spam not shown');
    });

    it('an identical comment (same post, author, body) is 409 with the typed text kept', async () => {
        const typed = { ...REGULAR, comment: unique('Said twice'), url: 'https://regular.example/' };
        expectApproved(await submit(typed));
        const r = await submit(typed);
        assert.equal(r.status, 409);
        assert.ok(r.body.includes('Duplicate comment detected'), 'the duplicate message');
        assertTypedKept(assertHtmlPage(r, '409'), typed, '409');
        assert.equal(findComment((x) => x.body === typed.comment).length, 1, 'stored once');
    });

    it('the same post, author and body with another email is still a duplicate (409)', async () => {
        const typed = { ...REGULAR, comment: unique('Said twice, two addresses') };
        expectApproved(await submit(typed));
        const r = await submit({ ...typed, email: 'regular.other@readers.example' });
        assert.equal(r.status, 409, 'duplicate: same post, author and body');
        assert.ok(r.body.includes('Duplicate comment detected'));
    });

    it('a missing post is 404; a draft, private or scheduled post is 404', async () => {
        for (const [id, what] of [[999999, 'missing'], [s.posts.draft.id, 'draft'], [s.posts.priv.id, 'private'],
            [s.posts.sched.id, 'scheduled']]) {
            const body = unique(what);
            const r = await submit({ comment_post_ID: id, comment: body });
            assert.equal(r.status, 404, `${what} post`);
            assertHtmlPage(r, `404 for a comment on a ${what} post`);
            assert.equal(findComment((x) => x.body === body).length, 0, `${what}: nothing stored`);
        }
    });

    it('closed comments are 403 "Comments are closed."', async () => {
        const body = unique('Closed');
        const r = await submit({ comment_post_ID: s.posts.closed.id, comment: body });
        assert.equal(r.status, 403);
        assert.ok(r.body.includes('Comments are closed.'));
        assertHtmlPage(r, '403');
        assert.equal(findComment((x) => x.body === body).length, 0, 'nothing stored');
    });
});

describe('under load', () => {
    it('twenty comments posted at once are all acknowledged, stored and shown', async () => {
        const bodies = Array.from({ length: 20 }, (_, i) => unique(`Concurrent ${i}`));
        const answers = await Promise.all(bodies.map((comment) => submit({ comment })));
        const ids = answers.map((r) => expectApproved(r));
        assert.equal(new Set(ids).size, ids.length, 'distinct ids');
        const stored = new Set(findComment((c) => bodies.includes(c.body)).map((c) => c.id));
        for (const id of ids)
            assert.ok(stored.has(id), `comment ${id} stored`);
        const doc = parse((await srv.get(server.url + s.posts.a.path)).body);
        for (const id of ids)
            assert.ok(doc.one(`li#comment-${id}`), `comment ${id} shown`);
    });

    it('a body far over the limits is refused (413 or 422) and the server keeps serving', async () => {
        const huge = 'x'.repeat(4 << 20);
        const r = await submit({ comment: huge }).catch((e) => ({ status: 'connection closed', error: e }));
        assert.ok(r.status === 413 || r.status === 422 || r.status === 'connection closed', `answer: ${r.status}`);
        assert.equal(findComment((c) => c.body && c.body.length > 1 << 20).length, 0, 'nothing stored');
        assert.equal((await srv.get(server.url + s.posts.a.path)).status, 200, 'still serving');
    });
});

describe('validation: 422, the field\'s error, the typed text kept', () => {
    const url = 'https://typed.example/page';

    it('missing comment', () => expectInvalid({ comment: '', url }, 'comment', 'empty comment'));
    it('missing author', () => expectInvalid({ author: '', url }, 'author', 'empty author'));
    it('missing email', () => expectInvalid({ email: '', url }, 'email', 'empty email'));

    it('fields left out of the request altogether', async () => {
        for (const f of ['comment', 'author', 'email']) {
            const typed = { ...REGULAR, comment: unique(), url };
            delete typed[f];
            const r = await srv.postForm(server.url + '/comment/', { comment_post_ID: s.posts.a.id,
                comment_parent: 0, ...typed });
            assert.equal(r.status, 422, `without ${f}`);
            assert.ok(parse(r.body).one(`p.field-error#error-${f}`), `error on ${f}`);
        }
    });

    for (const bad of ['not-an-email', 'user@', '@example.com', 'two words@example.com', 'a@b@example.com'])
        it(`bad email ${JSON.stringify(bad)}`, () => expectInvalid({ email: bad, url }, 'email', `email ${bad}`));

    for (const bad of ['javascript:alert(1)', 'ftp://example.com/file', 'data:text/html,hi'])
        it(`non-http url ${JSON.stringify(bad)}`, () => expectInvalid({ url: bad }, 'url', `url ${bad}`));

    it(`comment of ${LIMITS.comment + 1} bytes is too long; ${LIMITS.comment} is accepted`, async () => {
        const over = pad(unique('Long'), LIMITS.comment + 1);
        await expectInvalid({ comment: over, url }, 'comment', 'comment too long');
        const at = pad(unique('Long'), LIMITS.comment);
        assert.equal((await submit({ comment: at })).status, 303, 'comment at the limit');
        assert.equal(findComment((x) => x.body === at).length, 1, 'stored whole');
    });

    it(`author of ${LIMITS.author + 1} bytes is too long (in bytes); ${LIMITS.author} is accepted`, async () => {
        const over = '\u00e9'.repeat(123); // 246 bytes, 123 characters
        assert.equal(Buffer.byteLength(over), LIMITS.author + 1);
        await expectInvalid({ author: over, url }, 'author', 'author too long');
        const at = '\u00e9'.repeat(122) + 'a';
        assert.equal(Buffer.byteLength(at), LIMITS.author);
        const body = unique('Long name');
        assert.equal((await submit({ author: at, comment: body })).status, 303, 'author at the limit');
        assert.equal(findComment((x) => x.body === body)[0].author, at);
    });

    it(`email of ${LIMITS.email + 1} bytes is too long; ${LIMITS.email} is accepted`, async () => {
        assert.equal(emailOf(LIMITS.email).length, LIMITS.email);
        await expectInvalid({ email: emailOf(LIMITS.email + 1), url }, 'email', 'email too long');
        assert.equal((await submit({ email: emailOf(LIMITS.email) })).status, 303, 'email at the limit');
    });

    it(`url of ${LIMITS.url + 1} bytes is too long; ${LIMITS.url} is accepted`, async () => {
        await expectInvalid({ url: urlOf(LIMITS.url + 1) }, 'url', 'url too long');
        assert.equal((await submit({ url: urlOf(LIMITS.url) })).status, 303, 'url at the limit');
    });

    it('keeps every typed field, markup included, when one field is wrong', async () => {
        const doc = await expectInvalid({ author: 'Typed <Name> & "Co"', email: 'bad-address',
            url: 'https://typed.example/?a=1&b=2', comment: 'Line one\n\nLine <two> & "three"\n' }, 'email',
        'markup kept');
        assert.equal(doc.all('form#commentform b, form#commentform two').length, 0, 'typed text escaped');
    });

    it('a parent from another post is 422 with the error on comment_parent', async () => {
        await expectInvalid({ comment_parent: otherComment, url }, 'comment_parent', 'parent from story B');
        await expectInvalid({ comment_parent: 999999, url }, 'comment_parent', 'parent that does not exist');
    });
});

describe('remember me', () => {
    const cookiesOf = (r) => r.headers.getSetCookie().filter((c) => /^gazette_commenter=/.test(c));

    it('sets no gazette_commenter cookie unless the box is ticked', async () => {
        const r = await submit({});
        assert.equal(r.status, 303);
        for (const c of cookiesOf(r))
            assert.match(c, /^gazette_commenter=(;|$)|max-age=0|expires=thu, 01 jan 1970/i,
                `only a clearing cookie without remember: ${c}`);
    });

    it('sets an HttpOnly gazette_commenter cookie when ticked, and the next visit is prefilled', async () => {
        const who = { author: 'Remembered Reader', email: 'remembered@readers.example',
            url: 'https://remembered.example/' };
        const r = await submit({ ...who, remember: '1' });
        assert.equal(r.status, 303);
        const set = cookiesOf(r);
        assert.equal(set.length, 1, `one gazette_commenter cookie: ${r.headers.getSetCookie()}`);
        assert.match(set[0], /;\s*HttpOnly/i, 'HttpOnly');
        assert.match(set[0], /;\s*SameSite=Lax/i, 'SameSite=Lax');
        const pair = set[0].split(';')[0];
        const page = await srv.get(server.url + s.posts.a.path, { headers: { Cookie: pair } });
        const f = formState(parse(page.body));
        assert.equal(f.author, who.author);
        assert.equal(f.email, who.email);
        assert.equal(f.url, who.url);
        assert.equal(f.comment, '', 'the comment box starts empty');
        // Nobody else gets the prefilled form (no shared cache of a personal page).
        const anon = await srv.get(server.url + s.posts.a.path);
        assert.ok(!anon.body.includes(who.email), 'another visitor does not see the remembered email');
        const g = formState(parse(anon.body));
        assert.equal(g.author, '');
        assert.equal(g.email, '');
    });
});

describe('caching around comments', () => {
    const personal = (r, what) => {
        const cc = r.headers.get('cache-control') || '';
        assert.ok(/private/.test(cc) && /no-store/.test(cc), `${what}: Cache-Control private, no-store (got "${cc}")`);
    };

    it('a new approved comment changes the article\'s ETag and shows at once', async () => {
        const first = await srv.get(server.url + s.posts.a.path);
        const etag = first.headers.get('etag');
        assert.ok(etag, 'ETag on the article');
        const body = unique('Fresh');
        const id = expectApproved(await submit({ comment: body }));
        const again = await srv.get(server.url + s.posts.a.path, { headers: { 'If-None-Match': etag } });
        assert.equal(again.status, 200, 'the old ETag no longer matches');
        assert.notEqual(again.headers.get('etag'), etag);
        assert.ok(parse(again.body).one(`li#comment-${id}`), 'the new comment is on the page');
    });

    it('pages answering POST /comment/ and pages for a remembered visitor are private, no-store', async () => {
        const ok = await submit({ remember: '1', author: 'Cache Tester', email: 'cache@readers.example' });
        assert.equal(ok.status, 303);
        const bad = await submit({ email: 'not-an-email' });
        assert.equal(bad.status, 422);
        personal(bad, '422');
        const cookie = ok.headers.getSetCookie().find((c) => /^gazette_commenter=/.test(c)).split(';')[0];
        const mine = await srv.get(server.url + s.posts.a.path, { headers: { Cookie: cookie } });
        assert.equal(mine.status, 200);
        personal(mine, 'article with the gazette_commenter cookie');
        assert.equal(formState(parse(mine.body)).email, 'cache@readers.example');
    });
});
