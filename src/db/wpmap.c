/* The storage of db/wpmap.h: the WordPress id map, attachments, old paths (migration
 * 0002_wordpress.sql), and the few single-column updates the import makes at its end. */
#include <errno.h>
#include <time.h>

#include "db/db_int.h"
#include "db/wpmap.h"

static const char *kind_name(enum wp_kind k)
{
    switch (k) {
    case WP_POST:
        return "post";
    case WP_CATEGORY:
        return "category";
    case WP_TAG:
        return "tag";
    default:
        return "user";
    }
}

int db_wp_map_get(struct db *db, const char *site, enum wp_kind kind, int64_t wp_id, int64_t *local_id)
{
    static const char sql[] = "SELECT local_id FROM wp_map WHERE site = ?1 AND kind = ?2 AND wp_id = ?3";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, site);
    sql_bind_text(st, 2, kind_name(kind));
    sql_bind_int64(st, 3, wp_id);
    return sql_one_int(st, local_id);
}

int db_wp_map_put(struct db *db, const char *site, enum wp_kind kind, int64_t wp_id, int64_t local_id)
{
    static const char sql[] = "INSERT INTO wp_map (site, kind, wp_id, local_id, seq) VALUES (?1, ?2, ?3, ?4, ?5) "
                              "ON CONFLICT (site, kind, wp_id) DO UPDATE SET local_id = excluded.local_id, "
                              "seq = excluded.seq";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, site);
    sql_bind_text(st, 2, kind_name(kind));
    sql_bind_int64(st, 3, wp_id);
    sql_bind_int64(st, 4, local_id);
    sql_bind_int64(st, 5, (int64_t)time(NULL)); /* import order: old links prefer the latest */
    return sql_run(st);
}

int db_wp_map_find(struct db *db, enum wp_kind kind, int64_t wp_id, int64_t *local_id)
{
    static const char sql[] = "SELECT local_id FROM wp_map WHERE kind = ?1 AND wp_id = ?2 ORDER BY seq DESC LIMIT 1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, kind_name(kind));
    sql_bind_int64(st, 2, wp_id);
    return sql_one_int(st, local_id);
}

int db_wp_attachment_put(struct db *db, const char *site, int64_t wp_id, int64_t parent_wp_id, const char *url)
{
    static const char sql[] = "INSERT INTO wp_attachments (site, wp_id, parent_wp_id, url) VALUES (?1, ?2, ?3, ?4) "
                              "ON CONFLICT (site, wp_id) DO UPDATE SET parent_wp_id = excluded.parent_wp_id, "
                              "url = excluded.url";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, site);
    sql_bind_int64(st, 2, wp_id);
    sql_bind_int64(st, 3, parent_wp_id);
    sql_bind_text(st, 4, url ? url : "");
    return sql_run(st);
}

int db_wp_attachment_url(struct db *db, const char *site, int64_t wp_id, char **url)
{
    static const char sql[] = "SELECT url FROM wp_attachments WHERE site = ?1 AND wp_id = ?2";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, site);
    sql_bind_int64(st, 2, wp_id);
    return sql_one_text(st, url);
}

int db_wp_attachment_url_for_post(struct db *db, int64_t post_id, int64_t post_wp_id, int64_t wp_id, char **url)
{
    static const char sql[] = "SELECT a.url FROM wp_map m JOIN wp_attachments a ON a.site = m.site AND a.wp_id = ?3 "
                              "WHERE m.kind = 'post' AND m.wp_id = ?2 AND m.local_id = ?1 ORDER BY m.seq DESC LIMIT 1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    sql_bind_int64(st, 2, post_wp_id);
    sql_bind_int64(st, 3, wp_id);
    return sql_one_text(st, url);
}

int db_wp_attachment_count(struct db *db, int64_t *out)
{
    static const char sql[] = "SELECT COUNT(*) FROM wp_attachments";
    struct sql_stmt *st = sql_prepare(db, sql);
    return sql_one_int(st, out);
}

int db_wp_path_put(struct db *db, const char *path, int64_t post_id)
{
    static const char sql[] = "INSERT INTO wp_paths (path, post_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, path);
    sql_bind_int64(st, 2, post_id);
    int rc = sql_run(st);
    return rc < 0 ? rc : sql_changes(db) > 0 ? 0 : -EEXIST;
}

int db_wp_path_find(struct db *db, const char *path, size_t n, int64_t *post_id)
{
    static const char sql[] = "SELECT post_id FROM wp_paths WHERE path = ?1";
    if (n > WP_PATH_MAX)
        return -ENOENT;
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_textn(st, 1, path, n);
    return sql_one_int(st, post_id);
}

static int set_id(struct db *db, const char *sql, int64_t id, int64_t value)
{
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    sql_bind_id(st, 2, value);
    int rc = sql_run_one(st);
    return rc;
}

int db_term_set_parent(struct db *db, int64_t term_id, int64_t parent_id)
{
    static const char sql[] = "UPDATE terms SET parent_id = ?2 WHERE id = ?1";
    return set_id(db, sql, term_id, parent_id);
}

int db_post_set_parent(struct db *db, int64_t post_id, int64_t parent_id)
{
    static const char sql[] = "UPDATE posts SET parent_id = ?2 WHERE id = ?1";
    return set_id(db, sql, post_id, parent_id);
}

int db_comment_set_parent(struct db *db, int64_t comment_id, int64_t parent_id)
{
    static const char sql[] = "UPDATE comments SET parent_id = ?2 WHERE id = ?1";
    return set_id(db, sql, comment_id, parent_id);
}

int db_post_set_html(struct db *db, int64_t post_id, const char *html)
{
    static const char sql[] = "UPDATE posts SET html = ?2 WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    sql_bind_text(st, 2, html);
    int rc = sql_run_one(st);
    return rc;
}

int db_wp_attachment_each(struct db *db, int (*fn)(void *ctx, int64_t wp_id, int64_t parent_wp_id, const char *url),
                          void *ctx)
{
    static const char sql[] = "SELECT wp_id, parent_wp_id, url FROM wp_attachments ORDER BY wp_id, site";
    struct sql_stmt *st = sql_prepare(db, sql);
    int rc, ret = 0;
    while ((rc = sql_step(st)) == SQL_ROW) {
        const char *url = sql_text(st, 2);
        ret = fn(ctx, sql_int64(st, 0), sql_int64(st, 1), url ? url : "");
        if (ret != 0)
            break;
    }
    if (ret == 0 && rc != SQL_DONE)
        ret = rc;
    sql_reset(st);
    return ret;
}

int db_post_add_terms(struct db *db, int64_t post_id, const int64_t *ids, size_t n)
{
    /* one statement for all of them (WHERE true: SQLite reads ON CONFLICT after a FROM so) */
    static const struct sql_text sql = DB_BY_IDS(
        2, "INSERT INTO post_terms (post_id, term_id) SELECT ?1, j.value FROM ", "WHERE true ON CONFLICT DO NOTHING");
    if (n == 0)
        return 0;
    struct sql_stmt *st = sql_prepare_text(db, &sql);
    sql_bind_int64(st, 1, post_id);
    db_bind_ids(st, 2, ids, n);
    return sql_run(st);
}
