/* gazette: the command line. Each subcommand lives in src/cli/ and is dispatched from here;
 * global options (--data DIR, --database URL) are read before the subcommand name. `gazette help
 * [COMMAND]` prints the table below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/pwhash.h"

static const struct {
    const char *name;
    int (*run)(struct cli *cli, int argc, char **argv);
    const char *summary; /* one line for the list of commands */
    const char *usage;   /* the whole usage, for gazette help COMMAND */
} commands[] = {
    {"serve", cli_serve, "serve the site",
     "gazette [--data DIR] serve [--listen 127.0.0.1:8080] [--threads N] [--cache-mb MIB] [--config FILE]\n"
     "        [--theme DIR] [--tls-cert FULLCHAIN.pem --tls-key KEY.pem [--redirect-http HOST:PORT]]\n"
     "        [--max-connections N]\n"
     "Serves the site and the newsroom (/admin/). site_url follows the --listen address until it is set."},
    {"demo", cli_demo, "fill an empty data directory with a demo site, then serve it",
     "gazette [--data DIR] demo [serve options]\n"
     "Prints the administrator's login once, when it fills the directory."},
    {"post", cli_post, "add, list and show posts and pages",
     "gazette post add --title T [--slug S] [--author NAME] [--category NAME]... [--tag NAME]...\n"
     "        [--date 2026-05-04T09:30:00Z] [--status published|draft|scheduled|pending|private|trash]\n"
     "        [--format markdown|html|html-as-written] [--type post|page] [--sticky]\n"
     "        [--comments open|closed] [--excerpt TEXT] [--file PATH] [--allow-empty] [--featured MEDIUM_ID]\n"
     "    The body comes from --file or stdin and may not be empty without --allow-empty. A --date in\n"
     "    the future without --status schedules the post; --status scheduled needs a future --date.\n"
     "    Prints \"ID PATH\".\n"
     "gazette post list [--format=json|table]\n"
     "gazette post show ID"},
    {"comment", cli_comment, "add, list and moderate comments",
     "gazette comment add --post ID [--parent ID] --author NAME --email E [--url U]\n"
     "        [--status approved|pending|spam|trash] [--date ISO] [--file PATH]   prints \"ID STATUS\"\n"
     "gazette comment list [--format=json] [--post ID]\n"
     "gazette comment approve|hold|spam|trash ID"},
    {"setting", cli_setting, "read and change the site's settings",
     "gazette setting get KEY\n"
     "gazette setting set KEY VALUE     (a refused value says what is allowed)\n"
     "gazette setting list [--describe] (--describe: by section, with help and allowed values)"},
    {"user", cli_user, "add accounts, set passwords, list accounts, manage application passwords",
     "gazette user add LOGIN --role administrator|editor|author|contributor [--name NAME] [--email E]\n"
     "gazette user passwd LOGIN        (the password from stdin, or generated and printed)\n"
     "gazette user list [--format=json]\n"
     "gazette user app-password add LOGIN NAME   (prints the password once)\n"
     "gazette user app-password list LOGIN [--format=json]\n"
     "gazette user app-password revoke LOGIN UUID"},
    {"category", cli_category, "list categories", "gazette category list [--format=json]"},
    {"tag", cli_tag, "list tags", "gazette tag list [--format=json]"},
    {"import", cli_import, "move a WordPress site in",
     "gazette [--data DIR] import wxr FILE [--uploads DIR] [--old-permalinks '/%year%/%monthnum%/%postname%/'] "
     "[--quiet]"},
    {"export", cli_export, "write the site as a WordPress export", "gazette [--data DIR] export wxr [FILE]"},
    {"media", cli_media, "add, list and delete images of the media library",
     "gazette media add FILE [--title T] [--alt T] [--caption T] [--credit T]\n"
     "gazette media list [--search WORDS] [--format=json]\n"
     "gazette media delete ID [--force]"},
    {"template", cli_template, "render a Mustache template (for theme authors)",
     "gazette template render TEMPLATE_FILE --data DATA.json [--partials DIR]"},
    {"copy", cli_copy, "copy a whole site into another database (SQLite, PostgreSQL)",
     "gazette [--data DIR | --database URL] copy [--from URL] --to URL\n"
     "    Copies every table but the sessions, then counts and checksums each table on both sides."},
    {"help", cli_help, "what each command does: gazette help [COMMAND]", "gazette help [COMMAND]"},
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
    fprintf(f, "usage: gazette [--data DIR] [--database URL] COMMAND [ARGS]\n       gazette --version | --help\n\n"
               "  --database sqlite:DIR   the database (default: sqlite:DATA_DIR)\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n`gazette help COMMAND` shows a command's options. The data directory is --data DIR, else "
               "$GAZETTE_DATA, else ./gazette-data.\n");
}

int cli_help(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; argc == 1 && i < N_COMMANDS; i++)
        if (strcmp(argv[0], commands[i].name) == 0) {
            printf("%s\n", commands[i].usage);
            return 0;
        }
    if (argc == 1)
        fprintf(stderr, "gazette help: unknown command %s\n", argv[0]);
    else
        fprintf(stderr, "usage: gazette help [COMMAND]\n");
    usage(stderr);
    return 2;
}

int main(int argc, char **argv)
{
    struct cli cli = {.data_dir = getenv("GAZETTE_DATA")};
    int i = 1;
    if (argc == 2 && strcmp(argv[1], PWHASH_HELPER_ARG) == 0)
        return pwhash_helper_main();
    pwhash_helper_program("/proc/self/exe"); /* the server's workers hash in this binary's helpers */
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
    for (size_t c = 0; c < N_COMMANDS; c++)
        if (strcmp(argv[i], commands[c].name) == 0) {
            /* errors name the command and its verb: "gazette post add: ..." */
            const char *verb = i + 1 < argc && argv[i + 1][0] != '-' && strchr(argv[i + 1], '/') == NULL &&
                                       strlen(argv[i + 1]) < 16 && strcmp(commands[c].name, "serve") != 0 &&
                                       strcmp(commands[c].name, "demo") != 0
                                   ? argv[i + 1]
                                   : NULL;
            snprintf(cli.cmd, sizeof(cli.cmd), "%s%s%s", commands[c].name, verb ? " " : "", verb ? verb : "");
            return commands[c].run(&cli, argc - i - 1, argv + i + 1);
        }
    fprintf(stderr, "gazette: unknown command %s\n", argv[i]);
    usage(stderr);
    return 2;
}
