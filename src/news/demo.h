/* The demo site: fills an empty database with a small news site written for Gazette (40+
 * articles over several weeks, categories, tags, authors, a sticky post, an About page, a
 * draft and a scheduled post, threaded comments, an administrator). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define DEMO_ADMIN_LOGIN "admin"

/* Fills db with the demo site, dated relative to now (the past weeks; the scheduled post in the
 * future). Everything but the administrator's password is deterministic for a given now.
 * Writes the generated password ("admin" logs in with it) into password_out (cap > 20).
 * Returns 0, -EEXIST when the database already has posts or users (nothing changed), or a
 * storage error (nothing changed: it runs in one transaction). */
int demo_fill(struct db *db, int64_t now, char *password_out, size_t cap);
