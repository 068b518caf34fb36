/* Representations of a response: its body in identity, gzip and brotli, chosen by the request's
 * Accept-Encoding (q-values, identity and * honoured), with validators per encoding (ETag,
 * Last-Modified) answered with 304. Compressed copies of pages and theme files are made once, when
 * they are stored, never per request; small bodies and types that do not compress (images, fonts)
 * stay as they are. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <h2o.h>

#define HTTP_COMPRESS_MIN 1024 /* smaller bodies are sent as they are */

enum http_coding { HTTP_IDENTITY, HTTP_GZIP, HTTP_BR };

/* How hard to compress: once at start (theme files), once per stored page, or per request. */
enum http_effort { HTTP_EFFORT_MAX, HTTP_EFFORT_STORED, HTTP_EFFORT_FAST };

/* A body's compressed copies (malloc'd); NULL where a copy would not be smaller, or the type or
 * size does not call for one. */
struct http_encoded {
    char *gzip, *br;
    size_t gzip_len, br_len;
};

/* Everything http_send_representation needs; the bytes must outlive the request (hold a
 * reference through the request's pool). */
struct http_representation {
    int status;
    const char *content_type; /* static string */
    const char *body;         /* identity */
    size_t len;
    const struct http_encoded *enc; /* NULL: identity only */
    const char *etag;               /* of the identity body, "\"...\"", or NULL */
    int64_t modified;               /* Last-Modified in seconds since the epoch; 0: none */
};

/* 1 when bodies of this Content-Type are worth compressing: HTML, CSS, JavaScript, JSON, XML
 * (feeds, sitemaps, SVG) and plain text. */
int http_compressible(const char *content_type);

/* The coding to answer with for an Accept-Encoding value (NULL: the header is absent, which gets
 * identity), among gzip and brotli when available (have_gzip, have_br). The highest q wins; ties
 * go to br, then gzip, then identity; identity not named comes after any coding named, and is the
 * answer when nothing else is acceptable. */
enum http_coding http_choose_coding(const char *accept, size_t len, int have_gzip, int have_br);

/* Makes the compressed copies of body into *out (zeroed when none are made). 0, or -ENOMEM. */
int http_encode(const char *content_type, const char *body, size_t len, enum http_effort effort,
                struct http_encoded *out);

/* Frees the copies. */
void http_encoded_free(struct http_encoded *e);

/* 1 when an If-None-Match value lists etag (weak or strong), or is "*". */
int http_etag_matches(const char *header, size_t n, const char *etag, size_t etag_len);

/* Sends r in the coding the request accepts best, with Vary: Accept-Encoding when r has
 * compressed copies, Content-Encoding, the coding's ETag (the identity one with "-gz" or "-br"
 * before its closing quote), Last-Modified, and 304 without a body when If-None-Match matches
 * that ETag (or, without If-None-Match, If-Modified-Since is not older than r->modified). */
void http_send_representation(h2o_req_t *req, const struct http_representation *r);

/* Sends a body made for this request only, compressed on the fly (HTTP_EFFORT_FAST) when its
 * type and size call for it and the request accepts it; the body is copied. */
void http_send_encoded(h2o_req_t *req, int status, const char *content_type, const char *body, size_t len);
