// The newsroom at /admin/ over HTTP, for every role: login, logout and sessions, CSRF refusals,
// the capability checks (403 for what a role may not do), writing and publishing, the stale-save
// conflict, revisions, trash, scheduling by the server's own timer, the comment queue, settings,
// and the failed-login limit (429). docs/newsroom.md describes what is checked here.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const srv = require('./lib/server');
const { Newsroom, setCookies, savedId, formFields, requestFrom } = require('./lib/admin');

const TITLE = 'The Newsroom Times';
let dataDir;
let server;
let ids;

function iso(t) {
    return new Date(t).toISOString();
}

before(async () => {
    dataDir = srv.newDataDir();
    srv.settingSet(dataDir, 'site_title', TITLE);
    srv.settingSet(dataDir, 'comment_flood_seconds', 0);
    ids = {
        admin: srv.userAdd(dataDir, { login: 'boss', name: 'Site Owner', role: 'administrator' }),
        editor: srv.userAdd(dataDir, { login: 'ed', name: 'Ed Itor', role: 'editor' }),
        author: srv.userAdd(dataDir, { login: 'ann', name: 'Ann Author', role: 'author' }),
        contributor: srv.userAdd(dataDir, { login: 'cid', name: 'Cid Contrib', role: 'contributor' }),
    };
    ids.edPost = srv.postAdd(dataDir, { title: 'Editor story', slug: 'editor-story', status: 'published',
        date: '2026-01-05T09:30:00Z', author: 'ed', body: 'Written by the editor.\n' });
    ids.held = srv.commentAdd(dataDir, { post: ids.edPost, author: 'Held Reader', email: 'held@readers.example',
        status: 'pending', body: 'A comment waiting for a moderator.' });
    ids.spam1 = srv.commentAdd(dataDir, { post: ids.edPost, author: 'Spammer One', email: 's1@spam.example',
        status: 'pending', body: 'Buy cheap things one.' });
    ids.spam2 = srv.commentAdd(dataDir, { post: ids.edPost, author: 'Spammer Two', email: 's2@spam.example',
        status: 'pending', body: 'Buy cheap things two.' });
    server = await srv.startServer({ dataDir });
});

after(async () => {
    if (server)
        await server.stop();
});

const as = async (login) => new Newsroom(server.url).login(login);

describe('login, sessions and CSRF', () => {
    it('the login page is never cached and the login sets a hardened session cookie', async () => {
        const form = await srv.get(`${server.url}/admin/login`);
        assert.equal(form.status, 200);
        assert.equal(form.headers.get('cache-control'), 'private, no-store');
        assert.match(form.body, /<form method="post" action="\/admin\/login"/);
        const n = new Newsroom(server.url);
        const r = await n.tryLogin('ed');
        assert.equal(r.status, 303);
        assert.equal(r.headers.get('location'), '/admin/');
        const c = setCookies(r).gazette_session;
        assert.match(c.value, /^[0-9a-f]{64}$/, '32 random bytes in hex');
        assert.match(c.raw, /HttpOnly/);
        assert.match(c.raw, /SameSite=Lax/);
        assert.doesNotMatch(c.raw, /Secure/, 'the site URL is http');
        const posts = await n.get('/admin/posts/');
        assert.equal(posts.status, 200);
        assert.equal(posts.headers.get('cache-control'), 'private, no-store');
        assert.match(posts.body, /Ed Itor/);
    });

    it('a wrong password is refused with a message, and pages need a login', async () => {
        const n = new Newsroom(server.url);
        const r = await n.tryLogin('ann', 'not-the-password');
        assert.equal(r.status, 403);
        assert.match(r.body, /Unknown username or wrong password/);
        assert.equal(setCookies(r).gazette_session, undefined);
        const g = await srv.get(`${server.url}/admin/posts/`);
        assert.equal(g.status, 303);
        assert.equal(g.headers.get('location'), '/admin/login');
        const p = await srv.postForm(`${server.url}/admin/post/save`, { title: 'x' });
        assert.equal(p.status, 403);
    });

    it('a login without the form\'s own cookie is refused (login CSRF)', async () => {
        const r = await srv.postForm(`${server.url}/admin/login`, { _login: 'a'.repeat(64), log: 'ed',
            pwd: 'e2e-password-1234' }, { Cookie: `gazette_login=${'b'.repeat(64)}` });
        assert.equal(r.status, 403);
        assert.equal(setCookies(r).gazette_session, undefined);
    });

    it('a POST without or with a wrong CSRF token gets 403 and changes nothing', async () => {
        const n = await as('ed');
        const before = srv.postList(dataDir).length;
        const none = await n.post('/admin/post/save', { _csrf: undefined, title: 'No token', status: 'draft' });
        assert.equal(none.status, 403);
        const wrong = await n.post('/admin/post/save', { _csrf: 'f'.repeat(64), title: 'Wrong token' });
        assert.equal(wrong.status, 403);
        const other = await as('ann');
        const foreign = await n.post('/admin/post/save', { _csrf: other.csrf, title: 'Another session token' });
        assert.equal(foreign.status, 403, 'a token of another session');
        const logout = await n.post('/admin/logout', { _csrf: undefined });
        assert.equal(logout.status, 403, 'even logout needs the token');
        assert.equal(srv.postList(dataDir).length, before, 'no post was created');
    });

    it('logout ends the session on the server', async () => {
        const n = await as('ann');
        const cookie = n.cookie;
        const r = await n.post('/admin/logout');
        assert.equal(r.status, 303);
        assert.equal(setCookies(r).gazette_session.value, '');
        const again = await srv.get(`${server.url}/admin/posts/`, { headers: { Cookie: cookie } });
        assert.equal(again.status, 303, 'the old cookie no longer works');
    });
});

describe('roles', () => {
    it('a contributor writes drafts and submits them for review, and may do nothing more', async () => {
        const n = await as('cid');
        const id = savedId(await n.save({ title: 'Contributor draft', content: 'Draft text.' }));
        const pend = await n.save({ id, version: 1, title: 'Contributor draft', content: 'For review.',
            status: 'pending' });
        assert.equal(savedId(pend), id);
        const pub = await n.save({ id, version: 2, title: 'Contributor draft', status: 'published' });
        assert.equal(pub.status, 403, 'contributors cannot publish');
        const sched = await n.save({ title: 'Sneaky', status: 'scheduled', date: '2030-01-01', time: '10:00' });
        assert.equal(sched.status, 403, 'nor schedule');
        for (const p of ['/admin/comments/', '/admin/settings/', '/admin/pages/', '/admin/users/',
            '/admin/post/new?type=page', `/admin/post/${ids.edPost}`])
            assert.equal((await n.get(p)).status, 403, `contributor GET ${p}`);
        assert.equal((await n.save({ id: ids.edPost, version: 1, title: 'Hijack' })).status, 403);
        assert.equal((await n.post(`/admin/post/${ids.edPost}/trash`)).status, 403);
        assert.equal((await n.post('/admin/comments/action', { one: `approve:${ids.held}` })).status, 403);
        assert.equal((await n.post('/admin/settings/', { site_title: 'Owned' })).status, 403);
        assert.equal((await n.save({ title: 'A page', type: 'page' })).status, 403, 'pages are for editors');
        const mine = srv.postList(dataDir).find((p) => p.id === id);
        assert.equal(mine.status, 'pending');
    });

    it('an author publishes their own posts but not others\', and cannot moderate or configure', async () => {
        const n = await as('ann');
        const id = savedId(await n.save({ title: 'Author scoop', slug: 'author-scoop', content: 'Scoop **now**.',
            status: 'published' }));
        const p = srv.postList(dataDir).find((x) => x.id === id);
        assert.equal(p.status, 'published');
        const d = new Date();
        const path = `/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/` +
            `${String(d.getUTCDate()).padStart(2, '0')}/author-scoop/`;
        const pub = await srv.get(server.url + path);
        assert.equal(pub.status, 200, `published at ${path}`);
        assert.match(pub.body, /Scoop <strong>now<\/strong>/);
        assert.equal((await n.get(`/admin/post/${ids.edPost}`)).status, 403);
        assert.equal((await n.save({ id: ids.edPost, version: 1, title: 'Hijack', status: 'published' })).status,
            403);
        assert.equal((await n.get('/admin/comments/')).status, 403);
        assert.equal((await n.get('/admin/settings/')).status, 403);
        assert.equal((await n.save({ title: 'Ghost', author: ids.editor })).status, 403,
            'authors cannot credit someone else');
        // trash their own, but not delete for good
        assert.equal((await n.post(`/admin/post/${id}/trash`)).status, 303);
        assert.equal((await srv.get(server.url + path)).status, 404, 'trashed posts leave the site');
        assert.equal((await n.post(`/admin/post/${id}/delete`)).status, 403);
        assert.equal((await n.post(`/admin/post/${id}/restore`)).status, 303);
    });

    it('an editor edits anyone\'s posts, changes the author and empties the trash, but no settings', async () => {
        const n = await as('ed');
        const cid = srv.postList(dataDir).find((p) => p.title === 'Contributor draft');
        const e = await n.editor(cid.id);
        assert.equal(e.content, 'For review.');
        assert.match(e.body, /<textarea name="excerpt" id="excerpt" rows="3">\n<\/textarea>/,
            'a derived excerpt is not offered as if written, so it follows the body');
        const r = await n.save({ id: cid.id, version: e.version, title: 'Contributor draft, edited',
            content: 'Edited.', status: 'draft', author: ids.author });
        assert.equal(savedId(r), cid.id);
        const after = srv.postList(dataDir).find((p) => p.id === cid.id);
        assert.equal(after.title, 'Contributor draft, edited');
        assert.equal((await n.get('/admin/settings/')).status, 403);
        assert.equal((await n.get('/admin/users/')).status, 403);
        assert.equal((await n.post(`/admin/post/${cid.id}/delete`)).status, 409, 'only from the trash');
        assert.equal((await n.post(`/admin/post/${cid.id}/trash`)).status, 303);
        const trash = await n.get('/admin/posts/?status=trash');
        assert.match(trash.body, new RegExp(`id="post-${cid.id}"`));
        assert.equal((await n.post(`/admin/post/${cid.id}/delete`)).status, 303);
        assert.equal(srv.postList(dataDir).find((p) => p.id === cid.id), undefined, 'deleted for good');
    });

    it('an editor writes static pages; private, sticky and closed-comment posts show as such', async () => {
        const n = await as('ed');
        const page = savedId(await n.save({ type: 'page', title: 'Contact the desk', slug: 'contact',
            content: 'Call us.', status: 'published' }));
        assert.equal((await srv.get(`${server.url}/contact/`)).status, 200, 'the page is public at /slug/');
        const list = await n.get('/admin/pages/');
        assert.match(list.body, new RegExp(`id="post-${page}"`));
        const priv = savedId(await n.save({ title: 'Private memo', slug: 'private-memo', status: 'private' }));
        assert.equal(srv.postList(dataDir).find((p) => p.id === priv).status, 'private');
        const d = new Date().toISOString();
        assert.equal((await srv.get(`${server.url}/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/private-memo/`))
            .status, 404, 'private posts stay off the public site');
        const sticky = savedId(await n.save({ title: 'Pinned notice', status: 'published', sticky: '1',
            comments_open: undefined }));
        const p = srv.postList(dataDir).find((x) => x.id === sticky);
        assert.ok(p.sticky === true || p.sticky === 1, `sticky: ${JSON.stringify(p)}`);
        const home = await srv.get(`${server.url}/`);
        assert.ok(home.body.indexOf('Pinned notice') < home.body.indexOf('Editor story'), 'sticky comes first');
        const e = await n.editor(sticky);
        assert.doesNotMatch(e.body, /name="comments_open" value="1" checked/, 'comments closed');
        const r = await srv.postForm(`${server.url}/comment/`, { comment_post_ID: sticky, comment_parent: 0,
            author: 'Reader', email: 'r@readers.example', comment: 'Closed?' });
        assert.equal(r.status, 403, 'comments are closed on it');
    });

    it('authors and contributors cannot reach comment editing or restore others\' posts', async () => {
        const a = await as('ann');
        assert.equal((await a.post(`/admin/comments/${ids.held}`, { do: 'edit', author: 'x', body: 'y' })).status, 403);
        assert.equal((await a.post(`/admin/comments/${ids.held}`, { do: 'reply', reply: 'y' })).status, 403);
        assert.equal((await a.post(`/admin/post/${ids.edPost}/revert`, { revision: 1, version: 1 })).status, 403);
        const c = await as('cid');
        const own = savedId(await c.save({ title: 'Cid second draft' }));
        assert.equal((await c.post(`/admin/post/${own}/trash`)).status, 303, 'contributors trash their own drafts');
        assert.equal((await c.post(`/admin/post/${own}/delete`)).status, 403, 'but never delete for good');
        assert.equal((await c.post(`/admin/post/${own}/restore`)).status, 303);
    });

    it('an administrator reaches settings and users', async () => {
        const n = await as('boss');
        assert.equal((await n.get('/admin/settings/')).status, 200);
        const u = await n.get('/admin/users/');
        assert.equal(u.status, 200);
        assert.match(u.body, /cid/);
        assert.doesNotMatch(u.body, /\$argon2/, 'no hashes');
    });
});

describe('writing', () => {
    it('lists posts with counts per status, filters and paging', async () => {
        const n = await as('ed');
        for (let i = 1; i <= 22; i++)
            savedId(await n.save({ title: `Filler ${String(i).padStart(2, '0')}`, status: 'draft' }));
        const all = await n.get('/admin/posts/');
        assert.equal(all.status, 200);
        assert.match(all.body, /Draft <span class="count">\((\d+)\)<\/span>/);
        assert.equal((all.body.match(/<tr id="post-/g) || []).length, 20, 'twenty a page');
        assert.match(all.body, /rel="next" href="\/admin\/posts\/\?page=2"/);
        const p2 = await n.get('/admin/posts/?page=2');
        assert.ok((p2.body.match(/<tr id="post-/g) || []).length >= 2);
        const search = await n.get('/admin/posts/?s=filler+1');
        assert.equal((search.body.match(/<tr id="post-/g) || []).length, 10, 'Filler 10..19');
        const pub = await n.get('/admin/posts/?status=published');
        assert.doesNotMatch(pub.body, /Filler/);
        assert.match(pub.body, /Editor story/);
        const byAuthor = await n.get(`/admin/posts/?author=${ids.author}`);
        assert.match(byAuthor.body, /Author scoop/);
        assert.doesNotMatch(byAuthor.body, /Editor story/);
    });

    it('previews Markdown without saving, and creates categories inline', async () => {
        const n = await as('ed');
        const before = srv.postList(dataDir).length;
        const r = await n.save({ title: 'Preview me', content: '# Big\n\n*soft* <script>x</script>', do: 'preview' });
        assert.equal(r.status, 200);
        assert.match(r.body, /<h1>Big<\/h1>/);
        assert.match(r.body, /<em>soft<\/em>/);
        assert.doesNotMatch(r.body, /<script>x/, 'raw HTML is escaped');
        assert.equal(srv.postList(dataDir).length, before, 'a preview saves nothing');
        const id = savedId(await n.save({ title: 'Filed story', content: 'x', status: 'published',
            categories: 'Harbour News, Brand New Desk', tags: 'boats' }));
        const e = await n.editor(id);
        assert.match(e.body, /value="Brand New Desk, Harbour News"|value="Harbour News, Brand New Desk"/);
        const cat = await srv.get(`${server.url}/category/brand-new-desk/`);
        assert.equal(cat.status, 200, 'the new category has its page');
    });

    it('refuses the second of two saves of the same version (409) and keeps the first', async () => {
        const a = await as('ed');
        const b = await as('boss');
        const id = savedId(await a.save({ title: 'Contested', content: 'v1' }));
        const ea = await a.editor(id);
        const eb = await b.editor(id);
        assert.equal(ea.version, eb.version);
        assert.equal(savedId(await a.save({ id, version: ea.version, title: 'Contested', content: 'from Ed' })), id);
        const late = await b.save({ id, version: eb.version, title: 'Contested', content: 'from the owner' });
        assert.equal(late.status, 409);
        assert.match(late.body, /Someone else saved this post/);
        assert.match(late.body, /from the owner/, 'the refused text is still in the form');
        assert.equal((await a.editor(id)).content, 'from Ed', 'never silently overwritten');
    });

    it('keeps a revision per save, shows a diff of two and restores one as a new revision', async () => {
        const n = await as('ed');
        const id = savedId(await n.save({ title: 'Revised', content: 'line one\nline two\nline three' }));
        let e = await n.editor(id);
        savedId(await n.save({ id, version: e.version, title: 'Revised again', content: 'line one\nline 2\nline three' }));
        const rev = await n.get(`/admin/post/${id}/revisions`);
        assert.equal(rev.status, 200);
        assert.match(rev.body, /<del>line two<\/del>\n<ins>line 2<\/ins>/);
        assert.match(rev.body, /<del>Revised<\/del>\n<ins>Revised again<\/ins>/);
        const first = [...rev.body.matchAll(/id="revision-(\d+)"/g)].map((m) => Number(m[1]));
        assert.equal(first.length, 2);
        e = await n.editor(id);
        const r = await n.post(`/admin/post/${id}/revert`, { revision: Math.min(...first), version: e.version });
        assert.equal(r.status, 303);
        e = await n.editor(id);
        assert.equal(e.content, 'line one\nline two\nline three');
        assert.equal(e.title, 'Revised');
        const again = await n.get(`/admin/post/${id}/revisions`);
        assert.equal([...again.body.matchAll(/id="revision-(\d+)"/g)].length, 3, 'the restore is a revision');
    });

    it('publishes a scheduled post when its time comes, with no request needed, and never before', async () => {
        const n = await as('ann');
        const when = new Date(Date.now() + 8000);
        const stamp = iso(when);
        const id = savedId(await n.save({ title: 'Timed story', slug: 'timed-story', content: 'On time.',
            status: 'published', date: stamp.slice(0, 10), time: stamp.slice(11, 19) }));
        assert.equal(srv.postList(dataDir).find((p) => p.id === id).status, 'scheduled');
        const path = `/${stamp.slice(0, 4)}/${stamp.slice(5, 7)}/${stamp.slice(8, 10)}/timed-story/`;
        assert.equal((await srv.get(server.url + path)).status, 404, 'not before its time');
        // no request reaches the server while we wait: the timer must publish on its own
        await new Promise((r) => setTimeout(r, Math.max(0, when - Date.now()) + 2500));
        assert.equal(srv.postList(dataDir).find((p) => p.id === id).status, 'published', 'the timer published it');
        const pub = await srv.get(server.url + path);
        assert.equal(pub.status, 200);
        assert.match(pub.body, /On time\./);
    });
});

describe('moderating', () => {
    it('shows the queue with counts, author, email, IP, post and text', async () => {
        const n = await as('ed');
        const q = await n.get('/admin/comments/');
        assert.equal(q.status, 200);
        assert.equal(q.headers.get('cache-control'), 'private, no-store');
        assert.match(q.body, /Pending <span class="count">\(3\)<\/span>/);
        assert.match(q.body, /Comments <span class="badge"[^>]*>3<\/span>/, 'the menu shows how many wait');
        const row = new RegExp(`<tr id="comment-${ids.held}">[\\s\\S]*?</tr>`).exec(q.body)[0];
        for (const s of ['Held Reader', 'held@readers.example', 'A comment waiting for a moderator.', 'Editor story'])
            assert.ok(row.includes(s), `row shows ${s}`);
    });

    it('approves a held comment, which then appears on the article', async () => {
        const n = await as('ed');
        const article = '/2026/01/05/editor-story/';
        assert.doesNotMatch((await srv.get(server.url + article)).body, /A comment waiting for a moderator/);
        const r = await n.post('/admin/comments/action', { one: `approve:${ids.held}`, status: 'pending' });
        assert.equal(r.status, 303);
        const page = await srv.get(server.url + article);
        assert.match(page.body, new RegExp(`id="comment-${ids.held}"`));
        assert.match(page.body, /A comment waiting for a moderator/);
        const un = await n.post('/admin/comments/action', { one: `unapprove:${ids.held}` });
        assert.equal(un.status, 303);
        assert.doesNotMatch((await srv.get(server.url + article)).body, /A comment waiting for a moderator/);
        await n.post('/admin/comments/action', { one: `approve:${ids.held}` });
    });

    it('applies a bulk action to the ticked rows, and deletes only from spam or trash', async () => {
        const n = await as('ed');
        await n.get('/admin/comments/');
        const body = new URLSearchParams({ _csrf: n.csrf, action: 'spam', status: 'pending' });
        body.append('ids', String(ids.spam1));
        body.append('ids', String(ids.spam2));
        const r = await srv.get(`${server.url}/admin/comments/action`, { method: 'POST', body: body.toString(),
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: n.cookie } });
        assert.equal(r.status, 303);
        const spam = await n.get('/admin/comments/?status=spam');
        assert.match(spam.body, /Spam <span class="count">\(2\)<\/span>/);
        assert.equal((await n.post('/admin/comments/action', { one: `delete:${ids.held}` })).status, 409,
            'an approved comment is not deleted for good');
        assert.equal((await n.post('/admin/comments/action', { one: `restore:${ids.spam2}` })).status, 303);
        assert.equal((await n.post('/admin/comments/action', { one: `trash:${ids.spam2}` })).status, 303);
        assert.equal((await n.post('/admin/comments/action', { one: `delete:${ids.spam1}` })).status, 303);
        const left = srv.commentList(dataDir).map((c) => c.id);
        assert.ok(!left.includes(ids.spam1), 'deleted for good');
        assert.ok(left.includes(ids.spam2), 'in the trash');
    });

    it('edits a comment and replies as the logged-in user (approved at once)', async () => {
        const n = await as('ed');
        const form = await n.get(`/admin/comments/${ids.held}`);
        assert.equal(form.status, 200);
        const ed = await n.post(`/admin/comments/${ids.held}`, { do: 'edit', author: 'Held Reader',
            email: 'held@readers.example', url: '', body: 'A comment, lightly edited.' });
        assert.equal(ed.status, 303);
        const rep = await n.post(`/admin/comments/${ids.held}`, { do: 'reply', reply: 'Thanks, from the desk.' });
        assert.equal(rep.status, 303);
        const page = await srv.get(`${server.url}/2026/01/05/editor-story/`);
        assert.match(page.body, /A comment, lightly edited\./);
        assert.match(page.body, /Thanks, from the desk\./);
        assert.match(page.body, /Ed Itor/);
    });
});

describe('logged-in commenters', () => {
    it('skip the name and email fields, and their comments are approved at once', async () => {
        const n = await as('ann');
        const article = '/2026/01/05/editor-story/';
        const page = await srv.get(server.url + article, { headers: { Cookie: n.cookie } });
        assert.equal(page.status, 200);
        assert.match(page.body, /Logged in as Ann Author/);
        assert.doesNotMatch(page.body, /name="author"/, 'no name field');
        assert.doesNotMatch(page.body, /name="email"/, 'no email field');
        const anon = await srv.get(server.url + article);
        assert.match(anon.body, /name="author"/, 'visitors still see the fields (and no cached copy leaks)');
        const r = await srv.postForm(`${server.url}/comment/`, { comment_post_ID: ids.edPost, comment_parent: 0,
            comment: 'Staff comment without a form name.' }, { Cookie: n.cookie });
        assert.equal(r.status, 303);
        assert.match(r.headers.get('location'), /#comment-\d+$/, 'approved, not held');
        const after = await srv.get(server.url + article);
        assert.match(after.body, /Staff comment without a form name\./);
        assert.match(after.body, /Ann Author/);
        const c = srv.commentList(dataDir).find((x) => x.body === 'Staff comment without a form name.');
        assert.equal(c.status, 'approved');
    });
});

describe('command line', () => {
    it('user list --format=json lists accounts and never prints hashes', () => {
        const out = srv.cli(dataDir, ['user', 'list', '--format=json']).stdout;
        assert.doesNotMatch(out, /argon2|pwhash|password/i);
        const users = JSON.parse(out);
        const cid = users.find((u) => u.login === 'cid');
        assert.equal(cid.role, 'contributor');
        assert.equal(cid.name, 'Cid Contrib');
        assert.equal(cid.email, 'cid@newsroom.invalid');
    });

    it('user passwd sets a new password and ends the user\'s sessions', async () => {
        srv.userAdd(dataDir, { login: 'pat', name: 'Pat Rotate', role: 'author' });
        const n = await as('pat');
        srv.cli(dataDir, ['user', 'passwd', 'pat'], { input: 'a-brand-new-password\n' });
        const old = await srv.get(`${server.url}/admin/posts/`, { headers: { Cookie: n.cookie } });
        assert.equal(old.status, 303, 'the old session is gone');
        const m = new Newsroom(server.url);
        assert.equal((await m.tryLogin('pat', 'a-brand-new-password')).status, 303);
        const gen = srv.cli(dataDir, ['user', 'passwd', 'pat']).stdout;
        assert.match(gen, /password: [A-Za-z0-9]{20}/, 'an empty stdin generates one');
    });
});

describe('settings', () => {
    it('saves the settings a section at a time, and the public site shows them at once', async () => {
        const n = await as('boss');
        const home1 = await srv.get(`${server.url}/`);
        assert.match(home1.body, new RegExp(TITLE));
        const page = await n.get('/admin/settings/');
        for (const title of ['Site', 'Writing', 'Reading', 'Discussion', 'Permalinks', 'Time', 'Newsroom',
            'HTTP (caching and limits)'])
            assert.match(page.body, new RegExp(`<h2 id="section-\\d+-title">${title.replace(/[()]/g, '\\$&')}</h2>`));
        const site = formFields(page.body, 'settings-form-0');
        const reading = formFields(page.body, 'settings-form-2');
        const discussion = formFields(page.body, 'settings-form-3');
        const links = formFields(page.body, 'settings-form-4');
        assert.equal(reading.posts_per_page, '10');
        assert.equal(site.section, '0');
        const bad = await n.post('/admin/settings/', { ...reading, posts_per_page: 'lots' });
        assert.equal(bad.status, 422);
        assert.match(bad.body, /id="error-posts_per_page">Enter a whole number from 1 to 1000\./);
        const badLink = await n.post('/admin/settings/', { ...links, permalink_structure: '/%author%/%postname%/' });
        assert.equal(badLink.status, 422);
        assert.match(badLink.body, /id="error-permalink_structure"/);
        const noTitle = await n.post('/admin/settings/', { ...site, site_title: '', site_tagline: 'Kept?' });
        assert.equal(noTitle.status, 422, 'a section is saved whole or not at all');
        assert.match((await srv.get(`${server.url}/`)).body, new RegExp(TITLE), 'nothing saved on 422');
        assert.equal(srv.cli(dataDir, ['setting', 'get', 'site_tagline']).stdout.trim(), '');
        const ok = await n.post('/admin/settings/', { ...site, site_title: 'The Renamed Times' });
        assert.equal(ok.status, 303);
        assert.match(ok.headers.get('location'), /^\/admin\/settings\/\?msg=settings#section-0$/);
        const home2 = await srv.get(`${server.url}/`);
        assert.match(home2.body, /The Renamed Times/, 'the page cache was invalidated');
        const disc = await n.post('/admin/settings/', { ...discussion, comment_disallowed_keys: 'casino\nviagra',
            comment_hold_first: undefined });
        assert.equal(disc.status, 303);
        assert.equal(srv.cli(dataDir, ['setting', 'get', 'comment_disallowed_keys']).stdout.trim(), 'casino\nviagra');
        assert.equal(srv.cli(dataDir, ['setting', 'get', 'comment_hold_first']).stdout.trim(), '0',
            'an unticked box is saved as 0');
        // name and email optional: the public form stops requiring them
        const opt = await n.post('/admin/settings/', { ...discussion, comment_hold_first: undefined,
            comment_require_name_email: undefined });
        assert.equal(opt.status, 303);
        const art = await srv.get(`${server.url}/2026/01/05/editor-story/`);
        assert.match(art.body, /<input id="author" name="author"[^>]*>/);
        assert.doesNotMatch(/<input id="author"[^>]*>/.exec(art.body)[0], / required/);
        const anon = await srv.postForm(`${server.url}/comment/`, { comment_post_ID: ids.edPost, comment_parent: 0,
            comment: 'No name given.' });
        assert.equal(anon.status, 303, 'accepted without name and email');
        await n.post('/admin/settings/', { ...discussion, comment_hold_first: undefined });
        await n.post('/admin/settings/', { ...site, site_title: TITLE });
    });
});

describe('markup', () => {
    it('every newsroom page is valid HTML (Nu HTML Checker)', async () => {
        const { spawnSync } = require('node:child_process');
        const fs = require('node:fs');
        const path = require('node:path');
        const n = await as('boss');
        const dir = srv.tempDir('gazette-admin-vnu-');
        const posts = srv.postList(dataDir);
        const withRevs = posts.find((p) => p.title === 'Revised');
        const pages = {
            'login.html': '/admin/login', 'posts.html': '/admin/posts/', 'pages.html': '/admin/pages/',
            'trash.html': '/admin/posts/?status=trash', 'new.html': '/admin/post/new',
            'new-page.html': '/admin/post/new?type=page', 'edit.html': `/admin/post/${ids.edPost}`,
            'revisions.html': `/admin/post/${withRevs.id}/revisions`, 'comments.html': '/admin/comments/?status=approved',
            'comment.html': `/admin/comments/${ids.held}`, 'settings.html': '/admin/settings/', 'users.html': '/admin/users/',
            'error.html': '/admin/no/such/thing', 'dashboard.html': '/admin/', 'profile.html': '/admin/profile',
            'user.html': `/admin/users/${ids.author}`, 'own-user.html': `/admin/users/${ids.admin}`,
            'categories.html': '/admin/categories/', 'tags.html': '/admin/tags/', 'menus.html': '/admin/menus/',
        };
        const cats = srv.cliJson(dataDir, ['category', 'list', '--format=json']);
        if (cats.length > 0)
            pages['category.html'] = `/admin/categories/${cats[0].id}`;
        const files = [];
        for (const [name, p] of Object.entries(pages)) {
            const r = name === 'login.html' ? await srv.get(server.url + p) : await n.get(p);
            assert.ok([200, 404].includes(r.status), `GET ${p}: ${r.status}`);
            files.push(path.join(dir, name));
            fs.writeFileSync(files.at(-1), r.body);
        }
        const preview = await n.save({ title: 'Valid?', content: '# Head\n\ntext', do: 'preview' });
        files.push(path.join(dir, 'preview.html'));
        fs.writeFileSync(files.at(-1), preview.body);
        const jar = require('vnu-jar');
        const r = spawnSync('java', ['-jar', jar, '--format', 'json', '--stdout', ...files], {
            encoding: 'utf8', timeout: 120000, maxBuffer: 16 * 1024 * 1024 });
        const report = JSON.parse(r.stdout);
        const errors = report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
        const show = errors.map((m) => `${path.basename(new URL(m.url).pathname)}:${m.lastLine}: ${m.message}`)
            .join('\n');
        assert.equal(errors.length, 0, `HTML errors:\n${show}`);
    });
});

describe('failed logins', () => {
    // A POST from another loopback address (127.0.0.2), to tell the per-IP limit from the per-account one.
    const postFrom = (localAddress, url, fields, cookie) =>
        requestFrom(localAddress, url, { method: 'POST', fields, cookie });

    it('limits failed logins per IP and per account (429), even with the right password', async () => {
        const dir = srv.newDataDir();
        srv.userAdd(dir, { login: 'victim', role: 'author' });
        srv.userAdd(dir, { login: 'bystander', role: 'author' });
        srv.settingSet(dir, 'site_url', 'https://news.example');
        const s2 = await srv.startServer({ dataDir: dir });
        try {
            const n = new Newsroom(s2.url);
            const form = await srv.get(`${s2.url}/admin/login`);
            const tok = setCookies(form).gazette_login.value;
            const url = `${s2.url}/admin/login`;
            const fields = (log) => ({ _login: tok, log, pwd: 'e2e-password-1234' });
            for (let i = 0; i < 5; i++)
                assert.equal((await n.tryLogin('victim', `wrong-${i}`)).status, 403, `attempt ${i + 1}`);
            // first, while the account's wait (2 s after its fifth failure) runs
            const v = await postFrom('127.0.0.2', url, fields('victim'), `gazette_login=${tok}`);
            assert.equal(v.status, 429, 'the account is limited from any IP');
            const r = await n.tryLogin('victim');
            assert.equal(r.status, 429, 'the right password after five failures');
            assert.match(r.body, /Too many failed login attempts/);
            assert.equal(setCookies(r).gazette_session, undefined);
            assert.equal((await n.tryLogin('bystander')).status, 429, 'the IP is limited for every account');

            const b = await postFrom('127.0.0.2', url, fields('bystander'), `gazette_login=${tok}`);
            assert.equal(b.status, 303, 'another account from another IP logs in');
            const sess = b.headers['set-cookie'].find((c) => c.startsWith('gazette_session='));
            assert.match(sess, /; Secure/, 'Secure when the site URL is https');
        } finally {
            await s2.stop();
        }
    });
});
