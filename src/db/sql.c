/* The statement API of sql.h: the per-connection cache of prepared statements (a hash table on
 * the SQL text's address that grows as statements are added, so the number of statements in the
 * source has no limit), the calls handed to the connection's driver, and the small helpers the
 * table files use to read one value or step to the end. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "db/db_int.h"

#define SQL_CACHE_MIN 64 /* first size of a connection's statement cache */

static size_t slot_of(const void *key, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)key * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 32) & (cap - 1);
}

/* Puts st into a table of cap slots (a power of two, with room). */
static void slot_put(struct sql_slot *slots, size_t cap, struct sql_stmt *st)
{
    size_t i = slot_of(st->key, cap);
    while (slots[i].key != NULL)
        i = (i + 1) & (cap - 1);
    slots[i].key = st->key;
    slots[i].st = st;
}

/* Keeps st, growing the table so that it is never more than half full. */
static void cache_add(struct db *db, struct sql_stmt *st)
{
    if ((db->n_stmts + 1) * 2 > db->cap) {
        size_t cap = db->cap ? db->cap * 2 : SQL_CACHE_MIN;
        struct sql_slot *slots = db_xmalloc(cap * sizeof(*slots));
        memset(slots, 0, cap * sizeof(*slots));
        for (size_t i = 0; i < db->cap; i++)
            if (db->slots[i].key != NULL)
                slot_put(slots, cap, db->slots[i].st);
        free(db->slots);
        db->slots = slots;
        db->cap = cap;
    }
    slot_put(db->slots, db->cap, st);
    db->n_stmts++;
}

static struct sql_stmt *cached(struct db *db, const void *key)
{
    if (db->cap == 0)
        return NULL;
    for (size_t i = slot_of(key, db->cap); db->slots[i].key != NULL; i = (i + 1) & (db->cap - 1))
        if (db->slots[i].key == key)
            return db->slots[i].st;
    return NULL;
}

void sql_cache_free(struct db *db)
{
    for (size_t i = 0; i < db->cap; i++)
        if (db->slots[i].key != NULL)
            db->drv->finalize(db->slots[i].st);
    free(db->slots);
    db->slots = NULL;
    db->cap = db->n_stmts = 0;
}

size_t sql_cache_count(const struct db *db)
{
    return db->n_stmts;
}

static struct sql_stmt *prepare(struct db *db, const void *key, const char *sql)
{
    struct sql_stmt *st = cached(db, key);
    if (st != NULL) {
        db->drv->reset(st, 1);
        return st;
    }
    st = db->drv->prepare(db, sql);
    st->db = db;
    st->key = key;
    if (st->err == 0)
        cache_add(db, st);
    return st;
}

struct sql_stmt *sql_prepare(struct db *db, const char *sql)
{
    return prepare(db, sql, sql);
}

struct sql_stmt *sql_prepare_text(struct db *db, const struct sql_text *t)
{
    return prepare(db, t, db->drv->dialect == SQL_PG ? t->pg : t->sqlite);
}

struct sql_stmt *sql_prepare_once(struct db *db, const char *sql)
{
    struct sql_stmt *st = db->drv->prepare(db, sql);
    st->db = db;
    st->key = NULL;
    return st;
}

void sql_finalize(struct sql_stmt *st)
{
    if (st != NULL && st->err == 0)
        st->db->drv->finalize(st);
}

void sql_bind_int64(struct sql_stmt *st, int i, int64_t v)
{
    if (st->err == 0)
        st->db->drv->bind_int64(st, i, v);
}

void sql_bind_textn(struct sql_stmt *st, int i, const char *s, size_t n)
{
    if (st->err != 0)
        return;
    if (s == NULL)
        st->db->drv->bind_null(st, i, 0);
    else
        st->db->drv->bind_text(st, i, s, n, 1);
}

void sql_bind_text(struct sql_stmt *st, int i, const char *s)
{
    sql_bind_textn(st, i, s, s ? strlen(s) : 0);
}

void sql_bind_text_static(struct sql_stmt *st, int i, const char *s)
{
    if (st->err != 0)
        return;
    if (s == NULL)
        st->db->drv->bind_null(st, i, 0);
    else
        st->db->drv->bind_text(st, i, s, strlen(s), 0);
}

void sql_bind_blob(struct sql_stmt *st, int i, const void *p, size_t n)
{
    if (st->err == 0)
        st->db->drv->bind_blob(st, i, p, n);
}

void sql_bind_null_int(struct sql_stmt *st, int i)
{
    if (st->err == 0)
        st->db->drv->bind_null(st, i, 1);
}

int sql_step(struct sql_stmt *st)
{
    if (st->err != 0)
        return st->err;
    return st->db->drv->step(st);
}

void sql_reset(struct sql_stmt *st)
{
    if (st->err == 0)
        st->db->drv->reset(st, 0);
}

int sql_is_null(struct sql_stmt *st, int i)
{
    return st->db->drv->is_null(st, i);
}

int64_t sql_int64(struct sql_stmt *st, int i)
{
    return st->db->drv->int64(st, i);
}

double sql_double(struct sql_stmt *st, int i)
{
    return st->db->drv->dbl(st, i);
}

const char *sql_text(struct sql_stmt *st, int i)
{
    size_t n;
    return st->db->drv->text(st, i, &n);
}

size_t sql_bytes(struct sql_stmt *st, int i)
{
    size_t n = 0;
    st->db->drv->text(st, i, &n);
    return n;
}

const void *sql_blob(struct sql_stmt *st, int i, size_t *n)
{
    return st->db->drv->blob(st, i, n);
}

int sql_column_count(struct sql_stmt *st)
{
    return st->err ? 0 : st->db->drv->column_count(st);
}

const char *sql_column_name(struct sql_stmt *st, int i)
{
    return st->db->drv->column_name(st, i);
}

enum sql_kind sql_column_kind(struct sql_stmt *st, int i)
{
    return st->db->drv->column_kind(st, i);
}

int64_t sql_changes(struct db *db)
{
    return db->changes;
}

int sql_exec(struct db *db, const char *sql)
{
    return db->drv->exec(db, sql);
}

enum sql_dialect sql_dialect(struct db *db)
{
    return db->drv->dialect;
}

/* ---- helpers -------------------------------------------------------------------------- */

int sql_run(struct sql_stmt *st)
{
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        ;
    sql_reset(st);
    return rc < 0 ? rc : 0;
}

int sql_run_one(struct sql_stmt *st)
{
    int ret = sql_run(st);
    return ret == 0 && sql_changes(st->db) == 0 ? -ENOENT : ret;
}

int sql_one_int(struct sql_stmt *st, int64_t *out)
{
    int rc = sql_step(st), ret = 0;
    if (rc == SQL_ROW && !sql_is_null(st, 0))
        *out = sql_int64(st, 0);
    else
        ret = rc < 0 ? rc : -ENOENT;
    sql_reset(st);
    return ret;
}

int sql_one_text(struct sql_stmt *st, char **out)
{
    int rc = sql_step(st), ret = 0;
    if (rc == SQL_ROW)
        *out = sql_str0(st, 0);
    else
        ret = rc < 0 ? rc : -ENOENT;
    sql_reset(st);
    return ret;
}

int sql_exists(struct sql_stmt *st, int *out)
{
    int rc = sql_step(st);
    sql_reset(st);
    if (rc < 0)
        return rc;
    *out = rc == SQL_ROW;
    return 0;
}

char *sql_str(struct sql_stmt *st, int i)
{
    size_t n = 0;
    const char *s = st->db->drv->text(st, i, &n);
    if (s == NULL)
        return NULL;
    char *p = db_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sql_str0(struct sql_stmt *st, int i)
{
    char *p = sql_str(st, i);
    if (p == NULL) {
        p = db_xmalloc(1);
        p[0] = '\0';
    }
    return p;
}

int db_many_ids(struct sql_stmt *st, int64_t **ids, size_t *n)
{
    int64_t *v = NULL;
    size_t k = 0;
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        *(int64_t *)db_list_push((void **)&v, &k, sizeof(int64_t)) = sql_int64(st, 0);
    sql_reset(st);
    if (rc < 0) {
        free(v);
        return rc;
    }
    *ids = v;
    *n = k;
    return 0;
}

void db_bind_ids(struct sql_stmt *st, int i, const int64_t *ids, size_t n)
{
    /* [1,2,3] for json_each, {1,2,3} for a bigint[] */
    int pg = st->db->drv->dialect == SQL_PG;
    char *text = db_xmalloc(n * 21 + 3), *w = text;
    *w++ = pg ? '{' : '[';
    for (size_t k = 0; k < n; k++)
        w += sprintf(w, "%s%lld", k ? "," : "", (long long)ids[k]);
    *w++ = pg ? '}' : ']';
    sql_bind_textn(st, i, text, (size_t)(w - text));
    free(text);
}

/* ---- rows streamed into a table ------------------------------------------------------------- */

struct sql_rows *sql_rows_open(struct db *db, const char *table, const char *const *cols, int ncols)
{
    struct sql_rows *r = db_xmalloc(sizeof(*r));
    memset(r, 0, sizeof(*r));
    r->db = db;
    r->ncols = ncols;
    if (ncols < 1 || ncols > SQL_ROWS_COLUMNS_MAX) {
        r->err = db_set_error(db, -E2BIG, "%s: %d columns (1 to %d)", table, ncols, SQL_ROWS_COLUMNS_MAX);
        return r;
    }
    if (db->drv->rows_open != NULL) {
        r->err = db->drv->rows_open(r, table, cols);
        return r;
    }
    /* INSERT INTO table (c1, ...) VALUES (?1, ...) */
    size_t cap = strlen(table) + 32, len;
    for (int i = 0; i < ncols; i++)
        cap += strlen(cols[i]) + 2 + 8;
    char *sql = db_xmalloc(cap);
    len = (size_t)snprintf(sql, cap, "INSERT INTO %s (", table);
    for (int i = 0; i < ncols; i++)
        len += (size_t)snprintf(sql + len, cap - len, "%s%s", i ? ", " : "", cols[i]);
    for (int i = 0; i < ncols; i++)
        len += (size_t)snprintf(sql + len, cap - len, "%s?%d", i ? ", " : ") VALUES (", i + 1);
    snprintf(sql + len, cap - len, ")");
    r->insert = sql_prepare_once(db, sql);
    free(sql);
    return r;
}

static struct sql_value *row_value(struct sql_rows *r, int i, enum sql_kind kind)
{
    if (r->err != 0 || i < 1 || i > r->ncols)
        return NULL;
    r->v[i].kind = kind;
    return &r->v[i];
}

void sql_rows_int64(struct sql_rows *r, int i, int64_t v)
{
    struct sql_value *x = row_value(r, i, SQL_KIND_INT);
    if (x != NULL)
        x->i = v;
}

void sql_rows_double(struct sql_rows *r, int i, double v)
{
    struct sql_value *x = row_value(r, i, SQL_KIND_FLOAT);
    if (x != NULL)
        x->f = v;
}

void sql_rows_text(struct sql_rows *r, int i, const char *s, size_t n)
{
    struct sql_value *x = row_value(r, i, s != NULL ? SQL_KIND_TEXT : SQL_KIND_NULL);
    if (x != NULL) {
        x->p = s;
        x->n = n;
    }
}

void sql_rows_blob(struct sql_rows *r, int i, const void *p, size_t n)
{
    struct sql_value *x = row_value(r, i, SQL_KIND_BLOB);
    if (x != NULL) {
        x->p = p;
        x->n = n;
    }
}

/* The row as an INSERT (drivers without rows hooks). */
static int insert_row(struct sql_rows *r)
{
    char num[40];
    for (int i = 1; i <= r->ncols; i++) {
        const struct sql_value *x = &r->v[i];
        switch (x->kind) {
        case SQL_KIND_INT:
            sql_bind_int64(r->insert, i, x->i);
            break;
        case SQL_KIND_FLOAT: /* no table holds one: kept as its text */
            snprintf(num, sizeof(num), "%.17g", x->f);
            sql_bind_text(r->insert, i, num);
            break;
        case SQL_KIND_TEXT:
            sql_bind_textn(r->insert, i, x->p, x->n);
            break;
        case SQL_KIND_BLOB:
            sql_bind_blob(r->insert, i, x->p, x->n);
            break;
        default:
            sql_bind_null_int(r->insert, i);
            break;
        }
    }
    return sql_run(r->insert);
}

int sql_rows_add(struct sql_rows *r)
{
    if (r->err == 0)
        r->err = r->db->drv->rows_add != NULL ? r->db->drv->rows_add(r) : insert_row(r);
    for (int i = 1; i <= r->ncols; i++)
        r->v[i].kind = SQL_KIND_NULL;
    return r->err;
}

int sql_rows_close(struct sql_rows *r)
{
    int ret = r->err;
    if (r->db->drv->rows_close != NULL && r->ncols >= 1 && r->ncols <= SQL_ROWS_COLUMNS_MAX) {
        int end = r->db->drv->rows_close(r);
        if (ret == 0)
            ret = end;
    }
    if (r->insert != NULL)
        sql_finalize(r->insert);
    free(r);
    return ret;
}
