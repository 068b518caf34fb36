/* import/media_import.h. The old address of each attachment is split into a prefix (the old
 * uploads folder's address without its scheme: "//example.com/wp-content/uploads/", or for a
 * WordPress.com site "//site.files.wordpress.com/") and a relative name ("2013/03/photo.jpg"),
 * which is both where the file is under DIR and the key of the medium made from it. A body's URL
 * under a known prefix is looked up by its relative name, then by the name without WordPress's
 * size suffix ("photo-300x200.jpg" is a copy of "photo.jpg", 300 pixels wide). */
#include "import/media_import.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/media.h"
#include "db/wpmap.h"
#include "lib/buf.h"
#include "news/media.h"
#include "news/post.h"

#define NAME_MAX_LEN 512 /* bytes of a relative name */

struct url_entry {
    char *rel;
    int64_t id;
};

struct import_media {
    char from[PATH_MAX], to[PATH_MAX];
    char *prefixes[IMPORT_MEDIA_PREFIXES];
    size_t n_prefixes;
    struct url_entry *urls; /* relative name -> medium, in the order seen */
    size_t n_urls, cap_urls;
    struct media_upload **made; /* this run's new media, for removing their files on failure */
    size_t n_made, cap_made;
    int64_t (*posts)[2]; /* [local id, WordPress id of the featured image or 0] */
    size_t n_posts, cap_posts;
};

static void *grow(void *v, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return v;
    *cap = *cap ? 2 * *cap : 16;
    v = realloc(v, *cap * sz);
    if (v == NULL)
        abort();
    return v;
}

int import_media_new(const char *from, const char *to, struct import_media **out)
{
    struct import_media *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return -ENOMEM;
    if (realpath(from, m->from) == NULL) {
        int err = -errno;
        free(m);
        return err;
    }
    snprintf(m->to, sizeof(m->to), "%s", to);
    *out = m;
    return 0;
}

/* The relative name of an upload's URL, and its prefix (from "//" on) in [*pre, *pre_end). */
static const char *split_url(const char *url, const char **pre, const char **pre_end)
{
    const char *s = strstr(url, "//");
    if (s == NULL)
        return NULL;
    const char *up = strstr(s, "/wp-content/uploads/");
    const char *rel = up ? up + 20 : strchr(s + 2, '/');
    if (rel == NULL)
        return NULL;
    if (up == NULL)
        rel++;
    *pre = s;
    *pre_end = rel;
    return rel;
}

static int safe_rel(const char *rel)
{
    return rel[0] != '\0' && rel[0] != '/' && strstr(rel, "..") == NULL && strlen(rel) < NAME_MAX_LEN;
}

static void note_missing(struct import_stats *st, const char *rel, const char *why)
{
    if (st->media_missing < IMPORT_MISSING_SHOWN)
        snprintf(st->missing[st->media_missing], sizeof(st->missing[0]), "%s%s%s", rel, why ? ": " : "",
                 why ? why : "");
    st->media_missing++;
}

static void add_prefix(struct import_media *m, const char *p, size_t n)
{
    for (size_t i = 0; i < m->n_prefixes; i++)
        if (strlen(m->prefixes[i]) == n && memcmp(m->prefixes[i], p, n) == 0)
            return;
    if (m->n_prefixes < IMPORT_MEDIA_PREFIXES && (m->prefixes[m->n_prefixes] = strndup(p, n)) != NULL)
        m->n_prefixes++;
}

int import_media_attachment(struct import_media *m, struct db *db, const char *site, const struct wxr_item *it,
                            int64_t author, int64_t date, struct import_stats *st, char *err, size_t err_cap)
{
    const char *url = it->attachment_url[0] ? it->attachment_url : it->guid, *pre = NULL, *pre_end = NULL;
    const char *rel = split_url(url, &pre, &pre_end);
    if (it->attached_file[0] != '\0')
        rel = it->attached_file; /* where WordPress keeps it under uploads/ */
    if (pre != NULL)
        add_prefix(m, pre, (size_t)(pre_end - pre));
    if (rel == NULL || !safe_rel(rel)) {
        note_missing(st, url, "not a file of the uploads folder");
        return 0;
    }
    char path[PATH_MAX + NAME_MAX_LEN], key[WP_SITE_MAX + 32], why[MEDIA_WHY_MAX] = "";
    struct stat sb;
    snprintf(path, sizeof(path), "%s/%s", m->from, rel);
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        note_missing(st, rel, NULL);
        return 0;
    }
    snprintf(key, sizeof(key), "%s#%lld", site, it->id);
    struct media_text text = {.title = it->title, .alt = it->attachment_alt, .caption = it->excerpt};
    struct media_upload *u = malloc(sizeof(*u));
    if (u == NULL)
        return -ENOMEM;
    int rc = media_prepare(db, m->to, path, &text, date, key, u, why);
    if (rc == -EINVAL) { /* not an image the library takes (a video, a PDF, over a limit) */
        free(u);
        note_missing(st, rel, why);
        return 0;
    }
    if (rc == 0)
        rc = media_commit(db, m->to, u, &text, author, date, key, why);
    if (rc < 0) {
        free(u);
        snprintf(err, err_cap, "cannot add %s to the media library: %s", rel, why[0] ? why : strerror(-rc));
        return rc;
    }
    m->urls = grow(m->urls, &m->cap_urls, m->n_urls, sizeof(*m->urls));
    m->urls[m->n_urls].rel = strdup(rel);
    m->urls[m->n_urls++].id = u->id;
    if (u->existed) {
        st->media_existing++;
        free(u);
    } else {
        st->media_added++;
        m->made = grow(m->made, &m->cap_made, m->n_made, sizeof(*m->made));
        m->made[m->n_made++] = u;
    }
    return 0;
}

int import_media_note_post(struct import_media *m, int64_t local_id, const struct wxr_item *it)
{
    m->posts = grow(m->posts, &m->cap_posts, m->n_posts, sizeof(*m->posts));
    m->posts[m->n_posts][0] = local_id;
    m->posts[m->n_posts][1] = it->thumbnail_id[0] ? strtoll(it->thumbnail_id, NULL, 10) : 0;
    m->n_posts++;
    return 0;
}

static int64_t find_rel(const struct import_media *m, const char *rel, size_t n)
{
    for (size_t i = m->n_urls; i-- > 0;)
        if (strlen(m->urls[i].rel) == n && memcmp(m->urls[i].rel, rel, n) == 0)
            return m->urls[i].id;
    return 0;
}

/* The medium of rel[0..n) and the width asked for (0: the full size): exact, else without a
 * "-WxH" before the extension. */
static int64_t lookup(const struct import_media *m, const char *rel, size_t n, int *width)
{
    *width = 0;
    int64_t id = find_rel(m, rel, n);
    if (id != 0 || n >= NAME_MAX_LEN)
        return id;
    const char *dot = memrchr(rel, '.', n);
    if (dot == NULL)
        return 0;
    const char *p = dot;
    while (p > rel && p[-1] >= '0' && p[-1] <= '9')
        p--;
    if (p == dot || p == rel || p[-1] != 'x')
        return 0;
    const char *x = --p;
    while (p > rel && p[-1] >= '0' && p[-1] <= '9')
        p--;
    if (p == x || p == rel || p[-1] != '-')
        return 0;
    char base[NAME_MAX_LEN];
    size_t k = (size_t)(p - 1 - rel);
    memcpy(base, rel, k);
    memcpy(base + k, dot, (size_t)(rel + n - dot));
    *width = atoi(p);
    return find_rel(m, base, k + (size_t)(rel + n - dot));
}

static int url_end(char c)
{
    return c == '"' || c == '\'' || c == ' ' || c == '<' || c == '>' || c == ')' || c == ']' || c == '\n' ||
           c == '\t' || c == '\r' || c == '\0';
}

/* Appends src with the old uploads' URLs replaced; *count gets how many. */
static int rewrite(struct import_media *m, struct db *db, const char *src, struct buf *out, long *count)
{
    const char *p = src, *copied = src;
    while (*p) {
        size_t k = 0;
        const char *pre = NULL;
        for (size_t i = 0; i < m->n_prefixes && pre == NULL; i++)
            if (p[0] == '/' && strncmp(p, m->prefixes[i], (k = strlen(m->prefixes[i]))) == 0)
                pre = m->prefixes[i];
        if (pre == NULL) {
            p++;
            continue;
        }
        const char *start = p, *rel = p + k, *e = rel;
        if (start - src >= 6 && strncmp(start - 6, "https:", 6) == 0)
            start -= 6;
        else if (start - src >= 5 && strncmp(start - 5, "http:", 5) == 0)
            start -= 5;
        while (!url_end(*e))
            e++;
        size_t n = strcspn(rel, "?#\"' <>)]\n\t\r");
        if (rel + n > e)
            n = (size_t)(e - rel);
        int width;
        int64_t id = lookup(m, rel, n, &width);
        struct medium med = {0};
        const struct media_copy *c = NULL;
        if (id != 0 && db_media_get(db, id, &med) == 0)
            c = media_copy_for(&med, media_fallback_format(&med), width ? width : 1 << 30);
        if (c != NULL) {
            buf_append(out, copied, (size_t)(start - copied));
            buf_printf(out, "/uploads/%s", c->path);
            copied = e;
            (*count)++;
        }
        medium_clear(&med);
        p = e > p ? e : p + 1;
    }
    buf_append(out, copied, strlen(copied));
    return out->err;
}

/* [gallery] images: the medium's largest copy when the attachment became one, else the old URL. */
struct gallery_urls {
    struct db *db;
    const char *site;
    const struct wpautop_media *old;
    char url[128];
};

static const char *gallery_url(void *ctx, long long wp_id)
{
    struct gallery_urls *g = ctx;
    char key[WP_SITE_MAX + 32];
    int64_t id;
    struct medium med = {0};
    snprintf(key, sizeof(key), "%s#%lld", g->site, wp_id);
    if (db_media_find_wp(g->db, key, &id) == 0 && db_media_get(g->db, id, &med) == 0) {
        const struct media_copy *c = media_copy_for(&med, media_fallback_format(&med), 1 << 30);
        if (c != NULL)
            snprintf(g->url, sizeof(g->url), "/uploads/%s", c->path);
        medium_clear(&med);
        if (c != NULL)
            return g->url;
    }
    return g->old->attachment_url(g->old->ctx, wp_id);
}

int import_media_finish(struct import_media *m, struct db *db, const char *site, const struct wpautop_media *media,
                        struct import_stats *st)
{
    struct gallery_urls g = {.db = db, .site = site, .old = media};
    struct wpautop_media galleries = {&g, gallery_url};
    struct buf src = BUF_INIT, plain = BUF_INIT, html = BUF_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < m->n_posts; i++) {
        int64_t local = m->posts[i][0], thumb = m->posts[i][1], mid;
        char key[WP_SITE_MAX + 32];
        snprintf(key, sizeof(key), "%s#%lld", site, (long long)thumb);
        if (thumb > 0 && db_media_find_wp(db, key, &mid) == 0) {
            if ((rc = db_post_set_featured(db, local, mid)) < 0)
                break;
            st->media_featured++;
        }
        struct post p = {0};
        if ((rc = db_post_get(db, local, &p)) < 0)
            break;
        long count = 0;
        buf_reset(&src);
        if (p.source != NULL && (rc = rewrite(m, db, p.source, &src, &count)) == 0 &&
            (count > 0 || strstr(p.source, "[gallery") != NULL)) {
            buf_reset(&plain);
            buf_reset(&html);
            struct post_render_opts how = {.format = p.format, .as_written = p.as_written, .media = &galleries};
            int64_t ids[HTML_IMAGES_MAX];
            size_t n_ids = 0;
            rc = post_render(&how, src.data, src.len, &plain, NULL);
            if (rc == 0)
                rc = media_body_images(db, plain.data ? plain.data : "", plain.len, &html, ids, &n_ids);
            if (rc == 0)
                rc = db_post_set_body(db, local, src.data, html.data ? html.data : "");
            if (rc == 0)
                rc = db_post_media_set(db, local, ids, n_ids);
            st->media_urls += count;
        }
        post_clear(&p);
    }
    buf_free(&src);
    buf_free(&plain);
    buf_free(&html);
    return rc;
}

void import_media_free(struct import_media *m, int failed)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n_made; i++) {
        if (failed)
            media_abandon(m->to, m->made[i]);
        free(m->made[i]);
    }
    for (size_t i = 0; i < m->n_urls; i++)
        free(m->urls[i].rel);
    for (size_t i = 0; i < m->n_prefixes; i++)
        free(m->prefixes[i]);
    free(m->made);
    free(m->urls);
    free(m->posts);
    free(m);
}
