/* The HTML filter of posts (WordPress's unfiltered_html rule). HTML is parsed with libxml2's HTML
 * parser and written out again from the parse, never edited with patterns:
 * - filtered (authors, contributors): only an allow-list of elements and attributes is written,
 *   every text escaped, so nothing can run; script, style, frames, forms' fields, SVG and MathML
 *   go with their content, other unknown elements leave their text;
 * - trusted (administrators, editors, the import, the command line): everything stays, and the
 *   input comes back byte for byte, unless a link or image URL must go.
 * Text is written with & < > escaped (and " too in attribute values). In both, URLs in link, image, form and frame
 * attributes keep only http:, https:, mailto:, relative and fragment URLs (and data:image/ in image sources). */
#pragma once

#include <stddef.h>

#include "lib/buf.h"

#define HTML_SANITIZE_MAX ((size_t)32 << 20) /* bytes of HTML one call accepts */
#define HTML_REMOVED_NAMES 160               /* bytes of the summary of what was removed */

enum html_policy {
    HTML_TRUSTED,         /* any element and attribute; dangerous URLs removed */
    HTML_FILTERED,        /* the allow-list */
    HTML_FILTERED_SOURCE, /* the allow-list, keeping comments that cannot end early (WordPress's block
                             markers, <!--more-->): for a source that wpautop reads next */
};

/* What the filter took out, for the editor's preview. */
struct html_removed {
    size_t count;                   /* elements and attributes removed */
    char names[HTML_REMOVED_NAMES]; /* the first kinds, e.g. "<script>, onclick, javascript: URL" */
};

/* Appends html[0..n) to out as the policy allows. removed (optional) is filled in. Returns 0,
 * -E2BIG past HTML_SANITIZE_MAX or when the markup nests deeper than the parser follows (then
 * nothing is appended), or out's sticky error. */
int html_sanitize(const char *html, size_t n, enum html_policy policy, struct buf *out, struct html_removed *removed);

/* 1 when url[0..n) (an attribute's value, entities decoded) may stay: after the spaces and
 * control characters a browser ignores, no scheme, or http:, https:, mailto: (any case), or
 * when image is set, data:image/. 0 otherwise. */
int html_url_allowed(const char *url, size_t n, int image);
