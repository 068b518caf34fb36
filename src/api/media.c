/* /wp/v2/media: the media library as WordPress's attachments. Every medium is an image; its
 * source_url is the full-size copy (the uploaded file itself is never kept) and media_details.sizes
 * names each stored copy. Reads go through db/media.h; uploads, changes and deletions are
 * write.c's, through news/media.h's rules. Answers are not cached: a new medium changes no post,
 * so nothing would drop a cached list. */
#include "api/api_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "news/media.h"
#include "news/session.h"
#include "render/html.h"

/* WordPress's names for the copies of the fallback format, by width; the WebP copies take the same
 * names with "-webp". */
static const char *size_name(int width, int full)
{
    static const struct {
        int width;
        const char *name;
    } names[] = {{320, "thumbnail"}, {640, "medium"}, {1024, "medium_large"}, {1600, "large"}, {2400, "xlarge"}};
    if (full)
        return "full";
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].width == width)
            return names[i].name;
    return NULL;
}

static const char *format_mime(const char *format)
{
    return strcmp(format, "png") == 0 ? "image/png" : strcmp(format, "webp") == 0 ? "image/webp" : "image/jpeg";
}

static json_t *size_json(const struct api_ctx *a, const struct media_copy *c)
{
    const char *base = strrchr(c->path, '/');
    return json_pack("{s:s, s:i, s:i, s:I, s:s, s:o}", "file", base ? base + 1 : c->path, "width", c->width, "height",
                     c->height, "filesize", (json_int_t)c->bytes, "mime_type", format_mime(c->format), "source_url",
                     api_url(a, "/uploads/%s", c->path));
}

json_t *api_medium_json(struct api_ctx *a, const struct medium *m, int64_t post)
{
    const char *fallback = media_fallback_format(m);
    const struct media_copy *full = media_copy_for(m, fallback, m->width);
    char slug[MEDIA_NAME_HEX + 1];
    snprintf(slug, sizeof(slug), "%s", m->hash);
    json_t *src = full ? api_url(a, "/uploads/%s", full->path) : json_string("");
    json_t *sizes = json_object();
    for (size_t i = 0; i < m->ncopies; i++) {
        const struct media_copy *c = &m->copies[i];
        const char *name = size_name(c->width, c->width == m->width);
        if (name == NULL)
            continue;
        char key[64];
        snprintf(key, sizeof(key), "%s%s", name, strcmp(c->format, "webp") == 0 ? "-webp" : "");
        json_object_set_new(sizes, key, size_json(a, c));
    }
    struct buf cap = BUF_INIT, desc = BUF_INIT;
    if (m->caption[0] != '\0') {
        buf_puts(&cap, "<p>");
        html_escape(&cap, m->caption, strlen(m->caption));
        buf_puts(&cap, "</p>\n");
    }
    if (full != NULL) { /* as WordPress renders an image attachment's description */
        buf_printf(&desc,
                   "<p class=\"attachment\"><a href=\"%s/uploads/%s\"><img width=\"%d\" height=\"%d\" "
                   "src=\"%s/uploads/%s\" alt=\"",
                   a->site_url, full->path, full->width, full->height, a->site_url, full->path);
        html_escape(&desc, m->alt, strlen(m->alt));
        buf_puts(&desc, "\" /></a></p>\n");
    }
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(m->id));
    json_object_set_new(o, "date", api_date(a, m->created_at));
    json_object_set_new(o, "date_gmt", api_date_gmt(m->created_at));
    json_object_set_new(o, "guid", json_pack("{s:O}", "rendered", src));
    json_object_set_new(o, "modified", api_date(a, m->created_at));
    json_object_set_new(o, "modified_gmt", api_date_gmt(m->created_at));
    json_object_set_new(o, "slug", json_string(slug));
    json_object_set_new(o, "status", json_string("inherit"));
    json_object_set_new(o, "type", json_string("attachment"));
    json_object_set_new(o, "link", json_incref(src));
    json_object_set_new(o, "title", json_pack("{s:o}", "rendered", api_html_text(m->title)));
    json_object_set_new(o, "author", json_integer(m->author_id));
    json_object_set_new(o, "featured_media", json_integer(0));
    json_object_set_new(o, "comment_status", json_string("closed"));
    json_object_set_new(o, "ping_status", json_string("closed"));
    json_object_set_new(o, "template", json_string(""));
    json_object_set_new(o, "meta", json_object());
    json_object_set_new(o, "description",
                        json_pack("{s:s%}", "rendered", desc.data ? desc.data : "", desc.data ? desc.len : 0));
    json_object_set_new(o, "caption",
                        json_pack("{s:s%}", "rendered", cap.data ? cap.data : "", cap.data ? cap.len : 0));
    json_object_set_new(o, "alt_text", jcstr(m->alt));
    json_object_set_new(o, "credit", jcstr(m->credit));
    json_object_set_new(o, "media_type", json_string("image"));
    json_object_set_new(o, "mime_type", json_string(format_mime(fallback)));
    json_object_set_new(o, "media_details",
                        json_pack("{s:i, s:i, s:s, s:I, s:o, s:{}}", "width", m->width, "height", m->height, "file",
                                  full ? full->path : "", "filesize", (json_int_t)(full ? full->bytes : 0), "sizes",
                                  sizes, "image_meta"));
    if (post >= 0)
        json_object_set_new(o, "post", post > 0 ? json_integer(post) : json_null());
    json_object_set_new(o, "source_url", src);
    if (a->edit) {
        json_object_set_new(json_object_get(o, "title"), "raw", jcstr(m->title));
        json_object_set_new(json_object_get(o, "caption"), "raw", jcstr(m->caption));
        json_object_set_new(json_object_get(o, "description"), "raw", json_string(""));
        json_object_set_new(o, "permalink_template", json_string(""));
    }
    buf_free(&cap);
    buf_free(&desc);
    json_t *links = json_object();
    json_object_set_new(links, "self", api_link(a, 0, "/wp-json/wp/v2/media/%lld", (long long)m->id));
    json_object_set_new(links, "collection", api_link(a, 0, "/wp-json/wp/v2/media"));
    if (m->author_id > 0)
        json_object_set_new(links, "author", api_link(a, 1, "/wp-json/wp/v2/users/%lld", (long long)m->author_id));
    json_object_set_new(o, "_links", links);
    return o;
}

/* The newest post that shows m (0: none), as an attachment's post. */
static int64_t shown_by(struct api_ctx *a, int64_t id)
{
    int64_t post = 0;
    if (db_media_newest_user(a->c->t->db, id, &post) < 0)
        post = 0;
    return post;
}

/* context=edit: for those who may change media. */
static int edit_allowed(struct api_ctx *a)
{
    if (!a->edit || role_can(a->user.role, CAP_UPLOAD_FILES))
        return 1;
    api_error(a, 403, "rest_forbidden_context", "Sorry, you are not allowed to edit posts in this post type.", NULL);
    return 0;
}

static void media_item(struct api_ctx *a, int64_t id)
{
    struct medium m = {0};
    int rc = db_media_get(a->c->t->db, id, &m);
    if (rc == -ENOENT)
        api_error(a, 404, "rest_post_invalid_id", "Invalid post ID.", NULL);
    else if (rc < 0)
        api_db_fail(a);
    else
        api_send(a, 200, api_medium_json(a, &m, shown_by(a, id)));
    medium_clear(&m);
}

static void bad(struct api_ctx *a, const char *name, const char *why)
{
    api_invalid(a, json_pack("{s:s}", name, why));
}

static const char *const order_names[] = {"date", "id", "title", "slug"};

static void media_collection(struct api_ctx *a)
{
    struct db *db = a->c->t->db;
    int64_t page = api_int(a, "page", 1), per_page = api_int(a, "per_page", 10);
    const struct api_value *inc = api_val(a, "include"), *exc = api_val(a, "exclude"), *au = api_val(a, "author");
    const struct api_value *nau = api_val(a, "author_exclude"), *slug = api_val(a, "slug");
    const struct api_value *parent = api_val(a, "parent"), *type = api_val(a, "media_type");
    const struct api_value *mime = api_val(a, "mime_type"), *search = api_val(a, "search");
    const struct api_value *orderby = api_val(a, "orderby"), *order = api_val(a, "order"), *st = api_val(a, "status");
    struct media_filter f = {.search = search->present ? search->s : NULL,
                             .include = inc->ids,
                             .n_include = inc->n,
                             .exclude = exc->ids,
                             .n_exclude = exc->n,
                             .authors = au->ids,
                             .n_authors = au->n,
                             .not_authors = nau->ids,
                             .n_not_authors = nau->n,
                             .slugs = slug->strs,
                             .n_slugs = slug->n,
                             .asc = order->present && strcmp(order->s, "asc") == 0,
                             .limit = per_page};
    int none = 0; /* the filters exclude everything */
    if (page > INT64_MAX / API_PER_PAGE_MAX) {
        bad(a, "page", "page is too large.");
        return;
    }
    f.offset = api_val(a, "offset")->present ? api_int(a, "offset", 0) : (page - 1) * per_page;
    if (parent->n > 1) {
        bad(a, "parent", "Gazette lists the media of one post at a time.");
        return;
    }
    if (parent->n == 1)
        f.shown_by = parent->ids[0] > 0 ? parent->ids[0] : -1;
    if (f.shown_by < 0) {
        bad(a, "parent", "Media are not attached to posts here: give a post's ID to list the media it shows.");
        return;
    }
    for (size_t i = 0; i < st->n; i++)
        none |= strcmp(st->strs[i], "inherit") != 0; /* media are never private or in a trash */
    none |= type->present && strcmp(type->s, "image") != 0;
    if (mime->present) {
        if (strcmp(mime->s, "image/jpeg") == 0)
            f.format = "jpeg";
        else if (strcmp(mime->s, "image/png") == 0)
            f.format = "png";
        else
            none = 1;
    }
    f.order = MEDIA_BY_DATE;
    for (size_t i = 0; orderby->present && i < sizeof(order_names) / sizeof(order_names[0]); i++)
        if (strcmp(orderby->s, order_names[i]) == 0)
            f.order = (enum media_order)i;
    int by_include = orderby->present && strcmp(orderby->s, "include") == 0;
    if (by_include && inc->n == 0) {
        bad(a, "orderby", "You need to define an include parameter to order by include.");
        return;
    }
    if (!edit_allowed(a))
        return;
    struct media_list l = {0};
    if (by_include) { /* the page of the include list, in its order */
        f.offset = 0;
        f.limit = DB_MEDIA_LIST_MAX;
    }
    if (!none && db_media_query(db, &f, &l) < 0) {
        api_db_fail(a);
        return;
    }
    int64_t total = l.total;
    if (api_past_end(a, total, page, per_page, "rest_post_invalid_page_number")) {
        media_list_free(&l);
        return;
    }
    json_t *arr = json_array();
    size_t from = 0, to = l.n;
    if (by_include) {
        int64_t off = api_val(a, "offset")->present ? api_int(a, "offset", 0) : (page - 1) * per_page;
        from = (size_t)(off < (int64_t)inc->n ? off : (int64_t)inc->n);
        to = from + (size_t)per_page < inc->n ? from + (size_t)per_page : inc->n;
    }
    for (size_t k = from; k < to; k++) {
        struct medium m = {0};
        int64_t id = by_include ? 0 : l.items[k].id;
        if (by_include) { /* the k-th id of include, when it matched */
            for (size_t i = 0; i < l.n && id == 0; i++)
                if (l.items[i].id == inc->ids[k])
                    id = inc->ids[k];
            if (id == 0)
                continue;
        }
        if (db_media_get(db, id, &m) == 0)
            json_array_append_new(arr, api_medium_json(a, &m, shown_by(a, id)));
        medium_clear(&m);
    }
    media_list_free(&l);
    api_paging(a, total, page, per_page);
    api_send(a, 200, arr);
}

void api_media_get(struct api_ctx *a, int64_t id, const char *name)
{
    (void)name;
    a->cache = 0;
    if (id > 0)
        media_item(a, id);
    else
        media_collection(a);
}
