/* multipart/form-data request bodies (RFC 7578), as browsers send a form with a file input. The
 * body is already whole in memory (libh2o reads it before the handler runs): the parser only
 * finds the parts and points into it, copying nothing. Bounded: at most MULTIPART_MAX_PARTS
 * parts, each with at most MULTIPART_HEAD_MAX bytes of headers; anything else is refused. */
#pragma once

#include <stddef.h>

#include <h2o.h>

#define MULTIPART_MAX_PARTS 32    /* parts of one body */
#define MULTIPART_HEAD_MAX 2048   /* bytes of one part's headers */
#define MULTIPART_BOUNDARY_MAX 70 /* RFC 2046's longest boundary */

struct multipart_part {
    h2o_iovec_t name;     /* the field's name (Content-Disposition's name=) */
    h2o_iovec_t filename; /* as the client sent it (never to be trusted): set for a file input */
    int is_file;          /* a filename= parameter was there (possibly empty: no file chosen) */
    h2o_iovec_t type;     /* the part's Content-Type as sent, empty when none */
    h2o_iovec_t data;     /* its bytes, inside the body */
};

struct multipart {
    struct multipart_part parts[MULTIPART_MAX_PARTS];
    size_t n;
};

/* The boundary of a Content-Type header value "multipart/form-data; boundary=X" (X may be
 * quoted): 0 and *out (pointing into value), or -EINVAL when it is not such a type. */
int multipart_boundary(const char *value, size_t n, h2o_iovec_t *out);

/* Splits body into its parts: 0 and *out, -EINVAL when the body is not a well-formed multipart
 * body with this boundary (no closing delimiter, a part without Content-Disposition form-data),
 * -E2BIG past the limits above. */
int multipart_parse(const char *body, size_t len, h2o_iovec_t boundary, struct multipart *out);

/* The first part called name (NUL-terminated), or NULL. */
const struct multipart_part *multipart_get(const struct multipart *m, const char *name);
