// "The commenter's email never appears anywhere in public output" (docs/reader-site.md, Comments):
// after comments with a distinctive email (seeded and posted over HTTP), every public page type,
// error answers included, is searched for the address in every form it could take.
'use strict';

const { it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const srv = require('./lib/server');
const { seedSite, SECRET_EMAIL } = require('./lib/site');
const { decode } = require('./lib/html');

let site;
let server;

before(async () => {
    site = seedSite();
    server = await srv.startServer({ dataDir: site.dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

// Every spelling of the address a page might leak.
function forbidden(email) {
    const lower = email.toLowerCase();
    const local = email.split('@')[0].split('+')[0];
    return [
        email, lower, local, encodeURIComponent(email), encodeURIComponent(email).replace(/%40/g, '@'),
        email.replace('@', '&#64;'), email.replace('@', '&#x40;'), email.replace('@', '&commat;'),
        Buffer.from(email).toString('base64'), Buffer.from(email).toString('base64url'),
        crypto.createHash('md5').update(lower).digest('hex'),
        crypto.createHash('sha256').update(lower).digest('hex'),
    ];
}

function assertClean(what, r) {
    const hay = [r.body, decode(r.body)];
    for (const [k, v] of r.headers)
        hay.push(`${k}: ${v}`);
    const text = hay.join('\n').toLowerCase();
    for (const f of forbidden(SECRET_EMAIL))
        assert.ok(!text.includes(f.toLowerCase()),
            `${what} (status ${r.status}) shows the email as ${JSON.stringify(f)}`);
}

it('the commenter email appears in no page, feed, error answer or header', async () => {
    const s23 = site.stories[22];
    const s22 = site.stories[21];
    const post = (fields) => srv.postForm(server.url + '/comment/', {
        comment_post_ID: s22.id, comment_parent: 0, author: 'Solo Voice', email: SECRET_EMAIL, ...fields });

    // Comments posted over HTTP with the address: approved (Solo Voice has one approved already),
    // a reply, and one by a new name (held).
    const r1 = await post({ comment: 'Posted over HTTP with the secret address.', url: 'https://solo.example/' });
    assert.equal(r1.status, 303);
    assertClean('the 303 after an approved comment', r1);
    const r2 = await post({ comment: 'A reply, also with the address.', comment_parent: site.comments.single });
    assert.equal(r2.status, 303);
    const r3 = await post({ author: 'Solo Newcomer', comment: 'Held comment with the address.' });
    assert.equal(r3.status, 303);
    assertClean('the 303 after a held comment', r3);

    const answers = [];
    const other = { author: 'Someone Else', email: 'someone@readers.example' };
    answers.push(['422 page', await post({ ...other, comment: '' })]);
    answers.push(['422 page on story 23', await srv.postForm(server.url + '/comment/', {
        comment_post_ID: s23.id, comment_parent: site.comments.alice, ...other, email: 'bad' })]);
    await post({ ...other, comment: 'Said twice by someone else.' });
    answers.push(['409 page', await post({ ...other, comment: 'Said twice by someone else.' })]);
    answers.push(['403 page', await srv.postForm(server.url + '/comment/', { comment_post_ID: site.stories[2].id,
        comment_parent: 0, ...other, comment: 'Closed here.' })]);
    answers.push(['404 answer to a comment', await srv.postForm(server.url + '/comment/', {
        comment_post_ID: 999999, comment_parent: 0, ...other, comment: 'Nowhere.' })]);

    const paths = ['/', '/page/2/', '/page/3/', '/page/4/', ...site.published.map((p) => p.path),
        `${s23.path}?replytocom=${site.comments.alice}`, `${s22.path}?replytocom=${site.comments.single}`,
        `${s22.path}?moderation=1`, `${s23.path}?moderation=1`, '/about/', '/category/world/',
        '/category/world/page/2/', '/category/science/', '/category/notices/', '/tag/election/', '/author/jdoe/',
        '/no/such/thing/', '/feed/', '/feed/atom/', '/category/world/feed/', `${s23.path}feed/`, `${s22.path}feed/`,
        '/comments/feed/', '/?s=Alice', '/?s=secret', `/?p=${s23.id}`, '/2026/', '/2026/01/', '/2026/01/23/',
        '/static/style.css', '/sitemap.xml', '/robots.txt', ...site.hidden.map((h) => h.path)];
    for (const p of paths)
        answers.push([`GET ${p}`, await srv.get(server.url + p)]);
    answers.push(['HEAD /', await srv.get(server.url + '/', { method: 'HEAD' })]);

    const statuses = {};
    for (const [what, r] of answers) {
        assertClean(what, r);
        statuses[what] = r.status;
    }
    // The pages that must exist did answer, so the search above looked at real pages.
    for (const p of ['/', ...site.published.map((x) => x.path), '/about/', '/category/world/'])
        assert.equal(statuses[`GET ${p}`], 200, `GET ${p}`);
    assert.equal(statuses['422 page'], 422);
    assert.equal(statuses['409 page'], 409);
    assert.equal(statuses['403 page'], 403);
    const s22page = answers.find(([w]) => w === `GET ${s22.path}`)[1];
    assert.ok(s22page.body.includes('Posted over HTTP with the secret address.'), 'the posted comment is shown');
});
