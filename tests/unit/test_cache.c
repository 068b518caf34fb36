#include <criterion/criterion.h>
#include <string.h>

#include "http/cache.c"

Test(cache, put_get_replace_and_expire)
{
    struct page_cache *c = page_cache_new(1 << 20);
    cr_assert_null(page_cache_get(c, "/", 1, 100));
    struct cached_page *p = page_cache_put(c, "/", 1, 200, "text/html", "<p>one</p>", 10, 110, NULL, 0);
    cr_assert_not_null(p);
    cr_assert_eq(page_cache_get(c, "/", 1, 100), p);
    cr_assert_eq(p->len, 10);
    cr_assert_eq(memcmp(p->body, "<p>one</p>", 10), 0);
    cr_assert_null(page_cache_get(c, "/", 1, 110), "expired at its time");
    cr_assert_null(page_cache_get(c, "/x", 2, 100));
    struct cached_page *q = page_cache_put(c, "/", 1, 404, "text/html", "gone", 4, 200, NULL, 0);
    cr_assert_eq(page_cache_get(c, "/", 1, 100), q);
    cr_assert_eq(q->status, 404);
    cr_assert_eq(c->bytes, q->cost, "the replaced page no longer counts");
    cr_assert_eq(q->cost, sizeof(*q) + 1 + 4, "a page costs its record, its key and its body");
    page_cache_free(c);
}

Test(cache, a_held_page_outlives_a_clear)
{
    struct page_cache *c = page_cache_new(1 << 20);
    struct cached_page *p = page_cache_put(c, "/a/", 3, 200, "text/html", "body", 4, 10, NULL, 0);
    p->refs++; /* as page_send does while a response is being written */
    page_cache_clear(c);
    cr_assert_null(page_cache_get(c, "/a/", 3, 0));
    cr_assert_eq(memcmp(p->body, "body", 4), 0, "still readable (ASan would catch a use after free)");
    page_unref(p);
    page_cache_free(c);
}

Test(cache, the_least_recently_used_pages_make_room)
{
    char big[1000];
    memset(big, 'x', sizeof(big));
    size_t cost = sizeof(struct cached_page) + 3 + 200;
    struct page_cache *c = page_cache_new(3 * cost + 10);
    cr_assert_null(page_cache_put(c, "/huge/", 6, 200, "text/html", big, sizeof(big), 10, NULL, 0), "over a quarter");
    cr_assert_not_null(page_cache_put(c, "/1/", 3, 200, "text/html", big, 200, 10, NULL, 0));
    cr_assert_not_null(page_cache_put(c, "/2/", 3, 200, "text/html", big, 200, 10, NULL, 0));
    cr_assert_not_null(page_cache_put(c, "/3/", 3, 200, "text/html", big, 200, 10, NULL, 0));
    cr_assert_not_null(page_cache_get(c, "/1/", 3, 0), "/1/ is now the most recently used");
    cr_assert_not_null(page_cache_put(c, "/4/", 3, 200, "text/html", big, 200, 10, NULL, 0));
    cr_assert_leq(c->bytes, c->max_bytes);
    cr_assert_null(page_cache_get(c, "/2/", 3, 0), "the least recently used page went");
    cr_assert_not_null(page_cache_get(c, "/1/", 3, 0), "one page went, not all");
    cr_assert_not_null(page_cache_get(c, "/3/", 3, 0));
    cr_assert_not_null(page_cache_get(c, "/4/", 3, 0));
    struct page_cache_stats st;
    page_cache_stats(c, &st);
    cr_assert_eq(st.evictions, 1);
    cr_assert_eq(st.pages, 3);
    cr_assert_eq(st.hits, 4);
    cr_assert_eq(st.misses, 1);
    cr_assert_eq(st.bytes, 3 * cost);
    char key[CACHE_MAX_KEY + 1];
    memset(key, '/', sizeof(key));
    cr_assert_null(page_cache_put(c, key, sizeof(key), 200, "text/html", "x", 1, 10, NULL, 0), "key too long");
    page_cache_free(c);
}

Test(cache, a_tag_drops_exactly_the_pages_that_carry_it)
{
    struct page_cache *c = page_cache_new(8 << 20);
    const uint64_t a[] = {1, 2, 2, 7}, b[] = {2, 3}, d[] = {4};
    cr_assert_not_null(page_cache_put(c, "/a/", 3, 200, "text/html", "a", 1, 10, a, 4));
    cr_assert_not_null(page_cache_put(c, "/b/", 3, 200, "text/html", "b", 1, 10, b, 2));
    cr_assert_not_null(page_cache_put(c, "/d/", 3, 200, "text/html", "d", 1, 10, d, 1));
    cr_assert_not_null(page_cache_put(c, "/e/", 3, 200, "text/html", "e", 1, 10, NULL, 0));
    cr_assert_eq(page_cache_invalidate(c, 9), 0);
    cr_assert_eq(page_cache_invalidate(c, 2), 2, "both pages showing 2");
    cr_assert_null(page_cache_get(c, "/a/", 3, 0));
    cr_assert_null(page_cache_get(c, "/b/", 3, 0));
    cr_assert_not_null(page_cache_get(c, "/d/", 3, 0));
    cr_assert_not_null(page_cache_get(c, "/e/", 3, 0));
    cr_assert_eq(page_cache_invalidate(c, 7), 0, "the dropped page left the index");
    /* a page stored again under the same key replaces the old one and its tags */
    cr_assert_not_null(page_cache_put(c, "/d/", 3, 200, "text/html", "D", 1, 10, b, 2));
    cr_assert_eq(page_cache_invalidate(c, 4), 0);
    cr_assert_eq(page_cache_invalidate(c, 3), 1);
    /* many pages under one tag, in the same buckets as others */
    char key[16];
    for (uint64_t i = 0; i < 2000; i++) {
        uint64_t t[2] = {100 + i % 3, 100000 + i};
        int n = snprintf(key, sizeof(key), "/p/%llu/", (unsigned long long)i);
        cr_assert_not_null(page_cache_put(c, key, (size_t)n, 200, "text/html", "x", 1, 10, t, 2));
    }
    cr_assert_eq(page_cache_invalidate(c, 101), 667);
    cr_assert_eq(page_cache_invalidate(c, 100000 + 4), 0, "page 4 carried 101: gone already");
    cr_assert_eq(page_cache_invalidate(c, 100000 + 5), 1, "page 5 carries 102: still there");
    page_cache_clear(c);
    struct page_cache_stats st;
    page_cache_stats(c, &st);
    cr_assert_eq(st.pages, 0);
    cr_assert_eq(st.bytes, 0);
    page_cache_free(c);
}

Test(cache, etags)
{
    char a[20], b[20];
    page_etag("hello", 5, a);
    page_etag("hellp", 5, b);
    cr_assert_eq(strlen(a), 18);
    cr_assert_eq(a[0], '"');
    cr_assert_str_neq(a, b);
    cr_assert(http_etag_matches(a, strlen(a), a, strlen(a)));
    char list[64];
    snprintf(list, sizeof(list), "\"zz\", W/%s", a);
    cr_assert(http_etag_matches(list, strlen(list), a, strlen(a)), "weak and listed");
    cr_assert(http_etag_matches("*", 1, a, strlen(a)));
    cr_assert_not(http_etag_matches(b, strlen(b), a, strlen(a)));
    cr_assert_not(http_etag_matches("", 0, a, strlen(a)));
}

Test(cache, pages_keep_compressed_copies_made_when_stored)
{
    struct page_cache *c = page_cache_new(1 << 20);
    char body[8000];
    size_t n = 0;
    while (n + 60 < sizeof(body))
        n += (size_t)snprintf(body + n, sizeof(body) - n, "<p>A paragraph of the article, number %zu.</p>\n", n);
    struct cached_page *p = page_cache_put(c, "/a/", 3, 200, "text/html; charset=utf-8", body, n, 10, NULL, 0);
    cr_assert_not_null(p->enc.gzip, "a gzip copy, made once here and sent as is afterwards");
    cr_assert_not_null(p->enc.br, "a brotli copy");
    cr_assert_lt(p->enc.br_len, n / 3);
    cr_assert_eq(c->bytes, p->cost, "one page in the cache");
    cr_assert_geq(p->cost, 3 + n + p->enc.gzip_len + p->enc.br_len, "the copies count in the budget");
    cr_assert_gt(p->modified, 0, "Last-Modified: when it was made");
    struct cached_page *feed = page_cache_put(c, "/f/", 3, 200, "application/rss+xml; charset=utf-8", body, n, 10, NULL, 0);
    cr_assert_not_null(feed->enc.br, "feeds too");
    struct cached_page *tiny = page_cache_put(c, "/t/", 3, 200, "text/html", body, 500, 10, NULL, 0);
    cr_assert_null(tiny->enc.gzip, "small pages go as they are");
    cr_assert_null(tiny->enc.br);
    page_cache_free(c);
}
