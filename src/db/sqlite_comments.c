/* The SQLite backend for comments. The public listing selects NULL for the email, IP and user
 * agent, so those never reach a page even by mistake. */
#include <errno.h>
#include <stdio.h>

#include "db/sqlite_int.h"

/* PRIV is "c.email, c.ip, c.user_agent" or "NULL, NULL, NULL". */
#define COMMENT_SELECT(PRIV)                                                                                           \
    "c.id, c.post_id, IFNULL(c.parent_id, 0), c.status, c.type, c.author, " PRIV ", c.url, c.created_at, c.body, "     \
    "IFNULL(c.user_id, 0) "
#define COMMENT_COLS(PRIV) COMMENT_SELECT(PRIV) "FROM comments c "

static void read_comment(sqlite3_stmt *st, struct comment *c)
{
    const char *s;
    memset(c, 0, sizeof(*c));
    c->id = sqlite3_column_int64(st, 0);
    c->post_id = sqlite3_column_int64(st, 1);
    c->parent_id = sqlite3_column_int64(st, 2);
    s = (const char *)sqlite3_column_text(st, 3);
    if (s == NULL || comment_status_parse(s, &c->status) < 0)
        c->status = COMMENT_PENDING;
    s = (const char *)sqlite3_column_text(st, 4);
    if (s == NULL || comment_type_parse(s, &c->type) < 0)
        c->type = COMMENT_TYPE_COMMENT;
    c->author = db_col_str0(st, 5);
    c->email = db_col_str(st, 6);
    c->ip = db_col_str(st, 7);
    c->user_agent = db_col_str(st, 8);
    c->url = db_col_str0(st, 9);
    c->created_at = sqlite3_column_int64(st, 10);
    c->body = db_col_str0(st, 11);
    c->user_id = sqlite3_column_int64(st, 12);
}

static int many_comments(struct db *db, sqlite3_stmt *st, struct comment_list *out)
{
    struct comment_list l = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_comment(st, db_list_push((void **)&l.items, &l.n, sizeof(struct comment)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        comment_list_free(&l);
        return db_fail(db, rc);
    }
    *out = l;
    return 0;
}

int db_comment_insert(struct db *db, struct comment *c)
{
    static const char sql[] = "INSERT INTO comments (post_id, parent_id, status, type, author, email, url, ip, "
                              "user_agent, created_at, body, user_id) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, c->post_id);
    db_bind_id(st, 2, c->parent_id);
    db_bind_text_static(st, 3, comment_status_name(c->status));
    db_bind_text_static(st, 4, comment_type_name(c->type));
    db_bind_text_static(st, 5, c->author ? c->author : "");
    db_bind_text_static(st, 6, c->email ? c->email : "");
    db_bind_text_static(st, 7, c->url ? c->url : "");
    db_bind_text_static(st, 8, c->ip ? c->ip : "");
    db_bind_text_static(st, 9, c->user_agent ? c->user_agent : "");
    sqlite3_bind_int64(st, 10, c->created_at);
    db_bind_text_static(st, 11, c->body ? c->body : "");
    db_bind_id(st, 12, c->user_id);
    int ret = db_exec_stmt(db, st);
    if (ret == 0)
        c->id = sqlite3_last_insert_rowid(db->h);
    return ret;
}

int db_comment_get(struct db *db, int64_t id, struct comment *out)
{
    static const char sql[] = "SELECT " COMMENT_COLS("c.email, c.ip, c.user_agent") "WHERE c.id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW)
        read_comment(st, out);
    else if (rc == SQLITE_DONE)
        ret = -ENOENT;
    else
        ret = db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

int db_comment_nodes(struct db *db, int64_t post_id, struct comment_node **out, size_t *n)
{
    static const char sql[] = "SELECT c.id, IFNULL(c.parent_id, 0) FROM comments c "
                              "WHERE c.post_id = ?1 AND c.status = 'approved' ORDER BY c.created_at, c.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    struct comment_node *items = NULL;
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct comment_node *e = db_list_push((void **)&items, &k, sizeof(*items));
        e->id = sqlite3_column_int64(st, 0);
        e->parent_id = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(items);
        return db_fail(db, rc);
    }
    *out = items;
    *n = k;
    return 0;
}

int db_comment_list_ids(struct db *db, int64_t post_id, const int64_t *ids, size_t n, struct comment_list *out)
{
    /* the ids go in as one JSON array, read by json_each in order */
    static const char sql[] = "SELECT " COMMENT_SELECT(
        "NULL, NULL, NULL") "FROM json_each(?2) j "
                            "CROSS JOIN comments c ON c.id = j.value WHERE c.post_id = ?1 AND c.status = 'approved'";
    char *json = db_xmalloc(n * 21 + 3), *w = json;
    *w++ = '[';
    for (size_t i = 0; i < n; i++)
        w += sprintf(w, "%s%lld", i ? "," : "", (long long)ids[i]);
    *w++ = ']';
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL) {
        free(json);
        return -EIO;
    }
    sqlite3_bind_int64(st, 1, post_id);
    sqlite3_bind_text(st, 2, json, (int)(w - json), free);
    return many_comments(db, st, out);
}

/* The public listing's rule for the post of a comment: published, due, no password. */
#define RECENT_POST "p.status = 'published' AND p.published_at <= ?2 AND IFNULL(p.password, '') = '' "

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
    sqlite3_stmt *st = db_stmt(db, post_id == 0 ? sql_all : sql_post);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    return many_comments(db, st, out);
}

int db_comment_list_all(struct db *db, int64_t post_id, struct comment_list *out)
{
    static const char sql[] =
        "SELECT " COMMENT_COLS("c.email, c.ip, c.user_agent") "WHERE ?1 = 0 OR c.post_id = ?1 ORDER BY c.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    return many_comments(db, st, out);
}

int db_comment_set_status(struct db *db, int64_t id, enum comment_status status)
{
    static const char sql[] = "UPDATE comments SET status = ?2 WHERE id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    db_bind_text(st, 2, comment_status_name(status));
    int ret = db_exec_stmt(db, st);
    if (ret == 0 && sqlite3_changes(db->h) == 0)
        ret = -ENOENT;
    return ret;
}

int db_comment_count_approved(struct db *db, int64_t post_id, int64_t *out)
{
    static const char sql[] = "SELECT IFNULL((SELECT approved FROM comment_counts WHERE post_id = ?1), 0)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    return db_step_int(db, st, out);
}

int db_comment_last_from_ip(struct db *db, const char *ip, int64_t *out)
{
    static const char sql[] = "SELECT max(created_at) FROM comments WHERE ip = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, ip);
    return db_step_int(db, st, out);
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
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    db_bind_text(st, 2, author);
    db_bind_text(st, 3, email ? email : "");
    db_bind_text(st, 4, body);
    int64_t one;
    int ret = db_step_int(db, st, &one);
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
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, author);
    db_bind_text(st, 2, email);
    int64_t one;
    int ret = db_step_int(db, st, &one);
    if (ret == 0 || ret == -ENOENT) {
        *out = ret == 0;
        ret = 0;
    }
    return ret;
}
