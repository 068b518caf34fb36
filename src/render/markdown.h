/* Markdown to HTML, through md4c-html with GitHub's extensions (tables, strikethrough,
 * autolinks, task lists). Raw HTML in the source is escaped unless MARKDOWN_ALLOW_HTML. */
#pragma once

#include <stddef.h>

#include "lib/buf.h"

#define MARKDOWN_MAX_INPUT ((size_t)4 << 20) /* 4 MiB of source */

enum {
    MARKDOWN_ALLOW_HTML = 1 << 0, /* pass raw HTML blocks and spans through (trusted authors only) */
};

/* Appends the HTML for the n bytes of Markdown at src to out. Returns 0, -E2BIG when the input
 * is over MARKDOWN_MAX_INPUT, -EINVAL when md4c refuses it, or out's sticky error. */
int markdown_render(const char *src, size_t n, unsigned flags, struct buf *out);
