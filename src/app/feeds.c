/* The site's feeds: RSS 2.0 (and Atom 1.0 at feed/atom/) of the newest posts, site-wide and per
 * category, tag and author, and of the newest approved comments, site-wide and per article.
 * WordPress's other feed addresses answer with a 301. The XML is written by render/xml.c; links
 * are absolute, built on the site_url setting. A feed is cached like a page (app.c). */
#include "app/app_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"
#include "lib/timeutil.h"
#include "news/comment.h"
#include "news/post.h"
#include "news/settings.h"
#include "news/taxonomy.h"
#include "news/wplink.h"
#include "render/html.h"
#include "render/xml.h"

#define FEED_RSS_TYPE "application/rss+xml; charset=utf-8"
#define FEED_ATOM_TYPE "application/atom+xml; charset=utf-8"
#define FEED_URL_MAX 2048   /* site_url plus a path */
#define FEED_TITLE_MAX 1400 /* "Comment on " + a post title + " by " + a commenter's name fits */
#define FEED_PROTECTED "There is no excerpt because this is a protected post."

/* One entry of a feed, whether a post or a comment. Strings are borrowed from the lists that
 * feed_serve keeps until the document is written. */
struct item {
    char title[FEED_TITLE_MAX];
    char link[FEED_URL_MAX];
    int link_is_guid;                 /* the link is the post's permanent address */
    char comments[FEED_URL_MAX + 16]; /* the article's comments (posts only, else "") */
    const char *author;
    int64_t published, updated;
    const char *summary; /* plain text */
    const char *html;    /* NULL: none */
    size_t html_len;
    struct buf owned;            /* html built for a comment */
    struct term_list cats, tags; /* posts only */
};

struct feed {
    int atom;
    char title[FEED_TITLE_MAX];
    char link[FEED_URL_MAX]; /* the page the feed is of */
    char self[FEED_URL_MAX]; /* the feed's own address */
    char *description;
    char *site_url;       /* without its final '/' */
    const char *language; /* site_language */
    struct item *items;
    size_t n;
};

static void feed_clear(struct feed *f)
{
    for (size_t i = 0; i < f->n; i++) {
        buf_free(&f->items[i].owned);
        term_list_free(&f->items[i].cats);
        term_list_free(&f->items[i].tags);
    }
    free(f->items);
    free(f->description);
    free(f->site_url);
}

static void absolute(const struct feed *f, const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s", f->site_url, path);
}

static const char *name_of(const struct post *p)
{
    return p->author_name && p->author_name[0] ? p->author_name : p->author_login ? p->author_login : "";
}

/* Reads the settings a feed needs (site_url, site_tagline) and sets its page and own address. */
static int feed_init(struct page_ctx *c, struct feed *f, const char *page_path)
{
    struct db *db = c->t->db;
    int rc;
    f->atom = c->route.feed == ROUTE_FEED_ATOM;
    f->language = c->t->site.language;
    if ((rc = setting_get(db, "site_url", &f->site_url)) < 0 ||
        (rc = setting_get(db, "site_tagline", &f->description)) < 0)
        return rc;
    size_t n = strlen(f->site_url);
    while (n > 0 && f->site_url[n - 1] == '/')
        f->site_url[--n] = '\0';
    absolute(f, page_path, f->link, sizeof(f->link));
    snprintf(f->self, sizeof(f->self), "%s%sfeed/%s", f->site_url, page_path, f->atom ? "atom/" : "");
    return 0;
}

static struct item *add_item(struct feed *f, size_t cap)
{
    if (f->items == NULL) {
        f->items = calloc(cap ? cap : 1, sizeof(*f->items));
        if (f->items == NULL)
            abort();
    }
    return &f->items[f->n++];
}

/* The posts of list as items (list stays alive while the feed is written). */
static int add_posts(struct page_ctx *c, struct feed *f, const struct post_list *list)
{
    app_depends(c, TAG_LISTS, 0);
    /* the categories and tags of the whole list, one read each */
    struct term_list *terms = calloc(2 * list->n + 1, sizeof(*terms));
    if (terms == NULL)
        abort();
    int rc = post_terms_of(c->t->db, list->items, list->n, TERM_CATEGORY, terms);
    if (rc == 0 && (rc = post_terms_of(c->t->db, list->items, list->n, TERM_TAG, terms + list->n)) < 0) {
        for (size_t i = 0; i < list->n; i++)
            term_list_free(&terms[i]);
    }
    if (rc < 0) {
        free(terms);
        return rc;
    }
    for (size_t i = 0; i < list->n; i++) {
        const struct post *p = &list->items[i];
        app_depends(c, TAG_POST, p->id);
        struct item *it = add_item(f, list->n);
        char path[POST_PATH_MAX];
        if (post_path(p, path, sizeof(path)) < 0)
            path[0] = '\0';
        snprintf(it->title, sizeof(it->title), "%s", p->title ? p->title : "");
        absolute(f, path, it->link, sizeof(it->link));
        snprintf(it->comments, sizeof(it->comments), "%s#comments", it->link);
        it->link_is_guid = 1;
        it->author = name_of(p);
        it->published = p->published_at;
        it->updated = p->modified_at > p->published_at ? p->modified_at : p->published_at;
        if (p->password != NULL && p->password[0] != '\0') {
            it->summary = FEED_PROTECTED;
        } else {
            it->summary = p->excerpt;
            it->html = p->html ? p->html : "";
            it->html_len = strlen(it->html);
        }
        it->cats = terms[i];
        it->tags = terms[list->n + i];
    }
    free(terms);
    return 0;
}

/* The comments of list as items. post is their article, or NULL (site-wide: each comment's
 * article is read, and named in the title). */
static int add_comments(struct page_ctx *c, struct feed *f, const struct comment_list *list, const struct post *post)
{
    /* an article's comments: the page each is on, read once for all of them */
    size_t *pages_of = NULL, pages = 1;
    int ret = 0;
    if (post != NULL && list->n > 0) {
        int64_t *ids = calloc(list->n, sizeof(int64_t));
        pages_of = calloc(list->n, sizeof(size_t));
        if (ids == NULL || pages_of == NULL)
            abort();
        for (size_t i = 0; i < list->n; i++)
            ids[i] = list->items[i].id;
        ret = comment_pages_of(c->t->db, post->id, &c->t->site.comments, ids, list->n, pages_of, &pages);
        free(ids);
    }
    for (size_t i = 0; i < list->n && ret == 0; i++) {
        const struct comment *cm = &list->items[i];
        struct post other = {0};
        const struct post *p = post;
        char path[POST_PATH_MAX], link[POST_PATH_MAX + 64];
        if (p == NULL) {
            if ((ret = post_public_by_id(c->t->db, cm->post_id, c->now, &other)) == -ENOENT) {
                ret = 0;
                continue;
            }
            if (ret < 0)
                break;
            p = &other;
        }
        struct item *it = add_item(f, list->n);
        if (post_path(p, path, sizeof(path)) < 0)
            path[0] = '\0';
        if (post != NULL)
            snprintf(it->title, sizeof(it->title), "By: %s", cm->author ? cm->author : "");
        else
            snprintf(it->title, sizeof(it->title), "Comment on %s by %s", p->title ? p->title : "",
                     cm->author ? cm->author : "");
        if (post != NULL) { /* the comment on its page of the article */
            char page_path[POST_PATH_MAX + 32];
            size_t page = pages_of[i] ? pages_of[i] : comment_default_page(&c->t->site.comments, pages);
            article_comment_page_path(c, path, page, pages, page_path, sizeof(page_path));
            snprintf(link, sizeof(link), "%s#comment-%lld", page_path, (long long)cm->id);
        } else {
            article_comment_link(c, p->id, path, cm->id, link, sizeof(link));
        }
        snprintf(it->link, sizeof(it->link), "%s%s", f->site_url, link);
        post_clear(&other);
        it->author = cm->author ? cm->author : "";
        it->published = it->updated = cm->created_at;
        it->summary = cm->body ? cm->body : "";
        html_comment_text(&it->owned, it->summary, strlen(it->summary));
        it->html = it->owned.data ? it->owned.data : "";
        it->html_len = it->owned.len;
        ret = it->owned.err;
    }
    free(pages_of);
    return ret;
}

static void terms_rss(struct xml_writer *x, const struct term_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        xml_elem(x, "category", l->items[i].name);
}

static void terms_atom(struct xml_writer *x, const struct term_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        xml_start(x, "category");
        xml_attr(x, "term", l->items[i].name);
        xml_end(x);
    }
}

static int64_t newest(const struct feed *f)
{
    int64_t t = 0;
    for (size_t i = 0; i < f->n; i++)
        if (f->items[i].updated > t)
            t = f->items[i].updated;
    return t;
}

static void write_rss(struct xml_writer *x, const struct feed *f)
{
    char date[TIME_RFC822_LEN];
    xml_start(x, "rss");
    xml_attr(x, "version", "2.0");
    xml_attr(x, "xmlns:content", "http://purl.org/rss/1.0/modules/content/");
    xml_attr(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
    xml_attr(x, "xmlns:atom", "http://www.w3.org/2005/Atom");
    xml_start(x, "channel");
    xml_elem(x, "title", f->title);
    xml_start(x, "atom:link");
    xml_attr(x, "href", f->self);
    xml_attr(x, "rel", "self");
    xml_attr(x, "type", "application/rss+xml");
    xml_end(x);
    xml_elem(x, "link", f->link);
    xml_elem(x, "description", f->description && f->description[0] ? f->description : f->title);
    if (f->n > 0) {
        time_format_rfc822(newest(f), date);
        xml_elem(x, "lastBuildDate", date);
    }
    xml_elem(x, "language", f->language);
    xml_elem(x, "generator", "Gazette");
    for (size_t i = 0; i < f->n; i++) {
        const struct item *it = &f->items[i];
        xml_start(x, "item");
        xml_elem(x, "title", it->title);
        xml_elem(x, "link", it->link);
        if (it->comments[0] != '\0')
            xml_elem(x, "comments", it->comments);
        xml_start(x, "guid");
        xml_attr(x, "isPermaLink", it->link_is_guid ? "true" : "false");
        xml_text(x, it->link);
        xml_end(x);
        time_format_rfc822(it->published, date);
        xml_elem(x, "pubDate", date);
        xml_elem(x, "dc:creator", it->author);
        terms_rss(x, &it->cats);
        terms_rss(x, &it->tags);
        xml_elem(x, "description", it->summary);
        if (it->html != NULL) {
            xml_start(x, "content:encoded");
            xml_attr(x, "xml:base", it->link); /* relative links in the HTML resolve against the item */
            xml_cdata(x, it->html, it->html_len);
            xml_end(x);
        }
        xml_end(x);
    }
}

static void atom_link(struct xml_writer *x, const char *rel, const char *type, const char *href)
{
    xml_start(x, "link");
    xml_attr(x, "rel", rel);
    if (type != NULL)
        xml_attr(x, "type", type);
    xml_attr(x, "href", href);
    xml_end(x);
}

static void write_atom(struct xml_writer *x, const struct feed *f)
{
    char date[TIME_ISO_LEN];
    xml_start(x, "feed");
    xml_attr(x, "xmlns", "http://www.w3.org/2005/Atom");
    xml_attr(x, "xml:lang", f->language);
    xml_elem(x, "title", f->title);
    if (f->description != NULL && f->description[0] != '\0')
        xml_elem(x, "subtitle", f->description);
    atom_link(x, "alternate", "text/html", f->link);
    atom_link(x, "self", "application/atom+xml", f->self);
    xml_elem(x, "id", f->self);
    time_format_iso(newest(f), date);
    xml_elem(x, "updated", date);
    xml_elem(x, "generator", "Gazette");
    for (size_t i = 0; i < f->n; i++) {
        const struct item *it = &f->items[i];
        xml_start(x, "entry");
        xml_elem(x, "title", it->title);
        atom_link(x, "alternate", "text/html", it->link);
        xml_elem(x, "id", it->link);
        time_format_iso(it->published, date);
        xml_elem(x, "published", date);
        time_format_iso(it->updated, date);
        xml_elem(x, "updated", date);
        xml_start(x, "author");
        xml_elem(x, "name", it->author);
        xml_end(x);
        terms_atom(x, &it->cats);
        terms_atom(x, &it->tags);
        xml_start(x, "summary");
        xml_attr(x, "type", "text");
        xml_text(x, it->summary);
        xml_end(x);
        if (it->html != NULL) {
            xml_start(x, "content");
            xml_attr(x, "type", "html");
            xml_attr(x, "xml:base", it->link);
            xml_cdata(x, it->html, it->html_len);
            xml_end(x);
        }
        xml_end(x);
    }
}

/* Writes the feed into c->body as the answer (200). */
static void render(struct page_ctx *c, const struct feed *f)
{
    struct xml_writer *x = xml_writer_new();
    if (x == NULL) {
        app_fail(c, 500, "The feed could not be written.");
        return;
    }
    if (f->atom)
        write_atom(x, f);
    else
        write_rss(x, f);
    buf_reset(&c->body);
    int rc = xml_writer_finish(x, &c->body);
    xml_writer_free(x);
    if (rc < 0) {
        app_fail(c, 500, "The feed could not be written.");
        return;
    }
    c->status = 200;
    c->content_type = f->atom ? FEED_ATOM_TYPE : FEED_RSS_TYPE;
}

/* /feed/rss2/ and the like: 301 to the same address ending in feed/. */
static void old_name(struct page_ctx *c)
{
    h2o_iovec_t p = c->req->path_normalized;
    size_t n = p.len;
    if (n > 0 && p.base[n - 1] == '/')
        n--;
    while (n > 0 && p.base[n - 1] != '/')
        n--;
    http_redirect(c->req, 301, p.base, n);
    c->sent = 1;
}

static int site_feed(struct page_ctx *c, struct feed *f, int64_t limit, struct post_list *posts)
{
    int rc;
    if ((rc = feed_init(c, f, "/")) < 0 || (rc = post_feed(c->t->db, c->now, (size_t)limit, posts)) < 0)
        return rc;
    snprintf(f->title, sizeof(f->title), "%s", c->t->site.title);
    return add_posts(c, f, posts);
}

static int term_feed(struct page_ctx *c, struct feed *f, int64_t limit, struct post_list *posts)
{
    enum term_taxonomy tax = c->route.kind == ROUTE_CATEGORY ? TERM_CATEGORY : TERM_TAG;
    struct term tm = {0};
    char path[400];
    int rc;
    if ((rc = term_by_slug(c->t->db, tax, c->route.slug, c->route.slug_len, &tm)) < 0)
        return rc;
    snprintf(path, sizeof(path), "/%s/%s/", tax == TERM_CATEGORY ? "category" : "tag", tm.slug);
    snprintf(f->title, sizeof(f->title), "%s \xe2\x80\x93 %s", c->t->site.title, tm.name);
    if ((rc = feed_init(c, f, path)) == 0 && (rc = term_posts(c->t->db, tm.id, c->now, 1, (size_t)limit, posts)) == 0)
        rc = add_posts(c, f, posts);
    term_clear(&tm);
    return rc;
}

static int author_feed(struct page_ctx *c, struct feed *f, int64_t limit, struct post_list *posts)
{
    struct user u = {0};
    char path[400];
    int rc;
    if ((rc = author_by_login(c->t->db, c->route.slug, c->route.slug_len, &u)) < 0)
        return rc;
    snprintf(path, sizeof(path), "/author/%s/", u.login);
    snprintf(f->title, sizeof(f->title), "%s \xe2\x80\x93 Posts by %s", c->t->site.title,
             u.display_name && u.display_name[0] ? u.display_name : u.login);
    if ((rc = feed_init(c, f, path)) == 0 && (rc = author_posts(c->t->db, u.id, c->now, 1, (size_t)limit, posts)) == 0)
        rc = posts->n > 0 ? add_posts(c, f, posts) : -ENOENT; /* no archive, so no feed, without posts */
    user_clear(&u);
    return rc;
}

static int comments_feed(struct page_ctx *c, struct feed *f, int64_t limit, struct comment_list *comments)
{
    int rc;
    if ((rc = feed_init(c, f, "/comments/")) < 0 ||
        (rc = comment_recent(c->t->db, 0, c->now, (size_t)limit, comments)) < 0)
        return rc;
    absolute(f, "/", f->link, sizeof(f->link));
    snprintf(f->title, sizeof(f->title), "Comments for %s", c->t->site.title);
    app_depends(c, TAG_COMMENT_FEED, 0);
    return add_comments(c, f, comments, NULL);
}

static int article_feed(struct page_ctx *c, struct feed *f, int64_t limit, struct post *post,
                        struct comment_list *comments)
{
    char path[POST_PATH_MAX];
    int rc;
    if ((rc = article_find(c, post)) < 0)
        return rc;
    if (post->password != NULL && post->password[0] != '\0')
        return -ENOENT; /* a protected post's comments stay with it */
    if (post_path(post, path, sizeof(path)) < 0)
        return -ENOENT;
    snprintf(f->title, sizeof(f->title), "Comments on: %s", post->title);
    app_depends(c, TAG_POST, post->id);
    app_depends(c, TAG_COMMENTS, post->id);
    if ((rc = feed_init(c, f, path)) < 0 ||
        (rc = comment_recent(c->t->db, post->id, c->now, (size_t)limit, comments)) < 0)
        return rc;
    return add_comments(c, f, comments, post);
}

void feed_serve(struct page_ctx *c)
{
    struct feed f = {0};
    struct post_list posts = {0};
    struct comment_list comments = {0};
    struct post post = {0};
    int64_t limit = 10;
    int rc;
    if (c->route.feed == ROUTE_FEED_OLD) {
        old_name(c);
        return;
    }
    if ((rc = setting_get_int(c->t->db, "posts_per_rss", &limit)) < 0)
        goto out;
    switch (c->route.kind) {
    case ROUTE_HOME:
        rc = site_feed(c, &f, limit, &posts);
        break;
    case ROUTE_CATEGORY:
    case ROUTE_TAG:
        rc = term_feed(c, &f, limit, &posts);
        break;
    case ROUTE_AUTHOR:
        rc = author_feed(c, &f, limit, &posts);
        break;
    case ROUTE_COMMENTS:
        rc = comments_feed(c, &f, limit, &comments);
        break;
    case ROUTE_ARTICLE:
        rc = article_feed(c, &f, limit, &post, &comments);
        break;
    default:
        rc = -ENOENT;
        break;
    }
    if (rc == 0)
        render(c, &f);
out:
    if (rc == -ENOENT)
        app_not_found(c);
    else if (rc < 0)
        app_fail(c, 503, "The database is not available.");
    feed_clear(&f);
    post_list_free(&posts);
    comment_list_free(&comments);
    post_clear(&post);
}

int feed_legacy_redirect(struct page_ctx *c)
{
    static const char *const targets[] = {"p", "cat", "tag", "author"};
    size_t n;
    const char *v = app_query(c, "feed", &n);
    if (v == NULL || c->route.page != 1)
        return 0;
    int atom = (n == 4 && memcmp(v, "atom", 4) == 0) || (n == 13 && memcmp(v, "comments-atom", 13) == 0);
    int comments = n >= 9 && memcmp(v, "comments-", 9) == 0;
    char base[WPLINK_PATH_MAX] = "/", loc[WPLINK_PATH_MAX + 32];
    /* ?p=ID&feed=rss2 is the post's comments; ?cat=ID&feed=rss2 the category's posts ... */
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        size_t vn;
        const char *tv = app_query(c, targets[i], &vn);
        if (tv != NULL) {
            if (wplink_from_query(c->t->db, targets[i], tv, vn, c->now, base, sizeof(base)) < 0)
                return 0; /* nothing public there: the home page's usual answer */
            comments = 0;
            break;
        }
    }
    snprintf(loc, sizeof(loc), "%s%sfeed/%s", base, comments ? "comments/" : "", atom ? "atom/" : "");
    http_redirect(c->req, 301, loc, strlen(loc));
    c->sent = 1;
    return 1;
}

/* An RSS feed and its Atom twin at href + "atom/", both titled (Atom's says so). */
static void alternate(json_t *a, const char *title, const char *href)
{
    char atom_title[1100], atom_href[CACHE_MAX_KEY + 32];
    snprintf(atom_title, sizeof(atom_title), "%s (Atom)", title);
    snprintf(atom_href, sizeof(atom_href), "%satom/", href);
    json_array_append_new(
        a, json_pack("{s:s, s:o, s:o}", "type", "application/rss+xml", "title", jcstr(title), "href", jcstr(href)));
    json_array_append_new(a, json_pack("{s:s, s:o, s:o}", "type", "application/atom+xml", "title", jcstr(atom_title),
                                       "href", jcstr(atom_href)));
}

json_t *feed_alternates(struct page_ctx *c, int status, json_t *data)
{
    const char *site = c->t->site.title;
    json_t *a = json_array();
    char title[1024], href[CACHE_MAX_KEY + 16];
    snprintf(title, sizeof(title), "%s Feed", site);
    alternate(a, title, "/feed/");
    if (status != 200 || c->route.page != 1 || c->route.feed != ROUTE_FEED_NONE)
        return a;
    const char *kind;
    switch (c->route.kind) {
    case ROUTE_CATEGORY:
        kind = "Category";
        break;
    case ROUTE_TAG:
        kind = "Tag";
        break;
    case ROUTE_AUTHOR:
        kind = "Author";
        break;
    case ROUTE_ARTICLE:
        kind = NULL;
        break;
    default:
        return a;
    }
    h2o_iovec_t p = c->req->path_normalized;
    if (p.len == 0 || p.len > CACHE_MAX_KEY || p.base[p.len - 1] != '/')
        return a;
    snprintf(href, sizeof(href), "%.*sfeed/", (int)p.len, p.base);
    if (kind != NULL) {
        json_t *h = json_object_get(data, "heading");
        snprintf(title, sizeof(title), "%s \xe2\x80\x93 %s %s Feed", site,
                 json_is_string(h) ? json_string_value(h) : "", kind);
    } else {
        json_t *post = json_object_get(data, "post");
        json_t *t = json_is_object(post) ? json_object_get(post, "title") : NULL;
        snprintf(title, sizeof(title), "%s \xe2\x80\x93 %s Comments Feed", site,
                 json_is_string(t) ? json_string_value(t) : "");
    }
    alternate(a, title, href);
    return a;
}
