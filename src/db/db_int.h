/* Inside the storage layer: the connection that every driver extends, the hooks a driver gives
 * (struct db_driver), and the helpers the table files share. Only src/db/ includes this. */
#pragma once

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/changes.h"
#include "db/db.h"
#include "db/sql.h"

#define DB_ERRMSG_MAX 256

struct db_bulk;
struct user_list;

/* What every driver's statement starts with. */
struct sql_stmt {
    struct db *db;
    const void *key; /* the cache key: the SQL text's (or struct sql_text's) address */
    int err;         /* a statement that could not be prepared: sql_step returns this */
};

/* One entry of a connection's statement cache (open addressing on the key). */
struct sql_slot {
    const void *key;
    struct sql_stmt *st;
};

/* A hit of a search: the post id and how well it matches (higher is better), newest first. */
struct db_hit {
    int64_t id;
    double score;
    size_t age; /* place among the matches, newest first */
};

/* Steps a driver's search statement, whose rows are (id, score) newest first, into hits (at most
 * max, each with its place); resets it. 0 and *n, or the statement's error. */
int db_read_hits(struct sql_stmt *st, struct db_hit *hits, size_t max, size_t *n);

/* A driver: one backend's implementation of the statement API and of the few things that
 * cannot be written in shared SQL. Every function gets the connection it opened. */
struct db_driver {
    const char *name;
    enum sql_dialect dialect;
    /* Frees the driver's part of the connection (the cached statements are finalized first). */
    void (*close)(struct db *db);
    /* SQL text without parameters, one or more statements. */
    int (*exec)(struct db *db, const char *sql);
    /* A statement for sql; on failure &db->failed with err set (the cache does not keep it). */
    struct sql_stmt *(*prepare)(struct db *db, const char *sql);
    void (*finalize)(struct sql_stmt *st);
    void (*reset)(struct sql_stmt *st, int clear);
    void (*bind_int64)(struct sql_stmt *st, int i, int64_t v);
    void (*bind_text)(struct sql_stmt *st, int i, const char *s, size_t n, int copy);
    void (*bind_blob)(struct sql_stmt *st, int i, const void *p, size_t n);
    void (*bind_null)(struct sql_stmt *st, int i, int integer);
    int (*step)(struct sql_stmt *st);
    int (*is_null)(struct sql_stmt *st, int i);
    int64_t (*int64)(struct sql_stmt *st, int i);
    double (*dbl)(struct sql_stmt *st, int i);
    const char *(*text)(struct sql_stmt *st, int i, size_t *n);
    const void *(*blob)(struct sql_stmt *st, int i, size_t *n);
    /* The current row's shape (sql_column_count, sql_column_name, sql_column_kind). */
    int (*column_count)(struct sql_stmt *st);
    const char *(*column_name)(struct sql_stmt *st, int i);
    enum sql_kind (*column_kind)(struct sql_stmt *st, int i);
    /* The write transaction: takes the database's write lock now (waiting as long as the
     * busy timeout allows), as db_begin promises. */
    int (*begin)(struct db *db);
    /* Ends it: commit (a negative errno when it did not commit) or roll back. */
    int (*commit)(struct db *db);
    int (*rollback)(struct db *db);
    /* The content generation (db_generation). */
    int (*generation)(struct db *db, uint64_t *out);
    /* Starts (ms > 0) or ends (0) the budget's mechanism; db.c keeps the deadline. */
    void (*budget)(struct db *db, int64_t ms);
    int (*schema_version)(struct db *db, int *out);
    /* The writer's connection and its durability step (changes.h). */
    int (*writer_setup)(struct db *db, struct db_sync **out);
    /* The newest matches of q (at most max), newest first, each with its relevance. */
    int (*search)(struct db *db, const struct search_query *q, int64_t now, struct db_hit *hits, size_t max, size_t *n);
    /* A bulk load (wpmap.h): begin opens the transaction, end rebuilds what begin set aside and
     * commits (ok) or rolls back; both free nothing of b but their own part. */
    int (*bulk_begin)(struct db *db, struct db_bulk *b);
    void (*bulk_writeback)(struct db_bulk *b);
    int (*bulk_end)(struct db *db, struct db_bulk *b, int ok);
    /* Rows streamed into a table (sql_rows_*); NULL for an INSERT a row. open sets r->impl (or
     * r->err), add takes the row in r->v, close sends what is left and frees impl (also after an
     * error: then it sends nothing). Each returns 0 or a negative errno. */
    int (*rows_open)(struct sql_rows *r, const char *table, const char *const *cols);
    int (*rows_add)(struct sql_rows *r);
    int (*rows_close)(struct sql_rows *r);
};

/* A connection: each driver's own struct starts with this. */
struct db {
    const struct db_driver *drv;
    struct sql_slot *slots; /* the statement cache, cap entries, a power of two */
    size_t n_stmts, cap;
    char errmsg[DB_ERRMSG_MAX];
    int64_t changes;        /* rows changed by the last statement (sql_changes) */
    int tx_depth;           /* nested db_begin calls; only the outermost talks to the backend */
    int tx_failed;          /* a nested db_rollback happened: the outermost commit rolls back */
    int in_savepoint;       /* between db_savepoint and db_savepoint_end (changes.h) */
    int savepoint_depth;    /* tx_depth at db_savepoint */
    int savepoint_failed;   /* tx_failed before the savepoint, put back at its end */
    int64_t deadline_ns;    /* db_budget: CLOCK_MONOTONIC instant past which statements stop; 0 none */
    int budget_spent;       /* a statement was stopped since db_budget */
    struct sql_stmt failed; /* what sql_prepare gives for a statement that could not be prepared */
};

/* One value of a row of sql_rows (sql.h): text and blobs point at the caller's bytes. */
struct sql_value {
    enum sql_kind kind; /* SQL_KIND_NULL when not set */
    int64_t i;
    double f;
    const void *p;
    size_t n;
};

/* What sql_rows_open makes: the generic part (sql.c); a driver with rows hooks keeps its own
 * state in impl, else each row is an INSERT. */
struct sql_rows {
    struct db *db;
    int ncols;
    int err;                                      /* the first error */
    struct sql_stmt *insert;                      /* without the driver's hooks */
    void *impl;                                   /* the driver's */
    struct sql_value v[SQL_ROWS_COLUMNS_MAX + 1]; /* by column, from 1 */
};

/* Finalizes every cached statement (db_close); how many there are (tests). */
void sql_cache_free(struct db *db);
size_t sql_cache_count(const struct db *db);

/* What db_writer_setup hands out; each driver's starts with this (db_sync_free frees it). */
struct db_sync {
    int (*sync)(struct db_sync *s);
};

/* What a bulk load keeps between db_bulk_begin and db_bulk_end; each driver's part follows. */
struct db_bulk {
    struct db *db;
    int set_aside; /* the triggers' upkeep was set aside: db_bulk_end makes it again */
    void *impl;    /* the driver's */
};

/* The drivers. */
extern const struct db_driver db_sqlite_driver;
int db_sqlite_open(const char *dir, struct db **out);
int64_t db_sqlite_memory_used(void);
void db_sqlite_version(char *out, size_t cap);
extern const struct db_driver db_pg_driver;
int db_pg_open(const char *url, struct db **out);
void db_pg_version(char *out, size_t cap);

/* Sets the connection's message (printf-style) and returns err, for errors found in C. */
int db_set_error(struct db *db, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The monotonic clock in nanoseconds (the budget's). */
int64_t db_monotonic_ns(void);

/* Made again by a bulk load's end from the tables (bulk.c): the publish times on post_terms and
 * the kept counts of migration 0006. The driver runs it before it rebuilds its search index. */
int db_bulk_recount(struct db *db);

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
 * kept counts (lists.c): it is the *rank-th newest of those published before *hi, and *rank is at
 * most the posts of one minute, so an index read from there skips little. */
int db_list_seek(struct db *db, int64_t now, size_t offset, int64_t *hi, int64_t *rank);

/* The columns db_read_post() expects, in order, without FROM: SRC is "p.source" or "NULL" (lists
 * do not load sources). The table is posts p, joined with users u. */
#define POST_SELECT(SRC)                                                                                               \
    "p.id, p.type, p.status, p.title, p.slug, p.author_id, u.login, u.display_name, p.format, " SRC ", p.html, "       \
    "p.excerpt, p.sticky, p.comment_status, p.password, COALESCE(p.parent_id, 0), p.published_at, p.created_at, "      \
    "p.modified_at, p.version, COALESCE(p.wp_id, 0), "                                                                 \
    "COALESCE((SELECT cc.approved FROM comment_counts cc WHERE cc.post_id = p.id), 0), "                               \
    "(SELECT t.slug FROM post_terms pt CROSS JOIN terms t ON t.id = pt.term_id WHERE pt.post_id = p.id "               \
    "AND t.taxonomy = 'category' ORDER BY t.name COLLATE NOCASE, t.id LIMIT 1), p.as_written, "                        \
    "COALESCE(p.featured_id, 0) "
#define POST_FROM "FROM posts p LEFT JOIN users u ON u.id = p.author_id "
#define POST_COLS(SRC) POST_SELECT(SRC) POST_FROM

/* Reads the current row of a statement selecting POST_SELECT into *p. */
void db_read_post(struct sql_stmt *st, struct post *p);
/* Steps a statement selecting POST_SELECT to its end into *out; resets it. */
int db_many_posts(struct sql_stmt *st, struct post_list *out);
/* The same with another reader of a row (a statement selecting other columns). */
int db_many_posts_by(struct sql_stmt *st, void (*read)(struct sql_stmt *st, struct post *p), struct post_list *out);
/* Collects column 0 of every row into a heap array of ids; resets. */
int db_many_ids(struct sql_stmt *st, int64_t **ids, size_t *n);

/* Rows of a list of ids that C holds (a page of search hits, the posts of a list whose terms or
 * pictures a page shows) are read by one statement, not one per id: the ids are one parameter
 * (db_bind_ids) that the statement reads as a table j, with j.value the id and j.key its place
 * in the list from 0 (ORDER BY j.key keeps the list's order). SQLite reads a JSON array with
 * json_each, PostgreSQL a bigint[] with unnest ... WITH ORDINALITY. DB_BY_IDS(I, HEAD, TAIL) is the
 * statement `HEAD <that table, of parameter ?I> TAIL` for both backends (a struct sql_text). */
#define DB_IDS_SQLITE(I) "json_each(?" #I ") j "
#define DB_IDS_PG(I)                                                                                                   \
    "(SELECT value, n - 1 AS key FROM unnest(CAST(?" #I " AS BIGINT[])) WITH ORDINALITY u (value, n)) j "
#define DB_BY_IDS(I, HEAD, TAIL)                                                                                       \
    {                                                                                                                  \
        .sqlite = HEAD DB_IDS_SQLITE(I) TAIL, .pg = HEAD DB_IDS_PG(I) TAIL                                             \
    }
/* The same, in the list's order: PostgreSQL sorts by j.key; SQLite, where j comes first in a
 * CROSS JOIN (one row per id), returns the rows in the array's order without a sort. */
#define DB_BY_IDS_IN_ORDER(I, HEAD, TAIL)                                                                              \
    {                                                                                                                  \
        .sqlite = HEAD DB_IDS_SQLITE(I) TAIL, .pg = HEAD DB_IDS_PG(I) TAIL " ORDER BY j.key"                           \
    }
/* Binds ids[0..n) as parameter i of a DB_BY_IDS statement. */
void db_bind_ids(struct sql_stmt *st, int i, const int64_t *ids, size_t n);
/* The comments (with emails, as db_comment_get) and the users of ids[0..n), in that order, one
 * read each; an id without a row is left out. */
int db_comments_of(struct db *db, const int64_t *ids, size_t n, struct comment_list *out);
int db_users_of(struct db *db, const int64_t *ids, size_t n, struct user_list *out);

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
