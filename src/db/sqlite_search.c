/* The SQLite backend of search: a search_query becomes an FTS5 query made only of quoted strings
 * (so nothing a visitor typed is FTS5 syntax), run against posts_fts, which holds the published
 * posts and pages only. The newest DB_SEARCH_MAX + 1 matches are read in the index's own order
 * (rowid, newest first) with a ranking that looks at the current row only (gazette_rank(), see
 * sqlite_funcs.c), then ranked here; the page's posts are read by id. Nothing in this grows with
 * the archive for a word that every post holds. */
#include <errno.h>

#include "db/sqlite_int.h"
#include "lib/buf.h"

#define RANK_RECENCY 500.0 /* the match this many places older counts half as much */

struct hit {
    int64_t id;
    double score; /* higher is better */
    size_t age;   /* place among the matches, newest first */
};

/* Appends the FTS5 form of q to out: each term a string ("..." with " doubled, NULs dropped),
 * a prefix term followed by *. */
static int fts_match(const struct search_query *q, struct buf *out)
{
    for (size_t i = 0; i < q->n && i < DB_SEARCH_TERMS_MAX; i++) {
        const struct search_term *t = &q->terms[i];
        if (i > 0)
            buf_putc(out, ' ');
        buf_putc(out, '"');
        for (size_t j = 0; j < t->len; j++) {
            if (t->text[j] == '"')
                buf_putc(out, '"');
            if (t->text[j] != '\0')
                buf_putc(out, t->text[j]);
        }
        buf_putc(out, '"');
        if (t->prefix)
            buf_putc(out, '*');
    }
    return out->err;
}

static int by_score(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->age < y->age ? -1 : x->age > y->age;
}

/* The matches: the newest DB_SEARCH_MAX + 1 by rowid, posts dated after now left out. */
static int matches(struct db *db, const char *match, int64_t now, struct hit *hits, size_t *n)
{
    static const char sql[] =
        "SELECT rowid, gazette_rank(posts_fts, 10.0, 3.0, 1.0) FROM posts_fts WHERE posts_fts MATCH ?1 "
        "AND rowid NOT IN (SELECT id FROM posts WHERE status = 'published' AND published_at > ?2) "
        "ORDER BY rowid DESC LIMIT ?3";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, match);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, DB_SEARCH_MAX + 1);
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < DB_SEARCH_MAX + 1) {
        hits[k].id = sqlite3_column_int64(st, 0);
        hits[k].age = k;
        /* a newer match counts more: relevance over 1 + age / RANK_RECENCY */
        hits[k].score = sqlite3_column_double(st, 1) / (1.0 + (double)k / RANK_RECENCY);
        k++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(db, rc);
    *n = k;
    return 0;
}

int db_post_search(struct db *db, const struct search_query *q, int64_t now, size_t offset, size_t limit,
                   struct post_list *out, int64_t *total)
{
    static const char sql[] = "SELECT " POST_COLS("NULL") "WHERE p.id = ?1 AND p.status = 'published'";
    struct buf match = BUF_INIT;
    struct post_list l = {0};
    struct hit *hits = NULL;
    size_t n = 0;
    int ret;
    if (q->n == 0) {
        *total = 0;
        *out = l;
        return 0;
    }
    if ((ret = fts_match(q, &match)) < 0)
        goto out;
    hits = db_xmalloc((DB_SEARCH_MAX + 1) * sizeof(*hits));
    if ((ret = matches(db, match.data, now, hits, &n)) < 0)
        goto out;
    size_t shown = n < DB_SEARCH_MAX ? n : DB_SEARCH_MAX;
    qsort(hits, shown, sizeof(*hits), by_score);
    for (size_t i = offset; i < shown && i - offset < limit; i++) {
        sqlite3_stmt *st = db_stmt(db, sql);
        if (st == NULL) {
            ret = -EIO;
            goto out;
        }
        sqlite3_bind_int64(st, 1, hits[i].id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            db_read_post(st, db_list_push((void **)&l.items, &l.n, sizeof(struct post)));
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            ret = db_fail(db, rc);
            goto out;
        }
    }
out:
    buf_free(&match);
    free(hits);
    if (ret < 0) {
        post_list_free(&l);
        return ret;
    }
    *out = l;
    *total = (int64_t)n;
    return 0;
}
