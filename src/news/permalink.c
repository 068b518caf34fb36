/* Permalink structures (see permalink.h): parsing and checking a structure, making a post's path
 * from it and matching a request path against it. Pure string work; the thread's structure in
 * use is a thread-local pointer set when the site settings load. */
#include "news/permalink.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/slug.h"
#include "lib/timeutil.h"

static const struct {
    const char *name;
    enum permalink_tag tag;
} tags[] = {
    {"%year%", PERMALINK_YEAR},         {"%monthnum%", PERMALINK_MONTHNUM}, {"%day%", PERMALINK_DAY},
    {"%postname%", PERMALINK_POSTNAME}, {"%post_id%", PERMALINK_POST_ID},   {"%category%", PERMALINK_CATEGORY},
};

static _Thread_local const struct permalink *current;

static bool literal_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int permalink_parse(const char *s, struct permalink *out)
{
    size_t len = s ? strnlen(s, PERMALINK_MAX_LEN + 1) : 0;
    unsigned seen = 0;
    memset(out, 0, sizeof(*out));
    if (len < 2 || len > PERMALINK_MAX_LEN || s[0] != '/' || s[len - 1] != '/')
        return -EINVAL;
    size_t i = 1;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != '/')
            j++;
        if (j == i || out->n == PERMALINK_MAX_SEGMENTS)
            return -EINVAL;
        struct permalink_seg *sg = &out->seg[out->n];
        size_t k, n = j - i;
        if (s[i] == '%') {
            for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++)
                if (strlen(tags[k].name) == n && memcmp(tags[k].name, s + i, n) == 0)
                    break;
            if (k == sizeof(tags) / sizeof(tags[0]) || (seen & (1u << tags[k].tag)))
                return -EINVAL;
            seen |= 1u << tags[k].tag;
            sg->tag = tags[k].tag;
        } else {
            if (n > PERMALINK_MAX_LITERAL)
                return -EINVAL;
            for (k = 0; k < n; k++)
                if (!literal_char(s[i + k]))
                    return -EINVAL;
            sg->tag = PERMALINK_LITERAL;
            memcpy(sg->lit, s + i, n);
            sg->lit[n] = '\0';
        }
        out->n++;
        i = j + 1;
    }
    if (!(seen & (1u << PERMALINK_POSTNAME)) && !(seen & (1u << PERMALINK_POST_ID)))
        return -EINVAL;
    return 0;
}

const struct permalink *permalink_default(void)
{
    static const struct permalink def = {
        4, {{PERMALINK_YEAR, ""}, {PERMALINK_MONTHNUM, ""}, {PERMALINK_DAY, ""}, {PERMALINK_POSTNAME, ""}}};
    return &def;
}

int permalink_is_default(const struct permalink *pl)
{
    const struct permalink *d = permalink_default();
    if (pl->n != d->n)
        return 0;
    for (size_t i = 0; i < pl->n; i++)
        if (pl->seg[i].tag != d->seg[i].tag)
            return 0;
    return 1;
}

int permalink_format(const struct permalink *pl, const struct post *p, char *out, size_t cap)
{
    int y, m, d;
    size_t len = 0;
    time_utc_date(p->published_at, &y, &m, &d);
    if (cap < 2)
        return -ENOSPC;
    out[len++] = '/';
    out[len] = '\0';
    for (size_t i = 0; i < pl->n; i++) {
        const struct permalink_seg *sg = &pl->seg[i];
        int w;
        switch (sg->tag) {
        case PERMALINK_YEAR:
            w = snprintf(out + len, cap - len, "%04d/", y);
            break;
        case PERMALINK_MONTHNUM:
            w = snprintf(out + len, cap - len, "%02d/", m);
            break;
        case PERMALINK_DAY:
            w = snprintf(out + len, cap - len, "%02d/", d);
            break;
        case PERMALINK_POSTNAME:
            w = snprintf(out + len, cap - len, "%s/", p->slug ? p->slug : "");
            break;
        case PERMALINK_POST_ID:
            w = snprintf(out + len, cap - len, "%lld/", (long long)p->id);
            break;
        case PERMALINK_CATEGORY:
            w = snprintf(out + len, cap - len, "%s/",
                         p->category_slug && p->category_slug[0] ? p->category_slug : "uncategorized");
            break;
        default:
            w = snprintf(out + len, cap - len, "%s/", sg->lit);
            break;
        }
        if (w < 0 || (size_t)w >= cap - len)
            return -ENOSPC;
        len += (size_t)w;
    }
    return (int)len;
}

/* A decimal of exactly `digits` digits (0: 1 to 18 digits). */
static bool number(const char *s, size_t n, size_t digits, int64_t *out)
{
    if (n == 0 || (digits ? n != digits : n > 18))
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool slug_ok(const char *s, size_t n)
{
    if (n == 0 || n > SLUG_MAX || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || s[i] == 0x7f)
            return false;
    return true;
}

int permalink_match(const struct permalink *pl, const char *path, size_t n, struct permalink_match *m)
{
    size_t i = 1, k = 0;
    memset(m, 0, sizeof(*m));
    if (n < 2 || path[0] != '/' || path[n - 1] != '/')
        return -ENOENT;
    while (i < n) {
        size_t j = i;
        while (j < n && path[j] != '/')
            j++;
        if (j == i || k == pl->n)
            return -ENOENT;
        const char *s = path + i;
        size_t len = j - i;
        int64_t v;
        switch (pl->seg[k].tag) {
        case PERMALINK_YEAR:
            if (!number(s, len, 4, &v) || v < 1000)
                return -ENOENT;
            m->year = (int)v;
            break;
        case PERMALINK_MONTHNUM:
            if (!number(s, len, 2, &v) || v < 1 || v > 12)
                return -ENOENT;
            m->month = (int)v;
            break;
        case PERMALINK_DAY:
            if (!number(s, len, 2, &v) || v < 1 || v > 31)
                return -ENOENT;
            m->day = (int)v;
            break;
        case PERMALINK_POST_ID:
            if (!number(s, len, 0, &v) || v < 1)
                return -ENOENT;
            m->id = v;
            break;
        case PERMALINK_POSTNAME:
            if (!slug_ok(s, len))
                return -ENOENT;
            m->slug = s, m->slug_len = len;
            break;
        case PERMALINK_CATEGORY:
            if (!slug_ok(s, len))
                return -ENOENT;
            m->category = s, m->category_len = len;
            break;
        default:
            if (strlen(pl->seg[k].lit) != len || memcmp(pl->seg[k].lit, s, len) != 0)
                return -ENOENT;
            break;
        }
        k++;
        i = j + 1;
    }
    if (k != pl->n) {
        memset(m, 0, sizeof(*m));
        return -ENOENT;
    }
    return 0;
}

void permalink_use(const struct permalink *pl)
{
    current = pl;
}

const struct permalink *permalink_current(void)
{
    return current ? current : permalink_default();
}
