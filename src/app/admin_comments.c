/* The comment queue: comments by status with counts, each row with author, email, IP, post and
 * text; per-row and bulk actions (approve, unapprove, spam, trash, restore, delete for good);
 * editing a comment; and replying as the logged-in user. Editors and administrators only. */
#include "app/admin_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/newsroom.h"
#include "http/response.h"
#include "lib/timeutil.h"
#include "news/comment.h"
#include "news/post.h"

static const char *const comment_labels[] = {"Pending", "Approved", "Spam", "Trash"};

void admin_comments_list(struct admin_ctx *a)
{
    struct db *db = a->c->t->db;
    if (!admin_require(a, CAP_MODERATE_COMMENTS))
        return;
    const char *st = admin_query(a, "status");
    enum comment_status status = COMMENT_PENDING;
    if (st != NULL && comment_status_parse(st, &status) < 0)
        status = COMMENT_PENDING;
    size_t page = admin_page(a);
    struct comment_list l = {0};
    int64_t counts[4] = {0};
    if (db_comment_list_status(db, status, (page - 1) * ADMIN_PER_PAGE, ADMIN_PER_PAGE, &l) < 0 ||
        db_comment_status_counts(db, counts) < 0) {
        admin_error(a, 503, "The database is not available.");
        return;
    }
    json_t *d = json_object(), *tabs = json_array(), *rows = json_array();
    for (int i = 0; i < 4; i++) {
        char href[64];
        snprintf(href, sizeof(href), "/admin/comments/?status=%s", comment_status_name((enum comment_status)i));
        json_array_append_new(tabs, json_pack("{s:s, s:s, s:I, s:b}", "label", comment_labels[i], "href", href, "count",
                                              (json_int_t)counts[i], "current", (int)status == i));
    }
    for (size_t i = 0; i < l.n; i++) {
        struct comment *cm = &l.items[i];
        char iso[TIME_ISO_LEN], *title = NULL;
        time_format_iso(cm->created_at, iso);
        db_post_title(db, cm->post_id, &title);
        json_array_append_new(rows,
                              json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:s, s:I, s:o, s:b, s:b, s:b, s:b, s:b}", "id",
                                        (json_int_t)cm->id, "author", jcstr(cm->author), "email", jcstr(cm->email),
                                        "url", jcstr(cm->url), "ip", jcstr(cm->ip), "body", jcstr(cm->body), "date",
                                        iso, "post_id", (json_int_t)cm->post_id, "post_title", jcstr(title), "pending",
                                        cm->status == COMMENT_PENDING, "approved", cm->status == COMMENT_APPROVED,
                                        "spam", cm->status == COMMENT_SPAM, "trash", cm->status == COMMENT_TRASH,
                                        "reply", cm->parent_id != 0));
        free(title);
    }
    if (page > 1) {
        char h[96];
        snprintf(h, sizeof(h), "/admin/comments/?status=%s&page=%zu", comment_status_name(status), page - 1);
        json_object_set_new(d, "prev", json_string(h));
    }
    if ((int64_t)(page * ADMIN_PER_PAGE) < counts[status]) {
        char h[96];
        snprintf(h, sizeof(h), "/admin/comments/?status=%s&page=%zu", comment_status_name(status), page + 1);
        json_object_set_new(d, "next", json_string(h));
    }
    json_object_set_new(d, "tabs", tabs);
    json_object_set_new(d, "rows", rows);
    json_object_set_new(d, "empty", json_boolean(l.n == 0));
    json_object_set_new(d, "status", json_string(comment_status_name(status)));
    json_object_set_new(d, "is_removed", json_boolean(status == COMMENT_SPAM || status == COMMENT_TRASH));
    comment_list_free(&l);
    admin_render(a, 200, "admin-comments", d, "Comments");
}

/* Applies one action to one comment. 0, -EINVAL for an unknown action, -EPERM when not allowed
 * in the comment's state, -ENOENT, or a storage error. */
static int apply(struct db *db, int64_t id, const char *action)
{
    struct comment cm = {0};
    int ret = db_comment_get(db, id, &cm);
    if (ret < 0)
        return ret;
    enum comment_status st = cm.status;
    comment_clear(&cm);
    if (strcmp(action, "approve") == 0)
        return comment_set_status(db, id, COMMENT_APPROVED);
    if (strcmp(action, "unapprove") == 0)
        return comment_set_status(db, id, COMMENT_PENDING);
    if (strcmp(action, "spam") == 0)
        return comment_set_status(db, id, COMMENT_SPAM);
    if (strcmp(action, "trash") == 0)
        return comment_set_status(db, id, COMMENT_TRASH);
    if (strcmp(action, "restore") == 0)
        return comment_set_status(db, id, COMMENT_PENDING);
    if (strcmp(action, "delete") == 0) {
        if (st != COMMENT_TRASH && st != COMMENT_SPAM)
            return -EPERM;
        return db_comment_delete(db, id);
    }
    return -EINVAL;
}

/* A moderation action on its way through the writer (it shares the writer's transaction). */
struct moderate_job {
    struct admin_job base; /* first */
    int64_t ids[FORM_MAX_FIELDS];
    size_t n;
    char action[16];
    char back[16]; /* the queue to go back to */
};

static int moderate_run(struct db *db, struct admin_job *aj)
{
    struct moderate_job *j = (struct moderate_job *)aj;
    int ret = db_begin(db);
    for (size_t i = 0; i < j->n && ret == 0; i++)
        ret = apply(db, j->ids[i], j->action);
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

static void moderate_done(struct admin_ctx *a, struct admin_job *aj, int ret)
{
    struct moderate_job *j = (struct moderate_job *)aj;
    if (ret < 0) {
        admin_error(a,
                    ret == -EINVAL   ? 422
                    : ret == -ENOENT ? 404
                    : ret == -EPERM  ? 409
                                     : 503,
                    ret == -EINVAL   ? "Unknown action."
                    : ret == -ENOENT ? "There is no such comment."
                    : ret == -EPERM  ? "Only comments in the trash or spam can be deleted for good."
                                     : "The change could not be saved.");
        return;
    }
    enum comment_status bs;
    char loc[96];
    snprintf(loc, sizeof(loc), "/admin/comments/?status=%s&msg=done",
             comment_status_parse(j->back, &bs) == 0 ? j->back : "pending");
    admin_redirect(a, loc);
}

void admin_comments_action(struct admin_ctx *a)
{
    struct moderate_job *j;
    if (!admin_require(a, CAP_MODERATE_COMMENTS))
        return;
    if ((j = calloc(1, sizeof(*j))) == NULL)
        abort();
    /* a row's own button ("approve:12") wins over the bulk action on the ticked rows */
    const char *one = admin_field(a, "one"), *bulk = admin_field(a, "action"), *back = admin_field(a, "status");
    if (one != NULL) {
        const char *colon = strchr(one, ':');
        if (colon == NULL || (size_t)(colon - one) >= sizeof(j->action) || (j->ids[0] = admin_id(colon + 1)) <= 0) {
            admin_error(a, 422, "Unknown action.");
            free(j);
            return;
        }
        memcpy(j->action, one, (size_t)(colon - one));
        j->action[colon - one] = '\0';
        j->n = 1;
    } else {
        if (bulk == NULL || strlen(bulk) >= sizeof(j->action)) {
            admin_error(a, 422, "Choose an action.");
            free(j);
            return;
        }
        strcpy(j->action, bulk);
        for (size_t i = 0; i < a->form.n; i++) {
            const struct form_field *ff = &a->form.fields[i];
            if (strcmp(ff->name, "ids") == 0 && ff->value_len == strlen(ff->value)) {
                int64_t id = admin_id(ff->value);
                if (id > 0)
                    j->ids[j->n++] = id;
            }
        }
    }
    if (back != NULL && strlen(back) < sizeof(j->back))
        strcpy(j->back, back);
    j->base.run = moderate_run;
    j->base.done = moderate_done;
    admin_defer(a, WRITER_BATCH, &j->base);
}

static void edit_form(struct admin_ctx *a, int status, const struct comment *cm, const char *error)
{
    char iso[TIME_ISO_LEN], *title = NULL;
    time_format_iso(cm->created_at, iso);
    db_post_title(a->c->t->db, cm->post_id, &title);
    json_t *d = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:I}", "id", (json_int_t)cm->id, "author",
                          jcstr(cm->author), "email", jcstr(cm->email), "url", jcstr(cm->url), "body", jcstr(cm->body),
                          "ip", jcstr(cm->ip), "date", iso, "status", comment_status_name(cm->status), "post_title",
                          jcstr(title), "post_id", (json_int_t)cm->post_id);
    free(title);
    json_object_set_new(d, "approved", json_boolean(cm->status == COMMENT_APPROVED));
    if (error != NULL)
        json_object_set_new(d, "error", json_string(error));
    admin_render(a, status, "admin-comment", d, "Edit comment");
}

/* Replies to comment cm as the logged-in user: approved at once (the parent too, if pending). */
static void reply(struct admin_ctx *a, struct comment *cm)
{
    struct db *db = a->c->t->db;
    const char *text = admin_field(a, "reply");
    if (text == NULL || text[0] == '\0') {
        edit_form(a, 422, cm, "Write a reply first.");
        return;
    }
    if (cm->status != COMMENT_APPROVED && comment_set_status(db, cm->id, COMMENT_APPROVED) < 0) {
        admin_error(a, 503, "The reply could not be saved.");
        return;
    }
    const char *name = a->user.display_name, *email = a->user.email && a->user.email[0] ? a->user.email : "";
    struct comment_submission s = {.post_id = cm->post_id,
                                   .parent_id = cm->id,
                                   .now = a->c->now,
                                   .user_id = a->user.id,
                                   .force_status = COMMENT_APPROVED};
    s.author = (struct comment_field){name, strlen(name)};
    s.email = (struct comment_field){email, strlen(email)};
    s.body = (struct comment_field){text, strlen(text)};
    struct comment_result res;
    int ret = comment_submit(db, &s, &res);
    if (ret < 0) {
        admin_error(a, 503, "The reply could not be saved.");
    } else if (res.outcome == COMMENT_ACCEPTED) {
        admin_redirect(a, "/admin/comments/?status=approved&msg=replied");
    } else {
        const char *why = res.outcome == COMMENT_CLOSED      ? "Comments are closed on this post."
                          : res.outcome == COMMENT_NOT_FOUND ? "The post is not published."
                          : res.outcome == COMMENT_DUPLICATE ? "You already posted this reply."
                          : res.n_errors > 0                 ? res.errors[0].message
                                                             : "The reply was refused.";
        edit_form(a, res.outcome == COMMENT_CLOSED ? 403 : res.outcome == COMMENT_DUPLICATE ? 409 : 422, cm, why);
    }
}

void admin_comment_edit(struct admin_ctx *a, int64_t id)
{
    struct db *db = a->c->t->db;
    struct comment cm = {0};
    if (!admin_require(a, CAP_MODERATE_COMMENTS))
        return;
    int ret = db_comment_get(db, id, &cm);
    if (ret < 0) {
        admin_error(a, ret == -ENOENT ? 404 : 503,
                    ret == -ENOENT ? "There is no such comment." : "The database is not available.");
        return;
    }
    if (!http_is_post(a->c->req)) {
        edit_form(a, 200, &cm, NULL);
        goto out;
    }
    const char *what = admin_field(a, "do");
    if (what != NULL && strcmp(what, "reply") == 0) {
        reply(a, &cm);
        goto out;
    }
    const char *author = admin_field(a, "author"), *email = admin_field(a, "email"), *url = admin_field(a, "url"),
               *body = admin_field(a, "body");
    if (author == NULL || body == NULL || author[0] == '\0' || body[0] == '\0' || strlen(author) > COMMENT_AUTHOR_MAX ||
        strlen(body) > COMMENT_BODY_MAX || (email && strlen(email) > COMMENT_EMAIL_MAX) ||
        (url && strlen(url) > COMMENT_URL_MAX)) {
        edit_form(a, 422, &cm, "Name and comment are required, and each field has a size limit.");
        goto out;
    }
    struct comment up = {.id = id,
                         .author = (char *)author,
                         .email = (char *)(email ? email : ""),
                         .url = (char *)(url ? url : ""),
                         .body = (char *)body};
    if (db_comment_update(db, &up) < 0) {
        admin_error(a, 503, "The comment could not be saved.");
        goto out;
    }
    char loc[96];
    snprintf(loc, sizeof(loc), "/admin/comments/%lld?msg=saved", (long long)id);
    admin_redirect(a, loc);
out:
    comment_clear(&cm);
}
