/* Fuzz target for the parsers of outside text in lib/ and news/: slugs, ISO dates, comment
 * validation and link counting, excerpts of HTML, and Markdown rendering. The input is split
 * at NUL bytes into the comment fields so that each gets arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/slug.h"
#include "lib/timeutil.h"
#include "news/comment.h"
#include "news/post.h"
#include "render/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char slug[SLUG_MAX + 1];
    size_t n = slug_make(s, size, slug, sizeof(slug));
    if (n > SLUG_MAX || strlen(slug) != n || (n > 0 && !slug_valid(slug, n)))
        abort(); /* slug_make must produce what slug_valid accepts */

    int64_t t;
    if (time_parse_iso(s, size, &t) == 0) {
        char iso[TIME_ISO_LEN];
        time_format_iso(t, iso);
    }

    struct comment_field f[4] = {{0}};
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= size && k < 4; i++) {
        if (i == size || data[i] == 0) {
            f[k].p = s + start;
            f[k].n = i - start;
            k++;
            start = i + 1;
        }
    }
    struct comment_submission in = {.body = f[0], .author = f[1], .email = f[2], .url = f[3], .force_status = -1};
    struct comment_result r = {0};
    comment_validate(&in, &r);
    if (r.n_errors > COMMENT_MAX_ERRORS)
        abort();
    comment_count_links(s, size);

    char *excerpt = NULL;
    if (post_excerpt_from_html(s, size, POST_EXCERPT_WORDS, &excerpt) == 0)
        free(excerpt);

    struct buf b = BUF_INIT;
    markdown_render(s, size, 0, &b);
    if (b.data != NULL && size > 0 && memchr(s, '<', size) == NULL && strstr(b.data, "<script") != NULL)
        abort();
    buf_free(&b);
    return 0;
}
