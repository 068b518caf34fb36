#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "http/router.h"
#include "lib/timeutil.h"
#include "news/archive.h"
#include "news/post.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(archive, .fini = tmpdata_remove);

#define NOW 1777887000 /* 2026-05-04T09:30:00Z */

static struct route match(const char *path)
{
    struct route r;
    route_match(path, strlen(path), &r);
    return r;
}

static void date_route_is(const char *path, int y, int m, int d, unsigned page)
{
    struct route r = match(path);
    cr_assert_eq(r.kind, ROUTE_DATE, "%s", path);
    cr_assert_eq(r.year, y, "%s", path);
    cr_assert_eq(r.month, m, "%s", path);
    cr_assert_eq(r.day, d, "%s", path);
    cr_assert_eq(r.page, page, "%s", path);
}

Test(archive, routes)
{
    date_route_is("/2026/", 2026, 0, 0, 1);
    date_route_is("/2026/05/", 2026, 5, 0, 1);
    date_route_is("/2026/05/04/", 2026, 5, 4, 1);
    date_route_is("/2026/page/3/", 2026, 0, 0, 3);
    date_route_is("/2026/05/page/2/", 2026, 5, 0, 2);
    date_route_is("/2026/05/04/page/7/", 2026, 5, 4, 7);
    date_route_is("/1999/12/31/", 1999, 12, 31, 1);
    /* articles keep their addresses */
    struct route r = match("/2026/05/04/page/");
    cr_assert_eq(r.kind, ROUTE_ARTICLE);
    r = match("/2026/05/04/a-slug/");
    cr_assert_eq(r.kind, ROUTE_ARTICLE);
    cr_assert_eq(r.day, 4);
    /* not dates */
    static const char *const none[] = {"/2026/13/",
                                       "/2026/00/",
                                       "/2026/5/",
                                       "/2026/05/32/",
                                       "/2026/05/00/",
                                       "/2026/05/4/",
                                       "/2026/05/04/page/0/",
                                       "/2026/page/",
                                       "/2026/05/04/a/b/",
                                       "/0999/",
                                       "/2026/05/04/page/2/x/",
                                       "/2026/05",
                                       "/20260/"};
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        r = match(none[i]);
        cr_assert(r.kind != ROUTE_DATE && r.kind != ROUTE_ARTICLE, "%s", none[i]);
    }
    cr_assert_eq(match("/20260/").kind, ROUTE_PAGE, "five digits are a page slug");
}

Test(archive, search_route)
{
    struct route r = match("/search/some words/");
    cr_assert_eq(r.kind, ROUTE_SEARCH);
    cr_assert_eq(r.slug_len, 10);
    cr_assert_eq(memcmp(r.slug, "some words", 10), 0);
    cr_assert_eq(match("/search/").kind, ROUTE_PAGE); /* "search" is a reserved page slug: a 404 */
    cr_assert_eq(match("/search/a/b/").kind, ROUTE_NONE);
    cr_assert_eq(match("/search/a\x01/").kind, ROUTE_NONE);
}

static void range_is(int y, int m, int d, const char *from, const char *to)
{
    int64_t a, b, want_a, want_b;
    cr_assert_eq(archive_range(NULL, y, m, d, &a, &b), 0, "%d-%d-%d", y, m, d);
    cr_assert_eq(time_parse_iso(from, strlen(from), &want_a), 0);
    cr_assert_eq(time_parse_iso(to, strlen(to), &want_b), 0);
    cr_assert_eq(a, want_a, "%d-%d-%d from", y, m, d);
    cr_assert_eq(b, want_b, "%d-%d-%d to", y, m, d);
}

Test(archive, ranges)
{
    range_is(2026, 0, 0, "2026-01-01", "2027-01-01");
    range_is(2026, 5, 0, "2026-05-01", "2026-06-01");
    range_is(2026, 12, 0, "2026-12-01", "2027-01-01");
    range_is(2024, 2, 29, "2024-02-29", "2024-03-01");
    range_is(2026, 12, 31, "2026-12-31", "2027-01-01");
    int64_t a, b;
    cr_assert_eq(archive_range(NULL, 9999, 0, 0, &a, &b), 0, "the last year has an end");
    cr_assert_eq(b - a, 365 * 86400);
    cr_assert_eq(archive_range(NULL, 9999, 12, 0, &a, &b), 0);
    cr_assert_eq(b - a, 31 * 86400);
    cr_assert_eq(archive_range(NULL, 2026, 2, 29, &a, &b), -EINVAL);
    cr_assert_eq(archive_range(NULL, 2026, 2, 30, &a, &b), -EINVAL);
    cr_assert_eq(archive_range(NULL, 2026, 4, 31, &a, &b), -EINVAL);
    cr_assert_eq(archive_range(NULL, 2026, 13, 0, &a, &b), -EINVAL);
    cr_assert_eq(archive_range(NULL, 2026, 0, 4, &a, &b), -EINVAL);
    cr_assert_eq(archive_range(NULL, 999, 0, 0, &a, &b), -EINVAL);
    cr_assert_eq(archive_range(NULL, 10000, 0, 0, &a, &b), -EINVAL);
    cr_assert_eq(archive_range(NULL, 2026, -1, 0, &a, &b), -EINVAL);
}

static int64_t add(struct db *db, int64_t uid, enum post_status st, const char *title, const char *when)
{
    int64_t t, id;
    cr_assert_eq(time_parse_iso(when, strlen(when), &t), 0);
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = st,
                          .title = title,
                          .author_id = uid,
                          .source = "Body.",
                          .comments_open = 1,
                          .published_at = t};
    cr_assert_eq(post_create(db, &in, NOW, &id), 0, "%s", title);
    return id;
}

Test(archive, posts_of_a_period_newest_first)
{
    struct db *db = tmpdata_open();
    int64_t uid;
    cr_assert_eq(user_create(db, "ann", "Ann Writer", "ann@example.com", ROLE_AUTHOR, NULL, NOW, &uid), 0);
    int64_t mar = add(db, uid, POST_PUBLISHED, "March", "2026-03-31T23:59:59Z");
    int64_t apr1 = add(db, uid, POST_PUBLISHED, "April one", "2026-04-01T00:00:00Z");
    int64_t apr2 = add(db, uid, POST_PUBLISHED, "April two", "2026-04-15T12:00:00Z");
    int64_t apr3 = add(db, uid, POST_PUBLISHED, "April three", "2026-04-15T12:00:00Z");
    add(db, uid, POST_DRAFT, "April draft", "2026-04-16T12:00:00Z");
    add(db, uid, POST_PRIVATE, "April private", "2026-04-17T12:00:00Z");
    add(db, uid, POST_PUBLISHED, "May future", "2026-05-20T12:00:00Z"); /* after NOW */
    int64_t old = add(db, uid, POST_PUBLISHED, "Old", "2025-12-31T23:59:59Z");

    struct post_list l;
    int64_t total;
    cr_assert_eq(archive_posts(db, NULL, 2026, 4, 0, NOW, 1, 10, &l, &total), 0);
    cr_assert_eq(total, 3);
    cr_assert_eq(l.n, 3);
    cr_assert_eq(l.items[0].id, apr3, "same time: higher id first");
    cr_assert_eq(l.items[1].id, apr2);
    cr_assert_eq(l.items[2].id, apr1);
    post_list_free(&l);

    cr_assert_eq(archive_posts(db, NULL, 2026, 4, 0, NOW, 2, 2, &l, &total), 0);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.items[0].id, apr1);
    post_list_free(&l);
    cr_assert_eq(archive_posts(db, NULL, 2026, 4, 0, NOW, 3, 2, &l, &total), 0);
    cr_assert_eq(l.n, 0);
    post_list_free(&l);

    cr_assert_eq(archive_posts(db, NULL, 2026, 3, 31, NOW, 1, 10, &l, &total), 0);
    cr_assert_eq(total, 1);
    cr_assert_eq(l.items[0].id, mar);
    post_list_free(&l);
    cr_assert_eq(archive_posts(db, NULL, 2026, 0, 0, NOW, 1, 10, &l, &total), 0);
    cr_assert_eq(total, 4, "the year, without the future post");
    post_list_free(&l);
    cr_assert_eq(archive_posts(db, NULL, 2025, 0, 0, NOW, 1, 10, &l, &total), 0);
    cr_assert_eq(total, 1);
    cr_assert_eq(l.items[0].id, old);
    post_list_free(&l);
    cr_assert_eq(archive_posts(db, NULL, 2026, 5, 0, NOW, 1, 10, &l, &total), 0);
    cr_assert_eq(total, 0);
    post_list_free(&l);
    cr_assert_eq(archive_posts(db, NULL, 2026, 2, 30, NOW, 1, 10, &l, &total), -EINVAL);

    struct post_month m[ARCHIVE_MONTHS_MAX];
    size_t n = 99;
    cr_assert_eq(archive_months(db, NOW, m, &n), 0);
    cr_assert_eq(n, 3);
    cr_assert_eq(m[0].year, 2026);
    cr_assert_eq(m[0].month, 4);
    cr_assert_eq(m[0].count, 3);
    cr_assert_eq(m[1].month, 3);
    cr_assert_eq(m[2].year, 2025);
    cr_assert_eq(m[2].month, 12);
    db_close(db);
}

Test(archive, months_list_is_bounded)
{
    struct db *db = tmpdata_open();
    int64_t uid;
    cr_assert_eq(user_create(db, "ann", "Ann Writer", "ann@example.com", ROLE_AUTHOR, NULL, NOW, &uid), 0);
    for (int i = 0; i < 20; i++) {
        char when[32], title[32];
        snprintf(when, sizeof(when), "%d-%02d-10T10:00:00Z", 2024 + i / 12, i % 12 + 1);
        snprintf(title, sizeof(title), "Post %d", i);
        add(db, uid, POST_PUBLISHED, title, when);
    }
    struct post_month m[ARCHIVE_MONTHS_MAX];
    size_t n;
    cr_assert_eq(archive_months(db, NOW, m, &n), 0);
    cr_assert_eq(n, ARCHIVE_MONTHS_MAX);
    cr_assert_eq(m[0].year, 2025);
    cr_assert_eq(m[0].month, 8);
    cr_assert_eq(m[11].year, 2024);
    cr_assert_eq(m[11].month, 9);
    db_close(db);
}
