/* The SQLite driver: a data directory (gazette.db in WAL mode, synchronous=FULL, foreign keys,
 * a busy timeout), the embedded migrations, the statement API of sql.h over sqlite3_stmt, the
 * content generation (PRAGMA data_version, and the WAL file's stat as a shortcut), the request
 * budget (a progress handler), and the writer's two-step durability (its commits write the WAL,
 * db_sync flushes it).
 *
 * Durability: synchronous=FULL. In WAL mode NORMAL already keeps a commit through a crash of
 * the process (the WAL frames are in the OS before COMMIT returns), but not through a power
 * cut or kernel crash; FULL fsyncs the WAL at each commit so a 303 the reader saw is on disk.
 * The server's writer shares one fsync between many commits instead (db_writer_setup). */
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

int lite_error(struct db *db, int rc)
{
    sqlite3 *h = lite_handle(db);
    if (h != NULL)
        snprintf(db->errmsg, sizeof(db->errmsg), "%s", sqlite3_errmsg(h));
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
static void plan_log(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
    sqlite3_str *out = sqlite3_str_new(h);
    sqlite3_str_appendf(out, "SQL\t%s\n", sql);
    if (q != NULL && sqlite3_prepare_v2(h, q, -1, &st, NULL) == SQLITE_OK) {
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

/* ---- the statement API ---------------------------------------------------------------- */

static struct lite_stmt *stmt_of(struct sql_stmt *st)
{
    return (struct lite_stmt *)st;
}

static struct sql_stmt *lite_prepare(struct db *db, const char *sql)
{
    sqlite3_stmt *h;
    int rc = sqlite3_prepare_v3(lite_handle(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &h, NULL);
    if (rc != SQLITE_OK) {
        db->failed.err = lite_error(db, rc);
        fprintf(stderr, "gazette: cannot prepare statement: %s\n", db->errmsg);
        return &db->failed;
    }
    if (plan_log_path != NULL)
        plan_log(lite_handle(db), sql);
    struct lite_stmt *st = db_xmalloc(sizeof(*st));
    memset(st, 0, sizeof(*st));
    st->h = h;
    return &st->base;
}

static void lite_finalize(struct sql_stmt *st)
{
    sqlite3_finalize(stmt_of(st)->h);
    free(st);
}

static void lite_reset(struct sql_stmt *st, int clear)
{
    sqlite3_reset(stmt_of(st)->h);
    if (clear)
        sqlite3_clear_bindings(stmt_of(st)->h);
}

static void lite_bind_int64(struct sql_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(stmt_of(st)->h, i, v);
}

static void lite_bind_text(struct sql_stmt *st, int i, const char *s, size_t n, int copy)
{
    sqlite3_bind_text64(stmt_of(st)->h, i, s, n, copy ? SQLITE_TRANSIENT : SQLITE_STATIC, SQLITE_UTF8);
}

static void lite_bind_blob(struct sql_stmt *st, int i, const void *p, size_t n)
{
    sqlite3_bind_blob64(stmt_of(st)->h, i, p, n, SQLITE_TRANSIENT);
}

static void lite_bind_null(struct sql_stmt *st, int i, int integer)
{
    (void)integer;
    sqlite3_bind_null(stmt_of(st)->h, i);
}

static int lite_step(struct sql_stmt *st)
{
    int rc = sqlite3_step(stmt_of(st)->h);
    if (rc == SQLITE_ROW)
        return SQL_ROW;
    if (rc == SQLITE_DONE) {
        st->db->changes = sqlite3_changes64(lite_handle(st->db));
        return SQL_DONE;
    }
    return lite_error(st->db, rc);
}

static int lite_is_null(struct sql_stmt *st, int i)
{
    return sqlite3_column_type(stmt_of(st)->h, i) == SQLITE_NULL;
}

static int64_t lite_int64(struct sql_stmt *st, int i)
{
    return sqlite3_column_int64(stmt_of(st)->h, i);
}

static double lite_double(struct sql_stmt *st, int i)
{
    return sqlite3_column_double(stmt_of(st)->h, i);
}

static const char *lite_text(struct sql_stmt *st, int i, size_t *n)
{
    const char *s = (const char *)sqlite3_column_text(stmt_of(st)->h, i);
    *n = s ? (size_t)sqlite3_column_bytes(stmt_of(st)->h, i) : 0;
    return s;
}

static const void *lite_blob(struct sql_stmt *st, int i, size_t *n)
{
    const void *p = sqlite3_column_blob(stmt_of(st)->h, i);
    *n = p ? (size_t)sqlite3_column_bytes(stmt_of(st)->h, i) : 0;
    return p;
}

static int lite_column_count(struct sql_stmt *st)
{
    return sqlite3_column_count(stmt_of(st)->h);
}

static const char *lite_column_name(struct sql_stmt *st, int i)
{
    return sqlite3_column_name(stmt_of(st)->h, i);
}

static enum sql_kind lite_column_kind(struct sql_stmt *st, int i)
{
    switch (sqlite3_column_type(stmt_of(st)->h, i)) {
    case SQLITE_INTEGER:
        return SQL_KIND_INT;
    case SQLITE_FLOAT:
        return SQL_KIND_FLOAT;
    case SQLITE_TEXT:
        return SQL_KIND_TEXT;
    case SQLITE_BLOB:
        return SQL_KIND_BLOB;
    default:
        return SQL_KIND_NULL;
    }
}

/* Runs SQL text that takes no parameters (pragmas, transaction control, migrations). */
static int lite_exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(lite_handle(db), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int ret = lite_error(db, rc);
        if (msg != NULL)
            snprintf(db->errmsg, sizeof(db->errmsg), "%s", msg);
        sqlite3_free(msg);
        return ret;
    }
    return 0;
}

/* ---- opening ---------------------------------------------------------------------------- */

static const char SQL_USER_VERSION[] = "PRAGMA user_version";
static const char SQL_DATA_VERSION[] = "PRAGMA data_version";
static const char SQL_GENERATION[] = "SELECT gen FROM generation WHERE id = 1";

static int pragma_int(struct db *db, const char *sql, int64_t *out)
{
    int ret = sql_one_int(sql_prepare(db, sql), out);
    return ret == -ENOENT ? -EIO : ret;
}

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
    if ((ret = lite_exec(db, "BEGIN IMMEDIATE")) < 0)
        return ret;
    if ((ret = pragma_int(db, SQL_USER_VERSION, &version)) < 0)
        goto out;
    for (int i = (int)version; i < db_migrations_count; i++) {
        char pragma[64];
        if ((ret = lite_exec(db, db_migrations[i].sql)) < 0) {
            fprintf(stderr, "gazette: migration %s failed: %s\n", db_migrations[i].name, db->errmsg);
            goto out;
        }
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", db_migrations[i].version);
        if ((ret = lite_exec(db, pragma)) < 0)
            goto out;
    }
    ret = lite_exec(db, "COMMIT");
out:
    if (ret < 0)
        lite_exec(db, "ROLLBACK");
    return ret;
}

static void lite_close(struct db *db)
{
    struct lite *l = lite_of(db);
    sqlite3_close(l->h);
    free(l->wal_path);
    free(l);
}

int db_sqlite_open(const char *dir, struct db **out)
{
    char path[DB_PATH_MAX];
    struct lite *l = NULL;
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

    l = db_xmalloc(sizeof(*l));
    memset(l, 0, sizeof(*l));
    db = &l->base;
    db->drv = &db_sqlite_driver;
    rc = sqlite3_open_v2(path, &l->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        ret = lite_error(db, rc);
        fprintf(stderr, "gazette: cannot open %s: %s\n", path, db->errmsg);
        goto out;
    }
    sqlite3_extended_result_codes(l->h, 1);
    sqlite3_busy_timeout(l->h, DB_BUSY_TIMEOUT_MS);
    pthread_once(&plan_log_once, plan_log_init);
    if ((ret = lite_register_functions(db)) < 0)
        goto fail;
    char mode[16];
    if ((ret = lite_exec(db, "PRAGMA foreign_keys = ON")) < 0 || (ret = lite_journal_mode(db, mode, sizeof(mode))) < 0)
        goto fail;
    if (strcmp(mode, "wal") != 0) {
        /* a new file takes its page size now, before the first write; an existing one ignores this */
        char pragma[48];
        snprintf(pragma, sizeof(pragma), "PRAGMA page_size = %d", DB_PAGE_SIZE);
        if ((ret = lite_exec(db, pragma)) < 0 || (ret = lite_exec(db, "PRAGMA journal_mode = WAL")) < 0)
            goto fail;
    }
    if ((ret = lite_exec(db, "PRAGMA synchronous = FULL")) < 0 || (ret = migrate(db)) < 0)
        goto fail;
    if ((ret = lite_journal_mode(db, mode, sizeof(mode))) < 0)
        goto fail;
    if (strcmp(mode, "wal") != 0) {
        ret = db_set_error(db, -EIO, "journal mode is %s, not wal", mode);
        goto fail;
    }
    const char *wal = sqlite3_filename_wal(sqlite3_db_filename(l->h, "main"));
    l->wal_path = wal != NULL ? strdup(wal) : NULL; /* without it, every read asks SQLite */
    close(lockfd);                                  /* releases the setup lock */
    *out = db;
    return 0;
fail:
    fprintf(stderr, "gazette: cannot set up %s: %s\n", path, db->errmsg);
out:
    db_close(db);
    close(lockfd);
    return ret;
}

int64_t db_sqlite_memory_used(void)
{
    return sqlite3_memory_used();
}

void db_sqlite_version(char *out, size_t cap)
{
    snprintf(out, cap, "SQLite %s", sqlite3_libversion());
}

static int lite_schema_version(struct db *db, int *out)
{
    int64_t v;
    int ret = pragma_int(db, SQL_USER_VERSION, &v);
    if (ret == 0)
        *out = (int)v;
    return ret;
}

int lite_journal_mode(struct db *db, char *out, size_t cap)
{
    static const char sql[] = "PRAGMA journal_mode";
    char *mode;
    int ret = sql_one_text(sql_prepare(db, sql), &mode);
    if (ret == 0) {
        snprintf(out, cap, "%s", mode);
        free(mode);
    }
    return ret == -ENOENT ? -EIO : ret;
}

static int lite_begin(struct db *db)
{
    return lite_exec(db, "BEGIN IMMEDIATE");
}

static int lite_commit(struct db *db)
{
    return lite_exec(db, "COMMIT");
}

static int lite_rollback(struct db *db)
{
    return lite_exec(db, "ROLLBACK");
}

/* ---- the content generation ----------------------------------------------------------- */

/* 1 when the WAL file is the one seen when the generation was last read, unchanged, and last
 * written DB_WAL_SETTLE_MS or more ago. Every commit, from any connection or process, appends to
 * the WAL file (changing its size or mtime) before readers can see it, and no commit takes a
 * second to become visible after its last write: then nothing has committed since, and the
 * generation cannot have moved. The test costs one stat(); PRAGMA data_version takes locks on
 * the shared-memory index and a few more system calls, on every request of every thread. */
static int wal_unchanged(const struct lite *l, const struct stat *st)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t age_ms = ((int64_t)now.tv_sec - st->st_mtim.tv_sec) * 1000 + (now.tv_nsec - st->st_mtim.tv_nsec) / 1000000;
    const struct stat *w = &l->wal_stat;
    return l->wal_seen && st->st_dev == w->st_dev && st->st_ino == w->st_ino && st->st_size == w->st_size &&
           st->st_mtim.tv_sec == w->st_mtim.tv_sec && st->st_mtim.tv_nsec == w->st_mtim.tv_nsec &&
           age_ms >= DB_WAL_SETTLE_MS;
}

static int lite_generation(struct db *db, uint64_t *out)
{
    struct lite *l = lite_of(db);
    int64_t dv, gen;
    struct stat st;
    int have_stat = l->wal_path != NULL && stat(l->wal_path, &st) == 0;
    if (have_stat && l->gen_valid && wal_unchanged(l, &st)) {
        *out = l->gen;
        return 0;
    }
    l->wal_seen = 0;
    int ret = pragma_int(db, SQL_DATA_VERSION, &dv);
    if (ret < 0)
        return ret;
    /* data_version moves when another connection commits; total_changes when this one writes */
    int64_t tc = sqlite3_total_changes64(l->h);
    if (!l->gen_valid || dv != l->data_version || tc != l->total_changes) {
        if ((ret = pragma_int(db, SQL_GENERATION, &gen)) < 0)
            return ret;
        l->gen_valid = 1;
        l->data_version = dv;
        l->total_changes = tc;
        l->gen = (uint64_t)gen;
    }
    /* the WAL file as it was before the read: a commit after that stat changes it again */
    if (have_stat) {
        l->wal_stat = st;
        l->wal_seen = 1;
    }
    *out = l->gen;
    return 0;
}

/* ---- the budget ------------------------------------------------------------------------- */

/* SQLite calls this every DB_BUDGET_STEPS steps of a statement; non-zero stops it. */
static int over_budget(void *arg)
{
    struct db *db = arg;
    if (db->deadline_ns != 0 && db_monotonic_ns() > db->deadline_ns) {
        db->budget_spent = 1;
        return 1;
    }
    return 0;
}

static void lite_budget(struct db *db, int64_t ms)
{
    if (ms <= 0)
        sqlite3_progress_handler(lite_handle(db), 0, NULL, NULL);
    else
        sqlite3_progress_handler(lite_handle(db), DB_BUDGET_STEPS, over_budget, db);
}

/* ---- the writer's durability ------------------------------------------------------------ */

struct lite_sync {
    struct db_sync base;
    char wal[DB_WAL_PATH_MAX];
};

/* fdatasync flushes the file, whichever descriptor wrote it. The WAL exists as long as a
 * connection (the writer's) is open. */
static int wal_sync(struct db_sync *s)
{
    int fd = open(((struct lite_sync *)s)->wal, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int ret = fdatasync(fd) < 0 ? -errno : 0;
    close(fd);
    return ret;
}

static int lite_writer_setup(struct db *db, struct db_sync **out)
{
    const char *file = sqlite3_db_filename(lite_handle(db), "main");
    struct lite_sync *s = db_xmalloc(sizeof(*s));
    s->base.sync = wal_sync;
    if (file == NULL || snprintf(s->wal, sizeof(s->wal), "%s-wal", file) >= (int)sizeof(s->wal)) {
        free(s);
        return -ENAMETOOLONG;
    }
    /* The checkpoints keep syncing the WAL before they copy it and the database file after, so
     * the file stays consistent; what NORMAL leaves out, wal_sync does. */
    int ret = lite_exec(db, "PRAGMA temp_store = MEMORY; PRAGMA synchronous = NORMAL");
    if (ret < 0) {
        free(s);
        return ret;
    }
    *out = &s->base;
    return 0;
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .dialect = SQL_SQLITE,
    .close = lite_close,
    .exec = lite_exec,
    .prepare = lite_prepare,
    .finalize = lite_finalize,
    .reset = lite_reset,
    .bind_int64 = lite_bind_int64,
    .bind_text = lite_bind_text,
    .bind_blob = lite_bind_blob,
    .bind_null = lite_bind_null,
    .step = lite_step,
    .is_null = lite_is_null,
    .int64 = lite_int64,
    .dbl = lite_double,
    .text = lite_text,
    .blob = lite_blob,
    .column_count = lite_column_count,
    .column_name = lite_column_name,
    .column_kind = lite_column_kind,
    .begin = lite_begin,
    .commit = lite_commit,
    .rollback = lite_rollback,
    .generation = lite_generation,
    .budget = lite_budget,
    .schema_version = lite_schema_version,
    .writer_setup = lite_writer_setup,
    .search = lite_search,
    .bulk_begin = lite_bulk_begin,
    .bulk_writeback = lite_bulk_writeback,
    .bulk_end = lite_bulk_end,
};
