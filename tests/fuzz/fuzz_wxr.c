/* Fuzz target: the WXR reader and wpautop over arbitrary bytes; neither may crash, leak or read
 * out of bounds, whatever the input. */
#include <stddef.h>
#include <stdint.h>

#include "render/wpautop.h"
#include "import/wxr.h"

static int on_item(void *ctx, const struct wxr_item *it)
{
    (void)ctx;
    struct buf b = BUF_INIT;
    wpautop_render(it->content, it->content_len, NULL, &b);
    buf_free(&b);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wxr_handler h = {.on_item = on_item};
    struct wxr_error err;
    wxr_parse_memory((const char *)data, size, &h, &err);
    struct buf b = BUF_INIT;
    wpautop_render((const char *)data, size, NULL, &b);
    buf_free(&b);
    return 0;
}
