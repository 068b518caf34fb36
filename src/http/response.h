/* Response helpers: every answer Gazette sends goes through here, so every one carries the
 * security headers and a Content-Length (never chunked), and HEAD gets the headers only. */
#pragma once

#include <stddef.h>

#include <h2o.h>

#define HTTP_CSP                                                                                                       \
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; form-action 'self'; "       \
    "frame-ancestors 'none'; base-uri 'none'"

#define HTTP_REFERRER_POLICY "strict-origin-when-cross-origin"

/* The security headers as raw HTTP/1 header lines, for answers written to a socket directly. */
#define HTTP_SECURITY_HEADER_LINES                                                                                     \
    "Content-Security-Policy: " HTTP_CSP                                                                               \
    "\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: " HTTP_REFERRER_POLICY "\r\nX-Frame-Options: DENY\r\n"

#define HTTP_HTML "text/html; charset=utf-8"

/* The reason phrase for a status code ("OK", "Not Found"...). */
const char *http_reason(int status);

/* Adds Content-Security-Policy, X-Content-Type-Options, Referrer-Policy and X-Frame-Options
 * (every http_send* does; the server also adds them to the errors libh2o answers by itself). */
void http_security_headers(h2o_req_t *req);

/* Adds a response header; name and value are copied into the request's pool. */
void http_header(h2o_req_t *req, const char *name, const char *value, size_t len);

/* Sends status + body with the security headers; the body is copied into the request's pool. */
void http_send(h2o_req_t *req, int status, const char *content_type, const char *body, size_t len);

/* Like http_send, but the body is not copied: it must stay valid until the request's pool is
 * cleared (hold a reference through h2o_mem_alloc_shared's dispose callback). */
void http_send_nocopy(h2o_req_t *req, int status, const char *content_type, const char *body, size_t len);

/* Sends a redirect (301, 302, 303) to location[0..len), with a short HTML body. */
void http_redirect(h2o_req_t *req, int status, const char *location, size_t len);

/* Sends a minimal plain-text page for status, with msg (NULL: the reason phrase). */
void http_send_status(h2o_req_t *req, int status, const char *msg);

/* The request's method is HEAD / GET / POST. */
int http_is_head(const h2o_req_t *req);
int http_is_get_or_head(const h2o_req_t *req);
int http_is_post(const h2o_req_t *req);

/* 1 when the request came over TLS (asked of the connection: the :scheme an HTTP/2 client
 * sends is its own claim). */
int http_is_tls(h2o_req_t *req);

/* The first value of a request header (by lower-case name), or NULL; its length goes to *len. */
const char *http_req_header(const h2o_req_t *req, const h2o_token_t *token, size_t *len);

/* Allocates from the request's pool (wraps the libh2o 2.2 signature). */
void *http_alloc(h2o_req_t *req, size_t size);
