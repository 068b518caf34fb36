/* The sitemaps' rules over db/sitemap.h: file numbers from the kept post count or from the
 * highest id of a term or user, each range of ids probed once for something public. */
#include "news/sitemap.h"

#include <errno.h>
#include <string.h>

static const char *const names[SITEMAP_KINDS] = {"posts", "pages", "categories", "tags", "authors"};

const char *sitemap_kind_name(enum sitemap_kind k)
{
    return (unsigned)k < SITEMAP_KINDS ? names[k] : "";
}

int sitemap_kind_parse(const char *s, size_t n, enum sitemap_kind *out)
{
    for (size_t i = 0; i < SITEMAP_KINDS; i++)
        if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0) {
            *out = (enum sitemap_kind)i;
            return 0;
        }
    return -EINVAL;
}

/* Categories and tags are terms; authors are users. */
static int is_term(enum sitemap_kind k)
{
    return k == SITEMAP_CATEGORIES || k == SITEMAP_TAGS;
}

static enum term_taxonomy taxonomy(enum sitemap_kind k)
{
    return k == SITEMAP_CATEGORIES ? TERM_CATEGORY : TERM_TAG;
}

/* Ids in (lo, hi] of the ranges of file `file`. */
static void id_range(unsigned file, int64_t *lo, int64_t *hi)
{
    *lo = (int64_t)(file - 1) * SITEMAP_MAX_URLS;
    *hi = (int64_t)file * SITEMAP_MAX_URLS;
}

/* The entries of the posts or pages sitemaps: the pages' start with the home page. */
static int count(struct db *db, enum sitemap_kind k, int64_t now, int64_t *out)
{
    if (k == SITEMAP_POSTS)
        return db_sitemap_post_count(db, now, out);
    int64_t n;
    int ret = db_sitemap_page_count(db, now, &n);
    if (ret == 0)
        *out = n + 1;
    return ret;
}

int sitemap_files(struct db *db, enum sitemap_kind k, int64_t now, unsigned *out, size_t max, size_t *n)
{
    size_t got = 0;
    int64_t total, top;
    int ret;
    if (k == SITEMAP_POSTS || k == SITEMAP_PAGES) {
        if ((ret = count(db, k, now, &total)) < 0)
            return ret;
        for (int64_t f = 1; (f - 1) * SITEMAP_MAX_URLS < total && got < max; f++)
            out[got++] = (unsigned)f;
        *n = got;
        return 0;
    }
    ret = is_term(k) ? db_sitemap_term_max_id(db, taxonomy(k), &top) : db_sitemap_user_max_id(db, &top);
    if (ret < 0)
        return ret;
    for (int64_t f = 1; (f - 1) * SITEMAP_MAX_URLS < top && got < max; f++) {
        int64_t lo, hi;
        int any = 0;
        id_range((unsigned)f, &lo, &hi);
        ret = is_term(k) ? db_sitemap_terms_any(db, taxonomy(k), now, lo, hi, &any)
                         : db_sitemap_authors_any(db, now, lo, hi, &any);
        if (ret < 0)
            return ret;
        if (any)
            out[got++] = (unsigned)f;
    }
    *n = got;
    return 0;
}

int sitemap_posts(struct db *db, enum sitemap_kind k, int64_t now, unsigned file, struct post_list *out)
{
    int64_t total;
    int ret;
    if (file < 1 || (k != SITEMAP_POSTS && k != SITEMAP_PAGES))
        return -ENOENT;
    if ((ret = count(db, k, now, &total)) < 0)
        return ret;
    size_t offset = (size_t)(file - 1) * SITEMAP_MAX_URLS;
    if ((int64_t)offset >= total)
        return -ENOENT;
    if (k == SITEMAP_POSTS)
        return db_sitemap_posts(db, now, offset, SITEMAP_MAX_URLS, out);
    /* the home page is the pages' first entry */
    return db_sitemap_pages(db, now, file == 1 ? 0 : offset - 1, file == 1 ? SITEMAP_MAX_URLS - 1 : SITEMAP_MAX_URLS,
                            out);
}

int sitemap_items(struct db *db, enum sitemap_kind k, int64_t now, unsigned file, struct sitemap_item_list *out)
{
    struct sitemap_item_list l = {0};
    int64_t lo, hi;
    int ret;
    if (file < 1 || (k != SITEMAP_CATEGORIES && k != SITEMAP_TAGS && k != SITEMAP_AUTHORS))
        return -ENOENT;
    id_range(file, &lo, &hi);
    ret = is_term(k) ? db_sitemap_terms(db, taxonomy(k), now, lo, hi, &l) : db_sitemap_authors(db, now, lo, hi, &l);
    if (ret < 0)
        return ret;
    if (l.n == 0) {
        sitemap_item_list_free(&l);
        return -ENOENT;
    }
    *out = l;
    return 0;
}

int sitemap_news(struct db *db, int64_t now, struct post_list *out)
{
    return db_sitemap_news(db, now - SITEMAP_NEWS_SECONDS, now, SITEMAP_NEWS_MAX, out);
}
