/* The page cache (see cache.h): a chained hash table of whole responses with a byte budget.
 * When the budget is spent the whole table is dropped: pages are cheap to render again, and a
 * simple rule cannot be gamed into slow paths. */
#include "http/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/response.h"

#define NBUCKETS 1024

struct page_cache {
    struct cached_page *buckets[NBUCKETS];
    size_t bytes, max_bytes;
};

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void page_unref(struct cached_page *p)
{
    if (--p->refs == 0) {
        http_encoded_free(&p->enc);
        free(p->body);
        free(p);
    }
}

/* What a page costs the budget: its key, body and compressed copies. */
static size_t page_bytes(const struct cached_page *p)
{
    return p->key_len + p->len + p->enc.gzip_len + p->enc.br_len;
}

struct page_cache *page_cache_new(size_t max_bytes)
{
    struct page_cache *c = calloc(1, sizeof(*c));
    if (c != NULL)
        c->max_bytes = max_bytes;
    return c;
}

void page_cache_clear(struct page_cache *c)
{
    for (size_t i = 0; i < NBUCKETS; i++) {
        struct cached_page *p = c->buckets[i];
        while (p != NULL) {
            struct cached_page *next = p->next;
            page_unref(p);
            p = next;
        }
        c->buckets[i] = NULL;
    }
    c->bytes = 0;
}

void page_cache_free(struct page_cache *c)
{
    if (c == NULL)
        return;
    page_cache_clear(c);
    free(c);
}

struct cached_page *page_cache_get(struct page_cache *c, const char *key, size_t key_len, uint64_t now)
{
    for (struct cached_page *p = c->buckets[fnv1a(key, key_len) % NBUCKETS]; p != NULL; p = p->next)
        if (p->key_len == key_len && memcmp(p->key, key, key_len) == 0)
            return p->expires > now ? p : NULL;
    return NULL;
}

void page_etag(const char *body, size_t len, char etag[20])
{
    snprintf(etag, 20, "\"%016llx\"", (unsigned long long)fnv1a(body, len));
}

struct cached_page *page_cache_put(struct page_cache *c, const char *key, size_t key_len, int status,
                                   const char *content_type, const char *body, size_t len, uint64_t expires)
{
    if (key_len > CACHE_MAX_KEY || len > c->max_bytes / 4)
        return NULL;
    struct cached_page *p = calloc(1, sizeof(*p) + key_len);
    if (p == NULL)
        return NULL;
    p->body = malloc(len ? len : 1);
    if (p->body == NULL) {
        free(p);
        return NULL;
    }
    memcpy(p->body, body, len);
    memcpy(p->key, key, key_len);
    p->len = len;
    p->key_len = key_len;
    p->status = status;
    p->content_type = content_type;
    p->expires = expires;
    p->refs = 1;
    page_etag(body, len, p->etag);
    p->modified = (int64_t)time(NULL);
    http_encode(content_type, body, len, HTTP_EFFORT_STORED, &p->enc);
    if (c->bytes + page_bytes(p) > c->max_bytes)
        page_cache_clear(c);

    struct cached_page **slot = &c->buckets[fnv1a(key, key_len) % NBUCKETS];
    for (struct cached_page **q = slot; *q != NULL; q = &(*q)->next) {
        if ((*q)->key_len == key_len && memcmp((*q)->key, key, key_len) == 0) {
            struct cached_page *old = *q;
            *q = old->next;
            c->bytes -= page_bytes(old);
            page_unref(old);
            break;
        }
    }
    p->next = *slot;
    *slot = p;
    c->bytes += page_bytes(p);
    return p;
}

struct page_ref {
    struct cached_page *p;
};

static void release_ref(void *data)
{
    page_unref(((struct page_ref *)data)->p);
}

void page_send(h2o_req_t *req, struct cached_page *p)
{
    struct page_ref *ref = h2o_mem_alloc_shared(&req->pool, sizeof(*ref), release_ref);
    ref->p = p;
    p->refs++;
    struct http_representation r = {.status = p->status,
                                    .content_type = p->content_type,
                                    .body = p->body,
                                    .len = p->len,
                                    .enc = &p->enc,
                                    .etag = p->etag,
                                    .modified = p->modified};
    http_send_representation(req, &r);
}
