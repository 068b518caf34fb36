/* Storage for what search engines and social sites read besides the pages: the entries of the
 * sitemaps (read at a cost that does not grow with the archive: posts through the kept counts,
 * terms and authors by ranges of ids) and the images of the site's identity (migration 0007).
 * Same conventions as db.h: 0 or a negative errno, out-parameters written only on success. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* Published posts of type post, due by now, oldest first (published_at, id): [offset, offset +
 * limit) of them. Only id, type, title, slug, published_at, modified_at, password and
 * category_slug are read (enough for post_path); posts with a password are counted in the
 * offsets but left out of the list. A deep offset costs what the first does. */
int db_sitemap_posts(struct db *db, int64_t now, size_t offset, size_t limit, struct post_list *out);

/* How many posts db_sitemap_posts pages through (password-protected ones included). */
int db_sitemap_post_count(struct db *db, int64_t now, int64_t *out);

/* Published static pages due by now without a password, oldest first, [offset, offset + limit)
 * (the same fields). Pages are few: the cost grows with their number, not with the posts'. */
int db_sitemap_pages(struct db *db, int64_t now, size_t offset, size_t limit, struct post_list *out);
/* How many published pages due by now there are (with a password or not). */
int db_sitemap_page_count(struct db *db, int64_t now, int64_t *out);

/* Published posts of type post with published_at in [from, now], without a password, newest
 * first, at most limit (the news sitemap). */
int db_sitemap_news(struct db *db, int64_t from, int64_t now, size_t limit, struct post_list *out);

/* A category, tag or author in a sitemap: its slug (or login) and when its newest published post
 * (due by now) was published. */
struct sitemap_item {
    int64_t id;
    char *slug;
    int64_t lastmod;
};

struct sitemap_item_list {
    struct sitemap_item *items;
    size_t n;
};

void sitemap_item_list_free(struct sitemap_item_list *l);

/* The terms of a taxonomy with ids in (after, upto] that have a published post due by now, by id. */
int db_sitemap_terms(struct db *db, enum term_taxonomy tax, int64_t now, int64_t after, int64_t upto,
                     struct sitemap_item_list *out);
/* 1 in *out when db_sitemap_terms would list something for that range, else 0. */
int db_sitemap_terms_any(struct db *db, enum term_taxonomy tax, int64_t now, int64_t after, int64_t upto, int *out);
/* The highest id of a term of the taxonomy (0 when there is none). */
int db_sitemap_term_max_id(struct db *db, enum term_taxonomy tax, int64_t *out);

/* The same for authors: users with ids in (after, upto] who have a published post due by now. */
int db_sitemap_authors(struct db *db, int64_t now, int64_t after, int64_t upto, struct sitemap_item_list *out);
int db_sitemap_authors_any(struct db *db, int64_t now, int64_t after, int64_t upto, int *out);
int db_sitemap_user_max_id(struct db *db, int64_t *out);

/* ---- the site's identity images ------------------------------------------------------- */

#define DB_SITE_IMAGE_NAME_MAX 64

/* An image served under /NAME, made from the file a setting names. body is NULL in lists. */
struct site_image {
    char name[DB_SITE_IMAGE_NAME_MAX];
    char setting[DB_SITE_IMAGE_NAME_MAX];
    char content_type[32];
    int width, height;
    unsigned char *body; /* heap */
    size_t len;
};

/* Stores (or replaces) an image. */
int db_site_image_put(struct db *db, const struct site_image *img);
/* Deletes every image made from setting. */
int db_site_image_drop(struct db *db, const char *setting);
/* The image served under name, with its body (free it with free()). -ENOENT when none. */
int db_site_image_get(struct db *db, const char *name, struct site_image *out);
/* The image served under name without its body (len tells its size). -ENOENT when none. */
int db_site_image_info(struct db *db, const char *name, struct site_image *out);
