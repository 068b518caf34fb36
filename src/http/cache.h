/* A per-thread cache of whole responses, keyed by request path. One thread owns each cache, so
 * lookups take no lock; entries are reference counted so that clearing the cache never frees
 * bytes a slow client is still being sent. The owner clears it when the content changes. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <h2o.h>

#include "http/encoding.h"

#define CACHE_MAX_KEY 512 /* longer paths are not cached */

struct page_cache;

struct cached_page {
    unsigned refs;
    int status;
    const char *content_type; /* static string */
    char etag[20];            /* "\"" + 16 hex digits + "\"" */
    uint64_t expires;         /* seconds since the epoch */
    char *body;
    size_t len;
    int64_t modified;        /* when it was made (Last-Modified), seconds since the epoch */
    struct http_encoded enc; /* its gzip and brotli copies, made once by page_cache_put */
    size_t key_len;
    struct cached_page *next; /* hash chain */
    char key[];
};

/* A cache holding at most max_bytes of bodies (it is emptied when a new page would pass that). */
struct page_cache *page_cache_new(size_t max_bytes);
void page_cache_free(struct page_cache *c);

/* Forgets every page (pages being sent stay alive until their requests end). */
void page_cache_clear(struct page_cache *c);

/* The page stored under key if it has not expired by now, else NULL. */
struct cached_page *page_cache_get(struct page_cache *c, const char *key, size_t key_len, uint64_t now);

/* Stores a copy of body under key (replacing an older one), with its compressed copies when its
 * type calls for them, and returns it; NULL when the key is too long, the body too big for the
 * cache, or memory ran out. */
struct cached_page *page_cache_put(struct page_cache *c, const char *key, size_t key_len, int status,
                                   const char *content_type, const char *body, size_t len, uint64_t expires);

/* Computes the ETag of a body into etag (20 bytes with the NUL). */
void page_etag(const char *body, size_t len, char etag[20]);

/* Sends a page in the coding the request accepts, with its ETag and Last-Modified: 304 when the
 * request's validators match, else the page (without copying the body; the page lives until the
 * request's pool is cleared). */
void page_send(h2o_req_t *req, struct cached_page *p);
