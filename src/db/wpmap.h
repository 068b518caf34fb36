/* Storage for moving a site in from WordPress: which local row each WordPress id of an imported
 * site became (so importing the same file again finds what is already there), the attachments'
 * URLs, and the old paths of imported posts (so old links answer with a 301). Same conventions
 * as db.h: 0 or a negative errno, -ENOENT when nothing is stored. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define WP_SITE_MAX 2048 /* bytes of the site key (the export's base blog URL) */
#define WP_PATH_MAX 2048 /* bytes of an old path */

enum wp_kind { WP_POST, WP_CATEGORY, WP_TAG, WP_USER };

/* The local id that WordPress id wp_id of kind became in the import of site. */
int db_wp_map_get(struct db *db, const char *site, enum wp_kind kind, int64_t wp_id, int64_t *local_id);
/* Records it (replacing an earlier record of the same site, kind and wp_id). */
int db_wp_map_put(struct db *db, const char *site, enum wp_kind kind, int64_t wp_id, int64_t local_id);
/* The same lookup over every imported site, the latest import first (old links carry no site). */
int db_wp_map_find(struct db *db, enum wp_kind kind, int64_t wp_id, int64_t *local_id);

/* An attachment of site: its file's URL and the WordPress id of the post it belongs to. */
int db_wp_attachment_put(struct db *db, const char *site, int64_t wp_id, int64_t parent_wp_id, const char *url);
/* Its URL (heap, caller frees). */
int db_wp_attachment_url(struct db *db, const char *site, int64_t wp_id, char **url);
/* The URL (heap) of attachment wp_id of the site that post post_id (WordPress id post_wp_id) was
 * imported from: the newsroom renders an imported post's [gallery] again when it is edited. */
int db_wp_attachment_url_for_post(struct db *db, int64_t post_id, int64_t post_wp_id, int64_t wp_id, char **url);
/* How many attachments are recorded, over all sites. */
int db_wp_attachment_count(struct db *db, int64_t *out);

/* Records that post_id used to live at path (e.g. "/2008/09/layout-test/"); -EEXIST (and no
change) when the path is already recorded. db_wp_path_find reads it back (path is n bytes). */
int db_wp_path_put(struct db *db, const char *path, int64_t post_id);
int db_wp_path_find(struct db *db, const char *path, size_t n, int64_t *post_id);

/* Small updates the import makes once everything is in (parents may come after children). */
int db_term_set_parent(struct db *db, int64_t term_id, int64_t parent_id);
int db_post_set_parent(struct db *db, int64_t post_id, int64_t parent_id);
int db_post_set_html(struct db *db, int64_t post_id, const char *html);
int db_comment_set_parent(struct db *db, int64_t comment_id, int64_t parent_id);

/* Calls fn for each recorded attachment (every site, by WordPress id; a later site's record of
 * the same id is passed too). fn returns 0 to go on, or a negative value that stops the walk and
 * is returned. url is valid during the call only. */
int db_wp_attachment_each(struct db *db, int (*fn)(void *ctx, int64_t wp_id, int64_t parent_wp_id, const char *url),
                          void *ctx);

/* Links a post that has no terms yet to the terms ids[0..n) (any taxonomy): the import's fast
 * path for new posts. */
int db_post_add_terms(struct db *db, int64_t post_id, const int64_t *ids, size_t n);

struct db_bulk;

/* Starts a bulk load (an import): opens a write transaction (db_begin's lock) and sets aside,
 * for its length, the upkeep that the triggers would do for every row (the kept counts, the
 * search index, the change log) and that is done once at the end instead. Each backend also
 * loads its own fastest way (SQLite: a larger page cache, a rollback journal instead of the WAL
 * when no other connection has the file open, the secondary indexes of posts, comments and
 * post_terms built again at the end; CHECK constraints and foreign keys not evaluated, so the
 * load must write only the names of the record name tables, post_status_name() ..., and link
 * only rows it has just read or written). Call it outside a transaction. While it runs, other
 * writers wait (SQLite: other processes wait for the database). Returns 0 and *out. */
int db_bulk_begin(struct db *db, struct db_bulk **out);

/* A long load leaves hundreds of megabytes of written pages in the kernel's cache, which the
 * commit's fsync would then wait for all at once. Called now and then during the load, this starts
 * writing them to disk in the background (as PostgreSQL's *_flush_after settings do), so the
 * commit finds little left to sync. Never fails: it only helps. */
void db_bulk_writeback(struct db_bulk *b);

/* Ends the load and frees b. With ok: makes what was set aside (the kept counts, the search
 * index, the indexes), logs a site change, and commits; a failure rolls everything back. Without
 * ok (the load failed): rolls back. 0 or a negative errno. */
int db_bulk_end(struct db *db, struct db_bulk *b, int ok);
