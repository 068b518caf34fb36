/* Settings (key and value; the defaults and the list of known keys are in news/settings.c), and
 * whether the site is empty. */
#include <errno.h>

#include "db/db_int.h"

int db_is_empty(struct db *db, int *out)
{
    static const char sql[] = "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM users)";
    int64_t n;
    int ret = sql_one_int(sql_prepare(db, sql), &n);
    if (ret == 0)
        *out = n == 0;
    return ret;
}

int db_setting_get(struct db *db, const char *key, char **out)
{
    static const char sql[] = "SELECT value FROM settings WHERE key = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, key);
    return sql_one_text(st, out);
}

int db_setting_set(struct db *db, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, key);
    sql_bind_text(st, 2, value);
    return sql_run(st);
}

int db_setting_delete(struct db *db, const char *key)
{
    static const char sql[] = "DELETE FROM settings WHERE key = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, key);
    return sql_run(st);
}
