/* The rules of the sitemaps: what each sitemap holds and how it is cut into files of at most
 * SITEMAP_MAX_URLS addresses. Posts are listed oldest first, so that a file's content only
 * changes when one of its own posts does and new posts go to the last file; categories, tags and
 * authors by ranges of their ids. Only what readers may see: published, due, without a password. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/sitemap.h"

#define SITEMAP_MAX_URLS 10000           /* addresses in one sitemap file */
#define SITEMAP_INDEX_MAX 50000          /* files one sitemap index lists (the protocol's limit) */
#define SITEMAP_NEWS_MAX 1000            /* articles in the news sitemap */
#define SITEMAP_NEWS_SECONDS (48 * 3600) /* how recent they are */

enum sitemap_kind { SITEMAP_POSTS, SITEMAP_PAGES, SITEMAP_CATEGORIES, SITEMAP_TAGS, SITEMAP_AUTHORS };
#define SITEMAP_KINDS 5

/* "posts", "pages", "categories", "tags", "authors": the file of page N is /sitemap-NAME-N.xml. */
const char *sitemap_kind_name(enum sitemap_kind k);
/* The kind named by n bytes at s; -EINVAL when none. */
int sitemap_kind_parse(const char *s, size_t n, enum sitemap_kind *out);

/* The numbers of the files of kind that hold something, ascending, into out[0..*n) (at most max). */
int sitemap_files(struct db *db, enum sitemap_kind k, int64_t now, unsigned *out, size_t max, size_t *n);

/* File `file` (from 1) of posts or pages: at most SITEMAP_MAX_URLS of them, oldest first (only
 * id, type, title, slug, dates and category are read). The pages' first file starts with the
 * home page, which is not in the list: it holds one page fewer. -ENOENT past the last file. */
int sitemap_posts(struct db *db, enum sitemap_kind k, int64_t now, unsigned file, struct post_list *out);

/* File `file` of categories, tags or authors. -ENOENT when it holds none. */
int sitemap_items(struct db *db, enum sitemap_kind k, int64_t now, unsigned file, struct sitemap_item_list *out);

/* The news sitemap's articles: published in the last SITEMAP_NEWS_SECONDS, newest first, at most
 * SITEMAP_NEWS_MAX. */
int sitemap_news(struct db *db, int64_t now, struct post_list *out);
