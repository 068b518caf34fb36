/* gazette template render: renders one template file against JSON data, for theme authors
 * previewing their work and for tests. stdout gets exactly the rendered bytes; any error goes to
 * stderr as "NAME:LINE:COL: message" with exit status 1 and nothing on stdout. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "render/template.h"

#define CLI_DATA_MAX ((size_t)64 << 20) /* bytes of the --data file */

static int usage(void)
{
    fprintf(stderr, "usage: gazette template render TEMPLATE_FILE --data DATA.json [--partials DIR]\n");
    return 2;
}

/* Reads a whole file of at most max bytes; NULL with errno set on failure. */
static char *read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct buf b = {.max = max + 1};
    char chunk[65536];
    size_t n;
    if (f == NULL)
        return NULL;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (buf_append(&b, chunk, n) != 0)
            break;
    int bad = ferror(f) ? EIO : b.err ? -b.err : 0;
    fclose(f);
    if (bad) {
        buf_free(&b);
        errno = bad;
        return NULL;
    }
    *len = b.len;
    return buf_steal(&b);
}

/* "dir/article.mustache" -> "article" */
static void template_name(const char *path, char *name, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    snprintf(name, size, "%.*s", (int)n, base);
}

static int render(const char *file, const char *data_path, const char *partials)
{
    struct tpl_set *set = tpl_set_new();
    struct tpl_error err = {0};
    struct buf out = BUF_INIT;
    json_t *data = NULL;
    char *src = NULL, name[TPL_NAME_MAX + 1], msg[512];
    size_t len;
    int status = 1;

    if (set == NULL) {
        fprintf(stderr, "gazette template: out of memory\n");
        goto out;
    }
    json_error_t jerr;
    data = json_load_file(data_path, JSON_DECODE_ANY, &jerr);
    if (data == NULL) {
        fprintf(stderr, "%s:%d:%d: %s\n", data_path, jerr.line, jerr.column, jerr.text);
        goto out;
    }
    if (partials && tpl_set_load_dir(set, partials, &err) != 0) {
        fprintf(stderr, "%s\n", tpl_error_str(&err, msg, sizeof(msg)));
        goto out;
    }
    if ((src = read_file(file, TPL_MAX_SIZE, &len)) == NULL) {
        fprintf(stderr, "%s: %s\n", file, errno == E2BIG ? "template too large" : strerror(errno));
        goto out;
    }
    template_name(file, name, sizeof(name));
    if (tpl_set_add(set, name, src, len, &err) != 0 || tpl_set_check(set, &err) != 0 ||
        tpl_render(set, name, data, &out, &err) != 0) {
        fprintf(stderr, "%s\n", tpl_error_str(&err, msg, sizeof(msg)));
        goto out;
    }
    if (fwrite(out.data ? out.data : "", 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        fprintf(stderr, "gazette template: writing stdout: %s\n", strerror(errno));
        goto out;
    }
    status = 0;
out:
    buf_free(&out);
    free(src);
    json_decref(data);
    tpl_set_free(set);
    return status;
}

int cli_template(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    const char *file = NULL, *data = NULL, *partials = NULL;
    if (argc < 1 || strcmp(argv[0], "render") != 0)
        return usage();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strncmp(argv[i], "--data=", 7) == 0)
            data = argv[i] + 7;
        else if (strcmp(argv[i], "--partials") == 0 && i + 1 < argc)
            partials = argv[++i];
        else if (strncmp(argv[i], "--partials=", 11) == 0)
            partials = argv[i] + 11;
        else if (argv[i][0] != '-' && file == NULL)
            file = argv[i];
        else
            return usage();
    }
    if (file == NULL || data == NULL)
        return usage();
    return render(file, data, partials);
}
