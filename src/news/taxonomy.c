/* Categories and tags: lookups for archive pages, creating terms by name, and the newsroom's
 * rules for renaming, merging and deleting them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/slug.h"
#include "news/taxonomy.h"
#include "news/session.h"
#include "news/settings.h"

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

/* ---- managing terms from the newsroom ------------------------------------------------------ */

static int refuse(const char **why, const char *text, int ret)
{
    if (why != NULL)
        *why = text;
    return ret;
}

int term_moved(struct db *db, enum term_taxonomy tax, const char *slug, size_t n, char **out)
{
    char s[SLUG_MAX + 1];
    int64_t id;
    struct term t = {0};
    if (slug == NULL || n == 0 || n > SLUG_MAX || memchr(slug, '\0', n) != NULL)
        return -ENOENT;
    memcpy(s, slug, n);
    s[n] = '\0';
    int ret = db_term_redirect_get(db, tax, s, &id);
    if (ret == 0 && (ret = db_term_get(db, id, &t)) == 0) {
        *out = t.slug;
        t.slug = NULL;
    }
    term_clear(&t);
    return ret;
}

int term_list_admin(struct db *db, enum term_taxonomy tax, struct term_list *out)
{
    return db_term_list_all(db, tax, out);
}

int term_get(struct db *db, int64_t id, struct term *out)
{
    return db_term_get(db, id, out);
}

/* The category the default_category setting names into *out, or 0 when it names none (empty,
 * or not a category's id). */
static int default_setting(struct db *db, int64_t *out)
{
    char *v = NULL;
    struct term t = {0};
    int ret = setting_get(db, "default_category", &v);
    if (ret < 0)
        return ret;
    long long want = v[0] ? strtoll(v, NULL, 10) : 0;
    free(v);
    *out = want > 0 && db_term_get(db, want, &t) == 0 && t.taxonomy == TERM_CATEGORY ? want : 0;
    term_clear(&t);
    return 0;
}

int term_default_category(struct db *db, int64_t *id)
{
    int64_t want;
    int ret = default_setting(db, &want);
    if (ret < 0)
        return ret;
    if (want > 0) {
        *id = want;
        return 0;
    }
    return term_ensure(db, TERM_CATEGORY, TERM_DEFAULT_NAME, id);
}

/* 1 in *out when t is the default category: the one the setting names, or without a valid
 * setting the category called Uncategorized. */
static int is_default(struct db *db, const struct term *t, int *out)
{
    int64_t want;
    int ret = default_setting(db, &want);
    if (ret < 0)
        return ret;
    *out = t->taxonomy == TERM_CATEGORY && (want > 0 ? want == t->id : strcasecmp(t->name, TERM_DEFAULT_NAME) == 0);
    return 0;
}

/* The slug for in: the one given (checked), else one made from the name, unique in tax (a term
 * keeps its own slug: except_id). Into out (SLUG_MAX + 1 bytes). */
static int pick_slug(struct db *db, enum term_taxonomy tax, const char *given, const char *name, int64_t except_id,
                     char *out, const char **why)
{
    struct term other = {0};
    int ret;
    if (given != NULL && given[0] != '\0') {
        if (!slug_valid(given, strlen(given)) || strlen(given) > SLUG_MAX)
            return refuse(why, "A slug has lower-case letters a-z, digits and single hyphens.", -EINVAL);
        ret = db_term_get_by_slug(db, tax, given, &other);
        int64_t owner = other.id;
        term_clear(&other);
        if (ret == 0 && owner != except_id)
            return refuse(why, "Another term has that slug.", -EEXIST);
        if (ret < 0 && ret != -ENOENT)
            return ret;
        strcpy(out, given);
        return 0;
    }
    char base[SLUG_MAX + 1];
    size_t n = slug_make(name, strlen(name), base, sizeof(base));
    if (n == 0)
        n = (size_t)snprintf(base, sizeof(base), "%s", tax == TERM_CATEGORY ? "category" : "tag");
    for (int i = 1; i <= SLUG_TRIES; i++) {
        if (i == 1)
            snprintf(out, SLUG_MAX + 1, "%s", base);
        else
            snprintf(out, SLUG_MAX + 1, "%.*s-%d", (int)(n > SLUG_MAX - 8 ? SLUG_MAX - 8 : n), base, i);
        ret = db_term_get_by_slug(db, tax, out, &other);
        int64_t owner = other.id;
        term_clear(&other);
        if (ret == -ENOENT || (ret == 0 && owner == except_id))
            return 0;
        if (ret < 0)
            return ret;
    }
    return -EEXIST;
}

/* A parent for category id (0: a new one): none, or a category that is not id nor below it. */
static int check_parent(struct db *db, enum term_taxonomy tax, int64_t id, int64_t parent, const char **why)
{
    if (parent == 0)
        return 0;
    if (tax != TERM_CATEGORY)
        return refuse(why, "Tags have no parent.", -EINVAL);
    int64_t at = parent;
    for (int depth = 0; at != 0; depth++) {
        struct term t = {0};
        int ret = db_term_get(db, at, &t);
        enum term_taxonomy ttax = t.taxonomy;
        int64_t up = t.parent_id;
        term_clear(&t);
        if (ret == -ENOENT || (ret == 0 && ttax != TERM_CATEGORY))
            return refuse(why, "The parent must be one of the categories.", -EINVAL);
        if (ret < 0)
            return ret;
        if (at == id)
            return refuse(why, "A category cannot be placed under itself or one of its own sub-categories.", -EINVAL);
        if (depth >= TERM_DEPTH_MAX)
            return refuse(why, "The categories are nested too deeply.", -EINVAL);
        at = up;
    }
    return 0;
}

static int check_name(const struct term_edit *in, const char **why)
{
    if (in->name == NULL || in->name[0] == '\0' || strlen(in->name) > TERM_NAME_MAX)
        return refuse(why, "A name has 1 to 200 bytes.", -EINVAL);
    return 0;
}

/* Runs the end of a transaction: commit when ret is 0, else roll back and return ret. */
static int finish(struct db *db, int ret)
{
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

int term_add(struct db *db, const struct user *by, enum term_taxonomy tax, const struct term_edit *in, int64_t *id,
             const char **why)
{
    char slug[SLUG_MAX + 1];
    int ret;
    if (!role_can(by->role, CAP_MANAGE_TERMS))
        return refuse(why, "Sorry, you are not allowed to manage categories and tags.", -EACCES);
    if ((ret = check_name(in, why)) < 0 || (ret = db_begin(db)) < 0)
        return ret;
    if ((ret = check_parent(db, tax, 0, in->parent_id, why)) == 0 &&
        (ret = pick_slug(db, tax, in->slug, in->name, 0, slug, why)) == 0) {
        struct term t = {.taxonomy = tax, .name = (char *)in->name, .slug = slug, .parent_id = in->parent_id};
        if ((ret = db_term_insert(db, &t)) == 0)
            *id = t.id;
    }
    return finish(db, ret);
}

int term_change(struct db *db, const struct user *by, int64_t id, const struct term_edit *in, const char **why)
{
    char slug[SLUG_MAX + 1], followed[SLUG_MAX + 1];
    struct term t = {0};
    int ret;
    if (!role_can(by->role, CAP_MANAGE_TERMS))
        return refuse(why, "Sorry, you are not allowed to manage categories and tags.", -EACCES);
    if ((ret = check_name(in, why)) < 0 || (ret = db_begin(db)) < 0)
        return ret;
    if ((ret = db_term_get(db, id, &t)) < 0) {
        refuse(why, "There is no such category or tag.", 0);
        goto out;
    }
    /* a slug left as it was and made from the old name follows the new name */
    const char *given = in->slug;
    size_t fn = slug_make(t.name, strlen(t.name), followed, sizeof(followed));
    if (given != NULL && strcmp(given, t.slug) == 0 && strcmp(in->name, t.name) != 0 && fn > 0 &&
        strncmp(t.slug, followed, fn) == 0 && (t.slug[fn] == '\0' || t.slug[fn] == '-'))
        given = NULL;
    if ((ret = check_parent(db, t.taxonomy, id, in->parent_id, why)) < 0 ||
        (ret = pick_slug(db, t.taxonomy, given, in->name, id, slug, why)) < 0)
        goto out;
    if (strcmp(slug, t.slug) != 0 && (ret = db_term_redirect_add(db, t.taxonomy, t.slug, id)) < 0)
        goto out;
    struct term up = {
        .id = id, .taxonomy = t.taxonomy, .name = (char *)in->name, .slug = slug, .parent_id = in->parent_id};
    ret = db_term_update(db, &up);
out:
    term_clear(&t);
    return finish(db, ret);
}

int term_merge(struct db *db, const struct user *by, int64_t from, int64_t to, const char **why)
{
    struct term a = {0}, b = {0};
    int ret;
    if (!role_can(by->role, CAP_MANAGE_TERMS))
        return refuse(why, "Sorry, you are not allowed to manage categories and tags.", -EACCES);
    if (from == to)
        return refuse(why, "Choose another term to merge into.", -EINVAL);
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = db_term_get(db, from, &a)) < 0 || (ret = db_term_get(db, to, &b)) < 0) {
        refuse(why, "There is no such category or tag.", 0);
        goto out;
    }
    if (a.taxonomy != b.taxonomy) {
        ret = refuse(why, "A category merges into a category, a tag into a tag.", -EINVAL);
        goto out;
    }
    if (a.taxonomy == TERM_CATEGORY && (ret = check_parent(db, TERM_CATEGORY, from, to, why)) < 0) {
        refuse(why, "A category cannot be merged into one of its own sub-categories.", 0);
        goto out;
    }
    int was_default = 0;
    if (a.taxonomy == TERM_CATEGORY && (ret = is_default(db, &a, &was_default)) < 0)
        goto out;
    if ((ret = db_term_merge(db, from, to)) < 0 || (ret = db_term_redirect_add(db, a.taxonomy, a.slug, to)) < 0)
        goto out;
    if (was_default) { /* the default category merged away: its successor is the default */
        char v[24];
        snprintf(v, sizeof(v), "%lld", (long long)to);
        ret = setting_set(db, "default_category", v);
    }
out:
    term_clear(&a);
    term_clear(&b);
    return finish(db, ret);
}

int term_remove(struct db *db, const struct user *by, int64_t id, const char **why)
{
    struct term t = {0};
    int64_t fallback = 0;
    int ret, def = 0;
    if (!role_can(by->role, CAP_MANAGE_TERMS))
        return refuse(why, "Sorry, you are not allowed to manage categories and tags.", -EACCES);
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = db_term_get(db, id, &t)) < 0) {
        refuse(why, "There is no such category or tag.", 0);
        goto out;
    }
    if ((ret = is_default(db, &t, &def)) < 0)
        goto out;
    if (def) {
        ret = refuse(why, "This is the default category: choose another default in the settings first.", -EBUSY);
        goto out;
    }
    if (t.taxonomy == TERM_CATEGORY && (ret = term_default_category(db, &fallback)) < 0)
        goto out;
    ret = db_term_delete(db, id, fallback);
out:
    term_clear(&t);
    return finish(db, ret);
}
