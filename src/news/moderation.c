/* The newsroom's comment queue (moderation.h): reads and changes that the moderation screens
 * need, each change one transaction. */
#include "news/moderation.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db/newsroom.h"

int moderation_counts(struct db *db, int64_t counts[4])
{
    return db_comment_status_counts(db, counts);
}

void moderation_titles_free(char **titles, size_t n)
{
    for (size_t i = 0; titles != NULL && i < n; i++)
        free(titles[i]);
    free(titles);
}

int moderation_queue(struct db *db, enum comment_status status, size_t offset, size_t limit, struct comment_list *out,
                     char ***titles)
{
    struct comment_list l = {0};
    int ret = db_comment_list_status(db, status, offset, limit, &l);
    if (ret < 0)
        return ret;
    char **t = calloc(l.n ? l.n : 1, sizeof(char *));
    if (t == NULL)
        abort();
    for (size_t i = 0; i < l.n; i++)
        if (db_post_title(db, l.items[i].post_id, &t[i]) < 0 && (t[i] = strdup("")) == NULL)
            abort();
    *out = l;
    *titles = t;
    return 0;
}

/* One action on one comment. */
static int apply(struct db *db, int64_t id, const char *action)
{
    static const struct {
        const char *name;
        enum comment_status to;
    } moves[] = {{"approve", COMMENT_APPROVED},
                 {"unapprove", COMMENT_PENDING},
                 {"spam", COMMENT_SPAM},
                 {"trash", COMMENT_TRASH},
                 {"restore", COMMENT_PENDING}};
    struct comment cm = {0};
    int ret = db_comment_get(db, id, &cm);
    if (ret < 0)
        return ret;
    enum comment_status st = cm.status;
    comment_clear(&cm);
    for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
        if (strcmp(action, moves[i].name) == 0)
            return comment_set_status(db, id, moves[i].to);
    if (strcmp(action, "delete") == 0)
        return st == COMMENT_TRASH || st == COMMENT_SPAM ? db_comment_delete(db, id) : -EPERM;
    return -EINVAL;
}

int moderation_apply(struct db *db, const int64_t *ids, size_t n, const char *action)
{
    int ret = db_begin(db);
    for (size_t i = 0; i < n && ret == 0; i++)
        ret = apply(db, ids[i], action);
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

int moderation_get(struct db *db, int64_t id, struct comment *out, char **post_title)
{
    struct comment cm = {0};
    char *title = NULL;
    int ret = db_comment_get(db, id, &cm);
    if (ret < 0)
        return ret;
    if (db_post_title(db, cm.post_id, &title) < 0 && (title = strdup("")) == NULL)
        abort();
    *out = cm;
    *post_title = title;
    return 0;
}

int moderation_edit(struct db *db, int64_t id, const char *author, const char *email, const char *url, const char *body,
                    const char **why)
{
    if (author == NULL || body == NULL || author[0] == '\0' || body[0] == '\0' || strlen(author) > COMMENT_AUTHOR_MAX ||
        strlen(body) > COMMENT_BODY_MAX || (email && strlen(email) > COMMENT_EMAIL_MAX) ||
        (url && strlen(url) > COMMENT_URL_MAX)) {
        *why = "Name and comment are required, and each field has a size limit.";
        return -EINVAL;
    }
    struct comment up = {.id = id,
                         .author = (char *)author,
                         .email = (char *)(email ? email : ""),
                         .url = (char *)(url ? url : ""),
                         .body = (char *)body};
    return db_comment_update(db, &up);
}

int moderation_reply(struct db *db, const struct user *u, int64_t id, const char *text, int64_t now,
                     struct comment_result *res)
{
    struct comment cm = {0};
    int ret = db_begin(db);
    if (ret < 0)
        return ret;
    if ((ret = db_comment_get(db, id, &cm)) < 0)
        goto out;
    const char *name = u->display_name, *email = u->email && u->email[0] ? u->email : "";
    struct comment_submission s = {
        .post_id = cm.post_id, .parent_id = cm.id, .now = now, .user_id = u->id, .force_status = COMMENT_APPROVED};
    s.author = (struct comment_field){name, strlen(name)};
    s.email = (struct comment_field){email, strlen(email)};
    s.body = (struct comment_field){text, strlen(text)};
    if (cm.status != COMMENT_APPROVED && (ret = comment_set_status(db, cm.id, COMMENT_APPROVED)) < 0)
        goto out;
    ret = comment_submit(db, &s, res); /* refused: the approval above is rolled back */
out:
    comment_clear(&cm);
    if (ret < 0 || res->outcome != COMMENT_ACCEPTED) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}
