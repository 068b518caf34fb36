/* The API's front door: finds the route of /wp-json/... (or ?rest_route=), checks its arguments
 * the way WordPress does (rest_invalid_param naming each bad one), answers the index and OPTIONS
 * from the route table, and sends answers: WordPress's error shape, X-WP-Total and
 * X-WP-TotalPages, the Link header, _fields and the page cache for public answers. */
#include "api/api.h"
#include "api/api_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"
#include "lib/tz.h"
#include "news/settings.h"
#include "render/html.h"

#define API_JSON "application/json; charset=UTF-8"
#define API_FIELDS_MAX 64 /* names in _fields */

const char *const api_contexts[] = {"view", "embed", "edit", NULL};

int api_embeds(const struct api_ctx *a, const char *rel)
{
    if (a->embed == NULL)
        return 0;
    if (a->embed[0] == '\0')
        return 1;
    size_t n = strlen(rel);
    for (const char *p = a->embed; (p = strstr(p, rel)) != NULL; p += n)
        if ((p == a->embed || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
            return 1;
    return 0;
}

size_t api_link_header(const char *site_url, char *out, size_t cap)
{
    size_t n = strlen(site_url);
    while (n > 0 && site_url[n - 1] == '/')
        n--;
    int k = snprintf(out, cap, "<%.*s/wp-json/>; rel=\"https://api.w.org/\"", (int)n, site_url);
    return k > 0 && (size_t)k < cap ? (size_t)k : 0;
}

int api_wants(const struct page_ctx *c)
{
    h2o_iovec_t p = c->req->path_normalized;
    if (p.len >= 8 && memcmp(p.base, "/wp-json", 8) == 0 && (p.len == 8 || p.base[8] == '/'))
        return 1;
    if (p.len == 1 && p.base[0] == '/' && c->req->query_at != SIZE_MAX) {
        h2o_iovec_t q = h2o_iovec_init(c->req->path.base + c->req->query_at, c->req->path.len - c->req->query_at);
        return h2o_strstr(q.base, q.len, H2O_STRLIT("rest_route=")) != SIZE_MAX;
    }
    return 0;
}

/* ---- answers ------------------------------------------------------------------------------ */

static void common_headers(struct api_ctx *a);

/* The request's Origin header, or NULL. */
static const char *origin_of(h2o_req_t *req, size_t *n)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("origin"), -1);
    if (i == -1)
        return NULL;
    *n = req->headers.entries[i].value.len;
    return req->headers.entries[i].value.base;
}

/* 1 when the request's Origin is one of the api_cors_origins setting's. */
static void cors(struct api_ctx *a)
{
    size_t n = 0;
    char *list = NULL;
    const char *origin = origin_of(a->req, &n);
    if (origin == NULL || n == 0 || setting_get(a->c->t->db, "api_cors_origins", &list) < 0)
        return;
    for (char *save = NULL, *tok = strtok_r(list, " ,\t\n", &save); tok; tok = strtok_r(NULL, " ,\t\n", &save))
        if (strlen(tok) == n && memcmp(tok, origin, n) == 0)
            a->cors_credentials = 1;
    free(list);
}

/* A browser asking before a cross-origin request: any origin may GET; those listed may send
 * credentials and write. */
static void preflight(struct api_ctx *a)
{
    h2o_req_t *req = a->req;
    if (a->cors_credentials) {
        http_header(req, "access-control-allow-methods", H2O_STRLIT("GET, POST, PUT, PATCH, DELETE, OPTIONS"));
        http_header(req, "access-control-allow-headers",
                    H2O_STRLIT("Authorization, X-WP-Nonce, Content-Type, "
                               "Content-Disposition"));
    } else {
        http_header(req, "access-control-allow-methods", H2O_STRLIT("GET, OPTIONS"));
        http_header(req, "access-control-allow-headers", H2O_STRLIT("Content-Type"));
    }
    http_header(req, "access-control-max-age", H2O_STRLIT("600"));
    common_headers(a);
    http_send(req, 204, "text/plain", "", 0);
    a->c->sent = 1;
}

/* The CORS headers of an answer any origin may read (constants: nothing copied). */
static void public_headers(h2o_req_t *req)
{
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ACCESS_CONTROL_ALLOW_ORIGIN, NULL, H2O_STRLIT("*"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("access-control-expose-headers"), 0, NULL,
                          H2O_STRLIT("X-WP-Total, X-WP-TotalPages, Link"));
}

static void common_headers(struct api_ctx *a)
{
    h2o_req_t *req = a->req;
    size_t n = 0;
    const char *origin = origin_of(req, &n);
    if (a->cors_credentials && origin != NULL) {
        http_header(req, "access-control-allow-origin", origin, n);
        http_header(req, "access-control-allow-credentials", H2O_STRLIT("true"));
        http_header(req, "vary", H2O_STRLIT("Origin"));
    } else {
        public_headers(req);
    }
    if (!a->cache)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("private, no-store"));
}

static void common_headers(struct api_ctx *a);

static void send_json(struct api_ctx *a, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(body);
    common_headers(a);
    if (s == NULL) {
        http_send_status(a->req, 500, "The answer could not be encoded.");
    } else {
        http_send(a->req, status, API_JSON, s, strlen(s));
        free(s);
    }
    a->c->sent = 1;
}

void api_error(struct api_ctx *a, int status, const char *code, const char *message, json_t *extra)
{
    json_t *data = json_pack("{s:i}", "status", status);
    if (extra != NULL) {
        json_object_update(data, extra);
        json_decref(extra);
    }
    a->cache = 0;
    send_json(a, status, json_pack("{s:s, s:s, s:o}", "code", code, "message", message, "data", data));
}

/* Keeps of o the paths named in fields ("title", "title.rendered"), in a new object. */
static json_t *only_fields(json_t *o, char *const *fields, size_t n)
{
    if (!json_is_object(o))
        return json_incref(o);
    json_t *r = json_object();
    for (size_t i = 0; i < n; i++) {
        const char *f = fields[i], *dot = strchr(f, '.');
        if (dot == NULL) {
            json_t *v = json_object_get(o, f);
            if (v != NULL)
                json_object_set(r, f, v);
            continue;
        }
        char top[128];
        size_t k = (size_t)(dot - f);
        if (k >= sizeof(top))
            continue;
        memcpy(top, f, k);
        top[k] = '\0';
        json_t *v = json_object_get(o, top), *sub = json_object_get(v, dot + 1);
        if (json_is_object(json_object_get(r, top)) && json_object_get(json_object_get(r, top), dot + 1) == NULL &&
            json_object_size(json_object_get(r, top)) == json_object_size(v))
            continue; /* the whole object is already there */
        if (sub == NULL)
            continue;
        json_t *have = json_object_get(r, top);
        if (!json_is_object(have)) {
            have = json_object();
            json_object_set_new(r, top, have);
        }
        json_object_set(have, dot + 1, sub);
    }
    return r;
}

/* The names in _fields (split on commas into mem), checked against the schema's properties:
 * -EINVAL names the first unknown one in *bad. */
static int parse_fields(struct api_ctx *a, char *mem, char **names, size_t *n, const char **bad)
{
    const struct api_route *routes;
    size_t nr = 0, k = 0;
    json_t *props = NULL;
    routes = api_routes(&nr);
    for (size_t i = 0; i < nr; i++) {
        if (routes[i].schema != NULL && a->n_seg >= 3 && strcmp(routes[i].base, a->seg[2]) == 0) {
            json_t *s = json_loads(routes[i].schema, 0, NULL);
            props = json_incref(json_object_get(s, "properties"));
            json_decref(s);
            break;
        }
    }
    int ret = 0;
    for (char *save = NULL, *tok = strtok_r(mem, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (*tok == '\0')
            continue;
        if (k == API_FIELDS_MAX) {
            *bad = "_fields";
            ret = -EINVAL;
            break;
        }
        char top[128];
        size_t tl = strcspn(tok, ".");
        snprintf(top, sizeof(top), "%.*s", (int)tl, tok);
        if (props != NULL && strcmp(top, "_links") != 0 && strcmp(top, "_embedded") != 0 &&
            json_object_get(props, top) == NULL) {
            *bad = tok;
            ret = -EINVAL;
            break;
        }
        names[k++] = tok;
    }
    json_decref(props);
    if (ret == 0)
        *n = k;
    return ret;
}

void api_send(struct api_ctx *a, int status, json_t *body)
{
    h2o_req_t *req = a->req;
    if (db_budget_spent(a->c->t->db)) {
        json_decref(body);
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, H2O_STRLIT("5"));
        api_error(a, 503, "rest_busy", "This answer took too long to prepare. Please try again in a moment.", NULL);
        return;
    }
    if (a->fields != NULL) {
        char *mem = strdup(a->fields), *names[API_FIELDS_MAX];
        size_t n = 0;
        const char *bad = NULL;
        if (mem == NULL)
            abort();
        if (parse_fields(a, mem, names, &n, &bad) < 0) {
            char msg[300];
            snprintf(msg, sizeof(msg), "_fields names an unknown field: %.200s.", bad);
            json_decref(body);
            api_error(a, 400, "rest_invalid_param", "Invalid parameter(s): _fields",
                      json_pack("{s:{s:s}}", "params", "_fields", msg));
            free(mem);
            return;
        }
        json_t *out;
        if (json_is_array(body)) {
            out = json_array();
            size_t i;
            json_t *v;
            json_array_foreach(body, i, v) json_array_append_new(out, only_fields(v, names, n));
        } else {
            out = only_fields(body, names, n);
        }
        json_decref(body);
        body = out;
        free(mem);
    }
    char num[32];
    const char *pairs[6];
    size_t np = 0;
    if (a->total >= 0) {
        snprintf(num, sizeof(num), "%lld", (long long)a->total);
        pairs[np * 2] = "x-wp-total", pairs[np * 2 + 1] = h2o_strdup(&req->pool, num, SIZE_MAX).base, np++;
        snprintf(num, sizeof(num), "%lld", (long long)a->pages);
        pairs[np * 2] = "x-wp-totalpages", pairs[np * 2 + 1] = h2o_strdup(&req->pool, num, SIZE_MAX).base, np++;
    }
    if (a->link.len > 0 && a->link.err == 0)
        pairs[np * 2] = "link", pairs[np * 2 + 1] = h2o_strdup(&req->pool, a->link.data, a->link.len).base, np++;
    char *s = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(body);
    if (s == NULL) {
        api_error(a, 500, "rest_internal", "The answer could not be encoded.", NULL);
        return;
    }
    struct page_ctx *c = a->c;
    struct cached_page *p = NULL;
    if (a->cache && status == 200 && c->expires > c->now) {
        if (c->n_deps == 0)
            app_depends(c, TAG_ANY, 0);
        p = page_cache_put(c->t->cache, req->path.base, req->path.len, status, API_JSON, s, strlen(s),
                           (uint64_t)c->expires, c->deps, c->n_deps);
        if (p != NULL && page_cache_set_headers(p, pairs, np) < 0)
            p = NULL;
    }
    common_headers(a);
    if (p != NULL) {
        page_send(req, p);
    } else {
        for (size_t i = 0; i < np; i++)
            http_header(req, pairs[2 * i], pairs[2 * i + 1], strlen(pairs[2 * i + 1]));
        http_send_encoded(req, status, API_JSON, s, strlen(s));
    }
    free(s);
    c->sent = 1;
}

int api_invalid(struct api_ctx *a, json_t *invalid)
{
    if (json_object_size(invalid) == 0) {
        json_decref(invalid);
        return 0;
    }
    struct buf msg = BUF_INIT;
    const char *k;
    json_t *v;
    int first = 1;
    buf_puts(&msg, "Invalid parameter(s): ");
    json_object_foreach(invalid, k, v)
    {
        buf_printf(&msg, "%s%s", first ? "" : ", ", k);
        first = 0;
    }
    api_error(a, 400, "rest_invalid_param", msg.data ? msg.data : "Invalid parameter(s)",
              json_pack("{s:o, s:{}}", "params", invalid, "details"));
    buf_free(&msg);
    return 1;
}

void api_db_fail(struct api_ctx *a)
{
    api_error(a, 503, "rest_db", "The database is not available.", NULL);
}

int api_past_end(struct api_ctx *a, int64_t total, int64_t page, int64_t per_page, const char *code)
{
    if (total <= 0 || page <= (total + per_page - 1) / per_page)
        return 0;
    api_error(a, 400, code, "The page number requested is larger than the number of pages available.", NULL);
    return 1;
}

/* ---- values and links --------------------------------------------------------------------- */

const struct api_value *api_val(const struct api_ctx *a, const char *name)
{
    static const struct api_value none;
    for (size_t i = 0; i < a->n_args; i++)
        if (strcmp(a->args[i].name, name) == 0)
            return &a->vals[i];
    return &none;
}

int64_t api_int(const struct api_ctx *a, const char *name, int64_t def)
{
    const struct api_value *v = api_val(a, name);
    return v->present ? v->i : def;
}

static json_t *vurl(const struct api_ctx *a, const char *fmt, va_list ap)
{
    char path[1024];
    vsnprintf(path, sizeof(path), fmt, ap);
    char *s = NULL;
    if (asprintf(&s, "%s%s", a->site_url, path) < 0)
        abort();
    json_t *j = jcstr(s);
    free(s);
    return j;
}

json_t *api_url(const struct api_ctx *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_t *j = vurl(a, fmt, ap);
    va_end(ap);
    return j;
}

json_t *api_link(const struct api_ctx *a, int embeddable, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_t *o = json_pack("{s:o}", "href", vurl(a, fmt, ap));
    va_end(ap);
    if (embeddable)
        json_object_set_new(o, "embeddable", json_true());
    return json_pack("[o]", o);
}

/* The request's address with page=N instead of its page argument. */
static void page_link(struct api_ctx *a, int64_t page, const char *rel)
{
    struct buf *b = &a->link;
    if (b->len > 0)
        buf_puts(b, ", ");
    buf_printf(b, "<%s/wp-json%s", a->site_url, a->route);
    char sep = '?';
    const struct form *q = &a->c->query;
    for (size_t i = 0; a->c->has_query && i < q->n; i++) {
        const char *nm = q->fields[i].name;
        if (strcmp(nm, "page") == 0 || strcmp(nm, "rest_route") == 0)
            continue;
        buf_printf(b, "%c", sep);
        form_encode(b, nm, q->fields[i].name_len);
        buf_puts(b, "=");
        form_encode(b, q->fields[i].value, q->fields[i].value_len);
        sep = '&';
    }
    buf_printf(b, "%cpage=%lld>; rel=\"%s\"", sep, (long long)page, rel);
}

void api_paging(struct api_ctx *a, int64_t total, int64_t page, int64_t per_page)
{
    a->total = total;
    a->pages = per_page > 0 ? (total + per_page - 1) / per_page : 0;
    if (page > 1 && a->pages > 0)
        page_link(a, page - 1 > a->pages ? a->pages : page - 1, "prev");
    if (page < a->pages)
        page_link(a, page + 1, "next");
}

json_t *api_date(const struct api_ctx *a, int64_t t)
{
    struct tm tm;
    char s[40];
    tz_localtime(a->c->t->site.timezone, t, &tm, NULL);
    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
    return json_string(s);
}

json_t *api_date_gmt(int64_t t)
{
    char s[TIME_ISO_LEN];
    time_format_iso(t, s);
    s[19] = '\0'; /* WordPress's *_gmt fields carry no zone */
    return json_string(s);
}

json_t *api_html_text(const char *s)
{
    struct buf b = BUF_INIT;
    html_escape(&b, s ? s : "", s ? strlen(s) : 0);
    json_t *j = jstr(b.data ? b.data : "", b.len);
    buf_free(&b);
    return j;
}

static const char *const status_names[] = {"draft", "pending", "future", "publish", "private", "trash"};

const char *api_status_name(enum post_status s)
{
    return (unsigned)s < 6 ? status_names[s] : "draft";
}

int api_status_parse(const char *s, enum post_status *out)
{
    for (int i = 0; i < 6; i++)
        if (strcmp(s, status_names[i]) == 0) {
            *out = (enum post_status)i;
            return 0;
        }
    return -EINVAL;
}

/* ---- arguments ---------------------------------------------------------------------------- */

int api_parse_date(const struct api_ctx *a, const char *s, int64_t *out)
{
    return api_parse_date_zone(a->c->t->site.timezone, s, out);
}

int api_parse_date_zone(const char *zone, const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0, k = 0, k2 = 0;
    if (strlen(s) >= 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &k) == 3 && k == 10 &&
        (s[k] == '\0' || ((s[k] == 'T' || s[k] == ' ') && sscanf(s + k + 1, "%2d:%2d:%2d%n", &h, &mi, &se, &k2) == 3 &&
                          s[k + 1 + k2] == '\0'))) {
        if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
            return -EINVAL;
        struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = se};
        return tz_mktime(zone, &tm, out);
    }
    return time_parse_iso(s, strlen(s), out);
}

static int parse_int(const char *s, int64_t *out)
{
    char *end;
    if (s[0] == '\0' || strlen(s) > 19)
        return -EINVAL;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0')
        return -EINVAL;
    *out = v;
    return 0;
}

static int in_choices(const struct api_arg *arg, const char *s)
{
    for (size_t i = 0; arg->choices[i] != NULL; i++)
        if (strcmp(arg->choices[i], s) == 0)
            return 1;
    return 0;
}

static void choices_text(const struct api_arg *arg, struct buf *b)
{
    size_t n = 0;
    while (arg->choices[n] != NULL)
        n++;
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? (n == 2 ? " and " : ", and ") : ", ", arg->choices[i]);
}

/* Checks one value of arg; on failure writes WordPress's sentence into msg. */
static int check_one(const struct api_ctx *a, const struct api_arg *arg, const char *label, const char *s,
                     struct api_value *v, size_t idx, struct buf *msg)
{
    int64_t i;
    switch (arg->type) {
    case ARG_INT:
    case ARG_INTS:
        if (parse_int(s, &i) < 0) {
            buf_printf(msg, "%s is not of type integer.", label);
            return -EINVAL;
        }
        if (arg->min < arg->max && (i < arg->min || i > arg->max)) {
            if (arg->max == INT64_MAX)
                buf_printf(msg, "%s must be greater than or equal to %lld", label, (long long)arg->min);
            else
                buf_printf(msg, "%s must be between %lld (inclusive) and %lld (inclusive)", label, (long long)arg->min,
                           (long long)arg->max);
            return -EINVAL;
        }
        if (arg->type == ARG_INT)
            v->i = i;
        else
            v->ids[idx] = i;
        return 0;
    case ARG_BOOL:
        if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
            v->i = 1;
        else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0 || s[0] == '\0')
            v->i = 0;
        else {
            buf_printf(msg, "%s is not of type boolean.", label);
            return -EINVAL;
        }
        return 0;
    case ARG_DATE:
        if (api_parse_date(a, s, &v->i) < 0) {
            buf_printf(msg, "Invalid date.");
            return -EINVAL;
        }
        return 0;
    case ARG_ENUM:
    case ARG_ENUMS:
        if (!in_choices(arg, s)) {
            buf_printf(msg, "%s is not one of ", label);
            choices_text(arg, msg);
            buf_puts(msg, ".");
            return -EINVAL;
        }
        /* fall through */
    case ARG_STR:
    case ARG_STRS:
        if (arg->type == ARG_STR || arg->type == ARG_ENUM)
            v->s = s;
        else
            v->strs[idx] = s;
        return 0;
    }
    return -EINVAL;
}

static int is_list(enum arg_type t)
{
    return t == ARG_INTS || t == ARG_STRS || t == ARG_ENUMS;
}

/* 1 when the query has an argument the route does not know (WordPress ignores those): such an
 * answer is not kept in the page cache, where every new address would take room. */
static int unknown_args(const struct api_ctx *a)
{
    static const char *const always[] = {"_fields", "_embed", "rest_route", "_wpnonce", "_locale"};
    const struct form *q = &a->c->query;
    for (size_t f = 0; a->c->has_query && f < q->n; f++) {
        const char *nm = q->fields[f].name;
        size_t nl = strcspn(nm, "["), known = 0;
        for (size_t i = 0; i < sizeof(always) / sizeof(always[0]) && !known; i++)
            known = strlen(always[i]) == nl && memcmp(always[i], nm, nl) == 0;
        for (size_t k = 0; k < a->n_args && !known; k++)
            known = strlen(a->args[k].name) == nl && memcmp(a->args[k].name, nm, nl) == 0;
        if (!known)
            return 1;
    }
    return 0;
}

/* Checks every argument of the route in the query string; the bad ones go into *invalid. */
static void check_args(struct api_ctx *a, json_t *invalid)
{
    const struct form *q = &a->c->query;
    a->vals = http_alloc(a->req, (a->n_args ? a->n_args : 1) * sizeof(*a->vals));
    memset(a->vals, 0, (a->n_args ? a->n_args : 1) * sizeof(*a->vals));
    for (size_t k = 0; k < a->n_args && a->c->has_query; k++) {
        const struct api_arg *arg = &a->args[k];
        struct api_value *v = &a->vals[k];
        size_t nl = strlen(arg->name);
        struct buf msg = BUF_INIT;
        for (size_t f = 0; f < q->n; f++) {
            const char *nm = q->fields[f].name, *val = q->fields[f].value;
            size_t fl = q->fields[f].name_len;
            /* name, name[] and name[N] */
            if (fl < nl || memcmp(nm, arg->name, nl) != 0 || (fl > nl && nm[nl] != '['))
                continue;
            if (strlen(val) != q->fields[f].value_len) {
                buf_printf(&msg, "%s holds a NUL byte.", arg->name);
                break;
            }
            if (v->present && !is_list(arg->type))
                continue; /* the first one counts */
            v->present = 1;
            if (!is_list(arg->type)) {
                if (check_one(a, arg, arg->name, val, v, 0, &msg) < 0)
                    break;
                continue;
            }
            /* a list: comma separated, or repeated */
            char *copy = h2o_strdup(&a->req->pool, val, SIZE_MAX).base;
            for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
                while (*tok == ' ')
                    tok++;
                if (v->n == API_LIST_MAX) {
                    buf_printf(&msg, "%s has more than %d items.", arg->name, API_LIST_MAX);
                    break;
                }
                char label[96];
                snprintf(label, sizeof(label), "%s[%zu]", arg->name, v->n);
                if (check_one(a, arg, label, tok, v, v->n, &msg) < 0)
                    break;
                v->n++;
            }
            if (msg.len > 0)
                break;
        }
        if (msg.len > 0)
            json_object_set_new(invalid, arg->name, jstr(msg.data, msg.len));
        buf_free(&msg);
    }
}

/* ---- the index and OPTIONS ---------------------------------------------------------------- */

static json_t *args_json(const struct api_arg *args, size_t n)
{
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++) {
        const struct api_arg *g = &args[i];
        static const char *const types[] = {"integer", "array", "string",  "array",
                                            "string",  "array", "boolean", "string"};
        json_t *d = json_pack("{s:s, s:s, s:b}", "description", g->description, "type", types[g->type], "required", 0);
        if (g->type == ARG_DATE)
            json_object_set_new(d, "format", json_string("date-time"));
        if (g->choices != NULL) {
            json_t *e = json_array();
            for (size_t k = 0; g->choices[k] != NULL; k++)
                json_array_append_new(e, json_string(g->choices[k]));
            if (is_list(g->type))
                json_object_set_new(d, "items", json_pack("{s:s, s:o}", "type", "string", "enum", e));
            else
                json_object_set_new(d, "enum", e);
        } else if (g->type == ARG_INTS) {
            json_object_set_new(d, "items", json_pack("{s:s}", "type", "integer"));
        } else if (g->type == ARG_STRS) {
            json_object_set_new(d, "items", json_pack("{s:s}", "type", "string"));
        }
        if (g->min < g->max) {
            json_object_set_new(d, "minimum", json_integer(g->min));
            if (g->max != INT64_MAX)
                json_object_set_new(d, "maximum", json_integer(g->max));
        }
        if (g->def != NULL)
            json_object_set_new(d, "default", json_loads(g->def, JSON_DECODE_ANY, NULL));
        json_object_set_new(o, g->name, d);
    }
    return o;
}

static json_t *methods_json(unsigned m)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{API_POST, "POST"}, {API_PUT, "PUT"}, {API_PATCH, "PATCH"}, {API_DELETE, "DELETE"}};
    json_t *arr = json_pack("[s]", "GET");
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (m & names[i].bit)
            json_array_append_new(arr, json_string(names[i].name));
    return arr;
}

static json_t *route_json(struct api_ctx *a, const struct api_route *r, int with_schema)
{
    json_t *eps = json_array();
    json_array_append_new(eps, json_pack("{s:[s], s:o}", "methods", "GET", "args", args_json(r->args, r->n_args)));
    if (r->methods != 0) {
        json_t *m = methods_json(r->methods);
        json_array_remove(m, 0);
        json_array_append_new(eps, json_pack("{s:o, s:{}}", "methods", m, "args"));
    }
    json_t *o =
        json_pack("{s:s, s:o, s:o}", "namespace", API_NAMESPACE, "methods", methods_json(r->methods), "endpoints", eps);
    if (strchr(r->pattern, '(') == NULL)
        json_object_set_new(o, "_links", json_pack("{s:o}", "self", api_link(a, 0, "/wp-json%s", r->pattern)));
    if (with_schema && r->schema != NULL)
        json_object_set_new(o, "schema", json_loads(r->schema, 0, NULL));
    return o;
}

static void send_index(struct api_ctx *a, int ns_only)
{
    size_t n;
    const struct api_route *routes = api_routes(&n);
    json_t *rs = json_object();
    if (!ns_only) {
        json_object_set_new(rs, "/",
                            json_pack("{s:s, s:[s], s:[{s:[s], s:{}}], s:{s:o}}", "namespace", "", "methods", "GET",
                                      "endpoints", "methods", "GET", "args", "_links", "self",
                                      api_link(a, 0, "/wp-json/")));
    }
    json_object_set_new(rs, "/" API_NAMESPACE,
                        json_pack("{s:s, s:[s], s:[{s:[s], s:{}}], s:{s:o}}", "namespace", API_NAMESPACE, "methods",
                                  "GET", "endpoints", "methods", "GET", "args", "_links", "self",
                                  api_link(a, 0, "/wp-json/" API_NAMESPACE)));
    for (size_t i = 0; i < n; i++)
        json_object_set_new(rs, routes[i].pattern, route_json(a, &routes[i], 0));
    json_t *body;
    if (ns_only) {
        body = json_pack("{s:s, s:o}", "namespace", API_NAMESPACE, "routes", rs);
    } else {
        struct site *s = &a->c->t->site;
        long off = 0;
        struct tm tm;
        tz_localtime(s->timezone, a->c->now, &tm, &off);
        body = json_pack("{s:o, s:o, s:o, s:o, s:f, s:o, s:[s], s:{}, s:o}", "name", jcstr(s->title), "description",
                         jcstr(s->tagline), "url", jcstr(a->site_url), "home", jcstr(a->site_url), "gmt_offset",
                         (double)off / 3600.0, "timezone_string", jcstr(s->timezone), "namespaces", API_NAMESPACE,
                         "authentication", "routes", rs);
        json_object_set_new(body, "site_logo", json_integer(0));
        json_object_set_new(body, "site_icon", json_integer(0));
        json_object_set_new(body, "site_icon_url", json_string(""));
        json_object_set_new(body, "_links",
                            json_pack("{s:[{s:s}]}", "help", "href", "https://developer.wordpress.org/rest-api/"));
    }
    app_depends(a->c, TAG_ANY, 0); /* the site's title, zone and address: any change */
    a->cache = 1;
    api_send(a, 200, body);
}

/* ---- routing ------------------------------------------------------------------------------ */

static int split_route(struct api_ctx *a, const char *r, size_t n)
{
    while (n > 0 && r[n - 1] == '/')
        n--;
    if (n >= sizeof(a->route))
        return -E2BIG;
    memcpy(a->route, r, n);
    a->route[n] = '\0';
    memcpy(a->segbuf, r, n);
    a->segbuf[n] = '\0';
    for (char *save = NULL, *tok = strtok_r(a->segbuf, "/", &save); tok != NULL; tok = strtok_r(NULL, "/", &save)) {
        if (a->n_seg == API_SEGMENTS)
            return -E2BIG;
        a->seg[a->n_seg++] = tok;
    }
    return 0;
}

static int parse_method(h2o_req_t *req, enum api_method *out)
{
    static const struct {
        const char *name;
        enum api_method m;
    } ms[] = {{"GET", API_GET},     {"HEAD", API_GET},      {"POST", API_POST},      {"PUT", API_PUT},
              {"PATCH", API_PATCH}, {"DELETE", API_DELETE}, {"OPTIONS", API_OPTIONS}};
    for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++)
        if (h2o_memis(req->method.base, req->method.len, ms[i].name, strlen(ms[i].name))) {
            *out = ms[i].m;
            return 0;
        }
    return -EINVAL;
}

static void no_route(struct api_ctx *a)
{
    api_error(a, 404, "rest_no_route", "No route was found matching the URL and request method.", NULL);
}

void api_dispatch(struct api_ctx *a)
{
    size_t n;
    const struct api_route *routes = api_routes(&n), *r = NULL;
    int64_t id = 0;
    const char *name = NULL;

    if (a->n_seg == 0 && a->method != API_OPTIONS) {
        send_index(a, 0);
        return;
    }
    if (a->n_seg < 2 || strcmp(a->seg[0], "wp") != 0 || strcmp(a->seg[1], "v2") != 0) {
        no_route(a);
        return;
    }
    if (a->n_seg == 2) {
        send_index(a, 1);
        return;
    }
    for (size_t i = 0; i < n && r == NULL; i++) {
        const struct api_route *c = &routes[i];
        if (strcmp(c->base, a->seg[2]) != 0)
            continue;
        if (c->item == 0 && a->n_seg == 3)
            r = c;
        else if (c->item == 1 && a->n_seg == 4 && site_parse_id(a->seg[3], strlen(a->seg[3])) > 0)
            r = c, id = site_parse_id(a->seg[3], strlen(a->seg[3]));
        else if (c->item == 2 && a->n_seg == 4)
            r = c, name = a->seg[3];
        else if (c->item == 3 && a->n_seg == 4 && strcmp(a->seg[3], "me") == 0)
            r = c;
    }
    if (r == NULL) {
        no_route(a);
        return;
    }
    if (a->method == API_OPTIONS) {
        json_t *o = route_json(a, r, 1);
        static const char *const allow[] = {"GET", "GET, POST", "GET, POST, PUT, PATCH, DELETE"};
        const char *al = allow[r->methods == 0 ? 0 : r->methods == API_POST ? 1 : 2];
        http_header(a->req, "allow", al, strlen(al));
        api_send(a, 200, o);
        return;
    }
    if (a->method != API_GET) {
        if (!(r->methods & a->method))
            no_route(a);
        else
            api_write(a, r->base, id);
        return;
    }
    a->args = r->args;
    a->n_args = r->n_args;
    json_t *invalid = json_object();
    check_args(a, invalid);
    if (api_invalid(a, invalid))
        return;
    const struct api_value *ctx = api_val(a, "context");
    a->edit = ctx->present && strcmp(ctx->s, "edit") == 0;
    if (a->edit && a->user.id == 0) {
        api_error(a, 401, "rest_forbidden_context", "Sorry, you are not allowed to edit in this context.", NULL);
        return;
    }
    size_t len = 0;
    const char *e = app_query(a->c, "_embed", &len);
    if (e != NULL && strlen(e) == len)
        a->embed = (strcmp(e, "1") == 0 || strcmp(e, "true") == 0) ? "" : e;
    e = app_query(a->c, "_fields", &len);
    if (e != NULL && strlen(e) == len)
        a->fields = e;
    a->cache = a->user.id == 0 && !unknown_args(a);
    r->get(a, id, name);
}

int api_begin(struct page_ctx *c, struct api_ctx *a)
{
    h2o_req_t *req = c->req;
    const char *route;
    size_t route_len;
    *a = (struct api_ctx){.c = c, .req = req, .total = -1, .link = BUF_INIT};
    if (req->query_at != SIZE_MAX && !c->has_query) {
        size_t qs = req->query_at + 1;
        c->has_query = form_parse(&c->query, req->path.base + qs, req->path.len - qs) == 0;
        if (!c->has_query) {
            api_error(a, 400, "rest_invalid_param", "The query string is too long or has too many arguments.", NULL);
            return -1;
        }
    }
    a->site_url = c->t->site.url; /* site_url without its final slash, read with the site */
    if (parse_method(req, &a->method) < 0) {
        no_route(a);
        return -1;
    }
    h2o_iovec_t p = req->path_normalized;
    if (p.len >= 8 && memcmp(p.base, "/wp-json", 8) == 0) {
        route = p.base + 8, route_len = p.len - 8;
    } else {
        route = app_query(c, "rest_route", &route_len);
        if (route == NULL)
            route = "/", route_len = 1;
    }
    if (split_route(a, route, route_len) < 0) {
        no_route(a);
        return -1;
    }
    return 0;
}

void api_end(struct api_ctx *a)
{
    if (!a->c->sent) {
        http_send_status(a->req, 500, "No answer.");
        a->c->sent = 1;
    }
    api_pending_free(a);
    buf_free(&a->link);
    user_clear(&a->user);
}

/* A public GET answered before, from the cache, before any other work: no credentials and no
 * Origin header (a listed origin gets its own CORS headers below). 1 when answered. */
static int from_cache(struct page_ctx *c)
{
    h2o_req_t *req = c->req;
    size_t n;
    if (!h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) ||
        http_req_header(req, H2O_TOKEN_AUTHORIZATION, &n) != NULL ||
        h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-wp-nonce"), -1) != -1 || origin_of(req, &n) != NULL)
        return 0;
    struct cached_page *cp = page_cache_get(c->t->cache, req->path.base, req->path.len, (uint64_t)c->now);
    if (cp == NULL)
        return 0;
    public_headers(req);
    page_send(req, cp);
    c->sent = 1;
    return 1;
}

void api_handle(struct page_ctx *c)
{
    struct api_ctx a;
    h2o_req_t *req = c->req;
    if (from_cache(c))
        return;
    if (api_begin(c, &a) < 0)
        goto out;
    cors(&a);
    if (a.method == API_OPTIONS &&
        h2o_find_header_by_str(&req->headers, H2O_STRLIT("access-control-request-method"), -1) != -1) {
        preflight(&a);
        goto out;
    }
    /* a public GET answered before: from the cache */
    if (a.method == API_GET && http_req_header(req, H2O_TOKEN_AUTHORIZATION, &(size_t){0}) == NULL &&
        h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-wp-nonce"), -1) == -1) {
        struct cached_page *cp = page_cache_get(c->t->cache, req->path.base, req->path.len, (uint64_t)c->now);
        if (cp != NULL) {
            a.cache = 1;
            common_headers(&a);
            page_send(req, cp);
            c->sent = 1;
            goto out;
        }
    }
    int rc = api_authenticate(&a);
    if (rc < 0)
        goto out;
    if (rc > 0 && (a.method == API_GET || a.method == API_OPTIONS))
        api_read_as(&a); /* the password is checked off the loop, then the read runs as its user */
    else
        api_dispatch(&a);
out:
    api_end(&a);
}
