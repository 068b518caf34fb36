/* multipart/form-data (http/multipart.h). Debian packages no C parser of form bodies (GMime
 * parses mail: it would re-read, re-code and copy a 32 MiB body); splitting at the delimiters
 * is little work on a body already in memory. Each part: "--BOUNDARY" CRLF, headers, CRLF CRLF,
 * data up to CRLF "--BOUNDARY"; the last delimiter ends with "--". */
#include "http/multipart.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

static const char *find(const char *hay, size_t n, const char *needle, size_t k)
{
    return k <= n ? memmem(hay, n, needle, k) : NULL;
}

static h2o_iovec_t trim(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return h2o_iovec_init(s, n);
}

/* The value of parameter key in "type; a=b; key="v"" (quotes removed): 1 and *out, or 0. */
static int param(h2o_iovec_t v, const char *key, h2o_iovec_t *out)
{
    size_t k = strlen(key), i = 0;
    while (i < v.len) {
        const char *semi = memchr(v.base + i, ';', v.len - i);
        size_t end = semi ? (size_t)(semi - v.base) : v.len;
        h2o_iovec_t p = trim(v.base + i, end - i);
        if (p.len > k && strncasecmp(p.base, key, k) == 0 && p.base[k] == '=') {
            h2o_iovec_t val = h2o_iovec_init(p.base + k + 1, p.len - k - 1);
            if (val.len >= 2 && val.base[0] == '"') {
                const char *q = memchr(val.base + 1, '"', val.len - 1);
                if (q == NULL)
                    return 0;
                val = h2o_iovec_init(val.base + 1, (size_t)(q - val.base - 1));
            }
            *out = val;
            return 1;
        }
        i = end + 1;
    }
    return 0;
}

int multipart_boundary(const char *value, size_t n, h2o_iovec_t *out)
{
    static const char type[] = "multipart/form-data";
    h2o_iovec_t b;
    if (n < sizeof(type) - 1 || strncasecmp(value, type, sizeof(type) - 1) != 0)
        return -EINVAL;
    if (!param(h2o_iovec_init(value + sizeof(type) - 1, n - (sizeof(type) - 1)), "boundary", &b) || b.len == 0 ||
        b.len > MULTIPART_BOUNDARY_MAX)
        return -EINVAL;
    *out = b;
    return 0;
}

/* Reads the headers head[0..n) of a part into p. */
static int part_headers(const char *head, size_t n, struct multipart_part *p)
{
    int disposition = 0;
    size_t i = 0;
    while (i < n) {
        const char *eol = find(head + i, n - i, "\r\n", 2);
        size_t end = eol ? (size_t)(eol - head) : n;
        const char *colon = memchr(head + i, ':', end - i);
        if (colon == NULL)
            return -EINVAL;
        h2o_iovec_t name = trim(head + i, (size_t)(colon - head) - i);
        h2o_iovec_t value = trim(colon + 1, end - (size_t)(colon + 1 - head));
        if (name.len == 19 && strncasecmp(name.base, "content-disposition", 19) == 0) {
            if (value.len < 9 || strncasecmp(value.base, "form-data", 9) != 0 || !param(value, "name", &p->name))
                return -EINVAL;
            p->is_file = param(value, "filename", &p->filename);
            disposition = 1;
        } else if (name.len == 12 && strncasecmp(name.base, "content-type", 12) == 0) {
            p->type = value;
        }
        i = end + 2;
    }
    return disposition ? 0 : -EINVAL;
}

int multipart_parse(const char *body, size_t len, h2o_iovec_t boundary, struct multipart *out)
{
    char delim[MULTIPART_BOUNDARY_MAX + 4] = "\r\n--";
    if (boundary.len == 0 || boundary.len > MULTIPART_BOUNDARY_MAX)
        return -EINVAL;
    memcpy(delim + 4, boundary.base, boundary.len);
    size_t dn = boundary.len + 4;
    struct multipart m;
    m.n = 0;
    /* the first delimiter may open the body (without the CRLF before it) or follow a preamble */
    const char *at;
    if (len >= dn - 2 && memcmp(body, delim + 2, dn - 2) == 0)
        at = body + dn - 2;
    else if ((at = find(body, len, delim, dn)) != NULL)
        at += dn;
    else
        return -EINVAL;
    const char *end = body + len;
    for (;;) {
        if (end - at >= 2 && at[0] == '-' && at[1] == '-')
            break; /* the closing delimiter */
        if (end - at < 2 || at[0] != '\r' || at[1] != '\n')
            return -EINVAL;
        at += 2;
        if (m.n == MULTIPART_MAX_PARTS)
            return -E2BIG;
        size_t room = (size_t)(end - at) < MULTIPART_HEAD_MAX + 4 ? (size_t)(end - at) : MULTIPART_HEAD_MAX + 4;
        const char *blank = find(at, room, "\r\n\r\n", 4);
        if (blank == NULL)
            return (size_t)(end - at) > MULTIPART_HEAD_MAX ? -E2BIG : -EINVAL;
        struct multipart_part *p = &m.parts[m.n];
        memset(p, 0, sizeof(*p));
        int ret = part_headers(at, (size_t)(blank - at), p);
        if (ret < 0)
            return ret;
        const char *data = blank + 4, *next = find(data, (size_t)(end - data), delim, dn);
        if (next == NULL)
            return -EINVAL;
        p->data = h2o_iovec_init(data, (size_t)(next - data));
        m.n++;
        at = next + dn;
    }
    *out = m;
    return 0;
}

const struct multipart_part *multipart_get(const struct multipart *m, const char *name)
{
    size_t k = strlen(name);
    for (size_t i = 0; i < m->n; i++)
        if (m->parts[i].name.len == k && memcmp(m->parts[i].name.base, name, k) == 0)
            return &m->parts[i];
    return NULL;
}
