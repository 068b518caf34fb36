/* Old WordPress addresses of an imported site, and where they live now: /?p=ID, /?page_id=ID,
 * /?cat=ID, /?tag=slug, /?author=ID (WordPress ids, as the import recorded them) and the old
 * permalinks of posts. No HTTP here: the answer is the new path, for a 301. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define WPLINK_PATH_MAX 512 /* bytes of a new path, with its NUL */

/* The new path for the query parameter name=value (value is n bytes, not NUL-terminated):
 * p and page_id (a published post or page, by its WordPress id, else by its own id), cat
 * (category id), tag (tag slug), author (user id, by its WordPress id, else its own). Writes a NUL-terminated path into
 * out (cap
 * >= WPLINK_PATH_MAX) and returns 0; -ENOENT when nothing public lives there or the name is not
 * one of these. */
int wplink_from_query(struct db *db, const char *name, const char *value, size_t n, int64_t now, char *out, size_t cap);

/* The new path of the published post that used to live at path[0..n) (its old permalink),
 * -ENOENT when none does or it still lives there. */
int wplink_from_path(struct db *db, const char *path, size_t n, int64_t now, char *out, size_t cap);
