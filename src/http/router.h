/* URL routing for the reader's site: maps a request path (without the query) to a page kind and
 * its parameters. Pure string work, no I/O; the application decides what a match means. */
#pragma once

#include <stddef.h>

#define ROUTE_MAX_SLUG 200    /* longest slug a route accepts */
#define ROUTE_MAX_PAGE 100000 /* highest /page/N/ */

enum route_kind {
    ROUTE_NONE,     /* no page lives at this path */
    ROUTE_HOME,     /* /, /page/N/ */
    ROUTE_ARTICLE,  /* /YYYY/MM/DD/slug/ */
    ROUTE_CATEGORY, /* /category/slug/, /category/slug/page/N/ */
    ROUTE_TAG,      /* /tag/slug/, /tag/slug/page/N/ */
    ROUTE_AUTHOR,   /* /author/login/, /author/login/page/N/ */
    ROUTE_PAGE,     /* /slug/ (a static page) */
    ROUTE_ASSET,    /* /static/NAME (a theme file) */
    ROUTE_COMMENT,  /* /comment/ (the comment form's target) */
};

struct route {
    enum route_kind kind;
    int year, month, day; /* ROUTE_ARTICLE */
    unsigned page;        /* 1 unless /page/N/ */
    const char *slug;     /* points into the path; the slug, login or asset name */
    size_t slug_len;
};

/* Matches path[0..n) and fills *r (kind ROUTE_NONE when nothing matches). Slugs are single
 * non-empty path segments of at most ROUTE_MAX_SLUG bytes; page numbers are written without
 * leading zeros, from 1 to ROUTE_MAX_PAGE (page 1 is also the bare address). */
void route_match(const char *path, size_t n, struct route *r);
