/* The PostgreSQL driver (db/pg.c) where it differs from SQLite: placeholders rewritten outside
 * quotes, a newer schema refused, a lost connection made again (and a transaction that lost its
 * connection committing nothing), the write lock between two writers, the change log's numbers
 * without gaps and in commit order, and another process's commit seen through the server's
 * notification. Needs the server of GAZETTE_TEST_PG (suite 'pg'). */
#include <criterion/criterion.h>
#include <errno.h>
#include <libpq-fe.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db/changes.h"
#include "db/migrations.h"
#include "db/sql.h"
#include "lib/timeutil.h"
#include "tmpdata.h"

TestSuite(pg, .fini = tmpdata_remove);

/* Runs sql on a connection of its own to url; returns the first value (heap) or NULL. */
static char *side(const char *url, const char *sql)
{
    char conninfo[1100];
    snprintf(conninfo, sizeof(conninfo), "%s", url);
    PGconn *c = PQconnectdb(conninfo);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    ExecStatusType s = PQresultStatus(r);
    cr_assert(s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK, "%s: %s", sql, PQresultErrorMessage(r));
    char *v = s == PGRES_TUPLES_OK && PQntuples(r) > 0 ? strdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    PQfinish(c);
    return v;
}

static int64_t count(struct db *db, const char *sql)
{
    struct sql_stmt *st = sql_prepare_once(db, sql);
    cr_assert_eq(sql_step(st), SQL_ROW, "%s: %s", sql, db_errmsg(db));
    int64_t v = sql_int64(st, 0);
    sql_finalize(st);
    return v;
}

Test(pg, placeholders_in_quotes_are_text)
{
    struct db *db = tmpdata_open();
    static const char sql[] = "SELECT '?1 and ''?2''', ?1 + 1, \"?3\" FROM (SELECT 5 AS \"?3\") x CROSS JOIN "
                              "(SELECT 1) y ON true";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, 41);
    cr_assert_eq(sql_step(st), SQL_ROW, "%s", db_errmsg(db));
    cr_assert_str_eq(sql_text(st, 0), "?1 and '?2'");
    cr_assert_eq(sql_int64(st, 1), 42);
    cr_assert_eq(sql_int64(st, 2), 5);
    sql_reset(st);
    db_close(db);
}

Test(pg, refuses_a_newer_schema)
{
    const char *url = tmpdata_new_url();
    char keep[1100];
    snprintf(keep, sizeof(keep), "%s", url);
    free(side(keep, "UPDATE gazette_schema SET version = 999"));
    struct db *db = NULL;
    cr_assert_eq(db_open(keep, &db), -EPROTO);
}

/* Ends every other session of the test's database, as a server restart would. */
static void cut(const char *url)
{
    free(side(url, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                   "WHERE datname = current_database() AND pid <> pg_backend_pid()"));
}

Test(pg, a_lost_connection_is_made_again)
{
    struct db *db = tmpdata_open();
    char url[1100];
    snprintf(url, sizeof(url), "%s", tmpdata_url());
    cr_assert_eq(db_setting_set(db, "site_title", "before"), 0);
    /* a read that finds the connection gone runs again on a new one */
    cut(url);
    char *v = NULL;
    cr_assert_eq(db_setting_get(db, "site_title", &v), 0, "%s", db_errmsg(db));
    cr_assert_str_eq(v, "before");
    free(v);
    /* a write is not run twice (it may have been committed): it fails, the next call reconnects */
    cut(url);
    int rc = db_setting_set(db, "site_title", "after");
    cr_assert_eq(rc, -ENOTCONN, "the write that finds it gone fails: %d", rc);
    cr_assert_eq(db_setting_set(db, "site_title", "before"), 0, "the next makes it again: %s", db_errmsg(db));
    /* a transaction that finds it gone at its start starts on a new one */
    cut(url);
    cr_assert_eq(db_begin(db), 0, "%s", db_errmsg(db));
    cr_assert_eq(db_rollback(db), 0);
    /* a transaction whose connection goes commits nothing */
    cr_assert_eq(db_begin(db), 0);
    cr_assert_eq(db_setting_set(db, "site_title", "lost"), 0);
    cut(url);
    cr_assert_eq(db_setting_set(db, "site_tagline", "lost too"), -ENOTCONN);
    cr_assert_eq(db_commit(db), -ENOTCONN);
    usleep(1100 * 1000); /* new connections at most once a second */
    cr_assert_eq(db_setting_get(db, "site_title", &v), 0, "%s", db_errmsg(db));
    cr_assert_str_eq(v, "before");
    free(v);
    db_close(db);
}

Test(pg, a_second_writer_waits_for_the_first_and_gives_up_past_the_timeout)
{
    struct db *a = tmpdata_open(), *b = NULL;
    cr_assert_eq(db_open(tmpdata_url(), &b), 0);
    cr_assert_eq(db_begin(a), 0);
    int64_t t0 = time_now();
    cr_assert_eq(db_begin(b), -EBUSY, "the write lock is held");
    cr_assert_geq(time_now() - t0, 4, "waited for the lock first");
    cr_assert_eq(db_setting_set(b, "site_title", "b"), -EBUSY, "a write outside a transaction waits too");
    cr_assert_eq(db_rollback(a), 0);
    cr_assert_eq(db_setting_set(b, "site_title", "b"), 0);
    db_close(a);
    db_close(b);
}

Test(pg, the_change_log_has_no_gaps_and_keeps_commit_order)
{
    struct db *db = tmpdata_open();
    int64_t first;
    cr_assert_eq(db_changes_last(db, &first), 0);
    cr_assert_eq(db_begin(db), 0);
    cr_assert_eq(db_savepoint(db), 0);
    cr_assert_eq(db_setting_set(db, "a", "1"), 0);
    cr_assert_eq(db_savepoint_end(db, 1), 1, "rolled back: its number is given back");
    cr_assert_eq(db_setting_set(db, "b", "1"), 0);
    cr_assert_eq(db_commit(db), 0);
    cr_assert_eq(db_begin(db), 0);
    cr_assert_eq(db_setting_set(db, "c", "1"), 0);
    cr_assert_eq(db_rollback(db), 0);
    cr_assert_eq(db_setting_set(db, "d", "1"), 0);
    struct db_change ch[8];
    size_t n;
    cr_assert_eq(db_changes_since(db, first, ch, 8, &n), 0);
    cr_assert_eq(n, 2);
    cr_assert_eq(ch[0].seq, first + 1);
    cr_assert_eq(ch[1].seq, first + 2);
    cr_assert_eq(count(db, "SELECT count(*) FROM settings"), 2);
    db_close(db);
}

Test(pg, another_process_commit_is_seen_within_a_second)
{
    struct db *db = tmpdata_open();
    char url[1100];
    snprintf(url, sizeof(url), "%s", tmpdata_url());
    uint64_t gen = 0;
    cr_assert_eq(db_changed(db, &gen), 1);
    cr_assert_eq(db_changed(db, &gen), 0);
    pid_t pid = fork();
    if (pid == 0) { /* another process: its own connection, its own watcher */
        struct db *other = NULL;
        int ok = db_open(url, &other) == 0 && db_setting_set(other, "site_title", "from afar") == 0;
        db_close(other);
        _exit(ok ? 0 : 1);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int changed = 0;
    do {
        changed = db_changed(db, &gen);
        if (!changed)
            usleep(5000);
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while (!changed && (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 1000);
    cr_assert_eq(changed, 1, "the notification moved the generation within a second");
    struct db_change ch[4];
    size_t n;
    cr_assert_eq(db_changes_since(db, 0, ch, 4, &n), 0);
    cr_assert_eq((uint64_t)ch[n - 1].seq + 1, gen, "the generation follows the change log's newest number");
    db_close(db);
}

Test(pg, a_statement_past_the_budget_stops)
{
    struct db *db = tmpdata_open();
    db_budget(db, 100);
    int64_t t0 = time_now();
    struct sql_stmt *st = sql_prepare_once(db, "SELECT pg_sleep(5)");
    cr_assert_eq(sql_step(st), -ETIMEDOUT);
    sql_finalize(st);
    cr_assert(db_budget_spent(db));
    cr_assert_leq(time_now() - t0, 2);
    db_budget(db, 0);
    char *v;
    cr_assert_eq(db_setting_get(db, "site_title", &v), -ENOENT, "the connection goes on: %s", db_errmsg(db));
    db_close(db);
}
