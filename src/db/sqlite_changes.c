/* The change log (changes.h): reading past a sequence number, pruning, logging by hand, the
 * posts that came due; and savepoints, which let the group-commit writer run many independent
 * submissions in one transaction. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "db/changes.h"
#include "db/sqlite_int.h"

static const char *const kinds[] = {"post", "comments", "site"};

int db_changes_since(struct db *db, int64_t after, struct db_change *out, size_t max, size_t *n)
{
    static const char sql[] = "SELECT seq, kind, id FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < max) {
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        out[k].seq = sqlite3_column_int64(st, 0);
        out[k].id = sqlite3_column_int64(st, 2);
        out[k].kind = DB_CHANGE_SITE; /* an unknown kind (a newer schema) is the safe answer */
        for (size_t i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
            if (strcmp(kind, kinds[i]) == 0)
                out[k].kind = (enum db_change_kind)i;
        k++;
    }
    int ret = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, rc);
    sqlite3_reset(st);
    if (ret == 0)
        *n = k;
    return ret;
}

int db_changes_last(struct db *db, int64_t *out)
{
    static const char sql[] = "SELECT coalesce(max(seq), 0) FROM changes";
    sqlite3_stmt *st = db_stmt(db, sql);
    return st == NULL ? -EIO : db_step_int(db, st, out);
}

int db_changes_log(struct db *db, enum db_change_kind kind, int64_t id)
{
    static const char sql[] = "INSERT INTO changes (kind, id) VALUES (?1, ?2)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_text(st, 1, kinds[kind], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    return db_exec_stmt(db, st);
}

int db_changes_prune(struct db *db, int64_t keep)
{
    static const char sql[] = "DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, keep);
    return db_exec_stmt(db, st);
}

int db_post_due_ids(struct db *db, int64_t from, int64_t to, int64_t *ids, size_t max, size_t *n)
{
    static const char sql[] = "SELECT id FROM posts WHERE status = 'published' AND published_at > ?1 "
                              "AND published_at <= ?2 ORDER BY published_at LIMIT ?3";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < max)
        ids[k++] = sqlite3_column_int64(st, 0);
    int ret = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, rc);
    sqlite3_reset(st);
    if (ret == 0)
        *n = k;
    return ret;
}

/* Runs one of the savepoint statements, prepared once. */
static int run_stmt(struct db *db, const char *sql)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    return st == NULL ? -EIO : db_exec_stmt(db, st);
}

static const char SQL_SAVEPOINT[] = "SAVEPOINT item";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO item";
static const char SQL_RELEASE[] = "RELEASE item";

int db_savepoint(struct db *db)
{
    if (db->tx_depth == 0 || db->in_savepoint)
        return -EINVAL;
    int ret = run_stmt(db, SQL_SAVEPOINT);
    if (ret < 0)
        return ret;
    db->in_savepoint = 1;
    db->savepoint_depth = db->tx_depth;
    db->savepoint_failed = db->tx_failed;
    db->tx_failed = 0;
    return 0;
}

int db_savepoint_end(struct db *db, int rollback)
{
    if (!db->in_savepoint || db->tx_depth != db->savepoint_depth)
        return -EINVAL;
    int back = rollback || db->tx_failed, ret = 0;
    if (back)
        ret = run_stmt(db, SQL_ROLLBACK_TO);
    if (ret == 0)
        ret = run_stmt(db, SQL_RELEASE);
    db->in_savepoint = 0;
    db->tx_failed = db->savepoint_failed;
    if (ret < 0) {
        db->tx_failed = 1;
        return ret;
    }
    return back;
}

int db_writer_setup(struct db *db, char wal[DB_WAL_PATH_MAX])
{
    const char *file = sqlite3_db_filename(db->h, "main");
    if (file == NULL || snprintf(wal, DB_WAL_PATH_MAX, "%s-wal", file) >= DB_WAL_PATH_MAX)
        return -ENAMETOOLONG;
    /* The checkpoints keep syncing the WAL before they copy it and the database file after, so
     * the file stays consistent; what NORMAL leaves out, db_wal_sync does. */
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, "PRAGMA temp_store = MEMORY; PRAGMA synchronous = NORMAL", NULL, NULL, &msg);
    sqlite3_free(msg);
    return rc == SQLITE_OK ? 0 : db_fail(db, rc);
}

int db_wal_sync(const char *wal)
{
    /* fdatasync flushes the file, whichever descriptor wrote it. The WAL exists as long as a
     * connection (the writer's) is open. */
    int fd = open(wal, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int ret = fdatasync(fd) < 0 ? -errno : 0;
    close(fd);
    return ret;
}
