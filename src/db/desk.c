/* The newsroom's site management (db/newsroom.h): accounts changed, disabled and deleted with
 * their posts handed over; categories and tags renamed (their old slugs kept for a 301), merged
 * and deleted; the header menu; and the server's own state. Each compound change is one
 * transaction, nested in the caller's when there is one. */
#include <errno.h>

#include "db/db_int.h"
#include "db/newsroom.h"

/* One statement of a compound change: it binds ?1 = a and, with two parameters, ?2 = b. */
struct step {
    const char *sql;
    int params;
};

/* Runs the steps s[0..n) in one transaction. */
static int run_all(struct db *db, const struct step *s, size_t n, int64_t a, int64_t b)
{
    int ret = db_begin(db);
    if (ret < 0)
        return ret;
    for (size_t i = 0; i < n && ret == 0; i++) {
        struct sql_stmt *st = sql_prepare(db, s[i].sql);
        sql_bind_int64(st, 1, a);
        if (s[i].params >= 2)
            sql_bind_int64(st, 2, b);
        ret = sql_run(st);
    }
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

/* 0 when a row of the statement (bound to id) exists, else -ENOENT. */
static int must_exist(struct db *db, const char *sql, int64_t id)
{
    struct sql_stmt *st = sql_prepare(db, sql);
    int found = 0;
    sql_bind_int64(st, 1, id);
    int ret = sql_exists(st, &found);
    return ret < 0 ? ret : found ? 0 : -ENOENT;
}

/* ---- accounts ----------------------------------------------------------------------------- */

int db_user_update(struct db *db, const struct user *u)
{
    static const char sql[] =
        "UPDATE users SET display_name = ?2, email = ?3, role = ?4, bio = ?5, disabled = ?6 WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, u->id);
    sql_bind_text(st, 2, u->display_name ? u->display_name : "");
    sql_bind_text(st, 3, u->email ? u->email : "");
    sql_bind_text(st, 4, user_role_name(u->role));
    sql_bind_text(st, 5, u->bio ? u->bio : "");
    sql_bind_int64(st, 6, u->disabled ? 1 : 0);
    return sql_run_one(st);
}

int db_user_count_admins(struct db *db, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM users WHERE role = 'administrator' AND disabled = 0";
    return sql_one_int(sql_prepare(db, sql), out);
}

int db_user_post_count(struct db *db, int64_t id, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM posts WHERE author_id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    return sql_one_int(st, out);
}

int db_user_delete(struct db *db, int64_t id, int64_t to)
{
    static const struct step steps[] = {
        {"UPDATE posts SET author_id = ?2 WHERE author_id = ?1", 2},
        {"DELETE FROM wp_map WHERE kind = 'user' AND local_id = ?1", 1},
        {"DELETE FROM users WHERE id = ?1", 1},
    };
    static const char sql_exists[] = "SELECT id FROM users WHERE id = ?1";
    int ret = must_exist(db, sql_exists, id);
    if (ret < 0)
        return ret;
    return run_all(db, steps, sizeof(steps) / sizeof(steps[0]), id, to);
}

int db_session_delete_others(struct db *db, int64_t user_id, const unsigned char keep[DB_SESSION_HASH])
{
    static const char sql[] = "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, user_id);
    sql_bind_blob(st, 2, keep, DB_SESSION_HASH);
    return sql_run(st);
}

int db_login_failure_stats(struct db *db, const char *key, int64_t since, int64_t *count, int64_t *last)
{
    static const char sql[] = "SELECT count(*), COALESCE(max(at), 0) FROM login_failures WHERE key = ?1 AND at >= ?2";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, key);
    sql_bind_int64(st, 2, since);
    int rc = sql_step(st), ret = 0;
    if (rc == SQL_ROW) {
        *count = sql_int64(st, 0);
        *last = sql_int64(st, 1);
    } else {
        ret = rc < 0 ? rc : -EIO;
    }
    sql_reset(st);
    return ret;
}

/* ---- categories and tags ------------------------------------------------------------------ */

int db_term_update(struct db *db, const struct term *t)
{
    static const char sql[] = "UPDATE terms SET name = ?2, slug = ?3, parent_id = ?4 WHERE id = ?1";
    static const char sql_forget[] = "DELETE FROM term_redirects WHERE taxonomy = ?1 AND slug = ?2";
    /* a slug taken back by its term is no longer an old address */
    struct sql_stmt *st = sql_prepare(db, sql_forget);
    sql_bind_text(st, 1, term_taxonomy_name(t->taxonomy));
    sql_bind_text(st, 2, t->slug);
    int ret = sql_run(st);
    if (ret < 0)
        return ret;
    st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, t->id);
    sql_bind_text(st, 2, t->name);
    sql_bind_text(st, 3, t->slug);
    sql_bind_id(st, 4, t->parent_id);
    ret = sql_run_one(st);
    return ret;
}

int db_term_list_all(struct db *db, enum term_taxonomy tax, struct term_list *out)
{
    static const char sql[] = "SELECT t.id, t.name, t.slug, COALESCE(t.parent_id, 0), "
                              "(SELECT count(*) FROM post_terms pt WHERE pt.term_id = t.id) "
                              "FROM terms t WHERE t.taxonomy = ?1 ORDER BY t.name COLLATE NOCASE, t.id";
    struct term_list l = {0};
    struct sql_stmt *st = sql_prepare(db, sql);
    int rc;
    sql_bind_text(st, 1, term_taxonomy_name(tax));
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct term *t = db_list_push((void **)&l.items, &l.n, sizeof(struct term));
        t->id = sql_int64(st, 0);
        t->taxonomy = tax;
        t->name = sql_str0(st, 1);
        t->slug = sql_str0(st, 2);
        t->parent_id = sql_int64(st, 3);
        t->count = sql_int64(st, 4);
    }
    sql_reset(st);
    if (rc < 0) {
        term_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

int db_term_redirect_add(struct db *db, enum term_taxonomy tax, const char *slug, int64_t term_id)
{
    static const char sql[] = "INSERT INTO term_redirects (taxonomy, slug, term_id) VALUES (?1, ?2, ?3) "
                              "ON CONFLICT (taxonomy, slug) DO UPDATE SET term_id = excluded.term_id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, term_taxonomy_name(tax));
    sql_bind_text(st, 2, slug);
    sql_bind_int64(st, 3, term_id);
    return sql_run(st);
}

int db_term_redirect_get(struct db *db, enum term_taxonomy tax, const char *slug, int64_t *term_id)
{
    static const char sql[] = "SELECT term_id FROM term_redirects WHERE taxonomy = ?1 AND slug = ?2";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, term_taxonomy_name(tax));
    sql_bind_text(st, 2, slug);
    return sql_one_int(st, term_id);
}

int db_term_merge(struct db *db, int64_t from, int64_t to)
{
    static const struct step steps[] = {
        {"INSERT INTO post_terms (post_id, term_id) SELECT post_id, ?2 FROM post_terms WHERE term_id = ?1 "
         "ON CONFLICT (post_id, term_id) DO NOTHING",
         2},
        {"UPDATE terms SET parent_id = ?2 WHERE parent_id = ?1 AND id <> ?2", 2},
        {"UPDATE term_redirects SET term_id = ?2 WHERE term_id = ?1", 2},
        {"UPDATE wp_map SET local_id = ?2 WHERE kind IN ('category', 'tag') AND local_id = ?1", 2},
        {"DELETE FROM terms WHERE id = ?1", 1},
    };
    return run_all(db, steps, sizeof(steps) / sizeof(steps[0]), from, to);
}

int db_term_delete(struct db *db, int64_t id, int64_t fallback)
{
    static const struct step steps[] = {
        /* a post whose only category goes gets the fallback (?2 = 0 matches no term) */
        {"INSERT INTO post_terms (post_id, term_id) SELECT pt.post_id, ?2 FROM post_terms pt "
         "WHERE pt.term_id = ?1 AND EXISTS (SELECT 1 FROM terms f WHERE f.id = ?2 AND f.taxonomy = 'category') "
         "AND NOT EXISTS (SELECT 1 FROM post_terms o JOIN terms t ON t.id = o.term_id WHERE o.post_id = pt.post_id "
         "AND o.term_id <> ?1 AND t.taxonomy = 'category') ON CONFLICT (post_id, term_id) DO NOTHING",
         2},
        {"UPDATE terms SET parent_id = (SELECT d.parent_id FROM terms d WHERE d.id = ?1) WHERE parent_id = ?1", 1},
        {"DELETE FROM wp_map WHERE kind IN ('category', 'tag') AND local_id = ?1", 1},
        {"DELETE FROM terms WHERE id = ?1", 1},
    };
    static const char sql_exists[] = "SELECT id FROM terms WHERE id = ?1";
    int ret = must_exist(db, sql_exists, id);
    if (ret < 0)
        return ret;
    return run_all(db, steps, sizeof(steps) / sizeof(steps[0]), id, fallback);
}

/* ---- the header menu ---------------------------------------------------------------------- */

static const char *const menu_kinds[] = {"home", "page", "category", "custom"};

void menu_list_free(struct menu_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].label);
        free(l->items[i].url);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int db_menu_items(struct db *db, size_t max, struct menu_list *out)
{
    static const char sql[] = "SELECT id, COALESCE(parent_id, 0), position, kind, COALESCE(object_id, 0), label, url "
                              "FROM menu_items ORDER BY position, id LIMIT ?1";
    struct menu_list l = {0};
    struct sql_stmt *st = sql_prepare(db, sql);
    int rc;
    sql_bind_int64(st, 1, (int64_t)max);
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct menu_item *it = db_list_push((void **)&l.items, &l.n, sizeof(struct menu_item));
        const char *kind = sql_text(st, 3);
        it->id = sql_int64(st, 0);
        it->parent_id = sql_int64(st, 1);
        it->position = sql_int64(st, 2);
        it->kind = MENU_CUSTOM;
        for (size_t k = 0; kind != NULL && k < sizeof(menu_kinds) / sizeof(menu_kinds[0]); k++)
            if (strcmp(kind, menu_kinds[k]) == 0)
                it->kind = (enum menu_kind)k;
        it->object_id = sql_int64(st, 4);
        it->label = sql_str0(st, 5);
        it->url = sql_str0(st, 6);
    }
    sql_reset(st);
    if (rc < 0) {
        menu_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

int db_menu_item_insert(struct db *db, struct menu_item *it)
{
    static const char sql[] = "INSERT INTO menu_items (parent_id, position, kind, object_id, label, url) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    if ((unsigned)it->kind >= sizeof(menu_kinds) / sizeof(menu_kinds[0]))
        return -EINVAL;
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_id(st, 1, it->parent_id);
    sql_bind_int64(st, 2, it->position);
    sql_bind_text(st, 3, menu_kinds[it->kind]);
    sql_bind_id(st, 4, it->object_id);
    sql_bind_text(st, 5, it->label ? it->label : "");
    sql_bind_text(st, 6, it->url ? it->url : "");
    int64_t id;
    int ret = sql_one_int(st, &id);
    if (ret == 0)
        it->id = id;
    return ret == -ENOENT ? -EIO : ret;
}

int db_menu_item_update(struct db *db, const struct menu_item *it)
{
    static const char sql[] = "UPDATE menu_items SET parent_id = ?2, position = ?3, label = ?4, url = ?5 WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, it->id);
    sql_bind_id(st, 2, it->parent_id);
    sql_bind_int64(st, 3, it->position);
    sql_bind_text(st, 4, it->label ? it->label : "");
    sql_bind_text(st, 5, it->url ? it->url : "");
    return sql_run_one(st);
}

int db_menu_item_delete(struct db *db, int64_t id)
{
    static const char sql[] = "DELETE FROM menu_items WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    return sql_run(st);
}

int db_menu_clear(struct db *db)
{
    static const char sql[] = "DELETE FROM menu_items";
    return sql_run(sql_prepare(db, sql));
}

/* ---- the server's own state --------------------------------------------------------------- */

int db_state_get(struct db *db, const char *key, unsigned char **out, size_t *n)
{
    static const char sql[] = "SELECT value FROM site_state WHERE key = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, key);
    int rc = sql_step(st), ret = 0;
    if (rc == SQL_ROW) {
        size_t len = 0;
        const void *v = sql_blob(st, 0, &len);
        unsigned char *p = db_xmalloc(len + 1);
        if (len > 0)
            memcpy(p, v, len);
        p[len] = '\0';
        *out = p;
        *n = len;
    } else {
        ret = rc == SQL_DONE ? -ENOENT : rc;
    }
    sql_reset(st);
    return ret;
}

int db_state_set(struct db *db, const char *key, const void *value, size_t n)
{
    static const char sql[] = "INSERT INTO site_state (key, value) VALUES (?1, ?2) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, key);
    sql_bind_blob(st, 2, value, n);
    return sql_run(st);
}

int db_state_add(struct db *db, const char *key, const void *value, size_t n)
{
    static const char sql[] = "INSERT INTO site_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, key);
    sql_bind_blob(st, 2, value, n);
    return sql_run(st);
}
