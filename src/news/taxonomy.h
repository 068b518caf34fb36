/* Categories and tags: finding them by slug for their archive pages, listing their public
 * posts, and creating them by name when a post names one that does not exist yet. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define TERM_NAME_MAX 200 /* bytes */

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
