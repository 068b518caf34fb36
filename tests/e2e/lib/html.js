// A small HTML reader for the end-to-end tests: builds a tree from the server's markup and
// answers simple CSS selectors (tag, #id, .class, [attr], [attr=v], [attr~=v], descendant and
// child combinators). It is not a full HTML5 parser; it knows void elements, raw-text elements
// and the implicit end of <p> and <li>, which is all well-formed theme output needs.
'use strict';

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source',
    'track', 'wbr']);
const RAW = new Set(['script', 'style', 'textarea', 'title']);
const CLOSES_P = new Set(['address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset',
    'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'nav',
    'ol', 'p', 'pre', 'section', 'table', 'ul']);

const NAMED = {
    amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '\u2013', mdash: '\u2014',
    hellip: '\u2026', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', laquo: '\u00ab',
    raquo: '\u00bb', larr: '\u2190', rarr: '\u2192', copy: '\u00a9', times: '\u00d7', middot: '\u00b7',
};

function decode(s) {
    return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
        if (e[0] === '#') {
            const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
            return String.fromCodePoint(n);
        }
        return NAMED[e.toLowerCase()] ?? m;
    });
}

class Node {
    constructor(tag, attrs, parent, start) {
        this.tag = tag;
        this.attrs = attrs;
        this.parent = parent;
        this.children = [];
        this.start = start; // offset of '<' in the source
        this.end = start; // offset after the end tag
        this.innerStart = start;
        this.innerEnd = start;
        this.src = parent ? parent.src : '';
    }

    attr(name) {
        return Object.prototype.hasOwnProperty.call(this.attrs, name) ? this.attrs[name] : null;
    }

    has(name) {
        return Object.prototype.hasOwnProperty.call(this.attrs, name);
    }

    get classes() {
        return (this.attrs.class || '').split(/\s+/).filter(Boolean);
    }

    get text() {
        if (this.tag === '#text')
            return this.value;
        return this.children.map((c) => c.text).join('');
    }

    // Text with runs of white space folded to one space and trimmed.
    get cleanText() {
        return this.text.replace(/\s+/g, ' ').trim();
    }

    get outerHTML() {
        return this.src.slice(this.start, this.end);
    }

    get innerHTML() {
        return this.src.slice(this.innerStart, this.innerEnd);
    }

    get elements() {
        return this.children.filter((c) => c.tag !== '#text');
    }

    *walk() {
        for (const c of this.children) {
            if (c.tag === '#text')
                continue;
            yield c;
            yield* c.walk();
        }
    }

    all(selector) {
        const sel = parseSelector(selector);
        const out = [];
        for (const n of this.walk())
            if (matches(n, sel, this))
                out.push(n);
        return out;
    }

    one(selector) {
        return this.all(selector)[0] || null;
    }

    closest(selector) {
        const sel = parseSelector(selector);
        for (let n = this; n && n.tag !== '#root'; n = n.parent)
            if (matches(n, sel, null))
                return n;
        return null;
    }
}

function parseAttrs(s) {
    const attrs = {};
    const re = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
    let m;
    while ((m = re.exec(s)) !== null) {
        const name = m[1].toLowerCase();
        if (Object.prototype.hasOwnProperty.call(attrs, name))
            continue;
        const v = m[2] ?? m[3] ?? m[4];
        attrs[name] = v === undefined ? '' : decode(v);
    }
    return attrs;
}

function parse(src) {
    const root = new Node('#root', {}, null, 0);
    root.src = src;
    root.end = root.innerEnd = src.length;
    let cur = root;
    let i = 0;
    const text = (from, to) => {
        if (to <= from)
            return;
        const t = new Node('#text', {}, cur, from);
        t.value = decode(src.slice(from, to));
        t.end = to;
        cur.children.push(t);
    };
    const close = (node, at, after) => {
        // Ends every element from cur up to node.
        for (let n = cur; n; n = n.parent) {
            n.innerEnd = at;
            n.end = n === node ? after : at;
            if (n === node)
                break;
        }
        cur = node.parent;
    };
    while (i < src.length) {
        const lt = src.indexOf('<', i);
        if (lt < 0) {
            text(i, src.length);
            break;
        }
        text(i, lt);
        if (src.startsWith('<!--', lt)) {
            const e = src.indexOf('-->', lt + 4);
            i = e < 0 ? src.length : e + 3;
            continue;
        }
        if (src[lt + 1] === '!' || src[lt + 1] === '?') {
            const e = src.indexOf('>', lt);
            i = e < 0 ? src.length : e + 1;
            continue;
        }
        const endTag = /^<\/([a-zA-Z][a-zA-Z0-9-]*)\s*>/.exec(src.slice(lt, lt + 100));
        if (endTag) {
            const name = endTag[1].toLowerCase();
            let n = cur;
            while (n && n.tag !== name)
                n = n.parent;
            if (n && n.tag !== '#root')
                close(n, lt, lt + endTag[0].length);
            i = lt + endTag[0].length;
            continue;
        }
        const startTag = /^<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/.exec(src.slice(lt));
        if (!startTag) {
            text(lt, lt + 1);
            i = lt + 1;
            continue;
        }
        const name = startTag[1].toLowerCase();
        if (CLOSES_P.has(name) && cur.tag === 'p')
            close(cur, lt, lt);
        if (name === 'li' && cur.tag === 'li')
            close(cur, lt, lt);
        const node = new Node(name, parseAttrs(startTag[2].replace(/\/\s*$/, '')), cur, lt);
        const after = lt + startTag[0].length;
        node.innerStart = after;
        cur.children.push(node);
        i = after;
        if (VOID.has(name)) {
            node.end = node.innerEnd = after;
            continue;
        }
        if (RAW.has(name)) {
            const re = new RegExp('</' + name + '\\s*>', 'i');
            const m = re.exec(src.slice(after));
            const e = m ? after + m.index : src.length;
            const t = new Node('#text', {}, node, after);
            const raw = src.slice(after, e);
            t.value = name === 'script' || name === 'style' ? raw : decode(raw);
            t.end = e;
            node.children.push(t);
            node.innerEnd = e;
            node.end = m ? e + m[0].length : e;
            i = node.end;
            continue;
        }
        cur = node;
    }
    return root;
}

// Selector: groups separated by ',' ; each a list of compounds joined by ' ' or '>'.
function parseSelector(s) {
    return s.split(',').map((g) => {
        const parts = [];
        const re = /\s*(>)?\s*([^\s>]+)/g;
        let m;
        while ((m = re.exec(g.trim())) !== null)
            parts.push({ child: !!m[1], compound: parseCompound(m[2]) });
        return parts;
    });
}

function parseCompound(s) {
    const c = { tag: null, id: null, classes: [], attrs: [] };
    const re = /([a-zA-Z][a-zA-Z0-9-]*)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:([~^$*|]?=)"?([^\]"]*)"?)?\]|(\*)/g;
    let m;
    while ((m = re.exec(s)) !== null) {
        if (m[1])
            c.tag = m[1].toLowerCase();
        else if (m[2])
            c.id = m[2];
        else if (m[3])
            c.classes.push(m[3]);
        else if (m[4])
            c.attrs.push({ name: m[4].toLowerCase(), op: m[5] || null, value: m[6] });
    }
    return c;
}

function matchCompound(n, c) {
    if (c.tag && n.tag !== c.tag)
        return false;
    if (c.id && n.attr('id') !== c.id)
        return false;
    const cls = n.classes;
    for (const k of c.classes)
        if (!cls.includes(k))
            return false;
    for (const a of c.attrs) {
        const v = n.attr(a.name);
        if (v === null)
            return false;
        if (a.op === '=' && v !== a.value)
            return false;
        if (a.op === '~=' && !v.split(/\s+/).includes(a.value))
            return false;
        if (a.op === '^=' && !v.startsWith(a.value))
            return false;
        if (a.op === '$=' && !v.endsWith(a.value))
            return false;
        if (a.op === '*=' && !v.includes(a.value))
            return false;
    }
    return true;
}

// Matches right to left; `scope` bounds the ancestors considered (null: the whole document).
function matchParts(n, parts, k, scope) {
    if (!matchCompound(n, parts[k].compound))
        return false;
    if (k === 0)
        return true;
    if (parts[k].child) {
        const p = n.parent;
        return !!p && p !== scope && p.tag !== '#root' && matchParts(p, parts, k - 1, scope);
    }
    for (let p = n.parent; p && p !== scope && p.tag !== '#root'; p = p.parent)
        if (matchParts(p, parts, k - 1, scope))
            return true;
    return false;
}

function matches(n, groups, scope) {
    return groups.some((parts) => matchParts(n, parts, parts.length - 1, scope));
}

function escapeHtml(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
}

module.exports = { parse, decode, escapeHtml };
