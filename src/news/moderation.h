/* The comment queue of the newsroom: comments by status with their counts, actions on one or
 * many (approve, unapprove, spam, trash, restore, delete for good), editing a comment, and a
 * moderator's reply. No HTTP here.
 *
 * Errors: -EINVAL an unknown action or a field that does not fit (why says which); -EPERM an
 * action the comment's state does not allow (delete outside spam and trash); -ENOENT no such
 * comment; storage errors. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "news/comment.h"

/* Comments per status (indexed by enum comment_status, 4 entries). */
int moderation_counts(struct db *db, int64_t counts[4]);

/* A page of the comments of one status, newest first, with their emails, and the title of each
 * one's post (titles[i] heap strings, "" when the post is gone; free with moderation_titles_free). */
int moderation_queue(struct db *db, enum comment_status status, size_t offset, size_t limit, struct comment_list *out,
                     char ***titles);
void moderation_titles_free(char **titles, size_t n);

/* Applies action ("approve", "unapprove", "spam", "trash", "restore", "delete") to the comments
 * ids[0..n), all or none. */
int moderation_apply(struct db *db, const int64_t *ids, size_t n, const char *action);

/* One comment with its email, and the title of its post (heap). */
int moderation_get(struct db *db, int64_t id, struct comment *out, char **post_title);

/* Rewrites a comment's author, email, url and body (author and body required). */
int moderation_edit(struct db *db, int64_t id, const char *author, const char *email, const char *url, const char *body,
                    const char **why);

/* Replies to comment id as user u: approved at once, and the comment replied to too. *res tells
 * how the submission went (a refused one leaves everything as it was). */
int moderation_reply(struct db *db, const struct user *u, int64_t id, const char *text, int64_t now,
                     struct comment_result *res);
