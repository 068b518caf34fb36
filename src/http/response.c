/* Response helpers (see response.h). The security headers are the same on every response:
 * Gazette's pages need no inline script or style, so the policy can be strict everywhere. */
#include "http/response.h"

#include <string.h>

#include "render/html.h"

const char *http_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 422:
        return "Unprocessable Entity";
    case 431:
        return "Request Header Fields Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

void *http_alloc(h2o_req_t *req, size_t size)
{
    return h2o_mem_alloc_pool(&req->pool, size);
}

void http_header(h2o_req_t *req, const char *name, const char *value, size_t len)
{
    h2o_iovec_t v = h2o_strdup(&req->pool, value, len);
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 1, NULL, v.base, v.len);
}

void http_security_headers(h2o_req_t *req)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("content-security-policy"), 0, NULL,
                          H2O_STRLIT(HTTP_CSP));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-content-type-options"), 0, NULL,
                          H2O_STRLIT("nosniff"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("referrer-policy"), 0, NULL,
                          H2O_STRLIT(HTTP_REFERRER_POLICY));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-frame-options"), 0, NULL, H2O_STRLIT("DENY"));
}

int http_is_head(const h2o_req_t *req)
{
    return h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
}

int http_is_get_or_head(const h2o_req_t *req)
{
    return h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) || http_is_head(req);
}

int http_is_post(const h2o_req_t *req)
{
    return h2o_memis(req->method.base, req->method.len, H2O_STRLIT("POST"));
}

int http_is_tls(h2o_req_t *req)
{
    h2o_socket_t *sock = req->conn->callbacks->get_socket != NULL ? req->conn->callbacks->get_socket(req->conn) : NULL;
    return sock != NULL && sock->ssl != NULL;
}

const char *http_req_header(const h2o_req_t *req, const h2o_token_t *token, size_t *len)
{
    ssize_t i = h2o_find_header(&req->headers, token, -1);
    if (i < 0)
        return NULL;
    *len = req->headers.entries[i].value.len;
    return req->headers.entries[i].value.base;
}

void http_send_nocopy(h2o_req_t *req, int status, const char *content_type, const char *body, size_t len)
{
    static h2o_generator_t generator = {NULL, NULL};
    req->res.status = status;
    req->res.reason = http_reason(status);
    /* A 304 describes the stored page: no Content-Length of its own (libh2o sends no body). */
    req->res.content_length = status == 304 ? SIZE_MAX : len;
    if (content_type != NULL)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, content_type, strlen(content_type));
    http_security_headers(req);
    h2o_start_response(req, &generator);
    h2o_iovec_t buf = h2o_iovec_init(body, len);
    if (http_is_head(req) || status == 304 || len == 0)
        h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
    else
        h2o_send(req, &buf, 1, H2O_SEND_STATE_FINAL);
}

void http_send(h2o_req_t *req, int status, const char *content_type, const char *body, size_t len)
{
    h2o_iovec_t copy = h2o_strdup(&req->pool, body, len);
    http_send_nocopy(req, status, content_type, copy.base, copy.len);
}

void http_redirect(h2o_req_t *req, int status, const char *location, size_t len)
{
    struct buf b = BUF_INIT;
    h2o_iovec_t loc = h2o_strdup(&req->pool, location, len);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_LOCATION, NULL, loc.base, loc.len);
    buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Redirect</title></head>"
                 "<body><p><a href=\"");
    html_escape(&b, location, len);
    buf_puts(&b, "\">Continue</a></p></body></html>\n");
    if (b.err == 0)
        http_send(req, status, HTTP_HTML, b.data, b.len);
    else
        http_send(req, status, NULL, "", 0);
    buf_free(&b);
}

void http_send_status(h2o_req_t *req, int status, const char *msg)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s\n", msg != NULL ? msg : http_reason(status));
    http_send(req, status, "text/plain; charset=utf-8", b.data, b.len);
    buf_free(&b);
}
