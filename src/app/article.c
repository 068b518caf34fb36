/* The article page: the story, its categories and tags, Previous/Next Post, the threaded comments
 * and the reply form; and static pages. The reply form is also shown again, with the visitor's
 * typed text and the errors, when POST /comment/ refuses a submission (see comments.c). */
#include "app/app_int.h"
#include "app/admin.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "http/response.h"
#include "lib/timeutil.h"
#include "lib/tz.h"
#include "news/comment.h"
#include "news/post.h"
#include "news/settings.h"
#include "render/html.h"

#define MAX_THREAD_DEPTH 128 /* deeper thread_depth settings are treated as this */

/* What a visitor typed, made safe for the form (valid UTF-8, no control characters). */
static json_t *typed(const char *p, size_t n)
{
    struct buf b = BUF_INIT;
    html_clean(&b, p ? p : "", p ? n : 0);
    json_t *j = json_stringn(b.data ? b.data : "", b.len);
    buf_free(&b);
    return j ? j : json_string("");
}

static json_t *field(const char *p, size_t n, const char *error)
{
    return json_pack("{s:o, s:o}", "value", typed(p, n), "error", error ? json_string(error) : json_false());
}

static json_t *comment_json(const struct comment *cm, int depth, int max_depth, int has_children, const char *zone)
{
    char iso[TIME_ISO_LEN], human[TIME_HUMAN_MAX], reply[64];
    struct buf body = BUF_INIT;
    time_format_iso(cm->created_at, iso);
    tz_format_human(zone, cm->created_at, human);
    html_comment_text(&body, cm->body ? cm->body : "", cm->body ? strlen(cm->body) : 0);
    snprintf(reply, sizeof(reply), "?replytocom=%lld#respond", (long long)cm->id);
    /* Only a website that is a plain http(s) URL becomes the author's link. */
    size_t ulen = cm->url ? strlen(cm->url) : 0;
    int link = ulen > 0 && html_url_len(cm->url, ulen) == ulen;
    json_t *j = json_pack("{s:I, s:o, s:o, s:s, s:s, s:o, s:i, s:o, s:b, s:o}", "id", (json_int_t)cm->id, "author",
                          jcstr(cm->author), "url", link ? jcstr(cm->url) : json_false(), "date_iso", iso, "date",
                          human, "body_html", jstr(body.data ? body.data : "", body.len), "depth", depth, "reply_path",
                          depth < max_depth ? json_string(reply) : json_false(), "has_children", has_children,
                          "children", json_array());
    buf_free(&body);
    return j;
}

void article_comment_page_path(const struct page_ctx *c, const char *path, size_t page, size_t pages, char *out,
                               size_t cap)
{
    if (page == comment_default_page(&c->t->site.comments, pages))
        snprintf(out, cap, "%s", path);
    else
        snprintf(out, cap, "%scomment-page-%zu/", path, page);
}

static json_t *comment_page_link(const struct page_ctx *c, const char *path, size_t page, size_t pages)
{
    char link[POST_PATH_MAX + 64];
    article_comment_page_path(c, path, page, pages, link, sizeof(link));
    strncat(link, "#comments", sizeof(link) - strlen(link) - 1);
    return jcstr(link);
}

/* The comments of the post's comment page (c->route.cpage, 0 for the default one) as nested
 * lists, with links to the older and newer pages, or false when there are none. -ENOENT for a
 * page past the last. */
static int comments_json(struct page_ctx *c, const struct post *post, const char *path, json_t **out,
                         struct comment_pages *shown)
{
    struct comment_list l = {0};
    struct comment_pages where = {0};
    int max = (int)(c->t->site.thread_depth < MAX_THREAD_DEPTH ? c->t->site.thread_depth : MAX_THREAD_DEPTH);
    int rc = comment_thread_page(c->t->db, post->id, max, &c->t->site.comments, c->route.cpage, &l, &where);
    if (rc == -ENOENT)
        return rc;
    if (rc < 0 || where.total == 0) {
        comment_list_free(&l);
        *out = json_false();
        return 0;
    }
    *shown = where;
    json_t *levels[MAX_THREAD_DEPTH + 1];
    json_t *root = json_array();
    int top = 0;
    levels[0] = root;
    for (size_t i = 0; i < l.n; i++) {
        int d = l.items[i].depth;
        if (d < 1)
            d = 1;
        if (d > max)
            d = max;
        if (d - 1 > top)
            d = top + 1;
        int has_children = i + 1 < l.n && l.items[i + 1].depth > d && d < max;
        json_t *j = comment_json(&l.items[i], d, max, has_children, c->t->site.timezone);
        json_array_append_new(levels[d - 1], j);
        levels[d] = json_object_get(j, "children");
        top = d;
    }
    char heading[64];
    snprintf(heading, sizeof(heading), "%zu Comment%s", where.total, where.total == 1 ? "" : "s");
    comment_list_free(&l);
    json_t *nav = json_false();
    if (where.pages > 1)
        nav = json_pack(
            "{s:I, s:I, s:o, s:o}", "page", (json_int_t)where.page, "pages", (json_int_t)where.pages, "older",
            where.page > 1 ? comment_page_link(c, path, where.page - 1, where.pages) : json_false(), "newer",
            where.page < where.pages ? comment_page_link(c, path, where.page + 1, where.pages) : json_false());
    *out = json_pack("{s:s, s:o, s:o}", "heading", heading, "list", root, "navigation", nav);
    return 0;
}

void article_comment_link(struct page_ctx *c, int64_t post_id, const char *path, int64_t id, char *out, size_t cap)
{
    char page_path[POST_PATH_MAX + 32];
    size_t page = 0, pages = 1;
    if (comment_pages_of(c->t->db, post_id, &c->t->site.comments, &id, 1, &page, &pages) < 0 || page == 0)
        page = comment_default_page(&c->t->site.comments, pages); /* not shown (held): the article itself */
    article_comment_page_path(c, path, page, pages, page_path, sizeof(page_path));
    snprintf(out, cap, "%s#comment-%lld", page_path, (long long)id);
}

static json_t *respond_json(struct page_ctx *c, const struct post *post, const char *path, const struct reply_state *st)
{
    int64_t parent = 0;
    size_t n;
    const char *v;
    if (st != NULL) {
        parent = st->parent_id;
    } else if ((v = app_query(c, "replytocom", &n)) != NULL) {
        parent = site_parse_id(v, n);
    }
    json_t *reply_to = json_false();
    struct buf heading = BUF_INIT;
    struct comment pc = {0};
    buf_puts(&heading, "Leave a Reply");
    if (parent > 0 && comment_public_get(c->t->db, post->id, parent, &pc) == 0) {
        char cancel[POST_PATH_MAX + 48];
        if (c->route.cpage > 0) /* back to the comment page the reader is on */
            snprintf(cancel, sizeof(cancel), "%scomment-page-%u/#respond", path, c->route.cpage);
        else
            snprintf(cancel, sizeof(cancel), "%s#respond", path);
        reply_to = json_pack("{s:o, s:o}", "name", jcstr(pc.author), "cancel_path", jcstr(cancel));
        buf_printf(&heading, " to %s", pc.author ? pc.author : "");
        comment_clear(&pc);
    } else if (st == NULL) {
        parent = 0; /* a stale or foreign ?replytocom: a plain reply */
    }
    json_t *r = json_object();
    json_object_set_new(r, "heading", jstr(heading.data, heading.len));
    buf_free(&heading);
    json_object_set_new(r, "reply_to", reply_to);
    v = st == NULL ? app_query(c, "moderation", &n) : NULL;
    json_object_set_new(r, "moderation", json_boolean(v != NULL && n == 1 && v[0] == '1'));
    json_object_set_new(r, "error", st && st->message ? json_string(st->message) : json_false());
    json_object_set_new(r, "parent_error", st && st->parent_error ? json_string(st->parent_error) : json_false());
    if (st != NULL) {
        /* a refused form: a summary of the errors at its top, each linked to its field, and the
         * first invalid field focused (autofocus: the CSP allows no script to do it) */
        static const char *const names[4] = {"comment", "author", "email", "url"};
        static const char *const labels[4] = {"Comment", "Name", "Email", "Website"};
        const struct comment_field *vals[4] = {&st->comment, &st->author, &st->email, &st->url};
        json_t *summary = json_array();
        int focused = 0;
        for (int i = 0; i < 4; i++) {
            json_t *f = field(vals[i]->p, vals[i]->n, st->errors[i]);
            if (st->errors[i] != NULL) {
                json_array_append_new(summary, json_pack("{s:s, s:s, s:s}", "id", names[i], "label", labels[i],
                                                         "message", st->errors[i]));
                json_object_set_new(f, "autofocus", json_boolean(!focused));
                focused = 1;
            }
            json_object_set_new(r, names[i], f);
        }
        json_object_set_new(r, "has_summary", json_boolean(json_array_size(summary) > 0));
        json_object_set_new(r, "focus_field", json_boolean(focused));
        json_object_set_new(r, "summary", summary);
        json_object_set_new(r, "remember", json_boolean(st->remember));
    } else {
        /* Only the visitor who owns the cookie sees these: such pages are never cached. */
        const struct commenter *k = &c->cookie;
        json_object_set_new(r, "comment", field(NULL, 0, NULL));
        json_object_set_new(r, "author", field(k->author, k->author_len, NULL));
        json_object_set_new(r, "email", field(k->email, k->email_len, NULL));
        json_object_set_new(r, "url", field(k->url, k->url_len, NULL));
        json_object_set_new(r, "remember", json_boolean(c->has_cookie));
    }
    json_object_set_new(r, "post_id", json_integer(post->id));
    json_object_set_new(r, "parent_id", json_integer(parent > 0 ? parent : 0));
    json_object_set_new(r, "require_fields", json_boolean(c->t->site.require_name_email));
    struct user me = {0};
    if (admin_reader_user(c, &me) == 0) /* a logged-in newsroom user comments under their own name */
        json_object_set_new(r, "logged_in", json_pack("{s:o}", "name", jcstr(me.display_name)));
    else
        json_object_set_new(r, "logged_in", json_false());
    user_clear(&me);
    return r;
}

static json_t *neighbour(const struct post *p)
{
    char path[POST_PATH_MAX];
    if (p->id == 0 || post_path(p, path, sizeof(path)) < 0)
        return json_false();
    return json_pack("{s:o, s:o}", "title", jcstr(p->title), "path", jcstr(path));
}

void article_render(struct page_ctx *c, struct post *post, int status, const struct reply_state *st)
{
    struct term_list cats = {0}, tags = {0};
    struct post prev = {0}, next = {0};
    if (post_terms(c->t->db, post->id, TERM_CATEGORY, &cats) < 0 ||
        post_terms(c->t->db, post->id, TERM_TAG, &tags) < 0 ||
        post_neighbours(c->t->db, post, c->now, &prev, &next) < 0) {
        term_list_free(&cats);
        term_list_free(&tags);
        app_fail(c, 503, "The database is not available.");
        return;
    }
    app_depends(c, TAG_POST, post->id);
    app_depends(c, TAG_ARTICLE, post->id);
    app_depends(c, TAG_COMMENTS, post->id);
    app_depends(c, TAG_POST, prev.id); /* their titles and paths show in the links */
    app_depends(c, TAG_POST, next.id);
    json_t *pj = site_post_core(post, c->t->site.timezone);
    const char *path = json_string_value(json_object_get(pj, "path"));
    json_object_set_new(pj, "categories", site_terms(&cats));
    json_object_set_new(pj, "tags", site_terms(&tags));
    json_object_set_new(pj, "has_categories", json_boolean(cats.n > 0));
    json_object_set_new(pj, "has_tags", json_boolean(tags.n > 0));
    json_object_set_new(pj, "has_terms", json_boolean(cats.n + tags.n > 0));
    json_object_set_new(pj, "image", app_featured_json(c, post, 1024, APP_SIZES_ARTICLE, 0));

    json_t *data = json_object();
    json_object_set_new(data, "post", pj);
    if (prev.id != 0 || next.id != 0)
        json_object_set_new(data, "neighbours",
                            json_pack("{s:o, s:o}", "prev", neighbour(&prev), "next", neighbour(&next)));
    else
        json_object_set_new(data, "neighbours", json_false());
    post_clear(&prev);
    post_clear(&next);
    json_t *comments = NULL;
    struct comment_pages shown = {0};
    if (comments_json(c, post, path, &comments, &shown) == -ENOENT) { /* comment-page-N/ past the last */
        json_decref(data);
        term_list_free(&cats);
        term_list_free(&tags);
        app_not_found(c);
        return;
    }
    json_object_set_new(data, "comments", comments);
    int64_t close_days = c->t->site.close_days; /* the reply form goes away by itself when comments close */
    if (post->comments_open && close_days > 0)
        app_expires(c, post->published_at + close_days * 86400);
    if (comment_open_at(post, c->now, close_days)) {
        json_object_set_new(data, "respond", respond_json(c, post, path, st));
        json_object_set_new(data, "comments_closed", json_false());
    } else {
        json_object_set_new(data, "respond", json_false());
        json_object_set_new(data, "comments_closed", json_true());
    }
    /* The <head>: a comment page other than the one the article's own address shows is a page
     * of its own (its comments are), and the thread's pages are linked as rel=prev/next. */
    char self[POST_PATH_MAX + 32], older[POST_PATH_MAX + 32], newer[POST_PATH_MAX + 32];
    article_comment_page_path(c, path, shown.page, shown.pages, self, sizeof(self));
    c->head.type = HEAD_ARTICLE;
    c->head.post = post;
    c->head.cats = &cats;
    c->head.tags = &tags;
    c->head.path = shown.pages > 0 ? self : path;
    if (shown.pages > 1 && shown.page > 1) {
        article_comment_page_path(c, path, shown.page - 1, shown.pages, older, sizeof(older));
        c->head.prev = older;
    }
    if (shown.pages > 1 && shown.page < shown.pages) {
        article_comment_page_path(c, path, shown.page + 1, shown.pages, newer, sizeof(newer));
        c->head.next = newer;
    }
    json_decref(c->head.crumbs);
    c->head.crumbs = json_array();
    if (cats.n > 0) {
        char cat[300];
        snprintf(cat, sizeof(cat), "/category/%s/", cats.items[0].slug);
        json_array_append_new(c->head.crumbs,
                              json_pack("{s:o, s:o}", "name", jcstr(cats.items[0].name), "path", jcstr(cat)));
    }
    json_array_append_new(c->head.crumbs, json_pack("{s:o, s:o}", "name", jcstr(post->title), "path", jcstr(path)));
    app_render(c, status, "article", data, post->title);
    term_list_free(&cats);
    term_list_free(&tags);
}

int article_find(struct page_ctx *c, struct post *out)
{
    const struct route *r = &c->route;
    const struct permalink_match *m = &c->pl;
    int rc;
    if (!c->has_pl)
        return post_by_date_slug(c->t->db, r->year, r->month, r->day, r->slug, r->slug_len, c->now, out);
    if (m->id > 0)
        rc = post_public_by_id(c->t->db, m->id, c->now, out);
    else if (m->year && m->month && m->day)
        rc = post_by_date_slug(c->t->db, m->year, m->month, m->day, m->slug, m->slug_len, c->now, out);
    else
        rc = post_by_slug(c->t->db, m->slug, m->slug_len, c->now, out);
    if (rc == 0 && out->type != POST_TYPE_POST) {
        post_clear(out);
        rc = -ENOENT;
    }
    return rc;
}

/* An article asked for at another address than its own (the old default form after the
 * structure changed, or a date, category or slug that does not agree with the post): 301 to its
 * path, as WordPress does. 1 when the redirect was sent. */
static int article_elsewhere(struct page_ctx *c, const struct post *p)
{
    char path[POST_PATH_MAX];
    const struct permalink_match *m = &c->pl;
    int y, mo, d, n;
    if (!c->has_pl) {
        if (permalink_is_default(&c->t->site.permalink))
            return 0; /* the default form under the default structure: its own address */
    } else {
        time_utc_date(p->published_at, &y, &mo, &d);
        const char *cat = p->category_slug && p->category_slug[0] ? p->category_slug : "uncategorized";
        /* Parts compared, not whole paths, so that an encoded slug never loops. */
        if ((!m->year || m->year == y) && (!m->month || m->month == mo) && (!m->day || m->day == d) &&
            (!m->category || (strlen(cat) == m->category_len && memcmp(cat, m->category, m->category_len) == 0)))
            return 0;
    }
    if ((n = post_path(p, path, sizeof(path))) < 0)
        return 0;
    http_redirect(c->req, 301, path, (size_t)n);
    c->sent = 1;
    return 1;
}

void article_page(struct page_ctx *c)
{
    struct post p = {0};
    int rc = article_find(c, &p);
    if (rc == 0 && article_elsewhere(c, &p)) {
        post_clear(&p);
        return;
    }
    if (rc == -ENOENT) {
        app_not_found(c);
        return;
    }
    if (rc < 0) {
        app_fail(c, 503, "The database is not available.");
        return;
    }
    article_render(c, &p, 200, NULL);
    post_clear(&p);
}

void static_page(struct page_ctx *c)
{
    struct post p = {0};
    int rc = page_by_slug(c->t->db, c->route.slug, c->route.slug_len, c->now, &p);
    if (rc == -ENOENT) {
        app_not_found(c);
        return;
    }
    if (rc < 0) {
        app_fail(c, 503, "The database is not available.");
        return;
    }
    json_t *data = json_object();
    app_depends(c, TAG_POST, p.id);
    json_t *pj = site_post_core(&p, c->t->site.timezone);
    char path[POST_PATH_MAX];
    snprintf(path, sizeof(path), "%s", json_string_value(json_object_get(pj, "path")));
    json_object_set_new(data, "post", pj);
    c->head.type = HEAD_PAGE;
    c->head.post = &p;
    c->head.path = path;
    json_decref(c->head.crumbs);
    c->head.crumbs = json_pack("[{s:o, s:o}]", "name", jcstr(p.title), "path", jcstr(path));
    app_render(c, 200, "page", data, p.title);
    post_clear(&p);
}
