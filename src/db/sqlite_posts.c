/* The SQLite backend for posts, pages, categories and tags. Public reads carry the rule
 * "status published and published_at <= now" in their SQL, so nothing hidden is ever loaded. */
#include <errno.h>

#include "db/sqlite_int.h"

/* The columns read_post() expects; SRC is "p.source" or "NULL" (lists do not load sources). */
#define POST_COLS(SRC)                                                                                                 \
    "p.id, p.type, p.status, p.title, p.slug, p.author_id, u.login, u.display_name, p.format, " SRC ", p.html, "       \
    "p.excerpt, p.sticky, p.comment_status, p.password, IFNULL(p.parent_id, 0), p.published_at, p.created_at, "        \
    "p.modified_at, p.version, IFNULL(p.wp_id, 0), "                                                                   \
    "(SELECT count(*) FROM comments c WHERE c.post_id = p.id AND c.status = 'approved'), "                             \
    "(SELECT t.slug FROM terms t JOIN post_terms pt ON pt.term_id = t.id WHERE pt.post_id = p.id "                     \
    "AND t.taxonomy = 'category' ORDER BY t.name COLLATE NOCASE, t.id LIMIT 1), p.as_written "                         \
    "FROM posts p LEFT JOIN users u ON u.id = p.author_id "

#define PUBLIC "p.status = 'published' AND p.published_at <= ?1 "

static void read_post(sqlite3_stmt *st, struct post *p)
{
    const char *s;
    memset(p, 0, sizeof(*p));
    p->id = sqlite3_column_int64(st, 0);
    s = (const char *)sqlite3_column_text(st, 1);
    if (s == NULL || post_type_parse(s, &p->type) < 0)
        p->type = POST_TYPE_POST;
    s = (const char *)sqlite3_column_text(st, 2);
    if (s == NULL || post_status_parse(s, &p->status) < 0)
        p->status = POST_DRAFT;
    p->title = db_col_str0(st, 3);
    p->slug = db_col_str0(st, 4);
    p->author_id = sqlite3_column_int64(st, 5);
    p->author_login = db_col_str0(st, 6);
    p->author_name = db_col_str0(st, 7);
    s = (const char *)sqlite3_column_text(st, 8);
    if (s == NULL || post_format_parse(s, &p->format) < 0)
        p->format = POST_FORMAT_MARKDOWN;
    p->source = db_col_str(st, 9);
    p->html = db_col_str0(st, 10);
    p->excerpt = db_col_str0(st, 11);
    p->sticky = sqlite3_column_int(st, 12) != 0;
    s = (const char *)sqlite3_column_text(st, 13);
    p->comments_open = s != NULL && strcmp(s, "open") == 0;
    p->password = db_col_str(st, 14);
    p->parent_id = sqlite3_column_int64(st, 15);
    p->published_at = sqlite3_column_int64(st, 16);
    p->created_at = sqlite3_column_int64(st, 17);
    p->modified_at = sqlite3_column_int64(st, 18);
    p->version = sqlite3_column_int64(st, 19);
    p->wp_id = sqlite3_column_int64(st, 20);
    p->comment_count = sqlite3_column_int64(st, 21);
    p->category_slug = db_col_str(st, 22);
    p->as_written = sqlite3_column_int(st, 23) != 0;
}

/* Steps a statement expected to return at most one post. */
static int one_post(struct db *db, sqlite3_stmt *st, struct post *out)
{
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW)
        read_post(st, out);
    else if (rc == SQLITE_DONE)
        ret = -ENOENT;
    else
        ret = db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

static int many_posts(struct db *db, sqlite3_stmt *st, struct post_list *out)
{
    struct post_list l = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_post(st, db_list_push((void **)&l.items, &l.n, sizeof(struct post)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        post_list_free(&l);
        return db_fail(db, rc);
    }
    *out = l;
    return 0;
}

static void bind_post(sqlite3_stmt *st, const struct post *p)
{
    db_bind_text_static(st, 1, post_type_name(p->type));
    db_bind_text_static(st, 2, post_status_name(p->status));
    db_bind_text_static(st, 3, p->title ? p->title : "");
    db_bind_text_static(st, 4, p->slug ? p->slug : "");
    sqlite3_bind_int64(st, 5, p->author_id);
    db_bind_text_static(st, 6, post_format_name(p->format));
    db_bind_text_static(st, 7, p->source ? p->source : "");
    db_bind_text_static(st, 8, p->html ? p->html : "");
    db_bind_text_static(st, 9, p->excerpt ? p->excerpt : "");
    sqlite3_bind_int(st, 10, p->sticky != 0);
    db_bind_text_static(st, 11, p->comments_open ? "open" : "closed");
    db_bind_text_static(st, 12, p->password && p->password[0] ? p->password : NULL);
    db_bind_id(st, 13, p->parent_id);
    sqlite3_bind_int64(st, 14, p->published_at);
    sqlite3_bind_int64(st, 15, p->created_at);
    sqlite3_bind_int64(st, 16, p->modified_at);
    sqlite3_bind_int64(st, 17, p->version > 0 ? p->version : 1);
    db_bind_id(st, 18, p->wp_id);
    sqlite3_bind_int(st, 21, p->as_written != 0);
}

int db_post_insert(struct db *db, struct post *p)
{
    static const char sql[] =
        "INSERT INTO posts (type, status, title, slug, author_id, format, source, html, excerpt, sticky, "
        "comment_status, password, parent_id, published_at, created_at, modified_at, version, wp_id, as_written) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?21)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    bind_post(st, p);
    int ret = db_exec_stmt(db, st);
    if (ret == 0) {
        p->id = sqlite3_last_insert_rowid(db->h);
        if (p->version <= 0)
            p->version = 1;
    }
    return ret;
}

int db_post_update(struct db *db, const struct post *p, int64_t expect_version)
{
    static const char sql[] =
        "UPDATE posts SET type = ?1, status = ?2, title = ?3, slug = ?4, author_id = ?5, format = ?6, source = ?7, "
        "html = ?8, excerpt = ?9, sticky = ?10, comment_status = ?11, password = ?12, parent_id = ?13, "
        "published_at = ?14, created_at = ?15, modified_at = ?16, version = version + 1, wp_id = ?18, "
        "as_written = ?21 "
        "WHERE id = ?19 AND (?20 = 0 OR version = ?20)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    bind_post(st, p);
    sqlite3_bind_int64(st, 19, p->id);
    sqlite3_bind_int64(st, 20, expect_version);
    int ret = db_exec_stmt(db, st);
    if (ret == 0 && sqlite3_changes(db->h) == 0) {
        struct post cur;
        ret = db_post_get(db, p->id, &cur);
        if (ret == 0) {
            post_clear(&cur);
            ret = -ESTALE;
        }
    }
    return ret;
}

int db_post_get(struct db *db, int64_t id, struct post *out)
{
    static const char sql[] = "SELECT " POST_COLS("p.source") "WHERE p.id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    return one_post(db, st, out);
}

int db_post_slug_taken(struct db *db, enum post_type type, const char *slug, int64_t except_id, int *out)
{
    static const char sql[] = "SELECT 1 FROM posts WHERE type = ?1 AND slug = ?2 AND id != ?3";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, post_type_name(type));
    db_bind_text(st, 2, slug);
    sqlite3_bind_int64(st, 3, except_id);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        *out = rc == SQLITE_ROW;
    else
        ret = db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

int db_post_find_public(struct db *db, enum post_type type, const char *slug, int64_t from, int64_t to, int64_t now,
                        struct post *out)
{
    static const char sql[] = "SELECT " POST_COLS(
        "p.source") "WHERE " PUBLIC "AND p.type = ?2 AND p.slug = ?3 AND p.published_at >= ?4 AND p.published_at < ?5";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    db_bind_text(st, 2, post_type_name(type));
    db_bind_text(st, 3, slug);
    sqlite3_bind_int64(st, 4, from);
    sqlite3_bind_int64(st, 5, to);
    return one_post(db, st, out);
}

int db_post_get_public(struct db *db, int64_t id, int64_t now, struct post *out)
{
    static const char sql[] = "SELECT " POST_COLS("p.source") "WHERE " PUBLIC "AND p.id = ?2";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, id);
    return one_post(db, st, out);
}

#define IN_TERM "(?2 = 0 OR p.id IN (SELECT pt.post_id FROM post_terms pt WHERE pt.term_id = ?2)) "

int db_post_list_public(struct db *db, int64_t now, int64_t term_id, int sticky_first, size_t offset, size_t limit,
                        struct post_list *out)
{
    static const char sql[] = "SELECT " POST_COLS(
        "NULL") "WHERE " PUBLIC "AND p.type = 'post' AND " IN_TERM
                "ORDER BY CASE WHEN ?3 THEN p.sticky ELSE 0 END DESC, p.published_at DESC, p.id DESC "
                "LIMIT ?4 OFFSET ?5";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, term_id);
    sqlite3_bind_int(st, 3, sticky_first != 0);
    sqlite3_bind_int64(st, 4, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    sqlite3_bind_int64(st, 5, offset > INT64_MAX ? INT64_MAX : (int64_t)offset);
    return many_posts(db, st, out);
}

int db_post_count_public(struct db *db, int64_t now, int64_t term_id, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM posts p WHERE " PUBLIC "AND p.type = 'post' AND " IN_TERM;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, term_id);
    return db_step_int(db, st, out); /* count(*) always has its row */
}

int db_post_list_by_author(struct db *db, int64_t now, int64_t author_id, size_t offset, size_t limit,
                           struct post_list *out)
{
    static const char sql[] = "SELECT " POST_COLS("NULL") "WHERE " PUBLIC "AND p.type = 'post' AND p.author_id = ?2 "
                                                          "ORDER BY p.published_at DESC, p.id DESC LIMIT ?3 OFFSET ?4";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, author_id);
    sqlite3_bind_int64(st, 3, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    sqlite3_bind_int64(st, 4, offset > INT64_MAX ? INT64_MAX : (int64_t)offset);
    return many_posts(db, st, out);
}

int db_post_count_by_author(struct db *db, int64_t now, int64_t author_id, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM posts p WHERE " PUBLIC "AND p.type = 'post' AND p.author_id = ?2";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, author_id);
    return db_step_int(db, st, out); /* count(*) always has its row */
}

static int neighbour(struct db *db, const char *sql, const struct post *p, int64_t now, struct post *out)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, p->published_at);
    sqlite3_bind_int64(st, 3, p->id);
    int ret = one_post(db, st, out);
    if (ret == -ENOENT) {
        memset(out, 0, sizeof(*out));
        ret = 0;
    }
    return ret;
}

int db_post_neighbours(struct db *db, const struct post *p, int64_t now, struct post *prev, struct post *next)
{
    static const char sql_prev[] =
        "SELECT " POST_COLS("NULL") "WHERE " PUBLIC "AND p.type = 'post' AND "
                                    "(p.published_at < ?2 OR (p.published_at = ?2 AND p.id < ?3)) "
                                    "ORDER BY p.published_at DESC, p.id DESC LIMIT 1";
    static const char sql_next[] =
        "SELECT " POST_COLS("NULL") "WHERE " PUBLIC "AND p.type = 'post' AND "
                                    "(p.published_at > ?2 OR (p.published_at = ?2 AND p.id > ?3)) "
                                    "ORDER BY p.published_at ASC, p.id ASC LIMIT 1";
    struct post a, b;
    int ret = neighbour(db, sql_prev, p, now, &a);
    if (ret < 0)
        return ret;
    if ((ret = neighbour(db, sql_next, p, now, &b)) < 0) {
        post_clear(&a);
        return ret;
    }
    *prev = a;
    *next = b;
    return 0;
}

int db_post_next_due(struct db *db, int64_t now, int64_t *out)
{
    static const char sql[] =
        "SELECT min(published_at) FROM posts WHERE status IN ('published', 'scheduled') AND published_at > ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    return db_step_int(db, st, out);
}

int db_post_publish_due(struct db *db, int64_t now, int *count)
{
    static const char sql_any[] = "SELECT 1 FROM posts WHERE status = 'scheduled' AND published_at <= ?1 LIMIT 1";
    static const char sql[] = "UPDATE posts SET status = 'published', version = version + 1 "
                              "WHERE status = 'scheduled' AND published_at <= ?1";
    /* look first: the common answer is "nothing", and a read takes no write lock */
    sqlite3_stmt *st = db_stmt(db, sql_any);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        *count = 0;
        return 0;
    }
    if (rc != SQLITE_ROW)
        return db_fail(db, rc);
    if ((st = db_stmt(db, sql)) == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    int ret = db_exec_stmt(db, st);
    if (ret == 0)
        *count = sqlite3_changes(db->h);
    return ret;
}

int db_post_list_all(struct db *db, struct post_list *out)
{
    static const char sql[] = "SELECT " POST_COLS("NULL") "ORDER BY p.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    return many_posts(db, st, out);
}

/* ---- date archives and search --------------------------------------------------------- */

int db_post_list_between(struct db *db, int64_t now, int64_t from, int64_t to, size_t offset, size_t limit,
                         struct post_list *out)
{
    static const char sql[] =
        "SELECT " POST_COLS("NULL") "WHERE " PUBLIC "AND p.type = 'post' AND p.published_at >= ?2 "
                                    "AND p.published_at < ?3 "
                                    "ORDER BY p.published_at DESC, p.id DESC LIMIT ?4 OFFSET ?5";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    sqlite3_bind_int64(st, 4, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    sqlite3_bind_int64(st, 5, offset > INT64_MAX ? INT64_MAX : (int64_t)offset);
    return many_posts(db, st, out);
}

int db_post_count_between(struct db *db, int64_t now, int64_t from, int64_t to, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM posts p WHERE " PUBLIC
                              "AND p.type = 'post' AND p.published_at >= ?2 AND p.published_at < ?3";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    return db_step_int(db, st, out);
}

int db_post_months(struct db *db, int64_t now, size_t max, struct post_month *out, size_t *n)
{
    static const char sql[] =
        "SELECT CAST(strftime('%Y', p.published_at, 'unixepoch') AS INTEGER) AS y, "
        "CAST(strftime('%m', p.published_at, 'unixepoch') AS INTEGER) AS m, count(*) FROM posts p "
        "WHERE " PUBLIC "AND p.type = 'post' GROUP BY y, m ORDER BY y DESC, m DESC LIMIT ?2";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (int64_t)max);
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < max) {
        out[k].year = sqlite3_column_int(st, 0);
        out[k].month = sqlite3_column_int(st, 1);
        out[k].count = sqlite3_column_int64(st, 2);
        k++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(db, rc);
    *n = k;
    return 0;
}

/* The matching rowids with their rank; bm25 weights the columns title, excerpt, source. */
#define SEARCH_MATCH                                                                                                   \
    "JOIN (SELECT rowid AS id, bm25(posts_fts, 10.0, 3.0, 1.0) AS rank FROM posts_fts WHERE posts_fts MATCH ?2) m "    \
    "ON m.id = p.id "

int db_post_search(struct db *db, const char *match, int64_t now, size_t offset, size_t limit, struct post_list *out)
{
    static const char sql[] =
        "SELECT " POST_COLS("NULL") SEARCH_MATCH "WHERE " PUBLIC "AND p.type IN ('post', 'page') "
                                                 "ORDER BY m.rank, p.published_at DESC, p.id DESC LIMIT ?3 OFFSET ?4";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    db_bind_text(st, 2, match);
    sqlite3_bind_int64(st, 3, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    sqlite3_bind_int64(st, 4, offset > INT64_MAX ? INT64_MAX : (int64_t)offset);
    return many_posts(db, st, out);
}

int db_post_search_count(struct db *db, const char *match, int64_t now, int64_t *out)
{
    static const char sql[] =
        "SELECT count(*) FROM posts p " SEARCH_MATCH "WHERE " PUBLIC "AND p.type IN ('post', 'page')";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    db_bind_text(st, 2, match);
    return db_step_int(db, st, out);
}

/* ---- terms ---------------------------------------------------------------------------- */

#define TERM_COLS "t.id, t.taxonomy, t.name, t.slug, IFNULL(t.parent_id, 0) "

static void read_term(sqlite3_stmt *st, struct term *t)
{
    const char *s = (const char *)sqlite3_column_text(st, 1);
    memset(t, 0, sizeof(*t));
    t->id = sqlite3_column_int64(st, 0);
    if (s == NULL || term_taxonomy_parse(s, &t->taxonomy) < 0)
        t->taxonomy = TERM_TAG;
    t->name = db_col_str0(st, 2);
    t->slug = db_col_str0(st, 3);
    t->parent_id = sqlite3_column_int64(st, 4);
    if (sqlite3_column_count(st) > 5)
        t->count = sqlite3_column_int64(st, 5);
}

static int one_term(struct db *db, sqlite3_stmt *st, struct term *out)
{
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW)
        read_term(st, out);
    else if (rc == SQLITE_DONE)
        ret = -ENOENT;
    else
        ret = db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

static int many_terms(struct db *db, sqlite3_stmt *st, struct term_list *out)
{
    struct term_list l = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_term(st, db_list_push((void **)&l.items, &l.n, sizeof(struct term)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        term_list_free(&l);
        return db_fail(db, rc);
    }
    *out = l;
    return 0;
}

int db_term_insert(struct db *db, struct term *t)
{
    static const char sql[] = "INSERT INTO terms (taxonomy, name, slug, parent_id) VALUES (?1, ?2, ?3, ?4)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, term_taxonomy_name(t->taxonomy));
    db_bind_text(st, 2, t->name ? t->name : "");
    db_bind_text(st, 3, t->slug ? t->slug : "");
    db_bind_id(st, 4, t->parent_id);
    int ret = db_exec_stmt(db, st);
    if (ret == 0)
        t->id = sqlite3_last_insert_rowid(db->h);
    return ret;
}

int db_term_get(struct db *db, int64_t id, struct term *out)
{
    static const char sql[] = "SELECT " TERM_COLS "FROM terms t WHERE t.id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    return one_term(db, st, out);
}

int db_term_get_by_slug(struct db *db, enum term_taxonomy tax, const char *slug, struct term *out)
{
    static const char sql[] = "SELECT " TERM_COLS "FROM terms t WHERE t.taxonomy = ?1 AND t.slug = ?2";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, term_taxonomy_name(tax));
    db_bind_text(st, 2, slug);
    return one_term(db, st, out);
}

int db_term_get_by_name(struct db *db, enum term_taxonomy tax, const char *name, struct term *out)
{
    static const char sql[] =
        "SELECT " TERM_COLS "FROM terms t WHERE t.taxonomy = ?1 AND t.name = ?2 COLLATE NOCASE ORDER BY t.id LIMIT 1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, term_taxonomy_name(tax));
    db_bind_text(st, 2, name);
    return one_term(db, st, out);
}

int db_term_list(struct db *db, enum term_taxonomy tax, int64_t now, struct term_list *out)
{
    static const char sql[] = "SELECT " TERM_COLS ", (SELECT count(*) FROM post_terms pt JOIN posts p ON p.id = "
                              "pt.post_id WHERE pt.term_id = t.id AND p.type = 'post' AND " PUBLIC ") "
                              "FROM terms t WHERE t.taxonomy = ?2 ORDER BY t.name COLLATE NOCASE, t.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    db_bind_text(st, 2, term_taxonomy_name(tax));
    return many_terms(db, st, out);
}

int db_post_set_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, const int64_t *ids, size_t n)
{
    static const char sql_del[] = "DELETE FROM post_terms WHERE post_id = ?1 AND term_id IN "
                                  "(SELECT id FROM terms WHERE taxonomy = ?2)";
    static const char sql_add[] = "INSERT OR IGNORE INTO post_terms (post_id, term_id) "
                                  "SELECT ?1, id FROM terms WHERE id = ?2 AND taxonomy = ?3";
    int ret = db_begin(db);
    if (ret < 0)
        return ret;
    sqlite3_stmt *st = db_stmt(db, sql_del);
    if (st == NULL) {
        ret = -EIO;
        goto out;
    }
    sqlite3_bind_int64(st, 1, post_id);
    db_bind_text(st, 2, term_taxonomy_name(tax));
    if ((ret = db_exec_stmt(db, st)) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if ((st = db_stmt(db, sql_add)) == NULL) {
            ret = -EIO;
            goto out;
        }
        sqlite3_bind_int64(st, 1, post_id);
        sqlite3_bind_int64(st, 2, ids[i]);
        db_bind_text(st, 3, term_taxonomy_name(tax));
        if ((ret = db_exec_stmt(db, st)) < 0)
            goto out;
    }
out:
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

int db_post_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, struct term_list *out)
{
    static const char sql[] = "SELECT " TERM_COLS "FROM terms t JOIN post_terms pt ON pt.term_id = t.id "
                              "WHERE pt.post_id = ?1 AND t.taxonomy = ?2 ORDER BY t.name COLLATE NOCASE, t.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    db_bind_text(st, 2, term_taxonomy_name(tax));
    return many_terms(db, st, out);
}
