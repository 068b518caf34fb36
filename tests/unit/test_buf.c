#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "lib/buf.h"

Test(buf, appends_and_terminates)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "hello");
    buf_putc(&b, ' ');
    buf_printf(&b, "%d %s", 42, "world");
    cr_assert_eq(b.err, 0);
    cr_assert_str_eq(b.data, "hello 42 world");
    cr_assert_eq(b.len, strlen("hello 42 world"));
    buf_free(&b);
}

Test(buf, grows_past_initial_capacity)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < 10000; i++)
        buf_append(&b, "0123456789", 10);
    cr_assert_eq(b.err, 0);
    cr_assert_eq(b.len, 100000);
    cr_assert_eq(b.data[99999], '9');
    buf_free(&b);
}

Test(buf, refuses_past_maximum_and_keeps_what_it_had)
{
    struct buf b = {.max = 16};
    cr_assert_eq(buf_puts(&b, "0123456789"), 0);
    cr_assert_eq(buf_puts(&b, "0123456789"), -E2BIG);
    cr_assert_str_eq(b.data, "0123456789");
    cr_assert_eq(buf_puts(&b, "x"), -E2BIG, "the error is sticky");
    buf_reset(&b);
    cr_assert_eq(buf_puts(&b, "short"), 0);
    buf_free(&b);
}

Test(buf, steal_hands_over_the_data)
{
    struct buf b = BUF_INIT;
    char *p = buf_steal(&b);
    cr_assert_str_eq(p, "");
    free(p);
    buf_puts(&b, "abc");
    p = buf_steal(&b);
    cr_assert_str_eq(p, "abc");
    cr_assert_null(b.data);
    free(p);
}
