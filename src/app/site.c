/* Template data shared by every page: site settings and navigation (reloaded when the database
 * changes), and the JSON shapes of posts and terms that the theme's templates read. Only public
 * fields go in: never a commenter's email, never an author's. */
#include "app/app_int.h"
#include "api/api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/timeutil.h"
#include "lib/tz.h"
#include "news/media.h"
#include "news/permalink.h"
#include "news/post.h"
#include "news/seo.h"
#include "news/settings.h"
#include "news/taxonomy.h"
#include "render/html.h"

json_t *jstr(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    if (j != NULL)
        return j;
    struct buf b = BUF_INIT;
    html_clean(&b, s, n);
    j = json_stringn_nocheck(b.data ? b.data : "", b.len);
    buf_free(&b);
    return j;
}

json_t *jcstr(const char *s)
{
    return s ? jstr(s, strlen(s)) : json_string("");
}

int64_t site_parse_id(const char *s, size_t n)
{
    int64_t v = 0;
    if (s == NULL || n == 0 || n > 18)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

void site_clear(struct site *s)
{
    free(s->title);
    free(s->tagline);
    free(s->timezone);
    free(s->cache_control);
    free(s->hsts);
    free(s->url);
    free(s->language);
    term_list_free(&s->categories);
    menu_free(&s->menu);
    memset(s, 0, sizeof(*s));
}

int site_load(struct app_thread *t)
{
    struct site s = {0};
    int64_t public = 1, require = 1;
    int rc;
    if ((rc = setting_get(t->db, "site_title", &s.title)) < 0 ||
        (rc = setting_get(t->db, "site_tagline", &s.tagline)) < 0 ||
        (rc = setting_get(t->db, "timezone", &s.timezone)) < 0 ||
        (rc = setting_get(t->db, "cache_control", &s.cache_control)) < 0 ||
        (rc = setting_get(t->db, "hsts", &s.hsts)) < 0 || (rc = setting_get(t->db, "site_url", &s.url)) < 0 ||
        (rc = setting_is_set(t->db, "site_url", &s.url_set)) < 0 ||
        (rc = setting_get(t->db, "site_language", &s.language)) < 0 ||
        (rc = setting_get_int(t->db, "blog_public", &public)) < 0 || (rc = identity_load(t->db, &s.identity)) < 0 ||
        (rc = setting_get_int(t->db, "posts_per_page", &s.per_page)) < 0 ||
        (rc = setting_get_int(t->db, "thread_depth", &s.thread_depth)) < 0 ||
        (rc = setting_get_int(t->db, "request_budget_ms", &s.budget_ms)) < 0 ||
        (rc = setting_get_int(t->db, "comment_close_days", &s.close_days)) < 0 ||
        (rc = setting_get_int(t->db, "comment_require_name_email", &require)) < 0 ||
        (rc = comment_paging_get(t->db, &s.comments)) < 0 ||
        (rc = term_list(t->db, TERM_CATEGORY, time_now(), &s.categories)) < 0 ||
        (rc = menu_read(t->db, time_now(), &s.menu)) < 0 ||
        (rc = archive_months(t->db, time_now(), s.months, &s.n_months)) < 0) {
        fprintf(stderr, "gazette: reading settings: %s\n", db_errmsg(t->db));
        site_clear(&s);
        return rc;
    }
    setting_permalink(t->db, &s.permalink);
    size_t n = strlen(s.url);
    while (n > 0 && s.url[n - 1] == '/')
        s.url[--n] = '\0';
    if (!seo_language_ok(s.language)) {
        free(s.language);
        s.language = strdup("en-US");
        if (s.language == NULL)
            abort();
    }
    s.public = public != 0;
    s.require_name_email = require != 0;
    s.api_link_len = api_link_header(s.url, s.api_link, sizeof(s.api_link));
    if (s.per_page < 1)
        s.per_page = 10;
    if (s.thread_depth < 1)
        s.thread_depth = 1;
    site_clear(&t->site);
    t->site = s;
    app_upload_limit(t->db); /* media_max_bytes may have changed */
    permalink_use(&t->site.permalink);
    return 0;
}

json_t *site_terms(const struct term_list *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const struct term *tm = &l->items[i];
        char path[300];
        snprintf(path, sizeof(path), "/%s/%s/", tm->taxonomy == TERM_CATEGORY ? "category" : "tag", tm->slug);
        json_array_append_new(
            a, json_pack("{s:o, s:o, s:b}", "name", jcstr(tm->name), "path", jcstr(path), "last", i + 1 == l->n));
    }
    return a;
}

json_t *site_post_core(const struct post *p, const char *zone)
{
    char path[POST_PATH_MAX], author[128], iso[TIME_ISO_LEN], human[TIME_HUMAN_MAX];
    if (post_path(p, path, sizeof(path)) < 0)
        path[0] = '\0';
    snprintf(author, sizeof(author), "/author/%s/", p->author_login ? p->author_login : "");
    time_format_iso(p->published_at, iso);
    tz_format_human(zone, p->published_at, human);
    return json_pack("{s:I, s:o, s:o, s:o, s:s, s:s, s:o, s:o}", "id", (json_int_t)p->id, "title", jcstr(p->title),
                     "path", jcstr(path), "html", jcstr(p->html), "date_iso", iso, "date", human, "author_name",
                     jcstr(p->author_name ? p->author_name : p->author_login), "author_path", jcstr(author));
}

/* The summary of p, its categories and featured image read. */
static json_t *summary(struct page_ctx *c, const struct post *p, const struct term_list *cats, const struct medium *img)
{
    json_t *j = site_post_core(p, c->t->site.timezone);
    app_depends(c, TAG_POST, p->id);
    app_depends(c, TAG_COMMENTS, p->id); /* the comment count */
    char label[64];
    snprintf(label, sizeof(label), "%lld Comment%s", (long long)p->comment_count, p->comment_count == 1 ? "" : "s");
    json_object_del(j, "html");
    json_object_set_new(j, "excerpt", jcstr(p->excerpt));
    json_object_set_new(j, "sticky", json_boolean(p->sticky && c->route.kind == ROUTE_HOME && c->route.page == 1));
    json_object_set_new(j, "categories", site_terms(cats));
    json_object_set_new(j, "has_categories", json_boolean(cats->n > 0));
    json_object_set_new(j, "has_comments", json_boolean(p->comment_count > 0));
    json_object_set_new(j, "comment_label", json_string(label));
    json_object_set_new(j, "image", app_medium_json(img, 640, APP_SIZES_THUMB, 1));
    return j;
}

json_t *site_post_summaries(struct page_ctx *c, const struct post *posts, size_t n)
{
    /* the categories and pictures of the whole list in one read each, not one per post */
    struct term_list *cats = calloc(n ? n : 1, sizeof(*cats));
    struct medium *imgs = calloc(n ? n : 1, sizeof(*imgs));
    if (cats == NULL || imgs == NULL)
        abort();
    if (post_terms_of(c->t->db, posts, n, TERM_CATEGORY, cats) < 0)
        memset(cats, 0, n * sizeof(*cats)); /* a list without its categories rather than no page */
    if (media_featured_of(c->t->db, posts, n, imgs) < 0)
        memset(imgs, 0, n * sizeof(*imgs));
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(a, summary(c, &posts[i], &cats[i], &imgs[i]));
        term_list_free(&cats[i]);
        medium_clear(&imgs[i]);
    }
    free(cats);
    free(imgs);
    return a;
}
