/* The writer and the worker pool (writer.h). The writer takes every job queued since its last
 * commit, runs them in one transaction, each in a savepoint so that one refusal or failure does
 * not undo the others, and commits without waiting for the disk; the syncer thread then flushes
 * the WAL once for all the commits made since its last flush, and only then sends their jobs
 * back to their loops, so a 303 is never sent for a write that is not on disk. The writer runs
 * the next batch while the disk syncs the last. */
#include "app/writer.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "db/changes.h"
#include "lib/pwhash.h"
#include "lib/timeutil.h"
#include "news/post.h"

struct lane {
    struct writer_job *head, **tail;
};

/* The threads that take the jobs of one lane outside the writer, one at a time. */
struct pool {
    struct writer *w;
    struct lane queue;
    pthread_cond_t cond; /* jobs queued, stop */
    int nice;            /* their priority (setpriority) */
    pthread_t tid[WRITER_WORKERS];
    unsigned running;
};

struct writer {
    pthread_mutex_t lock;
    pthread_cond_t cond;      /* the writer's: jobs queued, publish asked, stop */
    pthread_cond_t sync_cond; /* the syncer's: committed jobs waiting, stop */
    struct lane batch;
    struct pool work, read; /* WRITER_WORK and WRITER_READ */
    struct lane committed;  /* committed, not yet synced */
    struct db_sync *sync;   /* the writer connection's durability step, set before it commits */
    int syncer_stop;
    pthread_t syncer_tid;
    int syncer_running;
    int stop, publish;
    char *database; /* the URL every thread opens */
    pthread_t writer_tid;
    int writer_running;
    uint64_t batches, jobs; /* read under lock */
};

struct app_home {
    h2o_multithread_receiver_t receiver;
    h2o_context_t *ctx;
    size_t inflight; /* jobs handed over and not yet back (this loop's thread only) */
};

/* Lives in the request's pool: tells the job when the request is gone. */
struct job_guard {
    struct writer_job *job;
};

static void on_req_dispose(void *p)
{
    struct job_guard *g = p;
    if (g->job != NULL)
        g->job->req = NULL;
}

static void push(struct lane *l, struct writer_job *j)
{
    j->next = NULL;
    *l->tail = j;
    l->tail = &j->next;
}

static struct writer_job *take_all(struct lane *l, size_t max)
{
    struct writer_job *head = l->head, *j = head;
    if (head == NULL)
        return NULL;
    for (size_t n = 1; n < max && j->next != NULL; n++)
        j = j->next;
    l->head = j->next;
    if (l->head == NULL)
        l->tail = &l->head;
    j->next = NULL;
    return head;
}

static void send_home(struct writer_job *j)
{
    h2o_multithread_send_message(&j->home->receiver, &j->msg);
}

static void publish_due(struct db *db)
{
    int n = 0;
    if (db_savepoint(db) < 0)
        return;
    int rc = post_publish_due(db, time_now(), &n);
    if (rc < 0)
        fprintf(stderr, "gazette: publishing scheduled posts: %s\n", db_errmsg(db));
    db_savepoint_end(db, rc < 0);
}

/* One transaction: the jobs of the batch, the due posts when asked or when the tick passed, and
 * now and then the pruning of the change log. */
static void run_batch(struct writer *w, struct db *db, struct writer_job *jobs, int publish, uint64_t *commits)
{
    int rc = db_begin(db);
    for (struct writer_job *j = jobs; j != NULL; j = j->next) {
        if (rc < 0) {
            j->rc = rc;
            continue;
        }
        int sp = db_savepoint(db);
        j->rc = sp < 0 ? sp : j->run(db, j);
        if (sp == 0 && db_savepoint_end(db, j->rc < 0) < 0 && j->rc >= 0)
            j->rc = -EIO;
    }
    if (rc == 0) {
        if (publish)
            publish_due(db);
        if (++*commits % WRITER_PRUNE_EVERY == 0 && db_savepoint(db) == 0)
            db_savepoint_end(db, db_changes_prune(db, DB_CHANGES_KEEP) < 0);
        rc = db_commit(db);
        if (rc < 0)
            fprintf(stderr, "gazette: writer: commit failed: %s\n", db_errmsg(db));
    } else {
        fprintf(stderr, "gazette: writer: cannot begin: %s\n", db_errmsg(db));
    }
    size_t n = 0;
    struct writer_job *last = NULL;
    for (struct writer_job *j = jobs; j != NULL; j = j->next) {
        if (rc < 0 && j->rc >= 0)
            j->rc = rc;
        n++;
        last = j;
    }
    pthread_mutex_lock(&w->lock);
    w->batches++;
    w->jobs += n;
    if (jobs != NULL) { /* to the syncer: answered once on disk */
        *w->committed.tail = jobs;
        w->committed.tail = &last->next;
        pthread_cond_signal(&w->sync_cond);
    }
    pthread_mutex_unlock(&w->lock);
}

/* The syncer: flushes the WAL once for every commit made since its last flush, then sends
 * their jobs home. The writer meanwhile runs the next batch: its work overlaps the disk's. */
static void *syncer_main(void *arg)
{
    struct writer *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (w->committed.head == NULL && !w->syncer_stop)
            pthread_cond_wait(&w->sync_cond, &w->lock);
        if (w->committed.head == NULL)
            break;
        struct writer_job *jobs = take_all(&w->committed, SIZE_MAX);
        pthread_mutex_unlock(&w->lock);
        int rc = db_sync(w->sync);
        if (rc < 0)
            fprintf(stderr, "gazette: writer: cannot sync the commits: %s\n", strerror(-rc));
        for (struct writer_job *j = jobs, *next; j != NULL; j = next) {
            next = j->next;
            if (rc < 0 && j->rc >= 0)
                j->rc = rc; /* committed, but not known to be on disk: no 303 for it */
            send_home(j);
        }
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void deadline_after(struct timespec *ts, long ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    struct db *db = NULL;
    uint64_t commits = 0;
    int64_t last_publish_ms = 0;
    if (db_open(w->database, &db) < 0 || db_writer_setup(db, &w->sync) < 0) {
        fprintf(stderr, "gazette: the writer cannot open the database\n");
        db_close(db);
        db = NULL;
    }
    pthread_mutex_lock(&w->lock);
    for (;;) {
        struct timespec ts;
        deadline_after(&ts, WRITER_TICK_MS);
        int timed_out = 0;
        while (w->batch.head == NULL && !w->publish && !w->stop && !timed_out)
            timed_out = pthread_cond_timedwait(&w->cond, &w->lock, &ts) == ETIMEDOUT;
        if (w->stop && w->batch.head == NULL)
            break;
        struct writer_job *jobs = take_all(&w->batch, WRITER_BATCH_MAX);
        /* at every tick, even when jobs never leave the writer idle that long */
        struct timespec mono;
        clock_gettime(CLOCK_MONOTONIC, &mono);
        int64_t now_ms = (int64_t)mono.tv_sec * 1000 + mono.tv_nsec / 1000000;
        int publish = w->publish || timed_out || now_ms - last_publish_ms >= WRITER_TICK_MS;
        if (publish)
            last_publish_ms = now_ms;
        w->publish = 0;
        pthread_mutex_unlock(&w->lock);
        if (db == NULL) {
            for (struct writer_job *j = jobs, *next; j != NULL; j = next) {
                next = j->next;
                j->rc = -EIO;
                send_home(j);
            }
        } else if (jobs != NULL || publish) {
            run_batch(w, db, jobs, publish, &commits);
        }
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    db_close(db);
    return NULL;
}

static void *worker_main(void *arg)
{
    struct pool *p = arg;
    struct writer *w = p->w;
    struct db *db = NULL;
    /* Slow work (password hashing) at the lowest priority, long reads a little below the loops,
     * so that a page waits for neither. Not SCHED_IDLE: a thread of that class gets no processor
     * while the loops are busy, and when it is stopped holding a lock the loops share with it
     * (SQLite's memory mutex, the allocator's, the kernel's lock of the address space) they
     * wait until a processor is idle. With 10 logins a second the page p99 went from 2.3-2.9 ms
     * to 5-29 ms under SCHED_IDLE, to 3.5-3.6 ms at nice 19 (bench/mixed.sh). The hashing
     * itself goes further, to a helper process (lib/pwhash.c says why). */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), p->nice);
    pwhash_offload();
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (p->queue.head == NULL && !w->stop)
            pthread_cond_wait(&p->cond, &w->lock);
        if (p->queue.head == NULL)
            break;
        struct writer_job *j = take_all(&p->queue, 1);
        pthread_mutex_unlock(&w->lock);
        /* the connection is opened for the first job: a server that never hashes a password or
         * searches keeps none (memory) */
        if (db == NULL && db_open(w->database, &db) < 0) {
            fprintf(stderr, "gazette: a worker cannot open the database\n");
            db_close(db);
            db = NULL;
        }
        j->rc = db != NULL ? j->run(db, j) : -EIO;
        pthread_mutex_lock(&w->lock);
        if (j->rc >= 0 && j->then != NULL) { /* its writes: to the writer, at its priority */
            j->run = j->then;
            j->then = NULL;
            push(&w->batch, j);
            pthread_cond_signal(&w->cond);
        } else {
            send_home(j);
        }
    }
    pthread_mutex_unlock(&w->lock);
    pwhash_offload_end();
    db_close(db);
    return NULL;
}

static void pool_init(struct pool *p, struct writer *w, int nice)
{
    p->w = w;
    p->nice = nice;
    p->queue.tail = &p->queue.head;
    pthread_cond_init(&p->cond, NULL);
}

static int pool_start(struct pool *p)
{
    int rc = 0;
    for (unsigned i = 0; rc == 0 && i < WRITER_WORKERS; i++) {
        rc = pthread_create(&p->tid[i], NULL, worker_main, p);
        if (rc == 0)
            p->running++;
    }
    return rc;
}

static void pool_join(struct pool *p)
{
    for (unsigned i = 0; i < p->running; i++)
        pthread_join(p->tid[i], NULL);
    pthread_cond_destroy(&p->cond);
}

int writer_start(const char *database, struct writer **out)
{
    struct writer *w = calloc(1, sizeof(*w));
    if (w == NULL || (w->database = strdup(database)) == NULL) {
        free(w);
        return -ENOMEM;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    pthread_cond_init(&w->sync_cond, NULL);
    w->batch.tail = &w->batch.head;
    pool_init(&w->work, w, WRITER_WORKER_NICE);
    pool_init(&w->read, w, WRITER_READER_NICE);
    w->committed.tail = &w->committed.head;
    /* The server's signals (stop, statistics) go to the thread that waits for them, never to
     * these threads, where their default action would end the process: they start with them
     * blocked. */
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGUSR1);
    sigaddset(&sigs, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    int rc = pthread_create(&w->syncer_tid, NULL, syncer_main, w);
    if (rc == 0) {
        w->syncer_running = 1;
        rc = pthread_create(&w->writer_tid, NULL, writer_main, w);
    }
    if (rc == 0)
        w->writer_running = 1;
    if (rc == 0)
        rc = pool_start(&w->work);
    if (rc == 0)
        rc = pool_start(&w->read);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        writer_stop(w);
        return -rc;
    }
    *out = w;
    return 0;
}

void writer_stop(struct writer *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_broadcast(&w->cond);
    pthread_cond_broadcast(&w->work.cond);
    pthread_cond_broadcast(&w->read.cond);
    pthread_mutex_unlock(&w->lock);
    if (w->writer_running)
        pthread_join(w->writer_tid, NULL);
    pool_join(&w->work);
    pool_join(&w->read);
    /* the syncer last: it answers what the writer committed before stopping */
    pthread_mutex_lock(&w->lock);
    w->syncer_stop = 1;
    pthread_cond_broadcast(&w->sync_cond);
    pthread_mutex_unlock(&w->lock);
    if (w->syncer_running)
        pthread_join(w->syncer_tid, NULL);
    pthread_cond_destroy(&w->sync_cond);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    db_sync_free(w->sync);
    free(w->database);
    free(w);
}

void writer_submit(struct writer *w, enum writer_lane lane, struct app_home *home, h2o_req_t *req,
                   struct writer_job *job)
{
    job->home = home;
    job->req = req;
    job->guard = h2o_mem_alloc_shared(&req->pool, sizeof(*job->guard), on_req_dispose);
    job->guard->job = job;
    home->inflight++;
    pthread_mutex_lock(&w->lock);
    if (lane == WRITER_BATCH) {
        push(&w->batch, job);
        pthread_cond_signal(&w->cond);
    } else {
        struct pool *p = lane == WRITER_READ ? &w->read : &w->work;
        push(&p->queue, job);
        pthread_cond_signal(&p->cond);
    }
    pthread_mutex_unlock(&w->lock);
}

void writer_publish_due(struct writer *w)
{
    pthread_mutex_lock(&w->lock);
    w->publish = 1;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

void writer_counts(struct writer *w, uint64_t *batches, uint64_t *jobs)
{
    pthread_mutex_lock(&w->lock);
    *batches = w->batches;
    *jobs = w->jobs;
    pthread_mutex_unlock(&w->lock);
}

static void on_messages(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct app_home *h = H2O_STRUCT_FROM_MEMBER(struct app_home, receiver, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        h2o_multithread_message_t *m = H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
        struct writer_job *j = H2O_STRUCT_FROM_MEMBER(struct writer_job, msg, m);
        h2o_linklist_unlink(&m->link);
        h->inflight--;
        if (j->req != NULL)
            j->guard->job = NULL; /* the request outlives the job from here on */
        j->done(j);
    }
}

struct app_home *app_home_new(h2o_context_t *ctx)
{
    struct app_home *h = calloc(1, sizeof(*h));
    if (h == NULL)
        abort();
    h->ctx = ctx;
    h2o_multithread_register_receiver(ctx->queue, &h->receiver, on_messages);
    return h;
}

void app_home_free(struct app_home *h)
{
    if (h == NULL)
        return;
    while (h->inflight > 0)
        h2o_evloop_run(h->ctx->loop, 10);
    h2o_multithread_unregister_receiver(h->ctx->queue, &h->receiver);
    free(h);
}
