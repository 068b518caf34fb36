// A newsroom user over HTTP for the end-to-end tests: logs in through /admin/login (the form's
// double-submit token included), keeps the session cookie, and reads the CSRF token from pages.
'use strict';

const assert = require('node:assert/strict');
const srv = require('./server');
const { parse } = require('./html');

const PASSWORD = 'e2e-password-1234'; // what srv.userAdd gives every account

// "name=value" pairs of the Set-Cookie headers of a response.
function setCookies(r) {
    const out = {};
    for (const c of r.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const i = pair.indexOf('=');
        out[pair.slice(0, i)] = { value: pair.slice(i + 1), raw: c };
    }
    return out;
}

function field(body, name) {
    const m = new RegExp(`name="${name}"[^>]*? value="([^"]*)"`).exec(body);
    return m ? m[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<').replace(/&gt;/g, '>') : null;
}

class Newsroom {
    constructor(base) {
        this.base = base;
        this.cookie = '';
        this.csrf = null;
    }

    // Fetches the login form and posts the credentials; returns the POST's response.
    async tryLogin(login, password = PASSWORD) {
        const form = await srv.get(`${this.base}/admin/login`);
        assert.equal(form.status, 200, 'the login form');
        const tok = setCookies(form).gazette_login;
        assert.ok(tok, 'the login form sets its double-submit cookie');
        const r = await srv.postForm(`${this.base}/admin/login`,
            { _login: field(form.body, '_login'), log: login, pwd: password },
            { Cookie: `gazette_login=${tok.value}` });
        const s = setCookies(r).gazette_session;
        if (s && s.value)
            this.cookie = `gazette_session=${s.value}`;
        return r;
    }

    async login(login, password = PASSWORD) {
        const r = await this.tryLogin(login, password);
        assert.equal(r.status, 303, `login of ${login}: ${r.status} ${r.body.slice(0, 300)}`);
        await this.get('/admin/posts/');
        return this;
    }

    // GET with the session; remembers the page's CSRF token.
    async get(path) {
        const r = await srv.get(this.base + path, { headers: { Cookie: this.cookie } });
        const t = field(r.body, '_csrf');
        if (t)
            this.csrf = t;
        return r;
    }

    // POST with the session and (unless fields._csrf is given, even as undefined) the CSRF token.
    async post(path, fields = {}) {
        const f = '_csrf' in fields ? fields : { _csrf: this.csrf, ...fields };
        return srv.postForm(this.base + path, f, { Cookie: this.cookie });
    }

    // Opens the editor of post id and returns its fields as the form holds them.
    async editor(id) {
        const r = await this.get(`/admin/post/${id}`);
        assert.equal(r.status, 200, `editor of ${id}: ${r.status}`);
        const text = (name) => {
            // A newline right after <textarea> is not part of the text (the HTML parser drops it).
            const m = new RegExp(`<textarea name="${name}"[^>]*>\\n?([\\s\\S]*?)</textarea>`).exec(r.body);
            return m ? m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
                .replace(/&#39;/g, "'").replace(/&amp;/g, '&') : null;
        };
        return { id, version: Number(field(r.body, 'version')), title: field(r.body, 'title'),
            slug: field(r.body, 'slug'), content: text('content'), body: r.body };
    }

    // Saves the editor form; fields override a plain draft.
    async save(fields) {
        return this.post('/admin/post/save', { id: '', version: 0, type: 'post', status: 'draft', title: 'Untitled',
            content: '', comments_open: '1', do: 'save', ...fields });
    }
}

// One request from another loopback address (127.0.0.2 ...), so that tests can tell the per-IP
// login limit from the per-account one. Resolves to {status, headers, body}.
function requestFrom(localAddress, url, { method = 'GET', fields = null, cookie = '' } = {}) {
    const http = require('node:http');
    const body = fields ? new URLSearchParams(fields).toString() : '';
    const headers = { Cookie: cookie };
    if (fields) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        headers['Content-Length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
        const req = http.request(url, { method, localAddress, headers }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => { text += d; });
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
        });
        req.on('error', reject);
        req.end(body);
    });
}

// A login attempt from localAddress with the cookies given ("a=1; b=2", e.g. a device cookie):
// fetches the form there for its token, then posts. Resolves to the POST's answer, with
// cookies: {name: value} of what it set.
async function loginFrom(base, localAddress, login, password = PASSWORD, cookie = '') {
    const form = await requestFrom(localAddress, `${base}/admin/login`, { cookie });
    const tok = /name="_login" value="([0-9a-f]+)"/.exec(form.body)[1];
    const jar = [cookie, `gazette_login=${tok}`].filter(Boolean).join('; ');
    const r = await requestFrom(localAddress, `${base}/admin/login`, { method: 'POST', cookie: jar,
        fields: { _login: tok, log: login, pwd: password } });
    r.cookies = {};
    for (const c of r.headers['set-cookie'] || []) {
        const [pair] = c.split(';');
        const i = pair.indexOf('=');
        r.cookies[pair.slice(0, i)] = pair.slice(i + 1);
    }
    return r;
}

// What the form with that id would send as the page shows it: text fields, ticked boxes, textareas
// and the selected options (submit buttons left out).
function formFields(body, formId) {
    const form = parse(body).one(`#${formId}`);
    assert.ok(form, `the page has form#${formId}`);
    const out = {};
    for (const el of form.all('input, textarea, select')) {
        const name = el.attr('name');
        const type = el.attr('type') || 'text';
        if (!name || ['submit', 'button'].includes(type) || name in out)
            continue;
        if (el.tag === 'textarea')
            out[name] = el.text.replace(/^\n/, '');
        else if (el.tag === 'select')
            out[name] = (el.one('option[selected]') || el.one('option') || { attr: () => '' }).attr('value') ?? '';
        else if (type === 'checkbox')
            el.has('checked') && (out[name] = el.attr('value') ?? 'on');
        else
            out[name] = el.attr('value') ?? '';
    }
    return out;
}

// The id in a 303 to /admin/post/ID.
function savedId(r) {
    assert.equal(r.status, 303, `save: ${r.status} ${r.body.slice(0, 400)}`);
    const m = /\/admin\/post\/(\d+)/.exec(r.headers.get('location'));
    assert.ok(m, `redirect to the editor: ${r.headers.get('location')}`);
    return Number(m[1]);
}

module.exports = { Newsroom, PASSWORD, setCookies, field, savedId, formFields, requestFrom, loginFrom };
