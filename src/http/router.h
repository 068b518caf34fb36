/* URL routing for the reader's site: maps a request path (without the query) to a page kind and
 * its parameters. Pure string work, no I/O; the application decides what a match means. */
#pragma once

#include <stddef.h>

#define ROUTE_MAX_SLUG 200    /* longest slug a route accepts */
#define ROUTE_MAX_PAGE 100000 /* highest /page/N/ */

enum route_kind {
    ROUTE_NONE,     /* no page lives at this path */
    ROUTE_HOME,     /* /, /page/N/ */
    ROUTE_ARTICLE,  /* /YYYY/MM/DD/slug/, and its comment-page-N/ (other permalink structures: matched by the
                       application) */
    ROUTE_CATEGORY, /* /category/slug/, /category/slug/page/N/ */
    ROUTE_TAG,      /* /tag/slug/, /tag/slug/page/N/ */
    ROUTE_AUTHOR,   /* /author/login/, /author/login/page/N/ */
    ROUTE_PAGE,     /* /slug/ (a static page) */
    ROUTE_ASSET,    /* /static/NAME (a theme file) */
    ROUTE_COMMENT,  /* /comment/ (the comment form's target) */
    ROUTE_COMMENTS, /* /comments/feed/ (only with a feed: the latest comments site-wide) */
    ROUTE_DATE,     /* /YYYY/, /YYYY/MM/, /YYYY/MM/DD/, each with /page/N/ */
    ROUTE_SEARCH,   /* /search/words/ (slug: the words, as in the path) */
    ROUTE_FILE,     /* /NAME.EXT at the top, without a final '/': robots.txt, sitemaps, icons (slug: the name) */
};

/* A feed of a page: its address followed by feed/ (RSS 2.0) or feed/atom/. WordPress's other
 * names, feed/rss2/, feed/rss/ and feed/rdf/, are ROUTE_FEED_OLD (answered with a redirect). */
enum route_feed { ROUTE_FEED_NONE, ROUTE_FEED_RSS, ROUTE_FEED_ATOM, ROUTE_FEED_OLD };

struct route {
    enum route_kind kind;
    int year, month, day; /* ROUTE_ARTICLE; ROUTE_DATE (month and day 0 when not given) */
    unsigned page;        /* 1 unless /page/N/ */
    const char *slug;     /* points into the path; the slug, login or asset name */
    size_t slug_len;
    enum route_feed feed; /* home, category, tag, author, article and comments: the page's feed */
    unsigned cpage;       /* ROUTE_ARTICLE: N of ARTICLE/comment-page-N/, 0 when not given */
};

/* When path[0..n) ends in "comment-page-N/" (N from 1 to ROUTE_MAX_PAGE, no leading zero) after
 * a '/', N; else 0. *rest gets the length of the path without that suffix. */
unsigned route_comment_page(const char *path, size_t n, size_t *rest);

/* Matches path[0..n) and fills *r (kind ROUTE_NONE when nothing matches). Slugs are single
 * non-empty path segments of at most ROUTE_MAX_SLUG bytes; page numbers are written without
 * leading zeros, from 1 to ROUTE_MAX_PAGE (page 1 is also the bare address). A feed address is
 * the first page's address plus feed/ (see enum route_feed). */
void route_match(const char *path, size_t n, struct route *r);
