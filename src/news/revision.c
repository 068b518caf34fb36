/* The editor's save path: one transaction that checks the version, writes the post, its terms
 * and a revision. Scheduling is only a status and a time here; the server's timer (db
 * db_post_publish_due) turns due scheduled posts into published ones. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "news/post.h"
#include "news/revision.h"
#include "news/taxonomy.h"

enum post_status post_settle_status(enum post_status wanted, int64_t published_at, int64_t now)
{
    if (wanted == POST_PUBLISHED && published_at > now)
        return POST_SCHEDULED;
    if (wanted == POST_SCHEDULED && published_at <= now)
        return POST_PUBLISHED;
    return wanted;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (p == NULL)
        abort();
    return p;
}

/* 1 when names[0..n) are the post's terms of tax as the editor lists them (by name, in order). */
static int terms_same(struct db *db, int64_t post_id, enum term_taxonomy tax, const char *const *names, size_t n)
{
    struct term_list l = {0};
    int same = 0;
    if (post_id != 0 && db_post_terms(db, post_id, tax, &l) == 0 && l.n == n) {
        same = 1;
        for (size_t i = 0; i < n && same; i++)
            same = names[i] != NULL && strcmp(names[i], l.items[i].name) == 0;
    }
    term_list_free(&l);
    return same;
}

/* Sets the post's terms of tax to names (missing ones created); terms the editor sent back as it
 * listed them are left as they are, so that two terms of one name stay apart. */
static int set_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, const char *const *names, size_t n)
{
    int64_t ids[POST_TERMS_MAX];
    size_t k = 0;
    int ret;
    if (n > POST_TERMS_MAX)
        return -EINVAL;
    if (terms_same(db, post_id, tax, names, n))
        return 0;
    for (size_t i = 0; i < n; i++) {
        int64_t id;
        int dup = 0;
        if (names[i] == NULL || names[i][0] == '\0')
            continue;
        if ((ret = term_ensure(db, tax, names[i], &id)) < 0)
            return ret;
        for (size_t j = 0; j < k; j++)
            dup |= ids[j] == id;
        if (!dup)
            ids[k++] = id;
    }
    return db_post_set_terms(db, post_id, tax, ids, k);
}

static int add_revision(struct db *db, const struct post *p, int64_t user_id, int64_t now)
{
    struct revision r = {.post_id = p->id,
                         .user_id = user_id,
                         .created_at = now,
                         .title = p->title,
                         .body = p->source,
                         .format = p->format,
                         .as_written = p->as_written,
                         .kind = REVISION_SAVE};
    return db_revision_insert(db, &r);
}

/* Writes p (already filled) as an update or insert, then its revision. In a transaction. */
static int write_post(struct db *db, struct post *p, int64_t expect, int64_t user_id, int64_t now)
{
    int ret = p->id ? db_post_update(db, p, expect) : db_post_insert(db, p);
    if (ret == 0)
        ret = add_revision(db, p, user_id, now);
    return ret;
}

/* Sets p's source and html from a new body in the given markup: kept as stored when the body is
 * the stored source, or what the editor showed of it, in the same markup (so an untouched body
 * never changes, whatever rendering made the stored HTML); else rendered again. */
static int set_body(struct db *db, struct post *p, enum post_format format, int as_written, const char *src, size_t n)
{
    struct buf shown = BUF_INIT, html = BUF_INIT;
    const char *cur = p->source ? p->source : "";
    size_t cur_len = strlen(cur);
    int ret = 0;
    as_written = format == POST_FORMAT_HTML && as_written;
    if (p->id != 0 && p->format == format && p->as_written == as_written) {
        if (cur_len == n && memcmp(cur, src, n) == 0)
            goto out;
        if ((ret = post_source_shown(cur, cur_len, &shown)) < 0)
            goto out;
        if (shown.len == n && memcmp(shown.data, src, n) == 0)
            goto out;
    }
    struct post_media media;
    post_media_init(&media, db, p);
    struct post_render_opts how = {.format = format, .as_written = as_written, .media = &media.m};
    ret = post_render(&how, src, n, &html);
    post_media_free(&media);
    if (ret < 0)
        goto out;
    free(p->source);
    free(p->html);
    p->source = xstrdup(src);
    p->html = buf_steal(&html);
    p->format = format;
    p->as_written = as_written;
out:
    buf_free(&shown);
    buf_free(&html);
    return ret;
}

/* 1 when sent is what the editor showed of stored (so it came back untouched). */
static int shown_same(const char *stored, const char *sent)
{
    struct buf shown = BUF_INIT;
    int same = stored != NULL && post_source_shown(stored, strlen(stored), &shown) == 0 &&
               strcmp(shown.data ? shown.data : "", sent) == 0;
    buf_free(&shown);
    return same;
}

int post_save(struct db *db, const struct post_edit *in, int64_t user_id, int64_t now, int64_t *id, int64_t *version)
{
    struct post p = {0};
    char *old_excerpt = NULL;
    char slug[SLUG_MAX + 1];
    const char *src = in->source ? in->source : "";
    size_t src_len = strlen(src);
    int ret;

    if (in->title == NULL ||
        (in->title[0] == '\0' && src_len == 0 && (in->excerpt == NULL || in->excerpt[0] == '\0')) ||
        strlen(in->title) > POST_TITLE_MAX || src_len > POST_SOURCE_MAX ||
        (in->excerpt && strlen(in->excerpt) > POST_EXCERPT_MAX) || (in->slug && strlen(in->slug) > SLUG_MAX * 4) ||
        in->n_categories > POST_TERMS_MAX || in->n_tags > POST_TERMS_MAX || in->status == POST_TRASH)
        return -EINVAL;
    if (in->id != 0 && in->version <= 0)
        return -ESTALE; /* a save of a stored post names the version it was opened on */
    if ((ret = db_begin(db)) < 0)
        return ret;
    if (in->id != 0) {
        if ((ret = db_post_get(db, in->id, &p)) < 0)
            goto fail;
        free(p.title);
        free(p.slug);
        p.title = p.slug = NULL;
        old_excerpt = p.excerpt;
        p.excerpt = NULL;
    } else {
        p.created_at = now;
        p.version = 1;
    }
    if ((ret = set_body(db, &p, in->format, in->as_written, src, src_len)) < 0)
        goto fail;
    p.type = in->type;
    p.title = xstrdup(in->title);
    if (in->excerpt != NULL && in->excerpt[0] != '\0') {
        p.excerpt = shown_same(old_excerpt, in->excerpt) ? old_excerpt : xstrdup(in->excerpt);
        if (p.excerpt == old_excerpt)
            old_excerpt = NULL;
    } else if ((ret = post_excerpt_from_html(p.html, strlen(p.html), POST_EXCERPT_WORDS, &p.excerpt)) < 0)
        goto fail;
    if ((ret = post_unique_slug(db, in->type, in->slug && in->slug[0] ? in->slug : in->title, in->id, slug)) < 0)
        goto fail;
    p.slug = xstrdup(slug);
    p.author_id = in->author_id;
    if (in->published_at != 0)
        p.published_at = in->published_at;
    else if (p.published_at == 0 || (in->status == POST_PUBLISHED && p.status != POST_PUBLISHED &&
                                     p.status != POST_SCHEDULED && p.status != POST_PRIVATE))
        p.published_at = now;
    p.status = post_settle_status(in->status, p.published_at, now);
    p.sticky = in->sticky;
    p.comments_open = in->comments_open;
    p.modified_at = now;
    /* the version the editor was opened on is checked once, by the update itself */
    if ((ret = write_post(db, &p, in->version, user_id, now)) < 0)
        goto fail;
    if ((ret = set_terms(db, p.id, TERM_CATEGORY, in->categories, in->n_categories)) < 0 ||
        (ret = set_terms(db, p.id, TERM_TAG, in->tags, in->n_tags)) < 0)
        goto fail;
    if ((ret = db_commit(db)) < 0)
        goto out;
    *id = p.id;
    if (version != NULL)
        *version = in->id ? in->version + 1 : 1;
    goto out;
fail:
    db_rollback(db);
out:
    free(old_excerpt);
    post_clear(&p);
    return ret;
}

int post_set_status(struct db *db, int64_t id, enum post_status status, int64_t expect_version, int64_t user_id,
                    int64_t now)
{
    struct post p = {0};
    int ret;
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = db_post_get(db, id, &p)) < 0)
        goto fail;
    p.status = status == POST_TRASH || status == POST_DRAFT ? status : post_settle_status(status, p.published_at, now);
    p.modified_at = now;
    if ((ret = write_post(db, &p, expect_version, user_id, now)) < 0)
        goto fail;
    ret = db_commit(db);
    goto out;
fail:
    db_rollback(db);
out:
    post_clear(&p);
    return ret;
}

int revision_restore(struct db *db, int64_t rev_id, int64_t expect_version, int64_t user_id, int64_t now)
{
    struct revision r = {0};
    struct post p = {0};
    char *derived = NULL;
    int ret;
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = db_revision_get(db, rev_id, &r)) < 0 || (ret = db_post_get(db, r.post_id, &p)) < 0)
        goto fail;
    /* an excerpt that only followed the body follows the restored one */
    if ((ret = post_excerpt_from_html(p.html, strlen(p.html), POST_EXCERPT_WORDS, &derived)) < 0)
        goto fail;
    int follows = strcmp(derived, p.excerpt) == 0;
    const char *body = r.body ? r.body : "";
    if ((ret = set_body(db, &p, r.format, r.as_written, body, strlen(body))) < 0)
        goto fail;
    if (follows) {
        free(p.excerpt);
        p.excerpt = NULL;
        if ((ret = post_excerpt_from_html(p.html, strlen(p.html), POST_EXCERPT_WORDS, &p.excerpt)) < 0)
            goto fail;
    }
    free(p.title);
    p.title = r.title;
    r.title = NULL;
    p.modified_at = now;
    if ((ret = write_post(db, &p, expect_version, user_id, now)) < 0)
        goto fail;
    ret = db_commit(db);
    goto out;
fail:
    db_rollback(db);
out:
    free(derived);
    revision_clear(&r);
    post_clear(&p);
    return ret;
}
