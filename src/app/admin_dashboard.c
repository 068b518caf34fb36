/* The newsroom's front page, GET /admin/: what is waiting (drafts, posts pending review, the
 * scheduled ones with their times, comments awaiting moderation) and the latest published
 * stories, each a link. Every role has one: authors and contributors see their own posts. */
#include "app/admin_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "lib/timeutil.h"
#include "lib/tz.h"
#include "news/editor.h"
#include "news/moderation.h"
#include "news/post.h"

#define DASHBOARD_ROWS 5 /* posts or comments listed in each box */

static json_t *posts_json(struct admin_ctx *a, const struct post_list *l)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const struct post *p = &l->items[i];
        char iso[TIME_ISO_LEN], words[TIME_HUMAN_MAX], path[POST_PATH_MAX];
        time_format_iso(p->published_at, iso);
        tz_format_human_time(a->c->t->site.timezone, p->published_at, words);
        json_t *r = json_pack("{s:I, s:o, s:s, s:s, s:o}", "id", (json_int_t)p->id, "title",
                              p->title[0] ? jcstr(p->title) : json_string("(no title)"), "date", iso, "when", words,
                              "author", jcstr(p->author_name));
        if (p->status == POST_PUBLISHED && post_path(p, path, sizeof(path)) > 0)
            json_object_set_new(r, "view", json_string(path));
        json_array_append_new(rows, r);
    }
    return rows;
}

void admin_dashboard(struct admin_ctx *a)
{
    struct db *db = a->c->t->db;
    struct desk desk = {0};
    struct comment_list held = {0};
    char **titles = NULL;
    int64_t counts[4] = {0};
    int moderate = role_can(a->user.role, CAP_MODERATE_COMMENTS);
    if (editor_desk(db, &a->user, DASHBOARD_ROWS, &desk) < 0 ||
        (moderate && (moderation_counts(db, counts) < 0 ||
                      moderation_queue(db, COMMENT_PENDING, 0, DASHBOARD_ROWS, &held, &titles) < 0))) {
        desk_free(&desk);
        admin_error(a, 503, "The database is not available.");
        return;
    }
    static const struct {
        const char *key, *status;
        int count_of;
    } boxes[DESK_LISTS] = {{"drafts", "draft", POST_DRAFT},
                           {"pending", "pending", POST_PENDING},
                           {"scheduled", "scheduled", POST_SCHEDULED},
                           {"published", "published", POST_PUBLISHED}};
    json_t *d = json_object();
    for (int i = 0; i < DESK_LISTS; i++) {
        char href[48];
        snprintf(href, sizeof(href), "/admin/posts/?status=%s", boxes[i].status);
        json_object_set_new(d, boxes[i].key,
                            json_pack("{s:o, s:I, s:s, s:b}", "rows", posts_json(a, &desk.lists[i]), "count",
                                      (json_int_t)desk.counts[boxes[i].count_of], "href", href, "empty",
                                      desk.lists[i].n == 0));
    }
    if (moderate) {
        json_t *rows = json_array();
        for (size_t i = 0; i < held.n; i++) {
            const struct comment *cm = &held.items[i];
            char words[TIME_HUMAN_MAX];
            tz_format_human_time(a->c->t->site.timezone, cm->created_at, words);
            json_array_append_new(rows, json_pack("{s:I, s:o, s:o, s:s, s:I}", "id", (json_int_t)cm->id, "author",
                                                  jcstr(cm->author), "post_title", jcstr(titles[i]), "when", words,
                                                  "post_id", (json_int_t)cm->post_id));
        }
        json_object_set_new(d, "comments",
                            json_pack("{s:o, s:I, s:b}", "rows", rows, "count", (json_int_t)counts[COMMENT_PENDING],
                                      "empty", held.n == 0));
    }
    json_object_set_new(d, "timezone", jcstr(a->c->t->site.timezone));
    moderation_titles_free(titles, held.n);
    comment_list_free(&held);
    desk_free(&desk);
    admin_render(a, 200, "admin-dashboard", d, "Dashboard");
}
