/* Newsroom users: Argon2id hashes through libsodium's crypto_pwhash_str (interactive limits:
 * about 64 MiB and a fraction of a second per login), checked with its verify function. */
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "news/user.h"

static int ready(void)
{
    return sodium_init() < 0 ? -EIO : 0;
}

int user_login_valid(const char *login)
{
    size_t n = login ? strlen(login) : 0;
    if (n == 0 || n > USER_LOGIN_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = login[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '@' || c == '-'))
            return 0;
    }
    return 1;
}

/* The login in lower case (ASCII), into out; the login has been checked by user_login_valid. */
static void lower_login(const char *login, char out[USER_LOGIN_MAX + 1])
{
    size_t n = strlen(login);
    for (size_t i = 0; i <= n; i++)
        out[i] = (login[i] >= 'A' && login[i] <= 'Z') ? (char)(login[i] - 'A' + 'a') : login[i];
}

static int hash(const char *password, size_t n, char out[crypto_pwhash_STRBYTES])
{
    if (n > USER_PASSWORD_MAX)
        return -EINVAL;
    if (ready() < 0)
        return -EIO;
    if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) !=
        0)
        return -ENOMEM;
    return 0;
}

int user_create(struct db *db, const char *login, const char *display_name, const char *email, enum user_role role,
                const char *password, int64_t now, int64_t *id)
{
    char lower[USER_LOGIN_MAX + 1];
    char h[crypto_pwhash_STRBYTES];
    struct user u = {0};
    int ret;

    if (!user_login_valid(login) || (display_name && strlen(display_name) > USER_NAME_MAX) ||
        (email && strlen(email) > USER_EMAIL_MAX) || user_role_name(role) == NULL)
        return -EINVAL;
    lower_login(login, lower);
    h[0] = '\0';
    if (password != NULL && password[0] != '\0' && (ret = hash(password, strlen(password), h)) < 0)
        return ret;
    u.login = lower;
    u.display_name = (char *)(display_name && display_name[0] ? display_name : lower);
    u.email = (char *)(email ? email : "");
    u.role = role;
    u.created_at = now;
    ret = db_user_insert(db, &u, h[0] ? h : NULL);
    sodium_memzero(h, sizeof(h));
    if (ret == 0)
        *id = u.id;
    return ret;
}

int user_verify(struct db *db, const char *login, const char *password, size_t n, struct user *out)
{
    char *stored = NULL, lower[USER_LOGIN_MAX + 1] = "";
    int ret, match = 0;

    if (ready() < 0)
        return -EIO;
    if (n > USER_PASSWORD_MAX)
        return -EACCES;
    if (user_login_valid(login))
        lower_login(login, lower);
    ret = lower[0] ? db_user_pwhash(db, lower, &stored) : -ENOENT;
    if (ret < 0 && ret != -ENOENT)
        return ret;
    if (stored != NULL) {
        match = crypto_pwhash_str_verify(stored, password, n) == 0;
    } else {
        /* spend the same time on an unknown login or an account without a password */
        char dummy[crypto_pwhash_STRBYTES];
        hash(password, n, dummy);
    }
    free(stored);
    if (!match)
        return -EACCES;
    if (out != NULL)
        return db_user_get_by_login(db, lower, out);
    return 0;
}

int user_set_password(struct db *db, int64_t id, const char *password)
{
    char h[crypto_pwhash_STRBYTES];
    int ret;
    if (password == NULL || password[0] == '\0')
        return db_user_set_pwhash(db, id, NULL);
    if ((ret = hash(password, strlen(password), h)) < 0)
        return ret;
    ret = db_user_set_pwhash(db, id, h);
    sodium_memzero(h, sizeof(h));
    return ret;
}

int user_password_generate(char *out, size_t cap)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    if (cap <= USER_PASSWORD_GEN)
        return -ENOSPC;
    if (ready() < 0)
        return -EIO;
    for (size_t i = 0; i < USER_PASSWORD_GEN; i++)
        out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    out[USER_PASSWORD_GEN] = '\0';
    return 0;
}
