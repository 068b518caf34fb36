/* Fuzzes the comment renderer: whatever a reader types must come out as balanced markup whose
 * only tags are p, br and a, with no raw '<' from the input. */
#include <stdint.h>
#include <string.h>

#include "render/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int allowed_tag(const char *p, size_t n)
{
    static const char *const tags[] = {"<p>", "</p>", "<br>", "<a href=\"", "</a>"};
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        size_t l = strlen(tags[i]);
        if (n >= l && memcmp(p, tags[i], l) == 0)
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf b = BUF_INIT;
    if (html_comment_text(&b, (const char *)data, size) == 0 && b.data != NULL) {
        long open_p = 0, open_a = 0;
        for (size_t i = 0; i < b.len; i++) {
            if (b.data[i] == '\0' || (b.data[i] == '<' && !allowed_tag(b.data + i, b.len - i)))
                __builtin_trap();
            if (strncmp(b.data + i, "<p>", 3) == 0)
                open_p++;
            else if (strncmp(b.data + i, "</p>", 4) == 0)
                open_p--;
            else if (strncmp(b.data + i, "<a ", 3) == 0)
                open_a++;
            else if (strncmp(b.data + i, "</a>", 4) == 0)
                open_a--;
            if (open_p < 0 || open_p > 1 || open_a < 0 || open_a > 1)
                __builtin_trap();
        }
        if (open_p != 0 || open_a != 0)
            __builtin_trap();
    }
    buf_free(&b);
    return 0;
}
