/* gazette user passwd LOGIN: sets a user's password (first line of stdin, or generated and
 * printed once). Imported WordPress authors have none until this is run. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/content.h"
#include "news/user.h"

int cli_user_passwd(struct cli *cli, int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gazette user passwd LOGIN   (password from stdin, or generated)\n");
        return 2;
    }
    char *input = NULL, generated[USER_PASSWORD_GEN + 1];
    if (cli_read_body(NULL, USER_PASSWORD_MAX + 2, &input) < 0)
        return 1;
    input[strcspn(input, "\r\n")] = '\0';
    int status = 1, gen = input[0] == '\0';
    struct db *db = NULL;
    if (strlen(input) > USER_PASSWORD_MAX) {
        cli_fail("user passwd", "the password is too long", 0);
        goto out;
    }
    if (gen && user_password_generate(generated, sizeof(generated)) < 0) {
        cli_fail("user passwd", "cannot generate a password", -EIO);
        goto out;
    }
    if ((db = cli_open_db(cli)) == NULL)
        goto out;
    struct user u = {0};
    int ret = db_user_get_by_login(db, argv[1], &u);
    if (ret == -ENOENT) {
        cli_fail("user passwd", "no such user", 0);
        goto out;
    }
    if (ret == 0)
        ret = user_set_password(db, u.id, gen ? generated : input);
    if (ret < 0) {
        cli_fail("user passwd", db_errmsg(db), ret);
    } else {
        printf("password of %s set\n", u.login);
        if (gen)
            printf("password: %s\n", generated);
        status = 0;
    }
    user_clear(&u);
out:
    sodium_memzero(input, strlen(input));
    sodium_memzero(generated, sizeof(generated));
    free(input);
    db_close(db);
    return status;
}
