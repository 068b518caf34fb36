/* The HTTP server: libh2o event loops, one per thread, each with its own SO_REUSEPORT listening
 * sockets; HTTP/1.1 and HTTP/2, in cleartext or over TLS (ALPN), with a cleartext listener that
 * sends browsers to HTTPS. It knows nothing of pages: every request goes to the application's
 * handle() with the thread's own state, so the read path needs no locks. It holds up when
 * descriptors run out (listeners rest instead of spinning) and caps open connections. */
#pragma once

#include <stddef.h>

#include <h2o.h>

#define HTTP_MAX_THREADS 256
#define HTTP_DEFAULT_MAX_BODY ((size_t)256 << 10) /* largest request body (413 beyond) */
#define HTTP_SHUTDOWN_TIMEOUT_MS 10000            /* longest wait for open connections at exit */
#define HTTP_MAX_CONNECTIONS 1000000              /* largest --max-connections */
#define HTTP_ACCEPT_REST_MS 100                   /* a listener's pause after running out of descriptors */

struct http_app {
    void *app;
    /* Called in each server thread before it accepts connections; returns the thread's state
     * (database connection, page cache), or NULL after printing why it cannot serve. */
    void *(*thread_start)(void *app, unsigned index);
    /* Called in the thread once its connections are closed, to free that state. */
    void (*thread_stop)(void *app, void *state);
    /* Answers one request: responds now (h2o_send_inline and friends), or later from this
     * thread's loop (a job handed to another thread that comes back through the context's
     * multithread queue). */
    void (*handle)(void *state, h2o_req_t *req);
    /* Called on the main thread on SIGUSR1 (may be NULL): prints the application's counters. */
    void (*stats)(void *app);
    /* Called on the main thread once the listeners are bound, before any request is served (may
     * be NULL): the address the server answers at, "http://HOST:PORT" (https:// with TLS; no port
     * when it is the scheme's own), without a final slash. */
    void (*listening)(void *app, const char *url);
};

struct http_server_options {
    const char *host;                /* numeric address or name to bind, e.g. "127.0.0.1" or "::1" */
    const char *port;                /* "8080", or "0" for any free port */
    unsigned threads;                /* event loops; 0 means one per core */
    size_t max_body;                 /* 0 means HTTP_DEFAULT_MAX_BODY */
    size_t max_upload;               /* bodies sent to paths under upload_paths, at most (0: no uploads) */
    const char *const *upload_paths; /* NULL-terminated, e.g. {"/admin/media/", NULL} */
    unsigned max_connections;        /* open connections at most; 0: what the descriptor limit leaves room for */
    const char *tls_cert, *tls_key;  /* PEM files: serve HTTPS on host:port (NULL: cleartext) */
    const char *redirect_host, *redirect_port; /* with TLS: cleartext listener answering 301 (NULL: none) */
};

/* Binds, prints "listening on http://HOST:PORT/" (https:// with TLS, after "redirecting
 * http://HOST:PORT/ to https" for the cleartext listener) on stdout, serves until SIGINT or
 * SIGTERM (and calls app->stats on each SIGUSR1 meanwhile), then stops accepting, lets open
 * requests finish, calls thread_stop everywhere and frees what it made. SIGHUP reads the TLS
 * certificate and key again: new connections use them, open ones keep theirs. Returns 0 after a
 * clean stop, or a negative errno when it could not start (reported on stderr). */
int http_serve(const struct http_server_options *opt, const struct http_app *app);

/* The number of event loops when none is asked for: one per online core, at most HTTP_MAX_THREADS. */
unsigned http_default_threads(void);

/* Parses "HOST:PORT", "[V6]:PORT" or ":PORT" (host 127.0.0.1) into buffers of the given sizes.
 * Returns 0 or -EINVAL. */
int http_parse_listen(const char *s, char *host, size_t host_size, char *port, size_t port_size);
