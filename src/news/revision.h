/* Saving posts from the newsroom editor: every save checks the version the editor loaded (a
 * stale save is refused, never merged), renders the body, settles the status against the publish
 * time (a future time means scheduled) and keeps a revision (who, when, title, body), all in one
 * transaction. Restoring a revision is a save of its title and body, so it is a revision too. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/newsroom.h"

#define REVISION_LIST_MAX 100 /* revisions the editor lists */

/* What the editor sends. Strings are NUL-terminated and borrowed. */
struct post_edit {
    int64_t id;      /* 0: a new post */
    int64_t version; /* the version the editor was opened on; must match for an existing post */
    enum post_type type;
    enum post_status status; /* wanted; published with a future time becomes scheduled and back */
    const char *title;       /* required */
    const char *slug;        /* NULL or "": from the title; made unique */
    enum post_format format;
    int as_written;      /* HTML: without wpautop paragraphs */
    const char *source;  /* as the editor sends it, line ends as LF; when it is the stored source as
                            the editor shows it (post_source_shown) and the markup is the same, the
                            stored source and HTML are kept byte for byte */
    const char *excerpt; /* NULL or "": derived from the body */
    int64_t author_id;
    int64_t published_at; /* 0: now when published, else kept */
    int sticky;
    int comments_open;
    const char *const *categories; /* names; missing ones are created */
    size_t n_categories;
    const char *const *tags;
    size_t n_tags;
};

/* Creates or updates a post and records a revision by user_id. Returns 0 and *id (and the new
 * version in *version when not NULL); -ESTALE when the post changed since in->version (nothing
 * written); -ENOENT when in->id does not exist; -EINVAL for a missing title or an over-long
 * field; or a storage error. */
int post_save(struct db *db, const struct post_edit *in, int64_t user_id, int64_t now, int64_t *id, int64_t *version);

/* Sets a post's status (trash, restore from trash to draft, publish) without touching the rest;
 * keeps a revision. -ESTALE when expect_version is not 0 and differs. */
int post_set_status(struct db *db, int64_t id, enum post_status status, int64_t expect_version, int64_t user_id,
                    int64_t now);

/* Restores revision rev_id into its post (title and body) as a new save by user_id, when the post
 * is still at expect_version (0: any). -ENOENT when the revision is missing. */
int revision_restore(struct db *db, int64_t rev_id, int64_t expect_version, int64_t user_id, int64_t now);

/* The status a post gets for a wanted status and publish time: published in the future is
 * scheduled, scheduled in the past (or now) is published, anything else stays. */
enum post_status post_settle_status(enum post_status wanted, int64_t published_at, int64_t now);
