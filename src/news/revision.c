/* Revisions (see revision.h): every change the newsroom makes to a post keeps one, written in the
 * change's own transaction; the first change first keeps the post as it was. */
#include "news/revision.h"

#include <errno.h>
#include <string.h>

/* A revision of p (its strings borrowed). */
static struct revision of(const struct post *p, enum revision_kind kind, int64_t user_id, int64_t now)
{
    return (struct revision){.post_id = p->id,
                             .user_id = user_id,
                             .created_at = now,
                             .title = p->title,
                             .body = p->source,
                             .format = p->format,
                             .as_written = p->as_written,
                             .kind = kind};
}

int revision_keep(struct db *db, const struct post *p, enum revision_kind kind, int64_t user_id, int64_t now)
{
    int ret = kind == REVISION_SAVE ? db_revision_delete_autosaves(db, p->id, user_id) : 0;
    if (ret < 0)
        return ret;
    struct revision r = of(p, kind, user_id, now);
    return db_revision_insert(db, &r);
}

int revision_keep_original(struct db *db, const struct post *stored)
{
    int64_t n = 0;
    int ret = db_revision_count(db, stored->id, &n);
    if (ret < 0 || n > 0)
        return ret;
    return revision_keep(db, stored, REVISION_ORIGINAL, stored->author_id, stored->modified_at);
}

int revision_autosave(struct db *db, const struct post *p, int64_t user_id, int64_t now, int64_t *id)
{
    struct revision r = of(p, REVISION_AUTOSAVE, user_id, now);
    int ret = db_revision_delete_autosaves(db, p->id, user_id);
    if (ret == 0 && (ret = db_revision_insert(db, &r)) == 0)
        *id = r.id;
    return ret;
}

int revision_list(struct db *db, int64_t post_id, struct revision_list *out)
{
    return db_revision_list(db, post_id, REVISION_LIST_MAX, out);
}

int revision_of(struct db *db, int64_t post_id, int64_t rev_id, struct revision *out)
{
    struct revision r = {0};
    int ret = rev_id > 0 ? db_revision_get(db, rev_id, &r) : -ENOENT;
    if (ret == 0 && r.post_id != post_id) {
        revision_clear(&r);
        ret = -ENOENT;
    }
    if (ret == 0)
        *out = r;
    return ret;
}

const struct revision *revision_newer_autosave(const struct revision_list *l, int64_t user_id)
{
    for (size_t i = 0; i < l->n && l->items[i].kind == REVISION_AUTOSAVE; i++)
        if (l->items[i].user_id == user_id)
            return &l->items[i];
    return NULL;
}

const char *revision_kind_label(enum revision_kind k)
{
    switch (k) {
    case REVISION_ORIGINAL:
        return "Original";
    case REVISION_AUTOSAVE:
        return "Autosave";
    case REVISION_SAVE:
        break;
    }
    return "Saved";
}
