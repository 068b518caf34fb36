/* The settings screen (administrators): every setting of news/settings.h's table, grouped in its
 * sections, each section a form of its own with its help texts; a refused value answers 422 with
 * the rule it broke, and nothing of that section is saved. The screen lists nothing by hand: a
 * row added to the table shows up here. */
#include "app/admin_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"

#include "news/identity.h"
#include "news/settings.h"
#include "news/taxonomy.h"

#define SETTINGS_MAX 64 /* rows of the table the screen handles */

/* One section's form as sent back (posted values and refusals), or NULL for the stored values. */
struct posted {
    enum setting_section section;
    const char *values[SETTINGS_MAX];
    char (*why)[SETTING_WHY_MAX];
};

static json_t *field_json(struct admin_ctx *a, const struct setting_def *d, const char *value, const char *why,
                          const struct term_list *cats)
{
    char rule[SETTING_WHY_MAX];
    setting_rule(d, rule, sizeof(rule));
    json_t *f = json_pack("{s:s, s:s, s:s, s:o, s:s}", "key", d->key, "label", d->label, "help", d->help, "value",
                          jcstr(value), "rule", rule);
    static const char *const types[] = {"text", "lines", "url", "number", "check", "choice", "category", "text"};
    json_object_set_new(f, types[d->type], json_true());
    json_object_set_new(f, "checked", json_boolean(strcmp(value, "1") == 0));
    json_object_set_new(f, "error", why && why[0] ? json_string(why) : json_false());
    if (d->type == SETTING_INT) {
        json_object_set_new(f, "min", json_integer(d->min));
        json_object_set_new(f, "max", json_integer(d->max));
    }
    json_object_set_new(f, "max_len", json_integer((json_int_t)(d->max_len ? d->max_len : SETTING_VALUE_MAX)));
    if (d->computed != NULL) { /* empty: the computed default, shown as the placeholder */
        char *now = NULL;
        if (d->computed(a->c->t->db, &now) == 0)
            json_object_set_new(f, "placeholder", jcstr(now));
        free(now);
    }
    json_t *opts = json_array();
    if (d->type == SETTING_CHOICE)
        for (size_t i = 0; d->choices[i] != NULL; i++)
            json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", d->choices[i], "label", d->choices[i],
                                                  "selected", strcmp(value, d->choices[i]) == 0));
    if (d->type == SETTING_CATEGORY) {
        json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                              "Uncategorized (made when needed)", "selected", value[0] == '\0'));
        for (size_t i = 0; cats != NULL && i < cats->n; i++) {
            char id[24];
            snprintf(id, sizeof(id), "%lld", (long long)cats->items[i].id);
            json_array_append_new(opts, json_pack("{s:s, s:o, s:b}", "value", id, "label", jcstr(cats->items[i].name),
                                                  "selected", strcmp(value, id) == 0));
        }
    }
    json_object_set_new(f, "options", opts);
    return f;
}

static void render(struct admin_ctx *a, int status, const struct posted *p)
{
    struct db *db = a->c->t->db;
    size_t n;
    const struct setting_def *defs = settings_known(&n);
    struct term_list cats = {0};
    if (term_list_admin(db, TERM_CATEGORY, &cats) < 0)
        cats.n = 0;
    json_t *d = json_object(), *sections = json_array();
    for (int s = 0; s < SETTINGS_SECTIONS; s++) {
        json_t *fields = json_array();
        int bad = 0;
        for (size_t i = 0; i < n && i < SETTINGS_MAX; i++) {
            if ((int)defs[i].section != s)
                continue;
            char *stored = NULL;
            const char *value, *why = NULL;
            if (p != NULL && (int)p->section == s) {
                value = p->values[i] ? p->values[i] : "";
                why = p->why[i];
                bad |= why[0] != '\0';
            } else {
                int set = 1;
                if (defs[i].computed != NULL && setting_is_set(db, defs[i].key, &set) == 0 && !set)
                    stored = strdup(""); /* shown empty: it follows its computed default */
                else if (setting_get(db, defs[i].key, &stored) < 0)
                    stored = NULL;
                value = stored ? stored : "";
            }
            json_array_append_new(fields, field_json(a, &defs[i], value, why, &cats));
            free(stored);
        }
        if (json_array_size(fields) == 0) {
            json_decref(fields);
            continue;
        }
        char id[16];
        snprintf(id, sizeof(id), "section-%d", s);
        json_array_append_new(sections, json_pack("{s:s, s:s, s:i, s:o, s:b}", "title",
                                                  setting_section_title((enum setting_section)s), "id", id, "section",
                                                  s, "fields", fields, "bad", bad));
    }
    term_list_free(&cats);
    json_object_set_new(d, "sections", sections);
    if (status != 200)
        json_object_set_new(d, "error", json_string("Nothing was saved: check the fields marked below."));
    admin_render(a, status, "admin-settings", d, "Settings");
}

/* A section's form on its way: when it holds an image setting, a worker first makes the images
 * from their files (slow, no database); then the writer has news/settings.c check every value
 * again and store them together, or none. */
struct settings_job {
    struct admin_job base; /* first */
    struct posted p;
    const char *keys[SETTINGS_MAX];
    size_t n;
    char why[SETTINGS_MAX][SETTING_WHY_MAX];
    const char *values[SETTINGS_MAX];        /* of the section's keys only, in keys' order */
    size_t index[SETTINGS_MAX];              /* where each is in the table */
    struct identity_made made[SETTINGS_MAX]; /* by keys' order */
    int refused;                             /* a file was refused: nothing is stored */
};

/* Copies the refusals why[k] (by keys' order) to the form's fields. */
static void keep_why(struct settings_job *j, char (*why)[SETTING_WHY_MAX])
{
    for (size_t k = 0; k < j->n; k++)
        memcpy(j->why[j->index[k]], why[k], SETTING_WHY_MAX);
}

static int settings_images(struct db *db, struct admin_job *aj)
{
    struct settings_job *j = (struct settings_job *)aj;
    char why[SETTINGS_MAX][SETTING_WHY_MAX];
    (void)db;
    j->refused = settings_make(j->keys, j->values, j->n, j->made, why) < 0;
    keep_why(j, why);
    return 0;
}

static int settings_run(struct db *db, struct admin_job *aj)
{
    struct settings_job *j = (struct settings_job *)aj;
    char why[SETTINGS_MAX][SETTING_WHY_MAX];
    if (j->refused)
        return -EINVAL;
    int ret = settings_save(db, j->keys, j->values, j->n, j->made, why);
    keep_why(j, why);
    return ret;
}

static void settings_clear(struct admin_job *aj)
{
    struct settings_job *j = (struct settings_job *)aj;
    settings_made_free(j->made, j->n);
}

static void settings_done(struct admin_ctx *a, struct admin_job *aj, int rc)
{
    struct settings_job *j = (struct settings_job *)aj;
    char loc[64];
    if (rc == -EINVAL) {
        render(a, 422, &j->p);
    } else if (rc < 0) {
        admin_error(a, 503, "The settings could not be saved.");
    } else {
        snprintf(loc, sizeof(loc), "/admin/settings/?msg=settings#section-%d", (int)j->p.section);
        admin_redirect(a, loc);
    }
}

void admin_settings(struct admin_ctx *a)
{
    size_t n;
    const struct setting_def *defs = settings_known(&n);
    if (!admin_require(a, CAP_MANAGE_OPTIONS))
        return;
    if (!http_is_post(a->c->req)) {
        render(a, 200, NULL);
        return;
    }
    int64_t section = admin_id(admin_field(a, "section"));
    if (section < 0 || section >= SETTINGS_SECTIONS) {
        admin_error(a, 422, "Say which section of the settings to save.");
        return;
    }
    struct settings_job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    int images = 0;
    j->p.section = (enum setting_section)section;
    j->p.why = j->why;
    for (size_t i = 0; i < n && i < SETTINGS_MAX; i++) {
        if ((int64_t)defs[i].section != section)
            continue;
        const char *v = admin_field(a, defs[i].key);
        if (defs[i].type == SETTING_BOOL)
            v = v != NULL ? "1" : "0"; /* an unticked box is not sent */
        j->p.values[i] = v ? v : "";   /* pointers into the form, which moves with the job */
        images |= defs[i].type == SETTING_IMAGE;
        j->keys[j->n] = defs[i].key;
        j->values[j->n] = j->p.values[i];
        j->index[j->n++] = i;
    }
    j->base.done = settings_done;
    j->base.clear = settings_clear;
    if (images) {
        j->base.run = settings_images;
        j->base.write = settings_run;
        admin_defer(a, WRITER_WORK, &j->base);
    } else {
        j->base.run = settings_run;
        admin_defer(a, WRITER_BATCH, &j->base);
    }
}
