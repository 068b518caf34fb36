/* gazette user add: newsroom accounts from the shell. The password comes from stdin (first
 * line) or is generated and printed once; only its Argon2id hash is stored. */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/content.h"
#include "lib/timeutil.h"
#include "news/user.h"

static int usage(void)
{
    fprintf(stderr, "usage: gazette user add LOGIN --role administrator|editor|author|contributor "
                    "[--name \"Display Name\"] [--email E]   (password from stdin, or generated)\n");
    return 2;
}

static int user_add(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"role", required_argument, NULL, 'r'},
                                         {"name", required_argument, NULL, 'n'},
                                         {"email", required_argument, NULL, 'e'},
                                         {NULL, 0, NULL, 0}};
    const char *name = NULL, *email = NULL;
    enum user_role role = ROLE_AUTHOR;
    int have_role = 0, c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            if (user_role_parse(optarg, &role) < 0) {
                fprintf(stderr, "gazette user add: unknown role %s\n", optarg);
                return 2;
            }
            have_role = 1;
            break;
        case 'n': name = optarg; break;
        case 'e': email = optarg; break;
        default: return usage();
        }
    }
    if (optind + 1 != argc || !have_role)
        return usage();
    const char *login = argv[optind];
    if (!user_login_valid(login))
        return cli_fail("user add", "a login is 1 to 60 of a-z 0-9 . _ @ -", 0);

    char *input = NULL, generated[USER_PASSWORD_GEN + 1];
    const char *password;
    if (cli_read_body(NULL, USER_PASSWORD_MAX + 2, &input) < 0)
        return 1;
    input[strcspn(input, "\r\n")] = '\0';
    if (strlen(input) > USER_PASSWORD_MAX) {
        free(input);
        return cli_fail("user add", "the password is too long", 0);
    }
    int gen = input[0] == '\0';
    if (gen && user_password_generate(generated, sizeof(generated)) < 0) {
        free(input);
        return cli_fail("user add", "cannot generate a password", -EIO);
    }
    password = gen ? generated : input;

    struct db *db = cli_open_db(cli);
    int64_t id;
    int status = 1, ret;
    if (db != NULL) {
        ret = user_create(db, login, name, email, role, password, time_now(), &id);
        if (ret == -EEXIST)
            cli_fail("user add", "that login is taken", 0);
        else if (ret == -EINVAL)
            cli_fail("user add", "a field is too long", 0);
        else if (ret < 0)
            cli_fail("user add", db_errmsg(db), ret);
        else {
            printf("%lld %s %s\n", (long long)id, login, user_role_name(role));
            if (gen)
                printf("password: %s\n", generated);
            status = 0;
        }
    }
    sodium_memzero(input, strlen(input));
    sodium_memzero(generated, sizeof(generated));
    free(input);
    db_close(db);
    return status;
}

int cli_user(struct cli *cli, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "add") == 0)
        return user_add(cli, argc, argv);
    return usage();
}
