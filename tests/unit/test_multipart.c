/* multipart/form-data bodies: what a browser sends, and what is refused. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "http/multipart.h"

#define B "----WebKitFormBoundary7MA4YWxkTrZu0gW"

static int parse(const char *body, size_t n, struct multipart *m)
{
    h2o_iovec_t b;
    static const char ct[] = "multipart/form-data; boundary=" B;
    cr_assert_eq(multipart_boundary(ct, sizeof(ct) - 1, &b), 0);
    return multipart_parse(body, n, b, m);
}

Test(multipart, boundary_from_the_header)
{
    h2o_iovec_t b;
    static const char q[] = "multipart/form-data; charset=utf-8; boundary=\"a b\"";
    cr_assert_eq(multipart_boundary(q, sizeof(q) - 1, &b), 0);
    cr_assert_eq(b.len, 3);
    cr_assert_eq(memcmp(b.base, "a b", 3), 0);
    static const char form[] = "application/x-www-form-urlencoded";
    cr_assert_eq(multipart_boundary(form, sizeof(form) - 1, &b), -EINVAL);
    static const char none[] = "multipart/form-data";
    cr_assert_eq(multipart_boundary(none, sizeof(none) - 1, &b), -EINVAL);
    char longb[200] = "multipart/form-data; boundary=";
    memset(longb + strlen(longb), 'x', 71);
    cr_assert_eq(multipart_boundary(longb, strlen(longb), &b), -EINVAL);
}

Test(multipart, fields_and_a_binary_file)
{
    static const char body[] = "--" B "\r\n"
                               "Content-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
                               "tok\r\n"
                               "--" B "\r\n"
                               "Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".jpg\"\r\n"
                               "Content-Type: image/jpeg\r\n\r\n"
                               "\xff\xd8\r\n--not-the-boundary\0\x01\r\n"
                               "--" B "\r\n"
                               "Content-Disposition: form-data; name=\"alt\"\r\n\r\n"
                               "\r\n"
                               "--" B "--\r\n";
    struct multipart m;
    cr_assert_eq(parse(body, sizeof(body) - 1, &m), 0);
    cr_assert_eq(m.n, 3);
    const struct multipart_part *f = multipart_get(&m, "file");
    cr_assert_not_null(f);
    cr_assert(f->is_file);
    cr_assert_eq(f->type.len, 10);
    cr_assert_eq(f->data.len, 24);
    cr_assert_eq(memcmp(f->data.base, "\xff\xd8\r\n--not-the-boundary\0\x01", 24), 0);
    const struct multipart_part *c = multipart_get(&m, "_csrf");
    cr_assert_eq(c->data.len, 3);
    cr_assert(!c->is_file);
    cr_assert_eq(multipart_get(&m, "alt")->data.len, 0);
    cr_assert_null(multipart_get(&m, "nope"));
}

Test(multipart, malformed_bodies_are_refused)
{
    struct multipart m;
    static const char unclosed[] = "--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue";
    cr_assert_eq(parse(unclosed, sizeof(unclosed) - 1, &m), -EINVAL);
    static const char no_disposition[] = "--" B "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" B "--";
    cr_assert_eq(parse(no_disposition, sizeof(no_disposition) - 1, &m), -EINVAL);
    static const char not_form[] = "--" B "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--" B "--";
    cr_assert_eq(parse(not_form, sizeof(not_form) - 1, &m), -EINVAL);
    cr_assert_eq(parse("", 0, &m), -EINVAL);
    static const char no_headers_end[] = "--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n";
    cr_assert_eq(parse(no_headers_end, sizeof(no_headers_end) - 1, &m), -EINVAL);
}

Test(multipart, limits_hold)
{
    struct multipart m;
    static char body[65536];
    size_t n = 0;
    for (int i = 0; i < MULTIPART_MAX_PARTS + 1; i++)
        n += (size_t)sprintf(body + n, "--" B "\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
    n += (size_t)sprintf(body + n, "--" B "--\r\n");
    cr_assert_eq(parse(body, n, &m), -E2BIG);
    n = (size_t)sprintf(body, "--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Long: ");
    memset(body + n, 'x', MULTIPART_HEAD_MAX);
    n += MULTIPART_HEAD_MAX;
    n += (size_t)sprintf(body + n, "\r\n\r\nv\r\n--" B "--");
    cr_assert_eq(parse(body, n, &m), -E2BIG);
}
