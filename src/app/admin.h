/* The newsroom at /admin/: login, posts and pages, the comment queue and settings, all as
 * server-rendered forms. Hooked into the reader's site by app.c: the paths below /admin/ are
 * never page-cached and every answer carries Cache-Control: no-store. */
#pragma once

#include <stddef.h>

struct app;
struct page_ctx;
struct user;

/* 1 when path[0..n) is the newsroom's (/admin or below /admin/). */
int admin_path(const char *path, size_t n);

/* Answers a newsroom request completely (it sends the response itself). */
void admin_handle(struct page_ctx *c);

/* 1 when the request carries a newsroom session cookie, valid or not: the reader's site does not
 * cache such pages, since they may be shown as that user sees them. */
int admin_has_session(const struct page_ctx *c);

/* The newsroom user logged in on this request (for the reader's site: comments by logged-in
 * users). 0 and *out (free with user_clear), or -ENOENT. */
int admin_reader_user(const struct page_ctx *c, struct user *out);

/* Loads the newsroom's templates (THEME/admin/admin-*.mustache, else those of the default theme
 * when given) into the app's set. Returns 0 or a negative errno after printing why. (Scheduled
 * posts are published by the writer, app/writer.h.) */
int admin_start(struct app *a, const char *theme_dir, const char *default_theme_dir);
