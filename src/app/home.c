/* Lists of posts: the home page with its older pages, category and tag archives, and the old
 * WordPress query links (?p=ID, ?page_id=ID) that moved sites still receive. */
#include "app/app_int.h"
#include "app/wplinks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"
#include "news/post.h"
#include "news/taxonomy.h"

/* base is "/" or "/category/slug/"; page 1 is the base itself; query ("?s=...") follows. */
static json_t *page_link(const char *base, int64_t page, const char *query)
{
    struct buf path = BUF_INIT;
    if (page == 1)
        buf_printf(&path, "%s%s", base, query);
    else
        buf_printf(&path, "%spage/%lld/%s", base, (long long)page, query);
    json_t *j = jstr(path.data ? path.data : "", path.len);
    buf_free(&path);
    return j;
}

#define HOME_EAGER_IMAGES 2  /* list entries whose images load at once, the rest when near */
#define HOME_SECTIONS_MAX 4  /* category sections of the front page */
#define HOME_SECTION_POSTS 4 /* stories in each */
#define HOME_SECTION_READ 12 /* newest stories of a category read to find those not shown above */
#define HOME_SHOWN_MAX 1024  /* stories one front page shows */

static void eager(json_t *summary)
{
    json_t *im = json_object_get(summary, "image");
    if (json_is_object(im))
        json_object_set_new(im, "lazy", json_false());
}

/* The front page (the home page's first page): its newest story as the lead, with a large image,
 * then (in the template) the others in a grid, then a section for each of the first categories
 * of the navigation with its newest stories not shown above (shown: the ids on the page). */
static void front_page(struct page_ctx *c, json_t *data, const struct post *lead, json_t *l, int64_t *shown,
                       size_t n_shown)
{
    json_object_set_new(l, "image", app_featured_json(c, lead, 1600, APP_SIZES_LEAD, 0));
    json_object_set_new(data, "lead", l);
    json_t *sections = json_array();
    struct post pick[HOME_SECTION_POSTS]; /* borrowed from the section's list */
    const struct term_list *cats = &c->t->site.categories;
    for (size_t i = 0; i < cats->n && json_array_size(sections) < HOME_SECTIONS_MAX; i++) {
        const struct term *tm = &cats->items[i];
        struct post_list l2 = {0};
        if (tm->count == 0 || term_posts(c->t->db, tm->id, c->now, 1, HOME_SECTION_READ, &l2) < 0) {
            post_list_free(&l2);
            continue;
        }
        size_t n_pick = 0;
        for (size_t k = 0; k < l2.n && n_pick < HOME_SECTION_POSTS; k++) {
            int seen = 0;
            for (size_t s = 0; s < n_shown && !seen; s++)
                seen = shown[s] == l2.items[k].id;
            if (seen || n_shown == HOME_SHOWN_MAX)
                continue;
            shown[n_shown++] = l2.items[k].id;
            pick[n_pick++] = l2.items[k];
        }
        json_t *ps = n_pick > 0 ? site_post_summaries(c, pick, n_pick) : NULL;
        post_list_free(&l2);
        if (ps == NULL)
            continue;
        char path[300];
        snprintf(path, sizeof(path), "/category/%s/", tm->slug);
        json_array_append_new(sections, json_pack("{s:o, s:o, s:o, s:o}", "name", jcstr(tm->name), "slug",
                                                  jcstr(tm->slug), "path", jcstr(path), "posts", ps));
    }
    json_object_set_new(data, "sections", sections);
}

static void render_list(struct page_ctx *c, json_t *data, struct post_list *list, int64_t total, const char *base,
                        const char *tpl, const char *title)
{
    home_render_list(c, data, list, total, base, "", tpl, title);
}

void home_render_list(struct page_ctx *c, json_t *data, struct post_list *list, int64_t total, const char *base,
                      const char *query, const char *tpl, const char *title)
{
    int64_t per = c->t->site.per_page, page = c->route.page;
    int64_t pages = total > 0 ? (total + per - 1) / per : 1;
    if ((page > 1 && list->n == 0) || page > pages) {
        post_list_free(list);
        json_decref(data);
        app_not_found(c);
        return;
    }
    /* the list's own address and its neighbours' for the <head>; search results have none of their own */
    char self[CACHE_MAX_KEY + 32], prev[CACHE_MAX_KEY + 32], next[CACHE_MAX_KEY + 32];
    if (page == 2)
        snprintf(prev, sizeof(prev), "%s%s", base, query);
    else
        snprintf(prev, sizeof(prev), "%spage/%lld/%s", base, (long long)(page - 1), query);
    snprintf(next, sizeof(next), "%spage/%lld/%s", base, (long long)(page + 1), query);
    c->head.prev = page > 1 ? prev : NULL;
    c->head.next = page < pages ? next : NULL;
    if (c->route.kind == ROUTE_SEARCH) {
        c->head.noindex = 1;
    } else {
        if (page == 1)
            snprintf(self, sizeof(self), "%s", base);
        else
            snprintf(self, sizeof(self), "%spage/%lld/", base, (long long)page);
        c->head.path = self;
    }
    app_depends(c, TAG_LISTS, 0);
    size_t from = 0;
    int front = c->route.kind == ROUTE_HOME && page == 1 && query[0] == '\0' && list->n > 0;
    json_t *posts = site_post_summaries(c, list->items, list->n), *lead = NULL;
    if (front) { /* the first is the lead, apart from the grid */
        lead = json_incref(json_array_get(posts, 0));
        json_array_remove(posts, 0);
    }
    for (size_t i = front ? 1 : 0; i < HOME_EAGER_IMAGES && i < list->n; i++) /* above the fold: loaded at once */
        eager(json_array_get(posts, i - (front ? 1 : 0)));
    if (front) {
        int64_t *shown = malloc(HOME_SHOWN_MAX * sizeof(*shown));
        if (shown == NULL)
            abort();
        for (size_t i = 0; i < list->n && from < HOME_SHOWN_MAX; i++)
            shown[from++] = list->items[i].id;
        front_page(c, data, &list->items[0], lead, shown, from);
        free(shown);
    }
    post_list_free(list);
    json_object_set_new(data, "has_grid", json_boolean(json_array_size(posts) > 0));
    json_object_set_new(data, "posts", posts);
    if (pages > 1)
        json_object_set_new(data, "pagination",
                            json_pack("{s:I, s:I, s:o, s:o}", "page", (json_int_t)page, "pages", (json_int_t)pages,
                                      "newer", page > 1 ? page_link(base, page - 1, query) : json_false(), "older",
                                      page < pages ? page_link(base, page + 1, query) : json_false()));
    else
        json_object_set_new(data, "pagination", json_false());
    app_render(c, 200, tpl, data, title);
}

void archive_head(struct page_ctx *c, const char *name, const char *description, const char *crumb, const char *path)
{
    c->head.type = HEAD_ARCHIVE;
    c->head.name = name;
    c->head.description = description;
    json_decref(c->head.crumbs);
    c->head.crumbs = json_pack("[{s:o, s:o}]", "name", jcstr(crumb), "path", jcstr(path));
}

void home_page(struct page_ctx *c)
{
    struct post_list list = {0};
    int64_t total = 0;
    if (post_home(c->t->db, c->now, c->route.page, (size_t)c->t->site.per_page, &list) < 0 ||
        post_home_count(c->t->db, c->now, &total) < 0) {
        app_fail(c, 503, "The database is not available.");
        return;
    }
    char title[64];
    json_t *data = json_object();
    json_object_set_new(data, "heading", jcstr(c->t->site.title));
    c->head.type = c->route.page == 1 ? HEAD_HOME : HEAD_ARCHIVE;
    c->head.name = c->route.page == 1 ? c->t->site.title : title;
    c->head.description = c->t->site.tagline;
    snprintf(title, sizeof(title), "Page %u", c->route.page);
    render_list(c, data, &list, total, "/", "home", c->route.page > 1 ? title : NULL);
}

void term_page(struct page_ctx *c, enum term_taxonomy tax)
{
    struct term tm = {0};
    struct post_list list = {0};
    int64_t total = 0;
    int rc = term_by_slug(c->t->db, tax, c->route.slug, c->route.slug_len, &tm);
    if (rc == -ENOENT) {
        app_not_found(c);
        return;
    }
    if (rc < 0 || term_posts(c->t->db, tm.id, c->now, c->route.page, (size_t)c->t->site.per_page, &list) < 0 ||
        term_post_count(c->t->db, tm.id, c->now, &total) < 0) {
        term_clear(&tm);
        app_fail(c, 503, "The database is not available.");
        return;
    }
    char base[300], title[300];
    const char *kind = tax == TERM_CATEGORY ? "category" : "tag";
    snprintf(base, sizeof(base), "/%s/%s/", kind, tm.slug);
    if (c->route.page > 1)
        snprintf(title, sizeof(title), "%s \xe2\x80\x93 Page %u", tm.name, c->route.page);
    else
        snprintf(title, sizeof(title), "%s", tm.name);
    json_t *data = json_object();
    json_object_set_new(data, "kind", json_string(tax == TERM_CATEGORY ? "Category" : "Tag"));
    json_object_set_new(data, "heading", jcstr(tm.name));
    char about[400];
    snprintf(about, sizeof(about), "Articles %s %s.", tax == TERM_CATEGORY ? "filed under" : "tagged", tm.name);
    archive_head(c, title, about, tm.name, base);
    term_clear(&tm);
    render_list(c, data, &list, total, base, "category", title);
}

void author_page(struct page_ctx *c)
{
    struct user u = {0};
    struct post_list list = {0};
    int64_t total = 0;
    int rc = author_by_login(c->t->db, c->route.slug, c->route.slug_len, &u);
    if (rc == -ENOENT) {
        app_not_found(c);
        return;
    }
    if (rc < 0 || author_posts(c->t->db, u.id, c->now, c->route.page, (size_t)c->t->site.per_page, &list) < 0 ||
        author_post_count(c->t->db, u.id, c->now, &total) < 0) {
        user_clear(&u);
        app_fail(c, 503, "The database is not available.");
        return;
    }
    if (total == 0) { /* no archive for someone who has published nothing */
        user_clear(&u);
        post_list_free(&list);
        app_not_found(c);
        return;
    }
    char base[128], title[400];
    const char *name = u.display_name && u.display_name[0] ? u.display_name : u.login;
    snprintf(base, sizeof(base), "/author/%s/", u.login);
    if (c->route.page > 1)
        snprintf(title, sizeof(title), "%s \xe2\x80\x93 Page %u", name, c->route.page);
    else
        snprintf(title, sizeof(title), "%s", name);
    json_t *data = json_object();
    json_object_set_new(data, "kind", json_string("Author"));
    json_object_set_new(data, "heading", jcstr(name));
    json_object_set_new(data, "description", u.bio && u.bio[0] ? jcstr(u.bio) : json_false());
    char about[400];
    snprintf(about, sizeof(about), "Articles by %s.", name);
    archive_head(c, title, about, name, base);
    user_clear(&u);
    render_list(c, data, &list, total, base, "category", title);
}

int home_legacy_redirect(struct page_ctx *c)
{
    if (c->route.page == 1 && wplinks_redirect_query(c))
        return 1;
    size_t n;
    const char *v = app_query(c, "p", &n);
    if (v == NULL)
        v = app_query(c, "page_id", &n);
    if (v == NULL || c->route.page != 1)
        return 0;
    int64_t id = site_parse_id(v, n);
    struct post p = {0};
    char path[POST_PATH_MAX];
    int len;
    /* An old link to a post a reader may not see answers as a missing page would, as WordPress does. */
    if (id <= 0 || post_public_by_id(c->t->db, id, c->now, &p) < 0) {
        app_not_found(c);
        return 1;
    }
    len = post_path(&p, path, sizeof(path));
    post_clear(&p);
    if (len <= 0) {
        app_not_found(c);
        return 1;
    }
    http_redirect(c->req, 301, path, (size_t)len);
    c->sent = 1;
    return 1;
}

int term_moved_redirect(struct page_ctx *c)
{
    enum route_kind k = c->route.kind;
    char *slug = NULL;
    if ((k != ROUTE_CATEGORY && k != ROUTE_TAG) || term_moved(c->t->db, k == ROUTE_CATEGORY ? TERM_CATEGORY : TERM_TAG,
                                                              c->route.slug, c->route.slug_len, &slug) < 0)
        return 0;
    /* the same address with the new slug: its page number or feed, and its query, stay */
    h2o_iovec_t p = c->req->path_normalized;
    size_t before = (size_t)(c->route.slug - p.base), after = before + c->route.slug_len;
    struct buf loc = BUF_INIT;
    if (c->route.slug < p.base || after > p.len) {
        free(slug);
        return 0;
    }
    buf_append(&loc, p.base, before);
    buf_puts(&loc, slug);
    buf_append(&loc, p.base + after, p.len - after);
    if (c->req->query_at != SIZE_MAX)
        buf_append(&loc, c->req->path.base + c->req->query_at, c->req->path.len - c->req->query_at);
    free(slug);
    if (loc.err != 0) {
        buf_free(&loc);
        return 0;
    }
    http_redirect(c->req, 301, loc.data, loc.len);
    c->sent = 1;
    buf_free(&loc);
    return 1;
}
