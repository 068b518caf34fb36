/* Application passwords, as WordPress's: a user gives each application its own password (24
 * random letters and digits, shown once, in groups of four), which works only for the JSON API's
 * Basic authentication and can be revoked alone. Only an Argon2id hash is kept.
 *
 * Errors: -ENOENT no such user or password; -EACCES a password that does not match (the same
 * answer for an unknown login); -EINVAL a name empty or too long; -E2BIG the user has
 * APP_PASSWORDS_MAX already; storage errors. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/apppass.h"
#include "db/db.h"

#define APP_PASSWORD_LEN 24       /* characters of a password, without the spaces shown */
#define APP_PASSWORD_SHOWN 29     /* "abcd efgh ijkl mnop qrst uvwx" */
#define APP_PASSWORD_NAME_MAX 200 /* bytes of an application's name */
#define APP_PASSWORD_UUID_LEN 36
#define APP_PASSWORDS_MAX 50 /* a user's; checking a password tries each */

#define APP_PASSWORD_HASH_MAX 128 /* = crypto_pwhash_STRBYTES: an encoded Argon2id hash and NUL */

/* Makes a new password: writes it as shown (groups of four), a new UUID and its Argon2id hash.
 * Slow and touches no database: the newsroom runs it on a worker. */
int app_password_make(char shown[APP_PASSWORD_SHOWN + 1], char uuid[APP_PASSWORD_UUID_LEN + 1],
                      char hash[APP_PASSWORD_HASH_MAX]);

/* Stores a password made by app_password_make for user_id, named name. */
int app_password_store(struct db *db, int64_t user_id, const char *name, const char *uuid, const char *hash,
                       int64_t now);

/* Both at once (the command line): makes a password for user_id named name: writes it as shown (groups of four,
 * NUL-terminated) into shown and its UUID into uuid. */
int app_password_create(struct db *db, int64_t user_id, const char *name, int64_t now,
                        char shown[APP_PASSWORD_SHOWN + 1], char uuid[APP_PASSWORD_UUID_LEN + 1]);

/* The user's passwords (names, UUIDs, dates; never hashes). */
int app_password_list(struct db *db, int64_t user_id, struct app_password_list *out);

/* Revokes one. -ENOENT when the user has none with that UUID. */
int app_password_revoke(struct db *db, int64_t user_id, const char *uuid);

/* Checks password[0..n) (spaces ignored) against login's application passwords: 0 with the user
 * in *out and the password's UUID in uuid, or -EACCES. Slow (Argon2id, once per stored
 * password): never on an event loop. */
int app_password_verify(struct db *db, const char *login, const char *password, size_t n, struct user *out,
                        char uuid[APP_PASSWORD_UUID_LEN + 1]);
