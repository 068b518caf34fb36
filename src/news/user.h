/* Users of the newsroom: creating them with an Argon2id password hash (libsodium, interactive
 * limits), checking a password, and generating one; and the rules of managing accounts from the
 * newsroom (who may add, change, disable and delete whom). Hashes never leave this module and db/.
 *
 * Errors of the managing functions: -EACCES the user may not (why says so); -EINVAL a field is
 * wrong (why says which); -ENOENT no such account; -EEXIST the login is taken; -EBUSY the change
 * would leave the site without an active administrator; storage errors. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/newsroom.h"

#define USER_LOGIN_MAX 60
#define USER_NAME_MAX 250
#define USER_EMAIL_MAX 100
#define USER_PASSWORD_MAX 4096 /* bytes; hashing longer input is a denial-of-service lever */
#define USER_PASSWORD_GEN 20   /* characters of a generated password */
#define USER_PASSWORD_MIN 8    /* characters of a password chosen in the newsroom */
#define USER_BIO_MAX 4000      /* bytes of a biography */
#define USER_HASH_MAX 128      /* bytes of a stored password hash with its NUL */

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

/* 1 when the account may log in: not disabled. */
int user_active(const struct user *u);

/* The Argon2id hash of password (slow: a fraction of a second of CPU and 64 MiB; keep it off
 * the event loops). -EINVAL when the password is too long. */
int user_password_hash(const char *password, char out[USER_HASH_MAX]);

/* NULL when a password chosen in the newsroom may be used, else a sentence saying why not. */
const char *user_password_refusal(const char *password);

/* An account added by `by` (an administrator) with a hash from user_password_hash (NULL or "":
 * cannot log in until given one). */
struct user_new {
    const char *login;
    const char *display_name; /* NULL or "": the login */
    const char *email;        /* NULL or "": none */
    enum user_role role;
    const char *pwhash;
};
int user_add(struct db *db, const struct user *by, const struct user_new *in, int64_t now, int64_t *id,
             const char **why);

/* What a change of an account holds: NULL strings and -1 numbers are left as they are. */
struct user_change {
    const char *display_name, *email, *bio;
    int role;     /* an enum user_role, or -1 */
    int disabled; /* 0, 1, or -1 */
};
/* Changes account id as `by`: everyone their own name, email and bio; administrators anyone's,
 * and the role and the disabled flag of others (never leaving no active administrator).
 * Disabling an account ends its sessions. */
int user_change(struct db *db, const struct user *by, int64_t id, const struct user_change *ch, const char **why);

/* Gives account id the password of hash pwhash as `by` (an administrator, or the user) and ends
 * the account's sessions, except the one of cookie value keep[0..keep_len) when keep is not NULL
 * (the user's own, changing their password). */
int user_password_set(struct db *db, const struct user *by, int64_t id, const char *pwhash, const char *keep,
                      size_t keep_len, const char **why);

/* Deletes account id as `by` (an administrator, not their own), giving its posts to account to. */
int user_remove(struct db *db, const struct user *by, int64_t id, int64_t to, const char **why);

/* Every account by login, and the number of posts (any status) of one. */
int user_list_all(struct db *db, struct user_list *out);
int user_post_count(struct db *db, int64_t id, int64_t *out);

/* The account id, for the newsroom's screens. -ENOENT when none. */
int user_get(struct db *db, int64_t id, struct user *out);
