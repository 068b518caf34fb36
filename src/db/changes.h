/* The change log (migration 0005, docs/storage.md): what each committed write changed, in
 * commit order, appended by triggers whoever writes. A page cache reads past the last row it saw
 * and drops only the pages that show what changed. Also the savepoints that let one transaction
 * carry many independent writes (group commit). Same conventions as db/db.h. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define DB_CHANGES_KEEP 100000 /* rows db_changes_prune keeps */

enum db_change_kind {
    DB_CHANGE_POST,     /* a post or page: its content, status, date, terms (id = the post) */
    DB_CHANGE_COMMENTS, /* the approved comments of a post (id = the post) */
    DB_CHANGE_SITE,     /* settings, a term or an author renamed or deleted: any page (id = 0) */
};

struct db_change {
    int64_t seq;
    enum db_change_kind kind;
    int64_t id;
};

/* The rows committed after seq `after`, oldest first, at most max of them, into out[0..*n).
 * Sequence numbers of committed rows follow each other without gaps; a first row other than
 * after + 1 means rows were pruned in between. */
int db_changes_since(struct db *db, int64_t after, struct db_change *out, size_t max, size_t *n);

/* The newest sequence number (0 when the log is empty). */
int db_changes_last(struct db *db, int64_t *out);

/* Appends a row by hand (a bulk load that set the triggers aside logs DB_CHANGE_SITE). */
int db_changes_log(struct db *db, enum db_change_kind kind, int64_t id);

/* Deletes all but the newest `keep` rows. */
int db_changes_prune(struct db *db, int64_t keep);

/* The published posts and pages whose published_at lies in (from, to]: what came due in that
 * time without a write. At most max ids into ids[0..*n). */
int db_post_due_ids(struct db *db, int64_t from, int64_t to, int64_t *ids, size_t max, size_t *n);

/* A savepoint inside an open transaction (db_begin): the writes between db_savepoint and
 * db_savepoint_end stand or fall together without touching the rest of the transaction. A
 * nested db_rollback inside it (which would otherwise fail the whole transaction) rolls back to
 * the savepoint only. db_savepoint_end returns 1 when it rolled back, 0 when the writes stay,
 * negative on error (then the whole transaction is failed). */
int db_savepoint(struct db *db);
int db_savepoint_end(struct db *db, int rollback);

struct db_sync;

/* Sets up the connection of the one writer, whose commits become durable in two steps: its
 * commits return without waiting for the disk, and db_sync(s), called after they returned (from
 * any thread, without the connection), makes them durable; only then may they be acknowledged.
 * SQLite: the commits write the WAL (synchronous=NORMAL) and db_sync flushes it. Also keeps
 * statement journals (each insert that fires triggers inside a savepoint has one) in memory.
 * Returns 0 and *out (free it with db_sync_free after the connection is closed). */
int db_writer_setup(struct db *db, struct db_sync **out);

/* Makes every commit of the writer's connection that returned before the call durable. 0, or a
 * negative errno (then nothing is known of those commits). */
int db_sync(struct db_sync *s);
void db_sync_free(struct db_sync *s);
