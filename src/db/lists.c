/* Lists of published posts at a cost that does not grow with the archive: the home page, a
 * category or tag, an author, a date archive, and their counts. Each list is read from an index
 * in (published_at, id) order; counts come from post_counts (kept by the triggers of migration
 * 0006), and a deep page finds where it starts by walking those counts from the newest period
 * down (months, then days, hours, minutes), so the index is skipped over at most a minute's posts.
 * Posts dated in the future are in the counts: reads count them apart, from the index (there
 * are few). docs/storage.md ("Reading a large archive") has the whole design. */
#include <errno.h>

#include "db/db_int.h"
#include "lib/timeutil.h"

/* The lists of post_counts.list. */
enum list_kind { LIST_ALL = 0, LIST_HOME = 1, LIST_TERM = 2, LIST_AUTHOR = 3 };

/* Offsets up to this many posts are skipped in the index directly; deeper ones navigate. */
#define LIST_DIRECT_MAX 200

/* Months, days and hours are counted for years 1000 to 9999 (what the date archives can name);
 * posts outside are read straight from the index. */
#define T_MIN INT64_C(-30610224000) /* 1000-01-01T00:00:00Z */
#define T_MAX INT64_C(253402300800) /* 10000-01-01T00:00:00Z */

struct list {
    enum list_kind kind;
    int64_t key; /* the term or author id */
};

/* For each list: count(*) and the ids of a page of posts with published_at in [?1, ?2) (?3 the
 * term or author), newest first, ?4 at most, ?5 skipped, from one index alone (skipping entries
 * must not read the rows they point to); the page's posts are then read by id. */
#define LIST_POST "type = 'post' AND status = 'published' AND published_at >= ?1 AND published_at < ?2 "
#define LIST_IDS(WHERE)                                                                                                \
    "SELECT id FROM posts WHERE " LIST_POST WHERE "ORDER BY published_at DESC, id DESC LIMIT ?4 OFFSET ?5"
#define LIST_TERM_WHERE "WHERE pt.term_id = ?3 AND pt.published_at >= ?1 AND pt.published_at < ?2 "
#define LIST_PAGE(IDS) "SELECT " POST_COLS("NULL") "WHERE p.id IN (" IDS ") ORDER BY p.published_at DESC, p.id DESC"

static const char *const count_sql[] = {
    [LIST_ALL] = "SELECT count(*) FROM posts WHERE " LIST_POST,
    [LIST_HOME] = "SELECT count(*) FROM posts WHERE " LIST_POST "AND sticky = 0",
    [LIST_TERM] = "SELECT count(*) FROM post_terms pt " LIST_TERM_WHERE,
    [LIST_AUTHOR] = "SELECT count(*) FROM posts WHERE " LIST_POST "AND author_id = ?3",
};

static const char *const page_sql[] = {
    [LIST_ALL] = LIST_PAGE(LIST_IDS("")),
    [LIST_HOME] = LIST_PAGE(LIST_IDS("AND sticky = 0 ")),
    [LIST_TERM] = LIST_PAGE("SELECT pt.post_id FROM post_terms pt " LIST_TERM_WHERE
                            "ORDER BY pt.published_at DESC, pt.post_id DESC LIMIT ?4 OFFSET ?5"),
    [LIST_AUTHOR] = LIST_PAGE(LIST_IDS("AND author_id = ?3 ")),
};

static const char SQL_TOTAL[] = "SELECT n FROM post_counts WHERE list = ?1 AND key = ?2 AND level = 0 AND bucket = 0";
static const char SQL_SUM[] = "SELECT COALESCE(sum(n), 0) FROM post_counts "
                              "WHERE list = ?1 AND key = ?2 AND level = ?3 AND bucket >= ?4 AND bucket < ?5";
static const char SQL_BUCKETS[] = "SELECT bucket, n FROM post_counts WHERE list = ?1 AND key = ?2 AND level = ?3 "
                                  "AND bucket >= ?4 AND bucket < ?5 ORDER BY bucket DESC";

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t db_count_bucket(int level, int64_t t)
{
    int y, m, d;
    switch (level) {
    case DB_LEVEL_MONTH:
        time_utc_date(t, &y, &m, &d);
        return (int64_t)y * 12 + m - 1;
    case DB_LEVEL_DAY:
        return floor_div(t, 86400);
    case DB_LEVEL_HOUR:
        return floor_div(t, 3600);
    case DB_LEVEL_MINUTE:
        return floor_div(t, 60);
    default:
        return 0;
    }
}

/* The first instant of bucket b at a level (t in [T_MIN, T_MAX]). */
static int64_t bucket_start(int level, int64_t b)
{
    switch (level) {
    case DB_LEVEL_MONTH: {
        int64_t y = floor_div(b, 12);
        return time_from_date((int)y, (int)(b - y * 12) + 1, 1);
    }
    case DB_LEVEL_DAY:
        return b * 86400;
    case DB_LEVEL_HOUR:
        return b * 3600;
    default:
        return b * 60;
    }
}

/* The start of the period holding t, and of the next period. */
static int64_t floor_at(int level, int64_t t)
{
    return bucket_start(level, db_count_bucket(level, t));
}

static int64_t ceil_at(int level, int64_t t)
{
    int64_t f = floor_at(level, t);
    return f == t ? t : bucket_start(level, db_count_bucket(level, t) + 1);
}

static int64_t clamp(int64_t t)
{
    return t < T_MIN ? T_MIN : t > T_MAX ? T_MAX : t;
}

/* Binds the common parameters of count_sql / page_sql. */
static void bind_range(struct sql_stmt *st, const struct list *li, int64_t lo, int64_t hi)
{
    sql_bind_int64(st, 1, lo);
    sql_bind_int64(st, 2, hi);
    if (li->kind == LIST_TERM || li->kind == LIST_AUTHOR)
        sql_bind_int64(st, 3, li->key);
}

/* Posts of the list in [lo, hi), counted in the index (ranges of at most a minute, or the ends of
 * time, or the few posts dated after now). */
static int direct_count(struct db *db, const struct list *li, int64_t lo, int64_t hi, int64_t *out)
{
    if (lo >= hi) {
        *out = 0;
        return 0;
    }
    struct sql_stmt *st = sql_prepare(db, count_sql[li->kind]);
    bind_range(st, li, lo, hi);
    return sql_one_int(st, out);
}

/* SQL_SUM or SQL_BUCKETS for the list's buckets [from, to) at a level, bound; NULL on error. */
static struct sql_stmt *buckets(struct db *db, const char *sql, const struct list *li, int level, int64_t from,
                                int64_t to)
{
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, li->kind);
    sql_bind_int64(st, 2, li->key);
    sql_bind_int64(st, 3, level);
    sql_bind_int64(st, 4, from);
    sql_bind_int64(st, 5, to);
    return st;
}

/* The kept counts of buckets [from, to) at a level, summed. */
static int bucket_sum(struct db *db, const struct list *li, int level, int64_t from, int64_t to, int64_t *out)
{
    struct sql_stmt *st = buckets(db, SQL_SUM, li, level, from, to);
    return sql_one_int(st, out);
}

/* Posts of the list in [lo, hi): whole periods from the kept counts, the largest first (at
 * `level` and finer), and what is left at the two ends from the index. */
static int count_range(struct db *db, const struct list *li, int64_t lo, int64_t hi, int level, int64_t *out)
{
    int64_t left, mid, right;
    int ret;
    if (lo >= hi) {
        *out = 0;
        return 0;
    }
    if (level > DB_LEVEL_MINUTE)
        return direct_count(db, li, lo, hi, out);
    int64_t a = lo <= T_MIN ? T_MIN : ceil_at(level, clamp(lo));
    int64_t b = hi >= T_MAX ? T_MAX : floor_at(level, clamp(hi));
    if (a >= b)
        return count_range(db, li, lo, hi, level + 1, out);
    if ((ret = count_range(db, li, lo, a, level + 1, &left)) < 0 ||
        (ret = bucket_sum(db, li, level, db_count_bucket(level, a), db_count_bucket(level, b), &mid)) < 0 ||
        (ret = count_range(db, li, b, hi, level + 1, &right)) < 0)
        return ret;
    *out = left + mid + right;
    return 0;
}

/* Where the (*rank)-th newest post of [lo, hi) is (from 0): on return, it is the (*rank)-th
 * newest of [lo, *seg_hi), and *rank is at most the posts of one minute (or of one of the ends
 * that count_range reads from the index). Walks the periods from the newest: the partial one at
 * hi, then whole ones from the kept counts, descending into the one that holds the post. */
static int locate(struct db *db, const struct list *li, int64_t lo, int64_t hi, int level, int64_t *rank,
                  int64_t *seg_hi)
{
    int64_t n;
    int ret, rc;
    *seg_hi = hi;
    if (level > DB_LEVEL_MINUTE || lo >= hi)
        return 0;
    int64_t a = lo <= T_MIN ? T_MIN : ceil_at(level, clamp(lo));
    int64_t b = hi >= T_MAX ? T_MAX : floor_at(level, clamp(hi));
    if (a >= b)
        return locate(db, li, lo, hi, level + 1, rank, seg_hi);
    if ((ret = count_range(db, li, b, hi, level + 1, &n)) < 0)
        return ret;
    if (*rank < n)
        return locate(db, li, b, hi, level + 1, rank, seg_hi);
    *rank -= n;
    struct sql_stmt *st = buckets(db, SQL_BUCKETS, li, level, db_count_bucket(level, a), db_count_bucket(level, b));
    while ((rc = sql_step(st)) == SQL_ROW) {
        int64_t bucket = sql_int64(st, 0);
        n = sql_int64(st, 1);
        if (*rank < n) {
            sql_reset(st); /* before the statement is used again below */
            int64_t s = bucket_start(level, bucket), e = bucket_start(level, bucket + 1);
            return locate(db, li, s, e, level + 1, rank, seg_hi);
        }
        *rank -= n;
    }
    sql_reset(st);
    if (rc < 0)
        return rc;
    return locate(db, li, lo, a, level + 1, rank, seg_hi);
}

/* Page [offset, offset + limit) of the list's posts in [lo, hi), newest first. */
static int list_range(struct db *db, const struct list *li, int64_t lo, int64_t hi, size_t offset, size_t limit,
                      struct post_list *out)
{
    int64_t rank = offset > INT64_MAX ? INT64_MAX : (int64_t)offset, seg_hi = hi;
    int ret;
    if (lo >= hi || limit == 0) {
        out->items = NULL;
        out->n = 0;
        return 0;
    }
    if (rank > LIST_DIRECT_MAX && (ret = locate(db, li, lo, hi, DB_LEVEL_MONTH, &rank, &seg_hi)) < 0)
        return ret;
    struct sql_stmt *st = sql_prepare(db, page_sql[li->kind]);
    bind_range(st, li, lo, seg_hi);
    sql_bind_int64(st, 4, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    sql_bind_int64(st, 5, rank);
    return db_many_posts(st, out);
}

/* Every post of the list due by now: the kept total less those dated after now. */
static int count_public(struct db *db, const struct list *li, int64_t now, int64_t *out)
{
    int64_t total = 0, future;
    struct sql_stmt *st = sql_prepare(db, SQL_TOTAL);
    sql_bind_int64(st, 1, li->kind);
    sql_bind_int64(st, 2, li->key);
    int ret = sql_one_int(st, &total);
    if (ret < 0 && ret != -ENOENT)
        return ret;
    if ((ret = direct_count(db, li, now + 1, INT64_MAX, &future)) < 0)
        return ret;
    *out = total - future;
    return 0;
}

/* The sticky posts due by now, newest first: few, so skipped over in the index. */
static int sticky_posts(struct db *db, int64_t now, size_t offset, size_t limit, struct post_list *out)
{
    static const char sql[] = LIST_PAGE("SELECT id FROM posts WHERE type = 'post' AND status = 'published' AND "
                                        "sticky = 1 AND published_at < ?1 ORDER BY published_at DESC, id DESC "
                                        "LIMIT ?4 OFFSET ?5");
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, now + 1);
    sql_bind_int64(st, 4, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    sql_bind_int64(st, 5, offset > INT64_MAX ? INT64_MAX : (int64_t)offset);
    return db_many_posts(st, out);
}

/* The home list: the sticky posts, then the others; [offset, offset + limit) of that. */
static int home_list(struct db *db, int64_t now, size_t offset, size_t limit, struct post_list *out)
{
    const struct list all = {LIST_ALL, 0}, home = {LIST_HOME, 0};
    struct post_list a = {0}, b = {0};
    int64_t n_all, n_home;
    int ret;
    if ((ret = count_public(db, &all, now, &n_all)) < 0 || (ret = count_public(db, &home, now, &n_home)) < 0)
        return ret;
    size_t sticky = n_all > n_home ? (size_t)(n_all - n_home) : 0;
    if (offset < sticky && (ret = sticky_posts(db, now, offset, limit, &a)) < 0)
        return ret;
    if (a.n < limit) {
        size_t rest = offset > sticky ? offset - sticky : 0;
        if ((ret = list_range(db, &home, INT64_MIN, now + 1, rest, limit - a.n, &b)) < 0) {
            post_list_free(&a);
            return ret;
        }
    }
    if (b.n > 0) {
        a.items = db_xrealloc(a.items, (a.n + b.n) * sizeof(struct post));
        memcpy(a.items + a.n, b.items, b.n * sizeof(struct post));
        a.n += b.n;
        free(b.items);
    }
    *out = a;
    return 0;
}

int db_post_list_public(struct db *db, int64_t now, int64_t term_id, int sticky_first, size_t offset, size_t limit,
                        struct post_list *out)
{
    if (term_id != 0) {
        const struct list li = {LIST_TERM, term_id};
        return list_range(db, &li, INT64_MIN, now + 1, offset, limit, out);
    }
    if (sticky_first)
        return home_list(db, now, offset, limit, out);
    const struct list li = {LIST_ALL, 0};
    return list_range(db, &li, INT64_MIN, now + 1, offset, limit, out);
}

int db_post_count_public(struct db *db, int64_t now, int64_t term_id, int64_t *out)
{
    const struct list li = {term_id != 0 ? LIST_TERM : LIST_ALL, term_id};
    return count_public(db, &li, now, out);
}

int db_post_list_by_author(struct db *db, int64_t now, int64_t author_id, size_t offset, size_t limit,
                           struct post_list *out)
{
    const struct list li = {LIST_AUTHOR, author_id};
    return list_range(db, &li, INT64_MIN, now + 1, offset, limit, out);
}

int db_post_count_by_author(struct db *db, int64_t now, int64_t author_id, int64_t *out)
{
    const struct list li = {LIST_AUTHOR, author_id};
    return count_public(db, &li, now, out);
}

int db_post_list_between(struct db *db, int64_t now, int64_t from, int64_t to, size_t offset, size_t limit,
                         struct post_list *out)
{
    const struct list li = {LIST_ALL, 0};
    return list_range(db, &li, from, to < now + 1 ? to : now + 1, offset, limit, out);
}

int db_post_count_between(struct db *db, int64_t now, int64_t from, int64_t to, int64_t *out)
{
    const struct list li = {LIST_ALL, 0};
    return count_range(db, &li, from, to < now + 1 ? to : now + 1, DB_LEVEL_MONTH, out);
}

int db_post_months(struct db *db, int64_t now, size_t max, struct post_month *out, size_t *n)
{
    const struct list all = {LIST_ALL, 0};
    struct sql_stmt *st = buckets(db, SQL_BUCKETS, &all, DB_LEVEL_MONTH, db_count_bucket(DB_LEVEL_MONTH, T_MIN),
                                  db_count_bucket(DB_LEVEL_MONTH, T_MAX));
    size_t k = 0;
    int rc = SQL_DONE, ret = 0;
    while (k < max && (rc = sql_step(st)) == SQL_ROW) {
        int64_t month = sql_int64(st, 0), c = sql_int64(st, 1);
        int64_t start = bucket_start(DB_LEVEL_MONTH, month), end = bucket_start(DB_LEVEL_MONTH, month + 1);
        if (c > 0 && end > now + 1) { /* the month reaches past now: less what is not due yet */
            int64_t future;
            if ((ret = direct_count(db, &all, start > now + 1 ? start : now + 1, end, &future)) < 0)
                break;
            c -= future;
        }
        if (c <= 0)
            continue;
        int64_t y = floor_div(month, 12);
        out[k].year = (int)y;
        out[k].month = (int)(month - y * 12) + 1;
        out[k].count = c;
        k++;
    }
    sql_reset(st);
    if (ret == 0 && k < max && rc != SQL_DONE)
        ret = rc;
    if (ret == 0)
        *n = k;
    return ret;
}

int db_list_seek(struct db *db, int64_t now, size_t offset, int64_t *hi, int64_t *rank)
{
    const struct list li = {LIST_ALL, 0};
    int64_t r = offset > INT64_MAX ? INT64_MAX : (int64_t)offset, seg_hi = now + 1;
    int ret;
    if (r > LIST_DIRECT_MAX && (ret = locate(db, &li, INT64_MIN, now + 1, DB_LEVEL_MONTH, &r, &seg_hi)) < 0)
        return ret;
    *hi = seg_hi;
    *rank = r;
    return 0;
}
