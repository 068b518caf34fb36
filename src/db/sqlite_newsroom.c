/* The SQLite backend of the newsroom: sessions, failed logins, revisions, and the filtered lists
 * and per-status counts of posts and comments. Lists select ids with their filter and then read
 * each row through db_post_get / db_comment_get, so there is one reader per record type. */
#include <errno.h>

#include "db/newsroom.h"
#include "db/sqlite_int.h"

/* Collects column 0 of every row into a heap array of ids. */
static int many_ids(struct db *db, sqlite3_stmt *st, int64_t **ids, size_t *n)
{
    int64_t *v = NULL;
    size_t k = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *(int64_t *)db_list_push((void **)&v, &k, sizeof(int64_t)) = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return db_fail(db, rc);
    }
    *ids = v;
    *n = k;
    return 0;
}

/* ---- sessions -------------------------------------------------------------------------- */

int db_session_insert(struct db *db, const unsigned char hash[DB_SESSION_HASH], int64_t user_id, int64_t created_at,
                      int64_t expires_at)
{
    static const char sql[] =
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_blob(st, 1, hash, DB_SESSION_HASH, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, created_at);
    sqlite3_bind_int64(st, 4, expires_at);
    return db_exec_stmt(db, st);
}

int db_session_user(struct db *db, const unsigned char hash[DB_SESSION_HASH], int64_t now, struct user *out)
{
    static const char sql[] = "SELECT user_id FROM sessions WHERE token_hash = ?1 AND expires_at > ?2";
    int64_t uid;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_blob(st, 1, hash, DB_SESSION_HASH, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    int ret = db_step_int(db, st, &uid);
    if (ret < 0)
        return ret;
    return db_user_get(db, uid, out);
}

int db_session_delete(struct db *db, const unsigned char hash[DB_SESSION_HASH])
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_blob(st, 1, hash, DB_SESSION_HASH, SQLITE_TRANSIENT);
    return db_exec_stmt(db, st);
}

int db_session_delete_user(struct db *db, int64_t user_id)
{
    static const char sql[] = "DELETE FROM sessions WHERE user_id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, user_id);
    return db_exec_stmt(db, st);
}

int db_session_purge(struct db *db, int64_t now, int64_t before)
{
    static const char sql_s[] = "DELETE FROM sessions WHERE expires_at <= ?1";
    static const char sql_f[] = "DELETE FROM login_failures WHERE at < ?1";
    sqlite3_stmt *st = db_stmt(db, sql_s);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    int ret = db_exec_stmt(db, st);
    if (ret < 0)
        return ret;
    if ((st = db_stmt(db, sql_f)) == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, before);
    return db_exec_stmt(db, st);
}

/* ---- failed logins --------------------------------------------------------------------- */

int db_login_failure_add(struct db *db, const char *key, int64_t at)
{
    static const char sql[] = "INSERT INTO login_failures (key, at) VALUES (?1, ?2)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, at);
    return db_exec_stmt(db, st);
}

int db_login_failure_count(struct db *db, const char *key, int64_t since, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM login_failures WHERE key = ?1 AND at >= ?2";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, since);
    return db_step_int(db, st, out);
}

int db_login_failure_clear(struct db *db, const char *key)
{
    static const char sql[] = "DELETE FROM login_failures WHERE key = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, key);
    return db_exec_stmt(db, st);
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
    "r.id, r.post_id, IFNULL(r.user_id, 0), IFNULL(u.display_name, ''), r.created_at, r.title, " BODY ", "             \
    "r.format, r.as_written, r.kind FROM revisions r LEFT JOIN users u ON u.id = r.user_id "

static const char *const revision_kinds[] = {"save", "original", "autosave"}; /* by enum revision_kind */

static void read_revision(sqlite3_stmt *st, struct revision *r)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    r->post_id = sqlite3_column_int64(st, 1);
    r->user_id = sqlite3_column_int64(st, 2);
    r->user_name = db_col_str0(st, 3);
    r->created_at = sqlite3_column_int64(st, 4);
    r->title = db_col_str0(st, 5);
    r->body = db_col_str(st, 6);
    const char *s = (const char *)sqlite3_column_text(st, 7);
    if (s == NULL || post_format_parse(s, &r->format) < 0)
        r->format = POST_FORMAT_MARKDOWN;
    r->as_written = sqlite3_column_int(st, 8) != 0;
    s = (const char *)sqlite3_column_text(st, 9);
    r->kind = REVISION_SAVE;
    for (size_t i = 0; s != NULL && i < sizeof(revision_kinds) / sizeof(revision_kinds[0]); i++)
        if (strcmp(s, revision_kinds[i]) == 0)
            r->kind = (enum revision_kind)i;
}

int db_revision_insert(struct db *db, struct revision *r)
{
    static const char sql[] =
        "INSERT INTO revisions (post_id, user_id, created_at, title, body, format, as_written, kind) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, r->post_id);
    db_bind_id(st, 2, r->user_id);
    sqlite3_bind_int64(st, 3, r->created_at);
    db_bind_text(st, 4, r->title ? r->title : "");
    db_bind_text(st, 5, r->body ? r->body : "");
    db_bind_text(st, 6, post_format_name(r->format));
    sqlite3_bind_int(st, 7, r->format == POST_FORMAT_HTML && r->as_written);
    db_bind_text(st, 8, revision_kinds[r->kind]);
    int ret = db_exec_stmt(db, st);
    if (ret == 0)
        r->id = sqlite3_last_insert_rowid(db->h);
    return ret;
}

int db_revision_get(struct db *db, int64_t id, struct revision *out)
{
    static const char sql[] = "SELECT " REVISION_COLS("r.body") "WHERE r.id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW)
        read_revision(st, out);
    else if (rc == SQLITE_DONE)
        ret = -ENOENT;
    else
        ret = db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

int db_revision_list(struct db *db, int64_t post_id, size_t limit, struct revision_list *out)
{
    static const char sql[] = "SELECT " REVISION_COLS("NULL") "WHERE r.post_id = ?1 ORDER BY r.id DESC LIMIT ?2";
    struct revision_list l = {0};
    int rc;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    sqlite3_bind_int64(st, 2, (int64_t)limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_revision(st, db_list_push((void **)&l.items, &l.n, sizeof(struct revision)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        revision_list_free(&l);
        return db_fail(db, rc);
    }
    *out = l;
    return 0;
}

int db_revision_count(struct db *db, int64_t post_id, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM revisions WHERE post_id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    return db_step_int(db, st, out);
}

int db_revision_delete_autosaves(struct db *db, int64_t post_id, int64_t user_id)
{
    static const char sql[] = "DELETE FROM revisions WHERE post_id = ?1 AND kind = 'autosave' AND user_id IS ?2";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, post_id);
    db_bind_id(st, 2, user_id);
    return db_exec_stmt(db, st);
}

/* ---- the newsroom's post lists --------------------------------------------------------- */

/* One WHERE clause for lists and counts: every filter is a bound parameter that can be "off". */
#define FILTER                                                                                                         \
    "FROM posts p WHERE p.type = ?1 "                                                                                  \
    "AND ((?2 = '' AND p.status <> 'trash') OR p.status = ?2) "                                                        \
    "AND (?3 = 0 OR p.author_id = ?3) "                                                                                \
    "AND (?4 = 0 OR EXISTS (SELECT 1 FROM post_terms pt WHERE pt.post_id = p.id AND pt.term_id = ?4)) "                \
    "AND (?5 = '' OR instr(lower(p.title), lower(?5)) > 0) "

static void bind_filter(sqlite3_stmt *st, const struct post_filter *f)
{
    db_bind_text(st, 1, post_type_name(f->type));
    db_bind_text(st, 2, f->status < 0 ? "" : post_status_name((enum post_status)f->status));
    sqlite3_bind_int64(st, 3, f->author_id);
    sqlite3_bind_int64(st, 4, f->term_id);
    db_bind_text(st, 5, f->search ? f->search : "");
}

int db_post_list_filtered(struct db *db, const struct post_filter *f, struct post_list *out)
{
    static const char sql[] = "SELECT p.id " FILTER "ORDER BY p.published_at DESC, p.id DESC LIMIT ?6 OFFSET ?7";
    struct post_list l = {0};
    int64_t *ids = NULL;
    size_t n = 0;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    bind_filter(st, f);
    sqlite3_bind_int64(st, 6, (int64_t)f->limit);
    sqlite3_bind_int64(st, 7, (int64_t)f->offset);
    int ret = many_ids(db, st, &ids, &n);
    for (size_t i = 0; ret == 0 && i < n; i++) {
        struct post *p = db_list_push((void **)&l.items, &l.n, sizeof(struct post));
        if ((ret = db_post_get(db, ids[i], p)) < 0)
            l.n--;
        else {
            free(p->source);
            p->source = NULL;
        }
    }
    free(ids);
    if (ret < 0) {
        post_list_free(&l);
        return ret;
    }
    *out = l;
    return 0;
}

int db_post_count_filtered(struct db *db, const struct post_filter *f, int64_t *out)
{
    static const char sql[] = "SELECT count(*) " FILTER;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    bind_filter(st, f);
    return db_step_int(db, st, out);
}

int db_post_status_counts(struct db *db, enum post_type type, int64_t author_id, int64_t counts[6])
{
    static const char sql[] = "SELECT status, count(*) FROM posts WHERE type = ?1 AND (?2 = 0 OR author_id = ?2) "
                              "GROUP BY status";
    int64_t c[6] = {0};
    int rc;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, post_type_name(type));
    sqlite3_bind_int64(st, 2, author_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        enum post_status s;
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (name != NULL && post_status_parse(name, &s) == 0 && (int)s >= 0 && (int)s < 6)
            c[s] = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc);
    memcpy(counts, c, sizeof(c));
    return 0;
}

int db_post_delete(struct db *db, int64_t id)
{
    static const char sql[] = "DELETE FROM posts WHERE id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    int ret = db_exec_stmt(db, st);
    if (ret == 0 && sqlite3_changes(db->h) == 0)
        ret = -ENOENT;
    return ret;
}

int db_post_title(struct db *db, int64_t id, char **out)
{
    static const char sql[] = "SELECT title FROM posts WHERE id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    return db_step_text(db, st, out);
}

/* ---- the comment queue ----------------------------------------------------------------- */

int db_comment_list_status(struct db *db, enum comment_status status, size_t offset, size_t limit,
                           struct comment_list *out)
{
    static const char sql[] = "SELECT id FROM comments WHERE status = ?1 ORDER BY created_at DESC, id DESC "
                              "LIMIT ?2 OFFSET ?3";
    struct comment_list l = {0};
    int64_t *ids = NULL;
    size_t n = 0;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, comment_status_name(status));
    sqlite3_bind_int64(st, 2, (int64_t)limit);
    sqlite3_bind_int64(st, 3, (int64_t)offset);
    int ret = many_ids(db, st, &ids, &n);
    for (size_t i = 0; ret == 0 && i < n; i++) {
        struct comment *c = db_list_push((void **)&l.items, &l.n, sizeof(struct comment));
        if ((ret = db_comment_get(db, ids[i], c)) < 0)
            l.n--;
    }
    free(ids);
    if (ret < 0) {
        comment_list_free(&l);
        return ret;
    }
    *out = l;
    return 0;
}

int db_comment_status_counts(struct db *db, int64_t counts[4])
{
    static const char sql[] = "SELECT status, count(*) FROM comments GROUP BY status";
    int64_t c[4] = {0};
    int rc;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        enum comment_status s;
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (name != NULL && comment_status_parse(name, &s) == 0 && (int)s >= 0 && (int)s < 4)
            c[s] = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc);
    memcpy(counts, c, sizeof(c));
    return 0;
}

int db_comment_update(struct db *db, const struct comment *c)
{
    static const char sql[] = "UPDATE comments SET author = ?2, email = ?3, url = ?4, body = ?5 WHERE id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, c->id);
    db_bind_text(st, 2, c->author ? c->author : "");
    db_bind_text(st, 3, c->email ? c->email : "");
    db_bind_text(st, 4, c->url ? c->url : "");
    db_bind_text(st, 5, c->body ? c->body : "");
    int ret = db_exec_stmt(db, st);
    if (ret == 0 && sqlite3_changes(db->h) == 0)
        ret = -ENOENT;
    return ret;
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
    struct user_list l = {0};
    int64_t *ids = NULL;
    size_t n = 0;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    int ret = many_ids(db, st, &ids, &n);
    for (size_t i = 0; ret == 0 && i < n; i++) {
        struct user *u = db_list_push((void **)&l.items, &l.n, sizeof(struct user));
        if ((ret = db_user_get(db, ids[i], u)) < 0)
            l.n--;
    }
    free(ids);
    if (ret < 0) {
        user_list_free(&l);
        return ret;
    }
    *out = l;
    return 0;
}

int db_comment_delete(struct db *db, int64_t id)
{
    static const char sql[] = "DELETE FROM comments WHERE id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    int ret = db_exec_stmt(db, st);
    if (ret == 0 && sqlite3_changes(db->h) == 0)
        ret = -ENOENT;
    return ret;
}
