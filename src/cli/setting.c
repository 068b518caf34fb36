/* gazette setting get | set | list: the site's settings from the shell, driven by the table of
 * news/settings.c (the same rules as the newsroom's settings screen). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/content.h"
#include "news/settings.h"

static int usage(void)
{
    fprintf(stderr, "usage: gazette setting get KEY | set KEY VALUE | list [--describe]\n");
    return 2;
}

static int unknown(const char *verb, const char *key)
{
    size_t n;
    const struct setting_def *d = settings_known(&n);
    fprintf(stderr, "gazette setting %s: unknown setting %s; known:", verb, key);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %s", d[i].key);
    fputc('\n', stderr);
    return 1;
}

/* Every setting and its value; with describe, by section, each with its help and what it allows. */
static int list(struct db *db, int describe)
{
    size_t n;
    const struct setting_def *d = settings_known(&n);
    for (int s = 0; s < SETTINGS_SECTIONS; s++) {
        int header = 0;
        for (size_t i = 0; i < n; i++) {
            char *v = NULL, rule[SETTING_WHY_MAX];
            int ret;
            if ((int)d[i].section != s)
                continue;
            if ((ret = setting_get(db, d[i].key, &v)) < 0)
                return cli_fail("setting list", db_errmsg(db), ret);
            if (describe && !header)
                printf("%s# %s\n", s ? "\n" : "", setting_section_title((enum setting_section)s));
            header = 1;
            printf("%s=%s\n", d[i].key, v);
            if (describe) {
                setting_rule(&d[i], rule, sizeof(rule));
                printf("    %s: %s\n    allowed: %s; default: %s\n", d[i].label, d[i].help, rule,
                       d[i].computed ? "follows the server's address"
                       : d[i].def[0] ? d[i].def
                                     : "(empty)");
            }
            free(v);
        }
    }
    return 0;
}

int cli_setting(struct cli *cli, int argc, char **argv)
{
    const char *verb = argc >= 1 ? argv[0] : "";
    struct db *db;
    int ret, status = 0;

    if (!((strcmp(verb, "get") == 0 && argc == 2) || (strcmp(verb, "set") == 0 && argc == 3) ||
          (strcmp(verb, "list") == 0 && (argc == 1 || (argc == 2 && strcmp(argv[1], "--describe") == 0)))))
        return usage();
    if ((db = cli_open_db(cli)) == NULL)
        return 1;
    if (strcmp(verb, "get") == 0) {
        char *v = NULL;
        ret = setting_get(db, argv[1], &v);
        if (ret == -ENOENT)
            status = unknown("get", argv[1]);
        else if (ret < 0)
            status = cli_fail("setting get", db_errmsg(db), ret);
        else
            printf("%s\n", v);
        free(v);
    } else if (strcmp(verb, "set") == 0) {
        /* the screen's way: checked, then stored (an image setting makes its images first) */
        const char *key = argv[1], *value = argv[2];
        char why[1][SETTING_WHY_MAX];
        ret = settings_save(db, &key, &value, 1, NULL, why);
        if (ret == -EINVAL && setting_find(key) == NULL)
            status = unknown("set", key);
        else if (ret == -EINVAL)
            fprintf(stderr, "gazette setting set: %s: %s\n", key, why[0]), status = 1;
        else if (ret < 0)
            status = cli_fail("setting set", db_errmsg(db), ret);
    } else {
        status = list(db, argc == 2);
    }
    db_close(db);
    return status;
}
