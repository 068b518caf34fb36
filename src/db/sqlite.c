/* The SQLite backend: opening a data directory (WAL, synchronous=FULL, foreign keys, busy
 * timeout), applying the embedded migrations, the statement cache, transactions, the content
 * generation, and settings. Tables have their own files: sqlite_posts.c, sqlite_comments.c,
 * sqlite_users.c.
 *
 * Durability: synchronous=FULL. In WAL mode NORMAL already keeps a commit through a crash of
 * the process (the WAL frames are in the OS before COMMIT returns), but not through a power
 * cut or kernel crash; FULL fsyncs the WAL at each commit so a 303 the reader saw is on disk.
 * Writes are rare on a news site (comments, edits), so the fsync per commit is cheap. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/migrations.h"
#include "db/sqlite_int.h"

#define DB_FILE "gazette.db"
#define DB_SETUP_LOCK "gazette.lock"
#define DB_PATH_MAX 4096

int db_error_errno(struct db *db, int rc)
{
    if (db->h != NULL)
        snprintf(db->errmsg, sizeof(db->errmsg), "%s", sqlite3_errmsg(db->h));
    else
        snprintf(db->errmsg, sizeof(db->errmsg), "%s", sqlite3_errstr(rc));
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return -EEXIST;
        return -EINVAL;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return -EBUSY;
    case SQLITE_NOMEM:
        return -ENOMEM;
    case SQLITE_INTERRUPT:
        return db->budget_spent ? -ETIMEDOUT : -EIO;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return -EACCES;
    default:
        return -EIO;
    }
}

/* GAZETTE_PLAN_LOG names a file that gets every statement a process prepares with its query
 * plan (EXPLAIN QUERY PLAN), once per connection: how the tests check that no page scans a
 * table. Read once, before any thread could change the environment. */
static const char *plan_log_path;
static pthread_once_t plan_log_once = PTHREAD_ONCE_INIT;

static void plan_log_init(void)
{
    const char *p = getenv("GAZETTE_PLAN_LOG");
    plan_log_path = p != NULL && p[0] != '\0' ? strdup(p) : NULL;
}

/* Appends "SQL\t<statement>\n", a "PLAN\t<id>\t<parent id>\t<step>\n" line per step of its plan
 * (EXPLAIN QUERY PLAN's rows: a subquery's steps have the subquery's step as parent) and a blank
 * line. */
static void plan_log(struct db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
    sqlite3_str *out = sqlite3_str_new(db->h);
    sqlite3_str_appendf(out, "SQL\t%s\n", sql);
    if (q != NULL && sqlite3_prepare_v2(db->h, q, -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW)
            sqlite3_str_appendf(out, "PLAN\t%d\t%d\t%s\n", sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
                                (const char *)sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
    sqlite3_free(q);
    sqlite3_str_appendchar(out, 1, '\n');
    int n = sqlite3_str_length(out);
    char *text = sqlite3_str_finish(out);
    int fd = open(plan_log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0 && text != NULL && write(fd, text, (size_t)n) != n)
        fprintf(stderr, "gazette: cannot write %s\n", plan_log_path);
    if (fd >= 0)
        close(fd);
    sqlite3_free(text);
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
    sqlite3_stmt *st;
    for (size_t i = 0; i < db->n_cache; i++) {
        if (db->cache[i].sql == sql) {
            st = db->cache[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        db_fail(db, rc);
        fprintf(stderr, "gazette: cannot prepare statement: %s\n", db->errmsg);
        return NULL;
    }
    if (plan_log_path != NULL)
        plan_log(db, sql);
    if (db->n_cache < DB_STMT_CACHE) {
        db->cache[db->n_cache].sql = sql;
        db->cache[db->n_cache].st = st;
        db->n_cache++;
    } else {
        abort(); /* DB_STMT_CACHE is smaller than the number of statements in the source */
    }
    return st;
}

int db_exec_stmt(struct db *db, sqlite3_stmt *st)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    int ret = rc == SQLITE_DONE ? 0 : db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

int db_step_int(struct db *db, sqlite3_stmt *st, int64_t *out)
{
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        *out = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        ret = -ENOENT;
    else
        ret = db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

int db_step_text(struct db *db, sqlite3_stmt *st, char **out)
{
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW)
        *out = db_col_str0(st, 0);
    else
        ret = rc == SQLITE_DONE ? -ENOENT : db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

/* Runs SQL text that takes no parameters (pragmas, transaction control, migrations). */
static int exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int ret = db_fail(db, rc);
        if (msg != NULL)
            snprintf(db->errmsg, sizeof(db->errmsg), "%s", msg);
        sqlite3_free(msg);
        return ret;
    }
    return 0;
}

static int pragma_int(struct db *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        ret = db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

static const char SQL_USER_VERSION[] = "PRAGMA user_version";
static const char SQL_DATA_VERSION[] = "PRAGMA data_version";
static const char SQL_GENERATION[] = "SELECT gen FROM generation WHERE id = 1";

static int migrate(struct db *db)
{
    int64_t version;
    int ret = pragma_int(db, SQL_USER_VERSION, &version);
    if (ret < 0)
        return ret;
    if (version > db_migrations_count) {
        fprintf(stderr, "gazette: the database has schema version %lld, newer than this program (%d)\n",
                (long long)version, db_migrations_count);
        return -EPROTO;
    }
    if (version == db_migrations_count)
        return 0;
    /* another process may be migrating too: take the write lock, then look again */
    if ((ret = exec(db, "BEGIN IMMEDIATE")) < 0)
        return ret;
    if ((ret = pragma_int(db, SQL_USER_VERSION, &version)) < 0)
        goto out;
    for (int i = (int)version; i < db_migrations_count; i++) {
        char pragma[64];
        if ((ret = exec(db, db_migrations[i].sql)) < 0) {
            fprintf(stderr, "gazette: migration %s failed: %s\n", db_migrations[i].name, db->errmsg);
            goto out;
        }
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", db_migrations[i].version);
        if ((ret = exec(db, pragma)) < 0)
            goto out;
    }
    ret = exec(db, "COMMIT");
out:
    if (ret < 0)
        exec(db, "ROLLBACK");
    return ret;
}

int db_open(const char *dir, struct db **out)
{
    char path[DB_PATH_MAX];
    struct db *db = NULL;
    int ret, rc, lockfd;

    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        ret = -errno;
        fprintf(stderr, "gazette: cannot create data directory %s: %s\n", dir, strerror(errno));
        return ret;
    }
    if (snprintf(path, sizeof(path), "%s/uploads", dir) >= (int)sizeof(path))
        return -ENAMETOOLONG;
    if (mkdir(path, 0755) < 0 && errno != EEXIST) {
        ret = -errno;
        fprintf(stderr, "gazette: cannot create %s: %s\n", path, strerror(errno));
        return ret;
    }
    /* Switching a fresh file to WAL takes locks SQLite's busy handler does not always wait for,
     * so connections set up one at a time, across threads and processes, under a lock file. */
    if (snprintf(path, sizeof(path), "%s/" DB_SETUP_LOCK, dir) >= (int)sizeof(path))
        return -ENAMETOOLONG;
    lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0) {
        ret = -errno;
        fprintf(stderr, "gazette: cannot lock %s: %s\n", path, strerror(errno));
        if (lockfd >= 0)
            close(lockfd);
        return ret;
    }
    if (snprintf(path, sizeof(path), "%s/" DB_FILE, dir) >= (int)sizeof(path)) {
        close(lockfd);
        return -ENAMETOOLONG;
    }

    db = db_xmalloc(sizeof(*db));
    memset(db, 0, sizeof(*db));
    rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        ret = db_fail(db, rc);
        fprintf(stderr, "gazette: cannot open %s: %s\n", path, db->errmsg);
        goto out;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
    pthread_once(&plan_log_once, plan_log_init);
    if ((ret = db_register_functions(db)) < 0)
        goto fail;
    char mode[16];
    if ((ret = exec(db, "PRAGMA foreign_keys = ON")) < 0 || (ret = db_journal_mode(db, mode, sizeof(mode))) < 0)
        goto fail;
    if (strcmp(mode, "wal") != 0) {
        /* a new file takes its page size now, before the first write; an existing one ignores this */
        char pragma[48];
        snprintf(pragma, sizeof(pragma), "PRAGMA page_size = %d", DB_PAGE_SIZE);
        if ((ret = exec(db, pragma)) < 0 || (ret = exec(db, "PRAGMA journal_mode = WAL")) < 0)
            goto fail;
    }
    if ((ret = exec(db, "PRAGMA synchronous = FULL")) < 0 || (ret = migrate(db)) < 0)
        goto fail;
    if ((ret = db_journal_mode(db, mode, sizeof(mode))) < 0)
        goto fail;
    if (strcmp(mode, "wal") != 0) {
        snprintf(db->errmsg, sizeof(db->errmsg), "journal mode is %s, not wal", mode);
        ret = -EIO;
        goto fail;
    }
    const char *wal = sqlite3_filename_wal(sqlite3_db_filename(db->h, "main"));
    db->wal_path = wal != NULL ? strdup(wal) : NULL; /* without it, every read asks SQLite */
    close(lockfd);                                   /* releases the setup lock */
    *out = db;
    return 0;
fail:
    fprintf(stderr, "gazette: cannot set up %s: %s\n", path, db->errmsg);
out:
    db_close(db);
    close(lockfd);
    return ret;
}

void db_close(struct db *db)
{
    if (db == NULL)
        return;
    for (size_t i = 0; i < db->n_cache; i++)
        sqlite3_finalize(db->cache[i].st);
    sqlite3_close(db->h);
    free(db->wal_path);
    free(db);
}

int64_t db_memory_used(void)
{
    return sqlite3_memory_used();
}

void db_engine_version(char *out, size_t cap)
{
    snprintf(out, cap, "SQLite %s", sqlite3_libversion());
}

const char *db_errmsg(struct db *db)
{
    return db != NULL && db->errmsg[0] ? db->errmsg : "no error";
}

int db_schema_version(struct db *db, int *out)
{
    int64_t v;
    int ret = pragma_int(db, SQL_USER_VERSION, &v);
    if (ret == 0)
        *out = (int)v;
    return ret;
}

int db_journal_mode(struct db *db, char *out, size_t cap)
{
    static const char sql[] = "PRAGMA journal_mode";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW)
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    else
        ret = db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

/* 1 when the WAL file is the one seen when the generation was last read, unchanged, and last
 * written DB_WAL_SETTLE_MS or more ago. Every commit, from any connection or process, appends to
 * the WAL file (changing its size or mtime) before readers can see it, and no commit takes a
 * second to become visible after its last write: then nothing has committed since, and the
 * generation cannot have moved. The test costs one stat(); PRAGMA data_version takes locks on
 * the shared-memory index and a few more system calls, on every request of every thread. */
static int wal_unchanged(const struct db *db, const struct stat *st)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t age_ms = ((int64_t)now.tv_sec - st->st_mtim.tv_sec) * 1000 + (now.tv_nsec - st->st_mtim.tv_nsec) / 1000000;
    const struct stat *w = &db->wal_stat;
    return db->wal_seen && st->st_dev == w->st_dev && st->st_ino == w->st_ino && st->st_size == w->st_size &&
           st->st_mtim.tv_sec == w->st_mtim.tv_sec && st->st_mtim.tv_nsec == w->st_mtim.tv_nsec &&
           age_ms >= DB_WAL_SETTLE_MS;
}

int db_generation(struct db *db, uint64_t *out)
{
    int64_t dv, gen;
    struct stat st;
    int have_stat = db->wal_path != NULL && stat(db->wal_path, &st) == 0;
    if (have_stat && db->gen_valid && wal_unchanged(db, &st)) {
        *out = db->gen;
        return 0;
    }
    db->wal_seen = 0;
    int ret = pragma_int(db, SQL_DATA_VERSION, &dv);
    if (ret < 0)
        return ret;
    /* data_version moves when another connection commits; total_changes when this one writes */
    int64_t tc = sqlite3_total_changes64(db->h);
    if (!db->gen_valid || dv != db->data_version || tc != db->total_changes) {
        if ((ret = pragma_int(db, SQL_GENERATION, &gen)) < 0)
            return ret;
        db->gen_valid = 1;
        db->data_version = dv;
        db->total_changes = tc;
        db->gen = (uint64_t)gen;
    }
    /* the WAL file as it was before the read: a commit after that stat changes it again */
    if (have_stat) {
        db->wal_stat = st;
        db->wal_seen = 1;
    }
    *out = db->gen;
    return 0;
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

int db_begin(struct db *db)
{
    if (db->tx_depth > 0) {
        db->tx_depth++;
        return 0;
    }
    int ret = exec(db, "BEGIN IMMEDIATE");
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
        exec(db, "ROLLBACK");
        db->tx_failed = 0;
        return -EIO;
    }
    int ret = exec(db, "COMMIT");
    if (ret < 0)
        exec(db, "ROLLBACK");
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
    return exec(db, "ROLLBACK");
}

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* SQLite calls this every DB_BUDGET_STEPS steps of a statement; non-zero stops it. */
static int over_budget(void *arg)
{
    struct db *db = arg;
    if (db->deadline_ns != 0 && monotonic_ns() > db->deadline_ns) {
        db->budget_spent = 1;
        return 1;
    }
    return 0;
}

void db_budget(struct db *db, int64_t ms)
{
    db->budget_spent = 0;
    if (ms <= 0) {
        db->deadline_ns = 0;
        sqlite3_progress_handler(db->h, 0, NULL, NULL);
        return;
    }
    db->deadline_ns = monotonic_ns() + ms * 1000000;
    sqlite3_progress_handler(db->h, DB_BUDGET_STEPS, over_budget, db);
}

int db_budget_spent(const struct db *db)
{
    return db->budget_spent;
}

int db_is_empty(struct db *db, int *out)
{
    static const char sql[] = "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM users)";
    int64_t n;
    int ret = pragma_int(db, sql, &n);
    if (ret == 0)
        *out = n == 0;
    return ret;
}

int db_setting_get(struct db *db, const char *key, char **out)
{
    static const char sql[] = "SELECT value FROM settings WHERE key = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, key);
    return db_step_text(db, st, out);
}

int db_setting_set(struct db *db, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, value);
    return db_exec_stmt(db, st);
}

int db_setting_delete(struct db *db, const char *key)
{
    static const char sql[] = "DELETE FROM settings WHERE key = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, key);
    return db_exec_stmt(db, st);
}
