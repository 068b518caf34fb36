/* Inside the SQLite backend: the connection struct, the per-connection cache of prepared
 * statements (keyed by the SQL text's address), and row helpers shared by sqlite_*.c. */
#pragma once

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/db.h"

#define DB_STMT_CACHE 160 /* distinct statements a connection keeps prepared */
#define DB_BUSY_TIMEOUT_MS 5000
/* Page size of a new database file (an existing file keeps its own). A post row (source,
 * rendered html and excerpt) is a few KiB: at SQLite's default 4 KiB one or two fit a page and
 * the rest is slack, at 16 KiB a page holds several. Measured on the WordPress import bench
 * (100,000 posts, 500,000 comments): a 13% smaller file and a quarter less time than at 4 KiB. */
#define DB_PAGE_SIZE 16384
#define DB_ERRMSG_MAX 256
#define DB_BUDGET_STEPS 1000  /* engine steps between two looks at the clock under db_budget */
#define DB_WAL_SETTLE_MS 1000 /* a WAL file untouched this long has no commit on its way to readers */

struct db_stmt_slot {
    const char *sql;
    sqlite3_stmt *st;
};

struct db {
    sqlite3 *h;
    struct db_stmt_slot cache[DB_STMT_CACHE];
    size_t n_cache;
    char errmsg[DB_ERRMSG_MAX];
    int tx_depth;         /* nested db_begin calls; only the outermost talks to SQLite */
    int tx_failed;        /* a nested db_rollback happened: the outermost commit rolls back */
    int in_savepoint;     /* between db_savepoint and db_savepoint_end (changes.h) */
    int savepoint_depth;  /* tx_depth at db_savepoint */
    int savepoint_failed; /* tx_failed before the savepoint, put back at its end */
    int gen_valid;
    int64_t data_version;  /* PRAGMA data_version when gen was read */
    int64_t total_changes; /* sqlite3_total_changes64 when gen was read */
    uint64_t gen;
    int64_t deadline_ns; /* db_budget: CLOCK_MONOTONIC instant past which statements stop; 0 none */
    int budget_spent;    /* a statement was stopped since db_budget */
    char *wal_path;      /* the WAL file, whose stat says when nothing can have committed */
    int wal_seen;        /* wal_stat is the WAL file as it was when gen was read */
    struct stat wal_stat;
};

/* Periods of post_counts (migration 0006): the whole list, a UTC month, day, hour, minute. */
#define DB_LEVEL_ALL 0
#define DB_LEVEL_MONTH 1
#define DB_LEVEL_DAY 2
#define DB_LEVEL_HOUR 3
#define DB_LEVEL_MINUTE 4

/* The bucket of post_counts that instant t falls in at a level (gazette_bucket() in SQL):
 * year * 12 + month - 1 for months, whole days, hours or minutes since the epoch (rounded down). */
int64_t db_count_bucket(int level, int64_t t);

/* Where the offset-th newest published post (type post, due by now; from 0) is, found through the
 * kept counts (sqlite_lists.c): it is the *rank-th newest of those published before *hi, and
 * *rank is at most the posts of one minute, so an index read from there skips little. */
int db_list_seek(struct db *db, int64_t now, size_t offset, int64_t *hi, int64_t *rank);

/* Registers gazette_text(), gazette_bucket() and gazette_rank() on the connection (sqlite_funcs.c). */
int db_register_functions(struct db *db);

/* The columns db_read_post() expects, in order, without FROM: SRC is "p.source" or "NULL" (lists
 * do not load sources). The table is posts p, joined with users u. */
#define POST_SELECT(SRC)                                                                                               \
    "p.id, p.type, p.status, p.title, p.slug, p.author_id, u.login, u.display_name, p.format, " SRC ", p.html, "       \
    "p.excerpt, p.sticky, p.comment_status, p.password, IFNULL(p.parent_id, 0), p.published_at, p.created_at, "        \
    "p.modified_at, p.version, IFNULL(p.wp_id, 0), "                                                                   \
    "IFNULL((SELECT cc.approved FROM comment_counts cc WHERE cc.post_id = p.id), 0), "                                 \
    "(SELECT t.slug FROM post_terms pt CROSS JOIN terms t ON t.id = pt.term_id WHERE pt.post_id = p.id "               \
    "AND t.taxonomy = 'category' ORDER BY t.name COLLATE NOCASE, t.id LIMIT 1), p.as_written "
#define POST_FROM "FROM posts p LEFT JOIN users u ON u.id = p.author_id "
#define POST_COLS(SRC) POST_SELECT(SRC) POST_FROM

/* Reads the current row of a statement selecting POST_SELECT into *p. */
void db_read_post(sqlite3_stmt *st, struct post *p);
/* Steps a statement selecting POST_SELECT to its end into *out; resets it. */
int db_many_posts(struct db *db, sqlite3_stmt *st, struct post_list *out);

/* The prepared statement for sql (a static string: its address is the cache key), reset and
 * with bindings cleared. NULL on error (db->errmsg set). */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);

/* Remembers the message of a failed SQLite call and maps its result code to a negative errno. */
int db_error_errno(struct db *db, int rc);

/* db_error_errno, negative in a way the compiler can see: functions that write their
 * out-parameters only on success return this on failure, and optimizing builds check that no
 * caller reads an out-parameter that was never written. */
static inline int db_fail(struct db *db, int rc)
{
    int e = db_error_errno(db, rc);
    return e < 0 ? e : -EIO;
}

/* Steps a statement that returns no rows (or ignores them); resets it. 0 or negative errno. */
int db_exec_stmt(struct db *db, sqlite3_stmt *st);

/* Steps a statement whose first row's first column is an integer into *out; -ENOENT when there
 * is no row or the value is NULL. Resets it. */
int db_step_int(struct db *db, sqlite3_stmt *st, int64_t *out);

/* The same for a text: its first row's first column as a heap string ("" for NULL) in *out;
 * -ENOENT when there is no row. Resets it. */
int db_step_text(struct db *db, sqlite3_stmt *st, char **out);

static inline void *db_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        abort(); /* out of memory aborts, as the rest of the server does */
    return p;
}

static inline void *db_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL)
        abort();
    return p;
}

/* A heap copy of column i; NULL when the column is NULL. */
static inline char *db_col_str(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    if (s == NULL)
        return NULL;
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    char *p = db_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* A heap copy of column i; "" when the column is NULL. */
static inline char *db_col_str0(sqlite3_stmt *st, int i)
{
    char *p = db_col_str(st, i);
    if (p == NULL) {
        p = db_xmalloc(1);
        p[0] = '\0';
    }
    return p;
}

static inline int db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

/* The same without SQLite's copy of s, for a statement stepped and reset (db_exec_stmt) while s
 * is still alive: the bulk inserts of an import. */
static inline int db_bind_text_static(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* Binds 0 as NULL (optional references: parent, wp_id, user). */
static inline int db_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    return id ? sqlite3_bind_int64(st, i, id) : sqlite3_bind_null(st, i);
}

/* Grows a list array by one element of size sz, returning the new (zeroed) element. The
 * capacity doubles at 8, 16, 32 ... elements, so long lists are not copied at every row. */
static inline void *db_list_push(void **items, size_t *n, size_t sz)
{
    if (*n == 0)
        *items = db_xrealloc(*items, 8 * sz);
    else if (*n >= 8 && (*n & (*n - 1)) == 0)
        *items = db_xrealloc(*items, 2 * *n * sz);
    char *e = (char *)*items + *n * sz;
    memset(e, 0, sz);
    (*n)++;
    return e;
}
