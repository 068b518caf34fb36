/* What every public page tells search engines, news aggregators and social sites in its <head>:
 * the canonical address, the description, robots directives, rel=prev/next, Open Graph and
 * Twitter tags, the site's icons and the structured data (JSON-LD: NewsArticle, WebSite with its
 * SearchAction, Organization, CollectionPage, BreadcrumbList). Handlers say what the page is in
 * c->head; this file turns it into template data ("head"), which the theme's header writes out.
 * Every value is text for the template engine to escape, except the JSON-LD, which is escaped
 * for its script element by render/jsonld.c. */
#include "app/app_int.h"

#include <stdio.h>
#include <string.h>

#include "lib/timeutil.h"
#include "news/post.h"
#include "news/seo.h"
#include "render/jsonld.h"

#define HEAD_URL_MAX 2400 /* site_url plus a path */

void head_absolute(const struct page_ctx *c, const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s", c->t->site.url ? c->t->site.url : "", path);
}

static json_t *absolute(const struct page_ctx *c, const char *path)
{
    char url[HEAD_URL_MAX];
    head_absolute(c, path, url, sizeof(url));
    return jcstr(url);
}

/* One Open Graph tag (<meta property>) or Twitter tag (<meta name>). */
static void tag(json_t *list, const char *key, const char *name, json_t *content)
{
    json_array_append_new(list, json_pack("{s:s, s:o}", key, name, "content", content));
}

static void og(json_t *list, const char *name, const char *content)
{
    tag(list, "property", name, jcstr(content));
}

static json_t *image_object(const struct page_ctx *c, const struct identity_image *img)
{
    return json_pack("{s:s, s:o, s:i, s:i}", "@type", "ImageObject", "url", absolute(c, img->path), "width", img->width,
                     "height", img->height);
}

/* The site's publisher: its name, address and logo. */
static json_t *organization(const struct page_ctx *c)
{
    const struct site *s = &c->t->site;
    json_t *o = json_pack("{s:s, s:o, s:o, s:o}", "@type", "Organization", "@id", absolute(c, "/#organization"), "name",
                          jcstr(s->title), "url", absolute(c, "/"));
    if (s->identity.logo.path[0] != '\0')
        json_object_set_new(o, "logo", image_object(c, &s->identity.logo));
    return o;
}

static json_t *website_ref(const struct page_ctx *c)
{
    return json_pack("{s:s, s:o, s:o, s:o}", "@type", "WebSite", "@id", absolute(c, "/#website"), "name",
                     jcstr(c->t->site.title), "url", absolute(c, "/"));
}

/* Home, then the handler's crumbs: [{name, path}]. */
static json_t *breadcrumbs(const struct page_ctx *c, json_t *crumbs)
{
    json_t *items = json_array();
    json_array_append_new(items, json_pack("{s:s, s:i, s:s, s:o}", "@type", "ListItem", "position", 1, "name", "Home",
                                           "item", absolute(c, "/")));
    size_t i;
    json_t *cr;
    json_array_foreach(crumbs, i, cr)
    {
        const char *name = json_string_value(json_object_get(cr, "name"));
        const char *path = json_string_value(json_object_get(cr, "path"));
        json_array_append_new(items, json_pack("{s:s, s:i, s:o, s:o}", "@type", "ListItem", "position", (int)i + 2,
                                               "name", jcstr(name), "item", absolute(c, path ? path : "/")));
    }
    return json_pack("{s:s, s:o}", "@type", "BreadcrumbList", "itemListElement", items);
}

static json_t *names(const struct term_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; l != NULL && i < l->n; i++)
        json_array_append_new(a, jcstr(l->items[i].name));
    return a;
}

/* NewsArticle (or, for a static page, WebPage) of the post. */
static json_t *post_node(struct page_ctx *c, const struct post *p, const char *url, const char *description,
                         const struct identity_image *image)
{
    const struct page_head *h = &c->head;
    char published[TIME_ISO_LEN], modified[TIME_ISO_LEN], author[400];
    time_format_iso(p->published_at, published);
    time_format_iso(p->modified_at > p->published_at ? p->modified_at : p->published_at, modified);
    int article = h->type == HEAD_ARTICLE;
    json_t *n =
        json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:o}", "@type", article ? "NewsArticle" : "WebPage", "@id",
                  article ? "" : url, article ? "headline" : "name", jcstr(p->title), "url", jcstr(url),
                  "datePublished", published, "dateModified", modified, "inLanguage", jcstr(c->t->site.language));
    if (article) {
        char id[HEAD_URL_MAX + 16];
        snprintf(id, sizeof(id), "%s#article", url);
        json_object_set_new(n, "@id", jcstr(id));
    }
    if (description[0] != '\0')
        json_object_set_new(n, "description", jcstr(description));
    if (image != NULL)
        json_object_set_new(n, "image", json_pack("[o]", image_object(c, image)));
    if (!article) {
        json_object_set_new(n, "isPartOf", website_ref(c));
        return n;
    }
    snprintf(author, sizeof(author), "/author/%s/", p->author_login ? p->author_login : "");
    const char *name = p->author_name && p->author_name[0] ? p->author_name : p->author_login;
    json_object_set_new(
        n, "author",
        json_pack("[{s:s, s:o, s:o}]", "@type", "Person", "name", jcstr(name), "url", absolute(c, author)));
    json_object_set_new(n, "publisher", organization(c));
    json_object_set_new(n, "mainEntityOfPage", json_pack("{s:s, s:o}", "@type", "WebPage", "@id", jcstr(url)));
    json_object_set_new(n, "articleSection", names(h->cats));
    json_object_set_new(n, "keywords", names(h->tags));
    if (p->password == NULL || p->password[0] == '\0')
        json_object_set_new(
            n, "wordCount",
            json_integer((json_int_t)post_word_count(p->html ? p->html : "", p->html ? strlen(p->html) : 0)));
    json_object_set_new(n, "isPartOf", website_ref(c));
    return n;
}

/* The page's structured data as the text of its script element, or NULL when it has none. */
static json_t *structured(struct page_ctx *c, const char *url, const char *name, const char *description,
                          const struct identity_image *image)
{
    const struct page_head *h = &c->head;
    const struct site *s = &c->t->site;
    json_t *graph = json_array();
    switch (h->type) {
    case HEAD_HOME: {
        char target[HEAD_URL_MAX + 32];
        snprintf(target, sizeof(target), "%s/?s={search_term_string}", s->url);
        json_t *site = website_ref(c);
        if (s->tagline[0] != '\0')
            json_object_set_new(site, "description", jcstr(s->tagline));
        json_object_set_new(site, "inLanguage", jcstr(s->language));
        json_object_set_new(site, "publisher", json_pack("{s:o}", "@id", absolute(c, "/#organization")));
        json_object_set_new(site, "potentialAction",
                            json_pack("{s:s, s:{s:s, s:o}, s:s}", "@type", "SearchAction", "target", "@type",
                                      "EntryPoint", "urlTemplate", jcstr(target), "query-input",
                                      "required name=search_term_string"));
        json_array_append_new(graph, site);
        json_array_append_new(graph, organization(c));
        break;
    }
    case HEAD_ARTICLE:
    case HEAD_PAGE:
        json_array_append_new(graph, post_node(c, h->post, url, description, image));
        break;
    case HEAD_ARCHIVE: {
        json_t *page = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "@type", "CollectionPage", "@id", url, "url", url,
                                 "name", jcstr(name), "inLanguage", jcstr(s->language), "isPartOf", website_ref(c));
        if (description[0] != '\0')
            json_object_set_new(page, "description", jcstr(description));
        json_array_append_new(graph, page);
        break;
    }
    case HEAD_PLAIN:
        json_decref(graph);
        return NULL;
    }
    if (h->type != HEAD_HOME && h->crumbs != NULL)
        json_array_append_new(graph, breadcrumbs(c, h->crumbs));
    json_t *doc = json_pack("{s:s, s:o}", "@context", "https://schema.org", "@graph", graph);
    struct buf b = BUF_INIT;
    int rc = jsonld_script(&b, doc);
    json_decref(doc);
    json_t *text = rc == 0 ? jstr(b.data ? b.data : "", b.len) : NULL;
    buf_free(&b);
    return text;
}

/* The icons of the site icon setting, for <link> elements; false when there is none. */
static json_t *icons(const struct site *s)
{
    if (!s->identity.has_icon)
        return json_false();
    return json_pack("{s:s, s:s, s:s}", "favicon", "/favicon.ico", "icon", "/site-icon-192.png", "apple",
                     "/apple-touch-icon.png");
}

/* Open Graph and Twitter tags. */
static void social(struct page_ctx *c, json_t *head, const char *url, const char *name, const char *description,
                   const struct identity_image *image)
{
    const struct page_head *h = &c->head;
    const struct site *s = &c->t->site;
    char locale[SEO_LANG_MAX], num[24], iso[TIME_ISO_LEN];
    json_t *o = json_array(), *tw = json_array();
    seo_og_locale(s->language, locale);
    og(o, "og:site_name", s->title);
    og(o, "og:type", h->type == HEAD_ARTICLE ? "article" : "website");
    og(o, "og:title", name);
    if (description[0] != '\0')
        og(o, "og:description", description);
    if (url != NULL)
        og(o, "og:url", url);
    og(o, "og:locale", locale);
    if (image != NULL) {
        char src[HEAD_URL_MAX];
        head_absolute(c, image->path, src, sizeof(src));
        og(o, "og:image", src);
        og(o, "og:image:type", image->content_type);
        snprintf(num, sizeof(num), "%d", image->width);
        og(o, "og:image:width", num);
        snprintf(num, sizeof(num), "%d", image->height);
        og(o, "og:image:height", num);
    }
    if (h->type == HEAD_ARTICLE) {
        const struct post *p = h->post;
        char author[400], full[HEAD_URL_MAX];
        time_format_iso(p->published_at, iso);
        og(o, "article:published_time", iso);
        time_format_iso(p->modified_at > p->published_at ? p->modified_at : p->published_at, iso);
        og(o, "article:modified_time", iso);
        if (h->cats != NULL && h->cats->n > 0)
            og(o, "article:section", h->cats->items[0].name);
        for (size_t i = 0; h->tags != NULL && i < h->tags->n; i++)
            og(o, "article:tag", h->tags->items[i].name);
        snprintf(author, sizeof(author), "/author/%s/", p->author_login ? p->author_login : "");
        head_absolute(c, author, full, sizeof(full));
        og(o, "article:author", full);
    }
    tag(tw, "name", "twitter:card", json_string(image != NULL ? "summary_large_image" : "summary"));
    tag(tw, "name", "twitter:title", jcstr(name));
    if (description[0] != '\0')
        tag(tw, "name", "twitter:description", jcstr(description));
    if (image != NULL)
        tag(tw, "name", "twitter:image", absolute(c, image->path));
    json_object_set_new(head, "og", o);
    json_object_set_new(head, "twitter", tw);
}

void head_add(struct page_ctx *c, int status, json_t *data, const char *title)
{
    struct page_head *h = &c->head;
    const struct site *s = &c->t->site;
    json_t *head = json_object();
    struct buf desc = BUF_INIT;
    char url[HEAD_URL_MAX];
    if (status != 200 || c->banner != NULL) { /* an error page, a newsroom preview */
        h->noindex = 1;
        h->path = NULL;
    }
    if (h->path != NULL)
        head_absolute(c, h->path, url, sizeof(url));

    /* the description: the handler's, the post's excerpt, the tagline on the home page */
    if (h->description != NULL)
        seo_description(h->description, &desc);
    else if (h->post != NULL)
        seo_post_description(h->post, &desc);
    else if (h->type == HEAD_HOME)
        seo_description(s->tagline, &desc);
    const char *description = desc.data && desc.err == 0 ? desc.data : "";

    const char *name = h->post != NULL ? h->post->title : h->name ? h->name : title ? title : s->title;
    struct identity_image img;
    const struct identity_image *image = NULL;
    if (h->post != NULL ? seo_post_image(c->t->db, h->post, &s->identity, &img) == 0 : s->identity.social.path[0]) {
        if (h->post == NULL)
            img = s->identity.social;
        image = &img;
    }

    json_object_set_new(head, "canonical", h->path ? jcstr(url) : json_false());
    json_object_set_new(head, "description", description[0] ? jcstr(description) : json_false());
    const char *robots = !s->public ? "noindex, nofollow" : h->noindex ? "noindex, follow" : "max-image-preview:large";
    json_object_set_new(head, "robots", json_string(robots));
    json_object_set_new(head, "prev", h->prev ? absolute(c, h->prev) : json_false());
    json_object_set_new(head, "next", h->next ? absolute(c, h->next) : json_false());
    json_object_set_new(head, "icons", icons(s));
    if (!h->noindex && h->path != NULL) {
        social(c, head, url, name, description, image);
        json_t *ld = structured(c, url, name, description, image);
        json_object_set_new(head, "jsonld", ld ? ld : json_false());
    } else {
        json_object_set_new(head, "og", json_array());
        json_object_set_new(head, "twitter", json_array());
        json_object_set_new(head, "jsonld", json_false());
    }
    buf_free(&desc);
    json_decref(h->crumbs);
    h->crumbs = NULL;
    json_object_set_new(data, "head", head);
    json_object_set_new(data, "lang", jcstr(s->language));
}
