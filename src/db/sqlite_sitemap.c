/* The SQLite backend of db/sitemap.h. A page of the posts sitemap finds where it starts through
 * the kept counts (db_list_seek), then reads the ids of its posts from the (type, status,
 * published_at, id) index and the few columns a URL needs by id; terms and authors are read by
 * ranges of ids, each with one probe of an index for its newest post. The SQL is plain (?N
 * parameters, COALESCE) so that another backend can say the same. */
#include <errno.h>
#include <stdio.h>

#include "db/sitemap.h"
#include "db/sqlite_int.h"

/* The columns read_light() expects, from posts p. */
#define LIGHT_COLS                                                                                                     \
    "SELECT p.id, p.type, p.title, p.slug, p.published_at, p.modified_at, p.password, "                                \
    "(SELECT t.slug FROM post_terms pt CROSS JOIN terms t ON t.id = pt.term_id WHERE pt.post_id = p.id "               \
    "AND t.taxonomy = 'category' ORDER BY t.name COLLATE NOCASE, t.id LIMIT 1) FROM posts p "
#define NO_PASSWORD "COALESCE(p.password, '') = '' "
#define PUBLIC_POST "type = 'post' AND status = 'published' "

static void read_light(sqlite3_stmt *st, struct post *p)
{
    const char *s;
    memset(p, 0, sizeof(*p));
    p->id = sqlite3_column_int64(st, 0);
    s = (const char *)sqlite3_column_text(st, 1);
    if (s == NULL || post_type_parse(s, &p->type) < 0)
        p->type = POST_TYPE_POST;
    p->status = POST_PUBLISHED;
    p->title = db_col_str0(st, 2);
    p->slug = db_col_str0(st, 3);
    p->published_at = sqlite3_column_int64(st, 4);
    p->modified_at = sqlite3_column_int64(st, 5);
    p->password = db_col_str(st, 6);
    p->category_slug = db_col_str(st, 7);
    p->excerpt = db_xmalloc(1); /* never NULL after a read; sitemaps need none */
    p->excerpt[0] = '\0';
}

static int many_light(struct db *db, sqlite3_stmt *st, struct post_list *out)
{
    struct post_list l = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        read_light(st, db_list_push((void **)&l.items, &l.n, sizeof(struct post)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        post_list_free(&l);
        return db_fail(db, rc);
    }
    *out = l;
    return 0;
}

static int64_t clamp_size(size_t v)
{
    return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

int db_sitemap_post_count(struct db *db, int64_t now, int64_t *out)
{
    return db_post_count_public(db, now, 0, out);
}

int db_sitemap_posts(struct db *db, int64_t now, size_t offset, size_t limit, struct post_list *out)
{
    /* Newest first, the page [offset, offset + limit) oldest first is [total - offset - limit,
     * total - offset) of the newest-first list: found there through the counts, then turned. */
    static const char sql[] =
        LIGHT_COLS "WHERE p.id IN (SELECT id FROM posts WHERE " PUBLIC_POST
                   "AND published_at < ?1 ORDER BY published_at DESC, id DESC LIMIT ?2 OFFSET ?3) "
                   "AND " NO_PASSWORD "ORDER BY p.published_at, p.id";
    int64_t total, hi, rank;
    int ret;
    if ((ret = db_post_count_public(db, now, 0, &total)) < 0)
        return ret;
    int64_t off = clamp_size(offset), lim = clamp_size(limit);
    if (off >= total || lim == 0) {
        out->items = NULL;
        out->n = 0;
        return 0;
    }
    int64_t end = total - off;                 /* newest-first index just past the page's oldest post */
    int64_t start = end > lim ? end - lim : 0; /* newest-first index of the page's newest post */
    if ((ret = db_list_seek(db, now, (size_t)start, &hi, &rank)) < 0)
        return ret;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, hi);
    sqlite3_bind_int64(st, 2, end - start);
    sqlite3_bind_int64(st, 3, rank);
    return many_light(db, st, out);
}

int db_sitemap_page_count(struct db *db, int64_t now, int64_t *out)
{
    static const char sql[] =
        "SELECT count(*) FROM posts WHERE type = 'page' AND status = 'published' AND published_at <= ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    return db_step_int(db, st, out);
}

int db_sitemap_pages(struct db *db, int64_t now, size_t offset, size_t limit, struct post_list *out)
{
    static const char sql[] = LIGHT_COLS "WHERE p.id IN (SELECT id FROM posts WHERE type = 'page' AND "
                                         "status = 'published' AND published_at <= ?1 ORDER BY published_at, id "
                                         "LIMIT ?2 OFFSET ?3) AND " NO_PASSWORD "ORDER BY p.published_at, p.id";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, clamp_size(limit));
    sqlite3_bind_int64(st, 3, clamp_size(offset));
    return many_light(db, st, out);
}

int db_sitemap_news(struct db *db, int64_t from, int64_t now, size_t limit, struct post_list *out)
{
    static const char sql[] = LIGHT_COLS "WHERE p.id IN (SELECT id FROM posts WHERE " PUBLIC_POST
                                         "AND published_at >= ?1 AND published_at <= ?2 "
                                         "ORDER BY published_at DESC, id DESC LIMIT ?3) "
                                         "AND " NO_PASSWORD "ORDER BY p.published_at DESC, p.id DESC";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, clamp_size(limit));
    return many_light(db, st, out);
}

void sitemap_item_list_free(struct sitemap_item_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].slug);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* The newest published post of a term or an author, due by now (?4 for terms, ?3 for authors). */
#define TERM_NEWEST                                                                                                    \
    "(SELECT max(pt.published_at) FROM post_terms pt WHERE pt.term_id = t.id AND pt.published_at IS NOT NULL "         \
    "AND pt.published_at <= ?4)"
#define AUTHOR_NEWEST                                                                                                  \
    "(SELECT max(p.published_at) FROM posts p WHERE p.author_id = u.id AND p.type = 'post' AND "                       \
    "p.status = 'published' AND p.published_at <= ?3)"

/* Steps a statement of (id, slug, newest) rows, keeping those with a newest post. */
static int many_items(struct db *db, sqlite3_stmt *st, struct sitemap_item_list *out)
{
    struct sitemap_item_list l = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 2) == SQLITE_NULL)
            continue;
        struct sitemap_item *it = db_list_push((void **)&l.items, &l.n, sizeof(*it));
        it->id = sqlite3_column_int64(st, 0);
        it->slug = db_col_str0(st, 1);
        it->lastmod = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        sitemap_item_list_free(&l);
        return db_fail(db, rc);
    }
    *out = l;
    return 0;
}

static int any_row(struct db *db, sqlite3_stmt *st, int *out)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, rc);
    *out = rc == SQLITE_ROW;
    return 0;
}

static sqlite3_stmt *term_range(struct db *db, const char *sql, enum term_taxonomy tax, int64_t now, int64_t after,
                                int64_t upto)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return NULL;
    db_bind_text(st, 1, term_taxonomy_name(tax));
    sqlite3_bind_int64(st, 2, after);
    sqlite3_bind_int64(st, 3, upto);
    sqlite3_bind_int64(st, 4, now);
    return st;
}

int db_sitemap_terms(struct db *db, enum term_taxonomy tax, int64_t now, int64_t after, int64_t upto,
                     struct sitemap_item_list *out)
{
    static const char sql[] = "SELECT t.id, t.slug, " TERM_NEWEST " FROM terms t WHERE t.taxonomy = ?1 AND "
                              "t.id > ?2 AND t.id <= ?3 ORDER BY t.id";
    sqlite3_stmt *st = term_range(db, sql, tax, now, after, upto);
    return st != NULL ? many_items(db, st, out) : -EIO;
}

int db_sitemap_terms_any(struct db *db, enum term_taxonomy tax, int64_t now, int64_t after, int64_t upto, int *out)
{
    static const char sql[] = "SELECT 1 FROM terms t WHERE t.taxonomy = ?1 AND t.id > ?2 AND t.id <= ?3 AND "
                              "EXISTS (SELECT 1 FROM post_terms pt WHERE pt.term_id = t.id AND "
                              "pt.published_at IS NOT NULL AND pt.published_at <= ?4) LIMIT 1";
    sqlite3_stmt *st = term_range(db, sql, tax, now, after, upto);
    return st != NULL ? any_row(db, st, out) : -EIO;
}

int db_sitemap_term_max_id(struct db *db, enum term_taxonomy tax, int64_t *out)
{
    static const char sql[] = "SELECT COALESCE(max(id), 0) FROM terms WHERE taxonomy = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, term_taxonomy_name(tax));
    return db_step_int(db, st, out);
}

static sqlite3_stmt *user_range(struct db *db, const char *sql, int64_t now, int64_t after, int64_t upto)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return NULL;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, upto);
    sqlite3_bind_int64(st, 3, now);
    return st;
}

int db_sitemap_authors(struct db *db, int64_t now, int64_t after, int64_t upto, struct sitemap_item_list *out)
{
    static const char sql[] =
        "SELECT u.id, u.login, " AUTHOR_NEWEST " FROM users u WHERE u.id > ?1 AND u.id <= ?2 ORDER BY u.id";
    sqlite3_stmt *st = user_range(db, sql, now, after, upto);
    return st != NULL ? many_items(db, st, out) : -EIO;
}

int db_sitemap_authors_any(struct db *db, int64_t now, int64_t after, int64_t upto, int *out)
{
    static const char sql[] = "SELECT 1 FROM users u WHERE u.id > ?1 AND u.id <= ?2 AND EXISTS (SELECT 1 FROM posts p "
                              "WHERE p.author_id = u.id AND p.type = 'post' AND p.status = 'published' AND "
                              "p.published_at <= ?3) LIMIT 1";
    sqlite3_stmt *st = user_range(db, sql, now, after, upto);
    return st != NULL ? any_row(db, st, out) : -EIO;
}

int db_sitemap_user_max_id(struct db *db, int64_t *out)
{
    static const char sql[] = "SELECT COALESCE(max(id), 0) FROM users";
    sqlite3_stmt *st = db_stmt(db, sql);
    return st != NULL ? db_step_int(db, st, out) : -EIO;
}

int db_site_image_put(struct db *db, const struct site_image *img)
{
    static const char sql[] = "INSERT INTO site_images (name, setting, content_type, width, height, body) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO UPDATE SET "
                              "setting = excluded.setting, content_type = excluded.content_type, "
                              "width = excluded.width, height = excluded.height, body = excluded.body";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, img->name);
    db_bind_text(st, 2, img->setting);
    db_bind_text(st, 3, img->content_type);
    sqlite3_bind_int(st, 4, img->width);
    sqlite3_bind_int(st, 5, img->height);
    sqlite3_bind_blob64(st, 6, img->body, img->len, SQLITE_STATIC);
    return db_exec_stmt(db, st);
}

int db_site_image_drop(struct db *db, const char *setting)
{
    static const char sql[] = "DELETE FROM site_images WHERE setting = ?1";
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, setting);
    return db_exec_stmt(db, st);
}

static void copy_col(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    snprintf(out, cap, "%s", s ? s : "");
}

/* The columns name, setting, content_type, width, height of the current row into *img. */
static void read_image(sqlite3_stmt *st, struct site_image *img)
{
    memset(img, 0, sizeof(*img));
    copy_col(st, 0, img->name, sizeof(img->name));
    copy_col(st, 1, img->setting, sizeof(img->setting));
    copy_col(st, 2, img->content_type, sizeof(img->content_type));
    img->width = sqlite3_column_int(st, 3);
    img->height = sqlite3_column_int(st, 4);
}

/* The image served under name, with its body when body is set. */
static int image_row(struct db *db, const char *name, int body, struct site_image *out)
{
    static const char with_body[] =
        "SELECT name, setting, content_type, width, height, body FROM site_images WHERE name = ?1";
    static const char without[] =
        "SELECT name, setting, content_type, width, height, length(body) FROM site_images WHERE name = ?1";
    sqlite3_stmt *st = db_stmt(db, body ? with_body : without);
    int ret = 0;
    if (st == NULL)
        return -EIO;
    db_bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_image(st, out);
        if (body) {
            out->len = (size_t)sqlite3_column_bytes(st, 5);
            out->body = db_xmalloc(out->len);
            if (out->len > 0)
                memcpy(out->body, sqlite3_column_blob(st, 5), out->len);
        } else {
            out->len = (size_t)sqlite3_column_int64(st, 5);
        }
    } else {
        ret = rc == SQLITE_DONE ? -ENOENT : db_fail(db, rc);
    }
    sqlite3_reset(st);
    return ret;
}

int db_site_image_get(struct db *db, const char *name, struct site_image *out)
{
    return image_row(db, name, 1, out);
}

int db_site_image_info(struct db *db, const char *name, struct site_image *out)
{
    return image_row(db, name, 0, out);
}
