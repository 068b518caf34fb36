/* Posts and pages: what saving one means (slug, rendered HTML, excerpt, terms, in one
 * transaction), where it lives (/YYYY/MM/DD/slug/ or /slug/), and the reads a reader may make. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/wpmap.h"
#include "lib/buf.h"
#include "lib/htmltext.h"
#include "lib/slug.h"
#include "lib/timeutil.h"
#include "news/post.h"

#include "db/media.h"
#include "news/media.h"
#include "news/permalink.h"
#include "news/taxonomy.h"
#include "news/user.h"
#include "render/html.h"
#include "render/markdown.h"

#define PER_PAGE_MAX 1000
#define SLUG_TRIES 100000

/* First path segments the site uses itself: a page called so would be unreachable. */
static const char *const reserved_page_slugs[] = {"page",    "category", "tag",    "author",  "feed",     "static",
                                                  "comment", "admin",    "search", "uploads", "wp-admin", "wp-content"};

static int reserved(enum post_type type, const char *slug)
{
    if (type != POST_TYPE_PAGE)
        return 0;
    for (size_t i = 0; i < sizeof(reserved_page_slugs) / sizeof(reserved_page_slugs[0]); i++)
        if (strcmp(slug, reserved_page_slugs[i]) == 0)
            return 1;
    return 0;
}

int post_unique_slug(struct db *db, enum post_type type, const char *base, int64_t except_id, char *out)
{
    char want[SLUG_MAX + 1];
    size_t n = slug_make(base ? base : "", base ? strlen(base) : 0, want, sizeof(want));
    int taken, ret;

    if (n == 0)
        n = (size_t)snprintf(want, sizeof(want), "%s", type == POST_TYPE_PAGE ? "page-1" : "post");
    for (long i = 1; i <= SLUG_TRIES; i++) {
        char cand[SLUG_MAX + 1];
        if (i == 1) {
            memcpy(cand, want, n + 1);
        } else {
            char suffix[24];
            int sl = snprintf(suffix, sizeof(suffix), "-%ld", i);
            size_t keep = n;
            if (keep + (size_t)sl > SLUG_MAX)
                keep = SLUG_MAX - (size_t)sl;
            while (keep > 0 && want[keep - 1] == '-')
                keep--;
            memcpy(cand, want, keep);
            memcpy(cand + keep, suffix, (size_t)sl + 1);
        }
        if (reserved(type, cand))
            continue;
        if ((ret = db_post_slug_taken(db, type, cand, except_id, &taken)) < 0)
            return ret;
        if (!taken) {
            memcpy(out, cand, strlen(cand) + 1);
            return 0;
        }
    }
    return -EEXIST;
}

int post_render(const struct post_render_opts *o, const char *source, size_t n, struct buf *out,
                struct html_removed *removed)
{
    struct buf raw = BUF_INIT;
    int ret;
    if (n > POST_SOURCE_MAX)
        return -E2BIG;
    raw.max = HTML_SANITIZE_MAX;
    if (o->format == POST_FORMAT_MARKDOWN)
        ret = markdown_render(source, n, 0, &raw);
    else if (o->as_written)
        ret = buf_append(&raw, n ? source : "", n);
    else
        ret = wpautop_render(n ? source : "", n, o->media, &raw);
    if (ret == 0)
        ret =
            html_sanitize(raw.data ? raw.data : "", raw.len, o->filtered ? HTML_FILTERED : HTML_TRUSTED, out, removed);
    buf_free(&raw);
    return ret;
}

int post_source_filter(const struct post_render_opts *o, const char *source, size_t n, struct buf *out,
                       struct html_removed *removed)
{
    if (n > POST_SOURCE_MAX)
        return -E2BIG;
    if (removed != NULL)
        memset(removed, 0, sizeof(*removed));
    if (o->format == POST_FORMAT_MARKDOWN || !o->filtered)
        return buf_append(out, n ? source : "", n);
    return html_sanitize(n ? source : "", n, HTML_FILTERED_SOURCE, out, removed);
}

static const char *media_url(void *ctx, long long wp_id)
{
    struct post_media *pm = ctx;
    free(pm->last);
    pm->last = NULL;
    if (pm->wp_id == 0 || db_wp_attachment_url_for_post(pm->db, pm->id, pm->wp_id, wp_id, &pm->last) < 0)
        return NULL;
    return pm->last;
}

void post_media_init(struct post_media *pm, struct db *db, const struct post *p)
{
    *pm = (struct post_media){.m = {pm, media_url}, .db = db, .id = p->id, .wp_id = p->wp_id};
}

void post_media_free(struct post_media *pm)
{
    free(pm->last);
    pm->last = NULL;
}

const char *post_markup_name(enum post_format format, int as_written)
{
    if (format == POST_FORMAT_MARKDOWN)
        return "markdown";
    return as_written ? "html-as-written" : "html";
}

int post_markup_parse(const char *s, enum post_format *format, int *as_written)
{
    if (s != NULL && strcmp(s, "html-as-written") == 0) {
        *format = POST_FORMAT_HTML;
        *as_written = 1;
        return 0;
    }
    enum post_format f;
    if (s == NULL || post_format_parse(s, &f) < 0)
        return -EINVAL;
    *format = f;
    *as_written = 0;
    return 0;
}

int post_source_shown(const char *source, size_t n, struct buf *out)
{
    return html_clean(out, n ? source : "", n);
}

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

size_t post_word_count(const char *html, size_t n)
{
    struct buf text = BUF_INIT;
    size_t words = 0;
    html_text(&text, html, n);
    for (size_t j = 0; j < text.len;) {
        while (j < text.len && is_space(text.data[j]))
            j++;
        if (j < text.len)
            words++;
        while (j < text.len && !is_space(text.data[j]))
            j++;
    }
    buf_free(&text);
    return words;
}

int post_excerpt_from_html(const char *html, size_t n, size_t words, char **out)
{
    struct buf text = BUF_INIT, res = BUF_INIT;

    /* 1. the text: tags out, entities decoded */
    html_text(&text, html, n);
    /* 2. the first `words` words, single spaces */
    size_t count = 0, j = 0;
    int cut = 0;
    while (j < text.len) {
        while (j < text.len && is_space(text.data[j]))
            j++;
        if (j >= text.len)
            break;
        if (count == words) {
            cut = 1;
            break;
        }
        size_t start = j;
        while (j < text.len && !is_space(text.data[j]))
            j++;
        if (count > 0)
            buf_putc(&res, ' ');
        buf_append(&res, text.data + start, j - start);
        count++;
    }
    if (cut) { /* "ended." + "…" would double the punctuation: the mark goes, the ellipsis says it all */
        for (;;) {
            if (res.len > 0 && res.data[res.len - 1] != '\0' && strchr(".,;:!?", res.data[res.len - 1]) != NULL)
                res.len--;
            else if (res.len >= 3 && memcmp(res.data + res.len - 3, "\xe2\x80\xa6", 3) == 0)
                res.len -= 3;
            else
                break;
        }
        if (res.data != NULL)
            res.data[res.len] = '\0';
        buf_puts(&res, "\xe2\x80\xa6"); /* … */
    }
    if (res.len == 0)
        buf_append(&res, "", 0);
    buf_free(&text);
    if (res.err) {
        int ret = res.err;
        buf_free(&res);
        return ret;
    }
    *out = buf_steal(&res);
    return 0;
}

static int set_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, const char *const *names, size_t n)
{
    int64_t ids[POST_TERMS_MAX];
    size_t k = 0;
    int ret;
    for (size_t i = 0; i < n; i++) {
        int64_t id;
        if ((ret = term_ensure(db, tax, names[i], &id)) < 0)
            return ret;
        ids[k++] = id;
    }
    return db_post_set_terms(db, post_id, tax, ids, k);
}

/* Creates (id 0) or rewrites (id of an existing post) a post from in, in one transaction. */
static int save(struct db *db, int64_t id, const struct post_new *in, int64_t expect_version, int64_t now,
                int64_t *id_out)
{
    struct post p = {0}, old = {0};
    char slug[SLUG_MAX + 1];
    const char *src = in->source ? in->source : "";
    size_t src_len = strlen(src);
    int ret;

    if (in->title == NULL || in->title[0] == '\0' || strlen(in->title) > POST_TITLE_MAX || src_len > POST_SOURCE_MAX ||
        (in->excerpt && strlen(in->excerpt) > POST_EXCERPT_MAX) || in->n_categories > POST_TERMS_MAX ||
        in->n_tags > POST_TERMS_MAX)
        return -EINVAL;
    struct post_render_opts how = {.format = in->format, .as_written = in->as_written};
    struct buf plain = BUF_INIT, html = BUF_INIT;
    int64_t media[HTML_IMAGES_MAX];
    size_t n_media = 0;
    if ((ret = post_render(&how, src, src_len, &plain, NULL)) == 0) /* library images get their copies */
        ret = media_body_images(db, plain.data ? plain.data : "", plain.len, &html, media, &n_media);
    buf_free(&plain);
    if (ret < 0) {
        buf_free(&html);
        return ret;
    }
    p.html = buf_steal(&html);
    if (in->excerpt != NULL && in->excerpt[0] != '\0') {
        p.excerpt = strdup(in->excerpt);
        if (p.excerpt == NULL)
            abort();
    } else if ((ret = post_excerpt_from_html(p.html, strlen(p.html), POST_EXCERPT_WORDS, &p.excerpt)) < 0) {
        goto out;
    }
    p.id = id;
    p.type = in->type;
    p.status = in->status;
    p.author_id = in->author_id;
    p.format = in->format;
    p.as_written = in->format == POST_FORMAT_HTML && in->as_written;
    p.sticky = in->sticky;
    p.comments_open = in->comments_open;
    p.parent_id = in->parent_id;
    p.published_at = in->published_at ? in->published_at : now;
    p.created_at = now;
    p.modified_at = now;
    p.version = 1;
    p.wp_id = in->wp_id;

    if ((ret = db_begin(db)) < 0)
        goto out;
    if (id != 0) { /* an update keeps what the caller left at 0 */
        if ((ret = db_post_get(db, id, &old)) < 0)
            goto fail;
        p.created_at = old.created_at;
        if (in->author_id == 0)
            p.author_id = old.author_id;
        if (in->published_at == 0)
            p.published_at = old.published_at;
        if (in->wp_id == 0)
            p.wp_id = old.wp_id;
    }
    ret = post_unique_slug(db, in->type, in->slug && in->slug[0] ? in->slug : in->title, id, slug);
    if (ret == 0) {
        /* borrowed for the write only: p's own strings are freed by post_clear below */
        p.title = (char *)in->title;
        p.slug = slug;
        p.source = (char *)src;
        p.password = (char *)in->password;
        ret = id == 0 ? db_post_insert(db, &p) : db_post_update(db, &p, expect_version);
        p.title = p.slug = p.source = p.password = NULL;
    }
    if (ret == 0)
        ret = set_terms(db, p.id, TERM_CATEGORY, in->categories, in->n_categories);
    if (ret == 0)
        ret = set_terms(db, p.id, TERM_TAG, in->tags, in->n_tags);
    if (ret == 0)
        ret = db_post_media_set(db, p.id, media, n_media);
    if (ret == 0 && in->featured_id > 0)
        ret = db_post_set_featured(db, p.id, in->featured_id);
    if (ret < 0)
        goto fail;
    if ((ret = db_commit(db)) == 0 && id_out != NULL)
        *id_out = p.id;
    goto out;
fail:
    db_rollback(db);
out:
    post_clear(&old);
    post_clear(&p);
    return ret;
}

int post_create(struct db *db, const struct post_new *in, int64_t now, int64_t *id)
{
    return save(db, 0, in, 0, now, id);
}

int post_update(struct db *db, int64_t id, const struct post_new *in, int64_t expect_version, int64_t now)
{
    if (id <= 0)
        return -ENOENT;
    return save(db, id, in, expect_version, now, NULL);
}

int post_path(const struct post *p, char *out, size_t cap)
{
    int n;
    if (p->type == POST_TYPE_PAGE) {
        n = snprintf(out, cap, "/%s/", p->slug ? p->slug : "");
    } else {
        return permalink_format(permalink_current(), p, out, cap);
    }
    if (n < 0 || (size_t)n >= cap)
        return -ENOSPC;
    return n;
}

/* Copies a (pointer, length) slug into a NUL-terminated buffer; -ENOENT when it cannot be one. */
static int copy_slug(const char *s, size_t n, char out[SLUG_MAX + 1])
{
    if (s == NULL || n == 0 || n > SLUG_MAX || memchr(s, '\0', n) != NULL)
        return -ENOENT;
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static int paging(size_t page, size_t per_page, size_t *offset, size_t *limit)
{
    if (page == 0)
        page = 1;
    if (per_page == 0)
        per_page = 1;
    if (per_page > PER_PAGE_MAX)
        per_page = PER_PAGE_MAX;
    if (page - 1 > SIZE_MAX / per_page / 2)
        return -ERANGE;
    *offset = (page - 1) * per_page;
    *limit = per_page;
    return 0;
}

int post_home(struct db *db, int64_t now, size_t page, size_t per_page, struct post_list *out)
{
    size_t offset, limit;
    if (paging(page, per_page, &offset, &limit) < 0) {
        out->items = NULL;
        out->n = 0;
        return 0;
    }
    return db_post_list_public(db, now, 0, 1, offset, limit, out);
}

int post_feed(struct db *db, int64_t now, size_t limit, struct post_list *out)
{
    return db_post_list_public(db, now, 0, 0, 0, limit > PER_PAGE_MAX ? PER_PAGE_MAX : limit, out);
}

int post_home_count(struct db *db, int64_t now, int64_t *out)
{
    return db_post_count_public(db, now, 0, out);
}

int post_by_date_slug(struct db *db, int year, int month, int day, const char *slug, size_t n, int64_t now,
                      struct post *out)
{
    char s[SLUG_MAX + 1];
    int64_t from = time_from_date(year, month, day);
    if (from == -EINVAL || copy_slug(slug, n, s) < 0)
        return -ENOENT;
    return db_post_find_public(db, POST_TYPE_POST, s, from, from + 86400, now, out);
}

int post_by_slug(struct db *db, const char *slug, size_t n, int64_t now, struct post *out)
{
    char s[SLUG_MAX + 1];
    if (copy_slug(slug, n, s) < 0)
        return -ENOENT;
    return db_post_find_public(db, POST_TYPE_POST, s, INT64_MIN, INT64_MAX, now, out);
}

int page_by_slug(struct db *db, const char *slug, size_t n, int64_t now, struct post *out)
{
    char s[SLUG_MAX + 1];
    if (copy_slug(slug, n, s) < 0)
        return -ENOENT;
    return db_post_find_public(db, POST_TYPE_PAGE, s, INT64_MIN, INT64_MAX, now, out);
}

int post_public_by_id(struct db *db, int64_t id, int64_t now, struct post *out)
{
    return db_post_get_public(db, id, now, out);
}

int post_neighbours(struct db *db, const struct post *p, int64_t now, struct post *prev, struct post *next)
{
    if (p->type != POST_TYPE_POST) {
        memset(prev, 0, sizeof(*prev));
        memset(next, 0, sizeof(*next));
        return 0;
    }
    return db_post_neighbours(db, p, now, prev, next);
}

int post_next_due(struct db *db, int64_t now, int64_t *when)
{
    return db_post_next_due(db, now, when);
}

int post_publish_due(struct db *db, int64_t now, int *count)
{
    return db_post_publish_due(db, now, count);
}

int post_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, struct term_list *out)
{
    return db_post_terms(db, post_id, tax, out);
}

int post_terms_of(struct db *db, const struct post *posts, size_t n, enum term_taxonomy tax, struct term_list *out)
{
    int64_t *ids = malloc((n ? n : 1) * sizeof(*ids));
    if (ids == NULL)
        abort();
    for (size_t i = 0; i < n; i++)
        ids[i] = posts[i].id;
    int ret = db_post_terms_of(db, ids, n, tax, out);
    free(ids);
    return ret;
}

int post_author(struct db *db, const struct post *p, struct user *out)
{
    return db_user_get(db, p->author_id, out);
}

int author_by_login(struct db *db, const char *login, size_t n, struct user *out)
{
    char s[USER_LOGIN_MAX + 1];
    if (n == 0 || n > USER_LOGIN_MAX || memchr(login, '\0', n) != NULL)
        return -ENOENT;
    memcpy(s, login, n);
    s[n] = '\0';
    int ret = db_user_get_by_login(db, s, out);
    if (ret == 0) {
        free(out->email);
        out->email = NULL;
    }
    return ret;
}

int author_posts(struct db *db, int64_t author_id, int64_t now, size_t page, size_t per_page, struct post_list *out)
{
    size_t offset, limit;
    if (paging(page, per_page, &offset, &limit) < 0) {
        out->items = NULL;
        out->n = 0;
        return 0;
    }
    return db_post_list_by_author(db, now, author_id, offset, limit, out);
}

int author_post_count(struct db *db, int64_t author_id, int64_t now, int64_t *out)
{
    return db_post_count_by_author(db, now, author_id, out);
}
