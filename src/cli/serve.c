/* gazette serve: reads the server options (command line over config file over defaults), loads
 * the theme, and runs the HTTP server until SIGINT or SIGTERM. gazette demo (demo.c) runs the
 * same after filling an empty data directory. */
#include <errno.h>
#include <stddef.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "cli/cli.h"
#include "db/db.h"
#include "http/server.h"

#define OPT_MAX 4096             /* longest option value */
#define SERVE_CACHE_MB_MAX 65536 /* largest page cache budget, MiB */

struct serve_opts {
    char *listen, *threads, *data, *database, *theme, *cache_mb, *tls_cert, *tls_key, *redirect_http,
        *max_connections; /* NULL: not given */
};

/* The options, on the command line as --NAME and in the config file as KEY. */
static const struct {
    const char *flag, *key;
    size_t off;
} options[] = {
    {"--listen", "listen", offsetof(struct serve_opts, listen)},
    {"--threads", "threads", offsetof(struct serve_opts, threads)},
    {"--data", "data", offsetof(struct serve_opts, data)},
    {"--database", "database", offsetof(struct serve_opts, database)},
    {"--theme", "theme", offsetof(struct serve_opts, theme)},
    {"--cache-mb", "cache_mb", offsetof(struct serve_opts, cache_mb)},
    {"--tls-cert", "tls_cert", offsetof(struct serve_opts, tls_cert)},
    {"--tls-key", "tls_key", offsetof(struct serve_opts, tls_key)},
    {"--redirect-http", "redirect_http", offsetof(struct serve_opts, redirect_http)},
    {"--max-connections", "max_connections", offsetof(struct serve_opts, max_connections)},
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static char **slot_of(struct serve_opts *o, size_t i)
{
    return (char **)((char *)o + options[i].off);
}

static void opts_free(struct serve_opts *o)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        free(*slot_of(o, i));
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
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strcmp(name, options[i].key) == 0)
            return set(slot_of(o, i), value) == 0;
    fprintf(stderr, "gazette serve: config: unknown key %s\n", name);
    return 0;
}

static void usage(const char *cmd)
{
    fprintf(stderr,
            "usage: gazette [--data DIR] [--database URL] %s [--listen HOST:PORT] [--threads N] [--cache-mb MIB] "
            "[--config FILE] [--theme DIR]\n"
            "        [--tls-cert FILE --tls-key FILE [--redirect-http HOST:PORT]] [--max-connections N]\n",
            cmd);
}

static int is_theme(const char *dir)
{
    char path[4096];
    struct stat st;
    int n = snprintf(path, sizeof(path), "%s/article.mustache", dir);
    return n > 0 && (size_t)n < sizeof(path) && stat(path, &st) == 0;
}

/* The default theme, into buf: installed beside the binary (PREFIX/bin/gazette finds
 * PREFIX/share/gazette/themes/default, wherever PREFIX was copied to), else where the build said
 * it would be installed, else the source tree's (a binary run from its build directory). */
static const char *default_theme(char *buf, size_t cap)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0 && GAZETTE_BINDIR[0] != '/' && GAZETTE_DATADIR[0] != '/') {
        exe[n] = '\0';
        /* up from the binary: its own name, then one level per component of BINDIR */
        int up = 1;
        for (const char *p = GAZETTE_BINDIR; *p; p++)
            up += *p == '/' && p[1] != '\0' && p[1] != '/';
        for (int i = 0; i <= up; i++) {
            char *slash = strrchr(exe, '/');
            if (slash == NULL)
                break;
            *slash = '\0';
        }
        int len = snprintf(buf, cap, "%s/%s/gazette/themes/default", exe, GAZETTE_DATADIR);
        if (len > 0 && (size_t)len < cap && is_theme(buf))
            return buf;
    }
    if (is_theme(GAZETTE_THEME_DIR))
        return GAZETTE_THEME_DIR;
    return GAZETTE_SOURCE_THEME_DIR;
}

/* A positive count of at most max from s, else 0. */
static unsigned parse_count(const char *s, long max)
{
    char *end;
    long n = strtol(s, &end, 10);
    return *s != '\0' && *end == '\0' && n >= 1 && n <= max ? (unsigned)n : 0;
}

/* The value of option k: from the command line, else from the config file, else NULL. */
#define OPT(k) (flags.k ? flags.k : file.k)

int cli_serve_run(struct cli *cli, int argc, char **argv, const char *cmd, int (*prepare)(const char *database))
{
    struct serve_opts flags = {0}, file = {0};
    const char *config = NULL;
    int status = 2;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        size_t k, n = 0;
        for (k = 0; k <= N_OPTIONS; k++) {
            const char *name = k < N_OPTIONS ? options[k].flag : "--config";
            n = strlen(name);
            if (strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '='))
                break;
        }
        if (k <= N_OPTIONS)
            v = a[n] == '=' ? a + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (v == NULL) {
            if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                usage(cmd);
                status = 0;
            } else {
                fprintf(stderr, "gazette %s: %s %s\n", cmd, k > N_OPTIONS ? "unknown option" : "missing value for", a);
                usage(cmd);
            }
            goto out;
        }
        if (k == N_OPTIONS)
            config = v;
        else if (set(slot_of(&flags, k), v) < 0)
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

    const char *listen = OPT(listen) ? OPT(listen) : "127.0.0.1:8080";
    const char *data = flags.data ? flags.data : cli->data_dir_given || !file.data ? cli->data_dir : file.data;
    /* the database: named (here, before the command, in the file), else the data directory's */
    char url[CLI_URL_MAX];
    const char *database = flags.database                          ? flags.database
                           : cli->database_given || !file.database ? NULL
                                                                   : file.database;
    if (database == NULL && cli->database_given)
        database = cli->database;
    if (database == NULL) {
        if (snprintf(url, sizeof(url), "sqlite:%s", data) >= (int)sizeof(url)) {
            fprintf(stderr, "gazette %s: the data directory's name is too long\n", cmd);
            goto out;
        }
        database = url;
    }
    struct http_server_options so = {.tls_cert = OPT(tls_cert),
                                     .tls_key = OPT(tls_key),
                                     .max_upload = APP_UPLOAD_BODY_MAX,
                                     .upload_paths = app_upload_paths};
    char host[256], port[8], rhost[256], rport[8];
    if (http_parse_listen(listen, host, sizeof(host), port, sizeof(port)) < 0) {
        fprintf(stderr, "gazette %s: bad --listen %s (want HOST:PORT)\n", cmd, listen);
        goto out;
    }
    so.host = host;
    so.port = port;
    if (OPT(threads) != NULL && (so.threads = parse_count(OPT(threads), HTTP_MAX_THREADS)) == 0) {
        fprintf(stderr, "gazette %s: --threads wants 1 to %d\n", cmd, HTTP_MAX_THREADS);
        goto out;
    }
    if (OPT(max_connections) != NULL &&
        (so.max_connections = parse_count(OPT(max_connections), HTTP_MAX_CONNECTIONS)) == 0) {
        fprintf(stderr, "gazette %s: --max-connections wants 1 to %d\n", cmd, HTTP_MAX_CONNECTIONS);
        goto out;
    }
    if ((so.tls_cert == NULL) != (so.tls_key == NULL)) {
        fprintf(stderr, "gazette %s: --tls-cert and --tls-key go together\n", cmd);
        goto out;
    }
    if (OPT(redirect_http) != NULL) {
        if (so.tls_cert == NULL) {
            fprintf(stderr, "gazette %s: --redirect-http needs --tls-cert and --tls-key\n", cmd);
            goto out;
        }
        if (http_parse_listen(OPT(redirect_http), rhost, sizeof(rhost), rport, sizeof(rport)) < 0) {
            fprintf(stderr, "gazette %s: bad --redirect-http %s (want HOST:PORT)\n", cmd, OPT(redirect_http));
            goto out;
        }
        so.redirect_host = rhost;
        so.redirect_port = rport;
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
    if (prepare != NULL && prepare(database) < 0)
        goto out;
    /* The theme: as given, else ./themes/default when it is there, else the default one. */
    char def[4096];
    struct app_options ao = {.data_dir = data,
                             .database = database,
                             .default_theme_dir = default_theme(def, sizeof(def)),
                             .cache_bytes = cache_bytes,
                             .threads = so.threads ? so.threads : http_default_threads()};
    ao.theme_dir = OPT(theme) ? OPT(theme) : is_theme("themes/default") ? "themes/default" : ao.default_theme_dir;
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
