#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "render/sanitize.h"

/* The filter's output for html under policy (heap, NUL-terminated); *removed when not NULL. */
static char *run(const char *html, enum html_policy policy, struct html_removed *removed)
{
    struct buf b = BUF_INIT;
    struct html_removed r;
    cr_assert_eq(html_sanitize(html, strlen(html), policy, &b, &r), 0, "%s", html);
    if (removed != NULL)
        *removed = r;
    return buf_steal(&b);
}

static void expect(const char *html, enum html_policy policy, const char *want)
{
    char *got = run(html, policy, NULL);
    cr_assert_str_eq(got, want, "for %s", html);
    free(got);
}

Test(sanitize, urls_keep_only_http_https_mailto_relative_and_fragments)
{
    const char *ok[] = {"https://example.com/a?b#c",
                        "http://x",
                        "HTTPS://X",
                        "mailto:a@b.example",
                        "/path",
                        "relative/path:with-colon",
                        "?q=1",
                        "#top",
                        "",
                        "//cdn.example/x.png",
                        "  https://lead.example"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        cr_assert(html_url_allowed(ok[i], strlen(ok[i]), 0), "%s", ok[i]);
    const char *bad[] = {"javascript:alert(1)",
                         "JaVaScRiPt:alert(1)",
                         " \x01javascript:x",
                         "java\tscript:x",
                         "java\nscript:x",
                         "vbscript:msgbox",
                         "data:text/html,x",
                         "data:image/png;base64,AA",
                         "file:///etc/passwd",
                         "foo:bar",
                         "jar:x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_not(html_url_allowed(bad[i], strlen(bad[i]), 0), "%s", bad[i]);
    cr_assert(html_url_allowed("data:image/png;base64,AA", 24, 1), "data:image/ in an image");
    cr_assert(html_url_allowed("DATA:IMAGE/gif,x", 16, 1));
    cr_assert_not(html_url_allowed("data:text/html,x", 16, 1));
    cr_assert_not(html_url_allowed("data:imagex", 11, 1));
}

Test(sanitize, trusted_html_comes_back_byte_for_byte)
{
    const char *html = "<p>Caf\xc3\xa9 &amp; <b>bold</b><br />\n</p>\n<script>if (a < b) go();</script>"
                       "<iframe src='https://video.example/e' allowfullscreen></iframe><!-- more -->"
                       "<div onclick=\"f()\" style=\"color: red\">x</div><img src=x>";
    struct html_removed r;
    char *got = run(html, HTML_TRUSTED, &r);
    cr_assert_str_eq(got, html);
    cr_assert_eq(r.count, 0);
    free(got);
}

Test(sanitize, trusted_html_loses_only_dangerous_urls)
{
    struct html_removed r;
    char *got = run("<a href=\"jav&#x61;script:alert(1)\" title=t>x</a><script>ok()</script><img "
                    "src=\"data:image/gif;base64,R0\"><form action=\"vbscript:x\"><button formaction=javascript:y>b"
                    "</button></form>",
                    HTML_TRUSTED, &r);
    cr_assert_str_eq(got, "<a title=\"t\">x</a><script>ok()</script><img src=\"data:image/gif;base64,R0\"><form>"
                          "<button>b</button></form>");
    cr_assert_eq(r.count, 3);
    cr_assert_str_eq(r.names, "a URL of a scheme that is not allowed");
    free(got);
    expect("<meta http-equiv=\"refresh\" content=\"0; URL='javascript:alert(1)'\">", HTML_TRUSTED,
           "<meta http-equiv=\"refresh\">");
    expect("<meta http-equiv=\"refresh\" content=\"5; url=https://ok.example/\">x", HTML_TRUSTED,
           "<meta http-equiv=\"refresh\" content=\"5; url=https://ok.example/\">x");
    expect("<img srcset=\"a.png 1x, javascript:x 2x\" src=a.png>", HTML_TRUSTED, "<img src=\"a.png\">");
    expect("<svg><a xlink:href=\"javascript:alert(1)\">x</a></svg>", HTML_TRUSTED, "<svg><a>x</a></svg>");
}

Test(sanitize, filtered_keeps_the_allow_list_and_its_text)
{
    expect("<p class=\"lead\" id=\"a\">Hello <strong>you</strong> &amp; <em>me</em></p>", HTML_FILTERED,
           "<p class=\"lead\" id=\"a\">Hello <strong>you</strong> &amp; <em>me</em></p>");
    expect("<figure class=\"wp-caption\" style=\"width: 300px\"><img src=\"/a.png\" alt=\"A &quot;q&quot;\" "
           "onerror=\"x()\"><figcaption>Cap</figcaption></figure>",
           HTML_FILTERED,
           "<figure class=\"wp-caption\"><img src=\"/a.png\" alt=\"A &quot;q&quot;\"><figcaption>Cap</figcaption>"
           "</figure>");
    expect("<table><tr><td colspan=2 onmouseover=x>a<td>b</table>", HTML_FILTERED,
           "<table><tr><td colspan=\"2\">a</td><td>b</td></tr></table>");
    expect("<ul><li><input type=\"checkbox\" disabled> task</li><li><input type=text name=q></li></ul>", HTML_FILTERED,
           "<ul><li><input type=\"checkbox\" disabled> task</li><li></li></ul>");
    expect("<pre>\n  a &lt; b\n</pre>", HTML_FILTERED, "<pre>\n  a &lt; b\n</pre>");
    expect("Text \"quoted\" at the start, then <b>more", HTML_FILTERED,
           "Text \"quoted\" at the start, then <b>more</b>");
}

Test(sanitize, filtered_drops_code_and_its_content)
{
    struct html_removed r;
    char *got = run("<script>alert(1)</script><style>p{}</style><svg onload=x><circle/></svg>"
                    "<math><mi>x</mi></math><iframe srcdoc=\"<script>x</script>\"></iframe><object data=x>o</object>"
                    "<textarea><img src=x onerror=alert(1)></textarea><noscript><p>n</p></noscript>"
                    "<template><img src=x onerror=y></template><select><option>o</select>kept",
                    HTML_FILTERED, &r);
    cr_assert_str_eq(got, "kept");
    cr_assert_geq(r.count, 10);
    free(got);
    expect("<center><font color=red>still <b>shown</b></font></center>", HTML_FILTERED, "still <b>shown</b>");
    expect("<embed src=x.swf>Following text", HTML_FILTERED, "Following text");
    expect("<base href=\"javascript:x\"><meta http-equiv=refresh content=\"0;url=javascript:x\"><link rel=x "
           "href=y>after",
           HTML_FILTERED, "after");
    expect("<form action=\"javascript:x\"><label>Name</label><button>Go</button></form>", HTML_FILTERED, "Name");
}

Test(sanitize, filtered_escapes_what_a_browser_would_read_otherwise)
{
    expect("<p title=\"</noscript><img src=x onerror=alert(1)>\">t</p>", HTML_FILTERED,
           "<p title=\"&lt;/noscript&gt;&lt;img src=x onerror=alert(1)&gt;\">t</p>");
    expect("<a href=\"&#x6A;avascript&#x3A;alert(1)\">e</a><a href=\"&#106;avascript:alert(1)\">d</a>", HTML_FILTERED,
           "<a>e</a><a>d</a>");
    /* libxml2 reads this as one comment, a browser as an empty one and an image: it goes whole */
    expect("<!--><img src=x onerror=alert(1)>-->", HTML_FILTERED, "");
    expect("<![CDATA[<script>alert(1)</script>]]>ok", HTML_FILTERED, "&lt;![CDATA[]]&gt;ok");
    expect("<img src=\"x\" alt=\"a\" / onerror=alert(1)>", HTML_FILTERED, "<img src=\"x\" alt=\"a\">");
    expect("<?php echo 1 ?>after", HTML_FILTERED, "after");
}

Test(sanitize, filtered_source_keeps_block_markers_for_wpautop)
{
    expect("<!-- wp:paragraph {\"align\":\"center\"} -->\n<p>x</p>\n<!-- /wp:paragraph --><!--more-->",
           HTML_FILTERED_SOURCE,
           "<!-- wp:paragraph {\"align\":\"center\"} -->\n<p>x</p>\n<!-- /wp:paragraph --><!--more-->");
    expect("<!-- a > b --><!--x- --><!---x--><!-- -x- --><!---->t", HTML_FILTERED_SOURCE,
           "<!--x- --><!-- -x- --><!---->t");
    expect("<!--><img src=x onerror=alert(1)>-->", HTML_FILTERED_SOURCE, "");
    expect("[caption id=\"attachment_1\" width=\"300\"]<img src=\"/a.png\"> Cap[/caption]", HTML_FILTERED_SOURCE,
           "[caption id=\"attachment_1\" width=\"300\"]<img src=\"/a.png\"> Cap[/caption]");
}

Test(sanitize, broken_input_is_still_answered)
{
    expect("caf\xe9 <b>\xff</b>", HTML_FILTERED, "caf\xef\xbf\xbd <b>\xef\xbf\xbd</b>");
    expect("<b><i>unclosed", HTML_FILTERED, "<b><i>unclosed</i></b>");
    expect("</div></p>stray ends", HTML_FILTERED, "stray ends");
    expect("<body onload=alert(1)><p>in body</p></body></html><p>after</p>", HTML_FILTERED,
           "<p>in body</p><p>after</p>");
    static char deep[5 * 5000 + 1];
    for (int i = 0; i < 5000; i++)
        memcpy(deep + 5 * i, "<div>", 5);
    struct buf b = BUF_INIT;
    cr_assert_eq(html_sanitize(deep, strlen(deep), HTML_FILTERED, &b, NULL), -E2BIG, "nested past the parser");
    cr_assert_eq(b.len, 0, "nothing appended");
    buf_free(&b);
}

Test(sanitize, filtering_twice_changes_nothing_more)
{
    const char *inputs[] = {"<p>a &amp; b <a href=\"/x\" onclick=y>l</a></p><script>z</script>",
                            "<table><tr><td>1<td>2</table><ul><li>x<li>y</ul>",
                            "<figure><img src=a.png srcset=\"a.png 1x, b.png 2x\"><figcaption>c</figcaption></figure>"};
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        char *once = run(inputs[i], HTML_FILTERED, NULL);
        struct html_removed r;
        char *twice = run(once, HTML_FILTERED, &r);
        cr_assert_str_eq(twice, once);
        cr_assert_eq(r.count, 0, "%s", once);
        free(once);
        free(twice);
    }
}
