/* Inside the SQLite driver (sqlite.c, sqlite_funcs.c, sqlite_search.c, sqlite_bulk.c): its
 * connection and statement, and its limits. The table code never includes this: it uses sql.h. */
#pragma once

#include <sqlite3.h>
#include <sys/stat.h>

#include "db/db_int.h"
#include "lib/buf.h"

#define DB_BUSY_TIMEOUT_MS 5000
/* Page size of a new database file (an existing file keeps its own). A post row (source,
 * rendered html and excerpt) is a few KiB: at SQLite's default 4 KiB one or two fit a page and
 * the rest is slack, at 16 KiB a page holds several. Measured on the WordPress import bench
 * (100,000 posts, 500,000 comments): a 13% smaller file and a quarter less time than at 4 KiB. */
#define DB_PAGE_SIZE 16384
#define DB_BUDGET_STEPS 1000  /* engine steps between two looks at the clock under db_budget */
#define DB_WAL_SETTLE_MS 1000 /* a WAL file untouched this long has no commit on its way to readers */
#define DB_WAL_PATH_MAX 4200
#define DB_BULK_CACHE_KIB                                                                                              \
    24576 /* page cache of a bulk load: big enough that a long transaction                                             \
             seldom spills to the WAL, small enough for a 64 MiB import */

struct lite {
    struct db base;
    sqlite3 *h;
    int gen_valid;
    int64_t data_version;  /* PRAGMA data_version when gen was read */
    int64_t total_changes; /* sqlite3_total_changes64 when gen was read */
    uint64_t gen;
    char *wal_path; /* the WAL file, whose stat says when nothing can have committed */
    int wal_seen;   /* wal_stat is the WAL file as it was when gen was read */
    struct stat wal_stat;
    struct lite_words *words; /* the search index's tokenizer (sqlite_funcs.c), owned by gazette_words() */
};

struct lite_stmt {
    struct sql_stmt base;
    sqlite3_stmt *h;
};

static inline struct lite *lite_of(struct db *db)
{
    return (struct lite *)db;
}

static inline sqlite3 *lite_handle(struct db *db)
{
    return lite_of(db)->h;
}

/* Remembers the message of a failed SQLite call and maps its result code to a negative errno
 * of db.h's list (never 0). */
int lite_error(struct db *db, int rc);

/* The journal mode in effect ("wal"), into out (cap bytes). */
int lite_journal_mode(struct db *db, char *out, size_t cap);

/* Registers gazette_text(), gazette_bucket(), gazette_words() and gazette_rank() on the
 * connection (sqlite_funcs.c). */
int lite_register_functions(struct db *db);

/* The last word of text as the search index splits and folds it (lowercase, without accents),
 * into out; -ENOENT when text holds none. */
int lite_last_word(struct db *db, const char *text, size_t n, struct buf *out);

/* The driver's search (sqlite_search.c) and bulk load (sqlite_bulk.c) hooks. */
int lite_search(struct db *db, const struct search_query *q, int64_t now, struct db_hit *hits, size_t max, size_t *n);
int lite_bulk_begin(struct db *db, struct db_bulk *b);
void lite_bulk_writeback(struct db_bulk *b);
int lite_bulk_end(struct db *db, struct db_bulk *b, int ok);
