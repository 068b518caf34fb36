/* The editor's rules (see editor.h): checking who may do what, settling the status against the
 * publish time, rendering the body by the writer's trust, and writing the post with its terms
 * and revisions in one transaction. Scheduling is only a status and a time here; the server's
 * timer (post_publish_due) turns due scheduled posts into published ones. */
#include "news/editor.h"

#include "db/media.h"
#include "news/media.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "news/post.h"
#include "news/revision.h"
#include "news/session.h"
#include "news/taxonomy.h"

static char *xstrdup(const char *s)
{
    char *p = strdup(s ? s : "");
    if (p == NULL)
        abort();
    return p;
}

/* Records why in res and returns err. */
static int refuse(struct edit_result *res, int err, const char *why)
{
    res->refusal = why;
    return err;
}

enum post_status post_settle_status(enum post_status wanted, int64_t published_at, int64_t now)
{
    if (wanted == POST_PUBLISHED && published_at > now)
        return POST_SCHEDULED;
    if (wanted == POST_SCHEDULED && published_at <= now)
        return POST_PUBLISHED;
    return wanted;
}

int editor_trusted(const struct user *u)
{
    return role_can(u->role, CAP_UNFILTERED_HTML);
}

int post_editable(struct db *db, const struct user *u, int64_t id, struct post *out)
{
    struct post p = {0};
    int ret = id > 0 ? db_post_get(db, id, &p) : -ENOENT;
    if (ret < 0)
        return ret;
    if (!user_can_edit_post(u, &p)) {
        post_clear(&p);
        return -EACCES;
    }
    *out = p;
    return 0;
}

/* post_editable with the refusal said in res. */
static int editable(struct db *db, const struct user *by, int64_t id, struct post *out, struct edit_result *res)
{
    int ret = post_editable(db, by, id, out);
    if (ret == -ENOENT)
        res->refusal = "There is no such post.";
    else if (ret == -EACCES)
        res->refusal = "Sorry, you are not allowed to edit this post.";
    return ret;
}

/* ---- the body ------------------------------------------------------------------------------ */

/* 1 when sent[0..n) is stored as the editor shows it (so it came back untouched). */
static int shown_same(const char *stored, const char *sent, size_t n)
{
    struct buf shown = BUF_INIT;
    int same = stored != NULL && post_source_shown(stored, strlen(stored), &shown) == 0 && shown.len == n &&
               memcmp(shown.data ? shown.data : "", sent, n) == 0;
    buf_free(&shown);
    return same;
}

/* Adds what src removed to dst's count and summary. */
static void removed_add(struct html_removed *dst, const struct html_removed *src)
{
    dst->count += src->count;
    size_t have = strlen(dst->names);
    if (src->names[0] != '\0' && strstr(dst->names, src->names) == NULL &&
        have + strlen(src->names) + 3 < sizeof(dst->names))
        snprintf(dst->names + have, sizeof(dst->names) - have, "%s%s", have ? ", " : "", src->names);
}

/* Renders src[0..n) in the markup as `by` may post it: into *source the body to store (filtered
 * when by may not post any HTML) and into *html what readers see. */
static int render_body(struct db *db, const struct user *by, const struct post *p, enum post_format format,
                       int as_written, const char *src, size_t n, struct buf *source, struct buf *html,
                       struct html_removed *removed)
{
    struct post_media media;
    struct html_removed a = {0}, b = {0};
    post_media_init(&media, db, p);
    struct post_render_opts how = {
        .format = format, .as_written = as_written, .filtered = !editor_trusted(by), .media = &media.m};
    struct buf plain = BUF_INIT;
    int64_t ids[HTML_IMAGES_MAX];
    size_t n_ids = 0;
    int ret = post_source_filter(&how, src, n, source, &a);
    if (ret == 0)
        ret = post_render(&how, source->data ? source->data : "", source->len, &plain, &b);
    if (ret == 0) /* images of the media library get their copies and sizes */
        ret = media_body_images(db, plain.data ? plain.data : "", plain.len, html, ids, &n_ids);
    buf_free(&plain);
    post_media_free(&media);
    removed_add(removed, &a);
    removed_add(removed, &b);
    return ret;
}

/* Sets p's source, html and markup from a body: kept as stored when it is the stored source, or
 * what the editor showed of it, in the same markup (so an untouched body never changes, whatever
 * rendering made the stored HTML); else rendered by by's trust. */
static int set_body(struct db *db, const struct user *by, struct post *p, enum post_format format, int as_written,
                    const char *src, size_t n, struct html_removed *removed)
{
    struct buf source = BUF_INIT, html = BUF_INIT;
    const char *cur = p->source ? p->source : "";
    int ret = 0;
    as_written = format == POST_FORMAT_HTML && as_written;
    if (p->id != 0 && p->format == format && p->as_written == as_written &&
        ((strlen(cur) == n && memcmp(cur, src, n) == 0) || shown_same(cur, src, n)))
        return 0;
    if ((ret = render_body(db, by, p, format, as_written, src, n, &source, &html, removed)) < 0)
        goto out;
    free(p->source);
    free(p->html);
    p->source = buf_steal(&source);
    p->html = buf_steal(&html);
    p->format = format;
    p->as_written = as_written;
out:
    buf_free(&source);
    buf_free(&html);
    return ret;
}

/* Records which media the post's body shows (for the library's "used in" and its pages' caches). */
static int body_media(struct db *db, const struct post *p)
{
    struct buf discard = BUF_INIT;
    int64_t ids[HTML_IMAGES_MAX];
    size_t n = 0;
    int ret = media_body_images(db, p->html ? p->html : "", p->html ? strlen(p->html) : 0, &discard, ids, &n);
    buf_free(&discard);
    return ret < 0 ? ret : db_post_media_set(db, p->id, ids, n);
}

/* ---- terms --------------------------------------------------------------------------------- */

/* 1 when names[0..n) are the post's terms of tax as the editor lists them (by name, in order). */
static int terms_same(struct db *db, int64_t post_id, enum term_taxonomy tax, const char *const *names, size_t n)
{
    struct term_list l = {0};
    int same = 0;
    if (post_id != 0 && post_terms(db, post_id, tax, &l) == 0 && l.n == n) {
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

/* ---- writing ------------------------------------------------------------------------------- */

/* Writes p as an insert, or as an update of the stored post `before` checked against version
 * expect (the one check), keeping first the original and then a revision. In a transaction. */
static int write_post(struct db *db, struct post *p, const struct post *before, int64_t expect, int64_t user_id,
                      int64_t now)
{
    int ret;
    if (p->id == 0) {
        ret = db_post_insert(db, p);
    } else {
        ret = revision_keep_original(db, before);
        if (ret == 0)
            ret = db_post_update(db, p, expect);
    }
    return ret < 0 ? ret : revision_keep(db, p, REVISION_SAVE, user_id, now);
}

/* The limits of every field. */
static int check_lengths(const struct post_edit *in, size_t src_len, struct edit_result *res)
{
    if (in->title == NULL || strlen(in->title) > POST_TITLE_MAX || src_len > POST_SOURCE_MAX ||
        (in->excerpt && strlen(in->excerpt) > POST_EXCERPT_MAX) || (in->slug && strlen(in->slug) > SLUG_MAX * 4) ||
        (in->password && strlen(in->password) > EDITOR_PASSWORD_MAX))
        return refuse(res, -EINVAL, "A field is too long.");
    if (in->n_categories > POST_TERMS_MAX || in->n_tags > POST_TERMS_MAX)
        return refuse(res, -EINVAL, "Too many categories or tags.");
    return 0;
}

/* The checks of a save that need no storage. */
static int check_fields(const struct post_edit *in, size_t src_len, struct edit_result *res)
{
    int ret = check_lengths(in, src_len, res);
    if (ret < 0)
        return ret;
    if (in->title[0] == '\0' && src_len == 0 && (in->excerpt == NULL || in->excerpt[0] == '\0'))
        return refuse(res, -EINVAL, "A post needs a title or a body.");
    if (in->status == POST_TRASH)
        return refuse(res, -EINVAL, "Use the trash button to move a post to the trash.");
    if (in->id != 0 && in->version <= 0)
        return refuse(res, -ESTALE, "This post changed since the editor was opened.");
    return 0;
}

/* The rules of who may save what, against the stored post (id 0 for a new one). */
static int check_rights(struct db *db, const struct user *by, const struct post *stored, const struct post_edit *in,
                        int64_t *author, struct edit_result *res)
{
    if (stored->id != 0 && !user_can_edit_post(by, stored))
        return refuse(res, -EACCES, "Sorry, you are not allowed to edit this post.");
    if (stored->id == 0 && in->type == POST_TYPE_PAGE && !role_can(by->role, CAP_EDIT_PAGES))
        return refuse(res, -EACCES, "Sorry, you are not allowed to edit pages.");
    if (!user_can_set_status(by, in->status))
        return refuse(res, -EACCES, "Sorry, you are not allowed to publish. Submit the post for review instead.");
    *author = stored->id != 0 ? stored->author_id : by->id;
    if (in->author_id != 0 && in->author_id != *author) {
        struct user u = {0};
        if (!role_can(by->role, CAP_EDIT_OTHERS_POSTS))
            return refuse(res, -EACCES, "Sorry, you are not allowed to change the author.");
        if (db_user_get(db, in->author_id, &u) < 0)
            return refuse(res, -EINVAL, "There is no such author.");
        user_clear(&u);
        *author = in->author_id;
    }
    return 0;
}

/* When the post is published: the editor's time, else the stored one while it stands (published,
 * scheduled, private or in the future), else now when it is being published. */
static int64_t publish_time(const struct post *stored, const struct post_edit *in, int64_t now)
{
    if (in->published_at != 0)
        return in->published_at;
    if (stored->id == 0)
        return now;
    if (stored->published_at > now || stored->status == POST_PUBLISHED || stored->status == POST_SCHEDULED ||
        stored->status == POST_PRIVATE)
        return stored->published_at;
    return in->status == POST_PUBLISHED ? now : stored->published_at;
}

int post_save(struct db *db, const struct user *by, const struct post_edit *in, int64_t now, struct edit_result *res)
{
    struct post p = {0}, before = {0};
    char slug[SLUG_MAX + 1];
    const char *src = in->source ? in->source : "";
    size_t src_len = strlen(src);
    int64_t author = 0;
    int ret;

    *res = (struct edit_result){0};
    if ((ret = check_fields(in, src_len, res)) < 0)
        return ret;
    if ((ret = db_begin(db)) < 0)
        return ret;
    if (in->id != 0 && (ret = db_post_get(db, in->id, &before)) < 0) {
        refuse(res, ret, "There is no such post.");
        goto fail;
    }
    if ((ret = check_rights(db, by, &before, in, &author, res)) < 0)
        goto fail;
    if (in->id != 0 && (ret = db_post_get(db, in->id, &p)) < 0)
        goto fail;
    if (in->id == 0) {
        p.created_at = now;
        p.version = 1;
    }
    if ((ret = set_body(db, by, &p, in->format, in->as_written, src, src_len, &res->removed)) < 0)
        goto fail;
    free(p.title);
    p.title = xstrdup(in->title);
    if (in->excerpt == NULL || in->excerpt[0] == '\0') {
        free(p.excerpt);
        p.excerpt = NULL;
        if ((ret = post_excerpt_from_html(p.html, strlen(p.html), POST_EXCERPT_WORDS, &p.excerpt)) < 0)
            goto fail;
    } else if (!shown_same(p.excerpt, in->excerpt, strlen(in->excerpt))) {
        free(p.excerpt);
        p.excerpt = xstrdup(in->excerpt);
    }
    if ((ret = post_unique_slug(db, in->type, in->slug && in->slug[0] ? in->slug : in->title, in->id, slug)) < 0)
        goto fail;
    free(p.slug);
    p.slug = xstrdup(slug);
    if (in->password != NULL) {
        free(p.password);
        p.password = in->password[0] ? xstrdup(in->password) : NULL;
    }
    p.type = in->type;
    p.author_id = author;
    p.published_at = publish_time(&before, in, now);
    p.status = post_settle_status(in->status, p.published_at, now);
    p.sticky = in->sticky;
    p.comments_open = in->comments_open;
    p.modified_at = now;
    if ((ret = write_post(db, &p, &before, in->version, by->id, now)) < 0) {
        if (ret == -ESTALE)
            refuse(res, ret, "Someone else saved this post since you opened it, so your changes were not saved.");
        goto fail;
    }
    if ((ret = set_terms(db, p.id, TERM_CATEGORY, in->categories, in->n_categories)) < 0 ||
        (ret = set_terms(db, p.id, TERM_TAG, in->tags, in->n_tags)) < 0)
        goto fail;
    if ((ret = body_media(db, &p)) < 0)
        goto fail;
    if (in->featured_id != 0 && (ret = db_post_set_featured(db, p.id, in->featured_id > 0 ? in->featured_id : 0)) < 0) {
        if (ret == -EINVAL)
            refuse(res, ret, "There is no such image in the media library.");
        goto fail;
    }
    if ((ret = db_commit(db)) < 0)
        goto out;
    res->id = p.id;
    res->version = in->id ? in->version + 1 : 1;
    goto out;
fail:
    db_rollback(db);
out:
    post_clear(&p);
    post_clear(&before);
    return ret;
}

int post_preview(struct db *db, const struct user *by, const struct post_edit *in, struct buf *out,
                 struct edit_result *res)
{
    struct post p = {0};
    struct buf source = BUF_INIT;
    const char *src = in->source ? in->source : "";
    int ret = 0;
    *res = (struct edit_result){0};
    if (in->id != 0 && (ret = editable(db, by, in->id, &p, res)) < 0)
        return ret;
    ret = render_body(db, by, &p, in->format, in->format == POST_FORMAT_HTML && in->as_written, src, strlen(src),
                      &source, out, &res->removed);
    buf_free(&source);
    post_clear(&p);
    return ret;
}

int post_autosave(struct db *db, const struct user *by, const struct post_edit *in, int64_t now,
                  struct edit_result *res)
{
    struct post p = {0};
    const char *src = in->source ? in->source : "";
    int ret;
    *res = (struct edit_result){0};
    if (in->id == 0) {
        if ((in->title == NULL || in->title[0] == '\0') && src[0] == '\0')
            return -ENODATA;
        struct post_edit draft = *in;
        if (draft.status != POST_PENDING)
            draft.status = POST_DRAFT; /* an autosave never publishes */
        return post_save(db, by, &draft, now, res);
    }
    if ((ret = check_lengths(in, strlen(src), res)) < 0)
        return ret;
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = editable(db, by, in->id, &p, res)) < 0)
        goto fail;
    if ((ret = revision_keep_original(db, &p)) < 0)
        goto fail;
    struct buf source = BUF_INIT, html = BUF_INIT;
    ret = render_body(db, by, &p, in->format, in->format == POST_FORMAT_HTML && in->as_written, src, strlen(src),
                      &source, &html, &res->removed);
    buf_free(&html);
    if (ret == 0) {
        free(p.source);
        free(p.title);
        p.source = buf_steal(&source);
        p.title = xstrdup(in->title);
        p.format = in->format;
        p.as_written = in->format == POST_FORMAT_HTML && in->as_written;
        ret = revision_autosave(db, &p, by->id, now, &res->revision_id);
    }
    buf_free(&source);
    if (ret < 0)
        goto fail;
    if ((ret = db_commit(db)) == 0) {
        res->id = p.id;
        res->version = p.version;
    }
    goto out;
fail:
    db_rollback(db);
out:
    post_clear(&p);
    return ret;
}

/* Sets the stored post's status (trash, or draft from the trash) as a change by `by`. */
static int change_status(struct db *db, const struct user *by, int64_t id, enum post_status status, int64_t now,
                         struct edit_result *res)
{
    struct post p = {0}, before = {0};
    int ret;
    *res = (struct edit_result){0};
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = editable(db, by, id, &before, res)) < 0 || (ret = db_post_get(db, id, &p)) < 0)
        goto fail;
    if (status == POST_DRAFT && p.status != POST_TRASH) {
        ret = refuse(res, -EINVAL, "This post is not in the trash.");
        goto fail;
    }
    p.status = status;
    p.modified_at = now;
    if ((ret = write_post(db, &p, &before, p.version, by->id, now)) < 0 || (ret = db_commit(db)) < 0)
        goto fail;
    res->id = p.id;
    res->version = p.version + 1;
    goto out;
fail:
    db_rollback(db);
out:
    post_clear(&p);
    post_clear(&before);
    return ret;
}

int post_trash(struct db *db, const struct user *by, int64_t id, int64_t now, struct edit_result *res)
{
    return change_status(db, by, id, POST_TRASH, now, res);
}

int post_untrash(struct db *db, const struct user *by, int64_t id, int64_t now, struct edit_result *res)
{
    return change_status(db, by, id, POST_DRAFT, now, res);
}

int post_delete_forever(struct db *db, const struct user *by, int64_t id, struct edit_result *res)
{
    struct post p = {0};
    int ret;
    *res = (struct edit_result){0};
    if (!role_can(by->role, CAP_DELETE_FOREVER))
        return refuse(res, -EACCES, "Sorry, you are not allowed to do that.");
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = editable(db, by, id, &p, res)) < 0)
        goto fail;
    if (p.status != POST_TRASH) {
        ret = refuse(res, -EBUSY, "Only posts in the trash can be deleted for good. Move it to the trash first.");
        goto fail;
    }
    if ((ret = db_post_delete(db, id)) < 0 || (ret = db_commit(db)) < 0)
        goto fail;
    res->id = id;
    goto out;
fail:
    db_rollback(db);
out:
    post_clear(&p);
    return ret;
}

int post_restore_revision(struct db *db, const struct user *by, int64_t post_id, int64_t rev_id, int64_t expect_version,
                          int64_t now, struct edit_result *res)
{
    struct revision r = {0};
    struct post p = {0}, before = {0};
    char *derived = NULL;
    int ret;
    *res = (struct edit_result){0};
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = editable(db, by, post_id, &before, res)) < 0)
        goto fail;
    if ((ret = revision_of(db, post_id, rev_id, &r)) < 0) {
        refuse(res, ret, "There is no such revision of this post.");
        goto fail;
    }
    if ((ret = db_post_get(db, post_id, &p)) < 0)
        goto fail;
    /* an excerpt that only followed the body follows the restored one */
    if ((ret = post_excerpt_from_html(p.html, strlen(p.html), POST_EXCERPT_WORDS, &derived)) < 0)
        goto fail;
    int follows = strcmp(derived, p.excerpt) == 0;
    const char *body = r.body ? r.body : "";
    if ((ret = set_body(db, by, &p, r.format, r.as_written, body, strlen(body), &res->removed)) < 0)
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
    if ((ret = write_post(db, &p, &before, expect_version, by->id, now)) < 0) {
        if (ret == -ESTALE)
            refuse(res, ret, "Someone else saved this post since you opened it. Reload and try again.");
        goto fail;
    }
    if ((ret = db_commit(db)) < 0)
        goto fail;
    res->id = post_id;
    res->version = expect_version + 1;
    goto out;
fail:
    db_rollback(db);
out:
    free(derived);
    revision_clear(&r);
    post_clear(&p);
    post_clear(&before);
    return ret;
}

int editor_posts(struct db *db, const struct user *u, struct post_filter *f, struct post_list *out, int64_t *total,
                 int64_t counts[6])
{
    struct post_list l = {0};
    int others = role_can(u->role, CAP_EDIT_OTHERS_POSTS);
    if (!others)
        f->author_id = u->id;
    int ret = db_post_list_filtered(db, f, &l);
    if (ret == 0)
        ret = db_post_count_filtered(db, f, total);
    if (ret == 0)
        ret = db_post_status_counts(db, f->type, others ? 0 : u->id, counts);
    if (ret < 0) {
        post_list_free(&l);
        return ret;
    }
    *out = l;
    return 0;
}

int editor_users(struct db *db, struct user_list *out)
{
    return db_user_list(db, out);
}

void desk_free(struct desk *d)
{
    for (int i = 0; i < DESK_LISTS; i++)
        post_list_free(&d->lists[i]);
}

int editor_desk(struct db *db, const struct user *u, size_t limit, struct desk *out)
{
    static const enum post_status wanted[DESK_LISTS] = {POST_DRAFT, POST_PENDING, POST_SCHEDULED, POST_PUBLISHED};
    struct desk d = {0};
    int others = role_can(u->role, CAP_EDIT_OTHERS_POSTS), ret = 0;
    for (int i = 0; i < DESK_LISTS && ret == 0; i++) {
        struct post_filter f = {
            .type = POST_TYPE_POST, .status = (int)wanted[i], .author_id = others ? 0 : u->id, .limit = limit};
        ret = db_post_list_filtered(db, &f, &d.lists[i]);
    }
    if (ret == 0)
        ret = db_post_status_counts(db, POST_TYPE_POST, others ? 0 : u->id, d.counts);
    if (ret < 0) {
        desk_free(&d);
        return ret;
    }
    *out = d;
    return 0;
}
