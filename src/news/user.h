/* Users of the newsroom: creating them with an Argon2id password hash (libsodium, interactive
 * limits), checking a password, and generating one. Hashes never leave this module and db/. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define USER_LOGIN_MAX 60
#define USER_NAME_MAX 250
#define USER_EMAIL_MAX 100
#define USER_PASSWORD_MAX 4096 /* bytes; hashing longer input is a denial-of-service lever */
#define USER_PASSWORD_GEN 20   /* characters of a generated password */

/* Creates a user. login: 1..USER_LOGIN_MAX of [a-z0-9._@-] (ASCII letters are lowered);
 * display_name NULL means the login; password NULL (or "") makes an account that cannot log in.
 * Returns 0 and *id, -EINVAL for a bad login or over-long field, -EEXIST when the login is taken. */
int user_create(struct db *db, const char *login, const char *display_name, const char *email, enum user_role role,
                const char *password, int64_t now, int64_t *id);

/* Checks password (n bytes) for login in constant time per hash. Returns 0 and *out (when
 * out is not NULL) on a match, -EACCES on a wrong password, an unknown login or an account
 * without a password (the same answer, so logins cannot be probed). */
int user_verify(struct db *db, const char *login, const char *password, size_t n, struct user *out);

/* Replaces a user's password. */
int user_set_password(struct db *db, int64_t id, const char *password);

/* Writes a random password of USER_PASSWORD_GEN characters from [A-Za-z0-9] and a NUL into
 * out (cap > USER_PASSWORD_GEN). -ENOSPC when cap is too small. */
int user_password_generate(char *out, size_t cap);

/* 1 when login (NUL-terminated) is a well-formed login, else 0. */
int user_login_valid(const char *login);
