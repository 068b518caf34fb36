/* The storage of the media library (migration 0008_media): media, their stored copies, the
 * featured image of a post and which posts show a medium. Errors are those of db.h. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct db;

/* One stored file made from a medium. */
struct media_copy {
    char *format; /* "webp", "jpeg", "png" */
    int width, height;
    int64_t bytes;
    char *path; /* under the uploads folder: "2026/12/0123456789abcdef0123-640.webp" */
};

struct medium {
    int64_t id;
    char *hash; /* SHA-256 of the uploaded bytes, hex */
    char *dir;  /* "YYYY/MM" */
    char *mime; /* what the upload decoded as */
    int width, height;
    int64_t bytes;
    char *title, *alt, *caption, *credit;
    int64_t author_id; /* 0: none */
    int64_t created_at;
    int64_t uses;              /* posts that show it (featured or in the body); filled by list reads and db_media_get */
    struct media_copy *copies; /* by format, then width ascending; none in list reads */
    size_t ncopies;
};

struct media_list {
    struct medium *items;
    size_t n;
    int64_t total; /* media matching the search, whatever the page */
};

/* A new medium: the fields above but id, uses; copies are inserted with it. wp_key (may be NULL)
 * names the WordPress attachment it was imported from. */
struct media_new {
    const char *hash, *dir, *mime;
    int width, height;
    int64_t bytes;
    const char *title, *alt, *caption, *credit;
    int64_t author_id;
    int64_t created_at;
    const char *wp_key;
    const struct media_copy *copies;
    size_t ncopies;
};

/* Inserts m and its copies in one transaction: 0 and *id, -EEXIST when a medium with this hash
 * (or wp_key) exists, -EINVAL when the schema refuses a value. */
int db_media_insert(struct db *db, const struct media_new *m, int64_t *id);

/* How many posts show the medium (featured or in the body): 0 and *n, -ENOENT. */
int db_media_uses(struct db *db, int64_t id, int64_t *n);

/* The medium with this id, with its copies (uses is not counted: 0): 0, -ENOENT. Free with
 * medium_clear. */
int db_media_get(struct db *db, int64_t id, struct medium *out);
/* The same for n ids at once (the pictures of a list's posts), in two reads: out[i] is the medium
 * of ids[i], or all zero (id 0) when there is none (ids[i] may be 0); 0 or the read's error, and
 * then nothing is written. Free each with medium_clear. */
int db_media_get_of(struct db *db, const int64_t *ids, size_t n, struct medium *out);

/* The id of the medium made from the bytes with this hash (or from this WordPress attachment):
 * 0, -ENOENT. */
int db_media_find_hash(struct db *db, const char *hash, int64_t *id);
int db_media_find_wp(struct db *db, const char *wp_key, int64_t *id);
/* ... or whose hash starts with the hex digits of name (its files' names): 0, -ENOENT. */
int db_media_find_name(struct db *db, const char *name, int64_t *id);

/* Media newest first, limit from offset, whose title, alt text, caption or credit contains
 * search (NULL or "": all); copies are not read. Free with media_list_free. */
int db_media_list(struct db *db, const char *search, int64_t offset, int64_t limit, struct media_list *out);

/* What db_media_query lists: every condition given holds (NULL lists and 0 counts: no condition). */
enum media_order { MEDIA_BY_DATE, MEDIA_BY_ID, MEDIA_BY_TITLE, MEDIA_BY_SLUG };
struct media_filter {
    const char *search; /* in the title, alt text, caption or credit */
    const char *format; /* "jpeg", "png": media with copies in this format */
    const int64_t *include, *exclude, *authors, *not_authors;
    size_t n_include, n_exclude, n_authors, n_not_authors; /* at most DB_MEDIA_LIST_MAX each */
    const char *const *slugs;                              /* the hex names of media files (hash prefixes) */
    size_t n_slugs;
    int64_t shown_by; /* > 0: media this post shows (featured or in its body) */
    enum media_order order;
    int asc;
    int64_t offset, limit;
};
#define DB_MEDIA_LIST_MAX 100

/* Media matching f, in its order, limit from offset; total counts every match. Copies are not
 * read, uses is 0. 0, -EINVAL (a list over DB_MEDIA_LIST_MAX), or db.h's errors. Free with
 * media_list_free. */
int db_media_query(struct db *db, const struct media_filter *f, struct media_list *out);

/* Writes the texts of a medium: 0, -ENOENT. */
int db_media_set_text(struct db *db, int64_t id, const char *title, const char *alt, const char *caption,
                      const char *credit);

/* Deletes a medium and its copies' rows (posts lose it as featured image): 0, -ENOENT. The
 * files are the caller's to remove. */
int db_media_delete(struct db *db, int64_t id);

/* The ids of the posts that show the medium (featured or in the body), newest first, at most
 * limit: 0 and a heap array (free), -ENOMEM. */
int db_media_users(struct db *db, int64_t media_id, int64_t limit, int64_t **ids, size_t *n);

/* The newest post (highest id) that shows the medium, featured or in its body: 0 and *post (0:
 * none). Two index reads, whatever the number of posts. */
int db_media_newest_user(struct db *db, int64_t media_id, int64_t *post);

/* Sets (media_id > 0) or removes (0) the featured image of a post: 0, -ENOENT (no such post),
 * -EINVAL (no such medium). */
int db_post_set_featured(struct db *db, int64_t post_id, int64_t media_id);

/* The featured image of a post: 0 and *media_id (0: none), -ENOENT. */
int db_post_featured(struct db *db, int64_t post_id, int64_t *media_id);

/* Replaces the list of media a post's body shows. */
int db_post_media_set(struct db *db, int64_t post_id, const int64_t *media_ids, size_t n);

/* Replaces a post's source and rendered HTML (an import rewriting the URLs of old uploads): 0,
 * -ENOENT. */
int db_post_set_body(struct db *db, int64_t post_id, const char *source, const char *html);

void medium_clear(struct medium *m);
void media_list_free(struct media_list *l);
