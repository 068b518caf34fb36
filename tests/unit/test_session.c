#include <criterion/criterion.h>
#include <errno.h>
#include <strings.h>
#include <string.h>

#include "db/newsroom.h"
#include "db/sql.h"
#include "news/session.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(session, .fini = tmpdata_remove);

#define NOW 1777887000

static int64_t mkuser(struct db *db, const char *login, enum user_role role)
{
    int64_t id;
    cr_assert_eq(user_create(db, login, NULL, NULL, role, NULL, NOW, &id), 0);
    return id;
}

Test(session, create_check_expire_and_end)
{
    struct db *db = tmpdata_open();
    int64_t uid = mkuser(db, "ann", ROLE_AUTHOR);
    char cookie[SESSION_COOKIE_LEN + 1], other[SESSION_COOKIE_LEN + 1];
    struct user u;

    cr_assert_eq(session_create(db, uid, NOW, 3600, cookie), 0);
    cr_assert_eq(strlen(cookie), 64);
    cr_assert_eq(session_create(db, uid, NOW, 3600, other), 0);
    cr_assert_str_neq(cookie, other, "tokens are random");

    cr_assert_eq(session_user(db, cookie, 64, NOW + 10, &u), 0);
    cr_assert_str_eq(u.login, "ann");
    user_clear(&u);
    cr_assert_eq(session_user(db, cookie, 64, NOW + 3600, &u), -ENOENT, "expired");
    cr_assert_eq(session_user(db, cookie, 63, NOW, &u), -ENOENT, "short");
    char bad[65];
    memcpy(bad, cookie, 65);
    bad[0] = bad[0] == 'a' ? 'b' : 'a';
    cr_assert_eq(session_user(db, bad, 64, NOW, &u), -ENOENT, "another token");
    bad[0] = 'G';
    cr_assert_eq(session_user(db, bad, 64, NOW, &u), -ENOENT, "not hex");

    cr_assert_eq(session_end(db, cookie, 64), 0);
    cr_assert_eq(session_user(db, cookie, 64, NOW + 10, &u), -ENOENT, "ended on the server");
    cr_assert_eq(session_user(db, other, 64, NOW + 10, &u), 0, "other sessions live on");
    user_clear(&u);
    db_close(db);
}

Test(session, only_a_hash_of_the_token_is_stored)
{
    struct db *db = tmpdata_open();
    int64_t uid = mkuser(db, "ann", ROLE_AUTHOR);
    char cookie[SESSION_COOKIE_LEN + 1];
    cr_assert_eq(session_create(db, uid, NOW, 3600, cookie), 0);
    db_close(db);

    cr_assert_eq(db_open(tmpdata_url(), &db), 0);
    struct sql_stmt *st = sql_prepare_once(db, "SELECT token_hash FROM sessions");
    cr_assert_eq(sql_step(st), SQL_ROW);
    size_t n;
    const unsigned char *stored = sql_blob(st, 0, &n);
    cr_assert_eq(n, 32);
    char hex[65];
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", stored[i]);
    cr_assert(strcasecmp(hex, cookie) != 0, "the raw token is not stored");
    sql_finalize(st);
    db_close(db);
}

Test(session, csrf_token_is_tied_to_the_session)
{
    char a[SESSION_COOKIE_LEN + 1], b[SESSION_COOKIE_LEN + 1];
    char ta[SESSION_CSRF_LEN + 1], tb[SESSION_CSRF_LEN + 1];
    memset(a, 'a', 64);
    memset(b, 'b', 64);
    a[64] = b[64] = '\0';
    cr_assert_eq(session_csrf(a, 64, ta), 0);
    cr_assert_eq(session_csrf(b, 64, tb), 0);
    cr_assert_str_neq(ta, tb);
    cr_assert_neq(memcmp(ta, a, 64), 0, "the token is not the cookie");
    cr_assert(session_csrf_ok(a, 64, ta, 64));
    cr_assert(!session_csrf_ok(a, 64, tb, 64), "another session's token");
    cr_assert(!session_csrf_ok(a, 64, ta, 63), "truncated");
    cr_assert(!session_csrf_ok(a, 64, NULL, 0), "missing");
    cr_assert(!session_csrf_ok("xyz", 3, ta, 64), "no session");
}

Test(session, failed_logins_are_limited_per_ip_and_per_login)
{
    struct db *db = tmpdata_open();
    int t = -1;
    for (int i = 0; i < LOGIN_MAX_FAILURES - 1; i++)
        cr_assert_eq(login_failed(db, "10.0.0.1", "ann", NOW + i), 0);
    cr_assert_eq(login_throttled(db, "10.0.0.1", "ann", NOW + 5, &t), 0);
    cr_assert_eq(t, 0);
    cr_assert_eq(login_failed(db, "10.0.0.1", "bob", NOW + 5), 0);
    cr_assert_eq(login_throttled(db, "10.0.0.1", NULL, NOW + 5, &t), 0);
    cr_assert_eq(t, 1, "fifth failure from the IP");
    cr_assert_eq(login_throttled(db, "10.0.0.2", "bob", NOW + 5, &t), 0);
    cr_assert_eq(t, 0, "other IP, other login");
    cr_assert_eq(login_failed(db, "10.0.0.9", "ann", NOW + 6), 0);
    cr_assert_eq(login_throttled(db, "10.0.0.2", "ann", NOW + 6, &t), 0);
    cr_assert_eq(t, 1, "fifth failure for the login, from any IP");
    cr_assert_eq(login_throttled(db, "10.0.0.1", "ann", NOW + LOGIN_WINDOW + 10, &t), 0);
    cr_assert_eq(t, 0, "the window has passed");
    cr_assert_eq(login_succeeded(db, "ann"), 0);
    cr_assert_eq(login_throttled(db, NULL, "ann", NOW + 6, &t), 0);
    cr_assert_eq(t, 0, "a success forgets the login's failures");
    db_close(db);
}

Test(session, roles_have_wordpress_capabilities)
{
    cr_assert(role_can(ROLE_CONTRIBUTOR, CAP_EDIT_POSTS));
    cr_assert(!role_can(ROLE_CONTRIBUTOR, CAP_PUBLISH_POSTS));
    cr_assert(role_can(ROLE_AUTHOR, CAP_PUBLISH_POSTS));
    cr_assert(!role_can(ROLE_AUTHOR, CAP_EDIT_OTHERS_POSTS));
    cr_assert(!role_can(ROLE_AUTHOR, CAP_MODERATE_COMMENTS));
    cr_assert(role_can(ROLE_EDITOR, CAP_MODERATE_COMMENTS));
    cr_assert(role_can(ROLE_EDITOR, CAP_DELETE_FOREVER));
    cr_assert(!role_can(ROLE_EDITOR, CAP_MANAGE_OPTIONS));
    cr_assert(role_can(ROLE_ADMINISTRATOR, CAP_MANAGE_OPTIONS));

    struct user ann = {.id = 1, .role = ROLE_AUTHOR}, cid = {.id = 2, .role = ROLE_CONTRIBUTOR},
                ed = {.id = 3, .role = ROLE_EDITOR};
    struct post mine = {.author_id = 1, .type = POST_TYPE_POST, .status = POST_PUBLISHED};
    struct post cdraft = {.author_id = 2, .type = POST_TYPE_POST, .status = POST_PENDING};
    struct post cpub = {.author_id = 2, .type = POST_TYPE_POST, .status = POST_PUBLISHED};
    struct post page = {.author_id = 1, .type = POST_TYPE_PAGE, .status = POST_DRAFT};
    cr_assert(user_can_edit_post(&ann, &mine));
    cr_assert(!user_can_edit_post(&ann, &cdraft), "authors edit their own posts only");
    cr_assert(user_can_edit_post(&cid, &cdraft));
    cr_assert(!user_can_edit_post(&cid, &cpub), "contributors cannot edit once published");
    cr_assert(user_can_edit_post(&ed, &cpub));
    cr_assert(!user_can_edit_post(&ann, &page), "pages are for editors");
    cr_assert(user_can_edit_post(&ed, &page));
    cr_assert(user_can_set_status(&cid, POST_PENDING));
    cr_assert(!user_can_set_status(&cid, POST_PUBLISHED));
    cr_assert(!user_can_set_status(&cid, POST_SCHEDULED));
    cr_assert(user_can_set_status(&ann, POST_SCHEDULED));
}
