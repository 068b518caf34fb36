/* The HTTP/1 request-head guard (guard.c): heads that libh2o 2.2 would accept with conflicting
 * framing, or would refuse with a bare built-in 400, reach the server as a marker request whose
 * path (which no request line can carry: it holds a space) says why. The server answers those
 * with http_guard_refusal's status and closes the connection. */
#pragma once

#include <stddef.h>

#include <h2o.h>

#define HTTP_GUARD_FRAMING "/ conflicting-framing"
#define HTTP_GUARD_MALFORMED "/ malformed"
#define HTTP_GUARD_TOO_LARGE "/ head-too-large"

struct phr_header;

/* 1 when the headers frame a body two ways: Content-Length with Transfer-Encoding, or two
 * Content-Length headers with different values (identical repeats are allowed, as RFC 9112 says). */
int http_framing_conflict(const struct phr_header *headers, size_t n);

/* 1 when req is a marker request: *status (400, 431) and *why (a sentence) say what to answer. */
int http_guard_refusal(const h2o_req_t *req, int *status, const char **why);
