/* A look at every HTTP/1 request head before libh2o acts on it: libh2o 2.2 calls picohttpparser's
 * phr_parse_request through the dynamic symbol table, so the definition below comes first, calls
 * the library's, and turns some heads into a marker request (guard.h): conflicting framing,
 * which libh2o would read by one rule while a proxy in front may have used the other (request
 * smuggling), heads libh2o would refuse with a bare 400 lacking the security headers, and bodies
 * announced over their path's limit (libh2o has a single limit, for every path: the uploads'). */
#include "http/guard.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <h2o.h>

typedef int (*phr_parse_request_fn)(const char *buf, size_t len, const char **method, size_t *method_len,
                                    const char **path, size_t *path_len, int *minor_version, struct phr_header *headers,
                                    size_t *num_headers, size_t last_len);

static phr_parse_request_fn library_parse;
static pthread_once_t library_once = PTHREAD_ONCE_INIT;

static void find_library_parse(void)
{
    library_parse = (phr_parse_request_fn)dlsym(RTLD_NEXT, "phr_parse_request");
    if (library_parse == NULL)
        abort(); /* built without libh2o's parser behind this one: no request could be read */
}

static size_t body_max = SIZE_MAX;
static const char *const *upload_paths;
static _Atomic size_t upload_max = SIZE_MAX;

void http_guard_set_body_limit(size_t max, const char *const *paths)
{
    body_max = max;
    upload_paths = paths;
}

void http_guard_set_upload_limit(size_t max)
{
    upload_max = max;
}

size_t http_guard_body_limit(const char *path, size_t n)
{
    for (size_t i = 0; upload_paths != NULL && upload_paths[i] != NULL; i++) {
        size_t u = strlen(upload_paths[i]);
        if (n >= u && memcmp(path, upload_paths[i], u) == 0)
            return upload_max;
    }
    return body_max;
}

static int named(const struct phr_header *h, const char *name, size_t n)
{
    return h->name_len == n && strncasecmp(h->name, name, n) == 0;
}

int http_framing_conflict(const struct phr_header *headers, size_t n)
{
    const struct phr_header *length = NULL;
    int chunked = 0;
    for (size_t i = 0; i < n; i++) {
        if (named(&headers[i], "transfer-encoding", 17)) {
            chunked = 1;
        } else if (named(&headers[i], "content-length", 14)) {
            if (length != NULL && (length->value_len != headers[i].value_len ||
                                   memcmp(length->value, headers[i].value, length->value_len)))
                return 1;
            length = &headers[i];
        }
    }
    return chunked && length != NULL;
}

/* 1 when a Content-Length header announces more than the path may send. */
static int body_too_large(const char *path, size_t path_len, const struct phr_header *headers, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!named(&headers[i], "content-length", 14))
            continue;
        size_t v = 0;
        for (size_t k = 0; k < headers[i].value_len; k++) {
            char ch = headers[i].value[k];
            if (ch < '0' || ch > '9' || v > SIZE_MAX / 10 - 10)
                return 0; /* not a length: libh2o refuses it */
            v = v * 10 + (size_t)(ch - '0');
        }
        return v > http_guard_body_limit(path, path_len);
    }
    return 0;
}

/* Rewrites the parse into the marker request for a refusal. */
static int refuse(const char *marker, size_t consumed, const char **method, size_t *method_len, const char **path,
                  size_t *path_len, int *minor_version, size_t *num_headers)
{
    *method = "GET";
    *method_len = 3;
    *path = marker;
    *path_len = strlen(marker);
    *minor_version = 1;
    *num_headers = 0;
    return (int)consumed;
}

static int only_crlf(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len, const char **path,
                      size_t *path_len, int *minor_version, struct phr_header *headers, size_t *num_headers,
                      size_t last_len)
{
    pthread_once(&library_once, find_library_parse);
    int r = library_parse(buf, len, method, method_len, path, path_len, minor_version, headers, num_headers, last_len);
    if (r >= 0) {
        if (http_framing_conflict(headers, *num_headers))
            return refuse(HTTP_GUARD_FRAMING, (size_t)r, method, method_len, path, path_len, minor_version,
                          num_headers);
        if (body_too_large(*path, *path_len, headers, *num_headers))
            return refuse(HTTP_GUARD_BODY, (size_t)r, method, method_len, path, path_len, minor_version, num_headers);
        return r;
    }
    if (r == -2) {
        /* libh2o reads at most H2O_MAX_REQLEN bytes of a head, and refuses it when that is not enough */
        if (len >= H2O_MAX_REQLEN)
            return refuse(HTTP_GUARD_TOO_LARGE, len, method, method_len, path, path_len, minor_version, num_headers);
        return r;
    }
    /* libh2o itself handles two heads that do not parse: the HTTP/2 preface (it switches
     * protocols) and a few stray line ends (it closes quietly) */
    if ((len >= 12 && memcmp(buf, "PRI * HTTP/2", 12) == 0) || (len <= 4 && only_crlf(buf, len)))
        return r;
    return refuse(HTTP_GUARD_MALFORMED, len, method, method_len, path, path_len, minor_version, num_headers);
}

int http_guard_refusal(const h2o_req_t *req, int *status, const char **why)
{
    static const struct {
        const char *marker;
        int status;
        const char *why;
    } refusals[] = {
        {HTTP_GUARD_FRAMING, 400, "The request has conflicting Content-Length and Transfer-Encoding headers."},
        {HTTP_GUARD_MALFORMED, 400, "The request could not be parsed."},
        {HTTP_GUARD_TOO_LARGE, 431, "The request's header is too large."},
        {HTTP_GUARD_BODY, 413, "The request's body is too large."},
    };
    h2o_iovec_t p = req->input.path;
    if (p.len < 2 || p.base[1] != ' ')
        return 0;
    for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
        if (h2o_memis(p.base, p.len, refusals[i].marker, strlen(refusals[i].marker))) {
            *status = refusals[i].status;
            *why = refusals[i].why;
            return 1;
        }
    }
    return 0;
}
