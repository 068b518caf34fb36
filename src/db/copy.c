/* gazette copy underneath: every table that holds what people wrote and set, read page by page
 * from one database in key order and written with its ids into another inside one bulk load, so
 * the destination makes its counts, search index and identity counters from the rows once at the
 * end. The census sums each table in a way that does not depend on the backend, the column
 * order or the row order, so the two sides can be compared. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db/copy.h"
#include "db/db_int.h"
#include "db/wpmap.h"

#define COPY_PAGE_ROWS 2000 /* rows read at a time */
#define COPY_SQL_MAX 4096   /* the text of one statement the copy makes */

const struct db_copy_table db_copy_tables[] = {
    {"users", "id"},
    {"terms", "id"},
    {"media", "id"},
    {"media_copies", "media_id, format, width"},
    {"posts", "id"},
    {"post_media", "post_id, media_id"},
    {"post_terms", "post_id, term_id"},
    {"comments", "id"},
    {"revisions", "id"},
    {"settings", "key"},
    {"wp_map", "site, kind, wp_id"},
    {"wp_attachments", "site, wp_id"},
    {"wp_paths", "path"},
    {"site_images", "name"},
    {"app_passwords", "id"},
    {"term_redirects", "taxonomy, slug"},
    {"menu_items", "id"},
};
#define N_TABLES (sizeof(db_copy_tables) / sizeof(db_copy_tables[0]))
const size_t db_copy_n_tables = N_TABLES;
_Static_assert(N_TABLES <= DB_COPY_TABLES_MAX, "a census holds every copied table");

const char *const db_copy_skipped[] = {
    "sessions",          /* dropped: everyone logs in again on the new database */
    "login_failures",    /* the throttle's memory of the last minutes */
    "site_state",        /* the server's own: its device-cookie key (browsers start afresh) and address */
    "changes",           /* the change log of the old database's page caches */
    "change_head",       /* PostgreSQL: the change log's newest number */
    "generation",        /* SQLite: the content generation */
    "post_counts",       /* made again from posts by the bulk load's end */
    "comment_counts",    /* made again from comments */
    "count_levels",      /* the same rows, made by the migration */
    "posts_search",      /* PostgreSQL's search index, made again */
    "posts_fts",         /* SQLite's search index, made again, and its own tables: */
    "posts_fts_data",    /* */
    "posts_fts_idx",     /* */
    "posts_fts_docsize", /* */
    "posts_fts_config",  /* */
    "posts_fts_content", /* */
    "search_words",      /* SQLite: the words of its search index, made again with it */
    "gazette_schema",    /* PostgreSQL: the schema version, the destination's own */
    "sqlite_sequence",   /* SQLite's own */
    "sqlite_stat1",      /* */
    "sqlite_stat4",      /* */
};
const size_t db_copy_n_skipped = sizeof(db_copy_skipped) / sizeof(db_copy_skipped[0]);

/* ---- the census ---------------------------------------------------------------------------- */

/* FNV-1a, 64 bits, continued from h. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* A final mix (splitmix64), so that sums of row hashes do not cancel in patterns. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* The hash of the current row: each column's name and value hashed, summed (so the column order
 * does not matter), mixed. Integers hash as decimal text, text and blobs as their bytes. */
static uint64_t row_hash(struct sql_stmt *st, int ncols)
{
    uint64_t sum = 0;
    for (int i = 0; i < ncols; i++) {
        const char *name = sql_column_name(st, i);
        uint64_t h = fnv(0xcbf29ce484222325ULL, name, strlen(name) + 1);
        enum sql_kind k = sql_column_kind(st, i);
        char num[40];
        const void *p = NULL;
        size_t n = 0;
        if (k == SQL_KIND_INT) {
            n = (size_t)snprintf(num, sizeof(num), "%lld", (long long)sql_int64(st, i));
            p = num;
        } else if (k == SQL_KIND_FLOAT) {
            n = (size_t)snprintf(num, sizeof(num), "%.17g", sql_double(st, i));
            p = num;
        } else if (k == SQL_KIND_BLOB) {
            p = sql_blob(st, i, &n);
        } else if (k == SQL_KIND_TEXT) {
            p = sql_text(st, i);
            n = sql_bytes(st, i);
        }
        unsigned char tag = k == SQL_KIND_NULL ? 0 : 1;
        h = fnv(h, &tag, 1);
        if (n > 0)
            h = fnv(h, p, n);
        sum += h;
    }
    return mix(sum);
}

#define COPY_KEYS_MAX 4 /* columns of a table's key */

/* The key of the last row of a page, for the next page to start after. */
struct last_key {
    int n; /* key columns */
    const char *names[COPY_KEYS_MAX];
    size_t lens[COPY_KEYS_MAX];
    int at[COPY_KEYS_MAX]; /* their places in the row (-1: not found yet) */
    int is_text[COPY_KEYS_MAX];
    int64_t num[COPY_KEYS_MAX];
    char *text[COPY_KEYS_MAX];
};

/* Keeps the key columns of the current row. */
static int keep_key(struct db *db, const struct db_copy_table *t, struct sql_stmt *st, int ncols, struct last_key *k)
{
    for (int i = 0; i < k->n; i++) {
        if (k->at[i] < 0)
            for (int c = 0; c < ncols; c++) {
                const char *name = sql_column_name(st, c);
                if (strlen(name) == k->lens[i] && strncmp(name, k->names[i], k->lens[i]) == 0)
                    k->at[i] = c;
            }
        if (k->at[i] < 0)
            return db_set_error(db, -EINVAL, "%s: no key column %.*s", t->name, (int)k->lens[i], k->names[i]);
        free(k->text[i]);
        k->text[i] = NULL;
        k->is_text[i] = sql_column_kind(st, k->at[i]) != SQL_KIND_INT;
        if (k->is_text[i])
            k->text[i] = sql_str0(st, k->at[i]);
        else
            k->num[i] = sql_int64(st, k->at[i]);
    }
    return 0;
}

/* Calls row(st, ncols, arg) for every row of t in key order, a page at a time; each page starts
 * after the key of the last row of the one before (an OFFSET would read every row it skips again,
 * which made a large table's pages cost more and more). */
static int each_row(struct db *db, const struct db_copy_table *t, int (*row)(struct sql_stmt *, int, void *), void *arg)
{
    char sql[COPY_SQL_MAX], after[COPY_SQL_MAX / 2];
    struct last_key k = {0};
    size_t alen = 0;
    for (const char *p = t->key; *p && k.n < COPY_KEYS_MAX; k.n++) {
        size_t len = strcspn(p, ", ");
        k.names[k.n] = p;
        k.lens[k.n] = len;
        k.at[k.n] = -1;
        alen += (size_t)snprintf(after + alen, sizeof(after) - alen, "%s?%d", k.n ? ", " : "", k.n + 1);
        p += len;
        p += strspn(p, ", ");
    }
    int ret = 0;
    for (int page = 0;; page++) {
        if (page == 0)
            snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY %s LIMIT %d", t->name, t->key, COPY_PAGE_ROWS);
        else
            snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE (%s) > (%s) ORDER BY %s LIMIT %d", t->name, t->key,
                     after, t->key, COPY_PAGE_ROWS);
        struct sql_stmt *st = sql_prepare_once(db, sql);
        for (int i = 0; page > 0 && i < k.n; i++) {
            if (k.is_text[i])
                sql_bind_text(st, i + 1, k.text[i]);
            else
                sql_bind_int64(st, i + 1, k.num[i]);
        }
        int rc, n = 0;
        while ((rc = sql_step(st)) == SQL_ROW) {
            n++;
            int ncols = sql_column_count(st);
            if ((ret = row(st, ncols, arg)) < 0 || (n == COPY_PAGE_ROWS && (ret = keep_key(db, t, st, ncols, &k)) < 0))
                break;
        }
        sql_finalize(st);
        if (ret == 0 && rc < 0)
            ret = rc;
        if (ret < 0 || n < COPY_PAGE_ROWS)
            break;
    }
    for (int i = 0; i < k.n; i++)
        free(k.text[i]);
    return ret;
}

static int count_row(struct sql_stmt *st, int ncols, void *arg)
{
    struct db_copy_count *c = arg;
    c->rows++;
    c->sum += row_hash(st, ncols);
    return 0;
}

int db_copy_census(struct db *db, struct db_copy_census *out)
{
    struct db_copy_census c;
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < N_TABLES; i++) {
        struct db_copy_count *t = &c.tables[c.n++];
        t->table = db_copy_tables[i].name;
        int ret = each_row(db, &db_copy_tables[i], count_row, t);
        if (ret < 0)
            return ret;
        c.sum += mix(t->sum ^ fnv(0xcbf29ce484222325ULL, t->table, strlen(t->table)));
    }
    *out = c;
    return 0;
}

/* ---- the copy ------------------------------------------------------------------------------ */

struct writer {
    struct db *to;
    const struct db_copy_table *t;
    struct sql_rows *rows; /* made from the first row's column names */
    int ncols;
};

static int write_row(struct sql_stmt *st, int ncols, void *arg)
{
    struct writer *w = arg;
    if (w->rows == NULL) {
        const char *cols[SQL_ROWS_COLUMNS_MAX];
        if (ncols > SQL_ROWS_COLUMNS_MAX)
            return db_set_error(w->to, -E2BIG, "%s: more than %d columns", w->t->name, SQL_ROWS_COLUMNS_MAX);
        for (int i = 0; i < ncols; i++)
            cols[i] = sql_column_name(st, i);
        w->rows = sql_rows_open(w->to, w->t->name, cols, ncols);
        w->ncols = ncols;
    }
    for (int i = 0; i < w->ncols; i++) {
        size_t n;
        const void *p;
        switch (sql_column_kind(st, i)) {
        case SQL_KIND_INT:
            sql_rows_int64(w->rows, i + 1, sql_int64(st, i));
            break;
        case SQL_KIND_FLOAT: /* no table holds one: kept as its text */
        case SQL_KIND_TEXT:
            sql_rows_text(w->rows, i + 1, sql_text(st, i), sql_bytes(st, i));
            break;
        case SQL_KIND_BLOB:
            p = sql_blob(st, i, &n);
            sql_rows_blob(w->rows, i + 1, p, n);
            break;
        default:
            break; /* NULL */
        }
    }
    int ret = sql_rows_add(w->rows);
    if (ret < 0)
        return db_set_error(w->to, ret, "%s: %s", w->t->name, db_errmsg(w->to));
    return 0;
}

/* -EEXIST unless to holds no user, post or comment. */
static int destination_empty(struct db *to)
{
    static const char sql[] = "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM posts) + "
                              "(SELECT count(*) FROM comments)";
    int64_t n;
    int ret = sql_one_int(sql_prepare(to, sql), &n);
    if (ret == 0 && n > 0)
        ret = db_set_error(to, -EEXIST, "the destination holds a site already (users, posts or comments)");
    return ret;
}

int db_copy(struct db *from, struct db *to)
{
    int ret = destination_empty(to);
    if (ret < 0)
        return ret;
    struct db_bulk *bulk = NULL;
    if ((ret = db_bulk_begin(to, &bulk)) < 0)
        return ret;
    char sql[COPY_SQL_MAX];
    for (size_t i = N_TABLES; i-- > 0 && ret == 0;) { /* what migrations put there (settings) */
        snprintf(sql, sizeof(sql), "DELETE FROM %s", db_copy_tables[i].name);
        ret = sql_exec(to, sql);
    }
    for (size_t i = 0; i < N_TABLES && ret == 0; i++) {
        struct writer w = {.to = to, .t = &db_copy_tables[i]};
        ret = each_row(from, &db_copy_tables[i], write_row, &w);
        if (ret < 0 && strstr(db_errmsg(to), db_copy_tables[i].name) == NULL) /* the source failed */
            db_set_error(to, ret, "reading %s: %s", db_copy_tables[i].name, db_errmsg(from));
        if (w.rows != NULL) { /* what is left of the table's rows */
            int end = sql_rows_close(w.rows);
            if (ret == 0 && end < 0)
                ret = db_set_error(to, end, "%s: %s", db_copy_tables[i].name, db_errmsg(to));
        }
        db_bulk_writeback(bulk);
    }
    int end = db_bulk_end(to, bulk, ret == 0);
    return ret < 0 ? ret : end;
}

/* ---- the schema's tables -------------------------------------------------------------------- */

int db_copy_schema_tables(struct db *db, char ***names, size_t *n)
{
    static const struct sql_text sql = {
        .sqlite = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        .pg = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    };
    struct sql_stmt *st = sql_prepare_text(db, &sql);
    char **out = NULL;
    size_t k = 0;
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        char **slot = db_list_push((void **)&out, &k, sizeof(*out));
        *slot = sql_str0(st, 0);
    }
    sql_reset(st);
    if (rc < 0) {
        db_copy_names_free(out, k);
        return rc;
    }
    *names = out;
    *n = k;
    return 0;
}

void db_copy_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
