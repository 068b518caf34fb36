/* The storage of db/media.h: the media library's tables (migration 0008_media), written against
 * the statement API. The files themselves are the rules' (news/media.c); these rows name them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_int.h"
#include "db/media.h"

#define MEDIA_BASE                                                                                                     \
    "m.id, m.hash, m.dir, m.mime, m.width, m.height, m.bytes, m.title, m.alt, m.caption, m.credit, "                   \
    "COALESCE(m.author_id, 0), m.created_at, "
/* The posts that show m: counted for the newsroom only (a public page reads media by id and
 * must not pay for how widely one is used). */
#define MEDIA_USES                                                                                                     \
    "(SELECT COUNT(*) FROM posts p WHERE p.featured_id = m.id) + "                                                     \
    "(SELECT COUNT(*) FROM post_media pm WHERE pm.media_id = m.id AND pm.post_id NOT IN "                              \
    "(SELECT p2.id FROM posts p2 WHERE p2.featured_id = m.id)) "
#define MEDIA_COLS MEDIA_BASE MEDIA_USES

static void read_medium(struct sql_stmt *st, struct medium *m)
{
    m->id = sql_int64(st, 0);
    m->hash = sql_str0(st, 1);
    m->dir = sql_str0(st, 2);
    m->mime = sql_str0(st, 3);
    m->width = (int)sql_int64(st, 4);
    m->height = (int)sql_int64(st, 5);
    m->bytes = sql_int64(st, 6);
    m->title = sql_str0(st, 7);
    m->alt = sql_str0(st, 8);
    m->caption = sql_str0(st, 9);
    m->credit = sql_str0(st, 10);
    m->author_id = sql_int64(st, 11);
    m->created_at = sql_int64(st, 12);
    m->uses = sql_int64(st, 13);
}

static int insert_copy(struct db *db, int64_t id, const struct media_copy *c)
{
    static const char sql[] = "INSERT INTO media_copies (media_id, format, width, height, bytes, path) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    sql_bind_text(st, 2, c->format);
    sql_bind_int64(st, 3, c->width);
    sql_bind_int64(st, 4, c->height);
    sql_bind_int64(st, 5, c->bytes);
    sql_bind_text(st, 6, c->path);
    return sql_run(st);
}

int db_media_insert(struct db *db, const struct media_new *m, int64_t *id)
{
    static const char sql[] = "INSERT INTO media (hash, dir, mime, width, height, bytes, title, alt, caption, credit, "
                              "author_id, created_at, wp_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                              "?12, ?13) RETURNING id";
    int64_t new_id = 0;
    int ret = db_begin(db);
    if (ret < 0)
        return ret;
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, m->hash);
    sql_bind_text(st, 2, m->dir);
    sql_bind_text(st, 3, m->mime);
    sql_bind_int64(st, 4, m->width);
    sql_bind_int64(st, 5, m->height);
    sql_bind_int64(st, 6, m->bytes);
    sql_bind_text(st, 7, m->title ? m->title : "");
    sql_bind_text(st, 8, m->alt ? m->alt : "");
    sql_bind_text(st, 9, m->caption ? m->caption : "");
    sql_bind_text(st, 10, m->credit ? m->credit : "");
    sql_bind_id(st, 11, m->author_id);
    sql_bind_int64(st, 12, m->created_at);
    sql_bind_text(st, 13, m->wp_key);
    ret = sql_one_int(st, &new_id);
    for (size_t i = 0; ret == 0 && i < m->ncopies; i++)
        ret = insert_copy(db, new_id, &m->copies[i]);
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    if ((ret = db_commit(db)) < 0)
        return ret;
    *id = new_id;
    return 0;
}

/* The row's copy (format, width, height, bytes, path), added to m's. */
static void push_copy(struct sql_stmt *st, struct medium *m)
{
    struct media_copy *c = db_list_push((void **)&m->copies, &m->ncopies, sizeof(*c));
    c->format = sql_str0(st, 0);
    c->width = (int)sql_int64(st, 1);
    c->height = (int)sql_int64(st, 2);
    c->bytes = sql_int64(st, 3);
    c->path = sql_str0(st, 4);
}

static int read_copies(struct db *db, struct medium *m)
{
    static const char sql[] = "SELECT format, width, height, bytes, path FROM media_copies WHERE media_id = ?1 "
                              "ORDER BY format, width";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, m->id);
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        push_copy(st, m);
    sql_reset(st);
    return rc < 0 ? rc : 0;
}

int db_media_uses(struct db *db, int64_t id, int64_t *n)
{
    static const char sql[] = "SELECT " MEDIA_USES "FROM media m WHERE m.id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    return sql_one_int(st, n);
}

int db_media_get(struct db *db, int64_t id, struct medium *out)
{
    static const char sql[] = "SELECT " MEDIA_BASE "0 FROM media m WHERE m.id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    struct medium m = {0};
    int rc = sql_step(st);
    if (rc == SQL_ROW)
        read_medium(st, &m);
    sql_reset(st);
    if (rc != SQL_ROW)
        return rc < 0 ? rc : -ENOENT;
    if ((rc = read_copies(db, &m)) < 0) {
        medium_clear(&m);
        return rc;
    }
    *out = m;
    return 0;
}

int db_media_get_of(struct db *db, const int64_t *ids, size_t n, struct medium *out)
{
    static const struct sql_text sql =
        DB_BY_IDS(1, "SELECT " MEDIA_BASE "0, j.key FROM ", "CROSS JOIN media m ON m.id = j.value");
    static const struct sql_text copies_sql =
        DB_BY_IDS(1, "SELECT c.format, c.width, c.height, c.bytes, c.path, j.key FROM ",
                  "CROSS JOIN media_copies c ON c.media_id = j.value ORDER BY j.key, c.format, c.width");
    struct medium *l = calloc(n ? n : 1, sizeof(*l));
    if (l == NULL)
        abort();
    int rc;
    struct sql_stmt *st = sql_prepare_text(db, &sql);
    db_bind_ids(st, 1, ids, n);
    while ((rc = sql_step(st)) == SQL_ROW) {
        int64_t k = sql_int64(st, 14);
        if (k >= 0 && (uint64_t)k < n && l[k].id == 0)
            read_medium(st, &l[k]);
    }
    sql_reset(st);
    if (rc >= 0) {
        st = sql_prepare_text(db, &copies_sql);
        db_bind_ids(st, 1, ids, n);
        while ((rc = sql_step(st)) == SQL_ROW) {
            int64_t k = sql_int64(st, 5);
            if (k >= 0 && (uint64_t)k < n && l[k].id != 0)
                push_copy(st, &l[k]);
        }
        sql_reset(st);
    }
    if (rc < 0) {
        for (size_t i = 0; i < n; i++)
            medium_clear(&l[i]);
    } else {
        memcpy(out, l, n * sizeof(*l));
    }
    free(l);
    return rc < 0 ? rc : 0;
}

int db_media_find_hash(struct db *db, const char *hash, int64_t *id)
{
    static const char sql[] = "SELECT id FROM media WHERE hash = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, hash);
    return sql_one_int(st, id);
}

int db_media_find_wp(struct db *db, const char *wp_key, int64_t *id)
{
    static const char sql[] = "SELECT id FROM media WHERE wp_key = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, wp_key);
    return sql_one_int(st, id);
}

int db_media_find_name(struct db *db, const char *name, int64_t *id)
{
    /* a range of the unique index: hex digits sort before 'g' */
    static const char sql[] = "SELECT id FROM media WHERE hash >= ?1 AND hash < ?2 ORDER BY hash LIMIT 1";
    char upper[80];
    if (strlen(name) + 2 > sizeof(upper))
        return -ENOENT;
    snprintf(upper, sizeof(upper), "%sg", name);
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, name);
    sql_bind_text(st, 2, upper);
    return sql_one_int(st, id);
}

/* search as a LIKE pattern: %, _ and ! escaped with !, lower case, between two %. */
static char *like_pattern(const char *search)
{
    size_t n = strlen(search);
    char *p = db_xmalloc(2 * n + 3), *o = p;
    *o++ = '%';
    for (size_t i = 0; i < n; i++) {
        char ch = search[i];
        if (ch == '%' || ch == '_' || ch == '!')
            *o++ = '!';
        *o++ = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    *o++ = '%';
    *o = '\0';
    return p;
}

int db_media_list(struct db *db, const char *search, int64_t offset, int64_t limit, struct media_list *out)
{
    static const char sql[] =
        "SELECT " MEDIA_COLS "FROM media m WHERE CAST(?1 AS TEXT) IS NULL OR lower(m.title) LIKE ?1 ESCAPE '!' "
        "OR lower(m.alt) LIKE ?1 ESCAPE '!' OR lower(m.caption) LIKE ?1 ESCAPE '!' "
        "OR lower(m.credit) LIKE ?1 ESCAPE '!' "
        "ORDER BY m.created_at DESC, m.id DESC LIMIT ?2 OFFSET ?3";
    static const char count_sql[] =
        "SELECT COUNT(*) FROM media m WHERE CAST(?1 AS TEXT) IS NULL OR lower(m.title) LIKE ?1 "
        "ESCAPE '!' OR lower(m.alt) LIKE ?1 ESCAPE '!' OR lower(m.caption) LIKE ?1 "
        "ESCAPE '!' OR lower(m.credit) LIKE ?1 ESCAPE '!'";
    char *pattern = search != NULL && search[0] != '\0' ? like_pattern(search) : NULL;
    struct media_list l = {0};
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, pattern);
    sql_bind_int64(st, 2, limit);
    sql_bind_int64(st, 3, offset);
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        read_medium(st, db_list_push((void **)&l.items, &l.n, sizeof(*l.items)));
    sql_reset(st);
    if (rc >= 0) {
        st = sql_prepare(db, count_sql);
        sql_bind_text(st, 1, pattern);
        rc = sql_one_int(st, &l.total);
    }
    free(pattern);
    if (rc < 0) {
        media_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

/* The conditions of db_media_query; lists are bound as ",1,2," and matched with LIKE (a medium's
 * id, author or name between commas): the media table is the library's, not the posts'. */
#define MEDIA_QUERY_WHERE                                                                                              \
    "WHERE (CAST(?1 AS TEXT) IS NULL OR lower(m.title) LIKE ?1 ESCAPE '!' OR lower(m.alt) LIKE ?1 ESCAPE '!' "         \
    "OR lower(m.caption) LIKE ?1 ESCAPE '!' OR lower(m.credit) LIKE ?1 ESCAPE '!') "                                   \
    "AND (CAST(?2 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM media_copies c WHERE c.media_id = m.id "                   \
    "AND c.format = CAST(?2 AS TEXT))) "                                                                               \
    "AND (CAST(?3 AS TEXT) IS NULL OR CAST(?3 AS TEXT) LIKE '%,' || CAST(m.id AS TEXT) || ',%') "                      \
    "AND (CAST(?4 AS TEXT) IS NULL OR CAST(?4 AS TEXT) NOT LIKE '%,' || CAST(m.id AS TEXT) || ',%') "                  \
    "AND (CAST(?5 AS TEXT) IS NULL OR CAST(?5 AS TEXT) LIKE '%,' || CAST(COALESCE(m.author_id, 0) AS TEXT) || ',%') "  \
    "AND (CAST(?6 AS TEXT) IS NULL OR CAST(?6 AS TEXT) LIKE '%,' || substr(m.hash, 1, 20) || ',%') "                   \
    "AND (CAST(?7 AS BIGINT) IS NULL OR m.id IN (SELECT p.featured_id FROM posts p WHERE p.id = CAST(?7 AS BIGINT) "   \
    "AND p.featured_id IS NOT NULL UNION SELECT pm.media_id FROM post_media pm WHERE pm.post_id = CAST(?7 AS "         \
    "BIGINT))) "                                                                                                       \
    "AND (CAST(?8 AS TEXT) IS NULL OR CAST(?8 AS TEXT) NOT LIKE '%,' || CAST(COALESCE(m.author_id, 0) AS TEXT) || "    \
    "',%') "
#define MEDIA_QUERY(order)                                                                                             \
    "SELECT " MEDIA_BASE "0 FROM media m " MEDIA_QUERY_WHERE "ORDER BY " order " LIMIT ?9 OFFSET ?10"

/* ",a,b," for a list of ids (NULL when empty). */
static char *id_list(const int64_t *ids, size_t n)
{
    if (n == 0)
        return NULL;
    char *s = db_xmalloc(n * 22 + 2), *o = s;
    *o++ = ',';
    for (size_t i = 0; i < n; i++)
        o += sprintf(o, "%lld,", (long long)ids[i]);
    return s;
}

int db_media_query(struct db *db, const struct media_filter *f, struct media_list *out)
{
    static const char *const sql[8] = {
        MEDIA_QUERY("m.created_at DESC, m.id DESC"),
        MEDIA_QUERY("m.created_at ASC, m.id ASC"),
        MEDIA_QUERY("m.id DESC"),
        MEDIA_QUERY("m.id ASC"),
        MEDIA_QUERY("lower(m.title) DESC, m.id DESC"),
        MEDIA_QUERY("lower(m.title) ASC, m.id ASC"),
        MEDIA_QUERY("substr(m.hash, 1, 20) DESC, m.id"),
        MEDIA_QUERY("substr(m.hash, 1, 20) ASC, m.id"),
    };
    static const char count_sql[] = "SELECT COUNT(*) FROM media m " MEDIA_QUERY_WHERE;
    if (f->n_include > DB_MEDIA_LIST_MAX || f->n_exclude > DB_MEDIA_LIST_MAX || f->n_authors > DB_MEDIA_LIST_MAX ||
        f->n_not_authors > DB_MEDIA_LIST_MAX || f->n_slugs > DB_MEDIA_LIST_MAX || (unsigned)f->order > MEDIA_BY_SLUG)
        return -EINVAL;
    char *pattern = f->search != NULL && f->search[0] != '\0' ? like_pattern(f->search) : NULL;
    char *inc = id_list(f->include, f->n_include), *exc = id_list(f->exclude, f->n_exclude);
    char *authors = id_list(f->authors, f->n_authors), *not_authors = id_list(f->not_authors, f->n_not_authors);
    char *slugs = NULL;
    if (f->n_slugs > 0) {
        size_t len = 2;
        for (size_t i = 0; i < f->n_slugs; i++)
            len += strlen(f->slugs[i]) + 1;
        slugs = db_xmalloc(len);
        strcpy(slugs, ",");
        for (size_t i = 0; i < f->n_slugs; i++) {
            strcat(slugs, f->slugs[i]);
            strcat(slugs, ",");
        }
    }
    struct media_list l = {0};
    int rc = 0;
    for (int pass = 0; pass < 2 && rc >= 0; pass++) {
        struct sql_stmt *st = sql_prepare(db, pass == 0 ? sql[f->order * 2 + (f->asc ? 1 : 0)] : count_sql);
        sql_bind_text(st, 1, pattern);
        sql_bind_text(st, 2, f->format);
        sql_bind_text(st, 3, inc);
        sql_bind_text(st, 4, exc);
        sql_bind_text(st, 5, authors);
        sql_bind_text(st, 6, slugs);
        sql_bind_id(st, 7, f->shown_by > 0 ? f->shown_by : 0);
        sql_bind_text(st, 8, not_authors);
        if (pass == 1) {
            rc = sql_one_int(st, &l.total);
            break;
        }
        sql_bind_int64(st, 9, f->limit);
        sql_bind_int64(st, 10, f->offset);
        while ((rc = sql_step(st)) == SQL_ROW)
            read_medium(st, db_list_push((void **)&l.items, &l.n, sizeof(*l.items)));
        sql_reset(st);
    }
    free(pattern);
    free(inc);
    free(exc);
    free(authors);
    free(not_authors);
    free(slugs);
    if (rc < 0) {
        media_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

int db_media_set_text(struct db *db, int64_t id, const char *title, const char *alt, const char *caption,
                      const char *credit)
{
    static const char sql[] = "UPDATE media SET title = ?2, alt = ?3, caption = ?4, credit = ?5 WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    sql_bind_text(st, 2, title ? title : "");
    sql_bind_text(st, 3, alt ? alt : "");
    sql_bind_text(st, 4, caption ? caption : "");
    sql_bind_text(st, 5, credit ? credit : "");
    return sql_run_one(st);
}

int db_media_delete(struct db *db, int64_t id)
{
    static const char sql[] = "DELETE FROM media WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, id);
    return sql_run_one(st);
}

int db_media_users(struct db *db, int64_t media_id, int64_t limit, int64_t **ids, size_t *n)
{
    static const char sql[] = "SELECT id FROM (SELECT p.id AS id FROM posts p WHERE p.featured_id = ?1 UNION "
                              "SELECT pm.post_id FROM post_media pm WHERE pm.media_id = ?1) u ORDER BY id DESC "
                              "LIMIT ?2";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, media_id);
    sql_bind_int64(st, 2, limit);
    return db_many_ids(st, ids, n);
}

int db_media_newest_user(struct db *db, int64_t media_id, int64_t *post)
{
    static const char featured_sql[] = "SELECT MAX(p.id) FROM posts p WHERE p.featured_id = ?1";
    static const char body_sql[] = "SELECT MAX(pm.post_id) FROM post_media pm WHERE pm.media_id = ?1";
    int64_t best = 0;
    for (int i = 0; i < 2; i++) {
        int64_t id = 0;
        struct sql_stmt *st = sql_prepare(db, i == 0 ? featured_sql : body_sql);
        sql_bind_int64(st, 1, media_id);
        int ret = sql_one_int(st, &id);
        if (ret < 0 && ret != -ENOENT)
            return ret;
        if (ret == 0 && id > best)
            best = id;
    }
    *post = best;
    return 0;
}

int db_post_set_featured(struct db *db, int64_t post_id, int64_t media_id)
{
    static const char sql[] = "UPDATE posts SET featured_id = ?2 WHERE id = ?1 AND featured_id IS DISTINCT FROM ?2";
    static const char exists_sql[] = "SELECT 1 FROM posts WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    sql_bind_id(st, 2, media_id);
    int ret = sql_run(st), found = 0;
    if (ret == 0 && sql_changes(db) == 0) { /* unchanged, or no such post */
        st = sql_prepare(db, exists_sql);
        sql_bind_int64(st, 1, post_id);
        if ((ret = sql_exists(st, &found)) == 0 && !found)
            ret = -ENOENT;
    }
    return ret;
}

int db_post_featured(struct db *db, int64_t post_id, int64_t *media_id)
{
    static const char sql[] = "SELECT COALESCE(featured_id, 0) FROM posts WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    return sql_one_int(st, media_id);
}

int db_post_media_set(struct db *db, int64_t post_id, const int64_t *media_ids, size_t n)
{
    static const char del[] = "DELETE FROM post_media WHERE post_id = ?1";
    static const char ins[] = "INSERT INTO post_media (post_id, media_id) VALUES (?1, ?2) "
                              "ON CONFLICT (post_id, media_id) DO NOTHING";
    int ret = db_begin(db);
    if (ret < 0)
        return ret;
    struct sql_stmt *st = sql_prepare(db, del);
    sql_bind_int64(st, 1, post_id);
    ret = sql_run(st);
    for (size_t i = 0; ret == 0 && i < n; i++) {
        st = sql_prepare(db, ins);
        sql_bind_int64(st, 1, post_id);
        sql_bind_int64(st, 2, media_ids[i]);
        ret = sql_run(st);
    }
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

int db_post_set_body(struct db *db, int64_t post_id, const char *source, const char *html)
{
    static const char sql[] = "UPDATE posts SET source = ?2, html = ?3 WHERE id = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, post_id);
    sql_bind_text(st, 2, source);
    sql_bind_text(st, 3, html);
    return sql_run_one(st);
}

void medium_clear(struct medium *m)
{
    if (m == NULL)
        return;
    free(m->hash);
    free(m->dir);
    free(m->mime);
    free(m->title);
    free(m->alt);
    free(m->caption);
    free(m->credit);
    for (size_t i = 0; i < m->ncopies; i++) {
        free(m->copies[i].format);
        free(m->copies[i].path);
    }
    free(m->copies);
    memset(m, 0, sizeof(*m));
}

void media_list_free(struct media_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        medium_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}
