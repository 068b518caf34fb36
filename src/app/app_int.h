/* What the page handlers of src/app/ share: the process-wide theme, the per-thread state, the
 * per-request context and the helpers that build template data. Not for other layers. */
#pragma once

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>

#include "app/app.h"
#include "db/db.h"
#include "http/cache.h"
#include "http/form.h"
#include "http/server.h"
#include "http/router.h"
#include "lib/buf.h"
#include "news/archive.h"
#include "news/comment.h"
#include "news/identity.h"
#include "news/menu.h"
#include "news/permalink.h"

struct tpl_set;

#define APP_MAX_ASSETS 64                    /* theme files served under /static/ */
#define APP_MAX_ASSET_SIZE ((size_t)4 << 20) /* largest theme file */
#define APP_CACHE_BYTES ((size_t)64 << 20)   /* default page cache budget of the whole process */
#define APP_MAX_DEPS 96                      /* tags a page records (more: it depends on every change) */
#define APP_CHANGES_BATCH 256                /* change log rows read at a time */
#define APP_NEIGHBOUR_LOOKUPS 64             /* changed posts whose neighbours are looked up, per batch */
#define APP_BUDGET_MS 1000                   /* request_budget_ms until the settings are read */
#define APP_ASSET_HASH_LEN 16                /* hex digits of the content hash in a theme file's URL */
#define APP_COOKIE "gazette_commenter"
#define APP_COOKIE_AGE 31536000L /* one year */

/* A theme file, served at /static/NAME and, for ever unchanged, at /static/BASE.HASH.EXT. */
struct asset {
    char *name;
    char *hashed_path; /* "/static/style.0123456789abcdef.css" */
    char *key;         /* its name in template data: "style_css" */
    const char *content_type;
    char *body;
    size_t len;
    struct http_encoded enc; /* made once, at the strongest level */
    int64_t modified;        /* the file's mtime */
    char etag[20];
};

/* What a cached page shows, as cache tags (http/cache.h): APP_TAG(kind, id). A write drops the
 * pages of the tags it touches (app.c, apply_changes). */
enum app_tag {
    TAG_ANY = 1,          /* a page that could not list what it shows: any change drops it */
    TAG_POST = 2,         /* id: the post's title, path, content, terms (its page, its neighbours', lists) */
    TAG_COMMENTS = 3,     /* id: the post's approved comments or their count */
    TAG_LISTS = 4,        /* which posts lists and post feeds hold, and in what order */
    TAG_COMMENT_FEED = 5, /* the site-wide comment feed */
    TAG_ARTICLE = 6,      /* id: the article page of the post itself (its neighbours' links) */
    TAG_SITE = 7,         /* the settings and identity images only (robots.txt, icons): a site change drops it */
};
#define APP_TAG(kind, id) (((uint64_t)(kind) << 56) | ((uint64_t)(id)&0x00ffffffffffffffull))

struct writer;

struct app {
    char *data_dir;
    char *database;     /* the URL each thread's connection opens */
    size_t cache_bytes; /* per thread: the process's budget shared out */
    struct writer *writer;
    struct app_thread *threads[HTTP_MAX_THREADS]; /* for the statistics; NULL when not running */
    pthread_mutex_t stats_lock;                   /* a thread leaving vs. app_stats reading its cache */
    struct tpl_set *tpl;
    struct asset assets[APP_MAX_ASSETS];
    size_t n_assets;
    int host_warned; /* the warning that site_url disagrees with the Host header was printed (atomic) */
};

/* Site settings and navigation, read again whenever the database changes. */
struct site {
    char *title;
    char *tagline;
    char *timezone;      /* checked by news/settings.c; an invalid stored zone reads as UTC */
    char *cache_control; /* of pages the same for every visitor ("": none) */
    char *hsts;          /* Strict-Transport-Security over HTTPS ("": none) */
    int url_set;         /* site_url was set by the owner (else url follows the server's address) */
    int64_t per_page;
    int64_t thread_depth;
    struct comment_paging comments; /* how an article's comments are paged */
    int64_t budget_ms;              /* request_budget_ms: database time a request may take */
    int64_t close_days;             /* comment_close_days (0: comments never close by age) */
    int require_name_email;         /* comment_require_name_email */
    struct term_list categories;
    struct menu menu;                             /* the header navigation */
    struct post_month months[ARCHIVE_MONTHS_MAX]; /* the "Archives" list, newest first */
    size_t n_months;
    struct permalink permalink; /* the parsed permalink_structure (the default when it does not parse) */
    char *url;                  /* site_url without its final '/' */
    char *language;             /* site_language (checked by news/settings.c; "en-US" when it is not valid) */
    int public;                 /* blog_public: search engines may index the site */
    struct identity identity;   /* the icon, logo and default social image (news/identity.h) */
    char api_link[600];         /* the Link header naming the API (api_link_header), for every page */
    size_t api_link_len;
};

struct app_thread {
    struct app *app;
    unsigned index;
    struct db *db;
    struct page_cache *cache;
    uint64_t generation;
    int64_t next_due;    /* when a post dated in the future comes due (INT64_MAX: none waiting) */
    int64_t due_from;    /* posts dated up to here are shown (due_ids looks after it) */
    int64_t seen;        /* the last change log row applied to the cache */
    uint64_t site_print; /* a hash of what every page shows of the site (navigation, months) */
    struct site site;
    struct app_home *home; /* where the writer and workers answer this thread (writer.h) */
};

/* A remembered commenter, from the gazette_commenter cookie. */
struct commenter {
    struct form f;
    const char *author, *email, *url; /* NULL when absent */
    size_t author_len, email_len, url_len;
};

/* What a page's handler tells head.c about it before app_render, for its <head>: the canonical
 * address, the description, Open Graph and Twitter tags, rel=prev/next and the structured data.
 * Pointers are borrowed until app_render returns. A page that says nothing is a plain web page
 * without a canonical address; any status but 200 is marked noindex. */
enum head_type { HEAD_PLAIN, HEAD_HOME, HEAD_ARTICLE, HEAD_PAGE, HEAD_ARCHIVE };
struct page_head {
    enum head_type type;
    const char *path;        /* the canonical path, NULL for none */
    const struct post *post; /* HEAD_ARTICLE, HEAD_PAGE */
    const struct term_list *cats, *tags;
    const char *name;        /* HEAD_ARCHIVE: the archive's name */
    const char *description; /* plain text; NULL: the post's excerpt, the tagline on the home page */
    const char *prev, *next; /* the neighbouring pages of a paginated list or thread (paths) */
    json_t *crumbs;          /* [{name, path}] after Home for the BreadcrumbList (owned), or NULL */
    int noindex;             /* search results and previews: not for search engines */
};

/* One request being answered. Handlers fill status and body (or send it themselves and set sent). */
struct page_ctx {
    struct app_thread *t;
    h2o_req_t *req;
    struct route route;
    int64_t now;
    struct form query;
    int has_query;
    struct commenter cookie;
    int has_cookie;
    int status;
    const char *content_type; /* of body (a static string); NULL means HTML */
    struct buf body;
    int sent;
    struct permalink_match pl; /* has_pl: the article route came from the permalink structure */
    int has_pl;
    json_t *banner; /* the newsroom's draft preview: shown on the page as "preview" (borrowed), else NULL */
    uint64_t deps[APP_MAX_DEPS]; /* what the page shows, as cache tags (app_depends) */
    size_t n_deps;
    int deps_overflow;
    int64_t expires;       /* when the page changes by itself (INT64_MAX: only through a write) */
    struct page_head head; /* what the page tells search engines and social sites (head.c) */
};

/* ---- app.c ---- */
/* Renders template tpl with data (which it consumes) into c->body with the given status; adds
 * site, nav, year and the <title> (title - site title, or the site title alone when NULL). */
void app_render(struct page_ctx *c, int status, const char *tpl, json_t *data, const char *title);
/* The theme's 404 page. */
void app_not_found(struct page_ctx *c);
/* Sends what a handler left in c (status and body) unless it answered itself, storing it in the
 * thread's cache first when cache is set and the page may be kept. */
void app_finish(struct page_ctx *c, int cache);
/* Frees what a request context holds (body, query, cookie). */
void app_ctx_free(struct page_ctx *c);
/* The 503 (with Retry-After) of a request whose database work ran past request_budget_ms. */
void app_busy(h2o_req_t *req);
/* A bare status page for failures that have no better page (500). */
void app_fail(struct page_ctx *c, int status, const char *why);
/* The value of a query parameter, or NULL. */
const char *app_query(const struct page_ctx *c, const char *name, size_t *len);
/* Records that the page being built shows something (enum app_tag, and the post id or 0), so
 * that its cached copy is dropped when that changes. */
void app_depends(struct page_ctx *c, enum app_tag kind, int64_t id);
/* The page being built changes by itself at t (seconds): its cached copy expires then. */
void app_expires(struct page_ctx *c, int64_t t);

/* ---- head.c ---- */
/* Adds "head" and "lang" to the data of a page being rendered with status, from c->head and the
 * site's settings (docs/reader-site.md, "Search engines and social sites"); frees c->head.crumbs. */
void head_add(struct page_ctx *c, int status, json_t *data, const char *title);
/* The absolute address of path on the site (site_url + path) into out. */
void head_absolute(const struct page_ctx *c, const char *path, char *out, size_t cap);

/* ---- sitemap.c ---- */
/* /robots.txt, /sitemap.xml and its files, /sitemap-news.xml, the manifest and the identity
 * images (c->route.kind ROUTE_FILE, c->route.slug the file name); WordPress's and Yoast's sitemap
 * addresses answer 301. Anything else: missing(c). */
void sitemap_serve(struct page_ctx *c, void (*missing)(struct page_ctx *c));

/* ---- site.c ---- */
/* A JSON string from n bytes that may not be valid UTF-8 (cleaned, never NULL). */
json_t *jstr(const char *s, size_t n);
/* A JSON string from a NUL-terminated string (NULL gives ""). */
json_t *jcstr(const char *s);
/* Summary data of each post of a list, as a JSON array in the list's order: title, path, dates,
 * author, excerpt, categories, the featured image as a thumbnail (the categories and images of the
 * whole list are read at once). */
json_t *site_post_summaries(struct page_ctx *c, const struct post *posts, size_t n);
/* Fields common to posts and pages: id, title, path, html, date_iso, date, author_name, author_path. */
json_t *site_post_core(const struct post *p, const char *zone);
/* [{name, path, last}] for a term list, with path /category/slug/ or /tag/slug/. */
json_t *site_terms(const struct term_list *l);
/* Loads settings and categories into t->site (after a database change). */
int site_load(struct app_thread *t);
void site_clear(struct site *s);
/* Parses a decimal id of n bytes; -1 when it is not one. */
int64_t site_parse_id(const char *s, size_t n);

/* ---- home.c ---- */
void home_page(struct page_ctx *c);
/* Fills posts and pagination (links base + "page/N/" + query) and renders tpl; answers 404 past
 * the last page. Consumes list and data. */
void home_render_list(struct page_ctx *c, json_t *data, struct post_list *list, int64_t total, const char *base,
                      const char *query, const char *tpl, const char *title);
void term_page(struct page_ctx *c, enum term_taxonomy tax);
/* Says in c->head that the page is an archive called name (its <title> text), with a description
 * (both borrowed until app_render) and the breadcrumb `crumb` at path after Home (copied). */
void archive_head(struct page_ctx *c, const char *name, const char *description, const char *crumb, const char *path);
void author_page(struct page_ctx *c);
/* A category or tag address with a slug the term had before it was renamed or merged: 1 when it
 * answered with a 301 to the same address with the term's slug now. */
int term_moved_redirect(struct page_ctx *c);
/* Old WordPress links /?p=ID and /?page_id=ID: 1 when it answered with a redirect. */
int home_legacy_redirect(struct page_ctx *c);

/* ---- article.c ---- */
/* The reply form's state when it is shown again after a refused submission. */
struct reply_state {
    int64_t parent_id;
    struct comment_field comment, author, email, url;
    const char *errors[4];    /* per field, in the order comment, author, email, url; NULL when fine */
    const char *parent_error; /* the comment_parent field's error */
    const char *message;      /* a refusal for the whole form (429, 409) */
    int remember;
};
void article_page(struct page_ctx *c);
/* The public post the article route names: by id, by date and slug, or by slug (from the
 * permalink structure's match, else the default /YYYY/MM/DD/slug/). 0, -ENOENT or an error. */
int article_find(struct page_ctx *c, struct post *out);
void static_page(struct page_ctx *c);
/* Renders the article page of post (already read) with status, the form holding state (NULL: a
 * fresh form, prefilled from the cookie, honouring ?replytocom and ?moderation). */
void article_render(struct page_ctx *c, struct post *post, int status, const struct reply_state *state);
/* The address of page `page` (of `pages`) of an article's comments, path being the article's:
 * path itself for the page the article's own address shows, else path + "comment-page-N/". */
void article_comment_page_path(const struct page_ctx *c, const char *path, size_t page, size_t pages, char *out,
                               size_t cap);
/* The address of comment id of post_id, path being the article's: the comment's page (as
 * article_comment_page_path) then #comment-ID, into out (POST_PATH_MAX + 64 bytes is enough).
 * A comment that is not shown (held) gets the article's own page. */
void article_comment_link(struct page_ctx *c, int64_t post_id, const char *path, int64_t id, char *out, size_t cap);

/* ---- comments.c ---- */
void comment_post(struct page_ctx *c);
/* Reads the gazette_commenter cookie into c->cookie (c->has_cookie). */
void commenter_from_request(struct page_ctx *c);

/* ---- feeds.c ---- */
/* Answers a feed address (c->route.feed is set): the RSS or Atom feed, a 301 for WordPress's
 * other feed names, or the 404 page when the category, tag, author or article does not exist. */
void feed_serve(struct page_ctx *c);
/* WordPress's ?feed=rss2, ?feed=atom, ?feed=comments-rss2 (also with ?p=, ?cat=, ?tag=,
 * ?author=) on the home page: 1 when it answered with a 301 to the feed's address. */
int feed_legacy_redirect(struct page_ctx *c);
/* The feeds a page links to in its <head>: [{type, title, href}], the site's feed first, then
 * the feed of the category, tag, author or article being shown (status 200, first page). */
json_t *feed_alternates(struct page_ctx *c, int status, json_t *data);

/* ---- assets.c ---- */
int assets_load(struct app *a, const char *dir);
void assets_free(struct app *a);
void asset_serve(struct page_ctx *c);

/* images.c: what an image template shows of medium m (copies read): src (the fallback copy
 * nearest width), srcset and webp_srcset, sizes, width and height of src, alt, caption, credit,
 * lazy (load when near the viewport: below the fold). JSON null when m has no copies. */
struct medium;
json_t *app_image_json(const struct medium *m, int width, const char *sizes, int lazy);
/* The same for the featured image of p, or JSON false when it has none. (A change of the medium
 * logs a change of the posts that show it: the page's TAG_POST covers it.) */
json_t *app_featured_json(struct page_ctx *c, const struct post *p, int width, const char *sizes, int lazy);
/* The same for a medium already read (id 0: none, JSON false). */
json_t *app_medium_json(const struct medium *m, int width, const char *sizes, int lazy);

/* The sizes attribute of each place an image shows (the theme's style.css lays them out so). */
#define APP_SIZES_LEAD "(max-width: 1100px) 100vw, 1100px"
#define APP_SIZES_ARTICLE "(max-width: 760px) 100vw, 760px"
#define APP_SIZES_THUMB "(max-width: 600px) 100vw, 360px"

/* uploads.c: whether path[0..n) is under /uploads/, and the file it names (or a 404). */
int uploads_path(const char *path, size_t n);
void uploads_serve(struct app_thread *t, h2o_req_t *req);
/* {"style_css": "/static/style.HASH.css", ...}: the theme files' content-hashed URLs, which
 * templates use as {{static.style_css}}. */
json_t *assets_json(const struct app *a);

/* ---- archive.c ---- */
/* /YYYY/, /YYYY/MM/, /YYYY/MM/DD/ (and /page/N/): the period's posts, newest first. */
void date_archive_page(struct page_ctx *c);
/* /?s=words (and /page/N/?s=, &paged=N): 1 when the request is a search and was answered. */
int search_page(struct page_ctx *c);
/* /search/words/: 301 to /?s=words. */
void search_redirect(struct page_ctx *c);
/* The "Archives" list for every page: [{label, path, current}]. */
json_t *archive_months_json(const struct page_ctx *c);
