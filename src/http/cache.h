/* A per-thread cache of whole responses, keyed by request path. One thread owns each cache, so
 * lookups take no lock; entries are reference counted so that dropping a page never frees bytes
 * a slow client is still being sent. Each page carries tags: numbers that name what it shows
 * (a post, its comments, the lists); a write drops the pages of the tags it changed. The cache
 * holds at most a byte budget and, when a new page would pass it, forgets the pages used least
 * recently. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <h2o.h>

#include "http/encoding.h"

#define CACHE_MAX_KEY 512  /* longer paths are not cached */
#define CACHE_MAX_TAGS 256 /* tags of one page (more: the caller tags it with something broader) */

struct page_cache;
struct page_tag_link;

struct cached_page {
    unsigned refs;
    int status;
    const char *content_type; /* static string */
    char etag[20];            /* "\"" + 16 hex digits + "\"" */
    uint64_t expires;         /* seconds since the epoch */
    char *body;
    size_t len;
    size_t cost;                       /* bytes charged to the budget */
    struct cached_page *next;          /* hash chain */
    struct cached_page *newer, *older; /* the recency list */
    struct page_tag_link *tags;        /* n_tags links into the tag index */
    size_t n_tags;
    int64_t modified;        /* when it was made (Last-Modified), seconds since the epoch */
    struct http_encoded enc; /* its gzip and brotli copies, made once by page_cache_put */
    char *headers;           /* extra response headers as "name\0value\0" pairs (NULL: none) */
    size_t headers_len;
    size_t key_len;
    char key[];
};

/* Counters of one cache, readable from another thread while the owner works (each is written
 * by the owner alone and read with relaxed atomics: a reader may see a slightly old value). */
struct page_cache_stats {
    uint64_t hits, misses, stores, evictions, invalidations;
    uint64_t bytes, pages;
};

/* A cache holding at most max_bytes (bodies, keys, tags and bookkeeping). */
struct page_cache *page_cache_new(size_t max_bytes);
void page_cache_free(struct page_cache *c);

/* Forgets every page (pages being sent stay alive until their requests end). */
void page_cache_clear(struct page_cache *c);

/* Forgets every page tagged with tag; returns how many. */
size_t page_cache_invalidate(struct page_cache *c, uint64_t tag);

/* The page stored under key if it has not expired by now (and marks it as just used), else
 * NULL. Counts a hit or a miss. */
struct cached_page *page_cache_get(struct page_cache *c, const char *key, size_t key_len, uint64_t now);

/* Stores a copy of body under key with tags[0..n_tags) (replacing an older page), with its
 * compressed copies when its type calls for them, making room by forgetting the least recently
 * used pages, and returns it; NULL when the key is too long, the page bigger than a quarter of
 * the budget, n_tags over CACHE_MAX_TAGS, or memory ran out. */
struct cached_page *page_cache_put(struct page_cache *c, const char *key, size_t key_len, int status,
                                   const char *content_type, const char *body, size_t len, uint64_t expires,
                                   const uint64_t *tags, size_t n_tags);

/* Gives a stored page extra response headers, sent with it by page_send (the API's X-WP-Total
 * and Link): pairs[0..2n) are names and values. 0, or -ENOMEM (the page then has none). */
int page_cache_set_headers(struct cached_page *p, const char *const *pairs, size_t n);

/* A snapshot of the counters (safe from any thread while the cache lives). */
void page_cache_stats(const struct page_cache *c, struct page_cache_stats *out);

/* Computes the ETag of a body into etag (20 bytes with the NUL). */
void page_etag(const char *body, size_t len, char etag[20]);

/* Sends a page in the coding the request accepts, with its ETag and Last-Modified: 304 when the
 * request's validators match, else the page (without copying the body; the page lives until the
 * request's pool is cleared). */
void page_send(h2o_req_t *req, struct cached_page *p);
