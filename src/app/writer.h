/* Work that must not run on an event loop: the one writer, which runs the submissions of every
 * thread in shared transactions (group commit: one fsync for a whole batch), a small pool of
 * workers for slow work (password hashing, writes that may wait for the lock), and one of
 * readers for reads that may take long (search over a large archive). A loop thread
 * hands a job over and returns; the job's done() runs back on that loop once the job's writes
 * are on disk, and answers the request then (docs/storage.md, "Group commit"). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <h2o.h>

#include "db/db.h"

#define WRITER_BATCH_MAX 512  /* jobs one transaction carries */
#define WRITER_WORKERS 2      /* threads of each worker pool */
#define WRITER_WORKER_NICE 19 /* the slow work's priority: the lowest, never starved (worker_main) */
#define WRITER_READER_NICE 5  /* long reads' priority: a little below the event loops' */
#define WRITER_TICK_MS 1000   /* the writer publishes scheduled posts that came due this often */
#define WRITER_PRUNE_EVERY 64 /* commits between two prunings of the change log */

struct writer;
struct app_home;

enum writer_lane {
    WRITER_BATCH, /* run by the writer inside a shared transaction, each in its own savepoint */
    WRITER_WORK,  /* run by a worker on its own, outside any transaction; reads only (see then) */
    WRITER_READ,  /* a read that may take long (search), by a pool of its own: never writes */
};

struct writer_job {
    /* Runs on the writer or a worker with its connection. In the batch lane, a negative return
     * rolls back this job's writes only. Must not touch the request: copy what it needs. */
    int (*run)(struct db *db, struct writer_job *job);
    /* WRITER_WORK jobs that must also write: run (slow, read-only: the workers run at the
     * lowest priority and must never hold the write lock) is followed by then, run by the
     * writer in its batch like a WRITER_BATCH job. NULL for none. */
    int (*then)(struct db *db, struct writer_job *job);
    /* Runs on the home loop once run's writes are committed and synced (or failed: then rc is
     * negative). Frees the job. req is NULL when the client went away meanwhile. */
    void (*done)(struct writer_job *job);
    int rc; /* run's result, or the commit's error */
    h2o_req_t *req;
    /* private */
    struct app_home *home;
    struct writer_job *next;
    struct job_guard *guard;
    h2o_multithread_message_t msg;
};

/* Starts the writer and the worker pool, each with its own connection to the database URL. */
int writer_start(const char *database, struct writer **out);

/* Runs every job still queued, then stops the threads and frees w. NULL is fine. */
void writer_stop(struct writer *w);

/* Hands job (zeroed but for run and done) over; its done() will run on home's loop for req. */
void writer_submit(struct writer *w, enum writer_lane lane, struct app_home *home, h2o_req_t *req,
                   struct writer_job *job);

/* Asks the writer to publish the scheduled posts that are due now, without waiting. */
void writer_publish_due(struct writer *w);

/* Batches and jobs the writer committed so far (for the statistics line). */
void writer_counts(struct writer *w, uint64_t *batches, uint64_t *jobs);

/* A loop thread's mailbox for finished jobs, on the context's queue. */
struct app_home *app_home_new(h2o_context_t *ctx);
/* Waits (running the loop) until every job of this home has come back, then frees it. */
void app_home_free(struct app_home *h);
