/* How pages show a medium: the data every <img> template gets (app_int.h, app_image_json), from
 * the medium's copies: a WebP srcset and a fallback srcset (JPEG or PNG) with each copy's width,
 * the fallback copy nearest a given width as src, the full size's width and height (so the page
 * keeps its layout while the image loads), and the alt text. */
#include "app/app_int.h"

#include <stdio.h>
#include <string.h>

#include "lib/buf.h"
#include "news/media.h"

static json_t *srcset(const struct medium *m, const char *format)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < m->ncopies; i++) {
        if (strcmp(m->copies[i].format, format) != 0)
            continue;
        if (b.len > 0)
            buf_append(&b, ", ", 2);
        buf_printf(&b, "/uploads/%s %dw", m->copies[i].path, m->copies[i].width);
    }
    json_t *s = b.err == 0 && b.len > 0 ? json_stringn(b.data, b.len) : json_string("");
    buf_free(&b);
    return s;
}

json_t *app_image_json(const struct medium *m, int width, const char *sizes, int lazy)
{
    const char *fallback = media_fallback_format(m);
    const struct media_copy *src = media_copy_for(m, fallback, width);
    if (src == NULL)
        return json_null();
    char url[128];
    snprintf(url, sizeof(url), "/uploads/%s", src->path);
    /* the full size's shape, scaled to the copy shown as src */
    return json_pack("{s:I, s:s, s:o, s:o, s:s, s:i, s:i, s:o, s:o, s:o, s:b, s:b}", "id", (json_int_t)m->id, "src",
                     url, "srcset", srcset(m, fallback), "webp_srcset", srcset(m, "webp"), "sizes", sizes, "width",
                     src->width, "height", src->height, "alt", jcstr(m->alt), "caption", jcstr(m->caption), "credit",
                     jcstr(m->credit), "lazy", lazy, "figcaption", m->caption[0] != '\0' || m->credit[0] != '\0');
}

json_t *app_featured_json(struct page_ctx *c, const struct post *p, int width, const char *sizes, int lazy)
{
    struct medium m = {0};
    if (p->featured_id <= 0 || media_featured(c->t->db, p, &m) < 0)
        return json_false(); /* a page without its picture rather than no page */
    json_t *j = app_medium_json(&m, width, sizes, lazy);
    medium_clear(&m);
    return j;
}

json_t *app_medium_json(const struct medium *m, int width, const char *sizes, int lazy)
{
    if (m->id == 0)
        return json_false();
    json_t *j = app_image_json(m, width, sizes, lazy);
    return json_is_null(j) ? (json_decref(j), json_false()) : j;
}
