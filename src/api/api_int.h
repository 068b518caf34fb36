/* What the API's files share: the request context, argument checking, the answer (WordPress's
 * errors, paging headers, _fields, _embed) and each route family's handlers. Not for other
 * layers. */
#pragma once

#include <jansson.h>
#include <stdint.h>

#include "app/app_int.h"
#include "db/db.h"

#define API_PER_PAGE_MAX 100    /* per_page's maximum, as WordPress's */
#define API_LIST_MAX 100        /* values of a list argument (include, exclude, slug ...) */
#define API_MERGE_DEPTH 1000    /* posts read from each list a filter with several values merges */
#define API_ROUTE_MAX 256       /* bytes of a route ("/wp/v2/posts/12") */
#define API_SEGMENTS 5          /* segments of a route */
#define API_COMMENT_DEPTH 10000 /* deepest comment a post's list reaches (its index entries are skipped one by one) */
#define API_RECENT_MAX 1000     /* comments the site-wide comment list holds: the newest */
#define API_NAMESPACE "wp/v2"

enum api_method { API_GET = 1, API_POST = 2, API_PUT = 4, API_PATCH = 8, API_DELETE = 16, API_OPTIONS = 32 };

enum arg_type { ARG_INT, ARG_INTS, ARG_STR, ARG_STRS, ARG_ENUM, ARG_ENUMS, ARG_BOOL, ARG_DATE };

/* One argument of a route, as WordPress's endpoint args (the index and OPTIONS show them). */
struct api_arg {
    const char *name;
    enum arg_type type;
    const char *description;
    const char *const *choices; /* ARG_ENUM(S): NULL-terminated */
    int64_t min, max;           /* ARG_INT(S): bounds when min < max */
    const char *def;            /* the default as JSON text, or NULL */
};

/* An argument's value once checked. */
struct api_value {
    int present;
    int64_t i;                      /* ARG_INT, ARG_BOOL (0/1), ARG_DATE (seconds) */
    const char *s;                  /* ARG_STR, ARG_ENUM */
    int64_t ids[API_LIST_MAX];      /* ARG_INTS */
    const char *strs[API_LIST_MAX]; /* ARG_STRS, ARG_ENUMS */
    size_t n;
};

struct api_job;

struct api_ctx {
    struct page_ctx *c;
    h2o_req_t *req;
    enum api_method method;
    char route[API_ROUTE_MAX]; /* without the final slash: "/wp/v2/posts/12", "" for the index */
    const char *seg[API_SEGMENTS];
    size_t n_seg;
    char segbuf[API_ROUTE_MAX];
    struct user user;     /* id 0: anonymous */
    const char *site_url; /* without its final slash (the thread's site.url) */
    int edit;           /* context=edit */
    const char *embed;  /* _embed: NULL none, "" all, else a comma list of relations */
    const char *fields; /* _fields, or NULL */
    /* the checked arguments of the route */
    const struct api_arg *args;
    size_t n_args;
    struct api_value *vals;
    /* the answer */
    int64_t total, pages;    /* collections: X-WP-Total, X-WP-TotalPages (total < 0: none) */
    struct buf link;         /* the Link header */
    int cache;               /* the answer is the same for every anonymous caller */
    struct api_job *pending; /* Basic authentication under way (write.c) */
    int cors_credentials;    /* the Origin is one of api_cors_origins */
};

/* A route: its WordPress pattern (for the index) and what it does. */
struct api_route {
    const char *pattern; /* "/wp/v2/posts/(?P<id>[\\d]+)" */
    const char *base;    /* "posts": the segment after wp/v2 ("" for the namespace) */
    int item;            /* 0 collection; 1 numeric id; 2 a name (types/post); 3 "me" */
    const struct api_arg *args;
    size_t n_args;
    const char *schema; /* the item schema as JSON text (NULL: none) */
    unsigned methods;   /* what it answers besides GET (enum api_method bits) */
    void (*get)(struct api_ctx *a, int64_t id, const char *name);
};

/* ---- api.c ---- */
/* Sends a WordPress error {code, message, data: {status}} (extra joins data when not NULL;
 * consumed). */
void api_error(struct api_ctx *a, int status, const char *code, const char *message, json_t *extra);
/* Answers 400 rest_invalid_param naming the parameters of invalid ({name: why}) and returns 1,
 * or returns 0 when it is empty. Consumes invalid. */
int api_invalid(struct api_ctx *a, json_t *invalid);
/* Answers 503 rest_db: the database failed. */
void api_db_fail(struct api_ctx *a);
/* Answers 400 with code and returns 1 when page is past the last of total items. */
int api_past_end(struct api_ctx *a, int64_t total, int64_t page, int64_t per_page, const char *code);
/* Sends body (consumed) as the answer: _fields and _embed applied, paging headers, cached when
 * a->cache. */
void api_send(struct api_ctx *a, int status, json_t *body);
/* The checked value of argument name of the route (present 0 when absent). */
const struct api_value *api_val(const struct api_ctx *a, const char *name);
/* The argument's integer, or def when absent. */
int64_t api_int(const struct api_ctx *a, const char *name, int64_t def);
/* The full URL of path (starting with '/') on this site, into a JSON string. */
json_t *api_url(const struct api_ctx *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* {"href": URL} in an array, with embeddable when set. */
json_t *api_link(const struct api_ctx *a, int embeddable, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Sets X-WP-Total, X-WP-TotalPages and the Link rel=prev/next header for page of per_page. */
void api_paging(struct api_ctx *a, int64_t total, int64_t page, int64_t per_page);
/* "2026-05-04T11:30:00" in the site's zone, and in UTC. */
json_t *api_date(const struct api_ctx *a, int64_t t);
json_t *api_date_gmt(int64_t t);
/* s[0..n) escaped for HTML, as a JSON string. */
json_t *api_html_text(const char *s);
/* The WordPress name of a post status ("publish", "future" ...) and back (-EINVAL). */
const char *api_status_name(enum post_status s);
int api_status_parse(const char *s, enum post_status *out);
/* The context argument every route has. */
extern const char *const api_contexts[];
#define api_context_arg_init                                                                                           \
    {                                                                                                                  \
        "context", ARG_ENUM, "Scope under which the request is made; determines fields present in response.",          \
            api_contexts, 0, 0, "\"view\""                                                                             \
    }
/* 1 when _embed asks for relation rel. */
int api_embeds(const struct api_ctx *a, const char *rel);

/* Reads a request's route, method and query into a (0), or answers (-1). Every api_begin is
 * followed by api_end, which frees what it holds. */
int api_begin(struct page_ctx *c, struct api_ctx *a);
void api_end(struct api_ctx *a);
/* Answers the request a holds, as a->user. */
void api_dispatch(struct api_ctx *a);
/* "2026-05-04T09:30:00" in the site's zone (or zone), or with Z or an offset, into *out. */
int api_parse_date(const struct api_ctx *a, const char *s, int64_t *out);
int api_parse_date_zone(const char *zone, const char *s, int64_t *out);

/* ---- write.c ---- */
/* Who the request is: 0 anonymous or a->user (a newsroom session with its X-WP-Nonce); 1 an
 * application password to check (a->pending); -1 after answering a refusal. */
int api_authenticate(struct api_ctx *a);
/* A POST, PUT, PATCH or DELETE on the route of base (id 0: the collection): checked here, run by
 * the writer, answered when stored. */
void api_write(struct api_ctx *a, const char *base, int64_t id);
/* A read by an application password: checked off the loop, then dispatched as its user. */
void api_read_as(struct api_ctx *a);
void api_pending_free(struct api_ctx *a);

/* ---- posts.c ---- */
void api_posts_get(struct api_ctx *a, int64_t id, const char *name);
void api_pages_get(struct api_ctx *a, int64_t id, const char *name);
void api_search_get(struct api_ctx *a, int64_t id, const char *name);
/* A post as the API shows it (with _links; _embedded when asked). */
json_t *api_post_json(struct api_ctx *a, const struct post *p);

/* ---- objects.c ---- */
void api_categories_get(struct api_ctx *a, int64_t id, const char *name);
void api_tags_get(struct api_ctx *a, int64_t id, const char *name);
void api_comments_get(struct api_ctx *a, int64_t id, const char *name);
void api_users_get(struct api_ctx *a, int64_t id, const char *name);
void api_types_get(struct api_ctx *a, int64_t id, const char *name);
void api_statuses_get(struct api_ctx *a, int64_t id, const char *name);
json_t *api_user_json(struct api_ctx *a, const struct user *u);
json_t *api_term_json(struct api_ctx *a, const struct term *t);
json_t *api_comment_json(struct api_ctx *a, const struct comment *cm);
void api_settings_get(struct api_ctx *a, int64_t id, const char *name);
/* The Gazette setting behind a WordPress setting's name (title, description, url, timezone,
 * posts_per_page), or NULL; *is_int says whether it is a number. */
const char *api_setting_key(const char *wp_name, int *is_int);
/* 1 when the caller may change the site's settings; else answers 401 or 403 and returns 0. */
int api_may_manage(struct api_ctx *a);

/* ---- media.c ---- */
struct medium;
void api_media_get(struct api_ctx *a, int64_t id, const char *name);
/* A medium (with its copies) as an attachment; post is the newest post that shows it (0: none,
 * negative: the field is left out, as in embeds). */
json_t *api_medium_json(struct api_ctx *a, const struct medium *m, int64_t post);

/* ---- routes.c ---- */
/* The routes, in the index's order; *n gets their number. */
const struct api_route *api_routes(size_t *n);
