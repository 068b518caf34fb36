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

/* A failed attempt as the server makes it: through the gate first (a refused one is not counted). */
static void fail_from(struct db *db, const char *ip, const char *login, const char *dev, int64_t at)
{
    struct login_gate g;
    cr_assert_eq(login_gate(db, ip, login, dev, dev ? strlen(dev) : 0, at, &g), 0);
    if (g.allowed)
        cr_assert_eq(login_failed(db, ip, login, &g, at), 0);
}

static int allowed(struct db *db, const char *ip, const char *login, const char *dev, int64_t at, int64_t *wait)
{
    struct login_gate g;
    cr_assert_eq(login_gate(db, ip, login, dev, dev ? strlen(dev) : 0, at, &g), 0);
    if (wait != NULL)
        *wait = g.retry_after;
    return g.allowed;
}

Test(session, failed_logins_limit_an_ip_and_slow_an_account_down)
{
    struct db *db = tmpdata_open();
    int64_t wait = 0;
    for (int i = 0; i < LOGIN_MAX_FAILURES - 1; i++)
        fail_from(db, "10.0.0.1", "ann", NULL, NOW + i);
    cr_assert(allowed(db, "10.0.0.1", "ann", NULL, NOW + 5, NULL));
    fail_from(db, "10.0.0.1", "bob", NULL, NOW + 5);
    cr_assert(!allowed(db, "10.0.0.1", "carl", NULL, NOW + 5, &wait), "fifth failure from the IP");
    cr_assert(wait > 0 && wait <= LOGIN_WINDOW);
    cr_assert(allowed(db, "10.0.0.2", "bob", NULL, NOW + 5, NULL), "other IP, other login");
    /* the fifth failure of ann, from anywhere: a wait of 2 s, then 4 s after the sixth ... */
    fail_from(db, "10.0.0.9", "ann", NULL, NOW + 6);
    cr_assert(!allowed(db, "10.0.0.2", "ann", NULL, NOW + 6, &wait), "the account waits");
    cr_assert_eq(wait, 2);
    cr_assert(allowed(db, "10.0.0.2", "ann", NULL, NOW + 8, NULL), "after the delay");
    fail_from(db, "10.0.0.3", "ann", NULL, NOW + 8);
    cr_assert(!allowed(db, "10.0.0.2", "ann", NULL, NOW + 11, &wait));
    cr_assert_eq(wait, 1, "4 s after the sixth failure");
    for (int i = 0; i < 20; i++)
        fail_from(db, "10.0.1.1", "ann", NULL, NOW + 100 + i); /* the gate refuses most: not counted */
    struct login_gate g;
    cr_assert_eq(login_gate(db, "10.0.0.2", "ann", NULL, 0, NOW + 130, &g), 0);
    cr_assert(g.retry_after <= LOGIN_DELAY_MAX, "the wait has a ceiling");
    cr_assert(allowed(db, "10.0.0.2", "ann", NULL, NOW + LOGIN_ACCOUNT_WINDOW + 200, NULL), "the window passed");
    db_close(db);
}

Test(session, a_device_cookie_passes_the_account_limit_and_has_its_own)
{
    struct db *db = tmpdata_open();
    char dev[LOGIN_DEVICE_MAX], other[LOGIN_DEVICE_MAX];
    struct login_gate g;
    int64_t wait;
    cr_assert_eq(login_gate(db, "10.0.0.1", "ann", NULL, 0, NOW, &g), 0);
    cr_assert(g.allowed && !g.trusted);
    cr_assert_eq(login_succeeded(db, "ann", &g, dev), 0);
    cr_assert_eq(strncmp(dev, "ann:", 4), 0);
    cr_assert_eq(login_succeeded(db, "bob", &g, other), 0);
    /* an attacker fails ann's password from many addresses */
    for (int i = 0; i < LOGIN_MAX_FAILURES; i++)
        fail_from(db, i % 2 ? "10.9.9.1" : "10.9.9.2", "ann", NULL, NOW + 10 + i);
    cr_assert(!allowed(db, "10.0.0.1", "ann", NULL, NOW + 15, &wait), "a stranger waits");
    cr_assert(allowed(db, "10.0.0.1", "ann", dev, NOW + 15, NULL), "ann's own browser does not");
    cr_assert(!allowed(db, "10.0.0.1", "ann", other, NOW + 15, NULL), "bob's cookie is not ann's");
    char forged[LOGIN_DEVICE_MAX];
    strcpy(forged, dev);
    forged[strlen(forged) - 1] = forged[strlen(forged) - 1] == '0' ? '1' : '0';
    cr_assert(!allowed(db, "10.0.0.1", "ann", forged, NOW + 15, NULL), "a forged MAC");
    /* even from an address that is itself limited */
    for (int i = 0; i < LOGIN_MAX_FAILURES; i++)
        fail_from(db, "10.0.0.7", "zed", NULL, NOW + 400);
    cr_assert(!allowed(db, "10.0.0.7", "ann", NULL, NOW + 401, NULL));
    cr_assert(allowed(db, "10.0.0.7", "ann", dev, NOW + 401, NULL));
    /* the device's own limit: five failures with it lock it, for everyone else's sake */
    for (int i = 0; i < LOGIN_MAX_FAILURES; i++)
        fail_from(db, "10.0.0.1", "ann", dev, NOW + 500 + i);
    cr_assert(!allowed(db, "10.0.0.1", "ann", dev, NOW + 506, NULL), "the locked cookie is a stranger's now");
    cr_assert(allowed(db, "10.0.0.1", "ann", dev, NOW + 506 + LOGIN_WINDOW, NULL), "until its window passes");
    /* a success with it forgets its failures */
    cr_assert_eq(login_gate(db, "10.0.0.1", "ann", dev, strlen(dev), NOW + 506 + LOGIN_WINDOW, &g), 0);
    cr_assert(g.trusted);
    cr_assert_eq(login_succeeded(db, "ann", &g, other), 0);
    cr_assert_neq(strcmp(other, dev), 0, "a fresh cookie each time");
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
