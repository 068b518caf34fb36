/* The kept counts (migration 0006) and the bounded list reads (db/lists.c) against the plain
 * queries they replace, on a site with posts bunched in the same second, hour and day, sticky
 * ones, ones dated in the future, terms and authors, through random writes of every kind. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_int.h"
#include "db/media.h"
#include "db/newsroom.h"
#include "lib/timeutil.h"
#include "news/post.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(lists, .fini = tmpdata_remove);

#define NOW 1777887000 /* 2026-05-04T09:30:00Z */
#define HOUR 3600
#define DAY 86400
#define N_POSTS 2400
#define N_TERMS 6
#define N_AUTHORS 3

static int64_t authors[N_AUTHORS];
static int64_t terms[N_TERMS];
static unsigned seed = 12345;

static unsigned rnd(unsigned n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
}

static void exec(struct db *db, const char *sql)
{
    cr_assert_eq(sql_exec(db, sql), 0, "%s: %s", sql, db_errmsg(db));
}

/* A publish time: bunched (many posts in one second, one hour, one day), around now, in the
 * future, and far back. */
static int64_t when(void)
{
    switch (rnd(6)) {
    case 0:
        return NOW - 40 * DAY; /* one second that many posts share */
    case 1:
        return NOW - 3 * DAY - rnd(HOUR);
    case 2:
        return NOW - rnd(400) * DAY - rnd(DAY);
    case 3:
        return NOW - rnd(HOUR); /* this hour, up to now */
    case 4:
        return NOW + 1 + rnd(3 * DAY); /* dated in the future */
    default:
        return time_from_date(1990 + (int)rnd(30), 1 + (int)rnd(12), 1 + (int)rnd(28)) + rnd(DAY);
    }
}

static void insert_post(struct db *db, int i)
{
    static const enum post_status statuses[] = {POST_PUBLISHED, POST_PUBLISHED, POST_PUBLISHED, POST_PUBLISHED,
                                                POST_DRAFT,     POST_SCHEDULED, POST_PRIVATE};
    char title[64];
    snprintf(title, sizeof(title), "Post %d", i);
    struct post p = {.type = rnd(20) == 0 ? POST_TYPE_PAGE : POST_TYPE_POST,
                     .status = statuses[rnd(7)],
                     .title = title,
                     .slug = title,
                     .author_id = authors[rnd(N_AUTHORS)],
                     .format = POST_FORMAT_HTML,
                     .source = "<p>x</p>",
                     .html = "<p>x</p>",
                     .excerpt = "x",
                     .sticky = rnd(25) == 0,
                     .comments_open = 1,
                     .published_at = when(),
                     .created_at = NOW,
                     .modified_at = NOW};
    char slug[64];
    snprintf(slug, sizeof(slug), "post-%d", i);
    p.slug = slug;
    cr_assert_eq(db_post_insert(db, &p), 0);
    int64_t ids[N_TERMS];
    size_t n = 0;
    for (int t = 0; t < N_TERMS; t++)
        if (rnd(3) == 0)
            ids[n++] = terms[t];
    cr_assert_eq(db_post_set_terms(db, p.id, TERM_CATEGORY, ids, n), 0);
}

/* A random write of any kind, the way the newsroom, the publishing timer or a script would. */
static void change(struct db *db)
{
    char sql[256];
    int64_t id = 1 + rnd(N_POSTS);
    switch (rnd(8)) {
    case 0:
        snprintf(sql, sizeof(sql), "UPDATE posts SET status = '%s' WHERE id = %lld",
                 (const char *[]){"published", "draft", "scheduled", "trash"}[rnd(4)], (long long)id);
        break;
    case 1:
        snprintf(sql, sizeof(sql), "UPDATE posts SET published_at = %lld WHERE id = %lld", (long long)when(),
                 (long long)id);
        break;
    case 2:
        snprintf(sql, sizeof(sql), "UPDATE posts SET sticky = 1 - sticky WHERE id = %lld", (long long)id);
        break;
    case 3:
        snprintf(sql, sizeof(sql), "UPDATE posts SET author_id = %lld WHERE id = %lld",
                 (long long)authors[rnd(N_AUTHORS)], (long long)id);
        break;
    case 4:
        snprintf(sql, sizeof(sql), "DELETE FROM posts WHERE id = %lld", (long long)id);
        break;
    case 5:
        snprintf(sql, sizeof(sql), "DELETE FROM post_terms WHERE post_id = %lld", (long long)id);
        break;
    case 6:
        snprintf(sql, sizeof(sql),
                 "INSERT INTO post_terms (post_id, term_id) SELECT id, %lld FROM posts "
                 "WHERE id = %lld ON CONFLICT DO NOTHING",
                 (long long)terms[rnd(N_TERMS)], (long long)id);
        break;
    default:
        snprintf(sql, sizeof(sql), "UPDATE posts SET type = '%s' WHERE id = %lld", rnd(2) ? "post" : "page",
                 (long long)id);
        break;
    }
    exec(db, sql);
}

static int64_t one_int(struct db *db, const char *sql)
{
    struct sql_stmt *st = sql_prepare_once(db, sql);
    cr_assert_eq(sql_step(st), SQL_ROW, "%s: %s", sql, db_errmsg(db));
    int64_t v = sql_int64(st, 0);
    sql_finalize(st);
    return v;
}

/* Every kept count equals the count made from the tables. */
static void counts_agree(struct db *db)
{
    static const char want[] =
        "SELECT 0, 0, l.level, gazette_bucket(l.level, p.published_at), count(*) FROM posts p, count_levels l "
        "WHERE p.status = 'published' AND p.type = 'post' GROUP BY 3, 4 "
        "UNION ALL SELECT 1, 0, l.level, gazette_bucket(l.level, p.published_at), count(*) FROM posts p, "
        "count_levels l WHERE p.status = 'published' AND p.type = 'post' AND p.sticky = 0 GROUP BY 3, 4 "
        "UNION ALL SELECT 2, pt.term_id, l.level, gazette_bucket(l.level, p.published_at), count(*) FROM posts p "
        "JOIN post_terms pt ON pt.post_id = p.id, count_levels l WHERE p.status = 'published' AND p.type = 'post' "
        "GROUP BY 2, 3, 4 "
        "UNION ALL SELECT 3, p.author_id, l.level, gazette_bucket(l.level, p.published_at), count(*) FROM posts p, "
        "count_levels l WHERE p.status = 'published' AND p.type = 'post' GROUP BY 2, 3, 4";
    char sql[2048];
    snprintf(sql, sizeof(sql),
             "SELECT (SELECT count(*) FROM (SELECT list, key, level, bucket, n FROM post_counts WHERE n != 0 "
             "EXCEPT SELECT * FROM (%s) w1) d1) + (SELECT count(*) FROM (SELECT * FROM (%s) w2 EXCEPT "
             "SELECT list, key, level, bucket, n FROM post_counts) d2)",
             want, want);
    cr_assert_eq(one_int(db, sql), 0, "the kept counts differ from the tables");
    cr_assert_eq(one_int(db, "SELECT count(*) FROM post_terms pt JOIN posts p ON p.id = pt.post_id WHERE "
                             "pt.published_at IS DISTINCT FROM (CASE WHEN p.status = 'published' AND p.type = 'post' "
                             "THEN p.published_at END)"),
                 0, "post_terms.published_at follows its post");
}

/* The ids the plain query lists, into out; returns how many. */
static size_t plain(struct db *db, const char *sql, int64_t *out, size_t max)
{
    struct sql_stmt *st = sql_prepare_once(db, sql);
    size_t n = 0;
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW && n < max)
        out[n++] = sql_int64(st, 0);
    cr_assert_geq(rc, 0, "%s: %s", sql, db_errmsg(db));
    sql_finalize(st);
    return n;
}

static void same_ids(const struct post_list *l, const int64_t *want, size_t n, const char *what, size_t offset)
{
    cr_assert_eq(l->n, n, "%s at %zu: %zu posts, want %zu", what, offset, l->n, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(l->items[i].id, want[i], "%s at %zu, item %zu", what, offset, i);
}

#define PUB "status = 'published' AND type = 'post' AND published_at <= " /* now follows */

/* Every list, at offsets from the first page to past the end, equals the plain OFFSET query. */
static void lists_agree(struct db *db, int64_t now)
{
    char sql[512];
    int64_t want[16];
    struct post_list l;
    int64_t total, n;
    static const size_t offsets[] = {0,   3,   199, 200, 201, 250,  333,  400,  401,
                                     450, 499, 520, 700, 900, 1000, 1100, 1200, 5000};
    for (size_t k = 0; k < sizeof(offsets) / sizeof(offsets[0]); k++) {
        size_t off = offsets[k];
        snprintf(sql, sizeof(sql),
                 "SELECT id FROM posts WHERE " PUB "%lld ORDER BY sticky DESC, published_at DESC, id DESC "
                 "LIMIT 7 OFFSET %zu",
                 (long long)now, off);
        n = (int64_t)plain(db, sql, want, 16);
        cr_assert_eq(db_post_list_public(db, now, 0, 1, off, 7, &l), 0);
        same_ids(&l, want, (size_t)n, "home", off);
        post_list_free(&l);
        snprintf(sql, sizeof(sql),
                 "SELECT id FROM posts WHERE " PUB "%lld ORDER BY published_at DESC, id DESC LIMIT 7 OFFSET %zu",
                 (long long)now, off);
        n = (int64_t)plain(db, sql, want, 16);
        cr_assert_eq(db_post_list_public(db, now, 0, 0, off, 7, &l), 0);
        same_ids(&l, want, (size_t)n, "every post", off);
        post_list_free(&l);
        for (int t = 0; t < N_TERMS; t += 2) {
            snprintf(sql, sizeof(sql),
                     "SELECT id FROM posts WHERE " PUB "%lld AND id IN (SELECT post_id FROM post_terms WHERE "
                     "term_id = %lld) ORDER BY published_at DESC, id DESC LIMIT 7 OFFSET %zu",
                     (long long)now, (long long)terms[t], off);
            n = (int64_t)plain(db, sql, want, 16);
            cr_assert_eq(db_post_list_public(db, now, terms[t], 0, off, 7, &l), 0);
            same_ids(&l, want, (size_t)n, "a term", off);
            post_list_free(&l);
        }
        for (int a = 0; a < N_AUTHORS; a++) {
            snprintf(sql, sizeof(sql),
                     "SELECT id FROM posts WHERE " PUB "%lld AND author_id = %lld ORDER BY published_at DESC, "
                     "id DESC LIMIT 7 OFFSET %zu",
                     (long long)now, (long long)authors[a], off);
            n = (int64_t)plain(db, sql, want, 16);
            cr_assert_eq(db_post_list_by_author(db, now, authors[a], off, 7, &l), 0);
            same_ids(&l, want, (size_t)n, "an author", off);
            post_list_free(&l);
        }
    }
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM posts WHERE " PUB "%lld", (long long)now);
    cr_assert_eq(db_post_count_public(db, now, 0, &total), 0);
    cr_assert_eq(total, one_int(db, sql));
    for (int t = 0; t < N_TERMS; t++) {
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM posts WHERE " PUB "%lld AND id IN (SELECT post_id FROM post_terms "
                 "WHERE term_id = %lld)",
                 (long long)now, (long long)terms[t]);
        cr_assert_eq(db_post_count_public(db, now, terms[t], &total), 0);
        cr_assert_eq(total, one_int(db, sql), "term %d", t);
    }
    for (int a = 0; a < N_AUTHORS; a++) {
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM posts WHERE " PUB "%lld AND author_id = %lld", (long long)now,
                 (long long)authors[a]);
        cr_assert_eq(db_post_count_by_author(db, now, authors[a], &total), 0);
        cr_assert_eq(total, one_int(db, sql));
    }
}

/* Periods that start and end anywhere (time zones an hour, half an hour or 45 minutes off, whole
 * years, months and days) count and list as the plain queries do. */
static void periods_agree(struct db *db, int64_t now)
{
    char sql[512];
    int64_t want[16], total;
    struct post_list l;
    for (int k = 0; k < 60; k++) {
        static const int64_t shifts[] = {0, HOUR, -5 * HOUR - 1800, 5 * HOUR + 2700, 17};
        int64_t from = time_from_date(1990 + (int)rnd(37), 1 + (int)rnd(12), 1) + shifts[rnd(5)], to;
        switch (rnd(4)) {
        case 0:
            to = from + 366 * DAY;
            break;
        case 1:
            to = from + 31 * DAY;
            break;
        case 2:
            to = from + DAY;
            break;
        default:
            from = NOW - 45 * DAY - rnd(3) * HOUR, to = from + 60 * DAY;
            break;
        }
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM posts WHERE " PUB "%lld AND published_at >= %lld AND published_at < %lld",
                 (long long)now, (long long)from, (long long)to);
        cr_assert_eq(db_post_count_between(db, now, from, to, &total), 0);
        cr_assert_eq(total, one_int(db, sql), "[%lld, %lld)", (long long)from, (long long)to);
        size_t off = total > 0 ? rnd((unsigned)total + 3) : 0;
        snprintf(sql, sizeof(sql),
                 "SELECT id FROM posts WHERE " PUB "%lld AND published_at >= %lld AND published_at < %lld "
                 "ORDER BY published_at DESC, id DESC LIMIT 5 OFFSET %zu",
                 (long long)now, (long long)from, (long long)to, off);
        size_t n = plain(db, sql, want, 16);
        cr_assert_eq(db_post_list_between(db, now, from, to, off, 5, &l), 0);
        same_ids(&l, want, n, "a period", off);
        post_list_free(&l);
    }
    /* the Archives list: the newest months with posts due by now */
    struct post_month months[12];
    size_t n;
    cr_assert_eq(db_post_months(db, now, 12, months, &n), 0);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM (SELECT 1 FROM posts WHERE " PUB "%lld GROUP BY gazette_bucket(1, published_at) "
             "LIMIT 12) m",
             (long long)now);
    cr_assert_eq((int64_t)n, one_int(db, sql));
    for (size_t i = 0; i < n; i++) {
        int64_t a = time_from_date(months[i].year, months[i].month, 1);
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM posts WHERE " PUB "%lld AND gazette_bucket(1, published_at) = "
                 "gazette_bucket(1, %lld)",
                 (long long)now, (long long)a);
        cr_assert_eq(months[i].count, one_int(db, sql), "%d-%d", months[i].year, months[i].month);
        if (i > 0)
            cr_assert(months[i].year * 12 + months[i].month < months[i - 1].year * 12 + months[i - 1].month);
    }
}

Test(lists, kept_counts_and_bounded_reads_agree_with_plain_queries)
{
    struct db *db = tmpdata_open();
    for (int a = 0; a < N_AUTHORS; a++) {
        char login[16];
        snprintf(login, sizeof(login), "writer%d", a);
        cr_assert_eq(user_create(db, login, login, "", ROLE_AUTHOR, NULL, NOW, &authors[a]), 0);
    }
    for (int t = 0; t < N_TERMS; t++) {
        struct term tm = {.taxonomy = TERM_CATEGORY, .name = (char *)"Term", .slug = (char[16]){0}};
        snprintf(tm.slug, 16, "term-%d", t);
        cr_assert_eq(db_term_insert(db, &tm), 0);
        terms[t] = tm.id;
    }
    cr_assert_eq(db_begin(db), 0);
    for (int i = 0; i < N_POSTS; i++)
        insert_post(db, i);
    cr_assert_eq(db_commit(db), 0);
    counts_agree(db);
    lists_agree(db, NOW);
    periods_agree(db, NOW);
    /* time passes: posts dated in the future come due without a write */
    lists_agree(db, NOW + 2 * DAY);
    periods_agree(db, NOW + 2 * DAY);
    for (int round = 0; round < 4; round++) {
        cr_assert_eq(db_begin(db), 0);
        for (int k = 0; k < 150; k++)
            change(db);
        cr_assert_eq(db_commit(db), 0);
        counts_agree(db);
        lists_agree(db, NOW);
        periods_agree(db, NOW + round * DAY);
    }
    /* a term that goes takes its counts with it */
    exec(db, "DELETE FROM terms WHERE slug = 'term-0'");
    counts_agree(db);
    cr_assert_eq(one_int(db, "SELECT count(*) FROM post_counts WHERE list = 2 AND key NOT IN (SELECT id FROM terms)"),
                 0);
    db_close(db);
}

Test(lists, approved_comment_counts_follow_every_change)
{
    struct db *db = tmpdata_open();
    int64_t uid;
    cr_assert_eq(user_create(db, "ann", "Ann", "", ROLE_AUTHOR, NULL, NOW, &uid), 0);
    struct post p = {.type = POST_TYPE_POST,
                     .status = POST_PUBLISHED,
                     .title = "T",
                     .slug = "t",
                     .author_id = uid,
                     .published_at = NOW - DAY,
                     .created_at = NOW,
                     .modified_at = NOW};
    struct post q = p;
    q.slug = "u";
    cr_assert_eq(db_post_insert(db, &p), 0);
    cr_assert_eq(db_post_insert(db, &q), 0);
    static const char *const statuses[] = {"approved", "pending", "spam", "trash"};
    char sql[256];
    for (int i = 0; i < 300; i++) {
        int64_t cid = 1 + rnd(60);
        switch (rnd(4)) {
        case 0:
            snprintf(sql, sizeof(sql),
                     "INSERT INTO comments (post_id, status, author, created_at, body) VALUES (%lld, '%s', 'a', %d, "
                     "'b')",
                     (long long)(rnd(2) ? p.id : q.id), statuses[rnd(4)], NOW + i);
            break;
        case 1:
            snprintf(sql, sizeof(sql), "UPDATE comments SET status = '%s' WHERE id = %lld", statuses[rnd(4)],
                     (long long)cid);
            break;
        case 2:
            snprintf(sql, sizeof(sql), "UPDATE comments SET post_id = %lld WHERE id = %lld",
                     (long long)(rnd(2) ? p.id : q.id), (long long)cid);
            break;
        default:
            snprintf(sql, sizeof(sql), "DELETE FROM comments WHERE id = %lld", (long long)cid);
            break;
        }
        exec(db, sql);
        int64_t n, want;
        cr_assert_eq(db_comment_count_approved(db, p.id, &n), 0);
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM comments WHERE post_id = %lld AND status = 'approved'",
                 (long long)p.id);
        want = one_int(db, sql);
        cr_assert_eq(n, want, "after %d changes", i);
    }
    snprintf(sql, sizeof(sql), "DELETE FROM posts WHERE id = %lld", (long long)p.id);
    exec(db, sql);
    cr_assert_eq(one_int(db, "SELECT count(*) FROM comment_counts WHERE post_id NOT IN (SELECT id FROM posts)"), 0);
    db_close(db);
}

Test(lists, a_statement_past_the_budget_stops)
{
    struct db *db = tmpdata_open();
    /* a statement that would run for minutes */
    static const char slow[] = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                               "SELECT count(*) FROM n WHERE i < 0 OR i > 0";
    db_budget(db, 50);
    int64_t t0 = time_now();
    struct sql_stmt *st = sql_prepare_once(db, slow);
    int rc = sql_step(st);
    cr_assert_eq(rc, -ETIMEDOUT);
    sql_finalize(st);
    cr_assert(db_budget_spent(db));
    cr_assert_leq(time_now() - t0, 5, "stopped soon after its 50 ms");
    /* the request knows until the next budget starts afresh; SQLite stops a statement past the
     * deadline after its first thousand steps (a short one ends first), PostgreSQL starts none */
    int64_t n;
    cr_assert_eq(db_post_count_public(db, NOW, 0, &n), tmpdata_pg() ? -ETIMEDOUT : 0);
    cr_assert(db_budget_spent(db));
    db_budget(db, 0);
    cr_assert(!db_budget_spent(db));
    cr_assert_eq(db_post_count_public(db, NOW, 0, &n), 0);
    db_budget(db, 1000);
    cr_assert_eq(db_post_count_public(db, NOW, 0, &n), 0, "well inside its budget");
    db_budget(db, 0);
    db_close(db);
}

/* A post with the given title (and slug), published at t. */
static int64_t simple_post(struct db *db, int64_t author, char *title, int64_t t)
{
    struct post p = {.type = POST_TYPE_POST,
                     .status = POST_PUBLISHED,
                     .title = title,
                     .slug = title,
                     .author_id = author,
                     .format = POST_FORMAT_HTML,
                     .source = "",
                     .html = "",
                     .excerpt = "",
                     .comments_open = 1,
                     .published_at = t,
                     .created_at = t,
                     .modified_at = t};
    cr_assert_eq(db_post_insert(db, &p), 0, "%s", db_errmsg(db));
    return p.id;
}

Test(lists, rows_read_by_ids_come_in_the_order_of_the_ids)
{
    struct db *db = tmpdata_open();
    char zed[] = "zed", amy[] = "amy", beta[] = "beta", alpha[] = "Alpha", alpha_slug[] = "alpha", tag[] = "tagged";
    struct user u = {.login = zed, .role = ROLE_AUTHOR}, v = {.login = amy, .role = ROLE_EDITOR};
    cr_assert_eq(db_user_insert(db, &u, NULL), 0);
    cr_assert_eq(db_user_insert(db, &v, NULL), 0);
    char ta[] = "a", tb[] = "b", tc[] = "c";
    int64_t a = simple_post(db, u.id, ta, NOW - 30), b = simple_post(db, u.id, tb, NOW - 20),
            c = simple_post(db, v.id, tc, NOW - 10);
    struct term t1 = {.taxonomy = TERM_CATEGORY, .name = beta, .slug = beta},
                t2 = {.taxonomy = TERM_CATEGORY, .name = alpha, .slug = alpha_slug},
                t3 = {.taxonomy = TERM_TAG, .name = tag, .slug = tag};
    cr_assert_eq(db_term_insert(db, &t1), 0);
    cr_assert_eq(db_term_insert(db, &t2), 0);
    cr_assert_eq(db_term_insert(db, &t3), 0);
    cr_assert_eq(db_post_set_terms(db, a, TERM_CATEGORY, (int64_t[]){t1.id, t2.id}, 2), 0);
    cr_assert_eq(db_post_set_terms(db, c, TERM_CATEGORY, (int64_t[]){t1.id}, 1), 0);
    cr_assert_eq(db_post_set_terms(db, c, TERM_TAG, (int64_t[]){t3.id}, 1), 0);

    /* the terms of a list: each post's by name, a post twice, a post without, an unknown id */
    int64_t ids[] = {c, a, b, 999999, c};
    struct term_list tl[5];
    cr_assert_eq(db_post_terms_of(db, ids, 5, TERM_CATEGORY, tl), 0, "%s", db_errmsg(db));
    cr_assert_eq(tl[0].n, 1);
    cr_assert_str_eq(tl[0].items[0].slug, "beta");
    cr_assert_eq(tl[1].n, 2);
    cr_assert_str_eq(tl[1].items[0].slug, "alpha", "by name, case ignored");
    cr_assert_str_eq(tl[1].items[1].slug, "beta");
    cr_assert_eq(tl[2].n, 0);
    cr_assert_eq(tl[3].n, 0);
    cr_assert_eq(tl[4].n, 1);
    cr_assert_str_eq(tl[4].items[0].slug, "beta");
    for (int i = 0; i < 5; i++)
        term_list_free(&tl[i]);
    cr_assert_eq(db_post_terms_of(db, ids, 5, TERM_TAG, tl), 0);
    cr_assert(tl[0].n == 1 && tl[1].n == 0 && tl[4].n == 1);
    for (int i = 0; i < 5; i++)
        term_list_free(&tl[i]);
    cr_assert_eq(db_post_terms_of(db, NULL, 0, TERM_TAG, tl), 0, "an empty list reads nothing");

    /* media with their copies, by format and width; 0 and unknown ids give none */
    struct media_copy copies1[] = {{"webp", 640, 480, 10, "2026/05/m1-640.webp"},
                                   {"jpeg", 320, 240, 10, "2026/05/m1-320.jpg"},
                                   {"jpeg", 640, 480, 10, "2026/05/m1-640.jpg"}};
    struct media_new m1 = {.hash = "11",
                           .dir = "2026/05",
                           .mime = "image/jpeg",
                           .width = 640,
                           .height = 480,
                           .alt = "first",
                           .created_at = NOW,
                           .copies = copies1,
                           .ncopies = 3};
    struct media_new m2 = {.hash = "22",
                           .dir = "2026/05",
                           .mime = "image/png",
                           .width = 1,
                           .height = 1,
                           .alt = "second\ttab",
                           .created_at = NOW};
    int64_t id1, id2;
    cr_assert_eq(db_media_insert(db, &m1, &id1), 0, "%s", db_errmsg(db));
    cr_assert_eq(db_media_insert(db, &m2, &id2), 0);
    int64_t mids[] = {id2, 0, id1, 999999, id1};
    struct medium ms[5];
    cr_assert_eq(db_media_get_of(db, mids, 5, ms), 0, "%s", db_errmsg(db));
    cr_assert_eq(ms[0].id, id2);
    cr_assert_str_eq(ms[0].alt, "second\ttab");
    cr_assert_eq(ms[0].ncopies, 0);
    cr_assert_eq(ms[1].id, 0);
    cr_assert_eq(ms[3].id, 0);
    for (int k = 2; k <= 4; k += 2) {
        cr_assert_eq(ms[k].id, id1);
        cr_assert_eq(ms[k].ncopies, 3);
        cr_assert_str_eq(ms[k].copies[0].path, "2026/05/m1-320.jpg");
        cr_assert_str_eq(ms[k].copies[1].path, "2026/05/m1-640.jpg");
        cr_assert_str_eq(ms[k].copies[2].format, "webp");
    }
    for (int i = 0; i < 5; i++)
        medium_clear(&ms[i]);

    /* comments and users in the order asked; the newsroom's lists */
    int64_t cids[3];
    for (int i = 0; i < 3; i++) {
        struct comment cm = {.post_id = b,
                             .status = COMMENT_PENDING,
                             .author = "Reader",
                             .email = "r@example.com",
                             .body = "hello",
                             .created_at = NOW + i};
        cr_assert_eq(db_comment_insert(db, &cm), 0);
        cids[i] = cm.id;
    }
    struct comment_list cl;
    cr_assert_eq(db_comments_of(db, (int64_t[]){cids[2], cids[0], 999999, cids[1]}, 4, &cl), 0);
    cr_assert_eq(cl.n, 3);
    cr_assert(cl.items[0].id == cids[2] && cl.items[1].id == cids[0] && cl.items[2].id == cids[1]);
    cr_assert_str_eq(cl.items[0].email, "r@example.com", "the newsroom's read has the email");
    comment_list_free(&cl);
    cr_assert_eq(db_comment_list_status(db, COMMENT_PENDING, 1, 5, &cl), 0);
    cr_assert_eq(cl.n, 2);
    cr_assert(cl.items[0].id == cids[1] && cl.items[1].id == cids[0], "newest first, the first skipped");
    comment_list_free(&cl);
    struct user_list ul;
    cr_assert_eq(db_user_list(db, &ul), 0);
    cr_assert_eq(ul.n, 2);
    cr_assert_str_eq(ul.items[0].login, "amy");
    cr_assert_str_eq(ul.items[1].login, "zed");
    user_list_free(&ul);
    struct post_filter f = {.type = POST_TYPE_POST, .status = -1, .limit = 2, .offset = 1};
    struct post_list pl;
    cr_assert_eq(db_post_list_filtered(db, &f, &pl), 0, "%s", db_errmsg(db));
    cr_assert_eq(pl.n, 2);
    cr_assert(pl.items[0].id == b && pl.items[1].id == a, "newest first, the first skipped");
    cr_assert_null(pl.items[0].source, "lists do not load sources");
    post_list_free(&pl);
    db_close(db);
}
