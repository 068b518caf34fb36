/* render/images.h: a scan for <img start tags, outside comments, whose attributes are read by the
 * HTML rules for a start tag (names up to = or space, values quoted with " or ', or unquoted up to
 * space or >). Only the tags whose src the lookup knows are written anew; the other attributes
 * of those tags (class, title ...) are copied as written. */
#include "render/images.h"

#include <string.h>
#include <strings.h>

#include "render/html.h"

#define ATTRS_MAX 32 /* attributes of one tag read; a tag with more passes through */

struct attr {
    const char *name, *value;
    size_t name_len, value_len;
    const char *start, *end; /* the whole attribute as written */
};

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Reads the attributes of the tag whose name ends at p; *end gets the position after '>'. Returns
 * the count, or -1 when the tag does not close or has too many. */
static int read_attrs(const char *p, const char *lim, struct attr *a, const char **end)
{
    int n = 0;
    for (;;) {
        while (p < lim && (space(*p) || *p == '/'))
            p++;
        if (p >= lim)
            return -1;
        if (*p == '>') {
            *end = p + 1;
            return n;
        }
        if (n == ATTRS_MAX)
            return -1;
        struct attr *x = &a[n++];
        memset(x, 0, sizeof(*x));
        x->start = x->name = p;
        while (p < lim && !space(*p) && *p != '=' && *p != '>' && !(*p == '/' && p + 1 < lim && p[1] == '>'))
            p++;
        x->name_len = (size_t)(p - x->name);
        const char *q = p;
        while (q < lim && space(*q))
            q++;
        if (q < lim && *q == '=') {
            q++;
            while (q < lim && space(*q))
                q++;
            if (q < lim && (*q == '"' || *q == '\'')) {
                const char *close = memchr(q + 1, *q, (size_t)(lim - q - 1));
                if (close == NULL)
                    return -1;
                x->value = q + 1;
                x->value_len = (size_t)(close - q - 1);
                p = close + 1;
            } else {
                x->value = q;
                while (q < lim && !space(*q) && *q != '>')
                    q++;
                x->value_len = (size_t)(q - x->value);
                p = q;
            }
        } else {
            x->value = "";
        }
        x->end = p;
    }
}

static const struct attr *find(const struct attr *a, int n, const char *name)
{
    size_t k = strlen(name);
    for (int i = 0; i < n; i++)
        if (a[i].name_len == k && strncasecmp(a[i].name, name, k) == 0)
            return &a[i];
    return NULL;
}

/* The attributes the rewrite writes itself. */
static int replaced(const struct attr *x)
{
    static const char *const names[] = {"src", "srcset", "sizes", "width", "height", "loading", "decoding", "alt"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (x->name_len == strlen(names[i]) && strncasecmp(x->name, names[i], x->name_len) == 0)
            return 1;
    return 0;
}

static void attr_out(struct buf *out, const char *name, const char *value)
{
    buf_printf(out, " %s=\"", name);
    html_escape(out, value, strlen(value));
    buf_append(out, "\"", 1);
}

static void note(int64_t id, int64_t *ids, size_t *n_ids)
{
    for (size_t i = 0; i < *n_ids; i++)
        if (ids[i] == id)
            return;
    if (*n_ids < HTML_IMAGES_MAX)
        ids[(*n_ids)++] = id;
}

int html_images(const char *html, size_t n, const char *sizes, html_image_lookup lookup, void *ctx, struct buf *out,
                int64_t *ids, size_t *n_ids)
{
    const char *p = html, *lim = html + n, *copied = html;
    size_t rewritten = 0;
    struct attr a[ATTRS_MAX];
    *n_ids = 0;
    while (p < lim) {
        const char *lt = memchr(p, '<', (size_t)(lim - p));
        if (lt == NULL)
            break;
        if (lim - lt >= 4 && memcmp(lt, "<!--", 4) == 0) { /* a comment: skipped whole */
            const char *close = memmem(lt + 4, (size_t)(lim - lt - 4), "-->", 3);
            p = close ? close + 3 : lim;
            continue;
        }
        const char *end;
        int na;
        if (lim - lt < 5 || strncasecmp(lt + 1, "img", 3) != 0 || !(space(lt[4]) || lt[4] == '/' || lt[4] == '>') ||
            (na = read_attrs(lt + 4, lim, a, &end)) < 0) {
            p = lt + 1;
            continue;
        }
        const struct attr *src = find(a, na, "src"), *alt = find(a, na, "alt");
        struct html_image im;
        if (src == NULL || rewritten == HTML_IMAGES_MAX || !lookup(ctx, src->value, src->value_len, &im)) {
            p = end;
            continue;
        }
        note(im.id, ids, n_ids);
        if (find(a, na, "srcset") != NULL) { /* written by an earlier rewrite */
            p = end;
            continue;
        }
        rewritten++;
        buf_append(out, copied, (size_t)(lt - copied));
        buf_append(out, "<picture><source type=\"image/webp\"", 34);
        attr_out(out, "srcset", im.webp_srcset);
        attr_out(out, "sizes", sizes);
        buf_append(out, "><img", 5);
        attr_out(out, "src", im.src);
        attr_out(out, "srcset", im.srcset);
        attr_out(out, "sizes", sizes);
        buf_printf(out, " width=\"%d\" height=\"%d\"", im.width, im.height);
        buf_append(out, " alt=\"", 6);
        if (alt != NULL && alt->value_len > 0) /* as written (entities kept), in double quotes */
            for (size_t i = 0; i < alt->value_len; i++)
                if (alt->value[i] == '"')
                    buf_append(out, "&quot;", 6);
                else
                    buf_append(out, &alt->value[i], 1);
        else
            html_escape(out, im.alt ? im.alt : "", im.alt ? strlen(im.alt) : 0);
        buf_append(out, "\" loading=\"lazy\" decoding=\"async\"", 33);
        for (int i = 0; i < na; i++)
            if (!replaced(&a[i])) {
                buf_append(out, " ", 1);
                buf_append(out, a[i].start, (size_t)(a[i].end - a[i].start));
            }
        buf_append(out, "></picture>", 11);
        copied = p = end;
    }
    buf_append(out, copied, (size_t)(lim - copied));
    return out->err;
}
