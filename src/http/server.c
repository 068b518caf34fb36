/* libh2o glue (see server.h): listeners, one event loop per thread, connection tracking for a
 * clean shutdown. The main thread only binds, starts the loops and waits for a signal; each loop
 * owns its listening socket (libh2o 2.2 would otherwise share one accept queue between threads). */
#include "http/server.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/response.h"

#define ACCEPT_BATCH 32 /* connections taken per wake-up of a listener */

struct server;

struct conn {
    h2o_linklist_t link;
    h2o_socket_t *sock;
    int fd;
    int half_closed;
};

struct thread {
    struct server *srv;
    unsigned index;
    int listen_fd;
    pthread_t tid;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    h2o_multithread_receiver_t stop_receiver;
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

static void on_conn_close(void *data)
{
    struct conn *c = data;
    h2o_linklist_unlink(&c->link);
    free(c);
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct thread *t = listener->data;
    if (err != NULL)
        return;
    for (int i = 0; i < ACCEPT_BATCH; i++) {
        int fd = accept4(t->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
        struct conn *c = malloc(sizeof(*c));
        if (c == NULL) {
            close(fd);
            return;
        }
        h2o_socket_t *sock = h2o_evloop_socket_create(t->ctx.loop, fd, H2O_SOCKET_FLAG_IS_ACCEPTED_CONNECTION);
        c->sock = sock;
        c->fd = fd;
        c->half_closed = 0;
        memset(&c->link, 0, sizeof(c->link));
        h2o_linklist_insert(&t->conns, &c->link);
        sock->on_close.cb = on_conn_close;
        sock->on_close.data = c;
        h2o_accept(&t->accept_ctx, sock);
    }
}

static void on_stop_message(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct thread *t = H2O_STRUCT_FROM_MEMBER(struct thread, stop_receiver, receiver);
    while (!h2o_linklist_is_empty(messages))
        h2o_linklist_unlink(messages->next);
    t->stopping = 1;
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

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    struct thread *t = H2O_STRUCT_FROM_MEMBER(struct thread, ctx, req->conn->ctx);
    t->srv->app->handle(t->state, req);
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
    t->accept_ctx.ctx = &t->ctx;
    t->accept_ctx.hosts = srv->config.hosts;
    h2o_multithread_register_receiver(t->ctx.queue, &t->stop_receiver, on_stop_message);
    t->listener = h2o_evloop_socket_create(t->ctx.loop, t->listen_fd, H2O_SOCKET_FLAG_DONT_READ);
    t->listener->data = t;
    h2o_socket_read_start(t->listener, on_accept);
    t->running = 1;
    report_start(srv, 1);

    while (!t->stopping)
        h2o_evloop_run(t->ctx.loop, INT32_MAX);

    /* Stop accepting and ask HTTP/2 clients to go away, then let the open connections drain. */
    h2o_socket_read_stop(t->listener);
    h2o_evloop_run(t->ctx.loop, 0);
    h2o_socket_close(t->listener);
    t->listener = NULL;
    t->listen_fd = -1;
    h2o_context_request_shutdown(&t->ctx);
    uint64_t deadline = h2o_now(t->ctx.loop) + HTTP_SHUTDOWN_TIMEOUT_MS;
    while (connections_open(t) && h2o_now(t->ctx.loop) < deadline) {
        close_idle(t);
        h2o_evloop_run(t->ctx.loop, 50);
    }

    h2o_multithread_unregister_receiver(t->ctx.queue, &t->stop_receiver);
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
    h2o_evloop_t *loop = t->ctx.loop;
    h2o_multithread_queue_t *queue = t->ctx.queue;
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

int http_serve(const struct http_server_options *opt, const struct http_app *app)
{
    struct server srv = {.app = app, .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};
    char port[16];
    unsigned created = 0;
    int rc = 0;
    sigset_t sigs;

    srv.nthreads = opt->threads ? opt->threads : http_default_threads();
    if (srv.nthreads > HTTP_MAX_THREADS)
        srv.nthreads = HTTP_MAX_THREADS;
    srv.threads = calloc(srv.nthreads, sizeof(*srv.threads));
    if (srv.threads == NULL)
        return -ENOMEM;
    for (unsigned i = 0; i < srv.nthreads; i++)
        srv.threads[i].listen_fd = -1;

    /* The first socket may ask for port 0; the others then take the port it was given. */
    snprintf(port, sizeof(port), "%s", opt->port);
    for (unsigned i = 0; i < srv.nthreads; i++) {
        rc = listen_on(opt->host, port, port, sizeof(port), &srv.threads[i].listen_fd);
        if (rc != 0)
            goto close_fds;
    }

    h2o_config_init(&srv.config);
    srv.config.max_request_entity_size = opt->max_body ? opt->max_body : HTTP_DEFAULT_MAX_BODY;
    srv.config.server_name = h2o_iovec_init(H2O_STRLIT("gazette"));
    h2o_hostconf_t *hostconf = h2o_config_register_host(&srv.config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *pathconf = h2o_config_register_path(hostconf, "/", 0);
    h2o_handler_t *handler = h2o_create_handler(pathconf, sizeof(*handler));
    handler->on_req = on_req;
    h2o_filter_t *filter = h2o_create_filter(&hostconf->fallback_path, sizeof(*filter));
    filter->on_setup_ostream = on_setup_ostream;

    /* Signals go to sigwait below, never to the event loops. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    for (; created < srv.nthreads; created++) {
        struct thread *t = &srv.threads[created];
        t->srv = &srv;
        t->index = created;
        if (pthread_create(&t->tid, NULL, thread_main, t) != 0) {
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
        int at_v6 = strchr(opt->host, ':') != NULL;
        printf("listening on http://%s%s%s:%s/\n", at_v6 ? "[" : "", opt->host, at_v6 ? "]" : "", port);
        fflush(stdout);
        int sig;
        while (sigwait(&sigs, &sig) == 0 && sig == SIGUSR1)
            if (app->stats != NULL)
                app->stats(app->app);
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
    for (unsigned i = 0; i < srv.nthreads; i++)
        if (srv.threads[i].listen_fd >= 0)
            close(srv.threads[i].listen_fd);
    free(srv.threads);
    return rc;
}
