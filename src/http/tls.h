/* TLS for the server: an OpenSSL context made from a PEM certificate (its chain after it) and a
 * key, for TLS 1.2 and 1.3 with ALPN h2 and http/1.1, session resumption (a shared session cache
 * and tickets whose keys survive a reload) and OCSP stapling when the certificate names a
 * responder. The main thread owns a struct tls: it makes the context, reloads it on SIGHUP and
 * refreshes the stapled OCSP answer; event loops hold their own references to a context. */
#pragma once

#include <openssl/ssl.h>
#include <time.h>

#define TLS_OCSP_TIMEOUT_S 5         /* longest wait for an OCSP responder */
#define TLS_OCSP_RETRY_S 60          /* next try after a failed fetch */
#define TLS_OCSP_MAX_REFRESH_S 43200 /* a good answer is fetched again after at most 12 hours */
#define TLS_OCSP_MAX_BYTES 16384     /* a larger answer is refused */

struct tls;

/* Reads the certificate chain and key (PEM) into a new context. Returns 0 and *out, or a
 * negative errno after printing why on stderr. */
int tls_new(const char *cert_file, const char *key_file, struct tls **out);

/* The current context; borrowed (SSL_CTX_up_ref to keep it past the next tls_reload). */
SSL_CTX *tls_ctx(struct tls *t);

/* Reads the files again into a new context, which becomes current (tickets issued under the old
 * one still resume). On failure, prints why and keeps the old one. 0 or a negative errno. */
int tls_reload(struct tls *t);

/* Fetches the current certificate's OCSP answer from its responder when one is due (blocking,
 * at most TLS_OCSP_TIMEOUT_S) and staples it from then on. Returns the seconds until it wants to
 * be called again (a large number when the certificate names no responder). */
int tls_ocsp_refresh(struct tls *t, time_t now);

/* Drops the current context (connections holding it keep it) and frees t. NULL is fine. */
void tls_free(struct tls *t);
