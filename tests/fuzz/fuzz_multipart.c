/* Fuzzes the parsers of uploads: multipart/form-data bodies (the first line of the input is the
 * Content-Type header's value, the rest the body) and the rewriting of <img> tags in HTML. */
#include <stdint.h>
#include <string.h>

#include "http/multipart.h"
#include "render/images.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int lookup(void *ctx, const char *url, size_t n, struct html_image *out)
{
    (void)ctx;
    if (n < 9 || memcmp(url, "/uploads/", 9) != 0)
        return 0;
    *out = (struct html_image){.id = (int64_t)n,
                               .src = "/uploads/a.jpg",
                               .srcset = "/uploads/a.jpg 1w",
                               .webp_srcset = "/uploads/a.webp 1w",
                               .width = 1,
                               .height = 1,
                               .alt = "a\"b"};
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *nl = memchr(s, '\n', size);
    size_t head = nl ? (size_t)(nl - s) : size;
    h2o_iovec_t b;
    struct multipart m;
    if (multipart_boundary(s, head, &b) == 0 && (b.base < s || b.base + b.len > s + head))
        __builtin_trap();
    if (nl != NULL && multipart_boundary(s, head, &b) == 0 && multipart_parse(nl + 1, size - head - 1, b, &m) == 0) {
        for (size_t i = 0; i < m.n; i++) {
            const struct multipart_part *p = &m.parts[i];
            if (p->data.base < nl + 1 || p->data.base + p->data.len > s + size || p->name.base + p->name.len > s + size)
                __builtin_trap();
        }
    }
    struct buf out = BUF_INIT;
    int64_t ids[HTML_IMAGES_MAX];
    size_t n = 0;
    if (html_images(s, size, "100vw", lookup, NULL, &out, ids, &n) == 0 && n > HTML_IMAGES_MAX)
        __builtin_trap();
    buf_free(&out);
    return 0;
}
