/* Posts, pages, categories and tags. Public reads carry the rule "status published and
 * published_at <= now" in their SQL, so nothing hidden is ever loaded. */
#include <errno.h>

#include "db/db_int.h"

#define PUBLIC "p.status = 'published' AND p.published_at <= ?1 "

void db_read_post(struct sql_stmt *st, struct post *p)
{
    const char *s;
    memset(p, 0, sizeof(*p));
    p->id = sql_int64(st, 0);
    s = sql_text(st, 1);
    if (s == NULL || post_type_parse(s, &p->type) < 0)
        p->type = POST_TYPE_POST;
    s = sql_text(st, 2);
    if (s == NULL || post_status_parse(s, &p->status) < 0)
        p->status = POST_DRAFT;
    p->title = sql_str0(st, 3);
    p->slug = sql_str0(st, 4);
    p->author_id = sql_int64(st, 5);
    p->author_login = sql_str0(st, 6);
    p->author_name = sql_str0(st, 7);
    s = sql_text(st, 8);
    if (s == NULL || post_format_parse(s, &p->format) < 0)
        p->format = POST_FORMAT_MARKDOWN;
    p->source = sql_str(st, 9);
    p->html = sql_str0(st, 10);
    p->excerpt = sql_str0(st, 11);
    p->sticky = sql_int64(st, 12) != 0;
    s = sql_text(st, 13);
    p->comments_open = s != NULL && strcmp(s, "open") == 0;
    p->password = sql_str(st, 14);
    p->parent_id = sql_int64(st, 15);
    p->published_at = sql_int64(st, 16);
    p->created_at = sql_int64(st, 17);
    p->modified_at = sql_int64(st, 18);
    p->version = sql_int64(st, 19);
    p->wp_id = sql_int64(st, 20);
    p->comment_count = sql_int64(st, 21);
    p->category_slug = sql_str(st, 22);
    p->as_written = sql_int64(st, 23) != 0;
    p->featured_id = sql_int64(st, 24);
}

/* Steps a statement expected to return at most one post. */
static int one_post(struct sql_stmt *st, struct post *out)
{
    int rc = sql_step(st), ret = 0;
    if (rc == SQL_ROW)
        db_read_post(st, out);
    else if (rc == SQL_DONE)
        ret = -ENOENT;
    else
        ret = rc;
    sql_reset(st);
    return ret;
}

int db_many_posts(struct sql_stmt *st, struct post_list *out)
{
    return db_many_posts_by(st, db_read_post, out);
}

int db_many_posts_by(struct sql_stmt *st, void (*read)(struct sql_stmt *st, struct post *p), struct post_list *out)
{
    struct post_list l = {0};
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        read(st, db_list_push((void **)&l.items, &l.n, sizeof(struct post)));
    sql_reset(st);
    if (rc < 0) {
        post_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

static void bind_post(struct sql_stmt *st, const struct post *p)
{
    sql_bind_text_static(st, 1, post_type_name(p->type));
    sql_bind_text_static(st, 2, post_status_name(p->status));
    sql_bind_text_static(st, 3, p->title ? p->title : "");
    sql_bind_text_static(st, 4, p->slug ? p->slug : "");
    sql_bind_int64(st, 5, p->author_id);
    sql_bind_text_static(st, 6, post_format_name(p->format));
    sql_bind_text_static(st, 7, p->source ? p->source : "");
    sql_bind_text_static(st, 8, p->html ? p->html : "");
    sql_bind_text_static(st, 9, p->excerpt ? p->excerpt : "");
    sql_bind_int64(st, 10, p->sticky != 0);
    sql_bind_text_static(st, 11, p->comments_open ? "open" : "closed");
    sql_bind_text_static(st, 12, p->password && p->password[0] ? p->password : NULL);
    sql_bind_id(st, 13, p->parent_id);
    sql_bind_int64(st, 14, p->published_at);
    sql_bind_int64(st, 15, p->created_at);
    sql_bind_int64(st, 16, p->modified_at);
    sql_bind_int64(st, 17, p->version > 0 ? p->version : 1);
    sql_bind_id(st, 18, p->wp_id);
    sql_bind_int64(st, 21, p->as_written != 0);
}

int db_post_insert(struct db *db, struct post *p)
{
    static const char sql[] =
        "INSERT INTO posts (type, status, title, slug, author_id, format, source, html, excerpt, sticky, "
        "comment_status, password, parent_id, published_at, created_at, modified_at, version, wp_id, as_written) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?21) RETURNING id";
    struct sql_stmt *st = sql_prepare(db, sql);
    bind_post(st, p);
    int64_t id;
    int ret = sql_one_int(st, &id);
    if (ret == 0) {
        p->id = id;
        if (p->version <= 0)
            p->version = 1;
    }
    return ret == -ENOENT ? -EIO : ret;
}

int db_post_update(struct db *db, const struct post *p, int64_t expect_version)
{
    static const char sql[] =
        "UPDATE posts SET type = ?1, status = ?2, title = ?3, slug = ?4, author_id = ?5, format = ?6, source = ?7, "
        "html = ?8, excerpt = ?9, sticky = ?10, comment_status = ?11, password = ?12, parent_id = ?13, "
        "published_at = ?14, created_at = ?15, modified_at = ?16, version = version + 1, wp_id = ?18, "
        "as_written = ?21 "
        "WHERE id = ?19 AND (?20 = 0 OR version = ?20)";
    struct sql_stmt *st = sql_prepare(db, sql);
    bind_post(st, p);
    sql_bind_int64(st, 19, p->id);
    sql_bind_int64(st, 20, expect_version);
    int ret = sql_run(st);
    if (ret == 0 && sql_changes(db) == 0) {
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
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    return one_post(st, out);
}

int db_post_slug_taken(struct db *db, enum post_type type, const char *slug, int64_t except_id, int *out)
{
    static const char sql[] = "SELECT 1 FROM posts WHERE type = ?1 AND slug = ?2 AND id != ?3";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, post_type_name(type));
    sql_bind_text(st, 2, slug);
    sql_bind_int64(st, 3, except_id);
    int rc = sql_step(st), ret = 0;
    if (rc >= 0)
        *out = rc == SQL_ROW;
    else
        ret = rc;
    sql_reset(st);
    return ret;
}

int db_post_find_public(struct db *db, enum post_type type, const char *slug, int64_t from, int64_t to, int64_t now,
                        struct post *out)
{
    static const char sql[] = "SELECT " POST_COLS(
        "p.source") "WHERE " PUBLIC "AND p.type = ?2 AND p.slug = ?3 AND p.published_at >= ?4 AND p.published_at < ?5";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, now);
    sql_bind_text(st, 2, post_type_name(type));
    sql_bind_text(st, 3, slug);
    sql_bind_int64(st, 4, from);
    sql_bind_int64(st, 5, to);
    return one_post(st, out);
}

int db_post_get_public(struct db *db, int64_t id, int64_t now, struct post *out)
{
    static const char sql[] = "SELECT " POST_COLS("p.source") "WHERE " PUBLIC "AND p.id = ?2";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, now);
    sql_bind_int64(st, 2, id);
    return one_post(st, out);
}

static int neighbour(struct db *db, const char *sql, const struct post *p, int64_t now, struct post *out)
{
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, now);
    sql_bind_int64(st, 2, p->published_at);
    sql_bind_int64(st, 3, p->id);
    int ret = one_post(st, out);
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
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, now);
    return sql_one_int(st, out);
}

int db_post_publish_due(struct db *db, int64_t now, int *count)
{
    static const char sql_any[] = "SELECT 1 FROM posts WHERE status = 'scheduled' AND published_at <= ?1 LIMIT 1";
    static const char sql[] = "UPDATE posts SET status = 'published', version = version + 1 "
                              "WHERE status = 'scheduled' AND published_at <= ?1";
    /* look first: the common answer is "nothing", and a read takes no write lock */
    struct sql_stmt *st = sql_prepare(db, sql_any);
    sql_bind_int64(st, 1, now);
    int rc = sql_step(st);
    sql_reset(st);
    if (rc == SQL_DONE) {
        *count = 0;
        return 0;
    }
    if (rc < 0)
        return rc;
    st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, now);
    int ret = sql_run(st);
    if (ret == 0)
        *count = (int)sql_changes(db);
    return ret;
}

int db_post_list_all(struct db *db, struct post_list *out)
{
    static const char sql[] = "SELECT " POST_COLS("NULL") "ORDER BY p.id";
    struct sql_stmt *st = sql_prepare(db, sql);
    return db_many_posts(st, out);
}

/* ---- terms ---------------------------------------------------------------------------- */

#define TERM_COLS "t.id, t.taxonomy, t.name, t.slug, COALESCE(t.parent_id, 0) "

/* TERM_COLS from column c on; counted: the statement selects the count after them. */
static void read_term_at(struct sql_stmt *st, int c, struct term *t, int counted)
{
    const char *s = sql_text(st, c + 1);
    memset(t, 0, sizeof(*t));
    t->id = sql_int64(st, c);
    if (s == NULL || term_taxonomy_parse(s, &t->taxonomy) < 0)
        t->taxonomy = TERM_TAG;
    t->name = sql_str0(st, c + 2);
    t->slug = sql_str0(st, c + 3);
    t->parent_id = sql_int64(st, c + 4);
    if (counted)
        t->count = sql_int64(st, c + 5);
}

static void read_term(struct sql_stmt *st, struct term *t, int counted)
{
    read_term_at(st, 0, t, counted);
}

static int one_term(struct sql_stmt *st, struct term *out)
{
    int rc = sql_step(st), ret = 0;
    if (rc == SQL_ROW)
        read_term(st, out, 0);
    else if (rc == SQL_DONE)
        ret = -ENOENT;
    else
        ret = rc;
    sql_reset(st);
    return ret;
}

static int many_terms(struct sql_stmt *st, int counted, struct term_list *out)
{
    struct term_list l = {0};
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        read_term(st, db_list_push((void **)&l.items, &l.n, sizeof(struct term)), counted);
    sql_reset(st);
    if (rc < 0) {
        term_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

int db_term_insert(struct db *db, struct term *t)
{
    static const char sql[] =
        "INSERT INTO terms (taxonomy, name, slug, parent_id) VALUES (?1, ?2, ?3, ?4) RETURNING id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, term_taxonomy_name(t->taxonomy));
    sql_bind_text(st, 2, t->name ? t->name : "");
    sql_bind_text(st, 3, t->slug ? t->slug : "");
    sql_bind_id(st, 4, t->parent_id);
    int64_t id;
    int ret = sql_one_int(st, &id);
    if (ret == 0)
        t->id = id;
    return ret == -ENOENT ? -EIO : ret;
}

int db_term_get(struct db *db, int64_t id, struct term *out)
{
    static const char sql[] = "SELECT " TERM_COLS "FROM terms t WHERE t.id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    return one_term(st, out);
}

int db_term_get_by_slug(struct db *db, enum term_taxonomy tax, const char *slug, struct term *out)
{
    static const char sql[] = "SELECT " TERM_COLS "FROM terms t WHERE t.taxonomy = ?1 AND t.slug = ?2";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, term_taxonomy_name(tax));
    sql_bind_text(st, 2, slug);
    return one_term(st, out);
}

int db_term_get_by_name(struct db *db, enum term_taxonomy tax, const char *name, struct term *out)
{
    static const char sql[] =
        "SELECT " TERM_COLS "FROM terms t WHERE t.taxonomy = ?1 AND t.name = ?2 COLLATE NOCASE ORDER BY t.id LIMIT 1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, term_taxonomy_name(tax));
    sql_bind_text(st, 2, name);
    return one_term(st, out);
}

int db_term_list(struct db *db, enum term_taxonomy tax, int64_t now, struct term_list *out)
{
    /* the kept count of published posts, less those dated after now (few: they come from
     * post_terms_public's index range) */
    static const char sql[] = "SELECT " TERM_COLS ", COALESCE((SELECT c.n FROM post_counts c WHERE c.list = 2 AND "
                              "c.key = t.id AND c.level = 0 AND c.bucket = 0), 0) - (SELECT count(*) FROM "
                              "post_terms pt WHERE pt.term_id = t.id AND pt.published_at > ?1) "
                              "FROM terms t WHERE t.taxonomy = ?2 ORDER BY t.name COLLATE NOCASE, t.id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, now);
    sql_bind_text(st, 2, term_taxonomy_name(tax));
    return many_terms(st, 1, out);
}

int db_post_set_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, const int64_t *ids, size_t n)
{
    static const char sql_del[] = "DELETE FROM post_terms WHERE post_id = ?1 AND term_id IN "
                                  "(SELECT id FROM terms WHERE taxonomy = ?2)";
    static const char sql_add[] = "INSERT INTO post_terms (post_id, term_id) "
                                  "SELECT ?1, id FROM terms WHERE id = ?2 AND taxonomy = ?3 ON CONFLICT DO NOTHING";
    int ret = db_begin(db);
    if (ret < 0)
        return ret;
    struct sql_stmt *st = sql_prepare(db, sql_del);
    sql_bind_int64(st, 1, post_id);
    sql_bind_text(st, 2, term_taxonomy_name(tax));
    if ((ret = sql_run(st)) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        st = sql_prepare(db, sql_add);
        sql_bind_int64(st, 1, post_id);
        sql_bind_int64(st, 2, ids[i]);
        sql_bind_text(st, 3, term_taxonomy_name(tax));
        if ((ret = sql_run(st)) < 0)
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
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    sql_bind_text(st, 2, term_taxonomy_name(tax));
    return many_terms(st, 0, out);
}

int db_post_terms_of(struct db *db, const int64_t *ids, size_t n, enum term_taxonomy tax, struct term_list *out)
{
    static const struct sql_text sql =
        DB_BY_IDS(1, "SELECT j.key, " TERM_COLS "FROM ",
                  "CROSS JOIN post_terms pt ON pt.post_id = j.value CROSS JOIN terms t ON t.id = pt.term_id "
                  "WHERE t.taxonomy = ?2 ORDER BY j.key, t.name COLLATE NOCASE, t.id");
    struct term_list *l = calloc(n ? n : 1, sizeof(*l));
    if (l == NULL)
        abort();
    struct sql_stmt *st = sql_prepare_text(db, &sql);
    db_bind_ids(st, 1, ids, n);
    sql_bind_text(st, 2, term_taxonomy_name(tax));
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        int64_t k = sql_int64(st, 0);
        if (k < 0 || (uint64_t)k >= n)
            continue;
        struct term *t = db_list_push((void **)&l[k].items, &l[k].n, sizeof(struct term));
        read_term_at(st, 1, t, 0);
    }
    sql_reset(st);
    if (rc < 0) {
        for (size_t i = 0; i < n; i++)
            term_list_free(&l[i]);
        free(l);
        return rc;
    }
    memcpy(out, l, n * sizeof(*l));
    free(l);
    return 0;
}
