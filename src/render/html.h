/* HTML output helpers: escaping for text and attribute values, and the rendering of reader
 * comments, which are plain text (paragraphs, line breaks, autolinked http(s) URLs, nothing else). */
#pragma once

#include <stddef.h>

#include "lib/buf.h"

/* Appends s[0..n) to out with & < > " ' escaped, safe in text and in quoted attribute values.
 * Returns 0 or the buffer's sticky error. */
int html_escape(struct buf *out, const char *s, size_t n);

/* Appends s[0..n) with only & < > escaped: for text between tags, where quotes mean nothing and
 * are kept as written. Returns 0 or the buffer's sticky error. */
int html_escape_text(struct buf *out, const char *s, size_t n);

/* Appends a reader's comment as HTML: blank lines separate <p> paragraphs, single newlines become
 * <br>, http:// and https:// URLs become <a href rel="nofollow ugc"> links, every other character
 * is escaped; invalid UTF-8 becomes U+FFFD and control characters are dropped, so the result is
 * valid HTML whatever the input. Returns 0 or the buffer's sticky error. */
int html_comment_text(struct buf *out, const char *s, size_t n);

/* Appends s[0..n) made safe to show as text: invalid UTF-8 becomes U+FFFD and control characters
 * other than tab and newline are dropped (a CR LF pair becomes LF). Nothing is escaped. For
 * putting what a visitor typed back into a form. Returns 0 or the buffer's sticky error. */
int html_clean(struct buf *out, const char *s, size_t n);

/* Length of an http(s) URL starting at s[0..n) that html_comment_text would link (the scheme is
 * matched case-insensitively, the host must be a plain name, trailing punctuation is left out),
 * or 0 when there is none. */
size_t html_url_len(const char *s, size_t n);
