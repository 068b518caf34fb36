#include <criterion/criterion.h>
#include <string.h>

#include <h2o.h>

#include "http/guard.h"

struct parsed {
    int rc;
    char path[64];
    size_t num_headers;
};

/* Parses a head the way libh2o does: through phr_parse_request, which the guard stands in front of
 * and which calls libh2o's own (this test uses libh2o below, so that it is linked). */
static struct parsed parse(const char *head)
{
    cr_assert_eq(h2o_strtosize("12", 2), 12);
    const char *method, *path;
    size_t method_len, path_len, num = 16;
    int minor;
    struct phr_header h[16];
    struct parsed p = {0};
    p.rc = phr_parse_request(head, strlen(head), &method, &method_len, &path, &path_len, &minor, h, &num, 0);
    if (p.rc >= 0) {
        snprintf(p.path, sizeof(p.path), "%.*s", (int)path_len, path);
        p.num_headers = num;
    }
    return p;
}

Test(guard, good_heads_pass_as_parsed)
{
    const char *get = "GET /a/?b=c HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n";
    struct parsed p = parse(get);
    cr_assert_eq(p.rc, (int)strlen(get));
    cr_assert_str_eq(p.path, "/a/?b=c");
    cr_assert_eq(p.num_headers, 3, "identical repeated lengths are allowed");
    p = parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    cr_assert_str_eq(p.path, "/");
    cr_assert_eq(parse("GET / HTTP/1.1\r\nHost: x\r\n").rc, -2, "incomplete: wait for more");
}

Test(guard, conflicting_framing_becomes_the_marker)
{
    const char *two = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\ncontent-length: 50\r\n\r\nhello";
    struct parsed p = parse(two);
    cr_assert_str_eq(p.path, HTTP_GUARD_FRAMING);
    cr_assert_eq(p.num_headers, 0, "no header left for libh2o to read a body by");
    cr_assert_eq(p.rc, (int)(strlen(two) - 5), "the head only");
    p = parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n");
    cr_assert_str_eq(p.path, HTTP_GUARD_FRAMING);
    p = parse("POST / HTTP/1.1\r\nTRANSFER-ENCODING: chunked\r\nHost: x\r\nContent-Length: 4\r\n\r\n");
    cr_assert_str_eq(p.path, HTTP_GUARD_FRAMING, "in any order and case");
}

Test(guard, unparsable_heads_become_the_marker_but_not_the_http2_preface)
{
    struct parsed p = parse("GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_str_eq(p.path, HTTP_GUARD_MALFORMED);
    p = parse("NOT HTTP AT ALL\r\n\r\n");
    cr_assert_str_eq(p.path, HTTP_GUARD_MALFORMED);
    cr_assert_eq(parse("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").rc, -1, "libh2o switches to HTTP/2 itself");
    cr_assert_eq(parse("\r\n\r\n").rc, -1, "stray line ends: libh2o closes quietly");
}

Test(guard, framing_conflict_rule)
{
    struct phr_header cl5 = {"Content-Length", 14, "5", 1}, cl6 = {"content-length", 14, "6", 1},
                      te = {"Transfer-Encoding", 17, "chunked", 7}, host = {"Host", 4, "x", 1};
    struct phr_header a[] = {host, cl5, cl5};
    cr_assert_not(http_framing_conflict(a, 3));
    struct phr_header b[] = {cl5, host, cl6};
    cr_assert(http_framing_conflict(b, 3));
    struct phr_header c[] = {te, host};
    cr_assert_not(http_framing_conflict(c, 2));
    struct phr_header d[] = {te, cl5};
    cr_assert(http_framing_conflict(d, 2));
}
