/* POST /comment/: reads the reply form, hands it to news/comment.c with the peer's address and
 * user agent, and answers as docs/reader-site.md says (303, or the article again with 422, 429,
 * 409 or 403, or 404). Also the gazette_commenter cookie that remembers a commenter. */
#include "app/app_int.h"
#include "app/admin.h"
#include "app/writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "http/cookie.h"
#include "http/response.h"
#include "lib/timeutil.h"
#include "news/comment.h"
#include "news/post.h"
#include "news/user.h"

void commenter_from_request(struct page_ctx *c)
{
    const h2o_headers_t *h = &c->req->headers;
    for (ssize_t i = -1; (i = h2o_find_header(h, H2O_TOKEN_COOKIE, i)) != -1;) {
        const char *v;
        size_t n;
        if (cookie_get(h->entries[i].value.base, h->entries[i].value.len, APP_COOKIE, &v, &n) != 0)
            continue;
        struct commenter *k = &c->cookie;
        if (form_parse(&k->f, v, n) != 0)
            return;
        k->author = form_get(&k->f, "author", &k->author_len);
        k->email = form_get(&k->f, "email", &k->email_len);
        k->url = form_get(&k->f, "url", &k->url_len);
        c->has_cookie = 1;
        return;
    }
}

static struct comment_field fget(const struct form *f, const char *name)
{
    size_t n = 0;
    const char *v = form_get(f, name, &n);
    return (struct comment_field){v, v ? n : 0};
}

static void set_cookie(struct page_ctx *c, const struct comment_submission *s, int remember)
{
    struct buf v = BUF_INIT, h = BUF_INIT;
    if (remember) {
        buf_puts(&v, "author=");
        form_encode(&v, s->author.p, s->author.n);
        buf_puts(&v, "&email=");
        form_encode(&v, s->email.p, s->email.n);
        buf_puts(&v, "&url=");
        form_encode(&v, s->url.p, s->url.n);
        cookie_format(&h, APP_COOKIE, v.data, v.len, APP_COOKIE_AGE);
    } else if (c->has_cookie) {
        cookie_format(&h, APP_COOKIE, "", 0, 0);
    }
    if (h.len > 0 && h.err == 0)
        http_header(c->req, "set-cookie", h.data, h.len);
    buf_free(&v);
    buf_free(&h);
}

/* The article page again, with the form as the visitor filled it. */
static void show_again(struct page_ctx *c, const struct comment_submission *s, const struct comment_result *res,
                       int status, const char *message, int remember)
{
    struct post p = {0};
    if (post_public_by_id(c->t->db, s->post_id, c->now, &p) < 0) {
        app_not_found(c);
        return;
    }
    struct reply_state st = {.parent_id = s->parent_id,
                             .comment = s->body,
                             .author = s->author,
                             .email = s->email,
                             .url = s->url,
                             .message = message,
                             .remember = remember};
    static const char *const names[4] = {"comment", "author", "email", "url"};
    for (size_t i = 0; res != NULL && i < res->n_errors; i++) {
        for (int f = 0; f < 4; f++)
            if (strcmp(res->errors[i].field, names[f]) == 0 && st.errors[f] == NULL)
                st.errors[f] = res->errors[i].message;
        if (strcmp(res->errors[i].field, "comment_parent") == 0 && st.parent_error == NULL)
            st.parent_error = res->errors[i].message;
    }
    article_render(c, &p, status, &st);
    post_clear(&p);
}

/* A submission on its way through the writer: everything it needs is copied here, since the
 * request may be gone by the time the writer runs it. */
struct comment_job {
    struct writer_job job; /* first: the writer hands this back */
    struct app_thread *t;
    struct route route;
    int64_t now;
    struct form f; /* the decoded body the submission points into */
    struct comment_submission s;
    struct comment_result res;
    char ip[NI_MAXHOST];
    char *agent;
    struct user me;
    char me_email[USER_EMAIL_MAX + USER_LOGIN_MAX + 16];
    int remember;
};

static int comment_run(struct db *db, struct writer_job *job)
{
    struct comment_job *j = (struct comment_job *)job;
    return comment_submit(db, &j->s, &j->res);
}

/* Back on the request's loop, the comment committed and synced (or refused): the answer. */
static void comment_done(struct writer_job *job)
{
    struct comment_job *j = (struct comment_job *)job;
    struct page_ctx c = {
        .t = j->t, .req = job->req, .now = j->now, .route = j->route, .body = BUF_INIT, .expires = INT64_MAX};
    if (c.req == NULL)
        goto out; /* the visitor went away; the comment stays as the writer left it */
    commenter_from_request(&c);
    if (job->rc < 0) {
        fprintf(stderr, "gazette: storing a comment failed (%d)\n", job->rc);
        app_fail(&c, 503, "The comment could not be stored; please try again.");
        goto finish;
    }
    const struct comment_submission *s = &j->s;
    const struct comment_result *res = &j->res;
    switch (res->outcome) {
    case COMMENT_ACCEPTED: {
        struct post p = {0};
        char path[POST_PATH_MAX];
        if (post_public_by_id(c.t->db, s->post_id, c.now, &p) < 0 || post_path(&p, path, sizeof(path)) < 0) {
            post_clear(&p);
            app_fail(&c, 503, "The comment was stored, but its page could not be found.");
            goto finish;
        }
        post_clear(&p);
        char loc[POST_PATH_MAX + 64];
        if (res->status == COMMENT_APPROVED)
            article_comment_link(&c, s->post_id, path, res->id, loc, sizeof(loc)); /* on its comment page */
        else
            snprintf(loc, sizeof(loc), "%s?moderation=1#respond", path);
        set_cookie(&c, s, j->remember);
        http_redirect(c.req, 303, loc, strlen(loc));
        c.sent = 1;
        break;
    }
    case COMMENT_INVALID:
        show_again(&c, s, res, 422, NULL, j->remember);
        break;
    case COMMENT_NOT_FOUND:
        app_not_found(&c);
        break;
    case COMMENT_CLOSED:
        show_again(&c, s, NULL, 403, NULL, j->remember);
        break;
    case COMMENT_FLOOD:
        show_again(&c, s, NULL, 429, "You are posting comments too quickly. Please wait a moment and try again.",
                   j->remember);
        break;
    case COMMENT_DUPLICATE:
        show_again(&c, s, NULL, 409, "Duplicate comment detected; it looks as though you have already said that.",
                   j->remember);
        break;
    }
finish:
    app_finish(&c, 0);
    app_ctx_free(&c);
out:
    user_clear(&j->me);
    form_free(&j->f);
    free(j->agent);
    free(j);
}

void comment_post(struct page_ctx *c)
{
    struct comment_job *j = calloc(1, sizeof(*j));
    struct sockaddr_storage sa;
    size_t n;

    if (j == NULL)
        abort();
    j->f = (struct form)FORM_INIT;
    j->s = (struct comment_submission){.force_status = -1, .now = c->now};
    if (form_parse(&j->f, c->req->entity.base, c->req->entity.base ? c->req->entity.len : 0) != 0) {
        app_fail(c, 400, "The form has too many fields.");
        goto fail;
    }
    struct comment_submission *s = &j->s;
    const char *v = form_get(&j->f, "comment_post_ID", &n);
    s->post_id = site_parse_id(v, n);
    v = form_get(&j->f, "comment_parent", &n);
    s->parent_id = v == NULL || n == 0 ? 0 : site_parse_id(v, n);
    s->author = fget(&j->f, "author");
    s->email = fget(&j->f, "email");
    s->url = fget(&j->f, "url");
    s->body = fget(&j->f, "comment");
    s->honeypot = fget(&j->f, "gz_hp");
    v = form_get(&j->f, "remember", &n);
    j->remember = v != NULL && n == 1 && v[0] == '1';
    /* The peer's address, never X-Forwarded-For: anyone can write that header. */
    socklen_t sl = c->req->conn->callbacks->get_peername(c->req->conn, (struct sockaddr *)&sa);
    if (sl > 0 && h2o_socket_getnumerichost((struct sockaddr *)&sa, sl, j->ip) == SIZE_MAX)
        j->ip[0] = '\0';
    s->ip = (struct comment_field){j->ip, strlen(j->ip)};
    v = http_req_header(c->req, H2O_TOKEN_USER_AGENT, &n);
    if (v != NULL) {
        n = n > COMMENT_AGENT_MAX ? COMMENT_AGENT_MAX : n;
        if ((j->agent = malloc(n + 1)) == NULL)
            abort();
        memcpy(j->agent, v, n);
        j->agent[n] = '\0';
    }
    s->user_agent = (struct comment_field){j->agent, v ? n : 0};

    /* A logged-in newsroom user comments under their account, approved at once. */
    if (admin_reader_user(c, &j->me) == 0) {
        if (j->me.email[0] != '\0')
            snprintf(j->me_email, sizeof(j->me_email), "%s", j->me.email);
        else
            snprintf(j->me_email, sizeof(j->me_email), "%s@users.invalid", j->me.login);
        s->author = (struct comment_field){j->me.display_name, strlen(j->me.display_name)};
        s->email = (struct comment_field){j->me_email, strlen(j->me_email)};
        s->user_id = j->me.id;
        s->force_status = COMMENT_APPROVED;
        j->remember = 0;
    }

    if (s->post_id <= 0) {
        app_not_found(c);
        goto fail;
    }
    /* The rules and the insert run on the writer, with the other submissions of the moment, and
     * the answer comes once the comment is on disk (comment_done). */
    j->t = c->t;
    j->route = c->route;
    j->now = c->now;
    j->job.run = comment_run;
    j->job.done = comment_done;
    writer_submit(c->t->app->writer, WRITER_BATCH, c->t->home, c->req, &j->job);
    c->sent = 1;
    return;
fail:
    user_clear(&j->me);
    form_free(&j->f);
    free(j->agent);
    free(j);
}
