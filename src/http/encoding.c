/* Content codings and validators (see encoding.h). Brotli and zlib do the compressing; this file
 * picks levels (the strongest for theme files made once at start, a fast one for pages stored in
 * the cache, since they are made again after writes), reads Accept-Encoding, and answers
 * conditional requests. */
#include "http/encoding.h"

#include <brotli/encode.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

#include "http/response.h"

#define GZIP_WINDOW_BITS (15 + 16) /* deflate with a gzip header and trailer */
#define GZIP_WRAPPER 18            /* the gzip header and trailer, beyond compressBound */
#define ETAG_SUFFIX_MAX 3          /* "-gz", "-br" */

static const struct {
    int br_quality, gzip_level;
} levels[] = {
    [HTTP_EFFORT_MAX] = {BROTLI_MAX_QUALITY, 9},
    [HTTP_EFFORT_STORED] = {5, 6},
    [HTTP_EFFORT_FAST] = {4, 5},
};

int http_compressible(const char *type)
{
    static const char *const prefixes[] = {
        "text/",
        "application/json",
        "application/javascript",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/xhtml+xml",
        "application/manifest+json",
        "image/svg+xml",
    };
    for (size_t i = 0; type != NULL && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(type, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

/* A qvalue ("0", "0.5", "1.000") in thousandths, or -1 when it is not one. */
static int parse_q(const char *s, size_t n)
{
    if (n == 0 || (s[0] != '0' && s[0] != '1'))
        return -1;
    int q = (s[0] - '0') * 1000, scale = 100;
    if (n == 1)
        return q;
    if (s[1] != '.' || n > 5)
        return -1;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (s[i] < '0' || s[i] > '9' || (q == 1000 && s[i] != '0'))
            return -1;
        q += (s[i] - '0') * scale;
    }
    return q;
}

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

enum http_coding http_choose_coding(const char *h, size_t n, int have_gzip, int have_br)
{
    int q_br = -1, q_gzip = -1, q_identity = -1, q_any = -1;
    if (h == NULL)
        return HTTP_IDENTITY;
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && h[end] != ',')
            end++;
        size_t a = i;
        while (a < end && is_ows(h[a]))
            a++;
        size_t b = a;
        while (b < end && h[b] != ';' && !is_ows(h[b]))
            b++;
        int q = 1000;
        for (size_t p = b; p < end;) { /* parameters: only q matters */
            while (p < end && h[p] != ';')
                p++;
            if (p++ >= end)
                break;
            while (p < end && is_ows(h[p]))
                p++;
            size_t v = p;
            while (v < end && h[v] != ';' && !is_ows(h[v]))
                v++;
            if (v - p >= 2 && (h[p] == 'q' || h[p] == 'Q') && h[p + 1] == '=')
                q = parse_q(h + p + 2, v - p - 2);
            p = v;
        }
        const char *t = h + a;
        size_t tl = b - a;
        if (q >= 0) {
            if (tl == 2 && strncasecmp(t, "br", 2) == 0)
                q_br = q;
            else if ((tl == 4 && strncasecmp(t, "gzip", 4) == 0) || (tl == 6 && strncasecmp(t, "x-gzip", 6) == 0))
                q_gzip = q;
            else if (tl == 8 && strncasecmp(t, "identity", 8) == 0)
                q_identity = q;
            else if (tl == 1 && t[0] == '*')
                q_any = q;
        }
        i = end + 1;
    }
    /* A coding not named is acceptable only through "*". Identity is acceptable unless excluded,
     * but when not named it comes after any coding the client named */
    int br = !have_br ? 0 : q_br >= 0 ? q_br : q_any >= 0 ? q_any : 0;
    int gzip = !have_gzip ? 0 : q_gzip >= 0 ? q_gzip : q_any >= 0 ? q_any : 0;
    int identity = q_identity >= 0 ? q_identity : q_any >= 0 ? q_any : 1;
    if (br > 0 && br >= gzip && br >= identity)
        return HTTP_BR;
    if (gzip > 0 && gzip >= identity)
        return HTTP_GZIP;
    return HTTP_IDENTITY;
}

/* The largest compressed size of n bytes. */
static size_t bound(enum http_coding c, size_t n)
{
    return c == HTTP_BR ? BrotliEncoderMaxCompressedSize(n) : (size_t)compressBound((uLong)n) + GZIP_WRAPPER;
}

/* Compresses in[0..n) into out (bound() bytes); the length goes to *out_len. 0 or -EIO. */
static int compress_to(enum http_coding c, enum http_effort effort, const char *in, size_t n, char *out,
                       size_t *out_len)
{
    size_t cap = bound(c, n);
    if (c == HTTP_BR) {
        if (!BrotliEncoderCompress(levels[effort].br_quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, n,
                                   (const uint8_t *)in, &cap, (uint8_t *)out))
            return -EIO;
        *out_len = cap;
        return 0;
    }
    z_stream z = {0};
    if (deflateInit2(&z, levels[effort].gzip_level, Z_DEFLATED, GZIP_WINDOW_BITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -EIO;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    return rc == Z_STREAM_END ? 0 : -EIO;
}

/* A malloc'd compressed copy, or NULL when it would not be smaller (or could not be made). */
static char *copy_compressed(enum http_coding c, enum http_effort effort, const char *in, size_t n, size_t *out_len)
{
    char *out = malloc(bound(c, n));
    size_t len = 0;
    if (out == NULL || compress_to(c, effort, in, n, out, &len) < 0 || len >= n) {
        free(out);
        return NULL;
    }
    char *fit = realloc(out, len);
    *out_len = len;
    return fit != NULL ? fit : out;
}

int http_encode(const char *content_type, const char *body, size_t len, enum http_effort effort,
                struct http_encoded *out)
{
    memset(out, 0, sizeof(*out));
    if (len < HTTP_COMPRESS_MIN || len > UINT32_MAX || !http_compressible(content_type))
        return 0;
    out->gzip = copy_compressed(HTTP_GZIP, effort, body, len, &out->gzip_len);
    out->br = copy_compressed(HTTP_BR, effort, body, len, &out->br_len);
    return 0;
}

void http_encoded_free(struct http_encoded *e)
{
    free(e->gzip);
    free(e->br);
    memset(e, 0, sizeof(*e));
}

int http_etag_matches(const char *h, size_t n, const char *etag, size_t el)
{
    for (size_t i = 0; i < n;) {
        while (i < n && (h[i] == ' ' || h[i] == ','))
            i++;
        size_t j = i;
        while (j < n && h[j] != ',')
            j++;
        size_t e = j;
        while (e > i && h[e - 1] == ' ')
            e--;
        size_t s = i;
        if (e - s > 2 && h[s] == 'W' && h[s + 1] == '/')
            s += 2;
        if ((e - s == el && memcmp(h + s, etag, el) == 0) || (e - s == 1 && h[s] == '*'))
            return 1;
        i = j;
    }
    return 0;
}

/* The ETag of a coding: the identity ETag with -gz or -br before its closing quote. */
static h2o_iovec_t coding_etag(h2o_req_t *req, const char *etag, enum http_coding c)
{
    size_t n = strlen(etag);
    if (c == HTTP_IDENTITY || n < 2)
        return h2o_iovec_init(etag, n);
    char *s = http_alloc(req, n + ETAG_SUFFIX_MAX);
    memcpy(s, etag, n - 1);
    memcpy(s + n - 1, c == HTTP_GZIP ? "-gz" : "-br", ETAG_SUFFIX_MAX);
    s[n - 1 + ETAG_SUFFIX_MAX] = '"';
    return h2o_iovec_init(s, n + ETAG_SUFFIX_MAX);
}

/* 1 when the request's validators say the client's copy is current. */
static int not_modified(h2o_req_t *req, h2o_iovec_t etag, int64_t modified)
{
    size_t n;
    const char *inm = http_req_header(req, H2O_TOKEN_IF_NONE_MATCH, &n);
    if (inm != NULL)
        return etag.len > 0 && http_etag_matches(inm, n, etag.base, etag.len);
    const char *ims = http_req_header(req, H2O_TOKEN_IF_MODIFIED_SINCE, &n);
    struct tm tm;
    if (ims == NULL || modified <= 0 || !http_is_get_or_head(req) || h2o_time_parse_rfc1123(ims, n, &tm) != 0)
        return 0;
    return modified <= (int64_t)timegm(&tm);
}

static void add_last_modified(h2o_req_t *req, int64_t modified)
{
    time_t t = (time_t)modified;
    struct tm tm;
    char *s = http_alloc(req, H2O_TIMESTR_RFC1123_LEN + 1);
    gmtime_r(&t, &tm);
    h2o_time2str_rfc1123(s, &tm);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_LAST_MODIFIED, NULL, s, H2O_TIMESTR_RFC1123_LEN);
}

static void add_coding(h2o_req_t *req, enum http_coding c)
{
    if (c != HTTP_IDENTITY)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_ENCODING, NULL, c == HTTP_BR ? "br" : "gzip",
                       c == HTTP_BR ? 2 : 4);
}

static void add_vary(h2o_req_t *req)
{
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_VARY, NULL, H2O_STRLIT("Accept-Encoding"));
}

void http_send_representation(h2o_req_t *req, const struct http_representation *r)
{
    const struct http_encoded *e = r->enc;
    int have_gzip = e != NULL && e->gzip != NULL, have_br = e != NULL && e->br != NULL;
    enum http_coding c = HTTP_IDENTITY;
    if (have_gzip || have_br) {
        size_t n;
        const char *ae = http_req_header(req, H2O_TOKEN_ACCEPT_ENCODING, &n);
        c = http_choose_coding(ae, ae ? n : 0, have_gzip, have_br);
        add_vary(req);
    }
    h2o_iovec_t etag = h2o_iovec_init(NULL, 0);
    if (r->etag != NULL) {
        etag = coding_etag(req, r->etag, c);
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ETAG, NULL, etag.base, etag.len);
    }
    if (r->modified > 0)
        add_last_modified(req, r->modified);
    if (r->status == 200 && not_modified(req, etag, r->modified)) {
        http_send_nocopy(req, 304, NULL, "", 0);
        return;
    }
    add_coding(req, c);
    if (c == HTTP_BR)
        http_send_nocopy(req, r->status, r->content_type, e->br, e->br_len);
    else if (c == HTTP_GZIP)
        http_send_nocopy(req, r->status, r->content_type, e->gzip, e->gzip_len);
    else
        http_send_nocopy(req, r->status, r->content_type, r->body, r->len);
}

void http_send_encoded(h2o_req_t *req, int status, const char *content_type, const char *body, size_t len)
{
    if (len < HTTP_COMPRESS_MIN || len > UINT32_MAX || !http_compressible(content_type)) {
        http_send(req, status, content_type, body, len);
        return;
    }
    size_t n, out_len = 0;
    const char *ae = http_req_header(req, H2O_TOKEN_ACCEPT_ENCODING, &n);
    enum http_coding c = http_choose_coding(ae, ae ? n : 0, 1, 1);
    add_vary(req);
    char *out = c != HTTP_IDENTITY ? http_alloc(req, bound(c, len)) : NULL;
    if (out == NULL || compress_to(c, HTTP_EFFORT_FAST, body, len, out, &out_len) < 0 || out_len >= len) {
        http_send(req, status, content_type, body, len);
        return;
    }
    add_coding(req, c);
    http_send_nocopy(req, status, content_type, out, out_len);
}
