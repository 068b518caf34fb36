/* Revisions of posts: what the newsroom keeps of every change (who, when, title, body and its
 * format), a copy of each post as it was before its first change in the newsroom (kind
 * original: demo, command-line and imported posts have no other, so the original can be
 * compared and restored), and the editor's autosaves (one per user and post). Saving and
 * restoring are news/editor.h's; this module keeps and reads. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/newsroom.h"

#define REVISION_LIST_MAX 100 /* revisions the editor lists */

/* Keeps a revision of post p (as it is about to be stored) of kind by user_id at now. */
int revision_keep(struct db *db, const struct post *p, enum revision_kind kind, int64_t user_id, int64_t now);

/* Before a post's first change in the newsroom: keeps the stored post as its revision of kind
 * original (by its author, at its last modification) when it has no revision yet; else nothing. */
int revision_keep_original(struct db *db, const struct post *stored);

/* Keeps an autosave of p by user_id, replacing that user's previous autosave of the post; writes
 * its id into *id. A save by the user ends their autosave (revision_keep of kind save). */
int revision_autosave(struct db *db, const struct post *p, int64_t user_id, int64_t now, int64_t *id);

/* The revisions of a post, newest first, at most REVISION_LIST_MAX, bodies not loaded. */
int revision_list(struct db *db, int64_t post_id, struct revision_list *out);

/* Revision rev_id of post post_id, body included. -ENOENT when missing or of another post. */
int revision_of(struct db *db, int64_t post_id, int64_t rev_id, struct revision *out);

/* In the list l of a post's revisions (newest first): user_id's autosave when it is newer than every
 * save, else NULL. */
const struct revision *revision_newer_autosave(const struct revision_list *l, int64_t user_id);

/* How the editor names a kind: "Original", "Saved", "Autosave". */
const char *revision_kind_label(enum revision_kind k);
