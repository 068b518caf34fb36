/* Test helper: a fresh, empty database per test, removed afterwards, on the backend the test run
 * names. GAZETTE_TEST_BACKEND=pg (the storage tests' second run, meson suite 'pg') makes each a
 * new database on the PostgreSQL server at GAZETTE_TEST_PG, copied from its gazette_template
 * database (scripts/pgtest makes both); otherwise each is a SQLite data directory. Either way a
 * fresh directory exists too, for the test's own files. */
#pragma once

#include <criterion/criterion.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

#define TMPDATA_DBS_MAX 8 /* databases one test may make */

static char tmpdata_dir[256];
static char tmpdata_dbs[TMPDATA_DBS_MAX][64];
static size_t tmpdata_n_dbs;
static char tmpdata_url_buf[1024];

static int tmpdata_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* 1 when the test run is the PostgreSQL one. */
static inline int tmpdata_pg(void)
{
    const char *b = getenv("GAZETTE_TEST_BACKEND");
    return b != NULL && strcmp(b, "pg") == 0;
}

/* The server's URL (its postgres database), for the PostgreSQL run. */
static inline const char *tmpdata_pg_server(void)
{
    const char *u = getenv("GAZETTE_TEST_PG");
    cr_assert(u != NULL && u[0] != '\0', "GAZETTE_TEST_PG is not set: the PostgreSQL tests need scripts/pgtest's "
                                         "server (make test starts one)");
    return u;
}

/* The URL of database name on the test server (into tmpdata_url_buf). */
static inline const char *tmpdata_pg_url(const char *name)
{
    const char *server = tmpdata_pg_server(), *q = strchr(server, '?');
    snprintf(tmpdata_url_buf, sizeof(tmpdata_url_buf), "postgresql:///%s%s", name, q ? q : "");
    return tmpdata_url_buf;
}

/* Runs one statement on the test server's postgres database. */
static inline void tmpdata_pg_exec(const char *sql)
{
    PGconn *c = PQconnectdb(tmpdata_pg_server());
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

/* Makes a new directory and returns its path (valid until tmpdata_remove). */
static inline const char *tmpdata_make(void)
{
    snprintf(tmpdata_dir, sizeof(tmpdata_dir), "/tmp/gazette-test-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdata_dir));
    return tmpdata_dir;
}

/* A new database made from template on the PostgreSQL run; the SQLite run's is the directory
 * sub (or the test's directory itself). Its URL, valid until the next call. */
static inline const char *tmpdata_new_db(const char *template, const char *sub)
{
    tmpdata_make();
    if (!tmpdata_pg()) {
        snprintf(tmpdata_url_buf, sizeof(tmpdata_url_buf), "%s%s%s", tmpdata_dir, sub ? "/" : "", sub ? sub : "");
        return tmpdata_url_buf;
    }
    cr_assert_lt(tmpdata_n_dbs, TMPDATA_DBS_MAX);
    char *name = tmpdata_dbs[tmpdata_n_dbs++], sql[200];
    snprintf(name, sizeof(tmpdata_dbs[0]), "gt_%ld_%zu", (long)getpid(), tmpdata_n_dbs);
    snprintf(sql, sizeof(sql), "CREATE DATABASE %.63s TEMPLATE %s", name, template);
    tmpdata_pg_exec(sql);
    return tmpdata_pg_url(name);
}

/* A new empty database: its URL (a SQLite data directory in a new directory, or a new
 * PostgreSQL database with the schema), valid until the next call. */
static inline const char *tmpdata_new_url(void)
{
    return tmpdata_new_db("gazette_template", NULL);
}

/* A database that does not exist yet or is empty, without the schema: a directory to be made,
 * or a new PostgreSQL database made from template0. */
static inline const char *tmpdata_new_bare(void)
{
    return tmpdata_new_db("template0", "site");
}

/* The URL of the database made last (for a second connection to it). */
static inline const char *tmpdata_url(void)
{
    return tmpdata_n_dbs > 0 ? tmpdata_pg_url(tmpdata_dbs[tmpdata_n_dbs - 1]) : tmpdata_dir;
}

static inline void tmpdata_remove(void)
{
    if (tmpdata_dir[0])
        nftw(tmpdata_dir, tmpdata_rm, 16, FTW_DEPTH | FTW_PHYS);
    tmpdata_dir[0] = '\0';
    for (size_t i = 0; i < tmpdata_n_dbs; i++) {
        char sql[160];
        snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %.63s WITH (FORCE)", tmpdata_dbs[i]);
        tmpdata_pg_exec(sql);
    }
    tmpdata_n_dbs = 0;
}

/* A fresh database, opened. */
static inline struct db *tmpdata_open(void)
{
    struct db *db = NULL;
    const char *url = tmpdata_new_url();
    cr_assert_eq(db_open(url, &db), 0, "%s", url);
    return db;
}
