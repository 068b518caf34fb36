/* The site's identity images: which files each image setting makes (a favicon, touch and
 * manifest icons from one square image; the publisher logo; the default social image), made by
 * media/image.c and stored beside the setting, so that the server only reads them back. */
#include "news/identity.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct rendition {
    const char *name;
    const char *type;
    struct image_spec spec;
};

static const struct rendition icon[] = {
    {"favicon.ico", "image/x-icon", {48, 48, 1, 0, IMAGE_ICO, 0}},
    {"apple-touch-icon.png", "image/png", {180, 180, 1, 1, IMAGE_PNG, 0}},
    {"site-icon-192.png", "image/png", {192, 192, 1, 0, IMAGE_PNG, 0}},
    {"site-icon-512.png", "image/png", {512, 512, 1, 0, IMAGE_PNG, 0}},
};
static const struct rendition logo[] = {{"site-logo.png", "image/png", {600, 600, 0, 0, IMAGE_PNG, 0}}};
static const struct rendition social[] = {{"social-image.jpg", "image/jpeg", {1200, 1200, 0, 1, IMAGE_JPEG, 0}}};

static const struct {
    const char *key;
    const struct rendition *r;
    size_t n;
    int min_side; /* pixels the source's shorter side needs */
    const char *too_small;
} settings[] = {
    {"site_icon", icon, sizeof(icon) / sizeof(icon[0]), IDENTITY_ICON_MIN,
     "The site icon must be at least 512 × 512 pixels (it is cut to a square around its centre)."},
    {"site_logo", logo, 1, 1, ""},
    {"social_image", social, 1, IDENTITY_SOCIAL_MIN, "The default social image must be at least 200 × 200 pixels."},
};
#define N_SETTINGS (sizeof(settings) / sizeof(settings[0]))

static int find(const char *key)
{
    for (size_t i = 0; key != NULL && i < N_SETTINGS; i++)
        if (strcmp(settings[i].key, key) == 0)
            return (int)i;
    return -1;
}

int identity_is_image_setting(const char *key)
{
    return find(key) >= 0;
}

void identity_made_free(struct identity_made *m)
{
    for (size_t i = 0; i < m->n; i++)
        image_out_free(&m->outs[i]);
    memset(m, 0, sizeof(*m));
}

int identity_make(const char *key, const char *path, struct identity_made *out, char why[IMAGE_WHY_MAX])
{
    struct identity_made m = {0};
    int k = find(key), w, h, ret;
    if (k < 0)
        return -ENOENT;
    if (path == NULL || path[0] == '\0') {
        *out = m;
        return 0;
    }
    if ((ret = image_probe(path, &w, &h, why)) < 0)
        return ret;
    if ((w < h ? w : h) < settings[k].min_side) {
        snprintf(why, IMAGE_WHY_MAX, "%s", settings[k].too_small);
        return -EINVAL;
    }
    for (size_t i = 0; i < settings[k].n; i++) {
        const struct rendition *r = &settings[k].r[i];
        if ((ret = image_make(path, &r->spec, &m.outs[i], why)) < 0) {
            identity_made_free(&m);
            return ret;
        }
        m.n = i + 1;
        struct site_image *img = &m.images[i];
        snprintf(img->name, sizeof(img->name), "%s", r->name);
        snprintf(img->setting, sizeof(img->setting), "%s", key);
        snprintf(img->content_type, sizeof(img->content_type), "%s", r->type);
        img->width = m.outs[i].width;
        img->height = m.outs[i].height;
        img->body = m.outs[i].data;
        img->len = m.outs[i].len;
    }
    *out = m;
    return 0;
}

int identity_store(struct db *db, const char *key, const char *value, const struct identity_made *made)
{
    int ret = db_begin(db);
    if (ret < 0)
        return ret;
    if ((ret = db_site_image_drop(db, key)) == 0)
        for (size_t i = 0; i < made->n && ret == 0; i++)
            ret = db_site_image_put(db, &made->images[i]);
    if (ret == 0)
        ret = db_setting_set(db, key, value);
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

int identity_setting_set(struct db *db, const char *key, const char *value, char why[IMAGE_WHY_MAX])
{
    struct identity_made m = {0};
    int ret = identity_make(key, value, &m, why);
    if (ret == 0)
        ret = identity_store(db, key, value, &m);
    identity_made_free(&m);
    return ret;
}

static void take(const struct site_image *img, struct identity_image *out)
{
    snprintf(out->path, sizeof(out->path), "/%s", img->name);
    snprintf(out->content_type, sizeof(out->content_type), "%s", img->content_type);
    out->width = img->width;
    out->height = img->height;
}

int identity_load(struct db *db, struct identity *out)
{
    struct identity id = {0};
    struct site_image img;
    int ret;
    if ((ret = db_site_image_info(db, icon[0].name, &img)) == 0)
        id.has_icon = 1;
    if ((ret == 0 || ret == -ENOENT) && (ret = db_site_image_info(db, logo[0].name, &img)) == 0)
        take(&img, &id.logo);
    if ((ret == 0 || ret == -ENOENT) && (ret = db_site_image_info(db, social[0].name, &img)) == 0)
        take(&img, &id.social);
    if (ret < 0 && ret != -ENOENT)
        return ret;
    *out = id;
    return 0;
}
