/* Posts and pages: creating them (slug, rendering, excerpt), their public paths, and the reads
 * an anonymous reader is allowed: only status published with published_at <= now. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "lib/buf.h"
#include "lib/slug.h"
#include "render/sanitize.h"
#include "render/wpautop.h"

#define POST_TITLE_MAX 1000               /* bytes */
#define POST_SOURCE_MAX ((size_t)4 << 20) /* bytes of Markdown or HTML */
#define POST_EXCERPT_WORDS 55             /* derived excerpts keep this many words */
#define POST_EXCERPT_MAX 2000             /* bytes of a given excerpt */
#define POST_PATH_MAX 640  /* any permalink structure: 128 bytes of structure + two slugs of SLUG_MAX + NUL fit */
#define POST_TERMS_MAX 100 /* categories, and tags, of one post */

/* What a caller supplies to create a post. Strings are NUL-terminated and only borrowed. */
struct post_new {
    enum post_type type;
    enum post_status status;
    const char *title; /* required, at most POST_TITLE_MAX bytes */
    const char *slug;  /* NULL or "": made from the title; made unique per type with -2, -3 ... */
    int64_t author_id; /* an existing user */
    enum post_format format;
    int as_written;      /* HTML: shown as written, without wpautop's paragraphs */
    const char *source;  /* Markdown or HTML; NULL means empty */
    const char *excerpt; /* NULL or "": the first POST_EXCERPT_WORDS words of the text */
    int sticky;
    int comments_open;
    const char *password; /* NULL for none */
    int64_t parent_id;
    int64_t published_at; /* 0 means now */
    int64_t wp_id;
    int64_t featured_id;           /* the featured image (db/media.h); 0: none, or kept by an update */
    const char *const *categories; /* names; missing ones are created */
    size_t n_categories;
    const char *const *tags;
    size_t n_tags;
};

/* Creates a post in one transaction: slug, rendered html (post_render, trusted: the command line
 * and the demo are the site's owner), excerpt, terms. Returns 0 and *id, -EINVAL for a missing
 * title or an over-long input, or a storage error. */
int post_create(struct db *db, const struct post_new *in, int64_t now, int64_t *id);

/* Rewrites post id from in with the same rules (slug kept unique, html and excerpt made
 * again, categories and tags replaced by in's); author_id, published_at and wp_id left at 0
 * keep their stored values, created_at is kept, modified_at becomes now and the version goes
 * up by one. With expect_version not 0, -ESTALE when the stored version differs (someone saved
 * in between) and nothing changes. -ENOENT when there is no such post. */
int post_update(struct db *db, int64_t id, const struct post_new *in, int64_t expect_version, int64_t now);

/* How a post's source becomes the HTML readers see. */
struct post_render_opts {
    enum post_format format;
    int as_written;                    /* HTML: as written, no wpautop paragraphs */
    int filtered;                      /* the writer may not post any HTML (WordPress's unfiltered_html) */
    const struct wpautop_media *media; /* where [gallery] images are; NULL: none known */
};

/* The one rendering of a post's body, for the newsroom, the command line, the demo and the
 * WordPress import alike: appends the HTML of source[0..n) to out. Markdown goes through md4c
 * (raw HTML in it is shown as text); HTML gets WordPress's wpautop paragraphs and its [caption]
 * and [gallery] figures, unless as_written. The result then goes through the HTML filter
 * (render/sanitize.h): the allow-list when filtered, else only link and image URLs of other
 * schemes than http, https and mailto are taken out. removed (optional) says what the filter took.
 * Returns 0, -E2BIG past POST_SOURCE_MAX (or markup nested too deep to filter), or an error. */
int post_render(const struct post_render_opts *o, const char *source, size_t n, struct buf *out,
                struct html_removed *removed);

/* The source a writer's body is stored as: for an HTML body of a filtered writer, the body
 * through the allow-list (so that a trusted editor's later save cannot publish what its author
 * could not), else the body as written. Appends to out; removed (optional) as above. */
int post_source_filter(const struct post_render_opts *o, const char *source, size_t n, struct buf *out,
                       struct html_removed *removed);

/* The images of an imported post's [gallery]: the attachments of the WordPress site it came from.
 * post_media_init sets m up for post p (which must outlive it); free it with post_media_free. */
struct post_media {
    struct wpautop_media m;
    struct db *db;
    int64_t id, wp_id;
    char *last; /* the last URL answered */
};
void post_media_init(struct post_media *pm, struct db *db, const struct post *p);
void post_media_free(struct post_media *pm);

/* The names of a post's markup, as the command line and the editor's format field spell them:
 * "markdown", "html" (wpautop paragraphs) and "html-as-written". post_markup_parse returns 0, or
 * -EINVAL for another name. */
const char *post_markup_name(enum post_format format, int as_written);
int post_markup_parse(const char *s, enum post_format *format, int *as_written);

/* Appends a post's source as the newsroom's editor shows it, and so as a browser sends it back
 * when nobody touched it (with line ends as LF): invalid UTF-8 as U+FFFD, control characters
 * other than tab and newline left out, CR LF as LF. */
int post_source_shown(const char *source, size_t n, struct buf *out);

/* The plain-text excerpt of some HTML: tags stripped, entities for & < > " ' decoded,
 * whitespace collapsed, the first `words` words, "…" appended when cut. Heap string. */
int post_excerpt_from_html(const char *html, size_t n, size_t words, char **out);

/* How many words the text of some HTML has (what readers read: tags, script and style left out). */
size_t post_word_count(const char *html, size_t n);

/* A slug for title that no other post of the type uses (except except_id): the slug itself,
 * else slug-2, slug-3 ... Writes a NUL-terminated slug of at most SLUG_MAX bytes into out
 * (SLUG_MAX + 1 bytes). base may be a wanted slug or a title; both go through slug_make. */
int post_unique_slug(struct db *db, enum post_type type, const char *base, int64_t except_id, char *out);

/* The public path: for posts, the calling thread's permalink structure (permalink_current(),
 * by default "/YYYY/MM/DD/slug/", UTC date of published_at); "/slug/" for pages. Writes into out (cap >= POST_PATH_MAX
 * bytes is always enough); returns the length, or -ENOSPC. */
int post_path(const struct post *p, char *out, size_t cap);

/* ---- public reads (published, due by now) --------------------------------------------- */

/* Page `page` (from 1) of the home list, per_page posts, newest first; sticky posts first on
 * page 1 only (they then do not repeat on later pages). An empty list past the end. */
int post_home(struct db *db, int64_t now, size_t page, size_t per_page, struct post_list *out);

/* The newest `limit` published posts for the site's feed (newest first; stickiness ignored, as
 * feed readers sort by date). */
int post_feed(struct db *db, int64_t now, size_t limit, struct post_list *out);

/* How many posts the home list has in all (for the number of pages). */
int post_home_count(struct db *db, int64_t now, int64_t *out);

/* The article at /YYYY/MM/DD/slug/ (slug is n bytes, not NUL-terminated). -ENOENT unless a
 * published post with that slug has published_at on that UTC date and <= now. */
int post_by_date_slug(struct db *db, int year, int month, int day, const char *slug, size_t n, int64_t now,
                      struct post *out);

/* The public post with that slug (n bytes; slugs are unique among posts), whatever its date. */
int post_by_slug(struct db *db, const char *slug, size_t n, int64_t now, struct post *out);

/* The static page at /slug/. -ENOENT unless published and due. */
int page_by_slug(struct db *db, const char *slug, size_t n, int64_t now, struct post *out);

/* A public post or page by id (for the comment form's redirect). -ENOENT unless published and due. */
int post_public_by_id(struct db *db, int64_t id, int64_t now, struct post *out);

/* The previous (older) and next (newer) published posts around p, by (published_at, id).
 * A missing neighbour has id 0. Pages have no neighbours. */
int post_neighbours(struct db *db, const struct post *p, int64_t now, struct post *prev, struct post *next);

/* When the public site next changes by itself: the earliest published_at after now of a
 * published or scheduled post or page. A page cache keyed on db_generation() must also drop its
 * pages at that time (and call post_publish_due). -ENOENT when nothing is waiting. */
int post_next_due(struct db *db, int64_t now, int64_t *when);

/* Publishes scheduled posts whose time has come (a commit, so db_generation() moves);
 * *count gets how many (0 costs one indexed read and no write). */
int post_publish_due(struct db *db, int64_t now, int *count);

/* The post's categories or tags, by name. */
int post_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, struct term_list *out);
/* The same for the n posts of a list, in one read: out[i] gets the terms of posts[i] (on an error
 * nothing is written). */
int post_terms_of(struct db *db, const struct post *posts, size_t n, enum term_taxonomy tax, struct term_list *out);

/* The post's author (login, display name; never the hash). */
int post_author(struct db *db, const struct post *p, struct user *out);

/* The author at /author/LOGIN/ (login is n bytes): -ENOENT unless that user exists. Their email
 * is not filled in (out->email is NULL). */
int author_by_login(struct db *db, const char *login, size_t n, struct user *out);

/* Page `page` (from 1) of the author's published posts, newest first, per_page a page. */
int author_posts(struct db *db, int64_t author_id, int64_t now, size_t page, size_t per_page, struct post_list *out);

/* How many published posts the author has (for the number of pages). */
int author_post_count(struct db *db, int64_t author_id, int64_t now, int64_t *out);
