/* application/x-www-form-urlencoded: request bodies, query strings and the commenter cookie.
 * Parsing follows the URL standard (a malformed %-escape stays literal, '+' is a space) and is
 * bounded: at most FORM_MAX_FIELDS fields, names of at most FORM_MAX_NAME bytes. */
#pragma once

#include <stddef.h>

#include "lib/buf.h"

#define FORM_MAX_FIELDS 32               /* fields beyond this make the whole form invalid */
#define FORM_MAX_NAME 64                 /* longest field name, decoded */
#define FORM_MAX_INPUT ((size_t)1 << 20) /* longest encoded input */

struct form_field {
    const char *name; /* decoded, NUL-terminated (a decoded %00 shortens nothing: use the lengths) */
    size_t name_len;
    const char *value;
    size_t value_len;
};

struct form {
    struct form_field fields[FORM_MAX_FIELDS];
    size_t n;
    char *mem; /* the decoded bytes; freed by form_free */
};

#define FORM_INIT                                                                                                      \
    {                                                                                                                  \
        .n = 0                                                                                                         \
    }

/* Parses s[0..n) into f (empty pairs such as "a=1&&b=2" are skipped). Returns 0, -E2BIG when a
 * limit is passed, or -ENOMEM; on failure f is empty. Call form_free either way. */
int form_parse(struct form *f, const char *s, size_t n);

/* The first field named name, or NULL; its decoded length goes to *len when len is not NULL. */
const char *form_get(const struct form *f, const char *name, size_t *len);

void form_free(struct form *f);

/* Percent-decodes s[0..n) into out (which must hold n bytes); plus_is_space for form data.
 * Returns the decoded length. Malformed escapes are copied as they are. */
size_t form_decode(char *out, const char *s, size_t n, int plus_is_space);

/* Appends s[0..n) percent-encoded: every byte except ALPHA / DIGIT / "-._~" becomes %XX, so the
 * result is safe in a query string, a form body and a cookie value. */
int form_encode(struct buf *out, const char *s, size_t n);
