/* Moving a whole site from one database to another, of either backend (gazette copy): the tables
 * that hold what people wrote and set are copied row by row with their ids; what is made from
 * them (counts, search index, change log) is made again by the destination; sessions and failed
 * logins stay behind. A census of each side (rows and a checksum of every copied table) shows
 * that both hold the same site. Errors are the negative errno values of db.h. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct db;

#define DB_COPY_TABLES_MAX 48 /* tables a census can hold */

/* A copied table and the key its rows are read in order of (unique, so that pages of rows
 * neither overlap nor leave gaps). */
struct db_copy_table {
    const char *name;
    const char *key;
};

/* The tables copied, in the order they are written (a row's references come first). */
extern const struct db_copy_table db_copy_tables[];
extern const size_t db_copy_n_tables;
/* The tables of either schema that are not copied (each with the reason beside it in copy.c). */
extern const char *const db_copy_skipped[];
extern const size_t db_copy_n_skipped;

/* One table of a census: its rows and a checksum of their values that does not depend on their
 * order or on the backend. */
struct db_copy_count {
    const char *table;
    int64_t rows;
    uint64_t sum;
};

struct db_copy_census {
    struct db_copy_count tables[DB_COPY_TABLES_MAX];
    size_t n;
    uint64_t sum; /* of every table's */
};

/* Counts and sums every copied table of db. */
int db_copy_census(struct db *db, struct db_copy_census *out);

/* Copies every copied table of from into to, which must hold no user, post or comment (-EEXIST,
 * with db_errmsg(to) saying so); its settings and link maps are replaced. One bulk load on to
 * (wpmap.h): all or nothing. */
int db_copy(struct db *from, struct db *to);

/* The names of the tables of db's schema, heap strings in a heap array (db_copy_names_free). */
int db_copy_schema_tables(struct db *db, char ***names, size_t *n);
void db_copy_names_free(char **names, size_t n);
