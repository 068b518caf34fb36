/* The comment queue: comments by status with counts, each row with author, email, IP, post and
 * text; per-row and bulk actions (approve, unapprove, spam, trash, restore, delete for good);
 * editing a comment; and replying as the logged-in user. Editors and administrators only. */
#include "app/admin_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"
#include "lib/timeutil.h"
#include "news/comment.h"
#include "news/moderation.h"
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
    char **titles = NULL;
    int64_t counts[4] = {0};
    if (moderation_counts(db, counts) < 0 ||
        moderation_queue(db, status, (page - 1) * ADMIN_PER_PAGE, ADMIN_PER_PAGE, &l, &titles) < 0) {
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
        char iso[TIME_ISO_LEN];
        const char *title = titles[i];
        time_format_iso(cm->created_at, iso);
        json_array_append_new(rows,
                              json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:s, s:I, s:o, s:b, s:b, s:b, s:b, s:b}", "id",
                                        (json_int_t)cm->id, "author", jcstr(cm->author), "email", jcstr(cm->email),
                                        "url", jcstr(cm->url), "ip", jcstr(cm->ip), "body", jcstr(cm->body), "date",
                                        iso, "post_id", (json_int_t)cm->post_id, "post_title", jcstr(title), "pending",
                                        cm->status == COMMENT_PENDING, "approved", cm->status == COMMENT_APPROVED,
                                        "spam", cm->status == COMMENT_SPAM, "trash", cm->status == COMMENT_TRASH,
                                        "reply", cm->parent_id != 0));
    }
    moderation_titles_free(titles, l.n);
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
    return moderation_apply(db, j->ids, j->n, j->action);
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

static void edit_form(struct admin_ctx *a, int status, int64_t id, const char *error)
{
    struct comment cm = {0};
    char iso[TIME_ISO_LEN], *title = NULL;
    int ret = moderation_get(a->c->t->db, id, &cm, &title);
    if (ret < 0) {
        admin_error(a, ret == -ENOENT ? 404 : 503,
                    ret == -ENOENT ? "There is no such comment." : "The database is not available.");
        return;
    }
    time_format_iso(cm.created_at, iso);
    /* after a refusal the fields show what was typed */
    const char *author = admin_field(a, "author"), *email = admin_field(a, "email"), *url = admin_field(a, "url"),
               *body = admin_field(a, "body"), *reply = admin_field(a, "reply");
    json_t *d = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:o, s:I, s:o}", "id", (json_int_t)cm.id, "author",
                          jcstr(author ? author : cm.author), "email", jcstr(email ? email : cm.email), "url",
                          jcstr(url ? url : cm.url), "body", jcstr(body ? body : cm.body), "ip", jcstr(cm.ip), "date",
                          iso, "status", comment_status_name(cm.status), "post_title", jcstr(title), "post_id",
                          (json_int_t)cm.post_id, "reply", jcstr(reply));
    free(title);
    json_object_set_new(d, "approved", json_boolean(cm.status == COMMENT_APPROVED));
    if (error != NULL)
        json_object_set_new(d, "error", json_string(error));
    comment_clear(&cm);
    admin_render(a, status, "admin-comment", d, "Edit comment");
}

/* An edit or a reply on its way through the writer. */
struct comment_edit_job {
    struct admin_job base; /* first */
    int64_t id;
    int reply;
    const char *why;
    struct comment_result res;
};

static int comment_edit_run(struct db *db, struct admin_job *aj)
{
    struct comment_edit_job *j = (struct comment_edit_job *)aj;
    if (j->reply)
        return moderation_reply(db, &aj->user, j->id, admin_job_field(aj, "reply"), aj->now, &j->res);
    return moderation_edit(db, j->id, admin_job_field(aj, "author"), admin_job_field(aj, "email"),
                           admin_job_field(aj, "url"), admin_job_field(aj, "body"), &j->why);
}

static void comment_edit_done(struct admin_ctx *a, struct admin_job *aj, int rc)
{
    struct comment_edit_job *j = (struct comment_edit_job *)aj;
    const struct comment_result *res = &j->res;
    char loc[96];
    if (rc < 0) {
        edit_form(a, admin_status(rc), j->id, j->why ? j->why : "The change could not be saved.");
    } else if (!j->reply) {
        snprintf(loc, sizeof(loc), "/admin/comments/%lld?msg=saved", (long long)j->id);
        admin_redirect(a, loc);
    } else if (res->outcome == COMMENT_ACCEPTED) {
        admin_redirect(a, "/admin/comments/?status=approved&msg=replied");
    } else {
        const char *why = res->outcome == COMMENT_CLOSED      ? "Comments are closed on this post."
                          : res->outcome == COMMENT_NOT_FOUND ? "The post is not published."
                          : res->outcome == COMMENT_DUPLICATE ? "You already posted this reply."
                          : res->n_errors > 0                 ? res->errors[0].message
                                                              : "The reply was refused.";
        edit_form(a, res->outcome == COMMENT_CLOSED ? 403 : res->outcome == COMMENT_DUPLICATE ? 409 : 422, j->id, why);
    }
}

void admin_comment_edit(struct admin_ctx *a, int64_t id)
{
    if (!admin_require(a, CAP_MODERATE_COMMENTS))
        return;
    if (!http_is_post(a->c->req)) {
        edit_form(a, 200, id, NULL);
        return;
    }
    const char *what = admin_field(a, "do"), *text = admin_field(a, "reply");
    int reply = what != NULL && strcmp(what, "reply") == 0;
    if (reply && (text == NULL || text[0] == '\0')) {
        edit_form(a, 422, id, "Write a reply first.");
        return;
    }
    struct comment_edit_job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    j->id = id;
    j->reply = reply;
    j->base.run = comment_edit_run;
    j->base.done = comment_edit_done;
    admin_defer(a, WRITER_BATCH, &j->base);
}
