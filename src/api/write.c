/* Who is asking, and the API's writes. Authentication is WordPress's: an application password
 * in Basic authentication (checked on the worker pool: Argon2id; throttled like newsroom logins;
 * refused over cleartext HTTP from afar unless api_app_passwords_http), or the newsroom's
 * session cookie with its token in X-WP-Nonce. Writes run on the writer through the newsroom's
 * own rules (news/editor.h, news/comment.h): the request's fields are checked and copied on the
 * loop, the job runs them, and the answer is built on the loop from what was stored. */
#include "api/api_int.h"

#include <errno.h>
#include <netdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "app/admin.h"
#include "app/writer.h"
#include "http/cookie.h"
#include "http/response.h"
#include "lib/timeutil.h"
#include "news/apppass.h"
#include "news/comment.h"
#include "http/multipart.h"
#include "news/editor.h"
#include "news/media.h"
#include "news/post.h"
#include "news/session.h"
#include "news/settings.h"
#include "news/taxonomy.h"
#include "news/user.h"

#define API_AUTH_MAX 512 /* bytes of an Authorization header */

enum auth_outcome { AUTH_NONE, AUTH_OK, AUTH_THROTTLED, AUTH_WRONG };
enum write_op {
    W_NONE,
    W_POST_SAVE,
    W_POST_DELETE,
    W_COMMENT_CREATE,
    W_COMMENT_STATUS,
    W_COMMENT_DELETE,
    W_TERM,
    W_SETTINGS,
    W_MEDIA_UPLOAD,
    W_MEDIA_UPDATE,
    W_MEDIA_DELETE,
    W_TERM_UPDATE,
    W_TERM_DELETE,
    W_USER_CREATE,
    W_USER_UPDATE
};

/* A write or an authentication on its way through the writer or the worker pool. */
struct api_job {
    struct writer_job job; /* first: the writer hands this back */
    struct app_thread *t;
    int64_t now;
    struct login_gate gate; /* the throttle's decision on the caller */
    /* Basic authentication */
    int basic;
    char ip[NI_MAXHOST];
    char login[USER_LOGIN_MAX + 1];
    char *pwd;
    size_t pwd_len;
    enum auth_outcome auth;
    char uuid[APP_PASSWORD_UUID_LEN + 1];
    struct user user;
    /* the write (op W_NONE: a read, answered on the loop once the caller is known) */
    enum write_op op;
    json_t *body; /* the fields (owned) */
    enum post_type type;
    enum term_taxonomy tax;
    int64_t id;  /* the object written (0: a new one) */
    int force;   /* DELETE: for good */
    int existed; /* DELETE: it was in the trash already */
    struct post previous;
    struct comment previous_comment;
    struct term previous_term;
    char *agent;
    struct edit_result res;
    struct comment_result cres;
    /* media: the upload's bytes (freed once copied) and texts, where the files go */
    char *data;
    size_t len;
    char *m_title, *m_alt, *m_caption, *m_credit;
    struct media_upload *upload;
    char uploads[1024];
    char why[MEDIA_WHY_MAX + 128];
    struct medium gone;
    int confirm;                /* DELETE of a medium that posts show: delete it anyway */
    char pwhash[USER_HASH_MAX]; /* users: the new password's hash ("" for none) */
    const char *error_code;     /* a refusal the job found, with its status */
    const char *error_msg;
    int error_status;
};

/* ---- the caller ----------------------------------------------------------------------------- */

static void peer(h2o_req_t *req, char ip[NI_MAXHOST], int *loopback)
{
    struct sockaddr_storage sa;
    ip[0] = '\0';
    *loopback = 0;
    socklen_t sl = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&sa);
    if (sl > 0 && h2o_socket_getnumerichost((struct sockaddr *)&sa, sl, ip) == SIZE_MAX)
        ip[0] = '\0';
    *loopback = strcmp(ip, "127.0.0.1") == 0 || strcmp(ip, "::1") == 0 || strncmp(ip, "127.", 4) == 0 ||
                strcmp(ip, "::ffff:127.0.0.1") == 0;
}

/* The newsroom session of the request, when X-WP-Nonce carries its token: 1 and a->user, 0 when
 * the request names no session (anonymous), -1 after answering 403 for a wrong token. */
static int cookie_user(struct api_ctx *a)
{
    size_t nn = 0, vn = 0;
    const char *nonce = NULL;
    ssize_t i = h2o_find_header_by_str(&a->req->headers, H2O_STRLIT("x-wp-nonce"), -1);
    if (i != -1) {
        nonce = a->req->headers.entries[i].value.base;
        nn = a->req->headers.entries[i].value.len;
    } else {
        nonce = app_query(a->c, "_wpnonce", &nn);
    }
    if (nonce == NULL)
        return 0; /* WordPress too ignores a cookie without its token: no CSRF through the API */
    const char *v = NULL;
    const h2o_headers_t *h = &a->req->headers;
    for (ssize_t k = -1; v == NULL && (k = h2o_find_header(h, H2O_TOKEN_COOKIE, k)) != -1;)
        if (h->entries[k].value.len <= COOKIE_MAX_HEADER &&
            cookie_get(h->entries[k].value.base, h->entries[k].value.len, SESSION_COOKIE, &v, &vn) < 0)
            v = NULL;
    if (v == NULL || session_user(a->c->t->db, v, vn, a->c->now, &a->user) < 0 || !session_csrf_ok(v, vn, nonce, nn)) {
        user_clear(&a->user);
        a->user.id = 0;
        api_error(a, 403, "rest_cookie_invalid_nonce", "Cookie check failed", NULL);
        return -1;
    }
    return 1;
}

/* ---- reading the fields --------------------------------------------------------------------- */

/* The body's fields: a JSON object, or a form. NULL after answering 400. */
static json_t *read_body(struct api_ctx *a)
{
    h2o_req_t *req = a->req;
    size_t tn = 0;
    const char *type = http_req_header(req, H2O_TOKEN_CONTENT_TYPE, &tn);
    const char *b = req->entity.base ? req->entity.base : "";
    size_t n = req->entity.base ? req->entity.len : 0;
    json_t *o;
    if (n == 0) {
        o = json_object();
    } else if (type != NULL && tn >= 16 && strncasecmp(type, "application/json", 16) == 0) {
        o = json_loadb(b, n, 0, NULL);
        if (!json_is_object(o)) {
            json_decref(o);
            api_error(a, 400, "rest_invalid_json", "Invalid JSON body passed.", NULL);
            return NULL;
        }
    } else if (type != NULL && tn >= 33 && strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0) {
        struct form f = FORM_INIT;
        if (form_parse(&f, b, n) < 0) {
            form_free(&f);
            api_error(a, 400, "rest_invalid_param", "The form has too many fields or is too large.", NULL);
            return NULL;
        }
        o = json_object();
        for (size_t i = 0; i < f.n; i++)
            json_object_set_new(o, f.fields[i].name, jstr(f.fields[i].value, f.fields[i].value_len));
        form_free(&f);
    } else {
        api_error(a, 415, "rest_unsupported_media_type", "Send the fields as application/json.", NULL);
        return NULL;
    }
    /* the query's arguments count too, the body's win (WordPress merges them so) */
    for (size_t i = 0; a->c->has_query && i < a->c->query.n; i++) {
        const struct form_field *f = &a->c->query.fields[i];
        if (json_object_get(o, f->name) == NULL && strcmp(f->name, "rest_route") != 0)
            json_object_set_new(o, f->name, jstr(f->value, f->value_len));
    }
    return o;
}

/* A text field given as a string or as {"raw": string}. */
static const char *text_field(json_t *body, const char *name, json_t *invalid)
{
    json_t *v = json_object_get(body, name);
    if (v == NULL)
        return NULL;
    if (json_is_object(v))
        v = json_object_get(v, "raw");
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
        char msg[128];
        snprintf(msg, sizeof(msg), "%s is not of type string.", name);
        json_object_set_new(invalid, name, json_string(msg));
        return NULL;
    }
    return json_string_value(v);
}

/* An integer field (also given as a decimal string, as forms send it); def when absent. */
static int64_t int_field(json_t *body, const char *name, int64_t def, json_t *invalid)
{
    json_t *v = json_object_get(body, name);
    if (v == NULL)
        return def;
    if (json_is_integer(v))
        return json_integer_value(v);
    int64_t id = json_is_string(v) ? site_parse_id(json_string_value(v), json_string_length(v)) : -1;
    if (id >= 0)
        return id;
    char msg[128];
    snprintf(msg, sizeof(msg), "%s is not of type integer.", name);
    json_object_set_new(invalid, name, json_string(msg));
    return def;
}

static int bool_field(json_t *body, const char *name, int def, json_t *invalid)
{
    json_t *v = json_object_get(body, name);
    if (v == NULL)
        return def;
    if (json_is_boolean(v))
        return json_is_true(v);
    const char *s = json_string_value(v);
    if (s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0))
        return 1;
    if (s != NULL && (strcmp(s, "false") == 0 || strcmp(s, "0") == 0))
        return 0;
    char msg[128];
    snprintf(msg, sizeof(msg), "%s is not of type boolean.", name);
    json_object_set_new(invalid, name, json_string(msg));
    return def;
}

/* Checks what a write carries before it goes to the writer: 0, or 1 after answering 400. */
static int check_post_fields(struct api_ctx *a, json_t *body)
{
    json_t *invalid = json_object();
    static const char *const texts[] = {"title", "content", "excerpt", "slug", "password"};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        text_field(body, texts[i], invalid);
    int_field(body, "author", 0, invalid);
    int_field(body, "featured_media", 0, invalid);
    bool_field(body, "sticky", 0, invalid);
    const char *st = text_field(body, "status", invalid);
    enum post_status s;
    if (st != NULL && api_status_parse(st, &s) < 0)
        json_object_set_new(invalid, "status",
                            json_string("status is not one of publish, future, draft, pending, "
                                        "private, and trash."));
    const char *cs = text_field(body, "comment_status", invalid);
    if (cs != NULL && strcmp(cs, "open") != 0 && strcmp(cs, "closed") != 0)
        json_object_set_new(invalid, "comment_status", json_string("comment_status is not one of open and closed."));
    static const char *const dates[] = {"date", "date_gmt"};
    for (size_t i = 0; i < 2; i++) {
        const char *d = text_field(body, dates[i], invalid);
        int64_t t;
        if (d != NULL && time_parse_iso(d, strlen(d), &t) < 0 && api_parse_date(a, d, &t) < 0)
            json_object_set_new(invalid, dates[i], json_string("Invalid date."));
    }
    static const char *const lists[] = {"categories", "tags"};
    for (size_t i = 0; i < 2; i++) {
        json_t *l = json_object_get(body, lists[i]), *v;
        size_t k;
        if (l == NULL)
            continue;
        if (json_is_string(l)) { /* a form's "1,2" */
            json_t *arr = json_array();
            char *copy = strdup(json_string_value(l));
            if (copy == NULL)
                abort();
            for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
                json_array_append_new(arr, json_integer(site_parse_id(tok, strlen(tok))));
            free(copy);
            json_object_set_new(body, lists[i], arr);
            l = arr;
        }
        if (!json_is_array(l) || json_array_size(l) > POST_TERMS_MAX) {
            json_object_set_new(invalid, lists[i], json_pack("s", "not an array of at most 100 term IDs."));
            continue;
        }
        json_array_foreach(l, k, v) if (!json_is_integer(v) || json_integer_value(v) <= 0)
        {
            char msg[64];
            snprintf(msg, sizeof(msg), "%s[%zu] is not of type integer.", lists[i], k);
            json_object_set_new(invalid, lists[i], json_string(msg));
            break;
        }
    }
    return api_invalid(a, invalid);
}

/* ---- the jobs ------------------------------------------------------------------------------- */

/* Term names for the ids of a post's categories or tags list; -EINVAL for an unknown id. */
static int term_names(struct db *db, json_t *ids, enum term_taxonomy tax, char ***out, size_t *n)
{
    size_t k;
    json_t *v;
    char **names = calloc(json_array_size(ids) + 1, sizeof(*names));
    int ret = 0;
    if (names == NULL)
        abort();
    *n = 0;
    json_array_foreach(ids, k, v)
    {
        struct term t = {0};
        if ((ret = db_term_get(db, json_integer_value(v), &t)) < 0 || t.taxonomy != tax) {
            term_clear(&t);
            ret = ret == -ENOENT || ret == 0 ? -EINVAL : ret;
            break;
        }
        names[(*n)++] = t.name;
        t.name = NULL;
        term_clear(&t);
    }
    *out = names;
    return ret;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; names != NULL && i < n; i++)
        free(names[i]);
    free(names);
}

static int job_fail(struct api_job *j, int status, const char *code, const char *msg)
{
    j->error_status = status;
    j->error_code = code;
    j->error_msg = msg;
    return -EINVAL;
}

/* Creates or updates a post through the editor's rules; what the body leaves out is kept. */
static int save_post(struct db *db, struct api_job *j)
{
    json_t *b = j->body, *ignore = json_object();
    struct post stored = {0};
    struct term_list cats = {0}, tags = {0};
    char **cat_names = NULL, **tag_names = NULL;
    size_t n_cats = 0, n_tags = 0;
    int ret;
    struct post_edit in = {.id = j->id, .type = j->type, .status = POST_DRAFT, .format = POST_FORMAT_HTML};

    if (j->id != 0) {
        if ((ret = db_post_get(db, j->id, &stored)) < 0 || stored.type != j->type) {
            ret = job_fail(j, 404, "rest_post_invalid_id", "Invalid post ID.");
            goto out;
        }
        in.version = stored.version;
        in.status = stored.status == POST_TRASH ? POST_DRAFT : stored.status;
        in.title = stored.title;
        in.source = stored.source;
        in.format = stored.format;
        in.as_written = stored.as_written;
        in.excerpt = stored.excerpt;
        in.sticky = stored.sticky;
        in.comments_open = stored.comments_open;
        in.slug = stored.slug;
        if ((ret = db_post_terms(db, j->id, TERM_CATEGORY, &cats)) < 0 ||
            (ret = db_post_terms(db, j->id, TERM_TAG, &tags)) < 0)
            goto out;
        cat_names = calloc(cats.n + 1, sizeof(char *));
        tag_names = calloc(tags.n + 1, sizeof(char *));
        if (cat_names == NULL || tag_names == NULL)
            abort();
        for (size_t i = 0; i < cats.n; i++)
            cat_names[n_cats++] = strdup(cats.items[i].name);
        for (size_t i = 0; i < tags.n; i++)
            tag_names[n_tags++] = strdup(tags.items[i].name);
    } else {
        in.title = "";
        in.comments_open = 1;
    }
    const char *s;
    if ((s = text_field(b, "title", ignore)) != NULL)
        in.title = s;
    if ((s = text_field(b, "content", ignore)) != NULL)
        in.source = s;
    if ((s = text_field(b, "excerpt", ignore)) != NULL)
        in.excerpt = s;
    if ((s = text_field(b, "slug", ignore)) != NULL)
        in.slug = s;
    if ((s = text_field(b, "password", ignore)) != NULL)
        in.password = s;
    if ((s = text_field(b, "status", ignore)) != NULL)
        api_status_parse(s, &in.status);
    if ((s = text_field(b, "comment_status", ignore)) != NULL)
        in.comments_open = strcmp(s, "open") == 0;
    in.author_id = int_field(b, "author", 0, ignore);
    if (json_object_get(b, "featured_media") != NULL) { /* 0 takes the featured image away */
        struct medium m = {0};
        int64_t fm = int_field(b, "featured_media", 0, ignore);
        if (fm > 0 && (ret = db_media_get(db, fm, &m)) < 0) {
            if (ret == -ENOENT)
                ret = job_fail(j, 400, "rest_invalid_featured_media", "Invalid featured media ID.");
            goto out;
        }
        medium_clear(&m);
        in.featured_id = fm > 0 ? fm : -1;
    }
    in.sticky = bool_field(b, "sticky", in.sticky, ignore);
    int64_t t;
    if ((s = text_field(b, "date_gmt", ignore)) != NULL && time_parse_iso(s, strlen(s), &t) == 0)
        in.published_at = t;
    else if ((s = text_field(b, "date", ignore)) != NULL && j->t != NULL &&
             api_parse_date_zone(j->t->site.timezone, s, &t) == 0)
        in.published_at = t;
    json_t *l;
    if ((l = json_object_get(b, "categories")) != NULL) {
        free_names(cat_names, n_cats);
        if ((ret = term_names(db, l, TERM_CATEGORY, &cat_names, &n_cats)) < 0) {
            if (ret == -EINVAL)
                ret = job_fail(j, 400, "rest_invalid_term_id", "Invalid category ID.");
            goto out;
        }
    }
    if ((l = json_object_get(b, "tags")) != NULL) {
        free_names(tag_names, n_tags);
        if ((ret = term_names(db, l, TERM_TAG, &tag_names, &n_tags)) < 0) {
            if (ret == -EINVAL)
                ret = job_fail(j, 400, "rest_invalid_term_id", "Invalid tag ID.");
            goto out;
        }
    }
    in.categories = (const char *const *)cat_names;
    in.n_categories = n_cats;
    in.tags = (const char *const *)tag_names;
    in.n_tags = n_tags;
    if (in.status == POST_TRASH) {
        ret = job_fail(j, 400, "rest_invalid_param", "Use DELETE to move a post to the trash.");
        goto out;
    }
    ret = post_save(db, &j->user, &in, j->now, &j->res);
    if (ret == 0)
        j->id = j->res.id;
out:
    json_decref(ignore);
    free_names(cat_names, n_cats);
    free_names(tag_names, n_tags);
    term_list_free(&cats);
    term_list_free(&tags);
    post_clear(&stored);
    return ret;
}

/* Moves a post to the trash, or deletes it for good (from the trash, as the newsroom does). */
static int delete_post(struct db *db, struct api_job *j)
{
    int ret = db_post_get(db, j->id, &j->previous);
    if (ret < 0 || j->previous.type != j->type)
        return job_fail(j, 404, "rest_post_invalid_id", "Invalid post ID.");
    j->existed = j->previous.status == POST_TRASH;
    if (!j->force && j->existed)
        return job_fail(j, 410, "rest_already_trashed", "The post has already been deleted.");
    if (!j->existed && (ret = post_trash(db, &j->user, j->id, j->now, &j->res)) < 0)
        return ret;
    if (j->force)
        ret = post_delete_forever(db, &j->user, j->id, &j->res);
    return ret;
}

static int create_comment(struct db *db, struct api_job *j)
{
    json_t *b = j->body, *ignore = json_object();
    char email[USER_EMAIL_MAX + USER_LOGIN_MAX + 16];
    struct comment_submission s = {.force_status = -1, .now = j->now};
    const char *v;
#define FIELD(dst, name)                                                                                               \
    if ((v = text_field(b, name, ignore)) != NULL)                                                                     \
    dst = (struct comment_field){v, strlen(v)}
    FIELD(s.author, "author_name");
    FIELD(s.email, "author_email");
    FIELD(s.url, "author_url");
    FIELD(s.body, "content");
#undef FIELD
    s.post_id = int_field(b, "post", 0, ignore);
    s.parent_id = int_field(b, "parent", 0, ignore);
    s.ip = (struct comment_field){j->ip, strlen(j->ip)};
    s.user_agent = (struct comment_field){j->agent, j->agent ? strlen(j->agent) : 0};
    if (j->user.id != 0) { /* a newsroom user comments under their account, approved at once */
        snprintf(email, sizeof(email), "%s", j->user.email && j->user.email[0] ? j->user.email : "");
        if (email[0] == '\0')
            snprintf(email, sizeof(email), "%s@users.invalid", j->user.login);
        s.author = (struct comment_field){j->user.display_name, strlen(j->user.display_name)};
        s.email = (struct comment_field){email, strlen(email)};
        s.user_id = j->user.id;
        s.force_status = COMMENT_APPROVED;
    }
    int ret = comment_submit(db, &s, &j->cres);
    if (ret == 0 && j->cres.outcome == COMMENT_ACCEPTED)
        j->id = j->cres.id;
    json_decref(ignore);
    return ret;
}

static int moderate_comment(struct db *db, struct api_job *j)
{
    if (!role_can(j->user.role, CAP_MODERATE_COMMENTS))
        return job_fail(j, 403, "rest_cannot_edit", "Sorry, you are not allowed to edit this comment.");
    int ret = db_comment_get(db, j->id, &j->previous_comment);
    if (ret == -ENOENT)
        return job_fail(j, 404, "rest_comment_invalid_id", "Invalid comment ID.");
    if (ret < 0)
        return ret;
    if (j->op == W_COMMENT_DELETE)
        return j->force ? db_comment_delete(db, j->id) : comment_set_status(db, j->id, COMMENT_TRASH);
    json_t *ignore = json_object();
    const char *st = text_field(j->body, "status", ignore);
    json_decref(ignore);
    enum comment_status cs;
    if (st == NULL)
        return 0;
    if (strcmp(st, "hold") == 0 || strcmp(st, "0") == 0)
        cs = COMMENT_PENDING;
    else if (strcmp(st, "approve") == 0 || strcmp(st, "1") == 0)
        cs = COMMENT_APPROVED;
    else if (comment_status_parse(st, &cs) < 0)
        return job_fail(j, 400, "rest_invalid_param", "status is not one of approved, hold, spam and trash.");
    return comment_set_status(db, j->id, cs);
}

static int create_term(struct db *db, struct api_job *j)
{
    json_t *ignore = json_object();
    const char *name = text_field(j->body, "name", ignore);
    json_decref(ignore);
    struct term t = {0};
    if (!role_can(j->user.role, CAP_EDIT_OTHERS_POSTS))
        return job_fail(j, 403, "rest_cannot_create", "Sorry, you are not allowed to create terms in this taxonomy.");
    if (name == NULL || name[0] == '\0')
        return job_fail(j, 400, "rest_missing_callback_param", "Missing parameter(s): name");
    if (db_term_get_by_name(db, j->tax, name, &t) == 0) {
        j->id = t.id;
        term_clear(&t);
        return job_fail(j, 400, "term_exists", "A term with the name provided already exists in this taxonomy.");
    }
    int ret = term_ensure(db, j->tax, name, &j->id);
    if (ret == -EINVAL)
        return job_fail(j, 400, "rest_invalid_param", "The name is empty or too long.");
    return ret;
}

/* A term renamed, re-slugged or re-parented (what the request leaves out is kept; a slug made from
 * the old name follows the new one, as on the Terms screen), or deleted, through its rules. */
static int change_term(struct db *db, struct api_job *j)
{
    const char *why = NULL;
    int ret = term_get(db, j->id, &j->previous_term);
    if (ret == -ENOENT || (ret == 0 && j->previous_term.taxonomy != j->tax))
        return job_fail(j, 404, "rest_term_invalid", "Term does not exist.");
    if (ret < 0)
        return ret;
    if (j->op == W_TERM_DELETE) {
        if (!role_can(j->user.role, CAP_MANAGE_TERMS))
            return job_fail(j, 403, "rest_cannot_delete", "Sorry, you are not allowed to delete this term.");
        if (!j->force)
            return job_fail(j, 501, "rest_trash_not_supported",
                            "Terms do not support trashing. Set 'force' to 'true' to delete.");
        ret = term_remove(db, &j->user, j->id, &why);
    } else {
        json_t *invalid = json_object();
        const char *name = text_field(j->body, "name", invalid), *slug = text_field(j->body, "slug", invalid);
        int64_t parent = int_field(j->body, "parent", j->previous_term.parent_id, invalid);
        json_decref(invalid);
        struct term_edit in = {.name = name ? name : j->previous_term.name,
                               .slug = slug ? slug : j->previous_term.slug,
                               .parent_id = j->tax == TERM_CATEGORY ? parent : 0};
        ret = term_change(db, &j->user, j->id, &in, &why);
    }
    switch (ret) {
    case 0:
        return 0;
    case -EACCES:
        return job_fail(j, 403, j->op == W_TERM_DELETE ? "rest_cannot_delete" : "rest_cannot_update",
                        why ? why : "Sorry, you are not allowed to do that.");
    case -EINVAL:
        return job_fail(j, 400, "rest_invalid_param", why ? why : "A field is not valid.");
    case -EEXIST:
        return job_fail(j, 400, "duplicate_term_slug", why ? why : "The slug is already in use by another term.");
    case -EBUSY:
        return job_fail(j, 403, "rest_cannot_delete", why ? why : "The default category cannot be deleted.");
    case -ENOENT:
        return job_fail(j, 404, "rest_term_invalid", "Term does not exist.");
    }
    return ret;
}

/* On a worker: the hash of a new account's or a changed password (an account made without one
 * gets a generated one, as on the Accounts screen, and cannot log in until it is reset). */
static int user_password(struct api_job *j)
{
    json_t *ignore = json_object();
    const char *pw = text_field(j->body, "password", ignore), *why;
    char generated[USER_PASSWORD_GEN + 1];
    json_decref(ignore);
    if (!role_can(j->user.role, CAP_MANAGE_USERS) && (j->op == W_USER_CREATE || j->id != j->user.id))
        return 0; /* refused by the rules on the writer, without spending a hash */
    if (pw == NULL && j->op == W_USER_UPDATE)
        return 0;
    if (pw == NULL) {
        user_password_generate(generated, sizeof(generated));
        pw = generated;
    } else if ((why = user_password_refusal(pw)) != NULL) {
        return job_fail(j, 400, "rest_user_invalid_password", why);
    }
    int ret = user_password_hash(pw, j->pwhash);
    sodium_memzero(generated, sizeof(generated));
    return ret;
}

/* An account made or changed by an administrator through the Accounts screen's rules. */
static int write_user(struct db *db, struct api_job *j)
{
    json_t *invalid = json_object(), *roles = json_object_get(j->body, "roles");
    const char *name = text_field(j->body, "name", invalid), *email = text_field(j->body, "email", invalid);
    const char *bio = text_field(j->body, "description", invalid), *login = text_field(j->body, "username", invalid);
    const char *why = NULL;
    enum user_role role = ROLE_AUTHOR;
    int has_role = 0, ret;
    json_decref(invalid);
    if (json_is_array(roles) && json_array_size(roles) > 0)
        roles = json_array_get(roles, 0); /* Gazette gives an account one role */
    if (roles != NULL) {
        if (!json_is_string(roles) || user_role_parse(json_string_value(roles), &role) < 0)
            return job_fail(j, 400, "rest_user_invalid_role", "Role is invalid.");
        has_role = 1;
    }
    if (j->op == W_USER_CREATE) {
        if (!role_can(j->user.role, CAP_MANAGE_USERS))
            return job_fail(j, 403, "rest_cannot_create_user", "Sorry, you are not allowed to create new users.");
        if (login == NULL || login[0] == '\0')
            return job_fail(j, 400, "rest_missing_callback_param", "Missing parameter(s): username");
        struct user_new in = {.login = login, .display_name = name, .email = email, .role = role, .pwhash = j->pwhash};
        ret = user_add(db, &j->user, &in, j->now, &j->id, &why);
        if (ret == 0 && bio != NULL) {
            struct user_change ch = {.bio = bio, .role = -1, .disabled = -1};
            ret = user_change(db, &j->user, j->id, &ch, &why);
        }
    } else if (j->id != j->user.id && !role_can(j->user.role, CAP_MANAGE_USERS)) {
        return job_fail(j, 403, "rest_cannot_edit", "Sorry, you are not allowed to edit this user.");
    } else {
        struct user_change ch = {
            .display_name = name, .email = email, .bio = bio, .role = has_role ? (int)role : -1, .disabled = -1};
        ret = user_change(db, &j->user, j->id, &ch, &why);
        if (ret == 0 && j->pwhash[0] != '\0')
            ret = user_password_set(db, &j->user, j->id, j->pwhash, NULL, 0, &why);
    }
    switch (ret) {
    case 0:
        return 0;
    case -EACCES:
        return job_fail(j, 403, j->op == W_USER_CREATE ? "rest_cannot_create_user" : "rest_cannot_edit",
                        why ? why : "Sorry, you are not allowed to do that.");
    case -EEXIST:
        return job_fail(j, 400, "existing_user_login", why ? why : "Sorry, that username already exists!");
    case -EINVAL:
        return job_fail(j, 400, "rest_invalid_param", why ? why : "A field is not valid.");
    case -ENOENT:
        return job_fail(j, 404, "rest_user_invalid_id", "Invalid user ID.");
    }
    return ret;
}

/* The site's settings (administrators), all or none. */
static int write_settings(struct db *db, struct api_job *j)
{
    const char *k;
    json_t *v;
    int ret = 0;
    if (!role_can(j->user.role, CAP_MANAGE_OPTIONS))
        return job_fail(j, 403, "rest_forbidden", "Sorry, you are not allowed to do that.");
    if ((ret = db_begin(db)) < 0)
        return ret;
    json_object_foreach(j->body, k, v)
    {
        int is_int = 0;
        const char *key = api_setting_key(k, &is_int);
        char num[32];
        const char *value = json_string_value(v);
        if (key == NULL)
            continue; /* WordPress ignores settings it does not have */
        if (is_int && json_is_integer(v)) {
            snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
            value = num;
        }
        if (value == NULL || (ret = setting_set(db, key, value)) == -EINVAL || ret == -ENOENT) {
            ret = job_fail(j, 400, "rest_invalid_param", "A setting has a value it cannot take.");
            break;
        }
        if (ret < 0)
            break;
    }
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

/* The texts of a medium in a job, as news/media.h takes them. */
static struct media_text job_text(const struct api_job *j)
{
    return (struct media_text){.title = j->m_title, .alt = j->m_alt, .caption = j->m_caption, .credit = j->m_credit};
}

/* On a worker: the upload checked and copied (nothing recorded yet). */
static int upload_prepare(struct db *db, struct api_job *j)
{
    if (!role_can(j->user.role, CAP_UPLOAD_FILES))
        return job_fail(j, 403, "rest_cannot_create", "Sorry, you are not allowed to upload media on this site.");
    if ((j->upload = calloc(1, sizeof(*j->upload))) == NULL)
        abort();
    struct media_text t = job_text(j);
    int ret = media_prepare_bytes(db, j->uploads, j->data, j->len, &t, j->now, j->upload, j->why);
    free(j->data);
    j->data = NULL;
    if (ret == -EINVAL)
        return job_fail(j, 400, "rest_upload_sideload_error", j->why);
    if (ret == -EIO)
        return job_fail(j, 500, "rest_upload_unknown_error", j->why);
    return ret;
}

/* On the writer: the upload recorded (media_commit removes its files when it fails). */
static int upload_commit(struct db *db, struct api_job *j)
{
    struct media_text t = job_text(j);
    int ret = media_commit(db, j->uploads, j->upload, &t, j->user.id, j->now, NULL, j->why);
    if (ret == 0)
        j->id = j->upload->id;
    return ret;
}

/* A medium's texts changed, or the medium deleted (its files go once that is committed). */
static int media_change(struct db *db, struct api_job *j)
{
    struct medium m = {0};
    int ret = db_media_get(db, j->id, &m);
    if (ret == -ENOENT)
        return job_fail(j, 404, "rest_post_invalid_id", "Invalid post ID.");
    if (ret < 0)
        return ret;
    int allowed = media_may_change(&j->user, &m);
    if (!allowed) {
        medium_clear(&m);
        return j->op == W_MEDIA_DELETE
                   ? job_fail(j, 403, "rest_cannot_delete", "Sorry, you are not allowed to delete this post.")
                   : job_fail(j, 403, "rest_cannot_edit", "Sorry, you are not allowed to edit this post.");
    }
    if (j->op == W_MEDIA_DELETE) {
        medium_clear(&m);
        if (!j->force)
            return job_fail(j, 501, "rest_trash_not_supported",
                            "The post does not support trashing. Set 'force' to 'true' to delete.");
        char why[MEDIA_WHY_MAX];
        ret = media_delete_record(db, j->id, j->confirm, &j->gone, why);
        if (ret == -EBUSY) {
            snprintf(j->why, sizeof(j->why), "%s Deleting it leaves them without it: send confirm=true to do so.", why);
            return job_fail(j, 409, "rest_media_in_use", j->why);
        }
        return ret;
    }
    /* what the request leaves out is kept */
    struct media_text t = {.title = j->m_title ? j->m_title : m.title,
                           .alt = j->m_alt ? j->m_alt : m.alt,
                           .caption = j->m_caption ? j->m_caption : m.caption,
                           .credit = j->m_credit ? j->m_credit : m.credit};
    ret = media_set_text(db, j->id, &t, j->why);
    medium_clear(&m);
    if (ret == -EINVAL)
        return job_fail(j, 400, "rest_invalid_param", j->why);
    return ret;
}

/* The write itself, on the writer in its batch. */
static int job_write(struct db *db, struct api_job *j)
{
    if (j->basic && j->auth != AUTH_OK)
        return 0;
    switch (j->op) {
    case W_NONE:
        return 0;
    case W_POST_SAVE:
        return save_post(db, j);
    case W_POST_DELETE:
        return delete_post(db, j);
    case W_COMMENT_CREATE:
        return create_comment(db, j);
    case W_COMMENT_STATUS:
    case W_COMMENT_DELETE:
        return moderate_comment(db, j);
    case W_TERM:
        return create_term(db, j);
    case W_SETTINGS:
        return write_settings(db, j);
    case W_MEDIA_UPLOAD:
        return upload_commit(db, j);
    case W_MEDIA_UPDATE:
    case W_MEDIA_DELETE:
        return media_change(db, j);
    case W_TERM_UPDATE:
    case W_TERM_DELETE:
        return change_term(db, j);
    case W_USER_CREATE:
    case W_USER_UPDATE:
        return write_user(db, j);
    }
    return -EINVAL;
}

/* On a worker: the throttle and the application password (reads and Argon2id). */
static int job_check(struct db *db, struct writer_job *job)
{
    struct api_job *j = (struct api_job *)job;
    /* an API client sends no device cookie: it is a stranger to the account's throttle */
    int ret = login_gate(db, j->ip, j->login, NULL, 0, j->now, &j->gate);
    if (ret < 0)
        return ret;
    if (!j->gate.allowed) {
        j->auth = AUTH_THROTTLED;
        return 0;
    }
    ret = app_password_verify(db, j->login, j->pwd, j->pwd_len, &j->user, j->uuid);
    j->auth = ret == 0 ? AUTH_OK : AUTH_WRONG;
    return ret == -EACCES ? 0 : ret;
}

/* On a worker: who the caller is (an application password), then the slow part of an upload. */
static int job_work(struct db *db, struct writer_job *job)
{
    struct api_job *j = (struct api_job *)job;
    int ret = j->basic ? job_check(db, job) : 0;
    if (ret < 0 || (j->basic && j->auth != AUTH_OK))
        return ret;
    if (j->op == W_MEDIA_UPLOAD)
        return upload_prepare(db, j);
    if (j->op == W_USER_CREATE || j->op == W_USER_UPDATE)
        return user_password(j);
    return 0;
}

/* Then on the writer: the failure or the use recorded, and the write. */
static int job_then(struct db *db, struct writer_job *job)
{
    struct api_job *j = (struct api_job *)job;
    int ret = 0;
    /* dated now, not at the request: the account's wait must not run out while Argon2id runs */
    if (j->auth == AUTH_WRONG)
        return login_failed(db, j->ip, j->login, &j->gate, time_now());
    if (j->auth == AUTH_OK && (ret = db_app_password_used(db, j->uuid, j->now, j->ip)) < 0 && ret != -ENOENT)
        return ret;
    return j->op == W_NONE ? 0 : job_write(db, j);
}

static int job_batch(struct db *db, struct writer_job *job)
{
    return job_write(db, (struct api_job *)job);
}

static void job_free(struct api_job *j)
{
    free(j->data);
    free(j->m_title);
    free(j->m_alt);
    free(j->m_caption);
    free(j->m_credit);
    free(j->upload);
    medium_clear(&j->gone);
    if (j->pwd != NULL) {
        sodium_memzero(j->pwd, j->pwd_len);
        free(j->pwd);
    }
    user_clear(&j->user);
    json_decref(j->body);
    post_clear(&j->previous);
    comment_clear(&j->previous_comment);
    term_clear(&j->previous_term);
    free(j->agent);
    free(j);
}

/* ---- answers -------------------------------------------------------------------------------- */

static void answer_edit_error(struct api_ctx *a, struct api_job *j, int rc, const char *create_code)
{
    const char *why = j->res.refusal ? j->res.refusal : "The post could not be saved.";
    if (j->error_code != NULL)
        api_error(a, j->error_status, j->error_code, j->error_msg, NULL);
    else if (rc == -EACCES)
        api_error(a, 403,
                  j->op == W_POST_DELETE ? "rest_cannot_delete"
                  : j->id == 0           ? create_code
                                         : "rest_cannot_edit",
                  why, NULL);
    else if (rc == -ENOENT)
        api_error(a, 404, "rest_post_invalid_id", "Invalid post ID.", NULL);
    else if (rc == -EINVAL)
        api_error(a, 400, "rest_invalid_param", why, NULL);
    else if (rc == -ESTALE)
        api_error(a, 409, "rest_post_conflict", why, NULL);
    else if (rc == -E2BIG)
        api_error(a, 413, "rest_post_too_large", why, NULL);
    else if (rc == -EBUSY)
        api_error(a, 409, "rest_post_not_trashed", why, NULL);
    else
        api_db_fail(a);
}

static void answer_post(struct api_ctx *a, struct api_job *j, int status)
{
    struct post p = {0};
    if (db_post_get(a->c->t->db, j->id, &p) < 0) {
        api_error(a, 503, "rest_db", "The post was saved, but could not be read back.", NULL);
        return;
    }
    a->edit = 1;
    json_t *o = api_post_json(a, &p);
    post_clear(&p);
    if (status == 201) {
        char loc[256];
        snprintf(loc, sizeof(loc), "%s/wp-json/wp/v2/%s/%lld", a->site_url,
                 j->type == POST_TYPE_POST ? "posts" : "pages", (long long)j->id);
        http_header(a->req, "location", loc, strlen(loc));
    }
    api_send(a, status, o);
}

static void answer_comment(struct api_ctx *a, struct api_job *j)
{
    static const struct {
        int status;
        const char *code, *msg;
    } refusals[] = {
        [COMMENT_NOT_FOUND] = {403, "rest_comment_invalid_post_id",
                               "Sorry, you are not allowed to create this "
                               "comment without a post."},
        [COMMENT_CLOSED] = {403, "rest_comment_closed", "Sorry, comments are closed for this item."},
        [COMMENT_FLOOD] = {429, "comment_flood", "You are posting comments too quickly. Slow down."},
        [COMMENT_DUPLICATE] = {409, "comment_duplicate",
                               "Duplicate comment detected; it looks as though you have already said that!"},
    };
    const struct comment_result *r = &j->cres;
    if (r->outcome == COMMENT_INVALID) {
        json_t *params = json_object();
        for (size_t i = 0; i < r->n_errors; i++) {
            const char *f = r->errors[i].field;
            const char *name = strcmp(f, "comment") == 0          ? "content"
                               : strcmp(f, "author") == 0         ? "author_name"
                               : strcmp(f, "email") == 0          ? "author_email"
                               : strcmp(f, "url") == 0            ? "author_url"
                               : strcmp(f, "comment_parent") == 0 ? "parent"
                                                                  : f;
            json_object_set_new(params, name, json_string(r->errors[i].message));
        }
        api_invalid(a, params);
        return;
    }
    if (r->outcome != COMMENT_ACCEPTED) {
        api_error(a, refusals[r->outcome].status, refusals[r->outcome].code, refusals[r->outcome].msg, NULL);
        return;
    }
    struct comment cm = {0};
    if (db_comment_get_public(a->c->t->db, j->id, &cm) < 0) {
        api_error(a, 503, "rest_db", "The comment was stored, but could not be read back.", NULL);
        return;
    }
    api_send(a, 201, api_comment_json(a, &cm));
    comment_clear(&cm);
}

static void answer_medium(struct api_ctx *a, struct api_job *j)
{
    struct medium m = {0};
    if (db_media_get(a->c->t->db, j->id, &m) < 0) {
        api_error(a, 503, "rest_db", "The medium was stored, but could not be read back.", NULL);
        return;
    }
    a->edit = 1;
    int status = j->op == W_MEDIA_UPLOAD && !j->upload->existed ? 201 : 200;
    if (j->op == W_MEDIA_UPLOAD) {
        char loc[256];
        snprintf(loc, sizeof(loc), "%s/wp-json/wp/v2/media/%lld", a->site_url, (long long)j->id);
        http_header(a->req, "location", loc, strlen(loc));
    }
    api_send(a, status, api_medium_json(a, &m, 0));
    medium_clear(&m);
}

/* Back on the loop once the job's writes are on disk (or failed). */
static void job_done(struct writer_job *job)
{
    struct api_job *j = (struct api_job *)job;
    struct page_ctx c = {.t = j->t, .req = job->req, .now = j->now, .body = BUF_INIT, .expires = INT64_MAX};
    struct api_ctx a;
    if (j->op == W_MEDIA_UPLOAD && job->rc < 0 && j->upload != NULL && !j->upload->existed)
        media_abandon(j->uploads, j->upload); /* the batch failed after the record: nothing of it stays */
    if (j->op == W_MEDIA_DELETE && job->rc == 0 && j->gone.id != 0)
        media_remove_files(j->uploads, &j->gone); /* committed and synced: the files go now */
    if (c.req == NULL || api_begin(&c, &a) < 0)
        goto out;
    if (j->basic && j->auth == AUTH_THROTTLED) {
        h2o_add_header(&c.req->pool, &c.req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, H2O_STRLIT("60"));
        api_error(&a, 429, "rest_too_many_logins", "Too many failed login attempts. Please wait a minute.", NULL);
    } else if (j->basic && j->auth != AUTH_OK) {
        api_error(&a, 401, job->rc < 0 ? "rest_db" : "incorrect_password",
                  "The provided password is an invalid application password.", NULL);
    } else {
        a.user = j->user;
        memset(&j->user, 0, sizeof(j->user));
        if (j->op == W_NONE) {
            api_dispatch(&a);
        } else if (job->rc < 0 && j->op != W_POST_SAVE && j->op != W_POST_DELETE && j->error_code == NULL) {
            api_db_fail(&a);
        } else if (j->error_code != NULL && (j->op != W_POST_SAVE && j->op != W_POST_DELETE)) {
            api_error(&a, j->error_status, j->error_code, j->error_msg, NULL);
        } else {
            switch (j->op) {
            case W_POST_SAVE:
                if (job->rc < 0)
                    answer_edit_error(&a, j, job->rc, "rest_cannot_create");
                else
                    answer_post(&a, j, a.method == API_POST && a.n_seg == 3 ? 201 : 200);
                break;
            case W_POST_DELETE:
                if (job->rc < 0) {
                    answer_edit_error(&a, j, job->rc, "rest_cannot_delete");
                } else if (j->force) {
                    a.edit = 1;
                    api_send(&a, 200,
                             json_pack("{s:b, s:o}", "deleted", 1, "previous", api_post_json(&a, &j->previous)));
                } else {
                    answer_post(&a, j, 200);
                }
                break;
            case W_COMMENT_CREATE:
                answer_comment(&a, j);
                break;
            case W_COMMENT_STATUS:
            case W_COMMENT_DELETE: {
                struct comment cm = {0};
                a.edit = 1;
                if (j->force)
                    api_send(
                        &a, 200,
                        json_pack("{s:b, s:o}", "deleted", 1, "previous", api_comment_json(&a, &j->previous_comment)));
                else if (db_comment_get(a.c->t->db, j->id, &cm) == 0)
                    api_send(&a, 200, api_comment_json(&a, &cm));
                else
                    api_db_fail(&a);
                comment_clear(&cm);
                break;
            }
            case W_TERM: {
                struct term t = {0};
                if (db_term_get(a.c->t->db, j->id, &t) == 0)
                    api_send(&a, 201, api_term_json(&a, &t));
                else
                    api_db_fail(&a);
                term_clear(&t);
                break;
            }
            case W_SETTINGS:
                api_settings_get(&a, 0, NULL);
                break;
            case W_MEDIA_UPLOAD:
            case W_MEDIA_UPDATE:
                answer_medium(&a, j);
                break;
            case W_TERM_UPDATE: /* read back as GET answers it, with its count */
                (j->tax == TERM_CATEGORY ? api_categories_get : api_tags_get)(&a, j->id, NULL);
                break;
            case W_USER_CREATE:
            case W_USER_UPDATE: {
                struct user u = {0};
                a.edit = 1;
                if (user_get(a.c->t->db, j->id, &u) == 0)
                    api_send(&a, j->op == W_USER_CREATE ? 201 : 200, api_user_json(&a, &u));
                else
                    api_db_fail(&a);
                user_clear(&u);
                break;
            }
            case W_TERM_DELETE:
                api_send(&a, 200,
                         json_pack("{s:b, s:o}", "deleted", 1, "previous", api_term_json(&a, &j->previous_term)));
                break;
            case W_MEDIA_DELETE:
                a.edit = 1;
                api_send(&a, 200, json_pack("{s:b, s:o}", "deleted", 1, "previous", api_medium_json(&a, &j->gone, -1)));
                break;
            case W_NONE:
                break;
            }
        }
    }
    api_end(&a);
out:
    app_ctx_free(&c);
    job_free(j);
}

static void submit(struct api_ctx *a, struct api_job *j)
{
    j->t = a->c->t;
    j->now = a->c->now;
    j->job.done = job_done;
    if (j->basic || j->op == W_MEDIA_UPLOAD || j->op == W_USER_CREATE || j->op == W_USER_UPDATE) {
        j->job.run = job_work;
        j->job.then = job_then;
        writer_submit(a->c->t->app->writer, WRITER_WORK, a->c->t->home, a->req, &j->job);
    } else {
        j->job.run = job_batch;
        writer_submit(a->c->t->app->writer, WRITER_BATCH, a->c->t->home, a->req, &j->job);
    }
    a->c->sent = 1;
}

/* ---- the entry points ----------------------------------------------------------------------- */

int api_authenticate(struct api_ctx *a)
{
    size_t n = 0;
    const char *h = http_req_header(a->req, H2O_TOKEN_AUTHORIZATION, &n);
    if (h == NULL)
        return cookie_user(a) < 0 ? -1 : 0;
    if (n < 6 || strncasecmp(h, "Basic ", 6) != 0 || n > API_AUTH_MAX) {
        api_error(a, 401, "rest_invalid_authorization",
                  "Only Basic authentication with an application password "
                  "is supported.",
                  NULL);
        return -1;
    }
    char ip[NI_MAXHOST];
    int loopback;
    int64_t allow = 0;
    peer(a->req, ip, &loopback);
    setting_get_int(a->c->t->db, "api_app_passwords_http", &allow);
    if (!http_is_tls(a->req) && !loopback && !allow) {
        api_error(a, 401, "application_passwords_disabled", "Application passwords are only accepted over HTTPS.",
                  NULL);
        return -1;
    }
    unsigned char dec[API_AUTH_MAX];
    size_t dn = 0;
    const char *p = h + 6;
    while (*p == ' ' && p < h + n)
        p++;
    if (sodium_base642bin(dec, sizeof(dec) - 1, p, (size_t)(h + n - p), NULL, &dn, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        api_error(a, 401, "rest_invalid_authorization", "The Authorization header is not valid Base64.", NULL);
        return -1;
    }
    dec[dn] = '\0';
    char *colon = memchr(dec, ':', dn);
    size_t ln = colon ? (size_t)(colon - (char *)dec) : 0;
    if (colon == NULL || ln == 0 || ln > USER_LOGIN_MAX || memchr(dec, '\0', dn) != NULL) {
        sodium_memzero(dec, sizeof(dec));
        api_error(a, 401, "invalid_username", "Unknown username.", NULL);
        return -1;
    }
    struct api_job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    j->basic = 1;
    for (size_t i = 0; i < ln; i++)
        j->login[i] = (dec[i] >= 'A' && dec[i] <= 'Z') ? (char)(dec[i] - 'A' + 'a') : (char)dec[i];
    j->pwd_len = dn - ln - 1;
    if ((j->pwd = malloc(j->pwd_len + 1)) == NULL)
        abort();
    memcpy(j->pwd, colon + 1, j->pwd_len);
    j->pwd[j->pwd_len] = '\0';
    sodium_memzero(dec, sizeof(dec));
    memcpy(j->ip, ip, sizeof(ip));
    a->pending = j;
    return 1;
}

/* A heap copy of s[0..n). */
static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d == NULL)
        abort();
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* The file name of a Content-Disposition value ("attachment; filename=a.jpg", quoted or not),
 * without its folders: its length, 0 when there is none. */
static size_t disposition_filename(const char *v, size_t n, const char **name)
{
    size_t at = h2o_strstr(v, n, H2O_STRLIT("filename="));
    if (at == SIZE_MAX)
        return 0;
    const char *p = v + at + 9, *end = v + n;
    if (p < end && *p == '"') {
        p++;
        const char *q = memchr(p, '"', (size_t)(end - p));
        end = q ? q : end;
    } else {
        const char *q = memchr(p, ';', (size_t)(end - p));
        end = q ? q : end;
    }
    for (const char *s = p; s < end; s++)
        if (*s == '/' || *s == '\\')
            p = s + 1;
    *name = p;
    return (size_t)(end - p);
}

/* A text of the upload's fields (a form part or a query argument), or NULL. */
static char *upload_text(json_t *fields, const char *name, json_t *invalid)
{
    const char *v = text_field(fields, name, invalid);
    return v ? dup_n(v, strlen(v)) : NULL;
}

/* POST /wp/v2/media: the file as the body (with Content-Disposition: attachment; filename=...) or
 * as the part "file" of a multipart form; the texts in the form's other parts or the query. */
static int prepare_upload(struct api_ctx *a, struct api_job *j)
{
    h2o_req_t *req = a->req;
    const char *data = req->entity.base ? req->entity.base : "", *fname = NULL;
    size_t len = req->entity.base ? req->entity.len : 0, fn = 0, tn = 0;
    const char *type = http_req_header(req, H2O_TOKEN_CONTENT_TYPE, &tn);
    h2o_iovec_t boundary;
    struct multipart mp;
    json_t *fields = json_object(), *invalid = json_object();
    int ret = -1;

    if (!j->basic && a->user.id == 0) {
        api_error(a, 401, "rest_cannot_create", "Sorry, you are not allowed to upload media: log in first.", NULL);
        goto out;
    }
    if (a->user.id != 0 && !role_can(a->user.role, CAP_UPLOAD_FILES)) {
        api_error(a, 403, "rest_cannot_create", "Sorry, you are not allowed to upload media on this site.", NULL);
        goto out;
    }
    for (size_t i = 0; a->c->has_query && i < a->c->query.n; i++) {
        const struct form_field *f = &a->c->query.fields[i];
        json_object_set_new(fields, f->name, jstr(f->value, f->value_len));
    }
    if (type != NULL && multipart_boundary(type, tn, &boundary) == 0) {
        if (multipart_parse(data, len, boundary, &mp) < 0) {
            api_error(a, 400, "rest_upload_invalid", "The multipart body is not well formed.", NULL);
            goto out;
        }
        const struct multipart_part *f = multipart_get(&mp, "file");
        if (f == NULL || !f->is_file || f->data.len == 0) {
            api_error(a, 400, "rest_upload_no_data", "No data supplied: send the file in the part named file.", NULL);
            goto out;
        }
        data = f->data.base, len = f->data.len;
        fn = disposition_filename(f->filename.base, f->filename.len, &fname);
        if (fn == 0)
            fname = f->filename.base, fn = f->filename.len;
        for (size_t i = 0; i < mp.n; i++)
            if (!mp.parts[i].is_file) {
                char *name = dup_n(mp.parts[i].name.base, mp.parts[i].name.len);
                json_object_set_new(fields, name, jstr(mp.parts[i].data.base, mp.parts[i].data.len));
                free(name);
            }
    } else {
        size_t dn = 0;
        ssize_t k = h2o_find_header_by_str(&req->headers, H2O_STRLIT("content-disposition"), -1);
        const char *disp = k == -1 ? NULL : req->headers.entries[k].value.base;
        dn = k == -1 ? 0 : req->headers.entries[k].value.len;
        if (len == 0) {
            api_error(a, 400, "rest_upload_no_data", "No data supplied.", NULL);
            goto out;
        }
        if (disp == NULL || (fn = disposition_filename(disp, dn, &fname)) == 0) {
            api_error(a, 400, "rest_upload_no_content_disposition",
                      "No Content-Disposition supplied: send attachment; filename=NAME.", NULL);
            goto out;
        }
    }
    struct image_limits lim;
    media_limits(a->c->t->db, &lim);
    if (len > lim.bytes) {
        char msg[200];
        snprintf(msg, sizeof(msg), "The file is %zu bytes: this site takes images of at most %zu bytes.", len,
                 lim.bytes);
        api_error(a, 413, "rest_upload_file_too_big", msg, json_pack("{s:I}", "max_bytes", (json_int_t)lim.bytes));
        goto out;
    }
    j->m_title = upload_text(fields, "title", invalid);
    j->m_alt = upload_text(fields, "alt_text", invalid);
    j->m_caption = upload_text(fields, "caption", invalid);
    j->m_credit = upload_text(fields, "credit", invalid);
    if (api_invalid(a, invalid)) {
        invalid = NULL;
        goto out;
    }
    invalid = NULL;
    if (j->m_title == NULL || j->m_title[0] == '\0') { /* WordPress's default: the file's name */
        size_t stem = fn;
        for (size_t i = fn; i > 0; i--)
            if (fname[i - 1] == '.') {
                stem = i - 1;
                break;
            }
        free(j->m_title);
        j->m_title = dup_n(fname, stem > MEDIA_TEXT_MAX ? MEDIA_TEXT_MAX : stem);
    }
    j->data = malloc(len);
    if (j->data == NULL)
        abort();
    memcpy(j->data, data, len); /* the request may go before the job runs */
    j->len = len;
    snprintf(j->uploads, sizeof(j->uploads), "%s/uploads", a->c->t->app->data_dir);
    j->op = W_MEDIA_UPLOAD;
    ret = 0;
out:
    json_decref(fields);
    json_decref(invalid);
    return ret;
}

/* POST/PUT/PATCH or DELETE on /wp/v2/media/ID. */
static int prepare_media(struct api_ctx *a, struct api_job *j, int64_t id)
{
    json_t *invalid = json_object();
    j->id = id;
    snprintf(j->uploads, sizeof(j->uploads), "%s/uploads", a->c->t->app->data_dir);
    if (a->method == API_DELETE) {
        j->op = W_MEDIA_DELETE;
        j->confirm = bool_field(j->body, "confirm", 0, invalid);
    } else {
        j->op = W_MEDIA_UPDATE;
        j->m_title = upload_text(j->body, "title", invalid);
        j->m_alt = upload_text(j->body, "alt_text", invalid);
        j->m_caption = upload_text(j->body, "caption", invalid);
        j->m_credit = upload_text(j->body, "credit", invalid);
    }
    return api_invalid(a, invalid) ? -1 : 0;
}

/* Prepares the write the request asks for into a job; 0, or -1 after answering. */
static int prepare_write(struct api_ctx *a, struct api_job *j, const char *base, int64_t id)
{
    int is_post = strcmp(base, "posts") == 0, is_page = strcmp(base, "pages") == 0;
    int del = a->method == API_DELETE;
    if (strcmp(base, "media") == 0 && id == 0)
        return a->method == API_POST ? prepare_upload(a, j) : -1;
    if ((j->body = read_body(a)) == NULL)
        return -1;
    json_t *ignore = json_object();
    j->force = bool_field(j->body, "force", 0, ignore);
    json_decref(ignore);
    j->id = id;
    if (is_post || is_page) {
        j->type = is_post ? POST_TYPE_POST : POST_TYPE_PAGE;
        if (!del && check_post_fields(a, j->body))
            return -1;
        j->op = del ? W_POST_DELETE : W_POST_SAVE;
        if (del && id == 0) {
            api_error(a, 404, "rest_no_route", "No route was found matching the URL and request method.", NULL);
            return -1;
        }
        return 0;
    }
    if (strcmp(base, "comments") == 0) {
        if (id == 0 && !del) {
            j->op = W_COMMENT_CREATE;
            int64_t anon = 1;
            setting_get_int(a->c->t->db, "api_anonymous_comments", &anon);
            if (!anon && j->basic == 0 && a->user.id == 0) {
                api_error(a, 401, "rest_comment_login_required", "Sorry, you must be logged in to comment.", NULL);
                return -1;
            }
            int loopback;
            peer(a->req, j->ip, &loopback);
            size_t n = 0;
            const char *ua = http_req_header(a->req, H2O_TOKEN_USER_AGENT, &n);
            if (ua != NULL) {
                n = n > COMMENT_AGENT_MAX ? COMMENT_AGENT_MAX : n;
                if ((j->agent = malloc(n + 1)) == NULL)
                    abort();
                memcpy(j->agent, ua, n);
                j->agent[n] = '\0';
            }
            return 0;
        }
        if (id > 0) {
            j->op = del ? W_COMMENT_DELETE : W_COMMENT_STATUS;
            return 0;
        }
    }
    if (strcmp(base, "media") == 0)
        return prepare_media(a, j, id);
    if (strcmp(base, "users") == 0 && !del) {
        j->op = id == 0 ? W_USER_CREATE : W_USER_UPDATE;
        j->id = id;
        return 0;
    }
    if (strcmp(base, "settings") == 0 && !del) {
        j->op = W_SETTINGS;
        return 0;
    }
    if ((strcmp(base, "categories") == 0 || strcmp(base, "tags") == 0) && !(id == 0 && del)) {
        j->op = id == 0 ? W_TERM : del ? W_TERM_DELETE : W_TERM_UPDATE;
        j->tax = base[0] == 'c' ? TERM_CATEGORY : TERM_TAG;
        j->id = id;
        return 0;
    }
    api_error(a, 404, "rest_no_route", "No route was found matching the URL and request method.", NULL);
    return -1;
}

void api_write(struct api_ctx *a, const char *base, int64_t id)
{
    struct api_job *j = a->pending;
    a->pending = NULL;
    if (j == NULL && (j = calloc(1, sizeof(*j))) == NULL)
        abort();
    if (prepare_write(a, j, base, id) < 0) {
        job_free(j);
        return;
    }
    if (!j->basic && a->user.id == 0 && j->op != W_COMMENT_CREATE) {
        job_free(j);
        const char *code = a->method == API_DELETE ? "rest_cannot_delete"
                           : id != 0               ? "rest_cannot_edit"
                                                   : "rest_cannot_create";
        api_error(a, 401, code, "Sorry, you are not allowed to do that: log in first.", NULL);
        return;
    }
    if (!j->basic) {
        j->user = a->user;
        memset(&a->user, 0, sizeof(a->user));
    }
    submit(a, j);
}

void api_read_as(struct api_ctx *a)
{
    struct api_job *j = a->pending;
    a->pending = NULL;
    j->op = W_NONE;
    submit(a, j);
}

void api_pending_free(struct api_ctx *a)
{
    if (a->pending != NULL)
        job_free(a->pending);
    a->pending = NULL;
}
