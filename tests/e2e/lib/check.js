// Assertions the end-to-end tests share: what every HTML page promises (docs/reader-site.md,
// "Every HTML page"), article links in listings, and the state of the comment form.
'use strict';

const assert = require('node:assert/strict');
const { parse } = require('./html');

const ARTICLE_RE = /^\/\d{4}\/\d{2}\/\d{2}\/[^/]+\/$/;

// The path (and query) of a link, whether the theme wrote it absolute or relative.
function pathOf(href, base = 'http://127.0.0.1/') {
    const u = new URL(href, base);
    return u.pathname + u.search;
}

// Article paths linked from <main>, in document order, each once (the list: not the front page's sections).
function articleLinks(doc) {
    const main = doc.one('main');
    assert.ok(main, 'page has a <main>');
    const seen = [];
    // the front page's sections by category follow the list, with other stories: not the list
    const sections = new Set(main.all('.home-section a[href]').map((a) => pathOf(a.attr('href'))));
    for (const a of main.all('a[href]')) {
        const p = pathOf(a.attr('href'));
        if (ARTICLE_RE.test(p) && !seen.includes(p) && !sections.has(p))
            seen.push(p);
    }
    return seen;
}

// A Content-Length (never chunked) that is the body's length, or, for a body fetch() decompressed
// (it asks for gzip and br), the smaller length of its compressed form.
function assertContentLength(r, what) {
    const h = r.headers;
    assert.ok(h.get('content-length') !== null, `${what}: Content-Length header`);
    assert.ok(!/chunked/i.test(h.get('transfer-encoding') || ''), `${what}: chunked transfer`);
    const coding = h.get('content-encoding');
    if (coding === null) {
        assert.equal(Number(h.get('content-length')), Buffer.byteLength(r.body), `${what}: Content-Length matches body`);
    } else {
        assert.match(coding, /^(gzip|br)$/, `${what}: Content-Encoding`);
        assert.ok(Number(h.get('content-length')) < Buffer.byteLength(r.body), `${what}: compressed Content-Length`);
        assert.match(h.get('vary') || '', /accept-encoding/i, `${what}: Vary: Accept-Encoding`);
    }
}

// The headers and skeleton every HTML page has, whatever its status.
function assertHtmlPage(r, what) {
    const h = r.headers;
    assert.equal(h.get('content-type'), 'text/html; charset=utf-8', `${what}: Content-Type`);
    const csp = h.get('content-security-policy');
    assert.ok(csp, `${what}: Content-Security-Policy header`);
    assert.ok(!/unsafe-inline/i.test(csp), `${what}: CSP allows unsafe-inline: ${csp}`);
    assert.ok(!/unsafe-eval/i.test(csp), `${what}: CSP allows unsafe-eval: ${csp}`);
    assert.match(csp, /(default-src|script-src)\s/, `${what}: CSP restricts scripts: ${csp}`);
    assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
    assertContentLength(r, what);

    assert.match(r.body, /^<!DOCTYPE html>/i, `${what}: starts with <!DOCTYPE html>`);
    const doc = parse(r.body);
    const html = doc.one('html');
    assert.ok(html, `${what}: <html>`);
    assert.equal(html.attr('lang'), 'en-US', `${what}: <html lang="en-US"> (the site_language setting's default)`);
    for (const tag of ['header', 'main', 'footer'])
        assert.ok(doc.one(tag), `${what}: <${tag}>`);
    const navs = doc.all('nav');
    assert.ok(navs.length > 0, `${what}: a <nav>`);
    for (const n of navs)
        assert.ok(n.attr('aria-label'), `${what}: every <nav> has aria-label: ${n.outerHTML.slice(0, 80)}`);
    // The CSP forbids inline script and style, so the page must not rely on them. Structured data
    // (<script type="application/ld+json">) is a data block, never run: it must parse as JSON.
    for (const s of doc.all('script')) {
        if (s.attr('type') === 'application/ld+json') {
            assert.doesNotThrow(() => JSON.parse(s.text), `${what}: JSON-LD parses: ${s.text.slice(0, 120)}`);
            continue;
        }
        assert.ok(s.attr('src') && s.text.trim() === '', `${what}: inline <script>: ${s.outerHTML.slice(0, 120)}`);
    }
    assert.equal(doc.all('style').length, 0, `${what}: <style> element`);
    for (const n of doc.walk())
        assert.ok(!n.has('style'), `${what}: style attribute on <${n.tag}>`);
    for (const n of doc.walk())
        for (const a of Object.keys(n.attrs))
            assert.ok(!/^on/.test(a), `${what}: inline handler ${a} on <${n.tag}>`);
    return doc;
}

// A page built for one visitor: `Cache-Control: private, no-store`.
function assertPrivate(r, what) {
    const cc = r.headers.get('cache-control') || '';
    assert.ok(/\bprivate\b/.test(cc) && /\bno-store\b/.test(cc),
        `${what}: Cache-Control private, no-store (got "${cc}")`);
}

// The comment form's fields as the reader sees them.
function formState(doc) {
    const form = doc.one('form#commentform');
    assert.ok(form, 'the page has form#commentform');
    const val = (name) => {
        const el = form.one(`[name=${name}]`);
        if (!el)
            return null;
        return el.tag === 'textarea' ? el.text.replace(/^\n/, '') : el.attr('value') ?? '';
    };
    return {
        form,
        comment: val('comment'),
        author: val('author'),
        email: val('email'),
        url: val('url'),
        parent: val('comment_parent'),
        postId: val('comment_post_ID'),
        field: (name) => form.one(`[name=${name}]`),
    };
}

module.exports = { ARTICLE_RE, pathOf, articleLinks, assertContentLength, assertHtmlPage, assertPrivate, formState, parse };
