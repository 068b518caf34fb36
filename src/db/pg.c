/* The PostgreSQL driver (libpq): a connection per struct db, the embedded migrations of
 * migrations/pg/, and the statement API of sql.h. Statements are prepared once per connection
 * (named s1, s2 ..., with ?N made $N), with the parameter types they were first bound with, and
 * run with their results read row by row from the result. A lost connection is made again at
 * the next call outside a transaction (at most once a second; one line on stderr each way);
 * meanwhile calls fail with -ENOTCONN, which the server answers with a 503, and a transaction
 * that lost its connection commits nothing.
 *
 * Writes: db_begin takes the site's write lock (an advisory lock, as SQLite's BEGIN IMMEDIATE),
 * and so do the content tables' triggers for writes outside a transaction (migrations/pg/0005).
 * Durability: synchronous_commit = on (the server's default, set again for the writer): a
 * commit returns once it is on disk, and one transaction carries a whole batch of the writer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "db/migrations.h"
#include "db/pg_int.h"

#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25
#define PG_CONNECT_TIMEOUT "5" /* seconds, unless the URL says otherwise */

static const char SQL_HEAD[] = "SELECT seq FROM change_head WHERE id = 1";

/* ---- errors --------------------------------------------------------------------------- */

/* The URL without its password, for messages. */
static void redact(const char *url, char *out, size_t cap)
{
    const char *scheme = strstr(url, "://"), *at = strchr(url, '@');
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (scheme && at && colon && colon < at)
        snprintf(out, cap, "%.*s:***%s", (int)(colon - url), url, at);
    else
        snprintf(out, cap, "%s", url);
}

/* Keeps msg as the connection's message, on one line. */
static void keep_message(struct db *db, const char *msg)
{
    size_t n = 0;
    for (const char *s = msg && msg[0] ? msg : "PostgreSQL error"; *s && n + 1 < sizeof(db->errmsg); s++) {
        int space = *s == '\n' || *s == '\t' || *s == ' ';
        if (space && (n == 0 || db->errmsg[n - 1] == ' '))
            continue;
        db->errmsg[n++] = space ? ' ' : *s;
    }
    while (n > 0 && db->errmsg[n - 1] == ' ')
        n--;
    db->errmsg[n] = '\0';
}

/* The connection is gone: said once, and made again later. */
static int lost(struct db *db)
{
    struct pg *p = pg_of(db);
    if (!p->lost) {
        fprintf(stderr, "gazette: the connection to PostgreSQL was lost (%s); it will be made again\n", db->errmsg);
        p->retry_ns = 0; /* the server may be back already (a restart, a cut connection): try at once */
    }
    p->lost = 1;
    if (p->in_tx)
        p->tx_lost = 1;
    return -ENOTCONN;
}

int pg_error(struct db *db, const PGresult *res)
{
    struct pg *p = pg_of(db);
    keep_message(db, res ? PQresultErrorMessage(res) : PQerrorMessage(p->conn));
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (PQstatus(p->conn) != CONNECTION_OK || state == NULL || strncmp(state, "08", 2) == 0 ||
        strncmp(state, "57P0", 4) == 0)
        return PQstatus(p->conn) != CONNECTION_OK || state != NULL ? lost(db) : -EIO;
    if (strcmp(state, "23505") == 0)
        return -EEXIST;
    if (strncmp(state, "23", 2) == 0)
        return -EINVAL;
    if (strcmp(state, "57014") == 0) { /* canceled: the statement_timeout of the budget */
        if (db->deadline_ns != 0) {
            db->budget_spent = 1;
            return -ETIMEDOUT;
        }
        return -EIO;
    }
    if (strcmp(state, "40P01") == 0 || strcmp(state, "40001") == 0 || strcmp(state, "55P03") == 0)
        return -EBUSY;
    if (strcmp(state, "42501") == 0 || strcmp(state, "25006") == 0)
        return -EACCES;
    if (strcmp(state, "53200") == 0)
        return -ENOMEM;
    return -EIO;
}

/* ---- connecting --------------------------------------------------------------------------- */

static PGconn *connect_url(const char *url)
{
    /* later keywords win: the URL's own connect_timeout over ours */
    const char *keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
    const char *values[] = {PG_CONNECT_TIMEOUT, "gazette", url, NULL};
    PGconn *c = PQconnectdbParams(keys, values, 1);
    if (c != NULL && PQstatus(c) == CONNECTION_OK)
        PQsetClientEncoding(c, "UTF8");
    return c;
}

/* What every session of the driver runs first. */
static int session_setup(struct db *db)
{
    return pg_exec(db, "SET lock_timeout = 5000; SET statement_timeout = 0; SET client_min_messages = warning; "
                       "SET idle_in_transaction_session_timeout = 0");
}

/* A usable connection: the one there is, or a new one when it was lost and the call is outside
 * a transaction. */
static int ready(struct db *db)
{
    struct pg *p = pg_of(db);
    if (!p->lost && PQstatus(p->conn) == CONNECTION_OK)
        return 0;
    if (!p->lost) {
        keep_message(db, PQerrorMessage(p->conn));
        lost(db);
    }
    if (p->in_tx)
        return db_set_error(db, -ENOTCONN, "the connection to PostgreSQL was lost during the transaction");
    int64_t now = db_monotonic_ns();
    if (now < p->retry_ns)
        return db_set_error(db, -ENOTCONN, "PostgreSQL cannot be reached; trying again shortly");
    p->retry_ns = now + (int64_t)PG_RETRY_MS * 1000000;
    PQreset(p->conn);
    if (PQstatus(p->conn) != CONNECTION_OK) {
        keep_message(db, PQerrorMessage(p->conn));
        return -ENOTCONN;
    }
    PQsetClientEncoding(p->conn, "UTF8");
    p->lost = 0;
    p->conn_gen++;
    p->timeout_ms = 0;
    if (session_setup(db) < 0)
        return lost(db);
    fprintf(stderr, "gazette: the connection to PostgreSQL is back\n");
    return 0;
}

/* Runs sql on the connection without touching the change log's head. */
static int exec_raw(struct db *db, const char *sql)
{
    struct pg *p = pg_of(db);
    PGresult *res = PQexec(p->conn, sql);
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int ret = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : pg_error(db, res);
    PQclear(res);
    return ret;
}

int pg_exec(struct db *db, const char *sql)
{
    int ret = ready(db);
    return ret < 0 ? ret : exec_raw(db, sql);
}

/* ---- migrations --------------------------------------------------------------------------- */

/* The schema version into *out; -ENOENT when the database has no Gazette schema yet. */
static int read_version(struct db *db, int *out)
{
    PGresult *res = PQexec(pg_of(db)->conn, "SELECT version FROM gazette_schema");
    int ret = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        ret =
            PQresultErrorField(res, PG_DIAG_SQLSTATE) && strcmp(PQresultErrorField(res, PG_DIAG_SQLSTATE), "42P01") == 0
                ? -ENOENT
                : pg_error(db, res);
    else if (PQntuples(res) != 1)
        ret = -ENOENT;
    else
        *out = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return ret;
}

static int migrate(struct db *db)
{
    int version = 0, ret = read_version(db, &version);
    if (ret < 0 && ret != -ENOENT)
        return ret;
    if (ret == 0 && version == db_pg_migrations_count)
        return 0;
    /* another process may be migrating too: take the lock, then look again */
    if ((ret = exec_raw(db, "BEGIN; SELECT pg_advisory_xact_lock(7160379046331414); "
                            "CREATE TABLE IF NOT EXISTS gazette_schema (version INTEGER NOT NULL)")) < 0)
        goto out;
    ret = read_version(db, &version);
    if (ret == -ENOENT) {
        version = 0;
        ret = exec_raw(db, "INSERT INTO gazette_schema (version) VALUES (0)");
    }
    if (ret < 0)
        goto out;
    if (version > db_pg_migrations_count) {
        ret = db_set_error(db, -EPROTO, "the database has schema version %d, newer than this program (%d)", version,
                           db_pg_migrations_count);
        goto out;
    }
    for (int i = version; i < db_pg_migrations_count; i++) {
        char sql[64];
        if ((ret = exec_raw(db, db_pg_migrations[i].sql)) < 0) {
            fprintf(stderr, "gazette: migration %s failed: %s\n", db_pg_migrations[i].name, db->errmsg);
            goto out;
        }
        snprintf(sql, sizeof(sql), "UPDATE gazette_schema SET version = %d", db_pg_migrations[i].version);
        if ((ret = exec_raw(db, sql)) < 0)
            goto out;
    }
    ret = exec_raw(db, "COMMIT");
out:
    if (ret < 0)
        exec_raw(db, "ROLLBACK");
    return ret;
}

static int pg_schema_version(struct db *db, int *out)
{
    int ret = ready(db);
    return ret < 0 ? ret : read_version(db, out) == 0 ? 0 : -EIO;
}

static void pg_close(struct db *db)
{
    struct pg *p = pg_of(db);
    PQfinish(p->conn);
    pg_site_put(p->site);
    free(p);
}

int db_pg_open(const char *url, struct db **out)
{
    char shown[512];
    struct pg *p = db_xmalloc(sizeof(*p));
    memset(p, 0, sizeof(*p));
    struct db *db = &p->base;
    db->drv = &db_pg_driver;
    redact(url, shown, sizeof(shown));
    p->conn = connect_url(url);
    if (p->conn == NULL || PQstatus(p->conn) != CONNECTION_OK) {
        fprintf(stderr, "gazette: cannot connect to %s: %s", shown,
                p->conn ? PQerrorMessage(p->conn) : "out of memory\n");
        PQfinish(p->conn);
        free(p);
        return -ENOTCONN;
    }
    p->conn_gen = 1;
    int ret = session_setup(db);
    if (ret == 0)
        ret = migrate(db);
    if (ret < 0) {
        fprintf(stderr, "gazette: cannot set up %s: %s\n", shown, db->errmsg);
        PQfinish(p->conn);
        free(p);
        return ret;
    }
    p->site = pg_site_get(url);
    *out = db;
    return 0;
}

void db_pg_version(char *out, size_t cap)
{
    int v = PQlibVersion();
    snprintf(out, cap, "libpq %d.%d", v / 10000, v % 100);
}

/* ---- statements ---------------------------------------------------------------------------- */

static struct pg_stmt *stmt_of(struct sql_stmt *st)
{
    return (struct pg_stmt *)st;
}

static int is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The statement's text for PostgreSQL: ?N becomes $N, and CROSS JOIN (SQLite's way of fixing the
 * join order) JOIN, outside quoted strings and names. Notes which $N appear. -E2BIG past
 * PG_PARAMS_MAX. */
static int rewrite(struct pg_stmt *st, const char *sql)
{
    size_t n = strlen(sql);
    char *out = db_xmalloc(n + 1), *w = out;
    char quote = 0;
    for (size_t i = 0; i < n;) {
        char c = sql[i];
        if (quote) {
            *w++ = c;
            i++;
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
            *w++ = c;
            i++;
        } else if (c == '?' && i + 1 < n && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            int num = 0;
            *w++ = '$';
            for (i++; i < n && sql[i] >= '0' && sql[i] <= '9'; i++) {
                num = num * 10 + (sql[i] - '0');
                *w++ = sql[i];
                if (num > PG_PARAMS_MAX) {
                    free(out);
                    return -E2BIG;
                }
            }
            st->present[num] = 1;
            if (num > st->nparams)
                st->nparams = num;
        } else if (strncmp(sql + i, "CROSS JOIN", 10) == 0 && (i == 0 || !is_word(sql[i - 1])) &&
                   !is_word(sql[i + 10])) {
            memcpy(w, "JOIN", 4);
            w += 4;
            i += 10;
        } else {
            *w++ = c;
            i++;
        }
    }
    *w = '\0';
    st->sql = out;
    return 0;
}

static struct sql_stmt *pg_prepare(struct db *db, const char *sql)
{
    struct pg_stmt *st = db_xmalloc(sizeof(*st));
    memset(st, 0, sizeof(*st));
    if (rewrite(st, sql) < 0) {
        free(st);
        db->failed.err = db_set_error(db, -EIO, "a statement with more than %d parameters", PG_PARAMS_MAX);
        return &db->failed;
    }
    st->row = -1;
    return &st->base;
}

static void clear_params(struct pg_stmt *st)
{
    for (int i = 1; i <= st->nparams; i++) {
        free(st->owned[i]);
        st->owned[i] = NULL;
        st->values[i] = NULL;
        st->types[i] = 0;
        st->formats[i] = 0;
        st->lengths[i] = 0;
    }
}

static void pg_reset(struct sql_stmt *s, int clear)
{
    struct pg_stmt *st = stmt_of(s);
    PQclear(st->res);
    st->res = NULL;
    st->row = -1;
    st->rows = 0;
    if (clear)
        clear_params(st);
}

static void pg_finalize(struct sql_stmt *s)
{
    struct pg_stmt *st = stmt_of(s);
    pg_reset(s, 1);
    PQfreemem(st->blob);
    free(st->sql);
    free(st);
}

/* The slot of parameter i, or NULL when the text has no such number. */
static int param_ok(struct pg_stmt *st, int i)
{
    if (i < 1 || i > st->nparams)
        return 0;
    free(st->owned[i]);
    st->owned[i] = NULL;
    st->formats[i] = 0;
    st->lengths[i] = 0;
    return 1;
}

static void pg_bind_int64(struct sql_stmt *s, int i, int64_t v)
{
    struct pg_stmt *st = stmt_of(s);
    if (!param_ok(st, i))
        return;
    snprintf(st->num[i], sizeof(st->num[i]), "%lld", (long long)v);
    st->values[i] = st->num[i];
    st->types[i] = OID_INT8;
}

/* The length of the valid UTF-8 character at s (n bytes left), 0 when there is none. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80             ? 1
                 : (s[0] & 0xE0) == 0xC0 ? 2
                 : (s[0] & 0xF0) == 0xE0 ? 3
                 : (s[0] & 0xF8) == 0xF0 ? 4
                                         : 0;
    if (len == 0 || len > n || s[0] == 0 || s[0] == 0xC0 || s[0] == 0xC1 || s[0] > 0xF4)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((len == 3 && s[0] == 0xE0 && s[1] < 0xA0) || (len == 3 && s[0] == 0xED && s[1] > 0x9F) ||
        (len == 4 && s[0] == 0xF0 && s[1] < 0x90) || (len == 4 && s[0] == 0xF4 && s[1] > 0x8F))
        return 0; /* overlong, a surrogate, past U+10FFFF */
    return len;
}

/* PostgreSQL refuses text that is not UTF-8, and a NUL anywhere: what SQLite would keep as it is
 * (a visitor's bytes in a search or an address) goes as U+FFFD instead, so a lookup finds
 * nothing instead of failing. Returns a heap copy, or NULL when text is clean. */
static char *clean_utf8(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, len;
    while (i < n && (len = utf8_char(s + i, n - i)) > 0)
        i += len;
    if (i == n)
        return NULL;
    char *out = db_xmalloc(3 * n + 1), *w = out;
    for (i = 0; i < n;) {
        if ((len = utf8_char(s + i, n - i)) > 0) {
            memcpy(w, s + i, len);
            w += len;
            i += len;
        } else {
            memcpy(w, "\xef\xbf\xbd", 3);
            w += 3;
            i++;
        }
    }
    *w = '\0';
    return out;
}

static void pg_bind_text(struct sql_stmt *s, int i, const char *text, size_t n, int copy)
{
    struct pg_stmt *st = stmt_of(s);
    if (!param_ok(st, i))
        return;
    char *clean = clean_utf8(text, n);
    if (clean != NULL) {
        st->owned[i] = clean;
        text = clean;
    } else if (copy || text[n] != '\0') { /* text goes as a C string */
        st->owned[i] = db_xmalloc(n + 1);
        memcpy(st->owned[i], text, n);
        st->owned[i][n] = '\0';
        text = st->owned[i];
    }
    st->values[i] = text;
    st->types[i] = OID_TEXT;
}

static void pg_bind_blob(struct sql_stmt *s, int i, const void *p, size_t n)
{
    struct pg_stmt *st = stmt_of(s);
    if (!param_ok(st, i))
        return;
    st->owned[i] = db_xmalloc(n ? n : 1);
    memcpy(st->owned[i], p, n);
    st->values[i] = st->owned[i];
    st->lengths[i] = (int)n;
    st->formats[i] = 1;
    st->types[i] = OID_BYTEA;
}

static void pg_bind_null(struct sql_stmt *s, int i, int integer)
{
    struct pg_stmt *st = stmt_of(s);
    if (!param_ok(st, i))
        return;
    st->values[i] = NULL;
    st->types[i] = integer ? OID_INT8 : OID_TEXT;
}

/* The statement_timeout the budget asks for, set on the session when it differs (once per
 * connection while the budget stays the same). */
static int apply_budget(struct db *db)
{
    struct pg *p = pg_of(db);
    if (db->deadline_ns == 0 || p->want_ms == p->timeout_ms)
        return 0;
    char sql[64];
    snprintf(sql, sizeof(sql), "SET statement_timeout = %lld", (long long)p->want_ms);
    int ret = exec_raw(db, sql);
    if (ret == 0)
        p->timeout_ms = p->want_ms;
    return ret;
}

/* 1 when a command tag names a write that changed rows. */
static int wrote_rows(const PGresult *res)
{
    const char *tag = PQcmdStatus((PGresult *)res), *rows = PQcmdTuples((PGresult *)res);
    int write = strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 || strncmp(tag, "DELETE", 6) == 0 ||
                strncmp(tag, "MERGE", 5) == 0;
    return write && rows[0] != '\0' && strcmp(rows, "0") != 0;
}

/* After a write outside a transaction: the change log's head, for this process's pages. */
static void note_head(struct db *db)
{
    struct pg *p = pg_of(db);
    PGresult *res = PQexec(p->conn, SQL_HEAD);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        pg_site_seen(p->site, strtoull(PQgetvalue(res, 0, 0), NULL, 10));
    PQclear(res);
}

static int execute_once(struct pg_stmt *st)
{
    struct db *db = st->base.db;
    struct pg *p = pg_of(db);
    Oid types[PG_PARAMS_MAX];
    int ret;
    if ((ret = ready(db)) < 0 || (ret = apply_budget(db)) < 0)
        return ret;
    for (int i = 1; i <= st->nparams; i++) /* a number the text lacks still needs a type */
        types[i - 1] = st->types[i] ? st->types[i] : st->present[i] ? 0 : OID_TEXT;
    if (st->base.key != NULL && st->prepared_on != p->conn_gen) {
        if (st->name[0] == '\0')
            snprintf(st->name, sizeof(st->name), "s%u", ++p->next_name);
        PGresult *res = PQprepare(p->conn, st->name, st->sql, st->nparams, types);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            ret = pg_error(db, res);
            PQclear(res);
            return ret;
        }
        PQclear(res);
        st->prepared_on = p->conn_gen;
    }
    if (st->base.key != NULL)
        st->res = PQexecPrepared(p->conn, st->name, st->nparams, st->values + 1, st->lengths + 1, st->formats + 1, 0);
    else
        st->res =
            PQexecParams(p->conn, st->sql, st->nparams, types, st->values + 1, st->lengths + 1, st->formats + 1, 0);
    ExecStatusType s = st->res ? PQresultStatus(st->res) : PGRES_FATAL_ERROR;
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        ret = pg_error(db, st->res);
        PQclear(st->res);
        st->res = NULL;
        return ret;
    }
    st->rows = s == PGRES_TUPLES_OK ? PQntuples(st->res) : 0;
    st->row = -1;
    const char *n = PQcmdTuples(st->res);
    db->changes = n[0] ? strtoll(n, NULL, 10) : 0;
    if (wrote_rows(st->res)) {
        p->wrote = 1;
        if (!p->in_tx)
            note_head(db);
    }
    return 0;
}

/* 1 for a statement that only reads (it may run again after a connection was lost under it). */
static int reads_only(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '(')
        sql++;
    return strncasecmp(sql, "SELECT", 6) == 0;
}

/* Runs the statement. A read outside a transaction whose connection turns out to be gone (the
 * server restarted, the connection was cut) runs once more on a new connection, so that the
 * first request after an outage is answered; a write does not (it may have been committed). */
static int execute(struct pg_stmt *st)
{
    struct db *db = st->base.db;
    struct pg *p = pg_of(db);
    if (db->deadline_ns != 0 && db_monotonic_ns() > db->deadline_ns) {
        db->budget_spent = 1;
        return db_set_error(db, -ETIMEDOUT, "the database budget ran out");
    }
    int was_up = !p->lost;
    int ret = execute_once(st);
    if (ret == -ENOTCONN && was_up && !p->in_tx && reads_only(st->sql))
        ret = execute_once(st);
    return ret;
}

static int pg_step(struct sql_stmt *s)
{
    struct pg_stmt *st = stmt_of(s);
    if (st->res == NULL) {
        int ret = execute(st);
        if (ret < 0)
            return ret;
    }
    if (st->row + 1 < st->rows) {
        st->row++;
        return SQL_ROW;
    }
    st->row = st->rows;
    return SQL_DONE;
}

static int pg_col_null(struct sql_stmt *s, int i)
{
    struct pg_stmt *st = stmt_of(s);
    return st->res == NULL || st->row < 0 || st->row >= st->rows || PQgetisnull(st->res, st->row, i);
}

static int64_t pg_col_int64(struct sql_stmt *s, int i)
{
    struct pg_stmt *st = stmt_of(s);
    if (pg_col_null(s, i))
        return 0;
    const char *v = PQgetvalue(st->res, st->row, i);
    if (v[0] == 't' || v[0] == 'f') /* a boolean */
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static double pg_col_double(struct sql_stmt *s, int i)
{
    struct pg_stmt *st = stmt_of(s);
    return pg_col_null(s, i) ? 0 : strtod(PQgetvalue(st->res, st->row, i), NULL);
}

static const char *pg_col_text(struct sql_stmt *s, int i, size_t *n)
{
    struct pg_stmt *st = stmt_of(s);
    if (pg_col_null(s, i)) {
        *n = 0;
        return NULL;
    }
    *n = (size_t)PQgetlength(st->res, st->row, i);
    return PQgetvalue(st->res, st->row, i);
}

static const void *pg_col_blob(struct sql_stmt *s, int i, size_t *n)
{
    struct pg_stmt *st = stmt_of(s);
    *n = 0;
    if (pg_col_null(s, i))
        return NULL;
    PQfreemem(st->blob);
    st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, i), n);
    return st->blob;
}

static int pg_column_count(struct sql_stmt *s)
{
    struct pg_stmt *st = stmt_of(s);
    return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_column_name(struct sql_stmt *s, int i)
{
    struct pg_stmt *st = stmt_of(s);
    return st->res ? PQfname(st->res, i) : NULL;
}

static enum sql_kind pg_column_kind(struct sql_stmt *s, int i)
{
    struct pg_stmt *st = stmt_of(s);
    if (pg_col_null(s, i))
        return SQL_KIND_NULL;
    switch (PQftype(st->res, i)) {
    case 16: /* bool */
    case 20: /* int8 */
    case 21: /* int2 */
    case 23: /* int4 */
        return SQL_KIND_INT;
    case 700:  /* float4 */
    case 701:  /* float8 */
    case 1700: /* numeric */
        return SQL_KIND_FLOAT;
    case OID_BYTEA:
        return SQL_KIND_BLOB;
    default:
        return SQL_KIND_TEXT;
    }
}

/* ---- transactions, the generation, the budget, the writer --------------------------------- */

static int pg_begin(struct db *db)
{
    struct pg *p = pg_of(db);
    int ret = ready(db);
    if (ret < 0)
        return ret;
    int was_up = !p->lost;
    ret = exec_raw(db, "BEGIN; SELECT pg_advisory_xact_lock(7160379046331413)");
    if (ret == -ENOTCONN && was_up && (ret = ready(db)) == 0) /* found gone by BEGIN: nothing was done */
        ret = exec_raw(db, "BEGIN; SELECT pg_advisory_xact_lock(7160379046331413)");
    p->in_tx = 1;
    p->tx_lost = 0;
    p->wrote = 0;
    if (ret < 0) {
        if (!p->lost)
            exec_raw(db, "ROLLBACK");
        p->in_tx = 0;
    }
    return ret;
}

static int pg_commit(struct db *db)
{
    struct pg *p = pg_of(db);
    int ret = 0;
    uint64_t head = 0;
    if (p->tx_lost || p->lost) {
        p->in_tx = p->tx_lost = p->wrote = 0;
        return db_set_error(db, -ENOTCONN, "the connection to PostgreSQL was lost: the transaction was not committed");
    }
    /* the head as this transaction leaves it, and the commit, in one round trip */
    if (!PQsendQuery(p->conn, p->wrote ? "SELECT seq FROM change_head WHERE id = 1; COMMIT" : "COMMIT"))
        ret = pg_error(db, NULL);
    PGresult *res;
    while (ret == 0 && (res = PQgetResult(p->conn)) != NULL) {
        ExecStatusType s = PQresultStatus(res);
        if (s == PGRES_TUPLES_OK && PQntuples(res) == 1)
            head = strtoull(PQgetvalue(res, 0, 0), NULL, 10);
        else if (s == PGRES_COMMAND_OK && strcmp(PQcmdStatus(res), "COMMIT") != 0)
            ret = db_set_error(db, -EIO, "the transaction failed and was rolled back");
        else if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
            ret = pg_error(db, res);
        PQclear(res);
    }
    while (ret < 0 && !p->lost && (res = PQgetResult(p->conn)) != NULL)
        PQclear(res);
    if (ret == 0 && head != 0)
        pg_site_seen(p->site, head);
    p->in_tx = p->tx_lost = p->wrote = 0;
    return ret;
}

static int pg_rollback(struct db *db)
{
    struct pg *p = pg_of(db);
    int ret = 0;
    if (!p->lost && !p->tx_lost)
        ret = exec_raw(db, "ROLLBACK");
    p->in_tx = p->tx_lost = p->wrote = 0;
    return ret == -ENOTCONN ? 0 : ret; /* a lost transaction is rolled back by the server */
}

static int pg_generation(struct db *db, uint64_t *out)
{
    struct pg_site *s = pg_of(db)->site;
    if (!__atomic_load_n(&s->head_known, __ATOMIC_ACQUIRE)) {
        int64_t head;
        int ret = sql_one_int(sql_prepare(db, SQL_HEAD), &head);
        if (ret < 0)
            return ret;
        pg_site_seen(s, (uint64_t)head);
        __atomic_store_n(&s->head_known, 1, __ATOMIC_RELEASE);
    }
    int ret = pg_site_watch(s);
    if (ret < 0)
        return ret;
    *out = __atomic_load_n(&s->head, __ATOMIC_ACQUIRE) + 1; /* never 0, as SQLite's starts at 1 */
    return 0;
}

static void pg_budget(struct db *db, int64_t ms)
{
    if (ms > 0)
        pg_of(db)->want_ms = ms;
}

static int no_sync(struct db_sync *s)
{
    (void)s;
    return 0; /* the commit returned once it was on disk */
}

static int pg_writer_setup(struct db *db, struct db_sync **out)
{
    int ret = pg_exec(db, "SET synchronous_commit = on");
    if (ret < 0)
        return ret;
    struct db_sync *s = db_xmalloc(sizeof(*s));
    s->sync = no_sync;
    *out = s;
    return 0;
}

/* ---- rows streamed with COPY ------------------------------------------------------------------ */

/* What sql_rows gathers on PostgreSQL: rows in COPY's text format (a tab between columns, a
 * newline after each row, \N for NULL, backslash escapes), sent as one COPY FROM STDIN each time
 * SQL_ROWS_CHUNK bytes have gathered and at the end: one command, its data and its end, so no
 * COPY stays open on the connection between calls. */
struct pg_rows {
    char *copy;  /* COPY table (columns) FROM STDIN */
    char *table; /* for messages */
    char *buf;   /* rows not yet sent */
    size_t len, cap;
    int64_t rows; /* rows added, for messages */
};

static void put(struct pg_rows *c, const void *p, size_t n)
{
    if (c->len + n > c->cap) {
        while (c->len + n > c->cap)
            c->cap = c->cap ? 2 * c->cap : SQL_ROWS_CHUNK + 4096;
        c->buf = db_xrealloc(c->buf, c->cap);
    }
    memcpy(c->buf + c->len, p, n);
    c->len += n;
}

/* Text in COPY's text format: the backslash, tab, newline and carriage return escaped (and so
 * "\." stays data, never the end-of-data mark). */
static void put_escaped(struct pg_rows *c, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = s[i] == '\\'   ? "\\\\"
                          : s[i] == '\t' ? "\\t"
                          : s[i] == '\n' ? "\\n"
                          : s[i] == '\r' ? "\\r"
                                         : NULL;
        if (esc == NULL)
            continue;
        put(c, s + from, i - from);
        put(c, esc, 2);
        from = i + 1;
    }
    put(c, s + from, n - from);
}

static int pg_rows_open(struct sql_rows *r, const char *table, const char *const *cols)
{
    struct pg_rows *c = db_xmalloc(sizeof(*c));
    memset(c, 0, sizeof(*c));
    size_t cap = strlen(table) + 32;
    for (int i = 0; i < r->ncols; i++)
        cap += strlen(cols[i]) + 2;
    c->copy = db_xmalloc(cap);
    size_t len = (size_t)snprintf(c->copy, cap, "COPY %s (", table);
    for (int i = 0; i < r->ncols; i++)
        len += (size_t)snprintf(c->copy + len, cap - len, "%s%s", i ? ", " : "", cols[i]);
    snprintf(c->copy + len, cap - len, ") FROM STDIN");
    c->table = strdup(table);
    if (c->table == NULL)
        abort();
    r->impl = c;
    return 0;
}

/* Sends the rows gathered as one COPY. */
static int rows_send(struct sql_rows *r)
{
    struct db *db = r->db;
    struct pg *p = pg_of(db);
    struct pg_rows *c = r->impl;
    if (c->len == 0)
        return 0;
    int ret = ready(db);
    if (ret < 0)
        return ret;
    PGresult *res = PQexec(p->conn, c->copy);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        ret = pg_error(db, res);
        PQclear(res);
        return ret;
    }
    PQclear(res);
    if (PQputCopyData(p->conn, c->buf, (int)c->len) != 1 || PQputCopyEnd(p->conn, NULL) != 1)
        ret = pg_error(db, NULL);
    while ((res = PQgetResult(p->conn)) != NULL) { /* the COPY's result, then the end of it */
        if (ret == 0 && PQresultStatus(res) != PGRES_COMMAND_OK)
            ret = pg_error(db, res);
        PQclear(res);
    }
    if (ret == 0) {
        p->wrote = 1;
        c->len = 0;
    }
    return ret;
}

static int pg_rows_add(struct sql_rows *r)
{
    struct pg_rows *c = r->impl;
    size_t start = c->len;
    char num[40];
    c->rows++;
    for (int i = 1; i <= r->ncols; i++) {
        const struct sql_value *x = &r->v[i];
        if (i > 1)
            put(c, "\t", 1);
        switch (x->kind) {
        case SQL_KIND_INT:
            put(c, num, (size_t)snprintf(num, sizeof(num), "%lld", (long long)x->i));
            break;
        case SQL_KIND_FLOAT:
            put(c, num, (size_t)snprintf(num, sizeof(num), "%.17g", x->f));
            break;
        case SQL_KIND_TEXT: {
            if (memchr(x->p, '\0', x->n) != NULL) {
                c->len = start;
                return db_set_error(r->db, -EINVAL,
                                    "row %lld of %s: column %d holds a NUL byte, which PostgreSQL "
                                    "cannot store in text",
                                    (long long)c->rows, c->table, i);
            }
            char *clean = clean_utf8(x->p, x->n);
            put_escaped(c, clean ? clean : x->p, clean ? strlen(clean) : x->n);
            free(clean);
            break;
        }
        case SQL_KIND_BLOB: { /* bytea as \x and hex digits (the backslash escaped) */
            static const char hex[] = "0123456789abcdef";
            const unsigned char *b = x->p;
            put(c, "\\\\x", 3);
            for (size_t k = 0; k < x->n; k++) {
                char two[2] = {hex[b[k] >> 4], hex[b[k] & 15]};
                put(c, two, 2);
            }
            break;
        }
        default:
            put(c, "\\N", 2);
            break;
        }
    }
    put(c, "\n", 1);
    return c->len >= SQL_ROWS_CHUNK ? rows_send(r) : 0;
}

static int pg_rows_close(struct sql_rows *r)
{
    struct pg_rows *c = r->impl;
    if (c == NULL)
        return 0;
    int ret = r->err == 0 ? rows_send(r) : 0;
    free(c->copy);
    free(c->table);
    free(c->buf);
    free(c);
    r->impl = NULL;
    return ret;
}

/* ---- bulk loads -------------------------------------------------------------------------- */

/* The row triggers do nothing while gazette.bulk is on (migrations/pg/0005), and foreign keys are
 * checked at the commit, so rows may come in any order. */
static int pg_bulk_begin(struct db *db, struct db_bulk *b)
{
    int ret = db_begin(db);
    if (ret < 0)
        return ret;
    ret = pg_exec(db, "SET LOCAL gazette.bulk = 'on'; SET CONSTRAINTS ALL DEFERRED");
    if (ret == 0)
        b->set_aside = 1;
    return ret;
}

static void pg_bulk_writeback(struct db_bulk *b)
{
    (void)b; /* the server writes its pages out itself */
}

/* The search index and the identity columns' next values (rows may have come with their ids:
 * each counter is moved past its table's largest id, every table with one, never back), then the
 * row triggers back on and a change that drops every page. */
static const char SQL_BULK_END[] =
    "DELETE FROM posts_search;"
    "INSERT INTO posts_search (id, doc) SELECT id, gazette_doc(title, excerpt, html) "
    "FROM posts WHERE status = 'published';"
    "DO $$ DECLARE r record; BEGIN "
    "FOR r IN SELECT c.relname AS t, a.attname AS col FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    "WHERE a.attidentity <> '' AND c.relnamespace = current_schema()::regnamespace LOOP "
    "EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), m) FROM (SELECT max(%I) AS m FROM %I) x "
    "WHERE m > (SELECT COALESCE(last_value, 0) FROM pg_sequences WHERE schemaname || ''.'' || sequencename = "
    "pg_get_serial_sequence(%L, %L))', r.t, r.col, r.col, r.t, r.t, r.col); "
    "END LOOP; END $$;"
    "ANALYZE;" /* the planner's statistics, for tables that were empty or a fraction of their size */
    "SET LOCAL gazette.bulk = 'off';"
    "INSERT INTO changes (kind, id) VALUES ('site', 0);";

static int pg_bulk_end(struct db *db, struct db_bulk *b, int ok)
{
    int ret = 0;
    if (ok && b->set_aside && (ret = db_bulk_recount(db)) == 0)
        ret = pg_exec(db, SQL_BULK_END);
    if (ok && ret == 0)
        return db_commit(db);
    db_rollback(db);
    return ret;
}

const struct db_driver db_pg_driver = {
    .name = "postgresql",
    .dialect = SQL_PG,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .is_null = pg_col_null,
    .int64 = pg_col_int64,
    .dbl = pg_col_double,
    .text = pg_col_text,
    .blob = pg_col_blob,
    .column_count = pg_column_count,
    .column_name = pg_column_name,
    .column_kind = pg_column_kind,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .generation = pg_generation,
    .budget = pg_budget,
    .schema_version = pg_schema_version,
    .writer_setup = pg_writer_setup,
    .search = pg_search,
    .bulk_begin = pg_bulk_begin,
    .bulk_writeback = pg_bulk_writeback,
    .bulk_end = pg_bulk_end,
    .rows_open = pg_rows_open,
    .rows_add = pg_rows_add,
    .rows_close = pg_rows_close,
};
