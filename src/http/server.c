/* libh2o glue (see server.h): listeners, one event loop per thread, connection tracking for a
 * clean shutdown and for the connection cap. The main thread binds, starts the loops, then waits
 * for signals and keeps TLS up to date (certificate reloads, OCSP answers); each loop owns its
 * listening sockets (libh2o 2.2 would otherwise share one accept queue between threads). */
#include "http/server.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/guard.h"
#include "http/response.h"
#include "http/tls.h"

#define ACCEPT_BATCH 32     /* connections taken per wake-up of a listener */
#define LIMIT_RECHECK_MS 50 /* a thread stopped at the connection cap looks again this often */
#define FDS_PER_THREAD 16   /* descriptors a thread needs besides connections (database, listeners) */
#define FDS_PROCESS 64      /* and the process (stdio, timer thread, files being read) */
#define MIN_CONNECTIONS 16  /* the cap never goes below this, however low the limit */

/* What a client gets when the server has no descriptor to serve it with. */
static const char busy_answer[] = "HTTP/1.1 503 Service Unavailable\r\n"
                                  "Content-Type: text/plain; charset=utf-8\r\n"
                                  "Content-Length: 43\r\n"
                                  "Retry-After: 1\r\n"
                                  "Connection: close\r\n" HTTP_SECURITY_HEADER_LINES "\r\n"
                                  "The server is busy; try again in a moment.\n";

struct server;

struct conn {
    h2o_linklist_t link;
    h2o_socket_t *sock;
    struct thread *t;
    int fd;
    int half_closed;
};

struct thread;

/* One listening socket of a thread: the site (cleartext or TLS), or the redirect to HTTPS. */
struct listener {
    struct thread *t;
    int fd;
    int tls;     /* connections start with a TLS handshake */
    int reading; /* the socket is watched for connections */
    h2o_socket_t *sock;
    h2o_accept_ctx_t accept_ctx;
};

/* A new TLS context for one thread (after SIGHUP); the thread takes the reference. */
struct tls_message {
    h2o_multithread_message_t super;
    SSL_CTX *ctx;
};

struct thread {
    struct server *srv;
    unsigned index;
    pthread_t tid;
    h2o_context_t ctx;
    struct listener listeners[2];
    unsigned n_listeners;
    int resting; /* the listeners pause after running out of descriptors */
    h2o_timeout_t rest_timeout, recheck_timeout;
    h2o_timeout_entry_t wake;
    SSL_CTX *ssl_ctx; /* this thread's reference to the TLS context its listener uses */
    h2o_multithread_receiver_t stop_receiver, tls_receiver;
    h2o_multithread_message_t stop_msg;
    h2o_linklist_t conns;
    int running; /* set once the loop accepts; it then takes a stop message */
    int stopping;
    void *state;
};

struct server {
    const struct http_app *app;
    h2o_globalconf_t config;
    struct thread *threads;
    unsigned nthreads;
    pthread_mutex_t lock; /* guards started / failed during start-up */
    pthread_cond_t cond;
    unsigned started, failed;
    atomic_uint conns; /* open connections, all threads */
    unsigned max_conns;
    /* Every accept4() takes this lock, so that the reserve descriptor, given up for a moment when
     * descriptors run out, goes to the accept that needs it and not to another thread's. */
    pthread_mutex_t accept_lock;
    atomic_int reserve_fd; /* held open (/dev/null); -1 when it could not be reopened yet */
    struct tls *tls;       /* NULL: cleartext */
    char https_port[16];   /* the TLS listener's port, for redirects */
};

int http_parse_listen(const char *s, char *host, size_t host_size, char *port, size_t port_size)
{
    const char *colon = strrchr(s, ':');
    const char *h = s;
    size_t hl;
    if (colon == NULL)
        return -EINVAL;
    hl = (size_t)(colon - s);
    if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']')
        h++, hl -= 2;
    else if (memchr(s, ':', hl) != NULL)
        return -EINVAL; /* a bare IPv6 address needs brackets */
    if (hl == 0)
        h = "127.0.0.1", hl = 9;
    const char *p = colon + 1;
    size_t pl = strlen(p);
    if (pl == 0 || pl > 5 || strspn(p, "0123456789") != pl || atoi(p) > 65535)
        return -EINVAL;
    if (hl >= host_size || pl >= port_size)
        return -EINVAL;
    memcpy(host, h, hl);
    host[hl] = '\0';
    memcpy(port, p, pl + 1);
    return 0;
}

/* Starts or stops watching the thread's listeners: they accept while the server is under its
 * connection cap and the thread is not resting after running out of descriptors. A thread stopped
 * at the cap looks again every LIMIT_RECHECK_MS (connections other threads close free room too). */
static void on_accept(h2o_socket_t *sock, const char *err);

static void update_listeners(struct thread *t)
{
    int under_cap = atomic_load(&t->srv->conns) < t->srv->max_conns;
    int want = !t->stopping && !t->resting && under_cap;
    for (unsigned i = 0; i < t->n_listeners; i++) {
        struct listener *l = &t->listeners[i];
        if (want && !l->reading)
            h2o_socket_read_start(l->sock, on_accept);
        else if (!want && l->reading)
            h2o_socket_read_stop(l->sock);
        l->reading = want;
    }
    if (!want && !under_cap && !t->stopping && !h2o_timeout_is_linked(&t->wake))
        h2o_timeout_link(t->ctx.loop, &t->recheck_timeout, &t->wake);
}

static void on_wake(h2o_timeout_entry_t *entry)
{
    struct thread *t = H2O_STRUCT_FROM_MEMBER(struct thread, wake, entry);
    t->resting = 0;
    update_listeners(t);
}

/* Opens the reserve descriptor again when it is missing (another part of the process took the
 * slot while it was given up); called with the accept lock held. */
static void reopen_reserve(struct server *srv)
{
    if (atomic_load(&srv->reserve_fd) < 0)
        atomic_store(&srv->reserve_fd, open("/dev/null", O_RDONLY | O_CLOEXEC));
}

static void on_conn_close(void *data)
{
    struct conn *c = data;
    struct thread *t = c->t;
    h2o_linklist_unlink(&c->link);
    free(c);
    atomic_fetch_sub(&t->srv->conns, 1);
    if (atomic_load(&t->srv->reserve_fd) < 0) { /* a descriptor was just freed */
        pthread_mutex_lock(&t->srv->accept_lock);
        reopen_reserve(t->srv);
        pthread_mutex_unlock(&t->srv->accept_lock);
    }
    update_listeners(t);
}

/* Out of descriptors: waiting clients would sit in the listen queue (and the listener's readiness
 * would wake the loop again and again). The reserve descriptor is given up for a moment to take
 * up to ACCEPT_BATCH clients off the queue, one at a time, and tell each that the server is busy (a
 * TLS client just sees the connection close). Called with the accept lock held. */
static void shed(struct listener *l)
{
    struct server *srv = l->t->srv;
    char discard[1024];
    reopen_reserve(srv);
    int reserve = atomic_exchange(&srv->reserve_fd, -1);
    if (reserve < 0)
        return; /* nothing to answer with until a connection closes */
    close(reserve);
    for (int i = 0; i < ACCEPT_BATCH; i++) {
        int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            break;
        if (!l->tls) {
            /* what the client already sent is read first, so that closing sends FIN and not RST */
            (void)!recv(fd, discard, sizeof(discard), 0);
            (void)!send(fd, busy_answer, sizeof(busy_answer) - 1, MSG_NOSIGNAL);
        }
        shutdown(fd, SHUT_WR);
        close(fd);
    }
    reopen_reserve(srv);
}

/* The listeners rest for HTTP_ACCEPT_REST_MS after running out of descriptors. */
static void rest(struct thread *t)
{
    t->resting = 1;
    if (h2o_timeout_is_linked(&t->wake))
        h2o_timeout_unlink(&t->wake);
    h2o_timeout_link(t->ctx.loop, &t->rest_timeout, &t->wake);
}

/* The next connection of l's queue: its descriptor, or -1 (errno says why; when descriptors ran
 * out, waiting clients have been told 503). */
static int take(struct listener *l)
{
    struct server *srv = l->t->srv;
    pthread_mutex_lock(&srv->accept_lock);
    int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC), err = errno;
    if (fd < 0 && (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM))
        shed(l);
    pthread_mutex_unlock(&srv->accept_lock);
    errno = err;
    return fd;
}

static void on_accept(h2o_socket_t *sock, const char *err)
{
    struct listener *l = sock->data;
    struct thread *t = l->t;
    if (err != NULL)
        return;
    for (int i = 0; i < ACCEPT_BATCH && atomic_load(&t->srv->conns) < t->srv->max_conns; i++) {
        int fd = take(l);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                rest(t);
            break;
        }
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
        struct conn *c = malloc(sizeof(*c));
        if (c == NULL) {
            close(fd);
            break;
        }
        atomic_fetch_add(&t->srv->conns, 1);
        h2o_socket_t *s = h2o_evloop_socket_create(t->ctx.loop, fd, H2O_SOCKET_FLAG_IS_ACCEPTED_CONNECTION);
        c->sock = s;
        c->fd = fd;
        c->t = t;
        c->half_closed = 0;
        memset(&c->link, 0, sizeof(c->link));
        h2o_linklist_insert(&t->conns, &c->link);
        s->on_close.cb = on_conn_close;
        s->on_close.data = c;
        h2o_accept(&l->accept_ctx, s);
    }
    update_listeners(t);
}

static void on_stop_message(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct thread *t = H2O_STRUCT_FROM_MEMBER(struct thread, stop_receiver, receiver);
    while (!h2o_linklist_is_empty(messages))
        h2o_linklist_unlink(messages->next);
    t->stopping = 1;
}

/* A reloaded certificate: new handshakes use the new context; connections made with the old one
 * keep it (OpenSSL counts their references) until they close. */
static void on_tls_message(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct thread *t = H2O_STRUCT_FROM_MEMBER(struct thread, tls_receiver, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        struct tls_message *m = H2O_STRUCT_FROM_MEMBER(struct tls_message, super.link, messages->next);
        h2o_linklist_unlink(&m->super.link);
        SSL_CTX_free(t->ssl_ctx);
        t->ssl_ctx = m->ctx;
        for (unsigned i = 0; i < t->n_listeners; i++)
            if (t->listeners[i].tls)
                t->listeners[i].accept_ctx.ssl_ctx = m->ctx;
        free(m);
    }
}

/* Errors libh2o answers before any handler runs (413 for a body over the limit, 400 for a
 * malformed request) use the host's fallback path: give them the security headers too. */
static void on_setup_ostream(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    (void)self;
    if (h2o_find_header_by_str(&req->res.headers, H2O_STRLIT("x-content-type-options"), -1) == -1)
        http_security_headers(req);
    h2o_setup_next_ostream(req, slot);
}

/* A host name (or [IPv6]) and optional port, as a Host header may carry; 1 when it is one. */
static int plain_authority(h2o_iovec_t a)
{
    if (a.len == 0 || a.len > 255)
        return 0;
    for (size_t i = 0; i < a.len; i++) {
        char ch = a.base[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
              ch == '-' || ch == ':' || ch == '[' || ch == ']'))
            return 0;
    }
    return 1;
}

/* The cleartext listener's only answer: 301 to the same host and path over HTTPS. */
static void redirect_to_https(struct server *srv, h2o_req_t *req)
{
    h2o_iovec_t host = req->input.authority, path = req->input.path;
    if (!plain_authority(host)) {
        http_send_status(req, 400, "The request has no usable Host header.");
        return;
    }
    /* the host without its port: the HTTPS listener's port replaces it (none for 443) */
    size_t n = host.len;
    const char *close_bracket = memchr(host.base, ']', host.len);
    const char *colon = memrchr(host.base, ':', host.len);
    if (colon != NULL && (close_bracket == NULL || colon > close_bracket))
        n = (size_t)(colon - host.base);
    if (path.len == 0 || path.base[0] != '/')
        path = h2o_iovec_init(H2O_STRLIT("/"));
    int default_port = strcmp(srv->https_port, "443") == 0;
    size_t cap = sizeof("https://") + n + sizeof(srv->https_port) + 1 + path.len;
    char *url = http_alloc(req, cap);
    int len = snprintf(url, cap, "https://%.*s%s%s%.*s", (int)n, host.base, default_port ? "" : ":",
                       default_port ? "" : srv->https_port, (int)path.len, path.base);
    http_redirect(req, 301, url, (size_t)len);
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    struct thread *t = H2O_STRUCT_FROM_MEMBER(struct thread, ctx, req->conn->ctx);
    int status;
    const char *why;
    if (http_guard_refusal(req, &status, &why)) {
        req->http1_is_persistent = 0;
        http_send_status(req, status, why);
    } else if (req->entity.base != NULL &&
               req->entity.len > http_guard_body_limit(req->input.path.base, req->input.path.len)) {
        req->http1_is_persistent = 0; /* chunked, or HTTP/2 without a length: read, then refused */
        http_send_status(req, 413, "The request's body is too large.");
    } else if (t->srv->tls != NULL && !http_is_tls(req)) {
        redirect_to_https(t->srv, req);
    } else {
        t->srv->app->handle(t->state, req);
    }
    return 0;
}

/* Half-closes, for reading, every connection that holds no unfinished request (nothing in its
 * input buffer: libh2o keeps a request's bytes there until its response is written). libh2o then
 * reads the end of the stream and closes it; connections in the middle of a request are left
 * to finish it. Called again and again while the server stops. */
static void close_idle(struct thread *t)
{
    for (h2o_linklist_t *n = t->conns.next; n != &t->conns; n = n->next) {
        struct conn *c = H2O_STRUCT_FROM_MEMBER(struct conn, link, n);
        if (!c->half_closed && (c->sock->input == NULL || c->sock->input->size == 0)) {
            shutdown(c->fd, SHUT_RD);
            c->half_closed = 1;
        }
    }
}

static int connections_open(struct thread *t)
{
    return !h2o_linklist_is_empty(&t->conns) || !h2o_linklist_is_empty(&t->ctx.http1._conns) ||
           !h2o_linklist_is_empty(&t->ctx.http2._conns);
}

static void report_start(struct server *srv, int ok)
{
    pthread_mutex_lock(&srv->lock);
    srv->started++;
    if (!ok)
        srv->failed++;
    pthread_cond_signal(&srv->cond);
    pthread_mutex_unlock(&srv->lock);
}

/* Frees the blocks a libh2o recycling allocator keeps for reuse (each chunk starts with the
 * pointer to the next), so that a stopped thread leaves nothing behind. */
static void drain_recycle(h2o_mem_recycle_t *a)
{
    while (a->_link != NULL) {
        void *chunk = a->_link;
        a->_link = *(void **)chunk;
        a->cnt--;
        free(chunk);
    }
}

/* libh2o 2.2 keeps freed request-pool chunks in a thread-local list that no function empties;
 * LeakSanitizer builds are told so here, instead of every run needing a suppressions file. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:h2o_mem_alloc_recycle\n";
}

static void *thread_main(void *arg)
{
    struct thread *t = arg;
    struct server *srv = t->srv;
    t->state = srv->app->thread_start(srv->app->app, t->index);
    if (t->state == NULL) {
        report_start(srv, 0);
        return NULL;
    }
    h2o_context_init(&t->ctx, h2o_evloop_create(), &srv->config);
    h2o_linklist_init_anchor(&t->conns);
    h2o_timeout_init(t->ctx.loop, &t->rest_timeout, HTTP_ACCEPT_REST_MS);
    h2o_timeout_init(t->ctx.loop, &t->recheck_timeout, LIMIT_RECHECK_MS);
    t->wake.cb = on_wake;
    h2o_multithread_register_receiver(t->ctx.queue, &t->stop_receiver, on_stop_message);
    if (srv->tls != NULL)
        h2o_multithread_register_receiver(t->ctx.queue, &t->tls_receiver, on_tls_message);
    for (unsigned i = 0; i < t->n_listeners; i++) {
        struct listener *l = &t->listeners[i];
        l->t = t;
        l->accept_ctx.ctx = &t->ctx;
        l->accept_ctx.hosts = srv->config.hosts;
        l->accept_ctx.ssl_ctx = l->tls ? t->ssl_ctx : NULL;
        l->sock = h2o_evloop_socket_create(t->ctx.loop, l->fd, H2O_SOCKET_FLAG_DONT_READ);
        l->sock->data = l;
    }
    update_listeners(t);
    t->running = 1;
    report_start(srv, 1);

    while (!t->stopping)
        h2o_evloop_run(t->ctx.loop, INT32_MAX);

    /* Stop accepting and ask HTTP/2 clients to go away, then let the open connections drain. */
    update_listeners(t);
    if (h2o_timeout_is_linked(&t->wake))
        h2o_timeout_unlink(&t->wake);
    h2o_evloop_run(t->ctx.loop, 0);
    for (unsigned i = 0; i < t->n_listeners; i++) {
        h2o_socket_close(t->listeners[i].sock);
        t->listeners[i].sock = NULL;
        t->listeners[i].fd = -1;
    }
    h2o_context_request_shutdown(&t->ctx);
    uint64_t deadline = h2o_now(t->ctx.loop) + HTTP_SHUTDOWN_TIMEOUT_MS;
    while (connections_open(t) && h2o_now(t->ctx.loop) < deadline) {
        close_idle(t);
        h2o_evloop_run(t->ctx.loop, 50);
    }

    h2o_multithread_unregister_receiver(t->ctx.queue, &t->stop_receiver);
    if (srv->tls != NULL)
        h2o_multithread_unregister_receiver(t->ctx.queue, &t->tls_receiver);
    srv->app->thread_stop(srv->app->app, t->state);
    t->state = NULL;
    if (connections_open(t)) {
        /* A client kept a connection busy past the deadline: leave the loop to the exit. */
        fprintf(stderr, "gazette: thread %u: connections still open at exit\n", t->index);
        return NULL;
    }
    /* request_shutdown armed a one-second timer to repeat HTTP/2 GOAWAYs; nobody is left for it. */
    if (h2o_timeout_is_linked(&t->ctx.http2._graceful_shutdown_timeout))
        h2o_timeout_unlink(&t->ctx.http2._graceful_shutdown_timeout);
    SSL_CTX_free(t->ssl_ctx);
    t->ssl_ctx = NULL;
    h2o_evloop_t *loop = t->ctx.loop;
    h2o_multithread_queue_t *queue = t->ctx.queue;
    h2o_timeout_dispose(loop, &t->rest_timeout);
    h2o_timeout_dispose(loop, &t->recheck_timeout);
    h2o_context_dispose(&t->ctx);
    h2o_evloop_destroy(loop);
    free(queue); /* libh2o 2.2's evloop build closes the queue's pipe but never frees it */
    drain_recycle(&h2o_socket_buffer_prototype.allocator);
    return NULL;
}

/* Creates a listening socket for host:port with SO_REUSEPORT; writes the bound port to *bound. */
static int listen_on(const char *host, const char *port, char *bound, size_t bound_size, int *out)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *res;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "gazette: cannot resolve %s: %s\n", host, gai_strerror(rc));
        return -EINVAL;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        rc = -errno;
        fprintf(stderr, "gazette: cannot listen on %s port %s: %s\n", host, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return rc;
    }
    freeaddrinfo(res);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    snprintf(bound, bound_size, "%d", (int)h2o_socket_getport((struct sockaddr *)&ss));
    *out = fd;
    return 0;
}

unsigned http_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > HTTP_MAX_THREADS ? HTTP_MAX_THREADS : (unsigned)n;
}

/* The connection cap: as given, else what the descriptor limit leaves after what threads and the
 * process need (the soft limit is first raised to the hard one, as far as the system lets). */
static unsigned connection_cap(unsigned given, unsigned nthreads)
{
    struct rlimit rl;
    if (given != 0)
        return given;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return MIN_CONNECTIONS;
    if (rl.rlim_cur < rl.rlim_max) {
        rlim_t soft = rl.rlim_cur;
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            rl.rlim_cur = soft;
    }
    rlim_t need = FDS_PROCESS + (rlim_t)FDS_PER_THREAD * nthreads;
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > need + HTTP_MAX_CONNECTIONS)
        return HTTP_MAX_CONNECTIONS;
    return rl.rlim_cur > need + MIN_CONNECTIONS ? (unsigned)(rl.rlim_cur - need) : MIN_CONNECTIONS;
}

/* Every thread's listening sockets: the site on host:port, and the redirect listener when asked
 * for. The first socket may ask for port 0; the others then take the port it was given. */
static int bind_all(struct server *srv, const struct http_server_options *opt, char *port, char *rport, size_t cap)
{
    int rc = 0;
    snprintf(port, cap, "%s", opt->port);
    if (opt->redirect_port != NULL)
        snprintf(rport, cap, "%s", opt->redirect_port);
    for (unsigned i = 0; i < srv->nthreads && rc == 0; i++) {
        struct thread *t = &srv->threads[i];
        t->listeners[0].tls = srv->tls != NULL;
        rc = listen_on(opt->host, port, port, cap, &t->listeners[0].fd);
        t->n_listeners = rc == 0;
        if (rc == 0 && opt->redirect_port != NULL) {
            rc = listen_on(opt->redirect_host, rport, rport, cap, &t->listeners[1].fd);
            t->n_listeners += rc == 0;
        }
    }
    return rc;
}

static void print_address(const char *what, const char *scheme, const char *host, const char *port, const char *after)
{
    int v6 = strchr(host, ':') != NULL;
    printf("%s %s://%s%s%s:%s/%s\n", what, scheme, v6 ? "[" : "", host, v6 ? "]" : "", port, after);
}

/* SIGHUP: the certificate and key are read again and handed to every thread. */
static void reload_tls(struct server *srv)
{
    if (srv->tls == NULL || tls_reload(srv->tls) < 0) {
        if (srv->tls == NULL)
            fprintf(stderr, "gazette: SIGHUP: no TLS certificate to reload\n");
        else
            fprintf(stderr, "gazette: SIGHUP: keeping the certificate in use\n");
        return;
    }
    for (unsigned i = 0; i < srv->nthreads; i++) {
        struct thread *t = &srv->threads[i];
        struct tls_message *m = calloc(1, sizeof(*m));
        if (m == NULL)
            continue; /* that thread keeps the old certificate */
        m->ctx = tls_ctx(srv->tls);
        SSL_CTX_up_ref(m->ctx);
        h2o_multithread_send_message(&t->tls_receiver, &m->super);
    }
    fprintf(stderr, "gazette: SIGHUP: TLS certificate and key reloaded\n");
}

/* The main thread while the loops serve: waits for a signal, fetching OCSP answers when due. */
static void wait_for_stop(struct server *srv, const sigset_t *sigs, const struct http_app *app)
{
    for (;;) {
        int wait = srv->tls != NULL ? tls_ocsp_refresh(srv->tls, time(NULL)) : 3600;
        struct timespec ts = {.tv_sec = wait > 0 ? wait : 1};
        int sig = sigtimedwait(sigs, NULL, &ts);
        if (sig == SIGHUP)
            reload_tls(srv);
        else if (sig == SIGUSR1 && app->stats != NULL)
            app->stats(app->app);
        else if (sig == SIGINT || sig == SIGTERM)
            return;
    }
}

int http_serve(const struct http_server_options *opt, const struct http_app *app)
{
    struct server srv = {.app = app,
                         .lock = PTHREAD_MUTEX_INITIALIZER,
                         .cond = PTHREAD_COND_INITIALIZER,
                         .accept_lock = PTHREAD_MUTEX_INITIALIZER};
    char port[16], rport[16];
    unsigned created = 0;
    int rc = 0;
    sigset_t sigs;

    srv.nthreads = opt->threads ? opt->threads : http_default_threads();
    if (srv.nthreads > HTTP_MAX_THREADS)
        srv.nthreads = HTTP_MAX_THREADS;
    srv.max_conns = connection_cap(opt->max_connections, srv.nthreads);
    if (opt->tls_cert != NULL && (rc = tls_new(opt->tls_cert, opt->tls_key, &srv.tls)) < 0)
        return rc;
    srv.threads = calloc(srv.nthreads, sizeof(*srv.threads));
    if (srv.threads == NULL) {
        tls_free(srv.tls);
        return -ENOMEM;
    }
    atomic_init(&srv.reserve_fd, open("/dev/null", O_RDONLY | O_CLOEXEC));
    if ((rc = bind_all(&srv, opt, port, rport, sizeof(port))) < 0)
        goto close_fds;
    snprintf(srv.https_port, sizeof(srv.https_port), "%s", port);
    if (app->listening != NULL) {
        char url[300];
        const char *scheme = srv.tls ? "https" : "http";
        int v6 = strchr(opt->host, ':') != NULL, plain = strcmp(port, srv.tls ? "443" : "80") == 0;
        snprintf(url, sizeof(url), "%s://%s%s%s%s%s", scheme, v6 ? "[" : "", opt->host, v6 ? "]" : "", plain ? "" : ":",
                 plain ? "" : port);
        app->listening(app->app, url);
    }

    h2o_config_init(&srv.config);
    size_t max_body = opt->max_body ? opt->max_body : HTTP_DEFAULT_MAX_BODY;
    /* libh2o has one limit for every path: the uploads' largest; the guard holds the others to
     * max_body and the uploads to theirs (http_guard_set_upload_limit), from the head when the
     * body has a length, else once it is read (on_req) */
    srv.config.max_request_entity_size = opt->max_upload > max_body ? opt->max_upload : max_body;
    http_guard_set_body_limit(max_body, opt->max_upload > max_body ? opt->upload_paths : NULL);
    srv.config.server_name = h2o_iovec_init(H2O_STRLIT("gazette"));
    h2o_hostconf_t *hostconf = h2o_config_register_host(&srv.config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *pathconf = h2o_config_register_path(hostconf, "/", 0);
    h2o_handler_t *handler = h2o_create_handler(pathconf, sizeof(*handler));
    handler->on_req = on_req;
    h2o_filter_t *filter = h2o_create_filter(&hostconf->fallback_path, sizeof(*filter));
    filter->on_setup_ostream = on_setup_ostream;

    /* Signals go to the main thread below, never to the event loops. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGUSR1);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    for (; created < srv.nthreads; created++) {
        struct thread *t = &srv.threads[created];
        t->srv = &srv;
        t->index = created;
        if (srv.tls != NULL) {
            t->ssl_ctx = tls_ctx(srv.tls);
            SSL_CTX_up_ref(t->ssl_ctx);
        }
        if (pthread_create(&t->tid, NULL, thread_main, t) != 0) {
            SSL_CTX_free(t->ssl_ctx);
            rc = -EAGAIN;
            break;
        }
    }
    pthread_mutex_lock(&srv.lock);
    while (srv.started < created)
        pthread_cond_wait(&srv.cond, &srv.lock);
    if (srv.failed && rc == 0)
        rc = -EIO;
    pthread_mutex_unlock(&srv.lock);

    if (rc == 0) {
        if (opt->redirect_port != NULL)
            print_address("redirecting", "http", opt->redirect_host, rport, " to https");
        print_address("listening on", srv.tls ? "https" : "http", opt->host, port, "");
        fflush(stdout);
        wait_for_stop(&srv, &sigs, app);
    }

    for (unsigned i = 0; i < created; i++) {
        struct thread *t = &srv.threads[i];
        if (t->running)
            h2o_multithread_send_message(&t->stop_receiver, &t->stop_msg);
    }
    for (unsigned i = 0; i < created; i++)
        pthread_join(srv.threads[i].tid, NULL);
    h2o_config_dispose(&srv.config);
    pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);

close_fds:
    for (unsigned i = 0; i < srv.nthreads; i++) {
        struct thread *t = &srv.threads[i];
        for (unsigned k = 0; k < t->n_listeners; k++)
            if (t->listeners[k].fd >= 0)
                close(t->listeners[k].fd);
        if (!t->running)
            SSL_CTX_free(t->ssl_ctx); /* a thread that never ran never took its reference */
    }
    free(srv.threads);
    tls_free(srv.tls);
    if (atomic_load(&srv.reserve_fd) >= 0)
        close(atomic_load(&srv.reserve_fd));
    return rc;
}
