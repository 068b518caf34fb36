/* Fuzzes the parsers that read request bytes: forms and query strings, cookies, the router. */
#include <stdint.h>
#include <string.h>

#include "http/cookie.h"
#include "http/form.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct form f;
    if (form_parse(&f, s, size) == 0) {
        for (size_t i = 0; i < f.n; i++) {
            size_t n;
            if (strlen(f.fields[i].name) != f.fields[i].name_len)
                continue; /* a decoded %00 in a name: form_get takes C strings */
            const char *v = form_get(&f, f.fields[i].name, &n);
            if (v == NULL || n > size)
                __builtin_trap();
        }
    }
    form_free(&f);
    const char *v;
    size_t n;
    if (cookie_get(s, size, "gazette_commenter", &v, &n) == 0 && (v < s || v + n > s + size))
        __builtin_trap();
    struct route r;
    route_match(s, size, &r);
    if (r.slug != NULL && (r.slug < s || r.slug + r.slug_len > s + size))
        __builtin_trap();
    return 0;
}
