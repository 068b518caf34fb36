/* Categories and tags in the newsroom (editors and administrators): the list with the form to
 * add one, and each term's screen to rename it, change its slug or parent, merge it into
 * another, or delete it. The rules are news/taxonomy.h's; the changes are made by the writer. */
#include "app/admin_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"

#include "lib/slug.h"
#include "news/taxonomy.h"

static const char *base_of(enum term_taxonomy tax)
{
    return tax == TERM_CATEGORY ? "/admin/categories/" : "/admin/tags/";
}

/* The name of term id in l, or "". */
static const char *name_in(const struct term_list *l, int64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].id == id)
            return l->items[i].name;
    return "";
}

/* Options for a parent or merge field: every term of l but except, selected marked. */
static json_t *options(const struct term_list *l, int64_t except, int64_t selected)
{
    json_t *j = json_array();
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].id != except)
            json_array_append_new(j, json_pack("{s:I, s:o, s:b}", "id", (json_int_t)l->items[i].id, "name",
                                               jcstr(l->items[i].name), "selected", l->items[i].id == selected));
    return j;
}

static json_t *typed_or(struct admin_ctx *a, const char *name, const char *stored)
{
    const char *v = admin_field(a, name);
    return jcstr(v != NULL ? v : stored);
}

static void terms_page(struct admin_ctx *a, enum term_taxonomy tax, int status, const char *error)
{
    struct term_list l = {0};
    if (term_list_admin(a->c->t->db, tax, &l) < 0) {
        admin_error(a, 503, "The database is not available.");
        return;
    }
    json_t *d = json_object(), *rows = json_array();
    const char *kind = tax == TERM_CATEGORY ? "category" : "tag";
    for (size_t i = 0; i < l.n; i++) {
        const struct term *t = &l.items[i];
        char path[SLUG_MAX + 16];
        snprintf(path, sizeof(path), "/%s/%s/", kind, t->slug);
        json_array_append_new(rows, json_pack("{s:I, s:o, s:o, s:o, s:o, s:I}", "id", (json_int_t)t->id, "name",
                                              jcstr(t->name), "slug", jcstr(t->slug), "path", jcstr(path), "parent",
                                              jcstr(name_in(&l, t->parent_id)), "count", (json_int_t)t->count));
    }
    json_object_set_new(d, "terms", rows);
    json_object_set_new(d, "empty", json_boolean(l.n == 0));
    json_object_set_new(d, "is_category", json_boolean(tax == TERM_CATEGORY));
    json_object_set_new(d, "base", json_string(base_of(tax)));
    json_object_set_new(d, "kind", json_string(kind));
    json_object_set_new(d, "parents", options(&l, 0, admin_id(admin_field(a, "parent"))));
    json_object_set_new(d, "new_name", typed_or(a, "name", ""));
    json_object_set_new(d, "new_slug", typed_or(a, "slug", ""));
    if (error != NULL)
        json_object_set_new(d, "error", json_string(error));
    term_list_free(&l);
    admin_render(a, status, "admin-terms", d, tax == TERM_CATEGORY ? "Categories" : "Tags");
}

static void term_screen(struct admin_ctx *a, enum term_taxonomy tax, int64_t id, int status, const char *error)
{
    struct term t = {0};
    struct term_list l = {0};
    int ret = term_get(a->c->t->db, id, &t);
    if (ret == 0 && t.taxonomy != tax)
        ret = -ENOENT;
    if (ret < 0 || term_list_admin(a->c->t->db, tax, &l) < 0) {
        term_clear(&t);
        admin_error(a, ret == -ENOENT ? 404 : 503,
                    ret == -ENOENT ? "There is no such category or tag." : "The database is not available.");
        return;
    }
    const char *kind = tax == TERM_CATEGORY ? "category" : "tag";
    char path[SLUG_MAX + 16];
    snprintf(path, sizeof(path), "/%s/%s/", kind, t.slug);
    const char *p = admin_field(a, "parent");
    json_t *d = json_object();
    json_object_set_new(d, "term_id", json_integer(id));
    json_object_set_new(d, "name", typed_or(a, "name", t.name));
    json_object_set_new(d, "slug", typed_or(a, "slug", t.slug));
    json_object_set_new(d, "path", jcstr(path));
    json_object_set_new(d, "is_category", json_boolean(tax == TERM_CATEGORY));
    json_object_set_new(d, "base", json_string(base_of(tax)));
    json_object_set_new(d, "kind", json_string(kind));
    json_object_set_new(d, "parents", options(&l, id, p ? admin_id(p) : t.parent_id));
    json_object_set_new(d, "targets", options(&l, id, 0));
    json_object_set_new(d, "has_targets", json_boolean(l.n > 1));
    if (error != NULL)
        json_object_set_new(d, "error", json_string(error));
    term_clear(&t);
    term_list_free(&l);
    admin_render(a, status, "admin-term", d, tax == TERM_CATEGORY ? "Edit category" : "Edit tag");
}

void admin_terms(struct admin_ctx *a, enum term_taxonomy tax)
{
    if (admin_require(a, CAP_MANAGE_TERMS))
        terms_page(a, tax, 200, NULL);
}

/* ---- changes, on the writer ------------------------------------------------------------------- */

enum term_op { OP_ADD, OP_SAVE, OP_MERGE, OP_DELETE };

struct term_job {
    struct admin_job base; /* first */
    enum term_op op;
    enum term_taxonomy tax;
    int64_t id, new_id;
    const char *why;
};

static int term_run(struct db *db, struct admin_job *aj)
{
    struct term_job *j = (struct term_job *)aj;
    const char *parent = admin_job_field(aj, "parent");
    struct term_edit in = {.name = admin_job_field(aj, "name"),
                           .slug = admin_job_field(aj, "slug"),
                           .parent_id = parent && parent[0] ? admin_id(parent) : 0};
    if (in.parent_id < 0)
        in.parent_id = -1; /* no such term: refused by news/ */
    switch (j->op) {
    case OP_ADD:
        return term_add(db, &aj->user, j->tax, &in, &j->new_id, &j->why);
    case OP_SAVE:
        return term_change(db, &aj->user, j->id, &in, &j->why);
    case OP_MERGE:
        return term_merge(db, &aj->user, j->id, admin_id(admin_job_field(aj, "into")), &j->why);
    case OP_DELETE:
        return term_remove(db, &aj->user, j->id, &j->why);
    }
    return -EINVAL;
}

static void term_done(struct admin_ctx *a, struct admin_job *aj, int rc)
{
    struct term_job *j = (struct term_job *)aj;
    const char *why = j->why ? j->why : "The change could not be saved.";
    char loc[64];
    if (rc < 0 && j->op == OP_ADD) {
        terms_page(a, j->tax, admin_status(rc), why);
    } else if (rc < 0) {
        term_screen(a, j->tax, j->id, admin_status(rc), why);
    } else if (j->op == OP_ADD || j->op == OP_SAVE) {
        snprintf(loc, sizeof(loc), "%s%lld", base_of(j->tax), (long long)(j->op == OP_ADD ? j->new_id : j->id));
        admin_redirect_msg(a, loc, j->op == OP_ADD ? "added" : "saved");
    } else {
        admin_redirect_msg(a, base_of(j->tax), j->op == OP_MERGE ? "merged" : "deleted");
    }
}

static void submit(struct admin_ctx *a, enum term_taxonomy tax, enum term_op op, int64_t id)
{
    struct term_job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    j->op = op;
    j->tax = tax;
    j->id = id;
    j->base.run = term_run;
    j->base.done = term_done;
    admin_defer(a, WRITER_BATCH, &j->base);
}

void admin_term_add(struct admin_ctx *a, enum term_taxonomy tax)
{
    if (admin_require(a, CAP_MANAGE_TERMS))
        submit(a, tax, OP_ADD, 0);
}

void admin_term_edit(struct admin_ctx *a, enum term_taxonomy tax, int64_t id)
{
    if (!admin_require(a, CAP_MANAGE_TERMS))
        return;
    if (!http_is_post(a->c->req)) {
        term_screen(a, tax, id, 200, NULL);
        return;
    }
    const char *what = admin_field(a, "do");
    if (what != NULL && strcmp(what, "save") == 0)
        submit(a, tax, OP_SAVE, id);
    else if (what != NULL && strcmp(what, "merge") == 0)
        submit(a, tax, OP_MERGE, id);
    else if (what != NULL && strcmp(what, "delete") == 0)
        submit(a, tax, OP_DELETE, id);
    else
        admin_error(a, 422, "Unknown action.");
}
