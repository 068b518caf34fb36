/* The newsroom's posts and pages: the list with filters, counts and paging; the editor (one form
 * for posts and pages, in the post's own format) with a preview that shows what the HTML filter
 * keeps; saving, autosaving, trash, restore and delete; the revisions screen with a line diff of
 * two revisions; and the draft preview in the site's theme. The rules are news/editor.h's: this
 * file reads the form, asks, and answers. */
#include "app/admin_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"
#include "http/response.h"
#include "news/media.h"
#include "lib/timeutil.h"
#include "lib/tz.h"
#include "news/editor.h"
#include "news/post.h"
#include "news/revision.h"
#include "news/taxonomy.h"
#include "render/diff.h"

#define ADMIN_TERMS_FIELD_MAX 4000 /* bytes of the comma-separated categories or tags field */

static const char *const status_labels[] = {"Draft", "Pending", "Scheduled", "Published", "Private", "Trash"};

static const char *type_word(enum post_type t)
{
    return t == POST_TYPE_PAGE ? "page" : "post";
}

/* "Dec 1, 2026 at 14:05" in the site's zone, as a JSON string. */
static json_t *when_words(struct admin_ctx *a, int64_t t)
{
    char words[TIME_HUMAN_MAX];
    tz_format_human_time(a->c->t->site.timezone, t, words);
    return json_string(words);
}

/* The answer to a refusal of news/editor.h that is not the form's own business. */
static void refused(struct admin_ctx *a, int ret, const struct edit_result *res)
{
    int status = ret == -ENOENT ? 404 : ret == -EACCES ? 403 : ret == -EBUSY || ret == -ESTALE ? 409 : 503;
    admin_error(a, status, res->refusal ? res->refusal : "The change could not be saved.");
}

/* Reads post id into p when the user may edit it; else answers 404, 403 or 503 and returns the error. */
static int editable(struct admin_ctx *a, int64_t id, struct post *p)
{
    int ret = post_editable(a->c->t->db, &a->user, id, p);
    if (ret < 0) {
        struct edit_result res = {.refusal = ret == -ENOENT   ? "There is no such post."
                                             : ret == -EACCES ? "Sorry, you are not allowed to edit this post."
                                                              : "The database is not available."};
        refused(a, ret, &res);
    }
    return ret;
}

/* ---- the list --------------------------------------------------------------------------- */

/* Appends key=value to a query string being built (value percent-encoded). */
static void qs_add(struct buf *q, const char *key, const char *value)
{
    if (value == NULL || value[0] == '\0')
        return;
    buf_putc(q, q->len ? '&' : '?');
    buf_puts(q, key);
    buf_putc(q, '=');
    form_encode(q, value, strlen(value));
}

/* The link to page n of the list with the filters of q. */
static json_t *page_link(const char *base, const struct buf *q, size_t n)
{
    struct buf h = BUF_INIT;
    buf_printf(&h, "%s%s%spage=%zu", base, q->len ? q->data : "", q->len ? "&" : "?", n);
    json_t *j = jstr(h.data ? h.data : "", h.len);
    buf_free(&h);
    return j;
}

void admin_posts_list(struct admin_ctx *a, enum post_type type)
{
    struct db *db = a->c->t->db;
    int others = role_can(a->user.role, CAP_EDIT_OTHERS_POSTS);
    if (type == POST_TYPE_PAGE && !admin_require(a, CAP_EDIT_PAGES))
        return;
    const char *st = admin_query(a, "status"), *s = admin_query(a, "s"), *au = admin_query(a, "author"),
               *cat = admin_query(a, "category");
    enum post_status status;
    struct post_filter f = {.type = type, .status = -1, .limit = ADMIN_PER_PAGE};
    if (st != NULL && st[0] && post_status_parse(st, &status) == 0)
        f.status = (int)status;
    else
        st = NULL;
    f.author_id = au ? admin_id(au) : 0;
    if (f.author_id < 0)
        f.author_id = 0;
    f.term_id = cat ? admin_id(cat) : 0;
    if (f.term_id < 0)
        f.term_id = 0;
    if (s != NULL && strlen(s) > 200)
        s = NULL;
    f.search = s;
    size_t page = admin_page(a);
    f.offset = (page - 1) * ADMIN_PER_PAGE;

    struct post_list l = {0};
    struct term_list cats = {0};
    struct user_list users = {0};
    int64_t total = 0, counts[6] = {0};
    if (editor_posts(db, &a->user, &f, &l, &total, counts) < 0 || term_list(db, TERM_CATEGORY, a->c->now, &cats) < 0 ||
        (others && editor_users(db, &users) < 0)) {
        post_list_free(&l);
        term_list_free(&cats);
        admin_error(a, 503, "The database is not available.");
        return;
    }

    const char *base = type == POST_TYPE_PAGE ? "/admin/pages/" : "/admin/posts/";
    json_t *d = json_object(), *rows = json_array(), *tabs = json_array(), *cj = json_array(), *uj = json_array();
    int64_t all = 0;
    for (int i = 0; i < 6; i++)
        all += i == POST_TRASH ? 0 : counts[i];
    json_array_append_new(tabs, json_pack("{s:s, s:s, s:I, s:b}", "label", "All", "href", base, "count",
                                          (json_int_t)all, "current", st == NULL));
    for (int i = 0; i < 6; i++) {
        char href[64];
        snprintf(href, sizeof(href), "%s?status=%s", base, post_status_name((enum post_status)i));
        json_array_append_new(tabs, json_pack("{s:s, s:s, s:s, s:I, s:b}", "label", status_labels[i], "status",
                                              post_status_name((enum post_status)i), "href", href, "count",
                                              (json_int_t)counts[i], "current", f.status == i));
    }
    for (size_t i = 0; i < l.n; i++) {
        struct post *p = &l.items[i];
        char iso[TIME_ISO_LEN], path[POST_PATH_MAX];
        time_format_iso(p->published_at, iso);
        json_t *r =
            json_pack("{s:I, s:o, s:s, s:s, s:o, s:s, s:o, s:b, s:b, s:I}", "id", (json_int_t)p->id, "title",
                      p->title[0] ? jcstr(p->title) : json_string("(no title)"), "status", post_status_name(p->status),
                      "status_label", status_labels[p->status], "author", jcstr(p->author_name), "date", iso, "when",
                      when_words(a, p->published_at), "can_edit", user_can_edit_post(&a->user, p), "sticky", p->sticky,
                      "comments", (json_int_t)p->comment_count);
        if (p->status == POST_PUBLISHED && post_path(p, path, sizeof(path)) > 0)
            json_object_set_new(r, "view", json_string(path));
        json_array_append_new(rows, r);
    }
    for (size_t i = 0; i < cats.n; i++)
        json_array_append_new(cj, json_pack("{s:I, s:o, s:b}", "id", (json_int_t)cats.items[i].id, "name",
                                            jcstr(cats.items[i].name), "selected", cats.items[i].id == f.term_id));
    for (size_t i = 0; i < users.n; i++)
        json_array_append_new(uj, json_pack("{s:I, s:o, s:b}", "id", (json_int_t)users.items[i].id, "name",
                                            jcstr(users.items[i].display_name), "selected",
                                            users.items[i].id == f.author_id));
    /* paging links keep the filters */
    struct buf q = BUF_INIT;
    qs_add(&q, "status", st);
    qs_add(&q, "author", others ? au : NULL);
    qs_add(&q, "category", cat);
    qs_add(&q, "s", s);
    size_t pages = total > 0 ? (size_t)((total + ADMIN_PER_PAGE - 1) / ADMIN_PER_PAGE) : 1;
    if (page > 1)
        json_object_set_new(d, "prev", page_link(base, &q, page - 1));
    if (page < pages)
        json_object_set_new(d, "next", page_link(base, &q, page + 1));
    buf_free(&q);
    json_object_set_new(d, "rows", rows);
    json_object_set_new(d, "tabs", tabs);
    json_object_set_new(d, "categories", cj);
    json_object_set_new(d, "authors", uj);
    json_object_set_new(d, "show_authors", json_boolean(others));
    json_object_set_new(d, "status", jcstr(st));
    json_object_set_new(d, "s", jcstr(s));
    json_object_set_new(d, "base", json_string(base));
    json_object_set_new(d, "type", json_string(type_word(type)));
    json_object_set_new(d, "is_page", json_boolean(type == POST_TYPE_PAGE));
    json_object_set_new(d, "timezone", jcstr(a->c->t->site.timezone));
    json_object_set_new(d, "total", json_integer(total));
    json_object_set_new(d, "page", json_integer((json_int_t)page));
    json_object_set_new(d, "pages", json_integer((json_int_t)pages));
    json_object_set_new(d, "empty", json_boolean(l.n == 0));
    post_list_free(&l);
    term_list_free(&cats);
    user_list_free(&users);
    admin_render(a, 200, "admin-posts", d, type == POST_TYPE_PAGE ? "Pages" : "Posts");
}

/* ---- the editor ------------------------------------------------------------------------- */

/* The comma-separated names of a post's terms. */
static void terms_csv(struct db *db, int64_t id, enum term_taxonomy tax, struct buf *out)
{
    struct term_list l = {0};
    if (id == 0 || post_terms(db, id, tax, &l) < 0)
        return;
    for (size_t i = 0; i < l.n; i++) {
        if (i)
            buf_puts(out, ", ");
        buf_puts(out, l.items[i].name);
    }
    term_list_free(&l);
}

/* What the editor shows: the stored post, or the form as sent (after a refusal or a preview). */
struct editor_state {
    int64_t id, version, author_id;
    enum post_type type;
    enum post_status status;
    const char *title, *slug, *source, *excerpt, *categories, *tags, *date, *time, *password;
    enum post_format format;
    int as_written;
    int sticky, comments_open;
    int64_t featured_id;                /* the featured image chosen (0: none) */
    const struct post *stored;          /* the post as stored, NULL for a new one */
    const char *error;                  /* a refusal for the whole form */
    const char *notice;                 /* a word about the preview (a change of format to check) */
    const char *preview;                /* rendered HTML, or NULL */
    const struct html_removed *removed; /* what the filter took out of the preview */
    int format_checked;                 /* the preview shows the body in the format chosen */
    const char *image_error;            /* why an image to insert was refused (its panel shows it) */
};

/* The editor's format choices, the current one selected. */
static json_t *formats_json(enum post_format format, int as_written)
{
    static const struct {
        enum post_format format;
        int as_written;
        const char *label;
    } markups[] = {{POST_FORMAT_MARKDOWN, 0, "Markdown"},
                   {POST_FORMAT_HTML, 0, "HTML (blank lines make paragraphs, as in WordPress)"},
                   {POST_FORMAT_HTML, 1, "HTML as written (no automatic paragraphs)"}};
    json_t *j = json_array();
    for (size_t i = 0; i < sizeof(markups) / sizeof(markups[0]); i++)
        json_array_append_new(j, json_pack("{s:s, s:s, s:b}", "value",
                                           post_markup_name(markups[i].format, markups[i].as_written), "label",
                                           markups[i].label, "selected",
                                           markups[i].format == format && markups[i].as_written == as_written));
    return j;
}

/* The revisions as the editor and the revisions screen list them. */
static json_t *revisions_json(struct admin_ctx *a, const struct revision_list *rl, int64_t ia, int64_t ib)
{
    json_t *revs = json_array();
    for (size_t i = 0; i < rl->n; i++) {
        const struct revision *r = &rl->items[i];
        char iso[TIME_ISO_LEN];
        time_format_iso(r->created_at, iso);
        json_array_append_new(
            revs, json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:s, s:b, s:b, s:b}", "id", (json_int_t)r->id, "date", iso,
                            "when", when_words(a, r->created_at), "user", jcstr(r->user_name), "title", jcstr(r->title),
                            "kind", revision_kind_label(r->kind), "format", post_markup_name(r->format, r->as_written),
                            "original", r->kind == REVISION_ORIGINAL, "is_a", r->id == ia, "is_b", r->id == ib));
    }
    return revs;
}

/* The stored post's state in words: "Published on Dec 1, 2026 at 14:05". */
static json_t *state_words(struct admin_ctx *a, const struct post *p)
{
    char words[TIME_HUMAN_MAX];
    struct buf b = BUF_INIT;
    tz_format_human_time(a->c->t->site.timezone, p->published_at, words);
    switch (p->status) {
    case POST_PUBLISHED:
    case POST_PRIVATE:
        buf_printf(&b, "%s on %s", status_labels[p->status], words);
        break;
    case POST_SCHEDULED:
        buf_printf(&b, "Scheduled for %s", words);
        break;
    default:
        tz_format_human_time(a->c->t->site.timezone, p->modified_at, words);
        buf_printf(&b, "%s, last changed %s", status_labels[p->status], words);
    }
    json_t *j = jstr(b.data ? b.data : "", b.len);
    buf_free(&b);
    return j;
}

#define EDITOR_MEDIA_CHOICES 100 /* newest media offered as featured image */

/* The featured image's choices: the newest media, and the chosen one wherever it is. */
static json_t *featured_choices(struct admin_ctx *a, int64_t chosen)
{
    struct db *db = a->c->t->db;
    struct media_list l = {0};
    json_t *j = json_array();
    int found = 0;
    if (db_media_list(db, NULL, 0, EDITOR_MEDIA_CHOICES, &l) == 0) {
        for (size_t i = 0; i < l.n; i++) {
            const struct medium *m = &l.items[i];
            char label[MEDIA_TEXT_MAX + 64];
            snprintf(label, sizeof(label), "%s (%d × %d)",
                     m->title[0] ? m->title
                     : m->alt[0] ? m->alt
                                 : m->hash,
                     m->width, m->height);
            json_array_append_new(j, json_pack("{s:I, s:o, s:b}", "id", (json_int_t)m->id, "label", jcstr(label),
                                               "selected", m->id == chosen));
            found |= m->id == chosen;
        }
    }
    media_list_free(&l);
    if (chosen > 0 && !found) {
        struct medium m = {0};
        if (db_media_get(db, chosen, &m) == 0)
            json_array_append_new(j, json_pack("{s:I, s:o, s:b}", "id", (json_int_t)m.id, "label",
                                               jcstr(m.title[0] ? m.title : m.hash), "selected", 1));
        medium_clear(&m);
    }
    return j;
}

static void editor_render(struct admin_ctx *a, int status, const struct editor_state *e)
{
    struct db *db = a->c->t->db;
    const struct post *p = e->stored;
    json_t *d = json_object(), *opts = json_array(), *authors = json_array(), *cats = json_array();
    for (int i = 0; i < 5; i++) {
        enum post_status s = (enum post_status)i;
        if (s == POST_SCHEDULED)
            continue; /* "published" with a future time */
        if (!user_can_set_status(&a->user, s) && s != e->status)
            continue;
        int sel = e->status == s || (s == POST_PUBLISHED && e->status == POST_SCHEDULED);
        json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", post_status_name(s), "label",
                                              s == POST_PUBLISHED ? "Published (or scheduled)" : status_labels[i],
                                              "selected", sel));
    }
    if (role_can(a->user.role, CAP_EDIT_OTHERS_POSTS)) {
        struct user_list users = {0};
        if (editor_users(db, &users) == 0)
            for (size_t i = 0; i < users.n; i++)
                json_array_append_new(authors, json_pack("{s:I, s:o, s:b}", "id", (json_int_t)users.items[i].id, "name",
                                                         jcstr(users.items[i].display_name), "selected",
                                                         users.items[i].id == e->author_id));
        user_list_free(&users);
    }
    struct term_list tl = {0};
    if (term_list(db, TERM_CATEGORY, a->c->now, &tl) == 0)
        for (size_t i = 0; i < tl.n; i++)
            json_array_append_new(cats, jcstr(tl.items[i].name));
    term_list_free(&tl);
    if (p != NULL) {
        struct revision_list rl = {0};
        if (revision_list(db, p->id, &rl) == 0) {
            const struct revision *auto_rev = revision_newer_autosave(&rl, a->user.id);
            if (auto_rev != NULL)
                json_object_set_new(d, "autosave",
                                    json_pack("{s:I, s:o}", "revision", (json_int_t)auto_rev->id, "when",
                                              when_words(a, auto_rev->created_at)));
            json_object_set_new(d, "has_revisions", json_boolean(rl.n > 1));
            json_object_set_new(d, "revisions", revisions_json(a, &rl, 0, 0));
            json_object_set_new(d, "no_revisions", json_boolean(rl.n == 0));
        }
        revision_list_free(&rl);
        char path[POST_PATH_MAX];
        if (post_path(p, path, sizeof(path)) > 0)
            json_object_set_new(d, "path", jcstr(path));
        json_object_set_new(d, "state", state_words(a, p));
        json_object_set_new(d, "words", json_integer((json_int_t)post_word_count(p->html, strlen(p->html))));
        json_object_set_new(d, "public", json_boolean(p->status == POST_PUBLISHED));
    }
    json_object_set_new(d, "id", json_integer(e->id));
    json_object_set_new(d, "is_new", json_boolean(e->id == 0));
    json_object_set_new(d, "version", json_integer(e->version));
    json_object_set_new(d, "type", json_string(type_word(e->type)));
    json_object_set_new(d, "is_page", json_boolean(e->type == POST_TYPE_PAGE));
    json_object_set_new(d, "post_title", jcstr(e->title));
    json_object_set_new(d, "slug", jcstr(e->slug));
    json_object_set_new(d, "content", jcstr(e->source));
    json_object_set_new(d, "formats", formats_json(e->format, e->as_written));
    json_object_set_new(d, "format", json_string(post_markup_name(e->format, e->as_written)));
    json_object_set_new(d, "image_markdown", json_boolean(e->format == POST_FORMAT_MARKDOWN));
    if (e->format_checked)
        json_object_set_new(d, "format_checked", json_string(post_markup_name(e->format, e->as_written)));
    json_object_set_new(d, "excerpt", jcstr(e->excerpt));
    json_object_set_new(d, "featured", featured_choices(a, e->featured_id));
    json_object_set_new(d, "post_categories", jcstr(e->categories));
    json_object_set_new(d, "tags", jcstr(e->tags));
    json_object_set_new(d, "date", jcstr(e->date));
    json_object_set_new(d, "time", jcstr(e->time));
    json_object_set_new(d, "password", jcstr(e->password));
    json_object_set_new(d, "timezone", jcstr(a->c->t->site.timezone));
    json_object_set_new(d, "sticky", json_boolean(e->sticky));
    json_object_set_new(d, "comments_open", json_boolean(e->comments_open));
    json_object_set_new(d, "statuses", opts);
    json_object_set_new(d, "authors", authors);
    json_object_set_new(d, "all_categories", cats);
    json_object_set_new(d, "status_label", json_string(status_labels[e->status]));
    json_object_set_new(d, "trashed", json_boolean(e->status == POST_TRASH));
    json_object_set_new(d, "filtered", json_boolean(!editor_trusted(&a->user)));
    if (e->error != NULL)
        json_object_set_new(d, "error", json_string(e->error));
    if (e->notice != NULL)
        json_object_set_new(d, "notice", json_string(e->notice));
    if (e->image_error != NULL)
        json_object_set_new(d, "image_error", json_string(e->image_error));
    if (e->preview != NULL)
        json_object_set_new(d, "preview", jcstr(e->preview));
    if (e->removed != NULL && e->removed->count > 0)
        json_object_set_new(
            d, "removed", json_pack("{s:I, s:s}", "count", (json_int_t)e->removed->count, "names", e->removed->names));
    admin_render(a, status, "admin-edit", d, e->id ? "Edit" : "New");
}

void admin_post_edit(struct admin_ctx *a, int64_t id, enum post_type type)
{
    struct db *db = a->c->t->db;
    struct editor_state e = {
        .type = type, .status = POST_DRAFT, .author_id = a->user.id, .comments_open = type == POST_TYPE_POST};
    struct post p = {0};
    struct buf cats = BUF_INIT, tags = BUF_INIT, shown = BUF_INIT;
    char date[16] = "", tm[12] = "", *derived = NULL;

    if (id == 0) {
        if (type == POST_TYPE_PAGE && !admin_require(a, CAP_EDIT_PAGES))
            return;
        editor_render(a, 200, &e);
        return;
    }
    if (editable(a, id, &p) < 0)
        return;
    terms_csv(db, id, TERM_CATEGORY, &cats);
    terms_csv(db, id, TERM_TAG, &tags);
    if (p.status == POST_PUBLISHED || p.status == POST_SCHEDULED || p.status == POST_PRIVATE ||
        p.published_at > a->c->now) {
        struct tm lt; /* entered in the site's time zone */
        tz_localtime(a->c->t->site.timezone, p.published_at, &lt, NULL);
        snprintf(date, sizeof(date), "%04d-%02d-%02d", (lt.tm_year + 1900) % 10000, (lt.tm_mon + 1) % 100,
                 lt.tm_mday % 100);
        snprintf(tm, sizeof(tm), "%02d:%02d:%02d", lt.tm_hour % 100, lt.tm_min % 100, lt.tm_sec % 100);
    }
    post_source_shown(p.source ? p.source : "", p.source ? strlen(p.source) : 0, &shown);
    /* an excerpt that is only the start of the body is shown empty, so that it follows the body */
    if (post_excerpt_from_html(p.html, strlen(p.html), POST_EXCERPT_WORDS, &derived) == 0 &&
        strcmp(derived, p.excerpt) == 0)
        p.excerpt[0] = '\0';
    free(derived);
    e = (struct editor_state){.id = p.id,
                              .version = p.version,
                              .author_id = p.author_id,
                              .type = p.type,
                              .status = p.status,
                              .title = p.title,
                              .slug = p.slug,
                              .source = shown.data ? shown.data : "",
                              .format = p.format,
                              .as_written = p.as_written,
                              .excerpt = p.excerpt,
                              .categories = cats.data,
                              .tags = tags.data,
                              .date = date,
                              .time = tm,
                              .password = p.password,
                              .featured_id = p.featured_id,
                              .sticky = p.sticky,
                              .comments_open = p.comments_open,
                              .stored = &p};
    editor_render(a, 200, &e);
    post_clear(&p);
    buf_free(&shown);
    buf_free(&cats);
    buf_free(&tags);
}

/* ---- saving: the form ---------------------------------------------------------------------- */

/* The editor's form, read: the fields as typed (for showing again) and the request to news/. */
struct editor_form {
    struct editor_state e;
    struct post_edit in;
    const char *action; /* "save", "preview", "preview_fragment" or "autosave" */
    const char *format_checked;
    int bad; /* an HTTP status when the form cannot be answered as an editor */
    const char *why;
    char *content, *excerpt, *cats, *tags; /* owned copies */
    const char *catv[POST_TERMS_MAX], *tagv[POST_TERMS_MAX];
};

/* A copy of a textarea's text with its line ends as LF (browsers send CR LF); NULL stays NULL. */
static char *text_lf(const char *s)
{
    if (s == NULL)
        return NULL;
    char *t = strdup(s), *w = t;
    if (t == NULL)
        abort();
    for (const char *r = s; *r != '\0'; r++) {
        if (*r == '\r') {
            *w++ = '\n';
            if (r[1] == '\n')
                r++;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return t;
}

/* Splits a comma-separated field into trimmed names (in place); returns their count. */
static size_t split_csv(char *s, const char **names, size_t max)
{
    size_t n = 0;
    while (s != NULL && *s != '\0' && n < max) {
        char *comma = strchr(s, ',');
        if (comma != NULL)
            *comma = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        char *end = s + strlen(s);
        while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        if (*s != '\0')
            names[n++] = s;
        s = comma ? comma + 1 : NULL;
    }
    return n;
}

/* The publish time from the date and time fields, a local time of the site's zone (UTC when the
 * stored zone is not valid); 0 when both are empty, -1 when bad. */
static int64_t form_time(const char *zone, const char *date, const char *tm)
{
    char iso[40];
    int64_t t;
    struct tm lt;
    if ((date == NULL || !date[0]) && (tm == NULL || !tm[0]))
        return 0;
    if (date == NULL || strlen(date) != 10 || (tm && strlen(tm) > 8))
        return -1;
    /* parsed as UTC first, which checks the form, then read back as the same wall-clock time */
    snprintf(iso, sizeof(iso), "%sT%sZ", date, tm && tm[0] ? tm : "00:00");
    if (time_parse_iso(iso, strlen(iso), &t) < 0)
        return -1;
    time_t tt = (time_t)t;
    if (gmtime_r(&tt, &lt) == NULL || tz_mktime(tz_valid(zone) == 0 ? zone : "UTC", &lt, &t) < 0)
        return -1;
    return t;
}

static void editor_form_free(struct editor_form *f)
{
    free(f->content);
    free(f->excerpt);
    free(f->cats);
    free(f->tags);
}

/* Reads the editor's form into f. The markup defaults to the stored post's (stored may be NULL),
 * so that a form without the field changes nothing. Sets f->bad when the form is not one. */
static void form_read(struct admin_ctx *a, const struct post *stored, struct editor_form *f)
{
    struct editor_state *e = &f->e;
    const char *v;
    f->action = admin_field(a, "do");
    if (f->action == NULL)
        f->action = "save";
    f->format_checked = admin_field(a, "format_checked");
    e->id = stored ? stored->id : 0;
    e->version = admin_id(admin_field(a, "version"));
    v = admin_field(a, "type");
    e->type = stored ? stored->type : v && strcmp(v, "page") == 0 ? POST_TYPE_PAGE : POST_TYPE_POST;
    e->format = stored ? stored->format : POST_FORMAT_MARKDOWN;
    e->as_written = stored ? stored->as_written : 0;
    e->author_id = stored ? stored->author_id : a->user.id;
    e->stored = stored;
    if ((v = admin_field(a, "format")) != NULL && post_markup_parse(v, &e->format, &e->as_written) < 0) {
        f->bad = 422;
        f->why = "There is no such format.";
    }
    v = admin_field(a, "status");
    if (v == NULL || post_status_parse(v, &e->status) < 0 || e->status == POST_TRASH)
        e->status = POST_DRAFT;
    e->title = admin_field(a, "title");
    e->slug = admin_field(a, "slug");
    e->source = f->content = text_lf(admin_field(a, "content"));
    e->excerpt = f->excerpt = text_lf(admin_field(a, "excerpt"));
    e->categories = admin_field(a, "categories");
    e->tags = admin_field(a, "tags");
    e->date = admin_field(a, "date");
    e->time = admin_field(a, "time");
    e->password = admin_field(a, "password");
    e->sticky = admin_field(a, "sticky") != NULL;
    e->comments_open = admin_field(a, "comments_open") != NULL;
    if (e->title == NULL)
        e->title = "";
    if (e->source == NULL)
        e->source = "";
    f->cats = strdup(e->categories ? e->categories : "");
    f->tags = strdup(e->tags ? e->tags : "");
    if (f->cats == NULL || f->tags == NULL)
        abort();
    v = admin_field(a, "featured");
    int64_t featured = v == NULL ? 0 : v[0] == '\0' || strcmp(v, "0") == 0 ? -1 : admin_id(v);
    e->featured_id = featured > 0 ? featured : featured < 0 || stored == NULL ? 0 : stored->featured_id;
    v = admin_field(a, "author");
    f->in = (struct post_edit){.id = e->id,
                               .version = e->version,
                               .type = e->type,
                               .status = e->status,
                               .title = e->title,
                               .slug = e->slug,
                               .format = e->format,
                               .as_written = e->as_written,
                               .source = e->source,
                               .excerpt = e->excerpt,
                               .password = e->password,
                               .author_id = v && v[0] ? admin_id(v) : 0,
                               .published_at = form_time(a->c->t->site.timezone, e->date, e->time),
                               .sticky = e->sticky,
                               .comments_open = e->comments_open,
                               .categories = f->catv,
                               .n_categories = split_csv(f->cats, f->catv, POST_TERMS_MAX),
                               .tags = f->tagv,
                               .n_tags = split_csv(f->tags, f->tagv, POST_TERMS_MAX),
                               .featured_id = featured};
    if (f->in.author_id < 0)
        f->in.author_id = -1; /* no such user: refused by news/ */
    if (f->in.published_at < 0 && !f->bad) {
        f->bad = 422;
        f->why = "The publish date is not a valid date (YYYY-MM-DD and HH:MM).";
    }
    if (((e->categories && strlen(e->categories) > ADMIN_TERMS_FIELD_MAX) ||
         (e->tags && strlen(e->tags) > ADMIN_TERMS_FIELD_MAX)) &&
        !f->bad) {
        f->bad = 422;
        f->why = "Too many categories or tags.";
    }
}

/* ---- saving: the answers ------------------------------------------------------------------- */

/* The body rendered as a save would, shown beside the form (or sent to the live preview). */
static void answer_preview(struct admin_ctx *a, struct editor_form *f)
{
    struct buf html = BUF_INIT;
    struct edit_result res;
    int ret = post_preview(a->c->t->db, &a->user, &f->in, &html, &res);
    if (strcmp(f->action, "preview_fragment") == 0) {
        if (ret < 0)
            admin_send_json(a, ret == -EACCES ? 403 : 422,
                            json_pack("{s:s}", "error", res.refusal ? res.refusal : "No preview."));
        else
            admin_send_json(a, 200,
                            json_pack("{s:o, s:I, s:s, s:s}", "html", jstr(html.data ? html.data : "", html.len),
                                      "removed", (json_int_t)res.removed.count, "names", res.removed.names, "format",
                                      post_markup_name(f->e.format, f->e.as_written)));
    } else if (ret == -EACCES || ret == -ENOENT) {
        refused(a, ret, &res);
    } else {
        f->e.preview = ret == 0 ? (html.data ? html.data : "") : NULL;
        f->e.error = ret < 0 ? "This body cannot be shown: it is too large or nested too deeply." : NULL;
        f->e.removed = &res.removed;
        f->e.format_checked = 1;
        editor_render(a, ret < 0 ? 422 : 200, &f->e);
    }
    buf_free(&html);
}

/* The autosave's answer, once the writer has run it. */
static void autosave_answer(struct admin_ctx *a, int ret, const struct edit_result *res)
{
    if (ret == -ENODATA) {
        admin_send_json(a, 200, json_pack("{s:b}", "saved", 0));
    } else if (ret < 0) {
        int status = ret == -ENOENT ? 404 : ret == -EACCES ? 403 : ret == -EINVAL || ret == -E2BIG ? 422 : 503;
        admin_send_json(a, status,
                        json_pack("{s:b, s:s}", "saved", 0, "error",
                                  res->refusal ? res->refusal : "The draft could not be autosaved."));
    } else {
        admin_send_json(a, 200,
                        json_pack("{s:b, s:I, s:I, s:I, s:o}", "saved", 1, "id", (json_int_t)res->id, "version",
                                  (json_int_t)res->version, "revision", (json_int_t)res->revision_id, "when",
                                  when_words(a, a->c->now)));
    }
}

/* A save or an autosave on its way through the writer: the form read on the loop (its strings
 * point into the request's form, which the job carries) and the post as it was opened. */
struct save_job {
    struct admin_job base; /* first */
    struct post stored;
    struct editor_form f;
    struct edit_result res;
    int autosave;
};

static void save_job_clear(struct admin_job *aj)
{
    struct save_job *j = (struct save_job *)aj;
    editor_form_free(&j->f);
    post_clear(&j->stored);
}

static int save_run(struct db *db, struct admin_job *aj)
{
    struct save_job *j = (struct save_job *)aj;
    if (j->autosave)
        return post_autosave(db, &aj->user, &j->f.in, aj->now, &j->res);
    return post_save(db, &aj->user, &j->f.in, aj->now, &j->res);
}

static void save_done(struct admin_ctx *a, struct admin_job *aj, int ret)
{
    struct save_job *j = (struct save_job *)aj;
    struct editor_form *f = &j->f;
    if (j->autosave) {
        autosave_answer(a, ret, &j->res);
    } else if (ret == 0) {
        char loc[64];
        snprintf(loc, sizeof(loc), "/admin/post/%lld?msg=saved", (long long)j->res.id);
        admin_redirect(a, loc);
    } else if (ret == -ESTALE || ret == -EINVAL || ret == -E2BIG) {
        f->e.error = ret == -ESTALE  ? "Someone else saved this post since you opened it, so your changes were not "
                                       "saved. Copy your text, reload the post and apply your changes again."
                     : ret == -E2BIG ? "The body is too large, or its markup is nested too deeply."
                                     : j->res.refusal;
        editor_render(a, ret == -ESTALE ? 409 : 422, &f->e);
    } else {
        refused(a, ret, &j->res);
    }
}

/* A change of format on a stored post is shown before it is saved: 1 when that preview was the answer. */
static int format_check(struct admin_ctx *a, struct editor_form *f)
{
    const struct post *p = f->e.stored;
    const char *want = post_markup_name(f->e.format, f->e.as_written);
    if (p == NULL || strcmp(want, post_markup_name(p->format, p->as_written)) == 0 ||
        (f->format_checked != NULL && strcmp(f->format_checked, want) == 0))
        return 0;
    f->e.notice = "You changed the format: this is how the post reads in the new one. Nothing is saved yet; "
                  "press Save again to keep it.";
    answer_preview(a, f);
    return 1;
}

void admin_post_save(struct admin_ctx *a)
{
    const char *f_id = admin_field(a, "id");
    int64_t id = f_id && f_id[0] ? admin_id(f_id) : 0;
    struct save_job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    if (id < 0 || (id > 0 && editable(a, id, &j->stored) < 0)) {
        if (id < 0)
            admin_error(a, 404, "There is no such post.");
        goto out;
    }
    form_read(a, id ? &j->stored : NULL, &j->f);
    if (j->f.bad) {
        j->f.e.error = j->f.why;
        editor_render(a, j->f.bad, &j->f.e);
    } else if (strcmp(j->f.action, "preview") == 0 || strcmp(j->f.action, "preview_fragment") == 0) {
        answer_preview(a, &j->f); /* renders, writes nothing: answered here */
    } else if (strcmp(j->f.action, "autosave") == 0 || !format_check(a, &j->f)) {
        j->autosave = strcmp(j->f.action, "autosave") == 0;
        j->base.run = save_run;
        j->base.done = save_done;
        j->base.clear = save_job_clear;
        admin_defer(a, WRITER_BATCH, &j->base);
        return;
    }
out:
    save_job_clear(&j->base);
    free(j);
}

/* ---- an image inserted without script ------------------------------------------------------ */

void admin_post_insert_image(struct admin_ctx *a, int status, const struct medium *m, const char *error)
{
    const char *f_id = admin_field(a, "id");
    int64_t id = f_id && f_id[0] ? admin_id(f_id) : 0;
    struct post stored = {0};
    struct editor_form f = {0};
    struct buf body = BUF_INIT;
    if (id < 0 || (id > 0 && editable(a, id, &stored) < 0)) {
        if (id < 0)
            admin_error(a, 404, "There is no such post.");
        goto out;
    }
    form_read(a, id ? &stored : NULL, &f);
    if (m != NULL) {
        /* at the end of the body, a paragraph of its own */
        buf_puts(&body, f.e.source);
        while (body.len > 0 && (body.data[body.len - 1] == '\n' || body.data[body.len - 1] == ' '))
            body.data[--body.len] = '\0';
        if (body.len > 0)
            buf_puts(&body, "\n\n");
        if (media_snippet(m, f.e.format == POST_FORMAT_MARKDOWN, &body) < 0 || buf_puts(&body, "\n") < 0) {
            error = "The image could not be inserted.";
            status = 422;
        } else {
            f.e.source = body.data;
            f.e.notice = "The image is in the library and at the end of the body. Nothing is saved yet: press "
                         "Save to keep it.";
        }
    }
    f.e.image_error = error;
    f.e.format_checked =
        f.format_checked != NULL && strcmp(f.format_checked, post_markup_name(f.e.format, f.e.as_written)) == 0;
    editor_render(a, f.bad ? f.bad : status, &f.e);
out:
    buf_free(&body);
    editor_form_free(&f);
    post_clear(&stored);
}

/* ---- trash, restore, delete, revert ----------------------------------------------------- */

/* Trash, restore, delete for good or revert, on its way through the writer. */
enum post_op { OP_TRASH, OP_RESTORE, OP_DELETE, OP_REVERT };

struct action_job {
    struct admin_job base; /* first */
    enum post_op op;
    int64_t id, revision, version;
    struct edit_result res;
    char loc[80];
};

static int action_run(struct db *db, struct admin_job *aj)
{
    struct action_job *j = (struct action_job *)aj;
    int ret;
    switch (j->op) {
    case OP_TRASH:
        return post_trash(db, &aj->user, j->id, aj->now, &j->res);
    case OP_RESTORE:
        ret = post_untrash(db, &aj->user, j->id, aj->now, &j->res);
        return ret == -EINVAL ? -EBUSY : ret; /* not in the trash: a conflict with the post's state */
    case OP_DELETE:
        return post_delete_forever(db, &aj->user, j->id, &j->res);
    case OP_REVERT:
        return post_restore_revision(db, &aj->user, j->id, j->revision, j->version, aj->now, &j->res);
    }
    return -EINVAL;
}

static void action_done(struct admin_ctx *a, struct admin_job *aj, int ret)
{
    struct action_job *j = (struct action_job *)aj;
    if (ret == 0)
        admin_redirect(a, j->loc);
    else
        refused(a, ret, &j->res);
}

void admin_post_action(struct admin_ctx *a, int64_t id, const char *action)
{
    static const struct {
        const char *name;
        enum post_op op;
    } ops[] = {{"trash", OP_TRASH}, {"restore", OP_RESTORE}, {"delete", OP_DELETE}, {"revert", OP_REVERT}};
    struct post p = {0};
    if (editable(a, id, &p) < 0)
        return;
    const char *list = p.type == POST_TYPE_PAGE ? "/admin/pages/" : "/admin/posts/";
    post_clear(&p);
    size_t k = 0;
    while (k < sizeof(ops) / sizeof(ops[0]) && strcmp(action, ops[k].name) != 0)
        k++;
    if (k == sizeof(ops) / sizeof(ops[0])) {
        admin_error(a, 404, "There is nothing here.");
        return;
    }
    struct action_job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort();
    j->op = ops[k].op;
    j->id = id;
    switch (j->op) {
    case OP_TRASH:
        snprintf(j->loc, sizeof(j->loc), "%s?msg=trashed", list);
        break;
    case OP_RESTORE:
        snprintf(j->loc, sizeof(j->loc), "/admin/post/%lld?msg=restored", (long long)id);
        break;
    case OP_DELETE:
        snprintf(j->loc, sizeof(j->loc), "%s?status=trash&msg=deleted", list);
        break;
    case OP_REVERT:
        j->revision = admin_id(admin_field(a, "revision"));
        j->version = admin_id(admin_field(a, "version"));
        if (j->version <= 0)
            j->version = -1;
        snprintf(j->loc, sizeof(j->loc), "/admin/post/%lld?msg=reverted", (long long)id);
        break;
    }
    j->base.run = action_run;
    j->base.done = action_done;
    admin_defer(a, WRITER_BATCH, &j->base);
}

/* ---- revisions -------------------------------------------------------------------------- */

void admin_post_revisions(struct admin_ctx *a, int64_t id)
{
    struct db *db = a->c->t->db;
    struct post p = {0};
    struct revision_list rl = {0};
    struct revision ra = {0}, rb = {0};
    struct buf title = BUF_INIT, body = BUF_INIT;
    json_t *d = NULL;
    int ret;
    if (editable(a, id, &p) < 0)
        return;
    if (revision_list(db, id, &rl) < 0) {
        admin_error(a, 503, "The database is not available.");
        goto out;
    }
    int64_t ia = admin_id(admin_query(a, "a")), ib = admin_id(admin_query(a, "b"));
    if (ia <= 0 && rl.n >= 2)
        ia = rl.items[1].id;
    if (ib <= 0 && rl.n >= 1)
        ib = rl.items[0].id;
    d = json_object();
    if (ia > 0 && ib > 0) {
        if (revision_of(db, id, ia, &ra) < 0 || revision_of(db, id, ib, &rb) < 0) {
            admin_error(a, 404, "There is no such revision of this post.");
            goto out;
        }
        size_t changes = 0;
        diff_html(&title, ra.title, strlen(ra.title), rb.title, strlen(rb.title), NULL);
        ret = diff_html(&body, ra.body ? ra.body : "", ra.body ? strlen(ra.body) : 0, rb.body ? rb.body : "",
                        rb.body ? strlen(rb.body) : 0, &changes);
        if (ret == -E2BIG)
            json_object_set_new(d, "too_big", json_true());
        json_object_set_new(d, "diff_title", jstr(title.data ? title.data : "", title.len));
        json_object_set_new(d, "diff_body", jstr(body.data ? body.data : "", body.len));
        json_object_set_new(d, "changes", json_integer((json_int_t)changes));
        if (ra.format != rb.format || ra.as_written != rb.as_written)
            json_object_set_new(d, "format_change",
                                json_pack("{s:s, s:s}", "from", post_markup_name(ra.format, ra.as_written), "to",
                                          post_markup_name(rb.format, rb.as_written)));
        json_object_set_new(d, "has_diff", json_true());
    }
    json_object_set_new(d, "revisions", revisions_json(a, &rl, ia, ib));
    json_object_set_new(d, "no_revisions", json_boolean(rl.n == 0));
    json_object_set_new(d, "post_id", json_integer(id));
    json_object_set_new(d, "version", json_integer(p.version));
    json_object_set_new(d, "post_title", jcstr(p.title));
    admin_render(a, 200, "admin-revisions", d, "Revisions");
    d = NULL;
out:
    json_decref(d);
    buf_free(&title);
    buf_free(&body);
    revision_clear(&ra);
    revision_clear(&rb);
    revision_list_free(&rl);
    post_clear(&p);
}

/* ---- the draft preview ------------------------------------------------------------------------ */

void admin_post_preview(struct admin_ctx *a, int64_t id)
{
    struct page_ctx *c = a->c;
    struct post p = {0};
    char path[POST_PATH_MAX];
    if (editable(a, id, &p) < 0)
        return;
    if (post_path(&p, path, sizeof(path)) < 0)
        path[0] = '\0';
    c->banner = json_pack("{s:I, s:s, s:o, s:b, s:o}", "id", (json_int_t)p.id, "status", status_labels[p.status],
                          "path", jcstr(path), "public", p.status == POST_PUBLISHED && p.published_at <= c->now, "when",
                          when_words(a, p.published_at));
    p.comments_open = 0; /* no reply form on a preview: nobody can comment there */
    if (p.type == POST_TYPE_PAGE) {
        json_t *data = json_object();
        json_object_set_new(data, "post", site_post_core(&p, c->t->site.timezone));
        app_render(c, 200, "page", data, p.title);
    } else {
        article_render(c, &p, 200, NULL);
    }
    if (!c->sent)
        http_send(c->req, c->status, HTTP_HTML, c->body.data ? c->body.data : "", c->body.len);
    c->sent = 1;
    json_decref(c->banner);
    c->banner = NULL;
    post_clear(&p);
}
