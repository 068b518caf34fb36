/* The SQLite backend for posts, pages, categories and tags. Public reads carry the rule
 * "status published and published_at <= now" in their SQL, so nothing hidden is ever loaded. */
#include <errno.h>

#include "db/sqlite_int.h"

#define PUBLIC "p.status = 'published' AND p.published_at <= ?1 "

void db_read_post(sqlite3_stmt *st, struct post *p)
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
        db_read_post(st, out);
    else if (rc == SQLITE_DONE)
        ret = -ENOENT;
    else
        ret = db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

int db_many_posts(struct db *db, sqlite3_stmt *st, struct post_list *out)
{
    struct post_list l = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        db_read_post(st, db_list_push((void **)&l.items, &l.n, sizeof(struct post)));
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
    /* Two index probes each, so that the posts sharing a publish time are never stepped over:
     * the neighbour at the same time by id, else the nearest time (p is public: its time is due). */
    static const char sql_prev[] =
        "SELECT " POST_COLS("NULL") "WHERE p.id = COALESCE("
                                    "(SELECT id FROM posts WHERE type = 'post' AND status = 'published' AND "
                                    "published_at = ?2 AND id < ?3 ORDER BY id DESC LIMIT 1), "
                                    "(SELECT id FROM posts WHERE type = 'post' AND status = 'published' AND "
                                    "published_at < ?2 AND published_at <= ?1 ORDER BY published_at DESC, id DESC "
                                    "LIMIT 1))";
    static const char sql_next[] =
        "SELECT " POST_COLS("NULL") "WHERE p.id = COALESCE("
                                    "(SELECT id FROM posts WHERE type = 'post' AND status = 'published' AND "
                                    "published_at = ?2 AND id > ?3 AND ?2 <= ?1 ORDER BY id LIMIT 1), "
                                    "(SELECT id FROM posts WHERE type = 'post' AND status = 'published' AND "
                                    "published_at > ?2 AND published_at <= ?1 ORDER BY published_at, id LIMIT 1))";
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
    return db_many_posts(db, st, out);
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
    /* the kept count of published posts, less those dated after now (few: they come from
     * post_terms_public's index range) */
    static const char sql[] = "SELECT " TERM_COLS ", IFNULL((SELECT c.n FROM post_counts c WHERE c.list = 2 AND "
                              "c.key = t.id AND c.level = 0 AND c.bucket = 0), 0) - (SELECT count(*) FROM "
                              "post_terms pt WHERE pt.term_id = t.id AND pt.published_at > ?1) "
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
    static const char sql[] = "SELECT " TERM_COLS "FROM post_terms pt CROSS JOIN terms t ON t.id = pt.term_id "
                              "WHERE pt.post_id = ?1 AND t.taxonomy = ?2 ORDER BY t.name COLLATE NOCASE, t.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    db_bind_text(st, 2, term_taxonomy_name(tax));
    return many_terms(db, st, out);
}
