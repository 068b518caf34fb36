/* Newsroom logins: sessions, CSRF tokens, the failed-login limit and what each role may do.
 * A session token is 32 random bytes sent to the browser as 64 hex digits; the database keeps
 * only its BLAKE2b hash, so a copy of the database cannot be used to log in. The CSRF token of a
 * session is a keyed hash of the session token, so it needs no storage and dies with the session. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define SESSION_COOKIE "gazette_session"
#define SESSION_TOKEN_BYTES 32
#define SESSION_COOKIE_LEN (2 * SESSION_TOKEN_BYTES) /* hex digits */
#define SESSION_CSRF_LEN 64                          /* hex digits of a CSRF token */
#define SESSION_TTL_DEFAULT 43200                    /* seconds (12 hours) when the setting is absent */
#define LOGIN_MAX_FAILURES 5                         /* failed logins allowed ... */
#define LOGIN_WINDOW 60                              /* ... per this many seconds, per IP and per login */
#define LOGIN_IP_MAX 64                              /* bytes of an IP address kept as a rate-limit key */

/* Starts a session for user_id lasting ttl seconds: writes the cookie value (64 hex digits and
 * a NUL) into cookie. */
int session_create(struct db *db, int64_t user_id, int64_t now, int64_t ttl, char cookie[SESSION_COOKIE_LEN + 1]);

/* The user of the session whose cookie value is v[0..n), when it exists and has not expired.
 * -ENOENT for anything else (malformed, unknown, expired, ended). */
int session_user(struct db *db, const char *v, size_t n, int64_t now, struct user *out);

/* Ends the session of cookie value v[0..n) on the server (nothing happens for a malformed one). */
int session_end(struct db *db, const char *v, size_t n);

/* Ends every session of user_id but the one of cookie value v[0..n). */
int session_end_others(struct db *db, int64_t user_id, const char *v, size_t n);

/* The CSRF token of the session with cookie value v[0..n): 64 hex digits and a NUL. -EINVAL when
 * v is not a well-formed cookie value. */
int session_csrf(const char *v, size_t n, char out[SESSION_CSRF_LEN + 1]);

/* 1 when token[0..tn) is the CSRF token of the session with cookie value v[0..n) (compared in
 * constant time), else 0. */
int session_csrf_ok(const char *v, size_t n, const char *token, size_t tn);

/* ---- failed logins ----------------------------------------------------------------------
 * Three limits (OWASP's "device cookies"): LOGIN_MAX_FAILURES failures in LOGIN_WINDOW seconds
 * from one IP address refuse that address; a browser that logged in to an account before
 * carries a device cookie signed with the site's key (HMAC-SHA256) that takes it past the other
 * limits, with its own: LOGIN_MAX_FAILURES failures in LOGIN_WINDOW lock that cookie; any other
 * attempt on an account that failed LOGIN_MAX_FAILURES times in LOGIN_ACCOUNT_WINDOW waits a
 * delay that doubles with each further failure (2 s, 4 s ... LOGIN_DELAY_MAX), counted from the
 * last one. So guesses at an account name slow down its strangers, never its own browsers. */

#define LOGIN_ACCOUNT_WINDOW 900 /* seconds over which an account's failures count */
#define LOGIN_DELAY_MAX 300      /* seconds: the longest wait between attempts on an account */
#define LOGIN_DEVICE_COOKIE "gazette_device"
#define LOGIN_DEVICE_AGE (365L * 86400)                                /* seconds a device cookie is kept */
#define LOGIN_NONCE_LEN 32                                             /* hex digits of a device cookie's nonce */
#define LOGIN_DEVICE_MAX (USER_LOGIN_LIMIT + LOGIN_NONCE_LEN + 64 + 3) /* a device cookie's value and NUL */
#define USER_LOGIN_LIMIT 60                                            /* = USER_LOGIN_MAX (news/user.h) */

/* What an attempt to log in may do. */
struct login_gate {
    int allowed;         /* 0: refused for now */
    int64_t retry_after; /* refused: seconds until the next attempt may go ahead */
    int trusted;         /* the device cookie is the account's and not locked */
    char nonce[LOGIN_NONCE_LEN + 1];
};

/* Decides on an attempt from ip (may be "") for login (lower case) by a browser that sent the
 * device cookie value dev[0..dn) (dev NULL: none). Reads only. */
int login_gate(struct db *db, const char *ip, const char *login, const char *dev, size_t dn, int64_t now,
               struct login_gate *out);

/* Records a failed attempt that g let through: against the device cookie when trusted, else the
 * account; and against the IP address. */
int login_failed(struct db *db, const char *ip, const char *login, const struct login_gate *g, int64_t now);

/* After a successful login: forgets the failures of the device (or, from an untrusted browser,
 * of the account) and writes a new device cookie value for login into out. */
int login_succeeded(struct db *db, const char *login, const struct login_gate *g, char out[LOGIN_DEVICE_MAX]);

/* ---- capabilities (WordPress's meanings) ------------------------------------------------ */

enum cap {
    CAP_EDIT_POSTS,        /* write own posts (every role) */
    CAP_PUBLISH_POSTS,     /* publish, schedule or make private own posts (author and up) */
    CAP_EDIT_OTHERS_POSTS, /* edit, publish and trash anyone's posts (editor and up) */
    CAP_EDIT_PAGES,        /* static pages (editor and up) */
    CAP_DELETE_FOREVER,    /* empty the trash (editor and up) */
    CAP_MODERATE_COMMENTS, /* the comment queue (editor and up) */
    CAP_MANAGE_OPTIONS,    /* settings (administrator) */
    CAP_LIST_USERS,        /* the user list (administrator) */
    CAP_MANAGE_USERS,      /* add, change, disable and delete accounts (administrator) */
    CAP_MANAGE_TERMS,      /* categories and tags: add, rename, merge, delete (editor and up) */
    CAP_EDIT_MENUS,        /* arrange the header menu (editor and up) */
    CAP_UNFILTERED_HTML,   /* post any HTML; others' HTML goes through the allow-list (editor and up) */
    CAP_UPLOAD_FILES,      /* add images to the media library, change and delete one's own (author and up) */
};

/* 1 when role has cap, else 0. */
int role_can(enum user_role role, enum cap cap);

/* 1 when u may open and save post p: editors and administrators any post; authors their own;
 * contributors their own unless it is published, scheduled or private. Pages need
 * CAP_EDIT_PAGES. */
int user_can_edit_post(const struct user *u, const struct post *p);

/* 1 when u may give a post the status s (contributors: draft and pending only; trash is decided
 * by user_can_edit_post). */
int user_can_set_status(const struct user *u, enum post_status s);
