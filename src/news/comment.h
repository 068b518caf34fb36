/* Reader comments: the submission rules (validation, refusals, moderation, spam traps) and the
 * threaded public listing. No HTTP here: the outcome is data that the handler maps to an answer
 * (303 / 422 / 429 / 409 / 404 / 403, see docs/reader-site.md). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* Byte limits of the form fields (WordPress's). */
#define COMMENT_AUTHOR_MAX 245
#define COMMENT_EMAIL_MAX 100
#define COMMENT_URL_MAX 200
#define COMMENT_BODY_MAX 65525
#define COMMENT_IP_MAX 100
#define COMMENT_AGENT_MAX 254
#define COMMENT_MAX_ERRORS 8
#define COMMENT_RECENT_MAX 1000 /* most comments comment_recent lists */

/* One field of the submission, as (pointer, length): need not be NUL-terminated. NULL with
 * length 0 means absent. */
struct comment_field {
    const char *p;
    size_t n;
};

struct comment_submission {
    int64_t post_id;
    int64_t parent_id; /* 0 for a top-level comment */
    struct comment_field author, email, url, body;
    struct comment_field ip; /* empty: no flood check (command line) */
    struct comment_field user_agent;
    struct comment_field honeypot; /* the gz_hp field: anything in it means spam */
    int64_t now;
    int64_t created_at; /* the comment's time; 0 means now (imports and scripts set it) */
    int64_t user_id;    /* 0 for a visitor */
    int force_status;   /* -1: moderation decides; else an enum comment_status to store (scripts) */
};

enum comment_outcome {
    COMMENT_ACCEPTED,  /* stored and committed: see id and status */
    COMMENT_INVALID,   /* errors[] says which fields; nothing stored (422) */
    COMMENT_NOT_FOUND, /* post missing or not published and due (404) */
    COMMENT_CLOSED,    /* comments closed on the post (403) */
    COMMENT_FLOOD,     /* same IP within comment_flood_seconds (429) */
    COMMENT_DUPLICATE, /* same post, author, email and body already there (409) */
};

struct comment_error {
    const char *field;   /* "comment", "author", "email", "url" or "comment_parent" (static) */
    const char *message; /* a sentence for the reader (static) */
};

struct comment_result {
    enum comment_outcome outcome;
    int64_t id;                 /* COMMENT_ACCEPTED: the new comment */
    enum comment_status status; /* COMMENT_ACCEPTED: approved, pending or spam */
    size_t n_errors;
    struct comment_error errors[COMMENT_MAX_ERRORS];
};

/* Checks the fields alone (required, lengths, email and URL shapes), appending to out->errors.
 * Returns the number of errors found. Does not look at the database. */
size_t comment_validate(const struct comment_submission *in, struct comment_result *out);

/* Runs every rule in order: post exists and is public (404), comments open (403), fields
 * valid and the parent is a comment of this post (422), flood (429), duplicate (409); then
 * moderation (honeypot: spam; more than comment_max_links links: pending; first comment of an
 * unknown name + email with comment_hold_first: pending; else approved) and inserts the
 * comment, committed before returning. Returns 0 with *out filled for every outcome above; a
 * negative errno only when storage failed. */
int comment_submit(struct db *db, const struct comment_submission *in, struct comment_result *out);

/* Counts links in text: occurrences of "http://", "https://" and "www." (ASCII case ignored). */
size_t comment_count_links(const char *s, size_t n);

/* How an article's comments are split into pages, as WordPress does: the settings
 * page_comments (on), comments_per_page (top-level comments a page; replies stay on their
 * thread's page) and default_comments_page ("newest": the article's own address shows the last
 * page; "oldest": the first). Page 1 holds the oldest threads. */
struct comment_paging {
    int on;
    size_t per_page; /* at least 1 */
    int newest;
};

/* Where a page of comments is among the others. */
struct comment_pages {
    size_t page;  /* the page shown, from 1 */
    size_t pages; /* how many there are, at least 1 */
    size_t total; /* approved comments on the post, on every page */
};

/* Reads the three settings into *out. */
int comment_paging_get(struct db *db, struct comment_paging *out);

/* The page the article's own address shows: the last with "newest", else 1. */
size_t comment_default_page(const struct comment_paging *pg, size_t pages);

/* The approved comments of a post's page `page` (from 1; 0 for the default page; pg NULL: all of
 * them on one page) in display order: each parent followed by its replies (oldest first at every
 * level), each with depth from 1 (top level); a reply deeper than max_depth keeps its place in
 * that order but gets depth max_depth, so it shows as a sibling of its parent at the deepest
 * level. A reply whose parent is not shown starts a thread. Emails are NULL. *where says which
 * page it is of how many. -ENOENT for a page past the last. The work is the post's comment ids
 * from an index, and the page's comments. */
int comment_thread_page(struct db *db, int64_t post_id, int max_depth, const struct comment_paging *pg, size_t page,
                        struct comment_list *out, struct comment_pages *where);

/* Every approved comment of a post on one page (comment_thread_page without paging). */
int comment_thread(struct db *db, int64_t post_id, int max_depth, struct comment_list *out);

/* The page (from 1) each of the comments ids[0..n) of post_id is shown on, into pages_of[i] (0
 * for one that is not an approved comment of the post), and the number of pages into *pages. */
int comment_pages_of(struct db *db, int64_t post_id, const struct comment_paging *pg, const int64_t *ids, size_t n,
                     size_t *pages_of, size_t *pages);

/* The newest `limit` approved comments, newest first, of post_id (0: of every public post not
 * protected by a password), for the comment feeds. Emails, IPs and user agents are NULL. */
int comment_recent(struct db *db, int64_t post_id, int64_t now, size_t limit, struct comment_list *out);

/* An approved comment of post_id (for "Leave a Reply to NAME"), email NULL. -ENOENT otherwise. */
int comment_public_get(struct db *db, int64_t post_id, int64_t id, struct comment *out);

/* 1 when post p takes comments now: its comments are open and, with comment_close_days > 0, it
 * was published less than that many days ago. */
int comment_open(struct db *db, const struct post *p, int64_t now);
/* The same with comment_close_days already read (close_days). */
int comment_open_at(const struct post *p, int64_t now, int64_t close_days);

/* 1 when one of the lines of list (a word or phrase each, blank lines ignored) occurs in the
 * comment's author, email, url, body or IP, ignoring ASCII case (WordPress's moderation and
 * disallowed keys). */
int comment_words_match(const char *list, const struct comment *c);

/* Moderation: set a comment's status. -ENOENT when no such comment. */
int comment_set_status(struct db *db, int64_t id, enum comment_status status);
