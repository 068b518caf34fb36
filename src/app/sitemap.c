/* The files at the top of the site that search engines, browsers and aggregators ask for:
 * /robots.txt, the sitemap index /sitemap.xml and its files /sitemap-KIND-N.xml (posts, pages,
 * categories, tags, authors: at most 10,000 addresses each), the news sitemap /sitemap-news.xml,
 * the web app manifest and the identity images (favicon, touch and manifest icons, logo, default
 * social image). WordPress's and Yoast's sitemap addresses answer 301 here. Each is cached like a
 * page: sitemaps show the lists (TAG_LISTS), the rest only the settings (TAG_SITE). */
#include "app/app_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"
#include "lib/timeutil.h"
#include "news/post.h"
#include "news/seo.h"
#include "news/sitemap.h"
#include "render/html.h"
#include "render/xml.h"

#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"
#define NEWS_NS "http://www.google.com/schemas/sitemap-news/0.9"
#define XML_TYPE "application/xml; charset=utf-8"
#define SITEMAP_URL_MAX 2400

/* Writes x into the answer (200 with type), or a 500. */
static void send_xml(struct page_ctx *c, struct xml_writer *x)
{
    buf_reset(&c->body);
    int rc = xml_writer_finish(x, &c->body);
    xml_writer_free(x);
    if (rc < 0) {
        app_fail(c, 500, "The sitemap could not be written.");
        return;
    }
    c->status = 200;
    c->content_type = XML_TYPE;
}

static void url_entry(struct page_ctx *c, struct xml_writer *x, const char *path, int64_t lastmod)
{
    char loc[SITEMAP_URL_MAX], iso[TIME_ISO_LEN];
    head_absolute(c, path, loc, sizeof(loc));
    xml_start(x, "url");
    xml_elem(x, "loc", loc);
    if (lastmod > 0) {
        time_format_iso(lastmod, iso);
        xml_elem(x, "lastmod", iso);
    }
    xml_end(x);
}

static struct xml_writer *urlset(int news)
{
    struct xml_writer *x = xml_writer_new();
    if (x == NULL)
        return NULL;
    xml_start(x, "urlset");
    xml_attr(x, "xmlns", SITEMAP_NS);
    if (news)
        xml_attr(x, "xmlns:news", NEWS_NS);
    return x;
}

static int64_t lastmod_of(const struct post *p)
{
    return p->modified_at > p->published_at ? p->modified_at : p->published_at;
}

/* /sitemap.xml: every file of every kind that holds something. The lines differ only in their
 * kind and number, so each kind's head (with the site's address, cleaned and escaped) is made
 * once and a line is two appends: a site of a million posts lists a hundred files. */
static int sitemap_index(struct page_ctx *c)
{
    static const char tail[] = ".xml</loc>\n</sitemap>\n";
    unsigned *files = malloc(SITEMAP_INDEX_MAX * sizeof(*files));
    struct buf raw = {0}, base = {0}, head = {0};
    char prefix[SITEMAP_URL_MAX];
    size_t listed = 0;
    int ret = files == NULL ? -ENOMEM : 0;
    head_absolute(c, "/sitemap-", prefix, sizeof(prefix));
    html_clean(&raw, prefix, strlen(prefix));
    html_escape(&base, raw.data ? raw.data : "", raw.len);
    struct buf *b = &c->body;
    buf_reset(b);
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"" SITEMAP_NS "\">\n");
    for (int k = 0; k < SITEMAP_KINDS && ret == 0; k++) {
        size_t n = 0;
        if ((ret = sitemap_files(c->t->db, (enum sitemap_kind)k, c->now, files, SITEMAP_INDEX_MAX - listed, &n)) < 0)
            break;
        buf_reset(&head);
        buf_puts(&head, "<sitemap>\n<loc>");
        buf_append(&head, base.data, base.len);
        buf_puts(&head, sitemap_kind_name((enum sitemap_kind)k));
        buf_putc(&head, '-');
        for (size_t i = 0; i < n; i++) {
            char line[16 + sizeof(tail)];
            size_t at = 16;
            for (unsigned v = files[i]; at == 16 || v != 0; v /= 10)
                line[--at] = (char)('0' + v % 10);
            memcpy(line + 16, tail, sizeof(tail) - 1);
            buf_append(b, head.data, head.len);
            buf_append(b, line + at, 16 - at + sizeof(tail) - 1);
        }
        listed += n;
    }
    buf_puts(b, "</sitemapindex>\n");
    if (ret == 0 && (b->err || head.err || base.err || raw.err))
        ret = -ENOMEM;
    buf_free(&raw);
    buf_free(&base);
    buf_free(&head);
    free(files);
    if (ret < 0)
        return ret;
    c->status = 200;
    c->content_type = XML_TYPE;
    return 0;
}

/* /sitemap-posts-N.xml and /sitemap-pages-N.xml (whose first file starts with the home page). */
static int sitemap_of_posts(struct page_ctx *c, enum sitemap_kind kind, unsigned file)
{
    struct post_list l = {0};
    int ret = sitemap_posts(c->t->db, kind, c->now, file, &l);
    if (ret < 0 && !(ret == -ENOENT && kind == SITEMAP_PAGES && file == 1))
        return ret;
    struct xml_writer *x = urlset(0);
    if (x == NULL) {
        post_list_free(&l);
        return -ENOMEM;
    }
    if (kind == SITEMAP_PAGES && file == 1)
        url_entry(c, x, "/", 0);
    for (size_t i = 0; i < l.n; i++) {
        char path[POST_PATH_MAX];
        if (post_path(&l.items[i], path, sizeof(path)) > 0)
            url_entry(c, x, path, lastmod_of(&l.items[i]));
    }
    post_list_free(&l);
    send_xml(c, x);
    return 0;
}

/* /sitemap-categories-N.xml, /sitemap-tags-N.xml, /sitemap-authors-N.xml. */
static int sitemap_of_items(struct page_ctx *c, enum sitemap_kind kind, unsigned file)
{
    struct sitemap_item_list l = {0};
    int ret = sitemap_items(c->t->db, kind, c->now, file, &l);
    if (ret < 0)
        return ret;
    struct xml_writer *x = urlset(0);
    if (x == NULL) {
        sitemap_item_list_free(&l);
        return -ENOMEM;
    }
    const char *base = kind == SITEMAP_CATEGORIES ? "category" : kind == SITEMAP_TAGS ? "tag" : "author";
    for (size_t i = 0; i < l.n; i++) {
        char path[400];
        snprintf(path, sizeof(path), "/%s/%s/", base, l.items[i].slug);
        url_entry(c, x, path, l.items[i].lastmod);
    }
    sitemap_item_list_free(&l);
    send_xml(c, x);
    return 0;
}

/* /sitemap-news.xml: the articles of the last two days, for news aggregators. */
static int sitemap_of_news(struct page_ctx *c)
{
    struct post_list l = {0};
    char language[SEO_LANG_MAX];
    int ret = sitemap_news(c->t->db, c->now, &l);
    if (ret < 0)
        return ret;
    struct xml_writer *x = urlset(1);
    if (x == NULL) {
        post_list_free(&l);
        return -ENOMEM;
    }
    seo_news_language(c->t->site.language, language);
    for (size_t i = 0; i < l.n; i++) {
        const struct post *p = &l.items[i];
        char path[POST_PATH_MAX], loc[SITEMAP_URL_MAX], iso[TIME_ISO_LEN];
        if (post_path(p, path, sizeof(path)) <= 0)
            continue;
        head_absolute(c, path, loc, sizeof(loc));
        time_format_iso(p->published_at, iso);
        xml_start(x, "url");
        xml_elem(x, "loc", loc);
        xml_start(x, "news:news");
        xml_start(x, "news:publication");
        xml_elem(x, "news:name", c->t->site.title);
        xml_elem(x, "news:language", language);
        xml_end(x);
        xml_elem(x, "news:publication_date", iso);
        xml_elem(x, "news:title", p->title);
        xml_end(x);
        xml_end(x);
    }
    /* the list changes by itself when its oldest article turns two days old */
    if (l.n > 0)
        app_expires(c, l.items[l.n - 1].published_at + SITEMAP_NEWS_SECONDS + 1);
    post_list_free(&l);
    send_xml(c, x);
    return 0;
}

static void robots(struct page_ctx *c)
{
    struct buf *b = &c->body;
    char loc[SITEMAP_URL_MAX];
    buf_reset(b);
    buf_puts(b, "User-agent: *\n");
    if (!c->t->site.public) {
        buf_puts(b, "Disallow: /\n"); /* the site asks not to be indexed */
    } else {
        buf_puts(b, "Disallow: /admin/\nDisallow: /comment/\nDisallow: /search/\nDisallow: /?s=\n"
                    "Disallow: /*?s=\nDisallow: /*&s=\nDisallow: /*?replytocom=\n\n");
        head_absolute(c, "/sitemap.xml", loc, sizeof(loc));
        buf_printf(b, "Sitemap: %s\n", loc);
        head_absolute(c, "/sitemap-news.xml", loc, sizeof(loc));
        buf_printf(b, "Sitemap: %s\n", loc);
    }
    c->status = 200;
    c->content_type = "text/plain; charset=utf-8";
}

static void manifest(struct page_ctx *c)
{
    const struct site *s = &c->t->site;
    json_t *icons = json_array();
    if (s->identity.has_icon) {
        json_array_append_new(
            icons, json_pack("{s:s, s:s, s:s}", "src", "/site-icon-192.png", "sizes", "192x192", "type", "image/png"));
        json_array_append_new(
            icons, json_pack("{s:s, s:s, s:s}", "src", "/site-icon-512.png", "sizes", "512x512", "type", "image/png"));
    }
    json_t *m = json_pack("{s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:o}", "name", jcstr(s->title), "short_name",
                          jcstr(s->title), "lang", jcstr(s->language), "start_url", "/", "scope", "/", "display",
                          "minimal-ui", "background_color", "#ffffff", "theme_color", "#ffffff", "icons", icons);
    if (s->tagline[0] != '\0')
        json_object_set_new(m, "description", jcstr(s->tagline));
    char *text = json_dumps(m, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(m);
    buf_reset(&c->body);
    if (text == NULL) {
        app_fail(c, 500, "The manifest could not be written.");
        return;
    }
    buf_puts(&c->body, text);
    buf_putc(&c->body, '\n');
    free(text);
    c->status = 200;
    c->content_type = "application/manifest+json";
}

/* An identity image (db/sitemap.h); 1 when name is one and was answered (found or not). */
static int identity_file(struct page_ctx *c, const char *name)
{
    static const struct {
        const char *name, *type;
    } files[] = {{"favicon.ico", "image/x-icon"},    {"apple-touch-icon.png", "image/png"},
                 {"site-icon-192.png", "image/png"}, {"site-icon-512.png", "image/png"},
                 {"site-logo.png", "image/png"},     {"social-image.jpg", "image/jpeg"}};
    size_t i = 0;
    while (i < sizeof(files) / sizeof(files[0]) && strcmp(files[i].name, name) != 0)
        i++;
    if (i == sizeof(files) / sizeof(files[0]))
        return 0;
    struct site_image img = {0};
    int ret = db_site_image_get(c->t->db, name, &img);
    if (ret == -ENOENT) {
        app_not_found(c);
        return 1;
    }
    if (ret < 0) {
        app_fail(c, 503, "The database is not available.");
        return 1;
    }
    buf_reset(&c->body);
    buf_append(&c->body, img.body, img.len);
    free(img.body);
    c->status = 200;
    c->content_type = files[i].type;
    return 1;
}

/* WordPress's and Yoast's sitemap addresses: the index, or the news sitemap. NULL for others. */
static const char *moved(const char *name, size_t n)
{
    static const char *const yoast[] = {"post-sitemap", "page-sitemap", "category-sitemap", "post_tag-sitemap",
                                        "author-sitemap"};
    if (strcmp(name, "wp-sitemap.xml") == 0 || strcmp(name, "sitemap_index.xml") == 0 ||
        (strncmp(name, "wp-sitemap-", 11) == 0 && n > 15 && strcmp(name + n - 4, ".xml") == 0))
        return "/sitemap.xml";
    if (strcmp(name, "news-sitemap.xml") == 0)
        return "/sitemap-news.xml";
    for (size_t i = 0; i < sizeof(yoast) / sizeof(yoast[0]); i++) {
        size_t k = strlen(yoast[i]);
        if (n < k + 4 || strncmp(name, yoast[i], k) != 0 || strcmp(name + n - 4, ".xml") != 0)
            continue;
        size_t j = k;
        while (j < n - 4 && name[j] >= '0' && name[j] <= '9')
            j++;
        if (j == n - 4)
            return "/sitemap.xml";
    }
    return NULL;
}

/* "KIND-N" of sitemap-KIND-N.xml; 0 when name is not one. */
static int numbered(const char *name, size_t n, enum sitemap_kind *kind, unsigned *file)
{
    if (n < 14 || strncmp(name, "sitemap-", 8) != 0 || strcmp(name + n - 4, ".xml") != 0)
        return 0;
    const char *s = name + 8, *end = name + n - 4, *dash = end;
    while (dash > s && dash[-1] != '-')
        dash--;
    if (dash <= s + 1 || dash == end || *dash == '0' || end - dash > 6)
        return 0;
    unsigned v = 0;
    for (const char *p = dash; p < end; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (unsigned)(*p - '0');
    }
    if (sitemap_kind_parse(s, (size_t)(dash - 1 - s), kind) < 0)
        return 0;
    *file = v;
    return 1;
}

void sitemap_serve(struct page_ctx *c, void (*missing)(struct page_ctx *c))
{
    char name[ROUTE_MAX_SLUG + 1];
    size_t n = c->route.slug_len;
    enum sitemap_kind kind = SITEMAP_POSTS;
    unsigned file = 0;
    int ret;
    memcpy(name, c->route.slug, n);
    name[n] = '\0';
    const char *to = moved(name, n);
    if (to != NULL) {
        http_redirect(c->req, 301, to, strlen(to));
        c->sent = 1;
        return;
    }
    if (strcmp(name, "robots.txt") == 0 || strcmp(name, "manifest.webmanifest") == 0) {
        app_depends(c, TAG_SITE, 0);
        if (name[0] == 'r')
            robots(c);
        else
            manifest(c);
        return;
    }
    app_depends(c, TAG_SITE, 0);
    if (identity_file(c, name))
        return;
    int index = strcmp(name, "sitemap.xml") == 0, news = strcmp(name, "sitemap-news.xml") == 0;
    int listed = numbered(name, n, &kind, &file);
    if (!index && !news && !listed) {
        c->n_deps = 0;
        missing(c);
        return;
    }
    if (!c->t->site.public) { /* a site that asks not to be indexed offers no sitemap (as WordPress) */
        app_not_found(c);
        return;
    }
    app_depends(c, TAG_LISTS, 0);
    if (index)
        ret = sitemap_index(c);
    else if (news)
        ret = sitemap_of_news(c);
    else if (kind == SITEMAP_POSTS || kind == SITEMAP_PAGES)
        ret = sitemap_of_posts(c, kind, file);
    else
        ret = sitemap_of_items(c, kind, file);
    if (ret == -ENOENT)
        app_not_found(c);
    else if (ret < 0)
        app_fail(c, 503, "The database is not available.");
}
