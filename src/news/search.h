/* Searching the public posts and pages (/?s=words): what a visitor typed becomes a safe SQLite
 * FTS5 query (every word quoted, so no FTS5 syntax from outside is ever interpreted), bounded in
 * length and number of words, and runs against the full-text index. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "lib/buf.h"

#define SEARCH_MAX_INPUT 200 /* bytes of the visitor's words looked at; the rest is ignored */
#define SEARCH_MAX_TERMS 8   /* words looked at; later ones are ignored */
#define SEARCH_PREFIX_MIN 3  /* the last word also matches longer words from this many bytes on */

/* Appends to out the FTS5 query for s[0..n): the first SEARCH_MAX_TERMS whitespace-separated
 * words of the first SEARCH_MAX_INPUT bytes (cut at a UTF-8 character boundary), each one that
 * holds a letter, a digit or a non-ASCII byte written as an FTS5 string ("..." with " doubled),
 * all of them required; the last one, when at least SEARCH_PREFIX_MIN bytes long, as a prefix
 * ("..."*). Returns the number of words (0: nothing to search for, nothing appended) or the
 * buffer's error. */
int search_fts_query(const char *s, size_t n, struct buf *out);

/* Page `page` (from 1) of the published posts and pages, due by now, matching the words
 * s[0..n), best first then newest, per_page a page; *total gets how many match in all. No
 * words: an empty list and a total of 0. */
int search_posts(struct db *db, const char *s, size_t n, int64_t now, size_t page, size_t per_page,
                 struct post_list *out, int64_t *total);
