/* Search (db_post_search): the backend finds the newest matches of a query with their relevance
 * (its search hook; SQLite's reads FTS5, which holds the published posts and pages only); here
 * they are ranked the same way for every backend (a newer match counts a little more) and the
 * page's posts are read by id. */
#include <errno.h>

#include "db/db_int.h"

#define RANK_RECENCY 500.0 /* the match this many places older counts half as much */

static int by_score(const void *a, const void *b)
{
    const struct db_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->age < y->age ? -1 : x->age > y->age;
}

int db_read_hits(struct sql_stmt *st, struct db_hit *hits, size_t max, size_t *n)
{
    size_t k = 0;
    int rc = 0;
    while (k < max && (rc = sql_step(st)) == SQL_ROW) {
        hits[k].id = sql_int64(st, 0);
        hits[k].score = sql_double(st, 1);
        hits[k].age = k;
        k++;
    }
    sql_reset(st);
    if (rc < 0)
        return rc;
    *n = k;
    return 0;
}

int db_post_search(struct db *db, const struct search_query *q, int64_t now, size_t offset, size_t limit,
                   struct post_list *out, int64_t *total)
{
    static const struct sql_text sql =
        DB_BY_IDS_IN_ORDER(1, "SELECT " POST_SELECT("NULL") "FROM ",
                           "CROSS JOIN posts p ON p.id = j.value LEFT JOIN users u ON u.id = p.author_id "
                           "WHERE p.status = 'published'");
    struct post_list l = {0};
    struct db_hit *hits = NULL;
    size_t n = 0;
    int ret;
    if (q->n == 0) {
        *total = 0;
        *out = l;
        return 0;
    }
    hits = db_xmalloc((DB_SEARCH_MAX + 1) * sizeof(*hits));
    if ((ret = db->drv->search(db, q, now, hits, DB_SEARCH_MAX + 1, &n)) < 0)
        goto out;
    for (size_t k = 0; k < n; k++) /* relevance over 1 + age / RANK_RECENCY */
        hits[k].score /= 1.0 + (double)hits[k].age / RANK_RECENCY;
    size_t shown = n < DB_SEARCH_MAX ? n : DB_SEARCH_MAX;
    qsort(hits, shown, sizeof(*hits), by_score);
    if (offset < shown) { /* the page's posts, in the order of their rank */
        size_t k = shown - offset < limit ? shown - offset : limit;
        int64_t *ids = db_xmalloc(k * sizeof(*ids));
        for (size_t i = 0; i < k; i++)
            ids[i] = hits[offset + i].id;
        struct sql_stmt *st = sql_prepare_text(db, &sql);
        db_bind_ids(st, 1, ids, k);
        free(ids);
        if ((ret = db_many_posts(st, &l)) < 0)
            goto out;
    }
out:
    free(hits);
    if (ret < 0) {
        post_list_free(&l);
        return ret;
    }
    *out = l;
    *total = (int64_t)n;
    return 0;
}
