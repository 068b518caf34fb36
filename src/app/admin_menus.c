/* The header menu in the newsroom (editors and administrators), GET|POST /admin/menus/: the
 * entries in order, each with its own small form (label, address of a custom link, the item it
 * is under, move up or down, remove), and forms to add the home page, a page, a category or a
 * custom link. Works without script; the rules are news/menu.h's, the changes the writer's. */
#include "app/admin_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"

#include "news/editor.h"
#include "news/menu.h"
#include "news/taxonomy.h"

#define MENU_PAGES_OFFERED 200 /* published pages offered in the "add a page" list */

static const char *const kind_labels[] = {"Home", "Page", "Category", "Custom link"};

static void menus_page(struct admin_ctx *a, int status, const char *error)
{
    struct db *db = a->c->t->db;
    struct menu m = {0};
    struct term_list cats = {0};
    struct post_list pages = {0};
    struct post_filter f = {.type = POST_TYPE_PAGE, .status = POST_PUBLISHED, .limit = MENU_PAGES_OFFERED};
    int64_t total = 0, counts[6];
    if (menu_read(db, a->c->now, &m) < 0 || term_list_admin(db, TERM_CATEGORY, &cats) < 0 ||
        editor_posts(db, &a->user, &f, &pages, &total, counts) < 0) {
        menu_free(&m);
        term_list_free(&cats);
        post_list_free(&pages);
        admin_error(a, 503, "The database is not available.");
        return;
    }
    json_t *d = json_object(), *items = json_array(), *pj = json_array(), *cj = json_array();
    for (size_t i = 0; i < m.n; i++) {
        const struct menu_entry *e = &m.items[i];
        json_t *under = json_array();
        for (size_t k = 0; k < m.n; k++)
            if (m.items[k].parent_id == 0 && m.items[k].id != e->id && e->id != 0)
                json_array_append_new(under,
                                      json_pack("{s:I, s:o, s:b}", "id", (json_int_t)m.items[k].id, "label",
                                                jcstr(m.items[k].label), "selected", m.items[k].id == e->parent_id));
        json_array_append_new(items,
                              json_pack("{s:I, s:o, s:o, s:s, s:b, s:b, s:b, s:b, s:o, s:b}", "id", (json_int_t)e->id,
                                        "label", jcstr(e->label), "path", jcstr(e->path), "kind", kind_labels[e->kind],
                                        "custom", e->kind == MENU_CUSTOM, "sub", e->parent_id != 0, "hidden", !e->shown,
                                        "own_label", e->own_label, "under", under, "first", i == 0));
    }
    for (size_t i = 0; i < pages.n; i++)
        json_array_append_new(
            pj, json_pack("{s:I, s:o}", "id", (json_int_t)pages.items[i].id, "title", jcstr(pages.items[i].title)));
    for (size_t i = 0; i < cats.n; i++)
        json_array_append_new(
            cj, json_pack("{s:I, s:o}", "id", (json_int_t)cats.items[i].id, "name", jcstr(cats.items[i].name)));
    json_object_set_new(d, "items", items);
    json_object_set_new(d, "arranged", json_boolean(m.arranged));
    json_object_set_new(d, "pages", pj);
    json_object_set_new(d, "has_pages", json_boolean(pages.n > 0));
    json_object_set_new(d, "categories", cj);
    json_object_set_new(d, "has_categories", json_boolean(cats.n > 0));
    if (error != NULL)
        json_object_set_new(d, "error", json_string(error));
    menu_free(&m);
    term_list_free(&cats);
    post_list_free(&pages);
    admin_render(a, status, "admin-menus", d, "Menu");
}

struct menu_job {
    struct admin_job base; /* first */
    struct menu_action act;
    const char *why;
};

static int menu_run(struct db *db, struct admin_job *aj)
{
    struct menu_job *j = (struct menu_job *)aj;
    /* the strings of act point into the form the job carries */
    return menu_act(db, &aj->user, &j->act, aj->now, &j->why);
}

static void menu_done(struct admin_ctx *a, struct admin_job *aj, int rc)
{
    struct menu_job *j = (struct menu_job *)aj;
    if (rc < 0)
        menus_page(a, admin_status(rc), j->why ? j->why : "The menu could not be saved.");
    else
        admin_redirect_msg(a, "/admin/menus/", "menu");
}

/* Reads the form into act: 0, or -EINVAL for a form that is not one of the menu screen's. */
static int read_action(struct admin_ctx *a, struct menu_action *act)
{
    static const struct {
        const char *name;
        enum menu_op op;
        int kind; /* MENU_OP_ADD: what is added */
    } ops[] = {{"start", MENU_OP_START, 0},
               {"save", MENU_OP_SAVE, 0},
               {"up", MENU_OP_UP, 0},
               {"down", MENU_OP_DOWN, 0},
               {"remove", MENU_OP_REMOVE, 0},
               {"reset", MENU_OP_RESET, 0},
               {"add_home", MENU_OP_ADD, MENU_HOME},
               {"add_page", MENU_OP_ADD, MENU_PAGE},
               {"add_category", MENU_OP_ADD, MENU_CATEGORY},
               {"add_custom", MENU_OP_ADD, MENU_CUSTOM}};
    const char *what = admin_field(a, "do");
    for (size_t i = 0; what != NULL && i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (strcmp(what, ops[i].name) != 0)
            continue;
        const char *parent = admin_field(a, "parent");
        *act = (struct menu_action){.op = ops[i].op,
                                    .item = admin_id(admin_field(a, "item")),
                                    .kind = (enum menu_kind)ops[i].kind,
                                    .object_id = admin_id(admin_field(a, "object")),
                                    .label = admin_field(a, "label"),
                                    .url = admin_field(a, "url"),
                                    .parent_id = parent && parent[0] ? admin_id(parent) : 0};
        if (act->parent_id < 0)
            act->parent_id = -1; /* refused as "not a top-level item" */
        if (act->op == MENU_OP_ADD && act->label != NULL && act->label[0] == '\0')
            act->label = NULL;
        return 0;
    }
    return -EINVAL;
}

void admin_menus(struct admin_ctx *a)
{
    struct menu_action act;
    if (!admin_require(a, CAP_EDIT_MENUS))
        return;
    if (!http_is_post(a->c->req)) {
        menus_page(a, 200, NULL);
        return;
    }
    if (read_action(a, &act) < 0) {
        admin_error(a, 422, "Unknown action.");
        return;
    }
    struct menu_job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    j->act = act; /* its strings point into the form, which moves with the job */
    j->base.run = menu_run;
    j->base.done = menu_done;
    admin_defer(a, WRITER_BATCH, &j->base);
}
