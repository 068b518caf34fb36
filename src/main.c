/* gazette: the command line. Each subcommand lives in src/cli/ and is dispatched from here;
 * global options (--data DIR, --database URL) are read before the subcommand name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *name;
    int (*run)(struct cli *cli, int argc, char **argv);
    const char *help;
} commands[] = {
    {"template", cli_template, "template render FILE --data DATA.json [--partials DIR]"},
    {"serve", cli_serve,
     "serve [--listen 127.0.0.1:8080] [--threads N] [--cache-mb MIB] [--config gazette.ini] [--theme DIR]\n"
     "        [--tls-cert FILE --tls-key FILE [--redirect-http HOST:PORT]] [--max-connections N]"},
    {"demo", cli_demo, "demo [serve options]   (fills an empty data directory with a demo site first)"},
    {"post", cli_post, "post add --title T [--slug S] [--author NAME] [--category C]... [--file PATH] ... | post list"},
    {"comment", cli_comment, "comment list [--post ID] | add --post ID --author N --email E | approve|spam|trash ID"},
    {"setting", cli_setting, "setting get KEY | setting set KEY VALUE | setting list"},
    {"user", cli_user, "user add LOGIN --role ROLE [--name NAME] [--email E] | passwd LOGIN | list [--format=json]"},
    {"import", cli_import, "import wxr FILE [--uploads DIR] [--old-permalinks STRUCTURE] [--quiet]"},
    {"export", cli_export, "export wxr [FILE]"},
    {"category", cli_category, "category list [--format=json]"},
    {"tag", cli_tag, "tag list [--format=json]"},
    {"media", cli_media,
     "media add FILE [--title T] [--alt T] [--caption T] [--credit T] | list [--format=json] | delete ID"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: gazette [--data DIR] [--database URL] COMMAND [ARGS]\n       gazette --version | --help\n\n"
               "  --database sqlite:DIR | postgresql://...   the database (default: sqlite:DATA_DIR)\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %s\n", commands[i].help);
}

int main(int argc, char **argv)
{
    struct cli cli = {.data_dir = getenv("GAZETTE_DATA")};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            cli.data_dir = argv[++i];
        } else if (strncmp(argv[i], "--data=", 7) == 0) {
            cli.data_dir = argv[i] + 7;
        } else if (strcmp(argv[i], "--database") == 0 && i + 1 < argc) {
            cli.database = argv[++i];
        } else if (strncmp(argv[i], "--database=", 11) == 0) {
            cli.database = argv[i] + 11;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            return cli_version();
        } else {
            fprintf(stderr, "gazette: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    cli.data_dir_given = cli.data_dir != NULL && cli.data_dir[0] != '\0';
    if (cli.data_dir == NULL || cli.data_dir[0] == '\0')
        cli.data_dir = "./gazette-data";
    cli.database_given = cli.database != NULL && cli.database[0] != '\0';
    if (!cli.database_given) {
        if (snprintf(cli.url, sizeof(cli.url), "sqlite:%s", cli.data_dir) >= (int)sizeof(cli.url)) {
            fprintf(stderr, "gazette: the data directory's name is too long\n");
            return 2;
        }
        cli.database = cli.url;
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].run(&cli, argc - i - 1, argv + i + 1);
    fprintf(stderr, "gazette: unknown command %s\n", argv[i]);
    usage(stderr);
    return 2;
}
