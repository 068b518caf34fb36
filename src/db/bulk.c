/* Bulk loads (wpmap.h): the neutral entry points, which hand over to the driver's way of loading
 * fast, and what both drivers make again at the end from the tables: the publish times on
 * post_terms and the kept counts of migration 0006 (each driver then rebuilds its own search
 * index). */
#include <errno.h>

#include "db/db_int.h"
#include "db/wpmap.h"

int db_bulk_begin(struct db *db, struct db_bulk **out)
{
    if (db->tx_depth > 0)
        return -EINVAL;
    struct db_bulk *b = db_xmalloc(sizeof(*b));
    memset(b, 0, sizeof(*b));
    b->db = db;
    int ret = db->drv->bulk_begin(db, b);
    if (ret < 0) {
        if (db->tx_depth > 0) /* the transaction opened before the failure */
            db->drv->bulk_end(db, b, 0);
        free(b);
        return ret;
    }
    *out = b;
    return 0;
}

void db_bulk_writeback(struct db_bulk *b)
{
    if (b != NULL)
        b->db->drv->bulk_writeback(b);
}

int db_bulk_end(struct db *db, struct db_bulk *b, int ok)
{
    int ret = db->drv->bulk_end(db, b, ok);
    free(b);
    return ret;
}

/* The published posts' few columns into a temporary table (the posts table is read once for
 * them), then the counts per minute, rolled up into hours, days, months and whole lists. */
static const struct sql_text SQL_PUBLISHED = {
    .sqlite = "CREATE TEMP TABLE bulk_pub (id INTEGER PRIMARY KEY, author_id INTEGER, sticky INTEGER, t INTEGER)",
    .pg = "CREATE TEMP TABLE bulk_pub (id BIGINT PRIMARY KEY, author_id BIGINT, sticky INTEGER, t BIGINT) "
          "ON COMMIT DROP",
};

static const char SQL_RECOUNT[] =
    "INSERT INTO bulk_pub SELECT id, author_id, sticky, published_at FROM posts "
    "WHERE status = 'published' AND type = 'post';"
    "UPDATE post_terms SET published_at = (SELECT t FROM bulk_pub WHERE bulk_pub.id = post_terms.post_id);"
    "DELETE FROM post_counts;"
    "INSERT INTO post_counts (list, key, level, bucket, n) "
    "SELECT 0, 0, 4, gazette_bucket(4, t), count(*) FROM bulk_pub GROUP BY 4;"
    "INSERT INTO post_counts (list, key, level, bucket, n) "
    "SELECT 1, 0, 4, gazette_bucket(4, t), count(*) FROM bulk_pub WHERE sticky = 0 GROUP BY 4;"
    "INSERT INTO post_counts (list, key, level, bucket, n) "
    "SELECT 3, author_id, 4, gazette_bucket(4, t), count(*) FROM bulk_pub GROUP BY 2, 4;"
    "INSERT INTO post_counts (list, key, level, bucket, n) "
    "SELECT 2, term_id, 4, gazette_bucket(4, published_at), count(*) FROM post_terms "
    "WHERE published_at IS NOT NULL GROUP BY 2, 4;"
    "INSERT INTO post_counts (list, key, level, bucket, n) SELECT list, key, 3, gazette_bucket(3, bucket * 60), "
    "sum(n) FROM post_counts WHERE level = 4 GROUP BY 1, 2, 4;"
    "INSERT INTO post_counts (list, key, level, bucket, n) SELECT list, key, 2, gazette_bucket(2, bucket * 3600), "
    "sum(n) FROM post_counts WHERE level = 3 GROUP BY 1, 2, 4;"
    "INSERT INTO post_counts (list, key, level, bucket, n) SELECT list, key, 1, gazette_bucket(1, bucket * 86400), "
    "sum(n) FROM post_counts WHERE level = 2 GROUP BY 1, 2, 4;"
    "INSERT INTO post_counts (list, key, level, bucket, n) SELECT list, key, 0, 0, sum(n) FROM post_counts "
    "WHERE level = 1 GROUP BY 1, 2;"
    "DROP TABLE bulk_pub;"
    "DELETE FROM comment_counts;"
    "INSERT INTO comment_counts (post_id, approved) "
    "SELECT post_id, count(*) FROM comments WHERE status = 'approved' GROUP BY post_id;";

int db_bulk_recount(struct db *db)
{
    int ret = sql_exec(db, sql_dialect(db) == SQL_PG ? SQL_PUBLISHED.pg : SQL_PUBLISHED.sqlite);
    return ret < 0 ? ret : sql_exec(db, SQL_RECOUNT);
}
