/* gazette serve: reads the server options (command line over config file over defaults), loads
 * the theme, and runs the HTTP server until SIGINT or SIGTERM. gazette demo (demo.c) runs the
 * same after filling an empty data directory. */
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "cli/cli.h"
#include "db/db.h"
#include "http/server.h"

#define OPT_MAX 4096             /* longest option value */
#define SERVE_CACHE_MB_MAX 65536 /* largest page cache budget, MiB */

#ifndef GAZETTE_THEME_DIR
#define GAZETTE_THEME_DIR "themes/default"
#endif

struct serve_opts {
    char *listen, *threads, *data, *theme, *cache_mb; /* NULL when not given */
};

static void opts_free(struct serve_opts *o)
{
    free(o->listen);
    free(o->threads);
    free(o->data);
    free(o->theme);
    free(o->cache_mb);
}

static int set(char **slot, const char *v)
{
    if (strlen(v) > OPT_MAX)
        return -E2BIG;
    free(*slot);
    *slot = strdup(v);
    return *slot ? 0 : -ENOMEM;
}

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
    struct serve_opts *o = user;
    (void)section; /* keys may sit at the top or under [server] */
    if (strcmp(name, "listen") == 0)
        return set(&o->listen, value) == 0;
    if (strcmp(name, "threads") == 0)
        return set(&o->threads, value) == 0;
    if (strcmp(name, "data") == 0)
        return set(&o->data, value) == 0;
    if (strcmp(name, "theme") == 0)
        return set(&o->theme, value) == 0;
    if (strcmp(name, "cache_mb") == 0)
        return set(&o->cache_mb, value) == 0;
    fprintf(stderr, "gazette: config: unknown key %s\n", name);
    return 0;
}

static void usage(const char *cmd)
{
    fprintf(stderr,
            "usage: gazette [--data DIR] %s [--listen HOST:PORT] [--threads N] [--cache-mb MIB] [--config FILE] "
            "[--theme DIR]\n",
            cmd);
}

/* The theme: as given, else ./themes/default when it is there, else the one built in. */
static const char *theme_dir(const char *given)
{
    struct stat st;
    if (given != NULL)
        return given;
    if (stat("themes/default/article.mustache", &st) == 0)
        return "themes/default";
    return GAZETTE_THEME_DIR;
}

int cli_serve_run(struct cli *cli, int argc, char **argv, const char *cmd, int (*prepare)(const char *data_dir))
{
    struct serve_opts flags = {0}, file = {0};
    const char *config = NULL;
    int status = 2;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        char **slot = NULL;
        static const char *const names[] = {"--listen", "--threads", "--data", "--theme", "--config", "--cache-mb"};
        size_t k;
        for (k = 0; k < 6; k++) {
            size_t n = strlen(names[k]);
            if (strncmp(a, names[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
                v = a[n] == '=' ? a + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
                break;
            }
        }
        if (k == 6 || v == NULL) {
            if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                usage(cmd);
                status = 0;
            } else {
                fprintf(stderr, "gazette %s: %s %s\n", cmd, k == 6 ? "unknown option" : "missing value for", a);
                usage(cmd);
            }
            goto out;
        }
        if (k == 4) {
            config = v;
            continue;
        }
        slot = k == 0   ? &flags.listen
               : k == 1 ? &flags.threads
               : k == 2 ? &flags.data
               : k == 3 ? &flags.theme
                        : &flags.cache_mb;
        if (set(slot, v) < 0)
            goto out;
    }
    if (config != NULL) {
        int line = ini_parse(config, on_ini, &file);
        if (line != 0) {
            if (line < 0)
                fprintf(stderr, "gazette %s: cannot read %s\n", cmd, config);
            else
                fprintf(stderr, "gazette %s: %s:%d: bad line\n", cmd, config, line);
            goto out;
        }
    }

    const char *listen = flags.listen ? flags.listen : file.listen ? file.listen : "127.0.0.1:8080";
    const char *threads = flags.threads ? flags.threads : file.threads;
    const char *data = flags.data ? flags.data : cli->data_dir_given || !file.data ? cli->data_dir : file.data;
    struct http_server_options so = {0};
    char host[256], port[8];
    if (http_parse_listen(listen, host, sizeof(host), port, sizeof(port)) < 0) {
        fprintf(stderr, "gazette %s: bad --listen %s (want HOST:PORT)\n", cmd, listen);
        goto out;
    }
    so.host = host;
    so.port = port;
    if (threads != NULL) {
        char *end;
        long n = strtol(threads, &end, 10);
        if (*threads == '\0' || *end != '\0' || n < 1 || n > HTTP_MAX_THREADS) {
            fprintf(stderr, "gazette %s: --threads wants 1 to %d\n", cmd, HTTP_MAX_THREADS);
            goto out;
        }
        so.threads = (unsigned)n;
    }

    const char *cache_mb = flags.cache_mb ? flags.cache_mb : file.cache_mb;
    size_t cache_bytes = 0;
    if (cache_mb != NULL) {
        char *end;
        long n = strtol(cache_mb, &end, 10);
        if (*cache_mb == '\0' || *end != '\0' || n < 1 || n > SERVE_CACHE_MB_MAX) {
            fprintf(stderr, "gazette %s: --cache-mb wants 1 to %d\n", cmd, SERVE_CACHE_MB_MAX);
            goto out;
        }
        cache_bytes = (size_t)n << 20;
    }

    status = 1;
    if (prepare != NULL && prepare(data) < 0)
        goto out;
    struct app_options ao = {.data_dir = data,
                             .theme_dir = theme_dir(flags.theme ? flags.theme : file.theme),
                             .cache_bytes = cache_bytes,
                             .threads = so.threads ? so.threads : http_default_threads()};
    struct app *app = NULL;
    if (app_new(&ao, &app) < 0)
        goto out;
    struct http_app ha;
    app_http(app, &ha);
    int rc = http_serve(&so, &ha);
    app_free(app);
    status = rc == 0 ? 0 : 1;
out:
    opts_free(&flags);
    opts_free(&file);
    return status;
}

int cli_serve(struct cli *cli, int argc, char **argv)
{
    return cli_serve_run(cli, argc, argv, "serve", NULL);
}
