/* The newsroom's front door: splits the path, reads the session cookie, refuses state changes
 * without the session's CSRF token, handles login (rate limited, with a double-submit cookie
 * against login CSRF; the password check runs on the worker pool, writer.h) and logout, and
 * routes to the page families in admin_*.c. */
#include "app/admin_int.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "http/cookie.h"
#include "http/response.h"
#include "lib/timeutil.h"
#include "news/moderation.h"
#include "news/post.h"
#include "news/settings.h"
#include "news/user.h"
#include "render/template.h"

#define LOGIN_COOKIE "gazette_login" /* the login form's double-submit token */
#define LOGIN_COOKIE_AGE 3600L

int admin_path(const char *path, size_t n)
{
    return (n == 6 && memcmp(path, "/admin", 6) == 0) || (n > 6 && memcmp(path, "/admin/", 7) == 0);
}

/* ---- helpers ---------------------------------------------------------------------------- */

const char *admin_field(struct admin_ctx *a, const char *name)
{
    size_t n = 0;
    if (a->mp != NULL) {
        const struct multipart_part *p = multipart_get(a->mp, name);
        if (p == NULL || p->is_file || memchr(p->data.base, '\0', p->data.len) != NULL)
            return NULL;
        char *v = http_alloc(a->c->req, p->data.len + 1);
        memcpy(v, p->data.base, p->data.len);
        v[p->data.len] = '\0';
        return v;
    }
    const char *v = a->has_form ? form_get(&a->form, name, &n) : NULL;
    return v != NULL && strlen(v) == n ? v : NULL;
}

int admin_wants_json(struct admin_ctx *a)
{
    const h2o_headers_t *h = &a->c->req->headers;
    for (ssize_t i = -1; (i = h2o_find_header(h, H2O_TOKEN_ACCEPT, i)) != -1;) {
        h2o_iovec_t v = h->entries[i].value;
        if (v.len >= 16 && memmem(v.base, v.len, "application/json", 16) != NULL)
            return 1;
    }
    return 0;
}

const char *admin_query(struct admin_ctx *a, const char *name)
{
    size_t n = 0;
    const char *v = app_query(a->c, name, &n);
    return v != NULL && strlen(v) == n ? v : NULL;
}

int64_t admin_id(const char *s)
{
    return s ? site_parse_id(s, strlen(s)) : -1;
}

size_t admin_page(struct admin_ctx *a)
{
    int64_t p = admin_id(admin_query(a, "page"));
    return p >= 1 && p <= ROUTE_MAX_PAGE ? (size_t)p : 1;
}

static void no_store(h2o_req_t *req)
{
    http_header(req, "cache-control", "private, no-store", 17);
}

void admin_send_json(struct admin_ctx *a, int status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (s == NULL) {
        http_send_status(a->c->req, 500, NULL);
    } else {
        http_send(a->c->req, status, "application/json", s, strlen(s)); /* no-store: every newsroom answer */
        free(s);
    }
    a->c->sent = 1;
}

void admin_error(struct admin_ctx *a, int status, const char *message)
{
    json_t *d = json_pack("{s:s, s:i}", "message", message, "status", status);
    admin_render(a, status, "admin-error", d, "Error");
}

void admin_redirect(struct admin_ctx *a, const char *location)
{
    http_redirect(a->c->req, 303, location, strlen(location));
    a->c->sent = 1;
}

int admin_require(struct admin_ctx *a, enum cap cap)
{
    if (a->user.id != 0 && role_can(a->user.role, cap))
        return 1;
    admin_error(a, 403, "Sorry, you are not allowed to do that.");
    return 0;
}

static const char *flash_text(const char *code)
{
    static const struct {
        const char *code, *text;
    } msgs[] = {
        {"saved", "Saved."},
        {"trashed", "Moved to the trash."},
        {"restored", "Restored from the trash."},
        {"deleted", "Deleted for good."},
        {"loggedout", "You are now logged out."},
        {"reverted", "The revision was restored."},
        {"done", "Done."},
        {"settings", "Settings saved."},
        {"replied", "Your reply was published."},
        {"added", "Added."},
        {"merged", "Merged."},
        {"password", "The password was changed; the account's other sessions have ended."},
        {"disabled", "The account is disabled and its sessions have ended."},
        {"enabled", "The account may log in again."},
        {"profile", "Your profile was saved."},
        {"revoked", "The application password was revoked: applications using it are refused."},
        {"menu", "The menu was saved."},
        {"uploaded", "The image was added to the library."},
        {"exists", "This image was in the library already."},
    };
    for (size_t i = 0; code != NULL && i < sizeof(msgs) / sizeof(msgs[0]); i++)
        if (strcmp(code, msgs[i].code) == 0)
            return msgs[i].text;
    return NULL;
}

void admin_render(struct admin_ctx *a, int status, const char *tpl, json_t *data, const char *title)
{
    struct page_ctx *c = a->c;
    struct tpl_error err = {0};
    struct buf out = BUF_INIT;
    const char *flash = flash_text(admin_query(a, "msg"));

    json_object_set_new(data, "title", jcstr(title));
    json_object_set_new(data, "site_title", jcstr(c->t->site.title));
    json_object_set_new(data, "static", assets_json(c->t->app));
    if (flash != NULL && json_object_get(data, "flash") == NULL)
        json_object_set_new(data, "flash", json_string(flash));
    if (a->user.id != 0) {
        enum user_role r = a->user.role;
        json_object_set_new(data, "csrf", json_string(a->csrf));
        json_object_set_new(data, "me",
                            json_pack("{s:I, s:o, s:o, s:s}", "id", (json_int_t)a->user.id, "name",
                                      jcstr(a->user.display_name), "login", jcstr(a->user.login), "role",
                                      user_role_name(r)));
        int64_t counts[4] = {0};
        if (role_can(r, CAP_MODERATE_COMMENTS) && moderation_counts(c->t->db, counts) == 0 &&
            counts[COMMENT_PENDING] > 0)
            json_object_set_new(data, "pending_comments", json_integer(counts[COMMENT_PENDING]));
        json_t *can = json_pack("{s:b, s:b, s:b, s:b, s:b, s:b}", "publish", role_can(r, CAP_PUBLISH_POSTS), "others",
                                role_can(r, CAP_EDIT_OTHERS_POSTS), "pages", role_can(r, CAP_EDIT_PAGES), "moderate",
                                role_can(r, CAP_MODERATE_COMMENTS), "options", role_can(r, CAP_MANAGE_OPTIONS),
                                "delete", role_can(r, CAP_DELETE_FOREVER));
        json_object_set_new(can, "users", json_boolean(role_can(r, CAP_MANAGE_USERS)));
        json_object_set_new(can, "terms", json_boolean(role_can(r, CAP_MANAGE_TERMS)));
        json_object_set_new(can, "menus", json_boolean(role_can(r, CAP_EDIT_MENUS)));
        json_object_set_new(can, "upload", json_boolean(role_can(r, CAP_UPLOAD_FILES)));
        json_object_set_new(data, "can", can);
    }
    int rc = tpl_render(c->t->app->tpl, tpl, data, &out, &err);
    json_decref(data);
    if (rc < 0) {
        char msg[512];
        fprintf(stderr, "gazette: rendering %s: %s\n", tpl, tpl_error_str(&err, msg, sizeof(msg)));
        http_send_status(c->req, 500, "The page could not be rendered.");
    } else {
        http_send(c->req, status, HTTP_HTML, out.data ? out.data : "", out.len);
    }
    buf_free(&out);
    c->sent = 1;
}

/* The value of cookie name in the request, or NULL. */
static const char *req_cookie(h2o_req_t *req, const char *name, size_t *len)
{
    const h2o_headers_t *h = &req->headers;
    for (ssize_t i = -1; (i = h2o_find_header(h, H2O_TOKEN_COOKIE, i)) != -1;) {
        const char *v;
        if (h->entries[i].value.len <= COOKIE_MAX_HEADER &&
            cookie_get(h->entries[i].value.base, h->entries[i].value.len, name, &v, len) == 0)
            return v;
    }
    return NULL;
}

/* Appends a Set-Cookie header, Secure when the site's URL is https. */
static void set_cookie(struct admin_ctx *a, const char *name, const char *value, long max_age)
{
    struct buf h = BUF_INIT;
    char *url = NULL;
    cookie_format(&h, name, value, strlen(value), max_age);
    if (setting_get(a->c->t->db, "site_url", &url) == 0 && strncmp(url, "https://", 8) == 0)
        buf_puts(&h, "; Secure");
    free(url);
    if (h.err == 0)
        http_header(a->c->req, "set-cookie", h.data, h.len);
    buf_free(&h);
}

int admin_has_session(const struct page_ctx *c)
{
    size_t n;
    return req_cookie(c->req, SESSION_COOKIE, &n) != NULL;
}

int admin_reader_user(const struct page_ctx *c, struct user *out)
{
    size_t n;
    const char *v = req_cookie(c->req, SESSION_COOKIE, &n);
    if (v == NULL)
        return -ENOENT;
    return session_user(c->t->db, v, n, c->now, out) == 0 ? 0 : -ENOENT;
}

/* ---- login and logout ------------------------------------------------------------------- */

static void login_form(struct admin_ctx *a, int status, const char *error, const char *login)
{
    unsigned char raw[32];
    char token[65];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
    set_cookie(a, LOGIN_COOKIE, token, LOGIN_COOKIE_AGE);
    json_t *d = json_pack("{s:s, s:o}", "login_token", token, "log", jcstr(login ? login : ""));
    if (error != NULL)
        json_object_set_new(d, "error", json_string(error));
    admin_render(a, status, "admin-login", d, "Log in");
}

static void peer_ip(h2o_req_t *req, char ip[NI_MAXHOST])
{
    struct sockaddr_storage sa;
    ip[0] = '\0';
    socklen_t sl = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&sa);
    if (sl > 0 && h2o_socket_getnumerichost((struct sockaddr *)&sa, sl, ip) == SIZE_MAX)
        ip[0] = '\0';
}

static int admin_job_run(struct db *db, struct writer_job *job)
{
    struct admin_job *j = (struct admin_job *)job;
    return j->run(db, j);
}

static int admin_job_write(struct db *db, struct writer_job *job)
{
    struct admin_job *j = (struct admin_job *)job;
    return j->write(db, j);
}

static void admin_job_done(struct writer_job *job)
{
    struct admin_job *j = (struct admin_job *)job;
    struct page_ctx c = {.t = j->t, .req = job->req, .now = j->now, .body = BUF_INIT, .expires = INT64_MAX};
    struct admin_ctx a = {.c = &c, .user = j->user, .form = j->form, .has_form = j->has_form};
    memcpy(a.csrf, j->csrf, sizeof(a.csrf));
    if (c.req != NULL) {
        j->done(&a, j, job->rc);
        if (!c.sent)
            http_send_status(c.req, 500, "No answer.");
    }
    app_ctx_free(&c);
    user_clear(&j->user);
    if (j->clear != NULL)
        j->clear(j);
    form_free(&j->form);
    free(j);
}

const char *admin_job_field(const struct admin_job *j, const char *name)
{
    size_t n = 0;
    const char *v = j->has_form ? form_get(&j->form, name, &n) : NULL;
    return v != NULL && strlen(v) == n ? v : NULL;
}

void admin_defer(struct admin_ctx *a, enum writer_lane lane, struct admin_job *j)
{
    j->t = a->c->t;
    j->now = a->c->now;
    j->user = a->user;
    memset(&a->user, 0, sizeof(a->user)); /* the job owns it now */
    memcpy(j->csrf, a->csrf, sizeof(j->csrf));
    j->form = a->form; /* and the form: its one allocation moves, so pointers into it stay good */
    j->has_form = a->has_form;
    a->form = (struct form)FORM_INIT;
    a->form.mem = NULL;
    a->has_form = 0;
    j->job.run = admin_job_run;
    j->job.then = j->write != NULL ? admin_job_write : NULL;
    j->job.done = admin_job_done;
    writer_submit(a->c->t->app->writer, lane, a->c->t->home, a->c->req, &j->job);
    a->c->sent = 1;
}

/* A login on its way through the worker pool: Argon2id takes a good part of a second of CPU and
 * its writes (failures, the session) may wait for the lock, so none of it runs on the loop. The
 * throttle (news/session.h) reads the failures there too, and knows the browser by its device
 * cookie. */
enum login_outcome { LOGIN_OK, LOGIN_THROTTLED, LOGIN_WRONG };

struct login_job {
    struct admin_job base; /* first */
    char ip[NI_MAXHOST];
    char login[USER_LOGIN_MAX + 1]; /* lowered */
    char *log;                      /* as typed, for the form shown again */
    char *pwd;
    size_t pwd_len;
    char *device; /* the device cookie as sent, or NULL */
    size_t device_len;
    struct login_gate gate;
    enum login_outcome outcome;
    struct user user; /* LOGIN_OK: who */
    int64_t hours;
    char cookie[SESSION_COOKIE_LEN + 1];
    char device_out[LOGIN_DEVICE_MAX]; /* LOGIN_OK: the browser's new device cookie */
};

static void login_clear(struct admin_job *aj)
{
    struct login_job *j = (struct login_job *)aj;
    if (j->pwd != NULL) {
        sodium_memzero(j->pwd, j->pwd_len);
        free(j->pwd);
    }
    free(j->log);
    free(j->device);
    user_clear(&j->user);
    sodium_memzero(j->cookie, sizeof(j->cookie));
    sodium_memzero(j->device_out, sizeof(j->device_out));
}

/* On a worker: the throttle and the password (reads and Argon2id, no lock held). */
static int login_check(struct db *db, struct admin_job *aj)
{
    struct login_job *j = (struct login_job *)aj;
    int ret = login_gate(db, j->ip, j->login, j->device, j->device_len, aj->now, &j->gate);
    if (ret < 0)
        return ret;
    if (!j->gate.allowed) {
        j->outcome = LOGIN_THROTTLED;
        return 0;
    }
    ret = user_verify(db, j->login, j->pwd, j->pwd_len, &j->user);
    if (ret == -EACCES) {
        j->outcome = LOGIN_WRONG;
        return 0;
    }
    if (ret == 0)
        j->outcome = LOGIN_OK;
    return ret;
}

/* Then on the writer: the failure record, or the session and the device cookie. */
static int login_record(struct db *db, struct admin_job *aj)
{
    struct login_job *j = (struct login_job *)aj;
    int ret;
    if (j->outcome == LOGIN_THROTTLED)
        return 0;
    /* dated now, not at the request: the account's wait must not run out while Argon2id runs */
    if (j->outcome == LOGIN_WRONG)
        return login_failed(db, j->ip, j->login, &j->gate, time_now());
    j->hours = 12;
    setting_get_int(db, "session_hours", &j->hours);
    if ((ret = session_create(db, j->user.id, aj->now, j->hours * 3600, j->cookie)) == 0)
        ret = login_succeeded(db, j->login, &j->gate, j->device_out);
    return ret;
}

static void login_done(struct admin_ctx *a, struct admin_job *aj, int rc)
{
    struct login_job *j = (struct login_job *)aj;
    if (rc < 0) {
        admin_error(a, 503, "The database is not available.");
    } else if (j->outcome == LOGIN_THROTTLED) {
        char msg[160], secs[24];
        snprintf(secs, sizeof(secs), "%lld", (long long)j->gate.retry_after);
        snprintf(msg, sizeof(msg),
                 "Too many failed login attempts. Please wait %lld second%s and try again; a browser that logged in "
                 "to this account before is not held back.",
                 (long long)j->gate.retry_after, j->gate.retry_after == 1 ? "" : "s");
        http_header(a->c->req, "retry-after", secs, strlen(secs));
        login_form(a, 429, msg, j->log);
    } else if (j->outcome == LOGIN_WRONG) {
        login_form(a, 403, "Unknown username or wrong password.", j->log);
    } else {
        set_cookie(a, SESSION_COOKIE, j->cookie, (long)(j->hours * 3600));
        set_cookie(a, LOGIN_DEVICE_COOKIE, j->device_out, LOGIN_DEVICE_AGE);
        set_cookie(a, LOGIN_COOKIE, "", 0);
        admin_redirect(a, "/admin/");
    }
}

static void login_post(struct admin_ctx *a)
{
    const char *log = admin_field(a, "log"), *pwd = admin_field(a, "pwd"), *tok = admin_field(a, "_login");
    size_t cn = 0, dn = 0;
    const char *cookie = req_cookie(a->c->req, LOGIN_COOKIE, &cn);
    const char *device = req_cookie(a->c->req, LOGIN_DEVICE_COOKIE, &dn);

    if (tok == NULL || cookie == NULL || cn != strlen(tok) || cn != 64 || sodium_memcmp(tok, cookie, cn) != 0) {
        login_form(a, 403, "The login form has expired. Please try again.", log);
        return;
    }
    if (log == NULL || pwd == NULL || log[0] == '\0' || strlen(log) > USER_LOGIN_MAX) {
        login_form(a, 422, "Enter your username and password.", log);
        return;
    }
    struct login_job *j = calloc(1, sizeof(*j));
    if (j == NULL || (j->log = strdup(log)) == NULL || (j->pwd = strdup(pwd)) == NULL)
        abort();
    j->pwd_len = strlen(pwd);
    if (device != NULL && dn < LOGIN_DEVICE_MAX) {
        if ((j->device = malloc(dn + 1)) == NULL)
            abort();
        memcpy(j->device, device, dn);
        j->device[dn] = '\0';
        j->device_len = dn;
    }
    for (size_t i = 0;; i++) {
        j->login[i] = (log[i] >= 'A' && log[i] <= 'Z') ? (char)(log[i] - 'A' + 'a') : log[i];
        if (log[i] == '\0')
            break;
    }
    peer_ip(a->c->req, j->ip);
    j->base.run = login_check;
    j->base.write = login_record;
    j->base.done = login_done;
    j->base.clear = login_clear;
    admin_defer(a, WRITER_WORK, &j->base);
}

/* Logging out ends the session: a write, in the writer's batch. */
struct logout_job {
    struct admin_job base; /* first */
    unsigned char *session;
    size_t session_len;
};

static int logout_run(struct db *db, struct admin_job *aj)
{
    struct logout_job *j = (struct logout_job *)aj;
    return session_end(db, (const char *)j->session, j->session_len);
}

static void logout_done(struct admin_ctx *a, struct admin_job *aj, int rc)
{
    (void)aj;
    (void)rc; /* the cookie goes either way; a session left behind expires */
    set_cookie(a, SESSION_COOKIE, "", 0);
    admin_redirect(a, "/admin/login?msg=loggedout");
}

static void logout_clear(struct admin_job *aj)
{
    free(((struct logout_job *)aj)->session);
}

static void logout(struct admin_ctx *a)
{
    struct logout_job *j = calloc(1, sizeof(*j));
    if (j == NULL || (j->session = malloc(a->session_len ? a->session_len : 1)) == NULL)
        abort();
    memcpy(j->session, a->session, a->session_len);
    j->session_len = a->session_len;
    j->base.run = logout_run;
    j->base.done = logout_done;
    j->base.clear = logout_clear;
    admin_defer(a, WRITER_BATCH, &j->base);
}

/* ---- routing ---------------------------------------------------------------------------- */

static int seg_is(struct admin_ctx *a, size_t i, const char *s)
{
    return i < a->n_seg && strcmp(a->seg[i], s) == 0;
}

/* The page families below /admin/, by their first segment. */
static void route(struct admin_ctx *a, int post)
{
    const char *s0 = a->n_seg > 0 ? a->seg[0] : "";
    int64_t id;
    enum term_taxonomy tax = TERM_CATEGORY;

    if (a->n_seg == 0) {
        if (post)
            admin_error(a, 405, "There is nothing to send here.");
        else
            admin_dashboard(a);
    } else if (strcmp(s0, "logout") == 0 && post && a->n_seg == 1) {
        logout(a);
    } else if ((strcmp(s0, "posts") == 0 || strcmp(s0, "pages") == 0) && a->n_seg == 1 && !post) {
        admin_posts_list(a, s0[1] == 'o' ? POST_TYPE_POST : POST_TYPE_PAGE);
    } else if (strcmp(s0, "post") == 0 && seg_is(a, 1, "new") && a->n_seg == 2 && !post) {
        const char *type = admin_query(a, "type");
        admin_post_edit(a, 0, type && strcmp(type, "page") == 0 ? POST_TYPE_PAGE : POST_TYPE_POST);
    } else if (strcmp(s0, "post") == 0 && seg_is(a, 1, "save") && a->n_seg == 2 && post) {
        admin_post_save(a);
    } else if (strcmp(s0, "post") == 0 && a->n_seg >= 2 && (id = admin_id(a->seg[1])) > 0) {
        if (a->n_seg == 2 && !post)
            admin_post_edit(a, id, POST_TYPE_POST);
        else if (a->n_seg == 3 && seg_is(a, 2, "revisions") && !post)
            admin_post_revisions(a, id);
        else if (a->n_seg == 3 && seg_is(a, 2, "preview") && !post)
            admin_post_preview(a, id);
        else if (a->n_seg == 3 && post)
            admin_post_action(a, id, a->seg[2]);
        else
            admin_error(a, 404, "There is nothing here.");
    } else if (strcmp(s0, "comments") == 0 && a->n_seg == 1 && !post) {
        admin_comments_list(a);
    } else if (strcmp(s0, "comments") == 0 && seg_is(a, 1, "action") && a->n_seg == 2 && post) {
        admin_comments_action(a);
    } else if (strcmp(s0, "comments") == 0 && a->n_seg == 2 && (id = admin_id(a->seg[1])) > 0) {
        admin_comment_edit(a, id);
    } else if (strcmp(s0, "media") == 0) {
        admin_media(a, post);
    } else if (strcmp(s0, "settings") == 0 && a->n_seg == 1) {
        admin_settings(a);
    } else if (strcmp(s0, "profile") == 0 && a->n_seg == 1) {
        admin_profile(a);
    } else if (strcmp(s0, "users") == 0 && a->n_seg == 1 && !post) {
        admin_users(a);
    } else if (strcmp(s0, "users") == 0 && seg_is(a, 1, "new") && a->n_seg == 2 && post) {
        admin_user_add(a);
    } else if (strcmp(s0, "users") == 0 && a->n_seg == 2 && (id = admin_id(a->seg[1])) > 0) {
        admin_user_edit(a, id);
    } else if ((strcmp(s0, "categories") == 0 || (strcmp(s0, "tags") == 0 && (tax = TERM_TAG) == TERM_TAG)) &&
               a->n_seg <= 2) {
        if (a->n_seg == 1 && !post)
            admin_terms(a, tax);
        else if (a->n_seg == 2 && seg_is(a, 1, "new") && post)
            admin_term_add(a, tax);
        else if (a->n_seg == 2 && (id = admin_id(a->seg[1])) > 0)
            admin_term_edit(a, tax, id);
        else
            admin_error(a, 404, "There is nothing here.");
    } else if (strcmp(s0, "menus") == 0 && a->n_seg == 1) {
        admin_menus(a);
    } else {
        admin_error(a, 404, "There is nothing here.");
    }
}

int admin_status(int ret)
{
    switch (ret) {
    case -ENOENT:
        return 404;
    case -EACCES:
    case -EPERM:
        return 403;
    case -EBUSY:
    case -ESTALE:
    case -EEXIST:
        return 409;
    case -EINVAL:
    case -E2BIG:
        return 422;
    default:
        return 503;
    }
}

void admin_redirect_msg(struct admin_ctx *a, const char *location, const char *code)
{
    char loc[512];
    snprintf(loc, sizeof(loc), "%s%smsg=%s", location, strchr(location, '?') ? "&" : "?", code);
    admin_redirect(a, loc);
}

/* Splits the path after /admin/ into segments ("post/12/trash"); a trailing slash is fine. */
static int split_path(struct admin_ctx *a, const char *p, size_t n)
{
    if (n < 7 || n - 7 >= sizeof(a->path_copy))
        return n == 6 ? 0 : -1;
    memcpy(a->path_copy, p + 7, n - 7);
    a->path_copy[n - 7] = '\0';
    char *s = a->path_copy;
    while (*s != '\0') {
        char *slash = strchr(s, '/');
        if (slash != NULL)
            *slash = '\0';
        if (*s == '\0' || a->n_seg == ADMIN_MAX_SEGMENTS)
            return -1;
        a->seg[a->n_seg++] = s;
        if (slash == NULL)
            break;
        s = slash + 1;
    }
    return 0;
}

void admin_handle(struct page_ctx *c)
{
    struct admin_ctx a = {.c = c};
    h2o_req_t *req = c->req;
    int post = http_is_post(req);

    no_store(req);
    if (!post && !http_is_get_or_head(req)) {
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, NULL, "GET, HEAD, POST", 15);
        http_send_status(req, 405, NULL);
        c->sent = 1;
        return;
    }
    if (split_path(&a, req->path_normalized.base, req->path_normalized.len) < 0) {
        http_send_status(req, 404, "There is nothing here.");
        c->sent = 1;
        return;
    }
    if (req->query_at != SIZE_MAX && !c->has_query) {
        size_t qs = req->query_at + 1;
        c->has_query = form_parse(&c->query, req->path.base + qs, req->path.len - qs) == 0;
        if (!c->has_query) {
            http_send_status(req, 400, "The query string is too long.");
            c->sent = 1;
            return;
        }
    }
    ssize_t ct = post ? h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1) : -1;
    h2o_iovec_t boundary;
    if (ct != -1 &&
        multipart_boundary(req->headers.entries[ct].value.base, req->headers.entries[ct].value.len, &boundary) == 0) {
        a.mp = http_alloc(req, sizeof(*a.mp));
        if (multipart_parse(req->entity.base ? req->entity.base : "", req->entity.base ? req->entity.len : 0, boundary,
                            a.mp) < 0) {
            http_send_status(req, 400, "The upload could not be read: it is not a well-formed form.");
            c->sent = 1;
            goto out;
        }
    } else if (post) {
        a.has_form =
            form_parse(&a.form, req->entity.base ? req->entity.base : "", req->entity.base ? req->entity.len : 0) == 0;
        if (!a.has_form) {
            http_send_status(req, 413, "The form has too many fields or is too large.");
            c->sent = 1;
            goto out;
        }
    }
    a.session = req_cookie(req, SESSION_COOKIE, &a.session_len);
    if (a.session != NULL && session_user(c->t->db, a.session, a.session_len, c->now, &a.user) == 0)
        session_csrf(a.session, a.session_len, a.csrf);
    else
        a.user.id = 0;

    if (seg_is(&a, 0, "login") && a.n_seg == 1) {
        if (post)
            login_post(&a);
        else if (a.user.id != 0)
            admin_redirect(&a, "/admin/");
        else
            login_form(&a, 200, NULL, NULL);
        goto out;
    }
    if (a.user.id == 0) {
        if (post || (a.n_seg == 3 && seg_is(&a, 0, "post") && seg_is(&a, 2, "preview")))
            admin_error(&a, 403, "Please log in first."); /* a draft's address is no invitation */
        else
            admin_redirect(&a, "/admin/login");
        goto out;
    }
    if (post) {
        size_t tn = 0;
        const char *tok = a.mp != NULL ? admin_field(&a, "_csrf") : form_get(&a.form, "_csrf", &tn);
        if (a.mp != NULL)
            tn = tok != NULL ? strlen(tok) : 0;
        if (!session_csrf_ok(a.session, a.session_len, tok, tn)) {
            admin_error(&a, 403, "This form has expired or did not come from this site. Nothing was changed.");
            goto out;
        }
    }
    route(&a, post);
out:
    if (!c->sent) {
        http_send_status(req, 500, "No answer.");
        c->sent = 1;
    }
    user_clear(&a.user);
    if (a.has_form || post)
        form_free(&a.form);
}

int admin_start(struct app *a, const char *theme_dir, const char *default_theme_dir)
{
    struct tpl_error err = {0};
    char dir[1024], msg[512];
    int rc;
    struct stat st;
    snprintf(dir, sizeof(dir), "%s/admin", theme_dir);
    /* a theme without its own newsroom templates uses the default theme's */
    if (stat(dir, &st) != 0 && default_theme_dir != NULL)
        snprintf(dir, sizeof(dir), "%s/admin", default_theme_dir);
    if ((rc = tpl_set_load_dir(a->tpl, dir, &err)) < 0 || (rc = tpl_set_check(a->tpl, &err)) < 0) {
        fprintf(stderr, "gazette: newsroom templates %s: %s\n", dir, tpl_error_str(&err, msg, sizeof(msg)));
        return rc;
    }
    return 0;
}
