/* The HTML filter (see sanitize.h): libxml2's HTML parser reads the markup as SAX events, which
 * come balanced (every start has its end, the parser closes what the markup leaves open), and the
 * allowed ones are written out again with our own escaping. The content is parsed inside an
 * opened <html><body>, so that text at its start is not put in a paragraph and </body> inside it
 * ends nothing. */
#include "render/sanitize.h"

#include <errno.h>
#include <libxml/HTMLparser.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "render/html.h"

#define WRAP "<html><body>"
#define STACK_MAX 4096 /* open elements followed; libxml2 stops deeper (at 256) */

/* ---- what may stay ------------------------------------------------------------------------ */

/* Elements of the allow-list and their own attributes (space separated); GLOBAL ones everywhere. */
#define GLOBAL "class id title lang dir"
static const struct allowed {
    const char *name;
    const char *attrs;
} allowed[] = {
    {"a", "href name rel hreflang"},
    {"abbr", ""},
    {"acronym", ""},
    {"address", ""},
    {"article", ""},
    {"aside", ""},
    {"b", ""},
    {"bdi", ""},
    {"bdo", ""},
    {"big", ""},
    {"blockquote", "cite"},
    {"br", ""},
    {"caption", ""},
    {"cite", ""},
    {"code", ""},
    {"col", "span"},
    {"colgroup", "span"},
    {"dd", ""},
    {"del", "cite datetime"},
    {"details", "open"},
    {"dfn", ""},
    {"div", ""},
    {"dl", ""},
    {"dt", ""},
    {"em", ""},
    {"figcaption", ""},
    {"figure", ""},
    {"footer", ""},
    {"h1", ""},
    {"h2", ""},
    {"h3", ""},
    {"h4", ""},
    {"h5", ""},
    {"h6", ""},
    {"header", ""},
    {"hgroup", ""},
    {"hr", ""},
    {"i", ""},
    {"img", "src srcset sizes alt width height loading decoding"},
    {"input", "type checked disabled"}, /* Markdown's task lists: checkboxes only */
    {"ins", "cite datetime"},
    {"kbd", ""},
    {"li", "value"},
    {"mark", ""},
    {"ol", "start reversed type"},
    {"p", ""},
    {"pre", ""},
    {"q", "cite"},
    {"rp", ""},
    {"rt", ""},
    {"ruby", ""},
    {"s", ""},
    {"samp", ""},
    {"section", ""},
    {"small", ""},
    {"span", ""},
    {"strike", ""},
    {"strong", ""},
    {"sub", ""},
    {"summary", ""},
    {"sup", ""},
    {"table", ""},
    {"tbody", ""},
    {"td", "colspan rowspan headers"},
    {"tfoot", ""},
    {"th", "colspan rowspan headers scope abbr"},
    {"thead", ""},
    {"time", "datetime"},
    {"tr", ""},
    {"tt", ""},
    {"u", ""},
    {"ul", ""},
    {"var", ""},
    {"wbr", ""},
};

/* Elements that go with everything inside them when filtered: code, styles, embedded documents,
 * form fields, raw-text elements (whose content a browser reads as text, not markup), and SVG
 * and MathML (other parsing rules). Any other element not allowed leaves its content. */
static const char *const dropped_whole[] = {
    "script",   "style",     "template", "iframe", "frame",    "frameset", "object", "embed",    "applet",
    "noscript", "noembed",   "noframes", "title",  "textarea", "select",   "option", "optgroup", "datalist",
    "xmp",      "plaintext", "listing",  "svg",    "math",     "head",     "meta",   "link",     "base",
    "param",    "audio",     "video",    "source", "track",    "canvas",   "map",    "area",     "portal",
    "picture",  "dialog",    "button",   "keygen", "isindex",  "marquee",  "image",
};

/* Elements with no end tag (HTML5). libxml2 knows only the older ones as empty, and may put what
 * follows one of the others inside it: that content is written after it, as a browser reads it. */
static const char *const void_elements[] = {
    "area",   "base",  "br",  "col",    "embed",    "hr",      "img",   "input", "link",    "meta",    "param",
    "source", "track", "wbr", "keygen", "basefont", "bgsound", "frame", "image", "isindex", "command", "menuitem"};

/* Attributes holding a URL (or a list of them) that a browser may follow or load. */
static const char *const url_attrs[] = {"href",    "src",        "srcset",   "cite",    "action",   "formaction",
                                        "poster",  "background", "longdesc", "data",    "codebase", "classid",
                                        "profile", "manifest",   "ping",     "lowsrc",  "dynsrc",   "xlink:href",
                                        "icon",    "archive",    "usemap",   "itemtype"};

static int in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(list[i], s) == 0)
            return 1;
    return 0;
}
#define IN(list, s) in_list(list, sizeof(list) / sizeof(list[0]), s)

/* 1 when word is one of the space-separated words of list. */
static int in_words(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p != '\0';) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && strncasecmp(p, word, n) == 0)
            return 1;
        p += l + (e != NULL);
    }
    return 0;
}

static const struct allowed *allowed_element(const char *name)
{
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (strcasecmp(allowed[i].name, name) == 0)
            return &allowed[i];
    return NULL;
}

/* ---- URLs --------------------------------------------------------------------------------- */

int html_url_allowed(const char *url, size_t n, int image)
{
    char scheme[16];
    size_t k = 0, i = 0;
    /* a browser ignores leading C0 controls and spaces, and tabs and newlines anywhere */
    while (i < n && (unsigned char)url[i] <= 0x20)
        i++;
    for (; i < n; i++) {
        char c = url[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == ':')
            break;
        if (c == '/' || c == '?' || c == '#')
            return 1; /* relative or fragment: no scheme before the path */
        if (k == sizeof(scheme) - 1)
            return 0; /* no scheme we allow is that long */
        scheme[k++] = c;
    }
    if (i == n)
        return 1; /* no colon: a relative URL */
    scheme[k] = '\0';
    if (strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0 || strcasecmp(scheme, "mailto") == 0)
        return 1;
    if (image && strcasecmp(scheme, "data") == 0) {
        static const char want[] = "image/";
        size_t m = 0;
        for (i++; i < n && m < sizeof(want) - 1; i++) {
            char c = url[i];
            if (c == '\t' || c == '\n' || c == '\r')
                continue;
            if ((c | 0x20) != want[m])
                return 0;
            m++;
        }
        return m == sizeof(want) - 1;
    }
    return 0;
}

/* A srcset or ping value: every URL of the comma- or space-separated list must be allowed. */
static int url_list_allowed(const char *v, size_t n, int image, int srcset)
{
    size_t i = 0;
    while (i < n) {
        while (i < n &&
               (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r' || v[i] == '\f' || (srcset && v[i] == ',')))
            i++;
        size_t start = i;
        while (i < n && v[i] != ' ' && v[i] != '\t' && v[i] != '\n' && v[i] != '\r' && v[i] != '\f')
            i++;
        size_t end = i;
        if (srcset)
            while (end > start && v[end - 1] == ',')
                end--;
        if (end > start && !html_url_allowed(v + start, end - start, image))
            return 0;
        if (srcset) /* the descriptors, up to the next comma */
            while (i < n && v[i] != ',')
                i++;
    }
    return 1;
}

/* The URL of <meta http-equiv="refresh" content="5; url=...">: 1 when allowed (or none). */
static int refresh_allowed(const char *content)
{
    const char *p = strchr(content, ';');
    if (p == NULL)
        p = strchr(content, ',');
    if (p == NULL)
        return 1;
    p++;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (strncasecmp(p, "url", 3) == 0) {
        const char *q = p + 3;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == '=')
            p = q + 1;
    }
    while (*p == ' ' || *p == '\t' || *p == '\'' || *p == '"')
        p++;
    return html_url_allowed(p, strlen(p), 0);
}

/* ---- the parse ------------------------------------------------------------------------------ */

enum open_kind { OPEN_KEPT, OPEN_VOID, OPEN_DROPPED, OPEN_WRAPPER };

/* An open element: what became of it, and its name (the parser's, valid during the parse). */
struct open {
    unsigned char kind;
    const char *name;
};

struct filter {
    enum html_policy policy;
    struct buf *out; /* NULL: only look (the trusted first pass) */
    struct html_removed *removed;
    size_t changes;
    struct open stack[STACK_MAX];
    size_t depth;
    size_t skip_from; /* not 0: inside an element dropped whole, opened at this depth */
    int too_deep;
};

static void note(struct filter *f, const char *what, const char *name)
{
    f->changes++;
    struct html_removed *r = f->removed;
    if (r == NULL)
        return;
    char item[64];
    snprintf(item, sizeof(item), what, name);
    size_t have = strlen(r->names), len = strlen(item);
    if (strstr(r->names, item) != NULL || have + len + 3 >= sizeof(r->names))
        return;
    if (have > 0)
        memcpy(r->names + have, ", ", 2), have += 2;
    memcpy(r->names + have, item, len + 1);
}

/* Writes s[0..n) escaped; quotes too when it is an attribute's value. */
static void put_escaped(struct filter *f, const char *s, size_t n, int attr)
{
    if (attr)
        html_escape(f->out, s, n);
    else
        html_escape_text(f->out, s, n);
}

/* 1 when the attribute name is one a serializer may write as is. */
static int plain_name(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
              *s == '_' || *s == ':' || *s == '.'))
            return 0;
    return 1;
}

static const char *attr_value(const xmlChar **atts, const char *name)
{
    for (size_t i = 0; atts != NULL && atts[i] != NULL; i += 2)
        if (strcasecmp((const char *)atts[i], name) == 0)
            return atts[i + 1] ? (const char *)atts[i + 1] : "";
    return NULL;
}

/* 1 when attribute name=value of element el may stay under the filter's policy. */
static int attr_kept(struct filter *f, const char *el, const struct allowed *a, const char *name, const char *value,
                     const xmlChar **atts)
{
    if (!plain_name(name)) {
        note(f, "a %s attribute", "malformed");
        return 0;
    }
    if (f->policy != HTML_TRUSTED && !in_words(GLOBAL, name) && !in_words(a->attrs, name)) {
        note(f, strncasecmp(name, "on", 2) == 0 ? "%s" : "%s attributes", name);
        return 0;
    }
    if (value == NULL)
        return 1;
    if (IN(url_attrs, name)) {
        int image =
            (strcasecmp(el, "img") == 0 || strcasecmp(el, "source") == 0 || strcasecmp(el, "video") == 0 ||
             strcasecmp(el, "input") == 0) &&
            (strcasecmp(name, "src") == 0 || strcasecmp(name, "srcset") == 0 || strcasecmp(name, "poster") == 0 ||
             strcasecmp(name, "lowsrc") == 0 || strcasecmp(name, "dynsrc") == 0);
        int ok = strcasecmp(name, "srcset") == 0 || strcasecmp(name, "ping") == 0
                     ? url_list_allowed(value, strlen(value), image, strcasecmp(name, "srcset") == 0)
                     : html_url_allowed(value, strlen(value), image);
        if (!ok) {
            note(f, "%s", "a URL of a scheme that is not allowed");
            return 0;
        }
    }
    if (strcasecmp(el, "meta") == 0 && strcasecmp(name, "content") == 0) {
        const char *eq = attr_value(atts, "http-equiv");
        if (eq != NULL && strcasecmp(eq, "refresh") == 0 && !refresh_allowed(value)) {
            note(f, "%s", "a URL of a scheme that is not allowed");
            return 0;
        }
    }
    if (f->policy != HTML_TRUSTED && strcasecmp(el, "input") == 0 && strcasecmp(name, "type") == 0 &&
        strcasecmp(value, "checkbox") != 0)
        return 0;
    return 1;
}

static void on_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
    struct filter *f = ((xmlParserCtxtPtr)ctx)->_private;
    const char *name = (const char *)xname;
    if (f->depth == STACK_MAX) {
        f->too_deep = 1;
        xmlStopParser(ctx);
        return;
    }
    f->stack[f->depth].name = name;
    unsigned char *kind = &f->stack[f->depth++].kind;
    if (f->skip_from) {
        *kind = OPEN_DROPPED;
        return;
    }
    if (strcasecmp(name, "html") == 0 || strcasecmp(name, "body") == 0) {
        *kind = OPEN_WRAPPER;
        return;
    }
    const struct allowed *a = NULL;
    if (f->policy != HTML_TRUSTED) {
        a = allowed_element(name);
        const char *type = attr_value(atts, "type");
        if (a != NULL && strcasecmp(name, "input") == 0 && (type == NULL || strcasecmp(type, "checkbox") != 0))
            a = NULL;
        if (a == NULL) {
            *kind = OPEN_DROPPED;
            note(f, "<%s>", plain_name(name) ? name : "?");
            if (IN(dropped_whole, name) && !IN(void_elements, name)) /* a void one holds what follows it */
                f->skip_from = f->depth;
            return;
        }
        name = a->name;
    } else if (!plain_name(name)) {
        *kind = OPEN_DROPPED;
        return;
    }
    *kind = IN(void_elements, name) ? OPEN_VOID : OPEN_KEPT;
    if (f->out)
        buf_printf(f->out, "<%s", name);
    for (size_t i = 0; atts != NULL && atts[i] != NULL; i += 2) {
        const char *an = (const char *)atts[i], *av = (const char *)atts[i + 1];
        if (!attr_kept(f, name, a, an, av, atts) || f->out == NULL)
            continue;
        buf_printf(f->out, " %s", an);
        if (av != NULL) {
            buf_puts(f->out, "=\"");
            put_escaped(f, av, strlen(av), 1);
            buf_putc(f->out, '"');
        }
    }
    if (f->out)
        buf_putc(f->out, '>');
}

/* Closes the innermost open element. */
static void close_one(struct filter *f)
{
    struct open *o = &f->stack[--f->depth];
    if (f->skip_from && f->depth < f->skip_from)
        f->skip_from = 0;
    if (o->kind != OPEN_KEPT || f->out == NULL)
        return;
    const struct allowed *a = f->policy != HTML_TRUSTED ? allowed_element(o->name) : NULL;
    buf_printf(f->out, "</%s>", a ? a->name : o->name);
}

/* An end: closes that element and what is open inside it; an end of nothing open is ignored. The
 * output stays balanced even where the parser's events are not. */
static void on_end(void *ctx, const xmlChar *xname)
{
    struct filter *f = ((xmlParserCtxtPtr)ctx)->_private;
    const char *name = (const char *)xname;
    size_t k = f->depth;
    while (k > 0 && strcasecmp(f->stack[k - 1].name, name) != 0)
        k--;
    if (k == 0)
        return;
    while (f->depth >= k)
        close_one(f);
}

static void on_text(void *ctx, const xmlChar *s, int n)
{
    struct filter *f = ((xmlParserCtxtPtr)ctx)->_private;
    if (!f->skip_from && f->out)
        put_escaped(f, (const char *)s, (size_t)n, 0);
}

/* The content of script and style (trusted only: filtered, both go whole). */
static void on_cdata(void *ctx, const xmlChar *s, int n)
{
    struct filter *f = ((xmlParserCtxtPtr)ctx)->_private;
    if (f->skip_from || f->out == NULL)
        return;
    if (f->policy == HTML_TRUSTED)
        buf_append(f->out, s, (size_t)n);
    else
        put_escaped(f, (const char *)s, (size_t)n, 0);
}

/* 1 when a browser cannot read the comment <!--s--> as ending anywhere but at its end: no < or >
 * in it, and no dash next to its delimiters. */
static int harmless_comment(const char *s)
{
    size_t n = strlen(s);
    return strpbrk(s, "<>") == NULL && (n == 0 || (s[0] != '-' && s[n - 1] != '-'));
}

static void on_comment(void *ctx, const xmlChar *s)
{
    struct filter *f = ((xmlParserCtxtPtr)ctx)->_private;
    if (f->skip_from)
        return;
    if (f->policy == HTML_FILTERED || (f->policy == HTML_FILTERED_SOURCE && !harmless_comment((const char *)s)))
        f->changes++; /* a comment shows nothing: not worth a word in the summary */
    else if (f->out)
        buf_printf(f->out, "<!--%s-->", (const char *)s);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    struct filter *f = ((xmlParserCtxtPtr)ctx)->_private;
    if (f->skip_from)
        return;
    if (f->policy != HTML_TRUSTED)
        note(f, "%s", "processing instructions");
    else if (f->out)
        buf_printf(f->out, "<?%s%s%s>", (const char *)target, data ? " " : "", data ? (const char *)data : "");
}

static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Parses the wrapped input, writing to out (NULL: only looking) what policy keeps; *changes gets
 * how many things the policy takes out. 0, -E2BIG when too deep, -ENOMEM. */
static int run(const char *wrapped, size_t n, enum html_policy policy, struct buf *out, struct html_removed *removed,
               size_t *changes)
{
    struct filter fs, *f = &fs; /* the stack of open elements is written before it is read: not cleared */
    f->policy = policy;
    f->out = out;
    f->removed = removed;
    f->changes = 0;
    f->depth = 0;
    f->skip_from = 0;
    f->too_deep = 0;
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof(sax));
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_text;
    sax.ignorableWhitespace = on_text;
    sax.cdataBlock = on_cdata;
    sax.comment = on_comment;
    sax.processingInstruction = on_pi;
    sax.warning = quiet;
    sax.error = quiet;
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (ctxt == NULL)
        return -ENOMEM;
    memcpy(ctxt->sax, &sax, sizeof(sax));
    ctxt->_private = f;
    xmlDocPtr doc = htmlCtxtReadMemory(ctxt, wrapped, (int)n, NULL, "UTF-8",
                                       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                           HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD);
    int deep = ctxt->errNo == XML_ERR_INTERNAL_ERROR;
    while (f->depth > 0) /* what the parse left open, while the names are alive */
        close_one(f);
    xmlFreeDoc(doc);
    htmlFreeParserCtxt(ctxt);
    *changes = f->changes;
    return f->too_deep || deep ? -E2BIG : 0;
}

/* 1 when s[0..n) is valid UTF-8 without NUL bytes. */
static int clean_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint64_t w;
        if (i + 8 <= n) { /* eight ASCII bytes, none of them NUL, at a time */
            memcpy(&w, s + i, 8);
            if ((w & 0x8080808080808080ULL) == 0 && ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned char c = s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (c == 0 || len == 0 || i + len > n || (len == 2 && c < 0xC2))
            return 0;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
        if ((len == 3 && c == 0xE0 && s[i + 1] < 0xA0) || (len == 3 && c == 0xED && s[i + 1] >= 0xA0) ||
            (len == 4 && c == 0xF0 && s[i + 1] < 0x90) || (len == 4 && (c > 0xF4 || (c == 0xF4 && s[i + 1] >= 0x90))))
            return 0;
        i += len;
    }
    return 1;
}

int html_sanitize(const char *html, size_t n, enum html_policy policy, struct buf *out, struct html_removed *removed)
{
    struct buf in = BUF_INIT, tmp = BUF_INIT;
    size_t changes = 0;
    int ret;
    if (removed != NULL)
        memset(removed, 0, sizeof(*removed));
    if (n > HTML_SANITIZE_MAX)
        return -E2BIG;
    in.max = HTML_SANITIZE_MAX + sizeof(WRAP) + 16;
    buf_puts(&in, WRAP);
    if (clean_utf8((const unsigned char *)html, n))
        buf_append(&in, html, n);
    else
        html_clean(&in, html, n); /* what a browser would show: U+FFFD for broken sequences */
    if ((ret = in.err) < 0)
        goto out;
    if (policy == HTML_TRUSTED) { /* look first: most HTML has nothing to take out */
        if ((ret = run(in.data, in.len, policy, NULL, NULL, &changes)) < 0)
            goto out;
        if (changes == 0) {
            ret = buf_append(out, n ? html : "", n);
            goto out;
        }
    }
    tmp.max = out->max;
    if ((ret = run(in.data, in.len, policy, &tmp, removed, &changes)) < 0)
        goto out;
    if (removed != NULL)
        removed->count = changes;
    ret = tmp.err ? tmp.err : buf_append(out, tmp.data ? tmp.data : "", tmp.len);
out:
    buf_free(&in);
    buf_free(&tmp);
    return ret;
}
