#include <criterion/criterion.h>
#include <string.h>

#include "render/html.h"

static char *comment(const char *in)
{
    static struct buf b;
    buf_free(&b);
    b = (struct buf)BUF_INIT;
    cr_assert_eq(html_comment_text(&b, in, strlen(in)), 0);
    return b.data ? b.data : "";
}

Test(html, escapes_the_five_characters)
{
    struct buf b = BUF_INIT;
    html_escape(&b, "a<b>&\"c'd", 9);
    cr_assert_str_eq(b.data, "a&lt;b&gt;&amp;&quot;c&#39;d");
    buf_free(&b);
}

Test(html, escape_takes_a_length_not_a_terminator)
{
    struct buf b = BUF_INIT;
    html_escape(&b, "ab\0<", 4);
    cr_assert_eq(b.len, 2 + 1 + 4);
    cr_assert_eq(memcmp(b.data, "ab\0&lt;", 7), 0);
    buf_free(&b);
}

Test(html, paragraphs_and_line_breaks)
{
    cr_assert_str_eq(comment("one\ntwo\n\nthree"), "<p>one<br>\ntwo</p>\n<p>three</p>\n");
    cr_assert_str_eq(comment("\r\n\r\nwin\r\nline\r\n \t\r\n\r\nend\r\n\n"), "<p>win<br>\nline</p>\n<p>end</p>\n");
    cr_assert_str_eq(comment("old\rmac"), "<p>old<br>\nmac</p>\n");
    cr_assert_str_eq(comment(""), "");
    cr_assert_str_eq(comment("\n \n\t\n"), "");
}

Test(html, markup_is_escaped_not_passed_through)
{
    cr_assert_str_eq(comment("<script>alert(1)</script> & <b>bold</b>"),
                     "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>\n");
    cr_assert_str_eq(comment("<a href=\"javascript:x\">y</a>"),
                     "<p>&lt;a href=&quot;javascript:x&quot;&gt;y&lt;/a&gt;</p>\n");
}

Test(html, autolinks_http_and_https)
{
    cr_assert_str_eq(comment("see https://example.com/a?b=1&c=2#x now"),
                     "<p>see <a href=\"https://example.com/a?b=1&amp;c=2#x\" rel=\"nofollow ugc\">"
                     "https://example.com/a?b=1&amp;c=2#x</a> now</p>\n");
    cr_assert_str_eq(comment("HTTP://Example.COM:8080"),
                     "<p><a href=\"HTTP://Example.COM:8080\" rel=\"nofollow ugc\">HTTP://Example.COM:8080</a></p>\n");
}

Test(html, trailing_punctuation_stays_outside_the_link)
{
    cr_assert_str_eq(comment("(at http://a.example/x)."),
                     "<p>(at <a href=\"http://a.example/x\" rel=\"nofollow ugc\">http://a.example/x</a>).</p>\n");
    cr_assert_str_eq(
        comment("http://w.example/Foo_(bar), ok"),
        "<p><a href=\"http://w.example/Foo_(bar)\" rel=\"nofollow ugc\">http://w.example/Foo_(bar)</a>, ok</p>\n");
    cr_assert_str_eq(comment("go to http://a.example."),
                     "<p>go to <a href=\"http://a.example\" rel=\"nofollow ugc\">http://a.example</a>.</p>\n");
}

Test(html, other_schemes_and_broken_urls_are_text)
{
    cr_assert_str_eq(comment("javascript:alert(1) ftp://x.example data:text/html,hi"),
                     "<p>javascript:alert(1) ftp://x.example data:text/html,hi</p>\n");
    cr_assert_str_eq(comment("http:// nothing"), "<p>http:// nothing</p>\n");
    cr_assert_str_eq(comment("http://.bad"), "<p>http://.bad</p>\n");
    cr_assert_str_eq(comment("http://300.1.1.1/"), "<p>http://300.1.1.1/</p>\n");
    cr_assert_str_eq(comment("xhttp://a.example"), "<p>xhttp://a.example</p>\n");
}

Test(html, quotes_and_angle_brackets_end_a_url)
{
    cr_assert_str_eq(comment("http://a.example/\"onmouseover=\"x"),
                     "<p><a href=\"http://a.example/\" rel=\"nofollow ugc\">http://a.example/</a>"
                     "&quot;onmouseover=&quot;x</p>\n");
    cr_assert_str_eq(comment("http://a.example/<b>"),
                     "<p><a href=\"http://a.example/\" rel=\"nofollow ugc\">http://a.example/</a>&lt;b&gt;</p>\n");
}

Test(html, bad_percent_escape_ends_the_url)
{
    cr_assert_str_eq(comment("http://a.example/%zz"),
                     "<p><a href=\"http://a.example/\" rel=\"nofollow ugc\">http://a.example/</a>%zz</p>\n");
    cr_assert_str_eq(comment("http://a.example/%41b"),
                     "<p><a href=\"http://a.example/%41b\" rel=\"nofollow ugc\">http://a.example/%41b</a></p>\n");
}

Test(html, invalid_utf8_and_controls_are_cleaned)
{
    cr_assert_str_eq(comment("a\xff"
                             "b\xc3\xa9"
                             "c\x01\x7f"
                             "d\xed\xa0\x80"
                             "e"),
                     "<p>a\xef\xbf\xbd"
                     "b\xc3\xa9"
                     "cd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                     "e</p>\n");
    cr_assert_str_eq(comment("nul\0"), "<p>nul</p>\n");
    struct buf b = BUF_INIT;
    html_comment_text(&b, "x\0y", 3);
    cr_assert_str_eq(b.data, "<p>xy</p>\n");
    buf_free(&b);
}

Test(html, url_len_limits)
{
    cr_assert_eq(html_url_len("http://a", 8), 8);
    cr_assert_eq(html_url_len("http://a:99999", 14), 0);
    cr_assert_eq(html_url_len("https://a.b:443/", 16), 16);
    cr_assert_eq(html_url_len("https://a.b:/", 13), 11);
    static char big[5000];
    memcpy(big, "http://a.example/", 17);
    memset(big + 17, 'x', sizeof(big) - 17);
    cr_assert_eq(html_url_len(big, sizeof(big)), 2048);
}

Test(html, clean_keeps_text_and_drops_what_html_forbids)
{
    struct buf b = BUF_INIT;
    const char in[] = "A<b>&\r\nB\rC\x01\x7f\xff\0\tD \xc3\xa9";
    html_clean(&b, in, sizeof(in) - 1);
    cr_assert_str_eq(b.data, "A<b>&\nB\nC\xef\xbf\xbd\tD \xc3\xa9");
    buf_free(&b);
}
