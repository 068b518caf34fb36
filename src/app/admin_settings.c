/* The settings page (administrators): the site's name, address, time zone, paging, permalinks,
 * the comment rules, the session length and the site's identity (language, indexing, icon, logo,
 * default social image), each checked by news/settings.c on write; and the
 * list of newsroom users. */
#include "app/admin_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db/newsroom.h"
#include "http/response.h"
#include "lib/tz.h"
#include "news/identity.h"
#include "news/permalink.h"
#include "news/seo.h"
#include "news/settings.h"

enum field_kind { F_TEXT, F_URL, F_NUMBER, F_CHECK, F_LINES };

static const struct {
    const char *key, *label, *help;
    enum field_kind kind;
} fields[] = {
    {"site_title", "Site title", NULL, F_TEXT},
    {"site_tagline", "Tagline", NULL, F_TEXT},
    {"site_url", "Site address (URL)", "https makes the login cookie Secure.", F_URL},
    {"timezone", "Time zone", "For example UTC or Europe/Paris.", F_TEXT},
    {"posts_per_page", "Posts per page", NULL, F_NUMBER},
    {"permalink_structure", "Permalink structure", "Tags: %year% %monthnum% %day% %postname% %post_id% %category%",
     F_TEXT},
    {"comment_require_name_email", "Comment author must fill out name and email", NULL, F_CHECK},
    {"comment_hold_first", "Hold a commenter's first comment for moderation", NULL, F_CHECK},
    {"comment_max_links", "Hold a comment with more links than", NULL, F_NUMBER},
    {"thread_depth", "Threaded comments levels deep", NULL, F_NUMBER},
    {"comment_close_days", "Close comments on posts older than (days, 0 never)", NULL, F_NUMBER},
    {"comment_flood_seconds", "Seconds between two comments from one address", NULL, F_NUMBER},
    {"page_comments", "Break comments into pages", NULL, F_CHECK},
    {"comments_per_page", "Top level comments per page", NULL, F_NUMBER},
    {"default_comments_page", "Page of comments shown first", "newest (the last page) or oldest (the first).", F_TEXT},
    {"comment_moderation_keys", "Hold for moderation comments containing", "One word or phrase a line.", F_LINES},
    {"comment_disallowed_keys", "Send to spam comments containing", "One word or phrase a line.", F_LINES},
    {"session_hours", "Log newsroom users out after (hours)", NULL, F_NUMBER},
    {"request_budget_ms", "Database time one request may take (ms)", "Past it the reader gets a 503.", F_NUMBER},
    {"site_language", "Site language", "A language tag such as en-US, fr or pt-BR: the pages' lang, og:locale, feeds.",
     F_TEXT},
    {"blog_public", "Let search engines index this site",
     "Unticked: every page says noindex and robots.txt disallows everything.", F_CHECK},
    {"site_icon", "Site icon", "Full path on the server of a square image, at least 512 × 512: favicon and app icons.",
     F_TEXT},
    {"site_logo", "Publisher logo", "Full path on the server of an image: the logo search engines show with articles.",
     F_TEXT},
    {"social_image", "Default social image",
     "Full path on the server of an image, at least 200 × 200 (1200 wide is best), shown when a page is shared.",
     F_TEXT},
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

/* Extra checks beyond news/settings.c; NULL when fine. */
static const char *check(const char *key, const char *v)
{
    if (strcmp(key, "site_url") == 0 && strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
        return "The address must start with http:// or https://.";
    if (strcmp(key, "site_title") == 0 && v[0] == '\0')
        return "The site needs a title.";
    if (strcmp(key, "timezone") == 0 && tz_valid(v) < 0)
        return "Enter a time zone such as UTC or Europe/Paris.";
    if (strcmp(key, "site_language") == 0 && !seo_language_ok(v))
        return "Enter a language tag such as en-US, fr or pt-BR.";
    struct permalink pl;
    if (strcmp(key, "permalink_structure") == 0 && permalink_parse(v, &pl) < 0)
        return "The structure starts and ends with /, contains %postname% or %post_id%, and each part between "
               "slashes is one tag or a word of a-z 0-9 - _.";
    return NULL;
}

static void render(struct admin_ctx *a, int status, const char *const *values, const char *const *errors)
{
    json_t *d = json_object(), *list = json_array();
    for (size_t i = 0; i < N_FIELDS; i++) {
        const char *v = values[i] ? values[i] : "";
        json_t *f =
            json_pack("{s:s, s:s, s:o, s:b, s:b, s:b, s:b, s:b, s:b}", "key", fields[i].key, "label", fields[i].label,
                      "value", jcstr(v), "text", fields[i].kind == F_TEXT, "url", fields[i].kind == F_URL, "number",
                      fields[i].kind == F_NUMBER, "check", fields[i].kind == F_CHECK, "lines",
                      fields[i].kind == F_LINES, "checked", strcmp(v, "1") == 0);
        /* always set, so that a missing key does not find the page's own "error" further up */
        json_object_set_new(f, "help", fields[i].help ? json_string(fields[i].help) : json_false());
        json_object_set_new(f, "error", errors && errors[i] ? json_string(errors[i]) : json_false());
        json_array_append_new(list, f);
    }
    json_object_set_new(d, "fields", list);
    if (status != 200)
        json_object_set_new(d, "error", json_string("Nothing was saved: check the fields marked below."));
    admin_render(a, status, "admin-settings", d, "Settings");
}

/* A settings form on its way: a worker makes the identity images from their files (slow), then
 * the writer checks every value again with news/settings.c and stores them all, or none. */
struct settings_job {
    struct admin_job base; /* first */
    char *values[N_FIELDS];
    const char *errors[N_FIELDS];
    char why[N_FIELDS][IMAGE_WHY_MAX]; /* an image's error, pointed at by errors[i] */
    struct identity_made made[N_FIELDS];
    int bad;
};

static int settings_images(struct db *db, struct admin_job *aj)
{
    struct settings_job *j = (struct settings_job *)aj;
    (void)db;
    for (size_t i = 0; i < N_FIELDS; i++) {
        if (!identity_is_image_setting(fields[i].key))
            continue;
        if (identity_make(fields[i].key, j->values[i], &j->made[i], j->why[i]) < 0) {
            j->errors[i] = j->why[i];
            j->bad = 1;
        }
    }
    return 0;
}

static int settings_run(struct db *db, struct admin_job *aj)
{
    struct settings_job *j = (struct settings_job *)aj;
    if (j->bad)
        return 0; /* an image was refused: nothing is stored */
    int ret = db_begin(db);
    if (ret < 0)
        return ret;
    for (size_t i = 0; i < N_FIELDS; i++) {
        if (identity_is_image_setting(fields[i].key))
            ret = identity_store(db, fields[i].key, j->values[i], &j->made[i]);
        else
            ret = setting_set(db, fields[i].key, j->values[i]);
        if (ret == -EINVAL) {
            j->errors[i] = "This value is not allowed.";
            j->bad = 1;
        } else if (ret < 0) {
            j->bad = 1;
            j->errors[i] = "This could not be saved.";
        }
    }
    if (j->bad) {
        db_rollback(db);
        return 0;
    }
    return db_commit(db);
}

static void settings_done(struct admin_ctx *a, struct admin_job *aj, int rc)
{
    struct settings_job *j = (struct settings_job *)aj;
    if (rc < 0 || j->bad)
        render(a, 422, (const char **)j->values, j->errors);
    else
        admin_redirect(a, "/admin/settings/?msg=settings");
}

static void settings_clear(struct admin_job *aj)
{
    struct settings_job *j = (struct settings_job *)aj;
    for (size_t i = 0; i < N_FIELDS; i++) {
        free(j->values[i]);
        identity_made_free(&j->made[i]);
    }
}

void admin_settings(struct admin_ctx *a)
{
    struct db *db = a->c->t->db;
    char *stored[N_FIELDS] = {0};
    const char *values[N_FIELDS] = {0}, *errors[N_FIELDS] = {0};
    int bad = 0;
    if (!admin_require(a, CAP_MANAGE_OPTIONS))
        return;
    if (!http_is_post(a->c->req)) {
        for (size_t i = 0; i < N_FIELDS; i++)
            if (setting_get(db, fields[i].key, &stored[i]) == 0)
                values[i] = stored[i];
        render(a, 200, values, NULL);
        goto out;
    }
    for (size_t i = 0; i < N_FIELDS; i++) {
        const char *v = admin_field(a, fields[i].key);
        if (fields[i].kind == F_CHECK)
            v = v != NULL ? "1" : "0";
        values[i] = v ? v : "";
        if (strlen(values[i]) > SETTING_VALUE_MAX)
            errors[i] = "This is too long.";
        else
            errors[i] = check(fields[i].key, values[i]);
        bad |= errors[i] != NULL;
    }
    if (bad) {
        render(a, 422, values, errors);
        goto out;
    }
    struct settings_job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    for (size_t i = 0; i < N_FIELDS; i++)
        if ((j->values[i] = strdup(values[i])) == NULL)
            abort();
    j->base.run = settings_images;
    j->base.write = settings_run;
    j->base.done = settings_done;
    j->base.clear = settings_clear;
    admin_defer(a, WRITER_WORK, &j->base);
out:
    for (size_t i = 0; i < N_FIELDS; i++)
        free(stored[i]);
}

void admin_users(struct admin_ctx *a)
{
    struct user_list l = {0};
    if (!admin_require(a, CAP_LIST_USERS))
        return;
    if (db_user_list(a->c->t->db, &l) < 0) {
        admin_error(a, 503, "The database is not available.");
        return;
    }
    json_t *d = json_object(), *rows = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(rows, json_pack("{s:o, s:o, s:o, s:s}", "login", jcstr(l.items[i].login), "name",
                                              jcstr(l.items[i].display_name), "email", jcstr(l.items[i].email), "role",
                                              user_role_name(l.items[i].role)));
    user_list_free(&l);
    json_object_set_new(d, "users", rows);
    admin_render(a, 200, "admin-users", d, "Users");
}
