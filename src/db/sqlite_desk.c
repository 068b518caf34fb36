/* The SQLite backend of the newsroom's site management (db/newsroom.h): accounts changed,
 * disabled and deleted with their posts handed over; categories and tags renamed (their old
 * slugs kept for a 301), merged and deleted; the header menu; and the server's own state. Each
 * compound change is one transaction, nested in the caller's when there is one. */
#include <errno.h>

#include "db/newsroom.h"
#include "db/sqlite_int.h"

/* Runs the statements sql[0..n) in one transaction, binding ?1 = a and ?2 = b to each (a
 * statement that names neither ignores them). */
static int run_all(struct db *db, const char *const *sql, size_t n, int64_t a, int64_t b)
{
    int ret = db_begin(db);
    if (ret < 0)
        return ret;
    for (size_t i = 0; i < n && ret == 0; i++) {
        sqlite3_stmt *st = db_stmt(db, sql[i]);
        if (st == NULL) {
            ret = -EIO;
            break;
        }
        int np = sqlite3_bind_parameter_count(st);
        if (np >= 1)
            sqlite3_bind_int64(st, 1, a);
        if (np >= 2)
            sqlite3_bind_int64(st, 2, b);
        ret = db_exec_stmt(db, st);
    }
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

/* ---- accounts ----------------------------------------------------------------------------- */

int db_user_update(struct db *db, const struct user *u)
{
    static const char sql[] =
        "UPDATE users SET display_name = ?2, email = ?3, role = ?4, bio = ?5, disabled = ?6 WHERE id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, u->id);
    db_bind_text(st, 2, u->display_name ? u->display_name : "");
    db_bind_text(st, 3, u->email ? u->email : "");
    db_bind_text(st, 4, user_role_name(u->role));
    db_bind_text(st, 5, u->bio ? u->bio : "");
    sqlite3_bind_int(st, 6, u->disabled ? 1 : 0);
    int ret = db_exec_stmt(db, st);
    if (ret == 0 && sqlite3_changes(db->h) == 0)
        ret = -ENOENT;
    return ret;
}

int db_user_count_admins(struct db *db, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM users WHERE role = 'administrator' AND disabled = 0";
    sqlite3_stmt *st = db_stmt(db, sql);
    return st == NULL ? -EIO : db_step_int(db, st, out);
}

int db_user_post_count(struct db *db, int64_t id, int64_t *out)
{
    static const char sql[] = "SELECT count(*) FROM posts WHERE author_id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    return db_step_int(db, st, out);
}

int db_user_delete(struct db *db, int64_t id, int64_t to)
{
    static const char *const sql[] = {
        "UPDATE posts SET author_id = ?2 WHERE author_id = ?1",
        "DELETE FROM wp_map WHERE kind = 'user' AND local_id = ?1",
        "DELETE FROM users WHERE id = ?1",
    };
    static const char sql_exists[] = "SELECT id FROM users WHERE id = ?1";
    int64_t found;
    sqlite3_stmt *st = db_stmt(db, sql_exists);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    int ret = db_step_int(db, st, &found);
    if (ret < 0)
        return ret;
    return run_all(db, sql, sizeof(sql) / sizeof(sql[0]), id, to);
}

int db_session_delete_others(struct db *db, int64_t user_id, const unsigned char keep[DB_SESSION_HASH])
{
    static const char sql[] = "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_blob(st, 2, keep, DB_SESSION_HASH, SQLITE_TRANSIENT);
    return db_exec_stmt(db, st);
}

int db_login_failure_stats(struct db *db, const char *key, int64_t since, int64_t *count, int64_t *last)
{
    static const char sql[] = "SELECT count(*), IFNULL(max(at), 0) FROM login_failures WHERE key = ?1 AND at >= ?2";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, since);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW) {
        *count = sqlite3_column_int64(st, 0);
        *last = sqlite3_column_int64(st, 1);
    } else {
        ret = db_fail(db, rc);
    }
    sqlite3_reset(st);
    return ret;
}

/* ---- categories and tags ------------------------------------------------------------------ */

int db_term_update(struct db *db, const struct term *t)
{
    static const char sql[] = "UPDATE terms SET name = ?2, slug = ?3, parent_id = ?4 WHERE id = ?1";
    static const char sql_forget[] = "DELETE FROM term_redirects WHERE taxonomy = ?1 AND slug = ?2";
    /* a slug taken back by its term is no longer an old address */
    sqlite3_stmt *st = db_stmt(db, sql_forget);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, term_taxonomy_name(t->taxonomy));
    db_bind_text(st, 2, t->slug);
    int ret = db_exec_stmt(db, st);
    if (ret < 0 || (st = db_stmt(db, sql)) == NULL)
        return ret < 0 ? ret : -EIO;
    sqlite3_bind_int64(st, 1, t->id);
    db_bind_text(st, 2, t->name);
    db_bind_text(st, 3, t->slug);
    db_bind_id(st, 4, t->parent_id);
    ret = db_exec_stmt(db, st);
    if (ret == 0 && sqlite3_changes(db->h) == 0)
        ret = -ENOENT;
    return ret;
}

int db_term_list_all(struct db *db, enum term_taxonomy tax, struct term_list *out)
{
    static const char sql[] = "SELECT t.id, t.name, t.slug, IFNULL(t.parent_id, 0), "
                              "(SELECT count(*) FROM post_terms pt WHERE pt.term_id = t.id) "
                              "FROM terms t WHERE t.taxonomy = ?1 ORDER BY t.name COLLATE NOCASE, t.id";
    struct term_list l = {0};
    sqlite3_stmt *st = db_stmt(db, sql);
    int rc;
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, term_taxonomy_name(tax));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct term *t = db_list_push((void **)&l.items, &l.n, sizeof(struct term));
        t->id = sqlite3_column_int64(st, 0);
        t->taxonomy = tax;
        t->name = db_col_str0(st, 1);
        t->slug = db_col_str0(st, 2);
        t->parent_id = sqlite3_column_int64(st, 3);
        t->count = sqlite3_column_int64(st, 4);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        term_list_free(&l);
        return db_fail(db, rc);
    }
    *out = l;
    return 0;
}

int db_term_redirect_add(struct db *db, enum term_taxonomy tax, const char *slug, int64_t term_id)
{
    static const char sql[] = "INSERT OR REPLACE INTO term_redirects (taxonomy, slug, term_id) VALUES (?1, ?2, ?3)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, term_taxonomy_name(tax));
    db_bind_text(st, 2, slug);
    sqlite3_bind_int64(st, 3, term_id);
    return db_exec_stmt(db, st);
}

int db_term_redirect_get(struct db *db, enum term_taxonomy tax, const char *slug, int64_t *term_id)
{
    static const char sql[] = "SELECT term_id FROM term_redirects WHERE taxonomy = ?1 AND slug = ?2";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, term_taxonomy_name(tax));
    db_bind_text(st, 2, slug);
    return db_step_int(db, st, term_id);
}

int db_term_merge(struct db *db, int64_t from, int64_t to)
{
    static const char *const sql[] = {
        "INSERT OR IGNORE INTO post_terms (post_id, term_id) SELECT post_id, ?2 FROM post_terms WHERE term_id = ?1",
        "UPDATE terms SET parent_id = ?2 WHERE parent_id = ?1 AND id <> ?2",
        "UPDATE term_redirects SET term_id = ?2 WHERE term_id = ?1",
        "UPDATE wp_map SET local_id = ?2 WHERE kind IN ('category', 'tag') AND local_id = ?1",
        "DELETE FROM terms WHERE id = ?1",
    };
    return run_all(db, sql, sizeof(sql) / sizeof(sql[0]), from, to);
}

int db_term_delete(struct db *db, int64_t id, int64_t fallback)
{
    static const char *const sql[] = {
        /* a post whose only category goes gets the fallback (?2 = 0 matches no term) */
        "INSERT OR IGNORE INTO post_terms (post_id, term_id) SELECT pt.post_id, ?2 FROM post_terms pt "
        "WHERE pt.term_id = ?1 AND EXISTS (SELECT 1 FROM terms f WHERE f.id = ?2 AND f.taxonomy = 'category') "
        "AND NOT EXISTS (SELECT 1 FROM post_terms o JOIN terms t ON t.id = o.term_id WHERE o.post_id = pt.post_id "
        "AND o.term_id <> ?1 AND t.taxonomy = 'category')",
        "UPDATE terms SET parent_id = (SELECT d.parent_id FROM terms d WHERE d.id = ?1) WHERE parent_id = ?1",
        "DELETE FROM wp_map WHERE kind IN ('category', 'tag') AND local_id = ?1",
        "DELETE FROM terms WHERE id = ?1",
    };
    static const char sql_exists[] = "SELECT id FROM terms WHERE id = ?1";
    int64_t found;
    sqlite3_stmt *st = db_stmt(db, sql_exists);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    int ret = db_step_int(db, st, &found);
    if (ret < 0)
        return ret;
    return run_all(db, sql, sizeof(sql) / sizeof(sql[0]), id, fallback);
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
    static const char sql[] = "SELECT id, IFNULL(parent_id, 0), position, kind, IFNULL(object_id, 0), label, url "
                              "FROM menu_items ORDER BY position, id LIMIT ?1";
    struct menu_list l = {0};
    sqlite3_stmt *st = db_stmt(db, sql);
    int rc;
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct menu_item *it = db_list_push((void **)&l.items, &l.n, sizeof(struct menu_item));
        const char *kind = (const char *)sqlite3_column_text(st, 3);
        it->id = sqlite3_column_int64(st, 0);
        it->parent_id = sqlite3_column_int64(st, 1);
        it->position = sqlite3_column_int64(st, 2);
        it->kind = MENU_CUSTOM;
        for (size_t k = 0; kind != NULL && k < sizeof(menu_kinds) / sizeof(menu_kinds[0]); k++)
            if (strcmp(kind, menu_kinds[k]) == 0)
                it->kind = (enum menu_kind)k;
        it->object_id = sqlite3_column_int64(st, 4);
        it->label = db_col_str0(st, 5);
        it->url = db_col_str0(st, 6);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        menu_list_free(&l);
        return db_fail(db, rc);
    }
    *out = l;
    return 0;
}

int db_menu_item_insert(struct db *db, struct menu_item *it)
{
    static const char sql[] = "INSERT INTO menu_items (parent_id, position, kind, object_id, label, url) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL || (unsigned)it->kind >= sizeof(menu_kinds) / sizeof(menu_kinds[0]))
        return st == NULL ? -EIO : -EINVAL;
    db_bind_id(st, 1, it->parent_id);
    sqlite3_bind_int64(st, 2, it->position);
    db_bind_text(st, 3, menu_kinds[it->kind]);
    db_bind_id(st, 4, it->object_id);
    db_bind_text(st, 5, it->label ? it->label : "");
    db_bind_text(st, 6, it->url ? it->url : "");
    int ret = db_exec_stmt(db, st);
    if (ret == 0)
        it->id = sqlite3_last_insert_rowid(db->h);
    return ret;
}

int db_menu_item_update(struct db *db, const struct menu_item *it)
{
    static const char sql[] = "UPDATE menu_items SET parent_id = ?2, position = ?3, label = ?4, url = ?5 WHERE id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, it->id);
    db_bind_id(st, 2, it->parent_id);
    sqlite3_bind_int64(st, 3, it->position);
    db_bind_text(st, 4, it->label ? it->label : "");
    db_bind_text(st, 5, it->url ? it->url : "");
    int ret = db_exec_stmt(db, st);
    if (ret == 0 && sqlite3_changes(db->h) == 0)
        ret = -ENOENT;
    return ret;
}

int db_menu_item_delete(struct db *db, int64_t id)
{
    static const char sql[] = "DELETE FROM menu_items WHERE id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    return db_exec_stmt(db, st);
}

int db_menu_clear(struct db *db)
{
    static const char sql[] = "DELETE FROM menu_items";
    sqlite3_stmt *st = db_stmt(db, sql);
    return st == NULL ? -EIO : db_exec_stmt(db, st);
}

/* ---- the server's own state --------------------------------------------------------------- */

int db_state_get(struct db *db, const char *key, unsigned char **out, size_t *n)
{
    static const char sql[] = "SELECT value FROM site_state WHERE key = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, key);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        const void *v = sqlite3_column_blob(st, 0);
        unsigned char *p = db_xmalloc(len + 1);
        if (len > 0)
            memcpy(p, v, len);
        p[len] = '\0';
        *out = p;
        *n = len;
    } else if (rc == SQLITE_DONE) {
        ret = -ENOENT;
    } else {
        ret = db_fail(db, rc);
    }
    sqlite3_reset(st);
    return ret;
}

int db_state_set(struct db *db, const char *key, const void *value, size_t n)
{
    static const char sql[] = "INSERT OR REPLACE INTO site_state (key, value) VALUES (?1, ?2)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, key);
    sqlite3_bind_blob(st, 2, value, (int)n, SQLITE_TRANSIENT);
    return db_exec_stmt(db, st);
}
