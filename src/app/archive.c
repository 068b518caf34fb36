/* Date archives (/YYYY/, /YYYY/MM/, /YYYY/MM/DD/), the "Archives" list of months every page
 * shows, and search (/?s=words, paged with /page/N/?s= or &paged=N; /search/words/ redirects
 * there). Search pages hold what the visitor typed, so they are never cached; the matches are
 * read on a reader thread, off the loop (writer.h, WRITER_READ). */
#include "app/app_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/writer.h"
#include "http/form.h"
#include "http/response.h"
#include "news/archive.h"
#include "news/search.h"
#include "render/html.h"
#include "render/template.h"

#define SEARCH_ECHO_MAX SEARCH_MAX_INPUT /* bytes of the visitor's words shown back (heading, form, links) */

static const char *const month_names[] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};

/* "2026", "May 2026" or "May 4, 2026". */
static void period_label(int year, int month, int day, char *out, size_t cap)
{
    if (month < 1 || month > 12)
        snprintf(out, cap, "%d", year);
    else if (day == 0)
        snprintf(out, cap, "%s %d", month_names[month - 1], year);
    else
        snprintf(out, cap, "%s %d, %d", month_names[month - 1], day, year);
}

json_t *archive_months_json(const struct page_ctx *c)
{
    const struct site *s = &c->t->site;
    const struct route *r = &c->route;
    json_t *a = json_array();
    for (size_t i = 0; i < s->n_months; i++) {
        const struct post_month *m = &s->months[i];
        char label[64], path[32];
        period_label(m->year, m->month, 0, label, sizeof(label));
        snprintf(path, sizeof(path), "/%04d/%02d/", m->year, m->month);
        int current =
            r->kind == ROUTE_DATE && r->year == m->year && r->month == m->month && r->day == 0 && r->page == 1;
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "label", label, "path", path, "current", current));
    }
    return a;
}

void date_archive_page(struct page_ctx *c)
{
    const struct route *r = &c->route;
    struct post_list list = {0};
    int64_t total = 0;
    int rc = archive_posts(c->t->db, c->t->site.timezone, r->year, r->month, r->day, c->now, r->page,
                           (size_t)c->t->site.per_page, &list, &total);
    if (rc == -EINVAL || (rc == 0 && total == 0)) { /* no such date, or nothing published then */
        post_list_free(&list);
        app_not_found(c);
        return;
    }
    if (rc < 0) {
        app_fail(c, 503, "The database is not available.");
        return;
    }
    char period[64], base[32], heading[96], title[128];
    period_label(r->year, r->month, r->day, period, sizeof(period));
    if (r->month == 0)
        snprintf(base, sizeof(base), "/%04d/", r->year);
    else if (r->day == 0)
        snprintf(base, sizeof(base), "/%04d/%02d/", r->year, r->month);
    else
        snprintf(base, sizeof(base), "/%04d/%02d/%02d/", r->year, r->month, r->day);
    snprintf(heading, sizeof(heading), "Archives: %s", period);
    if (r->page > 1)
        snprintf(title, sizeof(title), "%s \xe2\x80\x93 Page %u", heading, r->page);
    else
        snprintf(title, sizeof(title), "%s", heading);
    json_t *data = json_object();
    json_object_set_new(data, "kind", json_false());
    json_object_set_new(data, "heading", json_string(heading));
    /* the <head>: Home, the year, the month, the day */
    char about[96], label[64], path[32];
    snprintf(about, sizeof(about), "Articles published in %s.", period);
    snprintf(label, sizeof(label), "%d", r->year);
    snprintf(path, sizeof(path), "/%04d/", r->year);
    archive_head(c, title, about, label, path);
    if (r->month > 0) {
        period_label(r->year, r->month, 0, label, sizeof(label));
        snprintf(path, sizeof(path), "/%04d/%02d/", r->year, r->month);
        json_array_append_new(c->head.crumbs, json_pack("{s:s, s:s}", "name", label, "path", path));
    }
    if (r->day > 0)
        json_array_append_new(c->head.crumbs, json_pack("{s:s, s:s}", "name", period, "path", base));
    home_render_list(c, data, &list, total, base, "", "category", title);
}

/* How many of the n bytes of s are kept: at most SEARCH_ECHO_MAX, cut between characters. */
static size_t echo_len(const char *s, size_t n)
{
    if (n <= SEARCH_ECHO_MAX)
        return n;
    size_t k = SEARCH_ECHO_MAX;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

/* The first SEARCH_ECHO_MAX bytes of the words, "…" when cut. */
static json_t *echo(const char *s, size_t n)
{
    size_t k = echo_len(s, n);
    if (k == n)
        return jstr(s, n);
    struct buf b = BUF_INIT;
    buf_append(&b, s, k);
    buf_puts(&b, "\xe2\x80\xa6");
    json_t *j = jstr(b.data ? b.data : "", b.len);
    buf_free(&b);
    return j;
}

/* A search waiting for its reader: the request's context moves in here from serve()'s stack, and
 * the page is made from it back on the loop once the matches are read. */
struct search_job {
    struct writer_job job; /* first */
    struct page_ctx c;
    struct buf words; /* what the visitor typed, cleaned; w[0..wn) is it trimmed */
    const char *w;
    size_t wn;
    unsigned page;
    size_t per_page;
    int64_t queued_ms, budget_ms;
    struct post_list list;
    int64_t total;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The page of results (the matches are read): consumes j->list. */
static void search_render(struct search_job *j)
{
    struct page_ctx *c = &j->c;
    const char *w = j->w;
    size_t wn = j->wn;
    int64_t total = j->total;
    struct buf query = BUF_INIT;
    /* Past SEARCH_RESULTS_MAX matches the search stopped counting: that many are paged. */
    _Static_assert(SEARCH_RESULTS_MAX == 1000, "the note below says 1,000");
    int more = total > SEARCH_RESULTS_MAX;
    if (more)
        total = SEARCH_RESULTS_MAX;
    /* The form and the page links carry the words the search looked at (SEARCH_MAX_INPUT). */
    buf_puts(&query, "?s=");
    form_encode(&query, w, echo_len(w, wn));

    json_t *data = json_object(), *shown = echo(w, wn);
    struct buf heading = BUF_INIT, title = BUF_INIT;
    if (wn > 0)
        buf_printf(&heading, "Search results for \xe2\x80\x9c%s\xe2\x80\x9d", json_string_value(shown));
    else
        buf_puts(&heading, "Search");
    buf_append(&title, heading.data, heading.len);
    if (j->page > 1)
        buf_printf(&title, " \xe2\x80\x93 Page %u", j->page);
    json_object_set_new(data, "kind", json_false());
    json_object_set_new(data, "heading", jstr(heading.data, heading.len));
    json_object_set_new(data, "search_query", jstr(w, echo_len(w, wn)));
    json_object_set_new(data, "results_note",
                        more ? json_string("More than 1,000 results: the best matches among the newest 1,000.")
                             : json_false());
    json_decref(shown);
    const char *tpl = tpl_set_has(c->t->app->tpl, "search") ? "search" : "category";
    if (query.err == 0 && title.err == 0) {
        home_render_list(c, data, &j->list, total, "/", query.data, tpl, title.data);
    } else {
        json_decref(data);
        app_fail(c, 500, "The page is too large.");
    }
    buf_free(&heading);
    buf_free(&title);
    buf_free(&query);
}

/* On a reader: the matches, within what is left of the request's budget after its wait. */
static int search_run(struct db *db, struct writer_job *job)
{
    struct search_job *j = (struct search_job *)job;
    int64_t left = j->budget_ms - (mono_ms() - j->queued_ms);
    if (left <= 0)
        return -ETIMEDOUT;
    db_budget(db, left);
    int rc = search_posts(db, j->w, j->wn, j->c.now, j->page, j->per_page, &j->list, &j->total);
    if (rc < 0 && db_budget_spent(db))
        rc = -ETIMEDOUT;
    db_budget(db, 0);
    return rc;
}

/* Back on the loop: the page, or a 503 when the budget ran out or the database failed. */
static void search_done(struct writer_job *job)
{
    struct search_job *j = (struct search_job *)job;
    struct page_ctx *c = &j->c;
    if (job->req != NULL) {
        c->req = job->req;
        db_budget(c->t->db, j->budget_ms); /* for what the page reads besides the matches */
        if (job->rc == -ETIMEDOUT)
            app_busy(c->req);
        else if (job->rc < 0)
            app_fail(c, 503, "The database is not available.");
        else
            search_render(j);
        app_finish(c, 0);
        db_budget(c->t->db, 0);
    }
    post_list_free(&j->list);
    app_ctx_free(c);
    buf_free(&j->words);
    free(j);
}

/* A search can take the whole request budget on a large archive, so it runs on a reader
 * (WRITER_READ) and the loop answers other requests meanwhile. */
int search_page(struct page_ctx *c)
{
    size_t n, pn;
    const char *s = app_query(c, "s", &n), *pv = app_query(c, "paged", &pn);
    if (s == NULL)
        return 0;
    unsigned page = c->route.page;
    if (pv != NULL) {
        int64_t v = site_parse_id(pv, pn);
        if (v < 1 || v > ROUTE_MAX_PAGE) {
            app_not_found(c);
            return 1;
        }
        page = (unsigned)v;
    }
    c->route.kind = ROUTE_SEARCH; /* not the home page: no sticky posts, no "current" Home link */
    c->route.page = page;

    struct search_job *j = calloc(1, sizeof(*j));
    if (j == NULL)
        abort(); /* out of memory aborts, as the rest of the server does */
    /* What the visitor typed, as valid UTF-8 without control characters, trimmed. */
    html_clean(&j->words, s, n);
    j->w = j->words.data ? j->words.data : "";
    j->wn = j->words.len;
    while (j->wn > 0 && (*j->w == ' ' || *j->w == '\t' || *j->w == '\n')) {
        j->w++;
        j->wn--;
    }
    while (j->wn > 0 && (j->w[j->wn - 1] == ' ' || j->w[j->wn - 1] == '\t' || j->w[j->wn - 1] == '\n'))
        j->wn--;
    j->page = page;
    j->per_page = (size_t)c->t->site.per_page;
    j->budget_ms = c->t->site.budget_ms > 0 ? c->t->site.budget_ms : APP_BUDGET_MS;
    j->queued_ms = mono_ms();
    j->c = *c; /* the job owns the context's allocations from here on */
    *c = (struct page_ctx){.t = c->t, .req = c->req, .now = c->now, .body = BUF_INIT, .sent = 1};
    j->job.run = search_run;
    j->job.done = search_done;
    writer_submit(c->t->app->writer, WRITER_READ, c->t->home, c->req, &j->job);
    return 1;
}

void search_redirect(struct page_ctx *c)
{
    /* The server has percent-decoded the path already; '+' still means a space, as in WordPress. */
    char decoded[ROUTE_MAX_SLUG];
    size_t n = c->route.slug_len < sizeof(decoded) ? c->route.slug_len : sizeof(decoded);
    for (size_t i = 0; i < n; i++)
        decoded[i] = c->route.slug[i] == '+' ? ' ' : c->route.slug[i];
    struct buf clean = BUF_INIT, loc = BUF_INIT;
    html_clean(&clean, decoded, n);
    buf_puts(&loc, "/?s=");
    form_encode(&loc, clean.data ? clean.data : "", clean.len);
    if (loc.err == 0) {
        http_redirect(c->req, 301, loc.data, loc.len);
        c->sent = 1;
    } else {
        app_fail(c, 500, "The address is too long.");
    }
    buf_free(&clean);
    buf_free(&loc);
}
