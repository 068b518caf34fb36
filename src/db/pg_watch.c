/* What the connections of a process to one PostgreSQL database share: the newest change log
 * number the process knows (db_generation), and the thread that moves it when another process
 * (another node, the command line) commits. The thread LISTENs on gazette_changes, whose
 * notifications carry the number at each commit; it reads the number itself when it connects
 * and every PG_WATCH_POLL_MS besides, so a notification lost with a connection costs no more
 * than that. Commits of this process's own connections move it at once (pg.c). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/pg_int.h"

#define PG_WATCH_POLL_MS 10000

static pthread_mutex_t sites_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pg_site *sites;

struct pg_site *pg_site_get(const char *url)
{
    pthread_mutex_lock(&sites_lock);
    struct pg_site *s = sites;
    while (s != NULL && strcmp(s->url, url) != 0)
        s = s->next;
    if (s == NULL) {
        s = db_xmalloc(sizeof(*s));
        memset(s, 0, sizeof(*s));
        s->url = strdup(url);
        if (s->url == NULL)
            abort();
        s->wake[0] = s->wake[1] = -1;
        s->next = sites;
        sites = s;
    }
    s->refs++;
    pthread_mutex_unlock(&sites_lock);
    return s;
}

void pg_site_put(struct pg_site *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&sites_lock);
    if (--s->refs > 0) {
        pthread_mutex_unlock(&sites_lock);
        return;
    }
    for (struct pg_site **p = &sites; *p != NULL; p = &(*p)->next) {
        if (*p == s) {
            *p = s->next;
            break;
        }
    }
    pthread_mutex_unlock(&sites_lock);
    if (s->watching) {
        char c = 'x';
        if (write(s->wake[1], &c, 1) < 0)
            fprintf(stderr, "gazette: cannot stop the change watcher\n");
        pthread_join(s->thread, NULL);
    }
    if (s->wake[0] >= 0) {
        close(s->wake[0]);
        close(s->wake[1]);
    }
    free(s->url);
    free(s);
}

void pg_site_seen(struct pg_site *s, uint64_t seq)
{
    uint64_t cur = __atomic_load_n(&s->head, __ATOMIC_RELAXED);
    while (seq > cur && !__atomic_compare_exchange_n(&s->head, &cur, seq, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
        ;
}

/* Reads the head on c; 0 or -1. */
static int read_head(struct pg_site *s, PGconn *c)
{
    PGresult *res = PQexec(c, "SELECT seq FROM change_head WHERE id = 1");
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
    if (ok)
        pg_site_seen(s, strtoull(PQgetvalue(res, 0, 0), NULL, 10));
    PQclear(res);
    return ok ? 0 : -1;
}

/* A listening connection, or NULL. */
static PGconn *listen_on(struct pg_site *s)
{
    const char *keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
    const char *values[] = {"5", "gazette watcher", s->url, NULL};
    PGconn *c = PQconnectdbParams(keys, values, 1);
    if (c == NULL || PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        return NULL;
    }
    PGresult *res = PQexec(c, "LISTEN " PG_CHANNEL);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok || read_head(s, c) < 0) { /* listening first: nothing committed after the read is missed */
        PQfinish(c);
        return NULL;
    }
    return c;
}

/* 1 when the pipe says stop, after waiting at most ms for it or for fd (-1: none) to be readable. */
static int wait_for(struct pg_site *s, int fd, int ms, int *readable)
{
    struct pollfd fds[2] = {{.fd = s->wake[0], .events = POLLIN}, {.fd = fd, .events = POLLIN}};
    int n = poll(fds, fd >= 0 ? 2 : 1, ms);
    *readable = n > 0 && fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
    return n > 0 && (fds[0].revents & POLLIN) != 0;
}

static void *watch_main(void *arg)
{
    struct pg_site *s = arg;
    PGconn *c = NULL;
    int down = 0, readable;
    for (;;) {
        if (c == NULL) {
            c = listen_on(s);
            if (c == NULL) {
                if (!down)
                    fprintf(stderr, "gazette: cannot listen for changes on PostgreSQL; trying again\n");
                down = 1;
                if (wait_for(s, -1, PG_RETRY_MS, &readable))
                    break;
                continue;
            }
            if (down)
                fprintf(stderr, "gazette: listening for changes on PostgreSQL again\n");
            down = 0;
        }
        if (wait_for(s, PQsocket(c), PG_WATCH_POLL_MS, &readable))
            break;
        if ((readable && !PQconsumeInput(c)) || (!readable && read_head(s, c) < 0) || PQstatus(c) != CONNECTION_OK) {
            fprintf(stderr, "gazette: the change watcher lost PostgreSQL: %s", PQerrorMessage(c));
            PQfinish(c);
            c = NULL;
            down = 1;
            continue;
        }
        PGnotify *n;
        while ((n = PQnotifies(c)) != NULL) {
            pg_site_seen(s, strtoull(n->extra, NULL, 10));
            PQfreemem(n);
        }
    }
    PQfinish(c);
    return NULL;
}

int pg_site_watch(struct pg_site *s)
{
    if (__atomic_load_n(&s->watching, __ATOMIC_ACQUIRE))
        return 0;
    int ret = 0;
    pthread_mutex_lock(&sites_lock);
    if (!s->watching) {
        if (s->wake[0] < 0 && pipe2(s->wake, O_CLOEXEC) < 0) {
            ret = -errno;
        } else {
            /* the server's signals go to the thread that waits for them, never to this one */
            sigset_t all, old;
            sigfillset(&all);
            pthread_sigmask(SIG_BLOCK, &all, &old);
            int rc = pthread_create(&s->thread, NULL, watch_main, s);
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            if (rc != 0)
                ret = -rc;
            else
                __atomic_store_n(&s->watching, 1, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&sites_lock);
    return ret;
}
