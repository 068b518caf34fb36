#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/pwhash.h"
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

/* The live child process of this one that is a password helper, or 0 when there is none. */
static pid_t helper_child(void)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    pid_t found = 0;
    while (d != NULL && (e = readdir(d)) != NULL) {
        char path[300], comm[64], state;
        int pid, ppid;
        FILE *f;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        if (e->d_name[0] < '1' || e->d_name[0] > '9' || (f = fopen(path, "r")) == NULL)
            continue;
        if (fscanf(f, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid) == 4 && ppid == getpid() && state != 'Z' &&
            strcmp(comm, "gazette-pwhash") == 0) {
            cr_assert_eq(found, 0, "one helper at a time for one thread");
            found = pid;
        }
        fclose(f);
    }
    if (d != NULL)
        closedir(d);
    return found;
}

/* The server's workers hash in a helper process (lib/pwhash.h): the helper makes and checks the
 * hashes at the lowest priority, a killed one is replaced at the next hash, it ends with the
 * thread's call, and a thread whose helper cannot start hashes itself. */
Test(user, hashes_in_a_helper_process)
{
    const char *bin = getenv("GAZETTE_BIN");
    cr_assert_not_null(bin, "GAZETTE_BIN names the gazette binary");
    struct db *db = tmpdata_open();
    int64_t id;
    cr_assert_eq(helper_child(), 0);
    pwhash_helper_program(bin);
    pwhash_offload();
    cr_assert_eq(helper_child(), 0, "started at the first hash, not before");
    cr_assert_eq(user_create(db, "helped", NULL, NULL, ROLE_AUTHOR, "by the helper", 1, &id), 0);
    pid_t h = helper_child();
    cr_assert_gt(h, 0, "the hash was made in a child process");
    cr_assert_eq(sched_getscheduler(h), SCHED_IDLE);
    cr_assert_eq(user_verify(db, "helped", "by the helper", 13, NULL), 0);
    cr_assert_eq(user_verify(db, "helped", "by the helpex", 13, NULL), -EACCES);
    cr_assert_eq(helper_child(), h, "the same helper answers every request");

    cr_assert_eq(kill(h, SIGKILL), 0);
    cr_assert_eq(user_verify(db, "helped", "by the helper", 13, NULL), 0, "a killed helper is replaced");
    pid_t h2 = helper_child();
    cr_assert(h2 > 0 && h2 != h);
    pwhash_offload_end();
    cr_assert_eq(helper_child(), 0, "the helper ends with its thread's call");

    pwhash_helper_program("/nonexistent/gazette");
    pwhash_offload();
    cr_assert_eq(user_set_password(db, id, "made here"), 0, "without a helper the thread hashes itself");
    cr_assert_eq(user_verify(db, "helped", "made here", 9, NULL), 0);
    cr_assert_eq(user_verify(db, "helped", "by the helper", 13, NULL), -EACCES);
    cr_assert_eq(helper_child(), 0);
    pwhash_helper_program(NULL);
    db_close(db);
}
