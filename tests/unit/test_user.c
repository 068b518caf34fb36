#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "news/user.h"
#include "tmpdata.h"

TestSuite(user, .fini = tmpdata_remove);

Test(user, create_and_verify)
{
    struct db *db = tmpdata_open();
    int64_t id;
    cr_assert_eq(user_create(db, "Editor", "Eda Ed", "eda@example.com", ROLE_EDITOR, "correct horse", 1, &id), 0);
    struct user u;
    cr_assert_eq(user_verify(db, "editor", "correct horse", 13, &u), 0);
    cr_assert_eq(u.id, id);
    cr_assert_str_eq(u.login, "editor", "logins are lowered");
    cr_assert_str_eq(u.display_name, "Eda Ed");
    cr_assert_eq(u.role, ROLE_EDITOR);
    user_clear(&u);
    cr_assert_eq(user_verify(db, "EDITOR", "correct horse", 13, NULL), 0, "logins ignore case");
    cr_assert_eq(user_verify(db, "editor", "correct horsf", 13, NULL), -EACCES);
    cr_assert_eq(user_verify(db, "editor", "correct horse", 12, NULL), -EACCES, "length counts");
    cr_assert_eq(user_verify(db, "nobody", "correct horse", 13, NULL), -EACCES);
    cr_assert_eq(user_create(db, "editor", NULL, NULL, ROLE_AUTHOR, NULL, 1, &id), -EEXIST);
    db_close(db);
}

Test(user, hashes_are_argon2id_and_never_plain)
{
    struct db *db = tmpdata_open();
    int64_t id;
    cr_assert_eq(user_create(db, "a", NULL, NULL, ROLE_ADMINISTRATOR, "s3cret-pass", 1, &id), 0);
    char *h = NULL;
    cr_assert_eq(db_user_pwhash(db, "a", &h), 0);
    cr_assert_eq(strncmp(h, "$argon2id$", 10), 0, "%s", h);
    cr_assert_null(strstr(h, "s3cret-pass"));
    free(h);
    struct user u;
    cr_assert_eq(db_user_get(db, id, &u), 0);
    cr_assert_str_eq(u.display_name, "a");
    user_clear(&u);
    db_close(db);
}

Test(user, accounts_without_password_cannot_log_in)
{
    struct db *db = tmpdata_open();
    int64_t id;
    cr_assert_eq(user_create(db, "writer", "W", NULL, ROLE_AUTHOR, NULL, 1, &id), 0);
    cr_assert_eq(user_verify(db, "writer", "", 0, NULL), -EACCES);
    cr_assert_eq(user_set_password(db, id, "now-one"), 0);
    cr_assert_eq(user_verify(db, "writer", "now-one", 7, NULL), 0);
    db_close(db);
}

Test(user, logins_and_generated_passwords)
{
    cr_assert(user_login_valid("ann.o-k_1@x"));
    cr_assert_not(user_login_valid(""));
    cr_assert_not(user_login_valid("with space"));
    cr_assert_not(user_login_valid("ünï"));
    char a[USER_PASSWORD_GEN + 1], b[USER_PASSWORD_GEN + 1];
    cr_assert_eq(user_password_generate(a, sizeof(a)), 0);
    cr_assert_eq(user_password_generate(b, sizeof(b)), 0);
    cr_assert_eq(strlen(a), USER_PASSWORD_GEN);
    cr_assert_str_neq(a, b);
    cr_assert_eq(user_password_generate(a, USER_PASSWORD_GEN), -ENOSPC);
    struct db *db = tmpdata_open();
    int64_t id;
    cr_assert_eq(user_create(db, "bad login", NULL, NULL, ROLE_AUTHOR, NULL, 1, &id), -EINVAL);
    db_close(db);
}
