/* The streaming WXR reader (see wxr.h). libxml2's SAX2 push parser is fed the file in blocks (no
 * tree is built); a small state machine knows whether it is in the channel, an author, a term, an
 * item, a postmeta or a comment, and text under a known field element is gathered into that
 * field's buffer. Records are handed to the callbacks as soon as they are complete and their
 * buffers reused, so memory is bounded by the largest record, itself capped by WXR_FIELD_MAX and
 * WXR_ITEM_MAX. Text is taken as xmlTextReader would give it: a run of character data that is
 * only blanks (between tags) is dropped, CDATA is kept whole, entities are not expanded. */
#include "import/wxr.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcntl.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "lib/buf.h"

enum ns { NS_NONE, NS_WP, NS_EXCERPT, NS_CONTENT, NS_DC, NS_OTHER };

/* Where the reader is: each state is an element whose direct children are fields. */
enum state { S_TOP, S_RSS, S_CHANNEL, S_AUTHOR, S_TERM, S_ITEM, S_POSTMETA, S_COMMENT, S_NSTATES };

enum slot {
    CH_TITLE,
    CH_LINK,
    CH_DESCRIPTION,
    CH_LANGUAGE,
    CH_WXR_VERSION,
    CH_BASE_SITE_URL,
    CH_BASE_BLOG_URL,
    AU_ID,
    AU_LOGIN,
    AU_EMAIL,
    AU_DISPLAY,
    AU_FIRST,
    AU_LAST,
    TE_ID,
    TE_TAXONOMY,
    TE_SLUG,
    TE_NAME,
    TE_DESCRIPTION,
    TE_PARENT,
    IT_TITLE,
    IT_LINK,
    IT_PUBDATE,
    IT_CREATOR,
    IT_GUID,
    IT_DESCRIPTION,
    IT_CONTENT,
    IT_EXCERPT,
    IT_ID,
    IT_DATE,
    IT_DATE_GMT,
    IT_MODIFIED,
    IT_MODIFIED_GMT,
    IT_COMMENT_STATUS,
    IT_PING_STATUS,
    IT_NAME,
    IT_STATUS,
    IT_PARENT,
    IT_MENU_ORDER,
    IT_TYPE,
    IT_PASSWORD,
    IT_STICKY,
    IT_ATTACHMENT_URL,
    IT_THUMBNAIL,
    IT_ATTACHED_FILE,
    IT_ATTACHMENT_ALT,
    PM_KEY,
    PM_VALUE,
    CO_ID,
    CO_AUTHOR,
    CO_EMAIL,
    CO_URL,
    CO_IP,
    CO_DATE,
    CO_DATE_GMT,
    CO_CONTENT,
    CO_APPROVED,
    CO_TYPE,
    CO_PARENT,
    CO_USER_ID,
    NSLOTS,
    SLOT_ITEM_TERM = NSLOTS, /* the text of an item's <category> */
};

static const struct field {
    enum state state;
    enum ns ns;
    const char *name;
    enum slot slot;
} fields[] = {
    {S_CHANNEL, NS_NONE, "title", CH_TITLE},
    {S_CHANNEL, NS_NONE, "link", CH_LINK},
    {S_CHANNEL, NS_NONE, "description", CH_DESCRIPTION},
    {S_CHANNEL, NS_NONE, "language", CH_LANGUAGE},
    {S_CHANNEL, NS_WP, "wxr_version", CH_WXR_VERSION},
    {S_CHANNEL, NS_WP, "base_site_url", CH_BASE_SITE_URL},
    {S_CHANNEL, NS_WP, "base_blog_url", CH_BASE_BLOG_URL},
    {S_AUTHOR, NS_WP, "author_id", AU_ID},
    {S_AUTHOR, NS_WP, "author_login", AU_LOGIN},
    {S_AUTHOR, NS_WP, "author_email", AU_EMAIL},
    {S_AUTHOR, NS_WP, "author_display_name", AU_DISPLAY},
    {S_AUTHOR, NS_WP, "author_first_name", AU_FIRST},
    {S_AUTHOR, NS_WP, "author_last_name", AU_LAST},
    {S_TERM, NS_WP, "term_id", TE_ID},
    {S_TERM, NS_WP, "term_taxonomy", TE_TAXONOMY},
    {S_TERM, NS_WP, "category_nicename", TE_SLUG},
    {S_TERM, NS_WP, "tag_slug", TE_SLUG},
    {S_TERM, NS_WP, "term_slug", TE_SLUG},
    {S_TERM, NS_WP, "cat_name", TE_NAME},
    {S_TERM, NS_WP, "tag_name", TE_NAME},
    {S_TERM, NS_WP, "term_name", TE_NAME},
    {S_TERM, NS_WP, "category_description", TE_DESCRIPTION},
    {S_TERM, NS_WP, "tag_description", TE_DESCRIPTION},
    {S_TERM, NS_WP, "term_description", TE_DESCRIPTION},
    {S_TERM, NS_WP, "category_parent", TE_PARENT},
    {S_TERM, NS_WP, "term_parent", TE_PARENT},
    {S_ITEM, NS_NONE, "title", IT_TITLE},
    {S_ITEM, NS_NONE, "link", IT_LINK},
    {S_ITEM, NS_NONE, "pubDate", IT_PUBDATE},
    {S_ITEM, NS_DC, "creator", IT_CREATOR},
    {S_ITEM, NS_NONE, "guid", IT_GUID},
    {S_ITEM, NS_NONE, "description", IT_DESCRIPTION},
    {S_ITEM, NS_CONTENT, "encoded", IT_CONTENT},
    {S_ITEM, NS_EXCERPT, "encoded", IT_EXCERPT},
    {S_ITEM, NS_WP, "post_id", IT_ID},
    {S_ITEM, NS_WP, "post_date", IT_DATE},
    {S_ITEM, NS_WP, "post_date_gmt", IT_DATE_GMT},
    {S_ITEM, NS_WP, "post_modified", IT_MODIFIED},
    {S_ITEM, NS_WP, "post_modified_gmt", IT_MODIFIED_GMT},
    {S_ITEM, NS_WP, "comment_status", IT_COMMENT_STATUS},
    {S_ITEM, NS_WP, "ping_status", IT_PING_STATUS},
    {S_ITEM, NS_WP, "post_name", IT_NAME},
    {S_ITEM, NS_WP, "status", IT_STATUS},
    {S_ITEM, NS_WP, "post_parent", IT_PARENT},
    {S_ITEM, NS_WP, "menu_order", IT_MENU_ORDER},
    {S_ITEM, NS_WP, "post_type", IT_TYPE},
    {S_ITEM, NS_WP, "post_password", IT_PASSWORD},
    {S_ITEM, NS_WP, "is_sticky", IT_STICKY},
    {S_ITEM, NS_WP, "attachment_url", IT_ATTACHMENT_URL},
    {S_POSTMETA, NS_WP, "meta_key", PM_KEY},
    {S_POSTMETA, NS_WP, "meta_value", PM_VALUE},
    {S_COMMENT, NS_WP, "comment_id", CO_ID},
    {S_COMMENT, NS_WP, "comment_author", CO_AUTHOR},
    {S_COMMENT, NS_WP, "comment_author_email", CO_EMAIL},
    {S_COMMENT, NS_WP, "comment_author_url", CO_URL},
    {S_COMMENT, NS_WP, "comment_author_IP", CO_IP},
    {S_COMMENT, NS_WP, "comment_date", CO_DATE},
    {S_COMMENT, NS_WP, "comment_date_gmt", CO_DATE_GMT},
    {S_COMMENT, NS_WP, "comment_content", CO_CONTENT},
    {S_COMMENT, NS_WP, "comment_approved", CO_APPROVED},
    {S_COMMENT, NS_WP, "comment_type", CO_TYPE},
    {S_COMMENT, NS_WP, "comment_parent", CO_PARENT},
    {S_COMMENT, NS_WP, "comment_user_id", CO_USER_ID},
};

/* The first and last slot of each record, for resetting. */
static const struct {
    enum slot first, last;
} record_slots[S_NSTATES] = {
    [S_CHANNEL] = {CH_TITLE, CH_BASE_BLOG_URL}, [S_AUTHOR] = {AU_ID, AU_LAST},     [S_TERM] = {TE_ID, TE_PARENT},
    [S_ITEM] = {IT_TITLE, IT_ATTACHMENT_ALT},   [S_POSTMETA] = {PM_KEY, PM_VALUE}, [S_COMMENT] = {CO_ID, CO_USER_ID},
};

struct nscache {
    const xmlChar *uri;
    enum ns ns;
};

#define WXR_READ_BLOCK 65536 /* bytes handed to the parser at a time */
#define FIELD_MEMO 64        /* remembered (element name, state, namespace) -> field lookups */

struct field_memo {
    const char *name;
    enum state state;
    enum ns ns;
    int field; /* index in fields[], or -1 */
    char copy[32];
};

struct reader {
    xmlParserCtxtPtr ctxt;
    int rc;    /* the first error of a callback: the parse stops */
    int depth; /* depth of the next element, as xmlTextReaderDepth counts (the root is 0) */
    /* the element being started */
    const xmlChar *name, *uri;
    const xmlChar **attrs;
    int nattrs;
    /* the run of character data being gathered (one text node of a tree) */
    int in_text, text_blank;
    struct buf *text_buf;
    size_t *text_total;
    size_t text_start;
    const struct wxr_handler *h;
    struct wxr_error *err;
    int xml_failed; /* libxml2 reported an error (err holds the first) */
    int truncated;  /* ... and it was the end of a file whose elements are still open */
    const char *path;
    const char *data; /* or the bytes in memory */
    size_t len;

    enum state stack[S_NSTATES + 2];
    int depths[S_NSTATES + 2]; /* element depth of each open state */
    int top;                   /* index of the current state */
    enum term_kind_local { TK_CATEGORY, TK_TAG, TK_TERM } term_kind;

    int field_slot;  /* slot receiving text, or -1 */
    int field_depth; /* depth of the field element */
    int skip_depth;  /* inside an element being ignored whole, or -1 */

    struct buf slot[NSLOTS];
    size_t item_bytes;   /* bytes gathered for the current item (fields, terms) */
    size_t record_bytes; /* the same for the current comment or other record */

    /* The item's <category> elements: "domain\0nicename\0name\0" each, offsets in term_off. */
    struct buf terms;
    size_t (*term_off)[3];
    size_t nterms, terms_cap;
    struct wxr_item_term *term_view;

    int channel_done;
    int item_done; /* the current item has been handed over */
    struct wxr_item item;

    struct nscache nsc[8];
    size_t nnsc;
    struct field_memo memo[FIELD_MEMO];
};

static void set_error(struct reader *r, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void set_error(struct reader *r, int line, int col, const char *fmt, ...)
{
    if (r->err == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    r->err->line = line;
    r->err->column = col;
    vsnprintf(r->err->message, sizeof(r->err->message), fmt, ap);
    va_end(ap);
}

static void here_error(struct reader *r, const char *fmt, const char *what)
{
    set_error(r, xmlSAX2GetLineNumber(r->ctxt), xmlSAX2GetColumnNumber(r->ctxt), fmt, what);
}

static void on_xml_error(void *arg, xmlErrorPtr e)
{
    xmlParserCtxtPtr c = arg;
    struct reader *r = c ? c->_private : NULL;
    if (r == NULL)
        return;
    if (e == NULL || e->level < XML_ERR_ERROR || r->xml_failed)
        return;
    r->xml_failed = 1;
    char msg[WXR_ERROR_MAX];
    snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "not well-formed");
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    if (e->code == XML_ERR_DOCUMENT_END && r->top > 0) {
        /* The streaming parser calls a truncated file "extra content"; say what is wrong. */
        static const char *const names[S_NSTATES] = {
            [S_RSS] = "rss",   [S_CHANNEL] = "channel",      [S_AUTHOR] = "wp:author",  [S_TERM] = "term",
            [S_ITEM] = "item", [S_POSTMETA] = "wp:postmeta", [S_COMMENT] = "wp:comment"};
        set_error(r, e->line, e->int2, "premature end of data: <%s> is not closed", names[r->stack[r->top]]);
        r->truncated = 1;
        return;
    }
    set_error(r, e->line, e->int2, "%s", msg);
}

/* https?://wordpress.org/export/1.N/ and its excerpt/ sibling, whatever N is. */
static enum ns classify_uri(const char *u)
{
    if (u == NULL || u[0] == '\0')
        return NS_NONE;
    if (strcmp(u, "http://purl.org/rss/1.0/modules/content/") == 0 ||
        strcmp(u, "https://purl.org/rss/1.0/modules/content/") == 0)
        return NS_CONTENT;
    if (strcmp(u, "http://purl.org/dc/elements/1.1/") == 0 || strcmp(u, "https://purl.org/dc/elements/1.1/") == 0)
        return NS_DC;
    const char *p = u;
    if (strncmp(p, "http://", 7) == 0)
        p += 7;
    else if (strncmp(p, "https://", 8) == 0)
        p += 8;
    else
        return NS_OTHER;
    if (strncmp(p, "wordpress.org/export/1.", 23) != 0)
        return NS_OTHER;
    p += 23;
    if (*p < '0' || *p > '9')
        return NS_OTHER;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '\0' || strcmp(p, "/") == 0)
        return NS_WP;
    if (strcmp(p, "/excerpt/") == 0 || strcmp(p, "/excerpt") == 0)
        return NS_EXCERPT;
    return NS_OTHER;
}

/* Namespace URIs come from libxml2's dictionary, so a pointer seen before has the same class. */
static enum ns node_ns(struct reader *r)
{
    const xmlChar *u = r->uri;
    if (u == NULL)
        return NS_NONE;
    for (size_t i = 0; i < r->nnsc; i++)
        if (r->nsc[i].uri == u)
            return r->nsc[i].ns;
    enum ns ns = classify_uri((const char *)u);
    if (r->nnsc < sizeof(r->nsc) / sizeof(r->nsc[0]))
        r->nsc[r->nnsc++] = (struct nscache){u, ns};
    return ns;
}

static const char *sv(struct reader *r, enum slot s)
{
    return r->slot[s].data ? r->slot[s].data : "";
}

static long long num(struct reader *r, enum slot s)
{
    const char *p = sv(r, s);
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return strtoll(p, NULL, 10);
}

static void reset_record(struct reader *r, enum state st)
{
    for (int s = record_slots[st].first; s <= (int)record_slots[st].last; s++)
        buf_reset(&r->slot[s]);
    if (st == S_ITEM) {
        buf_reset(&r->terms);
        r->nterms = 0;
        r->item_bytes = 0;
        r->item_done = 0;
    } else if (st != S_POSTMETA) {
        r->record_bytes = 0;
    }
}

/* Values such as ids, statuses and slugs lose surrounding blanks; text fields keep theirs. */
static void trim_slot(struct reader *r, enum slot s)
{
    struct buf *b = &r->slot[s];
    if (b->data == NULL || b->len == 0)
        return;
    size_t a = 0, e = b->len;
    while (a < e && strchr(" \t\r\n", b->data[a]))
        a++;
    while (e > a && strchr(" \t\r\n", b->data[e - 1]))
        e--;
    if (a > 0)
        memmove(b->data, b->data + a, e - a);
    b->len = e - a;
    b->data[b->len] = '\0';
}

static int emit_channel(struct reader *r)
{
    if (r->channel_done)
        return 0;
    r->channel_done = 1;
    for (int s = CH_WXR_VERSION; s <= CH_BASE_BLOG_URL; s++)
        trim_slot(r, s);
    if (sv(r, CH_WXR_VERSION)[0] == '\0') {
        here_error(r, "%s", "not a WordPress export: the channel has no wp:wxr_version");
        return -EBADMSG;
    }
    if (r->h->on_channel == NULL)
        return 0;
    struct wxr_channel ch = {
        .title = sv(r, CH_TITLE),
        .link = sv(r, CH_LINK),
        .description = sv(r, CH_DESCRIPTION),
        .language = sv(r, CH_LANGUAGE),
        .wxr_version = sv(r, CH_WXR_VERSION),
        .base_site_url = sv(r, CH_BASE_SITE_URL),
        .base_blog_url = sv(r, CH_BASE_BLOG_URL),
    };
    return r->h->on_channel(r->h->ctx, &ch);
}

static int emit_author(struct reader *r)
{
    for (int s = AU_ID; s <= AU_EMAIL; s++)
        trim_slot(r, s);
    if (r->h->on_author == NULL)
        return 0;
    struct wxr_author a = {
        .id = num(r, AU_ID),
        .login = sv(r, AU_LOGIN),
        .email = sv(r, AU_EMAIL),
        .display_name = sv(r, AU_DISPLAY),
        .first_name = sv(r, AU_FIRST),
        .last_name = sv(r, AU_LAST),
    };
    return r->h->on_author(r->h->ctx, &a);
}

static int emit_term(struct reader *r)
{
    trim_slot(r, TE_ID);
    trim_slot(r, TE_TAXONOMY);
    trim_slot(r, TE_SLUG);
    trim_slot(r, TE_PARENT);
    if (r->h->on_term == NULL)
        return 0;
    struct wxr_term t = {
        .id = num(r, TE_ID),
        .slug = sv(r, TE_SLUG),
        .name = sv(r, TE_NAME),
        .description = sv(r, TE_DESCRIPTION),
        .parent = sv(r, TE_PARENT),
    };
    switch (r->term_kind) {
    case TK_CATEGORY:
        t.kind = WXR_CATEGORY;
        t.taxonomy = "category";
        break;
    case TK_TAG:
        t.kind = WXR_TAG;
        t.taxonomy = "post_tag";
        break;
    default:
        t.kind = WXR_TERM;
        t.taxonomy = sv(r, TE_TAXONOMY);
    }
    return r->h->on_term(r->h->ctx, &t);
}

static int emit_item(struct reader *r)
{
    if (r->item_done)
        return 0;
    r->item_done = 1;
    static const enum slot trimmed[] = {
        IT_ID,   IT_DATE,    IT_DATE_GMT,  IT_MODIFIED,      IT_MODIFIED_GMT,   IT_COMMENT_STATUS, IT_PING_STATUS,
        IT_NAME, IT_STATUS,  IT_TYPE,      IT_PASSWORD,      IT_STICKY,         IT_ATTACHMENT_URL, IT_LINK,
        IT_GUID, IT_CREATOR, IT_THUMBNAIL, IT_ATTACHED_FILE, IT_ATTACHMENT_ALT, IT_PUBDATE};
    for (size_t i = 0; i < sizeof(trimmed) / sizeof(trimmed[0]); i++)
        trim_slot(r, trimmed[i]);
    if (r->nterms > 0) {
        struct wxr_item_term *v = realloc(r->term_view, r->nterms * sizeof(*v));
        if (v == NULL)
            return -ENOMEM;
        r->term_view = v;
        for (size_t i = 0; i < r->nterms; i++) {
            v[i].domain = r->terms.data + r->term_off[i][0];
            v[i].nicename = r->terms.data + r->term_off[i][1];
            v[i].name = r->terms.data + r->term_off[i][2];
        }
    }
    r->item = (struct wxr_item){
        .title = sv(r, IT_TITLE),
        .link = sv(r, IT_LINK),
        .pub_date = sv(r, IT_PUBDATE),
        .creator = sv(r, IT_CREATOR),
        .guid = sv(r, IT_GUID),
        .description = sv(r, IT_DESCRIPTION),
        .content = sv(r, IT_CONTENT),
        .content_len = r->slot[IT_CONTENT].len,
        .excerpt = sv(r, IT_EXCERPT),
        .excerpt_len = r->slot[IT_EXCERPT].len,
        .id = num(r, IT_ID),
        .post_date = sv(r, IT_DATE),
        .post_date_gmt = sv(r, IT_DATE_GMT),
        .post_modified = sv(r, IT_MODIFIED),
        .post_modified_gmt = sv(r, IT_MODIFIED_GMT),
        .comment_status = sv(r, IT_COMMENT_STATUS),
        .ping_status = sv(r, IT_PING_STATUS),
        .post_name = sv(r, IT_NAME),
        .status = sv(r, IT_STATUS),
        .post_type = sv(r, IT_TYPE),
        .post_password = sv(r, IT_PASSWORD),
        .parent = num(r, IT_PARENT),
        .menu_order = num(r, IT_MENU_ORDER),
        .sticky = num(r, IT_STICKY) != 0,
        .attachment_url = sv(r, IT_ATTACHMENT_URL),
        .thumbnail_id = sv(r, IT_THUMBNAIL),
        .attached_file = sv(r, IT_ATTACHED_FILE),
        .attachment_alt = sv(r, IT_ATTACHMENT_ALT),
        .terms = r->nterms ? r->term_view : NULL,
        .nterms = r->nterms,
    };
    if (r->h->on_item == NULL)
        return 0;
    return r->h->on_item(r->h->ctx, &r->item);
}

static int emit_comment(struct reader *r)
{
    static const enum slot trimmed[] = {CO_ID,       CO_EMAIL,    CO_URL,  CO_IP,     CO_DATE,
                                        CO_DATE_GMT, CO_APPROVED, CO_TYPE, CO_PARENT, CO_USER_ID};
    for (size_t i = 0; i < sizeof(trimmed) / sizeof(trimmed[0]); i++)
        trim_slot(r, trimmed[i]);
    if (r->h->on_comment == NULL)
        return 0;
    struct wxr_comment c = {
        .id = num(r, CO_ID),
        .parent = num(r, CO_PARENT),
        .user_id = num(r, CO_USER_ID),
        .author = sv(r, CO_AUTHOR),
        .author_email = sv(r, CO_EMAIL),
        .author_url = sv(r, CO_URL),
        .author_ip = sv(r, CO_IP),
        .date = sv(r, CO_DATE),
        .date_gmt = sv(r, CO_DATE_GMT),
        .content = sv(r, CO_CONTENT),
        .approved = sv(r, CO_APPROVED),
        .type = sv(r, CO_TYPE),
    };
    return r->h->on_comment(r->h->ctx, &r->item, &c);
}

/* A postmeta's key and value are known: keep the few the import uses. */
static int end_postmeta(struct reader *r)
{
    trim_slot(r, PM_KEY);
    enum slot to;
    if (strcmp(sv(r, PM_KEY), "_thumbnail_id") == 0)
        to = IT_THUMBNAIL;
    else if (strcmp(sv(r, PM_KEY), "_wp_attached_file") == 0)
        to = IT_ATTACHED_FILE;
    else if (strcmp(sv(r, PM_KEY), "_wp_attachment_image_alt") == 0)
        to = IT_ATTACHMENT_ALT;
    else
        return 0;
    if (r->item_done)
        return 0;
    buf_reset(&r->slot[to]);
    r->slot[to].max = WXR_FIELD_MAX;
    buf_append(&r->slot[to], r->slot[PM_VALUE].data ? r->slot[PM_VALUE].data : "", r->slot[PM_VALUE].len);
    r->item_bytes += r->slot[PM_VALUE].len;
    return r->slot[to].err;
}

static void push(struct reader *r, enum state st, int depth)
{
    r->stack[++r->top] = st;
    r->depths[r->top] = depth;
    if (st != S_TOP && st != S_RSS)
        reset_record(r, st);
}

/* The value of the element's attribute name (no namespace), as xmlTextReaderGetAttribute gives
 * it: the parser leaves "&#38;" and references to declared entities for a tree to resolve. */
static void put_attribute(struct reader *r, const char *name, struct buf *out)
{
    for (int i = 0; i < r->nattrs; i++) {
        const xmlChar **a = r->attrs + 5 * i; /* localname, prefix, URI, value, end */
        if (a[2] != NULL || strcmp((const char *)a[0], name) != 0)
            continue;
        size_t n = (size_t)(a[4] - a[3]);
        if (memchr(a[3], '&', n) == NULL) {
            buf_append(out, a[3], n);
            return;
        }
        xmlChar *v = xmlStringLenDecodeEntities(r->ctxt, a[3], (int)n, XML_SUBSTITUTE_REF, 0, 0, 0);
        if (v)
            buf_puts(out, (const char *)v);
        xmlFree(v);
        return;
    }
}

static int begin_item_term(struct reader *r)
{
    if (r->item_done)
        return 1; /* ignored: after the comments */
    if (r->nterms >= WXR_ITEM_TERMS_MAX) {
        here_error(r, "an item has more than %s <category> elements", "1024");
        return -E2BIG;
    }
    if (r->nterms == r->terms_cap) {
        size_t cap = r->terms_cap ? r->terms_cap * 2 : 16;
        void *p = realloc(r->term_off, cap * sizeof(*r->term_off));
        if (p == NULL)
            return -ENOMEM;
        r->term_off = p;
        r->terms_cap = cap;
    }
    r->terms.max = WXR_ITEM_MAX;
    static const char *const attrs[2] = {"domain", "nicename"};
    for (int i = 0; i < 2; i++) {
        r->term_off[r->nterms][i] = r->terms.len;
        put_attribute(r, attrs[i], &r->terms);
        buf_putc(&r->terms, '\0');
    }
    r->term_off[r->nterms][2] = r->terms.len;
    if (r->terms.err)
        return r->terms.err;
    return 0;
}

static int on_start(struct reader *r, int depth)
{
    const char *name = (const char *)r->name;
    enum ns ns = node_ns(r);
    enum state st = r->stack[r->top];
    if (depth != r->depths[r->top] + 1 || r->field_slot >= 0) {
        r->skip_depth = depth; /* nested in a field, or deeper than a field: ignored */
        return 0;
    }
    switch (st) {
    case S_TOP:
        if (ns != NS_NONE || strcmp(name, "rss") != 0) {
            here_error(r, "not a WordPress export: the root element is <%s>, not <rss>", name);
            return -EBADMSG;
        }
        push(r, S_RSS, depth);
        return 0;
    case S_RSS:
        if (ns == NS_NONE && strcmp(name, "channel") == 0)
            push(r, S_CHANNEL, depth);
        else
            r->skip_depth = depth;
        return 0;
    case S_CHANNEL:
        if (ns == NS_WP) {
            int rc = 0;
            if (strcmp(name, "author") == 0) {
                if ((rc = emit_channel(r)) == 0)
                    push(r, S_AUTHOR, depth);
                return rc;
            }
            enum term_kind_local tk = TK_TERM;
            if (strcmp(name, "category") == 0)
                tk = TK_CATEGORY;
            else if (strcmp(name, "tag") == 0)
                tk = TK_TAG;
            else if (strcmp(name, "term") != 0)
                break;
            if ((rc = emit_channel(r)) == 0) {
                r->term_kind = tk;
                push(r, S_TERM, depth);
            }
            return rc;
        }
        if (ns == NS_NONE && strcmp(name, "item") == 0) {
            int rc = emit_channel(r);
            if (rc == 0)
                push(r, S_ITEM, depth);
            return rc;
        }
        break;
    case S_ITEM:
        if (ns == NS_WP && strcmp(name, "comment") == 0) {
            int rc = emit_item(r);
            if (rc == 0)
                push(r, S_COMMENT, depth);
            return rc;
        }
        if (ns == NS_WP && strcmp(name, "postmeta") == 0) {
            push(r, S_POSTMETA, depth);
            return 0;
        }
        if (ns == NS_NONE && strcmp(name, "category") == 0) {
            int rc = begin_item_term(r);
            if (rc < 0)
                return rc;
            if (rc == 0) {
                r->field_slot = SLOT_ITEM_TERM;
                r->field_depth = depth;
            } else {
                r->skip_depth = depth;
            }
            return 0;
        }
        if (r->item_done) {
            r->skip_depth = depth;
            return 0;
        }
        break;
    default:
        break;
    }
    /* Element names come from the parser's dictionary (the same name, the same pointer), so a
     * remembered lookup is found by address; the name is compared too, to be sure. */
    struct field_memo *m = &r->memo[(((uintptr_t)name >> 3) ^ ((uintptr_t)st * 31) ^ (uintptr_t)ns) % FIELD_MEMO];
    if (m->name != name || m->state != st || m->ns != ns || strcmp(m->copy, name) != 0) {
        m->name = name;
        snprintf(m->copy, sizeof(m->copy), "%s", name);
        m->state = st;
        m->ns = ns;
        m->field = -1;
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
            if (fields[i].state == st && fields[i].ns == ns && strcmp(fields[i].name, name) == 0) {
                m->field = (int)i;
                break;
            }
    }
    if (m->field >= 0) {
        r->field_slot = fields[m->field].slot;
        r->field_depth = depth;
        buf_reset(&r->slot[r->field_slot]); /* a repeated field keeps its last value */
        r->slot[r->field_slot].max = WXR_FIELD_MAX;
        return 0;
    }
    r->skip_depth = depth;
    return 0;
}

static int end_field(struct reader *r)
{
    if (r->field_slot == SLOT_ITEM_TERM) {
        buf_putc(&r->terms, '\0');
        if (r->terms.err)
            return r->terms.err;
        r->nterms++;
    }
    r->field_slot = -1;
    return 0;
}

static int on_end(struct reader *r, int depth)
{
    if (r->skip_depth >= 0) {
        if (depth == r->skip_depth)
            r->skip_depth = -1;
        return 0;
    }
    if (r->field_slot >= 0) {
        if (depth == r->field_depth)
            return end_field(r);
        return 0;
    }
    if (depth != r->depths[r->top])
        return 0;
    enum state st = r->stack[r->top--];
    switch (st) {
    case S_CHANNEL:
        return emit_channel(r);
    case S_AUTHOR:
        return emit_author(r);
    case S_TERM:
        return emit_term(r);
    case S_ITEM:
        return emit_item(r);
    case S_POSTMETA:
        return end_postmeta(r);
    case S_COMMENT:
        return emit_comment(r);
    default:
        return 0;
    }
}

/* A piece of character data (n bytes at v); text = 0 for CDATA. */
static int on_text(struct reader *r, const xmlChar *v, size_t n, int text)
{
    if (r->field_slot < 0 || r->skip_depth >= 0)
        return 0;
    struct buf *b = r->field_slot == SLOT_ITEM_TERM ? &r->terms : &r->slot[r->field_slot];
    enum state st = r->stack[r->top];
    size_t *total = (st == S_ITEM || st == S_POSTMETA) ? &r->item_bytes : &r->record_bytes;
    if (text && !r->in_text) { /* a text node starts: dropped at its end if only blanks */
        r->in_text = 1;
        r->text_blank = 1;
        r->text_buf = b;
        r->text_total = total;
        r->text_start = b->len;
    }
    if (text && r->text_blank)
        for (size_t i = 0; i < n && r->text_blank; i++)
            r->text_blank = v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r';
    if (n > WXR_ITEM_MAX - *total || (b != &r->terms && n > WXR_FIELD_MAX - b->len)) {
        set_error(r, xmlSAX2GetLineNumber(r->ctxt), xmlSAX2GetColumnNumber(r->ctxt),
                  "a field is larger than %zu MiB, or an item larger than %zu MiB", WXR_FIELD_MAX >> 20,
                  WXR_ITEM_MAX >> 20);
        return -E2BIG;
    }
    *total += n;
    buf_append(b, v, n);
    return b->err;
}

/* The text node being gathered ends (at any other event). */
static void end_text(struct reader *r)
{
    if (!r->in_text)
        return;
    r->in_text = 0;
    if (r->text_blank) {
        *r->text_total -= r->text_buf->len - r->text_start;
        r->text_buf->len = r->text_start;
        if (r->text_buf->data)
            r->text_buf->data[r->text_start] = '\0';
    }
}

/* Where a truncated file ends, as line and column (the column counts bytes from 0, as expat). */
static void eof_position(struct reader *r)
{
    int line = 1, col = 0;
    FILE *f = r->path ? fopen(r->path, "rb") : NULL;
    if (r->path && f == NULL)
        return;
    for (size_t i = 0;; i++) {
        int c = f ? getc(f) : (i < r->len ? (unsigned char)r->data[i] : EOF);
        if (c == EOF)
            break;
        if (c == '\n') {
            line++;
            col = 0;
        } else {
            col++;
        }
    }
    if (f)
        fclose(f);
    if (r->err) {
        r->err->line = line;
        r->err->column = col;
    }
}

/* ---- SAX2 events ---- */

/* The parser's user data is the parser itself (libxml2's default handlers, kept for the internal
 * subset, need that); the reader hangs from its _private. Events from the check of a declared
 * entity's replacement text come from another context and are not content: a tree would hold an
 * entity reference there. NULL when the event is to be ignored. */
static struct reader *reader_of(void *ctx)
{
    xmlParserCtxtPtr c = ctx;
    struct reader *r = c ? c->_private : NULL;
    return r && c == r->ctxt && r->rc == 0 ? r : NULL;
}

static void fail_with(struct reader *r, int rc)
{
    if (rc != 0 && r->rc == 0) {
        r->rc = rc;
        xmlStopParser(r->ctxt);
    }
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri, int nb_namespaces,
                      const xmlChar **namespaces, int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    struct reader *r = reader_of(ctx);
    (void)prefix, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
    if (r == NULL)
        return;
    end_text(r);
    int depth = r->depth++;
    if (r->skip_depth >= 0)
        return;
    r->name = localname;
    r->uri = uri;
    r->attrs = attributes;
    r->nattrs = nb_attributes;
    fail_with(r, on_start(r, depth));
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    struct reader *r = reader_of(ctx);
    (void)localname, (void)prefix, (void)uri;
    if (r == NULL)
        return;
    end_text(r);
    fail_with(r, on_end(r, --r->depth));
}

static void sax_characters(void *ctx, const xmlChar *ch, int len)
{
    struct reader *r = reader_of(ctx);
    if (r != NULL && len > 0)
        fail_with(r, on_text(r, ch, (size_t)len, 1));
}

static void sax_cdata(void *ctx, const xmlChar *ch, int len)
{
    struct reader *r = reader_of(ctx);
    if (r == NULL)
        return;
    end_text(r);
    if (len > 0)
        fail_with(r, on_text(r, ch, (size_t)len, 0));
}

/* Comments, processing instructions and entity references end a text node and are skipped. */
static void sax_comment(void *ctx, const xmlChar *value)
{
    struct reader *r = reader_of(ctx);
    (void)value;
    if (r != NULL)
        end_text(r);
}

static void sax_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    (void)target, (void)data;
    sax_comment(ctx, NULL);
}

static void sax_reference(void *ctx, const xmlChar *name)
{
    (void)name;
    sax_comment(ctx, NULL);
}

static int finish_run(struct reader *r, int xml_ok)
{
    int rc = r->rc;
    if (rc == 0 && (!xml_ok || r->xml_failed)) {
        if (!r->xml_failed)
            here_error(r, "%s", "the file is not well-formed XML");
        else if (r->truncated)
            eof_position(r);
        return -EBADMSG;
    }
    if (rc == 0 && r->stack[0] == S_TOP && !r->channel_done) {
        here_error(r, "%s", "not a WordPress export: no <rss><channel>");
        return -EBADMSG;
    }
    if (rc == -ENOMEM || rc == -E2BIG) {
        if (r->err && r->err->message[0] == '\0')
            here_error(r, "%s", rc == -ENOMEM ? "out of memory" : "a field is too large");
    }
    return rc;
}

/* No network, no DTD loading, no entity expansion beyond XML's own. */
#define PARSE_OPTIONS (XML_PARSE_NONET)

/* Parses the bytes from fd (>= 0) or data[0..len) with r's handler. */
static int parse(int fd, const char *path, const char *data, size_t len, const struct wxr_handler *h,
                 struct wxr_error *err)
{
    static const struct wxr_handler none = {0};
    char *block = NULL;
    int rc = 0;
    struct reader *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return -ENOMEM;
    r->h = h ? h : &none;
    r->err = err;
    r->path = path;
    r->data = data;
    r->len = len;
    r->field_slot = -1;
    r->skip_depth = -1;
    r->top = 0;
    r->stack[0] = S_TOP;
    r->depths[0] = -1;

    xmlSAXHandler sax;
    memset(&sax, 0, sizeof(sax));
    xmlSAXVersion(&sax, 2); /* the defaults keep the document's declarations (entities) */
    sax.startElementNs = sax_start;
    sax.endElementNs = sax_end;
    sax.characters = sax_characters;
    sax.ignorableWhitespace = sax_characters;
    sax.cdataBlock = sax_cdata;
    sax.comment = sax_comment;
    sax.processingInstruction = sax_pi;
    sax.reference = sax_reference;
    sax.serror = on_xml_error;
    sax.error = NULL;
    sax.warning = NULL;

    if (fd >= 0 && (block = malloc(WXR_READ_BLOCK)) == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    r->ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, path);
    if (r->ctxt == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    r->ctxt->_private = r;
    xmlCtxtUseOptions(r->ctxt, PARSE_OPTIONS);
    size_t off = 0;
    for (;;) {
        const char *chunk;
        size_t n;
        if (fd >= 0) {
            ssize_t got = read(fd, block, WXR_READ_BLOCK);
            if (got < 0) {
                if (errno == EINTR)
                    continue;
                rc = -errno;
                if (err)
                    snprintf(err->message, sizeof(err->message), "%s", strerror(errno));
                goto out;
            }
            chunk = block;
            n = (size_t)got;
        } else {
            chunk = data + off;
            n = len - off < WXR_READ_BLOCK ? len - off : WXR_READ_BLOCK;
            off += n;
        }
        xmlParseChunk(r->ctxt, chunk, (int)n, n == 0);
        if (n == 0 || r->rc != 0 || r->ctxt->disableSAX || r->ctxt->instate == XML_PARSER_EOF)
            break;
    }
    rc = finish_run(r, r->ctxt->wellFormed && r->xml_failed == 0);
out:
    if (r->ctxt) {
        if (r->ctxt->myDoc)
            xmlFreeDoc(r->ctxt->myDoc);
        xmlFreeParserCtxt(r->ctxt);
    }
    free(block);
    for (int i = 0; i < NSLOTS; i++)
        buf_free(&r->slot[i]);
    buf_free(&r->terms);
    free(r->term_off);
    free(r->term_view);
    free(r);
    return rc;
}

int wxr_parse_file(const char *path, const struct wxr_handler *h, struct wxr_error *err)
{
    if (err)
        *err = (struct wxr_error){0};
    if (access(path, R_OK) != 0) {
        int e = errno;
        if (err)
            snprintf(err->message, sizeof(err->message), "%s", strerror(e));
        return -e;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (err)
            snprintf(err->message, sizeof(err->message), "cannot open the file");
        return -EIO;
    }
    int rc = parse(fd, path, NULL, 0, h, err);
    close(fd);
    return rc;
}

int wxr_parse_memory(const char *data, size_t len, const struct wxr_handler *h, struct wxr_error *err)
{
    if (err)
        *err = (struct wxr_error){0};
    if (len > (size_t)INT32_MAX)
        return -E2BIG;
    return parse(-1, NULL, data, len, h, err);
}
