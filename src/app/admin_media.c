/* The newsroom's Media screen (/admin/media/): a grid of the library with search and paging, an
 * upload form (multipart, a file input that needs no JavaScript), each medium's page with its
 * texts, the posts that show it, and deletion, which asks first when posts show it. Authors and
 * up; contributors may not upload, as in WordPress. The image work (decoding, copies) runs on the
 * worker pool and its record on the writer, never on the event loop. */
#include "app/admin_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/newsroom.h"
#include "http/response.h"
#include "lib/timeutil.h"
#include "news/media.h"
#include "render/html.h"

#define MEDIA_GRID_WIDTH 320 /* the copy a grid cell shows */
#define MEDIA_SEARCH_MAX 200 /* bytes of a search */

static void uploads_dir(struct app_thread *t, char *out, size_t cap)
{
    snprintf(out, cap, "%s/uploads", t->app->data_dir);
}

static int may_change(struct admin_ctx *a, const struct medium *m)
{
    return media_may_change(&a->user, m);
}

/* The grid, with an error (422) above the upload form when error is set. */
static void media_list(struct admin_ctx *a, int status, const char *error)
{
    struct db *db = a->c->t->db;
    const char *s = admin_query(a, "s");
    if (s != NULL && strlen(s) > MEDIA_SEARCH_MAX)
        s = NULL;
    size_t page = admin_page(a);
    struct media_list l = {0};
    if (db_media_list(db, s, (int64_t)(page - 1) * ADMIN_PER_PAGE, ADMIN_PER_PAGE, &l) < 0) {
        admin_error(a, 503, "The database is not available.");
        return;
    }
    json_t *d = json_object(), *items = json_array();
    for (size_t i = 0; i < l.n; i++) {
        struct medium m = {0};
        if (db_media_get(db, l.items[i].id, &m) < 0)
            continue;
        m.uses = l.items[i].uses;
        json_t *img = app_image_json(&m, MEDIA_GRID_WIDTH, "(max-width: 600px) 50vw, 200px", i >= 8);
        json_array_append_new(items,
                              json_pack("{s:I, s:o, s:o, s:i, s:i, s:I, s:s, s:o}", "id", (json_int_t)m.id, "title",
                                        jcstr(m.title[0] ? m.title : m.hash), "alt", jcstr(m.alt), "width", m.width,
                                        "height", m.height, "uses", (json_int_t)m.uses, "mime", m.mime, "image", img));
        medium_clear(&m);
    }
    char h[MEDIA_SEARCH_MAX * 3 + 64];
    json_t *q = s ? json_string(s) : json_string("");
    h2o_iovec_t esc = s != NULL ? h2o_uri_escape(&a->c->req->pool, s, strlen(s), NULL) : h2o_iovec_init("", 0);
    if (page > 1) { /* the search goes with the pages */
        snprintf(h, sizeof(h), "?s=%.*s&page=%zu", (int)esc.len, esc.base, page - 1);
        json_object_set_new(d, "prev", json_string(h));
    }
    if ((int64_t)(page * ADMIN_PER_PAGE) < l.total) {
        snprintf(h, sizeof(h), "?s=%.*s&page=%zu", (int)esc.len, esc.base, page + 1);
        json_object_set_new(d, "next", json_string(h));
    }
    json_object_set_new(d, "items", items);
    json_object_set_new(d, "total", json_integer(l.total));
    json_object_set_new(d, "empty", json_boolean(l.n == 0));
    json_object_set_new(d, "s", q);
    if (error != NULL)
        json_object_set_new(d, "error", json_string(error));
    media_list_free(&l);
    admin_render(a, status, "admin-media", d, "Media");
}

/* ---- upload ----------------------------------------------------------------------------- */

/* Who asked for an upload, so who gets the answer: the Media screen (a page), the editor's
 * script (JSON with what to insert) or the editor without script (the editor again). */
enum upload_reply { REPLY_SCREEN, REPLY_JSON, REPLY_EDITOR };

struct upload_job {
    struct admin_job base; /* first */
    enum upload_reply reply;
    struct multipart *mp; /* REPLY_EDITOR: the editor's form, in the request's memory */
    char *data;           /* the file's bytes, copied off the request */
    size_t len;
    char *title, *alt, *caption, *credit;
    char uploads[1024];
    struct media_upload u;
    char why[MEDIA_WHY_MAX];
};

static struct media_text upload_text(struct upload_job *j)
{
    return (struct media_text){.title = j->title, .alt = j->alt, .caption = j->caption, .credit = j->credit};
}

/* On a worker: the bytes checked and copied. */
static int upload_run(struct db *db, struct admin_job *aj)
{
    struct upload_job *j = (struct upload_job *)aj;
    struct media_text t = upload_text(j);
    int ret = media_prepare_bytes(db, j->uploads, j->data, j->len, &t, j->base.now, &j->u, j->why);
    free(j->data); /* the copies are made */
    j->data = NULL;
    return ret;
}

/* On the writer, in its batch: the record. */
static int upload_write(struct db *db, struct admin_job *aj)
{
    struct upload_job *j = (struct upload_job *)aj;
    struct media_text t = upload_text(j);
    return media_commit(db, j->uploads, &j->u, &t, j->base.user.id, j->base.now, NULL, j->why);
}

/* The library's newest media (or those matching s) as the editor's script picks from them. */
static json_t *medium_json(const struct medium *m, int lazy)
{
    struct buf md = BUF_INIT, html = BUF_INIT;
    media_snippet(m, 1, &md);
    media_snippet(m, 0, &html);
    json_t *j = json_pack("{s:I, s:o, s:o, s:i, s:i, s:s%, s:s%, s:o}", "id", (json_int_t)m->id, "title",
                          jcstr(m->title[0] ? m->title : m->hash), "alt", jcstr(m->alt), "width", m->width, "height",
                          m->height, "markdown", md.data ? md.data : "", md.len, "html", html.data ? html.data : "",
                          html.len, "image", app_image_json(m, MEDIA_GRID_WIDTH, "120px", lazy));
    buf_free(&md);
    buf_free(&html);
    return j;
}

/* GET /admin/media/ asked for JSON: a page of the library (?s=, ?page=) for the editor's script. */
static void library_json(struct admin_ctx *a)
{
    struct db *db = a->c->t->db;
    const char *s = admin_query(a, "s");
    size_t page = admin_page(a);
    struct media_list l = {0};
    if (s != NULL && strlen(s) > MEDIA_SEARCH_MAX)
        s = NULL;
    if (db_media_list(db, s, (int64_t)(page - 1) * ADMIN_PER_PAGE, ADMIN_PER_PAGE, &l) < 0) {
        admin_send_json(a, 503, json_pack("{s:s}", "error", "The database is not available."));
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < l.n; i++) {
        struct medium m = {0};
        if (db_media_get(db, l.items[i].id, &m) == 0)
            json_array_append_new(items, medium_json(&m, 1));
        medium_clear(&m);
    }
    admin_send_json(a, 200,
                    json_pack("{s:o, s:I, s:b}", "items", items, "total", (json_int_t)l.total, "more",
                              (int64_t)(page * ADMIN_PER_PAGE) < l.total));
    media_list_free(&l);
}

/* The answer to the editor's script: the medium id with what to insert, or why not. */
static void upload_json(struct admin_ctx *a, int64_t id, int status, const char *why)
{
    struct medium m = {0};
    if (status < 300 && db_media_get(a->c->t->db, id, &m) < 0) {
        status = 503;
        why = "The image was added but cannot be read back.";
    }
    if (status >= 300)
        admin_send_json(a, status, json_pack("{s:s}", "error", why));
    else
        admin_send_json(a, status, medium_json(&m, 0));
    medium_clear(&m);
}

/* The editor again, with the medium id inserted (or why not). */
static void upload_editor(struct admin_ctx *a, int64_t id, int status, const char *why)
{
    struct medium m = {0};
    int ret = status < 300 ? db_media_get(a->c->t->db, id, &m) : -EINVAL;
    if (status < 300 && ret < 0)
        admin_post_insert_image(a, ret == -ENOENT ? 422 : 503, NULL,
                                ret == -ENOENT ? "There is no such image in the library."
                                               : "The library cannot be read.");
    else
        admin_post_insert_image(a, status, ret == 0 ? &m : NULL, why);
    medium_clear(&m);
}

static void upload_done(struct admin_ctx *a, struct admin_job *aj, int rc)
{
    struct upload_job *j = (struct upload_job *)aj;
    const char *why = j->why[0] ? j->why : "The image could not be added.";
    int status = rc == -EINVAL ? 422 : 503;
    if (rc < 0 && !j->u.existed)
        media_abandon(j->uploads, &j->u); /* the batch failed after the record: nothing of it stays */
    if (j->reply == REPLY_JSON) {
        upload_json(a, j->u.id, rc < 0 ? status : j->u.existed ? 200 : 201, why);
    } else if (j->reply == REPLY_EDITOR) {
        a->mp = j->mp; /* the request is still here: so is its body */
        upload_editor(a, j->u.id, rc < 0 ? status : 200, why);
    } else if (rc < 0) {
        media_list(a, status, why);
    } else {
        char loc[96];
        snprintf(loc, sizeof(loc), "/admin/media/%lld?msg=%s", (long long)j->u.id,
                 j->u.existed ? "exists" : "uploaded");
        admin_redirect(a, loc);
    }
}

static void upload_clear(struct admin_job *aj)
{
    struct upload_job *j = (struct upload_job *)aj;
    free(j->data);
    free(j->title);
    free(j->alt);
    free(j->caption);
    free(j->credit);
}

static char *dup_field(struct admin_ctx *a, const char *name)
{
    const char *v = admin_field(a, name);
    char *s = strdup(v ? v : "");
    if (s == NULL)
        abort();
    return s;
}

/* An upload from the Media screen or the editor's script (/admin/media/upload: fields title,
 * alt, caption, credit) or from the editor's form (/admin/media/insert: image_alt, image_caption,
 * image_credit beside the post's own fields). */
static void upload(struct admin_ctx *a, enum upload_reply reply)
{
    const struct multipart_part *f = a->mp ? multipart_get(a->mp, "file") : NULL;
    const char *missing = "Choose an image file to upload.";
    const char *pre = reply == REPLY_EDITOR ? "image_" : "";
    char name[16];
    if (f == NULL || !f->is_file || f->data.len == 0) {
        if (reply == REPLY_JSON)
            admin_send_json(a, 422, json_pack("{s:s}", "error", missing));
        else if (reply == REPLY_EDITOR)
            admin_post_insert_image(a, 422, NULL, "Choose an image file to upload, or an image of the library.");
        else
            media_list(a, 422, missing);
        return;
    }
    struct upload_job *j = calloc(1, sizeof(*j));
    if (j == NULL || (j->data = malloc(f->data.len)) == NULL)
        abort();
    memcpy(j->data, f->data.base, f->data.len); /* the request may go before the job runs */
    j->len = f->data.len;
    j->reply = reply;
    j->mp = a->mp;
    j->title = dup_field(a, reply == REPLY_EDITOR ? "image_title" : "title");
    snprintf(name, sizeof(name), "%salt", pre);
    j->alt = dup_field(a, name);
    snprintf(name, sizeof(name), "%scaption", pre);
    j->caption = dup_field(a, name);
    snprintf(name, sizeof(name), "%scredit", pre);
    j->credit = dup_field(a, name);
    uploads_dir(a->c->t, j->uploads, sizeof(j->uploads));
    j->base.run = upload_run;
    j->base.write = upload_write;
    j->base.done = upload_done;
    j->base.clear = upload_clear;
    admin_defer(a, WRITER_WORK, &j->base);
}

/* POST /admin/media/insert: the editor's form, sent by its "Upload and insert" button (with a
 * file) or its "Insert" button (with image_pick, a medium of the library). */
static void editor_insert(struct admin_ctx *a)
{
    const char *d = admin_field(a, "do");
    if (d != NULL && strcmp(d, "pick_image") == 0) {
        int64_t id = admin_id(admin_field(a, "image_pick"));
        if (id <= 0)
            admin_post_insert_image(a, 422, NULL, "Choose an image of the library to insert.");
        else
            upload_editor(a, id, 200, NULL);
    } else {
        upload(a, REPLY_EDITOR);
    }
}

/* ---- one medium ------------------------------------------------------------------------- */

/* What to paste into a post to show m: Markdown, and HTML with its caption in a <figure>. Saved,
 * either becomes a <picture> with every copy (news/media.c, media_body_images). */
static json_t *insert_snippets(const struct medium *m)
{
    struct buf md = BUF_INIT, html = BUF_INIT;
    json_t *j = json_false();
    if (media_snippet(m, 1, &md) == 0 && media_snippet(m, 0, &html) == 0)
        j = json_pack("{s:s%, s:s%}", "markdown", md.data, md.len, "html", html.data, html.len);
    buf_free(&md);
    buf_free(&html);
    return j;
}

static void media_page(struct admin_ctx *a, int64_t id, int status, const char *error, int confirm)
{
    struct db *db = a->c->t->db;
    struct medium m = {0};
    int ret = media_get_counted(db, id, &m);
    if (ret < 0) {
        admin_error(a, ret == -ENOENT ? 404 : 503,
                    ret == -ENOENT ? "There is no such medium." : "The database is not available.");
        return;
    }
    int64_t *ids = NULL;
    size_t n = 0;
    json_t *d = json_object(), *users = json_array(), *copies = json_array();
    if (db_media_users(db, id, MEDIA_USERS_SHOWN, &ids, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char *title = NULL;
            db_post_title(db, ids[i], &title);
            json_array_append_new(users, json_pack("{s:I, s:o}", "id", (json_int_t)ids[i], "title", jcstr(title)));
            free(title);
        }
    }
    free(ids);
    for (size_t i = 0; i < m.ncopies; i++) {
        char url[128];
        snprintf(url, sizeof(url), "/uploads/%s", m.copies[i].path);
        json_array_append_new(copies, json_pack("{s:s, s:s, s:i, s:i, s:I}", "url", url, "format", m.copies[i].format,
                                                "width", m.copies[i].width, "height", m.copies[i].height, "bytes",
                                                (json_int_t)m.copies[i].bytes));
    }
    char iso[TIME_ISO_LEN];
    time_format_iso(m.created_at, iso);
    json_object_set_new(
        d, "medium",
        json_pack("{s:I, s:o, s:o, s:o, s:o, s:s, s:i, s:i, s:I, s:s, s:I, s:o}", "id", (json_int_t)m.id, "title",
                  jcstr(m.title), "alt", jcstr(m.alt), "caption", jcstr(m.caption), "credit", jcstr(m.credit), "mime",
                  m.mime, "width", m.width, "height", m.height, "bytes", (json_int_t)m.bytes, "date", iso, "uses",
                  (json_int_t)m.uses, "image", app_image_json(&m, 1024, "(max-width: 1100px) 100vw, 1024px", 0)));
    json_object_set_new(d, "insert", insert_snippets(&m));
    json_object_set_new(d, "users", users);
    json_object_set_new(d, "copies", copies);
    json_object_set_new(d, "used", json_boolean(m.uses > 0));
    json_object_set_new(d, "may_change", json_boolean(may_change(a, &m)));
    json_object_set_new(d, "confirm", json_boolean(confirm));
    if (error != NULL)
        json_object_set_new(d, "error", json_string(error));
    medium_clear(&m);
    admin_render(a, status, "admin-medium", d, "Medium");
}

struct media_write_job {
    struct admin_job base; /* first */
    int64_t id;
    int del, force;
    char *title, *alt, *caption, *credit;
    struct medium gone;
    char why[MEDIA_WHY_MAX];
};

static int media_write_run(struct db *db, struct admin_job *aj)
{
    struct media_write_job *j = (struct media_write_job *)aj;
    if (j->del)
        return media_delete_record(db, j->id, j->force, &j->gone, j->why);
    struct media_text t = {.title = j->title, .alt = j->alt, .caption = j->caption, .credit = j->credit};
    return media_set_text(db, j->id, &t, j->why);
}

static void media_write_done(struct admin_ctx *a, struct admin_job *aj, int rc)
{
    struct media_write_job *j = (struct media_write_job *)aj;
    if (rc == -EBUSY) {
        media_page(a, j->id, 409, j->why, 1); /* asks first */
    } else if (rc < 0) {
        media_page(a, j->id,
                   rc == -EINVAL   ? 422
                   : rc == -ENOENT ? 404
                                   : 503,
                   j->why[0] ? j->why : "The change could not be saved.", 0);
    } else if (j->del) {
        char uploads[1024];
        uploads_dir(a->c->t, uploads, sizeof(uploads));
        media_remove_files(uploads, &j->gone); /* committed and synced: the files go now */
        admin_redirect(a, "/admin/media/?msg=deleted");
    } else {
        char loc[64];
        snprintf(loc, sizeof(loc), "/admin/media/%lld?msg=saved", (long long)j->id);
        admin_redirect(a, loc);
    }
}

static void media_write_clear(struct admin_job *aj)
{
    struct media_write_job *j = (struct media_write_job *)aj;
    free(j->title);
    free(j->alt);
    free(j->caption);
    free(j->credit);
    medium_clear(&j->gone);
}

static void media_write(struct admin_ctx *a, int64_t id, int del)
{
    struct medium m = {0};
    int ret = db_media_get(a->c->t->db, id, &m);
    if (ret < 0) {
        admin_error(a, ret == -ENOENT ? 404 : 503, "There is no such medium.");
        return;
    }
    int allowed = may_change(a, &m);
    medium_clear(&m);
    if (!allowed) {
        admin_error(a, 403, "You may change only the images you uploaded.");
        return;
    }
    struct media_write_job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    j->id = id;
    j->del = del;
    if (del) {
        const char *c = admin_field(a, "confirm");
        j->force = c != NULL && strcmp(c, "1") == 0;
    } else {
        j->title = dup_field(a, "title");
        j->alt = dup_field(a, "alt");
        j->caption = dup_field(a, "caption");
        j->credit = dup_field(a, "credit");
    }
    j->base.run = media_write_run;
    j->base.done = media_write_done;
    j->base.clear = media_write_clear;
    admin_defer(a, WRITER_BATCH, &j->base);
}

void admin_media(struct admin_ctx *a, int post)
{
    int64_t id = a->n_seg >= 2 ? admin_id(a->seg[1]) : -1;
    if (!admin_require(a, CAP_UPLOAD_FILES))
        return;
    if (a->n_seg == 1 && !post && admin_wants_json(a))
        library_json(a);
    else if (a->n_seg == 1 && !post)
        media_list(a, 200, NULL);
    else if (a->n_seg == 2 && strcmp(a->seg[1], "upload") == 0 && post)
        upload(a, admin_wants_json(a) ? REPLY_JSON : REPLY_SCREEN);
    else if (a->n_seg == 2 && strcmp(a->seg[1], "insert") == 0 && post)
        editor_insert(a);
    else if (a->n_seg == 2 && id > 0 && !post)
        media_page(a, id, 200, NULL, 0);
    else if (a->n_seg == 2 && id > 0 && post)
        media_write(a, id, 0);
    else if (a->n_seg == 3 && id > 0 && strcmp(a->seg[2], "delete") == 0 && post)
        media_write(a, id, 1);
    else
        admin_error(a, 404, "There is nothing here.");
}
