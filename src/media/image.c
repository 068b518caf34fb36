/* libvips behind media/image.h. The library starts once per process (on first use) with every
 * decoder blocked but JPEG, PNG, WebP, GIF and HEIF (AVIF), the ones libvips does not mark as
 * unsafe for untrusted input, and stops at exit. Each call is a short pipeline: thumbnail (which
 * turns the image upright and decodes at a reduced size when it can), sRGB, an optional white
 * background, then the encoder, with every metadata field removed first. libvips 8.14's WebP
 * encoder still writes an EXIF block of its own making (even when told to strip), so WebP output
 * then goes through libwebpmux, which drops the EXIF, XMP and ICC chunks from the container.
 *
 * The libraries are loaded when the first image is made (dlopen), not when the process starts:
 * libvips brings some fifty others (decoders, librsvg, OpenEXR, HDF5 ...), 11 MiB of memory in a
 * server that may never make an image, and code no request can reach until then. */
#include "media/image.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <vips/vips.h>
#include <webp/mux.h>

#if VIPS_MAJOR_VERSION != 8
#error "libvips 8 (soname libvips.so.42) is expected"
#endif
#define VIPS_SONAME "libvips.so.42"
#define WEBPMUX_SONAME "libwebpmux.so.3"

/* Every function of libvips, GLib (found through libvips) and libwebpmux called here, with the
 * prototypes of their headers: lib.vips_copy is vips_copy. */
/* clang-format off */
#define VIPS_FUNCS(X)                                                                                                  \
    X(vips_init) X(vips_version) X(vips_shutdown) X(vips_operation_block_set) X(vips_cache_set_max)                    \
    X(vips_error_clear) X(vips_image_new_from_file) X(vips_image_get_typeof) X(vips_image_get_string)                  \
    X(vips_image_get_int) X(vips_image_get_n_pages) X(vips_image_get_width) X(vips_image_get_height)                   \
    X(vips_image_get_page_height) X(vips_image_hasalpha) X(vips_image_get_fields) X(vips_image_remove)                 \
    X(vips_copy) X(vips_thumbnail) X(vips_colourspace) X(vips_flatten) X(vips_cast_uchar)                              \
    X(vips_array_double_newv) X(vips_area_unref) X(vips_pngsave_buffer) X(vips_jpegsave_buffer)                        \
    X(vips_magicksave_buffer) X(vips_webpsave_buffer) X(g_object_unref) X(g_free) X(g_malloc)                          \
    X(g_strfreev) X(g_log_set_handler)
#define WEBPMUX_FUNCS(X)                                                                                               \
    X(WebPMuxCreateInternal) X(WebPMuxDeleteChunk) X(WebPMuxAssemble) X(WebPMuxDelete) X(WebPFree)
/* clang-format on */

#define FIELD(f) __typeof__(f) *f;
static struct {
    VIPS_FUNCS(FIELD)
    WEBPMUX_FUNCS(FIELD)
} lib;
#undef FIELD

static pthread_once_t started = PTHREAD_ONCE_INIT;
static int start_failed;

static void stop(void)
{
    lib.vips_shutdown();
}

/* libvips warns on stderr about every damaged file it is given; the caller says it once. */
static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
    (void)domain, (void)level, (void)message, (void)data;
}

/* Loads the libraries and finds every function of the lists above; 0 when all are there. The
 * handles stay open for the life of the process. */
static int load(void)
{
    void *vips = dlopen(VIPS_SONAME, RTLD_NOW | RTLD_LOCAL);
    void *mux = dlopen(WEBPMUX_SONAME, RTLD_NOW | RTLD_LOCAL);
    int ok = vips != NULL && mux != NULL;
#define FIND(h, f) ok = ok && (*(void **)&lib.f = dlsym(h, #f)) != NULL;
#define FIND_VIPS(f) FIND(vips, f)
#define FIND_MUX(f) FIND(mux, f)
    VIPS_FUNCS(FIND_VIPS)
    WEBPMUX_FUNCS(FIND_MUX)
#undef FIND_MUX
#undef FIND_VIPS
#undef FIND
    if (!ok)
        fprintf(stderr, "gazette: cannot load the image libraries: %s\n", dlerror());
    return ok ? 0 : -1;
}

static void start(void)
{
    static const char *const allowed[] = {"VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp",
                                          "VipsForeignLoadNsgif", "VipsForeignLoadHeif"};
    /* VIPS_INIT's check: the library's ABI is the one the headers describe */
    if (load() < 0 || lib.vips_version(3) - lib.vips_version(5) != VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE ||
        lib.vips_init("gazette") != 0) {
        start_failed = 1;
        return;
    }
    lib.vips_operation_block_set("VipsForeignLoad", TRUE);
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        lib.vips_operation_block_set(allowed[i], FALSE);
    lib.vips_cache_set_max(0); /* nothing kept between calls: each image is made once */
    lib.g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, quiet, NULL);
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
    lib.vips_error_clear();
    snprintf(why, IMAGE_WHY_MAX, "The file is not a JPEG, PNG, WebP, GIF or AVIF image that can be read.");
    return -EINVAL;
}

/* The MIME type of what the loader that opened im reads. */
static const char *loader_mime(VipsImage *im)
{
    const char *loader = NULL, *compression = NULL;
    if (lib.vips_image_get_typeof(im, "vips-loader") == 0 || lib.vips_image_get_string(im, "vips-loader", &loader) != 0)
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
        if (lib.vips_image_get_typeof(im, "heif-compression") != 0 &&
            lib.vips_image_get_string(im, "heif-compression", &compression) == 0 && strcmp(compression, "av1") == 0)
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
    VipsImage *im = lib.vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (im == NULL)
        return not_an_image(why);
    struct image_info info = {.mime = loader_mime(im), .frames = 1};
    if (info.mime != NULL && (strcmp(info.mime, "image/gif") == 0 || strcmp(info.mime, "image/webp") == 0))
        info.frames = lib.vips_image_get_n_pages(im); /* an animation (a HEIF's other pages are not shown) */
    int w = lib.vips_image_get_width(im), h = lib.vips_image_get_height(im), orientation = 1;
    info.alpha = lib.vips_image_hasalpha(im);
    if (lib.vips_image_get_typeof(im, VIPS_META_ORIENTATION) != 0 &&
        lib.vips_image_get_int(im, VIPS_META_ORIENTATION, &orientation) != 0)
        orientation = 1;
    lib.g_object_unref(im);
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
    if (lib.vips_copy(in, out, NULL) != 0)
        return -1;
    gchar **fields = lib.vips_image_get_fields(*out);
    for (size_t i = 0; fields[i] != NULL; i++) {
        int keep = 0;
        for (size_t k = 0; animated && k < sizeof(animation) / sizeof(animation[0]); k++)
            keep |= strcmp(fields[i], animation[k]) == 0;
        if (!keep)
            lib.vips_image_remove(*out, fields[i]); /* the header's own properties are not metadata: kept */
    }
    lib.g_strfreev(fields);
    return 0;
}

/* The WebP container in *buf without its EXIF, XMP and ICC chunks (the image chunks as they were). */
static int webp_strip(void **buf, size_t *len)
{
    WebPData in = {*buf, *len}, out = {0};
    WebPMux *mux = lib.WebPMuxCreateInternal(&in, 0, WEBP_MUX_ABI_VERSION); /* WebPMuxCreate */
    if (mux == NULL) {
        lib.g_free(*buf);
        *buf = NULL;
        return -1;
    }
    lib.WebPMuxDeleteChunk(mux, "EXIF");
    lib.WebPMuxDeleteChunk(mux, "XMP ");
    lib.WebPMuxDeleteChunk(mux, "ICCP");
    int ok = lib.WebPMuxAssemble(mux, &out) == WEBP_MUX_OK;
    lib.WebPMuxDelete(mux);
    lib.g_free(*buf);
    *buf = NULL;
    if (!ok)
        return -1;
    *buf = lib.g_malloc(out.size); /* the caller frees with g_free */
    memcpy(*buf, out.bytes, out.size);
    *len = out.size;
    lib.WebPFree((void *)out.bytes); /* WebPDataClear */
    return 0;
}

/* The encoder's bytes of im as format. */
static int save(VipsImage *im, enum image_format format, void **buf, size_t *len)
{
    switch (format) {
    case IMAGE_PNG:
        return lib.vips_pngsave_buffer(im, buf, len, "strip", TRUE, "compression", 9, NULL);
    case IMAGE_JPEG:
        return lib.vips_jpegsave_buffer(im, buf, len, "strip", TRUE, "Q", 85, "optimize_coding", TRUE, "interlace",
                                        TRUE, NULL);
    case IMAGE_ICO:
        return lib.vips_magicksave_buffer(im, buf, len, "format", "ico", NULL);
    case IMAGE_WEBP:
        if (lib.vips_webpsave_buffer(im, buf, len, "strip", TRUE, "Q", 80, "effort", 4, NULL) != 0)
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
    ret = lib.vips_thumbnail(source, &steps[n++], spec->width, "height", spec->height, "size",
                             spec->crop ? VIPS_SIZE_BOTH : VIPS_SIZE_DOWN, "crop",
                             spec->crop ? VIPS_INTERESTING_CENTRE : VIPS_INTERESTING_NONE, "export_profile", "srgb",
                             "fail_on", strict ? VIPS_FAIL_ON_TRUNCATED : VIPS_FAIL_ON_NONE, NULL);
    if (ret == 0)
        ret = lib.vips_colourspace(steps[n - 1], &steps[n], VIPS_INTERPRETATION_sRGB, NULL), n++;
    if (ret == 0 && spec->flatten && lib.vips_image_hasalpha(steps[n - 1])) {
        VipsArrayDouble *white = lib.vips_array_double_newv(3, 255.0, 255.0, 255.0);
        ret = lib.vips_flatten(steps[n - 1], &steps[n], "background", white, NULL), n++;
        lib.vips_area_unref(VIPS_AREA(white));
    }
    if (ret == 0)
        ret = lib.vips_cast_uchar(steps[n - 1], &steps[n], NULL), n++;
    if (ret == 0)
        ret = bare(steps[n - 1], animated, &steps[n]), n++;
    if (ret == 0)
        ret = save(steps[n - 1], spec->format, &buf, &len);
    if (ret == 0) {
        out->data = buf;
        out->len = len;
        out->width = lib.vips_image_get_width(steps[n - 1]);
        out->height = lib.vips_image_get_page_height(steps[n - 1]);
        out->frames = animated ? lib.vips_image_get_n_pages(steps[n - 1]) : 1;
    } else {
        snprintf(why, IMAGE_WHY_MAX, "%s",
                 strict ? "The image is damaged or incomplete: it does not decode whole."
                        : "The image could not be converted.");
        lib.vips_error_clear();
        ret = -EINVAL;
    }
    for (size_t i = 0; i < n; i++)
        if (steps[i] != NULL)
            lib.g_object_unref(steps[i]);
    return ret;
}

void image_out_free(struct image_out *o)
{
    if (o->data != NULL)
        lib.g_free(o->data);
    memset(o, 0, sizeof(*o));
}
