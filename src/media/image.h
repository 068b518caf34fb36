/* Images made from a file on the server with libvips: read with limits (size, pixels, and only
 * the JPEG, PNG, WebP, GIF and HEIF/AVIF decoders), turned upright, resized and saved again in
 * sRGB without any metadata. The site's identity images (news/identity.c) and the media
 * library's copies (news/media.c) are made here. */
#pragma once

#include <stddef.h>

#define IMAGE_FILE_MAX ((size_t)32 << 20) /* bytes of a source file */
#define IMAGE_PIXELS_MAX 100000000LL      /* width times height of a source image */
#define IMAGE_WHY_MAX 160                 /* bytes of an error message */
#define IMAGE_SIDE_MAX 30000              /* pixels of a source image's width or height */
#define IMAGE_FRAMES_MAX 1000             /* frames of an animated source */

enum image_format { IMAGE_PNG, IMAGE_JPEG, IMAGE_ICO, IMAGE_WEBP };

/* What a source may be: its file's bytes, its pixels (of every frame together, for an animation:
 * a GIF of many large frames is refused before it is decoded), its longer side. */
struct image_limits {
    size_t bytes;
    long long pixels;
    int side;
};

/* A source file as its header describes it (nothing is decoded but the header). */
struct image_info {
    const char *mime;  /* "image/jpeg", "image/png", "image/webp", "image/gif", "image/avif", "image/heic" */
    int width, height; /* upright: after the EXIF orientation */
    int alpha;         /* it has transparency */
    int frames;        /* 1, or the frames of an animation (GIF, WebP) */
};

/* What to make: an image of at most width x height. With crop, exactly that size, covering it
 * and cut around the centre; else fitted inside it, never enlarged. flatten puts a transparent
 * image on white. animated keeps every frame of an animation (each resized, with its delay and
 * the loop count) in a WebP; other formats, and animated unset, get the first frame. */
struct image_spec {
    int width, height;
    int crop;
    int flatten;
    enum image_format format;
    int animated;
};

/* An encoded image (data is the library's: free with image_out_free). */
struct image_out {
    unsigned char *data;
    size_t len;
    int width, height; /* of one frame */
    int frames;
};

/* The size of the image in the file at path (an absolute path of a regular file). 0, or -ENOENT
 * (no such file), -EINVAL (not a regular file, too large, not an image it reads, too many
 * pixels), -ENOMEM; on failure why says it in a sentence. */
int image_probe(const char *path, int *width, int *height, char why[IMAGE_WHY_MAX]);

/* What the file at path holds, from its header, checked against lim (NULL: the defaults): 0 and
 * *out, or the errors of image_probe; why names the limit passed or says it is no image it reads.
 * The type comes from the bytes, never from the file's name. */
int image_inspect(const char *path, const struct image_limits *lim, struct image_info *out, char why[IMAGE_WHY_MAX]);

/* Makes spec from the image in the file at path. Errors as image_probe. The output carries no metadata at all
 * (EXIF, XMP, IPTC, comments, colour profile): it is upright and in sRGB. */
int image_make(const char *path, const struct image_spec *spec, struct image_out *out, char why[IMAGE_WHY_MAX]);

/* image_make with the limits lim (NULL: the defaults); strict refuses a source that does not
 * decode whole (truncated, corrupt) instead of making what it can of it. */
int image_make_checked(const char *path, const struct image_spec *spec, const struct image_limits *lim, int strict,
                       struct image_out *out, char why[IMAGE_WHY_MAX]);

void image_out_free(struct image_out *o);
