/* gazette category list / gazette tag list: every category or tag with its id, name, slug,
 * parent and number of published posts, as text or JSON (--format=json). */
#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/db.h"
#include "lib/timeutil.h"
#include "news/taxonomy.h"

static int term_command(struct cli *cli, enum term_taxonomy tax, const char *cmd, int argc, char **argv)
{
    int json = 0;
    if (argc < 1 || strcmp(argv[0], "list") != 0)
        goto usage;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format=json") == 0 ||
            (strcmp(argv[i], "--format") == 0 && i + 1 < argc && strcmp(argv[++i], "json") == 0))
            json = 1;
        else if (strcmp(argv[i], "--format=text") == 0 || strcmp(argv[i], "--format=table") == 0)
            json = 0;
        else
            goto usage;
    }
    struct db *db;
    if (db_open(cli->database, &db) < 0) {
        fprintf(stderr, "gazette %s list: cannot open the database %s\n", cmd, cli->database);
        return 1;
    }
    struct term_list l = {0};
    int rc = term_list(db, tax, time_now(), &l);
    if (rc < 0) {
        fprintf(stderr, "gazette %s list: %s\n", cmd, db_errmsg(db));
        db_close(db);
        return 1;
    }
    db_close(db);
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < l.n; i++) {
            const struct term *t = &l.items[i];
            json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:I, s:I}", "id", (json_int_t)t->id, "name", t->name,
                                               "slug", t->slug, "parent", (json_int_t)t->parent_id, "post_count",
                                               (json_int_t)t->count));
        }
        char *s = json_dumps(a, JSON_INDENT(2));
        if (s)
            puts(s);
        free(s);
        json_decref(a);
    } else {
        printf("%-5s %-30s %-6s %-6s %s\n", "ID", "SLUG", "PARENT", "POSTS", "NAME");
        for (size_t i = 0; i < l.n; i++) {
            const struct term *t = &l.items[i];
            printf("%-5lld %-30s %-6lld %-6lld %s\n", (long long)t->id, t->slug, (long long)t->parent_id,
                   (long long)t->count, t->name);
        }
    }
    term_list_free(&l);
    return 0;
usage:
    fprintf(stderr, "usage: gazette %s list [--format=json|table]\n", cmd);
    return 2;
}

int cli_category(struct cli *cli, int argc, char **argv)
{
    return term_command(cli, TERM_CATEGORY, "category", argc, argv);
}

int cli_tag(struct cli *cli, int argc, char **argv)
{
    return term_command(cli, TERM_TAG, "tag", argc, argv);
}
