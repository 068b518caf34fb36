/* Structured data (JSON-LD) inside an HTML page: the JSON text made safe for the inside of a
 * <script type="application/ld+json"> element, where the HTML parser ends the element at the
 * first "</script" whatever the JSON means. */
#pragma once

#include <jansson.h>
#include <stddef.h>

#include "lib/buf.h"

/* Appends json[0..n) (a JSON text) with every <, > and & written as \u003c, \u003e, \u0026 and
 * the line separators U+2028 and U+2029 as \u2028 and \u2029: outside strings JSON has none of
 * these characters, inside them the escapes mean the same characters, so the data is unchanged
 * and the element cannot be closed, nor a comment or CDATA section opened, from within it.
 * Returns 0 or the buffer's sticky error. */
int jsonld_escape(struct buf *out, const char *json, size_t n);

/* Appends j as compact JSON (UTF-8, keys in the order they were set) escaped by jsonld_escape.
 * Returns 0, -ENOMEM, or the buffer's sticky error. */
int jsonld_script(struct buf *out, const json_t *j);
