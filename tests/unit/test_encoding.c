#include <brotli/decode.h>
#include <criterion/criterion.h>
#include <string.h>
#include <zlib.h>

#include "http/encoding.h"

static enum http_coding pick(const char *ae)
{
    return http_choose_coding(ae, ae ? strlen(ae) : 0, 1, 1);
}

Test(encoding, accept_encoding_q_values_identity_and_star)
{
    cr_assert_eq(pick(NULL), HTTP_IDENTITY, "no header: identity");
    cr_assert_eq(pick(""), HTTP_IDENTITY, "empty: identity only");
    cr_assert_eq(pick("gzip"), HTTP_GZIP);
    cr_assert_eq(pick("gzip, deflate, br"), HTTP_BR, "a tie goes to br");
    cr_assert_eq(pick("br;q=0.9, gzip"), HTTP_GZIP, "the higher q wins");
    cr_assert_eq(pick("br;q=0.9, gzip;q=0.8"), HTTP_BR);
    cr_assert_eq(pick("GZIP;Q=0.5"), HTTP_GZIP, "names and q are case-insensitive");
    cr_assert_eq(pick("x-gzip"), HTTP_GZIP);
    cr_assert_eq(pick("gzip;q=0.5, identity"), HTTP_IDENTITY, "identity named with a higher q");
    cr_assert_eq(pick("gzip;q=0, br;q=0"), HTTP_IDENTITY, "q=0 refuses a coding");
    cr_assert_eq(pick("*"), HTTP_BR, "* accepts every coding");
    cr_assert_eq(pick("*;q=0.1, br;q=0"), HTTP_GZIP, "* covers what is not named");
    cr_assert_eq(pick("identity;q=0, gzip;q=0.2"), HTTP_GZIP);
    cr_assert_eq(pick("identity;q=0, *;q=0"), HTTP_IDENTITY, "nothing acceptable: identity all the same");
    cr_assert_eq(pick("deflate, compress"), HTTP_IDENTITY, "codings we do not make");
    cr_assert_eq(pick("gzip;q=2"), HTTP_IDENTITY, "a bad q is ignored, and gzip is then not named");
    cr_assert_eq(pick("gzip;q=0.1234"), HTTP_IDENTITY, "at most three decimals");
    cr_assert_eq(pick("gzip ; q=0.5 , br ; level=3 ; q=0.4"), HTTP_GZIP, "spaces and other parameters");
    cr_assert_eq(pick(",,, br ,"), HTTP_BR, "empty list elements");
    cr_assert_eq(http_choose_coding("br, gzip", 8, 1, 0), HTTP_GZIP, "only what is available");
    cr_assert_eq(http_choose_coding("br", 2, 1, 0), HTTP_IDENTITY);
    cr_assert_eq(http_choose_coding("gzip, br", 4, 1, 1), HTTP_GZIP, "the length bounds the header");
}

Test(encoding, compressible_types)
{
    cr_assert(http_compressible("text/html; charset=utf-8"));
    cr_assert(http_compressible("text/css; charset=utf-8"));
    cr_assert(http_compressible("text/javascript; charset=utf-8"));
    cr_assert(http_compressible("application/json"));
    cr_assert(http_compressible("application/rss+xml; charset=utf-8"));
    cr_assert(http_compressible("application/atom+xml; charset=utf-8"));
    cr_assert(http_compressible("application/xml"));
    cr_assert(http_compressible("image/svg+xml"), "SVG is text");
    cr_assert_not(http_compressible("image/png"), "images are compressed already");
    cr_assert_not(http_compressible("image/jpeg"));
    cr_assert_not(http_compressible("font/woff2"));
    cr_assert_not(http_compressible(NULL));
}

/* A page-like body that compresses well. */
static size_t sample(char *buf, size_t cap)
{
    size_t n = 0;
    for (int i = 0; n + 80 < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "<p class=\"para\">Paragraph %d of the story, with words.</p>\n", i);
    return n;
}

Test(encoding, copies_decompress_to_the_body)
{
    char body[20000];
    size_t n = sample(body, sizeof(body));
    for (int effort = HTTP_EFFORT_MAX; effort <= HTTP_EFFORT_FAST; effort++) {
        struct http_encoded e;
        cr_assert_eq(http_encode("text/html; charset=utf-8", body, n, effort, &e), 0);
        cr_assert_not_null(e.gzip);
        cr_assert_not_null(e.br);
        cr_assert_lt(e.gzip_len, n / 4);
        cr_assert_lt(e.br_len, e.gzip_len, "brotli beats gzip on text");

        char out[20000];
        z_stream z = {0};
        cr_assert_eq(inflateInit2(&z, 15 + 16), Z_OK);
        z.next_in = (Bytef *)e.gzip;
        z.avail_in = (uInt)e.gzip_len;
        z.next_out = (Bytef *)out;
        z.avail_out = sizeof(out);
        cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END, "a gzip stream with header and trailer");
        cr_assert_eq(z.total_out, n);
        cr_assert_eq(memcmp(out, body, n), 0);
        inflateEnd(&z);

        size_t out_len = sizeof(out);
        cr_assert_eq(BrotliDecoderDecompress(e.br_len, (const uint8_t *)e.br, &out_len, (uint8_t *)out),
                     BROTLI_DECODER_RESULT_SUCCESS);
        cr_assert_eq(out_len, n);
        cr_assert_eq(memcmp(out, body, n), 0);
        http_encoded_free(&e);
        cr_assert_null(e.gzip);
    }
}

Test(encoding, no_copies_for_small_bodies_images_or_noise)
{
    char body[4096];
    size_t n = sample(body, sizeof(body));
    struct http_encoded e;
    http_encode("text/html", body, HTTP_COMPRESS_MIN - 1, HTTP_EFFORT_STORED, &e);
    cr_assert(e.gzip == NULL && e.br == NULL, "under HTTP_COMPRESS_MIN");
    http_encode("image/png", body, n, HTTP_EFFORT_STORED, &e);
    cr_assert(e.gzip == NULL && e.br == NULL, "never an image");
    unsigned char noise[4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof(noise); i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        noise[i] = (unsigned char)x;
    }
    http_encode("text/plain", (const char *)noise, sizeof(noise), HTTP_EFFORT_STORED, &e);
    cr_assert(e.gzip == NULL && e.br == NULL, "a copy that would not be smaller is not kept");
}

Test(encoding, if_none_match_lists)
{
    const char *etag = "\"0123456789abcdef-br\"";
    size_t n = strlen(etag);
    cr_assert(http_etag_matches(etag, n, etag, n));
    cr_assert(http_etag_matches("W/\"0123456789abcdef-br\"", 23, etag, n), "weak comparison");
    cr_assert(http_etag_matches("\"x\", \"0123456789abcdef-br\"", 26, etag, n), "in a list");
    cr_assert(http_etag_matches("*", 1, etag, n));
    cr_assert_not(http_etag_matches("\"0123456789abcdef\"", 18, etag, n), "another coding's tag");
    cr_assert_not(http_etag_matches("", 0, etag, n));
}
