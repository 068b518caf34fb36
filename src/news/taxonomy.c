/* Categories and tags: lookups for archive pages and creating terms by name. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/slug.h"
#include "news/taxonomy.h"

#define PER_PAGE_MAX 1000
#define SLUG_TRIES 10000

int term_by_slug(struct db *db, enum term_taxonomy tax, const char *slug, size_t n, struct term *out)
{
    char s[SLUG_MAX + 1];
    if (slug == NULL || n == 0 || n > SLUG_MAX || memchr(slug, '\0', n) != NULL)
        return -ENOENT;
    memcpy(s, slug, n);
    s[n] = '\0';
    return db_term_get_by_slug(db, tax, s, out);
}

int term_posts(struct db *db, int64_t term_id, int64_t now, size_t page, size_t per_page, struct post_list *out)
{
    if (page == 0)
        page = 1;
    if (per_page == 0)
        per_page = 1;
    if (per_page > PER_PAGE_MAX)
        per_page = PER_PAGE_MAX;
    if (term_id == 0 || page - 1 > SIZE_MAX / per_page / 2) {
        out->items = NULL;
        out->n = 0;
        return 0;
    }
    return db_post_list_public(db, now, term_id, 0, (page - 1) * per_page, per_page, out);
}

int term_post_count(struct db *db, int64_t term_id, int64_t now, int64_t *out)
{
    if (term_id == 0) {
        *out = 0;
        return 0;
    }
    return db_post_count_public(db, now, term_id, out);
}

int term_list(struct db *db, enum term_taxonomy tax, int64_t now, struct term_list *out)
{
    return db_term_list(db, tax, now, out);
}

int term_ensure(struct db *db, enum term_taxonomy tax, const char *name, int64_t *id)
{
    struct term t = {0};
    char base[SLUG_MAX + 1];
    size_t n;
    int ret;

    if (name == NULL || name[0] == '\0' || strlen(name) > TERM_NAME_MAX)
        return -EINVAL;
    ret = db_term_get_by_name(db, tax, name, &t);
    if (ret == 0) {
        *id = t.id;
        term_clear(&t);
        return 0;
    }
    if (ret != -ENOENT)
        return ret;
    if (slug_valid(name, strlen(name)) && (ret = db_term_get_by_slug(db, tax, name, &t)) != -ENOENT) {
        /* "world-news" names the existing "World News" by its slug */
        if (ret == 0)
            *id = t.id;
        term_clear(&t);
        return ret;
    }
    n = slug_make(name, strlen(name), base, sizeof(base));
    if (n == 0)
        n = (size_t)snprintf(base, sizeof(base), "%s", tax == TERM_CATEGORY ? "category" : "tag");
    for (int i = 1; i <= SLUG_TRIES; i++) {
        char cand[SLUG_MAX + 24];
        struct term other;
        if (i == 1)
            snprintf(cand, sizeof(cand), "%s", base);
        else
            snprintf(cand, sizeof(cand), "%.*s-%d", (int)(n > SLUG_MAX - 8 ? SLUG_MAX - 8 : n), base, i);
        ret = db_term_get_by_slug(db, tax, cand, &other);
        if (ret == 0) {
            term_clear(&other);
            continue;
        }
        if (ret != -ENOENT)
            return ret;
        t.taxonomy = tax;
        t.name = (char *)name;
        t.slug = cand;
        ret = db_term_insert(db, &t);
        if (ret == 0)
            *id = t.id;
        return ret;
    }
    return -EEXIST;
}
