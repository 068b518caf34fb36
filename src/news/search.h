/* Searching the public posts and pages (/?s=words): what a visitor typed becomes a search_query
 * (db.h) of plain-text terms, bounded in length and number, and the storage ranks the matches.
 * Words are required; "a phrase in quotes" must appear as written; nothing else typed has a
 * meaning (OR, NEAR(, column names are words; a final * is dropped). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define SEARCH_MAX_INPUT 200                 /* bytes of the visitor's words looked at; the rest is ignored */
#define SEARCH_MAX_TERMS DB_SEARCH_TERMS_MAX /* words or phrases looked at; later ones are ignored */
#define SEARCH_PREFIX_MIN 3              /* a prefix (word*, or the last word, see search_posts) has this many bytes */
#define SEARCH_RESULTS_MAX DB_SEARCH_MAX /* results a search shows; past it the total says "more" */
#define SEARCH_PREFIX_BELOW 10           /* fewer whole-word matches than this: the last word is tried as a prefix */

/* Parses s[0..n) into *q: the first SEARCH_MAX_TERMS terms of the first SEARCH_MAX_INPUT bytes
 * (cut at a UTF-8 character boundary). A term is a whitespace-separated word, or the words
 * between a pair of double quotes (a phrase; an unclosed quote runs to the end). Terms without a
 * letter, digit or non-ASCII byte are dropped; so are the *s that end a word (a prefix costs a
 * pass over every post holding a word that starts so, so only search_posts makes one, and only
 * one). The terms point into s. Returns the number of terms. */
size_t search_parse(const char *s, size_t n, struct search_query *q);

/* Page `page` (from 1) of the published posts and pages, due by now, matching the words
 * s[0..n), best first (newer ones count a little more), per_page a page; *total gets how many
 * match, SEARCH_RESULTS_MAX + 1 meaning more than SEARCH_RESULTS_MAX (only those are shown).
 * When fewer than SEARCH_PREFIX_BELOW match and the last term is a word of at least SEARCH_PREFIX_MIN bytes,
 * that word is searched for again as a prefix (so "harb" finds "harbour"): a prefix that many
 * words of many posts share costs a pass over those posts, so it is only tried then. No words:
 * an empty list and a total of 0. */
int search_posts(struct db *db, const char *s, size_t n, int64_t now, size_t page, size_t per_page,
                 struct post_list *out, int64_t *total);
