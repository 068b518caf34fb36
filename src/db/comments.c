/* Comments. The public listing selects NULL for the email, IP and user agent, so those never
 * reach a page even by mistake. */
#include <errno.h>

#include "db/db_int.h"

/* PRIV is "c.email, c.ip, c.user_agent" or "NULL, NULL, NULL". */
#define COMMENT_SELECT(PRIV)                                                                                           \
    "c.id, c.post_id, COALESCE(c.parent_id, 0), c.status, c.type, c.author, " PRIV ", c.url, c.created_at, c.body, "   \
    "COALESCE(c.user_id, 0) "
#define COMMENT_COLS(PRIV) COMMENT_SELECT(PRIV) "FROM comments c "

static void read_comment(struct sql_stmt *st, struct comment *c)
{
    const char *s;
    memset(c, 0, sizeof(*c));
    c->id = sql_int64(st, 0);
    c->post_id = sql_int64(st, 1);
    c->parent_id = sql_int64(st, 2);
    s = sql_text(st, 3);
    if (s == NULL || comment_status_parse(s, &c->status) < 0)
        c->status = COMMENT_PENDING;
    s = sql_text(st, 4);
    if (s == NULL || comment_type_parse(s, &c->type) < 0)
        c->type = COMMENT_TYPE_COMMENT;
    c->author = sql_str0(st, 5);
    c->email = sql_str(st, 6);
    c->ip = sql_str(st, 7);
    c->user_agent = sql_str(st, 8);
    c->url = sql_str0(st, 9);
    c->created_at = sql_int64(st, 10);
    c->body = sql_str0(st, 11);
    c->user_id = sql_int64(st, 12);
}

static int many_comments(struct sql_stmt *st, struct comment_list *out)
{
    struct comment_list l = {0};
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        read_comment(st, db_list_push((void **)&l.items, &l.n, sizeof(struct comment)));
    sql_reset(st);
    if (rc < 0) {
        comment_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

int db_comment_insert(struct db *db, struct comment *c)
{
    static const char sql[] = "INSERT INTO comments (post_id, parent_id, status, type, author, email, url, ip, "
                              "user_agent, created_at, body, user_id) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, c->post_id);
    sql_bind_id(st, 2, c->parent_id);
    sql_bind_text_static(st, 3, comment_status_name(c->status));
    sql_bind_text_static(st, 4, comment_type_name(c->type));
    sql_bind_text_static(st, 5, c->author ? c->author : "");
    sql_bind_text_static(st, 6, c->email ? c->email : "");
    sql_bind_text_static(st, 7, c->url ? c->url : "");
    sql_bind_text_static(st, 8, c->ip ? c->ip : "");
    sql_bind_text_static(st, 9, c->user_agent ? c->user_agent : "");
    sql_bind_int64(st, 10, c->created_at);
    sql_bind_text_static(st, 11, c->body ? c->body : "");
    sql_bind_id(st, 12, c->user_id);
    int64_t id;
    int ret = sql_one_int(st, &id);
    if (ret == 0)
        c->id = id;
    return ret == -ENOENT ? -EIO : ret;
}

/* The comment of a statement selecting one by id (?1). */
static int one_comment(struct db *db, const char *sql, int64_t id, struct comment *out)
{
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    int rc = sql_step(st), ret = 0;
    if (rc == SQL_ROW)
        read_comment(st, out);
    else if (rc == SQL_DONE)
        ret = -ENOENT;
    else
        ret = rc;
    sql_reset(st);
    return ret;
}

int db_comment_get(struct db *db, int64_t id, struct comment *out)
{
    static const char sql[] = "SELECT " COMMENT_COLS("c.email, c.ip, c.user_agent") "WHERE c.id = ?1";
    return one_comment(db, sql, id, out);
}

int db_comment_nodes(struct db *db, int64_t post_id, struct comment_node **out, size_t *n)
{
    static const char sql[] = "SELECT c.id, COALESCE(c.parent_id, 0) FROM comments c "
                              "WHERE c.post_id = ?1 AND c.status = 'approved' ORDER BY c.created_at, c.id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    struct comment_node *items = NULL;
    size_t k = 0;
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct comment_node *e = db_list_push((void **)&items, &k, sizeof(*items));
        e->id = sql_int64(st, 0);
        e->parent_id = sql_int64(st, 1);
    }
    sql_reset(st);
    if (rc < 0) {
        free(items);
        return rc;
    }
    *out = items;
    *n = k;
    return 0;
}

int db_comment_list_ids(struct db *db, int64_t post_id, const int64_t *ids, size_t n, struct comment_list *out)
{
    static const struct sql_text sql =
        DB_BY_IDS_IN_ORDER(2, "SELECT " COMMENT_SELECT("NULL, NULL, NULL") "FROM ",
                           "CROSS JOIN comments c ON c.id = j.value WHERE c.post_id = ?1 AND c.status = 'approved'");
    struct sql_stmt *st = sql_prepare_text(db, &sql);
    sql_bind_int64(st, 1, post_id);
    db_bind_ids(st, 2, ids, n);
    return many_comments(st, out);
}

int db_comments_of(struct db *db, const int64_t *ids, size_t n, struct comment_list *out)
{
    static const struct sql_text sql = DB_BY_IDS_IN_ORDER(
        1, "SELECT " COMMENT_SELECT("c.email, c.ip, c.user_agent") "FROM ", "CROSS JOIN comments c ON c.id = j.value");
    struct sql_stmt *st = sql_prepare_text(db, &sql);
    db_bind_ids(st, 1, ids, n);
    return many_comments(st, out);
}

/* The public listing's rule for the post of a comment: published, due, no password. */
#define RECENT_POST "p.status = 'published' AND p.published_at <= ?2 AND COALESCE(p.password, '') = '' "

int db_comment_list_recent(struct db *db, int64_t post_id, int64_t now, size_t limit, struct comment_list *out)
{
    /* the newest approved comments from an index in that order; each one's post is looked up */
    static const char sql_all[] =
        "SELECT " COMMENT_SELECT("NULL, NULL, NULL") "FROM comments c CROSS JOIN posts p ON p.id = c.post_id "
                                                     "WHERE c.status = 'approved' AND " RECENT_POST
                                                     "ORDER BY c.created_at DESC, c.id DESC LIMIT ?3";
    static const char sql_post[] =
        "SELECT " COMMENT_SELECT("NULL, NULL, NULL") "FROM comments c CROSS JOIN posts p ON p.id = c.post_id "
                                                     "WHERE c.post_id = ?1 AND c.status = 'approved' AND " RECENT_POST
                                                     "ORDER BY c.created_at DESC, c.id DESC LIMIT ?3";
    struct sql_stmt *st = sql_prepare(db, post_id == 0 ? sql_all : sql_post);
    sql_bind_int64(st, 1, post_id);
    sql_bind_int64(st, 2, now);
    sql_bind_int64(st, 3, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    return many_comments(st, out);
}

int db_comment_list_public(struct db *db, int64_t post_id, int64_t now, size_t offset, size_t limit,
                           struct comment_list *out)
{
    static const char sql[] =
        "SELECT " COMMENT_SELECT("NULL, NULL, NULL") "FROM comments c CROSS JOIN posts p ON p.id = c.post_id "
                                                     "WHERE c.post_id = ?1 AND c.status = 'approved' AND " RECENT_POST
                                                     "ORDER BY c.created_at DESC, c.id DESC LIMIT ?3 OFFSET ?4";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    sql_bind_int64(st, 2, now);
    sql_bind_int64(st, 3, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    sql_bind_int64(st, 4, offset > INT64_MAX ? INT64_MAX : (int64_t)offset);
    return many_comments(st, out);
}

int db_comment_recent_ids(struct db *db, int64_t now, size_t max, int64_t **ids, size_t *n)
{
    static const char sql[] =
        "SELECT c.id FROM comments c CROSS JOIN posts p ON p.id = c.post_id "
        "WHERE c.status = 'approved' AND " RECENT_POST "ORDER BY c.created_at DESC, c.id DESC LIMIT ?3";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 2, now);
    sql_bind_int64(st, 3, max > INT64_MAX ? INT64_MAX : (int64_t)max);
    return db_many_ids(st, ids, n);
}

int db_comment_get_public(struct db *db, int64_t id, struct comment *out)
{
    static const char sql[] = "SELECT " COMMENT_COLS("NULL, NULL, NULL") "WHERE c.id = ?1";
    return one_comment(db, sql, id, out);
}

int db_comment_list_all(struct db *db, int64_t post_id, struct comment_list *out)
{
    static const char sql[] =
        "SELECT " COMMENT_COLS("c.email, c.ip, c.user_agent") "WHERE ?1 = 0 OR c.post_id = ?1 ORDER BY c.id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    return many_comments(st, out);
}

int db_comment_set_status(struct db *db, int64_t id, enum comment_status status)
{
    static const char sql[] = "UPDATE comments SET status = ?2 WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    sql_bind_text(st, 2, comment_status_name(status));
    return sql_run_one(st);
}

int db_comment_count_approved(struct db *db, int64_t post_id, int64_t *out)
{
    static const char sql[] = "SELECT COALESCE((SELECT approved FROM comment_counts WHERE post_id = ?1), 0)";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    return sql_one_int(st, out);
}

int db_comment_last_from_ip(struct db *db, const char *ip, int64_t *out)
{
    static const char sql[] = "SELECT max(created_at) FROM comments WHERE ip = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, ip);
    return sql_one_int(st, out);
}

int db_comment_duplicate(struct db *db, int64_t post_id, const char *author, const char *email, const char *body,
                         int *out)
{
    /* as WordPress: the same body on the same post from the same name or the same email; two
     * index lookups (by name, by email), not a pass over every comment of the post */
    static const char sql[] = "SELECT 1 FROM comments WHERE author = ?2 AND post_id = ?1 AND body = ?4 "
                              "AND status != 'trash' UNION ALL "
                              "SELECT 1 FROM comments WHERE ?3 != '' AND email = ?3 COLLATE NOCASE AND post_id = ?1 "
                              "AND body = ?4 AND status != 'trash' LIMIT 1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    sql_bind_text(st, 2, author);
    sql_bind_text(st, 3, email ? email : "");
    sql_bind_text(st, 4, body);
    int64_t one;
    int ret = sql_one_int(st, &one);
    if (ret == 0 || ret == -ENOENT) {
        *out = ret == 0;
        ret = 0;
    }
    return ret;
}

int db_comment_author_known(struct db *db, const char *author, const char *email, int *out)
{
    static const char sql[] = "SELECT 1 FROM comments WHERE author = ?1 AND email = ?2 COLLATE NOCASE "
                              "AND status = 'approved' LIMIT 1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, author);
    sql_bind_text(st, 2, email);
    int64_t one;
    int ret = sql_one_int(st, &one);
    if (ret == 0 || ret == -ENOENT) {
        *out = ret == 0;
        ret = 0;
    }
    return ret;
}
