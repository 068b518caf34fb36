/* The theme's static files (style.css and friends), read into memory once at start and served
 * from there under /static/NAME. Only plain file names of known types are loaded, and a request
 * can only pick one of them by exact name: nothing from a request reaches the file system. */
#include "app/app_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "http/response.h"

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        size_t e = strlen(types[i].ext);
        if (n > e && strcmp(name + n - e, types[i].ext) == 0)
            return types[i].type;
    }
    return NULL;
}

static int plain_name(const char *s)
{
    if (s[0] == '.' || s[0] == '\0')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' ||
              *s == '-' || *s == '_'))
            return 0;
    return 1;
}

static int load_one(struct asset *as, const char *dir, const char *name, const char *type)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -errno;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > APP_MAX_ASSET_SIZE) {
        fclose(f);
        return -EINVAL;
    }
    as->len = (size_t)st.st_size;
    as->body = malloc(as->len ? as->len : 1);
    as->name = strdup(name);
    if (as->body == NULL || as->name == NULL || fread(as->body, 1, as->len, f) != as->len) {
        fclose(f);
        free(as->body);
        free(as->name);
        return -EIO;
    }
    fclose(f);
    as->content_type = type;
    page_etag(as->body, as->len, as->etag);
    return 0;
}

int assets_load(struct app *a, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "gazette: theme %s: %s\n", dir, strerror(errno));
        return -errno;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL && a->n_assets < APP_MAX_ASSETS) {
        const char *type = type_of(e->d_name);
        if (type == NULL || !plain_name(e->d_name))
            continue;
        if (load_one(&a->assets[a->n_assets], dir, e->d_name, type) == 0)
            a->n_assets++;
        else
            fprintf(stderr, "gazette: theme %s: skipping %s\n", dir, e->d_name);
    }
    closedir(d);
    return 0;
}

void assets_free(struct app *a)
{
    for (size_t i = 0; i < a->n_assets; i++) {
        free(a->assets[i].name);
        free(a->assets[i].body);
    }
    a->n_assets = 0;
}

void asset_serve(struct page_ctx *c)
{
    const struct route *r = &c->route;
    for (size_t i = 0; i < c->t->app->n_assets; i++) {
        const struct asset *as = &c->t->app->assets[i];
        if (strlen(as->name) != r->slug_len || memcmp(as->name, r->slug, r->slug_len) != 0)
            continue;
        h2o_req_t *req = c->req;
        static const char cache_control[] = "public, max-age=604800";
        _Static_assert(APP_ASSET_MAX_AGE == 604800, "Cache-Control text matches APP_ASSET_MAX_AGE");
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, cache_control,
                       sizeof(cache_control) - 1);
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ETAG, NULL, as->etag, strlen(as->etag));
        size_t n;
        const char *inm = http_req_header(req, H2O_TOKEN_IF_NONE_MATCH, &n);
        if (inm != NULL && n == strlen(as->etag) && memcmp(inm, as->etag, n) == 0)
            http_send_nocopy(req, 304, NULL, "", 0);
        else
            http_send_nocopy(req, 200, as->content_type, as->body, as->len); /* lives as long as the app */
        c->sent = 1;
        return;
    }
    app_not_found(c);
}
