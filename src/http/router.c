/* The reader site's URL table (see router.h and docs/reader-site.md). Paths are split into
 * segments once; each route is a short test on the segment count and shape. */
#include "http/router.h"

#include <stdbool.h>
#include <string.h>

#define MAX_SEGMENTS 8

struct seg {
    const char *p;
    size_t n;
};

static bool is(const struct seg *s, const char *lit)
{
    size_t n = strlen(lit);
    return s->n == n && memcmp(s->p, lit, n) == 0;
}

/* A decimal number of exactly `digits` digits (0: 1 to 6 digits, no leading zero). */
static bool number(const struct seg *s, size_t digits, unsigned *out)
{
    if (s->n == 0 || (digits ? s->n != digits : (s->n > 6 || s->p[0] == '0')))
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->p[i] < '0' || s->p[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s->p[i] - '0');
    }
    *out = v;
    return true;
}

static bool slug(const struct seg *s)
{
    if (s->n == 0 || s->n > ROUTE_MAX_SLUG || is(s, ".") || is(s, ".."))
        return false;
    for (size_t i = 0; i < s->n; i++)
        if ((unsigned char)s->p[i] < 0x21 || s->p[i] == 0x7f)
            return false;
    return true;
}

/* Search words in a path: like a slug, but spaces are fine. */
static bool words(const struct seg *s)
{
    if (s->n == 0 || s->n > ROUTE_MAX_SLUG)
        return false;
    for (size_t i = 0; i < s->n; i++)
        if ((unsigned char)s->p[i] < 0x20 || s->p[i] == 0x7f)
            return false;
    return true;
}

static bool page_suffix(const struct seg *s, size_t n, struct route *r)
{
    unsigned page;
    if (n == 0)
        return true;
    if (n == 2 && is(&s[0], "page") && number(&s[1], 0, &page) && page >= 1 && page <= ROUTE_MAX_PAGE) {
        r->page = page;
        return true;
    }
    return false;
}

static void set_slug(struct route *r, enum route_kind kind, const struct seg *s)
{
    r->kind = kind;
    r->slug = s->p;
    r->slug_len = s->n;
}

/* /YYYY/[MM/[DD/]][page/N/]: months 01-12 and days 01-31 (whether the date exists is for the
 * application to say). */
static bool date_archive(const struct seg *s, size_t nseg, struct route *r)
{
    unsigned y, m = 0, d = 0;
    size_t k = 1;
    if (!number(&s[0], 4, &y) || y < 1000)
        return false;
    if (k < nseg && number(&s[k], 2, &m)) {
        if (m < 1 || m > 12)
            return false;
        k++;
        if (k < nseg && number(&s[k], 2, &d)) {
            if (d < 1 || d > 31)
                return false;
            k++;
        }
    }
    if (!page_suffix(s + k, nseg - k, r))
        return false;
    r->kind = ROUTE_DATE;
    r->year = (int)y, r->month = (int)m, r->day = (int)d;
    return true;
}

/* Matches the page address made of seg[0..nseg) (ending in '/'). */
static void match_page(const struct seg *seg, size_t nseg, struct route *r)
{
    unsigned y, m, d;
    if (nseg == 0) {
        r->kind = ROUTE_HOME;
    } else if (is(&seg[0], "page")) {
        if (page_suffix(seg, nseg, r))
            r->kind = ROUTE_HOME;
    } else if (nseg == 1 && is(&seg[0], "comment")) {
        r->kind = ROUTE_COMMENT;
    } else if (is(&seg[0], "category") || is(&seg[0], "tag") || is(&seg[0], "author")) {
        enum route_kind k = seg[0].p[0] == 'c' ? ROUTE_CATEGORY : seg[0].p[0] == 't' ? ROUTE_TAG : ROUTE_AUTHOR;
        if (nseg >= 2 && slug(&seg[1]) && page_suffix(seg + 2, nseg - 2, r))
            set_slug(r, k, &seg[1]);
    } else if (nseg == 2 && is(&seg[0], "search") && words(&seg[1])) {
        set_slug(r, ROUTE_SEARCH, &seg[1]);
    } else if (date_archive(seg, nseg, r)) {
        /* filled in */
    } else if (nseg == 4 && number(&seg[0], 4, &y) && number(&seg[1], 2, &m) && number(&seg[2], 2, &d)) {
        if (y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= 31 && slug(&seg[3])) {
            set_slug(r, ROUTE_ARTICLE, &seg[3]);
            r->year = (int)y, r->month = (int)m, r->day = (int)d;
        }
    } else if (nseg == 1 && slug(&seg[0]) && !is(&seg[0], "static")) {
        set_slug(r, ROUTE_PAGE, &seg[0]);
    }
}

/* seg[0..nseg) as a feed address: the address of a page that has a feed, then feed/ or
 * feed/NAME/. Returns true and fills *r when it is one. */
static bool match_feed(const struct seg *seg, size_t nseg, struct route *r)
{
    enum route_feed feed;
    if (nseg >= 1 && is(&seg[nseg - 1], "feed")) {
        feed = ROUTE_FEED_RSS;
        nseg -= 1;
    } else if (nseg >= 2 && is(&seg[nseg - 2], "feed")) {
        const struct seg *name = &seg[nseg - 1];
        if (is(name, "atom"))
            feed = ROUTE_FEED_ATOM;
        else if (is(name, "rss2") || is(name, "rss") || is(name, "rdf"))
            feed = ROUTE_FEED_OLD;
        else
            return false;
        nseg -= 2;
    } else {
        return false;
    }
    if (nseg == 1 && is(&seg[0], "comments"))
        r->kind = ROUTE_COMMENTS;
    else
        match_page(seg, nseg, r);
    /* Lists have a feed of their first page; articles the feed of their comments. */
    if (r->page != 1 || (r->kind != ROUTE_HOME && r->kind != ROUTE_CATEGORY && r->kind != ROUTE_TAG &&
                         r->kind != ROUTE_AUTHOR && r->kind != ROUTE_ARTICLE && r->kind != ROUTE_COMMENTS)) {
        memset(r, 0, sizeof(*r));
        r->kind = ROUTE_NONE;
        r->page = 1;
        return false;
    }
    r->feed = feed;
    return true;
}

unsigned route_comment_page(const char *path, size_t n, size_t *rest)
{
    static const char prefix[] = "comment-page-";
    const size_t pl = sizeof(prefix) - 1;
    if (n < pl + 3 || path[n - 1] != '/')
        return 0;
    size_t i = n - 1, j = i; /* the last segment is path[j..i) */
    while (j > 0 && path[j - 1] != '/')
        j--;
    if (j == 0 || i - j <= pl || memcmp(path + j, prefix, pl) != 0)
        return 0;
    struct seg num = {path + j + pl, i - j - pl};
    unsigned page;
    if (!number(&num, 0, &page) || page < 1 || page > ROUTE_MAX_PAGE)
        return 0;
    *rest = j;
    return page;
}

void route_match(const char *path, size_t n, struct route *r)
{
    struct seg seg[MAX_SEGMENTS];
    size_t nseg = 0;
    memset(r, 0, sizeof(*r));
    r->kind = ROUTE_NONE;
    r->page = 1;
    if (n == 0 || path[0] != '/')
        return;
    /* Every page address ends in '/', except the theme's files under /static/. */
    bool slash = path[n - 1] == '/';
    size_t i = 1;
    while (i < n) {
        size_t j = i;
        while (j < n && path[j] != '/')
            j++;
        if (j == i || nseg == MAX_SEGMENTS)
            return; /* "//" or too deep */
        seg[nseg++] = (struct seg){path + i, j - i};
        i = j + 1;
    }
    if (nseg == 0) {
        r->kind = ROUTE_HOME;
        return;
    }
    if (!slash) {
        if (nseg == 2 && is(&seg[0], "static") && slug(&seg[1]))
            set_slug(r, ROUTE_ASSET, &seg[1]);
        else if (nseg == 1 && slug(&seg[0]) && memchr(seg[0].p, '.', seg[0].n) != NULL)
            set_slug(r, ROUTE_FILE, &seg[0]);
        return;
    }
    /* A category or tag whose slug is "feed" keeps its page: feeds are tried first, pages next. */
    if (!match_feed(seg, nseg, r))
        match_page(seg, nseg, r);
    /* ARTICLE/comment-page-N/: a page of the article's comments */
    size_t rest;
    unsigned cpage = nseg == 5 ? route_comment_page(path, n, &rest) : 0;
    if (cpage > 0 && r->kind == ROUTE_NONE) {
        match_page(seg, nseg - 1, r);
        if (r->kind == ROUTE_ARTICLE && r->feed == ROUTE_FEED_NONE) {
            r->cpage = cpage;
        } else {
            memset(r, 0, sizeof(*r));
            r->kind = ROUTE_NONE;
            r->page = 1;
        }
    }
}
