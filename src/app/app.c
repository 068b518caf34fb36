/* The reader's site's front door: loads the theme, gives each server thread its database
 * connection and page cache, and routes every request to its page handler. Public pages that do
 * not depend on the visitor are kept whole in the thread's cache until the database changes. */
#include "app/app_int.h"
#include "app/admin.h"
#include "app/wplinks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/cookie.h"
#include "http/encoding.h"
#include "http/response.h"
#include "lib/timeutil.h"
#include "lib/tz.h"
#include "news/post.h"
#include "render/template.h"

int app_new(const struct app_options *opt, struct app **out)
{
    struct app *a = calloc(1, sizeof(*a));
    struct tpl_error err = {0};
    struct db *db = NULL;
    int rc;
    if (a == NULL)
        return -ENOMEM;
    a->data_dir = strdup(opt->data_dir);
    a->tpl = tpl_set_new();
    if (a->data_dir == NULL || a->tpl == NULL) {
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
    /* Open once here, so that the data directory is created and migrated before any thread runs. */
    if ((rc = db_open(a->data_dir, &db)) < 0)
        goto fail;
    db_close(db);
    if ((rc = admin_start(a, opt->theme_dir, opt->default_theme_dir)) < 0)
        goto fail;
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
    admin_stop(a);
    assets_free(a);
    tpl_set_free(a->tpl);
    free(a->data_dir);
    free(a);
}

static void *thread_start(void *app, unsigned index)
{
    struct app_thread *t = calloc(1, sizeof(*t));
    if (t == NULL)
        return NULL;
    t->app = app;
    t->index = index;
    t->cache = page_cache_new(APP_CACHE_BYTES);
    if (t->cache == NULL || db_open(t->app->data_dir, &t->db) < 0) {
        fprintf(stderr, "gazette: thread %u cannot open the database\n", index);
        page_cache_free(t->cache);
        free(t);
        return NULL;
    }
    return t;
}

static void thread_stop(void *app, void *state)
{
    (void)app;
    struct app_thread *t = state;
    page_cache_free(t->cache);
    site_clear(&t->site);
    db_close(t->db);
    free(t);
}

const char *app_query(const struct page_ctx *c, const char *name, size_t *len)
{
    return c->has_query ? form_get(&c->query, name, len) : NULL;
}

void app_render(struct page_ctx *c, int status, const char *tpl, json_t *data, const char *title)
{
    struct site *s = &c->t->site;
    struct tpl_error err = {0};
    struct buf t = BUF_INIT;
    int year;
    tz_date(s->timezone, c->now, &year, &(int){0}, &(int){0});
    if (title != NULL) {
        buf_printf(&t, "%s \xe2\x80\x93 %s", title, s->title);
    } else {
        buf_puts(&t, s->title);
        if (s->tagline[0] != '\0')
            buf_printf(&t, " \xe2\x80\x93 %s", s->tagline);
    }
    json_t *nav = json_array();
    json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "name", "Home", "path", "/", "current",
                                         c->route.kind == ROUTE_HOME && c->route.page == 1));
    for (size_t i = 0; i < s->categories.n; i++) {
        const struct term *tm = &s->categories.items[i];
        if (tm->count == 0)
            continue;
        char path[300];
        snprintf(path, sizeof(path), "/category/%s/", tm->slug);
        int current = c->route.kind == ROUTE_CATEGORY && c->route.slug_len == strlen(tm->slug) &&
                      memcmp(c->route.slug, tm->slug, c->route.slug_len) == 0;
        json_array_append_new(
            nav, json_pack("{s:o, s:o, s:b}", "name", jcstr(tm->name), "path", jcstr(path), "current", current));
    }
    json_object_set_new(
        data, "site",
        json_pack("{s:o, s:o}", "title", jcstr(s->title), "tagline", s->tagline[0] ? jcstr(s->tagline) : json_false()));
    json_object_set_new(data, "nav", nav);
    json_object_set_new(data, "static", assets_json(c->t->app));
    json_object_set_new(data, "year", json_integer(year));
    json_object_set_new(data, "feeds", feed_alternates(c, status, data));
    json_object_set_new(data, "archives", archive_months_json(c));
    json_object_set_new(data, "has_archives", json_boolean(s->n_months > 0));
    if (json_object_get(data, "search_query") == NULL)
        json_object_set_new(data, "search_query", json_string(""));
    json_object_set_new(data, "title", jstr(t.data ? t.data : "", t.len));
    buf_free(&t);
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
    if (wplinks_redirect_path(c))
        return;
    app_render(c, 404, "404", json_object(), "Page not found");
}

void app_fail(struct page_ctx *c, int status, const char *why)
{
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
    if (r.kind == ROUTE_NONE || r.kind == ROUTE_ASSET || r.kind == ROUTE_COMMENT)
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
    case ROUTE_COMMENTS: /* only its feed lives there */
    case ROUTE_NONE:
        missing_slash(c);
        break;
    }
}

/* Pages the same for every visitor carry the site's Cache-Control setting. */
static void shared_headers(struct page_ctx *c)
{
    const char *cc = c->t->site.cache_control;
    if (cc != NULL && cc[0] != '\0')
        h2o_add_header(&c->req->pool, &c->req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, cc, strlen(cc));
}

/* Sends what dispatch() rendered. A page that holds what this visitor typed, their remembered
 * email or their newsroom login stays theirs (private, no-store), and goes uncompressed: a secret
 * next to text from the request must not be compressed (BREACH). Other pages carry the site's
 * Cache-Control; a cacheable 200 is stored with its compressed copies (404s are cheap, and
 * scanners would churn the cache), anything else is compressed for this answer. */
static void send_page(struct page_ctx *c, int cache)
{
    h2o_req_t *req = c->req;
    const char *type = c->content_type ? c->content_type : HTTP_HTML;
    const char *body = c->body.data ? c->body.data : "";
    if (c->body.err != 0) {
        http_send_status(req, 500, "The page is too large.");
    } else if (!cache && (c->has_cookie || c->has_query || c->route.kind == ROUTE_COMMENT || admin_has_session(c))) {
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("private, no-store"));
        http_send(req, c->status, type, body, c->body.len);
    } else {
        shared_headers(c);
        struct cached_page *p = NULL;
        if (cache && c->status == 200)
            p = page_cache_put(c->t->cache, req->path_normalized.base, req->path_normalized.len, c->status, type, body,
                               c->body.len, (uint64_t)c->now + APP_CACHE_TTL);
        if (p != NULL)
            page_send(req, p);
        else
            http_send_encoded(req, c->status, type, body, c->body.len);
    }
}

static void handle(void *state, h2o_req_t *req)
{
    struct app_thread *t = state;
    struct page_ctx c = {.t = t, .req = req, .now = time_now(), .body = BUF_INIT};
    h2o_iovec_t path = req->path_normalized;

    int changed = db_changed(t->db, &t->generation);
    if (changed < 0) {
        fprintf(stderr, "gazette: database: %s\n", db_errmsg(t->db));
        http_send_status(req, 503, "The database is not available.");
        return;
    }
    /* A post dated in the future changes the public site when its time comes, without a commit:
     * publish what is due (that commit tells the other threads) and start afresh. */
    if (changed == 0 && c.now >= t->next_due) {
        int published = 0;
        if (post_publish_due(t->db, c.now, &published) < 0)
            fprintf(stderr, "gazette: publishing scheduled posts: %s\n", db_errmsg(t->db));
        changed = 1;
    }
    if (changed > 0 || t->site.title == NULL) {
        int64_t due;
        page_cache_clear(t->cache);
        if (site_load(t) < 0) {
            http_send_status(req, 503, "The database is not available.");
            return;
        }
        t->next_due = post_next_due(t->db, c.now, &due) == 0 ? due : INT64_MAX;
    }

    if (t->site.hsts[0] != '\0' && http_is_tls(req))
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_STRICT_TRANSPORT_SECURITY, NULL, t->site.hsts,
                       strlen(t->site.hsts));
    if (admin_path(path.base, path.len)) {
        admin_handle(&c);
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
    if (!c.sent)
        send_page(&c, cache);
out:
    buf_free(&c.body);
    if (c.has_query)
        form_free(&c.query);
    form_free(&c.cookie.f);
}

void app_http(struct app *a, struct http_app *out)
{
    out->app = a;
    out->thread_start = thread_start;
    out->thread_stop = thread_stop;
    out->handle = handle;
}
