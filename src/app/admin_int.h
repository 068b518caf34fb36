/* What the newsroom's handlers (src/app/admin_*.c) share: the request context with the logged-in
 * user and the parsed form, the capability and CSRF guards, and the page helpers. */
#pragma once

#include <jansson.h>
#include <stdint.h>

#include "app/admin.h"
#include "app/app_int.h"
#include "app/writer.h"
#include "http/multipart.h"
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
    struct multipart *mp;                /* the POST body when it is multipart/form-data (an upload), else NULL */
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
/* The rest of a newsroom request run off the event loop (app/writer.h): a handler that must
 * write (and so may wait for the database lock) or hash embeds this first in its own job struct,
 * copies what run needs into it, and calls admin_defer. */
struct admin_job {
    struct writer_job job; /* first: the writer hands this back */
    /* On the writer (WRITER_BATCH: in a savepoint of a shared transaction) or a worker
     * (WRITER_WORK: reads only), with its connection; 0 or a negative errno (then the writes of
     * run are undone in the batch lane). */
    int (*run)(struct db *db, struct admin_job *j);
    /* WRITER_WORK: the writes that follow run, on the writer in its batch (may be NULL). */
    int (*write)(struct db *db, struct admin_job *j);
    /* Back on the request's loop with a context like the request's (user, CSRF token; no form):
     * answers it. rc is run's result or the commit's error. */
    void (*done)(struct admin_ctx *a, struct admin_job *j, int rc);
    /* Frees what the embedding struct holds besides itself (may be NULL). */
    void (*clear)(struct admin_job *j);
    struct app_thread *t;
    int64_t now;
    struct user user;
    char csrf[SESSION_CSRF_LEN + 1];
    struct form form; /* the request's form, moved here: run reads it (admin_job_field), done gets it back */
    int has_form;
};

/* Hands j (malloc'd by the caller, run/done/clear set) over; takes the logged-in user and the
 * form from a (pointers into the form stay valid until done has run) and marks the request as
 * answered: done answers it later. */
void admin_defer(struct admin_ctx *a, enum writer_lane lane, struct admin_job *j);
/* A field of the form a job carries, as admin_field reads it. */
const char *admin_job_field(const struct admin_job *j, const char *name);

/* A form field as a NUL-terminated string (NULL when absent or holding a NUL byte). */
const char *admin_field(struct admin_ctx *a, const char *name);
/* Sends j (consumed) as application/json with status, for the newsroom's script. */
void admin_send_json(struct admin_ctx *a, int status, json_t *j);
/* 1 when the request asks for JSON (its Accept header names application/json): the newsroom's
 * script, which then gets admin_send_json's answer instead of a page. */
int admin_wants_json(struct admin_ctx *a);
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
/* The editor again from the request's editor form (multipart or not), the text as typed, with m's
 * snippet (news/media.h) at the end of the body when m is set, or error shown beside the image
 * controls; nothing is saved. */
struct medium;
void admin_post_insert_image(struct admin_ctx *a, int status, const struct medium *m, const char *error);
/* GET /admin/post/ID/preview: the post in the site's theme with a "Preview" banner. */
void admin_post_preview(struct admin_ctx *a, int64_t id);

/* ---- admin_comments.c ---- */
void admin_comments_list(struct admin_ctx *a);
void admin_comments_action(struct admin_ctx *a);
void admin_comment_edit(struct admin_ctx *a, int64_t id);

/* ---- admin_media.c ---- */
/* /admin/media/...: the library's grid, an upload, a medium's page, its texts, its deletion. */
void admin_media(struct admin_ctx *a, int post);

/* ---- admin_settings.c ---- */
/* GET|POST /admin/settings/: the settings by section, from news/settings.h's table. */
void admin_settings(struct admin_ctx *a);

/* ---- admin_dashboard.c ---- */
/* GET /admin/: drafts, pending review, scheduled, comments awaiting moderation, latest stories. */
void admin_dashboard(struct admin_ctx *a);

/* ---- admin_users.c ---- */
/* GET /admin/users/: the accounts and the form to add one; POST /admin/users/new adds it. */
void admin_users(struct admin_ctx *a);
void admin_user_add(struct admin_ctx *a);
/* GET|POST /admin/users/ID: role, name, password, disable, delete (administrators). */
void admin_user_edit(struct admin_ctx *a, int64_t id);
/* GET|POST /admin/profile: one's own name, email, bio and password. */
void admin_profile(struct admin_ctx *a);

/* ---- admin_terms.c ---- */
/* GET /admin/categories/ or /admin/tags/: the terms and the form to add one; POST .../new. */
void admin_terms(struct admin_ctx *a, enum term_taxonomy tax);
void admin_term_add(struct admin_ctx *a, enum term_taxonomy tax);
/* GET|POST /admin/categories/ID: rename, slug, parent, merge, delete. */
void admin_term_edit(struct admin_ctx *a, enum term_taxonomy tax, int64_t id);

/* ---- admin_menus.c ---- */
/* GET|POST /admin/menus/: the header menu. */
void admin_menus(struct admin_ctx *a);

/* ---- shared by the screens above ---- */
/* The status for an error of the news/ rules: 404, 403, 409 (-EBUSY, -ESTALE, -EEXIST), 422, 503. */
int admin_status(int ret);
/* A flash message code's redirect: location + "?msg=CODE" (or "&msg=" when it has a query). */
void admin_redirect_msg(struct admin_ctx *a, const char *location, const char *code);
