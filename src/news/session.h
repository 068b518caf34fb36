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

/* The CSRF token of the session with cookie value v[0..n): 64 hex digits and a NUL. -EINVAL when
 * v is not a well-formed cookie value. */
int session_csrf(const char *v, size_t n, char out[SESSION_CSRF_LEN + 1]);

/* 1 when token[0..tn) is the CSRF token of the session with cookie value v[0..n) (compared in
 * constant time), else 0. */
int session_csrf_ok(const char *v, size_t n, const char *token, size_t tn);

/* 1 in *out when logins from ip, or for login, have failed LOGIN_MAX_FAILURES times in the last
 * LOGIN_WINDOW seconds. ip or login may be NULL (not checked). */
int login_throttled(struct db *db, const char *ip, const char *login, int64_t now, int *out);

/* Records a failed login from ip for login (either may be NULL). */
int login_failed(struct db *db, const char *ip, const char *login, int64_t now);

/* Forgets the failures of a login after it succeeded. */
int login_succeeded(struct db *db, const char *login);

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
