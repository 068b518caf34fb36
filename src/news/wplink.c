/* Old WordPress links (see wplink.h): the ids and paths recorded by the import (db/wpmap.h)
 * turned into today's addresses. */
#include "news/wplink.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db/wpmap.h"
#include "news/post.h"
#include "news/taxonomy.h"

#define WPLINK_ID_DIGITS 18

/* A positive decimal id of at most WPLINK_ID_DIGITS digits, else 0. */
static int64_t parse_id(const char *s, size_t n)
{
    if (n == 0 || n > WPLINK_ID_DIGITS)
        return 0;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int post_to_path(struct db *db, int64_t id, int64_t now, char *out, size_t cap)
{
    struct post p = {0};
    int rc = post_public_by_id(db, id, now, &p);
    if (rc < 0)
        return rc;
    int len = post_path(&p, out, cap);
    post_clear(&p);
    return len > 0 ? 0 : -ENOENT;
}

static int term_path(struct db *db, int64_t id, enum term_taxonomy tax, char *out, size_t cap)
{
    struct term t = {0};
    int rc = db_term_get(db, id, &t);
    if (rc < 0)
        return rc;
    if (t.taxonomy != tax) {
        term_clear(&t);
        return -ENOENT;
    }
    int len = snprintf(out, cap, "/%s/%s/", tax == TERM_CATEGORY ? "category" : "tag", t.slug);
    term_clear(&t);
    return len > 0 && (size_t)len < cap ? 0 : -ENOENT;
}

int wplink_from_query(struct db *db, const char *name, const char *value, size_t n, int64_t now, char *out, size_t cap)
{
    int64_t id = parse_id(value, n), local;
    if (strcmp(name, "p") == 0 || strcmp(name, "page_id") == 0) {
        if (id == 0)
            return -ENOENT;
        if (db_wp_map_find(db, WP_POST, id, &local) == 0 && post_to_path(db, local, now, out, cap) == 0)
            return 0;
        return post_to_path(db, id, now, out, cap);
    }
    if (strcmp(name, "cat") == 0) {
        if (id == 0 || db_wp_map_find(db, WP_CATEGORY, id, &local) < 0)
            return -ENOENT;
        return term_path(db, local, TERM_CATEGORY, out, cap);
    }
    if (strcmp(name, "tag") == 0) {
        struct term t = {0};
        if (n == 0 || n > TERM_NAME_MAX || term_by_slug(db, TERM_TAG, value, n, &t) < 0)
            return -ENOENT;
        int len = snprintf(out, cap, "/tag/%s/", t.slug);
        term_clear(&t);
        return len > 0 && (size_t)len < cap ? 0 : -ENOENT;
    }
    if (strcmp(name, "author") == 0) {
        struct user u = {0};
        if (id == 0)
            return -ENOENT;
        if (db_wp_map_find(db, WP_USER, id, &local) < 0)
            local = id; /* exports without author ids: the user's own id */
        if (db_user_get(db, local, &u) < 0)
            return -ENOENT;
        int len = snprintf(out, cap, "/author/%s/", u.login);
        user_clear(&u);
        return len > 0 && (size_t)len < cap ? 0 : -ENOENT;
    }
    return -ENOENT;
}

int wplink_from_path(struct db *db, const char *path, size_t n, int64_t now, char *out, size_t cap)
{
    int64_t id;
    if (n == 0 || n >= WP_PATH_MAX || db_wp_path_find(db, path, n, &id) < 0)
        return -ENOENT;
    int rc = post_to_path(db, id, now, out, cap);
    if (rc < 0)
        return rc;
    if (strlen(out) == n && memcmp(out, path, n) == 0)
        return -ENOENT; /* it still lives there: no redirect loop */
    return 0;
}
