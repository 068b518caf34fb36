/* The reader's site: the page handlers behind the HTTP server. app_new loads the theme (templates
 * and static files) once; each server thread then gets its own database connection and page
 * cache through the http_app callbacks. */
#pragma once

#include <stdio.h>

#include "http/server.h"

struct app;

/* The uploads (the Media screen, the editor's images, the API's media route): the only paths whose bodies
 * may pass the server's usual limit, up to the media_max_bytes setting and the form around it
 * (the editor's whole form comes with an image inserted without script); never over
 * APP_UPLOAD_BODY_MAX, the largest media_max_bytes (src/news/settings.c) with that form. */
#define APP_UPLOAD_PATH "/admin/media/"
#define APP_UPLOAD_FORM_MAX ((size_t)5 << 20)
#define APP_UPLOAD_BODY_MAX (((size_t)60 << 20) + APP_UPLOAD_FORM_MAX)
extern const char *const app_upload_paths[]; /* APP_UPLOAD_PATH, the API's media route, NULL */

/* Tells the server the upload paths' limit from the database's media_max_bytes setting. */
struct db;
void app_upload_limit(struct db *db);

struct app_options {
    const char *data_dir;          /* the data directory (uploaded files) */
    const char *database;          /* the database's URL (db_open: created and migrated when missing) */
    const char *theme_dir;         /* *.mustache templates and static files (style.css ...) */
    const char *default_theme_dir; /* the built-in theme: newsroom templates a theme lacks (NULL: none) */
    size_t cache_bytes;            /* the page cache budget of the whole process (0: APP_CACHE_BYTES, 64 MiB) */
    unsigned threads;              /* server threads sharing it (0: 1) */
};

/* Loads the theme and checks that the database opens. Returns 0 and *out, or a negative
 * errno after printing why on stderr. */
int app_new(const struct app_options *opt, struct app **out);

/* Frees what app_new made. NULL is fine. */
void app_free(struct app *a);

/* Fills the callbacks that http_serve needs to serve the reader's site. */
void app_http(struct app *a, struct http_app *out);

/* Writes one line of counters (page cache hits, misses, evictions, invalidations, bytes; writer
 * batches and jobs) to out: what `kill -USR1` on the server prints on stderr. */
void app_stats(struct app *a, FILE *out);
