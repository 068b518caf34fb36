/* The statement API that the table code of src/db/ is written against, once for every backend:
 * SQL text prepared once per connection (cached by the text's address, so the text must be a
 * static string), parameters bound by 1-based index, rows stepped one by one, columns read by
 * 0-based index. Each driver (sqlite.c, pg.c) implements it; nothing here names a backend.
 *
 * The SQL both backends run (docs/storage.md, "Adding a table"):
 *   - ?N placeholders (N from 1; the PostgreSQL driver makes them $N);
 *   - COALESCE, not IFNULL; lower(x) LIKE ?, not instr(); IS NOT DISTINCT FROM, not IS ?;
 *   - INSERT ... ON CONFLICT (...) DO NOTHING / DO UPDATE SET c = excluded.c, not INSERT OR
 *     IGNORE / OR REPLACE; INSERT ... RETURNING id for a new row's id;
 *   - x COLLATE NOCASE (PostgreSQL: a case-insensitive collation of that name, made by its
 *     first migration);
 *   - a CROSS JOIN b ON ..., SQLite's way of fixing the join order (PostgreSQL reads JOIN ON);
 *   - CAST(?N AS BIGINT) where a parameter's type cannot be told from where it stands;
 *   - times are integers bound from C (no 'now' functions in SQL).
 * Where the two cannot meet, SQL_TEXT gives each backend its own text.
 *
 * Errors: sql_prepare never fails; a statement that could not be prepared fails at sql_step
 * with the error (binding to it does nothing). sql_step returns a negative errno from db.h's
 * list, and db_errmsg() says more. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct db;
struct sql_stmt;

enum sql_dialect { SQL_SQLITE, SQL_PG };

/* Two texts of one statement: for SQLite and for PostgreSQL. Give it static storage. */
struct sql_text {
    const char *sqlite;
    const char *pg;
};

#define SQL_DONE 0 /* sql_step: no (more) rows; the statement ran to its end */
#define SQL_ROW 1  /* sql_step: a row is ready to be read */

/* The prepared statement for sql (a static string: its address keys the connection's cache),
 * reset and with every parameter NULL. Never NULL; valid until the connection closes. */
struct sql_stmt *sql_prepare(struct db *db, const char *sql);
/* The same for a pair of texts: the one of the connection's dialect. */
struct sql_stmt *sql_prepare_text(struct db *db, const struct sql_text *t);
/* A statement for text made at run time (the copy command, tests): prepared for this use only,
 * not cached. Never NULL; free it with sql_finalize. */
struct sql_stmt *sql_prepare_once(struct db *db, const char *sql);
void sql_finalize(struct sql_stmt *st);

/* Binding. Text is copied unless said otherwise; a NULL string binds NULL. */
void sql_bind_int64(struct sql_stmt *st, int i, int64_t v);
void sql_bind_text(struct sql_stmt *st, int i, const char *s);
void sql_bind_textn(struct sql_stmt *st, int i, const char *s, size_t n);
/* Not copied: s must live until the statement has been stepped to its end or reset. */
void sql_bind_text_static(struct sql_stmt *st, int i, const char *s);
void sql_bind_blob(struct sql_stmt *st, int i, const void *p, size_t n);
/* An integer parameter that is NULL. */
void sql_bind_null_int(struct sql_stmt *st, int i);
/* An optional reference: 0 binds NULL (no parent, no wp_id, a visitor ...). */
static inline void sql_bind_id(struct sql_stmt *st, int i, int64_t id)
{
    if (id != 0)
        sql_bind_int64(st, i, id);
    else
        sql_bind_null_int(st, i);
}

/* Runs the statement (on the first call) or moves to its next row: SQL_ROW, SQL_DONE, or a
 * negative errno. */
int sql_step(struct sql_stmt *st);
/* Makes the statement ready to run again (parameters keep their values). */
void sql_reset(struct sql_stmt *st);

/* The current row's columns. Text is valid until the next step or reset; NULL reads as 0, a
 * NULL pointer and 0 bytes. */
int sql_is_null(struct sql_stmt *st, int i);
int64_t sql_int64(struct sql_stmt *st, int i);
double sql_double(struct sql_stmt *st, int i);
const char *sql_text(struct sql_stmt *st, int i);
size_t sql_bytes(struct sql_stmt *st, int i);
const void *sql_blob(struct sql_stmt *st, int i, size_t *n);

/* What a column of the current row holds, for code that reads tables it does not know (the copy
 * command): the number of columns, a column's name, and the kind of its value. */
enum sql_kind { SQL_KIND_NULL, SQL_KIND_INT, SQL_KIND_FLOAT, SQL_KIND_TEXT, SQL_KIND_BLOB };
int sql_column_count(struct sql_stmt *st);
const char *sql_column_name(struct sql_stmt *st, int i);
enum sql_kind sql_column_kind(struct sql_stmt *st, int i);

/* Rows inserted, updated or deleted by the connection's last statement that ran to its end. */
int64_t sql_changes(struct db *db);
/* Runs SQL text without parameters, one or more statements (transaction control, scripts). */
int sql_exec(struct db *db, const char *sql);
enum sql_dialect sql_dialect(struct db *db);

/* ---- rows streamed into a table (bulk loads) ---------------------------------------------- */

/* Many rows written into one table, faster than an INSERT each: PostgreSQL streams them with COPY
 * FROM STDIN (text format; what it holds is sent when it has gathered SQL_ROWS_CHUNK bytes and at
 * sql_rows_close, each time as one COPY), SQLite runs one prepared INSERT a row. For bulk loads
 * (wpmap.h) and the copy command: inside a transaction, so that all rows go or none; a row may not
 * be read back before sql_rows_close. The values of a row are set by 1-based column index (a
 * column left unset is NULL), then sql_rows_add ends it; text and blobs must live until then.
 * PostgreSQL refuses text holding a NUL byte (-EINVAL, the row named in db_errmsg); text that is
 * not UTF-8 goes to it with U+FFFD for the bad bytes, as a bound parameter does. The first error sticks: later calls do
 * nothing and sql_rows_add and sql_rows_close return it. */
#define SQL_ROWS_COLUMNS_MAX 64      /* columns of one table */
#define SQL_ROWS_CHUNK (1024 * 1024) /* bytes of rows sent to PostgreSQL at a time */
struct sql_rows;
/* Rows of table (its columns cols[0..ncols)); names are SQL identifiers of the caller's own. Never
 * NULL: an error (too many columns) shows at sql_rows_add. */
struct sql_rows *sql_rows_open(struct db *db, const char *table, const char *const *cols, int ncols);
void sql_rows_int64(struct sql_rows *r, int i, int64_t v);
void sql_rows_double(struct sql_rows *r, int i, double v);
void sql_rows_text(struct sql_rows *r, int i, const char *s, size_t n);
void sql_rows_blob(struct sql_rows *r, int i, const void *p, size_t n);
/* Ends the row: 0 or the first error. */
int sql_rows_add(struct sql_rows *r);
/* Sends what is left and frees r: 0 or the first error (then nothing more was written, and the
 * transaction should roll back). */
int sql_rows_close(struct sql_rows *r);

/* ---- helpers on top -------------------------------------------------------------------- */

/* Steps to the end (rows ignored), resets. 0 or negative errno. */
int sql_run(struct sql_stmt *st);
/* sql_run for a statement that must change a row: -ENOENT when it changed none. */
int sql_run_one(struct sql_stmt *st);
/* The first row's first column as an integer into *out; -ENOENT when there is no row or it is
 * NULL. Resets. */
int sql_one_int(struct sql_stmt *st, int64_t *out);
/* The first row's first column as a heap string ("" for NULL) into *out; -ENOENT when there is
 * no row. Resets. */
int sql_one_text(struct sql_stmt *st, char **out);
/* 1 in *out when the statement returns a row, else 0. Resets. */
int sql_exists(struct sql_stmt *st, int *out);
/* A heap copy of column i, NULL for NULL; and the same with "" for NULL. */
char *sql_str(struct sql_stmt *st, int i);
char *sql_str0(struct sql_stmt *st, int i);
