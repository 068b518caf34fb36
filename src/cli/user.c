/* gazette user add: newsroom accounts from the shell. The password comes from stdin (first
 * line) or is generated and printed once; only its Argon2id hash is stored. */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/content.h"
#include "db/newsroom.h"
#include "lib/timeutil.h"
#include "news/apppass.h"
#include "news/user.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: gazette user add LOGIN --role administrator|editor|author|contributor "
            "[--name \"Display Name\"] [--email E]   (password from stdin, or generated)\n"
            "       gazette user app-password add LOGIN NAME | list LOGIN [--format=json] | revoke LOGIN UUID\n");
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
        case 'n':
            name = optarg;
            break;
        case 'e':
            email = optarg;
            break;
        default:
            return usage();
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

/* gazette user passwd LOGIN: a new password from stdin (or generated and printed); the user's
 * sessions end, so a stolen one stops working. */
static int user_passwd(struct cli *cli, int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gazette user passwd LOGIN   (password from stdin, or generated)\n");
        return 2;
    }
    char *input = NULL, generated[USER_PASSWORD_GEN + 1];
    if (cli_read_body(NULL, USER_PASSWORD_MAX + 2, &input) < 0)
        return 1;
    input[strcspn(input, "\r\n")] = '\0';
    if (strlen(input) > USER_PASSWORD_MAX) {
        free(input);
        return cli_fail("user passwd", "the password is too long", 0);
    }
    int gen = input[0] == '\0', status = 1, ret;
    if (gen && user_password_generate(generated, sizeof(generated)) < 0) {
        free(input);
        return cli_fail("user passwd", "cannot generate a password", -EIO);
    }
    struct db *db = cli_open_db(cli);
    struct user u = {0};
    if (db == NULL)
        goto out;
    if ((ret = db_user_get_by_login(db, argv[1], &u)) == -ENOENT) {
        cli_fail("user passwd", "no such user", 0);
        goto out;
    }
    if (ret < 0 || (ret = user_set_password(db, u.id, gen ? generated : input)) < 0 ||
        (ret = db_session_delete_user(db, u.id)) < 0) {
        cli_fail("user passwd", db_errmsg(db), ret);
        goto out;
    }
    printf("password of %s changed\n", u.login);
    if (gen)
        printf("password: %s\n", generated);
    status = 0;
out:
    user_clear(&u);
    sodium_memzero(input, strlen(input));
    sodium_memzero(generated, sizeof(generated));
    free(input);
    db_close(db);
    return status;
}

/* gazette user list [--format=json|table]: logins, names, emails and roles, never hashes. */
static int user_list(struct cli *cli, int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format=json") == 0 ||
            (strcmp(argv[i], "--format") == 0 && i + 1 < argc && strcmp(argv[++i], "json") == 0))
            json = 1;
        else if (strcmp(argv[i], "--format=table") != 0 && strcmp(argv[i], "table") != 0) {
            fprintf(stderr, "usage: gazette user list [--format=json|table]\n");
            return 2;
        }
    }
    struct db *db = cli_open_db(cli);
    struct user_list l = {0};
    int ret, status = 1;
    if (db == NULL)
        return 1;
    if ((ret = db_user_list(db, &l)) < 0) {
        cli_fail("user list", db_errmsg(db), ret);
        goto out;
    }
    json_t *arr = json_array();
    if (!json)
        printf("%-5s %-20s %-14s %-30s %s\n", "ID", "LOGIN", "ROLE", "EMAIL", "NAME");
    for (size_t i = 0; i < l.n; i++) {
        struct user *u = &l.items[i];
        char when[TIME_ISO_LEN];
        time_format_iso(u->created_at, when);
        if (!json) {
            printf("%-5lld %-20s %-14s %-30s %s\n", (long long)u->id, u->login, user_role_name(u->role), u->email,
                   u->display_name);
            continue;
        }
        json_array_append_new(arr,
                              json_pack("{s:I, s:o, s:o, s:o, s:s, s:s}", "id", (json_int_t)u->id, "login",
                                        cli_json_str(u->login), "name", cli_json_str(u->display_name), "email",
                                        cli_json_str(u->email), "role", user_role_name(u->role), "created_at", when));
    }
    if (json) {
        char *s = json_dumps(arr, JSON_INDENT(2));
        if (s == NULL) {
            json_decref(arr);
            cli_fail("user list", "cannot write JSON", -ENOMEM);
            goto out;
        }
        puts(s);
        free(s);
    }
    json_decref(arr);
    status = 0;
out:
    user_list_free(&l);
    db_close(db);
    return status;
}

/* gazette user app-password add LOGIN NAME | list LOGIN [--format=json] | revoke LOGIN UUID: the
 * JSON API's application passwords. A new one is printed once; only its hash is kept. */
static int app_passwords(struct cli *cli, int argc, char **argv)
{
    static const char use[] =
        "usage: gazette user app-password add LOGIN NAME | list LOGIN [--format=json] | revoke LOGIN UUID\n";
    const char *op = argc >= 2 ? argv[1] : "";
    int json = argc == 4 && strcmp(op, "list") == 0 && strcmp(argv[3], "--format=json") == 0;
    if (!((strcmp(op, "add") == 0 && argc == 4) || (strcmp(op, "list") == 0 && (argc == 3 || json)) ||
          (strcmp(op, "revoke") == 0 && argc == 4))) {
        fputs(use, stderr);
        return 2;
    }
    struct db *db = cli_open_db(cli);
    struct user u = {0};
    struct app_password_list l = {0};
    int ret, status = 1;
    if (db == NULL)
        return 1;
    if ((ret = db_user_get_by_login(db, argv[2], &u)) == -ENOENT) {
        cli_fail("user app-password", "no such user", 0);
        goto out;
    } else if (ret < 0) {
        cli_fail("user app-password", db_errmsg(db), ret);
        goto out;
    }
    if (strcmp(op, "add") == 0) {
        char shown[APP_PASSWORD_SHOWN + 1], uuid[APP_PASSWORD_UUID_LEN + 1];
        ret = app_password_create(db, u.id, argv[3], time_now(), shown, uuid);
        if (ret == -EINVAL)
            cli_fail("user app-password add", "a name is 1 to 200 bytes", 0);
        else if (ret == -E2BIG)
            cli_fail("user app-password add", "the user has too many application passwords", 0);
        else if (ret < 0)
            cli_fail("user app-password add", db_errmsg(db), ret);
        else {
            printf("%s\npassword: %s\n", uuid, shown);
            status = 0;
        }
        sodium_memzero(shown, sizeof(shown));
    } else if (strcmp(op, "revoke") == 0) {
        ret = app_password_revoke(db, u.id, argv[3]);
        if (ret == -ENOENT)
            cli_fail("user app-password revoke", "the user has no application password with that UUID", 0);
        else if (ret < 0)
            cli_fail("user app-password revoke", db_errmsg(db), ret);
        else {
            printf("revoked %s\n", argv[3]);
            status = 0;
        }
    } else if ((ret = app_password_list(db, u.id, &l)) < 0) {
        cli_fail("user app-password list", db_errmsg(db), ret);
    } else {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.n; i++) {
            const struct app_password *p = &l.items[i];
            char made[TIME_ISO_LEN], used[TIME_ISO_LEN];
            time_format_iso(p->created_at, made);
            time_format_iso(p->last_used, used);
            if (!json)
                printf("%s  %s  created %s  last used %s\n", p->uuid, p->name, made, p->last_used ? used : "never");
            else
                json_array_append_new(arr, json_pack("{s:s, s:o, s:s, s:o, s:o}", "uuid", p->uuid, "name",
                                                     cli_json_str(p->name), "created", made, "last_used",
                                                     p->last_used ? json_string(used) : json_null(), "last_ip",
                                                     p->last_ip ? cli_json_str(p->last_ip) : json_null()));
        }
        if (json) {
            char *s = json_dumps(arr, JSON_INDENT(2));
            if (s != NULL)
                puts(s);
            free(s);
        }
        json_decref(arr);
        status = 0;
    }
out:
    app_password_list_free(&l);
    user_clear(&u);
    db_close(db);
    return status;
}

int cli_user(struct cli *cli, int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "app-password") == 0)
        return app_passwords(cli, argc, argv);
    if (argc >= 1 && strcmp(argv[0], "add") == 0)
        return user_add(cli, argc, argv);
    if (argc >= 1 && strcmp(argv[0], "passwd") == 0)
        return user_passwd(cli, argc, argv);
    if (argc >= 1 && strcmp(argv[0], "list") == 0)
        return user_list(cli, argc, argv);
    return usage();
}
