/* Site settings: a key/value store with the defaults of docs/reader-site.md. Only known keys
 * may be read or written; integer settings are checked on write. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "news/permalink.h"

#define SETTING_VALUE_MAX 4096
#define SETTING_HEADER_MAX 256 /* cache_control: sent as a response header */

struct setting_def {
    const char *key;
    const char *def; /* the default value */
    int is_int;      /* the value must be a decimal integer in [min, max] */
    int64_t min, max;
};

/* The known settings and their defaults; *n gets their number. */
const struct setting_def *settings_known(size_t *n);

/* The value of key (heap, caller frees): the stored one, else the default. -ENOENT for an
 * unknown key. */
int setting_get(struct db *db, const char *key, char **out);

/* An integer setting; a stored value that does not parse gives the default. */
int setting_get_int(struct db *db, const char *key, int64_t *out);

/* Stores value. -ENOENT for an unknown key, -EINVAL when an integer setting gets something
 * else, the value is over SETTING_VALUE_MAX bytes, or a checked setting (timezone,
 * permalink_structure, cache_control, hsts, site_language) gets a value it cannot use. The image
 * settings (site_icon, site_logo, social_image) make their images from the file first
 * (news/identity.h: slow, never on an event loop) and refuse a file that is not a usable image. */
int setting_set(struct db *db, const char *key, const char *value);

/* The permalink_structure setting, parsed into *out (the default structure when it does not
 * parse or cannot be read; then the read's error is returned, else 0). */
int setting_permalink(struct db *db, struct permalink *out);
