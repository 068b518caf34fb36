#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "render/markdown.h"

static char *md(const char *src, unsigned flags)
{
    struct buf b = BUF_INIT;
    cr_assert_eq(markdown_render(src, strlen(src), flags, &b), 0);
    return buf_steal(&b);
}

#define HAS(html, needle) cr_assert_not_null(strstr(html, needle), "missing %s in:\n%s", needle, html)
#define HASNT(html, needle) cr_assert_null(strstr(html, needle), "unexpected %s in:\n%s", needle, html)

Test(markdown, renders_commonmark)
{
    char *h = md("# Title\n\nSome *em* and **strong**.\n\n- one\n- two\n\n> quoted\n", 0);
    HAS(h, "<h1>Title</h1>");
    HAS(h, "<em>em</em>");
    HAS(h, "<strong>strong</strong>");
    HAS(h, "<li>one</li>");
    HAS(h, "<blockquote>");
    free(h);
}

Test(markdown, github_tables)
{
    char *h = md("| a | b |\n|---|---|\n| 1 | 2 |\n", 0);
    HAS(h, "<table>");
    HAS(h, "<th>a</th>");
    HAS(h, "<td>2</td>");
    free(h);
}

Test(markdown, github_strikethrough_and_autolinks)
{
    char *h = md("~~gone~~ see https://example.com/x and www.example.org\n", 0);
    HAS(h, "<del>gone</del>");
    HAS(h, "<a href=\"https://example.com/x\">");
    HAS(h, "<a href=\"http://www.example.org\">");
    free(h);
}

Test(markdown, raw_html_is_escaped_by_default)
{
    char *h = md("<script>alert(1)</script>\n\nText with <b onclick=\"x()\">bold</b>.\n", 0);
    HASNT(h, "<script");
    HASNT(h, "<b ");
    HAS(h, "&lt;script&gt;");
    HAS(h, "&lt;b onclick=");
    free(h);
}

Test(markdown, raw_html_passes_when_allowed)
{
    char *h = md("Text with <b>bold</b>.\n", MARKDOWN_ALLOW_HTML);
    HAS(h, "<b>bold</b>");
    free(h);
}

Test(markdown, link_urls_are_escaped)
{
    char *h = md("[x](http://a.example/\"onmouseover=\"y)\n", 0);
    HASNT(h, "\"onmouseover=\"");
    free(h);
}

Test(markdown, empty_and_oversized_input)
{
    char *h = md("", 0);
    cr_assert_str_eq(h, "");
    free(h);
    struct buf b = BUF_INIT;
    cr_assert_eq(markdown_render("x", MARKDOWN_MAX_INPUT + 1, 0, &b), -E2BIG);
    buf_free(&b);
}

Test(markdown, table_alignment_becomes_a_class)
{
    struct buf b = BUF_INIT;
    const char *src = "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n";
    cr_assert_eq(markdown_render(src, strlen(src), 0, &b), 0);
    cr_assert_null(strstr(b.data, "align="), "%s", b.data);
    cr_assert_not_null(strstr(b.data, "<th class=\"align-left\">a</th>"), "%s", b.data);
    cr_assert_not_null(strstr(b.data, "<td class=\"align-center\">2</td>"), "%s", b.data);
    cr_assert_not_null(strstr(b.data, "<td class=\"align-right\">3</td>"), "%s", b.data);
    buf_free(&b);
}

Test(markdown, aligned_table_cells_get_classes_not_the_obsolete_attribute)
{
    char *h = md("| l | c | r |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\nText: \" align=\"left\">\n", 0);
    HAS(h, "<th class=\"align-left\">l</th>");
    HAS(h, "<td class=\"align-center\">2</td>");
    HAS(h, "<td class=\"align-right\">3</td>");
    HASNT(h, " align=\"");
    HAS(h, "&quot; align=&quot;left&quot;&gt;"); /* text that looks like the attribute stays text */
    free(h);
}
