/* Mustache templates for Gazette's themes: compiled once into a flat instruction array, rendered
 * many times against a jansson data tree into a struct buf.
 *
 * Supported: interpolation ({{name}} escapes & < > " ', {{{name}}} and {{& name}} do not), dotted
 * names, the implicit iterator, sections over lists, objects and booleans, inverted sections,
 * comments, set-delimiter tags, the standalone-line rules, partials with indentation, template
 * inheritance ({{< parent}} with {{$block}}) and dynamic names ({{>*name}}, {{<*name}}).
 * Lambdas are not supported: the data is JSON, which holds no code.
 *
 * Truthiness (sections) follows mustache.js: null, false, "", 0 and [] are false, anything else is
 * true. Interpolating null, an object or a list gives nothing; numbers print as JavaScript would
 * (85, 1.21), booleans as true / false. A dotted name segment of digits indexes a list.
 *
 * Partials and parents are looked up by name in the same set. A set is strict by default: an
 * unknown partial is an error (at render time, and for static names already in tpl_set_check).
 * tpl_set_strict(set, false) gives the spec's behaviour, where an unknown partial renders as empty.
 * A dynamic name whose data lookup fails (not a string) renders as empty in both modes.
 *
 * Thread safety: a complete set is read-only while rendering; any number of threads may call
 * tpl_render on one const set at once. To change a theme, build a new set and swap it in. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

#define TPL_MAX_SIZE ((size_t)1 << 20)          /* bytes of one template's source */
#define TPL_NAME_MAX 127                        /* bytes of a template name */
#define TPL_MAX_TEMPLATES 4096                  /* templates in one set */
#define TPL_MAX_NESTING 64                      /* sections and blocks open at once in one template */
#define TPL_MAX_DEPTH 64                        /* partials, parents and blocks expanded inside each other */
#define TPL_MAX_DELIM 16                        /* bytes of a set-delimiter tag's delimiter */
#define TPL_MAX_INDENT 4096                     /* bytes of accumulated partial indentation */
#define TPL_MAX_STEPS_DEFAULT ((size_t)1 << 24) /* instructions one render may execute */

/* Where and why compiling or rendering failed. line and col are 1-based (col counts bytes); both
 * are 0 when the error has no position (unknown top-level template, unreadable file). */
struct tpl_error {
    char name[128];
    int line, col;
    char msg[256];
};

struct tpl_set;

/* Formats err as "NAME:LINE:COL: msg" (or "NAME: msg" without a position) into dst; returns dst. */
const char *tpl_error_str(const struct tpl_error *err, char *dst, size_t size);

/* An empty, strict set of templates (a theme); NULL when out of memory. */
struct tpl_set *tpl_set_new(void);
/* Frees the set and every template in it. NULL is fine. */
void tpl_set_free(struct tpl_set *set);
/* Strict (the default): an unknown partial or parent is an error. Not strict: it renders as empty. */
void tpl_set_strict(struct tpl_set *set, bool strict);
/* Caps the instructions one tpl_render may execute (default TPL_MAX_STEPS_DEFAULT), so that a
 * template cannot loop for long without output. */
void tpl_set_max_steps(struct tpl_set *set, size_t steps);

/* Compiles src (len bytes, need not be NUL-terminated) and stores it as `name`, replacing a
 * template of that name. Returns 0, -EINVAL for a syntax error (err says where), -E2BIG when the
 * source or the set is too large, -ENOMEM. On failure the set is unchanged. */
int tpl_set_add(struct tpl_set *set, const char *name, const char *src, size_t len, struct tpl_error *err);
/* Adds every DIR/NAME.mustache file as NAME (files starting with '.' are skipped). Returns 0 or
 * the first error (-errno for I/O, else as tpl_set_add). */
int tpl_set_load_dir(struct tpl_set *set, const char *dir, struct tpl_error *err);
/* True when the set holds a template of that name. */
bool tpl_set_has(const struct tpl_set *set, const char *name);
/* In a strict set, checks that every static partial and parent name refers to a template of the
 * set. Returns 0 or -ENOENT with err naming the first offending tag. */
int tpl_set_check(const struct tpl_set *set, struct tpl_error *err);

/* Renders template `name` against data (NULL renders as an empty context) and appends the bytes to
 * out. Returns 0; or -ENOENT (unknown template or partial), -ELOOP (expansion deeper than
 * TPL_MAX_DEPTH, or the step limit), -E2BIG (output past out's maximum), -ENOMEM, with err filled
 * in. On failure out is left exactly as it was before the call. Reentrant: the set is not changed. */
int tpl_render(const struct tpl_set *set, const char *name, const json_t *data, struct buf *out, struct tpl_error *err);
