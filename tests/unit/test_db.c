#include <criterion/criterion.h>
#include <errno.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pthread.h>

#include "db/migrations.h"
#include "db/newsroom.h"
#include "db/sqlite_int.h"
#include "news/settings.h"
#include "tmpdata.h"

TestSuite(db, .fini = tmpdata_remove);

Test(db, fresh_directory_is_created_migrated_and_in_wal_mode)
{
    char path[512];
    struct stat st;
    struct db *db = NULL;
    snprintf(path, sizeof(path), "%s/sub/site", tmpdata_make());
    cr_assert_neq(db_open(path, &db), 0, "parents are not created: a typo should not scatter data");
    snprintf(path, sizeof(path), "%s/site", tmpdata_dir);
    cr_assert_eq(db_open(path, &db), 0);
    int v;
    cr_assert_eq(db_schema_version(db, &v), 0);
    cr_assert_eq(v, db_migrations_count);
    cr_assert_geq(v, 1);
    char mode[16];
    cr_assert_eq(lite_journal_mode(db, mode, sizeof(mode)), 0);
    cr_assert_str_eq(mode, "wal");
    snprintf(path, sizeof(path), "%s/site/uploads", tmpdata_dir);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert(S_ISDIR(st.st_mode));
    int empty;
    cr_assert_eq(db_is_empty(db, &empty), 0);
    cr_assert(empty);
    db_close(db);
    sqlite3 *h;
    sqlite3_stmt *q;
    snprintf(path, sizeof(path), "%s/site/gazette.db", tmpdata_dir);
    cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(h, "PRAGMA page_size", -1, &q, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(q, 0), DB_PAGE_SIZE, "a new file gets the larger page size");
    sqlite3_finalize(q);
    sqlite3_close(h);
}

Test(db, refuses_a_newer_schema)
{
    struct db *db = tmpdata_open();
    db_close(db);
    char path[512];
    sqlite3 *h;
    snprintf(path, sizeof(path), "%s/gazette.db", tmpdata_dir);
    cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(h, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    cr_assert_eq(db_open(tmpdata_dir, &db), -EPROTO);
}

Test(db, generation_sees_commits_after_a_quiet_spell)
{
    /* once the WAL file has been still for DB_WAL_SETTLE_MS, db_generation trusts its stat() and
     * skips SQLite: a commit must still be seen at once */
    struct db *a = tmpdata_open(), *b = NULL;
    cr_assert_eq(db_open(tmpdata_dir, &b), 0);
    uint64_t ga = 0, gb = 0;
    cr_assert_eq(db_setting_set(b, "site_title", "before"), 0);
    db_changed(a, &ga);
    db_changed(b, &gb);
    usleep((DB_WAL_SETTLE_MS + 200) * 1000);
    cr_assert_eq(db_changed(a, &ga), 0, "nothing changed");
    cr_assert_eq(db_changed(a, &ga), 0, "still nothing (now from the WAL file's stat)");
    cr_assert_eq(db_setting_set(b, "site_title", "after"), 0);
    cr_assert_eq(db_changed(a, &ga), 1, "another connection's commit, at once");
    cr_assert_eq(db_changed(b, &gb), 1, "and its own");
    cr_assert_eq(ga, gb);
    usleep((DB_WAL_SETTLE_MS + 200) * 1000);
    cr_assert_eq(db_changed(b, &gb), 0);
    cr_assert_eq(db_setting_set(a, "site_tagline", "x"), 0);
    cr_assert_eq(db_changed(b, &gb), 1);
    cr_assert_eq(db_changed(a, &ga), 1);
    db_close(a);
    db_close(b);
}

/* A data directory as version 3 left it: the first three migrations, and posts written then. */
static void make_v3(const char *dir)
{
    char path[600];
    sqlite3 *h;
    snprintf(path, sizeof(path), "%s/gazette.db", dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    cr_assert_eq(sqlite3_open(path, &h), SQLITE_OK);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(sqlite3_exec(h, db_migrations[i].sql, NULL, NULL, NULL), SQLITE_OK, "%s", db_migrations[i].name);
    cr_assert_eq(sqlite3_exec(h,
                              "PRAGMA user_version = 3;"
                              "INSERT INTO users (id, login, display_name, role, created_at) "
                              "  VALUES (1, 'ann', 'Ann', 'author', 0);"
                              "INSERT INTO posts (id, type, status, title, slug, author_id, format, source, html, "
                              "  excerpt, published_at, created_at, modified_at, wp_id) VALUES "
                              "  (1, 'post', 'published', 'CLI HTML', 'a', 1, 'html', '<p>a\nb</p>', '<p>a\nb</p>',"
                              "   'a b', 0, 0, 0, NULL),"
                              "  (2, 'post', 'published', 'Imported', 'b', 1, 'html', 'a\nb', '<p>a<br />\nb</p>\n',"
                              "   'Cut here.…', 0, 0, 0, 7),"
                              "  (3, 'post', 'published', 'Markdown', 'c', 1, 'markdown', '*x*', '<p><em>x</em></p>\n',"
                              "   'Really?!…', 0, 0, 0, NULL);"
                              "INSERT INTO revisions (post_id, user_id, created_at, title, body) "
                              "  VALUES (3, 1, 0, 'Markdown', '*x*');",
                              NULL, NULL, NULL),
                 SQLITE_OK, "%s", sqlite3_errmsg(h));
    sqlite3_close(h);
}

Test(db, posts_of_earlier_versions_keep_showing_as_they_did)
{
    char dir[512];
    struct db *db = NULL;
    struct post p;
    snprintf(dir, sizeof(dir), "%s/site", tmpdata_make());
    make_v3(dir);
    cr_assert_eq(db_open(dir, &db), 0);
    cr_assert_eq(db_post_get(db, 1, &p), 0);
    cr_assert_eq(p.as_written, 1, "HTML made from the command line before wpautop stays as written");
    cr_assert_str_eq(p.excerpt, "a b");
    post_clear(&p);
    cr_assert_eq(db_post_get(db, 2, &p), 0);
    cr_assert_eq(p.as_written, 0, "an imported post keeps its wpautop paragraphs");
    cr_assert_str_eq(p.excerpt, "Cut here…", "no doubled mark at the cut");
    post_clear(&p);
    cr_assert_eq(db_post_get(db, 3, &p), 0);
    cr_assert_eq(p.as_written, 0);
    cr_assert_str_eq(p.excerpt, "Really…");
    post_clear(&p);
    struct revision r;
    cr_assert_eq(db_revision_get(db, 1, &r), 0);
    cr_assert_eq(r.format, POST_FORMAT_MARKDOWN, "the old editor saved Markdown only");
    cr_assert_eq(r.kind, REVISION_SAVE);
    revision_clear(&r);
    db_close(db);
}

Test(db, both_backends_have_the_same_migrations)
{
    cr_assert_eq(db_pg_migrations_count, db_migrations_count, "every migration has its PostgreSQL twin");
    for (int i = 0; i < db_migrations_count; i++) {
        cr_assert_eq(db_pg_migrations[i].version, db_migrations[i].version);
        cr_assert_str_eq(db_pg_migrations[i].name, db_migrations[i].name);
    }
}
