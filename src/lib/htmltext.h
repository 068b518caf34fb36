/* The text a reader sees in a piece of HTML: what excerpts are cut from and what search indexes.
 * Tags are dropped (block-level ones leave a space so words do not run together), the contents of
 * script and style are skipped, character references are decoded. Pure string work. */
#pragma once

#include <stddef.h>

#include "lib/buf.h"

/* Appends the text of html[0..n) to out: tags out, entities decoded (the common named ones and
 * numeric ones; an unknown one stays as written), whitespace kept as it was. Returns out's error. */
int html_text(struct buf *out, const char *html, size_t n);
