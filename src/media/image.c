/* libvips behind media/image.h. The library starts once per process (on first use) with every
 * decoder blocked but JPEG, PNG, WebP and GIF, the ones fuzzed for untrusted input, and stops at
 * exit. Each call is a short pipeline: thumbnail (which decodes at a reduced size when it can),
 * sRGB, an optional white background, then the encoder, with metadata stripped. */
#include "media/image.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <vips/vips.h>

static pthread_once_t started = PTHREAD_ONCE_INIT;
static int start_failed;

static void stop(void)
{
    vips_shutdown();
}

static void start(void)
{
    static const char *const allowed[] = {"VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp",
                                          "VipsForeignLoadNsgif"};
    if (VIPS_INIT("gazette") != 0) {
        start_failed = 1;
        return;
    }
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        vips_operation_block_set(allowed[i], FALSE);
    vips_cache_set_max(0); /* nothing kept between calls: each image is made once */
    atexit(stop);
}

/* The checks that come before the decoder: a regular file of a sane size. */
static int check_file(const char *path, char *why)
{
    struct stat sb;
    if (path == NULL || path[0] != '/') {
        snprintf(why, IMAGE_WHY_MAX, "Give the image's full path on the server, starting with /.");
        return -EINVAL;
    }
    if (stat(path, &sb) != 0) {
        snprintf(why, IMAGE_WHY_MAX, "There is no file at that path.");
        return -ENOENT;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(why, IMAGE_WHY_MAX, "That path is not a file.");
        return -EINVAL;
    }
    if ((size_t)sb.st_size > IMAGE_FILE_MAX) {
        snprintf(why, IMAGE_WHY_MAX, "The file is larger than %zu MiB.", IMAGE_FILE_MAX >> 20);
        return -EINVAL;
    }
    pthread_once(&started, start);
    if (start_failed) {
        snprintf(why, IMAGE_WHY_MAX, "The image library could not start.");
        return -ENOMEM;
    }
    return 0;
}

static int not_an_image(char *why)
{
    vips_error_clear();
    snprintf(why, IMAGE_WHY_MAX, "The file is not a JPEG, PNG, WebP or GIF image that can be read.");
    return -EINVAL;
}

int image_probe(const char *path, int *width, int *height, char why[IMAGE_WHY_MAX])
{
    int ret = check_file(path, why);
    if (ret < 0)
        return ret;
    VipsImage *im = vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (im == NULL)
        return not_an_image(why);
    int w = vips_image_get_width(im), h = vips_image_get_height(im);
    g_object_unref(im);
    if (w <= 0 || h <= 0 || (long long)w * h > IMAGE_PIXELS_MAX) {
        snprintf(why, IMAGE_WHY_MAX, "The image has more than %lld million pixels.", IMAGE_PIXELS_MAX / 1000000);
        return -EINVAL;
    }
    *width = w;
    *height = h;
    return 0;
}

/* The encoder's bytes of im as format. */
static int save(VipsImage *im, enum image_format format, void **buf, size_t *len)
{
    switch (format) {
    case IMAGE_PNG:
        return vips_pngsave_buffer(im, buf, len, "strip", TRUE, "compression", 9, NULL);
    case IMAGE_JPEG:
        return vips_jpegsave_buffer(im, buf, len, "strip", TRUE, "Q", 85, "optimize_coding", TRUE, "interlace", TRUE,
                                    NULL);
    case IMAGE_ICO:
        return vips_magicksave_buffer(im, buf, len, "format", "ico", NULL);
    }
    return -1;
}

int image_make(const char *path, const struct image_spec *spec, struct image_out *out, char why[IMAGE_WHY_MAX])
{
    int w, h, ret;
    if ((ret = image_probe(path, &w, &h, why)) < 0)
        return ret;
    VipsImage *steps[4] = {0};
    size_t n = 0;
    void *buf = NULL;
    size_t len = 0;
    ret = vips_thumbnail(path, &steps[n++], spec->width, "height", spec->height, "size",
                         spec->crop ? VIPS_SIZE_BOTH : VIPS_SIZE_DOWN, "crop",
                         spec->crop ? VIPS_INTERESTING_CENTRE : VIPS_INTERESTING_NONE, NULL);
    if (ret == 0)
        ret = vips_colourspace(steps[n - 1], &steps[n], VIPS_INTERPRETATION_sRGB, NULL), n++;
    if (ret == 0 && spec->flatten && vips_image_hasalpha(steps[n - 1])) {
        VipsArrayDouble *white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
        ret = vips_flatten(steps[n - 1], &steps[n], "background", white, NULL), n++;
        vips_area_unref(VIPS_AREA(white));
    }
    if (ret == 0)
        ret = vips_cast_uchar(steps[n - 1], &steps[n], NULL), n++;
    if (ret == 0)
        ret = save(steps[n - 1], spec->format, &buf, &len);
    if (ret == 0) {
        out->data = buf;
        out->len = len;
        out->width = vips_image_get_width(steps[n - 1]);
        out->height = vips_image_get_height(steps[n - 1]);
    } else {
        snprintf(why, IMAGE_WHY_MAX, "The image could not be converted.");
        vips_error_clear();
        ret = -EINVAL;
    }
    for (size_t i = 0; i < n; i++)
        if (steps[i] != NULL)
            g_object_unref(steps[i]);
    return ret;
}

void image_out_free(struct image_out *o)
{
    if (o->data != NULL)
        g_free(o->data);
    memset(o, 0, sizeof(*o));
}
