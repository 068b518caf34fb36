#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "http/form.h"

static void parse_ok(struct form *f, const char *s)
{
    cr_assert_eq(form_parse(f, s, strlen(s)), 0, "parsing %s", s);
}

Test(form, decodes_names_values_plus_and_escapes)
{
    struct form f;
    parse_ok(&f, "comment=Hello+world%21&author=J%C3%BCrgen&email=a%40b.example&url=");
    cr_assert_eq(f.n, 4);
    cr_assert_str_eq(form_get(&f, "comment", NULL), "Hello world!");
    cr_assert_str_eq(form_get(&f, "author", NULL), "J\xc3\xbcrgen");
    cr_assert_str_eq(form_get(&f, "email", NULL), "a@b.example");
    size_t len = 99;
    cr_assert_str_eq(form_get(&f, "url", &len), "");
    cr_assert_eq(len, 0);
    cr_assert_null(form_get(&f, "missing", NULL));
    form_free(&f);
}

Test(form, malformed_escapes_stay_literal)
{
    struct form f;
    parse_ok(&f, "a=100%&b=%zz&c=%4&d=%4g&e=%%41&f=%2B");
    cr_assert_str_eq(form_get(&f, "a", NULL), "100%");
    cr_assert_str_eq(form_get(&f, "b", NULL), "%zz");
    cr_assert_str_eq(form_get(&f, "c", NULL), "%4");
    cr_assert_str_eq(form_get(&f, "d", NULL), "%4g");
    cr_assert_str_eq(form_get(&f, "e", NULL), "%A");
    cr_assert_str_eq(form_get(&f, "f", NULL), "+");
    form_free(&f);
}

Test(form, embedded_nul_keeps_its_length)
{
    struct form f;
    parse_ok(&f, "x=a%00b");
    size_t len;
    const char *v = form_get(&f, "x", &len);
    cr_assert_eq(len, 3);
    cr_assert_eq(memcmp(v, "a\0b", 3), 0);
    form_free(&f);
}

Test(form, empty_pairs_and_missing_equals)
{
    struct form f;
    parse_ok(&f, "&&a=1&&flag&=v&");
    cr_assert_eq(f.n, 3);
    cr_assert_str_eq(form_get(&f, "a", NULL), "1");
    cr_assert_str_eq(form_get(&f, "flag", NULL), "");
    cr_assert_str_eq(form_get(&f, "", NULL), "v");
    form_free(&f);
    parse_ok(&f, "");
    cr_assert_eq(f.n, 0);
    form_free(&f);
}

Test(form, first_of_duplicates_wins)
{
    struct form f;
    parse_ok(&f, "a=1&a=2");
    cr_assert_str_eq(form_get(&f, "a", NULL), "1");
    form_free(&f);
}

Test(form, input_is_a_length_not_a_string)
{
    struct form f;
    cr_assert_eq(form_parse(&f, "a=12&b=3", 4), 0);
    cr_assert_eq(f.n, 1);
    cr_assert_str_eq(form_get(&f, "a", NULL), "12");
    form_free(&f);
}

Test(form, too_many_fields_is_refused)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < FORM_MAX_FIELDS; i++)
        buf_printf(&b, "f%d=x&", i);
    struct form f;
    cr_assert_eq(form_parse(&f, b.data, b.len), 0);
    cr_assert_eq(f.n, FORM_MAX_FIELDS);
    form_free(&f);
    buf_puts(&b, "one=more");
    cr_assert_eq(form_parse(&f, b.data, b.len), -E2BIG);
    cr_assert_eq(f.n, 0);
    form_free(&f);
    buf_free(&b);
}

Test(form, long_names_and_huge_input_are_refused)
{
    char name[FORM_MAX_NAME + 3];
    memset(name, 'n', sizeof(name));
    name[FORM_MAX_NAME + 1] = '=';
    name[FORM_MAX_NAME + 2] = 'v';
    struct form f;
    cr_assert_eq(form_parse(&f, name, sizeof(name)), -E2BIG);
    form_free(&f);
    cr_assert_eq(form_parse(&f, name, FORM_MAX_INPUT + 1), -E2BIG);
    form_free(&f);
}

Test(form, encode_round_trips)
{
    const char *in = "Ann O'Neil <ann@x.example> & co/100%+ \xc3\xa9";
    struct buf b = BUF_INIT;
    form_encode(&b, in, strlen(in));
    cr_assert_eq(strspn(b.data, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%"), b.len);
    char out[128];
    size_t n = form_decode(out, b.data, b.len, 1);
    cr_assert_eq(n, strlen(in));
    cr_assert_eq(memcmp(out, in, n), 0);
    buf_free(&b);
}
