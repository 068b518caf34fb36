/* gazette demo: fills an empty database with the demo news site, prints the administrator's
 * login, then serves it exactly as gazette serve would (make run starts this). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "lib/timeutil.h"
#include "news/demo.h"

static int fill_if_empty(const char *database)
{
    struct db *db = NULL;
    int empty = 0, rc;
    if ((rc = db_open(database, &db)) < 0)
        return rc;
    if ((rc = db_is_empty(db, &empty)) == 0 && empty) {
        char password[64];
        rc = demo_fill(db, time_now(), password, sizeof(password));
        if (rc == 0) {
            printf("admin login: %s / %s\n", DEMO_ADMIN_LOGIN, password);
            fflush(stdout);
        } else {
            fprintf(stderr, "gazette demo: cannot fill %s: %s\n", database, strerror(-rc));
        }
    }
    db_close(db);
    return rc;
}

int cli_demo(struct cli *cli, int argc, char **argv)
{
    return cli_serve_run(cli, argc, argv, "demo", fill_if_empty);
}
