/* Accounts in the newsroom: the list and the form to add one, each account's screen (role,
 * name, email, biography, a new password that ends its sessions, disable, delete with its posts
 * given to another account) for administrators, and every user's own profile. The rules are
 * news/user.h's; passwords are hashed on the worker pool and every change is made by the writer.
 * The profile also lists the user's application passwords (news/apppass.h) to add and revoke. */
#include "app/admin_int.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"

#include "lib/timeutil.h"
#include "lib/tz.h"
#include "news/apppass.h"
#include "news/user.h"

enum user_op {
    OP_ADD,
    OP_SAVE,
    OP_PASSWORD,
    OP_DISABLE,
    OP_ENABLE,
    OP_DELETE,
    OP_PROFILE,
    OP_OWN_PASSWORD,
    OP_APP_ADD,
    OP_APP_REVOKE
};

struct user_job {
    struct admin_job base; /* first */
    enum user_op op;
    int64_t id;
    int64_t new_id;
    const char *why;
    char hash[USER_HASH_MAX];
    char generated[USER_PASSWORD_GEN + 1];
    char *session; /* OP_OWN_PASSWORD: the session that stays */
    size_t session_len;
    /* OP_APP_ADD: the new application password, shown once; its UUID and hash */
    char app_shown[APP_PASSWORD_SHOWN + 1];
    char app_uuid[APP_PASSWORD_UUID_LEN + 1];
    char app_hash[APP_PASSWORD_HASH_MAX];
};

static const char *const role_labels[] = {"Administrator", "Editor", "Author", "Contributor"};

static json_t *roles_json(enum user_role current)
{
    json_t *j = json_array();
    for (int r = 0; r < 4; r++)
        json_array_append_new(j, json_pack("{s:s, s:s, s:b}", "value", user_role_name((enum user_role)r), "label",
                                           role_labels[r], "selected", (int)current == r));
    return j;
}

/* A field as typed when the form is shown again, else the stored value. */
static json_t *typed_or(struct admin_ctx *a, const char *name, const char *stored)
{
    const char *v = admin_field(a, name);
    return jcstr(v != NULL ? v : stored);
}

/* ---- the list --------------------------------------------------------------------------------- */

static void users_page(struct admin_ctx *a, int status, const char *error, const char *generated)
{
    struct user_list l = {0};
    if (user_list_all(a->c->t->db, &l) < 0) {
        admin_error(a, 503, "The database is not available.");
        return;
    }
    json_t *d = json_object(), *rows = json_array();
    for (size_t i = 0; i < l.n; i++) {
        const struct user *u = &l.items[i];
        json_array_append_new(rows, json_pack("{s:I, s:o, s:o, s:o, s:s, s:b, s:b}", "id", (json_int_t)u->id, "login",
                                              jcstr(u->login), "name", jcstr(u->display_name), "email", jcstr(u->email),
                                              "role", role_labels[u->role], "disabled", u->disabled, "self",
                                              u->id == a->user.id));
    }
    user_list_free(&l);
    enum user_role role = ROLE_AUTHOR;
    const char *r = admin_field(a, "role");
    if (r != NULL)
        user_role_parse(r, &role);
    json_object_set_new(d, "users", rows);
    json_object_set_new(d, "roles", roles_json(role));
    json_object_set_new(d, "new_login", typed_or(a, "login", ""));
    json_object_set_new(d, "new_name", typed_or(a, "display_name", ""));
    json_object_set_new(d, "new_email", typed_or(a, "email", ""));
    if (error != NULL)
        json_object_set_new(d, "error", json_string(error));
    if (generated != NULL)
        json_object_set_new(d, "generated", json_string(generated));
    admin_render(a, status, "admin-users", d, "Users");
}

void admin_users(struct admin_ctx *a)
{
    if (admin_require(a, CAP_MANAGE_USERS))
        users_page(a, 200, NULL, NULL);
}

/* ---- one account ------------------------------------------------------------------------------ */

static void user_page(struct admin_ctx *a, int64_t id, int status, const char *error)
{
    struct user u = {0};
    struct user_list all = {0};
    int64_t posts = 0;
    int ret = user_get(a->c->t->db, id, &u);
    if (ret < 0 || user_post_count(a->c->t->db, id, &posts) < 0 || user_list_all(a->c->t->db, &all) < 0) {
        user_clear(&u);
        admin_error(a, ret == -ENOENT ? 404 : 503,
                    ret == -ENOENT ? "There is no such account." : "The database is not available.");
        return;
    }
    json_t *d = json_object(), *heirs = json_array();
    for (size_t i = 0; i < all.n; i++)
        if (all.items[i].id != id)
            json_array_append_new(heirs, json_pack("{s:I, s:o, s:b}", "id", (json_int_t)all.items[i].id, "name",
                                                   jcstr(all.items[i].display_name), "selected",
                                                   all.items[i].id == a->user.id));
    user_list_free(&all);
    enum user_role role = u.role;
    const char *r = admin_field(a, "role");
    if (r != NULL)
        user_role_parse(r, &role);
    json_object_set_new(d, "user_id", json_integer(id));
    json_object_set_new(d, "login", jcstr(u.login));
    json_object_set_new(d, "name", typed_or(a, "display_name", u.display_name));
    json_object_set_new(d, "email", typed_or(a, "email", u.email));
    json_object_set_new(d, "bio", typed_or(a, "bio", u.bio));
    json_object_set_new(d, "roles", roles_json(role));
    json_object_set_new(d, "disabled", json_boolean(u.disabled));
    json_object_set_new(d, "self", json_boolean(id == a->user.id));
    json_object_set_new(d, "posts", json_integer(posts));
    json_object_set_new(d, "heirs", heirs);
    if (error != NULL)
        json_object_set_new(d, "error", json_string(error));
    user_clear(&u);
    admin_render(a, status, "admin-user", d, "Edit user");
}

/* The user's application passwords, for the profile: name, UUID, when made and last used. */
static json_t *app_passwords_json(struct admin_ctx *a, const struct app_password_list *l)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const struct app_password *p = &l->items[i];
        char iso[TIME_ISO_LEN], words[TIME_HUMAN_MAX];
        time_format_iso(p->created_at, iso);
        tz_format_human_time(a->c->t->site.timezone, p->created_at, words);
        json_t *r = json_pack("{s:o, s:s, s:s, s:s}", "name", jcstr(p->name), "uuid", p->uuid, "created", iso,
                              "created_words", words);
        if (p->last_used > 0) {
            time_format_iso(p->last_used, iso);
            tz_format_human_time(a->c->t->site.timezone, p->last_used, words);
            json_object_set_new(r, "used", json_string(iso));
            json_object_set_new(r, "used_words", json_string(words));
            json_object_set_new(r, "used_ip", jcstr(p->last_ip ? p->last_ip : ""));
        }
        json_array_append_new(rows, r);
    }
    return rows;
}

/* shown: a new application password to show this once (NULL: none). */
static void profile_page_with(struct admin_ctx *a, int status, const char *error, const struct user_job *shown)
{
    struct user u = {0};
    struct app_password_list apps = {0};
    if (user_get(a->c->t->db, a->user.id, &u) < 0 || app_password_list(a->c->t->db, a->user.id, &apps) < 0) {
        user_clear(&u);
        admin_error(a, 503, "The database is not available.");
        return;
    }
    json_t *d = json_object();
    json_object_set_new(d, "login", jcstr(u.login));
    json_object_set_new(d, "name", typed_or(a, "display_name", u.display_name));
    json_object_set_new(d, "email", typed_or(a, "email", u.email));
    json_object_set_new(d, "bio", typed_or(a, "bio", u.bio));
    json_object_set_new(d, "role", json_string(role_labels[u.role]));
    json_object_set_new(d, "author_path", json_string(u.login));
    json_object_set_new(d, "app_passwords", app_passwords_json(a, &apps));
    if (shown != NULL) /* the form's name is the new password's, the field starts empty again */
        json_object_set_new(d, "new_app_password",
                            json_pack("{s:o, s:s}", "name", typed_or(a, "app_name", ""), "password", shown->app_shown));
    else
        json_object_set_new(d, "app_name", typed_or(a, "app_name", ""));
    if (error != NULL)
        json_object_set_new(d, "error", json_string(error));
    app_password_list_free(&apps);
    user_clear(&u);
    admin_render(a, status, "admin-profile", d, "Profile");
}

static void profile_page(struct admin_ctx *a, int status, const char *error)
{
    profile_page_with(a, status, error, NULL);
}

/* ---- changes, run by the writer (and hashing by a worker) ------------------------------------- */

static void user_job_clear(struct admin_job *aj)
{
    struct user_job *j = (struct user_job *)aj;
    sodium_memzero(j->hash, sizeof(j->hash));
    sodium_memzero(j->generated, sizeof(j->generated));
    sodium_memzero(j->app_shown, sizeof(j->app_shown));
    if (j->session != NULL)
        sodium_memzero(j->session, j->session_len);
    free(j->session);
}

/* On a worker: the new password's hash (and, for one's own, the current password's check). */
static int user_hash(struct db *db, struct admin_job *aj)
{
    struct user_job *j = (struct user_job *)aj;
    if (j->op == OP_APP_ADD) {
        const char *name = admin_job_field(aj, "app_name");
        if (name == NULL || name[0] == '\0' || strlen(name) > APP_PASSWORD_NAME_MAX) {
            j->why = "Name the application (1 to 200 bytes).";
            return -EINVAL; /* before the hash: a refused form costs no Argon2id */
        }
        return app_password_make(j->app_shown, j->app_uuid, j->app_hash);
    }
    const char *pw = admin_job_field(aj, "password");
    if (j->op == OP_OWN_PASSWORD) {
        const char *current = admin_job_field(aj, "current_password");
        if (current == NULL || user_verify(db, aj->user.login, current, strlen(current), NULL) < 0) {
            j->why = "Your current password is not right.";
            return -EACCES;
        }
    }
    if (pw == NULL || pw[0] == '\0') {
        if (j->op == OP_OWN_PASSWORD) {
            j->why = "Choose a password of at least 8 characters.";
            return -EINVAL;
        }
        user_password_generate(j->generated, sizeof(j->generated));
        pw = j->generated;
    } else if ((j->why = user_password_refusal(pw)) != NULL) {
        return -EINVAL;
    }
    return user_password_hash(pw, j->hash);
}

/* On the writer: the change itself. */
static int user_write(struct db *db, struct admin_job *aj)
{
    struct user_job *j = (struct user_job *)aj;
    const struct user *by = &aj->user;
    struct user_change ch = {.role = -1, .disabled = -1};
    enum user_role role;
    const char *v;
    switch (j->op) {
    case OP_ADD: {
        struct user_new in = {.login = admin_job_field(aj, "login"),
                              .display_name = admin_job_field(aj, "display_name"),
                              .email = admin_job_field(aj, "email"),
                              .pwhash = j->hash};
        if ((v = admin_job_field(aj, "role")) == NULL || user_role_parse(v, &in.role) < 0) {
            j->why = "Choose a role.";
            return -EINVAL;
        }
        if (in.login == NULL)
            in.login = "";
        return user_add(db, by, &in, aj->now, &j->new_id, &j->why);
    }
    case OP_SAVE:
    case OP_PROFILE:
        ch.display_name = admin_job_field(aj, "display_name");
        ch.email = admin_job_field(aj, "email");
        ch.bio = admin_job_field(aj, "bio");
        if (j->op == OP_SAVE && (v = admin_job_field(aj, "role")) != NULL) {
            if (user_role_parse(v, &role) < 0) {
                j->why = "There is no such role.";
                return -EINVAL;
            }
            ch.role = (int)role;
        }
        if (ch.display_name == NULL) {
            j->why = "The display name must have 1 to 250 bytes.";
            return -EINVAL;
        }
        return user_change(db, by, j->id, &ch, &j->why);
    case OP_DISABLE:
    case OP_ENABLE:
        ch.disabled = j->op == OP_DISABLE;
        return user_change(db, by, j->id, &ch, &j->why);
    case OP_PASSWORD:
        return user_password_set(db, by, j->id, j->hash, NULL, 0, &j->why);
    case OP_OWN_PASSWORD:
        return user_password_set(db, by, by->id, j->hash, j->session, j->session_len, &j->why);
    case OP_DELETE:
        return user_remove(db, by, j->id, admin_id(admin_job_field(aj, "reassign")), &j->why);
    case OP_APP_ADD: {
        int ret = app_password_store(db, by->id, admin_job_field(aj, "app_name"), j->app_uuid, j->app_hash, aj->now);
        if (ret == -EINVAL)
            j->why = "Name the application (1 to 200 bytes).";
        else if (ret == -E2BIG)
            j->why = "You have as many application passwords as you may: revoke one first.";
        return ret;
    }
    case OP_APP_REVOKE: {
        const char *uuid = admin_job_field(aj, "uuid");
        int ret = uuid != NULL ? app_password_revoke(db, by->id, uuid) : -ENOENT;
        if (ret == -ENOENT)
            j->why = "You have no such application password.";
        return ret;
    }
    }
    return -EINVAL;
}

static int user_run_batch(struct db *db, struct admin_job *aj)
{
    return user_write(db, aj);
}

static void user_done(struct admin_ctx *a, struct admin_job *aj, int rc)
{
    struct user_job *j = (struct user_job *)aj;
    char loc[64];
    const char *why = rc < 0 ? (j->why ? j->why : "The change could not be saved.") : NULL;
    int status = admin_status(rc);
    switch (j->op) {
    case OP_ADD:
        if (rc < 0)
            users_page(a, status, why, NULL);
        else if (j->generated[0] != '\0')
            users_page(a, 200, NULL, j->generated); /* shown once */
        else {
            snprintf(loc, sizeof(loc), "/admin/users/%lld", (long long)j->new_id);
            admin_redirect_msg(a, loc, "added");
        }
        return;
    case OP_APP_ADD:
        profile_page_with(a, rc < 0 ? status : 200, why, rc < 0 ? NULL : j); /* shown once */
        return;
    case OP_APP_REVOKE:
        if (rc < 0)
            profile_page(a, status, why);
        else
            admin_redirect_msg(a, "/admin/profile", "revoked");
        return;
    case OP_PROFILE:
    case OP_OWN_PASSWORD:
        if (rc < 0)
            profile_page(a, status, why);
        else
            admin_redirect_msg(a, "/admin/profile", j->op == OP_PROFILE ? "profile" : "password");
        return;
    case OP_DELETE:
        if (rc < 0)
            user_page(a, j->id, status, why);
        else
            admin_redirect_msg(a, "/admin/users/", "deleted");
        return;
    default:
        if (rc < 0) {
            user_page(a, j->id, status, why);
        } else if (j->op == OP_PASSWORD && j->generated[0] != '\0') {
            char msg[96];
            snprintf(msg, sizeof(msg), "The new password is %s (shown once); the account's sessions have ended.",
                     j->generated);
            json_t *d = json_pack("{s:s, s:s}", "message", msg, "back", "/admin/users/");
            admin_render(a, 200, "admin-done", d, "Password changed");
        } else {
            snprintf(loc, sizeof(loc), "/admin/users/%lld", (long long)j->id);
            admin_redirect_msg(a, loc,
                               j->op == OP_PASSWORD  ? "password"
                               : j->op == OP_DISABLE ? "disabled"
                               : j->op == OP_ENABLE  ? "enabled"
                                                     : "saved");
        }
    }
}

static void submit(struct admin_ctx *a, enum user_op op, int64_t id)
{
    struct user_job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    j->op = op;
    j->id = id;
    int hashing = op == OP_ADD ? admin_field(a, "password") != NULL
                               : op == OP_PASSWORD || op == OP_OWN_PASSWORD || op == OP_APP_ADD;
    if (op == OP_OWN_PASSWORD) {
        if ((j->session = malloc(a->session_len + 1)) == NULL)
            abort();
        memcpy(j->session, a->session, a->session_len);
        j->session_len = a->session_len;
    }
    j->base.clear = user_job_clear;
    j->base.done = user_done;
    if (hashing) {
        j->base.run = user_hash;
        j->base.write = user_write;
        admin_defer(a, WRITER_WORK, &j->base);
    } else {
        j->base.run = user_run_batch;
        admin_defer(a, WRITER_BATCH, &j->base);
    }
}

void admin_user_add(struct admin_ctx *a)
{
    if (admin_require(a, CAP_MANAGE_USERS))
        submit(a, OP_ADD, 0);
}

void admin_user_edit(struct admin_ctx *a, int64_t id)
{
    if (!admin_require(a, CAP_MANAGE_USERS))
        return;
    if (!http_is_post(a->c->req)) {
        user_page(a, id, 200, NULL);
        return;
    }
    static const struct {
        const char *name;
        enum user_op op;
    } ops[] = {{"save", OP_SAVE},
               {"password", OP_PASSWORD},
               {"disable", OP_DISABLE},
               {"enable", OP_ENABLE},
               {"delete", OP_DELETE}};
    const char *what = admin_field(a, "do");
    for (size_t i = 0; what != NULL && i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strcmp(what, ops[i].name) == 0) {
            submit(a, ops[i].op, id);
            return;
        }
    admin_error(a, 422, "Unknown action.");
}

void admin_profile(struct admin_ctx *a)
{
    if (!http_is_post(a->c->req)) {
        profile_page(a, 200, NULL);
        return;
    }
    const char *what = admin_field(a, "do");
    if (what != NULL && strcmp(what, "password") == 0)
        submit(a, OP_OWN_PASSWORD, a->user.id);
    else if (what != NULL && strcmp(what, "save") == 0)
        submit(a, OP_PROFILE, a->user.id);
    else if (what != NULL && strcmp(what, "app-password-add") == 0)
        submit(a, OP_APP_ADD, a->user.id);
    else if (what != NULL && strcmp(what, "app-password-revoke") == 0)
        submit(a, OP_APP_REVOKE, a->user.id);
    else
        admin_error(a, 422, "Unknown action.");
}
