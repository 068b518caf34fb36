/* Functions every Gazette connection registers with SQLite, because the schema's triggers and
 * the search read them: gazette_text(html), the text readers see (what search indexes);
 * gazette_bucket(level, t), the period a publish time is counted in (post_counts);
 * gazette_words(text, ...), the words the search index makes of texts (search_words); and the
 * FTS5 ranking function gazette_rank(). A connection without them (the sqlite3 shell) can read
 * everything but cannot write posts or their terms. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/sqlite_int.h"
#include "lib/buf.h"
#include "lib/htmltext.h"

static void fn_bucket(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3_result_int64(ctx, db_count_bucket(sqlite3_value_int(argv[0]), sqlite3_value_int64(argv[1])));
}

static void fn_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *html = (const char *)sqlite3_value_text(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    struct buf b = BUF_INIT;
    if (html == NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (html_text(&b, html, n) < 0) {
        buf_free(&b);
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_result_text(ctx, b.data ? b.data : "", (int)b.len, SQLITE_TRANSIENT);
    buf_free(&b);
}

/* ---- words ------------------------------------------------------------------------------ */

/* posts_fts's tokenizer (FTS5's unicode61 with its defaults: posts_fts names no other), one per
 * connection: the words of gazette_words() and of the search's prefix check are the index's. */
struct lite_words {
    fts5_tokenizer api;
    Fts5Tokenizer *tok;
};

struct word_list {
    struct buf text; /* the words, each followed by a NUL */
    size_t *at;      /* where each starts in text */
    size_t n, cap;
};

static int add_word(void *arg, int flags, const char *w, int n, int start, int end)
{
    (void)flags, (void)start, (void)end;
    struct word_list *l = arg;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        size_t *at = realloc(l->at, cap * sizeof(*at));
        if (at == NULL)
            return SQLITE_NOMEM;
        l->at = at;
        l->cap = cap;
    }
    l->at[l->n++] = l->text.len;
    buf_append(&l->text, w, (size_t)n);
    buf_putc(&l->text, '\0');
    return l->text.err ? SQLITE_NOMEM : SQLITE_OK;
}

static int split(struct lite_words *lw, const char *text, size_t n, struct word_list *l)
{
    if (n > INT32_MAX)
        return SQLITE_TOOBIG;
    return lw->api.xTokenize(lw->tok, l, FTS5_TOKENIZE_DOCUMENT, text, (int)n, add_word);
}

static void word_list_free(struct word_list *l)
{
    buf_free(&l->text);
    free(l->at);
}

static int by_word(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* gazette_words(text, ...): the distinct words of the texts, as a JSON array (for json_each). */
static void fn_words(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct lite_words *lw = sqlite3_user_data(ctx);
    struct word_list l = {BUF_INIT, NULL, 0, 0};
    int rc = SQLITE_OK;
    for (int i = 0; i < argc && rc == SQLITE_OK; i++) {
        const char *t = (const char *)sqlite3_value_text(argv[i]);
        if (t != NULL)
            rc = split(lw, t, (size_t)sqlite3_value_bytes(argv[i]), &l);
    }
    /* sorted, to write each word once (the text no longer moves: pointers into it hold) */
    const char **v = rc == SQLITE_OK && l.n > 0 ? malloc(l.n * sizeof(*v)) : NULL;
    if (l.n > 0 && v == NULL && rc == SQLITE_OK)
        rc = SQLITE_NOMEM;
    for (size_t i = 0; v != NULL && i < l.n; i++)
        v[i] = l.text.data + l.at[i];
    if (v != NULL)
        qsort(v, l.n, sizeof(*v), by_word);
    struct buf out = BUF_INIT;
    buf_putc(&out, '[');
    for (size_t i = 0; v != NULL && i < l.n; i++) {
        if (i > 0 && strcmp(v[i], v[i - 1]) == 0)
            continue;
        if (out.len > 1)
            buf_putc(&out, ',');
        buf_putc(&out, '"');
        for (const unsigned char *c = (const unsigned char *)v[i]; *c; c++) {
            if (*c == '"' || *c == '\\')
                buf_printf(&out, "\\%c", *c);
            else if (*c < 0x20)
                buf_printf(&out, "\\u%04x", *c);
            else
                buf_putc(&out, (char)*c);
        }
        buf_putc(&out, '"');
    }
    buf_putc(&out, ']');
    if (rc == SQLITE_OK && out.err)
        rc = SQLITE_NOMEM;
    if (rc == SQLITE_OK)
        sqlite3_result_text(ctx, out.data, (int)out.len, SQLITE_TRANSIENT);
    else
        sqlite3_result_error_code(ctx, rc);
    buf_free(&out);
    free(v);
    word_list_free(&l);
}

static void words_free(void *p)
{
    struct lite_words *lw = p;
    if (lw != NULL && lw->tok != NULL)
        lw->api.xDelete(lw->tok);
    free(lw);
}

int lite_last_word(struct db *db, const char *text, size_t n, struct buf *out)
{
    struct lite_words *lw = lite_of(db)->words;
    struct word_list l = {BUF_INIT, NULL, 0, 0};
    int rc = split(lw, text, n, &l);
    int ret = rc != SQLITE_OK ? lite_error(db, rc) : l.n == 0 ? -ENOENT : 0;
    if (ret == 0) {
        buf_puts(out, l.text.data + l.at[l.n - 1]);
        ret = out->err;
    }
    word_list_free(&l);
    return ret;
}

/* ---- ranking ---------------------------------------------------------------------------- */

#define RANK_COLS 8     /* columns of an index this function ranks */
#define RANK_PHRASES 16 /* phrases of a query it tells apart; more share the last slot */
#define RANK_K1 1.2
#define RANK_B 0.75

struct rank_avg {
    double len[RANK_COLS]; /* average tokens of each column */
};

/* The averages are read once per query (two small reads of the index's totals). */
static int rank_averages(const Fts5ExtensionApi *api, Fts5Context *fts, int ncol, struct rank_avg **out)
{
    struct rank_avg *a = api->xGetAuxdata(fts, 0);
    if (a != NULL) {
        *out = a;
        return SQLITE_OK;
    }
    a = sqlite3_malloc(sizeof(*a));
    if (a == NULL)
        return SQLITE_NOMEM;
    sqlite3_int64 rows = 0;
    int rc = api->xRowCount(fts, &rows);
    for (int c = 0; c < ncol && rc == SQLITE_OK; c++) {
        sqlite3_int64 total = 0;
        rc = api->xColumnTotalSize(fts, c, &total);
        a->len[c] = rows > 0 && total > 0 ? (double)total / (double)rows : 1.0;
    }
    if (rc == SQLITE_OK)
        rc = api->xSetAuxdata(fts, a, sqlite3_free);
    else
        sqlite3_free(a);
    if (rc == SQLITE_OK)
        *out = a;
    return rc;
}

/* gazette_rank(table, weight...): how well the current row matches, higher is better. For each
 * phrase of the query and each column, the BM25 saturation of the phrase's frequency (k1 1.2,
 * b 0.75, against the column's average length) times the column's weight, summed. FTS5's own
 * bm25() also weighs each phrase by how rare it is in the whole index, which it learns by
 * reading every document that holds the phrase: a cost as large as the archive for ordinary
 * words. Every result of a search holds every phrase, so that weight only shifts phrases
 * against each other; this function leaves it out and reads nothing but the current row. */
static void fn_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int ncol = api->xColumnCount(fts), ninst = 0, rc;
    struct rank_avg *avg;
    double tf[RANK_PHRASES][RANK_COLS] = {{0}};
    if (ncol > RANK_COLS)
        ncol = RANK_COLS;
    if ((rc = rank_averages(api, fts, ncol, &avg)) != SQLITE_OK || (rc = api->xInstCount(fts, &ninst)) != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    for (int i = 0; i < ninst; i++) {
        int phrase, col, off;
        if ((rc = api->xInst(fts, i, &phrase, &col, &off)) != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        if (col >= 0 && col < ncol && phrase >= 0)
            tf[phrase < RANK_PHRASES ? phrase : RANK_PHRASES - 1][col] += 1.0;
    }
    int nphrase = api->xPhraseCount(fts);
    if (nphrase > RANK_PHRASES)
        nphrase = RANK_PHRASES;
    double score = 0;
    for (int c = 0; c < ncol; c++) {
        int len = 0;
        if ((rc = api->xColumnSize(fts, c, &len)) != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        double w = c < argc ? sqlite3_value_double(argv[c]) : 1.0;
        double norm = RANK_K1 * (1.0 - RANK_B + RANK_B * (double)len / avg->len[c]);
        for (int p = 0; p < nphrase; p++)
            if (tf[p][c] > 0)
                score += w * tf[p][c] * (RANK_K1 + 1.0) / (tf[p][c] + norm);
    }
    sqlite3_result_double(ctx, score);
}

static fts5_api *fts5_of(sqlite3 *h)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return api;
}

int lite_register_functions(struct db *db)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function_v2(lite_handle(db), "gazette_bucket", 2, flags, NULL, fn_bucket, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(lite_handle(db), "gazette_text", 1, flags, NULL, fn_text, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return lite_error(db, rc);
    fts5_api *api = fts5_of(lite_handle(db));
    if (api == NULL || api->iVersion < 2) {
        return db_set_error(db, -EIO, "SQLite has no FTS5");
    }
    rc = api->xCreateFunction(api, "gazette_rank", NULL, fn_rank, NULL);
    if (rc != SQLITE_OK)
        return lite_error(db, rc);
    struct lite_words *lw = calloc(1, sizeof(*lw));
    void *tok_data = NULL;
    if (lw == NULL)
        return db_set_error(db, -ENOMEM, "out of memory");
    rc = api->xFindTokenizer(api, "unicode61", &tok_data, &lw->api);
    if (rc == SQLITE_OK)
        rc = lw->api.xCreate(tok_data, NULL, 0, &lw->tok);
    if (rc != SQLITE_OK) {
        words_free(lw);
        return lite_error(db, rc);
    }
    /* the connection frees lw when it closes (or now, if this fails) */
    rc = sqlite3_create_function_v2(lite_handle(db), "gazette_words", -1, flags, lw, fn_words, NULL, NULL, words_free);
    if (rc != SQLITE_OK)
        return lite_error(db, rc);
    lite_of(db)->words = lw;
    return 0;
}
