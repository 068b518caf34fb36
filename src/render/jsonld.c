/* jsonld.h: jansson writes the JSON; the characters that mean something to an HTML parser inside
 * a script element are then replaced by their JSON escapes, byte by byte. */
#include "render/jsonld.h"

#include <errno.h>
#include <stdlib.h>

int jsonld_escape(struct buf *out, const char *json, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)json[i];
        const char *esc = NULL;
        size_t skip = 1;
        if (c == '<')
            esc = "\\u003c";
        else if (c == '>')
            esc = "\\u003e";
        else if (c == '&')
            esc = "\\u0026";
        else if (c == 0xE2 && i + 2 < n && (unsigned char)json[i + 1] == 0x80 &&
                 ((unsigned char)json[i + 2] == 0xA8 || (unsigned char)json[i + 2] == 0xA9)) {
            esc = (unsigned char)json[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
            skip = 3;
        }
        if (esc == NULL)
            continue;
        buf_append(out, json + from, i - from);
        buf_puts(out, esc);
        i += skip - 1;
        from = i + 1;
    }
    buf_append(out, json + from, n - from);
    return out->err;
}

int jsonld_script(struct buf *out, const json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s == NULL)
        return -ENOMEM;
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    int ret = jsonld_escape(out, s, n);
    free(s);
    return ret;
}
