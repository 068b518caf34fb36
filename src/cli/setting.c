/* gazette setting get | set | list: the site's settings from the shell. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/content.h"
#include "news/identity.h"
#include "news/settings.h"

static int usage(void)
{
    fprintf(stderr, "usage: gazette setting get KEY | set KEY VALUE | list\n");
    return 2;
}

static int unknown(const char *key)
{
    size_t n;
    const struct setting_def *d = settings_known(&n);
    fprintf(stderr, "gazette setting: unknown setting %s; known:", key);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %s", d[i].key);
    fputc('\n', stderr);
    return 1;
}

int cli_setting(struct cli *cli, int argc, char **argv)
{
    const char *verb = argc >= 1 ? argv[0] : "";
    struct db *db;
    int ret, status = 0;

    if (!((strcmp(verb, "get") == 0 && argc == 2) || (strcmp(verb, "set") == 0 && argc == 3) ||
          (strcmp(verb, "list") == 0 && argc == 1)))
        return usage();
    if ((db = cli_open_db(cli)) == NULL)
        return 1;
    if (strcmp(verb, "get") == 0) {
        char *v = NULL;
        ret = setting_get(db, argv[1], &v);
        if (ret == -ENOENT)
            status = unknown(argv[1]);
        else if (ret < 0)
            status = cli_fail("setting get", db_errmsg(db), ret);
        else
            printf("%s\n", v);
        free(v);
    } else if (strcmp(verb, "set") == 0 && identity_is_image_setting(argv[1])) {
        char why[IMAGE_WHY_MAX] = "";
        if ((ret = identity_setting_set(db, argv[1], argv[2], why)) == -EINVAL || ret == -ENOENT)
            status = cli_fail("setting set", why, 0);
        else if (ret < 0)
            status = cli_fail("setting set", db_errmsg(db), ret);
    } else if (strcmp(verb, "set") == 0) {
        ret = setting_set(db, argv[1], argv[2]);
        if (ret == -ENOENT)
            status = unknown(argv[1]);
        else if (ret == -EINVAL)
            status = cli_fail("setting set",
                              strcmp(argv[1], "timezone") == 0
                                  ? "not a time zone: UTC or an Area/Location name under /usr/share/zoneinfo"
                              : strcmp(argv[1], "site_language") == 0
                                  ? "not a language tag such as en-US, fr or pt-BR"
                                  : "value out of range or not a number for this setting",
                              0);
        else if (ret < 0)
            status = cli_fail("setting set", db_errmsg(db), ret);
    } else {
        size_t n;
        const struct setting_def *d = settings_known(&n);
        for (size_t i = 0; i < n && status == 0; i++) {
            char *v = NULL;
            if ((ret = setting_get(db, d[i].key, &v)) < 0)
                status = cli_fail("setting list", db_errmsg(db), ret);
            else
                printf("%s=%s\n", d[i].key, v);
            free(v);
        }
    }
    db_close(db);
    return status;
}
