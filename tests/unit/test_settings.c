#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "news/settings.h"
#include "tmpdata.h"

TestSuite(settings, .fini = tmpdata_remove);

Test(settings, defaults_of_the_reader_site_contract)
{
    struct db *db = tmpdata_open();
    const char *want[][2] = {
        {"site_title", "Gazette"},  {"site_tagline", ""},           {"site_url", "http://127.0.0.1:8080"},
        {"posts_per_page", "10"},   {"thread_depth", "5"},          {"comment_hold_first", "1"},
        {"comment_max_links", "2"}, {"comment_flood_seconds", "15"}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        char *v = NULL;
        cr_assert_eq(setting_get(db, want[i][0], &v), 0);
        cr_assert_str_eq(v, want[i][1], "%s", want[i][0]);
        free(v);
    }
    int64_t n;
    cr_assert_eq(setting_get_int(db, "posts_per_page", &n), 0);
    cr_assert_eq(n, 10);
    db_close(db);
}

Test(settings, set_then_get)
{
    struct db *db = tmpdata_open();
    char *v = NULL;
    cr_assert_eq(setting_set(db, "site_title", "The Daily Example"), 0);
    cr_assert_eq(setting_get(db, "site_title", &v), 0);
    cr_assert_str_eq(v, "The Daily Example");
    free(v);
    cr_assert_eq(setting_set(db, "comment_flood_seconds", "0"), 0);
    int64_t n = -1;
    cr_assert_eq(setting_get_int(db, "comment_flood_seconds", &n), 0);
    cr_assert_eq(n, 0);
    db_close(db);
}

Test(settings, refuses_unknown_keys_and_bad_integers)
{
    struct db *db = tmpdata_open();
    char *v = NULL;
    cr_assert_eq(setting_get(db, "no_such_key", &v), -ENOENT);
    cr_assert_eq(setting_set(db, "no_such_key", "1"), -ENOENT);
    cr_assert_eq(setting_set(db, "posts_per_page", "ten"), -EINVAL);
    cr_assert_eq(setting_set(db, "posts_per_page", "0"), -EINVAL);
    cr_assert_eq(setting_set(db, "timezone", "Asia/Tokyo"), 0);
    cr_assert_eq(setting_set(db, "timezone", "../../etc/passwd"), -EINVAL, "no path from a zone name unchecked");
    cr_assert_eq(setting_set(db, "timezone", "Mars/Olympus"), -EINVAL, "the zone must exist");
    cr_assert_eq(setting_set(db, "posts_per_page", "-3"), -EINVAL);
    cr_assert_eq(setting_set(db, "posts_per_page", "12abc"), -EINVAL);
    cr_assert_eq(setting_set(db, "comment_hold_first", "2"), -EINVAL);
    cr_assert_eq(setting_set(db, "posts_per_page", "25"), 0);
    char big[SETTING_VALUE_MAX + 2];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    cr_assert_eq(setting_set(db, "site_tagline", big), -EINVAL);
    int64_t n;
    cr_assert_eq(setting_get_int(db, "posts_per_page", &n), 0);
    cr_assert_eq(n, 25);
    cr_assert_eq(setting_get_int(db, "site_title", &n), -ENOENT);
    db_close(db);
}

Test(settings, a_corrupt_stored_integer_reads_as_the_default)
{
    struct db *db = tmpdata_open();
    cr_assert_eq(db_setting_set(db, "thread_depth", "deep"), 0);
    int64_t n;
    cr_assert_eq(setting_get_int(db, "thread_depth", &n), 0);
    cr_assert_eq(n, 5);
    db_close(db);
}

Test(settings, permalink_structure_checked)
{
    struct db *db = tmpdata_open();
    struct permalink pl;
    cr_assert_eq(setting_permalink(db, &pl), 0);
    cr_assert(permalink_is_default(&pl));
    cr_assert_eq(setting_set(db, "permalink_structure", "/%postname%.html"), -EINVAL);
    cr_assert_eq(setting_set(db, "permalink_structure", "/%author%/%postname%/"), -EINVAL);
    cr_assert_eq(setting_set(db, "permalink_structure", "/archives/%post_id%/"), 0);
    cr_assert_eq(setting_permalink(db, &pl), 0);
    cr_assert_eq(pl.n, 2);
    cr_assert_eq(pl.seg[0].tag, PERMALINK_LITERAL);
    cr_assert_str_eq(pl.seg[0].lit, "archives");
    cr_assert_eq(pl.seg[1].tag, PERMALINK_POST_ID);
    db_close(db);
}

Test(settings, http_headers_checked)
{
    struct db *db = tmpdata_open();
    char *v = NULL;
    cr_assert_eq(setting_get(db, "cache_control", &v), 0);
    cr_assert_str_eq(v, "public, max-age=60, stale-while-revalidate=600");
    free(v);
    cr_assert_eq(setting_get(db, "hsts", &v), 0);
    cr_assert_str_eq(v, "", "no HSTS until the site owner asks for it");
    free(v);
    cr_assert_eq(setting_set(db, "cache_control", "public, max-age=300"), 0);
    cr_assert_eq(setting_set(db, "cache_control", ""), 0, "empty: no header");
    cr_assert_eq(setting_set(db, "cache_control", "public\r\nSet-Cookie: x=1"), -EINVAL, "no header injection");
    cr_assert_eq(setting_set(db, "cache_control", "caf\xc3\xa9"), -EINVAL, "ASCII only");
    char big[SETTING_HEADER_MAX + 2];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    cr_assert_eq(setting_set(db, "cache_control", big), -EINVAL);
    cr_assert_eq(setting_set(db, "hsts", "max-age=31536000"), 0);
    cr_assert_eq(setting_set(db, "hsts", "max-age=63072000; includeSubDomains; preload"), 0);
    cr_assert_eq(setting_set(db, "hsts", "max-age=0"), 0, "max-age=0 tells browsers to forget");
    cr_assert_eq(setting_set(db, "hsts", ""), 0);
    cr_assert_eq(setting_set(db, "hsts", "max-age="), -EINVAL);
    cr_assert_eq(setting_set(db, "hsts", "max-age=1y"), -EINVAL);
    cr_assert_eq(setting_set(db, "hsts", "includeSubDomains"), -EINVAL);
    cr_assert_eq(setting_set(db, "hsts", "max-age=10; preload; includeSubDomains"), -EINVAL, "in the usual order");
    cr_assert_eq(setting_set(db, "hsts", "max-age=10\r\nX: y"), -EINVAL);
    cr_assert_eq(setting_get(db, "hsts", &v), 0);
    cr_assert_str_eq(v, "", "a refused value changes nothing");
    free(v);
    db_close(db);
}
