/* What search engines and social sites are told: JSON-LD escaped for its script element, the
 * language as each reader of it spells it, descriptions cut between words, the sitemaps' reads
 * (only public posts, oldest first, a deep file the same as the naive query's) and the identity
 * images made with libvips. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>

#include "db/db_int.h"
#include "db/sitemap.h"
#include "news/identity.h"
#include "news/seo.h"
#include "news/sitemap.h"
#include "render/jsonld.h"
#include "tmpdata.h"

TestSuite(seo, .fini = tmpdata_remove);

#define NOW 1777887000 /* 2026-05-04T09:30:00Z */

static char *escaped(const char *json)
{
    struct buf b = BUF_INIT;
    cr_assert_eq(jsonld_escape(&b, json, strlen(json)), 0);
    return buf_steal(&b);
}

Test(seo, jsonld_escape_closes_nothing_and_means_the_same)
{
    const char *title = "</script><script>alert(1)</script> <!-- & \"q\" \xe2\x80\xa8 \xe2\x80\xa9 \xf0\x9f\xa6\x8a";
    json_t *j = json_pack("{s:s}", "headline", title);
    struct buf b = BUF_INIT;
    cr_assert_eq(jsonld_script(&b, j), 0);
    cr_assert_null(strstr(b.data, "<"));
    cr_assert_null(strstr(b.data, ">"));
    cr_assert_null(strstr(b.data, "&"));
    cr_assert_null(strstr(b.data, "\xe2\x80\xa8"));
    cr_assert_null(strstr(b.data, "\xe2\x80\xa9"));
    cr_assert_not_null(strstr(b.data, "\\u003c/script\\u003e"));
    cr_assert_not_null(strstr(b.data, "\\u2028 \\u2029"));
    cr_assert_not_null(strstr(b.data, "\xf0\x9f\xa6\x8a"), "other characters stay as they are");
    json_error_t err;
    json_t *back = json_loads(b.data, 0, &err);
    cr_assert_not_null(back, "%s", err.text);
    cr_assert_str_eq(json_string_value(json_object_get(back, "headline")), title);
    json_decref(back);
    json_decref(j);
    buf_free(&b);

    char *s = escaped("{\"a\":\"x<y>&z\"}");
    cr_assert_str_eq(s, "{\"a\":\"x\\u003cy\\u003e\\u0026z\"}");
    free(s);
    s = escaped("\xe2\x80"); /* a cut sequence is left alone */
    cr_assert_str_eq(s, "\xe2\x80");
    free(s);
}

Test(seo, language_tags)
{
    static const char *const good[] = {"en", "en-US", "fr", "pt-BR", "zh-Hant-TW", "es-419", "ast", "sr-Latn"};
    static const char *const bad[] = {"",
                                      "e",
                                      "english",
                                      "en_US",
                                      "en-",
                                      "en-USA",
                                      "-en",
                                      "en US",
                                      "zh-Hant-",
                                      "en-us-x",
                                      "é",
                                      "en-U1",
                                      "aaaaaaaaaaaaaaaaaaaa"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        cr_assert(seo_language_ok(good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert(!seo_language_ok(bad[i]), "%s", bad[i]);
    char out[SEO_LANG_MAX];
    seo_og_locale("en-US", out);
    cr_assert_str_eq(out, "en_US");
    seo_og_locale("pt-br", out);
    cr_assert_str_eq(out, "pt_BR");
    seo_og_locale("FR", out);
    cr_assert_str_eq(out, "fr");
    seo_og_locale("zh-Hant-TW", out);
    cr_assert_str_eq(out, "zh_TW");
    seo_news_language("en-GB", out);
    cr_assert_str_eq(out, "en");
    seo_news_language("zh-Hant", out);
    cr_assert_str_eq(out, "zh-tw");
    seo_news_language("zh-HK", out);
    cr_assert_str_eq(out, "zh-tw");
    seo_news_language("zh-CN", out);
    cr_assert_str_eq(out, "zh-cn");
    seo_news_language("zh", out);
    cr_assert_str_eq(out, "zh-cn");
}

Test(seo, descriptions_are_cut_between_words_and_protected_posts_have_none)
{
    char text[1000];
    struct buf b = BUF_INIT;
    seo_description("Short and sweet.  ", &b);
    cr_assert_str_eq(b.data, "Short and sweet.");
    buf_reset(&b);
    text[0] = '\0';
    while (strlen(text) < 900)
        strcat(text, "harbour, ");
    seo_description(text, &b);
    cr_assert_leq(b.len, SEO_DESCRIPTION_MAX);
    cr_assert(b.len > SEO_DESCRIPTION_MAX - 20);
    cr_assert_str_eq(b.data + b.len - 10, "harbour\xe2\x80\xa6", "%s", b.data);
    buf_reset(&b);
    memset(text, 0, sizeof(text));
    for (int i = 0; i < 200; i++)
        strcat(text, "\xc3\xa9"); /* é, no space anywhere */
    seo_description(text, &b);
    cr_assert_leq(b.len, SEO_DESCRIPTION_MAX);
    cr_assert_eq((b.len - 3) % 2, 0, "cut between characters");
    buf_reset(&b);
    struct post p = {.excerpt = "What the locked story says", .password = "secret"};
    seo_post_description(&p, &b);
    cr_assert_eq(b.len, 0);
    p.password = NULL;
    seo_post_description(&p, &b);
    cr_assert_str_eq(b.data, "What the locked story says");
    buf_free(&b);
}

static int64_t author;

static int64_t add(struct db *db, enum post_type type, enum post_status status, int64_t at, const char *password, int n)
{
    char slug[32];
    snprintf(slug, sizeof(slug), "p-%d", n);
    struct post p = {.type = type,
                     .status = status,
                     .title = slug,
                     .slug = slug,
                     .author_id = author,
                     .format = POST_FORMAT_HTML,
                     .source = "",
                     .html = "",
                     .excerpt = "",
                     .comments_open = 1,
                     .password = (char *)password,
                     .published_at = at,
                     .created_at = at,
                     .modified_at = at};
    cr_assert_eq(db_post_insert(db, &p), 0);
    return p.id;
}

static struct db *site(void)
{
    struct db *db = tmpdata_open();
    struct user u = {.login = "writer", .display_name = "Writer", .role = ROLE_AUTHOR, .created_at = NOW};
    cr_assert_eq(db_user_insert(db, &u, NULL), 0);
    author = u.id;
    return db;
}

Test(seo, sitemaps_list_only_what_readers_may_see)
{
    struct db *db = site();
    int64_t pub = add(db, POST_TYPE_POST, POST_PUBLISHED, NOW - 100, NULL, 1);
    add(db, POST_TYPE_POST, POST_DRAFT, NOW - 90, NULL, 2);
    add(db, POST_TYPE_POST, POST_PENDING, NOW - 80, NULL, 3);
    add(db, POST_TYPE_POST, POST_SCHEDULED, NOW + 100, NULL, 4);
    add(db, POST_TYPE_POST, POST_PRIVATE, NOW - 70, NULL, 5);
    add(db, POST_TYPE_POST, POST_TRASH, NOW - 60, NULL, 6);
    add(db, POST_TYPE_POST, POST_PUBLISHED, NOW + 50, NULL, 7); /* not due */
    add(db, POST_TYPE_POST, POST_PUBLISHED, NOW - 50, "secret", 8);
    int64_t older = add(db, POST_TYPE_POST, POST_PUBLISHED, NOW - 200, NULL, 9);
    int64_t page = add(db, POST_TYPE_PAGE, POST_PUBLISHED, NOW - 40, NULL, 10);
    add(db, POST_TYPE_PAGE, POST_PUBLISHED, NOW - 30, "secret", 11);
    add(db, POST_TYPE_PAGE, POST_DRAFT, NOW - 20, NULL, 12);

    struct post_list l = {0};
    cr_assert_eq(sitemap_posts(db, SITEMAP_POSTS, NOW, 1, &l), 0);
    cr_assert_eq(l.n, 2);
    cr_assert_eq(l.items[0].id, older, "oldest first");
    cr_assert_eq(l.items[1].id, pub);
    post_list_free(&l);
    cr_assert_eq(sitemap_posts(db, SITEMAP_POSTS, NOW, 2, &l), -ENOENT);
    cr_assert_eq(sitemap_posts(db, SITEMAP_PAGES, NOW, 1, &l), 0);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.items[0].id, page);
    post_list_free(&l);
    cr_assert_eq(sitemap_news(db, NOW, &l), 0);
    cr_assert_eq(l.n, 2);
    cr_assert_eq(l.items[0].id, pub, "newest first");
    post_list_free(&l);
    cr_assert_eq(sitemap_news(db, NOW + SITEMAP_NEWS_SECONDS - 150, &l), 0);
    cr_assert_eq(l.n, 2, "only the last two days (and the post that came due meanwhile)");
    cr_assert_eq(l.items[1].id, pub);
    post_list_free(&l);

    /* terms: only those with a published post due now */
    struct term live = {.taxonomy = TERM_TAG, .name = "Live", .slug = "live"};
    struct term empty = {.taxonomy = TERM_TAG, .name = "Empty", .slug = "empty"};
    struct term later = {.taxonomy = TERM_TAG, .name = "Later", .slug = "later"};
    cr_assert_eq(db_term_insert(db, &live), 0);
    cr_assert_eq(db_term_insert(db, &empty), 0);
    cr_assert_eq(db_term_insert(db, &later), 0);
    cr_assert_eq(db_post_set_terms(db, pub, TERM_TAG, &live.id, 1), 0);
    int64_t future_id = add(db, POST_TYPE_POST, POST_PUBLISHED, NOW + 500, NULL, 13);
    cr_assert_eq(db_post_set_terms(db, future_id, TERM_TAG, &later.id, 1), 0);
    struct sitemap_item_list items = {0};
    cr_assert_eq(sitemap_items(db, SITEMAP_TAGS, NOW, 1, &items), 0);
    cr_assert_eq(items.n, 1);
    cr_assert_str_eq(items.items[0].slug, "live");
    cr_assert_eq(items.items[0].lastmod, NOW - 100);
    sitemap_item_list_free(&items);
    cr_assert_eq(sitemap_items(db, SITEMAP_CATEGORIES, NOW, 1, &items), -ENOENT);
    cr_assert_eq(sitemap_items(db, SITEMAP_AUTHORS, NOW, 1, &items), 0);
    cr_assert_eq(items.n, 1);
    cr_assert_str_eq(items.items[0].slug, "writer");
    cr_assert_eq(items.items[0].lastmod, NOW - 50, "the newest public post, protected or not (its archive lists it)");
    sitemap_item_list_free(&items);
    unsigned files[8];
    size_t n;
    cr_assert_eq(sitemap_files(db, SITEMAP_TAGS, NOW, files, 8, &n), 0);
    cr_assert_eq(n, 1);
    cr_assert_eq(sitemap_files(db, SITEMAP_CATEGORIES, NOW, files, 8, &n), 0);
    cr_assert_eq(n, 0);
    cr_assert_eq(sitemap_files(db, SITEMAP_PAGES, NOW, files, 8, &n), 0);
    cr_assert_eq(n, 1);
    db_close(db);
}

/* A page of the posts sitemap, deep or not, is what the plain query says it is. */
Test(seo, deep_files_match_the_plain_query)
{
    struct db *db = site();
    const int total = 3000;
    cr_assert_eq(db_begin(db), 0);
    for (int i = 0; i < total; i++) /* bunched: many posts share a second, an hour, a day */
        add(db, POST_TYPE_POST, POST_PUBLISHED, NOW - (int64_t)(i % 7) * 86400 - (i % 5) * 3600 - (i % 3), NULL,
            100 + i);
    cr_assert_eq(db_commit(db), 0);
    /* the plain query: every id in (published_at, id) order */
    struct sql_stmt *st = sql_prepare_once(db, "SELECT id FROM posts ORDER BY published_at, id");
    int64_t *want = NULL;
    size_t k = 0;
    cr_assert_eq(db_many_ids(st, &want, &k), 0, "%s", db_errmsg(db));
    sql_finalize(st);
    cr_assert_eq(k, (size_t)total);
    static const size_t offsets[] = {0, 1, 199, 200, 201, 999, 1500, 2345, 2999};
    for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
        struct post_list l = {0};
        cr_assert_eq(db_sitemap_posts(db, NOW, offsets[i], 400, &l), 0);
        size_t expect = total - offsets[i] < 400 ? total - offsets[i] : 400;
        cr_assert_eq(l.n, expect, "offset %zu", offsets[i]);
        for (size_t j = 0; j < l.n; j++)
            cr_assert_eq(l.items[j].id, want[offsets[i] + j], "offset %zu, item %zu", offsets[i], j);
        post_list_free(&l);
    }
    free(want);
    db_close(db);
}

/* A width x height image with alpha written as PNG at path, made with libvips itself. */
static void write_image(const char *path, int width, int height)
{
    VipsImage *x = NULL, *u = NULL, *rgba = NULL;
    cr_assert_eq(vips_xyz(&x, width, height, NULL), 0);
    cr_assert_eq(vips_cast_uchar(x, &u, NULL), 0);
    VipsImage *bands[2] = {u, u};
    cr_assert_eq(vips_bandjoin(bands, &rgba, 2, NULL), 0);
    cr_assert_eq(vips_image_write_to_file(rgba, path, NULL), 0);
    g_object_unref(rgba);
    g_object_unref(u);
    g_object_unref(x);
}

Test(seo, identity_images_are_made_from_one_file)
{
    struct db *db = tmpdata_open();
    char path[512], why[IMAGE_WHY_MAX] = "";
    int w, h;
    snprintf(path, sizeof(path), "%s/wide.png", tmpdata_dir);
    cr_assert_eq(image_probe("/nonexistent/file.png", &w, &h, why), -ENOENT);
    /* a file that is not an image; the library starts there, so that vips_* below may run */
    char text[512];
    snprintf(text, sizeof(text), "%s/notes.png", tmpdata_dir);
    FILE *f = fopen(text, "w");
    cr_assert_not_null(f);
    fputs("not an image", f);
    fclose(f);
    cr_assert_eq(image_probe(text, &w, &h, why), -EINVAL);
    cr_assert_not_null(strstr(why, "not a JPEG, PNG, WebP, GIF or AVIF"));
    char icon_dir[300];
    snprintf(icon_dir, sizeof(icon_dir), "%s", tmpdata_dir);
    struct identity_made m = {0};
    cr_assert_eq(identity_make("site_icon", icon_dir, &m, why), -EINVAL);
    cr_assert_str_eq(why, "That path is not a file.");
    write_image(path, 800, 600);
    cr_assert_eq(image_probe(path, &w, &h, why), 0);
    cr_assert_eq(w, 800);
    cr_assert_eq(h, 600);
    cr_assert_eq(identity_make("site_icon", path, &m, why), 0, "%s", why);
    cr_assert_eq(m.n, 4);
    static const struct {
        const char *name;
        int size;
    } want[] = {
        {"favicon.ico", 48}, {"apple-touch-icon.png", 180}, {"site-icon-192.png", 192}, {"site-icon-512.png", 512}};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_str_eq(m.images[i].name, want[i].name);
        cr_assert_eq(m.images[i].width, want[i].size, "%s", want[i].name);
        cr_assert_eq(m.images[i].height, want[i].size, "%s", want[i].name);
        cr_assert_gt(m.images[i].len, 0);
    }
    cr_assert_eq(memcmp(m.images[0].body, "\0\0\1\0", 4), 0, "an ICO file");
    cr_assert_eq(memcmp(m.images[1].body, "\x89PNG", 4), 0, "a PNG file");
    cr_assert_eq(identity_store(db, "site_icon", path, &m), 0);
    identity_made_free(&m);

    struct identity id = {0};
    cr_assert_eq(identity_load(db, &id), 0);
    cr_assert(id.has_icon);
    cr_assert_eq(id.social.path[0], '\0');
    cr_assert_eq(identity_setting_set(db, "social_image", path, why), 0, "%s", why);
    cr_assert_eq(identity_load(db, &id), 0);
    cr_assert_str_eq(id.social.path, "/social-image.jpg");
    cr_assert_eq(id.social.width, 800, "never enlarged");
    cr_assert_eq(id.social.height, 600);
    struct site_image img = {0};
    cr_assert_eq(db_site_image_get(db, "social-image.jpg", &img), 0);
    cr_assert_eq(memcmp(img.body, "\xff\xd8", 2), 0, "a JPEG file");
    free(img.body);

    /* a small icon is refused and the stored one stays */
    snprintf(path, sizeof(path), "%s/small.png", tmpdata_dir);
    write_image(path, 300, 300);
    cr_assert_eq(identity_setting_set(db, "site_icon", path, why), -EINVAL);
    cr_assert_not_null(strstr(why, "512"));
    cr_assert_eq(db_site_image_get(db, "favicon.ico", &img), 0);
    free(img.body);
    /* emptied, its images go */
    cr_assert_eq(identity_setting_set(db, "site_icon", "", why), 0);
    cr_assert_eq(db_site_image_get(db, "favicon.ico", &img), -ENOENT);
    cr_assert_eq(identity_load(db, &id), 0);
    cr_assert(!id.has_icon);
    db_close(db);
}
