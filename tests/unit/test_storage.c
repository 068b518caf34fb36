/* The storage interface's connection on whichever backend the run names (tmpdata.h): reopening,
 * the content generation across connections, nested transactions, a second writer, the
 * statement cache, and threads opening a new database at once (one migrates, the others wait). */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "db/db_int.h"
#include "db/migrations.h"
#include "tmpdata.h"

TestSuite(storage, .fini = tmpdata_remove);
Test(storage, reopen_keeps_data_and_does_not_migrate_again)
{
    struct db *db = tmpdata_open();
    cr_assert_eq(db_setting_set(db, "site_title", "Kept"), 0);
    db_close(db);
    cr_assert_eq(db_open(tmpdata_url(), &db), 0);
    char *v = NULL;
    cr_assert_eq(db_setting_get(db, "site_title", &v), 0);
    cr_assert_str_eq(v, "Kept");
    free(v);
    int ver;
    cr_assert_eq(db_schema_version(db, &ver), 0);
    cr_assert_eq(ver, db_migrations_count);
    db_close(db);
}

Test(storage, generation_sees_commits_from_other_connections)
{
    struct db *a = tmpdata_open(), *b = NULL;
    cr_assert_eq(db_open(tmpdata_url(), &b), 0);
    uint64_t ga = 0, gb = 0;
    cr_assert_eq(db_changed(a, &ga), 1);
    cr_assert_eq(db_changed(b, &gb), 1);
    cr_assert_eq(ga, gb, "the same number on every connection");
    cr_assert_eq(db_changed(a, &ga), 0);
    cr_assert_eq(db_setting_set(b, "site_title", "x"), 0);
    cr_assert_eq(db_changed(a, &ga), 1, "a sees b's commit");
    cr_assert_eq(db_changed(b, &gb), 1, "b sees its own commit");
    cr_assert_eq(ga, gb);
    cr_assert_eq(db_changed(a, &ga), 0);
    db_close(a);
    db_close(b);
}

Test(storage, nested_transactions_roll_back_as_one)
{
    struct db *db = tmpdata_open();
    cr_assert_eq(db_begin(db), 0);
    cr_assert_eq(db_setting_set(db, "site_title", "outer"), 0);
    cr_assert_eq(db_begin(db), 0);
    cr_assert_eq(db_setting_set(db, "site_tagline", "inner"), 0);
    cr_assert_eq(db_rollback(db), 0);
    cr_assert_neq(db_commit(db), 0, "the outer commit reports the inner failure");
    char *v = NULL;
    cr_assert_eq(db_setting_get(db, "site_title", &v), -ENOENT);
    cr_assert_eq(db_commit(db), -EINVAL, "no transaction left");
    db_close(db);
}

Test(storage, a_second_writer_waits_then_succeeds)
{
    struct db *a = tmpdata_open(), *b = NULL;
    cr_assert_eq(db_open(tmpdata_url(), &b), 0);
    cr_assert_eq(db_begin(a), 0);
    cr_assert_eq(db_setting_set(a, "site_title", "a"), 0);
    /* b cannot write while a holds the lock; reads still work (WAL) */
    char *v = NULL;
    cr_assert_eq(db_setting_get(b, "site_title", &v), -ENOENT);
    cr_assert_eq(db_commit(a), 0);
    cr_assert_eq(db_setting_set(b, "site_title", "b"), 0);
    cr_assert_eq(db_setting_get(a, "site_title", &v), 0);
    cr_assert_str_eq(v, "b");
    free(v);
    db_close(a);
    db_close(b);
}

Test(storage, enumeration_names_round_trip)
{
    enum post_status s;
    cr_assert_eq(post_status_parse("scheduled", &s), 0);
    cr_assert_eq(s, POST_SCHEDULED);
    cr_assert_str_eq(post_status_name(POST_TRASH), "trash");
    cr_assert_eq(post_status_parse("bogus", &s), -EINVAL);
    enum user_role r;
    cr_assert_eq(user_role_parse("contributor", &r), 0);
    cr_assert_str_eq(user_role_name(ROLE_ADMINISTRATOR), "administrator");
    cr_assert_str_eq(comment_status_name(COMMENT_SPAM), "spam");
}

Test(storage, statements_are_prepared_once_per_connection)
{
    struct db *db = tmpdata_open();
    char *v = NULL;
    db_setting_get(db, "site_title", &v);
    size_t n = sql_cache_count(db);
    for (int i = 0; i < 100; i++) {
        cr_assert_eq(db_setting_set(db, "site_title", "x"), 0);
        cr_assert_eq(db_setting_get(db, "site_title", &v), 0);
        free(v);
    }
    cr_assert_eq(sql_cache_count(db), n + 1, "one more statement (the set), not two hundred");
    db_close(db);
}

static void *open_one(void *dir)
{
    struct db *db = NULL;
    intptr_t ret = db_open(dir, &db);
    if (ret == 0) {
        ret = db_setting_set(db, "site_title", "from a thread");
        db_close(db);
    }
    return (void *)ret;
}

Test(storage, threads_open_a_new_database_at_once)
{
    char dir[1024];
    pthread_t t[6];
    snprintf(dir, sizeof(dir), "%s", tmpdata_new_bare());
    for (int i = 0; i < 6; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, open_one, dir), 0);
    for (int i = 0; i < 6; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        cr_assert_eq((intptr_t)ret, 0, "thread %d: %ld", i, (long)(intptr_t)ret);
    }
    struct db *db = NULL;
    cr_assert_eq(db_open(dir, &db), 0);
    int v;
    cr_assert_eq(db_schema_version(db, &v), 0);
    cr_assert_eq(v, db_migrations_count);
    db_close(db);
}
