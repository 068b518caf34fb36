/* Fuzzes the HTML filter: whatever the input, the filtered output must hold nothing the filter
 * would take out if it read it again (no element, attribute or URL outside the allow-list), and
 * the trusted output no URL of a scheme that is not allowed. */
#include <stdint.h>
#include <string.h>

#include "render/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Filters out[] again under policy: nothing may be removed. */
static void settled(const struct buf *out, enum html_policy policy)
{
    struct buf again = BUF_INIT;
    struct html_removed r;
    if (out->data == NULL)
        return;
    if (policy != HTML_TRUSTED && memchr(out->data, '\0', out->len) != NULL)
        __builtin_trap(); /* trusted HTML with nothing to take out comes back as it was, NULs and all */
    if (html_sanitize(out->data, out->len, policy, &again, &r) == 0 && r.count != 0)
        __builtin_trap();
    buf_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum html_policy policies[] = {HTML_FILTERED, HTML_FILTERED_SOURCE, HTML_TRUSTED};
    for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
        struct buf out = BUF_INIT;
        struct html_removed r;
        if (html_sanitize((const char *)data, size, policies[i], &out, &r) == 0) {
            if (policies[i] == HTML_TRUSTED && r.count == 0 && (out.len != size || memcmp(out.data, data, size)))
                __builtin_trap(); /* nothing removed: the input, byte for byte */
            settled(&out, policies[i]);
        }
        buf_free(&out);
    }
    return 0;
}
