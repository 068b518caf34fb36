#include <criterion/criterion.h>
#include <errno.h>

#include "http/server.h"

static int parse(const char *s, char *host, char *port)
{
    return http_parse_listen(s, host, 64, port, 8);
}

Test(server, parses_listen_addresses)
{
    char host[64], port[8];
    cr_assert_eq(parse("127.0.0.1:8080", host, port), 0);
    cr_assert_str_eq(host, "127.0.0.1");
    cr_assert_str_eq(port, "8080");
    cr_assert_eq(parse("[::1]:0", host, port), 0);
    cr_assert_str_eq(host, "::1");
    cr_assert_str_eq(port, "0");
    cr_assert_eq(parse(":9000", host, port), 0);
    cr_assert_str_eq(host, "127.0.0.1", "a bare port listens on loopback");
    cr_assert_eq(parse("localhost:65535", host, port), 0);
    cr_assert_str_eq(host, "localhost");
}

Test(server, refuses_bad_listen_addresses)
{
    char host[64], port[8];
    cr_assert_eq(parse("127.0.0.1", host, port), -EINVAL);
    cr_assert_eq(parse("127.0.0.1:", host, port), -EINVAL);
    cr_assert_eq(parse("127.0.0.1:65536", host, port), -EINVAL);
    cr_assert_eq(parse("127.0.0.1:80a", host, port), -EINVAL);
    cr_assert_eq(parse("127.0.0.1:123456", host, port), -EINVAL);
    cr_assert_eq(parse("::1:80", host, port), -EINVAL, "IPv6 needs brackets");
    char longhost[100];
    memset(longhost, 'h', 90);
    strcpy(longhost + 90, ":80");
    cr_assert_eq(parse(longhost, host, port), -EINVAL);
}
