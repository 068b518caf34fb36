#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "db/apppass.h"
#include "news/apppass.h"
#include "news/post.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(apppass, .fini = tmpdata_remove);

#define NOW 1777887000

Test(apppass, create_verify_list_revoke)
{
    struct db *db = tmpdata_open();
    int64_t uid, other;
    char shown[APP_PASSWORD_SHOWN + 1], uuid[APP_PASSWORD_UUID_LEN + 1], got[APP_PASSWORD_UUID_LEN + 1];
    char shown2[APP_PASSWORD_SHOWN + 1], uuid2[APP_PASSWORD_UUID_LEN + 1];
    struct user u;
    struct app_password_list l;

    cr_assert_eq(user_create(db, "ann", NULL, NULL, ROLE_AUTHOR, NULL, NOW, &uid), 0);
    cr_assert_eq(user_create(db, "bob", NULL, NULL, ROLE_AUTHOR, NULL, NOW, &other), 0);
    cr_assert_eq(app_password_create(db, uid, "phone", NOW, shown, uuid), 0);
    cr_assert_eq(strlen(shown), APP_PASSWORD_SHOWN);
    cr_assert_eq(shown[4], ' ');
    cr_assert_eq(strlen(uuid), 36);
    cr_assert_eq(uuid[14], '4', "a version 4 UUID");
    cr_assert_eq(app_password_create(db, uid, "laptop", NOW, shown2, uuid2), 0);
    cr_assert_str_neq(shown, shown2);

    /* shown with its spaces, or without */
    cr_assert_eq(app_password_verify(db, "ann", shown, strlen(shown), &u, got), 0);
    cr_assert_eq(u.id, uid);
    cr_assert_str_eq(got, uuid);
    user_clear(&u);
    char bare[APP_PASSWORD_LEN + 1];
    size_t k = 0;
    for (const char *p = shown2; *p; p++)
        if (*p != ' ')
            bare[k++] = *p;
    bare[k] = '\0';
    cr_assert_eq(app_password_verify(db, "ANN", bare, k, &u, got), -EACCES, "logins are stored lowered");
    cr_assert_eq(app_password_verify(db, "ann", bare, k, &u, got), 0);
    cr_assert_str_eq(got, uuid2);
    user_clear(&u);
    cr_assert_eq(app_password_verify(db, "bob", shown, strlen(shown), &u, got), -EACCES, "another user's");
    cr_assert_eq(app_password_verify(db, "nobody", shown, strlen(shown), &u, got), -EACCES);
    bare[0] = bare[0] == 'A' ? 'B' : 'A';
    cr_assert_eq(app_password_verify(db, "ann", bare, k, &u, got), -EACCES);
    cr_assert_eq(app_password_verify(db, "ann", "short", 5, &u, got), -EACCES);

    cr_assert_eq(app_password_list(db, uid, &l), 0);
    cr_assert_eq(l.n, 2);
    cr_assert_str_eq(l.items[0].name, "phone");
    cr_assert_null(l.items[0].hash, "lists carry no hashes");
    cr_assert_eq(l.items[0].last_used, 0);
    app_password_list_free(&l);

    cr_assert_eq(db_app_password_used(db, uuid, NOW + 5, "127.0.0.1"), 0);
    cr_assert_eq(app_password_list(db, uid, &l), 0);
    cr_assert_eq(l.items[0].last_used, NOW + 5);
    cr_assert_str_eq(l.items[0].last_ip, "127.0.0.1");
    app_password_list_free(&l);

    cr_assert_eq(app_password_revoke(db, other, uuid), -ENOENT, "only its user revokes it");
    cr_assert_eq(app_password_revoke(db, uid, uuid), 0);
    cr_assert_eq(app_password_revoke(db, uid, uuid), -ENOENT);
    cr_assert_eq(app_password_verify(db, "ann", shown, strlen(shown), &u, got), -EACCES, "revoked");
    cr_assert_eq(app_password_create(db, uid, "", NOW, shown, uuid), -EINVAL);
    cr_assert_eq(app_password_create(db, 999, "x", NOW, shown, uuid), -ENOENT);
    db_close(db);
}

Test(apppass, lists_of_the_api)
{
    struct db *db = tmpdata_open();
    int64_t uid, id;
    struct post_list l = {0};
    int64_t n = -1, *ids = NULL;
    size_t nids = 0;

    cr_assert_eq(user_create(db, "ann", NULL, NULL, ROLE_AUTHOR, NULL, NOW, &uid), 0);
    struct post_new p = {.type = POST_TYPE_PAGE,
                         .status = POST_PUBLISHED,
                         .title = "About",
                         .author_id = uid,
                         .published_at = NOW - 100};
    cr_assert_eq(post_create(db, &p, NOW, &id), 0);
    p.title = "Later";
    p.published_at = NOW + 100;
    cr_assert_eq(post_create(db, &p, NOW, &id), 0);
    p.title = "Draft";
    p.status = POST_DRAFT;
    p.published_at = NOW - 50;
    cr_assert_eq(post_create(db, &p, NOW, &id), 0);
    cr_assert_eq(db_page_count_public(db, NOW, &n), 0);
    cr_assert_eq(n, 1, "published and due only");
    cr_assert_eq(db_page_list_public(db, NOW, 0, 10, &l), 0);
    cr_assert_eq(l.n, 1);
    cr_assert_str_eq(l.items[0].title, "About");
    post_list_free(&l);

    cr_assert_eq(db_author_ids(db, &ids, &nids), 0);
    cr_assert_eq(nids, 0, "pages make no author");
    free(ids);
    p = (struct post_new){
        .type = POST_TYPE_POST, .status = POST_PUBLISHED, .title = "News", .author_id = uid, .published_at = NOW - 10};
    cr_assert_eq(post_create(db, &p, NOW, &id), 0);
    cr_assert_eq(db_author_ids(db, &ids, &nids), 0);
    cr_assert_eq(nids, 1);
    cr_assert_eq(ids[0], uid);
    free(ids);
    db_close(db);
}
