/* The header menu (menu.h): reading it resolved for the site's navigation, and the newsroom's
 * changes to it. Positions are kept in display order (a top-level item, then its sub-items), and
 * renumbered after every change, so a menu of at most MENU_ITEMS_MAX items stays simple to read. */
#include "news/menu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "news/post.h"
#include "news/session.h"

void menu_free(struct menu *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->items[i].label);
        free(m->items[i].path);
    }
    free(m->items);
    memset(m, 0, sizeof(*m));
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (p == NULL)
        abort();
    return p;
}

static struct menu_entry *push(struct menu *m)
{
    struct menu_entry *e = realloc(m->items, (m->n + 1) * sizeof(*e));
    if (e == NULL)
        abort();
    m->items = e;
    e = &m->items[m->n++];
    memset(e, 0, sizeof(*e));
    return e;
}

/* Home and every category with posts: the menu of a site that never arranged one. */
static int default_menu(struct db *db, int64_t now, struct menu *m)
{
    struct term_list cats = {0};
    int ret = db_term_list(db, TERM_CATEGORY, now, &cats);
    if (ret < 0)
        return ret;
    struct menu_entry *e = push(m);
    e->kind = MENU_HOME, e->label = xstrdup("Home"), e->path = xstrdup("/"), e->shown = 1;
    for (size_t i = 0; i < cats.n; i++) {
        char path[SLUG_MAX + 16];
        if (cats.items[i].count == 0)
            continue;
        snprintf(path, sizeof(path), "/category/%s/", cats.items[i].slug);
        e = push(m);
        e->kind = MENU_CATEGORY, e->object_id = cats.items[i].id, e->shown = 1;
        e->label = xstrdup(cats.items[i].name), e->path = xstrdup(path);
    }
    term_list_free(&cats);
    return 0;
}

/* Fills e from a stored item: its name and address, and whether readers see it. */
static int resolve(struct db *db, int64_t now, const struct menu_item *it, struct menu_entry *e)
{
    const char *name = NULL;
    char path[POST_PATH_MAX];
    struct post p = {0};
    struct term t = {0};
    int ret = 0;
    path[0] = '\0';
    e->id = it->id, e->parent_id = it->parent_id, e->object_id = it->object_id, e->kind = it->kind;
    e->own_label = it->label[0] != '\0';
    switch (it->kind) {
    case MENU_HOME:
        name = "Home", e->shown = 1;
        snprintf(path, sizeof(path), "/");
        break;
    case MENU_PAGE:
        if ((ret = db_post_get(db, it->object_id, &p)) == 0 && p.type == POST_TYPE_PAGE) {
            name = p.title;
            e->shown = p.status == POST_PUBLISHED && p.published_at <= now && post_path(&p, path, sizeof(path)) > 0;
        }
        break;
    case MENU_CATEGORY:
        if ((ret = db_term_get(db, it->object_id, &t)) == 0 && t.taxonomy == TERM_CATEGORY) {
            name = t.name, e->shown = 1;
            snprintf(path, sizeof(path), "/category/%s/", t.slug);
        }
        break;
    case MENU_CUSTOM:
        name = "", e->shown = it->url[0] != '\0';
        snprintf(path, sizeof(path), "%s", it->url);
        break;
    }
    if (ret == -ENOENT)
        ret = 0; /* a page or category deleted since: shown to nobody, listed in the newsroom */
    e->label = xstrdup(e->own_label ? it->label : name ? name : "(deleted)");
    e->path = xstrdup(path);
    post_clear(&p);
    term_clear(&t);
    return ret;
}

/* The stored items in display order (each top-level item followed by its sub-items), as
 * indexes into l, into order[0..*n). */
static void display_order(const struct menu_list *l, size_t *order, size_t *n)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        int top = l->items[i].parent_id == 0;
        if (!top) { /* a sub-item whose parent is gone is shown at the top */
            top = 1;
            for (size_t j = 0; j < l->n; j++)
                if (l->items[j].id == l->items[i].parent_id && l->items[j].parent_id == 0)
                    top = 0;
        }
        if (!top)
            continue;
        order[k++] = i;
        for (size_t j = 0; j < l->n; j++)
            if (l->items[j].parent_id == l->items[i].id && j != i)
                order[k++] = j;
    }
    *n = k;
}

int menu_read(struct db *db, int64_t now, struct menu *out)
{
    struct menu_list l = {0};
    struct menu m = {0};
    int ret = db_menu_items(db, MENU_ITEMS_MAX + 1, &l);
    if (ret < 0)
        return ret;
    if (l.n == 0) {
        ret = default_menu(db, now, &m);
    } else {
        size_t *order = calloc(l.n, sizeof(size_t)), n = 0;
        if (order == NULL)
            abort();
        display_order(&l, order, &n);
        m.arranged = 1;
        for (size_t i = 0; i < n && ret == 0; i++)
            ret = resolve(db, now, &l.items[order[i]], push(&m));
        free(order);
    }
    menu_list_free(&l);
    if (ret < 0) {
        menu_free(&m);
        return ret;
    }
    *out = m;
    return 0;
}

/* ---- changes ---------------------------------------------------------------------------------- */

static int refuse(const char **why, const char *text, int ret)
{
    if (why != NULL)
        *why = text;
    return ret;
}

/* A custom link: http(s), mailto, a path on this site or a fragment, without spaces or quotes. */
static int url_ok(const char *u)
{
    size_t n = strlen(u);
    if (n == 0 || n > MENU_URL_MAX)
        return 0;
    if (!(strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0 || strncmp(u, "mailto:", 7) == 0 ||
          (u[0] == '/' && u[1] != '/') || u[0] == '#'))
        return 0;
    for (const char *p = u; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || *p == 0x7f)
            return 0;
    return 1;
}

/* Stores the menu as shown (Home and the categories with posts). */
static int materialize(struct db *db, int64_t now)
{
    struct menu m = {0};
    int ret = default_menu(db, now, &m);
    for (size_t i = 0; i < m.n && ret == 0; i++) {
        struct menu_item it = {.position = (int64_t)i + 1, .kind = m.items[i].kind, .object_id = m.items[i].object_id};
        it.label = "", it.url = "";
        ret = db_menu_item_insert(db, &it);
    }
    menu_free(&m);
    return ret;
}

static struct menu_item *find(struct menu_list *l, int64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].id == id)
            return &l->items[i];
    return NULL;
}

/* Writes positions 1..n in display order, and any other change made to the items of l. */
static int renumber(struct db *db, struct menu_list *l)
{
    size_t order[MENU_ITEMS_MAX + 1], n = 0;
    if (l->n > MENU_ITEMS_MAX + 1)
        return -E2BIG;
    display_order(l, order, &n);
    for (size_t i = 0; i < n; i++) {
        struct menu_item *it = &l->items[order[i]];
        it->position = (int64_t)i + 1;
        int ret = db_menu_item_update(db, it);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* Sorts l by position (insertion sort: a menu is short). */
static void by_position(struct menu_list *l)
{
    for (size_t i = 1; i < l->n; i++)
        for (size_t j = i; j > 0 && l->items[j - 1].position > l->items[j].position; j--) {
            struct menu_item tmp = l->items[j];
            l->items[j] = l->items[j - 1];
            l->items[j - 1] = tmp;
        }
}

/* Moves item it before its previous (dir -1) or after its next (dir 1) sibling. */
static void move(struct menu_list *l, struct menu_item *it, int dir)
{
    struct menu_item *best = NULL;
    for (size_t i = 0; i < l->n; i++) {
        struct menu_item *o = &l->items[i];
        if (o == it || o->parent_id != it->parent_id)
            continue;
        if (dir < 0 && o->position < it->position && (best == NULL || o->position > best->position))
            best = o;
        if (dir > 0 && o->position > it->position && (best == NULL || o->position < best->position))
            best = o;
    }
    if (best != NULL) {
        int64_t p = best->position;
        best->position = it->position;
        it->position = p;
    }
}

static int add(struct db *db, struct menu_list *l, const struct menu_action *act, const char **why)
{
    struct post p = {0};
    struct term t = {0};
    int ret = 0;
    if (l->n >= MENU_ITEMS_MAX)
        return refuse(why, "The menu is full (100 items).", -EINVAL);
    if (act->label != NULL && strlen(act->label) > MENU_LABEL_MAX)
        return refuse(why, "A label has at most 100 bytes.", -EINVAL);
    switch (act->kind) {
    case MENU_HOME:
        break;
    case MENU_PAGE:
        ret = db_post_get(db, act->object_id, &p);
        if (ret == -ENOENT || (ret == 0 && p.type != POST_TYPE_PAGE))
            ret = refuse(why, "Choose one of the pages.", -EINVAL);
        break;
    case MENU_CATEGORY:
        ret = db_term_get(db, act->object_id, &t);
        if (ret == -ENOENT || (ret == 0 && t.taxonomy != TERM_CATEGORY))
            ret = refuse(why, "Choose one of the categories.", -EINVAL);
        break;
    case MENU_CUSTOM:
        if (act->label == NULL || act->label[0] == '\0')
            ret = refuse(why, "A custom link needs a label.", -EINVAL);
        else if (act->url == NULL || !url_ok(act->url))
            ret = refuse(why, "Enter an address starting with http://, https://, mailto: or / (a page of this site).",
                         -EINVAL);
        break;
    }
    post_clear(&p);
    term_clear(&t);
    if (ret < 0)
        return ret;
    int64_t last = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].position > last)
            last = l->items[i].position;
    struct menu_item it = {.position = last + 1,
                           .kind = act->kind,
                           .object_id = act->kind == MENU_PAGE || act->kind == MENU_CATEGORY ? act->object_id : 0,
                           .label = (char *)(act->label ? act->label : ""),
                           .url = (char *)(act->kind == MENU_CUSTOM ? act->url : "")};
    return db_menu_item_insert(db, &it);
}

static int save(struct menu_list *l, struct menu_item *it, const struct menu_action *act, const char **why)
{
    if (act->label != NULL && strlen(act->label) > MENU_LABEL_MAX)
        return refuse(why, "A label has at most 100 bytes.", -EINVAL);
    if (it->kind == MENU_CUSTOM && (act->label == NULL || act->label[0] == '\0'))
        return refuse(why, "A custom link needs a label.", -EINVAL);
    if (it->kind == MENU_CUSTOM && (act->url == NULL || !url_ok(act->url)))
        return refuse(why, "Enter an address starting with http://, https://, mailto: or / (a page of this site).",
                      -EINVAL);
    if (act->parent_id != 0) {
        struct menu_item *parent = find(l, act->parent_id);
        if (parent == NULL || parent == it || parent->parent_id != 0)
            return refuse(why, "A sub-item goes under a top-level item.", -EINVAL);
        for (size_t i = 0; i < l->n; i++)
            if (l->items[i].parent_id == it->id)
                return refuse(why, "This item has sub-items of its own: menus have one level of sub-items.", -EINVAL);
    }
    if (act->label != NULL) {
        free(it->label);
        it->label = xstrdup(act->label);
    }
    if (it->kind == MENU_CUSTOM) {
        free(it->url);
        it->url = xstrdup(act->url);
    }
    if (act->parent_id != it->parent_id) { /* at the end of its new siblings */
        int64_t last = 0;
        for (size_t i = 0; i < l->n; i++)
            if (l->items[i].position > last)
                last = l->items[i].position;
        it->parent_id = act->parent_id;
        it->position = last + 1;
    }
    return 0;
}

int menu_act(struct db *db, const struct user *by, const struct menu_action *act, int64_t now, const char **why)
{
    struct menu_list l = {0};
    int ret;
    if (!role_can(by->role, CAP_EDIT_MENUS))
        return refuse(why, "Sorry, you are not allowed to arrange the menu.", -EACCES);
    if ((ret = db_begin(db)) < 0)
        return ret;
    if (act->op == MENU_OP_RESET) {
        ret = db_menu_clear(db);
        goto out;
    }
    if ((ret = db_menu_items(db, MENU_ITEMS_MAX + 1, &l)) < 0)
        goto out;
    if (l.n == 0) {
        if ((ret = materialize(db, now)) < 0 || (ret = db_menu_items(db, MENU_ITEMS_MAX + 1, &l)) < 0)
            goto out;
    }
    struct menu_item *it = NULL;
    if (act->op != MENU_OP_START && act->op != MENU_OP_ADD && (it = find(&l, act->item)) == NULL) {
        ret = refuse(why, "There is no such menu item.", -ENOENT);
        goto out;
    }
    switch (act->op) {
    case MENU_OP_START:
    case MENU_OP_RESET:
        break;
    case MENU_OP_ADD:
        ret = add(db, &l, act, why);
        break;
    case MENU_OP_SAVE:
        if ((ret = save(&l, it, act, why)) == 0) {
            by_position(&l);
            ret = renumber(db, &l);
        }
        break;
    case MENU_OP_UP:
    case MENU_OP_DOWN:
        move(&l, it, act->op == MENU_OP_UP ? -1 : 1);
        by_position(&l);
        ret = renumber(db, &l);
        break;
    case MENU_OP_REMOVE:
        ret = db_menu_item_delete(db, it->id);
        break;
    }
out:
    menu_list_free(&l);
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}
