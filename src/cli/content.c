/* Helpers for the content subcommands: one place that opens the database, reads bodies and
 * reports errors the same way (stderr, exit status 1). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/content.h"
#include "lib/buf.h"
#include "news/settings.h"

/* The structure post_path() follows in the command line (loaded with the database). */
static struct permalink cli_permalink;

struct db *cli_open_db(struct cli *cli)
{
    struct db *db = NULL;
    int ret = db_open(cli->database, &db);
    if (ret < 0) {
        fprintf(stderr, "gazette %s: cannot open the database %s: %s\n", cli->cmd, cli->database, strerror(-ret));
        return NULL;
    }
    setting_permalink(db, &cli_permalink);
    permalink_use(&cli_permalink);
    return db;
}

int cli_read_body(const struct cli *cli, const char *path, size_t max, char **out)
{
    struct buf b = {.max = max + 1};
    FILE *f = stdin;
    char chunk[65536];
    size_t n;
    int ret = 0;

    if (path != NULL && strcmp(path, "-") != 0) {
        f = fopen(path, "rb");
        if (f == NULL) {
            ret = -errno;
            fprintf(stderr, "gazette %s: cannot read %s: %s\n", cli->cmd, path, strerror(errno));
            return ret;
        }
    } else if (isatty(STDIN_FILENO)) {
        f = NULL; /* nothing was piped in: an empty body */
    }
    while (f != NULL && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (buf_append(&b, chunk, n) < 0)
            break;
    }
    if (f != NULL && ferror(f)) {
        ret = -EIO;
        fprintf(stderr, "gazette %s: error reading %s\n", cli->cmd, path ? path : "stdin");
    }
    if (f != NULL && f != stdin)
        fclose(f);
    if (ret == 0 && (b.err == -E2BIG || b.len > max)) {
        ret = -E2BIG;
        fprintf(stderr, "gazette %s: the body is too large: at most %zu bytes\n", cli->cmd, max);
    } else if (ret == 0 && b.err) {
        ret = b.err;
    } else if (ret == 0 && b.len > 0 && memchr(b.data, '\0', b.len) != NULL) {
        ret = -EINVAL;
        fprintf(stderr, "gazette %s: the body contains a NUL byte\n", cli->cmd);
    }
    if (ret < 0) {
        buf_free(&b);
        return ret;
    }
    buf_append(&b, "", 0);
    *out = buf_steal(&b);
    return 0;
}

json_t *cli_json_str(const char *s)
{
    if (s == NULL)
        return json_null();
    json_t *j = json_string(s);
    return j ? j : json_string_nocheck(s);
}

int64_t cli_parse_id(const char *cmd, const char *s)
{
    char *end;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (s == NULL || *s == '\0' || errno != 0 || *end != '\0' || v <= 0) {
        fprintf(stderr, "gazette %s: not an id: %s\n", cmd, s ? s : "(none)");
        return 0;
    }
    return v;
}

int cli_fail(const char *cmd, const char *message, int err)
{
    if (err < 0)
        fprintf(stderr, "gazette %s: %s: %s\n", cmd, message, strerror(-err));
    else
        fprintf(stderr, "gazette %s: %s\n", cmd, message);
    return 1;
}
