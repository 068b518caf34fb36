/* Site settings with their defaults (docs/reader-site.md, docs/newsroom.md): the table below is
 * the only list of them. A key that is not listed is refused, so a typo on the command line is
 * an error and not a silent no-op. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "news/settings.h"

#include "db/newsroom.h"
#include "lib/tz.h"
#include "news/identity.h"
#include "news/permalink.h"
#include "news/seo.h"

#define DEFAULT_SITE_URL "http://127.0.0.1:8080"
#define LISTEN_URL_KEY "listen_url" /* site_state: where the server last listened */

/* ---- checks beyond the type --------------------------------------------------------------- */

static const char *not_empty(struct db *db, const char *v)
{
    (void)db;
    return v[0] == '\0' ? "The site needs a title." : NULL;
}

static const char *site_url_ok(struct db *db, const char *v)
{
    (void)db;
    if (v[0] == '\0')
        return NULL; /* follow the server's address */
    if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
        return "Enter an address that starts with http:// or https://, or leave it empty to follow the "
               "address the server listens on.";
    const char *host = strstr(v, "//") + 2;
    if (host[0] == '\0' || host[0] == '/')
        return "The address needs a host name after http:// or https://.";
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '<' || *p == '>' || *p == 0x7f)
            return "The address may not hold spaces, quotes or angle brackets.";
    return NULL;
}

static const char *timezone_ok(struct db *db, const char *v)
{
    (void)db;
    return tz_valid(v) < 0 ? "Enter UTC or a time zone name such as Europe/Paris (one under /usr/share/zoneinfo)."
                           : NULL;
}

static const char *permalink_ok(struct db *db, const char *v)
{
    struct permalink pl;
    (void)db;
    return permalink_parse(v, &pl) < 0
               ? "Start and end with /, include %postname% or %post_id%, and make each part between slashes one "
                 "tag (%year% %monthnum% %day% %postname% %post_id% %category%) or a word of a-z 0-9 - _."
               : NULL;
}

/* A Cache-Control value: visible ASCII and spaces, at most SETTING_HEADER_MAX bytes (empty: none). */
static const char *header_value_ok(struct db *db, const char *v)
{
    (void)db;
    for (const char *p = v; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            return "Use plain ASCII without control characters, or leave it empty to send none.";
    return NULL;
}

/* An HSTS value: empty (none), or max-age=SECONDS with includeSubDomains and preload optional,
 * separated by "; ". */
static const char *hsts_ok(struct db *db, const char *v)
{
    static const char why[] = "Leave it empty, or write max-age=SECONDS, optionally followed by "
                              "\"; includeSubDomains\" and \"; preload\".";
    (void)db;
    if (*v == '\0')
        return NULL;
    if (strncmp(v, "max-age=", 8) != 0 || v[8] < '0' || v[8] > '9')
        return why;
    const char *p = v + 8;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p - (v + 8) > 10)
        return why;
    static const char *const flags[] = {"; includeSubDomains", "; preload"};
    for (size_t i = 0; i < 2; i++)
        if (strncmp(p, flags[i], strlen(flags[i])) == 0)
            p += strlen(flags[i]);
    return *p == '\0' ? NULL : why;
}

static const char *language_ok(struct db *db, const char *v)
{
    (void)db;
    return seo_language_ok(v) ? NULL : "Enter a language tag such as en-US, fr or pt-BR.";
}

static const char *category_ok(struct db *db, const char *v)
{
    struct term t = {0};
    char *end;
    if (v[0] == '\0')
        return NULL;
    long long id = strtoll(v, &end, 10);
    int ok = *end == '\0' && id > 0 && db_term_get(db, id, &t) == 0 && t.taxonomy == TERM_CATEGORY;
    term_clear(&t);
    return ok ? NULL : "Choose one of the site's categories.";
}

/* site_url until the owner sets it: the address the server last listened on. */
static int listen_url(struct db *db, char **out)
{
    unsigned char *v = NULL;
    size_t n = 0;
    int ret = db_state_get(db, LISTEN_URL_KEY, &v, &n);
    if (ret == -ENOENT || (ret == 0 && (n == 0 || memchr(v, '\0', n) != NULL))) {
        free(v);
        if ((v = (unsigned char *)strdup(DEFAULT_SITE_URL)) == NULL)
            abort();
        ret = 0;
    }
    if (ret == 0)
        *out = (char *)v;
    return ret;
}

/* ---- the table ------------------------------------------------------------------------------ */

static const char *const comment_pages[] = {"newest", "oldest", NULL};

static const struct setting_def known[] = {
    /* Site */
    {"site_title", SETTING_TEXT, "Gazette", .section = SETTINGS_SITE, .label = "Site title",
     .help = "The name at the top of every page and in feeds.", .check = not_empty, .max_len = 250},
    {"site_tagline", SETTING_TEXT, "", .section = SETTINGS_SITE, .label = "Tagline",
     .help = "A few words under the title; may be empty.", .max_len = 250},
    {"site_url", SETTING_URL, DEFAULT_SITE_URL, .section = SETTINGS_SITE, .label = "Site address (URL)",
     .help = "Where readers reach the site (feeds and the export link to it); empty follows the address the "
             "server listens on. https makes the login cookie Secure.",
     .check = site_url_ok, .computed = listen_url, .max_len = SETTING_URL_MAX},
    /* the site's identity for browsers, search engines and social sites (news/identity.c, news/seo.c) */
    {"site_language", SETTING_TEXT, "en-US", .section = SETTINGS_SITE, .label = "Site language",
     .help = "A language tag such as en-US, fr or pt-BR: the pages' lang, og:locale, the feeds and the news "
             "sitemap.",
     .check = language_ok, .max_len = SEO_LANG_MAX - 1},
    {"site_icon", SETTING_IMAGE, "", .section = SETTINGS_SITE, .label = "Site icon",
     .help = "Full path on the server of a square image, at least 512 × 512: favicon and app icons.", .max_len = 1024},
    {"site_logo", SETTING_IMAGE, "", .section = SETTINGS_SITE, .label = "Publisher logo",
     .help = "Full path on the server of an image: the logo search engines show with articles.", .max_len = 1024},
    {"social_image", SETTING_IMAGE, "", .section = SETTINGS_SITE, .label = "Default social image",
     .help = "Full path on the server of an image, at least 200 × 200 (1200 wide is best), shown when a page is "
             "shared.",
     .max_len = 1024},
    /* Writing */
    {"default_category", SETTING_CATEGORY, "", .section = SETTINGS_WRITING, .label = "Default category",
     .help = "Posts left without a category when one is deleted get this one (empty: Uncategorized).",
     .check = category_ok},
    {"media_max_bytes", SETTING_INT, "33554432", 1024, 62914560, .section = SETTINGS_WRITING,
     .label = "Largest image upload (bytes)", .help = "A larger file is refused before it is read (32 MiB: 33554432)."},
    {"media_max_pixels", SETTING_INT, "100000000", 1, 1000000000, .section = SETTINGS_WRITING,
     .label = "Largest image (pixels)",
     .help = "Width times height, read from the file's header before any pixel is decoded."},
    {"media_max_side", SETTING_INT, "16383", 16, 16383, .section = SETTINGS_WRITING,
     .label = "Longest side of an image (pixels)", .help = "At most 16383, WebP's largest side."},
    /* Reading */
    {"posts_per_page", SETTING_INT, "10", 1, 1000, .section = SETTINGS_READING, .label = "Posts per page",
     .help = "How many posts the home page and archives show at a time."},
    {"posts_per_rss", SETTING_INT, "10", 1, 1000, .section = SETTINGS_READING, .label = "Posts per feed",
     .help = "How many of the newest posts each feed carries."},
    {"blog_public", SETTING_BOOL, "1", .section = SETTINGS_READING, .label = "Let search engines index this site",
     .help = "Off: every page says noindex and robots.txt disallows everything."},
    /* Discussion */
    {"comment_require_name_email", SETTING_BOOL, "1", .section = SETTINGS_DISCUSSION,
     .label = "Comment author must fill out name and email", .help = "Off: readers may comment without them."},
    {"comment_hold_first", SETTING_BOOL, "1", .section = SETTINGS_DISCUSSION,
     .label = "Hold a commenter's first comment for moderation",
     .help = "Later comments from someone with an approved one appear at once."},
    {"comment_max_links", SETTING_INT, "2", 0, 1000000, .section = SETTINGS_DISCUSSION,
     .label = "Hold a comment with more links than", .help = "A comment with more links waits for a moderator."},
    {"thread_depth", SETTING_INT, "5", 1, 100, .section = SETTINGS_DISCUSSION, .label = "Threaded comments levels deep",
     .help = "Replies deeper than this are shown at the last level."},
    {"comment_close_days", SETTING_INT, "0", 0, 36500, .section = SETTINGS_DISCUSSION,
     .label = "Close comments on posts older than (days)", .help = "0 keeps comments open for ever."},
    {"comment_flood_seconds", SETTING_INT, "15", 0, 86400 * 365, .section = SETTINGS_DISCUSSION,
     .label = "Seconds between two comments from one address", .help = "0 turns the flood check off."},
    {"page_comments", SETTING_BOOL, "1", .section = SETTINGS_DISCUSSION, .label = "Break comments into pages",
     .help = "Long threads are shown a page at a time."},
    {"comments_per_page", SETTING_INT, "50", 1, 1000, .section = SETTINGS_DISCUSSION,
     .label = "Top level comments per page", .help = "With the replies of each."},
    {"default_comments_page", SETTING_CHOICE, "newest", .choices = comment_pages, .section = SETTINGS_DISCUSSION,
     .label = "Page of comments shown first", .help = "newest (the last page) or oldest (the first)."},
    {"comment_moderation_keys", SETTING_LINES, "", .section = SETTINGS_DISCUSSION,
     .label = "Hold for moderation comments containing",
     .help = "One word or phrase a line, matched in the name, email, website, text and IP."},
    {"comment_disallowed_keys", SETTING_LINES, "", .section = SETTINGS_DISCUSSION,
     .label = "Send to spam comments containing", .help = "One word or phrase a line, matched as above."},
    /* Permalinks */
    {"permalink_structure", SETTING_TEXT, "/%year%/%monthnum%/%day%/%postname%/", .section = SETTINGS_PERMALINKS,
     .label = "Permalink structure",
     .help = "Tags: %year% %monthnum% %day% %postname% %post_id% %category%. Old addresses answer with a 301.",
     .check = permalink_ok, .max_len = 128},
    /* Time */
    {"timezone", SETTING_TEXT, "UTC", .section = SETTINGS_TIME, .label = "Time zone",
     .help = "Dates are shown and entered in it: UTC or a name such as Europe/Paris.", .check = timezone_ok,
     .max_len = 64},
    /* Newsroom */
    {"session_hours", SETTING_INT, "12", 1, 8760, .section = SETTINGS_NEWSROOM,
     .label = "Log newsroom users out after (hours)", .help = "How long a login lasts."},
    /* HTTP */
    {"cache_control", SETTING_TEXT, "public, max-age=60, stale-while-revalidate=600", .section = SETTINGS_HTTP,
     .label = "Cache-Control of public pages",
     .help = "What browsers and proxies may keep; empty sends none. Newsroom pages are never kept.",
     .check = header_value_ok, .max_len = SETTING_HEADER_MAX},
    {"hsts", SETTING_TEXT, "", .section = SETTINGS_HTTP, .label = "Strict-Transport-Security (HTTPS only)",
     .help = "For example max-age=31536000; empty sends none.", .check = hsts_ok, .max_len = 64},
    {"request_budget_ms", SETTING_INT, "1000", 10, 600000, .section = SETTINGS_HTTP,
     .label = "Database time one request may take (ms)", .help = "Past it the reader gets a 503 and a retry."},
    /* API (the JSON API under /wp-json/, docs/api.md) */
    {"api_anonymous_comments", SETTING_BOOL, "1", .section = SETTINGS_API, .label = "Take comments from visitors",
     .help = "Comments sent to the API without a login follow the reader form's rules; off refuses them."},
    {"api_app_passwords_http", SETTING_BOOL, "0", .section = SETTINGS_API,
     .label = "Accept application passwords over plain HTTP", .help = "Off: only over HTTPS, or from this machine."},
    {"api_cors_origins", SETTING_TEXT, "", .section = SETTINGS_API, .label = "Origins allowed signed-in requests",
     .help = "Space separated, such as https://app.example.com. Public data may be read from any origin.",
     .check = header_value_ok, .max_len = SETTING_HEADER_MAX},
};

static const char *const section_titles[SETTINGS_SECTIONS] = {
    "Site", "Writing", "Reading", "Discussion", "Permalinks", "Time", "Newsroom", "HTTP (caching and limits)", "API"};

const struct setting_def *settings_known(size_t *n)
{
    *n = sizeof(known) / sizeof(known[0]);
    return known;
}

const struct setting_def *setting_find(const char *key)
{
    for (size_t i = 0; key != NULL && i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(known[i].key, key) == 0)
            return &known[i];
    return NULL;
}

const char *setting_section_title(enum setting_section s)
{
    return (unsigned)s < SETTINGS_SECTIONS ? section_titles[s] : "Other";
}

static size_t max_len(const struct setting_def *d)
{
    return d->max_len ? d->max_len : SETTING_VALUE_MAX;
}

void setting_rule(const struct setting_def *d, char *out, size_t cap)
{
    switch (d->type) {
    case SETTING_INT:
        snprintf(out, cap, "a whole number from %lld to %lld", (long long)d->min, (long long)d->max);
        break;
    case SETTING_BOOL:
        snprintf(out, cap, "1 (on) or 0 (off)");
        break;
    case SETTING_CHOICE: {
        size_t k = (size_t)snprintf(out, cap, "one of:");
        for (size_t i = 0; d->choices[i] != NULL && k < cap; i++)
            k += (size_t)snprintf(out + k, cap - k, "%s %s", i ? "," : "", d->choices[i]);
        break;
    }
    case SETTING_URL:
        snprintf(out, cap, "an address starting with http:// or https:// (at most %zu bytes)", max_len(d));
        break;
    case SETTING_CATEGORY:
        snprintf(out, cap, "the id of a category, or nothing");
        break;
    case SETTING_IMAGE:
        snprintf(out, cap, "the path of a JPEG, PNG, WebP or GIF file on the server, or nothing");
        break;
    default:
        snprintf(out, cap, "text of at most %zu bytes", max_len(d));
    }
}

/* Parses a decimal integer in [min, max] (a switch: 0 or 1); 0 or -EINVAL. */
static int parse_int(const struct setting_def *d, const char *s, int64_t *out)
{
    int64_t min = d->type == SETTING_BOOL ? 0 : d->min, max = d->type == SETTING_BOOL ? 1 : d->max;
    char *end;
    if (s == NULL || *s == '\0' || !((*s >= '0' && *s <= '9') || *s == '-'))
        return -EINVAL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -EINVAL;
    *out = v;
    return 0;
}

int setting_get(struct db *db, const char *key, char **out)
{
    const struct setting_def *d = setting_find(key);
    char *v = NULL;
    if (d == NULL)
        return -ENOENT;
    int ret = db_setting_get(db, key, &v);
    if (ret == -ENOENT && d->computed != NULL)
        return d->computed(db, out);
    if (ret == -ENOENT) {
        v = strdup(d->def);
        if (v == NULL)
            abort();
        ret = 0;
    }
    if (ret == 0)
        *out = v;
    return ret;
}

int setting_is_set(struct db *db, const char *key, int *out)
{
    char *v = NULL;
    if (setting_find(key) == NULL)
        return -ENOENT;
    int ret = db_setting_get(db, key, &v);
    free(v);
    if (ret < 0 && ret != -ENOENT)
        return ret;
    *out = ret == 0;
    return 0;
}

int setting_get_int(struct db *db, const char *key, int64_t *out)
{
    const struct setting_def *d = setting_find(key);
    char *v = NULL;
    int64_t n;
    if (d == NULL || (d->type != SETTING_INT && d->type != SETTING_BOOL))
        return -ENOENT;
    int ret = setting_get(db, key, &v);
    if (ret < 0)
        return ret;
    if (parse_int(d, v, &n) < 0 && parse_int(d, d->def, &n) < 0)
        n = d->type == SETTING_BOOL ? 0 : d->min; /* a default outside its own range: not in the table */
    free(v);
    *out = n;
    return 0;
}

int setting_check(struct db *db, const char *key, const char *value, char *why, size_t cap)
{
    const struct setting_def *d = setting_find(key);
    char rule[SETTING_WHY_MAX];
    const char *msg = NULL;
    int64_t n;
    if (d == NULL)
        return -ENOENT;
    if (value == NULL || strlen(value) > max_len(d)) {
        if (why != NULL)
            snprintf(why, cap, "This is too long: at most %zu bytes.", max_len(d));
        return -EINVAL;
    }
    int bad = 0;
    switch (d->type) {
    case SETTING_INT:
        bad = parse_int(d, value, &n) < 0;
        break;
    case SETTING_BOOL:
        bad = strcmp(value, "0") != 0 && strcmp(value, "1") != 0;
        break;
    case SETTING_CHOICE:
        bad = 1;
        for (size_t i = 0; d->choices[i] != NULL; i++)
            bad &= strcmp(value, d->choices[i]) != 0;
        break;
    case SETTING_TEXT:
    case SETTING_IMAGE:
        bad = strchr(value, '\n') != NULL || strchr(value, '\r') != NULL;
        break;
    default:
        break;
    }
    if (bad) {
        setting_rule(d, rule, sizeof(rule));
        if (why != NULL)
            snprintf(why, cap, "Enter %s.", d->type == SETTING_TEXT ? "one line of text" : rule);
        return -EINVAL;
    }
    if (d->check != NULL && (msg = d->check(db, value)) != NULL) {
        if (why != NULL)
            snprintf(why, cap, "%s", msg);
        return -EINVAL;
    }
    return 0;
}

int setting_set(struct db *db, const char *key, const char *value)
{
    int ret = setting_check(db, key, value, NULL, 0);
    if (ret < 0)
        return ret;
    const struct setting_def *d = setting_find(key);
    if (value[0] == '\0' && d->computed != NULL)
        return db_setting_delete(db, key);
    if (d->type == SETTING_IMAGE) { /* its images are made from the file and kept with it */
        char why[IMAGE_WHY_MAX];
        ret = identity_setting_set(db, key, value, why);
        return ret == -ENOENT ? -EINVAL : ret;
    }
    return db_setting_set(db, key, value);
}

int settings_make(const char *const *keys, const char *const *values, size_t n, struct identity_made *made,
                  char (*why)[SETTING_WHY_MAX])
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const struct setting_def *d = setting_find(keys[i]);
        char img[IMAGE_WHY_MAX] = "";
        why[i][0] = '\0';
        if (d == NULL || d->type != SETTING_IMAGE)
            continue;
        if (identity_make(keys[i], values[i], &made[i], img) < 0) {
            snprintf(why[i], SETTING_WHY_MAX, "%s", img[0] ? img : "The file could not be read as an image.");
            bad = 1;
        }
    }
    return bad ? -EINVAL : 0;
}

void settings_made_free(struct identity_made *made, size_t n)
{
    for (size_t i = 0; made != NULL && i < n; i++)
        identity_made_free(&made[i]);
}

/* Stores one checked value: a SETTING_IMAGE one with its images (made here when m is NULL; a
 * refused file writes why and gives -EINVAL). */
static int store(struct db *db, const char *key, const char *value, const struct identity_made *m, char *why)
{
    const struct setting_def *d = setting_find(key);
    if (d->type != SETTING_IMAGE)
        return setting_set(db, key, value);
    if (m != NULL)
        return identity_store(db, key, value, m);
    char img[IMAGE_WHY_MAX] = "";
    int ret = identity_setting_set(db, key, value, img);
    if (ret == -EINVAL || ret == -ENOENT) {
        snprintf(why, SETTING_WHY_MAX, "%s", img[0] ? img : "The file could not be read as an image.");
        ret = -EINVAL;
    }
    return ret;
}

int settings_save(struct db *db, const char *const *keys, const char *const *values, size_t n,
                  const struct identity_made *made, char (*why)[SETTING_WHY_MAX])
{
    int bad = 0, ret;
    for (size_t i = 0; i < n; i++) {
        why[i][0] = '\0';
        ret = setting_check(db, keys[i], values[i], why[i], SETTING_WHY_MAX);
        if (ret == -ENOENT)
            snprintf(why[i], SETTING_WHY_MAX, "There is no such setting.");
        else if (ret < 0 && ret != -EINVAL)
            return ret;
        bad |= ret < 0;
    }
    if (bad)
        return -EINVAL;
    if ((ret = db_begin(db)) < 0)
        return ret;
    for (size_t i = 0; i < n && ret == 0; i++)
        ret = store(db, keys[i], values[i], made ? &made[i] : NULL, why[i]);
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

int setting_permalink(struct db *db, struct permalink *out)
{
    char *structure = NULL;
    int rc = setting_get(db, "permalink_structure", &structure);
    if (rc < 0 || permalink_parse(structure, out) < 0)
        *out = *permalink_default();
    free(structure);
    return rc < 0 ? rc : 0;
}

int settings_listening(struct db *db, const char *url)
{
    return db_state_set(db, LISTEN_URL_KEY, url, strlen(url));
}
