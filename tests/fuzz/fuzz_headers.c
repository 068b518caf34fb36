/* Fuzzes what reads request headers before a page handler: the HTTP/1 head guard in front of
 * libh2o's parser, Accept-Encoding negotiation and If-None-Match lists. */
#include <stdint.h>
#include <string.h>

#include <h2o.h>

#include "http/encoding.h"
#include "http/guard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inside(const char *p, size_t n, const char *s, size_t size)
{
    return p >= s && p + n <= s + size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *method, *path;
    size_t method_len, path_len, num = 16;
    int minor;
    struct phr_header h[16];
    (void)h2o_strtosize("0", 1); /* libh2o, whose parser the guard calls, is linked */
    int r = phr_parse_request(s, size, &method, &method_len, &path, &path_len, &minor, h, &num, 0);
    if (r >= 0) {
        if (r > (int)size)
            __builtin_trap();
        int marker = path_len >= 2 && path[1] == ' ';
        if (!marker && (!inside(path, path_len, s, size) || !inside(method, method_len, s, size)))
            __builtin_trap();
        if (!marker && http_framing_conflict(h, num))
            __builtin_trap(); /* a conflict always becomes the marker */
    }
    enum http_coding c = http_choose_coding(s, size, 1, 1);
    if (c != HTTP_IDENTITY && c != HTTP_GZIP && c != HTTP_BR)
        __builtin_trap();
    if (http_choose_coding(s, size, 0, 0) != HTTP_IDENTITY)
        __builtin_trap();
    static const char etag[] = "\"0123456789abcdef-br\"";
    (void)http_etag_matches(s, size, etag, sizeof(etag) - 1);
    return 0;
}
