/* The newsroom's editor: who may open, save, trash, restore and delete which post, and what a
 * save means. Each change is one transaction that checks the version the editor was opened on
 * (once, in the storage's update), keeps a revision (and, at a post's first change here, one of
 * it as it was), and renders the body by the writer's trust: administrators and editors may post
 * any HTML, authors' and contributors' HTML goes through the allow-list (render/sanitize.h). A
 * body sent back untouched keeps its stored source and HTML byte for byte. No HTTP here.
 *
 * Errors: -ENOENT no such post (or author, revision); -EACCES the user may not (refusal says
 * why); -EINVAL a field is wrong (refusal says which); -ESTALE someone saved since the editor
 * was opened (nothing written); -E2BIG a body too large or nested too deep; storage errors. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/newsroom.h"
#include "lib/buf.h"
#include "render/sanitize.h"

#define EDITOR_PASSWORD_MAX 255 /* bytes of a post's password */

/* What the editor sends. Strings are NUL-terminated and borrowed. */
struct post_edit {
    int64_t id;      /* 0: a new post */
    int64_t version; /* the version the editor was opened on; must match for an existing post */
    enum post_type type;
    enum post_status status; /* wanted; published with a future time becomes scheduled and back */
    const char *title;       /* may be empty when the body or excerpt is not */
    const char *slug;        /* NULL or "": from the title; made unique */
    enum post_format format;
    int as_written;       /* HTML: without wpautop paragraphs */
    const char *source;   /* as the editor sends it, line ends as LF */
    const char *excerpt;  /* NULL or "": derived from the body */
    const char *password; /* NULL: kept as stored; "": none */
    int64_t author_id;    /* 0: kept (a new post: the writer) */
    int64_t published_at; /* 0: kept when published, scheduled, private or in the future; else now on publishing */
    int sticky;
    int comments_open;
    const char *const *categories; /* names; missing ones are created */
    size_t n_categories;
    const char *const *tags;
    size_t n_tags;
    int64_t featured_id; /* the featured image (db/media.h): 0 kept as stored, -1 none */
};

/* The answer to a save, an autosave or a preview. */
struct edit_result {
    int64_t id, version;         /* the post, and its version after the save */
    int64_t revision_id;         /* the revision kept (an autosave's) */
    const char *refusal;         /* a sentence for the editor when the answer is an error */
    struct html_removed removed; /* what the HTML filter took out of the body */
};

/* 1 when u may post any HTML (WordPress's unfiltered_html). */
int editor_trusted(const struct user *u);

/* The post id as the editor opens it, when u may edit it. -ENOENT, -EACCES. */
int post_editable(struct db *db, const struct user *u, int64_t id, struct post *out);

/* Creates or updates a post from in as user by; see the top of this file. res gets the id and
 * version, or the refusal. */
int post_save(struct db *db, const struct user *by, const struct post_edit *in, int64_t now, struct edit_result *res);

/* The HTML the body of in would get if by saved it now (filtered as the save would filter it),
 * appended to out; res->removed says what the filter took. Nothing is written. */
int post_preview(struct db *db, const struct user *by, const struct post_edit *in, struct buf *out,
                 struct edit_result *res);

/* The editor's periodic copy of what is being typed: for a stored post a revision of kind
 * autosave by `by` (replacing their previous one; the post itself is untouched and no version is
 * checked); for a new post, a save as a draft. -ENODATA when a new post has nothing typed yet. */
int post_autosave(struct db *db, const struct user *by, const struct post_edit *in, int64_t now,
                  struct edit_result *res);

/* Moves a post to the trash, or back from it as a draft (-EINVAL when it is not in the trash). */
int post_trash(struct db *db, const struct user *by, int64_t id, int64_t now, struct edit_result *res);
int post_untrash(struct db *db, const struct user *by, int64_t id, int64_t now, struct edit_result *res);

/* Deletes a post for good, from the trash only (-EBUSY when it is not there). */
int post_delete_forever(struct db *db, const struct user *by, int64_t id, struct edit_result *res);

/* Restores revision rev_id into post post_id (title, body and format) as a new save by `by`, when
 * the post is still at expect_version. The body is rendered and filtered by by's trust. */
int post_restore_revision(struct db *db, const struct user *by, int64_t post_id, int64_t rev_id, int64_t expect_version,
                          int64_t now, struct edit_result *res);

/* The newsroom's list: f as asked, limited to u's own posts unless u may edit others'. Fills the
 * page of posts, how many match in all, and the counts per status (6 entries). */
int editor_posts(struct db *db, const struct user *u, struct post_filter *f, struct post_list *out, int64_t *total,
                 int64_t counts[6]);

/* The newsroom's front page for u: at most limit posts (type post) of each status below, newest
 * first, u's own unless u may edit others', and the counts per status (6 entries). */
enum { DESK_DRAFTS, DESK_PENDING, DESK_SCHEDULED, DESK_PUBLISHED, DESK_LISTS };
struct desk {
    struct post_list lists[DESK_LISTS];
    int64_t counts[6];
};
int editor_desk(struct db *db, const struct user *u, size_t limit, struct desk *out);
void desk_free(struct desk *d);

/* Every user, for the editor's author field and the list's filter. */
int editor_users(struct db *db, struct user_list *out);

/* The status a post gets for a wanted status and publish time: published in the future is
 * scheduled, scheduled in the past (or now) is published, anything else stays. */
enum post_status post_settle_status(enum post_status wanted, int64_t published_at, int64_t now);
