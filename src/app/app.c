/* The reader's site's front door: loads the theme, gives each server thread its database
 * connection and page cache, and routes every request to its page handler. Public pages that do
 * not depend on the visitor are kept whole in the thread's cache until the database changes. */
#include "app/app_int.h"
#include "app/admin.h"
#include "app/wplinks.h"
#include "api/api.h"

#include <errno.h>
#ifdef GAZETTE_JEMALLOC
#include <jemalloc/jemalloc.h>
#else
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app/writer.h"
#include "db/changes.h"
#include "http/cookie.h"
#include "http/encoding.h"
#include "http/guard.h"
#include "http/response.h"
#include "lib/timeutil.h"
#include "lib/tz.h"
#include "news/media.h"
#include "news/post.h"
#include "news/settings.h"
#include "render/template.h"

const char *const app_upload_paths[] = {APP_UPLOAD_PATH, "/wp-json/wp/v2/media", NULL};

void app_upload_limit(struct db *db)
{
    struct image_limits lim;
    media_limits(db, &lim);
    size_t max = lim.bytes + APP_UPLOAD_FORM_MAX;
    http_guard_set_upload_limit(max < APP_UPLOAD_BODY_MAX ? max : APP_UPLOAD_BODY_MAX);
}

int app_new(const struct app_options *opt, struct app **out)
{
    struct app *a = calloc(1, sizeof(*a));
    struct tpl_error err = {0};
    if (a != NULL)
        pthread_mutex_init(&a->stats_lock, NULL);
    struct db *db = NULL;
    int rc;
    if (a == NULL)
        return -ENOMEM;
    a->data_dir = strdup(opt->data_dir);
    a->database = strdup(opt->database);
    a->tpl = tpl_set_new();
    if (a->data_dir == NULL || a->database == NULL || a->tpl == NULL) {
        rc = -ENOMEM;
        goto fail;
    }
    char msg[512];
    if ((rc = tpl_set_load_dir(a->tpl, opt->theme_dir, &err)) < 0 || (rc = tpl_set_check(a->tpl, &err)) < 0) {
        fprintf(stderr, "gazette: theme %s: %s\n", opt->theme_dir, tpl_error_str(&err, msg, sizeof(msg)));
        goto fail;
    }
    static const char *const needed[] = {"home", "category", "article", "page", "404"};
    for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
        if (!tpl_set_has(a->tpl, needed[i])) {
            fprintf(stderr, "gazette: theme %s has no %s.mustache\n", opt->theme_dir, needed[i]);
            rc = -ENOENT;
            goto fail;
        }
    }
    if ((rc = assets_load(a, opt->theme_dir)) < 0)
        goto fail;
    /* Open once here, so that the database is created and migrated before any thread runs. */
    if ((rc = db_open(a->database, &db)) < 0)
        goto fail;
    app_upload_limit(db);
    db_close(db);
    if ((rc = admin_start(a, opt->theme_dir, opt->default_theme_dir)) < 0 ||
        (rc = writer_start(a->database, &a->writer)) < 0)
        goto fail;
    size_t budget = opt->cache_bytes ? opt->cache_bytes : APP_CACHE_BYTES;
    a->cache_bytes = budget / (opt->threads ? opt->threads : 1);
    *out = a;
    return 0;
fail:
    app_free(a);
    return rc;
}

void app_free(struct app *a)
{
    if (a == NULL)
        return;
    writer_stop(a->writer);
    assets_free(a);
    tpl_set_free(a->tpl);
    free(a->data_dir);
    free(a->database);
    pthread_mutex_destroy(&a->stats_lock);
    free(a);
}

static void *thread_start(void *app, unsigned index)
{
    struct app_thread *t = calloc(1, sizeof(*t));
    if (t == NULL)
        return NULL;
    t->app = app;
    t->index = index;
    t->cache = page_cache_new(t->app->cache_bytes);
    if (t->cache == NULL || db_open(t->app->database, &t->db) < 0) {
        fprintf(stderr, "gazette: thread %u cannot open the database\n", index);
        page_cache_free(t->cache);
        free(t);
        return NULL;
    }
    if (index < HTTP_MAX_THREADS)
        __atomic_store_n(&t->app->threads[index], t, __ATOMIC_RELEASE);
    return t;
}

static void thread_stop(void *app, void *state)
{
    struct app *a = app;
    struct app_thread *t = state;
    app_home_free(t->home); /* answers the jobs still out: the writer is still running */
    if (t->index < HTTP_MAX_THREADS) {
        /* the statistics line reads the cache under the same lock (app_stats) */
        pthread_mutex_lock(&a->stats_lock);
        a->threads[t->index] = NULL;
        pthread_mutex_unlock(&a->stats_lock);
    }
    page_cache_free(t->cache);
    site_clear(&t->site);
    db_close(t->db);
    free(t);
}

/* The answer when a request's database work ran past request_budget_ms: the thread moves on. */
void app_busy(h2o_req_t *req)
{
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, H2O_STRLIT("5"));
    http_send_status(req, 503, "This page took too long to prepare. Please try again in a moment.");
}

/* A 503: the budget's answer when it ran out, else why (NULL: the database is not available). */
static void unavailable(struct app_thread *t, h2o_req_t *req, const char *why)
{
    if (db_budget_spent(t->db))
        app_busy(req);
    else
        http_send_status(req, 503, why ? why : "The database is not available.");
}

const char *app_query(const struct page_ctx *c, const char *name, size_t *len)
{
    return c->has_query ? form_get(&c->query, name, len) : NULL;
}

void app_depends(struct page_ctx *c, enum app_tag kind, int64_t id)
{
    if (c->deps_overflow)
        return;
    if (c->n_deps == APP_MAX_DEPS) { /* too much to list: any change drops the page */
        c->deps_overflow = 1;
        c->deps[0] = APP_TAG(TAG_ANY, 0);
        c->n_deps = 1;
        return;
    }
    c->deps[c->n_deps++] = APP_TAG(kind, id);
}

void app_expires(struct page_ctx *c, int64_t t)
{
    if (t < c->expires)
        c->expires = t;
}

/* 1 when the page being answered is where menu entry e leads (a category: any page of it). */
static int nav_current(const struct page_ctx *c, const struct menu_entry *e)
{
    h2o_iovec_t p = c->req->path_normalized;
    size_t n = strlen(e->path);
    if (e->kind == MENU_HOME)
        return c->route.kind == ROUTE_HOME && c->route.page == 1 && p.len == 1;
    if (e->kind == MENU_CATEGORY)
        return c->route.kind == ROUTE_CATEGORY && p.len >= n && memcmp(p.base, e->path, n) == 0;
    return n > 0 && p.len == n && memcmp(p.base, e->path, n) == 0;
}

/* The header navigation: [{name, path, current, children: [...]}], from the site's menu. */
static json_t *nav_json(const struct page_ctx *c)
{
    const struct menu *m = &c->t->site.menu;
    json_t *nav = json_array(), *top = NULL;
    for (size_t i = 0; i < m->n; i++) {
        const struct menu_entry *e = &m->items[i];
        if (!e->shown) {
            if (e->parent_id == 0)
                top = NULL; /* its sub-items go with it */
            continue;
        }
        json_t *j =
            json_pack("{s:o, s:o, s:b}", "name", jcstr(e->label), "path", jcstr(e->path), "current", nav_current(c, e));
        if (e->parent_id != 0 && top != NULL) {
            json_t *kids = json_object_get(top, "children");
            if (kids == NULL) {
                json_object_set_new(top, "children", kids = json_array());
                json_object_set_new(top, "has_children", json_true());
            }
            json_array_append_new(kids, j);
        } else if (e->parent_id != 0) {
            json_decref(j); /* under an entry readers do not see */
        } else {
            json_array_append_new(nav, j);
            top = j;
        }
    }
    return nav;
}

void app_render(struct page_ctx *c, int status, const char *tpl, json_t *data, const char *title)
{
    struct site *s = &c->t->site;
    struct tpl_error err = {0};
    struct buf t = BUF_INIT;
    int year;
    tz_date(s->timezone, c->now, &year, &(int){0}, &(int){0});
    int64_t new_year = tz_from_date(s->timezone, year + 1, 1, 1);
    if (new_year > 0)
        app_expires(c, new_year); /* the footer's year */
    if (title != NULL) {
        buf_printf(&t, "%s \xe2\x80\x93 %s", title, s->title);
    } else {
        buf_puts(&t, s->title);
        if (s->tagline[0] != '\0')
            buf_printf(&t, " \xe2\x80\x93 %s", s->tagline);
    }
    json_object_set_new(data, "nav", nav_json(c));
    json_object_set_new(
        data, "site",
        json_pack("{s:o, s:o}", "title", jcstr(s->title), "tagline", s->tagline[0] ? jcstr(s->tagline) : json_false()));
    json_object_set_new(data, "static", assets_json(c->t->app));
    json_object_set_new(data, "year", json_integer(year));
    json_object_set_new(data, "feeds", feed_alternates(c, status, data));
    json_object_set_new(data, "archives", archive_months_json(c));
    json_object_set_new(data, "has_archives", json_boolean(s->n_months > 0));
    if (json_object_get(data, "search_query") == NULL)
        json_object_set_new(data, "search_query", json_string(""));
    json_object_set_new(data, "title", jstr(t.data ? t.data : "", t.len));
    buf_free(&t);
    head_add(c, status, data, title);
    if (c->banner != NULL)
        json_object_set(data, "preview", c->banner);

    buf_reset(&c->body);
    int rc = tpl_render(c->t->app->tpl, tpl, data, &c->body, &err);
    json_decref(data);
    if (rc < 0) {
        char msg[512];
        fprintf(stderr, "gazette: rendering %s: %s\n", tpl, tpl_error_str(&err, msg, sizeof(msg)));
        app_fail(c, 500, "The page could not be rendered.");
        return;
    }
    c->status = status;
}

void app_not_found(struct page_ctx *c)
{
    if (term_moved_redirect(c) || wplinks_redirect_path(c))
        return;
    json_decref(c->head.crumbs);
    memset(&c->head, 0, sizeof(c->head));
    app_render(c, 404, "404", json_object(), "Page not found");
}

void app_fail(struct page_ctx *c, int status, const char *why)
{
    if (status == 503)
        unavailable(c->t, c->req, why);
    else
        http_send_status(c->req, status, why);
    c->sent = 1;
}

/* Pages in the cache are the same for every visitor: plain GET or HEAD of a page address, no
 * query string, no remembered commenter. */
static int cacheable(const struct page_ctx *c)
{
    return !c->has_query && !c->has_cookie && !admin_has_session(c) && c->route.kind != ROUTE_ASSET &&
           c->route.kind != ROUTE_COMMENT;
}

static void dispatch(struct page_ctx *c);

/* The site's permalink structure over what route_match() found in path[0..n): an address that
 * matches the structure (or the structure plus feed/, feed/atom/ ...) is an article, unless
 * route_match() gave it a fixed meaning (home, lists, archives, feeds of lists, assets). A
 * static page of the same address wins over a post (checked in dispatch, as WordPress does). */
static void route_permalink(struct page_ctx *c, const char *path, size_t n)
{
    static const struct {
        const char *suffix;
        enum route_feed feed;
    } feeds[] = {{"", ROUTE_FEED_NONE},          {"feed/", ROUTE_FEED_RSS},     {"feed/atom/", ROUTE_FEED_ATOM},
                 {"feed/rss2/", ROUTE_FEED_OLD}, {"feed/rss/", ROUTE_FEED_OLD}, {"feed/rdf/", ROUTE_FEED_OLD}};
    const struct permalink *pl = &c->t->site.permalink;
    struct route *r = &c->route;
    c->has_pl = 0;
    if (permalink_is_default(pl))
        return;
    if (r->kind != ROUTE_NONE && r->kind != ROUTE_PAGE && r->kind != ROUTE_ARTICLE)
        return;
    size_t rest; /* ARTICLE/comment-page-N/ */
    unsigned cpage = route_comment_page(path, n, &rest);
    if (cpage > 0 && permalink_match(pl, path, rest, &c->pl) == 0) {
        r->kind = ROUTE_ARTICLE, r->feed = ROUTE_FEED_NONE, r->page = 1, r->cpage = cpage;
        c->has_pl = 1;
        return;
    }
    for (size_t i = 0; i < sizeof(feeds) / sizeof(feeds[0]); i++) {
        size_t k = strlen(feeds[i].suffix);
        if (n < k + 2 || memcmp(path + n - k, feeds[i].suffix, k) != 0)
            continue;
        if (permalink_match(pl, path, n - k, &c->pl) == 0) {
            if (feeds[i].feed == ROUTE_FEED_NONE && r->kind == ROUTE_PAGE)
                r->feed = ROUTE_FEED_NONE; /* dispatch tries the page first */
            else
                r->kind = ROUTE_ARTICLE, r->feed = feeds[i].feed, r->page = 1;
            c->has_pl = 1;
            return;
        }
    }
}

/* A static page lives at the route's slug. */
static int page_exists(struct page_ctx *c)
{
    struct post p = {0};
    int rc = page_by_slug(c->t->db, c->route.slug, c->route.slug_len, c->now, &p);
    post_clear(&p);
    return rc != -ENOENT;
}

/* A page address without its final slash: 301 to the address with it when a page lives there
 * (WordPress does the same), else the 404 page. */
static void missing_slash(struct page_ctx *c)
{
    h2o_iovec_t p = c->req->path_normalized;
    char tmp[CACHE_MAX_KEY + 2];
    struct route r;
    if (p.len == 0 || p.len > CACHE_MAX_KEY || p.base[p.len - 1] == '/')
        goto not_found;
    memcpy(tmp, p.base, p.len);
    tmp[p.len] = '/';
    route_match(tmp, p.len + 1, &r);
    c->route = r;
    route_permalink(c, tmp, p.len + 1);
    r = c->route;
    if (r.kind == ROUTE_NONE || r.kind == ROUTE_ASSET || r.kind == ROUTE_COMMENT || r.kind == ROUTE_FILE)
        goto not_found;
    c->route = r;
    dispatch(c);
    if (c->sent || c->status != 200)
        return;
    struct buf loc = BUF_INIT;
    buf_append(&loc, tmp, p.len + 1);
    if (c->req->query_at != SIZE_MAX)
        buf_append(&loc, c->req->path.base + c->req->query_at, c->req->path.len - c->req->query_at);
    if (loc.err == 0) {
        http_redirect(c->req, 301, loc.data, loc.len);
        c->sent = 1;
    }
    buf_free(&loc);
    return;
not_found:
    app_not_found(c);
}

static void dispatch(struct page_ctx *c)
{
    if (c->route.feed != ROUTE_FEED_NONE) {
        feed_serve(c);
        return;
    }
    switch (c->route.kind) {
    case ROUTE_HOME:
        if (!search_page(c) && !feed_legacy_redirect(c) && !home_legacy_redirect(c))
            home_page(c);
        break;
    case ROUTE_ARTICLE:
        article_page(c);
        break;
    case ROUTE_PAGE:
        if (c->has_pl && !page_exists(c))
            article_page(c);
        else
            static_page(c);
        break;
    case ROUTE_CATEGORY:
        term_page(c, TERM_CATEGORY);
        break;
    case ROUTE_TAG:
        term_page(c, TERM_TAG);
        break;
    case ROUTE_AUTHOR:
        author_page(c);
        break;
    case ROUTE_DATE:
        date_archive_page(c);
        break;
    case ROUTE_SEARCH:
        search_redirect(c);
        break;
    case ROUTE_ASSET:
        asset_serve(c);
        break;
    case ROUTE_COMMENT:
        comment_post(c);
        break;
    case ROUTE_FILE:
        sitemap_serve(c, missing_slash);
        break;
    case ROUTE_COMMENTS: /* only its feed lives there */
    case ROUTE_NONE:
        missing_slash(c);
        break;
    }
}

/* Pages the same for every visitor carry the site's Cache-Control setting, and every page the
 * address of the API (WordPress's discovery Link). */
static void shared_headers(struct page_ctx *c)
{
    const char *cc = c->t->site.cache_control;
    if (cc != NULL && cc[0] != '\0')
        h2o_add_header(&c->req->pool, &c->req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, cc, strlen(cc));
    if (c->t->site.api_link_len > 0)
        http_header(c->req, "link", c->t->site.api_link, c->t->site.api_link_len);
}

/* A hash of what every page shows of the site besides settings (which log a change of their
 * own): the categories and the menu in the navigation and the months of the "Archives" list. */
static uint64_t site_print(const struct site *s)
{
    uint64_t h = 14695981039346656037ull;
#define MIX(p, n)                                                                                                      \
    for (size_t k_ = 0; k_ < (n); k_++)                                                                                \
    h = (h ^ ((const unsigned char *)(p))[k_]) * 1099511628211ull
    for (size_t i = 0; i < s->categories.n; i++) {
        const struct term *tm = &s->categories.items[i];
        if (tm->count == 0)
            continue;
        MIX(tm->name, strlen(tm->name) + 1);
        MIX(tm->slug, strlen(tm->slug) + 1);
    }
    for (size_t i = 0; i < s->menu.n; i++) {
        const struct menu_entry *e = &s->menu.items[i];
        MIX(&e->shown, sizeof(int));
        MIX(e->label, strlen(e->label) + 1);
        MIX(e->path, strlen(e->path) + 1);
    }
    for (size_t i = 0; i < s->n_months; i++) {
        MIX(&s->months[i].year, sizeof(int));
        MIX(&s->months[i].month, sizeof(int));
    }
#undef MIX
    return h;
}

/* A post changed (or came due): its pages, the lists and feeds, and the article pages of the
 * posts that are now its neighbours (those that were show it, and carry its tag). */
static void post_changed(struct app_thread *t, int64_t id, int64_t now, size_t *lookups)
{
    page_cache_invalidate(t->cache, APP_TAG(TAG_POST, id));
    page_cache_invalidate(t->cache, APP_TAG(TAG_LISTS, 0));
    page_cache_invalidate(t->cache, APP_TAG(TAG_COMMENT_FEED, 0));
    if (++*lookups > APP_NEIGHBOUR_LOOKUPS) {
        if (*lookups == APP_NEIGHBOUR_LOOKUPS + 1)
            page_cache_clear(t->cache); /* a bulk change: start afresh */
        return;
    }
    struct post p = {0}, prev = {0}, next = {0};
    if (post_public_by_id(t->db, id, now, &p) == 0 && post_neighbours(t->db, &p, now, &prev, &next) == 0) {
        if (prev.id != 0)
            page_cache_invalidate(t->cache, APP_TAG(TAG_ARTICLE, prev.id));
        if (next.id != 0)
            page_cache_invalidate(t->cache, APP_TAG(TAG_ARTICLE, next.id));
    }
    post_clear(&p);
    post_clear(&prev);
    post_clear(&next);
}

/* Applies the change log past t->seen to the cache. Returns 1 when the site's settings and
 * navigation must be read again, 0 when not, negative when the log could not be read (then the
 * cache is empty). */
static int apply_changes(struct app_thread *t, int64_t now)
{
    struct db_change ch[APP_CHANGES_BATCH];
    size_t n, lookups = 0;
    int reload = 0;
    do {
        int rc = db_changes_since(t->db, t->seen, ch, APP_CHANGES_BATCH, &n);
        if (rc < 0) {
            page_cache_clear(t->cache);
            return rc;
        }
        if (n > 0 && ch[0].seq != t->seen + 1) {
            /* rows pruned before this thread read them: nothing can be trusted */
            page_cache_clear(t->cache);
            reload = 1;
        }
        if (n > 0)
            page_cache_invalidate(t->cache, APP_TAG(TAG_ANY, 0));
        for (size_t i = 0; i < n; i++) {
            switch (ch[i].kind) {
            case DB_CHANGE_SITE:
                page_cache_clear(t->cache);
                reload = 1;
                break;
            case DB_CHANGE_POST:
                post_changed(t, ch[i].id, now, &lookups);
                reload = 1;
                break;
            case DB_CHANGE_COMMENTS:
                page_cache_invalidate(t->cache, APP_TAG(TAG_COMMENTS, ch[i].id));
                page_cache_invalidate(t->cache, APP_TAG(TAG_COMMENT_FEED, 0));
                break;
            }
            t->seen = ch[i].seq;
        }
    } while (n == APP_CHANGES_BATCH);
    return reload;
}

/* Posts dated in the future come due without a write: drop what they change, as if they had
 * just been written, and have the writer publish the scheduled ones. */
static int apply_due(struct app_thread *t, int64_t now)
{
    int64_t ids[APP_CHANGES_BATCH];
    size_t n = 0, lookups = 0;
    writer_publish_due(t->app->writer);
    if (db_post_due_ids(t->db, t->due_from, now, ids, APP_CHANGES_BATCH, &n) < 0 || n == APP_CHANGES_BATCH)
        page_cache_clear(t->cache);
    else
        for (size_t i = 0; i < n; i++)
            post_changed(t, ids[i], now, &lookups);
    t->due_from = now;
    return 1;
}

/* Brings the thread's cache and site data up to date with the database. 0, or negative when the
 * database cannot be read. */
static int refresh(struct app_thread *t, int64_t now)
{
    int changed = db_changed(t->db, &t->generation), reload = 0;
    if (changed < 0)
        return changed;
    if (t->site.title == NULL) { /* the first request: start from what is there now */
        if (db_changes_last(t->db, &t->seen) < 0)
            return -EIO;
        t->due_from = now;
        page_cache_clear(t->cache);
        reload = 1;
    } else {
        if (changed > 0 && (reload = apply_changes(t, now)) < 0)
            reload = 1;
        if (now >= t->next_due)
            reload |= apply_due(t, now);
    }
    if (reload) {
        int64_t due;
        if (site_load(t) < 0)
            return -EIO;
        uint64_t print = site_print(&t->site);
        if (print != t->site_print) /* the navigation or the months changed: every page shows them */
            page_cache_clear(t->cache);
        t->site_print = print;
        t->next_due = post_next_due(t->db, now, &due) == 0 ? due : INT64_MAX;
    }
    return 0;
}

/* Sends what dispatch() rendered. A page that holds what this visitor typed, their remembered
 * email or their newsroom login stays theirs (private, no-store), and goes uncompressed: a secret
 * next to text from the request must not be compressed (BREACH). Other pages carry the site's
 * Cache-Control; a cacheable 200 is stored with its compressed copies (404s are cheap, and
 * scanners would churn the cache), anything else is compressed for this answer. */
void app_finish(struct page_ctx *c, int cache)
{
    h2o_req_t *req = c->req;
    h2o_iovec_t path = req->path_normalized;
    const char *type = c->content_type ? c->content_type : HTTP_HTML;
    const char *body = c->body.data ? c->body.data : "";
    if (c->sent)
        return;
    if (db_budget_spent(c->t->db)) { /* whatever was made of the page is incomplete */
        app_busy(req);
        return;
    }
    if (c->body.err != 0) {
        http_send_status(req, 500, "The page is too large.");
        return;
    }
    if (!cache && (c->has_cookie || c->has_query || c->route.kind == ROUTE_COMMENT || admin_has_session(c))) {
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("private, no-store"));
        if (c->t->site.api_link_len > 0 && c->content_type == NULL)
            http_header(req, "link", c->t->site.api_link, c->t->site.api_link_len);
        http_send(req, c->status, type, body, c->body.len);
        return;
    }
    shared_headers(c);
    struct cached_page *p = NULL;
    if (cache && c->status == 200 && c->expires > c->now) {
        if (c->n_deps == 0)
            app_depends(c, TAG_ANY, 0); /* a page that did not say what it shows */
        p = page_cache_put(c->t->cache, path.base, path.len, c->status, type, body, c->body.len, (uint64_t)c->expires,
                           c->deps, c->n_deps);
    }
    if (p != NULL)
        page_send(req, p);
    else
        http_send_encoded(req, c->status, type, body, c->body.len);
}

void app_ctx_free(struct page_ctx *c)
{
    json_decref(c->head.crumbs);
    buf_free(&c->body);
    if (c->has_query)
        form_free(&c->query);
    form_free(&c->cookie.f);
}

/* Once per process: a site_url whose host (or scheme) is not the one requests arrive with makes
 * feeds and the export link elsewhere; the owner hears of it on stderr. */
static void check_host(struct app_thread *t, h2o_req_t *req)
{
    const char *url = t->site.url;
    h2o_iovec_t host = req->authority;
    if (url == NULL || host.len == 0 || __atomic_load_n(&t->app->host_warned, __ATOMIC_RELAXED))
        return;
    int tls = http_is_tls(req);
    const char *want = strstr(url, "://");
    if (want == NULL)
        return;
    want += 3;
    size_t n = strcspn(want, "/?#");
    int scheme_ok = strncmp(url, tls ? "https://" : "http://", tls ? 8 : 7) == 0;
    if (scheme_ok && n == host.len && strncasecmp(want, host.base, n) == 0)
        return;
    if (__atomic_exchange_n(&t->app->host_warned, 1, __ATOMIC_RELAXED))
        return;
    fprintf(stderr,
            "gazette: warning: requests arrive at %s://%.*s but site_url is %s%s; feeds and the export link to "
            "site_url (gazette setting set site_url URL)\n",
            tls ? "https" : "http", (int)(host.len > 200 ? 200 : host.len), host.base, url,
            t->site.url_set ? "" : " (the address the server listens on)");
}

static void serve(struct app_thread *t, h2o_req_t *req)
{
    struct page_ctx c = {.t = t, .req = req, .now = time_now(), .body = BUF_INIT, .expires = INT64_MAX};
    h2o_iovec_t path = req->path_normalized;

    if (t->home == NULL)
        t->home = app_home_new(req->conn->ctx);
    if (refresh(t, c.now) < 0) {
        fprintf(stderr, "gazette: database: %s\n", db_errmsg(t->db));
        page_cache_clear(t->cache);
        site_clear(&t->site); /* the next request starts afresh */
        unavailable(t, req, NULL);
        return;
    }

    check_host(t, req);
    if (t->site.hsts[0] != '\0' && http_is_tls(req))
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_STRICT_TRANSPORT_SECURITY, NULL, t->site.hsts,
                       strlen(t->site.hsts));
    if (uploads_path(path.base, path.len)) {
        uploads_serve(t, req);
        goto out;
    }
    if (admin_path(path.base, path.len)) {
        admin_handle(&c);
        goto out;
    }
    if (api_wants(&c)) {
        api_handle(&c);
        goto out;
    }
    route_match(path.base, path.len, &c.route);
    route_permalink(&c, path.base, path.len);
    if (c.route.kind == ROUTE_COMMENT ? !http_is_post(req) : !http_is_get_or_head(req)) {
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, NULL,
                       c.route.kind == ROUTE_COMMENT ? "POST" : "GET, HEAD", c.route.kind == ROUTE_COMMENT ? 4 : 9);
        http_send_status(req, 405, NULL);
        return;
    }
    if (req->query_at != SIZE_MAX) {
        size_t qs = req->query_at + 1;
        c.has_query = form_parse(&c.query, req->path.base + qs, req->path.len - qs) == 0;
        if (!c.has_query) {
            http_send_status(req, 400, "The query string is too long.");
            return;
        }
    }
    commenter_from_request(&c);

    /* A feed is the same for every visitor, whatever cookie they bring. */
    int cache = cacheable(&c) || (c.route.feed != ROUTE_FEED_NONE && !c.has_query);
    if (cache) {
        struct cached_page *p = page_cache_get(t->cache, path.base, path.len, (uint64_t)c.now);
        if (p != NULL) {
            shared_headers(&c);
            page_send(req, p);
            goto out;
        }
    }
    dispatch(&c);
    app_finish(&c, cache);
out:
    app_ctx_free(&c);
}

/* The allocator's view: bytes the program holds, and bytes free but kept resident. */
static void heap_stats(size_t *in_use, size_t *free_kept)
{
#ifdef GAZETTE_JEMALLOC
    uint64_t epoch = 1;
    size_t allocated = 0, resident = 0, n = sizeof(epoch);
    mallctl("epoch", &epoch, &n, &epoch, n); /* its statistics are a snapshot taken on request */
    n = sizeof(size_t);
    mallctl("stats.allocated", &allocated, &n, NULL, 0);
    mallctl("stats.resident", &resident, &n, NULL, 0);
    *in_use = allocated;
    *free_kept = resident > allocated ? resident - allocated : 0;
#else
    struct mallinfo2 mi = mallinfo2();
    *in_use = mi.uordblks + mi.hblkhd;
    *free_kept = mi.fordblks;
#endif
}

void app_stats(struct app *a, FILE *out)
{
    struct page_cache_stats sum = {0};
    unsigned threads = 0;
    pthread_mutex_lock(&a->stats_lock);
    for (unsigned i = 0; i < HTTP_MAX_THREADS; i++) {
        struct app_thread *t = __atomic_load_n(&a->threads[i], __ATOMIC_ACQUIRE);
        if (t == NULL)
            continue;
        struct page_cache_stats st;
        page_cache_stats(t->cache, &st);
        sum.hits += st.hits;
        sum.misses += st.misses;
        sum.stores += st.stores;
        sum.evictions += st.evictions;
        sum.invalidations += st.invalidations;
        sum.bytes += st.bytes;
        sum.pages += st.pages;
        threads++;
    }
    pthread_mutex_unlock(&a->stats_lock);
    uint64_t batches = 0, jobs = 0;
    writer_counts(a->writer, &batches, &jobs);
    size_t heap_in_use, heap_free;
    heap_stats(&heap_in_use, &heap_free);
    fprintf(out,
            "gazette stats: threads %u cache_hits %llu cache_misses %llu cache_stores %llu cache_evictions %llu "
            "cache_invalidations %llu cache_pages %llu cache_bytes %llu cache_budget %llu writer_batches %llu "
            "writer_jobs %llu sqlite_bytes %lld heap_in_use %llu heap_free %llu\n",
            threads, (unsigned long long)sum.hits, (unsigned long long)sum.misses, (unsigned long long)sum.stores,
            (unsigned long long)sum.evictions, (unsigned long long)sum.invalidations, (unsigned long long)sum.pages,
            (unsigned long long)sum.bytes, (unsigned long long)a->cache_bytes * (threads ? threads : 1),
            (unsigned long long)batches, (unsigned long long)jobs, (long long)db_memory_used(),
            (unsigned long long)heap_in_use, (unsigned long long)heap_free);
    fflush(out);
}

static void stats(void *app)
{
    app_stats(app, stderr);
}

/* The server's address, which site_url follows until the owner sets it. A wildcard address is
 * no place to send readers: this machine's name stands for it. */
static void listening(void *app, const char *url)
{
    struct app *a = app;
    struct db *db = NULL;
    char host[256], fixed[600];
    const char *wild = strstr(url, "://0.0.0.0") ? "0.0.0.0" : strstr(url, "://[::]") ? "[::]" : NULL;
    if (wild != NULL && gethostname(host, sizeof(host)) == 0) {
        host[sizeof(host) - 1] = '\0';
        const char *at = strstr(url, wild);
        snprintf(fixed, sizeof(fixed), "%.*s%s%s", (int)(at - url), url, host, at + strlen(wild));
        url = fixed;
    }
    if (db_open(a->database, &db) < 0 || settings_listening(db, url) < 0)
        fprintf(stderr, "gazette: cannot record the address %s: site_url keeps its old value\n", url);
    db_close(db);
}

/* Every request's database work runs under the request_budget_ms budget. */
static void handle(void *state, h2o_req_t *req)
{
    struct app_thread *t = state;
    db_budget(t->db, t->site.budget_ms > 0 ? t->site.budget_ms : APP_BUDGET_MS);
    serve(t, req);
    db_budget(t->db, 0);
}

void app_http(struct app *a, struct http_app *out)
{
    out->app = a;
    out->thread_start = thread_start;
    out->thread_stop = thread_stop;
    out->handle = handle;
    out->stats = stats;
    out->listening = listening;
}
