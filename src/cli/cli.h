/* The subcommands of the gazette binary. Each takes the arguments after its own name and
 * returns the process exit status: 0 on success, 1 on a failure it has reported on stderr,
 * 2 on a usage error. */
#pragma once

#define CLI_URL_MAX 4200 /* longest database URL */

struct cli {
    const char *data_dir;  /* --data DIR, $GAZETTE_DATA, or ./gazette-data */
    int data_dir_given;    /* set when --data or $GAZETTE_DATA named it */
    const char *database;  /* --database URL, else sqlite:DATA_DIR: what every command opens */
    int database_given;    /* set when --database named it */
    char url[CLI_URL_MAX]; /* sqlite:DATA_DIR, when --database did not name one */
    char cmd[64];          /* the command as errors name it: "post add", "serve" */
};

int cli_template(struct cli *cli, int argc, char **argv);
int cli_serve(struct cli *cli, int argc, char **argv);
int cli_demo(struct cli *cli, int argc, char **argv);
/* Runs the server with serve's options; prepare(database URL), when given, runs first (demo's fill). */
int cli_serve_run(struct cli *cli, int argc, char **argv, const char *cmd, int (*prepare)(const char *database));
int cli_post(struct cli *cli, int argc, char **argv);
int cli_comment(struct cli *cli, int argc, char **argv);
int cli_setting(struct cli *cli, int argc, char **argv);
int cli_user(struct cli *cli, int argc, char **argv);
int cli_import(struct cli *cli, int argc, char **argv);
int cli_category(struct cli *cli, int argc, char **argv);
int cli_tag(struct cli *cli, int argc, char **argv);
int cli_export(struct cli *cli, int argc, char **argv);
/* gazette help [COMMAND]: what each command does, or the usage of one. */
int cli_help(struct cli *cli, int argc, char **argv);
/* gazette copy --from URL --to URL: a whole site into another database, and a census of both. */
int cli_copy(struct cli *cli, int argc, char **argv);
/* gazette media add FILE | list | delete ID: the media library from the command line. */
int cli_media(struct cli *cli, int argc, char **argv);
/* Prints the version of gazette and of the libraries it runs with (gazette --version). */
int cli_version(void);
