/* The page cache (see cache.h): a chained hash table of whole responses, a recency list for
 * least-recently-used eviction under a byte budget, and an index from tags to the pages that
 * carry them, so that a write drops exactly the pages that show what it changed. */
#include "http/cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/response.h"

#define NBUCKETS 4096         /* pages' hash table */
#define TAG_BUCKETS 16384     /* the tag index */

struct page_tag_link {
    uint64_t tag;
    struct cached_page *page;
    struct page_tag_link *next, **pprev; /* the tag's bucket */
};

struct page_cache {
    struct cached_page *buckets[NBUCKETS];
    struct page_tag_link *tag_buckets[TAG_BUCKETS];
    struct cached_page *newest, *oldest;
    size_t bytes, max_bytes;
    struct page_cache_stats stats;
};

/* Counters: written by the owner only, read by anyone (relaxed: no ordering is needed). */
#define STAT_ADD(c, field, n) __atomic_store_n(&(c)->stats.field, (c)->stats.field + (n), __ATOMIC_RELAXED)
#define STAT_SET(c, field, v) __atomic_store_n(&(c)->stats.field, (v), __ATOMIC_RELAXED)

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static size_t tag_bucket(uint64_t tag)
{
    tag ^= tag >> 33;
    tag *= 0xff51afd7ed558ccdull;
    tag ^= tag >> 33;
    return (size_t)(tag % TAG_BUCKETS);
}

static void page_unref(struct cached_page *p)
{
    if (--p->refs == 0) {
        free(p->tags);
        http_encoded_free(&p->enc);
        free(p->headers);
        free(p->body);
        free(p);
    }
}

struct page_cache *page_cache_new(size_t max_bytes)
{
    struct page_cache *c = calloc(1, sizeof(*c));
    if (c != NULL)
        c->max_bytes = max_bytes;
    return c;
}

static void unlink_recency(struct page_cache *c, struct cached_page *p)
{
    if (p->newer != NULL)
        p->newer->older = p->older;
    else
        c->newest = p->older;
    if (p->older != NULL)
        p->older->newer = p->newer;
    else
        c->oldest = p->newer;
    p->newer = p->older = NULL;
}

static void link_newest(struct page_cache *c, struct cached_page *p)
{
    p->newer = NULL;
    p->older = c->newest;
    if (c->newest != NULL)
        c->newest->newer = p;
    c->newest = p;
    if (c->oldest == NULL)
        c->oldest = p;
}

/* Takes p out of the table, the recency list and the tag index, and drops the cache's reference. */
static void forget(struct page_cache *c, struct cached_page *p)
{
    struct cached_page **q = &c->buckets[fnv1a(p->key, p->key_len) % NBUCKETS];
    while (*q != p)
        q = &(*q)->next;
    *q = p->next;
    unlink_recency(c, p);
    for (size_t i = 0; i < p->n_tags; i++) {
        struct page_tag_link *l = &p->tags[i];
        *l->pprev = l->next;
        if (l->next != NULL)
            l->next->pprev = l->pprev;
    }
    c->bytes -= p->cost;
    STAT_SET(c, bytes, c->bytes);
    STAT_SET(c, pages, c->stats.pages - 1);
    page_unref(p);
}

void page_cache_clear(struct page_cache *c)
{
    while (c->oldest != NULL)
        forget(c, c->oldest);
}

void page_cache_free(struct page_cache *c)
{
    if (c == NULL)
        return;
    page_cache_clear(c);
    free(c);
}

size_t page_cache_invalidate(struct page_cache *c, uint64_t tag)
{
    size_t n = 0;
    for (;;) {
        struct page_tag_link *l = c->tag_buckets[tag_bucket(tag)];
        while (l != NULL && l->tag != tag)
            l = l->next;
        if (l == NULL)
            break;
        forget(c, l->page); /* unlinks l and the page's other links, so look again from the top */
        n++;
    }
    STAT_ADD(c, invalidations, n);
    return n;
}

/* Moves p to the front of the recency list. */
static void touch(struct page_cache *c, struct cached_page *p)
{
    if (c->newest == p)
        return;
    unlink_recency(c, p);
    link_newest(c, p);
}

struct cached_page *page_cache_get(struct page_cache *c, const char *key, size_t key_len, uint64_t now)
{
    for (struct cached_page *p = c->buckets[fnv1a(key, key_len) % NBUCKETS]; p != NULL; p = p->next) {
        if (p->key_len == key_len && memcmp(p->key, key, key_len) == 0) {
            if (p->expires <= now) {
                forget(c, p);
                break;
            }
            touch(c, p);
            STAT_ADD(c, hits, 1);
            return p;
        }
    }
    STAT_ADD(c, misses, 1);
    return NULL;
}

void page_etag(const char *body, size_t len, char etag[20])
{
    snprintf(etag, 20, "\"%016llx\"", (unsigned long long)fnv1a(body, len));
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

struct cached_page *page_cache_put(struct page_cache *c, const char *key, size_t key_len, int status,
                                   const char *content_type, const char *body, size_t len, uint64_t expires,
                                   const uint64_t *tags, size_t n_tags)
{
    uint64_t sorted[CACHE_MAX_TAGS];
    size_t n = 0;
    if (key_len > CACHE_MAX_KEY || len > c->max_bytes / 4 || n_tags > CACHE_MAX_TAGS)
        return NULL;
    /* each tag once, so that an invalidation meets a page once per tag */
    if (n_tags > 0) {
        memcpy(sorted, tags, n_tags * sizeof(*tags));
        qsort(sorted, n_tags, sizeof(*sorted), by_value);
    }
    for (size_t i = 0; i < n_tags; i++)
        if (n == 0 || sorted[n - 1] != sorted[i])
            sorted[n++] = sorted[i];

    struct cached_page *p = calloc(1, sizeof(*p) + key_len);
    if (p == NULL)
        return NULL;
    p->body = malloc(len ? len : 1);
    p->tags = n ? calloc(n, sizeof(*p->tags)) : NULL;
    if (p->body == NULL || (n && p->tags == NULL)) {
        free(p->body);
        free(p->tags);
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
    p->n_tags = n;
    page_etag(body, len, p->etag);
    p->modified = (int64_t)time(NULL);
    http_encode(content_type, body, len, HTTP_EFFORT_STORED, &p->enc);
    p->cost = sizeof(*p) + key_len + len + n * sizeof(*p->tags) + p->enc.gzip_len + p->enc.br_len;

    struct cached_page **slot = &c->buckets[fnv1a(key, key_len) % NBUCKETS];
    for (struct cached_page *q = *slot; q != NULL; q = q->next) {
        if (q->key_len == key_len && memcmp(q->key, key, key_len) == 0) {
            forget(c, q);
            break;
        }
    }
    while (c->oldest != NULL && c->bytes + p->cost > c->max_bytes) {
        forget(c, c->oldest);
        STAT_ADD(c, evictions, 1);
    }
    p->next = *slot;
    *slot = p;
    link_newest(c, p);
    for (size_t i = 0; i < n; i++) {
        struct page_tag_link *l = &p->tags[i], **head = &c->tag_buckets[tag_bucket(sorted[i])];
        l->tag = sorted[i];
        l->page = p;
        l->next = *head;
        l->pprev = head;
        if (*head != NULL)
            (*head)->pprev = &l->next;
        *head = l;
    }
    c->bytes += p->cost;
    STAT_SET(c, bytes, c->bytes);
    STAT_SET(c, pages, c->stats.pages + 1);
    STAT_ADD(c, stores, 1);
    return p;
}

void page_cache_stats(const struct page_cache *c, struct page_cache_stats *out)
{
    out->hits = __atomic_load_n(&c->stats.hits, __ATOMIC_RELAXED);
    out->misses = __atomic_load_n(&c->stats.misses, __ATOMIC_RELAXED);
    out->stores = __atomic_load_n(&c->stats.stores, __ATOMIC_RELAXED);
    out->evictions = __atomic_load_n(&c->stats.evictions, __ATOMIC_RELAXED);
    out->invalidations = __atomic_load_n(&c->stats.invalidations, __ATOMIC_RELAXED);
    out->bytes = __atomic_load_n(&c->stats.bytes, __ATOMIC_RELAXED);
    out->pages = __atomic_load_n(&c->stats.pages, __ATOMIC_RELAXED);
}

struct page_ref {
    struct cached_page *p;
};

static void release_ref(void *data)
{
    page_unref(((struct page_ref *)data)->p);
}

int page_cache_set_headers(struct cached_page *p, const char *const *pairs, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < 2 * n; i++)
        len += strlen(pairs[i]) + 1;
    char *h = len ? malloc(len) : NULL;
    free(p->headers);
    p->headers = NULL;
    p->headers_len = 0;
    if (len && h == NULL)
        return -ENOMEM;
    for (size_t i = 0, at = 0; i < 2 * n; i++) {
        size_t k = strlen(pairs[i]) + 1;
        memcpy(h + at, pairs[i], k);
        at += k;
    }
    p->headers = h;
    p->headers_len = len;
    return 0;
}

void page_send(h2o_req_t *req, struct cached_page *p)
{
    for (size_t at = 0; at < p->headers_len;) { /* not copied: the request holds the page below */
        const char *name = p->headers + at, *value = name + strlen(name) + 1;
        size_t nn = (size_t)(value - 1 - name), vn = strlen(value);
        h2o_add_header_by_str(&req->pool, &req->res.headers, name, nn, 1, NULL, value, vn);
        at = (size_t)(value + vn + 1 - p->headers);
    }
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
