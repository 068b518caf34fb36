#include <criterion/criterion.h>
#include <string.h>

#include "http/cache.c"

Test(cache, put_get_replace_and_expire)
{
    struct page_cache *c = page_cache_new(1 << 20);
    cr_assert_null(page_cache_get(c, "/", 1, 100));
    struct cached_page *p = page_cache_put(c, "/", 1, 200, "text/html", "<p>one</p>", 10, 110);
    cr_assert_not_null(p);
    cr_assert_eq(page_cache_get(c, "/", 1, 100), p);
    cr_assert_eq(p->len, 10);
    cr_assert_eq(memcmp(p->body, "<p>one</p>", 10), 0);
    cr_assert_null(page_cache_get(c, "/", 1, 110), "expired at its time");
    cr_assert_null(page_cache_get(c, "/x", 2, 100));
    struct cached_page *q = page_cache_put(c, "/", 1, 404, "text/html", "gone", 4, 200);
    cr_assert_eq(page_cache_get(c, "/", 1, 100), q);
    cr_assert_eq(q->status, 404);
    cr_assert_eq(c->bytes, 4 + 1, "the replaced page no longer counts");
    page_cache_free(c);
}

Test(cache, a_held_page_outlives_a_clear)
{
    struct page_cache *c = page_cache_new(1 << 20);
    struct cached_page *p = page_cache_put(c, "/a/", 3, 200, "text/html", "body", 4, 10);
    p->refs++; /* as page_send does while a response is being written */
    page_cache_clear(c);
    cr_assert_null(page_cache_get(c, "/a/", 3, 0));
    cr_assert_eq(memcmp(p->body, "body", 4), 0, "still readable (ASan would catch a use after free)");
    page_unref(p);
    page_cache_free(c);
}

Test(cache, budget_empties_the_cache_and_refuses_huge_pages)
{
    struct page_cache *c = page_cache_new(1000);
    char big[300];
    memset(big, 'x', sizeof(big));
    cr_assert_null(page_cache_put(c, "/huge/", 6, 200, "text/html", big, sizeof(big), 10), "over a quarter");
    cr_assert_not_null(page_cache_put(c, "/1/", 3, 200, "text/html", big, 200, 10));
    cr_assert_not_null(page_cache_put(c, "/2/", 3, 200, "text/html", big, 200, 10));
    cr_assert_not_null(page_cache_put(c, "/3/", 3, 200, "text/html", big, 200, 10));
    cr_assert_not_null(page_cache_put(c, "/4/", 3, 200, "text/html", big, 200, 10));
    cr_assert_not_null(page_cache_put(c, "/5/", 3, 200, "text/html", big, 200, 10));
    cr_assert_leq(c->bytes, 1000);
    cr_assert_null(page_cache_get(c, "/1/", 3, 0), "dropped when the budget ran out");
    cr_assert_not_null(page_cache_get(c, "/5/", 3, 0));
    char key[CACHE_MAX_KEY + 1];
    memset(key, '/', sizeof(key));
    cr_assert_null(page_cache_put(c, key, sizeof(key), 200, "text/html", "x", 1, 10), "key too long");
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
    struct cached_page *p = page_cache_put(c, "/a/", 3, 200, "text/html; charset=utf-8", body, n, 10);
    cr_assert_not_null(p->enc.gzip, "a gzip copy, made once here and sent as is afterwards");
    cr_assert_not_null(p->enc.br, "a brotli copy");
    cr_assert_lt(p->enc.br_len, n / 3);
    cr_assert_eq(c->bytes, 3 + n + p->enc.gzip_len + p->enc.br_len, "the copies count in the budget");
    cr_assert_gt(p->modified, 0, "Last-Modified: when it was made");
    struct cached_page *feed = page_cache_put(c, "/f/", 3, 200, "application/rss+xml; charset=utf-8", body, n, 10);
    cr_assert_not_null(feed->enc.br, "feeds too");
    struct cached_page *tiny = page_cache_put(c, "/t/", 3, 200, "text/html", body, 500, 10);
    cr_assert_null(tiny->enc.gzip, "small pages go as they are");
    cr_assert_null(tiny->enc.br);
    page_cache_free(c);
}
