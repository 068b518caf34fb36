/* The header menu: what the site's navigation shows, arranged in the newsroom from the home page,
 * pages, categories and custom links, in any order, with one level of sub-items. A site whose
 * menu was never arranged shows Home and every category that has posts.
 *
 * Errors of menu_act: -EACCES (why says so), -EINVAL a field is wrong (why says which), -ENOENT
 * no such item, page or category; storage errors. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/newsroom.h"

#define MENU_ITEMS_MAX 100 /* entries a menu may hold */
#define MENU_LABEL_MAX 100 /* bytes of a label */
#define MENU_URL_MAX 1024  /* bytes of a custom link */

/* One entry, resolved: what it shows and where it leads. */
struct menu_entry {
    int64_t id; /* 0 in a menu that was never arranged */
    int64_t parent_id;
    int64_t object_id;
    enum menu_kind kind;
    char *label;   /* the stored label, else the page's or category's name */
    char *path;    /* "/", "/about/", "/category/world/", or the custom link */
    int own_label; /* the label was written in the newsroom */
    int shown;     /* readers see it (a published page, an existing category) */
};

/* The entries in display order: each top-level entry followed by its sub-items. */
struct menu {
    struct menu_entry *items;
    size_t n;
    int arranged; /* 0: Home and the categories with posts (nothing stored) */
};

void menu_free(struct menu *m);

/* The menu as readers see it now (entries not shown included: callers skip them). */
int menu_read(struct db *db, int64_t now, struct menu *out);

/* What the newsroom's menu screen asks. */
enum menu_op {
    MENU_OP_START,  /* store the default menu, to arrange it */
    MENU_OP_ADD,    /* add kind/object_id (or label/url for a custom link) at the end */
    MENU_OP_SAVE,   /* item: set label, url (custom links) and parent */
    MENU_OP_UP,     /* item: before its previous sibling */
    MENU_OP_DOWN,   /* item: after its next sibling */
    MENU_OP_REMOVE, /* item and its sub-items */
    MENU_OP_RESET,  /* forget the arrangement: Home and the categories again */
};
struct menu_action {
    enum menu_op op;
    int64_t item;
    enum menu_kind kind;
    int64_t object_id;
    const char *label; /* NULL: unchanged (MENU_OP_SAVE) or the object's name */
    const char *url;
    int64_t parent_id; /* MENU_OP_SAVE: 0 top level, else a top-level item */
};

/* Applies act as `by` (who must have CAP_EDIT_MENUS), in one transaction. A menu never
 * arranged is stored first (as it is shown), so any change starts from what readers see. */
int menu_act(struct db *db, const struct user *by, const struct menu_action *act, int64_t now, const char **why);
