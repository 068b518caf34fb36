/* WordPress post content is HTML written for wpautop(): blank lines are paragraphs, single
 * newlines are line breaks. These functions turn it into the HTML WordPress would have shown, so
 * imported posts render as they did, with the [caption] and [gallery] shortcodes made into
 * figures. Other shortcodes are left as text. */
#pragma once

#include <stddef.h>

#include "lib/buf.h"

#define WPAUTOP_INPUT_MAX ((size_t)8 << 20) /* bytes of content one call accepts */

/* Where the images of a [gallery ids="..."] are: returns the URL of a WordPress attachment id, or
 * NULL when unknown. Optional. */
struct wpautop_media {
    void *ctx;
    const char *(*attachment_url)(void *ctx, long long wp_id);
};

/* A port of WordPress's wpautop($text, true): appends the result to out. Returns 0, -E2BIG past
 * WPAUTOP_INPUT_MAX, or -ENOMEM. */
int wpautop(const char *text, size_t len, struct buf *out);

/* Replaces [caption]…[/caption] with <figure>/<figcaption> and [gallery …] with a figure of its
 * images (or nothing when none is known), leaving every other shortcode as text; appends to out. */
int wpautop_shortcodes(const char *text, size_t len, const struct wpautop_media *media, struct buf *out);

/* Both, in the order that gives valid HTML: shortcodes to figures, then paragraphs. Block-editor
 * content (with <!-- wp: comments) gets no paragraphs, as in WordPress. */
int wpautop_render(const char *text, size_t len, const struct wpautop_media *media, struct buf *out);
