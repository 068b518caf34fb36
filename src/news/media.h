/* The media library's rules: what an upload must be to be kept (an image its bytes prove, within
 * the site's limits), the copies made of it, where they are stored, and when a medium may go.
 * Files live under UPLOADS/YYYY/MM/ named by the hash of the uploaded bytes; the uploaded file
 * itself is never kept, only copies re-encoded without metadata (docs/media.md). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/media.h"
#include "lib/buf.h"
#include "media/image.h"
#include "render/images.h"

#define MEDIA_WHY_MAX IMAGE_WHY_MAX
#define MEDIA_TEXT_MAX 2000  /* bytes of a title, alt text, caption or credit */
#define MEDIA_NAME_HEX 20    /* hex digits of the hash in file names (80 bits) */
#define MEDIA_PATH_MAX 4096  /* bytes of the uploads folder's path plus a file's */
#define MEDIA_USERS_SHOWN 50 /* posts listed as using a medium */
#define MEDIA_WIDTHS_N 5
extern const int media_widths[MEDIA_WIDTHS_N]; /* 320, 640, 1024, 1600, 2400: the copies' widths */

struct media_text {
    const char *title, *alt, *caption, *credit; /* NULL: "" */
};

/* The site's limits on an upload (settings media_max_bytes, media_max_pixels, media_max_side,
 * else their defaults). */
void media_limits(struct db *db, struct image_limits *out);

/* Adds the image in the file at path (an absolute path: an upload's temporary file, a file named
 * on the command line) to the library, storing its copies under uploads (the data folder's
 * uploads/): the full size and every width of media_widths below it, in WebP and in JPEG (PNG
 * for a PNG, a GIF or an image with transparency). 0 and *id; *existed is 1 when the same bytes
 * were added before (then *id is that medium and nothing is written). -EINVAL when the file is
 * refused (why says why: not an image, damaged, over a limit, text too long), -EIO when a copy
 * cannot be written, or db.h's errors. A refused file leaves nothing on disk or in the database.
 * wp_key (may be NULL) names the WordPress attachment it comes from. */
int media_add(struct db *db, const char *uploads, const char *path, const struct media_text *text, int64_t author_id,
              int64_t now, const char *wp_key, int64_t *id, int *existed, char why[MEDIA_WHY_MAX]);

/* media_add in two steps, for a server that must not write from the thread doing the slow part:
 * media_prepare checks the file and writes its copies (reading the database only), media_commit
 * records them (or, failing, removes them); media_abandon removes them without recording. */
#define MEDIA_COPIES_MAX (2 * (MEDIA_WIDTHS_N + 1))
struct media_upload {
    int existed; /* the same bytes are in the library already: id is theirs, nothing was written */
    int64_t id;
    char hash[65];
    char dir[32];
    const char *mime;
    int width, height;
    int64_t bytes;
    struct media_copy copies[MEDIA_COPIES_MAX];
    char paths[MEDIA_COPIES_MAX][64];
    size_t ncopies;
};
int media_prepare(struct db *db, const char *uploads, const char *path, const struct media_text *text, int64_t now,
                  const char *wp_key, struct media_upload *u, char why[MEDIA_WHY_MAX]);

/* Opens a new temporary file in the uploads folder (made, with the folders above it, when
 * missing: on PostgreSQL the data directory may not exist yet) for an upload's bytes, writing its
 * name into path. Returns the descriptor, or a negative errno. */
int media_temp_open(const char *uploads, char *path, size_t cap);
/* media_prepare for bytes in memory (an upload's body): written to a temporary file in the uploads
 * folder, prepared from it, the file removed. Same results as media_prepare; -EIO (why says so)
 * when the temporary file cannot be written. For a worker, never an event loop. */
int media_prepare_bytes(struct db *db, const char *uploads, const void *data, size_t len, const struct media_text *text,
                        int64_t now, struct media_upload *u, char why[MEDIA_WHY_MAX]);
int media_commit(struct db *db, const char *uploads, struct media_upload *u, const struct media_text *text,
                 int64_t author_id, int64_t now, const char *wp_key, char why[MEDIA_WHY_MAX]);
void media_abandon(const char *uploads, struct media_upload *u);

/* 1 when user may change or delete m: its uploader, or one who may edit others' posts. */
struct user;
int media_may_change(const struct user *user, const struct medium *m);

/* Changes the texts of a medium: 0, -ENOENT, -EINVAL (a text over MEDIA_TEXT_MAX). */
int media_set_text(struct db *db, int64_t id, const struct media_text *text, char why[MEDIA_WHY_MAX]);

/* Deletes a medium and its files. A medium that posts show is deleted only with force, else
 * -EBUSY (why says how many posts). 0, -ENOENT, or db.h's errors. */
int media_delete(struct db *db, const char *uploads, int64_t id, int force, char why[MEDIA_WHY_MAX]);

/* The medium with its copies and the number of posts that show it (uses): 0, -ENOENT, or db.h's
 * errors. For the newsroom: counting costs what the medium's use does. */
int media_get_counted(struct db *db, int64_t id, struct medium *out);

/* media_delete in two steps: the record (0 and *gone, its copies listed; errors as media_delete),
 * then, once that is committed, the files. */
int media_delete_record(struct db *db, int64_t id, int force, struct medium *gone, char why[MEDIA_WHY_MAX]);
void media_remove_files(const char *uploads, const struct medium *gone);

/* The featured image of a post as read (p->featured_id), with its copies: 0 and *out, -ENOENT
 * when it has none, or db.h's errors. */
struct post;
int media_featured(struct db *db, const struct post *p, struct medium *out);
/* The same for the n posts of a list, in at most two reads (none when no post has one): out[i]
 * is the featured image of posts[i], or all zero (id 0) when it has none; 0, or db.h's errors and
 * nothing written. Free each with medium_clear. */
int media_featured_of(struct db *db, const struct post *posts, size_t n, struct medium *out);

/* The sizes of an image in a post's body: the article's text column (the theme's style.css). */
#define MEDIA_BODY_SIZES "(max-width: 760px) 100vw, 760px"

/* Appends html[0..n) to out with every <img> that shows a library file (its src a copy's URL,
 * /uploads/... or an absolute URL ending so) given the library's srcset, sizes, width, height,
 * lazy loading and, when it has none, the medium's alt text (render/images.h). ids (room for
 * HTML_IMAGES_MAX) gets the media shown; *n_ids their number. 0 or -ENOMEM. */
int media_body_images(struct db *db, const char *html, size_t n, struct buf *out, int64_t *ids, size_t *n_ids);

/* The copy of m in format ("webp", "jpeg", "png") closest above width (the largest when none
 * is): NULL when m has none of that format. */
const struct media_copy *media_copy_for(const struct medium *m, const char *format, int width);

/* What the editor inserts into a post's body to show m, appended to out: with markdown,
 * ![alt](URL "caption — credit"); else a <figure> as WordPress writes it, the <img> with its
 * width and height and a <figcaption> with the caption and credit (none when both are empty).
 * URL is the copy MEDIA_SNIPPET_WIDTH wide (or the nearest); saved, the post shows every copy
 * (media_body_images). 0, -ENOENT when m has no copies, -ENOMEM. */
#define MEDIA_SNIPPET_WIDTH 1024
int media_snippet(const struct medium *m, int markdown, struct buf *out);

/* The fallback format of m's copies: "jpeg" or "png". */
const char *media_fallback_format(const struct medium *m);
