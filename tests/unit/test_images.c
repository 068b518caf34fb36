/* render/images.h: library images in a body get a <picture>, srcset, sizes, width, height, lazy
 * loading and alt; everything else passes through as written. */
#include <criterion/criterion.h>
#include <string.h>

#include "render/images.h"

static int calls;

static int lookup(void *ctx, const char *url, size_t n, struct html_image *out)
{
    (void)ctx;
    calls++;
    if (n < 9 || memcmp(url, "/uploads/", 9) != 0)
        return 0;
    *out = (struct html_image){.id = url[n - 5] == '1' ? 1 : 2,
                               .src = "/uploads/a-640.jpg",
                               .srcset = "/uploads/a-320.jpg 320w, /uploads/a-640.jpg 640w",
                               .webp_srcset = "/uploads/a-320.webp 320w, /uploads/a-640.webp 640w",
                               .width = 640,
                               .height = 480,
                               .alt = "Library \"alt\""};
    return 1;
}

static char *run(const char *html, int64_t *ids, size_t *n)
{
    static struct buf out;
    out = (struct buf)BUF_INIT;
    cr_assert_eq(html_images(html, strlen(html), "100vw", lookup, NULL, &out, ids, n), 0);
    return out.data ? out.data : "";
}

Test(images, a_library_image_is_rewritten)
{
    int64_t ids[HTML_IMAGES_MAX];
    size_t n;
    char *s = run("<p>Before <IMG class=\"wide\" src='/uploads/x-1.jpg' width=10 data-x=\"y\"> after</p>", ids, &n);
    cr_assert_str_eq(s, "<p>Before <picture><source type=\"image/webp\" srcset=\"/uploads/a-320.webp 320w, "
                        "/uploads/a-640.webp 640w\" sizes=\"100vw\"><img src=\"/uploads/a-640.jpg\" "
                        "srcset=\"/uploads/a-320.jpg 320w, /uploads/a-640.jpg 640w\" sizes=\"100vw\" width=\"640\" "
                        "height=\"480\" alt=\"Library &quot;alt&quot;\" loading=\"lazy\" decoding=\"async\" "
                        "class=\"wide\" data-x=\"y\"></picture> after</p>");
    cr_assert_eq(n, 1);
    cr_assert_eq(ids[0], 1);
    free(s);
}

Test(images, the_writers_alt_wins_and_others_pass_through)
{
    int64_t ids[HTML_IMAGES_MAX];
    size_t n;
    static const char keep[] =
        "<img src=\"https://elsewhere.example/x.jpg\" alt=\"x\"><!-- <img src=\"/uploads/y-1.jpg\"> "
        "--><imgx src=\"/uploads/z-1.jpg\"><img src=\"/uploads/q-1.jpg\" srcset=\"a 1w\">";
    char *s = run(keep, ids, &n);
    cr_assert_str_eq(s, keep);
    cr_assert_eq(n, 1, "the one rewritten before still counts");
    free(s);
    s = run("<img alt='It&#39;s \"ours\"' src=/uploads/b-2.jpg /><img src=\"/uploads/b-2.jpg\">", ids, &n);
    cr_assert_not_null(strstr(s, "alt=\"It&#39;s &quot;ours&quot;\""), "%s", s);
    cr_assert_eq(n, 1, "one medium, twice");
    free(s);
    /* an unclosed tag passes through */
    s = run("<img src=\"/uploads/c-1.jpg", ids, &n);
    cr_assert_str_eq(s, "<img src=\"/uploads/c-1.jpg");
    free(s);
}
