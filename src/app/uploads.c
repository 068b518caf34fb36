/* The media library's files, served by the server itself under /uploads/YYYY/MM/NAME-WIDTH.EXT.
 * Only names of that exact shape (the ones news/media.c writes: hex digits, a width, a known
 * image extension) reach the file system, so a request cannot name anything else. h2o's file
 * generator sends the bytes (conditional requests, ranges, HEAD); the names never change their
 * content, so browsers may keep them for a year. */
#include "app/app_int.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "http/response.h"
#include "news/media.h"

static const char prefix[] = "/uploads/";

int uploads_path(const char *path, size_t n)
{
    return n >= sizeof(prefix) - 1 && memcmp(path, prefix, sizeof(prefix) - 1) == 0;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

/* The type of rest ("YYYY/MM/HEX20-WIDTH.EXT") when it has that shape, else NULL. */
static const char *upload_type(const char *rest, size_t n)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".webp", "image/webp"}, {".jpg", "image/jpeg"}, {".png", "image/png"}};
    if (n < 8 + MEDIA_NAME_HEX + 2 || !digits(rest, 4) || rest[4] != '/' || !digits(rest + 5, 2) || rest[7] != '/')
        return NULL;
    const char *name = rest + 8;
    for (size_t i = 0; i < MEDIA_NAME_HEX; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return NULL;
    if (name[MEDIA_NAME_HEX] != '-')
        return NULL;
    const char *w = name + MEDIA_NAME_HEX + 1, *end = rest + n;
    const char *dot = memchr(w, '.', (size_t)(end - w));
    if (dot == NULL || dot - w > 5 || !digits(w, (size_t)(dot - w)))
        return NULL;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if ((size_t)(end - dot) == strlen(types[i].ext) && memcmp(dot, types[i].ext, (size_t)(end - dot)) == 0)
            return types[i].type;
    return NULL;
}

void uploads_serve(struct app_thread *t, h2o_req_t *req)
{
    h2o_iovec_t p = req->path_normalized;
    const char *rest = p.base + sizeof(prefix) - 1;
    size_t n = p.len - (sizeof(prefix) - 1);
    char file[PATH_MAX];
    const char *type = upload_type(rest, n);
    if (!http_is_get_or_head(req)) {
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, NULL, H2O_STRLIT("GET, HEAD"));
        http_send_status(req, 405, NULL);
        return;
    }
    if (type == NULL ||
        snprintf(file, sizeof(file), "%s/uploads/%.*s", t->app->data_dir, (int)n, rest) >= (int)sizeof(file)) {
        http_send_status(req, 404, "There is no such file.");
        return;
    }
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                   H2O_STRLIT("public, max-age=31536000, immutable"));
    http_security_headers(req); /* nosniff among them */
    if (h2o_file_send(req, 200, "OK", file, h2o_iovec_init(type, strlen(type)), 0) != 0) {
        req->res.headers = (h2o_headers_t){NULL}; /* not the year-long caching of a file */
        http_send_status(req, 404, "There is no such file.");
    }
}
