/* libvips behind media/image.h. The library starts once per process (on first use) with every
 * decoder blocked but JPEG, PNG, WebP, GIF and HEIF (AVIF), the ones libvips does not mark as
 * unsafe for untrusted input, and stops at exit. Each call is a short pipeline: thumbnail (which
 * turns the image upright and decodes at a reduced size when it can), sRGB, an optional white
 * background, then the encoder, with every metadata field removed first. libvips 8.14's WebP
 * encoder still writes an EXIF block of its own making (even when told to strip), so WebP output
 * then goes through libwebpmux, which drops the EXIF, XMP and ICC chunks from the container. */
#include "media/image.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <vips/vips.h>
#include <webp/mux.h>

static pthread_once_t started = PTHREAD_ONCE_INIT;
static int start_failed;

static void stop(void)
{
    vips_shutdown();
}

/* libvips warns on stderr about every damaged file it is given; the caller says it once. */
static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
    (void)domain, (void)level, (void)message, (void)data;
}

static void start(void)
{
    static const char *const allowed[] = {"VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp",
                                          "VipsForeignLoadNsgif", "VipsForeignLoadHeif"};
    if (VIPS_INIT("gazette") != 0) {
        start_failed = 1;
        return;
    }
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        vips_operation_block_set(allowed[i], FALSE);
    vips_cache_set_max(0); /* nothing kept between calls: each image is made once */
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, quiet, NULL);
    atexit(stop);
}

/* The checks that come before the decoder: a regular file of a sane size. */
static const struct image_limits defaults = {IMAGE_FILE_MAX, IMAGE_PIXELS_MAX, IMAGE_SIDE_MAX};

static int check_file(const char *path, const struct image_limits *lim, char *why)
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
    if ((size_t)sb.st_size > lim->bytes) {
        snprintf(why, IMAGE_WHY_MAX, "The file is larger than %zu KiB.", lim->bytes >> 10);
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
    snprintf(why, IMAGE_WHY_MAX, "The file is not a JPEG, PNG, WebP, GIF or AVIF image that can be read.");
    return -EINVAL;
}

/* The MIME type of what the loader that opened im reads. */
static const char *loader_mime(VipsImage *im)
{
    const char *loader = NULL, *compression = NULL;
    if (vips_image_get_typeof(im, "vips-loader") == 0 || vips_image_get_string(im, "vips-loader", &loader) != 0)
        return NULL;
    if (strcmp(loader, "jpegload") == 0)
        return "image/jpeg";
    if (strcmp(loader, "pngload") == 0)
        return "image/png";
    if (strcmp(loader, "webpload") == 0)
        return "image/webp";
    if (strcmp(loader, "gifload") == 0)
        return "image/gif";
    if (strcmp(loader, "heifload") == 0) {
        if (vips_image_get_typeof(im, "heif-compression") != 0 &&
            vips_image_get_string(im, "heif-compression", &compression) == 0 && strcmp(compression, "av1") == 0)
            return "image/avif";
        return "image/heic";
    }
    return NULL;
}

int image_inspect(const char *path, const struct image_limits *lim, struct image_info *out, char why[IMAGE_WHY_MAX])
{
    if (lim == NULL)
        lim = &defaults;
    int ret = check_file(path, lim, why);
    if (ret < 0)
        return ret;
    VipsImage *im = vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (im == NULL)
        return not_an_image(why);
    struct image_info info = {.mime = loader_mime(im), .frames = 1};
    if (info.mime != NULL && (strcmp(info.mime, "image/gif") == 0 || strcmp(info.mime, "image/webp") == 0))
        info.frames = vips_image_get_n_pages(im); /* an animation (a HEIF's other pages are not shown) */
    int w = vips_image_get_width(im), h = vips_image_get_height(im), orientation = 1;
    info.alpha = vips_image_hasalpha(im);
    if (vips_image_get_typeof(im, VIPS_META_ORIENTATION) != 0 &&
        vips_image_get_int(im, VIPS_META_ORIENTATION, &orientation) != 0)
        orientation = 1;
    g_object_unref(im);
    if (info.mime == NULL)
        return not_an_image(why);
    if (info.frames > IMAGE_FRAMES_MAX) {
        snprintf(why, IMAGE_WHY_MAX, "The animation has more than %d frames.", IMAGE_FRAMES_MAX);
        return -EINVAL;
    }
    if (w <= 0 || h <= 0 || info.frames < 1 || (long long)w * h * info.frames > lim->pixels) {
        snprintf(why, IMAGE_WHY_MAX, "The image has more than %lld million pixels%s.", lim->pixels / 1000000,
                 info.frames > 1 ? " in all its frames" : "");
        return -EINVAL;
    }
    if (w > lim->side || h > lim->side) {
        snprintf(why, IMAGE_WHY_MAX, "The image is wider or taller than %d pixels.", lim->side);
        return -EINVAL;
    }
    info.width = orientation >= 5 && orientation <= 8 ? h : w; /* a quarter turn swaps the sides */
    info.height = orientation >= 5 && orientation <= 8 ? w : h;
    *out = info;
    return 0;
}

int image_probe(const char *path, int *width, int *height, char why[IMAGE_WHY_MAX])
{
    struct image_info info;
    int ret = image_inspect(path, NULL, &info, why);
    if (ret < 0)
        return ret;
    *width = info.width;
    *height = info.height;
    return 0;
}

/* A copy of in without a single metadata field (EXIF, XMP, IPTC, ICC, comments ...); an
 * animation keeps what makes it one: the frames' height, their delays, the loop count. */
static int bare(VipsImage *in, int animated, VipsImage **out)
{
    static const char *const animation[] = {"page-height", "delay", "loop"};
    if (vips_copy(in, out, NULL) != 0)
        return -1;
    gchar **fields = vips_image_get_fields(*out);
    for (size_t i = 0; fields[i] != NULL; i++) {
        int keep = 0;
        for (size_t k = 0; animated && k < sizeof(animation) / sizeof(animation[0]); k++)
            keep |= strcmp(fields[i], animation[k]) == 0;
        if (!keep)
            vips_image_remove(*out, fields[i]); /* the header's own properties are not metadata: kept */
    }
    g_strfreev(fields);
    return 0;
}

/* The WebP container in *buf without its EXIF, XMP and ICC chunks (the image chunks as they were). */
static int webp_strip(void **buf, size_t *len)
{
    WebPData in = {*buf, *len}, out = {0};
    WebPMux *mux = WebPMuxCreate(&in, 0);
    if (mux == NULL) {
        g_free(*buf);
        *buf = NULL;
        return -1;
    }
    WebPMuxDeleteChunk(mux, "EXIF");
    WebPMuxDeleteChunk(mux, "XMP ");
    WebPMuxDeleteChunk(mux, "ICCP");
    int ok = WebPMuxAssemble(mux, &out) == WEBP_MUX_OK;
    WebPMuxDelete(mux);
    g_free(*buf);
    *buf = NULL;
    if (!ok)
        return -1;
    *buf = g_malloc(out.size); /* the caller frees with g_free */
    memcpy(*buf, out.bytes, out.size);
    *len = out.size;
    WebPDataClear(&out);
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
    case IMAGE_WEBP:
        if (vips_webpsave_buffer(im, buf, len, "strip", TRUE, "Q", 80, "effort", 4, NULL) != 0)
            return -1;
        return webp_strip(buf, len);
    }
    return -1;
}

int image_make(const char *path, const struct image_spec *spec, struct image_out *out, char why[IMAGE_WHY_MAX])
{
    return image_make_checked(path, spec, NULL, 0, out, why);
}

int image_make_checked(const char *path, const struct image_spec *spec, const struct image_limits *lim, int strict,
                       struct image_out *out, char why[IMAGE_WHY_MAX])
{
    struct image_info info;
    int ret;
    if ((ret = image_inspect(path, lim, &info, why)) < 0)
        return ret;
    VipsImage *steps[5] = {0};
    size_t n = 0;
    void *buf = NULL;
    size_t len = 0;
    /* every frame (n=-1 loads them as one tall image, page-height apart), within the pixel limit
     * that image_inspect counted over all of them */
    int animated = spec->animated && spec->format == IMAGE_WEBP && info.frames > 1;
    char source[PATH_MAX + 8]; /* libvips 8.14's thumbnail takes loader options only in the name */
    if (snprintf(source, sizeof(source), "%s%s", path, animated ? "[n=-1]" : "") >= (int)sizeof(source))
        return not_an_image(why);
    ret = vips_thumbnail(source, &steps[n++], spec->width, "height", spec->height, "size",
                         spec->crop ? VIPS_SIZE_BOTH : VIPS_SIZE_DOWN, "crop",
                         spec->crop ? VIPS_INTERESTING_CENTRE : VIPS_INTERESTING_NONE, "export_profile", "srgb",
                         "fail_on", strict ? VIPS_FAIL_ON_TRUNCATED : VIPS_FAIL_ON_NONE, NULL);
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
        ret = bare(steps[n - 1], animated, &steps[n]), n++;
    if (ret == 0)
        ret = save(steps[n - 1], spec->format, &buf, &len);
    if (ret == 0) {
        out->data = buf;
        out->len = len;
        out->width = vips_image_get_width(steps[n - 1]);
        out->height = vips_image_get_page_height(steps[n - 1]);
        out->frames = animated ? vips_image_get_n_pages(steps[n - 1]) : 1;
    } else {
        snprintf(why, IMAGE_WHY_MAX, "%s",
                 strict ? "The image is damaged or incomplete: it does not decode whole."
                        : "The image could not be converted.");
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
