#include <criterion/criterion.h>
#include <string.h>

#include "render/diff.c"

static char *html(const char *a, const char *b, size_t *changes)
{
    static struct buf out;
    buf_free(&out);
    cr_assert_eq(diff_html(&out, a, strlen(a), b, strlen(b), changes), 0);
    return out.data ? out.data : "";
}

Test(diff, identical_texts_have_no_changes)
{
    size_t ch = 99;
    cr_assert_str_eq(html("a\nb\n", "a\nb\n", &ch), "a\nb\n");
    cr_assert_eq(ch, 0);
    cr_assert_str_eq(html("", "", &ch), "");
    cr_assert_eq(ch, 0);
}

Test(diff, one_changed_line_in_the_middle)
{
    size_t ch;
    cr_assert_str_eq(html("one\ntwo\nthree\n", "one\n2\nthree\n", &ch), "one\n<del>two</del>\n<ins>2</ins>\nthree\n");
    cr_assert_eq(ch, 2);
}

Test(diff, insertions_and_deletions_follow_the_lcs)
{
    size_t ch;
    cr_assert_str_eq(html("a\nb\nc\nd\n", "a\nc\nd\ne\n", &ch), "a\n<del>b</del>\nc\nd\n<ins>e</ins>\n");
    cr_assert_eq(ch, 2);
    cr_assert_str_eq(html("", "x\ny", &ch), "<ins>x</ins>\n<ins>y</ins>\n");
    cr_assert_str_eq(html("x\n", "", &ch), "<del>x</del>\n");
    /* LCS is "b c", so a is removed and d added around it */
    cr_assert_str_eq(html("a\nb\nc\n", "b\nc\nd\n", &ch), "<del>a</del>\nb\nc\n<ins>d</ins>\n");
}

Test(diff, lines_are_escaped)
{
    cr_assert_str_eq(html("<b>&\n", "<i>\"'\n", NULL), "<del>&lt;b&gt;&amp;</del>\n<ins>&lt;i&gt;&quot;&#39;</ins>\n");
}

Test(diff, a_missing_final_newline_is_a_change)
{
    size_t ch;
    cr_assert_str_eq(html("a\nb", "a\nb\n", &ch), "a\nb\n");
    cr_assert_eq(ch, 0);
}

Test(diff, inputs_past_the_bound_are_refused)
{
    size_t n = (DIFF_MAX_LINES + 5) * 2;
    char *a = malloc(n + 1), *b = malloc(n + 1);
    for (size_t i = 0; i < n; i += 2) {
        a[i] = 'a', a[i + 1] = '\n';
        b[i] = 'b', b[i + 1] = '\n';
    }
    a[n] = b[n] = '\0';
    struct buf out = BUF_INIT;
    cr_assert_eq(diff_html(&out, a, n, b, n, NULL), -E2BIG);
    /* a long common head and tail do not count against the bound */
    a[n / 2] = 'c';
    memcpy(b, a, n + 1);
    b[n / 2] = 'd';
    cr_assert_eq(diff_html(&out, a, n, b, n, NULL), 0);
    buf_free(&out);
    free(a);
    free(b);
}
