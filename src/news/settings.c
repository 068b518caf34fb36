/* Site settings with their defaults (docs/reader-site.md). A key that is not listed here is
 * refused, so a typo on the command line is an error and not a silent no-op. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "news/settings.h"

#include "lib/tz.h"
#include "news/identity.h"
#include "news/permalink.h"
#include "news/seo.h"

static const struct setting_def known[] = {
    {"site_title", "Gazette", 0, 0, 0},
    {"site_tagline", "", 0, 0, 0},
    {"site_url", "http://127.0.0.1:8080", 0, 0, 0},
    {"posts_per_page", "10", 1, 1, 1000},
    {"posts_per_rss", "10", 1, 1, 1000},
    {"thread_depth", "5", 1, 1, 100},
    {"comment_hold_first", "1", 1, 0, 1},
    {"comment_max_links", "2", 1, 0, 1000000},
    {"comment_flood_seconds", "15", 1, 0, 86400 * 365},
    {"timezone", "UTC", 0, 0, 0},
    {"permalink_structure", "/%year%/%monthnum%/%day%/%postname%/", 0, 0, 0},
    {"comment_require_name_email", "1", 1, 0, 1},
    {"comment_close_days", "0", 1, 0, 36500},
    {"comment_disallowed_keys", "", 0, 0, 0},
    {"comment_moderation_keys", "", 0, 0, 0},
    {"session_hours", "12", 1, 1, 8760},
    {"page_comments", "1", 1, 0, 1},
    {"comments_per_page", "50", 1, 1, 1000},
    {"default_comments_page", "newest", 0, 0, 0},
    {"request_budget_ms", "1000", 1, 10, 600000},
    {"cache_control", "public, max-age=60, stale-while-revalidate=600", 0, 0, 0},
    {"hsts", "", 0, 0, 0},
    /* the site's identity for browsers, search engines and social sites (news/identity.c, news/seo.c) */
    {"site_language", "en-US", 0, 0, 0}, /* <html lang>, og:locale, feeds and the news sitemap */
    {"blog_public", "1", 1, 0, 1},       /* 0: ask search engines not to index the site */
    {"site_icon", "", 0, 0, 0},          /* path of a square image: favicon, touch and manifest icons */
    {"site_logo", "", 0, 0, 0},          /* path of the publisher's logo (structured data) */
    {"social_image", "", 0, 0, 0},       /* path of the image shown when a page is shared */
    {"media_max_bytes", "33554432", 1, 1024, 62914560},  /* an upload's file: 32 MiB */
    {"media_max_pixels", "100000000", 1, 1, 1000000000}, /* width times height, read from the header */
    {"media_max_side", "16383", 1, 16, 16383},           /* WebP's largest side */
};

const struct setting_def *settings_known(size_t *n)
{
    *n = sizeof(known) / sizeof(known[0]);
    return known;
}

static const struct setting_def *find(const char *key)
{
    for (size_t i = 0; key != NULL && i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(known[i].key, key) == 0)
            return &known[i];
    return NULL;
}

/* Parses a decimal integer in [min, max]; 0 or -EINVAL. */
static int parse_int(const struct setting_def *d, const char *s, int64_t *out)
{
    char *end;
    if (s == NULL || *s == '\0' || !((*s >= '0' && *s <= '9') || *s == '-'))
        return -EINVAL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < d->min || v > d->max)
        return -EINVAL;
    *out = v;
    return 0;
}

int setting_get(struct db *db, const char *key, char **out)
{
    const struct setting_def *d = find(key);
    char *v = NULL;
    if (d == NULL)
        return -ENOENT;
    int ret = db_setting_get(db, key, &v);
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

int setting_get_int(struct db *db, const char *key, int64_t *out)
{
    const struct setting_def *d = find(key);
    char *v = NULL;
    int64_t n;
    if (d == NULL || !d->is_int)
        return -ENOENT;
    int ret = setting_get(db, key, &v);
    if (ret < 0)
        return ret;
    if (parse_int(d, v, &n) < 0 && parse_int(d, d->def, &n) < 0)
        n = d->min; /* a default outside its own range: not reachable with the table above */
    free(v);
    *out = n;
    return 0;
}

/* A Cache-Control value: visible ASCII and spaces, at most SETTING_HEADER_MAX bytes (empty: none). */
static int header_value_ok(const char *v)
{
    size_t n = strlen(v);
    if (n > SETTING_HEADER_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] < 0x20 || v[i] > 0x7e)
            return 0;
    return 1;
}

/* An HSTS value: empty (none), or max-age=SECONDS with includeSubDomains and preload optional,
 * separated by "; ". */
static int hsts_ok(const char *v)
{
    if (*v == '\0')
        return 1;
    if (strncmp(v, "max-age=", 8) != 0 || v[8] < '0' || v[8] > '9')
        return 0;
    const char *p = v + 8;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p - (v + 8) > 10)
        return 0;
    static const char *const flags[] = {"; includeSubDomains", "; preload"};
    for (size_t i = 0; i < 2; i++)
        if (strncmp(p, flags[i], strlen(flags[i])) == 0)
            p += strlen(flags[i]);
    return *p == '\0';
}

int setting_set(struct db *db, const char *key, const char *value)
{
    const struct setting_def *d = find(key);
    int64_t n;
    if (d == NULL)
        return -ENOENT;
    if (value == NULL || strlen(value) > SETTING_VALUE_MAX || (d->is_int && parse_int(d, value, &n) < 0) ||
        (strcmp(key, "timezone") == 0 && tz_valid(value) < 0) ||
        (strcmp(key, "default_comments_page") == 0 && strcmp(value, "newest") != 0 && strcmp(value, "oldest") != 0) ||
        (strcmp(key, "cache_control") == 0 && !header_value_ok(value)) ||
        (strcmp(key, "hsts") == 0 && !hsts_ok(value)) || (strcmp(key, "site_language") == 0 && !seo_language_ok(value)))
        return -EINVAL;
    if (identity_is_image_setting(key)) { /* the images are made from the file and kept with it */
        char why[IMAGE_WHY_MAX];
        int ret = identity_setting_set(db, key, value, why);
        return ret == -ENOENT ? -EINVAL : ret;
    }
    struct permalink pl;
    if (strcmp(key, "permalink_structure") == 0 && permalink_parse(value, &pl) < 0)
        return -EINVAL;
    return db_setting_set(db, key, value);
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
