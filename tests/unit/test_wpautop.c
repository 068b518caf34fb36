/* wpautop: WordPress's paragraphs and line breaks, untouched <pre>, newlines inside tags, and the
 * [caption] and [gallery] shortcodes as figures. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render/wpautop.h"

static char *render(const char *in, const struct wpautop_media *m)
{
    struct buf b = BUF_INIT;
    int rc = wpautop_render(in, strlen(in), m, &b);
    cr_assert_eq(rc, 0, "render %d", rc);
    return buf_steal(&b);
}

static void check(const char *in, const char *want)
{
    char *got = render(in, NULL);
    cr_assert_str_eq(got, want, "input [%s]", in);
    free(got);
}

Test(wpautop, paragraphs_and_breaks)
{
    check("Hello\n\nWorld", "<p>Hello</p>\n<p>World</p>\n");
    check("a\nb", "<p>a<br />\nb</p>\n");
    check("a\r\n\r\nb", "<p>a</p>\n<p>b</p>\n");
    check("one\n\n\n\ntwo", "<p>one</p>\n<p>two</p>\n");
    check("a<br><br>b", "<p>a</p>\n<p>b</p>\n");
    check("   \n\t", "");
}

Test(wpautop, blocks_are_not_wrapped)
{
    check("<div>foo</div>", "<div>foo</div>\n");
    check("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    check("<blockquote>quote\n\nmore</blockquote>", "<blockquote><p>quote</p>\n<p>more</p></blockquote>\n");
    check("<h2>Title</h2>\nText", "<h2>Title</h2>\n<p>Text</p>\n");
    check("<!-- other -->\n<p>x</p>", "<p><!-- other --></p>\n<p>x</p>\n");
    /* Block-editor content is complete HTML: WordPress does not add paragraphs to it. */
    check("<!-- wp:paragraph -->\n<p>x</p>\n<!-- /wp:paragraph -->\n\nbare",
          "<!-- wp:paragraph -->\n<p>x</p>\n<!-- /wp:paragraph -->\n\nbare");
}

Test(wpautop, pre_and_tags_keep_their_newlines)
{
    check("<pre>a\n\nb</pre>", "<pre>a\n\nb</pre>\n");
    check("x\n\n<pre>1\n2</pre>\n\ny", "<p>x</p>\n<pre>1\n2</pre>\n<p>y</p>\n");
    check("<a href=\"x\"\ntitle=\"y\">link</a>\nnext", "<p><a href=\"x\"\ntitle=\"y\">link</a><br />\nnext</p>\n");
    check("text <!-- comment\nx --> y", "<p>text <!-- comment\nx --> y</p>\n");
    check("<script>a\nb</script>", "<p><script>a\nb</script></p>\n");
}

Test(wpautop, other_shortcodes_stay_text)
{
    check("[embed]https://example.com/v[/embed]", "<p>[embed]https://example.com/v[/embed]</p>\n");
    check("[other foo]", "<p>[other foo]</p>\n");
}

Test(wpautop, caption_becomes_figure)
{
    check(
        "[caption id=\"attachment_6\" align=\"alignright\" width=\"300\"]<img src=\"x.jpg\" alt=\"\" /> Boat[/caption]",
        "<figure id=\"attachment_6\" style=\"width: 300px\" class=\"wp-caption alignright\"><img src=\"x.jpg\" "
        "alt=\"\" /><figcaption class=\"wp-caption-text\">Boat</figcaption></figure>\n");
    check("[caption caption=\"Hi\" width=\"10\"]<a href=\"/a\"><img src=\"y\"></a>[/caption]",
          "<figure style=\"width: 10px\" class=\"wp-caption alignnone\"><a href=\"/a\"><img src=\"y\"></a>"
          "<figcaption class=\"wp-caption-text\">Hi</figcaption></figure>\n");
    /* Attribute values cannot break out of their attribute. */
    char *got = render("[caption id='a\"><script>' align=x]<img src=\"z\">[/caption]", NULL);
    cr_assert_null(strstr(got, "<script>"), "%s", got);
    free(got);
    check("Before [caption]<img src=\"a\"> Text", "<p>Before [caption]<img src=\"a\"> Text</p>\n");
}

static const char *url_of(void *ctx, long long id)
{
    (void)ctx;
    return id == 7 ? "https://example.com/7.jpg" : id == 8 ? "https://example.com/8\".jpg" : NULL;
}

Test(wpautop, gallery_becomes_figure)
{
    struct wpautop_media m = {NULL, url_of};
    char *got = render("[gallery columns=\"2\" ids=\"7,8,9\"]", &m);
    cr_assert_str_eq(got, "<figure class=\"gallery gallery-columns-2\"><a href=\"https://example.com/7.jpg\"><img "
                          "src=\"https://example.com/7.jpg\" alt=\"\" loading=\"lazy\"></a><a "
                          "href=\"https://example.com/8&quot;.jpg\"><img src=\"https://example.com/8&quot;.jpg\" "
                          "alt=\"\" loading=\"lazy\"></a></figure>\n");
    free(got);
    check("[gallery]", "<figure class=\"gallery gallery-columns-3\"></figure>\n");
}

Test(wpautop, limit)
{
    size_t n = WPAUTOP_INPUT_MAX + 1;
    char *big = malloc(n);
    memset(big, 'a', n);
    struct buf b = BUF_INIT;
    cr_assert_eq(wpautop(big, n, &b), -E2BIG);
    buf_free(&b);
    free(big);
}
