#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "news/permalink.h"
#include "news/post.h"

static struct post sample(void)
{
    struct post p = {0};
    p.id = 42;
    p.type = POST_TYPE_POST;
    p.slug = "hello-world";
    p.published_at = 1710460800; /* 2024-03-15 00:00:00 UTC */
    return p;
}

static void path_is(const char *structure, const struct post *p, const char *want)
{
    struct permalink pl;
    char out[POST_PATH_MAX];
    cr_assert_eq(permalink_parse(structure, &pl), 0, "%s", structure);
    permalink_use(&pl);
    int n = post_path(p, out, sizeof(out));
    permalink_use(NULL);
    cr_assert_eq(n, (int)strlen(want));
    cr_assert_str_eq(out, want);
}

Test(permalink, post_path_under_each_structure)
{
    struct post p = sample();
    path_is("/%year%/%monthnum%/%day%/%postname%/", &p, "/2024/03/15/hello-world/");
    path_is("/%year%/%monthnum%/%postname%/", &p, "/2024/03/hello-world/");
    path_is("/%postname%/", &p, "/hello-world/");
    path_is("/archives/%post_id%/", &p, "/archives/42/");
    path_is("/%category%/%postname%/", &p, "/uncategorized/hello-world/");
    char cat[] = "world-news";
    p.category_slug = cat;
    path_is("/%category%/%postname%/", &p, "/world-news/hello-world/");
    path_is("/news/%year%/%post_id%/", &p, "/news/2024/42/");
    /* Pages keep /slug/ whatever the structure. */
    p.type = POST_TYPE_PAGE;
    path_is("/archives/%post_id%/", &p, "/hello-world/");
    p.category_slug = NULL;
}

Test(permalink, default_when_unset)
{
    struct post p = sample();
    char out[POST_PATH_MAX];
    permalink_use(NULL);
    cr_assert_gt(post_path(&p, out, sizeof(out)), 0);
    cr_assert_str_eq(out, "/2024/03/15/hello-world/");
    struct permalink pl;
    cr_assert_eq(permalink_parse(PERMALINK_DEFAULT, &pl), 0);
    cr_assert(permalink_is_default(&pl));
    cr_assert_eq(permalink_parse("/%postname%/", &pl), 0);
    cr_assert_not(permalink_is_default(&pl));
    cr_assert(permalink_is_default(permalink_default()));
}

Test(permalink, format_too_small)
{
    struct post p = sample();
    char out[8];
    cr_assert_eq(permalink_format(permalink_default(), &p, out, sizeof(out)), -ENOSPC);
    cr_assert_eq(permalink_format(permalink_default(), &p, out, 1), -ENOSPC);
}

Test(permalink, validation)
{
    static const char *const good[] = {
        "/%year%/%monthnum%/%day%/%postname%/",
        "/%year%/%monthnum%/%postname%/",
        "/%postname%/",
        "/archives/%post_id%/",
        "/%category%/%postname%/",
        "/blog/%year%/%postname%/",
        "/a_b-1/%post_id%/",
    };
    static const char *const bad[] = {
        "",
        "/",
        "%postname%/",
        "/%postname%",
        "/%year%/",              /* neither %postname% nor %post_id% */
        "/%author%/%postname%/", /* unknown tag */
        "/%postname%.html/",     /* a tag and text in one segment */
        "/x%postname%/",
        "/%year%%monthnum%/%postname%/", /* two tags in one segment */
        "/%postname%/%postname%/",       /* a tag twice */
        "//%postname%/",                 /* empty segment */
        "/Archives/%post_id%/",          /* upper case literal */
        "/../%postname%/",
        "/a b/%postname%/",
        "/%postname%/?p=1/",
        "/%POSTNAME%/",
        "/%postname/",
        "/a/b/c/d/e/f/%postname%/",                          /* too many segments */
        "/abcdefghijklmnopqrstuvwxyz0123456789/%postname%/", /* literal too long */
        NULL,
    };
    struct permalink pl;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        cr_assert_eq(permalink_parse(good[i], &pl), 0, "%s", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(permalink_parse(bad[i], &pl), -EINVAL, "%s", bad[i] ? bad[i] : "NULL");
    char longs[PERMALINK_MAX_LEN + 64];
    memset(longs, 'a', sizeof(longs));
    memcpy(longs, "/%postname%/", 12);
    longs[sizeof(longs) - 2] = '/';
    longs[sizeof(longs) - 1] = '\0';
    cr_assert_eq(permalink_parse(longs, &pl), -EINVAL);
}

static int match(const char *structure, const char *path, struct permalink_match *m)
{
    struct permalink pl;
    cr_assert_eq(permalink_parse(structure, &pl), 0);
    return permalink_match(&pl, path, strlen(path), m);
}

static void str_is(const char *p, size_t n, const char *want)
{
    cr_assert_eq(n, strlen(want));
    cr_assert_eq(memcmp(p, want, n), 0);
}

Test(permalink, matching)
{
    struct permalink_match m;
    cr_assert_eq(match("/%year%/%monthnum%/%day%/%postname%/", "/2024/03/15/hello/", &m), 0);
    cr_assert_eq(m.year, 2024);
    cr_assert_eq(m.month, 3);
    cr_assert_eq(m.day, 15);
    str_is(m.slug, m.slug_len, "hello");
    cr_assert_eq(match("/%year%/%monthnum%/%postname%/", "/2024/03/hello/", &m), 0);
    cr_assert_eq(m.day, 0);
    cr_assert_eq(match("/%postname%/", "/hello/", &m), 0);
    str_is(m.slug, m.slug_len, "hello");
    cr_assert_eq(m.year, 0);
    cr_assert_eq(match("/archives/%post_id%/", "/archives/42/", &m), 0);
    cr_assert_eq(m.id, 42);
    cr_assert_null(m.slug);
    cr_assert_eq(match("/%category%/%postname%/", "/news/hello/", &m), 0);
    str_is(m.category, m.category_len, "news");
    str_is(m.slug, m.slug_len, "hello");
}

Test(permalink, matching_refuses)
{
    struct permalink_match m;
    const char *d = "/%year%/%monthnum%/%day%/%postname%/";
    cr_assert_eq(match(d, "/2024/03/15/", &m), -ENOENT);     /* too short */
    cr_assert_eq(match(d, "/2024/03/15/a/b/", &m), -ENOENT); /* too long */
    cr_assert_eq(match(d, "/2024/3/15/a/", &m), -ENOENT);    /* width */
    cr_assert_eq(match(d, "/2024/13/15/a/", &m), -ENOENT);   /* month */
    cr_assert_eq(match(d, "/2024/03/32/a/", &m), -ENOENT);   /* day */
    cr_assert_eq(match(d, "/0999/03/15/a/", &m), -ENOENT);   /* year */
    cr_assert_eq(match(d, "/2024/03/15/a", &m), -ENOENT);    /* no final slash */
    cr_assert_eq(match(d, "2024/03/15/a/", &m), -ENOENT);
    cr_assert_eq(match(d, "/2024//03/15/a/", &m), -ENOENT);
    cr_assert_eq(match(d, "/2024/03/15/../", &m), -ENOENT);
    cr_assert_eq(match("/%postname%/", "/", &m), -ENOENT);
    cr_assert_eq(match("/%postname%/", "//", &m), -ENOENT);
    cr_assert_eq(match("/%postname%/", "/./", &m), -ENOENT);
    cr_assert_eq(match("/%postname%/", "/a b/", &m), -ENOENT);
    cr_assert_eq(match("/archives/%post_id%/", "/archive/42/", &m), -ENOENT);
    cr_assert_eq(match("/archives/%post_id%/", "/archives/0/", &m), -ENOENT);
    cr_assert_eq(match("/archives/%post_id%/", "/archives/4x/", &m), -ENOENT);
    cr_assert_eq(match("/archives/%post_id%/", "/archives/1234567890123456789/", &m), -ENOENT);
    cr_assert_eq(match("/archives/%post_id%/", "/archives/-1/", &m), -ENOENT);
    char longslug[400];
    memset(longslug, 'a', sizeof(longslug));
    longslug[0] = '/';
    longslug[sizeof(longslug) - 2] = '/';
    longslug[sizeof(longslug) - 1] = '\0';
    cr_assert_eq(match("/%postname%/", longslug, &m), -ENOENT);
    /* Not NUL-terminated: only n bytes are read. */
    struct permalink pl;
    cr_assert_eq(permalink_parse("/%postname%/", &pl), 0);
    cr_assert_eq(permalink_match(&pl, "/abc/def", 5, &m), 0);
    str_is(m.slug, m.slug_len, "abc");
    cr_assert_eq(permalink_match(&pl, "/abc/", 0, &m), -ENOENT);
}
