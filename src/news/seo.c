/* The rules of news/seo.h: language tags checked by hand against the small subset of BCP 47 that
 * browsers, Open Graph and Google News agree on, descriptions cut between words, and the choice
 * of a post's preview image. */
#include "news/seo.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "news/media.h"

/* The length of the run of letters (alpha) or digits (!alpha) at s. */
static size_t run(const char *s, int alpha)
{
    size_t n = 0;
    while (s[n] != '\0' && (alpha ? isalpha((unsigned char)s[n]) : isdigit((unsigned char)s[n])) &&
           (unsigned char)s[n] < 0x80)
        n++;
    return n;
}

/* Splits tag into language, script and region; 0, or -EINVAL when it is not one we take. */
static int parse(const char *tag, const char **lang, size_t *ln, const char **script, size_t *sn, const char **region,
                 size_t *rn)
{
    if (tag == NULL || strlen(tag) >= SEO_LANG_MAX)
        return -EINVAL;
    const char *p = tag;
    *lang = p, *ln = run(p, 1), *script = NULL, *sn = 0, *region = NULL, *rn = 0;
    if (*ln < 2 || *ln > 3)
        return -EINVAL;
    p += *ln;
    if (*p == '-' && run(p + 1, 1) == 4 && (p[5] == '\0' || p[5] == '-')) {
        *script = p + 1, *sn = 4;
        p += 5;
    }
    if (*p == '-') {
        size_t a = run(p + 1, 1), d = run(p + 1, 0);
        if (a == 2 && p[3] == '\0')
            *region = p + 1, *rn = 2;
        else if (d == 3 && p[4] == '\0')
            *region = p + 1, *rn = 3;
        else
            return -EINVAL;
        p += 1 + *rn;
    }
    return *p == '\0' ? 0 : -EINVAL;
}

int seo_language_ok(const char *tag)
{
    const char *l, *s, *r;
    size_t ln, sn, rn;
    return parse(tag, &l, &ln, &s, &sn, &r, &rn) == 0;
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

void seo_og_locale(const char *tag, char out[SEO_LANG_MAX])
{
    const char *l, *s, *r;
    size_t ln, sn, rn;
    if (parse(tag, &l, &ln, &s, &sn, &r, &rn) < 0) {
        snprintf(out, SEO_LANG_MAX, "en_US");
        return;
    }
    snprintf(out, SEO_LANG_MAX, "%.*s", (int)ln, l);
    lower(out);
    if (rn > 0) {
        size_t k = strlen(out);
        snprintf(out + k, SEO_LANG_MAX - k, "_%.*s", (int)rn, r);
        for (char *c = out + k; *c; c++)
            *c = (char)toupper((unsigned char)*c);
    }
}

void seo_news_language(const char *tag, char out[SEO_LANG_MAX])
{
    const char *l, *s, *r;
    size_t ln, sn, rn;
    if (parse(tag, &l, &ln, &s, &sn, &r, &rn) < 0) {
        snprintf(out, SEO_LANG_MAX, "en");
        return;
    }
    snprintf(out, SEO_LANG_MAX, "%.*s", (int)ln, l);
    lower(out);
    if (strcmp(out, "zh") == 0) {
        int traditional =
            (sn == 4 && strncasecmp(s, "hant", 4) == 0) ||
            (rn == 2 && (strncasecmp(r, "tw", 2) == 0 || strncasecmp(r, "hk", 2) == 0 || strncasecmp(r, "mo", 2) == 0));
        snprintf(out, SEO_LANG_MAX, "%s", traditional ? "zh-tw" : "zh-cn");
    }
}

void seo_description(const char *text, struct buf *out)
{
    static const char more[] = "\xe2\x80\xa6";
    size_t n = text ? strlen(text) : 0;
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        n--;
    if (n <= SEO_DESCRIPTION_MAX) {
        buf_append(out, text ? text : "", n);
        return;
    }
    size_t k = SEO_DESCRIPTION_MAX - (sizeof(more) - 1);
    while (k > 0 && ((unsigned char)text[k] & 0xC0) == 0x80)
        k--; /* not inside a character */
    size_t cut = k;
    while (cut > k / 2 && text[cut] != ' ')
        cut--; /* between words, when a space is near */
    if (text[cut] != ' ')
        cut = k;
    while (cut > 0 && (text[cut - 1] == ' ' || strchr(".,;:", text[cut - 1]) != NULL))
        cut--;
    buf_append(out, text, cut);
    buf_puts(out, more);
}

void seo_post_description(const struct post *p, struct buf *out)
{
    if (p->password != NULL && p->password[0] != '\0')
        return; /* what a protected post says stays behind its password */
    seo_description(p->excerpt, out);
}

int seo_post_image(struct db *db, const struct post *p, const struct identity *site, struct identity_image *out)
{
    struct medium m = {0};
    if (media_featured(db, p, &m) == 0) {
        const char *format = media_fallback_format(&m);
        const struct media_copy *c = media_copy_for(&m, format, SEO_IMAGE_WIDTH);
        int ok = c != NULL && snprintf(out->path, sizeof(out->path), "/uploads/%s", c->path) < (int)sizeof(out->path);
        if (ok) {
            out->width = c->width;
            out->height = c->height;
            snprintf(out->content_type, sizeof(out->content_type), "image/%s", format);
        }
        medium_clear(&m);
        if (ok)
            return 0;
    }
    if (site->social.path[0] == '\0')
        return -ENOENT;
    *out = site->social;
    return 0;
}
