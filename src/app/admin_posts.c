/* The newsroom's posts and pages: the list with filters, counts and paging; the editor (one form
 * for posts and pages) with a server-rendered Markdown preview; saving with the stale-save check;
 * trash, restore and delete; and the revisions screen with a line diff of two revisions. */
#include "app/admin_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/newsroom.h"
#include "http/form.h"
#include "lib/timeutil.h"
#include "lib/tz.h"
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
    f.author_id = others ? (au ? admin_id(au) : 0) : a->user.id;
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
    if (db_post_list_filtered(db, &f, &l) < 0 || db_post_count_filtered(db, &f, &total) < 0 ||
        db_post_status_counts(db, type, others ? 0 : a->user.id, counts) < 0 ||
        term_list(db, TERM_CATEGORY, a->c->now, &cats) < 0 || (others && db_user_list(db, &users) < 0)) {
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
            json_pack("{s:I, s:o, s:s, s:s, s:o, s:s, s:b, s:b, s:I}", "id", (json_int_t)p->id, "title",
                      jcstr(p->title), "status", post_status_name(p->status), "status_label", status_labels[p->status],
                      "author", jcstr(p->author_name), "date", iso, "can_edit", user_can_edit_post(&a->user, p),
                      "sticky", p->sticky, "comments", (json_int_t)p->comment_count);
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
    char num[24];
    qs_add(&q, "status", st);
    qs_add(&q, "author", others ? au : NULL);
    qs_add(&q, "category", cat);
    qs_add(&q, "s", s);
    size_t pages = total > 0 ? (size_t)((total + ADMIN_PER_PAGE - 1) / ADMIN_PER_PAGE) : 1;
    if (page > 1) {
        snprintf(num, sizeof(num), "%zu", page - 1);
        struct buf h = BUF_INIT;
        buf_printf(&h, "%s%s%spage=%s", base, q.len ? q.data : "", q.len ? "&" : "?", num);
        json_object_set_new(d, "prev", json_stringn(h.data, h.len));
        buf_free(&h);
    }
    if (page < pages) {
        snprintf(num, sizeof(num), "%zu", page + 1);
        struct buf h = BUF_INIT;
        buf_printf(&h, "%s%s%spage=%s", base, q.len ? q.data : "", q.len ? "&" : "?", num);
        json_object_set_new(d, "next", json_stringn(h.data, h.len));
        buf_free(&h);
    }
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
    if (id == 0 || db_post_terms(db, id, tax, &l) < 0)
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
    const char *title, *slug, *source, *excerpt, *categories, *tags, *date, *time;
    enum post_format format;
    int as_written;
    int sticky, comments_open;
    const char *error;   /* a refusal for the whole form */
    const char *preview; /* rendered HTML, or NULL */
};

static void editor_render(struct admin_ctx *a, int status, const struct editor_state *e)
{
    struct db *db = a->c->t->db;
    json_t *d = json_object(), *opts = json_array(), *authors = json_array(), *cats = json_array(),
           *revs = json_array();
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
        if (db_user_list(db, &users) == 0)
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
    if (e->id != 0) {
        struct revision_list rl = {0};
        if (db_revision_list(db, e->id, REVISION_LIST_MAX, &rl) == 0)
            for (size_t i = 0; i < rl.n; i++) {
                char iso[TIME_ISO_LEN];
                time_format_iso(rl.items[i].created_at, iso);
                json_array_append_new(revs, json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)rl.items[i].id, "date",
                                                      iso, "user", jcstr(rl.items[i].user_name), "title",
                                                      jcstr(rl.items[i].title)));
            }
        revision_list_free(&rl);
    }
    json_object_set_new(d, "id", json_integer(e->id));
    json_object_set_new(d, "is_new", json_boolean(e->id == 0));
    json_object_set_new(d, "version", json_integer(e->version));
    json_object_set_new(d, "type", json_string(type_word(e->type)));
    json_object_set_new(d, "is_page", json_boolean(e->type == POST_TYPE_PAGE));
    json_object_set_new(d, "post_title", jcstr(e->title));
    json_object_set_new(d, "slug", jcstr(e->slug));
    json_object_set_new(d, "content", jcstr(e->source));
    json_t *formats = json_array();
    static const struct {
        enum post_format format;
        int as_written;
        const char *label;
    } markups[] = {{POST_FORMAT_MARKDOWN, 0, "Markdown"},
                   {POST_FORMAT_HTML, 0, "HTML (blank lines make paragraphs, as in WordPress)"},
                   {POST_FORMAT_HTML, 1, "HTML as written (no automatic paragraphs)"}};
    for (size_t i = 0; i < sizeof(markups) / sizeof(markups[0]); i++)
        json_array_append_new(
            formats, json_pack("{s:s, s:s, s:b}", "value", post_markup_name(markups[i].format, markups[i].as_written),
                               "label", markups[i].label, "selected",
                               markups[i].format == e->format && markups[i].as_written == e->as_written));
    json_object_set_new(d, "formats", formats);
    json_object_set_new(d, "format", json_string(post_markup_name(e->format, e->as_written)));
    json_object_set_new(d, "excerpt", jcstr(e->excerpt));
    json_object_set_new(d, "post_categories", jcstr(e->categories));
    json_object_set_new(d, "tags", jcstr(e->tags));
    json_object_set_new(d, "date", jcstr(e->date));
    json_object_set_new(d, "time", jcstr(e->time));
    json_object_set_new(d, "timezone", jcstr(a->c->t->site.timezone));
    json_object_set_new(d, "sticky", json_boolean(e->sticky));
    json_object_set_new(d, "comments_open", json_boolean(e->comments_open));
    json_object_set_new(d, "statuses", opts);
    json_object_set_new(d, "authors", authors);
    json_object_set_new(d, "all_categories", cats);
    json_object_set_new(d, "revisions", revs);
    json_object_set_new(d, "has_revisions", json_boolean(json_array_size(revs) > 1));
    json_object_set_new(d, "status_label", json_string(status_labels[e->status]));
    json_object_set_new(d, "trashed", json_boolean(e->status == POST_TRASH));
    if (e->error != NULL)
        json_object_set_new(d, "error", json_string(e->error));
    if (e->preview != NULL)
        json_object_set_new(d, "preview", jcstr(e->preview));
    admin_render(a, status, "admin-edit", d, e->id ? "Edit" : "New");
}

void admin_post_edit(struct admin_ctx *a, int64_t id, enum post_type type)
{
    struct db *db = a->c->t->db;
    struct editor_state e = {.type = type, .status = POST_DRAFT, .author_id = a->user.id, .comments_open = 1};
    struct post p = {0};
    struct buf cats = BUF_INIT, tags = BUF_INIT;
    char date[16] = "", tm[12] = "", *derived = NULL;

    if (id == 0) {
        if (type == POST_TYPE_PAGE && !admin_require(a, CAP_EDIT_PAGES))
            return;
        e.comments_open = type == POST_TYPE_POST;
        editor_render(a, 200, &e);
        return;
    }
    int ret = db_post_get(db, id, &p);
    if (ret == -ENOENT) {
        admin_error(a, 404, "There is no such post.");
        return;
    }
    if (ret < 0) {
        admin_error(a, 503, "The database is not available.");
        return;
    }
    if (!user_can_edit_post(&a->user, &p)) {
        post_clear(&p);
        admin_error(a, 403, "Sorry, you are not allowed to edit this post.");
        return;
    }
    terms_csv(db, id, TERM_CATEGORY, &cats);
    terms_csv(db, id, TERM_TAG, &tags);
    if (p.status == POST_PUBLISHED || p.status == POST_SCHEDULED || p.status == POST_PRIVATE ||
        p.published_at > a->c->now) {
        struct tm lt; /* shown in the site's time zone */
        tz_localtime(a->c->t->site.timezone, p.published_at, &lt, NULL);
        snprintf(date, sizeof(date), "%04d-%02d-%02d", (lt.tm_year + 1900) % 10000, (lt.tm_mon + 1) % 100,
                 lt.tm_mday % 100);
        snprintf(tm, sizeof(tm), "%02d:%02d:%02d", lt.tm_hour % 100, lt.tm_min % 100, lt.tm_sec % 100);
    }
    struct buf shown = BUF_INIT;
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
                              .sticky = p.sticky,
                              .comments_open = p.comments_open};
    editor_render(a, 200, &e);
    post_clear(&p);
    buf_free(&shown);
    buf_free(&cats);
    buf_free(&tags);
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

void admin_post_save(struct admin_ctx *a)
{
    struct db *db = a->c->t->db;
    const char *f_id = admin_field(a, "id"), *f_type = admin_field(a, "type"), *f_status = admin_field(a, "status");
    const char *f_author = admin_field(a, "author"), *f_do = admin_field(a, "do");
    int64_t id = f_id && f_id[0] ? admin_id(f_id) : 0, version = admin_id(admin_field(a, "version"));
    struct post cur = {0};
    struct editor_state e = {0};
    char *cats = NULL, *tags = NULL, *content = NULL, *excerpt = NULL;
    struct buf preview = BUF_INIT;
    const char *catv[POST_TERMS_MAX], *tagv[POST_TERMS_MAX];
    int ret;

    if (id < 0) {
        admin_error(a, 404, "There is no such post.");
        return;
    }
    e.id = id;
    e.version = version;
    e.type = f_type && strcmp(f_type, "page") == 0 ? POST_TYPE_PAGE : POST_TYPE_POST;
    if (id != 0) {
        if ((ret = db_post_get(db, id, &cur)) < 0) {
            admin_error(a, ret == -ENOENT ? 404 : 503,
                        ret == -ENOENT ? "There is no such post." : "The database is not available.");
            return;
        }
        if (!user_can_edit_post(&a->user, &cur)) {
            post_clear(&cur);
            admin_error(a, 403, "Sorry, you are not allowed to edit this post.");
            return;
        }
        e.type = cur.type;
        e.author_id = cur.author_id;
        e.format = cur.format;
        e.as_written = cur.as_written;
    } else {
        if (e.type == POST_TYPE_PAGE && !admin_require(a, CAP_EDIT_PAGES))
            return;
        e.author_id = a->user.id;
    }
    if (f_status == NULL || post_status_parse(f_status, &e.status) < 0 || e.status == POST_TRASH)
        e.status = POST_DRAFT;
    if (!user_can_set_status(&a->user, e.status)) {
        post_clear(&cur);
        admin_error(a, 403, "Sorry, you are not allowed to publish. Submit the post for review instead.");
        return;
    }
    if (f_author != NULL && f_author[0] != '\0') {
        int64_t want = admin_id(f_author);
        if (want != e.author_id) {
            struct user u = {0};
            if (!role_can(a->user.role, CAP_EDIT_OTHERS_POSTS)) {
                post_clear(&cur);
                admin_error(a, 403, "Sorry, you are not allowed to change the author.");
                return;
            }
            if (want <= 0 || db_user_get(db, want, &u) < 0) {
                post_clear(&cur);
                admin_error(a, 422, "There is no such author.");
                return;
            }
            user_clear(&u);
            e.author_id = want;
        }
    }
    e.title = admin_field(a, "title");
    e.slug = admin_field(a, "slug");
    const char *f_format = admin_field(a, "format");
    if (f_format != NULL && post_markup_parse(f_format, &e.format, &e.as_written) < 0) {
        post_clear(&cur);
        admin_error(a, 422, "There is no such format.");
        return;
    }
    e.source = content = text_lf(admin_field(a, "content"));
    e.excerpt = excerpt = text_lf(admin_field(a, "excerpt"));
    e.categories = admin_field(a, "categories");
    e.tags = admin_field(a, "tags");
    e.date = admin_field(a, "date");
    e.time = admin_field(a, "time");
    e.sticky = admin_field(a, "sticky") != NULL;
    e.comments_open = admin_field(a, "comments_open") != NULL;
    if (!e.title)
        e.title = "";
    if (!e.source)
        e.source = "";
    int64_t when = form_time(a->c->t->site.timezone, e.date, e.time);

    if (f_do != NULL && strcmp(f_do, "preview") == 0) {
        struct post_render_opts how = {.format = e.format, .as_written = e.as_written};
        if (post_render(&how, e.source, strlen(e.source), &preview) == 0)
            e.preview = preview.data ? preview.data : "";
        editor_render(a, 200, &e);
        goto out;
    }
    if (e.title[0] == '\0' && e.source[0] == '\0' && (e.excerpt == NULL || e.excerpt[0] == '\0')) {
        e.error = "A post needs a title or a body.";
        editor_render(a, 422, &e);
        goto out;
    }
    if (when < 0) {
        e.error = "The publish date is not a valid date (YYYY-MM-DD and HH:MM).";
        editor_render(a, 422, &e);
        goto out;
    }
    if ((e.categories && strlen(e.categories) > ADMIN_TERMS_FIELD_MAX) ||
        (e.tags && strlen(e.tags) > ADMIN_TERMS_FIELD_MAX)) {
        e.error = "Too many categories or tags.";
        editor_render(a, 422, &e);
        goto out;
    }
    cats = strdup(e.categories ? e.categories : "");
    tags = strdup(e.tags ? e.tags : "");
    if (cats == NULL || tags == NULL)
        abort();
    struct post_edit in = {.id = id,
                           .version = version,
                           .type = e.type,
                           .status = e.status,
                           .title = e.title,
                           .slug = e.slug,
                           .source = e.source,
                           .format = e.format,
                           .as_written = e.as_written,
                           .excerpt = e.excerpt,
                           .author_id = e.author_id,
                           .published_at = when,
                           .sticky = e.sticky,
                           .comments_open = e.comments_open,
                           .categories = catv,
                           .n_categories = split_csv(cats, catv, POST_TERMS_MAX),
                           .tags = tagv,
                           .n_tags = split_csv(tags, tagv, POST_TERMS_MAX)};
    if (id != 0 && when == 0)
        in.published_at = cur.published_at > a->c->now || cur.status == POST_PUBLISHED || cur.status == POST_PRIVATE
                              ? cur.published_at
                              : 0;
    int64_t new_id = 0;
    ret = post_save(db, &in, a->user.id, a->c->now, &new_id, NULL);
    if (ret == -ESTALE) {
        e.error = "Someone else saved this post since you opened it, so your changes were not saved. "
                  "Copy your text, reload the post and apply your changes again.";
        editor_render(a, 409, &e);
    } else if (ret == -EINVAL) {
        e.error = "A field is too long.";
        editor_render(a, 422, &e);
    } else if (ret < 0) {
        admin_error(a, 503, "The post could not be saved.");
    } else {
        char loc[64];
        snprintf(loc, sizeof(loc), "/admin/post/%lld?msg=saved", (long long)new_id);
        admin_redirect(a, loc);
    }
out:
    free(cats);
    free(tags);
    buf_free(&preview);
    free(content);
    free(excerpt);
    post_clear(&cur);
}

/* ---- trash, restore, delete, revert ----------------------------------------------------- */

void admin_post_action(struct admin_ctx *a, int64_t id, const char *action)
{
    struct db *db = a->c->t->db;
    struct post p = {0};
    char loc[64];
    int ret = db_post_get(db, id, &p);
    if (ret < 0) {
        admin_error(a, ret == -ENOENT ? 404 : 503,
                    ret == -ENOENT ? "There is no such post." : "The database is not available.");
        return;
    }
    const char *list = p.type == POST_TYPE_PAGE ? "/admin/pages/" : "/admin/posts/";
    if (!user_can_edit_post(&a->user, &p)) {
        admin_error(a, 403, "Sorry, you are not allowed to change this post.");
        goto out;
    }
    if (strcmp(action, "trash") == 0) {
        if ((ret = post_set_status(db, id, POST_TRASH, 0, a->user.id, a->c->now)) < 0)
            goto fail;
        snprintf(loc, sizeof(loc), "%s?msg=trashed", list);
        admin_redirect(a, loc);
    } else if (strcmp(action, "restore") == 0) {
        if (p.status != POST_TRASH) {
            admin_error(a, 409, "This post is not in the trash.");
            goto out;
        }
        if ((ret = post_set_status(db, id, POST_DRAFT, 0, a->user.id, a->c->now)) < 0)
            goto fail;
        snprintf(loc, sizeof(loc), "/admin/post/%lld?msg=restored", (long long)id);
        admin_redirect(a, loc);
    } else if (strcmp(action, "delete") == 0) {
        if (!admin_require(a, CAP_DELETE_FOREVER))
            goto out;
        if (p.status != POST_TRASH) {
            admin_error(a, 409, "Only posts in the trash can be deleted for good. Move it to the trash first.");
            goto out;
        }
        if ((ret = db_post_delete(db, id)) < 0)
            goto fail;
        snprintf(loc, sizeof(loc), "%s?status=trash&msg=deleted", list);
        admin_redirect(a, loc);
    } else if (strcmp(action, "revert") == 0) {
        struct revision r = {0};
        int64_t rev = admin_id(admin_field(a, "revision")), version = admin_id(admin_field(a, "version"));
        if (rev <= 0 || db_revision_get(db, rev, &r) < 0 || r.post_id != id) {
            revision_clear(&r);
            admin_error(a, 404, "There is no such revision of this post.");
            goto out;
        }
        revision_clear(&r);
        ret = revision_restore(db, rev, version > 0 ? version : -1, a->user.id, a->c->now);
        if (ret == -ESTALE) {
            admin_error(a, 409, "Someone else saved this post since you opened it. Reload and try again.");
            goto out;
        }
        if (ret < 0)
            goto fail;
        snprintf(loc, sizeof(loc), "/admin/post/%lld?msg=reverted", (long long)id);
        admin_redirect(a, loc);
    } else {
        admin_error(a, 404, "There is nothing here.");
    }
    goto out;
fail:
    admin_error(a, 503, "The change could not be saved.");
out:
    post_clear(&p);
}

/* ---- revisions -------------------------------------------------------------------------- */

void admin_post_revisions(struct admin_ctx *a, int64_t id)
{
    struct db *db = a->c->t->db;
    struct post p = {0};
    struct revision_list rl = {0};
    struct revision ra = {0}, rb = {0};
    struct buf title = BUF_INIT, body = BUF_INIT;
    int ret = db_post_get(db, id, &p);
    if (ret < 0) {
        admin_error(a, ret == -ENOENT ? 404 : 503,
                    ret == -ENOENT ? "There is no such post." : "The database is not available.");
        return;
    }
    if (!user_can_edit_post(&a->user, &p)) {
        admin_error(a, 403, "Sorry, you are not allowed to edit this post.");
        goto out;
    }
    if (db_revision_list(db, id, REVISION_LIST_MAX, &rl) < 0) {
        admin_error(a, 503, "The database is not available.");
        goto out;
    }
    int64_t ia = admin_id(admin_query(a, "a")), ib = admin_id(admin_query(a, "b"));
    if (ia <= 0 && rl.n >= 2)
        ia = rl.items[1].id;
    if (ib <= 0 && rl.n >= 1)
        ib = rl.items[0].id;
    json_t *d = json_object(), *revs = json_array();
    for (size_t i = 0; i < rl.n; i++) {
        char iso[TIME_ISO_LEN];
        time_format_iso(rl.items[i].created_at, iso);
        json_array_append_new(revs,
                              json_pack("{s:I, s:s, s:o, s:o, s:b, s:b}", "id", (json_int_t)rl.items[i].id, "date", iso,
                                        "user", jcstr(rl.items[i].user_name), "title", jcstr(rl.items[i].title), "is_a",
                                        rl.items[i].id == ia, "is_b", rl.items[i].id == ib));
    }
    if (ia > 0 && ib > 0) {
        if (db_revision_get(db, ia, &ra) < 0 || db_revision_get(db, ib, &rb) < 0 || ra.post_id != id ||
            rb.post_id != id) {
            json_decref(d);
            json_decref(revs);
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
        json_object_set_new(d, "a", json_integer(ia));
        json_object_set_new(d, "b", json_integer(ib));
        json_object_set_new(d, "has_diff", json_true());
    }
    json_object_set_new(d, "revisions", revs);
    json_object_set_new(d, "post_id", json_integer(id));
    json_object_set_new(d, "version", json_integer(p.version));
    json_object_set_new(d, "post_title", jcstr(p.title));
    admin_render(a, 200, "admin-revisions", d, "Revisions");
out:
    buf_free(&title);
    buf_free(&body);
    revision_clear(&ra);
    revision_clear(&rb);
    revision_list_free(&rl);
    post_clear(&p);
}
