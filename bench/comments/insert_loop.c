/* The plain alternative to Gazette's comment path: one INSERT per transaction into a SQLite file
 * in WAL mode with synchronous=FULL (one fsync per row), for a number of seconds, from one
 * thread. Prints rows per second. bench/comments.sh compares the server with it in one run.
 *   bench_insert_loop DIR SECONDS */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    char path[4096];
    sqlite3 *db;
    sqlite3_stmt *st;
    if (argc != 3) {
        fprintf(stderr, "usage: bench_insert_loop DIR SECONDS\n");
        return 2;
    }
    snprintf(path, sizeof(path), "%s/loop.db", argv[1]);
    double secs = atof(argv[2]);
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                     "CREATE TABLE IF NOT EXISTS comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL, "
                     "author TEXT NOT NULL, email TEXT NOT NULL, ip TEXT NOT NULL, created_at INTEGER NOT NULL, "
                     "body TEXT NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO comments (post_id, author, email, ip, created_at, body) "
                           "VALUES (?1, ?2, 'reader@bench.example', '127.0.0.1', ?3, ?4)",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_insert_loop: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    long rows = 0;
    double start = now(), end = start + secs;
    char author[64], body[128];
    while (now() < end) {
        snprintf(author, sizeof(author), "Reader %ld", rows);
        snprintf(body, sizeof(body), "Comment number %ld from the insert loop, about the story.", rows);
        sqlite3_bind_int64(st, 1, 1 + rows % 100);
        sqlite3_bind_text(st, 2, author, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
        sqlite3_bind_text(st, 4, body, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "bench_insert_loop: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_reset(st);
        rows++;
    }
    printf("%.0f\n", (double)rows / (now() - start));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}
