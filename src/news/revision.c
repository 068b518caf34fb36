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

static int set_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, const char *const *names, size_t n)
{
    int64_t ids[POST_TERMS_MAX];
    size_t k = 0;
    int ret;
    if (n > POST_TERMS_MAX)
        return -EINVAL;
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
    struct revision r = {0};
    r.post_id = p->id;
    r.user_id = user_id;
    r.created_at = now;
    r.title = p->title;
    r.body = p->source;
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

int post_save(struct db *db, const struct post_edit *in, int64_t user_id, int64_t now, int64_t *id, int64_t *version)
{
    struct post p = {0};
    char slug[SLUG_MAX + 1];
    const char *src = in->source ? in->source : "";
    size_t src_len = strlen(src);
    int ret;

    if (in->title == NULL || in->title[0] == '\0' || strlen(in->title) > POST_TITLE_MAX || src_len > POST_SOURCE_MAX ||
        (in->excerpt && strlen(in->excerpt) > POST_EXCERPT_MAX) || (in->slug && strlen(in->slug) > SLUG_MAX * 4) ||
        in->n_categories > POST_TERMS_MAX || in->n_tags > POST_TERMS_MAX || in->status == POST_TRASH)
        return -EINVAL;
    if ((ret = db_begin(db)) < 0)
        return ret;
    if (in->id != 0) {
        if ((ret = db_post_get(db, in->id, &p)) < 0)
            goto fail;
        if (p.version != in->version) {
            ret = -ESTALE;
            goto fail;
        }
        free(p.title);
        free(p.source);
        free(p.html);
        free(p.excerpt);
        free(p.slug);
        p.title = p.source = p.html = p.excerpt = p.slug = NULL;
    } else {
        p.created_at = now;
        p.version = 1;
        p.format = POST_FORMAT_MARKDOWN;
    }
    p.type = in->type;
    p.title = xstrdup(in->title);
    p.source = xstrdup(src);
    if ((ret = post_render(POST_FORMAT_MARKDOWN, src, src_len, 0, &p.html)) < 0)
        goto fail;
    p.format = POST_FORMAT_MARKDOWN;
    if (in->excerpt != NULL && in->excerpt[0] != '\0')
        p.excerpt = xstrdup(in->excerpt);
    else if ((ret = post_excerpt_from_html(p.html, strlen(p.html), POST_EXCERPT_WORDS, &p.excerpt)) < 0)
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
    if (expect_version != 0 && p.version != expect_version) {
        ret = -ESTALE;
        goto fail;
    }
    p.status = status == POST_TRASH || status == POST_DRAFT ? status : post_settle_status(status, p.published_at, now);
    p.modified_at = now;
    if ((ret = write_post(db, &p, p.version, user_id, now)) < 0)
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
    char *html = NULL, *excerpt = NULL;
    int ret;
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = db_revision_get(db, rev_id, &r)) < 0 || (ret = db_post_get(db, r.post_id, &p)) < 0)
        goto fail;
    if (expect_version != 0 && p.version != expect_version) {
        ret = -ESTALE;
        goto fail;
    }
    const char *body = r.body ? r.body : "";
    if ((ret = post_render(POST_FORMAT_MARKDOWN, body, strlen(body), 0, &html)) < 0 ||
        (ret = post_excerpt_from_html(html, strlen(html), POST_EXCERPT_WORDS, &excerpt)) < 0)
        goto fail;
    free(p.title);
    free(p.source);
    free(p.html);
    free(p.excerpt);
    p.title = r.title;
    p.source = r.body ? r.body : xstrdup("");
    r.title = r.body = NULL;
    p.html = html;
    p.excerpt = excerpt;
    html = excerpt = NULL;
    p.format = POST_FORMAT_MARKDOWN;
    p.modified_at = now;
    if ((ret = write_post(db, &p, p.version, user_id, now)) < 0)
        goto fail;
    ret = db_commit(db);
    goto out;
fail:
    db_rollback(db);
out:
    free(html);
    free(excerpt);
    revision_clear(&r);
    post_clear(&p);
    return ret;
}
