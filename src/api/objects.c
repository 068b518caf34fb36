/* /wp/v2/categories, tags, comments, users, types and statuses as WordPress's REST API shows
 * them. Terms and users are few and read whole; comments are read a page at a time from the
 * index of approved comments in date order, never past API_COMMENT_DEPTH. */
#include "api/api_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/newsroom.h"
#include "lib/timeutil.h"
#include "news/comment.h"
#include "news/post.h"
#include "news/session.h"
#include "news/settings.h"
#include "news/taxonomy.h"
#include "render/html.h"

static int id_in(const struct api_value *v, int64_t id)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->ids[i] == id)
            return 1;
    return 0;
}

static int str_in(const struct api_value *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->strs[i], s) == 0)
            return 1;
    return 0;
}

/* Sorts and pages an array of objects built by the caller; answers. */
static void send_page(struct api_ctx *a, json_t *all)
{
    int64_t page = api_int(a, "page", 1), per_page = api_int(a, "per_page", 10);
    int64_t total = (int64_t)json_array_size(all);
    int64_t offset = api_val(a, "offset")->present         ? api_int(a, "offset", 0)
                     : page > INT64_MAX / API_PER_PAGE_MAX ? INT64_MAX
                                                           : (page - 1) * per_page;
    if (api_past_end(a, total, page, per_page, "rest_invalid_page_number")) {
        json_decref(all);
        return;
    }
    json_t *out = json_array();
    for (int64_t i = offset; i < total && i < offset + per_page; i++)
        json_array_append(out, json_array_get(all, (size_t)i));
    json_decref(all);
    api_paging(a, total, page, per_page);
    api_send(a, 200, out);
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay != '\0'; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return n == 0;
}

/* ---- terms ---------------------------------------------------------------------------------- */

json_t *api_term_json(struct api_ctx *a, const struct term *t)
{
    int cat = t->taxonomy == TERM_CATEGORY;
    const char *rest = cat ? "categories" : "tags";
    json_t *o = json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:s}", "id", (json_int_t)t->id, "count", (json_int_t)t->count,
                          "description", "", "link", api_url(a, "/%s/%s/", cat ? "category" : "tag", t->slug), "name",
                          jcstr(t->name), "slug", jcstr(t->slug), "taxonomy", cat ? "category" : "post_tag");
    if (cat)
        json_object_set_new(o, "parent", json_integer(t->parent_id));
    json_object_set_new(o, "meta", json_object());
    json_object_set_new(
        o, "_links",
        json_pack("{s:o, s:o, s:o, s:o}", "self", api_link(a, 0, "/wp-json/wp/v2/%s/%lld", rest, (long long)t->id),
                  "collection", api_link(a, 0, "/wp-json/wp/v2/%s", rest), "about",
                  api_link(a, 0, "/wp-json/wp/v2/taxonomies/%s", cat ? "category" : "post_tag"), "wp:post_type",
                  api_link(a, 0, "/wp-json/wp/v2/posts?%s=%lld", rest, (long long)t->id)));
    return o;
}

static int64_t term_sort_field;
static int term_cmp(const void *x, const void *y)
{
    const struct term *a = x, *b = y;
    switch (term_sort_field) {
    case 1:
        return strcmp(a->slug, b->slug);
    case 2:
        return a->id < b->id ? -1 : a->id > b->id;
    case 3:
        return a->count < b->count ? -1 : a->count > b->count;
    default:
        return strcasecmp(a->name, b->name);
    }
}

static void terms_get(struct api_ctx *a, int64_t id, enum term_taxonomy tax)
{
    struct db *db = a->c->t->db;
    app_depends(a->c, TAG_LISTS, 0); /* the counts */
    if (id > 0) {
        struct term t = {0};
        int rc = db_term_get(db, id, &t);
        if (rc == 0 && t.taxonomy != tax)
            rc = -ENOENT;
        if (rc == 0)
            rc = term_post_count(db, t.id, a->c->now, &t.count);
        if (rc == -ENOENT)
            api_error(a, 404, "rest_term_invalid", "Term does not exist.", NULL);
        else if (rc < 0)
            api_db_fail(a);
        else
            api_send(a, 200, api_term_json(a, &t));
        term_clear(&t);
        return;
    }
    struct term_list l = {0};
    const struct api_value *post = api_val(a, "post");
    int rc;
    if (post->present) {
        struct post p = {0};
        rc = post_public_by_id(db, post->i, a->c->now, &p);
        post_clear(&p);
        if (rc == -ENOENT) {
            api_error(a, 404, "rest_post_invalid_id", "Invalid post ID.", NULL);
            return;
        }
        if (rc == 0)
            rc = db_post_terms(db, post->i, tax, &l);
        for (size_t i = 0; rc == 0 && i < l.n; i++)
            rc = term_post_count(db, l.items[i].id, a->c->now, &l.items[i].count);
        app_depends(a->c, TAG_POST, post->i);
    } else {
        rc = term_list(db, tax, a->c->now, &l);
    }
    if (rc < 0) {
        term_list_free(&l);
        api_db_fail(a);
        return;
    }
    const struct api_value *inc = api_val(a, "include"), *ex = api_val(a, "exclude"), *slug = api_val(a, "slug");
    const struct api_value *search = api_val(a, "search"), *parent = api_val(a, "parent"), *ob = api_val(a, "orderby");
    const struct api_value *order = api_val(a, "order");
    int hide = api_int(a, "hide_empty", 0) != 0;
    term_sort_field = !ob->present                  ? 0
                      : strcmp(ob->s, "slug") == 0  ? 1
                      : strcmp(ob->s, "id") == 0    ? 2
                      : strcmp(ob->s, "count") == 0 ? 3
                                                    : 0;
    if (!(ob->present && strcmp(ob->s, "include") == 0))
        qsort(l.items, l.n, sizeof(*l.items), term_cmp);
    json_t *all = json_array();
    int desc = order->present && strcmp(order->s, "desc") == 0;
    for (size_t k = 0; k < l.n; k++) {
        const struct term *t = &l.items[desc ? l.n - 1 - k : k];
        if ((inc->n && !id_in(inc, t->id)) || id_in(ex, t->id) || (slug->n && !str_in(slug, t->slug)) ||
            (search->present && !contains_ci(t->name, search->s) && !contains_ci(t->slug, search->s)) ||
            (hide && t->count == 0) || (parent->present && t->parent_id != parent->i))
            continue;
        json_array_append_new(all, api_term_json(a, t));
    }
    term_list_free(&l);
    send_page(a, all);
}

void api_categories_get(struct api_ctx *a, int64_t id, const char *name)
{
    (void)name;
    terms_get(a, id, TERM_CATEGORY);
}

void api_tags_get(struct api_ctx *a, int64_t id, const char *name)
{
    (void)name;
    terms_get(a, id, TERM_TAG);
}

/* ---- users ---------------------------------------------------------------------------------- */

json_t *api_user_json(struct api_ctx *a, const struct user *u)
{
    json_t *o = json_pack("{s:I, s:o, s:s, s:o, s:o, s:o, s:{}, s:{}}", "id", (json_int_t)u->id, "name",
                          jcstr(u->display_name ? u->display_name : u->login), "url", "", "description", jcstr(u->bio),
                          "link", api_url(a, "/author/%s/", u->login), "slug", jcstr(u->login), "avatar_urls", "meta");
    if (a->edit && (a->user.id == u->id || (a->user.id != 0 && a->user.role == ROLE_ADMINISTRATOR))) {
        char iso[TIME_ISO_LEN];
        time_format_iso(u->created_at, iso);
        iso[19] = '\0';
        json_object_set_new(o, "username", jcstr(u->login));
        json_object_set_new(o, "email", jcstr(u->email));
        json_object_set_new(o, "registered_date", json_string(iso));
        json_object_set_new(o, "roles", json_pack("[s]", user_role_name(u->role)));
    }
    json_object_set_new(o, "_links",
                        json_pack("{s:o, s:o}", "self", api_link(a, 0, "/wp-json/wp/v2/users/%lld", (long long)u->id),
                                  "collection", api_link(a, 0, "/wp-json/wp/v2/users")));
    return o;
}

/* 1 when the user has published posts (WordPress shows only those to anonymous callers). */
static int user_public(struct api_ctx *a, int64_t id, int *out)
{
    int64_t n = 0;
    int rc = db_post_count_by_author(a->c->t->db, a->c->now, id, &n);
    if (rc == 0)
        *out = n > 0;
    return rc;
}

/* The users an anonymous caller may list: those with published posts (read from the kept
 * counts, not from every user). */
static int authors(struct api_ctx *a, struct user_list *out)
{
    int64_t *ids = NULL;
    size_t n = 0;
    struct user_list l = {0};
    int rc = db_author_ids(a->c->t->db, &ids, &n);
    if (rc == 0 && (l.items = calloc(n ? n : 1, sizeof(*l.items))) == NULL)
        abort();
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int pub = 0;
        if ((rc = user_public(a, ids[i], &pub)) < 0 || !pub)
            continue;
        rc = db_user_get(a->c->t->db, ids[i], &l.items[l.n]);
        if (rc == 0)
            l.n++;
        else if (rc == -ENOENT)
            rc = 0;
    }
    free(ids);
    if (rc < 0) {
        user_list_free(&l);
        return rc;
    }
    *out = l;
    return 0;
}

static int64_t user_sort_field;
static int user_cmp(const void *x, const void *y)
{
    const struct user *a = x, *b = y;
    if (user_sort_field == 1)
        return a->id < b->id ? -1 : a->id > b->id;
    if (user_sort_field == 2)
        return strcmp(a->login, b->login);
    return strcasecmp(a->display_name ? a->display_name : a->login, b->display_name ? b->display_name : b->login);
}

void api_users_get(struct api_ctx *a, int64_t id, const char *name)
{
    struct db *db = a->c->t->db;
    (void)name;
    app_depends(a->c, TAG_LISTS, 0); /* who has published posts */
    if (id == 0 && a->n_seg == 4) {  /* users/me */
        if (a->user.id == 0) {
            api_error(a, 401, "rest_not_logged_in", "You are not currently logged in.", NULL);
            return;
        }
        id = a->user.id;
    }
    if (id > 0) {
        struct user u = {0};
        int pub = 0, rc = db_user_get(db, id, &u);
        if (rc == 0)
            rc = user_public(a, id, &pub);
        if (rc == -ENOENT)
            api_error(a, 404, "rest_user_invalid_id", "Invalid user ID.", NULL);
        else if (rc < 0)
            api_db_fail(a);
        else if (!pub && a->user.id == 0)
            api_error(a, 401, "rest_user_cannot_view", "Sorry, you are not allowed to list users.", NULL);
        else
            api_send(a, 200, api_user_json(a, &u));
        user_clear(&u);
        return;
    }
    struct user_list l = {0};
    if (authors(a, &l) < 0) {
        api_db_fail(a);
        return;
    }
    const struct api_value *inc = api_val(a, "include"), *ex = api_val(a, "exclude"), *slug = api_val(a, "slug");
    const struct api_value *search = api_val(a, "search"), *ob = api_val(a, "orderby"), *order = api_val(a, "order");
    user_sort_field = !ob->present ? 0 : strcmp(ob->s, "id") == 0 ? 1 : strcmp(ob->s, "slug") == 0 ? 2 : 0;
    qsort(l.items, l.n, sizeof(*l.items), user_cmp);
    int desc = order->present && strcmp(order->s, "desc") == 0, rc = 0;
    json_t *all = json_array();
    for (size_t k = 0; k < l.n && rc == 0; k++) {
        const struct user *u = &l.items[desc ? l.n - 1 - k : k];
        if ((inc->n && !id_in(inc, u->id)) || id_in(ex, u->id) || (slug->n && !str_in(slug, u->login)) ||
            (search->present && !contains_ci(u->login, search->s) &&
             !contains_ci(u->display_name ? u->display_name : "", search->s)))
            continue;
        json_array_append_new(all, api_user_json(a, u));
    }
    user_list_free(&l);
    if (rc < 0) {
        json_decref(all);
        api_db_fail(a);
        return;
    }
    send_page(a, all);
}

/* ---- comments ------------------------------------------------------------------------------- */

json_t *api_comment_json(struct api_ctx *a, const struct comment *cm)
{
    struct buf b = BUF_INIT;
    html_comment_text(&b, cm->body ? cm->body : "", cm->body ? strlen(cm->body) : 0);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(cm->id));
    json_object_set_new(o, "post", json_integer(cm->post_id));
    json_object_set_new(o, "parent", json_integer(cm->parent_id));
    json_object_set_new(o, "author", json_integer(cm->user_id));
    json_object_set_new(o, "author_name", jcstr(cm->author));
    json_object_set_new(o, "author_url", jcstr(cm->url));
    json_object_set_new(o, "date", api_date(a, cm->created_at));
    json_object_set_new(o, "date_gmt", api_date_gmt(cm->created_at));
    json_object_set_new(o, "content", json_pack("{s:o}", "rendered", jstr(b.data ? b.data : "", b.len)));
    json_object_set_new(o, "link", api_url(a, "/?p=%lld#comment-%lld", (long long)cm->post_id, (long long)cm->id));
    json_object_set_new(o, "status",
                        json_string(cm->status == COMMENT_APPROVED  ? "approved"
                                    : cm->status == COMMENT_PENDING ? "hold"
                                                                    : comment_status_name(cm->status)));
    json_object_set_new(o, "type", json_string(comment_type_name(cm->type)));
    json_object_set_new(o, "author_avatar_urls", json_object());
    json_object_set_new(o, "meta", json_object());
    buf_free(&b);
    if (a->edit && a->user.id != 0 && (a->user.role == ROLE_ADMINISTRATOR || a->user.role == ROLE_EDITOR)) {
        json_object_set_new(o, "author_email", jcstr(cm->email));
        json_object_set_new(o, "author_ip", jcstr(cm->ip));
        json_object_set_new(o, "author_user_agent", jcstr(cm->user_agent));
        json_object_set_new(json_object_get(o, "content"), "raw", jcstr(cm->body));
    }
    json_t *links = json_pack("{s:o, s:o, s:[{s:b, s:s, s:o}]}", "self",
                              api_link(a, 0, "/wp-json/wp/v2/comments/%lld", (long long)cm->id), "collection",
                              api_link(a, 0, "/wp-json/wp/v2/comments"), "up", "embeddable", 1, "post_type", "post",
                              "href", api_url(a, "/wp-json/wp/v2/posts/%lld", (long long)cm->post_id));
    if (cm->parent_id != 0)
        json_object_set_new(links, "in-reply-to",
                            api_link(a, 1, "/wp-json/wp/v2/comments/%lld", (long long)cm->parent_id));
    json_object_set_new(o, "_links", links);
    return o;
}

/* 1 when the comments of the post are public (published, due, no password), with their count
 * in *count; 0 when not; negative on failure. */
static int post_open(struct api_ctx *a, int64_t post_id, int64_t *count)
{
    struct post p = {0};
    int rc = post_public_by_id(a->c->t->db, post_id, a->c->now, &p);
    int ok = rc == 0 && (p.password == NULL || p.password[0] == '\0');
    if (ok && count != NULL)
        *count = p.comment_count;
    post_clear(&p);
    return rc < 0 && rc != -ENOENT ? rc : ok;
}

/* The site-wide list: the newest API_RECENT_MAX approved comments, [offset, offset + limit). */
static int recent_comments(struct api_ctx *a, int64_t offset, int64_t limit, int asc, int64_t *total,
                           struct comment_list *out)
{
    int64_t *ids = NULL;
    size_t n = 0;
    struct comment_list l = {0};
    int rc = db_comment_recent_ids(a->c->t->db, a->c->now, API_RECENT_MAX, &ids, &n);
    if (rc == 0 && (l.items = calloc((size_t)limit, sizeof(*l.items))) == NULL)
        abort();
    for (int64_t i = offset; rc == 0 && i < offset + limit && i < (int64_t)n; i++) {
        size_t at = asc ? n - 1 - (size_t)i : (size_t)i;
        if ((rc = db_comment_get_public(a->c->t->db, ids[at], &l.items[l.n])) == 0)
            l.n++;
    }
    free(ids);
    if (rc < 0) {
        comment_list_free(&l);
        return rc;
    }
    *total = (int64_t)n;
    *out = l;
    return 0;
}

void api_comments_get(struct api_ctx *a, int64_t id, const char *name)
{
    struct db *db = a->c->t->db;
    (void)name;
    if (id > 0) {
        struct comment cm = {0};
        int rc = db_comment_get_public(db, id, &cm), open = 0;
        if (rc == 0 && (open = post_open(a, cm.post_id, NULL)) < 0)
            rc = open;
        if (rc == -ENOENT) {
            api_error(a, 404, "rest_comment_invalid_id", "Invalid comment ID.", NULL);
        } else if (rc < 0) {
            api_db_fail(a);
        } else if (cm.status != COMMENT_APPROVED || !open) {
            api_error(a, 401, "rest_cannot_read", "Sorry, you are not allowed to read this comment.", NULL);
        } else {
            app_depends(a->c, TAG_COMMENTS, cm.post_id);
            app_depends(a->c, TAG_POST, cm.post_id);
            api_send(a, 200, api_comment_json(a, &cm));
        }
        comment_clear(&cm);
        return;
    }
    const struct api_value *post = api_val(a, "post"), *parent = api_val(a, "parent"), *ex = api_val(a, "exclude");
    const struct api_value *inc = api_val(a, "include"), *order = api_val(a, "order");
    int64_t page = api_int(a, "page", 1), per_page = api_int(a, "per_page", 10), total = 0, post_id = 0;
    if (post->n > 1) {
        api_invalid(a, json_pack("{s:s}", "post", "Gazette lists the comments of one post at a time."));
        return;
    }
    if (page > API_COMMENT_DEPTH) {
        api_invalid(a, json_pack("{s:s}", "page", "page is deeper than comment lists go."));
        return;
    }
    int64_t offset = api_val(a, "offset")->present ? api_int(a, "offset", 0) : (page - 1) * per_page;
    if (offset > API_COMMENT_DEPTH) {
        api_invalid(a, json_pack("{s:s}", "offset", "offset is deeper than comment lists go."));
        return;
    }
    int rc = 0, asc = order->present && strcmp(order->s, "asc") == 0;
    struct comment_list l = {0};
    if (post->n == 1) {
        post_id = post->ids[0];
        int open = post_open(a, post_id, &total);
        rc = open < 0 ? open : 0;
        if (open <= 0)
            total = 0;
        if (rc == 0 && offset < total) {
            int64_t off = offset, lim = per_page;
            if (asc) { /* the same list read from its other end */
                off = total - offset - per_page;
                if (off < 0)
                    lim += off, off = 0;
            }
            rc = db_comment_list_public(db, post_id, a->c->now, (size_t)off, (size_t)lim, &l);
        }
        app_depends(a->c, TAG_COMMENTS, post_id);
        app_depends(a->c, TAG_POST, post_id);
    } else {
        rc = recent_comments(a, offset, per_page, asc, &total, &l);
        asc = 0; /* read in the asked order */
        app_depends(a->c, TAG_COMMENT_FEED, 0);
        app_depends(a->c, TAG_LISTS, 0);
    }
    if (rc < 0) {
        comment_list_free(&l);
        api_db_fail(a);
        return;
    }
    if (api_past_end(a, total, page, per_page, "rest_comment_invalid_page_number")) {
        comment_list_free(&l);
        return;
    }
    json_t *arr = json_array();
    for (size_t k = 0; k < l.n; k++) {
        const struct comment *cm = &l.items[asc ? l.n - 1 - k : k];
        if ((parent->n && !id_in(parent, cm->parent_id)) || id_in(ex, cm->id) || (inc->n && !id_in(inc, cm->id)))
            continue;
        json_array_append_new(arr, api_comment_json(a, cm));
    }
    comment_list_free(&l);
    api_paging(a, total, page, per_page);
    api_send(a, 200, arr);
}

/* ---- types and statuses --------------------------------------------------------------------- */

static json_t *type_json(struct api_ctx *a, int page)
{
    const char *slug = page ? "page" : "post", *rest = page ? "pages" : "posts";
    json_t *o =
        json_pack("{s:s, s:b, s:b, s:s, s:s, s:s, s:s}", "description", "", "hierarchical", page, "has_archive", 0,
                  "name", page ? "Pages" : "Posts", "slug", slug, "rest_base", rest, "rest_namespace", API_NAMESPACE);
    json_object_set_new(o, "taxonomies", page ? json_array() : json_pack("[s, s]", "category", "post_tag"));
    json_object_set_new(o, "_links",
                        json_pack("{s:o, s:[{s:s, s:b}]}", "collection", api_link(a, 0, "/wp-json/wp/v2/types"),
                                  "wp:items", "href", page ? "" : "", "templated", 0));
    json_object_set_new(json_array_get(json_object_get(json_object_get(o, "_links"), "wp:items"), 0), "href",
                        api_url(a, "/wp-json/wp/v2/%s", rest));
    return o;
}

void api_types_get(struct api_ctx *a, int64_t id, const char *name)
{
    (void)id;
    app_depends(a->c, TAG_ANY, 0);
    if (name == NULL) {
        api_send(a, 200, json_pack("{s:o, s:o}", "post", type_json(a, 0), "page", type_json(a, 1)));
    } else if (strcmp(name, "post") == 0 || strcmp(name, "page") == 0) {
        api_send(a, 200, type_json(a, name[1] == 'a'));
    } else {
        api_error(a, 404, "rest_type_invalid", "Invalid post type.", NULL);
    }
}

static const struct {
    const char *slug, *name;
    int public, private, protected;
} status_defs[] = {
    {"publish", "Published", 1, 0, 0}, {"future", "Scheduled", 0, 0, 1}, {"draft", "Draft", 0, 0, 1},
    {"pending", "Pending", 0, 0, 1},   {"private", "Private", 0, 1, 0},  {"trash", "Trash", 0, 0, 0},
};

static json_t *status_json(struct api_ctx *a, size_t i)
{
    json_t *o =
        json_pack("{s:s, s:b, s:b, s:s, s:b}", "name", status_defs[i].name, "public", status_defs[i].public,
                  "queryable", status_defs[i].public, "slug", status_defs[i].slug, "date_floating", i == 2 || i == 3);
    if (a->edit) {
        json_object_set_new(o, "private", json_boolean(status_defs[i].private));
        json_object_set_new(o, "protected", json_boolean(status_defs[i].protected));
        json_object_set_new(o, "show_in_list", json_boolean(i != 5));
    }
    json_object_set_new(o, "_links", json_pack("{s:[{s:s}]}", "archives", "href", "")); /* href filled below */
    json_object_set_new(json_array_get(json_object_get(json_object_get(o, "_links"), "archives"), 0), "href",
                        api_url(a, "/wp-json/wp/v2/posts?status=%s", status_defs[i].slug));
    return o;
}

void api_statuses_get(struct api_ctx *a, int64_t id, const char *name)
{
    (void)id;
    size_t n = sizeof(status_defs) / sizeof(status_defs[0]);
    int authed = a->user.id != 0;
    app_depends(a->c, TAG_ANY, 0);
    if (name == NULL) {
        json_t *o = json_object();
        for (size_t i = 0; i < n; i++)
            if (i == 0 || (authed && i != 5))
                json_object_set_new(o, status_defs[i].slug, status_json(a, i));
        api_send(a, 200, o);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(name, status_defs[i].slug) != 0)
            continue;
        if (i != 0 && !authed)
            api_error(a, 401, "rest_cannot_read_status", "Cannot view status.", NULL);
        else
            api_send(a, 200, status_json(a, i));
        return;
    }
    api_error(a, 404, "rest_status_invalid", "Invalid status.", NULL);
}

/* ---- settings ------------------------------------------------------------------------------- */

/* WordPress's names of the settings Gazette has. */
static const struct {
    const char *wp, *key;
    int is_int;
} setting_names[] = {
    {"title", "site_title", 0},  {"description", "site_tagline", 0},      {"url", "site_url", 0},
    {"timezone", "timezone", 0}, {"posts_per_page", "posts_per_page", 1},
};

const char *api_setting_key(const char *wp_name, int *is_int)
{
    for (size_t i = 0; i < sizeof(setting_names) / sizeof(setting_names[0]); i++)
        if (strcmp(setting_names[i].wp, wp_name) == 0) {
            *is_int = setting_names[i].is_int;
            return setting_names[i].key;
        }
    return NULL;
}

int api_may_manage(struct api_ctx *a)
{
    if (a->user.id == 0) {
        api_error(a, 401, "rest_forbidden", "Sorry, you are not allowed to do that.", NULL);
        return 0;
    }
    if (!role_can(a->user.role, CAP_MANAGE_OPTIONS)) {
        api_error(a, 403, "rest_forbidden", "Sorry, you are not allowed to do that.", NULL);
        return 0;
    }
    return 1;
}

void api_settings_get(struct api_ctx *a, int64_t id, const char *name)
{
    (void)id;
    (void)name;
    if (!api_may_manage(a))
        return;
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof(setting_names) / sizeof(setting_names[0]); i++) {
        char *v = NULL;
        if (setting_get(a->c->t->db, setting_names[i].key, &v) < 0) {
            json_decref(o);
            api_db_fail(a);
            return;
        }
        json_object_set_new(o, setting_names[i].wp,
                            setting_names[i].is_int ? json_integer(strtoll(v, NULL, 10)) : jcstr(v));
        free(v);
    }
    api_send(a, 200, o);
}
