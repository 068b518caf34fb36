/* The SQLite side of db/wpmap.h: the WordPress id map, attachments, old paths (migration
 * 0002_wordpress.sql), and the few single-column updates the import makes at its end. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "db/sqlite_int.h"
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
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, site);
    db_bind_text(st, 2, kind_name(kind));
    sqlite3_bind_int64(st, 3, wp_id);
    return db_step_int(db, st, local_id);
}

int db_wp_map_put(struct db *db, const char *site, enum wp_kind kind, int64_t wp_id, int64_t local_id)
{
    static const char sql[] = "INSERT OR REPLACE INTO wp_map (site, kind, wp_id, local_id, seq) "
                              "VALUES (?1, ?2, ?3, ?4, CAST(strftime('%s', 'now') AS INTEGER))";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, site);
    db_bind_text(st, 2, kind_name(kind));
    sqlite3_bind_int64(st, 3, wp_id);
    sqlite3_bind_int64(st, 4, local_id);
    return db_exec_stmt(db, st);
}

int db_wp_map_find(struct db *db, enum wp_kind kind, int64_t wp_id, int64_t *local_id)
{
    static const char sql[] = "SELECT local_id FROM wp_map WHERE kind = ?1 AND wp_id = ?2 ORDER BY seq DESC LIMIT 1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, kind_name(kind));
    sqlite3_bind_int64(st, 2, wp_id);
    return db_step_int(db, st, local_id);
}

int db_wp_attachment_put(struct db *db, const char *site, int64_t wp_id, int64_t parent_wp_id, const char *url)
{
    static const char sql[] = "INSERT OR REPLACE INTO wp_attachments (site, wp_id, parent_wp_id, url) "
                              "VALUES (?1, ?2, ?3, ?4)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, site);
    sqlite3_bind_int64(st, 2, wp_id);
    sqlite3_bind_int64(st, 3, parent_wp_id);
    db_bind_text(st, 4, url ? url : "");
    return db_exec_stmt(db, st);
}

int db_wp_attachment_url(struct db *db, const char *site, int64_t wp_id, char **url)
{
    static const char sql[] = "SELECT url FROM wp_attachments WHERE site = ?1 AND wp_id = ?2";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, site);
    sqlite3_bind_int64(st, 2, wp_id);
    return db_step_text(db, st, url);
}

int db_wp_attachment_url_for_post(struct db *db, int64_t post_id, int64_t post_wp_id, int64_t wp_id, char **url)
{
    static const char sql[] = "SELECT a.url FROM wp_map m JOIN wp_attachments a ON a.site = m.site AND a.wp_id = ?3 "
                              "WHERE m.kind = 'post' AND m.wp_id = ?2 AND m.local_id = ?1 ORDER BY m.seq DESC LIMIT 1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    sqlite3_bind_int64(st, 2, post_wp_id);
    sqlite3_bind_int64(st, 3, wp_id);
    return db_step_text(db, st, url);
}

int db_wp_attachment_count(struct db *db, int64_t *out)
{
    static const char sql[] = "SELECT COUNT(*) FROM wp_attachments";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    return db_step_int(db, st, out);
}

int db_wp_path_put(struct db *db, const char *path, int64_t post_id)
{
    static const char sql[] = "INSERT OR IGNORE INTO wp_paths (path, post_id) VALUES (?1, ?2)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, path);
    sqlite3_bind_int64(st, 2, post_id);
    int rc = db_exec_stmt(db, st);
    return rc < 0 ? rc : sqlite3_changes(db->h) > 0 ? 0 : -EEXIST;
}

int db_wp_path_find(struct db *db, const char *path, size_t n, int64_t *post_id)
{
    static const char sql[] = "SELECT post_id FROM wp_paths WHERE path = ?1";
    if (n > WP_PATH_MAX)
        return -ENOENT;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_text(st, 1, path, (int)n, SQLITE_TRANSIENT);
    return db_step_int(db, st, post_id);
}

static int set_id(struct db *db, const char *sql, int64_t id, int64_t value)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    db_bind_id(st, 2, value);
    int rc = db_exec_stmt(db, st);
    if (rc == 0 && sqlite3_changes(db->h) == 0)
        rc = -ENOENT;
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
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    db_bind_text(st, 2, html);
    int rc = db_exec_stmt(db, st);
    if (rc == 0 && sqlite3_changes(db->h) == 0)
        rc = -ENOENT;
    return rc;
}

int db_wp_attachment_each(struct db *db, int (*fn)(void *ctx, int64_t wp_id, int64_t parent_wp_id, const char *url),
                          void *ctx)
{
    static const char sql[] = "SELECT wp_id, parent_wp_id, url FROM wp_attachments ORDER BY wp_id, site";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *url = (const char *)sqlite3_column_text(st, 2);
        ret = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), url ? url : "");
        if (ret != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

int db_bulk_mode(struct db *db, int on)
{
    /* Statement journals (every insert that fires a trigger has one) stay in memory too. The
     * CHECK constraints are all "column IN (three or more names)", which SQLite evaluates by
     * building a temporary b-tree on every execution of an insert; a bulk load writes only the
     * names of the code's own enums (post_status_name() and the like), so they are skipped.
     * Foreign keys cost a parent lookup per row and reference (a tenth of an import's work); the
     * load links only ids it has just read or written, and its tests run foreign_key_check.
     * (foreign_keys only takes effect outside a transaction, hence the precondition.) */
    char sql[200];
    snprintf(sql, sizeof(sql),
             "PRAGMA cache_size = -%d; PRAGMA temp_store = %s; PRAGMA ignore_check_constraints = %d; "
             "PRAGMA foreign_keys = %d",
             on ? DB_BULK_CACHE_KIB : 2000, on ? "MEMORY" : "DEFAULT", on, !on);
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return db_fail(db, rc);
    /* A rollback journal for the load when no other connection has the database open (else
     * SQLite refuses and the load runs in WAL): the new pages go to the database file once,
     * not to the WAL and then again through a checkpoint. Still one atomic transaction: a crash
     * leaves a hot journal that the next open rolls back (and db_open puts WAL back). */
    char mode[16];
    if (on)
        sqlite3_exec(db->h, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    else if (db_journal_mode(db, mode, sizeof(mode)) == 0 && strcmp(mode, "wal") != 0 &&
             (rc = sqlite3_exec(db->h, "PRAGMA journal_mode = WAL", NULL, NULL, NULL)) != SQLITE_OK)
        return db_fail(db, rc);
    return 0;
}

int db_post_add_terms(struct db *db, int64_t post_id, const int64_t *ids, size_t n)
{
    static const char sql[] = "INSERT OR IGNORE INTO post_terms (post_id, term_id) VALUES (?1, ?2)";
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = db_stmt(db, sql);
        if (st == NULL)
            return -EIO;
        sqlite3_bind_int64(st, 1, post_id);
        sqlite3_bind_int64(st, 2, ids[i]);
        int rc = db_exec_stmt(db, st);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- bulk loads --------------------------------------------------------------------------- */

#define DB_BULK_TRIGGERS_MAX 64

struct db_bulk {
    int fd; /* the database file, for db_bulk_writeback; -1 when it could not be opened */
    int is_index[DB_BULK_TRIGGERS_MAX];
    char *name[DB_BULK_TRIGGERS_MAX];
    char *sql[DB_BULK_TRIGGERS_MAX];
    size_t n;
};

static void bulk_free(struct db_bulk *b)
{
    if (b->fd >= 0)
        close(b->fd);
    for (size_t i = 0; i < b->n; i++) {
        free(b->name[i]);
        free(b->sql[i]);
    }
    free(b);
}

int db_bulk_begin(struct db *db, struct db_bulk **out)
{
    /* The row triggers of the content tables, and the secondary indexes that the load itself
     * never reads (built again at the end in one sorted pass, much faster than row by row). */
    static const char sql[] = "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
                              "((type = 'trigger' AND tbl_name IN ('posts', 'comments', 'post_terms', 'terms', "
                              "'users')) OR (type = 'index' AND tbl_name IN ('posts', 'comments', 'post_terms'))) "
                              "ORDER BY type DESC, name";
    struct db_bulk *b = calloc(1, sizeof(*b));
    if (b == NULL)
        return -ENOMEM;
    const char *file = sqlite3_db_filename(db->h, "main");
    b->fd = file && file[0] ? open(file, O_RDONLY | O_CLOEXEC) : -1;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL) {
        bulk_free(b);
        return -EIO;
    }
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && b->n < DB_BULK_TRIGGERS_MAX) {
        b->is_index[b->n] = strcmp((const char *)sqlite3_column_text(st, 0), "index") == 0;
        b->name[b->n] = db_col_str0(st, 1);
        b->sql[b->n] = db_col_str0(st, 2);
        b->n++;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = db_fail(db, rc);
    else if (rc == SQLITE_ROW)
        ret = -E2BIG; /* more triggers than we can keep: load the slow way */
    sqlite3_reset(st);
    for (size_t i = 0; i < b->n && ret == 0; i++) {
        char *drop = sqlite3_mprintf("DROP %s \"%w\"", b->is_index[i] ? "INDEX" : "TRIGGER", b->name[i]);
        if (drop == NULL) {
            ret = -ENOMEM;
            break;
        }
        rc = sqlite3_exec(db->h, drop, NULL, NULL, NULL);
        sqlite3_free(drop);
        if (rc != SQLITE_OK)
            ret = db_fail(db, rc);
    }
    if (ret < 0) {
        bulk_free(b);
        return ret;
    }
    *out = b;
    return 0;
}

void db_bulk_writeback(struct db_bulk *b)
{
    /* Starts the writes and returns; pages already on their way are left alone. */
    if (b && b->fd >= 0)
        sync_file_range(b->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

/* Every FTS5 table kept from the posts table (content = 'posts') is rebuilt from it. */
static int rebuild_fts(struct db *db)
{
    static const char sql[] =
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' "
        "AND sql LIKE '%fts5%' AND sql LIKE '%content%=%''posts''%'";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    char *names[8];
    size_t n = 0;
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 8)
        names[n++] = db_col_str0(st, 0);
    sqlite3_reset(st);
    for (size_t i = 0; i < n; i++) {
        char *q = sqlite3_mprintf("INSERT INTO \"%w\" (\"%w\") VALUES ('rebuild')", names[i], names[i]);
        if (ret == 0 && q == NULL)
            ret = -ENOMEM;
        if (ret == 0 && (rc = sqlite3_exec(db->h, q, NULL, NULL, NULL)) != SQLITE_OK)
            ret = db_fail(db, rc);
        sqlite3_free(q);
        free(names[i]);
    }
    return ret;
}

int db_bulk_end(struct db *db, struct db_bulk *b, int commit)
{
    int ret = 0, rc;
    /* Building the indexes sorts, and the sorter takes as much memory as the page cache: a small
     * cache from here on, and spills to temporary files, not to memory. */
    if (commit)
        sqlite3_exec(db->h, "PRAGMA cache_size = -8192; PRAGMA temp_store = DEFAULT", NULL, NULL, NULL);
    for (size_t i = 0; commit && i < b->n && ret == 0; i++)
        if ((rc = sqlite3_exec(db->h, b->sql[i], NULL, NULL, NULL)) != SQLITE_OK)
            ret = db_fail(db, rc);
    if (commit && ret == 0) {
        db_bulk_writeback(b);
        ret = rebuild_fts(db);
    }
    /* One write that the restored update triggers see, so that the content generation moves. */
    if (commit && ret == 0 &&
        (rc = sqlite3_exec(db->h,
                           "UPDATE posts SET id = id WHERE id = (SELECT MAX(id) FROM posts); "
                           "UPDATE terms SET id = id WHERE id = (SELECT MAX(id) FROM terms); "
                           "UPDATE comments SET id = id WHERE id = (SELECT MAX(id) FROM comments)",
                           NULL, NULL, NULL)) != SQLITE_OK)
        ret = db_fail(db, rc);
    bulk_free(b);
    return ret;
}
