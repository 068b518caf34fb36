/* The SQLite backend for users. The password hash is read by one function only
 * (db_user_pwhash, for news/user.c) and never copied into struct user. */
#include <errno.h>

#include "db/sqlite_int.h"

#define USER_COLS "id, login, display_name, email, role, created_at, bio, disabled FROM users "

static int one_user(struct db *db, sqlite3_stmt *st, struct user *out)
{
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 4);
        memset(out, 0, sizeof(*out));
        out->id = sqlite3_column_int64(st, 0);
        out->login = db_col_str0(st, 1);
        out->display_name = db_col_str0(st, 2);
        out->email = db_col_str0(st, 3);
        if (s == NULL || user_role_parse(s, &out->role) < 0)
            out->role = ROLE_CONTRIBUTOR;
        out->created_at = sqlite3_column_int64(st, 5);
        out->bio = db_col_str0(st, 6);
        out->disabled = sqlite3_column_int(st, 7) != 0;
    } else if (rc == SQLITE_DONE) {
        ret = -ENOENT;
    } else {
        ret = db_fail(db, rc);
    }
    sqlite3_reset(st);
    return ret;
}

int db_user_insert(struct db *db, struct user *u, const char *pwhash)
{
    static const char sql[] = "INSERT INTO users (login, display_name, email, role, pwhash, created_at, bio) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, u->login);
    db_bind_text(st, 2, u->display_name ? u->display_name : u->login);
    db_bind_text(st, 3, u->email ? u->email : "");
    db_bind_text(st, 4, user_role_name(u->role));
    db_bind_text(st, 5, pwhash && pwhash[0] ? pwhash : NULL);
    sqlite3_bind_int64(st, 6, u->created_at);
    db_bind_text(st, 7, u->bio ? u->bio : "");
    int ret = db_exec_stmt(db, st);
    if (ret == 0)
        u->id = sqlite3_last_insert_rowid(db->h);
    return ret;
}

int db_user_get(struct db *db, int64_t id, struct user *out)
{
    static const char sql[] = "SELECT " USER_COLS "WHERE id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    return one_user(db, st, out);
}

int db_user_get_by_login(struct db *db, const char *login, struct user *out)
{
    static const char sql[] = "SELECT " USER_COLS "WHERE login = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, login);
    return one_user(db, st, out);
}

int db_user_pwhash(struct db *db, const char *login, char **out)
{
    static const char sql[] = "SELECT pwhash FROM users WHERE login = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, login);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW)
        *out = db_col_str(st, 0);
    else if (rc == SQLITE_DONE)
        ret = -ENOENT;
    else
        ret = db_fail(db, rc);
    sqlite3_reset(st);
    return ret;
}

int db_user_set_pwhash(struct db *db, int64_t id, const char *pwhash)
{
    static const char sql[] = "UPDATE users SET pwhash = ?2 WHERE id = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    db_bind_text(st, 2, pwhash && pwhash[0] ? pwhash : NULL);
    int ret = db_exec_stmt(db, st);
    if (ret == 0 && sqlite3_changes(db->h) == 0)
        ret = -ENOENT;
    return ret;
}
