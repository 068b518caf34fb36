/* Application passwords: one row each, hashes read only for checking (db/apppass.h). */
#include "db/apppass.h"

#include <errno.h>
#include <stdlib.h>

#include "db/db_int.h"

void app_password_list_free(struct app_password_list *l)
{
    for (size_t i = 0; l != NULL && i < l->n; i++) {
        free(l->items[i].uuid);
        free(l->items[i].name);
        free(l->items[i].hash);
        free(l->items[i].last_ip);
    }
    if (l != NULL) {
        free(l->items);
        l->items = NULL;
        l->n = 0;
    }
}

int db_app_password_insert(struct db *db, struct app_password *p, int64_t *id)
{
    static const char sql[] = "INSERT INTO app_passwords (user_id, uuid, name, hash, created_at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, p->user_id);
    sql_bind_text(st, 2, p->uuid);
    sql_bind_text(st, 3, p->name);
    sql_bind_text(st, 4, p->hash);
    sql_bind_int64(st, 5, p->created_at);
    return sql_one_int(st, id);
}

/* HASH is "hash" or "NULL". */
#define APP_COLS(HASH) "SELECT id, user_id, uuid, name, " HASH ", created_at, COALESCE(last_used, 0), last_ip "

static int many(struct sql_stmt *st, struct app_password_list *out)
{
    struct app_password_list l = {0};
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct app_password *p = db_list_push((void **)&l.items, &l.n, sizeof(*p));
        p->id = sql_int64(st, 0);
        p->user_id = sql_int64(st, 1);
        p->uuid = sql_str0(st, 2);
        p->name = sql_str0(st, 3);
        p->hash = sql_str(st, 4);
        p->created_at = sql_int64(st, 5);
        p->last_used = sql_int64(st, 6);
        p->last_ip = sql_str(st, 7);
    }
    sql_reset(st);
    if (rc < 0) {
        app_password_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

int db_app_password_list(struct db *db, int64_t user_id, struct app_password_list *out)
{
    static const char sql[] = APP_COLS("NULL") "FROM app_passwords WHERE user_id = ?1 ORDER BY id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, user_id);
    return many(st, out);
}

int db_app_password_hashes(struct db *db, int64_t user_id, struct app_password_list *out)
{
    static const char sql[] = APP_COLS("hash") "FROM app_passwords WHERE user_id = ?1 ORDER BY id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, user_id);
    return many(st, out);
}

int db_app_password_delete(struct db *db, int64_t user_id, const char *uuid)
{
    static const char sql[] = "DELETE FROM app_passwords WHERE user_id = ?1 AND uuid = ?2";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, user_id);
    sql_bind_text(st, 2, uuid);
    return sql_run_one(st);
}

int db_app_password_used(struct db *db, const char *uuid, int64_t at, const char *ip)
{
    static const char sql[] = "UPDATE app_passwords SET last_used = ?2, last_ip = ?3 WHERE uuid = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, uuid);
    sql_bind_int64(st, 2, at);
    sql_bind_text(st, 3, ip);
    return sql_run_one(st);
}
