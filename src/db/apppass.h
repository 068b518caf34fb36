/* The storage of application passwords (the JSON API's Basic authentication): each is a
 * user's, named, identified by a UUID and kept only as a hash. Same conventions as db/db.h. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct app_password {
    int64_t id;
    int64_t user_id;
    char *uuid;
    char *name;
    char *hash; /* filled by db_app_password_hashes only */
    int64_t created_at;
    int64_t last_used; /* 0: never */
    char *last_ip;     /* NULL: never */
};

struct app_password_list {
    struct app_password *items;
    size_t n;
};

void app_password_list_free(struct app_password_list *l);

/* Stores a new one; writes its id. -EEXIST when the UUID is taken, -EINVAL for an unknown user. */
int db_app_password_insert(struct db *db, struct app_password *p, int64_t *id);
/* A user's application passwords, oldest first, without their hashes. */
int db_app_password_list(struct db *db, int64_t user_id, struct app_password_list *out);
/* The same with their hashes (for checking a password only). */
int db_app_password_hashes(struct db *db, int64_t user_id, struct app_password_list *out);
/* Deletes the user's one with that UUID. -ENOENT when there is none. */
int db_app_password_delete(struct db *db, int64_t user_id, const char *uuid);
/* Records a use: when, and from which address. -ENOENT when there is no such UUID. */
int db_app_password_used(struct db *db, const char *uuid, int64_t at, const char *ip);
