/* Users. The password hash is read by one function only
 * (db_user_pwhash, for news/user.c) and never copied into struct user. */
#include <errno.h>

#include "db/db_int.h"
#include "db/newsroom.h"

#define USER_SELECT "u.id, u.login, u.display_name, u.email, u.role, u.created_at, u.bio, u.disabled "
#define USER_COLS USER_SELECT "FROM users u "

static void read_user(struct sql_stmt *st, struct user *out)
{
    const char *s = sql_text(st, 4);
    memset(out, 0, sizeof(*out));
    out->id = sql_int64(st, 0);
    out->login = sql_str0(st, 1);
    out->display_name = sql_str0(st, 2);
    out->email = sql_str0(st, 3);
    if (s == NULL || user_role_parse(s, &out->role) < 0)
        out->role = ROLE_CONTRIBUTOR;
    out->created_at = sql_int64(st, 5);
    out->bio = sql_str0(st, 6);
    out->disabled = sql_int64(st, 7) != 0;
}

static int one_user(struct sql_stmt *st, struct user *out)
{
    int rc = sql_step(st), ret = 0;
    if (rc == SQL_ROW) {
        read_user(st, out);
    } else if (rc == SQL_DONE) {
        ret = -ENOENT;
    } else {
        ret = rc;
    }
    sql_reset(st);
    return ret;
}

int db_user_insert(struct db *db, struct user *u, const char *pwhash)
{
    static const char sql[] = "INSERT INTO users (login, display_name, email, role, pwhash, created_at, bio) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, u->login);
    sql_bind_text(st, 2, u->display_name ? u->display_name : u->login);
    sql_bind_text(st, 3, u->email ? u->email : "");
    sql_bind_text(st, 4, user_role_name(u->role));
    sql_bind_text(st, 5, pwhash && pwhash[0] ? pwhash : NULL);
    sql_bind_int64(st, 6, u->created_at);
    sql_bind_text(st, 7, u->bio ? u->bio : "");
    int64_t id;
    int ret = sql_one_int(st, &id);
    if (ret == 0)
        u->id = id;
    return ret == -ENOENT ? -EIO : ret;
}

int db_user_get(struct db *db, int64_t id, struct user *out)
{
    static const char sql[] = "SELECT " USER_COLS "WHERE u.id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    return one_user(st, out);
}

int db_user_get_by_login(struct db *db, const char *login, struct user *out)
{
    static const char sql[] = "SELECT " USER_COLS "WHERE u.login = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, login);
    return one_user(st, out);
}

int db_users_of(struct db *db, const int64_t *ids, size_t n, struct user_list *out)
{
    static const struct sql_text sql =
        DB_BY_IDS_IN_ORDER(1, "SELECT " USER_SELECT "FROM ", "CROSS JOIN users u ON u.id = j.value");
    struct user_list l = {0};
    struct sql_stmt *st = sql_prepare_text(db, &sql);
    db_bind_ids(st, 1, ids, n);
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        read_user(st, db_list_push((void **)&l.items, &l.n, sizeof(struct user)));
    sql_reset(st);
    if (rc < 0) {
        user_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

int db_user_pwhash(struct db *db, const char *login, char **out)
{
    static const char sql[] = "SELECT pwhash FROM users WHERE login = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, login);
    int rc = sql_step(st), ret = 0;
    if (rc == SQL_ROW)
        *out = sql_str(st, 0);
    else if (rc == SQL_DONE)
        ret = -ENOENT;
    else
        ret = rc;
    sql_reset(st);
    return ret;
}

int db_user_set_pwhash(struct db *db, int64_t id, const char *pwhash)
{
    static const char sql[] = "UPDATE users SET pwhash = ?2 WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    sql_bind_text(st, 2, pwhash && pwhash[0] ? pwhash : NULL);
    return sql_run_one(st);
}
