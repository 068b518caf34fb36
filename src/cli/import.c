/* gazette import wxr FILE: moves a WordPress site in (src/import/import.c does the work), with
 * progress on a terminal and a summary of what was brought in and what was skipped. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "db/db.h"
#include "import/export.h"
#include "import/import.h"

static int usage(void)
{
    fprintf(stderr, "usage: gazette import wxr FILE [--uploads DIR] [--old-permalinks STRUCTURE] [--quiet]\n");
    return 2;
}

int cli_import(struct cli *cli, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[0], "wxr") != 0)
        return usage();
    const char *file = NULL;
    struct import_options opt = {0};
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--old-permalinks") == 0 && i + 1 < argc)
            opt.old_permalinks = argv[++i];
        else if (strncmp(argv[i], "--old-permalinks=", 17) == 0)
            opt.old_permalinks = argv[i] + 17;
        else if (strcmp(argv[i], "--quiet") == 0)
            quiet = 1;
        else if (strcmp(argv[i], "--uploads") == 0 && i + 1 < argc)
            opt.uploads_from = argv[++i];
        else if (strncmp(argv[i], "--uploads=", 10) == 0)
            opt.uploads_from = argv[i] + 10;
        else if (argv[i][0] == '-' || file != NULL)
            return usage();
        else
            file = argv[i];
    }
    if (file == NULL)
        return usage();
    if (opt.old_permalinks && (strlen(opt.old_permalinks) > IMPORT_PERMALINK_MAX || opt.old_permalinks[0] != '/')) {
        fprintf(stderr, "gazette import wxr: --old-permalinks must start with / and be at most %d bytes\n",
                IMPORT_PERMALINK_MAX);
        return 2;
    }
    if (!quiet && isatty(STDERR_FILENO))
        opt.progress = stderr;
    char uploads[4200];
    if (opt.uploads_from != NULL) {
        if (snprintf(uploads, sizeof(uploads), "%s/uploads", cli->data_dir) >= (int)sizeof(uploads)) {
            fprintf(stderr, "gazette import: the data directory's name is too long\n");
            return 2;
        }
        opt.uploads_to = uploads;
    }
    struct db *db;
    if (db_open(cli->database, &db) < 0)
        return 1;
    struct import_stats st;
    struct wxr_error err;
    int rc = import_wxr(db, file, &opt, &st, &err);
    db_close(db);
    if (rc < 0) {
        if (err.line > 0)
            fprintf(stderr, "gazette import wxr: %s:%d:%d: %s\n", file, err.line, err.column, err.message);
        else
            fprintf(stderr, "gazette import wxr: %s: %s\n", file, err.message);
        fprintf(stderr, "gazette import wxr: nothing was imported\n");
        return 1;
    }
    if (!quiet)
        import_print_summary(stdout, &st);
    return 0;
}

/* gazette export wxr [FILE]: the whole site as WXR 1.2, to FILE or standard output. */
int cli_export(struct cli *cli, int argc, char **argv)
{
    if (argc < 1 || argc > 2 || strcmp(argv[0], "wxr") != 0 || (argc == 2 && argv[1][0] == '-' && argv[1][1])) {
        fprintf(stderr, "usage: gazette export wxr [FILE]\n");
        return 2;
    }
    const char *file = argc == 2 && strcmp(argv[1], "-") != 0 ? argv[1] : NULL;
    struct db *db;
    if (db_open(cli->database, &db) < 0)
        return 1;
    FILE *f = file ? fopen(file, "wb") : stdout;
    if (f == NULL) {
        perror(file);
        db_close(db);
        return 1;
    }
    struct export_stats st;
    int rc = export_wxr(db, f, &st);
    db_close(db);
    if (file && fclose(f) != 0 && rc == 0)
        rc = -EIO;
    else if (!file && fflush(stdout) != 0 && rc == 0)
        rc = -EIO;
    if (rc < 0) {
        fprintf(stderr, "gazette export wxr: %s\n", strerror(-rc));
        if (file)
            unlink(file);
        return 1;
    }
    fprintf(stderr,
            "exported %ld posts, %ld pages, %ld comments, %ld categories, %ld tags, %ld authors, %ld attachments\n",
            st.posts, st.pages, st.comments, st.categories, st.tags, st.authors, st.attachments);
    return 0;
}
