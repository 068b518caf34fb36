/* The PostgreSQL side of search (search.c): the terms go in as a text array, which the function
 * gazette_query() (migrations/pg/0006) makes into a tsquery without reading anything in them as
 * syntax; posts_search holds a tsvector of each published post and page (title A, excerpt B, text
 * D) under a GIN index. The newest matches are read by id with ts_rank's relevance, the title
 * weighing 10, the excerpt 3 and the text 1 as with SQLite. Unlike FTS5 read in rowid order, the
 * GIN index gives every post that matches before the newest are chosen: the work grows with the
 * matches of the rarest combination, not with the archive. */
#include <errno.h>

#include "db/pg_int.h"
#include "lib/buf.h"

/* An array literal of q's terms, {"a","b c"} (" and \ escaped, NULs dropped), and of their
 * prefix flags, {0,1}. */
static int arrays(const struct search_query *q, struct buf *terms, struct buf *prefix)
{
    buf_putc(terms, '{');
    buf_putc(prefix, '{');
    for (size_t i = 0; i < q->n && i < DB_SEARCH_TERMS_MAX; i++) {
        const struct search_term *t = &q->terms[i];
        if (i > 0) {
            buf_putc(terms, ',');
            buf_putc(prefix, ',');
        }
        buf_putc(terms, '"');
        for (size_t j = 0; j < t->len; j++) {
            if (t->text[j] == '"' || t->text[j] == '\\')
                buf_putc(terms, '\\');
            if (t->text[j] != '\0')
                buf_putc(terms, t->text[j]);
        }
        buf_putc(terms, '"');
        buf_putc(prefix, t->prefix ? '1' : '0');
    }
    buf_putc(terms, '}');
    buf_putc(prefix, '}');
    return terms->err ? terms->err : prefix->err;
}

int pg_search(struct db *db, const struct search_query *q, int64_t now, struct db_hit *hits, size_t max, size_t *n)
{
    static const char sql[] = "SELECT s.id, ts_rank('{0.1, 0.1, 0.3, 1.0}', s.doc, q) FROM posts_search s, "
                              "gazette_query(CAST(?1 AS TEXT[]), CAST(?2 AS INTEGER[])) q WHERE s.doc @@ q "
                              "AND s.id NOT IN (SELECT id FROM posts WHERE status = 'published' AND published_at > ?3) "
                              "ORDER BY s.id DESC LIMIT ?4";
    struct buf terms = BUF_INIT, prefix = BUF_INIT;
    int ret = arrays(q, &terms, &prefix);
    if (ret == 0) {
        struct sql_stmt *st = sql_prepare(db, sql);
        sql_bind_text_static(st, 1, terms.data);
        sql_bind_text_static(st, 2, prefix.data);
        sql_bind_int64(st, 3, now);
        sql_bind_int64(st, 4, (int64_t)max);
        ret = db_read_hits(st, hits, max, n);
    }
    buf_free(&terms);
    buf_free(&prefix);
    return ret;
}
