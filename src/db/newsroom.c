/* The newsroom's storage: sessions, failed logins, revisions, and the filtered lists
 * and per-status counts of posts and comments. Lists select ids with their filter and then read
 * each row through db_post_get / db_comment_get, so there is one reader per record type. */
#include <errno.h>

#include "db/newsroom.h"
#include "db/db_int.h"

/* ---- sessions -------------------------------------------------------------------------- */

int db_session_insert(struct db *db, const unsigned char hash[DB_SESSION_HASH], int64_t user_id, int64_t created_at,
                      int64_t expires_at)
{
    static const char sql[] =
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_blob(st, 1, hash, DB_SESSION_HASH);
    sql_bind_int64(st, 2, user_id);
    sql_bind_int64(st, 3, created_at);
    sql_bind_int64(st, 4, expires_at);
    return sql_run(st);
}

int db_session_user(struct db *db, const unsigned char hash[DB_SESSION_HASH], int64_t now, struct user *out)
{
    static const char sql[] = "SELECT user_id FROM sessions WHERE token_hash = ?1 AND expires_at > ?2";
    int64_t uid;
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_blob(st, 1, hash, DB_SESSION_HASH);
    sql_bind_int64(st, 2, now);
    int ret = sql_one_int(st, &uid);
    if (ret < 0)
        return ret;
    return db_user_get(db, uid, out);
}

int db_session_delete(struct db *db, const unsigned char hash[DB_SESSION_HASH])
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_blob(st, 1, hash, DB_SESSION_HASH);
    return sql_run(st);
}

int db_session_delete_user(struct db *db, int64_t user_id)
{
    static const char sql[] = "DELETE FROM sessions WHERE user_id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, user_id);
    return sql_run(st);
}

int db_session_purge(struct db *db, int64_t now, int64_t before)
{
    static const char sql_s[] = "DELETE FROM sessions WHERE expires_at <= ?1";
    static const char sql_f[] = "DELETE FROM login_failures WHERE at < ?1";
    struct sql_stmt *st = sql_prepare(db, sql_s);
    sql_bind_int64(st, 1, now);
    int ret = sql_run(st);
    if (ret < 0)
        return ret;
    st = sql_prepare(db, sql_f);
    sql_bind_int64(st, 1, before);
    return sql_run(st);
}

/* ---- failed logins --------------------------------------------------------------------- */

int db_login_failure_add(struct db *db, const char *key, int64_t at)
{
    static const char sql[] = "INSERT INTO login_failures (key, at) VALUES (?1, ?2)";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, key);
    sql_bind_int64(st, 2, at);
    return sql_run(st);
}

int db_login_failure_count(struct db *db, const char *key, int64_t since, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM login_failures WHERE key = ?1 AND at >= ?2";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, key);
    sql_bind_int64(st, 2, since);
    return sql_one_int(st, out);
}

int db_login_failure_clear(struct db *db, const char *key)
{
    static const char sql[] = "DELETE FROM login_failures WHERE key = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, key);
    return sql_run(st);
}

/* ---- revisions ------------------------------------------------------------------------- */

void revision_clear(struct revision *r)
{
    if (r == NULL)
        return;
    free(r->user_name);
    free(r->title);
    free(r->body);
    memset(r, 0, sizeof(*r));
}

void revision_list_free(struct revision_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        revision_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

#define REVISION_COLS(BODY)                                                                                            \
    "r.id, r.post_id, COALESCE(r.user_id, 0), COALESCE(u.display_name, ''), r.created_at, r.title, " BODY ", "         \
    "r.format, r.as_written, r.kind FROM revisions r LEFT JOIN users u ON u.id = r.user_id "

static const char *const revision_kinds[] = {"save", "original", "autosave"}; /* by enum revision_kind */

static void read_revision(struct sql_stmt *st, struct revision *r)
{
    memset(r, 0, sizeof(*r));
    r->id = sql_int64(st, 0);
    r->post_id = sql_int64(st, 1);
    r->user_id = sql_int64(st, 2);
    r->user_name = sql_str0(st, 3);
    r->created_at = sql_int64(st, 4);
    r->title = sql_str0(st, 5);
    r->body = sql_str(st, 6);
    const char *s = sql_text(st, 7);
    if (s == NULL || post_format_parse(s, &r->format) < 0)
        r->format = POST_FORMAT_MARKDOWN;
    r->as_written = sql_int64(st, 8) != 0;
    s = sql_text(st, 9);
    r->kind = REVISION_SAVE;
    for (size_t i = 0; s != NULL && i < sizeof(revision_kinds) / sizeof(revision_kinds[0]); i++)
        if (strcmp(s, revision_kinds[i]) == 0)
            r->kind = (enum revision_kind)i;
}

int db_revision_insert(struct db *db, struct revision *r)
{
    static const char sql[] =
        "INSERT INTO revisions (post_id, user_id, created_at, title, body, format, as_written, kind) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, r->post_id);
    sql_bind_id(st, 2, r->user_id);
    sql_bind_int64(st, 3, r->created_at);
    sql_bind_text(st, 4, r->title ? r->title : "");
    sql_bind_text(st, 5, r->body ? r->body : "");
    sql_bind_text(st, 6, post_format_name(r->format));
    sql_bind_int64(st, 7, r->format == POST_FORMAT_HTML && r->as_written);
    sql_bind_text(st, 8, revision_kinds[r->kind]);
    int64_t id;
    int ret = sql_one_int(st, &id);
    if (ret == 0)
        r->id = id;
    return ret == -ENOENT ? -EIO : ret;
}

int db_revision_get(struct db *db, int64_t id, struct revision *out)
{
    static const char sql[] = "SELECT " REVISION_COLS("r.body") "WHERE r.id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    int rc = sql_step(st), ret = 0;
    if (rc == SQL_ROW)
        read_revision(st, out);
    else if (rc == SQL_DONE)
        ret = -ENOENT;
    else
        ret = rc;
    sql_reset(st);
    return ret;
}

int db_revision_list(struct db *db, int64_t post_id, size_t limit, struct revision_list *out)
{
    static const char sql[] = "SELECT " REVISION_COLS("NULL") "WHERE r.post_id = ?1 ORDER BY r.id DESC LIMIT ?2";
    struct revision_list l = {0};
    int rc;
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    sql_bind_int64(st, 2, (int64_t)limit);
    while ((rc = sql_step(st)) == SQL_ROW)
        read_revision(st, db_list_push((void **)&l.items, &l.n, sizeof(struct revision)));
    sql_reset(st);
    if (rc < 0) {
        revision_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

int db_revision_count(struct db *db, int64_t post_id, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM revisions WHERE post_id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    return sql_one_int(st, out);
}

int db_revision_delete_autosaves(struct db *db, int64_t post_id, int64_t user_id)
{
    static const char sql[] =
        "DELETE FROM revisions WHERE post_id = ?1 AND kind = 'autosave' AND user_id IS NOT DISTINCT FROM ?2";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    sql_bind_id(st, 2, user_id);
    return sql_run(st);
}

/* ---- the newsroom's post lists --------------------------------------------------------- */

/* One WHERE clause for lists and counts: every filter is a bound parameter that can be "off". */
#define FILTER                                                                                                         \
    "FROM posts p WHERE p.type = ?1 "                                                                                  \
    "AND ((?2 = '' AND p.status <> 'trash') OR p.status = ?2) "                                                        \
    "AND (?3 = 0 OR p.author_id = ?3) "                                                                                \
    "AND (?4 = 0 OR EXISTS (SELECT 1 FROM post_terms pt WHERE pt.post_id = p.id AND pt.term_id = ?4)) "                \
    "AND (?5 = '' OR lower(p.title) LIKE lower(?5) ESCAPE '!') "

static void bind_filter(struct sql_stmt *st, const struct post_filter *f)
{
    sql_bind_text(st, 1, post_type_name(f->type));
    sql_bind_text(st, 2, f->status < 0 ? "" : post_status_name((enum post_status)f->status));
    sql_bind_int64(st, 3, f->author_id);
    sql_bind_int64(st, 4, f->term_id);
    /* titles containing the words: a LIKE pattern with %, _ and the escape itself escaped */
    const char *q = f->search ? f->search : "";
    size_t n = strlen(q);
    if (n == 0) {
        sql_bind_text(st, 5, "");
        return;
    }
    char *like = db_xmalloc(2 * n + 3), *w = like;
    *w++ = '%';
    for (size_t i = 0; i < n; i++) {
        if (q[i] == '%' || q[i] == '_' || q[i] == '!')
            *w++ = '!';
        *w++ = q[i];
    }
    *w++ = '%';
    sql_bind_textn(st, 5, like, (size_t)(w - like));
    free(like);
}

int db_post_list_filtered(struct db *db, const struct post_filter *f, struct post_list *out)
{
    /* the page's ids from the filter, then those posts (FILTER's p is the inner posts) */
    static const char sql[] = "SELECT " POST_COLS("NULL") "WHERE p.id IN (SELECT p.id " FILTER
                                                          "ORDER BY p.published_at DESC, p.id DESC LIMIT ?6 OFFSET ?7) "
                                                          "ORDER BY p.published_at DESC, p.id DESC";
    struct sql_stmt *st = sql_prepare(db, sql);
    bind_filter(st, f);
    sql_bind_int64(st, 6, (int64_t)f->limit);
    sql_bind_int64(st, 7, (int64_t)f->offset);
    return db_many_posts(st, out);
}

int db_post_count_filtered(struct db *db, const struct post_filter *f, int64_t *out)
{
    static const char sql[] = "SELECT count(*) " FILTER;
    struct sql_stmt *st = sql_prepare(db, sql);
    bind_filter(st, f);
    return sql_one_int(st, out);
}

int db_post_status_counts(struct db *db, enum post_type type, int64_t author_id, int64_t counts[6])
{
    static const char sql[] = "SELECT status, count(*) FROM posts WHERE type = ?1 AND (?2 = 0 OR author_id = ?2) "
                              "GROUP BY status";
    int64_t c[6] = {0};
    int rc;
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, post_type_name(type));
    sql_bind_int64(st, 2, author_id);
    while ((rc = sql_step(st)) == SQL_ROW) {
        enum post_status s;
        const char *name = sql_text(st, 0);
        if (name != NULL && post_status_parse(name, &s) == 0 && (int)s >= 0 && (int)s < 6)
            c[s] = sql_int64(st, 1);
    }
    sql_reset(st);
    if (rc < 0)
        return rc;
    memcpy(counts, c, sizeof(c));
    return 0;
}

int db_post_delete(struct db *db, int64_t id)
{
    static const char sql[] = "DELETE FROM posts WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    return sql_run_one(st);
}

int db_post_title(struct db *db, int64_t id, char **out)
{
    static const char sql[] = "SELECT title FROM posts WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    return sql_one_text(st, out);
}

/* ---- the comment queue ----------------------------------------------------------------- */

int db_comment_list_status(struct db *db, enum comment_status status, size_t offset, size_t limit,
                           struct comment_list *out)
{
    static const char sql[] = "SELECT id FROM comments WHERE status = ?1 ORDER BY created_at DESC, id DESC "
                              "LIMIT ?2 OFFSET ?3";
    int64_t *ids = NULL;
    size_t n = 0;
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, comment_status_name(status));
    sql_bind_int64(st, 2, (int64_t)limit);
    sql_bind_int64(st, 3, (int64_t)offset);
    int ret = db_many_ids(st, &ids, &n);
    if (ret == 0)
        ret = db_comments_of(db, ids, n, out);
    free(ids);
    return ret;
}

int db_comment_status_counts(struct db *db, int64_t counts[4])
{
    static const char sql[] = "SELECT status, count(*) FROM comments GROUP BY status";
    int64_t c[4] = {0};
    int rc;
    struct sql_stmt *st = sql_prepare(db, sql);
    while ((rc = sql_step(st)) == SQL_ROW) {
        enum comment_status s;
        const char *name = sql_text(st, 0);
        if (name != NULL && comment_status_parse(name, &s) == 0 && (int)s >= 0 && (int)s < 4)
            c[s] = sql_int64(st, 1);
    }
    sql_reset(st);
    if (rc < 0)
        return rc;
    memcpy(counts, c, sizeof(c));
    return 0;
}

int db_comment_update(struct db *db, const struct comment *c)
{
    static const char sql[] = "UPDATE comments SET author = ?2, email = ?3, url = ?4, body = ?5 WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, c->id);
    sql_bind_text(st, 2, c->author ? c->author : "");
    sql_bind_text(st, 3, c->email ? c->email : "");
    sql_bind_text(st, 4, c->url ? c->url : "");
    sql_bind_text(st, 5, c->body ? c->body : "");
    return sql_run_one(st);
}

/* ---- users ----------------------------------------------------------------------------- */

void user_list_free(struct user_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        user_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int db_user_list(struct db *db, struct user_list *out)
{
    static const char sql[] = "SELECT id FROM users ORDER BY login";
    int64_t *ids = NULL;
    size_t n = 0;
    struct sql_stmt *st = sql_prepare(db, sql);
    int ret = db_many_ids(st, &ids, &n);
    if (ret == 0)
        ret = db_users_of(db, ids, n, out);
    free(ids);
    return ret;
}

int db_comment_delete(struct db *db, int64_t id)
{
    static const char sql[] = "DELETE FROM comments WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    return sql_run_one(st);
}
