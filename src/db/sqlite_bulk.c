/* The SQLite side of a bulk load (db_bulk_begin, wpmap.h). Around the transaction: a larger
 * page cache, statement journals in memory, CHECK constraints and foreign keys not evaluated,
 * and a rollback journal instead of the WAL when no other connection has the file open. Inside
 * it: the row triggers of the content tables and the secondary indexes of posts, comments and
 * post_terms are dropped (their definitions kept), and made again at the end in one pass each,
 * after the kept counts and the search index are made from the tables. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "db/sqlite_int.h"

#define DB_BULK_TRIGGERS_MAX 64

struct lite_bulk {
    int fd; /* the database file, for db_bulk_writeback; -1 when it could not be opened */
    int is_index[DB_BULK_TRIGGERS_MAX];
    char *name[DB_BULK_TRIGGERS_MAX];
    char *sql[DB_BULK_TRIGGERS_MAX];
    size_t n;
};

/* Statement journals (every insert that fires a trigger has one) stay in memory too. The CHECK
 * constraints are all "column IN (three or more names)", which SQLite evaluates by building a
 * temporary b-tree on every execution of an insert; a bulk load writes only the names of the
 * code's own enums (post_status_name() and the like), so they are skipped. Foreign keys cost a
 * parent lookup per row and reference (a tenth of an import's work); the load links only ids it
 * has just read or written, and its tests run foreign_key_check. (foreign_keys only takes effect
 * outside a transaction, hence the order of the calls.) */
static int bulk_mode(struct db *db, int on)
{
    char sql[200];
    snprintf(sql, sizeof(sql),
             "PRAGMA cache_size = -%d; PRAGMA temp_store = %s; PRAGMA ignore_check_constraints = %d; "
             "PRAGMA foreign_keys = %d",
             on ? DB_BULK_CACHE_KIB : 2000, on ? "MEMORY" : "DEFAULT", on, !on);
    int rc = sqlite3_exec(lite_handle(db), sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return lite_error(db, rc);
    /* A rollback journal for the load when no other connection has the database open (else
     * SQLite refuses and the load runs in WAL): the new pages go to the database file once,
     * not to the WAL and then again through a checkpoint. Still one atomic transaction: a crash
     * leaves a hot journal that the next open rolls back (and db_open puts WAL back). */
    char mode[16];
    if (on)
        sqlite3_exec(lite_handle(db), "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    else if (lite_journal_mode(db, mode, sizeof(mode)) == 0 && strcmp(mode, "wal") != 0 &&
             (rc = sqlite3_exec(lite_handle(db), "PRAGMA journal_mode = WAL", NULL, NULL, NULL)) != SQLITE_OK)
        return lite_error(db, rc);
    return 0;
}

static void lite_bulk_free(struct lite_bulk *b)
{
    if (b == NULL)
        return;
    if (b->fd >= 0)
        close(b->fd);
    for (size_t i = 0; i < b->n; i++) {
        free(b->name[i]);
        free(b->sql[i]);
    }
    free(b);
}

/* The row triggers of the content tables, and the secondary indexes that the load itself never
 * reads (built again at the end in one sorted pass, much faster than row by row): their
 * definitions into b, then dropped. */
static int set_aside(struct db *db, struct lite_bulk *b)
{
    static const char sql[] = "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
                              "((type = 'trigger' AND tbl_name IN ('posts', 'comments', 'post_terms', 'terms', "
                              "'users')) OR (type = 'index' AND tbl_name IN ('posts', 'comments', 'post_terms'))) "
                              "ORDER BY type DESC, name";
    struct sql_stmt *st = sql_prepare(db, sql);
    int rc, ret = 0;
    while ((rc = sql_step(st)) == SQL_ROW && b->n < DB_BULK_TRIGGERS_MAX) {
        b->is_index[b->n] = strcmp(sql_text(st, 0), "index") == 0;
        b->name[b->n] = sql_str0(st, 1);
        b->sql[b->n] = sql_str0(st, 2);
        b->n++;
    }
    if (rc < 0)
        ret = rc;
    else if (rc == SQL_ROW)
        ret = -E2BIG; /* more triggers than we can keep: load the slow way */
    sql_reset(st);
    for (size_t i = 0; i < b->n && ret == 0; i++) {
        char *drop = sqlite3_mprintf("DROP %s \"%w\"", b->is_index[i] ? "INDEX" : "TRIGGER", b->name[i]);
        if (drop == NULL)
            return -ENOMEM;
        rc = sqlite3_exec(lite_handle(db), drop, NULL, NULL, NULL);
        sqlite3_free(drop);
        if (rc != SQLITE_OK)
            ret = lite_error(db, rc);
    }
    return ret;
}

int lite_bulk_begin(struct db *db, struct db_bulk *bulk)
{
    struct lite_bulk *b = db_xmalloc(sizeof(*b));
    memset(b, 0, sizeof(*b));
    const char *file = sqlite3_db_filename(lite_handle(db), "main");
    b->fd = file && file[0] ? open(file, O_RDONLY | O_CLOEXEC) : -1;
    bulk_mode(db, 1);
    int ret = db_begin(db);
    if (ret < 0) {
        bulk_mode(db, 0);
        lite_bulk_free(b);
        return ret;
    }
    bulk->impl = b;
    /* Without the set-aside (too many triggers, say), the load goes the slow way: the triggers
     * keep everything up to date row by row, and the end has nothing to make. A failed DROP
     * fails the whole transaction, as any failed statement would. */
    ret = set_aside(db, b);
    if (ret == 0)
        bulk->set_aside = 1;
    else if (ret != -E2BIG)
        return ret;
    return 0;
}

void lite_bulk_writeback(struct db_bulk *bulk)
{
    /* Starts the writes and returns; pages already on their way are left alone. */
    struct lite_bulk *b = bulk ? bulk->impl : NULL;
    if (b && b->fd >= 0)
        sync_file_range(b->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

/* What the triggers of migrations 0006 and 0012 keep besides the counts: the search index of the
 * published posts and pages as readers see them, and the list of its words. */
static const char SQL_FTS_REBUILD[] = "INSERT INTO posts_fts (posts_fts) VALUES ('delete-all');"
                                      "INSERT INTO posts_fts (rowid, title, excerpt, body) "
                                      "SELECT id, title, excerpt, gazette_text(html) FROM posts "
                                      "WHERE status = 'published';"
                                      "INSERT INTO posts_fts (posts_fts) VALUES ('optimize');"
                                      "DELETE FROM search_words;"
                                      "CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, posts_fts, row);"
                                      "INSERT INTO search_words (word) SELECT term FROM temp.search_vocab;"
                                      "DROP TABLE temp.search_vocab;";

/* One write that the restored update triggers see, so that the content generation moves, and a
 * change log row that tells page caches any page may have changed. */
static const char SQL_BUMP[] = "UPDATE posts SET id = id WHERE id = (SELECT MAX(id) FROM posts); "
                               "UPDATE terms SET id = id WHERE id = (SELECT MAX(id) FROM terms); "
                               "UPDATE comments SET id = id WHERE id = (SELECT MAX(id) FROM comments); "
                               "INSERT INTO changes (kind, id) VALUES ('site', 0)";

static int rebuild(struct db *db, struct db_bulk *bulk)
{
    struct lite_bulk *b = bulk->impl;
    int ret;
    /* Building the indexes sorts, and the sorter takes as much memory as the page cache: a small
     * cache from here on, and spills to temporary files, not to memory. */
    sqlite3_exec(lite_handle(db), "PRAGMA cache_size = -8192; PRAGMA temp_store = DEFAULT", NULL, NULL, NULL);
    /* before the indexes and triggers are back: the passes then keep no index up to date */
    if ((ret = db_bulk_recount(db)) < 0 || (ret = sql_exec(db, SQL_FTS_REBUILD)) < 0)
        return ret;
    for (size_t i = 0; i < b->n; i++)
        if ((ret = sql_exec(db, b->sql[i])) < 0)
            return ret;
    lite_bulk_writeback(bulk);
    return sql_exec(db, SQL_BUMP);
}

int lite_bulk_end(struct db *db, struct db_bulk *bulk, int ok)
{
    int ret = 0;
    if (ok && bulk->set_aside)
        ret = rebuild(db, bulk);
    if (ok && ret == 0)
        ret = db_commit(db);
    else
        db_rollback(db);
    bulk_mode(db, 0);
    lite_bulk_free(bulk->impl);
    bulk->impl = NULL;
    return ret;
}
