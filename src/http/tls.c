/* OpenSSL contexts for the server (see tls.h). Each context carries its own stapling state (the
 * DER OCSP answer for its certificate, guarded by a lock: the main thread writes it, handshakes
 * on every event loop read it), freed with the context when its last connection is gone. And a
 * look at every socket write libh2o makes, so that an answer goes out in as few TLS records as
 * its size allows. */
#include "http/tls.h"

#include <dlfcn.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <h2o.h>

#define TICKET_KEYS_LEN 80   /* OpenSSL's ticket key block: name, HMAC and AES keys */
#define TLS_RECORD_MAX 16384 /* the largest TLS record's payload */

struct staple {
    pthread_mutex_t lock;
    unsigned char *der; /* the answer to staple (OPENSSL_malloc), NULL before the first fetch */
    int len;
    char *url; /* the responder, from the certificate's Authority Information Access */
    X509 *leaf, *issuer;
};

struct tls {
    char *cert_file, *key_file;
    SSL_CTX *ctx;
    time_t ocsp_due; /* when tls_ocsp_refresh should fetch again */
};

static int staple_index = -1;
static pthread_once_t staple_once = PTHREAD_ONCE_INIT;

static void staple_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
    (void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
    struct staple *s = ptr;
    if (s == NULL)
        return;
    pthread_mutex_destroy(&s->lock);
    OPENSSL_free(s->der);
    free(s->url);
    X509_free(s->leaf);
    X509_free(s->issuer);
    free(s);
}

static void staple_index_init(void)
{
    staple_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, staple_free);
}

/* Prints what OpenSSL says went wrong, after what. */
static void report(const char *what, const char *file)
{
    char msg[256] = "unknown error";
    unsigned long e = ERR_peek_last_error();
    if (e != 0)
        ERR_error_string_n(e, msg, sizeof(msg));
    ERR_clear_error();
    fprintf(stderr, "gazette: %s %s: %s\n", what, file, msg);
}

/* The handshake asks for the certificate's status: hand it a copy of the stapled answer. */
static int on_status(SSL *ssl, void *arg)
{
    (void)arg;
    struct staple *s = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), staple_index);
    int rc = SSL_TLSEXT_ERR_NOACK;
    if (s == NULL)
        return rc;
    pthread_mutex_lock(&s->lock);
    if (s->der != NULL) {
        unsigned char *copy = OPENSSL_malloc((size_t)s->len);
        if (copy != NULL) {
            memcpy(copy, s->der, (size_t)s->len);
            SSL_set_tlsext_status_ocsp_resp(ssl, copy, s->len); /* takes it */
            rc = SSL_TLSEXT_ERR_OK;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* Stapling state for ctx when its certificate names an http:// OCSP responder and its issuer is
 * in the chain; none otherwise (nothing to staple). */
static int setup_stapling(SSL_CTX *ctx)
{
    X509 *leaf = SSL_CTX_get0_certificate(ctx), *issuer = NULL;
    STACK_OF(X509) *chain = NULL;
    STACK_OF(OPENSSL_STRING) *urls = leaf ? X509_get1_ocsp(leaf) : NULL;
    const char *url = NULL;
    for (int i = 0; urls != NULL && i < sk_OPENSSL_STRING_num(urls) && url == NULL; i++)
        if (strncmp(sk_OPENSSL_STRING_value(urls, i), "http://", 7) == 0)
            url = sk_OPENSSL_STRING_value(urls, i);
    SSL_CTX_get0_chain_certs(ctx, &chain);
    for (int i = 0; chain != NULL && i < sk_X509_num(chain) && issuer == NULL; i++)
        if (X509_check_issued(sk_X509_value(chain, i), leaf) == X509_V_OK)
            issuer = sk_X509_value(chain, i);
    int rc = 0;
    if (url != NULL && issuer != NULL) {
        struct staple *s = calloc(1, sizeof(*s));
        if (s == NULL || (s->url = strdup(url)) == NULL) {
            free(s);
            rc = -ENOMEM;
        } else {
            pthread_mutex_init(&s->lock, NULL);
            X509_up_ref(leaf);
            X509_up_ref(issuer);
            s->leaf = leaf;
            s->issuer = issuer;
            SSL_CTX_set_ex_data(ctx, staple_index, s);
            SSL_CTX_set_tlsext_status_cb(ctx, on_status);
        }
    } else if (url != NULL) {
        fprintf(stderr, "gazette: TLS: no OCSP stapling: the issuer's certificate is not in the chain\n");
    }
    X509_email_free(urls);
    return rc;
}

/* A server context for TLS 1.2 and 1.3 from the two PEM files; NULL after printing why. */
static SSL_CTX *make_ctx(const char *cert_file, const char *key_file)
{
    /* Offered in this order by the server; h2o starts HTTP/2 for "h2" and HTTP/1.1 otherwise. */
    static const h2o_iovec_t alpn[] = {{H2O_STRLIT("h2")}, {H2O_STRLIT("http/1.1")}, {NULL, 0}};
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL) {
        report("TLS", "context");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    /* TLS 1.2: forward secrecy and AEAD only (TLS 1.3's suites are all of that kind) */
    SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20");
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
    SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"gazette", 7);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
        report("TLS certificate", cert_file);
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
        report("TLS key", key_file);
        goto fail;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        report("TLS key does not match the certificate:", key_file);
        goto fail;
    }
    h2o_ssl_register_alpn_protocols(ctx, alpn);
    if (setup_stapling(ctx) < 0)
        goto fail;
    return ctx;
fail:
    SSL_CTX_free(ctx);
    return NULL;
}

int tls_new(const char *cert_file, const char *key_file, struct tls **out)
{
    pthread_once(&staple_once, staple_index_init);
    struct tls *t = calloc(1, sizeof(*t));
    if (t == NULL)
        return -ENOMEM;
    t->cert_file = strdup(cert_file);
    t->key_file = strdup(key_file);
    if (t->cert_file == NULL || t->key_file == NULL) {
        tls_free(t);
        return -ENOMEM;
    }
    if ((t->ctx = make_ctx(cert_file, key_file)) == NULL) {
        tls_free(t);
        return -EINVAL;
    }
    *out = t;
    return 0;
}

SSL_CTX *tls_ctx(struct tls *t)
{
    return t->ctx;
}

int tls_reload(struct tls *t)
{
    SSL_CTX *ctx = make_ctx(t->cert_file, t->key_file);
    if (ctx == NULL)
        return -EINVAL;
    unsigned char keys[TICKET_KEYS_LEN];
    if (SSL_CTX_get_tlsext_ticket_keys(t->ctx, keys, sizeof(keys)) == 1)
        SSL_CTX_set_tlsext_ticket_keys(ctx, keys, sizeof(keys));
    OPENSSL_cleanse(keys, sizeof(keys));
    SSL_CTX_free(t->ctx);
    t->ctx = ctx;
    t->ocsp_due = 0;
    return 0;
}

/* Seconds from now to an ASN.1 time (negative when past). */
static long seconds_until(const ASN1_GENERALIZEDTIME *when)
{
    int days = 0, secs = 0;
    if (when == NULL || !ASN1_TIME_diff(&days, &secs, NULL, when))
        return 0;
    return (long)days * 86400 + secs;
}

/* Asks s's responder about its certificate; on a good, verified, current answer stores its DER
 * and returns the seconds it stays valid (0 when the answer has no end), else a negative errno. */
static long fetch_ocsp(struct staple *s)
{
    char *host = NULL, *port = NULL, *path = NULL;
    int use_ssl = 0;
    long valid = -EIO;
    OCSP_REQUEST *req = OCSP_REQUEST_new();
    OCSP_CERTID *id = OCSP_cert_to_id(NULL, s->leaf, s->issuer);
    OCSP_RESPONSE *resp = NULL;
    OCSP_BASICRESP *basic = NULL;
    STACK_OF(X509) *certs = sk_X509_new_null();
    X509_STORE *store = X509_STORE_new();
    BIO *body = NULL, *answer = NULL;
    if (req == NULL || id == NULL || certs == NULL || store == NULL ||
        !OSSL_HTTP_parse_url(s->url, &use_ssl, NULL, &host, &port, NULL, &path, NULL, NULL) || use_ssl)
        goto out;
    OCSP_CERTID *req_id = OCSP_CERTID_dup(id);
    if (req_id == NULL || OCSP_request_add0_id(req, req_id) == NULL)
        goto out;
    body = ASN1_item_i2d_mem_bio(ASN1_ITEM_rptr(OCSP_REQUEST), (const ASN1_VALUE *)req);
    if (body == NULL)
        goto out;
    answer = OSSL_HTTP_transfer(NULL, host, port, path, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL,
                                "application/ocsp-request", body, "application/ocsp-response", 1, TLS_OCSP_MAX_BYTES,
                                TLS_OCSP_TIMEOUT_S, 0);
    resp = answer ? (OCSP_RESPONSE *)ASN1_item_d2i_bio(ASN1_ITEM_rptr(OCSP_RESPONSE), answer, NULL) : NULL;
    if (resp == NULL || OCSP_response_status(resp) != OCSP_RESPONSE_STATUS_SUCCESSFUL ||
        (basic = OCSP_response_get1_basic(resp)) == NULL)
        goto out;
    /* signed by the issuer, or by a responder the issuer certified for OCSP signing */
    X509_STORE_add_cert(store, s->issuer);
    X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
    sk_X509_push(certs, s->issuer);
    int status = -1, reason;
    ASN1_GENERALIZEDTIME *this_update = NULL, *next_update = NULL;
    if (OCSP_basic_verify(basic, certs, store, 0) <= 0 ||
        !OCSP_resp_find_status(basic, id, &status, &reason, NULL, &this_update, &next_update) ||
        status != V_OCSP_CERTSTATUS_GOOD || !OCSP_check_validity(this_update, next_update, 300, -1))
        goto out;
    unsigned char *der = NULL;
    int len = i2d_OCSP_RESPONSE(resp, &der);
    if (len <= 0)
        goto out;
    pthread_mutex_lock(&s->lock);
    OPENSSL_free(s->der);
    s->der = der;
    s->len = len;
    pthread_mutex_unlock(&s->lock);
    valid = next_update ? seconds_until(next_update) : 0;
    if (valid < 0)
        valid = 0;
out:
    if (valid < 0)
        ERR_clear_error();
    sk_X509_free(certs); /* the issuer is borrowed */
    X509_STORE_free(store);
    OCSP_BASICRESP_free(basic);
    OCSP_RESPONSE_free(resp);
    BIO_free(answer);
    BIO_free(body);
    OCSP_CERTID_free(id);
    OCSP_REQUEST_free(req);
    OPENSSL_free(host);
    OPENSSL_free(port);
    OPENSSL_free(path);
    return valid;
}

int tls_ocsp_refresh(struct tls *t, time_t now)
{
    struct staple *s = SSL_CTX_get_ex_data(t->ctx, staple_index);
    if (s == NULL)
        return TLS_OCSP_MAX_REFRESH_S;
    if (now < t->ocsp_due)
        return (int)(t->ocsp_due - now);
    long valid = fetch_ocsp(s), wait;
    if (valid < 0) {
        fprintf(stderr, "gazette: TLS: no OCSP answer from %s; trying again in %d s\n", s->url, TLS_OCSP_RETRY_S);
        wait = TLS_OCSP_RETRY_S;
    } else {
        /* halfway to the answer's end, so a failing responder leaves time to try again */
        wait = valid == 0 || valid / 2 > TLS_OCSP_MAX_REFRESH_S ? TLS_OCSP_MAX_REFRESH_S : valid / 2;
        if (wait < TLS_OCSP_RETRY_S)
            wait = TLS_OCSP_RETRY_S;
    }
    t->ocsp_due = now + wait;
    return (int)wait;
}

void tls_free(struct tls *t)
{
    if (t == NULL)
        return;
    SSL_CTX_free(t->ctx);
    free(t->cert_file);
    free(t->key_file);
    free(t);
}

/* libh2o 2.2 encrypts each buffer given to h2o_socket_write into TLS records of its own: an
 * HTTP/1.1 answer (its header block, then its body) costs two records, two encryptions and two
 * record headers where one would do. libh2o calls h2o_socket_write through the dynamic symbol
 * table, so this definition comes first: on a TLS socket, buffers that fit one record are joined
 * before libh2o's own runs. libh2o encrypts (copies) everything before it returns, so the joined
 * copy can live on the stack; cleartext sockets are passed through untouched. */
typedef void (*socket_write_fn)(h2o_socket_t *sock, h2o_iovec_t *bufs, size_t bufcnt, h2o_socket_cb cb);
static socket_write_fn library_write;
static pthread_once_t library_write_once = PTHREAD_ONCE_INIT;

static void find_library_write(void)
{
    library_write = (socket_write_fn)dlsym(RTLD_NEXT, "h2o_socket_write");
    if (library_write == NULL)
        abort(); /* built without libh2o behind this one: nothing could be sent */
}

void h2o_socket_write(h2o_socket_t *sock, h2o_iovec_t *bufs, size_t bufcnt, h2o_socket_cb cb)
{
    pthread_once(&library_write_once, find_library_write);
    size_t total = 0;
    for (size_t i = 0; i < bufcnt && total <= TLS_RECORD_MAX; i++)
        total += bufs[i].len;
    if (sock->ssl == NULL || bufcnt < 2 || total > TLS_RECORD_MAX) {
        library_write(sock, bufs, bufcnt, cb);
        return;
    }
    char joined[TLS_RECORD_MAX];
    size_t off = 0;
    for (size_t i = 0; i < bufcnt; i++) {
        memcpy(joined + off, bufs[i].base, bufs[i].len);
        off += bufs[i].len;
    }
    h2o_iovec_t one = h2o_iovec_init(joined, total);
    library_write(sock, &one, 1, cb);
}
