/* The HTTP/1 request-head guard (guard.c): heads that libh2o 2.2 would accept with conflicting
 * framing, or would refuse with a bare built-in 400, reach the server as a marker request whose
 * path (which no request line can carry: it holds a space) says why. The server answers those
 * with http_guard_refusal's status and closes the connection. A body announced larger than the
 * server's limit for its path is refused the same way, before it is read. */
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

/* Bodies announced (Content-Length) over max bytes are refused from the head (413), but for paths
 * under one of upload_paths (NULL-terminated; NULL: none), which libh2o's own limit bounds. Set
 * once, before serving; the list must outlive the server. */
void http_guard_set_body_limit(size_t max, const char *const *upload_paths);

/* 1 when req is a marker request: *status (400, 431) and *why (a sentence) say what to answer. */
int http_guard_refusal(const h2o_req_t *req, int *status, const char **why);
