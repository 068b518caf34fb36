#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "http/cookie.h"

static const char *get(const char *h, const char *name)
{
    static char out[256];
    const char *v;
    size_t len;
    if (cookie_get(h, strlen(h), name, &v, &len) != 0)
        return NULL;
    memcpy(out, v, len);
    out[len] = '\0';
    return out;
}

Test(cookie, finds_by_exact_name)
{
    const char *h = "a=1; gazette_commenter=name%3DAnn; gazette_commenter2=no";
    cr_assert_str_eq(get(h, "a"), "1");
    cr_assert_str_eq(get(h, "gazette_commenter"), "name%3DAnn");
    cr_assert_null(get(h, "gazette"));
    cr_assert_null(get(h, "b"));
}

Test(cookie, trims_space_and_quotes)
{
    cr_assert_str_eq(get("  x =  \"quoted\" ;y=2", "x"), "quoted");
    cr_assert_str_eq(get("x=1;y=2", "y"), "2");
    cr_assert_str_eq(get("x=", "x"), "");
}

Test(cookie, ignores_garbage)
{
    cr_assert_null(get("novalue; ;;=;", "novalue"));
    cr_assert_str_eq(get("novalue; ;;=; z=ok", "z"), "ok");
    cr_assert_null(get("", "x"));
}

Test(cookie, header_length_is_respected)
{
    const char *v;
    size_t len;
    cr_assert_eq(cookie_get("a=1; b=2", 4, "a", &v, &len), 0);
    cr_assert_eq(len, 1);
    cr_assert_eq(cookie_get("a=1; b=2", 4, "b", &v, &len), -ENOENT);
}

Test(cookie, formats_with_the_safe_attributes)
{
    struct buf b = BUF_INIT;
    cookie_format(&b, "gazette_commenter", "name=Ann", 8, 31536000);
    cr_assert_str_eq(b.data, "gazette_commenter=name=Ann; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax");
    buf_reset(&b);
    cookie_format(&b, "c", "", 0, 0);
    cr_assert_str_eq(b.data, "c=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    buf_free(&b);
}
