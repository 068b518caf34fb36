/* The Mustache engine behind every page (see template.h). Compiling runs three passes over a source:
 * tokenize (delimiters, sigils, section matching, errors with line and column), apply the
 * standalone-line rules to the tokens, then emit a flat array of instructions whose sections know
 * where they end. Rendering walks that array with the context stack, the inheritance overrides and
 * the partial indentation kept on the C stack, so one compiled set serves many threads at once. */
#include "render/template.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum kind { K_TEXT, K_VAR, K_RAW, K_SECTION, K_INVERTED, K_PARTIAL, K_PARENT, K_BLOCK, K_CLOSE, K_COMMENT, K_DELIM };

/* One dotted-name segment, a span of the template's source. */
struct seg {
    uint32_t off, len;
};

/* One instruction. Containers (section, inverted, parent, block) are followed by their body and
 * `end` is the index just past it. */
struct op {
    uint8_t kind;
    uint8_t bol;        /* starts a source line: gets the partial indentation first */
    uint8_t standalone; /* its line was removed by the standalone rule */
    uint8_t dyn;        /* partial/parent name is a dynamic name (*path) */
    uint8_t site_ws;    /* block: only whitespace (ind) preceded it on its line, taken out of the text */
    uint32_t pos;       /* source offset of the tag, for error positions */
    uint32_t off, len;  /* text: span of t->text; tags: the name, a span of t->src */
    uint32_t seg, nseg; /* the name split at dots (nseg 0 is the implicit iterator ".") */
    uint32_t end;
    uint32_t ind_off, ind_len; /* whitespace before the tag on its line (partial indentation) */
    uint32_t e_off, e_len;     /* block: indentation its body carries (see block_site) */
};

struct tpl {
    char *name;
    char *src; /* a copy of the source: names, indentation and error positions point into it */
    size_t src_len;
    char *text; /* literal text of all text instructions */
    struct op *ops;
    uint32_t nops;
    struct seg *segs;
};

struct tpl_set {
    struct tpl **slot; /* open addressing by name, power-of-two size */
    size_t nslot, count;
    bool strict;
    size_t max_steps;
};

/* ---- errors ---- */

static void pos_of(const char *src, size_t len, size_t pos, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < pos && i < len; i++) {
        if (src[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static void set_err(struct tpl_error *err, const char *name, const char *src, size_t len, long pos, const char *fmt,
                    ...) __attribute__((format(printf, 6, 7)));

static void set_err(struct tpl_error *err, const char *name, const char *src, size_t len, long pos, const char *fmt,
                    ...)
{
    if (err == NULL)
        return;
    snprintf(err->name, sizeof(err->name), "%s", name ? name : "");
    err->line = err->col = 0;
    if (pos >= 0 && src)
        pos_of(src, len, (size_t)pos, &err->line, &err->col);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
}

const char *tpl_error_str(const struct tpl_error *err, char *dst, size_t size)
{
    if (err->line > 0)
        snprintf(dst, size, "%s:%d:%d: %s", err->name, err->line, err->col, err->msg);
    else
        snprintf(dst, size, "%s: %s", err->name, err->msg);
    return dst;
}

/* ---- compiling ---- */

struct tok {
    uint8_t kind;
    uint8_t dyn;
    uint8_t drop;       /* text removed by the standalone rule */
    uint8_t standalone; /* tag alone on its line */
    uint8_t site_ws;
    uint8_t closes;    /* close tag: kind of what it closes */
    uint32_t pos;      /* tag start (text: its start) */
    uint32_t off, len; /* text span, or the name's span */
    uint32_t ind_off, ind_len;
    uint32_t e_off, e_len;
};

struct cc {
    const char *name;
    const char *src;
    size_t len;
    struct tok *tok;
    size_t ntok, captok;
    struct tpl_error *err;
};

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int push_tok(struct cc *c, const struct tok *t)
{
    if (c->ntok == c->captok) {
        size_t cap = c->captok ? c->captok * 2 : 64;
        struct tok *p = realloc(c->tok, cap * sizeof(*p));
        if (p == NULL)
            return -ENOMEM;
        c->tok = p;
        c->captok = cap;
    }
    c->tok[c->ntok++] = *t;
    return 0;
}

static int syntax(struct cc *c, size_t pos, const char *msg, const char *what, size_t wlen)
{
    if (what)
        set_err(c->err, c->name, c->src, c->len, (long)pos, "%s '%.*s'", msg, (int)(wlen > 60 ? 60 : wlen), what);
    else
        set_err(c->err, c->name, c->src, c->len, (long)pos, "%s", msg);
    return -EINVAL;
}

static bool same_name(const struct cc *c, const struct tok *a, const struct tok *b)
{
    return a->dyn == b->dyn && a->len == b->len && memcmp(c->src + a->off, c->src + b->off, a->len) == 0;
}

static const char *kind_word(int k)
{
    switch (k) {
    case K_INVERTED:
        return "inverted section";
    case K_PARENT:
        return "parent";
    case K_BLOCK:
        return "block";
    default:
        return "section";
    }
}

/* Pass 1: tokens. Text is split after each newline so that lines are runs of tokens. */
static int tokenize(struct cc *c)
{
    const char *s = c->src;
    size_t n = c->len, pos = 0;
    char otag[TPL_MAX_DELIM + 1] = "{{", ctag[TPL_MAX_DELIM + 2] = "}}";
    size_t olen = 2, clen = 2;
    size_t open[TPL_MAX_NESTING];
    int depth = 0, rc;

    while (pos < n) {
        const char *o = memmem(s + pos, n - pos, otag, olen);
        size_t tstart = o ? (size_t)(o - s) : n;
        while (pos < tstart) {
            const char *nl = memchr(s + pos, '\n', tstart - pos);
            size_t e = nl ? (size_t)(nl - s) + 1 : tstart;
            struct tok t = {.kind = K_TEXT, .pos = pos, .off = pos, .len = e - pos};
            if ((rc = push_tok(c, &t)) != 0)
                return rc;
            pos = e;
        }
        if (o == NULL)
            break;

        size_t p = tstart + olen;
        char sig = p < n ? s[p] : 0;
        struct tok t = {.kind = K_VAR, .pos = tstart};
        char closer[TPL_MAX_DELIM + 2];
        size_t cl = clen;
        memcpy(closer, ctag, clen);
        switch (sig) {
        case '#':
            t.kind = K_SECTION;
            break;
        case '^':
            t.kind = K_INVERTED;
            break;
        case '/':
            t.kind = K_CLOSE;
            break;
        case '>':
            t.kind = K_PARTIAL;
            break;
        case '<':
            t.kind = K_PARENT;
            break;
        case '$':
            t.kind = K_BLOCK;
            break;
        case '!':
            t.kind = K_COMMENT;
            break;
        case '&':
            t.kind = K_RAW;
            break;
        case '{':
        case '=':
            t.kind = sig == '{' ? K_RAW : K_DELIM;
            closer[0] = sig == '{' ? '}' : '=';
            memcpy(closer + 1, ctag, clen);
            cl = clen + 1;
            break;
        }
        if (t.kind != K_VAR)
            p++;
        const char *e = p <= n ? memmem(s + p, n - p, closer, cl) : NULL;
        if (e == NULL)
            return syntax(c, tstart, "unclosed tag: no closing delimiter", closer, cl);
        size_t a = p, b = (size_t)(e - s);
        pos = b + cl;
        if (t.kind == K_COMMENT)
            goto add;
        while (a < b && is_space(s[a]))
            a++;
        while (b > a && is_space(s[b - 1]))
            b--;
        if (t.kind == K_DELIM) {
            size_t m = a;
            while (m < b && !is_space(s[m]))
                m++;
            size_t z = m;
            while (z < b && is_space(s[z]))
                z++;
            size_t ol = m - a, nl = b - z;
            if (ol == 0 || nl == 0 || ol > TPL_MAX_DELIM || nl > TPL_MAX_DELIM || memchr(s + z, ' ', nl) ||
                memchr(s + z, '\t', nl) || memchr(s + a, '=', ol) || memchr(s + z, '=', nl))
                return syntax(c, tstart, "bad set-delimiter tag, want {{=OPEN CLOSE=}}", NULL, 0);
            memcpy(otag, s + a, ol);
            olen = ol;
            memcpy(ctag, s + z, nl);
            clen = nl;
            goto add;
        }
        bool star = t.kind == K_PARTIAL || t.kind == K_PARENT ||
                    (t.kind == K_CLOSE && depth > 0 && c->tok[open[depth - 1]].dyn);
        if (star && a < b && s[a] == '*') {
            t.dyn = 1;
            a++;
            while (a < b && is_space(s[a]))
                a++;
        }
        if (a == b)
            return syntax(c, tstart, "empty tag name", NULL, 0);
        for (size_t k = a; k < b; k++)
            if (is_space(s[k]))
                return syntax(c, tstart, "whitespace inside tag name", s + a, b - a);
        t.off = a;
        t.len = b - a;
        if (t.kind == K_SECTION || t.kind == K_INVERTED || t.kind == K_PARENT || t.kind == K_BLOCK) {
            if (depth == TPL_MAX_NESTING)
                return syntax(c, tstart, "sections nested too deep (limit 64) at", s + a, b - a);
            open[depth++] = c->ntok;
        } else if (t.kind == K_CLOSE) {
            if (depth == 0)
                return syntax(c, tstart, "closing tag without an open section:", s + a, b - a);
            struct tok *ot = &c->tok[open[depth - 1]];
            if (!same_name(c, ot, &t)) {
                int l, col;
                pos_of(s, n, ot->pos, &l, &col);
                set_err(c->err, c->name, s, n, (long)tstart, "{{/%.*s}} does not match {{%c%.*s}} opened at %d:%d",
                        (int)(t.len > 60 ? 60 : t.len), s + t.off,
                        "#^<$"[ot->kind == K_SECTION    ? 0
                               : ot->kind == K_INVERTED ? 1
                               : ot->kind == K_PARENT   ? 2
                                                        : 3],
                        (int)(ot->len > 60 ? 60 : ot->len), s + ot->off, l, col);
                return -EINVAL;
            }
            t.closes = ot->kind;
            depth--;
        }
    add:
        if ((rc = push_tok(c, &t)) != 0)
            return rc;
    }
    if (depth > 0) {
        struct tok *ot = &c->tok[open[depth - 1]];
        char what[80];
        snprintf(what, sizeof(what), "unclosed %s", kind_word(ot->kind));
        return syntax(c, ot->pos, what, c->src + ot->off, ot->len);
    }
    return 0;
}

static bool ends_nl(const struct cc *c, const struct tok *t)
{
    return t->kind == K_TEXT && t->len > 0 && c->src[t->off + t->len - 1] == '\n';
}

/* Whitespace only; the line's last token may end in "\n" or "\r\n". */
static bool blank_text(const struct cc *c, const struct tok *t)
{
    const char *p = c->src + t->off;
    size_t n = t->len;
    if (n && p[n - 1] == '\n') {
        n--;
        if (n && p[n - 1] == '\r')
            n--;
    }
    for (size_t i = 0; i < n; i++)
        if (!is_ws(p[i]))
            return false;
    return true;
}

static size_t lead_ws(const char *p, size_t n)
{
    size_t k = 0;
    while (k < n && is_ws(p[k]))
        k++;
    return k;
}

/* Pass 2: a line holding only whitespace and tags that print nothing themselves (at most one besides
 * parent open/close tags, which stand for a whole partial) is removed, and the whitespace before
 * its tags becomes their indentation. */
static void standalone(struct cc *c)
{
    size_t i = 0;
    while (i < c->ntok) {
        size_t a = i, b = i;
        while (b < c->ntok && !ends_nl(c, &c->tok[b]))
            b++;
        if (b == c->ntok)
            b--;
        int tags = 0, others = 0;
        bool ok = true;
        for (size_t k = a; k <= b && ok; k++) {
            struct tok *t = &c->tok[k];
            if (t->kind == K_TEXT) {
                ok = blank_text(c, t);
            } else if (t->kind == K_VAR || t->kind == K_RAW) {
                ok = false;
            } else {
                tags++;
                if (t->kind != K_PARENT && !(t->kind == K_CLOSE && t->closes == K_PARENT))
                    others++;
            }
        }
        if (ok && tags > 0 && others <= 1) {
            uint32_t ind_off = 0, ind_len = 0;
            if (c->tok[a].kind == K_TEXT) {
                ind_off = c->tok[a].off;
                ind_len = (uint32_t)lead_ws(c->src + c->tok[a].off, c->tok[a].len);
            }
            for (size_t k = a; k <= b; k++) {
                struct tok *t = &c->tok[k];
                if (t->kind == K_TEXT) {
                    t->drop = 1;
                } else {
                    t->standalone = 1;
                    t->ind_off = ind_off;
                    t->ind_len = ind_len;
                }
            }
        } else {
            /* A block opening a line after nothing but whitespace keeps that whitespace as its
             * indentation for the lines of an override. */
            for (size_t k = a; k <= b; k++) {
                struct tok *t = &c->tok[k];
                if (t->kind != K_BLOCK)
                    continue;
                if (k == a) {
                    t->site_ws = 1;
                    t->ind_off = t->pos;
                    t->ind_len = 0;
                } else if (k == a + 1 && c->tok[a].kind == K_TEXT && blank_text(c, &c->tok[a]) &&
                           !ends_nl(c, &c->tok[a])) {
                    t->site_ws = 1;
                    t->ind_off = c->tok[a].off;
                    t->ind_len = c->tok[a].len;
                    c->tok[a].drop = 1;
                }
            }
        }
        i = b + 1;
    }
    /* A block's own indentation: that of the first line of its body when its tag is standalone
     * (Mustache's "intrinsic indentation"), else the whitespace before the tag. */
    for (size_t k = 0; k < c->ntok; k++) {
        struct tok *t = &c->tok[k];
        if (t->kind != K_BLOCK)
            continue;
        t->e_off = t->ind_off;
        t->e_len = t->ind_len;
        if (!t->standalone)
            continue;
        size_t j = k + 1;
        while (j < c->ntok && (c->tok[j].drop || c->tok[j].kind == K_COMMENT || c->tok[j].kind == K_DELIM))
            j++;
        if (j == c->ntok || (c->tok[j].kind == K_CLOSE && c->tok[j].closes == K_BLOCK))
            continue;
        struct tok *f = &c->tok[j];
        if (f->kind == K_TEXT) {
            t->e_off = f->off;
            t->e_len = (uint32_t)lead_ws(c->src + f->off, f->len);
        } else if (f->standalone) {
            t->e_off = f->ind_off;
            t->e_len = f->ind_len;
        } else {
            t->e_len = 0;
        }
    }
}

static bool at_line_start(const struct cc *c, size_t pos)
{
    return pos == 0 || c->src[pos - 1] == '\n';
}

/* Pass 3: instructions. */
static int emit(struct cc *c, struct tpl *t)
{
    size_t nseg = 0, textlen = 0;
    for (size_t k = 0; k < c->ntok; k++) {
        struct tok *k_ = &c->tok[k];
        if (k_->kind == K_TEXT)
            textlen += k_->len;
        else
            for (size_t i = 0; i < k_->len; i++)
                nseg += c->src[k_->off + i] == '.';
        nseg++;
    }
    t->ops = calloc(c->ntok + 1, sizeof(*t->ops));
    t->segs = calloc(nseg + 1, sizeof(*t->segs));
    t->text = malloc(textlen + 1);
    if (t->ops == NULL || t->segs == NULL || t->text == NULL)
        return -ENOMEM;

    uint32_t stack[TPL_MAX_NESTING];
    int depth = 0;
    size_t nops = 0, ns = 0, tl = 0;
    bool in_text = false;
    for (size_t k = 0; k < c->ntok; k++) {
        struct tok *tk = &c->tok[k];
        if (tk->kind == K_COMMENT || tk->kind == K_DELIM || (tk->kind == K_TEXT && tk->drop))
            continue;
        if (tk->kind == K_TEXT) {
            if (!in_text) {
                struct op *o = &t->ops[nops++];
                o->kind = K_TEXT;
                o->pos = tk->pos;
                o->off = (uint32_t)tl;
                o->bol = at_line_start(c, tk->off);
                in_text = true;
            }
            memcpy(t->text + tl, c->src + tk->off, tk->len);
            tl += tk->len;
            t->ops[nops - 1].len += tk->len;
            continue;
        }
        in_text = false;
        if (tk->kind == K_CLOSE) {
            t->ops[stack[--depth]].end = (uint32_t)nops;
            continue;
        }
        struct op *o = &t->ops[nops];
        o->kind = tk->kind;
        o->pos = tk->pos;
        o->standalone = tk->standalone;
        o->dyn = tk->dyn;
        o->site_ws = tk->site_ws;
        o->bol = tk->site_ws || at_line_start(c, tk->pos);
        o->off = tk->off;
        o->len = tk->len;
        o->ind_off = tk->ind_off;
        o->ind_len = tk->ind_len;
        o->e_off = tk->e_off;
        o->e_len = tk->e_len;
        o->seg = (uint32_t)ns;
        if (!(tk->len == 1 && c->src[tk->off] == '.')) {
            size_t a = tk->off, end = tk->off + tk->len;
            while (a <= end) {
                const char *d = memchr(c->src + a, '.', end - a);
                size_t b = d ? (size_t)(d - c->src) : end;
                if (b == a && (tk->kind != K_PARTIAL && tk->kind != K_PARENT && tk->kind != K_BLOCK))
                    return syntax(c, tk->pos, "empty segment in dotted name", c->src + tk->off, tk->len);
                t->segs[ns].off = (uint32_t)a;
                t->segs[ns].len = (uint32_t)(b - a);
                ns++;
                o->nseg++;
                if (d == NULL)
                    break;
                a = b + 1;
            }
        }
        if (o->kind == K_SECTION || o->kind == K_INVERTED || o->kind == K_PARENT || o->kind == K_BLOCK)
            stack[depth++] = (uint32_t)nops;
        nops++;
    }
    t->nops = (uint32_t)nops;
    t->text[tl] = '\0';
    return 0;
}

static void tpl_free(struct tpl *t)
{
    if (t == NULL)
        return;
    free(t->name);
    free(t->src);
    free(t->text);
    free(t->ops);
    free(t->segs);
    free(t);
}

static int compile(const char *name, const char *src, size_t len, struct tpl **out, struct tpl_error *err)
{
    struct cc c = {.name = name, .src = src, .len = len, .err = err};
    struct tpl *t = NULL;
    int rc;
    if (len > TPL_MAX_SIZE) {
        set_err(err, name, NULL, 0, -1, "template larger than %zu bytes", TPL_MAX_SIZE);
        return -E2BIG;
    }
    t = calloc(1, sizeof(*t));
    if (t == NULL || (t->name = strdup(name)) == NULL || (t->src = malloc(len + 1)) == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    memcpy(t->src, src, len);
    t->src[len] = '\0';
    t->src_len = len;
    c.src = t->src;
    if ((rc = tokenize(&c)) != 0)
        goto out;
    standalone(&c);
    if ((rc = emit(&c, t)) != 0)
        goto out;
    *out = t;
    t = NULL;
out:
    if (rc == -ENOMEM)
        set_err(err, name, NULL, 0, -1, "out of memory");
    free(c.tok);
    tpl_free(t);
    return rc;
}

/* ---- the set ---- */

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
    return h;
}

static struct tpl **find_slot(const struct tpl_set *set, const char *name, size_t n)
{
    size_t mask = set->nslot - 1;
    for (size_t i = hash(name, n) & mask;; i = (i + 1) & mask) {
        struct tpl *t = set->slot[i];
        if (t == NULL || (strlen(t->name) == n && memcmp(t->name, name, n) == 0))
            return &set->slot[i];
    }
}

static const struct tpl *find(const struct tpl_set *set, const char *name, size_t n)
{
    return *find_slot(set, name, n);
}

struct tpl_set *tpl_set_new(void)
{
    struct tpl_set *set = calloc(1, sizeof(*set));
    if (set == NULL)
        return NULL;
    set->nslot = 64;
    set->slot = calloc(set->nslot, sizeof(*set->slot));
    if (set->slot == NULL) {
        free(set);
        return NULL;
    }
    set->strict = true;
    set->max_steps = TPL_MAX_STEPS_DEFAULT;
    return set;
}

void tpl_set_free(struct tpl_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->nslot; i++)
        tpl_free(set->slot[i]);
    free(set->slot);
    free(set);
}

void tpl_set_strict(struct tpl_set *set, bool strict)
{
    set->strict = strict;
}

void tpl_set_max_steps(struct tpl_set *set, size_t steps)
{
    set->max_steps = steps;
}

bool tpl_set_has(const struct tpl_set *set, const char *name)
{
    return find(set, name, strlen(name)) != NULL;
}

static int grow_set(struct tpl_set *set)
{
    size_t n = set->nslot * 2;
    struct tpl **old = set->slot, **slot = calloc(n, sizeof(*slot));
    if (slot == NULL)
        return -ENOMEM;
    size_t oldn = set->nslot;
    set->slot = slot;
    set->nslot = n;
    for (size_t i = 0; i < oldn; i++)
        if (old[i])
            *find_slot(set, old[i]->name, strlen(old[i]->name)) = old[i];
    free(old);
    return 0;
}

int tpl_set_add(struct tpl_set *set, const char *name, const char *src, size_t len, struct tpl_error *err)
{
    size_t n = strlen(name);
    struct tpl *t = NULL;
    int rc;
    if (n == 0 || n > TPL_NAME_MAX) {
        set_err(err, name, NULL, 0, -1, "a template name has 1 to %d bytes", TPL_NAME_MAX);
        return -EINVAL;
    }
    struct tpl **slot = find_slot(set, name, n);
    if (*slot == NULL && set->count >= TPL_MAX_TEMPLATES) {
        set_err(err, name, NULL, 0, -1, "more than %d templates", TPL_MAX_TEMPLATES);
        return -E2BIG;
    }
    if (*slot == NULL && (set->count + 1) * 2 > set->nslot) {
        if ((rc = grow_set(set)) != 0) {
            set_err(err, name, NULL, 0, -1, "out of memory");
            return rc;
        }
        slot = find_slot(set, name, n);
    }
    if ((rc = compile(name, src, len, &t, err)) != 0)
        return rc;
    if (*slot)
        tpl_free(*slot);
    else
        set->count++;
    *slot = t;
    return 0;
}

int tpl_set_load_dir(struct tpl_set *set, const char *dir, struct tpl_error *err)
{
    static const char ext[] = ".mustache";
    DIR *d = opendir(dir);
    char *src = NULL;
    int rc = 0;
    if (d == NULL) {
        rc = -errno;
        set_err(err, dir, NULL, 0, -1, "cannot open directory: %s", strerror(errno));
        return rc;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n <= sizeof(ext) - 1 || strcmp(e->d_name + n - (sizeof(ext) - 1), ext) != 0)
            continue;
        char path[4096], name[TPL_NAME_MAX + 1];
        if (n - (sizeof(ext) - 1) > TPL_NAME_MAX ||
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path)) {
            set_err(err, e->d_name, NULL, 0, -1, "file name too long");
            rc = -ENAMETOOLONG;
            goto out;
        }
        memcpy(name, e->d_name, n - (sizeof(ext) - 1));
        name[n - (sizeof(ext) - 1)] = '\0';
        FILE *f = fopen(path, "rb");
        struct stat st;
        if (f == NULL || fstat(fileno(f), &st) != 0) {
            rc = -errno;
            set_err(err, path, NULL, 0, -1, "cannot read: %s", strerror(errno));
            if (f)
                fclose(f);
            goto out;
        }
        if (!S_ISREG(st.st_mode)) {
            fclose(f);
            continue;
        }
        if ((size_t)st.st_size > TPL_MAX_SIZE) {
            fclose(f);
            set_err(err, name, NULL, 0, -1, "template larger than %zu bytes", TPL_MAX_SIZE);
            rc = -E2BIG;
            goto out;
        }
        src = malloc((size_t)st.st_size + 1);
        size_t got = src ? fread(src, 1, (size_t)st.st_size, f) : 0;
        bool bad = src == NULL || ferror(f);
        fclose(f);
        if (bad) {
            rc = src ? -EIO : -ENOMEM;
            set_err(err, path, NULL, 0, -1, "cannot read");
            goto out;
        }
        if ((rc = tpl_set_add(set, name, src, got, err)) != 0)
            goto out;
        free(src);
        src = NULL;
    }
out:
    free(src);
    closedir(d);
    return rc;
}

int tpl_set_check(const struct tpl_set *set, struct tpl_error *err)
{
    if (!set->strict)
        return 0;
    for (size_t i = 0; i < set->nslot; i++) {
        const struct tpl *t = set->slot[i];
        for (uint32_t k = 0; t && k < t->nops; k++) {
            const struct op *o = &t->ops[k];
            if ((o->kind == K_PARTIAL || o->kind == K_PARENT) && !o->dyn && !find(set, t->src + o->off, o->len)) {
                set_err(err, t->name, t->src, t->src_len, o->pos, "unknown %s '%.*s'",
                        o->kind == K_PARTIAL ? "partial" : "parent", (int)o->len, t->src + o->off);
                return -ENOENT;
            }
        }
    }
    return 0;
}

/* ---- rendering ---- */

struct frame { /* the context stack, innermost first */
    const json_t *v;
    const struct frame *up;
};

struct ovr { /* the parent tags being expanded, innermost first; their blocks override */
    const struct tpl *t;
    uint32_t op;
    const struct ovr *outer;
};

struct indent { /* r->ind[off, off+len) goes before each line; strip: leading blanks to drop */
    uint32_t off, len, strip;
};

struct rctx {
    const struct tpl_set *set;
    struct buf *out;
    struct tpl_error *err;
    size_t steps;
    char ind[TPL_MAX_INDENT];
};

static int fail(struct rctx *r, const struct tpl *t, const struct op *o, int rc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(struct rctx *r, const struct tpl *t, const struct op *o, int rc, const char *fmt, ...)
{
    char msg[sizeof(r->err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    set_err(r->err, t->name, t->src, t->src_len, o ? (long)o->pos : -1, "%s", msg);
    return rc;
}

static const json_t *child(const json_t *v, const char *k, size_t n)
{
    if (json_is_object(v))
        return json_object_getn(v, k, n);
    if (json_is_array(v) && n > 0 && n <= 9) {
        size_t idx = 0;
        for (size_t i = 0; i < n; i++) {
            if (k[i] < '0' || k[i] > '9')
                return NULL;
            idx = idx * 10 + (size_t)(k[i] - '0');
        }
        return json_array_get(v, idx);
    }
    return NULL;
}

/* The first segment is looked up from the innermost context out; the rest only inside what it found. */
static const json_t *lookup(const struct tpl *t, const struct op *o, const struct frame *f)
{
    if (o->nseg == 0)
        return f ? f->v : NULL;
    const struct seg *s = &t->segs[o->seg];
    const json_t *v = NULL;
    for (; f && v == NULL; f = f->up)
        if (json_is_object(f->v))
            v = json_object_getn(f->v, t->src + s[0].off, s[0].len);
    for (uint32_t i = 1; v && i < o->nseg; i++)
        v = child(v, t->src + s[i].off, s[i].len);
    return v;
}

static bool truthy(const json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_OBJECT:
    case JSON_TRUE:
        return true;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    case JSON_STRING:
        return json_string_length(v) > 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0.0;
    default:
        return false;
    }
}

/* buf_append's fast path, inline: most appends are short and fit the capacity. The NUL terminator
 * is left to tpl_render's end (there is always room for it: cap > len). */
static inline void put(struct buf *b, const char *p, size_t n)
{
    if (b->err == 0 && b->cap - b->len > n && (b->max == 0 || b->max - b->len > n)) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
    } else {
        buf_append(b, p, n);
    }
}

/* The five characters are '"' (0x22), '&' (0x26), '\'' (0x27), '<' (0x3c), '>' (0x3e): with one bit
 * forced on, three comparisons find them all: x == 0x22, (x | 1) == 0x27, (x | 2) == 0x3e. */
static const uint8_t esc_len[256] = {['&'] = 5, ['<'] = 4, ['>'] = 4, ['"'] = 6, ['\''] = 5};

#ifdef __SSE2__
#include <emmintrin.h>

/* Index of the first byte of s[i, n) that needs escaping, or n; 16 bytes at a time. */
static inline size_t safe_run(const char *s, size_t i, size_t n)
{
    const __m128i q = _mm_set1_epi8(0x22), amp = _mm_set1_epi8(0x27), ang = _mm_set1_epi8(0x3e);
    const __m128i one = _mm_set1_epi8(1), two = _mm_set1_epi8(2);
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(x, one), amp),
                                                                    _mm_cmpeq_epi8(_mm_or_si128(x, two), ang)));
        int mask = _mm_movemask_epi8(m);
        if (mask)
            return i + (size_t)__builtin_ctz((unsigned)mask);
    }
    for (; i < n; i++)
        if (esc_len[(uint8_t)s[i]])
            return i;
    return n;
}
#else
#define ONES 0x0101010101010101ull

/* Non-zero when some byte of x equals c. */
static inline uint64_t has_byte(uint64_t x, uint8_t c)
{
    uint64_t v = x ^ (ONES * c);
    return (v - ONES) & ~v & (ONES << 7);
}

static inline size_t safe_run(const char *s, size_t i, size_t n)
{
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (has_byte(x, 0x22) | has_byte(x | ONES, 0x27) | has_byte(x | (ONES * 2), 0x3e))
            break;
    }
    for (; i < n; i++)
        if (esc_len[(uint8_t)s[i]])
            return i;
    return n;
}
#endif

/* HTML escaping of & < > " ' : runs of safe bytes are copied whole. */
static void put_escaped(struct buf *b, const char *s, size_t n)
{
    static const char *const ent[256] = {
        ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
    };
    size_t i = 0;
    for (;;) {
        size_t j = safe_run(s, i, n);
        put(b, s + i, j - i);
        if (j == n)
            break;
        uint8_t c = (uint8_t)s[j];
        put(b, ent[c], esc_len[c]);
        i = j + 1;
    }
}

static void put_int(struct buf *b, json_int_t v)
{
    char tmp[24], *e = tmp + sizeof(tmp), *p = e;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    if (v < 0)
        *--p = '-';
    put(b, p, (size_t)(e - p));
}

/* A real as JavaScript's Number#toString prints it: the shortest digits that read back the same. */
static void put_real(struct buf *b, double d)
{
    char tmp[40], dig[24];
    if (!isfinite(d))
        return;
    if (d == 0) {
        buf_putc(b, '0');
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof(tmp), "%.*e", p - 1, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    const char *q = tmp;
    if (*q == '-') {
        buf_putc(b, '-');
        q++;
    }
    int k = 0;
    for (; *q && *q != 'e'; q++)
        if (*q != '.')
            dig[k++] = *q;
    dig[k] = '\0';
    int n = atoi(q + 1) + 1; /* the decimal point sits after n digits */
    if (k <= n && n <= 21) {
        buf_append(b, dig, (size_t)k);
        for (int i = k; i < n; i++)
            buf_putc(b, '0');
    } else if (0 < n && n <= 21) {
        buf_append(b, dig, (size_t)n);
        buf_putc(b, '.');
        buf_append(b, dig + n, (size_t)(k - n));
    } else if (-6 < n && n <= 0) {
        buf_puts(b, "0.");
        for (int i = n; i < 0; i++)
            buf_putc(b, '0');
        buf_append(b, dig, (size_t)k);
    } else {
        buf_putc(b, dig[0]);
        if (k > 1) {
            buf_putc(b, '.');
            buf_append(b, dig + 1, (size_t)(k - 1));
        }
        buf_printf(b, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
    }
}

static void put_value(struct buf *b, const json_t *v, bool esc)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_STRING:
        if (esc)
            put_escaped(b, json_string_value(v), json_string_length(v));
        else
            put(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        put_int(b, json_integer_value(v));
        break;
    case JSON_REAL:
        put_real(b, json_real_value(v));
        break;
    case JSON_TRUE:
        buf_append(b, "true", 4);
        break;
    case JSON_FALSE:
        buf_append(b, "false", 5);
        break;
    default:
        break;
    }
}

static bool line_empty(const char *p, size_t n)
{
    return n > 0 && (p[0] == '\n' || (p[0] == '\r' && n > 1 && p[1] == '\n'));
}

/* Literal text; with indentation, each line that has content gets it first. */
static void put_text(struct rctx *r, const char *p, size_t n, bool bol, struct indent in)
{
    if (in.len == 0 && in.strip == 0) {
        put(r->out, p, n);
        return;
    }
    bool start = bol;
    while (n > 0) {
        if (start) {
            size_t k = 0;
            while (k < in.strip && k < n && is_ws(p[k]))
                k++;
            p += k;
            n -= k;
            if (!line_empty(p, n))
                put(r->out, r->ind + in.off, in.len);
        }
        const char *nl = memchr(p, '\n', n);
        size_t m = nl ? (size_t)(nl - p) + 1 : n;
        put(r->out, p, m);
        p += m;
        n -= m;
        start = nl != NULL;
    }
}

/* Indentation in + w (less the blanks in.strip says to drop), above everything in use. */
static int push_indent(struct rctx *r, struct indent in, const char *w, size_t wlen, struct indent *res)
{
    size_t k = 0;
    while (k < in.strip && k < wlen && is_ws(w[k]))
        k++;
    w += k;
    wlen -= k;
    if ((size_t)in.off + in.len + wlen > TPL_MAX_INDENT)
        return -1;
    memmove(r->ind + in.off + in.len, w, wlen);
    res->off = in.off;
    res->len = in.len + (uint32_t)wlen;
    res->strip = 0;
    return 0;
}

static int run(struct rctx *r, const struct tpl *t, uint32_t i, uint32_t end, const struct frame *f,
               const struct ovr *ov, struct indent in, int depth);

/* The template a partial or parent tag names, or NULL (*rc says whether that is an error). */
static const struct tpl *target(struct rctx *r, const struct tpl *t, const struct op *o, const struct frame *f,
                                int depth, int *rc)
{
    const char *name = t->src + o->off;
    size_t n = o->len;
    *rc = 0;
    if (o->dyn) {
        const json_t *v = lookup(t, o, f);
        if (!json_is_string(v))
            return NULL;
        name = json_string_value(v);
        n = json_string_length(v);
    }
    const struct tpl *p = n > 0 && n <= TPL_NAME_MAX ? find(r->set, name, n) : NULL;
    if (p == NULL && r->set->strict)
        *rc = fail(r, t, o, -ENOENT, "unknown %s '%.*s'", o->kind == K_PARTIAL ? "partial" : "parent",
                   (int)(n > 60 ? 60 : n), name);
    else if (p && depth >= TPL_MAX_DEPTH)
        *rc = fail(r, t, o, -ELOOP, "partials nested deeper than %d (recursion?) at '%.*s'", TPL_MAX_DEPTH,
                   (int)(n > 60 ? 60 : n), name);
    return *rc ? NULL : p;
}

/* A block tag where content goes: the outermost override of that name wins, else its own body. */
static int block_site(struct rctx *r, const struct tpl *t, uint32_t i, const struct frame *f, const struct ovr *ov,
                      struct indent in, int depth)
{
    const struct op *o = &t->ops[i];
    const struct tpl *mt = NULL;
    uint32_t mi = 0;
    const struct ovr *mouter = NULL;
    for (const struct ovr *v = ov; v; v = v->outer) {
        const struct op *po = &v->t->ops[v->op];
        for (uint32_t j = v->op + 1; j < po->end;) {
            const struct op *b = &v->t->ops[j];
            if (b->kind == K_BLOCK && b->len == o->len && memcmp(v->t->src + b->off, t->src + o->off, o->len) == 0) {
                mt = v->t;
                mi = j;
                mouter = v->outer;
            }
            j = (b->kind == K_SECTION || b->kind == K_INVERTED || b->kind == K_PARENT || b->kind == K_BLOCK) ? b->end
                                                                                                             : j + 1;
        }
    }
    if (mt == NULL) {
        if (o->site_ws && !o->standalone) {
            size_t k = 0;
            while (k < in.strip && k < o->ind_len && is_ws(t->src[o->ind_off + k]))
                k++;
            buf_append(r->out, r->ind + in.off, in.len);
            buf_append(r->out, t->src + o->ind_off + k, o->ind_len - k);
        }
        return run(r, t, i + 1, o->end, f, ov, in, depth);
    }
    if (depth >= TPL_MAX_DEPTH)
        return fail(r, t, o, -ELOOP, "blocks nested deeper than %d", TPL_MAX_DEPTH);
    const struct op *mo = &mt->ops[mi];
    struct indent ni;
    if (push_indent(r, in, t->src + o->e_off, o->e_len, &ni) != 0)
        return fail(r, t, o, -E2BIG, "indentation longer than %d bytes", TPL_MAX_INDENT);
    ni.strip = mo->standalone ? mo->e_len : 0;
    if (o->site_ws && !o->standalone && (mi + 1 >= mo->end || !mt->ops[mi + 1].bol))
        buf_append(r->out, r->ind + ni.off, ni.len);
    return run(r, mt, mi + 1, mo->end, f, mouter, ni, depth + 1);
}

static int run(struct rctx *r, const struct tpl *t, uint32_t i, uint32_t end, const struct frame *f,
               const struct ovr *ov, struct indent in, int depth)
{
    int rc;
    while (i < end) {
        const struct op *o = &t->ops[i];
        if (++r->steps > r->set->max_steps)
            return fail(r, t, o, -ELOOP, "render took more than %zu steps", r->set->max_steps);
        if (r->out->err)
            return fail(r, t, o, r->out->err, "output larger than its limit");
        if (o->kind == K_TEXT) {
            put_text(r, t->text + o->off, o->len, o->bol, in);
            i++;
            continue;
        }
        if (o->bol && !o->standalone && !o->site_ws && in.len)
            put(r->out, r->ind + in.off, in.len);
        switch (o->kind) {
        case K_VAR:
        case K_RAW:
            put_value(r->out, lookup(t, o, f), o->kind == K_VAR);
            i++;
            break;
        case K_SECTION: {
            const json_t *v = lookup(t, o, f);
            if (json_is_array(v)) {
                size_t n = json_array_size(v);
                for (size_t k = 0; k < n; k++) {
                    struct frame fr = {json_array_get(v, k), f};
                    if ((rc = run(r, t, i + 1, o->end, &fr, ov, in, depth)) != 0)
                        return rc;
                }
            } else if (truthy(v)) {
                struct frame fr = {v, f};
                if ((rc = run(r, t, i + 1, o->end, &fr, ov, in, depth)) != 0)
                    return rc;
            }
            i = o->end;
            break;
        }
        case K_INVERTED:
            if (!truthy(lookup(t, o, f)) && (rc = run(r, t, i + 1, o->end, f, ov, in, depth)) != 0)
                return rc;
            i = o->end;
            break;
        case K_PARTIAL:
        case K_PARENT: {
            const struct tpl *p = target(r, t, o, f, depth, &rc);
            if (rc)
                return rc;
            if (p) {
                struct indent ni = {in.off + in.len, 0, 0};
                if (o->standalone && push_indent(r, in, t->src + o->ind_off, o->ind_len, &ni) != 0)
                    return fail(r, t, o, -E2BIG, "indentation longer than %d bytes", TPL_MAX_INDENT);
                struct ovr nov = {t, i, ov};
                if ((rc = run(r, p, 0, p->nops, f, o->kind == K_PARENT ? &nov : ov, ni, depth + 1)) != 0)
                    return rc;
            }
            i = o->kind == K_PARENT ? o->end : i + 1;
            break;
        }
        case K_BLOCK:
            if ((rc = block_site(r, t, i, f, ov, in, depth)) != 0)
                return rc;
            i = o->end;
            break;
        default:
            i++;
        }
    }
    return 0;
}

int tpl_render(const struct tpl_set *set, const char *name, const json_t *data, struct buf *out, struct tpl_error *err)
{
    if (out->err) {
        set_err(err, name, NULL, 0, -1, "output buffer already failed");
        return out->err;
    }
    const struct tpl *t = find(set, name, strlen(name));
    if (t == NULL) {
        set_err(err, name, NULL, 0, -1, "unknown template");
        return -ENOENT;
    }
    struct rctx rr, *r = &rr;
    r->set = set;
    r->out = out;
    r->err = err;
    r->steps = 0;
    size_t before = out->len;
    struct frame top = {data, NULL};
    struct indent in = {0, 0, 0};
    int rc = run(r, t, 0, t->nops, data ? &top : NULL, NULL, in, 0);
    if (rc == 0 && out->err)
        rc = fail(r, t, NULL, out->err, "output larger than its limit");
    if (rc != 0) {
        out->len = before;
        out->err = 0;
    }
    if (out->data)
        out->data[out->len] = '\0';
    return rc;
}
