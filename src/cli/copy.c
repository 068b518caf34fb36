/* gazette copy --from URL --to URL: a whole site from one database into another, of either kind
 * (SQLite to PostgreSQL and back), then a census of both sides: the rows of each copied table and
 * a checksum of their values, which must match. Sessions are not copied (everyone logs in again). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/copy.h"
#include "db/db.h"

static int usage(void)
{
    fprintf(stderr, "usage: gazette copy [--from URL] --to URL   (--from defaults to --database)\n");
    return 2;
}

static int fail(const char *what, struct db *db, int err)
{
    fprintf(stderr, "gazette copy: %s: %s (%s)\n", what, db ? db_errmsg(db) : "", strerror(-err));
    return 1;
}

static void print_census(const struct db_copy_census *from, const struct db_copy_census *to)
{
    printf("%-16s %12s %12s  %-16s %-16s\n", "TABLE", "FROM", "TO", "FROM SUM", "TO SUM");
    for (size_t i = 0; i < from->n; i++)
        printf("%-16s %12" PRId64 " %12" PRId64 "  %016" PRIx64 " %016" PRIx64 "%s\n", from->tables[i].table,
               from->tables[i].rows, to->tables[i].rows, from->tables[i].sum, to->tables[i].sum,
               from->tables[i].rows == to->tables[i].rows && from->tables[i].sum == to->tables[i].sum ? ""
                                                                                                      : "  DIFFERS");
    printf("%-16s %12s %12s  %016" PRIx64 " %016" PRIx64 "\n", "checksum", "", "", from->sum, to->sum);
}

int cli_copy(struct cli *cli, int argc, char **argv)
{
    const char *from_url = cli->database, *to_url = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
            from_url = argv[++i];
        else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
            to_url = argv[++i];
        else
            return usage();
    }
    if (to_url == NULL || from_url == NULL)
        return usage();
    if (strcmp(from_url, to_url) == 0) {
        fprintf(stderr, "gazette copy: --from and --to name the same database\n");
        return 2;
    }
    struct db *from = NULL, *to = NULL;
    static struct db_copy_census a, b; /* large: not on the stack */
    int ret, status = 1;
    if ((ret = db_open(from_url, &from)) < 0) {
        fprintf(stderr, "gazette copy: cannot open the source: %s\n", strerror(-ret));
        return 1;
    }
    if ((ret = db_open(to_url, &to)) < 0) {
        fprintf(stderr, "gazette copy: cannot open the destination: %s\n", strerror(-ret));
        db_close(from);
        return 1;
    }
    /* the source's write lock for the whole copy: what is counted is what is copied */
    if ((ret = db_begin(from)) < 0) {
        status = fail("locking the source", from, ret);
        goto out;
    }
    if ((ret = db_copy_census(from, &a)) < 0)
        status = fail("reading the source", from, ret);
    else if ((ret = db_copy(from, to)) < 0)
        status = fail("copying", to, ret);
    db_rollback(from); /* nothing was written there */
    if (ret < 0)
        goto out;
    if ((ret = db_copy_census(to, &b)) < 0) {
        status = fail("reading the destination", to, ret);
        goto out;
    }
    print_census(&a, &b);
    if (a.sum != b.sum) {
        fprintf(stderr, "gazette copy: the destination differs from the source\n");
        goto out;
    }
    printf("copied: both sides match; sessions were not copied (everyone logs in again)\n");
    status = 0;
out:
    db_close(to);
    db_close(from);
    return status;
}
