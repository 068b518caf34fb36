/* Inside the PostgreSQL driver (pg.c, pg_watch.c, pg_search.c): its connection, its statement,
 * and the per-database state a process shares between its connections (the change log's newest
 * number, kept by a thread that listens for the server's notifications). */
#pragma once

#include <libpq-fe.h>
#include <pthread.h>

#include "db/db_int.h"

#define PG_WRITE_LOCK 7160379046331413LL   /* the site's write lock (also in migrations/pg/0005) */
#define PG_MIGRATE_LOCK 7160379046331414LL /* held while a process migrates the schema */
#define PG_CHANNEL "gazette_changes"       /* notified at each commit that logged changes */
#define PG_LOCK_TIMEOUT_MS 5000            /* waits for a lock past this fail (-EBUSY), as SQLite's busy timeout */
#define PG_RETRY_MS 1000                   /* a lost connection is tried again at most this often */
#define PG_PARAMS_MAX 64                   /* parameters of one statement */

/* What the connections of a process to one database share. */
struct pg_site {
    char *url;
    unsigned refs;    /* open connections (under the sites' lock) */
    uint64_t head;    /* the newest change log number known to the process (atomic) */
    int head_known;   /* head was read from the database at least once (atomic) */
    pthread_t thread; /* the watcher: LISTENs and moves head */
    int watching;     /* the watcher runs (under the sites' lock) */
    int wake[2];      /* a pipe that wakes the watcher to stop */
    struct pg_site *next;
};

struct pg {
    struct db base;
    PGconn *conn;
    struct pg_site *site;
    unsigned conn_gen;  /* bumped at each (re)connection: statements are prepared again */
    int lost;           /* the connection is gone; a new one is made at the next call outside a transaction */
    int64_t retry_ns;   /* not before this instant */
    int in_tx;          /* between begin and commit/rollback */
    int tx_lost;        /* the connection went during the transaction: it cannot commit */
    int wrote;          /* the transaction (or the last statement) changed rows */
    int64_t timeout_ms; /* the session's statement_timeout (0: none) */
    int64_t want_ms;    /* what the budget asks for */
    unsigned next_name; /* prepared statements are named s1, s2 ... */
};

struct pg_stmt {
    struct sql_stmt base;
    char *sql;            /* with $N for ?N and JOIN for CROSS JOIN */
    char name[16];        /* "" for a statement prepared once */
    unsigned prepared_on; /* the conn_gen it was prepared on; 0: not yet */
    int nparams;
    unsigned char present[PG_PARAMS_MAX + 1]; /* which $N the text holds */
    unsigned types[PG_PARAMS_MAX + 1];        /* Oid of each parameter as bound (0: never bound) */
    const char *values[PG_PARAMS_MAX + 1];
    int lengths[PG_PARAMS_MAX + 1];
    int formats[PG_PARAMS_MAX + 1];
    char *owned[PG_PARAMS_MAX + 1];  /* copies this statement frees */
    char num[PG_PARAMS_MAX + 1][24]; /* integers as text */
    PGresult *res;
    int row, rows;
    unsigned char *blob; /* the last bytea column read, unescaped */
};

static inline struct pg *pg_of(struct db *db)
{
    return (struct pg *)db;
}

/* The site of url, made on first use; pg_site_put gives it back. */
struct pg_site *pg_site_get(const char *url);
void pg_site_put(struct pg_site *s);
/* Moves the site's head to seq when seq is newer. */
void pg_site_seen(struct pg_site *s, uint64_t seq);
/* Starts the site's watcher unless it runs. 0 or a negative errno. */
int pg_site_watch(struct pg_site *s);

/* The driver's error for a failed result (NULL: the connection's), with its message kept. */
int pg_error(struct db *db, const PGresult *res);
/* Runs a statement without parameters on the connection (reconnecting first when allowed). */
int pg_exec(struct db *db, const char *sql);

int pg_search(struct db *db, const struct search_query *q, int64_t now, struct db_hit *hits, size_t max, size_t *n);
