/* Form and query-string parsing (see form.h). One allocation holds every decoded name and
 * value; the field table lives in the struct, so a hostile body costs at most its own size. */
#include "http/form.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t form_decode(char *out, const char *s, size_t n, int plus_is_space)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
            out[o++] = (char)(hi << 4 | lo);
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            out[o++] = ' ';
        } else {
            out[o++] = s[i];
        }
    }
    return o;
}

int form_parse(struct form *f, const char *s, size_t n)
{
    f->n = 0;
    f->mem = NULL;
    if (n > FORM_MAX_INPUT)
        return -E2BIG;
    if (n == 0)
        return 0;
    /* Each kept pair decodes to at most its own length plus two NULs. */
    char *mem = malloc(n + 2 * FORM_MAX_FIELDS + 2);
    if (mem == NULL)
        return -ENOMEM;
    size_t used = 0, i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && s[end] != '&')
            end++;
        if (end > i) {
            size_t eq = i;
            while (eq < end && s[eq] != '=')
                eq++;
            if (f->n == FORM_MAX_FIELDS) {
                free(mem);
                f->n = 0;
                return -E2BIG;
            }
            struct form_field *fd = &f->fields[f->n];
            char *name = mem + used;
            fd->name_len = form_decode(name, s + i, eq - i, 1);
            if (fd->name_len > FORM_MAX_NAME) {
                free(mem);
                f->n = 0;
                return -E2BIG;
            }
            name[fd->name_len] = '\0';
            used += fd->name_len + 1;
            char *value = mem + used;
            fd->value_len = eq < end ? form_decode(value, s + eq + 1, end - eq - 1, 1) : 0;
            value[fd->value_len] = '\0';
            used += fd->value_len + 1;
            fd->name = name;
            fd->value = value;
            f->n++;
        }
        i = end + 1;
    }
    f->mem = mem;
    return 0;
}

const char *form_get(const struct form *f, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i < f->n; i++) {
        if (f->fields[i].name_len == nl && memcmp(f->fields[i].name, name, nl) == 0) {
            if (len != NULL)
                *len = f->fields[i].value_len;
            return f->fields[i].value;
        }
    }
    return NULL;
}

void form_free(struct form *f)
{
    free(f->mem);
    f->mem = NULL;
    f->n = 0;
}

int form_encode(struct buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~') {
            buf_putc(out, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(out, e, 3);
        }
    }
    return out->err;
}
