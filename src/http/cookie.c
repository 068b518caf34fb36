/* Cookie header parsing and Set-Cookie formatting (see cookie.h), after RFC 6265 section 5.2:
 * pairs split on ';', names and values trimmed, pairs without '=' ignored. */
#include "http/cookie.h"

#include <errno.h>
#include <string.h>

static int is_ws(char c)
{
    return c == ' ' || c == '\t';
}

int cookie_get(const char *h, size_t n, const char *name, const char **value, size_t *len)
{
    size_t nl = strlen(name);
    if (n > COOKIE_MAX_HEADER)
        return -ENOENT;
    size_t i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && h[end] != ';')
            end++;
        size_t eq = i;
        while (eq < end && h[eq] != '=')
            eq++;
        if (eq < end) {
            size_t ns = i, ne = eq, vs = eq + 1, ve = end;
            while (ns < ne && is_ws(h[ns]))
                ns++;
            while (ne > ns && is_ws(h[ne - 1]))
                ne--;
            while (vs < ve && is_ws(h[vs]))
                vs++;
            while (ve > vs && is_ws(h[ve - 1]))
                ve--;
            if (ve - vs >= 2 && h[vs] == '"' && h[ve - 1] == '"')
                vs++, ve--;
            if (ne - ns == nl && memcmp(h + ns, name, nl) == 0) {
                *value = h + vs;
                *len = ve - vs;
                return 0;
            }
        }
        i = end + 1;
    }
    return -ENOENT;
}

int cookie_format(struct buf *out, const char *name, const char *value, size_t len, long max_age)
{
    buf_puts(out, name);
    buf_putc(out, '=');
    buf_append(out, value, len);
    return buf_printf(out, "; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax", max_age);
}
