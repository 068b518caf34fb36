/* The names of the storage enumerations (as stored in the database and typed on the command
 * line) and the destructors of the record structs of db/db.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"

static const char *const post_types[] = {"post", "page"};
static const char *const post_statuses[] = {"draft", "pending", "scheduled", "published", "private", "trash"};
static const char *const post_formats[] = {"markdown", "html"};
static const char *const taxonomies[] = {"category", "tag"};
static const char *const comment_statuses[] = {"pending", "approved", "spam", "trash"};
static const char *const comment_types[] = {"comment", "pingback", "trackback"};
static const char *const roles[] = {"administrator", "editor", "author", "contributor"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *name_of(const char *const *names, int n, int v)
{
    return v >= 0 && v < n ? names[v] : NULL;
}

static int parse(const char *const *names, int n, const char *s, int *out)
{
    for (int i = 0; s != NULL && i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return -EINVAL;
}

#define NAMES(fn, type, table)                                                                                         \
    const char *fn##_name(enum type v)                                                                                 \
    {                                                                                                                  \
        return name_of(table, COUNT(table), (int)v);                                                                   \
    }                                                                                                                  \
    int fn##_parse(const char *s, enum type *out)                                                                      \
    {                                                                                                                  \
        int v, rc = parse(table, COUNT(table), s, &v);                                                                 \
        if (rc == 0)                                                                                                   \
            *out = (enum type)v;                                                                                       \
        return rc;                                                                                                     \
    }

NAMES(post_type, post_type, post_types)
NAMES(post_status, post_status, post_statuses)
NAMES(post_format, post_format, post_formats)
NAMES(term_taxonomy, term_taxonomy, taxonomies)
NAMES(comment_status, comment_status, comment_statuses)
NAMES(comment_type, comment_type, comment_types)
NAMES(user_role, user_role, roles)

void post_clear(struct post *p)
{
    if (p == NULL)
        return;
    free(p->title);
    free(p->slug);
    free(p->author_login);
    free(p->author_name);
    free(p->source);
    free(p->html);
    free(p->excerpt);
    free(p->password);
    free(p->category_slug);
    memset(p, 0, sizeof(*p));
}

void post_list_free(struct post_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        post_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void term_clear(struct term *t)
{
    if (t == NULL)
        return;
    free(t->name);
    free(t->slug);
    memset(t, 0, sizeof(*t));
}

void term_list_free(struct term_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        term_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void comment_clear(struct comment *c)
{
    if (c == NULL)
        return;
    free(c->author);
    free(c->email);
    free(c->url);
    free(c->ip);
    free(c->user_agent);
    free(c->body);
    memset(c, 0, sizeof(*c));
}

void comment_list_free(struct comment_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        comment_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void user_clear(struct user *u)
{
    if (u == NULL)
        return;
    free(u->login);
    free(u->display_name);
    free(u->email);
    free(u->bio);
    memset(u, 0, sizeof(*u));
}
