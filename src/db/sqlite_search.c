/* The SQLite side of search (search.c): a search_query becomes an FTS5 query made only of quoted
 * strings (so nothing a visitor typed is FTS5 syntax), run against posts_fts, which holds the
 * published posts and pages only. The newest matches are read in the index's own order (rowid,
 * newest first) with a ranking that looks at the current row only (gazette_rank(), see
 * sqlite_funcs.c). Nothing in this grows with the archive for a word that every post holds, nor
 * for a prefix that no word starts with (search_words). */
#include <errno.h>

#include "db/sqlite_int.h"
#include "lib/buf.h"

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

/* Whether any word of the index starts with the last word of a prefix term (search_words, migration
 * 0012): one index lookup, where FTS5 would read on through the postings of the word before it. */
static int prefix_known(struct db *db, const struct search_term *t, int *known)
{
    static const char sql[] = "SELECT 1 FROM search_words WHERE word >= ?1 AND word < ?2 LIMIT 1";
    struct buf word = BUF_INIT;
    int ret = lite_last_word(db, t->text, t->len, &word);
    if (ret == -ENOENT) { /* no word in it: FTS5 matches nothing either */
        *known = 0;
        return 0;
    }
    if (ret < 0) {
        buf_free(&word);
        return ret;
    }
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_textn(st, 1, word.data, word.len); /* copied */
    /* every word that starts so sorts below the prefix with its last byte one higher (bytes of
     * UTF-8 are never 0xFF) */
    word.data[word.len - 1]++;
    sql_bind_textn(st, 2, word.data, word.len);
    int64_t one;
    ret = sql_one_int(st, &one);
    *known = ret == 0;
    buf_free(&word);
    return ret == -ENOENT ? 0 : ret;
}

int lite_search(struct db *db, const struct search_query *q, int64_t now, struct db_hit *hits, size_t max, size_t *n)
{
    static const char sql[] =
        "SELECT rowid, gazette_rank(posts_fts, 10.0, 3.0, 1.0) FROM posts_fts WHERE posts_fts MATCH ?1 "
        "AND rowid NOT IN (SELECT id FROM posts WHERE status = 'published' AND published_at > ?2) "
        "ORDER BY rowid DESC LIMIT ?3";
    for (size_t i = 0; i < q->n && i < DB_SEARCH_TERMS_MAX; i++) {
        int known = 1, ret;
        if (q->terms[i].prefix && (ret = prefix_known(db, &q->terms[i], &known)) < 0)
            return ret;
        if (!known) { /* every term must match */
            *n = 0;
            return 0;
        }
    }
    struct buf match = BUF_INIT;
    int ret = fts_match(q, &match);
    if (ret < 0) {
        buf_free(&match);
        return ret;
    }
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text_static(st, 1, match.data);
    sql_bind_int64(st, 2, now);
    sql_bind_int64(st, 3, (int64_t)max);
    ret = db_read_hits(st, hits, max, n);
    buf_free(&match);
    return ret;
}
