/* The site's identity for browsers, search engines and social sites: the images made from the
 * files that the site_icon, site_logo and social_image settings name (until a media library
 * exists, paths of files on the server), stored with the setting (db/sitemap.h, site_images), and
 * what pages need to know of them. */
#pragma once

#include <stddef.h>

#include "db/db.h"
#include "db/sitemap.h"
#include "media/image.h"

#define IDENTITY_MAKE_MAX 4     /* images one setting makes */
#define IDENTITY_ICON_MIN 512   /* pixels of the site icon's shorter side, at least */
#define IDENTITY_SOCIAL_MIN 200 /* pixels of the default social image's sides, at least */

/* The images a setting's file became, before they are stored. */
struct identity_made {
    struct site_image images[IDENTITY_MAKE_MAX]; /* body points into outs */
    struct image_out outs[IDENTITY_MAKE_MAX];
    size_t n;
};

/* One image pages link to: its address and size (name "" when there is none). */
struct identity_image {
    char path[DB_SITE_IMAGE_NAME_MAX + 1]; /* "/site-logo.png" */
    int width, height;
    char content_type[32];
};

/* What pages show of the identity: whether a site icon exists, the logo, the default social image. */
struct identity {
    int has_icon;
    struct identity_image logo;
    struct identity_image social;
};

/* 1 when key is one of the image settings (site_icon, site_logo, social_image). */
int identity_is_image_setting(const char *key);

/* Makes the images of setting key from the image file at path ("" makes none). Slow (decodes and
 * encodes images): never on an event loop. 0, or -EINVAL / -ENOENT / -ENOMEM with why written
 * (the file is missing, not an image, too small for a site icon ...). */
int identity_make(const char *key, const char *path, struct identity_made *out, char why[IMAGE_WHY_MAX]);

/* Stores the setting key = value with the images made from it (replacing the ones made before),
 * in one transaction. */
int identity_store(struct db *db, const char *key, const char *value, const struct identity_made *made);

/* identity_make and identity_store: what `gazette setting set site_icon PATH` does. */
int identity_setting_set(struct db *db, const char *key, const char *value, char why[IMAGE_WHY_MAX]);

void identity_made_free(struct identity_made *m);

/* What pages show of the stored images. */
int identity_load(struct db *db, struct identity *out);
