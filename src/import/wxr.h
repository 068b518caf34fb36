/* Reading WordPress eXtended RSS (WXR 1.0 to 1.2) as a stream: libxml2's SAX2 push parser walks
 * the file and the reader hands over one record at a time (channel, author, term, item, comment)
 * through callbacks, so memory stays bounded whatever the size of the file. The `wp:` namespace
 * is recognised in its http and https forms and in any 1.x version; CDATA and text are the same. */
#pragma once

#include <stddef.h>

#include "lib/buf.h"

#define WXR_FIELD_MAX ((size_t)8 << 20) /* bytes in any one field (a post's content) */
#define WXR_ITEM_MAX ((size_t)32 << 20) /* bytes in all the fields of one item or comment */
#define WXR_ITEM_TERMS_MAX 1024         /* <category> elements on one item */
#define WXR_ERROR_MAX 256

/* Every string below is NUL-terminated UTF-8 and "" when the element was absent. Numbers are 0
 * when absent or not a number. The pointers live until the callback returns. */

struct wxr_channel {
    const char *title, *link, *description, *language;
    const char *wxr_version, *base_site_url, *base_blog_url;
};

struct wxr_author {
    long long id; /* wp:author_id, often absent */
    const char *login, *email, *display_name, *first_name, *last_name;
};

enum wxr_term_kind { WXR_CATEGORY, WXR_TAG, WXR_TERM };

struct wxr_term {
    enum wxr_term_kind kind; /* which element: wp:category, wp:tag or wp:term */
    long long id;            /* wp:term_id */
    const char *taxonomy;    /* "category", "post_tag", or wp:term_taxonomy (nav_menu, ...) */
    const char *slug, *name, *description;
    const char *parent; /* the parent's slug, "" at the top */
};

struct wxr_item_term {
    const char *domain;   /* category, post_tag, nav_menu, post_format, ... */
    const char *nicename; /* the slug */
    const char *name;
};

struct wxr_item {
    const char *title, *link, *pub_date, *creator, *guid, *description;
    const char *content, *excerpt;
    size_t content_len, excerpt_len;
    long long id; /* wp:post_id */
    const char *post_date, *post_date_gmt, *post_modified, *post_modified_gmt;
    const char *comment_status, *ping_status, *post_name, *status, *post_type, *post_password;
    long long parent, menu_order;
    int sticky;
    const char *attachment_url;
    const char *thumbnail_id;   /* postmeta _thumbnail_id */
    const char *attached_file;  /* postmeta _wp_attached_file */
    const char *attachment_alt; /* postmeta _wp_attachment_image_alt */
    const struct wxr_item_term *terms;
    size_t nterms;
    /* wxr_parse_file_threaded only: what the handler's prepare_item appended for this item on
     * the reading thread; NULL and 0 otherwise. */
    const char *prepared;
    size_t prepared_len;
};

struct wxr_comment {
    long long id, parent, user_id;
    const char *author, *author_email, *author_url, *author_ip;
    const char *date, *date_gmt, *content;
    const char *approved; /* "1", "0", "spam", "trash", ... */
    const char *type;     /* "" or "comment", "pingback", "trackback" */
};

/* The callbacks; any may be NULL. A callback returns 0 to go on, or a negative errno to stop the
 * parse, which then returns that value. on_channel runs once, before the first author, term or
 * item (or at the end when there are none). An item is handed over when its own fields are read,
 * before its comments: on_comment gets the item it belongs to. Item fields that come after the
 * item's first comment are ignored (WordPress writes comments last). */
struct wxr_handler {
    void *ctx;
    int (*on_channel)(void *ctx, const struct wxr_channel *ch);
    int (*on_author)(void *ctx, const struct wxr_author *a);
    int (*on_term)(void *ctx, const struct wxr_term *t);
    int (*on_item)(void *ctx, const struct wxr_item *it);
    int (*on_comment)(void *ctx, const struct wxr_item *it, const struct wxr_comment *c);
    /* wxr_parse_file_threaded only, optional: runs on the reading thread for each item before it
     * is handed over, and appends what it derives from the item to out (passed on as
     * it->prepared). It must touch nothing the other callbacks do. Returns 0, or a negative
     * errno that stops the parse. */
    int (*prepare_item)(void *ctx, const struct wxr_item *it, struct buf *out);
};

struct wxr_error {
    int line, column; /* where in the file, 1-based; 0 when not known */
    char message[WXR_ERROR_MAX];
};

/* Reads the WXR file at path and calls the handler for each record in file order. Returns 0, a
 * callback's negative value, -EBADMSG when the file is not well-formed XML or not a WordPress
 * export (err says where and why), -E2BIG past a limit above, or -errno when it cannot be read. */
int wxr_parse_file(const char *path, const struct wxr_handler *h, struct wxr_error *err);

/* The same over bytes in memory (tests, fuzzing). */
int wxr_parse_memory(const char *data, size_t len, const struct wxr_handler *h, struct wxr_error *err);

/* wxr_parse_file with the reading on a second thread: records are copied into batches there
 * and the callbacks (all but prepare_item) run on the calling thread, in file order, while the
 * next batch is read. The batches in flight are bounded (WXR_BATCH_BYTES each, a few at once).
 * A callback's negative value stops the reader and is returned; else the reader's result. */
#define WXR_BATCH_BYTES ((size_t)1 << 20)
int wxr_parse_file_threaded(const char *path, const struct wxr_handler *h, struct wxr_error *err);
