/* Images made from a file on the server with libvips: read with limits (size, pixels, and only
 * the JPEG, PNG, WebP and GIF decoders), resized and saved again without metadata. The site's
 * identity images (news/identity.c) are made here; the media library will be too. */
#pragma once

#include <stddef.h>

#define IMAGE_FILE_MAX ((size_t)32 << 20) /* bytes of a source file */
#define IMAGE_PIXELS_MAX 100000000LL      /* width times height of a source image */
#define IMAGE_WHY_MAX 160                 /* bytes of an error message */

enum image_format { IMAGE_PNG, IMAGE_JPEG, IMAGE_ICO };

/* What to make: an image of at most width x height. With crop, exactly that size, covering it
 * and cut around the centre; else fitted inside it, never enlarged. flatten puts a transparent
 * image on white. */
struct image_spec {
    int width, height;
    int crop;
    int flatten;
    enum image_format format;
};

/* An encoded image (data is the library's: free with image_out_free). */
struct image_out {
    unsigned char *data;
    size_t len;
    int width, height;
};

/* The size of the image in the file at path (an absolute path of a regular file). 0, or -ENOENT
 * (no such file), -EINVAL (not a regular file, too large, not an image it reads, too many
 * pixels), -ENOMEM; on failure why says it in a sentence. */
int image_probe(const char *path, int *width, int *height, char why[IMAGE_WHY_MAX]);

/* Makes spec from the image in the file at path. Errors as image_probe. */
int image_make(const char *path, const struct image_spec *spec, struct image_out *out, char why[IMAGE_WHY_MAX]);

void image_out_free(struct image_out *o);
