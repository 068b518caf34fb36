/* The change log (changes.h): reading past a sequence number, pruning, logging by hand, and the
 * posts that came due. (The savepoints of changes.h are in db.c, the writer's durability in each
 * driver.) */
#include <errno.h>

#include "db/changes.h"
#include "db/db_int.h"

static const char *const kinds[] = {"post", "comments", "site"};

int db_changes_since(struct db *db, int64_t after, struct db_change *out, size_t max, size_t *n)
{
    static const char sql[] = "SELECT seq, kind, id FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, after);
    sql_bind_int64(st, 2, (int64_t)max);
    size_t k = 0;
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW && k < max) {
        const char *kind = sql_text(st, 1);
        out[k].seq = sql_int64(st, 0);
        out[k].id = sql_int64(st, 2);
        out[k].kind = DB_CHANGE_SITE; /* an unknown kind (a newer schema) is the safe answer */
        for (size_t i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
            if (strcmp(kind, kinds[i]) == 0)
                out[k].kind = (enum db_change_kind)i;
        k++;
    }
    int ret = rc < 0 ? rc : 0;
    sql_reset(st);
    if (ret == 0)
        *n = k;
    return ret;
}

int db_changes_last(struct db *db, int64_t *out)
{
    static const char sql[] = "SELECT coalesce(max(seq), 0) FROM changes";
    struct sql_stmt *st = sql_prepare(db, sql);
    return sql_one_int(st, out);
}

int db_changes_log(struct db *db, enum db_change_kind kind, int64_t id)
{
    static const char sql[] = "INSERT INTO changes (kind, id) VALUES (?1, ?2)";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text_static(st, 1, kinds[kind]);
    sql_bind_int64(st, 2, id);
    return sql_run(st);
}

int db_changes_prune(struct db *db, int64_t keep)
{
    static const char sql[] = "DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, keep);
    return sql_run(st);
}

int db_post_due_ids(struct db *db, int64_t from, int64_t to, int64_t *ids, size_t max, size_t *n)
{
    static const char sql[] = "SELECT id FROM posts WHERE status = 'published' AND published_at > ?1 "
                              "AND published_at <= ?2 ORDER BY published_at LIMIT ?3";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, from);
    sql_bind_int64(st, 2, to);
    sql_bind_int64(st, 3, (int64_t)max);
    size_t k = 0;
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW && k < max)
        ids[k++] = sql_int64(st, 0);
    int ret = rc < 0 ? rc : 0;
    sql_reset(st);
    if (ret == 0)
        *n = k;
    return ret;
}
