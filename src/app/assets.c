/* The theme's static files (style.css and friends), read into memory once at start, compressed
 * once, and served from there under /static/NAME and under a content-hashed name
 * (/static/style.HASH.css) that templates link to and browsers may keep for a year. Only plain
 * file names of known types are loaded, and a request can only pick one of them by exact name:
 * nothing from a request reaches the file system. */
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

/* Cache-Control of the content-hashed URL (its bytes never change) and of the plain one (which
 * changes with the theme, so browsers ask again, and get a 304 while it has not). */
static const char immutable[] = "public, max-age=31536000, immutable";
static const char revalidate[] = "public, no-cache";

/* Fills hashed_path and key from name and the ETag's hex digits. */
static int name_asset(struct asset *as)
{
    const char *dot = strrchr(as->name, '.');
    size_t base = (size_t)(dot - as->name), n = strlen(as->name);
    as->hashed_path = malloc(sizeof("/static/") + n + 1 + APP_ASSET_HASH_LEN);
    as->key = strdup(as->name);
    if (as->hashed_path == NULL || as->key == NULL)
        return -ENOMEM;
    sprintf(as->hashed_path, "/static/%.*s.%.*s%s", (int)base, as->name, APP_ASSET_HASH_LEN, as->etag + 1, dot);
    for (char *k = as->key; *k; k++)
        if (*k == '.' || *k == '-')
            *k = '_';
    return 0;
}

static void asset_clear(struct asset *as)
{
    free(as->name);
    free(as->hashed_path);
    free(as->key);
    free(as->body);
    http_encoded_free(&as->enc);
    memset(as, 0, sizeof(*as));
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
    as->modified = (int64_t)st.st_mtime;
    as->body = malloc(as->len ? as->len : 1);
    as->name = strdup(name);
    int rc = as->body == NULL || as->name == NULL || fread(as->body, 1, as->len, f) != as->len ? -EIO : 0;
    fclose(f);
    as->content_type = type;
    if (rc == 0) {
        page_etag(as->body, as->len, as->etag);
        rc = name_asset(as);
    }
    if (rc == 0)
        rc = http_encode(type, as->body, as->len, HTTP_EFFORT_MAX, &as->enc);
    if (rc < 0)
        asset_clear(as);
    return rc;
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
    for (size_t i = 0; i < a->n_assets; i++)
        asset_clear(&a->assets[i]);
    a->n_assets = 0;
}

json_t *assets_json(const struct app *a)
{
    json_t *o = json_object();
    for (size_t i = 0; i < a->n_assets; i++)
        json_object_set_new(o, a->assets[i].key, json_string(a->assets[i].hashed_path));
    return o;
}

/* 1 when slug names as with some content hash (BASE.HEX.EXT): an older copy of the theme file. */
static int stale_hash(const struct asset *as, const char *slug, size_t n)
{
    const char *dot = strrchr(as->name, '.');
    size_t base = (size_t)(dot - as->name), ext = strlen(dot);
    if (n != base + 1 + APP_ASSET_HASH_LEN + ext || memcmp(slug, as->name, base) != 0 || slug[base] != '.' ||
        memcmp(slug + n - ext, dot, ext) != 0)
        return 0;
    for (size_t i = base + 1; i < base + 1 + APP_ASSET_HASH_LEN; i++)
        if (!((slug[i] >= '0' && slug[i] <= '9') || (slug[i] >= 'a' && slug[i] <= 'f')))
            return 0;
    return 1;
}

void asset_serve(struct page_ctx *c)
{
    const struct route *r = &c->route;
    h2o_req_t *req = c->req;
    for (size_t i = 0; i < c->t->app->n_assets; i++) {
        const struct asset *as = &c->t->app->assets[i];
        const char *hashed = as->hashed_path + sizeof("/static/") - 1;
        const char *policy;
        if (strlen(hashed) == r->slug_len && memcmp(hashed, r->slug, r->slug_len) == 0)
            policy = immutable;
        else if ((strlen(as->name) == r->slug_len && memcmp(as->name, r->slug, r->slug_len) == 0) ||
                 stale_hash(as, r->slug, r->slug_len))
            policy = revalidate; /* an old hash gets today's file, which must not be kept as that hash's */
        else
            continue;
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, policy, strlen(policy));
        struct http_representation rep = {.status = 200,
                                          .content_type = as->content_type,
                                          .body = as->body,
                                          .len = as->len,
                                          .enc = &as->enc,
                                          .etag = as->etag,
                                          .modified = as->modified}; /* lives as long as the app */
        http_send_representation(req, &rep);
        c->sent = 1;
        return;
    }
    app_not_found(c);
}
