/* Newsroom logins: session tokens from libsodium's CSPRNG, stored as BLAKE2b hashes, CSRF tokens
 * derived from the session token with a keyed BLAKE2b, the failed-login limit kept in the
 * database (so it holds across threads and restarts), and the role capability table. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "db/newsroom.h"
#include "news/session.h"

static const char csrf_context[] = "gazette csrf v1";

/* Decodes a cookie value of exactly SESSION_COOKIE_LEN lower-case hex digits. */
static int decode(const char *v, size_t n, unsigned char token[SESSION_TOKEN_BYTES])
{
    if (v == NULL || n != SESSION_COOKIE_LEN)
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
            return -EINVAL;
    size_t len = 0;
    if (sodium_hex2bin(token, SESSION_TOKEN_BYTES, v, n, NULL, &len, NULL) != 0 || len != SESSION_TOKEN_BYTES)
        return -EINVAL;
    return 0;
}

static void token_hash(const unsigned char token[SESSION_TOKEN_BYTES], unsigned char hash[DB_SESSION_HASH])
{
    crypto_generichash(hash, DB_SESSION_HASH, token, SESSION_TOKEN_BYTES, NULL, 0);
}

int session_create(struct db *db, int64_t user_id, int64_t now, int64_t ttl, char cookie[SESSION_COOKIE_LEN + 1])
{
    unsigned char token[SESSION_TOKEN_BYTES], hash[DB_SESSION_HASH];
    if (sodium_init() < 0)
        return -EIO;
    if (ttl <= 0)
        ttl = SESSION_TTL_DEFAULT;
    randombytes_buf(token, sizeof(token));
    token_hash(token, hash);
    int ret = db_session_insert(db, hash, user_id, now, now + ttl);
    if (ret == 0)
        sodium_bin2hex(cookie, SESSION_COOKIE_LEN + 1, token, sizeof(token));
    sodium_memzero(token, sizeof(token));
    /* expired sessions and old failures are swept whenever someone logs in */
    if (ret == 0)
        db_session_purge(db, now, now - 24 * 3600);
    return ret;
}

int session_user(struct db *db, const char *v, size_t n, int64_t now, struct user *out)
{
    unsigned char token[SESSION_TOKEN_BYTES], hash[DB_SESSION_HASH];
    if (decode(v, n, token) < 0)
        return -ENOENT;
    token_hash(token, hash);
    sodium_memzero(token, sizeof(token));
    return db_session_user(db, hash, now, out);
}

int session_end(struct db *db, const char *v, size_t n)
{
    unsigned char token[SESSION_TOKEN_BYTES], hash[DB_SESSION_HASH];
    if (decode(v, n, token) < 0)
        return 0;
    token_hash(token, hash);
    sodium_memzero(token, sizeof(token));
    return db_session_delete(db, hash);
}

int session_csrf(const char *v, size_t n, char out[SESSION_CSRF_LEN + 1])
{
    unsigned char token[SESSION_TOKEN_BYTES], mac[SESSION_CSRF_LEN / 2];
    if (decode(v, n, token) < 0)
        return -EINVAL;
    crypto_generichash(mac, sizeof(mac), (const unsigned char *)csrf_context, sizeof(csrf_context) - 1, token,
                       sizeof(token));
    sodium_memzero(token, sizeof(token));
    sodium_bin2hex(out, SESSION_CSRF_LEN + 1, mac, sizeof(mac));
    return 0;
}

int session_csrf_ok(const char *v, size_t n, const char *token, size_t tn)
{
    char want[SESSION_CSRF_LEN + 1];
    if (token == NULL || tn != SESSION_CSRF_LEN || session_csrf(v, n, want) < 0)
        return 0;
    return sodium_memcmp(want, token, SESSION_CSRF_LEN) == 0;
}

/* ---- failed logins --------------------------------------------------------------------- */

static int key_of(char *out, size_t cap, const char *kind, const char *s)
{
    int n = snprintf(out, cap, "%s:%.*s", kind, LOGIN_IP_MAX, s);
    return n < 0 ? -EINVAL : 0;
}

int login_throttled(struct db *db, const char *ip, const char *login, int64_t now, int *out)
{
    char key[LOGIN_IP_MAX + 16];
    int64_t n = 0;
    int ret;
    *out = 0;
    if (ip != NULL && ip[0] != '\0') {
        key_of(key, sizeof(key), "ip", ip);
        if ((ret = db_login_failure_count(db, key, now - LOGIN_WINDOW + 1, &n)) < 0)
            return ret;
        if (n >= LOGIN_MAX_FAILURES)
            *out = 1;
    }
    if (login != NULL && login[0] != '\0') {
        key_of(key, sizeof(key), "login", login);
        if ((ret = db_login_failure_count(db, key, now - LOGIN_WINDOW + 1, &n)) < 0)
            return ret;
        if (n >= LOGIN_MAX_FAILURES)
            *out = 1;
    }
    return 0;
}

int login_failed(struct db *db, const char *ip, const char *login, int64_t now)
{
    char key[LOGIN_IP_MAX + 16];
    int ret = 0;
    if (ip != NULL && ip[0] != '\0') {
        key_of(key, sizeof(key), "ip", ip);
        ret = db_login_failure_add(db, key, now);
    }
    if (ret == 0 && login != NULL && login[0] != '\0') {
        key_of(key, sizeof(key), "login", login);
        ret = db_login_failure_add(db, key, now);
    }
    return ret;
}

int login_succeeded(struct db *db, const char *login)
{
    char key[LOGIN_IP_MAX + 16];
    key_of(key, sizeof(key), "login", login ? login : "");
    return db_login_failure_clear(db, key);
}

/* ---- capabilities ---------------------------------------------------------------------- */

int role_can(enum user_role role, enum cap cap)
{
    switch (cap) {
    case CAP_EDIT_POSTS:
        return 1;
    case CAP_PUBLISH_POSTS:
    case CAP_UPLOAD_FILES:
        return role == ROLE_ADMINISTRATOR || role == ROLE_EDITOR || role == ROLE_AUTHOR;
    case CAP_EDIT_OTHERS_POSTS:
    case CAP_EDIT_PAGES:
    case CAP_DELETE_FOREVER:
    case CAP_MODERATE_COMMENTS:
    case CAP_UNFILTERED_HTML:
        return role == ROLE_ADMINISTRATOR || role == ROLE_EDITOR;
    case CAP_MANAGE_OPTIONS:
    case CAP_LIST_USERS:
        return role == ROLE_ADMINISTRATOR;
    }
    return 0;
}

int user_can_edit_post(const struct user *u, const struct post *p)
{
    if (p->type == POST_TYPE_PAGE && !role_can(u->role, CAP_EDIT_PAGES))
        return 0;
    if (role_can(u->role, CAP_EDIT_OTHERS_POSTS))
        return 1;
    if (p->author_id != u->id)
        return 0;
    if (!role_can(u->role, CAP_PUBLISH_POSTS))
        return p->status == POST_DRAFT || p->status == POST_PENDING || p->status == POST_TRASH;
    return 1;
}

int user_can_set_status(const struct user *u, enum post_status s)
{
    if (s == POST_DRAFT || s == POST_PENDING || s == POST_TRASH)
        return 1;
    return role_can(u->role, CAP_PUBLISH_POSTS);
}
