/* Writing the whole site as a WordPress export (WXR 1.2) that WordPress's importer accepts and
 * that `gazette import wxr` reads back to the same posts, pages, terms and comments. */
#pragma once

#include <stdio.h>

#include "db/db.h"

struct export_stats {
    long authors, categories, tags, posts, pages, comments, attachments;
};

/* Writes the export to f with libxml2's xmlTextWriter, a post at a time. Returns 0 or a
 * negative errno (a storage error, or -EIO when writing failed). */
int export_wxr(struct db *db, FILE *f, struct export_stats *st);
