/* The uploads of a WordPress site brought along by an import (gazette import wxr FILE --uploads
 * DIR): each attachment whose file is in DIR becomes a medium of the library, featured images
 * (_thumbnail_id) are kept, and the old URLs of the uploads in the imported bodies (WordPress's
 * resized copies NAME-WxH.ext included) are rewritten to the media's copies. Inside the import's
 * transaction; the files written are removed again when it fails. */
#pragma once

#include <stdint.h>

#include "db/db.h"
#include "import/import.h"
#include "import/wxr.h"
#include "render/wpautop.h"

#define IMPORT_MEDIA_PREFIXES 8 /* distinct addresses of old uploads folders recognised in bodies */

struct import_media;

/* Starts with the old uploads folder from and the data directory's uploads folder to. */
int import_media_new(const char *from, const char *to, struct import_media **out);

/* An attachment item: its file (from _wp_attached_file, else the URL's path under the uploads
 * folder) added to the library as site's attachment it->id, by author at date. A file that is
 * missing or is not an image is counted and listed in st, never fatal. 0, or a negative errno
 * that fails the import (err says why). */
int import_media_attachment(struct import_media *m, struct db *db, const char *site, const struct wxr_item *it,
                            int64_t author, int64_t date, struct import_stats *st, char *err, size_t err_cap);

/* A post or page just imported as local_id: remembered for its featured image and for the URLs
 * of its body, which finish settles once every attachment is known. */
int import_media_note_post(struct import_media *m, int64_t local_id, const struct wxr_item *it);

/* At the end of the file: featured images set, bodies rewritten (rendered again with media for
 * galleries), the media each body shows recorded. */
int import_media_finish(struct import_media *m, struct db *db, const char *site, const struct wpautop_media *media,
                        struct import_stats *st);

/* Frees m; with failed, first removes every file it wrote (the transaction rolled back). */
void import_media_free(struct import_media *m, int failed);
