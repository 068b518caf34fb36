/* The writer (app/writer.h): jobs from a loop run in shared transactions, each in its own
 * savepoint, and come back to the loop only once committed; the comment rules still hold across
 * a batch (flood per IP, duplicates). And the change log the triggers keep. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "app/writer.h"
#include "db/changes.h"
#include "news/comment.h"
#include "news/post.h"
#include "news/settings.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(writer, .fini = tmpdata_remove);

#define NOW 1777887000
#define F(s) ((struct comment_field){(s), strlen(s)})
#define JOBS 40

static int64_t post_id;

static void site(struct db *db)
{
    int64_t uid;
    cr_assert_eq(user_create(db, "ed", "Ed", "", ROLE_EDITOR, NULL, NOW, &uid), 0);
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Open",
                          .author_id = uid,
                          .comments_open = 1,
                          .published_at = NOW - 3600};
    cr_assert_eq(post_create(db, &in, NOW, &post_id), 0);
    cr_assert_eq(setting_set(db, "comment_hold_first", "0"), 0);
}

struct cjob {
    struct writer_job job;
    char ip[32], body[64];
    struct comment_submission s;
    struct comment_result res;
    int *done;
    int fail; /* run writes, then fails: its writes must go, the others' stay */
};

static int run(struct db *db, struct writer_job *job)
{
    struct cjob *j = (struct cjob *)job;
    int rc = comment_submit(db, &j->s, &j->res);
    return rc == 0 && j->fail ? -EIO : rc;
}

static void done(struct writer_job *job)
{
    struct cjob *j = (struct cjob *)job;
    (*j->done)++;
}

/* Submits n jobs at once from a loop and runs the loop until all came back. */
static void submit_all(struct writer *w, struct cjob *jobs, size_t n)
{
    h2o_evloop_t *loop = h2o_evloop_create();
    h2o_multithread_queue_t *queue = h2o_multithread_create_queue(loop);
    h2o_context_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.loop = loop;
    ctx.queue = queue;
    struct app_home *home = app_home_new(&ctx);
    h2o_req_t req;
    memset(&req, 0, sizeof(req));
    h2o_mem_init_pool(&req.pool);
    int finished = 0;
    for (size_t i = 0; i < n; i++) {
        jobs[i].done = &finished;
        jobs[i].job.run = run;
        jobs[i].job.done = done;
        writer_submit(w, WRITER_BATCH, home, &req, &jobs[i].job);
    }
    while (finished < (int)n)
        h2o_evloop_run(loop, 100);
    app_home_free(home);
    h2o_mem_clear_pool(&req.pool);
    h2o_multithread_destroy_queue(queue);
    h2o_evloop_destroy(loop);
    free(queue);
}

static struct comment_submission sub(const char *ip, const char *body)
{
    return (struct comment_submission){.post_id = post_id,
                                       .author = F("Reader"),
                                       .email = F("reader@example.org"),
                                       .body = F(body),
                                       .ip = F(ip),
                                       .user_agent = F("test"),
                                       .now = NOW,
                                       .force_status = -1};
}

Test(writer, a_batch_keeps_the_flood_and_duplicate_rules)
{
    struct db *db = tmpdata_open();
    site(db);
    cr_assert_eq(setting_set(db, "comment_flood_seconds", "15"), 0);
    struct writer *w = NULL;
    cr_assert_eq(writer_start(tmpdata_url(), &w), 0);
    static struct cjob jobs[JOBS];
    memset(jobs, 0, sizeof(jobs));
    for (int i = 0; i < JOBS; i++) {
        /* 10 jobs from one address, the others from their own; jobs 30-39 repeat 20-29's bodies */
        snprintf(jobs[i].ip, sizeof(jobs[i].ip), "192.0.2.%d", i < 10 ? 1 : i);
        snprintf(jobs[i].body, sizeof(jobs[i].body), "comment %d", i >= 30 ? i - 10 : i);
        jobs[i].s = sub(jobs[i].ip, jobs[i].body);
    }
    jobs[15].fail = 1;
    submit_all(w, jobs, JOBS);
    uint64_t batches, njobs;
    writer_counts(w, &batches, &njobs);
    writer_stop(w);
    cr_assert_eq(njobs, JOBS);
    cr_assert_lt(batches, JOBS, "jobs queued together share a transaction (%llu batches)", (unsigned long long)batches);

    int accepted = 0, flood = 0, dup = 0;
    for (int i = 0; i < JOBS; i++) {
        if (i == 15) {
            cr_assert_eq(jobs[i].job.rc, -EIO);
            continue;
        }
        cr_assert_eq(jobs[i].job.rc, 0, "job %d: %d", i, jobs[i].job.rc);
        accepted += jobs[i].res.outcome == COMMENT_ACCEPTED;
        flood += jobs[i].res.outcome == COMMENT_FLOOD;
        dup += jobs[i].res.outcome == COMMENT_DUPLICATE;
    }
    cr_assert_eq(flood, 9, "one comment per address within the window, even in one batch");
    cr_assert_eq(dup, 10, "the same text twice is a duplicate, even in one batch");
    cr_assert_eq(accepted, JOBS - 1 - 9 - 10);
    struct comment_list l = {0};
    cr_assert_eq(db_comment_list_all(db, post_id, &l), 0);
    cr_assert_eq(l.n, (size_t)accepted, "every accepted comment is stored, the failed job's is not");
    for (size_t i = 0; i < l.n; i++)
        cr_assert_str_neq(l.items[i].body, "comment 15");
    comment_list_free(&l);
    db_close(db);
}

Test(writer, the_change_log_records_what_writes_changed)
{
    struct db *db = tmpdata_open();
    int64_t last = 0;
    cr_assert_eq(db_changes_last(db, &last), 0);
    site(db);
    struct db_change ch[64];
    size_t n = 0;
    cr_assert_eq(db_changes_since(db, last, ch, 64, &n), 0);
    cr_assert_gt(n, 0);
    cr_assert_eq(ch[0].seq, last + 1);
    int saw_post = 0, saw_site = 0;
    for (size_t i = 0; i < n; i++) {
        saw_post |= ch[i].kind == DB_CHANGE_POST && ch[i].id == post_id;
        saw_site |= ch[i].kind == DB_CHANGE_SITE;
        if (i > 0)
            cr_assert_eq(ch[i].seq, ch[i - 1].seq + 1, "no gaps");
    }
    cr_assert(saw_post && saw_site);
    cr_assert_eq(db_changes_last(db, &last), 0);

    /* a pending comment shows nowhere: not logged; an approved one is */
    struct comment c = {.post_id = post_id, .status = COMMENT_PENDING, .author = "A", .email = "a@b.cd", .body = "x"};
    cr_assert_eq(db_comment_insert(db, &c), 0);
    cr_assert_eq(db_changes_since(db, last, ch, 64, &n), 0);
    cr_assert_eq(n, 0);
    cr_assert_eq(db_comment_set_status(db, c.id, COMMENT_APPROVED), 0);
    cr_assert_eq(db_changes_since(db, last, ch, 64, &n), 0);
    cr_assert_eq(n, 1);
    cr_assert_eq(ch[0].kind, DB_CHANGE_COMMENTS);
    cr_assert_eq(ch[0].id, post_id);

    /* a savepoint rolled back takes its log rows with it, and sequence numbers stay gapless */
    cr_assert_eq(db_begin(db), 0);
    cr_assert_eq(db_savepoint(db), 0);
    cr_assert_eq(db_changes_log(db, DB_CHANGE_SITE, 0), 0);
    cr_assert_eq(db_savepoint_end(db, 1), 1);
    cr_assert_eq(db_savepoint(db), 0);
    cr_assert_eq(db_begin(db), 0);
    cr_assert_eq(db_rollback(db), 0, "a nested rollback inside a savepoint");
    cr_assert_eq(db_savepoint_end(db, 0), 1, "rolls back to the savepoint only");
    cr_assert_eq(db_savepoint(db), 0);
    cr_assert_eq(db_changes_log(db, DB_CHANGE_POST, 7), 0);
    cr_assert_eq(db_savepoint_end(db, 0), 0);
    cr_assert_eq(db_commit(db), 0, "the transaction itself stands");
    cr_assert_eq(db_changes_since(db, ch[0].seq, ch, 64, &n), 0);
    cr_assert_eq(n, 1);
    cr_assert_eq(ch[0].kind, DB_CHANGE_POST);
    cr_assert_eq(ch[0].id, 7);

    /* pruning keeps the newest rows */
    for (int i = 0; i < 10; i++)
        cr_assert_eq(db_changes_log(db, DB_CHANGE_POST, i), 0);
    cr_assert_eq(db_changes_last(db, &last), 0);
    cr_assert_eq(db_changes_prune(db, 3), 0);
    cr_assert_eq(db_changes_since(db, 0, ch, 64, &n), 0);
    cr_assert_eq(n, 3);
    cr_assert_eq(ch[0].seq, last - 2, "a reader behind the oldest row sees the gap");
    db_close(db);
}

Test(writer, posts_that_came_due)
{
    struct db *db = tmpdata_open();
    site(db);
    int64_t ids[8];
    size_t n = 0;
    cr_assert_eq(db_post_due_ids(db, NOW - 7200, NOW, ids, 8, &n), 0);
    cr_assert_eq(n, 1);
    cr_assert_eq(ids[0], post_id);
    cr_assert_eq(db_post_due_ids(db, NOW - 3600, NOW, ids, 8, &n), 0);
    cr_assert_eq(n, 0, "(from, to]: not the post at from");
    db_close(db);
}
