/* Categories and tags: finding them by slug for their archive pages, listing their public
 * posts, creating them by name when a post names one that does not exist yet, and managing them
 * from the newsroom (add, rename, change the slug or the parent, merge, delete), with their old
 * slugs kept so that old addresses answer with a 301.
 *
 * Errors of the managing functions: -EACCES (why says so), -EINVAL a field is wrong (why says
 * which), -EEXIST the slug is taken, -ENOENT no such term, -EBUSY the default category cannot
 * go; storage errors. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/newsroom.h"

#define TERM_NAME_MAX 200 /* bytes */
#define TERM_DEPTH_MAX 32 /* levels of sub-categories a parent may have above it */
#define TERM_DEFAULT_NAME "Uncategorized"

/* The category or tag at /category/slug/ or /tag/slug/ (slug is n bytes). -ENOENT when none. */
int term_by_slug(struct db *db, enum term_taxonomy tax, const char *slug, size_t n, struct term *out);

/* Page `page` (from 1) of the term's published posts, newest first, per_page a page. */
int term_posts(struct db *db, int64_t term_id, int64_t now, size_t page, size_t per_page, struct post_list *out);

/* How many published posts the term has (for the number of pages). */
int term_post_count(struct db *db, int64_t term_id, int64_t now, int64_t *out);

/* Every term of a taxonomy by name, each with its count of published posts. */
int term_list(struct db *db, enum term_taxonomy tax, int64_t now, struct term_list *out);

/* The id of the term called name (ASCII case ignored), or whose slug is name, creating it
 * (slug from the name, unique) when neither exists. -EINVAL for an empty or over-long name. */
int term_ensure(struct db *db, enum term_taxonomy tax, const char *name, int64_t *id);

/* The current slug (heap, in *out) of the term an old slug[0..n) of that taxonomy now names
 * (renamed or merged). -ENOENT when none. */
int term_moved(struct db *db, enum term_taxonomy tax, const char *slug, size_t n, char **out);

/* Every term of a taxonomy by name, each with the number of posts of any status that carry it. */
int term_list_admin(struct db *db, enum term_taxonomy tax, struct term_list *out);

/* A term by id, -ENOENT when none. */
int term_get(struct db *db, int64_t id, struct term *out);

/* The category posts fall back to (the default_category setting, else Uncategorized, made when
 * missing). */
int term_default_category(struct db *db, int64_t *id);

/* What the newsroom sends to add or change a term. */
struct term_edit {
    const char *name;  /* 1..TERM_NAME_MAX bytes */
    const char *slug;  /* NULL or "": from the name (a slug that followed the old name follows the new one) */
    int64_t parent_id; /* categories: 0 for none */
};
int term_add(struct db *db, const struct user *by, enum term_taxonomy tax, const struct term_edit *in, int64_t *id,
             const char **why);
/* Renames, re-slugs and re-parents term id; its old slug keeps answering with a 301. */
int term_change(struct db *db, const struct user *by, int64_t id, const struct term_edit *in, const char **why);
/* Gives the posts of term from to term to (the same taxonomy), then deletes from; from's address
 * answers with a 301 to to's. */
int term_merge(struct db *db, const struct user *by, int64_t from, int64_t to, const char **why);
/* Deletes term id: posts keep their other terms, and a post left without a category gets the
 * default category (which cannot itself be deleted). */
int term_remove(struct db *db, const struct user *by, int64_t id, const char **why);
