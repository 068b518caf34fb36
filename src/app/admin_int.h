/* What the newsroom's handlers (src/app/admin_*.c) share: the request context with the logged-in
 * user and the parsed form, the capability and CSRF guards, and the page helpers. */
#pragma once

#include <jansson.h>
#include <stdint.h>

#include "app/admin.h"
#include "app/app_int.h"
#include "news/session.h"

#define ADMIN_PER_PAGE 20    /* rows per page of the post list and the comment queue */
#define ADMIN_MAX_SEGMENTS 4 /* path segments after /admin/ */

struct admin_ctx {
    struct page_ctx *c;
    struct user user;    /* the logged-in user (id 0 when none) */
    const char *session; /* the session cookie's value (not NUL-terminated) */
    size_t session_len;
    char csrf[SESSION_CSRF_LEN + 1];
    struct form form; /* the POST body */
    int has_form;
    const char *seg[ADMIN_MAX_SEGMENTS]; /* path segments after /admin/, NUL-terminated copies */
    size_t n_seg;
    char path_copy[256];
};

/* ---- admin.c ---- */
/* Renders admin template tpl with data (consumed) and sends it with status, no-store. */
void admin_render(struct admin_ctx *a, int status, const char *tpl, json_t *data, const char *title);
/* Sends a 303 to location (a NUL-terminated newsroom path). */
void admin_redirect(struct admin_ctx *a, const char *location);
/* Sends a plain error page with status (403, 404, 409...), no-store. */
void admin_error(struct admin_ctx *a, int status, const char *message);
/* 1 when the user has cap; else sends 403 and returns 0. */
int admin_require(struct admin_ctx *a, enum cap cap);
/* A form field as a NUL-terminated string (NULL when absent or holding a NUL byte). */
const char *admin_field(struct admin_ctx *a, const char *name);
/* A query parameter as a NUL-terminated string, or NULL. */
const char *admin_query(struct admin_ctx *a, const char *name);
/* A decimal id from a string, -1 when it is not one. */
int64_t admin_id(const char *s);
/* The page number of ?page=N (1 when absent or bad). */
size_t admin_page(struct admin_ctx *a);

/* ---- admin_posts.c ---- */
void admin_posts_list(struct admin_ctx *a, enum post_type type);
void admin_post_edit(struct admin_ctx *a, int64_t id, enum post_type type);
void admin_post_save(struct admin_ctx *a);
void admin_post_action(struct admin_ctx *a, int64_t id, const char *action);
void admin_post_revisions(struct admin_ctx *a, int64_t id);
/* GET /admin/post/ID/preview: the post in the site's theme with a "Preview" banner. */
void admin_post_preview(struct admin_ctx *a, int64_t id);

/* ---- admin_comments.c ---- */
void admin_comments_list(struct admin_ctx *a);
void admin_comments_action(struct admin_ctx *a);
void admin_comment_edit(struct admin_ctx *a, int64_t id);

/* ---- admin_settings.c ---- */
void admin_settings(struct admin_ctx *a);
void admin_users(struct admin_ctx *a);
