/* The schema migrations, embedded at build time from src/db/migrations/NNNN_name.sql by
 * scripts/embed-sql.py. Migration N brings the schema from version N-1 to N (PRAGMA user_version). */
#pragma once

struct db_migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct db_migration db_migrations[];
extern const int db_migrations_count;
/* The same for PostgreSQL, from src/db/migrations/pg/ (the same numbers and names). */
extern const struct db_migration db_pg_migrations[];
extern const int db_pg_migrations_count;
