/* gazette --version: the program's version and the versions of the libraries it runs with, as
 * reported by each library at run time (so a security update of a shared library shows), or as
 * built with for the few that have no such call. */
#include <brotli/encode.h>
#include <h2o/version.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <openssl/crypto.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#ifdef GAZETTE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "cli/cli.h"
#include "db/db.h"

#ifndef GAZETTE_VERSION
#define GAZETTE_VERSION "unknown"
#endif

int cli_version(void)
{
    char db[64], pcre[64] = "?";
    uint32_t br = BrotliEncoderVersion();
    db_engine_version(db, sizeof(db));
    pcre2_config(PCRE2_CONFIG_VERSION, pcre);
    printf("gazette %s\n", GAZETTE_VERSION);
    printf("libh2o %s (built with)\n", H2O_VERSION);
    printf("%s\n", OpenSSL_version(OPENSSL_VERSION));
    printf("%s\n", db);
    printf("zlib %s\n", zlibVersion());
    printf("brotli %u.%u.%u\n", (unsigned)(br >> 24), (unsigned)(br >> 12) & 0xfff, (unsigned)br & 0xfff);
    printf("libsodium %s\n", sodium_version_string());
    printf("jansson %s\n", jansson_version_str());
    int xml = atoi(xmlParserVersion); /* "20914" is 2.9.14 */
    printf("libxml2 %d.%d.%d\n", xml / 10000, xml / 100 % 100, xml % 100);
    printf("PCRE2 %s\n", pcre);
    printf("md4c %s (built with)\n", GAZETTE_BUILT_MD4C);
    printf("inih %s (built with)\n", GAZETTE_BUILT_INIH);
#ifdef GAZETTE_JEMALLOC
    const char *je = "?";
    size_t n = sizeof(je);
    mallctl("version", &je, &n, NULL, 0);
    printf("jemalloc %s\n", je);
#endif
    return fflush(stdout) == 0 ? 0 : 1;
}
