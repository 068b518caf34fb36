/* gazette copy's storage side (db/copy.c): every table of the schema is either copied or listed
 * as left behind; a whole site (the WordPress theme test data, a revision, settings, a session)
 * goes into a SQLite directory and, on the PostgreSQL run, on into a new PostgreSQL database, with
 * the same census on every side, its counts and search made again, and no session; a destination
 * that holds a site is refused. Runs on each backend of the test run. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db/copy.h"
#include "db/newsroom.h"
#include "db/sql.h"
#include "db/wpmap.h"
#include "import/import.h"
#include "import/wxr.h"
#include "news/session.h"
#include "news/settings.h"
#include "tmpdata.h"

TestSuite(copy, .fini = tmpdata_remove);

#define NOW 1777887000

static int listed(const char *name)
{
    for (size_t i = 0; i < db_copy_n_tables; i++)
        if (strcmp(db_copy_tables[i].name, name) == 0)
            return 1;
    for (size_t i = 0; i < db_copy_n_skipped; i++)
        if (strcmp(db_copy_skipped[i], name) == 0)
            return 2;
    return 0;
}

Test(copy, every_table_of_the_schema_is_copied_or_left_behind_by_name)
{
    struct db *db = tmpdata_open();
    char **names = NULL;
    size_t n = 0;
    cr_assert_eq(db_copy_schema_tables(db, &names, &n), 0, "%s", db_errmsg(db));
    cr_assert_gt(n, 10);
    for (size_t i = 0; i < n; i++)
        cr_assert_neq(listed(names[i]), 0,
                      "table %s is in neither list of src/db/copy.c: add it to db_copy_tables (with the key its "
                      "rows are read in order of) or to db_copy_skipped (with the reason)",
                      names[i]);
    for (size_t i = 0; i < db_copy_n_tables; i++) {
        int found = 0;
        for (size_t k = 0; k < n; k++)
            found |= strcmp(names[k], db_copy_tables[i].name) == 0;
        cr_assert(found, "copied table %s is not in the schema", db_copy_tables[i].name);
    }
    db_copy_names_free(names, n);
    db_close(db);
}

static int64_t one(struct db *db, const char *sql)
{
    struct sql_stmt *st = sql_prepare_once(db, sql);
    cr_assert_eq(sql_step(st), SQL_ROW, "%s: %s", sql, db_errmsg(db));
    int64_t v = sql_int64(st, 0);
    sql_finalize(st);
    return v;
}

/* A site with a bit of everything: an import, a revision, a setting, a session. */
static void site(struct db *db)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/wxr/themeunittestdata.wordpress.xml", getenv("GAZETTE_TESTDATA"));
    struct import_options opt = {.now = NOW};
    struct import_stats st;
    struct wxr_error err;
    cr_assert_eq(import_wxr(db, path, &opt, &st, &err), 0, "%s: %s %s", path, err.message, db_errmsg(db));
    cr_assert_eq(setting_set(db, "site_title", "Copied Times"), 0);
    int64_t uid = one(db, "SELECT min(id) FROM users"), pid = one(db, "SELECT max(id) FROM posts");
    struct revision r = {
        .post_id = pid, .user_id = uid, .title = (char *)"Before", .body = (char *)"Old text.", .created_at = NOW};
    cr_assert_eq(db_revision_insert(db, &r), 0, "%s", db_errmsg(db));
    char cookie[SESSION_COOKIE_LEN + 1];
    cr_assert_eq(session_create(db, uid, NOW, 3600, cookie), 0);
}

/* What the destination makes again, the same on both sides: counts and a search. */
static void same_derived(struct db *a, struct db *b)
{
    static const char *const sqls[] = {
        "SELECT COALESCE(sum(n), 0) FROM post_counts WHERE level = 0",
        "SELECT COALESCE(sum(approved), 0) FROM comment_counts",
        "SELECT count(*) FROM post_terms WHERE published_at IS NOT NULL",
    };
    for (size_t i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++)
        cr_assert_eq(one(a, sqls[i]), one(b, sqls[i]), "%s", sqls[i]);
    struct search_query q = {.n = 1, .terms = {{.text = "comment", .len = 7}}};
    struct post_list la, lb;
    int64_t ta, tb;
    cr_assert_eq(db_post_search(a, &q, NOW, 0, 50, &la, &ta), 0);
    cr_assert_eq(db_post_search(b, &q, NOW, 0, 50, &lb, &tb), 0, "%s", db_errmsg(b));
    cr_assert_gt(ta, 0);
    cr_assert_eq(ta, tb, "the search index was made again");
    post_list_free(&la);
    post_list_free(&lb);
}

static void same_census(struct db *a, struct db *b)
{
    static struct db_copy_census ca, cb;
    cr_assert_eq(db_copy_census(a, &ca), 0);
    cr_assert_eq(db_copy_census(b, &cb), 0, "%s", db_errmsg(b));
    cr_assert_eq(ca.n, cb.n);
    for (size_t i = 0; i < ca.n; i++) {
        cr_assert_eq(ca.tables[i].rows, cb.tables[i].rows, "%s", ca.tables[i].table);
        cr_assert_eq(ca.tables[i].sum, cb.tables[i].sum, "%s", ca.tables[i].table);
    }
    cr_assert_eq(ca.sum, cb.sum);
}

Test(copy, a_whole_site_moves_with_the_same_census_and_no_session)
{
    struct db *src = tmpdata_open();
    site(src);
    char dir[600];
    snprintf(dir, sizeof(dir), "sqlite:%s/copy", tmpdata_dir);
    struct db *lite = NULL;
    cr_assert_eq(db_open(dir, &lite), 0);
    cr_assert_eq(db_copy(src, lite), 0, "%s", db_errmsg(lite));
    same_census(src, lite);
    same_derived(src, lite);
    cr_assert_gt(one(src, "SELECT count(*) FROM sessions"), 0);
    cr_assert_eq(one(lite, "SELECT count(*) FROM sessions"), 0, "sessions stay behind");
    cr_assert_eq(one(lite, "SELECT count(*) FROM revisions"), 1);
    /* new rows after the copy take new ids */
    struct revision r = {.post_id = one(lite, "SELECT max(id) FROM posts"),
                         .user_id = one(lite, "SELECT min(id) FROM users"),
                         .title = (char *)"After",
                         .body = (char *)"New text.",
                         .created_at = NOW};
    cr_assert_eq(db_revision_insert(lite, &r), 0, "%s", db_errmsg(lite));

    if (tmpdata_pg()) { /* and back into PostgreSQL */
        char url[1100];
        snprintf(url, sizeof(url), "%s", tmpdata_new_url());
        struct db *back = NULL;
        cr_assert_eq(db_open(url, &back), 0);
        cr_assert_eq(db_copy(lite, back), 0, "%s", db_errmsg(back));
        same_census(lite, back);
        same_derived(src, back);
        cr_assert_eq(db_revision_insert(back, &r), 0, "the identity counters moved past the copied ids: %s",
                     db_errmsg(back));
        db_close(back);
    }
    db_close(lite);
    db_close(src);
}

Test(copy, a_destination_that_holds_a_site_is_refused_and_kept)
{
    struct db *src = tmpdata_open();
    site(src);
    char dir[600];
    snprintf(dir, sizeof(dir), "sqlite:%s/other", tmpdata_dir);
    struct db *dst = NULL;
    cr_assert_eq(db_open(dir, &dst), 0);
    cr_assert_eq(setting_set(dst, "site_title", "Kept"), 0);
    struct post p = {.type = POST_TYPE_POST,
                     .status = POST_DRAFT,
                     .title = (char *)"Mine",
                     .slug = (char *)"mine",
                     .format = POST_FORMAT_HTML,
                     .created_at = NOW,
                     .modified_at = NOW,
                     .published_at = NOW};
    int64_t uid;
    static const char sql[] = "INSERT INTO users (login, display_name, role, created_at) VALUES ('me', 'Me', "
                              "'author', 1) RETURNING id";
    cr_assert_eq(sql_one_int(sql_prepare(dst, sql), &uid), 0, "%s", db_errmsg(dst));
    p.author_id = uid;
    cr_assert_eq(db_post_insert(dst, &p), 0);
    cr_assert_eq(db_copy(src, dst), -EEXIST);
    cr_assert(strstr(db_errmsg(dst), "holds a site") != NULL, "%s", db_errmsg(dst));
    char *v = NULL;
    cr_assert_eq(setting_get(dst, "site_title", &v), 0);
    cr_assert_str_eq(v, "Kept");
    free(v);
    cr_assert_eq(one(dst, "SELECT count(*) FROM posts"), 1);
    db_close(dst);
    db_close(src);
}

/* What COPY's text format must escape (tab, newline, carriage return, backslash, its own \N and
 * \. marks), quotes, and UTF-8 of one to four bytes. */
static const char tricky[] = "tab\there, new\nline, CR\r\n, back\\slash, \\N, \\. alone:\n\\.\n, quotes ' \", "
                             "\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x97\x9e, ends in \\";

/* A small SQLite site at url whose texts, a setting and an image's bytes (all 256 values) are
 * tricky; *post is its post. */
static struct db *tricky_site(const char *url, int64_t *post)
{
    struct db *db = NULL;
    cr_assert_eq(db_open(url, &db), 0, "%s", url);
    int64_t uid;
    struct sql_stmt *st = sql_prepare_once(db, "INSERT INTO users (login, display_name, role, created_at, bio) "
                                               "VALUES ('t', ?1, 'author', 1, ?1) RETURNING id");
    sql_bind_text(st, 1, tricky);
    cr_assert_eq(sql_step(st), SQL_ROW, "%s", db_errmsg(db));
    uid = sql_int64(st, 0);
    sql_finalize(st);
    struct post p = {.type = POST_TYPE_POST,
                     .status = POST_PUBLISHED,
                     .title = (char *)tricky,
                     .slug = (char *)"tricky",
                     .author_id = uid,
                     .format = POST_FORMAT_MARKDOWN,
                     .source = (char *)tricky,
                     .html = (char *)tricky,
                     .excerpt = (char *)"",
                     .comments_open = 1,
                     .created_at = NOW,
                     .modified_at = NOW,
                     .published_at = NOW};
    cr_assert_eq(db_post_insert(db, &p), 0, "%s", db_errmsg(db));
    struct comment c = {.post_id = p.id,
                        .status = COMMENT_APPROVED,
                        .author = (char *)"A\tB",
                        .email = (char *)"",
                        .body = (char *)tricky,
                        .created_at = NOW};
    cr_assert_eq(db_comment_insert(db, &c), 0, "%s", db_errmsg(db));
    cr_assert_eq(db_setting_set(db, "site_tagline", tricky), 0);
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++)
        bytes[i] = (unsigned char)i;
    st = sql_prepare_once(db, "INSERT INTO site_images (name, setting, content_type, width, height, body) "
                              "VALUES ('x.png', 'site_icon', 'image/png', 1, 1, ?1)");
    sql_bind_blob(st, 1, bytes, sizeof(bytes));
    cr_assert_eq(sql_step(st), SQL_DONE, "%s", db_errmsg(db));
    sql_finalize(st);
    *post = p.id;
    return db;
}

Test(copy, bytes_that_need_escaping_go_to_the_other_backend_and_back_unchanged)
{
    /* SQLite -> PostgreSQL (on the PostgreSQL run; else another SQLite directory) -> SQLite */
    const char *mid_url = tmpdata_pg() ? tmpdata_new_url() : NULL;
    char mid_buf[1100], a[600], c[600];
    if (mid_url == NULL) {
        tmpdata_make();
        snprintf(mid_buf, sizeof(mid_buf), "sqlite:%s/mid", tmpdata_dir);
    } else {
        snprintf(mid_buf, sizeof(mid_buf), "%s", mid_url);
    }
    snprintf(a, sizeof(a), "sqlite:%s/a", tmpdata_dir);
    snprintf(c, sizeof(c), "sqlite:%s/c", tmpdata_dir);
    int64_t pid;
    struct db *src = tricky_site(a, &pid), *mid = NULL, *back = NULL;
    cr_assert_eq(db_open(mid_buf, &mid), 0);
    cr_assert_eq(db_copy(src, mid), 0, "%s", db_errmsg(mid));
    same_census(src, mid);
    cr_assert_eq(db_open(c, &back), 0);
    cr_assert_eq(db_copy(mid, back), 0, "%s", db_errmsg(back));
    same_census(mid, back);
    same_census(src, back);
    struct post p;
    cr_assert_eq(db_post_get(back, pid, &p), 0);
    cr_assert_str_eq(p.title, tricky);
    cr_assert_str_eq(p.source, tricky);
    cr_assert_null(p.password, "NULL stays NULL, not \"\"");
    post_clear(&p);
    cr_assert_eq(db_post_get(mid, pid, &p), 0);
    cr_assert_str_eq(p.html, tricky);
    post_clear(&p);
    struct sql_stmt *st = sql_prepare_once(back, "SELECT body FROM site_images");
    cr_assert_eq(sql_step(st), SQL_ROW);
    size_t n = 0;
    const unsigned char *b = sql_blob(st, 0, &n);
    cr_assert_eq(n, 256);
    for (int i = 0; i < 256; i++)
        cr_assert_eq(b[i], i, "byte %d", i);
    sql_finalize(st);
    db_close(back);
    db_close(mid);
    db_close(src);
}

Test(copy, text_with_a_nul_byte_is_refused_by_postgresql_and_nothing_is_written)
{
    const char *pg_url = tmpdata_pg() ? tmpdata_new_url() : NULL;
    char dst_buf[1100], a[600];
    if (pg_url == NULL) {
        tmpdata_make();
        snprintf(dst_buf, sizeof(dst_buf), "sqlite:%s/dst", tmpdata_dir);
    } else {
        snprintf(dst_buf, sizeof(dst_buf), "%s", pg_url);
    }
    snprintf(a, sizeof(a), "sqlite:%s/a", tmpdata_dir);
    int64_t pid;
    struct db *src = tricky_site(a, &pid), *dst = NULL;
    struct sql_stmt *st = sql_prepare_once(src, "UPDATE posts SET source = ?1 WHERE id = ?2");
    sql_bind_textn(st, 1, "before\0after", 12);
    sql_bind_int64(st, 2, pid);
    cr_assert_eq(sql_step(st), SQL_DONE);
    sql_finalize(st);
    cr_assert_eq(db_open(dst_buf, &dst), 0);
    if (pg_url == NULL) { /* SQLite keeps the byte as it is */
        cr_assert_eq(db_copy(src, dst), 0, "%s", db_errmsg(dst));
        same_census(src, dst);
    } else {
        cr_assert_eq(db_copy(src, dst), -EINVAL);
        cr_assert(strstr(db_errmsg(dst), "posts") != NULL && strstr(db_errmsg(dst), "NUL") != NULL, "%s",
                  db_errmsg(dst));
        cr_assert_eq(one(dst, "SELECT count(*) FROM users"), 0, "all or nothing");
        cr_assert_eq(one(dst, "SELECT count(*) FROM posts"), 0);
    }
    db_close(dst);
    db_close(src);
}

Test(copy, tables_longer_than_a_page_are_copied_whole_in_key_order)
{
    /* more rows than one page of reading (2,000) in a table keyed by two integers (post_terms)
     * and in one keyed by text (wp_paths), so later pages start after the last key read */
    struct db *src = tmpdata_open();
    struct sql_stmt *st = sql_prepare_once(src, "INSERT INTO users (login, display_name, role, created_at) "
                                                "VALUES ('many', 'Many', 'author', 1) RETURNING id");
    cr_assert_eq(sql_step(st), SQL_ROW, "%s", db_errmsg(src));
    int64_t uid = sql_int64(st, 0);
    sql_finalize(st);
    int64_t posts[60], terms[45];
    cr_assert_eq(db_begin(src), 0);
    for (int i = 0; i < 60; i++) {
        char title[32];
        snprintf(title, sizeof(title), "many-%d", i);
        struct post p = {.type = POST_TYPE_POST,
                         .status = POST_PUBLISHED,
                         .title = title,
                         .slug = title,
                         .author_id = uid,
                         .format = POST_FORMAT_HTML,
                         .source = (char *)"",
                         .html = (char *)"",
                         .excerpt = (char *)"",
                         .created_at = NOW,
                         .modified_at = NOW,
                         .published_at = NOW - i};
        cr_assert_eq(db_post_insert(src, &p), 0, "%s", db_errmsg(src));
        posts[i] = p.id;
    }
    for (int i = 0; i < 45; i++) {
        char name[32];
        snprintf(name, sizeof(name), "term-%d", i);
        struct term t = {.taxonomy = TERM_TAG, .name = name, .slug = name};
        cr_assert_eq(db_term_insert(src, &t), 0);
        terms[i] = t.id;
    }
    for (int i = 0; i < 60; i++)
        cr_assert_eq(db_post_add_terms(src, posts[i], terms, 45), 0, "%s", db_errmsg(src));
    for (int i = 0; i < 2100; i++) {
        char path[64];
        snprintf(path, sizeof(path), "/old/%c/%d/", 'a' + i % 26, i);
        cr_assert_eq(db_wp_path_put(src, path, posts[i % 60]), 0, "%s", db_errmsg(src));
    }
    cr_assert_eq(db_commit(src), 0);
    cr_assert_eq(one(src, "SELECT count(*) FROM post_terms"), 2700);
    char dir[600];
    snprintf(dir, sizeof(dir), "sqlite:%s/many", tmpdata_dir);
    struct db *dst = NULL;
    cr_assert_eq(db_open(dir, &dst), 0);
    cr_assert_eq(db_copy(src, dst), 0, "%s", db_errmsg(dst));
    cr_assert_eq(one(dst, "SELECT count(*) FROM post_terms"), 2700);
    cr_assert_eq(one(dst, "SELECT count(*) FROM wp_paths"), 2100);
    same_census(src, dst);
    db_close(dst);
    db_close(src);
}
