/* Newsroom logins: session tokens from libsodium's CSPRNG, stored as BLAKE2b hashes, CSRF tokens
 * derived from the session token with a keyed BLAKE2b, the failed-login limit kept in the
 * database (so it holds across threads and restarts), and the role capability table. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/newsroom.h"
#include "news/session.h"
#include "news/user.h"

_Static_assert(USER_LOGIN_LIMIT == USER_LOGIN_MAX, "session.h spells the longest login too");

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
    struct user u = {0};
    int ret = db_session_user(db, hash, now, &u);
    if (ret == 0 && !u.disabled) {
        *out = u;
        return 0;
    }
    user_clear(&u);
    return ret < 0 ? ret : -ENOENT;
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

int session_end_others(struct db *db, int64_t user_id, const char *v, size_t n)
{
    unsigned char token[SESSION_TOKEN_BYTES], hash[DB_SESSION_HASH];
    if (decode(v, n, token) < 0)
        return db_session_delete_user(db, user_id);
    token_hash(token, hash);
    sodium_memzero(token, sizeof(token));
    return db_session_delete_others(db, user_id, hash);
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

/* The site's key for device cookies (site_state 'device_key'). With make, a site that has none
 * yet gets one (a write: only where the caller writes); without, -ENOENT then. */
static int device_key(struct db *db, int make, unsigned char key[crypto_auth_hmacsha256_KEYBYTES])
{
    unsigned char *v = NULL;
    size_t n = 0;
    int ret = db_state_get(db, "device_key", &v, &n);
    if (ret == -ENOENT && make) {
        unsigned char fresh[crypto_auth_hmacsha256_KEYBYTES];
        randombytes_buf(fresh, sizeof(fresh));
        ret = db_state_add(db, "device_key", fresh, sizeof(fresh));
        sodium_memzero(fresh, sizeof(fresh));
        if (ret == 0)
            ret = db_state_get(db, "device_key", &v, &n);
    }
    if (ret == 0 && n != crypto_auth_hmacsha256_KEYBYTES)
        ret = -EIO;
    if (ret == 0)
        memcpy(key, v, n);
    if (v != NULL)
        sodium_memzero(v, n);
    free(v);
    return ret;
}

/* The MAC of "login:nonce" in hex (64 digits and a NUL). */
static int device_mac(struct db *db, int make, const char *login, const char *nonce, char hex[65])
{
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
    char msg[USER_LOGIN_LIMIT + LOGIN_NONCE_LEN + 2];
    int ret = device_key(db, make, key);
    if (ret < 0)
        return ret;
    int n = snprintf(msg, sizeof(msg), "%s:%s", login, nonce);
    crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (unsigned long long)n, key);
    sodium_memzero(key, sizeof(key));
    sodium_bin2hex(hex, 65, mac, sizeof(mac));
    return 0;
}

/* The nonce of a device cookie dev[0..dn) = "login:nonce:mac" when it is login's and its MAC is
 * right: 1 and nonce filled, else 0. */
static int device_valid(struct db *db, const char *login, const char *dev, size_t dn, char nonce[LOGIN_NONCE_LEN + 1])
{
    size_t ln = strlen(login);
    char want[65];
    if (dev == NULL || dn != ln + 1 + LOGIN_NONCE_LEN + 1 + 64 || memcmp(dev, login, ln) != 0 || dev[ln] != ':' ||
        dev[ln + 1 + LOGIN_NONCE_LEN] != ':')
        return 0;
    memcpy(nonce, dev + ln + 1, LOGIN_NONCE_LEN);
    nonce[LOGIN_NONCE_LEN] = '\0';
    for (size_t i = 0; i < LOGIN_NONCE_LEN; i++)
        if (!((nonce[i] >= '0' && nonce[i] <= '9') || (nonce[i] >= 'a' && nonce[i] <= 'f')))
            return 0;
    if (device_mac(db, 0, login, nonce, want) < 0)
        return 0;
    return sodium_memcmp(want, dev + ln + 1 + LOGIN_NONCE_LEN + 1, 64) == 0;
}

/* The wait before the next attempt of an untrusted browser on an account with n recent failures. */
static int64_t account_delay(int64_t n)
{
    if (n < LOGIN_MAX_FAILURES)
        return 0;
    int64_t d = 2;
    for (int64_t i = LOGIN_MAX_FAILURES; i < n && d < LOGIN_DELAY_MAX; i++)
        d *= 2;
    return d < LOGIN_DELAY_MAX ? d : LOGIN_DELAY_MAX;
}

int login_gate(struct db *db, const char *ip, const char *login, const char *dev, size_t dn, int64_t now,
               struct login_gate *out)
{
    char key[LOGIN_IP_MAX + 16];
    int64_t n = 0, last = 0;
    int ret;
    struct login_gate g = {.allowed = 1};
    if (login != NULL && login[0] != '\0' && strlen(login) <= USER_LOGIN_LIMIT &&
        device_valid(db, login, dev, dn, g.nonce)) {
        key_of(key, sizeof(key), "device", g.nonce);
        if ((ret = db_login_failure_stats(db, key, now - LOGIN_WINDOW + 1, &n, &last)) < 0)
            return ret;
        g.trusted = n < LOGIN_MAX_FAILURES; /* a locked device cookie is a stranger's */
    }
    if (!g.trusted && ip != NULL && ip[0] != '\0') {
        key_of(key, sizeof(key), "ip", ip);
        if ((ret = db_login_failure_stats(db, key, now - LOGIN_WINDOW + 1, &n, &last)) < 0)
            return ret;
        if (n >= LOGIN_MAX_FAILURES) {
            g.allowed = 0;
            g.retry_after = last + LOGIN_WINDOW - now;
        }
    }
    if (!g.trusted && g.allowed && login != NULL && login[0] != '\0') {
        key_of(key, sizeof(key), "login", login);
        if ((ret = db_login_failure_stats(db, key, now - LOGIN_ACCOUNT_WINDOW + 1, &n, &last)) < 0)
            return ret;
        int64_t wait = account_delay(n);
        if (wait > 0 && now < last + wait) {
            g.allowed = 0;
            g.retry_after = last + wait - now;
        }
    }
    if (!g.allowed && g.retry_after < 1)
        g.retry_after = 1;
    if (!g.trusted)
        g.nonce[0] = '\0';
    *out = g;
    return 0;
}

int login_failed(struct db *db, const char *ip, const char *login, const struct login_gate *g, int64_t now)
{
    char key[LOGIN_IP_MAX + 16];
    int ret = 0;
    if (ip != NULL && ip[0] != '\0') {
        key_of(key, sizeof(key), "ip", ip);
        ret = db_login_failure_add(db, key, now);
    }
    if (ret == 0 && g->trusted) {
        key_of(key, sizeof(key), "device", g->nonce);
        ret = db_login_failure_add(db, key, now);
    } else if (ret == 0 && login != NULL && login[0] != '\0') {
        key_of(key, sizeof(key), "login", login);
        ret = db_login_failure_add(db, key, now);
    }
    return ret;
}

int login_succeeded(struct db *db, const char *login, const struct login_gate *g, char out[LOGIN_DEVICE_MAX])
{
    char key[LOGIN_IP_MAX + 16], nonce[LOGIN_NONCE_LEN + 1], mac[65];
    unsigned char raw[LOGIN_NONCE_LEN / 2];
    int ret;
    if (g->trusted)
        key_of(key, sizeof(key), "device", g->nonce);
    else
        key_of(key, sizeof(key), "login", login ? login : "");
    if ((ret = db_login_failure_clear(db, key)) < 0)
        return ret;
    if (login == NULL || strlen(login) > USER_LOGIN_LIMIT)
        return -EINVAL;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(nonce, sizeof(nonce), raw, sizeof(raw));
    if ((ret = device_mac(db, 1, login, nonce, mac)) < 0)
        return ret;
    snprintf(out, LOGIN_DEVICE_MAX, "%s:%s:%s", login, nonce, mac);
    return 0;
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
    case CAP_MANAGE_TERMS:
    case CAP_EDIT_MENUS:
        return role == ROLE_ADMINISTRATOR || role == ROLE_EDITOR;
    case CAP_MANAGE_OPTIONS:
    case CAP_LIST_USERS:
    case CAP_MANAGE_USERS:
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
