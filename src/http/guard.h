/* The HTTP/1 request-head guard (guard.c): heads that libh2o 2.2 would accept with conflicting
 * framing, or would refuse with a bare built-in 400, reach the server as a marker request whose
 * path (which no request line can carry: it holds a space) says why. The server answers those
 * with http_guard_refusal's status and closes the connection. A body announced larger than the
 * server's limit for its path is refused the same way, before it is read. Bodies the guard cannot
 * see coming (HTTP/1 chunked, any HTTP/2 body) are held to the same limit once libh2o has read
 * them (http_guard_body_limit): libh2o 2.2 cannot answer an HTTP/2 request before its body ends
 * without resetting the stream, which would lose the answer. */
#pragma once

#include <stddef.h>

#include <h2o.h>

#define HTTP_GUARD_FRAMING "/ conflicting-framing"
#define HTTP_GUARD_MALFORMED "/ malformed"
#define HTTP_GUARD_TOO_LARGE "/ head-too-large"
#define HTTP_GUARD_BODY "/ body-too-large"

/* picohttpparser's header record (not installed with libh2o; the layout is its ABI). */
struct phr_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};

/* picohttpparser's request parser, as libh2o calls it: this one is guard.c's, in front of the
 * library's. Returns the head's length, -2 when incomplete, -1 when it does not parse; a refused
 * head parses as a marker request. */
int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len, const char **path,
                      size_t *path_len, int *minor_version, struct phr_header *headers, size_t *num_headers,
                      size_t last_len);

/* 1 when the headers frame a body two ways: Content-Length with Transfer-Encoding, or two
 * Content-Length headers with different values (identical repeats are allowed, as RFC 9112 says). */
int http_framing_conflict(const struct phr_header *headers, size_t n);

/* The body limits: max bytes for every path but those under upload_paths (a NULL-terminated
 * list, NULL: none), which get the upload limit. Set once, before serving. */
void http_guard_set_body_limit(size_t max, const char *const *upload_paths);

/* The upload paths' limit (the site's largest upload and the form around it): may change while
 * serving; libh2o's own limit, which bounds a body sent without a length, stays above it. */
void http_guard_set_upload_limit(size_t max);

/* The body limit of a request to path[0..n). */
size_t http_guard_body_limit(const char *path, size_t n);

/* 1 when req is a marker request: *status (400, 431) and *why (a sentence) say what to answer. */
int http_guard_refusal(const h2o_req_t *req, int *status, const char **why);
