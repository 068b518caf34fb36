/* Markdown rendering for posts: md4c with the GitHub dialect, raw HTML escaped unless the
 * caller trusts the author. Runs at save time; the HTML is stored next to the source. */
#include <errno.h>
#include <md4c-html.h>
#include <string.h>

#include "render/markdown.h"

static void append(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
    /* md4c-html aligns table cells with the obsolete align attribute, which HTML5 refuses and a
     * strict CSP forbids as a style: it writes each as one piece, replaced here by a class. */
    static const struct {
        const char *from, *to;
    } align[] = {
        {" align=\"left\">", " class=\"align-left\">"},
        {" align=\"center\">", " class=\"align-center\">"},
        {" align=\"right\">", " class=\"align-right\">"},
    };
    for (size_t i = 0; i < sizeof(align) / sizeof(align[0]); i++) {
        if (size == strlen(align[i].from) && memcmp(text, align[i].from, size) == 0) {
            buf_puts(userdata, align[i].to);
            return;
        }
    }
    buf_append(userdata, text, size);
}

int markdown_render(const char *src, size_t n, unsigned flags, struct buf *out)
{
    unsigned parser = MD_DIALECT_GITHUB;

    if (n > MARKDOWN_MAX_INPUT)
        return -E2BIG;
    if (!(flags & MARKDOWN_ALLOW_HTML))
        parser |= MD_FLAG_NOHTML;
    if (md_html(n ? src : "", (MD_SIZE)n, append, out, parser, MD_HTML_FLAG_SKIP_UTF8_BOM) != 0)
        return out->err ? out->err : -EINVAL;
    if (out->len == 0) /* an empty document: keep the buffer a valid empty string */
        buf_append(out, "", 0);
    return out->err;
}
