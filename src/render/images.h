/* Images in a post's HTML that show a file of the media library: each such <img> becomes a
 * <picture> with a WebP source and the <img> gets srcset, sizes, width, height, loading="lazy",
 * decoding="async" and alt, as the theme's own images have. The caller says which files are the
 * library's (a lookup by URL); everything else passes through byte for byte. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define HTML_IMAGES_MAX 256 /* images of one body rewritten; those past it pass through */

/* What the lookup answers for a library file (strings borrowed until the next lookup). */
struct html_image {
    int64_t id;
    const char *src, *srcset, *webp_srcset; /* src: the copy to load first */
    int width, height;                      /* of src */
    const char *alt;                        /* used when the <img> has none, or an empty one */
};

/* 1 and *out when url[0..n) names a library file, else 0. */
typedef int (*html_image_lookup)(void *ctx, const char *url, size_t n, struct html_image *out);

/* Appends html[0..n) to out with the library's images rewritten (sizes as given). An <img> that
 * already has a srcset is kept as it is (it was rewritten before) but still counted. ids (room
 * for HTML_IMAGES_MAX) gets each medium found once; *n_ids their number. 0 or out's error. */
int html_images(const char *html, size_t n, const char *sizes, html_image_lookup lookup, void *ctx, struct buf *out,
                int64_t *ids, size_t *n_ids);
