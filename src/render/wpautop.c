/* wpautop(), ported from WordPress's wp-includes/formatting.php step by step with the same regular
 * expressions (PCRE2, as PHP uses), so imported content gets the paragraphs WordPress gave it.
 * Also the [caption] and [gallery] shortcodes as HTML figures. The expressions are compiled once
 * (and JIT-compiled) on first use and shared by every thread. */
#include "render/wpautop.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALLBLOCKS                                                                                                      \
    "(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|"     \
    "address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|"      \
    "details|menu|summary)"

enum re {
    RE_BRBR,
    RE_BLOCK_OPEN,
    RE_BLOCK_CLOSE,
    RE_HR,
    RE_HTML_SPLIT,
    RE_OPTION_BEFORE,
    RE_OPTION_AFTER,
    RE_OBJECT_OPEN,
    RE_OBJECT_CLOSE,
    RE_PARAM,
    RE_AV_OPEN,
    RE_AV_CLOSE,
    RE_SOURCE,
    RE_FIGCAPTION_OPEN,
    RE_FIGCAPTION_CLOSE,
    RE_MANY_NL,
    RE_PARA_SPLIT,
    RE_EMPTY_P,
    RE_P_CLOSE_DIV,
    RE_P_WRAPS_BLOCK,
    RE_P_LI,
    RE_P_BLOCKQUOTE,
    RE_P_BEFORE_BLOCK,
    RE_BLOCK_BEFORE_P_END,
    RE_PRESERVE,
    RE_NL_TO_BR,
    RE_BLOCK_BR,
    RE_BR_BLOCK,
    RE_LAST_NL_P,
    RE_CAPTION_SPLIT,
    RE_COUNT
};

static const struct {
    const char *pattern;
    uint32_t flags;
} patterns[RE_COUNT] = {
    [RE_BRBR] = {"<br\\s*/?>\\s*<br\\s*/?>", 0},
    [RE_BLOCK_OPEN] = {"(<" ALLBLOCKS "[\\s/>])", 0},
    [RE_BLOCK_CLOSE] = {"(</" ALLBLOCKS ">)", 0},
    [RE_HR] = {"(<hr\\s*?/?>)", 0},
    /* get_html_split_regex(): comments, CDATA, or any other tag. */
    [RE_HTML_SPLIT] = {"<(?(?=!--|!\\[CDATA\\[)(?(?=!-)!(?:-(?!->)[^\\-]*+)*+(?:-->)?|!\\[CDATA\\[[^\\]]*+(?:](?!]>)"
                       "[^\\]]*+)*+(?:]]>)?)|[^>]*>?)",
                       0},
    [RE_OPTION_BEFORE] = {"\\s*<option", 0},
    [RE_OPTION_AFTER] = {"</option>\\s*", 0},
    [RE_OBJECT_OPEN] = {"(<object[^>]*>)\\s*", 0},
    [RE_OBJECT_CLOSE] = {"\\s*</object>", 0},
    [RE_PARAM] = {"\\s*(</?(?:param|embed)[^>]*>)\\s*", 0},
    [RE_AV_OPEN] = {"([<\\[](?:audio|video)[^>\\]]*[>\\]])\\s*", 0},
    [RE_AV_CLOSE] = {"\\s*([<\\[]/(?:audio|video)[>\\]])", 0},
    [RE_SOURCE] = {"\\s*(<(?:source|track)[^>]*>)\\s*", 0},
    [RE_FIGCAPTION_OPEN] = {"\\s*(<figcaption[^>]*>)", 0},
    [RE_FIGCAPTION_CLOSE] = {"</figcaption>\\s*", 0},
    [RE_MANY_NL] = {"\\n\\n+", 0},
    [RE_PARA_SPLIT] = {"\\n\\s*\\n", 0},
    [RE_EMPTY_P] = {"<p>\\s*</p>", 0},
    [RE_P_CLOSE_DIV] = {"<p>([^<]+)</(div|address|form)>", 0},
    [RE_P_WRAPS_BLOCK] = {"<p>\\s*(</?" ALLBLOCKS "[^>]*>)\\s*</p>", 0},
    [RE_P_LI] = {"<p>(<li.+?)</p>", 0},
    [RE_P_BLOCKQUOTE] = {"<p><blockquote([^>]*)>", PCRE2_CASELESS},
    [RE_P_BEFORE_BLOCK] = {"<p>\\s*(</?" ALLBLOCKS "[^>]*>)", 0},
    [RE_BLOCK_BEFORE_P_END] = {"(</?" ALLBLOCKS "[^>]*>)\\s*</p>", 0},
    [RE_PRESERVE] = {"<(script|style|svg|math).*?</\\1>", PCRE2_DOTALL},
    [RE_NL_TO_BR] = {"(?<!<br />)\\s*\\n", 0},
    [RE_BLOCK_BR] = {"(</?" ALLBLOCKS "[^>]*>)\\s*<br />", 0},
    [RE_BR_BLOCK] = {"<br />(\\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", 0},
    [RE_LAST_NL_P] = {"\\n</p>$", 0},
    [RE_CAPTION_SPLIT] = {"((?:<a [^>]+>\\s*)?<img [^>]+>(?:\\s*</a>)?)(.*)", PCRE2_CASELESS | PCRE2_DOTALL},
};

static pcre2_code *re[RE_COUNT];
static int re_failed;
static pthread_once_t re_once = PTHREAD_ONCE_INIT;

static void compile_all(void)
{
    for (int i = 0; i < RE_COUNT; i++) {
        int ec;
        PCRE2_SIZE off;
        re[i] =
            pcre2_compile((PCRE2_SPTR)patterns[i].pattern, PCRE2_ZERO_TERMINATED, patterns[i].flags, &ec, &off, NULL);
        if (re[i] == NULL) {
            PCRE2_UCHAR msg[120];
            pcre2_get_error_message(ec, msg, sizeof(msg));
            fprintf(stderr, "wpautop: pattern %d at %zu: %s\n", i, (size_t)off, (char *)msg);
            re_failed = 1;
            continue;
        }
        pcre2_jit_compile(re[i], PCRE2_JIT_COMPLETE); /* optional: falls back to the interpreter */
    }
}

static int ready(void)
{
    pthread_once(&re_once, compile_all);
    return re_failed ? -EINVAL : 0;
}

/* Work buffers: each step reads `a` and writes `b`, then they swap. */
struct work {
    struct buf a, b;
    pcre2_match_data *md;
};

static void swap(struct work *w)
{
    struct buf t = w->a;
    w->a = w->b;
    w->b = t;
    buf_reset(&w->b);
}

/* preg_replace($re, $repl, a): the replacement may use $1. */
static int sub(struct work *w, enum re which, const char *repl)
{
    struct buf *in = &w->a, *out = &w->b;
    if (in->len == 0)
        return 0;
    PCRE2_SIZE n = in->len + in->len / 4 + 64;
    for (;;) {
        buf_reset(out);
        if ((size_t)n >= out->max)
            return -E2BIG;
        if (out->cap < n + 1) {
            char *p = realloc(out->data, n + 1);
            if (p == NULL)
                return -ENOMEM;
            out->data = p;
            out->cap = n + 1;
        }
        PCRE2_SIZE outlen = out->cap;
        int rc = pcre2_substitute(re[which], (PCRE2_SPTR)in->data, in->len, 0,
                                  PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH, w->md, NULL,
                                  (PCRE2_SPTR)repl, PCRE2_ZERO_TERMINATED, (PCRE2_UCHAR *)out->data, &outlen);
        if (rc == PCRE2_ERROR_NOMEMORY) {
            n = outlen + 1;
            continue;
        }
        if (rc < 0)
            return -EINVAL;
        if (rc == 0) { /* nothing matched: keep a */
            buf_reset(out);
            return 0;
        }
        out->len = outlen;
        out->data[outlen] = '\0';
        swap(w);
        return 0;
    }
}

/* memmem() for the short needles here: the first byte by memchr, then memcmp (glibc's memmem
 * sets up a two-way search on each call, which costs more than the scan of a post). */
static const char *find(const char *h, size_t hn, const char *n, size_t nn)
{
    if (nn == 0)
        return h;
    for (const char *end = h + hn; (size_t)(end - h) >= nn;) {
        const char *p = memchr(h, n[0], (size_t)(end - h) - nn + 1);
        if (p == NULL)
            return NULL;
        if (memcmp(p + 1, n + 1, nn - 1) == 0)
            return p;
        h = p + 1;
    }
    return NULL;
}

/* str_replace($from, $to, a). */
static int replace(struct work *w, const char *from, const char *to)
{
    size_t fn = strlen(from), tn = strlen(to);
    const char *p = w->a.data, *end = w->a.data + w->a.len, *q;
    if (w->a.len == 0 || find(p, w->a.len, from, fn) == NULL)
        return 0;
    while ((q = find(p, (size_t)(end - p), from, fn)) != NULL) {
        buf_append(&w->b, p, (size_t)(q - p));
        buf_append(&w->b, to, tn);
        p = q + fn;
    }
    buf_append(&w->b, p, (size_t)(end - p));
    if (w->b.err)
        return w->b.err;
    swap(w);
    return 0;
}

static int contains(struct work *w, const char *s)
{
    return w->a.len > 0 && find(w->a.data, w->a.len, s, strlen(s)) != NULL;
}

/* The same, ignoring ASCII case (for the expressions compiled PCRE2_CASELESS). */
static int contains_nocase(struct work *w, const char *s)
{
    size_t n = strlen(s);
    for (const char *p = w->a.data, *end = w->a.data + w->a.len; p && (size_t)(end - p) >= n;) {
        if (strncasecmp(p, s, n) == 0 && memchr(p, '\0', n) == NULL)
            return 1;
        p = memchr(p + 1, s[0], (size_t)(end - p - 1));
    }
    return 0;
}

/* For every match of `which`, replace "\n" inside the match by `nl` (wp_replace_in_html_tags and
 * _autop_newline_preservation_helper). */
static int newlines_in_matches(struct work *w, enum re which, const char *nl)
{
    PCRE2_SIZE start = 0;
    size_t nn = strlen(nl);
    int changed = 0;
    const char *s = w->a.data;
    size_t len = w->a.len;
    if (len == 0 || memchr(s, '\n', len) == NULL)
        return 0;
    while (start <= len) {
        int rc = pcre2_match(re[which], (PCRE2_SPTR)s, len, start, 0, w->md, NULL);
        if (rc < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(w->md);
        buf_append(&w->b, s + start, ov[0] - start);
        for (PCRE2_SIZE i = ov[0]; i < ov[1];) {
            const char *q = memchr(s + i, '\n', ov[1] - i);
            size_t run = q ? (size_t)(q - (s + i)) : ov[1] - i;
            buf_append(&w->b, s + i, run);
            i += run;
            if (q) {
                buf_append(&w->b, nl, nn);
                changed = 1;
                i++;
            }
        }
        start = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        if (ov[1] == ov[0] && ov[0] < len)
            buf_putc(&w->b, s[ov[0]]);
    }
    if (start < len)
        buf_append(&w->b, s + start, len - start);
    if (w->b.err)
        return w->b.err;
    if (!changed) {
        buf_reset(&w->b);
        return 0;
    }
    swap(w);
    return 0;
}

/* preg_split('/\n\s*\n/', a, -1, PREG_SPLIT_NO_EMPTY), each piece wrapped in <p>…</p>\n after
 * trim($piece, "\n"). */
static int paragraphs(struct work *w)
{
    const char *s = w->a.data;
    size_t len = w->a.len, start = 0;
    for (;;) {
        size_t end = len, next = len;
        int rc = start < len ? pcre2_match(re[RE_PARA_SPLIT], (PCRE2_SPTR)s, len, start, 0, w->md, NULL) : -1;
        if (rc >= 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(w->md);
            end = ov[0];
            next = ov[1];
        }
        if (end > start) {
            size_t a = start, e = end;
            while (a < e && s[a] == '\n')
                a++;
            while (e > a && s[e - 1] == '\n')
                e--;
            buf_puts(&w->b, "<p>");
            buf_append(&w->b, s + a, e - a);
            buf_puts(&w->b, "</p>\n");
        }
        if (rc < 0)
            break;
        start = next;
    }
    if (w->b.err)
        return w->b.err;
    swap(w);
    return 0;
}

int wpautop(const char *text, size_t len, struct buf *out)
{
    int rc = ready();
    if (rc)
        return rc;
    if (len > WPAUTOP_INPUT_MAX)
        return -E2BIG;
    size_t i = 0;
    while (i < len && strchr(" \t\n\r\v", text[i]) && text[i] != '\0')
        i++;
    if (i == len)
        return 0; /* trim($text) === '' */

    struct work w = {.a = BUF_INIT, .b = BUF_INIT};
    w.a.max = w.b.max = WPAUTOP_INPUT_MAX * 4;
    /* <pre> blocks are set aside and put back at the end: "<pre wp-pre-tag-N></pre>". */
    struct buf pre = BUF_INIT; /* the blocks, each NUL-terminated, in order */
    size_t npre = 0;
    w.md = pcre2_match_data_create(16, NULL);
    if (w.md == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    buf_append(&w.a, text, len);
    buf_putc(&w.a, '\n');

    if (contains(&w, "<pre")) {
        const char *s = w.a.data, *end = w.a.data + w.a.len, *close;
        while ((close = memmem(s, (size_t)(end - s), "</pre>", 6)) != NULL) {
            const char *open = memmem(s, (size_t)(close - s), "<pre", 4);
            if (open == NULL) { /* malformed: keep as is */
                buf_append(&w.b, s, (size_t)(close - s));
                s = close + 6;
                /* explode() drops the delimiter; WordPress loses this </pre> too. */
                continue;
            }
            buf_append(&w.b, s, (size_t)(open - s));
            buf_printf(&w.b, "<pre wp-pre-tag-%zu></pre>", npre++);
            buf_append(&pre, open, (size_t)(close - open));
            buf_append(&pre, "</pre>", 7); /* with its NUL */
            s = close + 6;
        }
        buf_append(&w.b, s, (size_t)(end - s));
        if ((rc = w.b.err ? w.b.err : pre.err))
            goto out;
        swap(&w);
    }

    /* Each expression whose match needs a literal the text lacks is skipped (same result, no scan). */
    if ((contains(&w, "<br") && (rc = sub(&w, RE_BRBR, "\n\n"))) || (rc = sub(&w, RE_BLOCK_OPEN, "\n\n$1")) ||
        (rc = sub(&w, RE_BLOCK_CLOSE, "$1\n\n")) || (contains(&w, "<hr") && (rc = sub(&w, RE_HR, "$1\n\n"))) ||
        (rc = replace(&w, "\r\n", "\n")) || (rc = replace(&w, "\r", "\n")) ||
        (rc = newlines_in_matches(&w, RE_HTML_SPLIT, " <!-- wpnl --> ")))
        goto out;
    if (contains(&w, "<option") &&
        ((rc = sub(&w, RE_OPTION_BEFORE, "<option")) || (rc = sub(&w, RE_OPTION_AFTER, "</option>"))))
        goto out;
    if (contains(&w, "</object>") && ((rc = sub(&w, RE_OBJECT_OPEN, "$1")) ||
                                      (rc = sub(&w, RE_OBJECT_CLOSE, "</object>")) || (rc = sub(&w, RE_PARAM, "$1"))))
        goto out;
    if ((contains(&w, "<source") || contains(&w, "<track")) &&
        ((rc = sub(&w, RE_AV_OPEN, "$1")) || (rc = sub(&w, RE_AV_CLOSE, "$1")) || (rc = sub(&w, RE_SOURCE, "$1"))))
        goto out;
    if (contains(&w, "<figcaption") &&
        ((rc = sub(&w, RE_FIGCAPTION_OPEN, "$1")) || (rc = sub(&w, RE_FIGCAPTION_CLOSE, "</figcaption>"))))
        goto out;
    if ((rc = sub(&w, RE_MANY_NL, "\n\n")) || (rc = paragraphs(&w)) || (rc = sub(&w, RE_EMPTY_P, "")) ||
        ((contains(&w, "</div>") || contains(&w, "</address>") || contains(&w, "</form>")) &&
         (rc = sub(&w, RE_P_CLOSE_DIV, "<p>$1</p></$2>"))) ||
        (rc = sub(&w, RE_P_WRAPS_BLOCK, "$1")) || (contains(&w, "<p><li") && (rc = sub(&w, RE_P_LI, "$1"))) ||
        (contains_nocase(&w, "<p><blockquote") && (rc = sub(&w, RE_P_BLOCKQUOTE, "<blockquote$1><p>"))) ||
        (rc = replace(&w, "</blockquote></p>", "</p></blockquote>")) || (rc = sub(&w, RE_P_BEFORE_BLOCK, "$1")) ||
        (rc = sub(&w, RE_BLOCK_BEFORE_P_END, "$1")))
        goto out;
    /* $br = true */
    if (((contains(&w, "<script") || contains(&w, "<style") || contains(&w, "<svg") || contains(&w, "<math")) &&
         (rc = newlines_in_matches(&w, RE_PRESERVE, "<WPPreserveNewline />"))) ||
        (rc = replace(&w, "<br>", "<br />")) || (rc = replace(&w, "<br/>", "<br />")) ||
        (rc = sub(&w, RE_NL_TO_BR, "<br />\n")) || (rc = replace(&w, "<WPPreserveNewline />", "\n")))
        goto out;
    if ((contains(&w, "<br />") && ((rc = sub(&w, RE_BLOCK_BR, "$1")) || (rc = sub(&w, RE_BR_BLOCK, "$1")))) ||
        (contains(&w, "\n</p>") && (rc = sub(&w, RE_LAST_NL_P, "</p>"))))
        goto out;
    if (npre > 0) {
        const char *block = pre.data;
        for (size_t k = 0; k < npre; k++) {
            char name[64];
            snprintf(name, sizeof(name), "<pre wp-pre-tag-%zu></pre>", k);
            if ((rc = replace(&w, name, block)))
                goto out;
            block += strlen(block) + 1;
        }
    }
    if (contains(&w, "<!-- wpnl -->") &&
        ((rc = replace(&w, " <!-- wpnl --> ", "\n")) || (rc = replace(&w, "<!-- wpnl -->", "\n"))))
        goto out;
    buf_append(out, w.a.data, w.a.len);
    rc = out->err;
out:
    pcre2_match_data_free(w.md);
    buf_free(&w.a);
    buf_free(&w.b);
    buf_free(&pre);
    return rc;
}

/* ---- shortcodes ---- */

#define SHORTCODE_ATTRS_MAX 16

struct attr {
    const char *name, *value;
    size_t nlen, vlen;
};

/* shortcode_parse_atts(), simplified: name="v", name='v', name=v; bare words are ignored. */
static size_t parse_attrs(const char *s, size_t len, struct attr *a, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        while (i < len && strchr(" \t\r\n", s[i]))
            i++;
        size_t ns = i;
        while (i < len && (s[i] == '_' || s[i] == '-' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                           (s[i] >= '0' && s[i] <= '9')))
            i++;
        size_t ne = i;
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (ne == ns || i >= len || s[i] != '=') {
            while (i < len && !strchr(" \t\r\n", s[i]))
                i++; /* a bare word */
            continue;
        }
        i++;
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        size_t vs, ve;
        if (i < len && (s[i] == '"' || s[i] == '\'')) {
            char q = s[i++];
            vs = i;
            while (i < len && s[i] != q)
                i++;
            ve = i;
            if (i < len)
                i++;
        } else {
            vs = i;
            while (i < len && !strchr(" \t\r\n", s[i]))
                i++;
            ve = i;
        }
        a[n++] = (struct attr){s + ns, s + vs, ne - ns, ve - vs};
    }
    return n;
}

static const struct attr *attr_get(const struct attr *a, size_t n, const char *name)
{
    size_t l = strlen(name);
    for (size_t i = 0; i < n; i++)
        if (a[i].nlen == l && strncasecmp(a[i].name, name, l) == 0)
            return &a[i];
    return NULL;
}

static void put_attr_escaped(struct buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&':
            buf_puts(out, "&amp;");
            break;
        case '<':
            buf_puts(out, "&lt;");
            break;
        case '>':
            buf_puts(out, "&gt;");
            break;
        case '"':
            buf_puts(out, "&quot;");
            break;
        default:
            buf_putc(out, s[i]);
        }
    }
}

/* Only letters, digits, '-' and '_' (an id, a class). */
static void put_token(struct buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '-' || s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
            (s[i] >= '0' && s[i] <= '9'))
            buf_putc(out, s[i]);
}

/* img_caption_shortcode(): <figure id class style><img…><figcaption>caption</figcaption></figure>. */
static int caption(const char *atts, size_t alen, const char *body, size_t blen, pcre2_match_data *md, struct buf *out)
{
    struct attr a[SHORTCODE_ATTRS_MAX];
    size_t n = parse_attrs(atts, alen, a, SHORTCODE_ATTRS_MAX);
    const struct attr *cap = attr_get(a, n, "caption"), *id = attr_get(a, n, "id"), *align = attr_get(a, n, "align"),
                      *width = attr_get(a, n, "width"), *cls = attr_get(a, n, "class");
    const char *content = body, *ctext = cap ? cap->value : "";
    size_t clen = blen, ctlen = cap ? cap->vlen : 0;
    if (cap == NULL && pcre2_match(re[RE_CAPTION_SPLIT], (PCRE2_SPTR)body, blen, 0, 0, md, NULL) >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        content = body + ov[2];
        clen = ov[3] - ov[2];
        ctext = body + ov[4];
        ctlen = ov[5] - ov[4];
        while (ctlen > 0 && strchr(" \t\r\n", ctext[0])) {
            ctext++;
            ctlen--;
        }
        while (ctlen > 0 && strchr(" \t\r\n", ctext[ctlen - 1]))
            ctlen--;
    }
    buf_puts(out, "<figure");
    if (id && id->vlen) {
        buf_puts(out, " id=\"");
        put_token(out, id->value, id->vlen);
        buf_putc(out, '"');
    }
    long w = width ? strtol(width->value, NULL, 10) : 0;
    if (w > 0 && w < 100000)
        buf_printf(out, " style=\"width: %ldpx\"", w);
    buf_puts(out, " class=\"wp-caption ");
    if (align && align->vlen)
        put_token(out, align->value, align->vlen);
    else
        buf_puts(out, "alignnone");
    if (cls && cls->vlen) {
        buf_putc(out, ' ');
        put_token(out, cls->value, cls->vlen);
    }
    buf_puts(out, "\">");
    buf_append(out, content, clen);
    if (ctlen > 0) {
        buf_puts(out, "<figcaption class=\"wp-caption-text\">");
        buf_append(out, ctext, ctlen); /* HTML, as WordPress shows it, attribute or body alike */
        buf_puts(out, "</figcaption>");
    }
    buf_puts(out, "</figure>");
    return out->err;
}

/* gallery_shortcode(), degraded: a figure of the known images, linked to their files. */
static int gallery(const char *atts, size_t alen, const struct wpautop_media *media, struct buf *out)
{
    struct attr a[SHORTCODE_ATTRS_MAX];
    size_t n = parse_attrs(atts, alen, a, SHORTCODE_ATTRS_MAX);
    const struct attr *ids = attr_get(a, n, "ids"), *include = attr_get(a, n, "include"),
                      *cols = attr_get(a, n, "columns");
    if (ids == NULL)
        ids = include;
    long c = cols ? strtol(cols->value, NULL, 10) : 3;
    if (c < 1 || c > 9)
        c = 3;
    buf_printf(out, "<figure class=\"gallery gallery-columns-%ld\">", c);
    if (ids && media && media->attachment_url) {
        const char *p = ids->value, *end = ids->value + ids->vlen;
        while (p < end) {
            char *e;
            long long id = strtoll(p, &e, 10);
            if (e == p) {
                p++;
                continue;
            }
            p = e;
            const char *url = media->attachment_url(media->ctx, id);
            if (url == NULL || url[0] == '\0')
                continue;
            buf_puts(out, "<a href=\"");
            put_attr_escaped(out, url, strlen(url));
            buf_puts(out, "\"><img src=\"");
            put_attr_escaped(out, url, strlen(url));
            buf_puts(out, "\" alt=\"\" loading=\"lazy\"></a>");
        }
    }
    buf_puts(out, "</figure>");
    return out->err;
}

/* The name of the shortcode opening at s[0] == '[', or 0: 1 caption, 2 gallery, and where its
 * attributes end (at the closing ']'). */
static int shortcode_at(const char *s, size_t len, size_t *name_len)
{
    static const char *const names[] = {"caption", "wp_caption", "gallery"};
    static const int kinds[] = {1, 1, 2};
    for (int i = 0; i < 3; i++) {
        size_t l = strlen(names[i]);
        if (len > l + 1 && strncmp(s + 1, names[i], l) == 0 && strchr(" \t\r\n]/", s[l + 1])) {
            *name_len = l;
            return kinds[i];
        }
    }
    return 0;
}

int wpautop_shortcodes(const char *text, size_t len, const struct wpautop_media *media, struct buf *out)
{
    int rc = ready();
    if (rc)
        return rc;
    if (len > WPAUTOP_INPUT_MAX)
        return -E2BIG;
    pcre2_match_data *md = NULL;
    size_t i = 0, copied = 0;
    while (i < len) {
        const char *lb = memchr(text + i, '[', len - i);
        if (lb == NULL)
            break;
        i = (size_t)(lb - text);
        size_t nl;
        int kind = shortcode_at(lb, len - i, &nl);
        if (!kind) {
            i++;
            continue;
        }
        const char *close = memchr(lb, ']', len - i);
        if (close == NULL)
            break;
        const char *atts = lb + 1 + nl;
        size_t alen = (size_t)(close - atts);
        int escaped = i > 0 && text[i - 1] == '[';
        const char *body = NULL, *after = close + 1;
        size_t blen = 0;
        if (kind == 1) { /* enclosing: [caption …]…[/caption] */
            char endtag[32];
            snprintf(endtag, sizeof(endtag), "[/%.*s]", (int)nl, lb + 1);
            const char *e = memmem(close + 1, (size_t)(text + len - close - 1), endtag, strlen(endtag));
            if (e == NULL) {
                i++;
                continue;
            }
            body = close + 1;
            blen = (size_t)(e - body);
            after = e + strlen(endtag);
        }
        if (escaped) { /* [[caption]] is the literal text [caption] */
            if (after < text + len && *after == ']') {
                buf_append(out, text + copied, i - 1 - copied);
                buf_append(out, lb, (size_t)(after - lb));
                copied = i = (size_t)(after + 1 - text);
                continue;
            }
        }
        buf_append(out, text + copied, i - copied);
        if (alen > 0 && atts[alen - 1] == '/')
            alen--;
        if (kind == 1) {
            if (md == NULL && (md = pcre2_match_data_create(8, NULL)) == NULL) {
                rc = -ENOMEM;
                goto out;
            }
            if ((rc = caption(atts, alen, body, blen, md, out)))
                goto out;
        } else if ((rc = gallery(atts, alen, media, out))) {
            goto out;
        }
        copied = i = (size_t)(after - text);
    }
    buf_append(out, text + copied, len - copied);
    rc = out->err;
out:
    pcre2_match_data_free(md);
    return rc;
}

/* WordPress skips wpautop for block-editor content (has_blocks()): its markup is complete. */
static int has_blocks(const char *text, size_t len)
{
    return find(text, len, "<!-- wp:", 8) != NULL;
}

int wpautop_render(const char *text, size_t len, const struct wpautop_media *media, struct buf *out)
{
    if (has_blocks(text, len)) {
        if (memchr(text, '[', len) == NULL)
            return buf_append(out, text, len);
        return wpautop_shortcodes(text, len, media, out);
    }
    if (memchr(text, '[', len) == NULL)
        return wpautop(text, len, out);
    struct buf tmp = BUF_INIT;
    tmp.max = WPAUTOP_INPUT_MAX;
    int rc = wpautop_shortcodes(text, len, media, &tmp);
    if (rc == 0)
        rc = wpautop(tmp.data ? tmp.data : "", tmp.len, out);
    buf_free(&tmp);
    return rc;
}
