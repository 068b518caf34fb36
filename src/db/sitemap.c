/* db/sitemap.h, written once against the statement API. A page of the posts sitemap finds where
 * it starts through the kept counts (db_list_seek, lists.c), then reads the ids of its posts from
 * the (type, status, published_at, id) index and the few columns a URL needs by id; terms and
 * authors are read by ranges of ids, each with one probe of an index for its newest post. The
 * identity images are rows of site_images (migration 0007). */
#include <errno.h>
#include <stdio.h>

#include "db/db_int.h"
#include "db/sitemap.h"

/* The columns read_light() expects, from posts p. */
#define LIGHT_COLS                                                                                                     \
    "SELECT p.id, p.type, p.title, p.slug, p.published_at, p.modified_at, p.password, "                                \
    "(SELECT t.slug FROM post_terms pt CROSS JOIN terms t ON t.id = pt.term_id WHERE pt.post_id = p.id "               \
    "AND t.taxonomy = 'category' ORDER BY t.name COLLATE NOCASE, t.id LIMIT 1) FROM posts p "
#define NO_PASSWORD "COALESCE(p.password, '') = '' "
#define PUBLIC_POST "type = 'post' AND status = 'published' "

static void read_light(struct sql_stmt *st, struct post *p)
{
    const char *s;
    memset(p, 0, sizeof(*p));
    p->id = sql_int64(st, 0);
    s = sql_text(st, 1);
    if (s == NULL || post_type_parse(s, &p->type) < 0)
        p->type = POST_TYPE_POST;
    p->status = POST_PUBLISHED;
    p->title = sql_str0(st, 2);
    p->slug = sql_str0(st, 3);
    p->published_at = sql_int64(st, 4);
    p->modified_at = sql_int64(st, 5);
    p->password = sql_str(st, 6);
    p->category_slug = sql_str(st, 7);
    p->excerpt = db_xmalloc(1); /* never NULL after a read; sitemaps need none */
    p->excerpt[0] = '\0';
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
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, hi);
    sql_bind_int64(st, 2, end - start);
    sql_bind_int64(st, 3, rank);
    return db_many_posts_by(st, read_light, out);
}

int db_sitemap_page_count(struct db *db, int64_t now, int64_t *out)
{
    static const char sql[] =
        "SELECT count(*) FROM posts WHERE type = 'page' AND status = 'published' AND published_at <= ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, now);
    return sql_one_int(st, out);
}

int db_sitemap_pages(struct db *db, int64_t now, size_t offset, size_t limit, struct post_list *out)
{
    static const char sql[] = LIGHT_COLS "WHERE p.id IN (SELECT id FROM posts WHERE type = 'page' AND "
                                         "status = 'published' AND published_at <= ?1 ORDER BY published_at, id "
                                         "LIMIT ?2 OFFSET ?3) AND " NO_PASSWORD "ORDER BY p.published_at, p.id";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, now);
    sql_bind_int64(st, 2, clamp_size(limit));
    sql_bind_int64(st, 3, clamp_size(offset));
    return db_many_posts_by(st, read_light, out);
}

int db_sitemap_news(struct db *db, int64_t from, int64_t now, size_t limit, struct post_list *out)
{
    static const char sql[] = LIGHT_COLS "WHERE p.id IN (SELECT id FROM posts WHERE " PUBLIC_POST
                                         "AND published_at >= ?1 AND published_at <= ?2 "
                                         "ORDER BY published_at DESC, id DESC LIMIT ?3) "
                                         "AND " NO_PASSWORD "ORDER BY p.published_at DESC, p.id DESC";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, from);
    sql_bind_int64(st, 2, now);
    sql_bind_int64(st, 3, clamp_size(limit));
    return db_many_posts_by(st, read_light, out);
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
static int many_items(struct sql_stmt *st, struct sitemap_item_list *out)
{
    struct sitemap_item_list l = {0};
    int rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (sql_is_null(st, 2))
            continue;
        struct sitemap_item *it = db_list_push((void **)&l.items, &l.n, sizeof(*it));
        it->id = sql_int64(st, 0);
        it->slug = sql_str0(st, 1);
        it->lastmod = sql_int64(st, 2);
    }
    sql_reset(st);
    if (rc < 0) {
        sitemap_item_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

static struct sql_stmt *term_range(struct db *db, const char *sql, enum term_taxonomy tax, int64_t now, int64_t after,
                                   int64_t upto)
{
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, term_taxonomy_name(tax));
    sql_bind_int64(st, 2, after);
    sql_bind_int64(st, 3, upto);
    sql_bind_int64(st, 4, now);
    return st;
}

int db_sitemap_terms(struct db *db, enum term_taxonomy tax, int64_t now, int64_t after, int64_t upto,
                     struct sitemap_item_list *out)
{
    static const char sql[] = "SELECT t.id, t.slug, " TERM_NEWEST " FROM terms t WHERE t.taxonomy = ?1 AND "
                              "t.id > ?2 AND t.id <= ?3 ORDER BY t.id";
    return many_items(term_range(db, sql, tax, now, after, upto), out);
}

int db_sitemap_terms_any(struct db *db, enum term_taxonomy tax, int64_t now, int64_t after, int64_t upto, int *out)
{
    static const char sql[] = "SELECT 1 FROM terms t WHERE t.taxonomy = ?1 AND t.id > ?2 AND t.id <= ?3 AND "
                              "EXISTS (SELECT 1 FROM post_terms pt WHERE pt.term_id = t.id AND "
                              "pt.published_at IS NOT NULL AND pt.published_at <= ?4) LIMIT 1";
    return sql_exists(term_range(db, sql, tax, now, after, upto), out);
}

int db_sitemap_term_max_id(struct db *db, enum term_taxonomy tax, int64_t *out)
{
    static const char sql[] = "SELECT COALESCE(max(id), 0) FROM terms WHERE taxonomy = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, term_taxonomy_name(tax));
    return sql_one_int(st, out);
}

static struct sql_stmt *user_range(struct db *db, const char *sql, int64_t now, int64_t after, int64_t upto)
{
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_int64(st, 1, after);
    sql_bind_int64(st, 2, upto);
    sql_bind_int64(st, 3, now);
    return st;
}

int db_sitemap_authors(struct db *db, int64_t now, int64_t after, int64_t upto, struct sitemap_item_list *out)
{
    static const char sql[] =
        "SELECT u.id, u.login, " AUTHOR_NEWEST " FROM users u WHERE u.id > ?1 AND u.id <= ?2 ORDER BY u.id";
    return many_items(user_range(db, sql, now, after, upto), out);
}

int db_sitemap_authors_any(struct db *db, int64_t now, int64_t after, int64_t upto, int *out)
{
    static const char sql[] = "SELECT 1 FROM users u WHERE u.id > ?1 AND u.id <= ?2 AND EXISTS (SELECT 1 FROM posts p "
                              "WHERE p.author_id = u.id AND p.type = 'post' AND p.status = 'published' AND "
                              "p.published_at <= ?3) LIMIT 1";
    return sql_exists(user_range(db, sql, now, after, upto), out);
}

int db_sitemap_user_max_id(struct db *db, int64_t *out)
{
    static const char sql[] = "SELECT COALESCE(max(id), 0) FROM users";
    return sql_one_int(sql_prepare(db, sql), out);
}

int db_site_image_put(struct db *db, const struct site_image *img)
{
    static const char sql[] = "INSERT INTO site_images (name, setting, content_type, width, height, body) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO UPDATE SET "
                              "setting = excluded.setting, content_type = excluded.content_type, "
                              "width = excluded.width, height = excluded.height, body = excluded.body";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, img->name);
    sql_bind_text(st, 2, img->setting);
    sql_bind_text(st, 3, img->content_type);
    sql_bind_int64(st, 4, img->width);
    sql_bind_int64(st, 5, img->height);
    sql_bind_blob(st, 6, img->body, img->len);
    return sql_run(st);
}

int db_site_image_drop(struct db *db, const char *setting)
{
    static const char sql[] = "DELETE FROM site_images WHERE setting = ?1";
    struct sql_stmt *st = sql_prepare(db, sql);
    sql_bind_text(st, 1, setting);
    return sql_run(st);
}

static void copy_col(struct sql_stmt *st, int i, char *out, size_t cap)
{
    const char *s = sql_text(st, i);
    snprintf(out, cap, "%s", s ? s : "");
}

/* The columns name, setting, content_type, width, height of the current row into *img. */
static void read_image(struct sql_stmt *st, struct site_image *img)
{
    memset(img, 0, sizeof(*img));
    copy_col(st, 0, img->name, sizeof(img->name));
    copy_col(st, 1, img->setting, sizeof(img->setting));
    copy_col(st, 2, img->content_type, sizeof(img->content_type));
    img->width = (int)sql_int64(st, 3);
    img->height = (int)sql_int64(st, 4);
}

/* The image served under name, with its body when body is set. */
static int image_row(struct db *db, const char *name, int body, struct site_image *out)
{
    static const char with_body[] =
        "SELECT name, setting, content_type, width, height, body FROM site_images WHERE name = ?1";
    static const char without[] =
        "SELECT name, setting, content_type, width, height, length(body) FROM site_images WHERE name = ?1";
    struct sql_stmt *st = sql_prepare(db, body ? with_body : without);
    int ret = 0;
    sql_bind_text(st, 1, name);
    int rc = sql_step(st);
    if (rc == SQL_ROW) {
        read_image(st, out);
        if (body) {
            size_t n = 0;
            const void *p = sql_blob(st, 5, &n);
            out->len = n;
            out->body = db_xmalloc(n);
            if (n > 0)
                memcpy(out->body, p, n);
        } else {
            out->len = (size_t)sql_int64(st, 5);
        }
    } else {
        ret = rc < 0 ? rc : -ENOENT;
    }
    sql_reset(st);
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
