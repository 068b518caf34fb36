/* The connection, whatever the backend: db_open picks the driver from the URL, and the rest of
 * this file is what every driver shares: nested transactions (only the outermost talks to the
 * backend), savepoints for the writer's group commit, the request budget's deadline, the content
 * generation, and the error message. The drivers are sqlite*.c and pg*.c; the tables have their
 * own files, written once against sql.h. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "db/db_int.h"

#define DB_URL_SQLITE "sqlite:"

/* 1 when s starts with a URL scheme ("name:"), as a directory's name seldom does. */
static int has_scheme(const char *s)
{
    size_t i = 0;
    if (!((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z'))
        return 0;
    while (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
           s[i] == '-' || s[i] == '.')
        i++;
    return s[i] == ':';
}

int db_open(const char *url, struct db **out)
{
    if (url == NULL || url[0] == '\0') {
        fprintf(stderr, "gazette: no database named\n");
        return -EINVAL;
    }
    if (strncmp(url, DB_URL_SQLITE, strlen(DB_URL_SQLITE)) == 0)
        return db_sqlite_open(url + strlen(DB_URL_SQLITE), out);
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return db_pg_open(url, out);
    if (has_scheme(url)) {
        fprintf(stderr, "gazette: %s: not a database this program knows (sqlite:DIR or postgresql://...)\n", url);
        return -EINVAL;
    }
    return db_sqlite_open(url, out); /* a bare path: a data directory */
}

void db_close(struct db *db)
{
    if (db == NULL)
        return;
    sql_cache_free(db);
    db->drv->close(db);
}

const char *db_errmsg(struct db *db)
{
    return db != NULL && db->errmsg[0] ? db->errmsg : "no error";
}

int db_set_error(struct db *db, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->errmsg, sizeof(db->errmsg), fmt, ap);
    va_end(ap);
    return err;
}

void db_engine_version(char *out, size_t cap)
{
    char lite[64], pg[64];
    db_sqlite_version(lite, sizeof(lite));
    db_pg_version(pg, sizeof(pg));
    snprintf(out, cap, "%s, PostgreSQL through %s", lite, pg);
}

int64_t db_memory_used(void)
{
    return db_sqlite_memory_used();
}

int db_schema_version(struct db *db, int *out)
{
    return db->drv->schema_version(db, out);
}

int db_generation(struct db *db, uint64_t *out)
{
    return db->drv->generation(db, out);
}

int db_changed(struct db *db, uint64_t *gen)
{
    uint64_t now;
    int ret = db_generation(db, &now);
    if (ret < 0)
        return ret;
    if (now == *gen)
        return 0;
    *gen = now;
    return 1;
}

/* ---- transactions --------------------------------------------------------------------- */

int db_begin(struct db *db)
{
    if (db->tx_depth > 0) {
        db->tx_depth++;
        return 0;
    }
    int ret = db->drv->begin(db);
    if (ret == 0) {
        db->tx_depth = 1;
        db->tx_failed = 0;
    }
    return ret;
}

int db_commit(struct db *db)
{
    if (db->tx_depth == 0)
        return -EINVAL;
    if (--db->tx_depth > 0)
        return 0;
    if (db->tx_failed) {
        db->drv->rollback(db);
        db->tx_failed = 0;
        return db_set_error(db, -EIO, "a part of the transaction failed: it was rolled back");
    }
    int ret = db->drv->commit(db);
    if (ret < 0)
        db->drv->rollback(db);
    return ret;
}

int db_rollback(struct db *db)
{
    if (db->tx_depth == 0)
        return -EINVAL;
    if (--db->tx_depth > 0) {
        db->tx_failed = 1;
        return 0;
    }
    db->tx_failed = 0;
    return db->drv->rollback(db);
}

/* The savepoint statements, prepared once (both dialects spell them so). */
static const char SQL_SAVEPOINT[] = "SAVEPOINT item";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO item";
static const char SQL_RELEASE[] = "RELEASE item";

int db_savepoint(struct db *db)
{
    if (db->tx_depth == 0 || db->in_savepoint)
        return -EINVAL;
    int ret = sql_run(sql_prepare(db, SQL_SAVEPOINT));
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
        ret = sql_run(sql_prepare(db, SQL_ROLLBACK_TO));
    if (ret == 0)
        ret = sql_run(sql_prepare(db, SQL_RELEASE));
    db->in_savepoint = 0;
    db->tx_failed = db->savepoint_failed;
    if (ret < 0) {
        db->tx_failed = 1;
        return ret;
    }
    return back;
}

/* ---- the writer's durability ---------------------------------------------------------- */

int db_writer_setup(struct db *db, struct db_sync **out)
{
    return db->drv->writer_setup(db, out);
}

int db_sync(struct db_sync *s)
{
    return s->sync(s);
}

void db_sync_free(struct db_sync *s)
{
    free(s);
}

/* ---- the budget ----------------------------------------------------------------------- */

int64_t db_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void db_budget(struct db *db, int64_t ms)
{
    db->budget_spent = 0;
    db->deadline_ns = ms > 0 ? db_monotonic_ns() + ms * 1000000 : 0;
    db->drv->budget(db, ms > 0 ? ms : 0);
}

int db_budget_spent(const struct db *db)
{
    return db->budget_spent;
}
