/* Test helper: a fresh, empty data directory per test, removed afterwards. */
#pragma once

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db/db.h"

static char tmpdata_dir[256];

static int tmpdata_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Makes a new directory and returns its path (valid until tmpdata_remove). */
static inline const char *tmpdata_make(void)
{
    snprintf(tmpdata_dir, sizeof(tmpdata_dir), "/tmp/gazette-test-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdata_dir));
    return tmpdata_dir;
}

static inline void tmpdata_remove(void)
{
    if (tmpdata_dir[0])
        nftw(tmpdata_dir, tmpdata_rm, 16, FTW_DEPTH | FTW_PHYS);
    tmpdata_dir[0] = '\0';
}

/* A fresh directory opened as a database. */
static inline struct db *tmpdata_open(void)
{
    struct db *db = NULL;
    cr_assert_eq(db_open(tmpdata_make(), &db), 0);
    return db;
}
