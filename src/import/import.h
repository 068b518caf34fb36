/* Importing a WordPress export into the site: authors, categories, tags, posts, pages and
 * comments, in one transaction (a bad file changes nothing), matched on WordPress ids so that
 * the same file imported twice creates nothing new. */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "db/db.h"
#include "import/wxr.h"

#define IMPORT_PERMALINK_MAX 256 /* bytes of an --old-permalinks structure */
#define IMPORT_MISSING_SHOWN 32  /* missing uploads named in the summary */

struct import_options {
    FILE *progress;             /* a terminal to show progress on (items done, rate), or NULL */
    const char *old_permalinks; /* e.g. "/%year%/%monthnum%/%postname%/", or NULL: from the items' links */
    int64_t now;                /* 0: the current time */
    const char *uploads_from;   /* the old site's wp-content/uploads (NULL: bodies keep their old URLs) */
    const char *uploads_to;     /* the data directory's uploads folder (with uploads_from) */
};

struct import_stats {
    long authors, users_created;
    long categories, tags;     /* created */
    long terms_existing;       /* found already there (same slug, or imported before) */
    long terms_skipped;        /* other taxonomies (nav_menu, post_format ...) */
    long term_refs_undeclared; /* an item's category or tag the export does not list: not linked */
    long posts, pages;         /* created */
    long published, scheduled, draft, pending, private_, trash;
    long sticky, password;
    long items_existing; /* imported before: left as they are */
    long attachments;    /* recorded (their URLs, for galleries and old links) */
    long menu_items;     /* skipped */
    long other_items;    /* other post types, skipped */
    long comments, approved, held, spam, trashed, pingbacks, trackbacks, threaded;
    long comments_skipped;            /* on skipped or already imported items */
    long old_paths;                   /* old permalinks recorded for 301s */
    long media_added, media_existing; /* attachments made media, or found in the library already */
    long media_missing;               /* attachments whose file is missing or not an image */
    long media_featured, media_urls;  /* featured images set; old upload URLs rewritten in bodies */
    char missing[IMPORT_MISSING_SHOWN][200];
    double seconds;
};

/* Imports the WXR file at path. On a file that is not well-formed (or any other failure) the
 * transaction is rolled back, err says where and why (line and column for a parse error), and a
 * negative errno comes back. */
int import_wxr(struct db *db, const char *path, const struct import_options *opt, struct import_stats *st,
               struct wxr_error *err);

/* Writes the summary of an import, a line per kind of thing, to f. */
void import_print_summary(FILE *f, const struct import_stats *st);
