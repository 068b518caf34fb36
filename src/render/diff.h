/* A line diff of two texts (longest common subsequence), rendered as HTML for the revision
 * screen: unchanged lines as escaped text, removed lines in <del>, added lines in <ins>, one line
 * of output per line of input. Input is bounded so that the table stays small. */
#pragma once

#include <stddef.h>

#include "lib/buf.h"

#define DIFF_MAX_LINES 2000 /* lines of each side once the common head and tail are set aside */

enum diff_op { DIFF_SAME, DIFF_DEL, DIFF_ADD };

/* Calls emit(op, line, len, arg) for every line of the shortest edit from a to b, in order
 * (deletions before additions at each change). Lines exclude their '\n'; a final line without
 * '\n' counts, an empty text has no lines. Returns 0, or -E2BIG when the differing middle
 * parts have more than DIFF_MAX_LINES lines each side, -ENOMEM. */
int diff_lines(const char *a, size_t an, const char *b, size_t bn,
               void (*emit)(enum diff_op op, const char *line, size_t len, void *arg), void *arg);

/* Appends the diff of a and b as HTML lines ("<del>x</del>\n", "<ins>y</ins>\n", "z\n"), for a
 * <pre>. Returns what diff_lines returns, or the buffer's sticky error; *changes (when not NULL)
 * gets the number of added plus removed lines. */
int diff_html(struct buf *out, const char *a, size_t an, const char *b, size_t bn, size_t *changes);
