/* Cookies: reading one from a Cookie header, writing Set-Cookie values. Every cookie Gazette
 * sets is HttpOnly, SameSite=Lax and Path=/. */
#pragma once

#include <stddef.h>

#include "lib/buf.h"

#define COOKIE_MAX_HEADER 8192 /* Cookie headers longer than this are ignored */

/* Finds the cookie called name in a Cookie header value h[0..n) ("a=1; b=2"). Returns 0 and
 * points *value / *len into h, or -ENOENT. Surrounding double quotes are removed. */
int cookie_get(const char *h, size_t n, const char *name, const char **value, size_t *len);

/* Appends a Set-Cookie value: name=value; Path=/; Max-Age=max_age; HttpOnly; SameSite=Lax.
 * value must already be cookie-safe (form_encode makes it so); max_age 0 deletes the cookie. */
int cookie_format(struct buf *out, const char *name, const char *value, size_t len, long max_age);
