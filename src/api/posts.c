/* /wp/v2/posts, /wp/v2/pages and /wp/v2/search: published posts and pages as WordPress's REST
 * API shows them. Collections are read from the same bounded lists as the site's pages (a list
 * in date order, skipped by the kept counts); ascending order reads the same list from its
 * other end. */
#include "api/api_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db/newsroom.h"
#include "news/comment.h"
#include "news/editor.h"
#include "news/media.h"
#include "news/post.h"
#include "news/session.h"
#include "news/search.h"
#include "render/html.h"

#define API_REPLIES_EMBED 10 /* comments a post's embedded replies hold (WordPress's first page) */

static json_t *rendered(json_t *r, int prot)
{
    json_t *o = json_pack("{s:o}", "rendered", r);
    if (prot >= 0)
        json_object_set_new(o, "protected", json_boolean(prot));
    return o;
}

/* The post's terms of one taxonomy (for its categories/tags ids and wp:term). */
static json_t *terms_of(struct api_ctx *a, int64_t id, enum term_taxonomy tax, json_t **embed)
{
    struct term_list l = {0};
    json_t *ids = json_array();
    *embed = json_array();
    if (db_post_terms(a->c->t->db, id, tax, &l) == 0) {
        for (size_t i = 0; i < l.n; i++) {
            json_array_append_new(ids, json_integer(l.items[i].id));
            json_array_append_new(*embed, api_term_json(a, &l.items[i]));
        }
        term_list_free(&l);
    }
    return ids;
}

json_t *api_post_json(struct api_ctx *a, const struct post *p)
{
    int is_post = p->type == POST_TYPE_POST;
    const char *rest = is_post ? "posts" : "pages";
    char path[POST_PATH_MAX];
    if (post_path(p, path, sizeof(path)) < 0)
        path[0] = '\0';
    int prot = p->password != NULL && p->password[0] != '\0';
    const struct api_value *pw = api_val(a, "password");
    int shown = !prot || a->edit || (pw->present && strcmp(pw->s, p->password) == 0);
    struct buf ex = BUF_INIT;
    buf_puts(&ex, "<p>");
    html_escape(&ex, p->excerpt ? p->excerpt : "", p->excerpt ? strlen(p->excerpt) : 0);
    buf_puts(&ex, "</p>\n");

    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(p->id));
    json_object_set_new(o, "date", api_date(a, p->published_at));
    json_object_set_new(o, "date_gmt", api_date_gmt(p->published_at));
    json_object_set_new(o, "guid", json_pack("{s:o}", "rendered", api_url(a, "/?p=%lld", (long long)p->id)));
    json_object_set_new(o, "modified", api_date(a, p->modified_at));
    json_object_set_new(o, "modified_gmt", api_date_gmt(p->modified_at));
    json_object_set_new(o, "slug", jcstr(p->slug));
    json_object_set_new(o, "status", json_string(api_status_name(p->status)));
    json_object_set_new(o, "type", json_string(is_post ? "post" : "page"));
    json_object_set_new(o, "link", api_url(a, "%s", path));
    json_object_set_new(o, "title", rendered(api_html_text(p->title), -1));
    json_object_set_new(o, "content", rendered(shown ? jcstr(p->html) : json_string(""), prot));
    json_object_set_new(o, "excerpt", rendered(shown ? jstr(ex.data, ex.len) : json_string(""), prot));
    json_object_set_new(o, "author", json_integer(p->author_id));
    json_object_set_new(o, "featured_media", json_integer(p->featured_id));
    json_object_set_new(o, "comment_status", json_string(p->comments_open ? "open" : "closed"));
    json_object_set_new(o, "ping_status", json_string("closed"));
    json_object_set_new(o, "template", json_string(""));
    json_object_set_new(o, "meta", json_object());
    buf_free(&ex);
    if (a->edit) {
        json_object_set_new(json_object_get(o, "title"), "raw", jcstr(p->title));
        json_object_set_new(json_object_get(o, "content"), "raw", jcstr(p->source));
        json_object_set_new(json_object_get(o, "excerpt"), "raw", jcstr(p->excerpt));
        json_object_set_new(o, "password", jcstr(p->password));
    }
    json_t *cat_embed = NULL, *tag_embed = NULL;
    if (is_post) {
        json_object_set_new(o, "format", json_string("standard"));
        json_object_set_new(o, "sticky", json_boolean(p->sticky));
        json_object_set_new(o, "categories", terms_of(a, p->id, TERM_CATEGORY, &cat_embed));
        json_object_set_new(o, "tags", terms_of(a, p->id, TERM_TAG, &tag_embed));
    } else {
        json_object_set_new(o, "parent", json_integer(p->parent_id));
        json_object_set_new(o, "menu_order", json_integer(0));
    }

    json_t *links = json_object();
    json_object_set_new(links, "self", api_link(a, 0, "/wp-json/wp/v2/%s/%lld", rest, (long long)p->id));
    json_object_set_new(links, "collection", api_link(a, 0, "/wp-json/wp/v2/%s", rest));
    json_object_set_new(links, "about", api_link(a, 0, "/wp-json/wp/v2/types/%s", is_post ? "post" : "page"));
    json_object_set_new(links, "author", api_link(a, 1, "/wp-json/wp/v2/users/%lld", (long long)p->author_id));
    json_object_set_new(links, "replies", api_link(a, 1, "/wp-json/wp/v2/comments?post=%lld", (long long)p->id));
    if (p->featured_id > 0)
        json_object_set_new(links, "wp:featuredmedia",
                            api_link(a, 1, "/wp-json/wp/v2/media/%lld", (long long)p->featured_id));
    if (is_post) {
        json_t *t = json_array();
        json_t *c = json_pack("{s:s, s:b, s:o}", "taxonomy", "category", "embeddable", 1, "href",
                              api_url(a, "/wp-json/wp/v2/categories?post=%lld", (long long)p->id));
        json_t *g = json_pack("{s:s, s:b, s:o}", "taxonomy", "post_tag", "embeddable", 1, "href",
                              api_url(a, "/wp-json/wp/v2/tags?post=%lld", (long long)p->id));
        json_array_append_new(t, c);
        json_array_append_new(t, g);
        json_object_set_new(links, "wp:term", t);
    }
    json_object_set_new(
        links, "curies",
        json_pack("[{s:s, s:s, s:b}]", "name", "wp", "href", "https://api.w.org/{rel}", "templated", 1));
    json_object_set_new(o, "_links", links);

    if (a->embed != NULL) {
        json_t *em = json_object();
        struct user u = {0};
        if (api_embeds(a, "author") && db_user_get(a->c->t->db, p->author_id, &u) == 0) {
            json_object_set_new(em, "author", json_pack("[o]", api_user_json(a, &u)));
            user_clear(&u);
        }
        struct medium m = {0};
        if (api_embeds(a, "wp:featuredmedia") && media_featured(a->c->t->db, p, &m) == 0)
            json_object_set_new(em, "wp:featuredmedia", json_pack("[o]", api_medium_json(a, &m, -1)));
        medium_clear(&m);
        if (is_post && api_embeds(a, "wp:term"))
            json_object_set_new(em, "wp:term", json_pack("[OO]", cat_embed, tag_embed));
        struct comment_list cl = {0};
        if (api_embeds(a, "replies") && p->comment_count > 0 && !prot &&
            db_comment_list_public(a->c->t->db, p->id, a->c->now, 0, API_REPLIES_EMBED, &cl) == 0) {
            json_t *r = json_array();
            for (size_t i = 0; i < cl.n; i++)
                json_array_append_new(r, api_comment_json(a, &cl.items[i]));
            comment_list_free(&cl);
            json_object_set_new(em, "replies", json_pack("[o]", r));
            app_depends(a->c, TAG_COMMENTS, p->id);
        }
        if (json_object_size(em) > 0)
            json_object_set_new(o, "_embedded", em);
        else
            json_decref(em);
    }
    json_decref(cat_embed);
    json_decref(tag_embed);
    app_depends(a->c, TAG_POST, p->id);
    return o;
}

/* ---- one post ------------------------------------------------------------------------------- */

/* A post as its writers see it (any status, its source): 1 when a->user may edit it, and then
 * answered; 0 when not (the public rules apply). */
static int writer_item(struct api_ctx *a, int64_t id, enum post_type type)
{
    struct post p = {0};
    if (a->user.id == 0 || db_post_get(a->c->t->db, id, &p) < 0 || p.type != type ||
        !user_can_edit_post(&a->user, &p)) {
        post_clear(&p);
        if (a->edit)
            api_error(a, 403, "rest_forbidden_context", "Sorry, you are not allowed to edit this post.", NULL);
        return a->edit;
    }
    json_t *o = api_post_json(a, &p);
    post_clear(&p);
    api_send(a, 200, o);
    return 1;
}

static void post_item(struct api_ctx *a, int64_t id, enum post_type type)
{
    struct db *db = a->c->t->db;
    struct post p = {0};
    if (writer_item(a, id, type))
        return;
    int rc = post_public_by_id(db, id, a->c->now, &p);
    if (rc == 0 && p.type != type)
        rc = -ENOENT;
    if (rc == -ENOENT) {
        post_clear(&p);
        /* a post that exists but is not public is no one's business but its writers' */
        rc = db_post_get(db, id, &p);
        if (rc == 0 && p.type == type && p.status != POST_TRASH)
            api_error(a, 401, "rest_forbidden", "Sorry, you are not allowed to do that.", NULL);
        else if (rc == 0 || rc == -ENOENT)
            api_error(a, 404, "rest_post_invalid_id", "Invalid post ID.", NULL);
        else
            api_db_fail(a);
        post_clear(&p);
        return;
    }
    if (rc < 0) {
        api_db_fail(a);
        return;
    }
    const struct api_value *pw = api_val(a, "password");
    if (pw->present && p.password != NULL && p.password[0] != '\0' && strcmp(pw->s, p.password) != 0) {
        post_clear(&p);
        api_error(a, 403, "rest_post_incorrect_password", "Incorrect post password.", NULL);
        return;
    }
    json_t *o = api_post_json(a, &p);
    post_clear(&p);
    api_send(a, 200, o);
}

/* ---- collections ---------------------------------------------------------------------------- */

static int has_id(const struct api_value *v, int64_t id)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->ids[i] == id)
            return 1;
    return 0;
}

static void bad_param(struct api_ctx *a, const char *name, const char *message)
{
    api_invalid(a, json_pack("{s:s}", name, message));
}

/* Reads posts one by one (include, slug): the public ones of type, newest first unless keep. */
static int by_ids(struct api_ctx *a, enum post_type type, struct post_list *out)
{
    struct db *db = a->c->t->db;
    const struct api_value *inc = api_val(a, "include"), *slug = api_val(a, "slug");
    struct post_list l = {0};
    size_t n = inc->present ? inc->n : slug->n;
    l.items = calloc(n ? n : 1, sizeof(*l.items));
    if (l.items == NULL)
        abort();
    for (size_t i = 0; i < n; i++) {
        struct post p = {0};
        int rc = inc->present ? post_public_by_id(db, inc->ids[i], a->c->now, &p)
                              : db_post_find_public(db, type, slug->strs[i], INT64_MIN, INT64_MAX, a->c->now, &p);
        if (rc == -ENOENT)
            continue;
        if (rc < 0) {
            post_list_free(&l);
            return rc;
        }
        int dup = 0;
        for (size_t k = 0; k < l.n; k++)
            dup |= l.items[k].id == p.id;
        if (p.type != type || (inc->present && slug->present && !has_id(inc, p.id)) || dup) {
            post_clear(&p);
            continue;
        }
        l.items[l.n++] = p;
    }
    *out = l;
    return 0;
}

static int newest_first(const void *x, const void *y)
{
    const struct post *a = x, *b = y;
    if (a->published_at != b->published_at)
        return a->published_at < b->published_at ? 1 : -1;
    return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

static void reverse(struct post_list *l)
{
    for (size_t i = 0; i < l->n / 2; i++) {
        struct post t = l->items[i];
        l->items[i] = l->items[l->n - 1 - i];
        l->items[l->n - 1 - i] = t;
    }
}

/* Moves the posts of from to the end of l. */
static void append_list(struct post_list *l, struct post_list *from)
{
    if (from->n > 0) {
        struct post *items = realloc(l->items, (l->n + from->n) * sizeof(*items));
        if (items == NULL)
            abort();
        memcpy(items + l->n, from->items, from->n * sizeof(*items));
        l->items = items;
        l->n += from->n;
    }
    free(from->items);
    *from = (struct post_list){0};
}

/* Keeps of l the n posts from off on. */
static void page_of(struct post_list *l, size_t off, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (i >= off && k < n)
            l->items[k++] = l->items[i];
        else
            post_clear(&l->items[i]);
    }
    l->n = k;
}

enum source { SRC_ALL, SRC_TERM, SRC_AUTHOR, SRC_BETWEEN, SRC_PAGES };

struct list_src {
    enum source kind;
    int64_t key, from, to;
};

static int src_count(struct api_ctx *a, const struct list_src *s, int64_t *out)
{
    struct db *db = a->c->t->db;
    int64_t now = a->c->now;
    switch (s->kind) {
    case SRC_ALL:
        return db_post_count_public(db, now, 0, out);
    case SRC_TERM:
        return db_post_count_public(db, now, s->key, out);
    case SRC_AUTHOR:
        return db_post_count_by_author(db, now, s->key, out);
    case SRC_BETWEEN:
        return db_post_count_between(db, now, s->from, s->to, out);
    case SRC_PAGES:
        return db_page_count_public(db, now, out);
    }
    return -EINVAL;
}

static int src_list(struct api_ctx *a, const struct list_src *s, size_t off, size_t lim, struct post_list *out)
{
    struct db *db = a->c->t->db;
    int64_t now = a->c->now;
    switch (s->kind) {
    case SRC_ALL:
        return db_post_list_public(db, now, 0, 0, off, lim, out);
    case SRC_TERM:
        return db_post_list_public(db, now, s->key, 0, off, lim, out);
    case SRC_AUTHOR:
        return db_post_list_by_author(db, now, s->key, off, lim, out);
    case SRC_BETWEEN:
        return db_post_list_between(db, now, s->from, s->to, off, lim, out);
    case SRC_PAGES:
        return db_page_list_public(db, now, off, lim, out);
    }
    return -EINVAL;
}

/* Which one list answers the filters; 0, or -EINVAL after answering 400. */
static int choose_source(struct api_ctx *a, enum post_type type, struct list_src *s)
{
    const struct api_value *cat = api_val(a, "categories"), *tag = api_val(a, "tags"), *au = api_val(a, "author");
    const struct api_value *after = api_val(a, "after"), *before = api_val(a, "before");
    int n = (cat->n > 0) + (tag->n > 0) + (au->n > 0) + (after->present || before->present);
    *s = (struct list_src){type == POST_TYPE_PAGE ? SRC_PAGES : SRC_ALL, 0, 0, 0};
    if (n > 1) {
        bad_param(a, cat->n ? "categories" : "tags",
                  "Gazette filters by one of categories, tags, author and after/before at a time.");
        return -EINVAL;
    }
    const struct api_value *one = cat->n ? cat : tag->n ? tag : au->n ? au : NULL;
    if (one != NULL && one->n > 1) {
        bad_param(a,
                  one == cat   ? "categories"
                  : one == tag ? "tags"
                               : "author",
                  "Gazette filters by one term or author at a time.");
        return -EINVAL;
    }
    if (cat->n || tag->n)
        *s = (struct list_src){SRC_TERM, one->ids[0], 0, 0};
    else if (au->n)
        *s = (struct list_src){SRC_AUTHOR, au->ids[0], 0, 0};
    else if (after->present || before->present)
        *s = (struct list_src){SRC_BETWEEN, 0, after->present ? after->i + 1 : INT64_MIN,
                               before->present ? before->i : INT64_MAX};
    return 0;
}

/* 1 when the post carries one of the terms of v (of taxonomy tax); -1 on a database error. */
static int has_term(struct api_ctx *a, int64_t id, enum term_taxonomy tax, const struct api_value *v)
{
    struct term_list l = {0};
    int found = 0;
    if (db_post_terms(a->c->t->db, id, tax, &l) < 0)
        return -1;
    for (size_t i = 0; i < l.n && !found; i++)
        found = has_id(v, l.items[i].id);
    term_list_free(&l);
    return found;
}

/* 1 when p passes the filters the merged lists did not apply (pri: the kind they came from). */
static int passes(struct api_ctx *a, const struct post *p, const char *pri)
{
    const struct api_value *cat = api_val(a, "categories"), *tag = api_val(a, "tags"), *au = api_val(a, "author");
    const struct api_value *after = api_val(a, "after"), *before = api_val(a, "before");
    const struct api_value *cx = api_val(a, "categories_exclude"), *tx = api_val(a, "tags_exclude");
    int r;
    if (has_id(api_val(a, "exclude"), p->id) || has_id(api_val(a, "author_exclude"), p->author_id))
        return 0;
    if (au->n > 0 && strcmp(pri, "author") != 0 && !has_id(au, p->author_id))
        return 0;
    if ((after->present && p->published_at <= after->i) || (before->present && p->published_at >= before->i))
        return 0;
    if (cat->n > 0 && strcmp(pri, "categories") != 0 && (r = has_term(a, p->id, TERM_CATEGORY, cat)) != 1)
        return r;
    if (tag->n > 0 && strcmp(pri, "tags") != 0 && (r = has_term(a, p->id, TERM_TAG, tag)) != 1)
        return r;
    if (cx->n > 0 && (r = has_term(a, p->id, TERM_CATEGORY, cx)) != 0)
        return r < 0 ? r : 0;
    if (tx->n > 0 && (r = has_term(a, p->id, TERM_TAG, tx)) != 0)
        return r < 0 ? r : 0;
    return 1;
}

/* 1 when the filters need more than one list, or exclusions (which change the totals). */
static int needs_merge(struct api_ctx *a)
{
    static const char *const lists[] = {"categories", "tags", "author"};
    static const char *const excl[] = {"exclude", "author_exclude", "categories_exclude", "tags_exclude"};
    int kinds = api_val(a, "after")->present || api_val(a, "before")->present;
    for (size_t i = 0; i < 3; i++) {
        size_t n = api_val(a, lists[i])->n;
        if (n > 1)
            return 1;
        kinds += n > 0;
    }
    for (size_t i = 0; i < 4; i++)
        if (api_val(a, excl[i])->n > 0)
            return 1;
    return kinds > 1;
}

/* The posts that several values or kinds of filters ask for: the lists of one kind (its values,
 * each list to API_MERGE_DEPTH) merged newest first, the other filters applied to each post.
 * Exact while every list holds at most API_MERGE_DEPTH posts; past that, what the lists' newest
 * API_MERGE_DEPTH posts give. 0 and the page of it in *out with *total, or a negative errno. */
static int merged_list(struct api_ctx *a, int64_t offset, int64_t per_page, int asc, struct post_list *out,
                       int64_t *total)
{
    const struct api_value *cat = api_val(a, "categories"), *tag = api_val(a, "tags"), *au = api_val(a, "author");
    const struct api_value *after = api_val(a, "after"), *before = api_val(a, "before");
    const struct api_value *pri = cat->n ? cat : tag->n ? tag : au->n ? au : NULL;
    const char *pri_name = pri == cat ? "categories" : pri == tag ? "tags" : pri == au ? "author" : "";
    struct post_list l = {0};
    int rc = 0;
    for (size_t i = 0; i < (pri ? pri->n : 1) && rc == 0; i++) {
        struct list_src s = {SRC_ALL, 0, 0, 0};
        if (pri == au)
            s = (struct list_src){SRC_AUTHOR, au->ids[i], 0, 0};
        else if (pri != NULL)
            s = (struct list_src){SRC_TERM, pri->ids[i], 0, 0};
        else if (after->present || before->present)
            s = (struct list_src){SRC_BETWEEN, 0, after->present ? after->i + 1 : INT64_MIN,
                                  before->present ? before->i : INT64_MAX};
        int64_t n = 0;
        struct post_list one = {0};
        if ((rc = src_count(a, &s, &n)) == 0 && n > 0 &&
            (rc = src_list(a, &s, 0, (size_t)(n < API_MERGE_DEPTH ? n : API_MERGE_DEPTH), &one)) == 0)
            append_list(&l, &one);
    }
    if (rc < 0) {
        post_list_free(&l);
        return rc;
    }
    qsort(l.items, l.n, sizeof(*l.items), newest_first);
    size_t k = 0;
    for (size_t i = 0; i < l.n; i++) {
        int ok = (k == 0 || l.items[k - 1].id != l.items[i].id) ? passes(a, &l.items[i], pri_name) : 0;
        if (ok < 0)
            rc = ok;
        if (ok == 1 && rc == 0)
            l.items[k++] = l.items[i];
        else
            post_clear(&l.items[i]);
    }
    l.n = k;
    if (rc < 0) {
        post_list_free(&l);
        return rc;
    }
    if (asc)
        reverse(&l);
    *total = (int64_t)l.n;
    page_of(&l, (size_t)(offset < *total ? offset : *total), (size_t)per_page);
    *out = l;
    return 0;
}

/* The newsroom's list (any status the user may see, their own posts only unless they may edit
 * others'): one status at a time, or "any". */
static void writer_collection(struct api_ctx *a, enum post_type type)
{
    const struct api_value *st = api_val(a, "status"), *search = api_val(a, "search");
    int64_t page = api_int(a, "page", 1), per_page = api_int(a, "per_page", 10), total = 0, counts[6];
    int any = 0, seen[6] = {0};
    for (size_t i = 0; i < st->n; i++) {
        enum post_status s;
        if (strcmp(st->strs[i], "any") == 0)
            any = 1;
        else if (api_status_parse(st->strs[i], &s) == 0)
            seen[s] = 1;
    }
    if (page > INT64_MAX / API_PER_PAGE_MAX || (page - 1) * per_page > API_MERGE_DEPTH) {
        bad_param(a, "page", "page is too large.");
        return;
    }
    /* each status's list to the end of the page, merged newest first (the statuses are disjoint,
     * so their totals add up) */
    struct post_list l = {0};
    size_t want = (size_t)(page * per_page);
    for (int s = any ? -1 : 0; s < (any ? 0 : 6); s++) {
        if (s >= 0 && !seen[s])
            continue;
        struct post_filter f = {
            .type = type, .status = s, .search = search->present ? search->s : NULL, .offset = 0, .limit = want};
        struct post_list one = {0};
        int64_t n = 0;
        if (editor_posts(a->c->t->db, &a->user, &f, &one, &n, counts) < 0) {
            post_list_free(&l);
            api_db_fail(a);
            return;
        }
        total += n;
        append_list(&l, &one);
    }
    qsort(l.items, l.n, sizeof(*l.items), newest_first);
    page_of(&l, (size_t)((page - 1) * per_page), (size_t)per_page);
    json_t *arr = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(arr, api_post_json(a, &l.items[i]));
    post_list_free(&l);
    api_paging(a, total, page, per_page);
    api_send(a, 200, arr);
}

static void post_collection(struct api_ctx *a, enum post_type type)
{
    struct db *db = a->c->t->db;
    int64_t page = api_int(a, "page", 1), per_page = api_int(a, "per_page", 10), total = 0;
    const struct api_value *st = api_val(a, "status"), *search = api_val(a, "search"), *ex = api_val(a, "exclude");
    const struct api_value *order = api_val(a, "order"), *orderby = api_val(a, "orderby");
    int asc = order->present && strcmp(order->s, "asc") == 0;
    struct post_list l = {0};
    int rc = 0;

    for (size_t i = 0; i < st->n; i++)
        if (strcmp(st->strs[i], "publish") != 0) {
            if (a->user.id == 0) {
                bad_param(a, "status", "Status is forbidden.");
                return;
            }
            writer_collection(a, type);
            return;
        }
    if (page > INT64_MAX / API_PER_PAGE_MAX) {
        bad_param(a, "page", "page is too large.");
        return;
    }
    int64_t offset = api_val(a, "offset")->present ? api_int(a, "offset", 0) : (page - 1) * per_page;
    if (api_val(a, "include")->present || api_val(a, "slug")->present) {
        rc = by_ids(a, type, &l);
        if (rc == 0 && !(orderby->present && strcmp(orderby->s, "include") == 0)) {
            qsort(l.items, l.n, sizeof(*l.items), newest_first);
            if (asc)
                reverse(&l);
        }
        total = (int64_t)l.n;
        /* the page of it */
        size_t from = (size_t)(offset < total ? offset : total), k = 0;
        for (size_t i = 0; i < l.n; i++) {
            if (i >= from && k < (size_t)per_page)
                l.items[k++] = l.items[i];
            else
                post_clear(&l.items[i]);
        }
        l.n = k;
    } else if (search->present && search->s[0] != '\0') {
        struct post_list found = {0};
        rc = search_posts(db, search->s, strlen(search->s), a->c->now, (size_t)page, (size_t)per_page, &found, &total);
        if (rc == 0) {
            /* the site's search finds posts and pages alike: keep the asked type */
            l.items = found.items;
            size_t k = 0;
            for (size_t i = 0; i < found.n; i++) {
                if (found.items[i].type == type)
                    l.items[k++] = found.items[i];
                else
                    post_clear(&found.items[i]);
            }
            l.n = k;
            if (asc)
                reverse(&l);
        }
        app_depends(a->c, TAG_LISTS, 0);
    } else if (type == POST_TYPE_POST && needs_merge(a)) {
        if (offset + per_page > API_MERGE_DEPTH) {
            bad_param(a, "page", "Filters with several values reach the first 1000 posts.");
            return;
        }
        rc = merged_list(a, offset, per_page, asc, &l, &total);
        app_depends(a->c, TAG_LISTS, 0);
    } else {
        struct list_src src;
        if (choose_source(a, type, &src) < 0)
            return;
        rc = src_count(a, &src, &total);
        if (rc == 0 && offset < total) {
            int64_t off = offset, lim = per_page;
            if (asc) { /* the same list read from its other end */
                off = total - offset - per_page;
                if (off < 0)
                    lim += off, off = 0;
            }
            rc = src_list(a, &src, (size_t)off, (size_t)lim, &l);
            if (rc == 0 && asc)
                reverse(&l);
        }
        app_depends(a->c, TAG_LISTS, 0);
    }
    if (rc < 0) {
        post_list_free(&l);
        api_db_fail(a);
        return;
    }
    if (api_past_end(a, total, page, per_page, "rest_post_invalid_page_number")) {
        post_list_free(&l);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.n; i++) {
        if (has_id(ex, l.items[i].id)) { /* include, slug or search with exclude */
            total--;
            continue;
        }
        json_array_append_new(arr, api_post_json(a, &l.items[i]));
    }
    post_list_free(&l);
    api_paging(a, total, page, per_page);
    api_send(a, 200, arr);
}

void api_posts_get(struct api_ctx *a, int64_t id, const char *name)
{
    (void)name;
    if (id > 0)
        post_item(a, id, POST_TYPE_POST);
    else
        post_collection(a, POST_TYPE_POST);
}

void api_pages_get(struct api_ctx *a, int64_t id, const char *name)
{
    (void)name;
    if (id > 0)
        post_item(a, id, POST_TYPE_PAGE);
    else
        post_collection(a, POST_TYPE_PAGE);
}

/* /wp/v2/search: the site's search, posts and pages, best match first. */
void api_search_get(struct api_ctx *a, int64_t id, const char *name)
{
    (void)id;
    (void)name;
    int64_t page = api_int(a, "page", 1), per_page = api_int(a, "per_page", 10), total = 0;
    const struct api_value *s = api_val(a, "search"), *sub = api_val(a, "subtype");
    int want_post = sub->n == 0, want_page = sub->n == 0;
    for (size_t i = 0; i < sub->n; i++) {
        want_post |= strcmp(sub->strs[i], "post") == 0 || strcmp(sub->strs[i], "any") == 0;
        want_page |= strcmp(sub->strs[i], "page") == 0 || strcmp(sub->strs[i], "any") == 0;
    }
    struct post_list l = {0};
    if (page > INT64_MAX / API_PER_PAGE_MAX) {
        bad_param(a, "page", "page is too large.");
        return;
    }
    if (s->present && s->s[0] != '\0' &&
        search_posts(a->c->t->db, s->s, strlen(s->s), a->c->now, (size_t)page, (size_t)per_page, &l, &total) < 0) {
        api_db_fail(a);
        return;
    }
    if (!s->present || s->s[0] == '\0') { /* no words: the newest posts, as WordPress lists everything */
        if (db_post_count_public(a->c->t->db, a->c->now, 0, &total) < 0 ||
            (((page - 1) * per_page < total) &&
             db_post_list_public(a->c->t->db, a->c->now, 0, 0, (size_t)((page - 1) * per_page), (size_t)per_page, &l) <
                 0)) {
            api_db_fail(a);
            return;
        }
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < l.n; i++) {
        const struct post *p = &l.items[i];
        int is_post = p->type == POST_TYPE_POST;
        if ((is_post && !want_post) || (!is_post && !want_page))
            continue;
        char path[POST_PATH_MAX];
        if (post_path(p, path, sizeof(path)) < 0)
            path[0] = '\0';
        json_t *links =
            json_pack("{s:o, s:o}", "self",
                      api_link(a, 1, "/wp-json/wp/v2/%s/%lld", is_post ? "posts" : "pages", (long long)p->id), "about",
                      api_link(a, 0, "/wp-json/wp/v2/types/%s", is_post ? "post" : "page"));
        json_array_append_new(arr, json_pack("{s:I, s:o, s:o, s:s, s:s, s:o}", "id", (json_int_t)p->id, "title",
                                             jcstr(p->title), "url", api_url(a, "%s", path), "type", "post", "subtype",
                                             is_post ? "post" : "page", "_links", links));
        app_depends(a->c, TAG_POST, p->id);
    }
    post_list_free(&l);
    app_depends(a->c, TAG_LISTS, 0);
    api_paging(a, total, page, per_page);
    api_send(a, 200, arr);
}
