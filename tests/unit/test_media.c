/* The media library: what media_add keeps and refuses, the copies it makes (upright, never
 * enlarged, without metadata: checked with exiftool), and the storage of db/media.h. */
#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>

#include "db/media.h"
#include "news/media.h"
#include "news/settings.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(media, .fini = tmpdata_remove);

#define NOW 1764633600 /* 2025-12-02 */

static char uploads[512];
static char src[512];

static struct db *open_lib(void)
{
    struct db *db = tmpdata_open();
    snprintf(uploads, sizeof(uploads), "%s/uploads", tmpdata_dir);
    snprintf(src, sizeof(src), "%s/src", tmpdata_dir);
    cr_assert_eq(mkdir(src, 0755), 0);
    return db;
}

/* A w x h picture, blue with a red square in its top-left corner (side h/4), saved to name in src/. */
static const char *picture(const char *name, int w, int h, int alpha)
{
    static char path[600];
    snprintf(path, sizeof(path), "%s/%s", src, name);
    VipsImage *blue = NULL, *red = NULL, *rgb = NULL, *out = NULL;
    cr_assert_eq(vips_black(&blue, w, h, "bands", 3, NULL), 0);
    double bl[] = {0, 0, 0}, ba[] = {20, 40, 220};
    cr_assert_eq(vips_linear(blue, &rgb, bl, ba, 3, NULL), 0);
    double ink[] = {230, 10, 10};
    cr_assert_eq(vips_draw_rect(rgb, ink, 3, 0, 0, h / 4, h / 4, "fill", TRUE, NULL), 0);
    if (alpha)
        cr_assert_eq(vips_bandjoin_const1(rgb, &out, 128, NULL), 0);
    else
        out = g_object_ref(rgb);
    VipsImage *u8 = NULL;
    cr_assert_eq(vips_cast_uchar(out, &u8, NULL), 0);
    cr_assert_eq(vips_image_write_to_file(u8, path, NULL), 0, "%s", vips_error_buffer());
    g_object_unref(u8);
    g_object_unref(out);
    g_object_unref(rgb);
    g_object_unref(blue);
    (void)red;
    return path;
}

static int run(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static size_t files_in_uploads;
static int count_file(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)path, (void)sb, (void)ftw;
    if (flag == FTW_F)
        files_in_uploads++;
    return 0;
}

static size_t uploads_files(void)
{
    files_in_uploads = 0;
    nftw(uploads, count_file, 16, FTW_PHYS);
    return files_in_uploads;
}

/* What exiftool finds of EXIF, GPS, XMP, IPTC, ICC, comments in the file ("" when nothing). */
static void metadata_of(const char *path, char *out, size_t cap)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd),
             "exiftool -q -q -s -EXIF:all -GPS:all -XMP:all -IPTC:all -ICC_Profile:all -Comment -MakerNotes:all "
             "'%s'",
             path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    cr_assert_eq(pclose(p), 0, "exiftool failed on %s", path);
}

/* The colour at (x, y) of the stored copy. */
static void pixel(const char *rel, int x, int y, double rgb[3])
{
    char path[1200];
    snprintf(path, sizeof(path), "%s/%s", uploads, rel);
    VipsImage *im = vips_image_new_from_file(path, NULL);
    cr_assert_not_null(im, "%s", path);
    double *v = NULL;
    int n = 0;
    cr_assert_eq(vips_getpoint(im, &v, &n, x, y, NULL), 0);
    for (int i = 0; i < 3; i++)
        rgb[i] = v[i];
    g_free(v);
    g_object_unref(im);
}

Test(media, jpeg_with_gps_and_orientation_comes_out_upright_and_bare)
{
    struct db *db = open_lib();
    const char *path = picture("photo.jpg", 1200, 800, 0);
    char cmd[1200];
    snprintf(cmd, sizeof(cmd),
             "exiftool -q -overwrite_original -GPSLatitude=48.8566 -GPSLatitudeRef=N -GPSLongitude=2.3522 "
             "-GPSLongitudeRef=E -Orientation#=6 -SerialNumber=SN-12345 -XMP:Creator=Somebody -Comment=secret '%s'",
             path);
    cr_assert_eq(run(cmd), 0);
    char meta[4096];
    metadata_of(path, meta, sizeof(meta));
    cr_assert_not_null(strstr(meta, "GPSLatitude"), "the source carries GPS: %s", meta);

    struct media_text text = {.alt = "A red square", .caption = "Caption", .credit = "Credit"};
    int64_t id = 0;
    int existed = -1;
    char why[MEDIA_WHY_MAX] = "";
    cr_assert_eq(media_add(db, uploads, path, &text, 0, NOW, NULL, &id, &existed, why), 0, "%s", why);
    cr_assert_eq(existed, 0);
    struct medium m;
    cr_assert_eq(db_media_get(db, id, &m), 0);
    cr_assert_str_eq(m.mime, "image/jpeg");
    cr_assert_eq(m.width, 800); /* turned a quarter: upright */
    cr_assert_eq(m.height, 1200);
    cr_assert_str_eq(m.dir, "2025/12");
    cr_assert_str_eq(m.alt, "A red square");
    /* 320 and 640 below the full 800, in WebP and JPEG */
    cr_assert_eq(m.ncopies, 6);
    for (size_t i = 0; i < m.ncopies; i++) {
        const struct media_copy *c = &m.copies[i];
        cr_assert(strcmp(c->format, "jpeg") == 0 || strcmp(c->format, "webp") == 0);
        cr_assert(c->width == 320 || c->width == 640 || c->width == 800);
        cr_assert_eq(c->height, c->width * 3 / 2);
        cr_assert_eq(strncmp(c->path, "2025/12/", 8), 0);
        cr_assert_eq(strncmp(c->path + 8, m.hash, MEDIA_NAME_HEX), 0);
        char full[1200];
        snprintf(full, sizeof(full), "%s/%s", uploads, c->path);
        metadata_of(full, meta, sizeof(meta));
        cr_assert_str_eq(meta, "", "%s keeps metadata:\n%s", c->path, meta);
        /* Orientation 6 (a quarter turn clockwise): the red corner is now top right. */
        double rgb[3];
        pixel(c->path, c->width - 1 - c->width / 20, c->width / 20, rgb);
        cr_assert(rgb[0] > 180 && rgb[2] < 80, "%s: not red at the top right (%g %g %g)", c->path, rgb[0], rgb[1],
                  rgb[2]);
        pixel(c->path, c->width / 20, c->width / 20, rgb);
        cr_assert(rgb[2] > 180 && rgb[0] < 80, "%s: not blue at the top left", c->path);
    }
    cr_assert_eq(uploads_files(), 6);
    medium_clear(&m);
    db_close(db);
}

Test(media, a_png_named_jpg_is_a_png_and_copies_keep_transparency_as_png)
{
    struct db *db = open_lib();
    const char *png = picture("shot.png", 700, 400, 1);
    char named[700];
    snprintf(named, sizeof(named), "%s/holiday.jpg", src);
    cr_assert_eq(rename(png, named), 0);
    struct media_text text = {0};
    int64_t id;
    int existed;
    char why[MEDIA_WHY_MAX];
    cr_assert_eq(media_add(db, uploads, named, &text, 0, NOW, NULL, &id, &existed, why), 0, "%s", why);
    struct medium m;
    cr_assert_eq(db_media_get(db, id, &m), 0);
    cr_assert_str_eq(m.mime, "image/png");
    cr_assert_str_eq(media_fallback_format(&m), "png");
    for (size_t i = 0; i < m.ncopies; i++) {
        cr_assert_neq(strcmp(m.copies[i].format, "jpeg"), 0);
        cr_assert(m.copies[i].width <= 700, "never enlarged");
        cr_assert_not_null(strstr(m.copies[i].path, strcmp(m.copies[i].format, "png") == 0 ? ".png" : ".webp"));
    }
    cr_assert_eq(m.ncopies, 6); /* 320, 640, 700 */
    const struct media_copy *c = media_copy_for(&m, "webp", 500);
    cr_assert_eq(c->width, 640);
    c = media_copy_for(&m, "png", 5000);
    cr_assert_eq(c->width, 700);
    medium_clear(&m);

    /* The same bytes again: the same medium, nothing new. */
    int64_t again;
    cr_assert_eq(media_add(db, uploads, named, &text, 0, NOW + 86400 * 40, NULL, &again, &existed, why), 0);
    cr_assert_eq(existed, 1);
    cr_assert_eq(again, id);
    cr_assert_eq(uploads_files(), 6);
    db_close(db);
}

static void refused(struct db *db, const char *path, const char *expect)
{
    struct media_text text = {0};
    int64_t id = 0;
    int existed = 0;
    char why[MEDIA_WHY_MAX] = "";
    cr_assert_eq(media_add(db, uploads, path, &text, 0, NOW, NULL, &id, &existed, why), -EINVAL, "%s", path);
    cr_assert_not_null(strstr(why, expect), "%s: %s", path, why);
    cr_assert_eq(uploads_files(), 0, "%s left files", path);
    struct media_list l;
    cr_assert_eq(db_media_list(db, NULL, 0, 10, &l), 0);
    cr_assert_eq(l.total, 0, "%s left a row", path);
    media_list_free(&l);
}

static const char *write_src(const char *name, const void *data, size_t n)
{
    static char path[600];
    snprintf(path, sizeof(path), "%s/%s", src, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}

Test(media, refused_files_leave_nothing, .timeout = 60)
{
    struct db *db = open_lib();
    refused(db, write_src("notes.jpg", "just some text\n", 15), "not a JPEG, PNG");
    static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
                              "<script>alert(1)</script><rect width=\"10\" height=\"10\"/></svg>";
    refused(db, write_src("drawing.svg", svg, sizeof(svg) - 1), "not a JPEG, PNG");
    refused(db, write_src("drawing.jpg", svg, sizeof(svg) - 1), "not a JPEG, PNG");

    /* A JPEG cut short after its header: the header reads, the pixels do not. */
    const char *whole = picture("whole.jpg", 1600, 1200, 0);
    FILE *f = fopen(whole, "rb");
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    cr_assert_gt(n, 4000);
    refused(db, write_src("cut.jpg", buf, n / 2), "damaged or incomplete");
    unlink(whole);

    /* 20,000 x 20,000 (a black PNG of 400 KB): refused from its header, before its pixels. */
    char huge[600];
    snprintf(huge, sizeof(huge), "%s/huge.png", src);
    VipsImage *black = NULL;
    cr_assert_eq(vips_black(&black, 20000, 20000, NULL), 0);
    cr_assert_eq(vips_pngsave(black, huge, "compression", 1, NULL), 0);
    g_object_unref(black);
    refused(db, huge, "million pixels");
    unlink(huge);

    /* Over the byte limit. */
    cr_assert_eq(setting_set(db, "media_max_bytes", "2048"), 0);
    const char *big = picture("big.jpg", 600, 400, 0);
    refused(db, big, "larger than 2 KiB");
    cr_assert_eq(setting_set(db, "media_max_bytes", "33554432"), 0);

    /* Over the side limit. */
    cr_assert_eq(setting_set(db, "media_max_side", "500"), 0);
    refused(db, big, "wider or taller than 500");
    db_close(db);
}

Test(media, delete_asks_first_when_a_post_shows_it)
{
    struct db *db = open_lib();
    const char *path = picture("lead.jpg", 2000, 1000, 0);
    struct media_text text = {.title = "Lead", .alt = "Harbour at dawn"};
    int64_t id;
    int existed;
    char why[MEDIA_WHY_MAX];
    cr_assert_eq(media_add(db, uploads, path, &text, 0, NOW, NULL, &id, &existed, why), 0, "%s", why);
    cr_assert_eq(uploads_files(), 10); /* 320 640 1024 1600 2000, twice */

    int64_t uid;
    cr_assert_eq(user_create(db, "ann", "Ann", "", ROLE_AUTHOR, NULL, NOW, &uid), 0);
    struct post p = {.type = POST_TYPE_POST,
                     .status = POST_PUBLISHED,
                     .title = "Story",
                     .slug = "story",
                     .author_id = uid,
                     .format = POST_FORMAT_HTML,
                     .source = "<p>x</p>",
                     .html = "<p>x</p>",
                     .excerpt = "x",
                     .comments_open = 1,
                     .published_at = NOW,
                     .created_at = NOW,
                     .modified_at = NOW};
    cr_assert_eq(db_post_insert(db, &p), 0);
    cr_assert_eq(db_post_set_featured(db, p.id, id), 0);
    cr_assert_eq(db_post_set_featured(db, p.id, id), 0); /* unchanged is fine */
    cr_assert_eq(db_post_set_featured(db, p.id + 99, id), -ENOENT);
    int64_t f = 0;
    cr_assert_eq(db_post_featured(db, p.id, &f), 0);
    cr_assert_eq(f, id);
    int64_t *ids = NULL;
    size_t n = 0;
    cr_assert_eq(db_media_users(db, id, 10, &ids, &n), 0);
    cr_assert_eq(n, 1);
    cr_assert_eq(ids[0], p.id);
    free(ids);

    cr_assert_eq(media_delete(db, uploads, id, 0, why), -EBUSY);
    cr_assert_not_null(strstr(why, "1 post shows"), "%s", why);
    cr_assert_eq(uploads_files(), 10);
    cr_assert_eq(media_delete(db, uploads, id, 1, why), 0);
    cr_assert_eq(uploads_files(), 0);
    cr_assert_eq(db_post_featured(db, p.id, &f), 0);
    cr_assert_eq(f, 0, "the post lost its featured image with the medium");
    cr_assert_eq(media_delete(db, uploads, id, 1, why), -ENOENT);
    db_close(db);
}

Test(media, list_search_and_texts)
{
    struct db *db = open_lib();
    int64_t a, b;
    int existed;
    char why[MEDIA_WHY_MAX];
    struct media_text ta = {.title = "Harbour", .alt = "Boats at 100% calm"},
                      tb = {.title = "Council", .credit = "Ann"};
    cr_assert_eq(media_add(db, uploads, picture("a.jpg", 400, 300, 0), &ta, 0, NOW, NULL, &a, &existed, why), 0);
    cr_assert_eq(media_add(db, uploads, picture("b.jpg", 401, 300, 0), &tb, 0, NOW + 5, NULL, &b, &existed, why), 0);
    struct media_list l;
    cr_assert_eq(db_media_list(db, NULL, 0, 10, &l), 0);
    cr_assert_eq(l.n, 2);
    cr_assert_eq(l.items[0].id, b, "newest first");
    media_list_free(&l);
    cr_assert_eq(db_media_list(db, "100%", 0, 10, &l), 0);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.items[0].id, a);
    media_list_free(&l);
    cr_assert_eq(db_media_list(db, "ANN", 0, 10, &l), 0);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.total, 1);
    media_list_free(&l);
    cr_assert_eq(db_media_list(db, NULL, 1, 1, &l), 0);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.total, 2);
    cr_assert_eq(l.items[0].id, a);
    media_list_free(&l);

    char long_text[MEDIA_TEXT_MAX + 2];
    memset(long_text, 'x', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    struct media_text bad = {.alt = long_text};
    cr_assert_eq(media_set_text(db, a, &bad, why), -EINVAL);
    struct media_text good = {.title = "T", .alt = "New alt", .caption = "C", .credit = "Cr"};
    cr_assert_eq(media_set_text(db, a, &good, why), 0);
    cr_assert_eq(media_set_text(db, a + 100, &good, why), -ENOENT);
    struct medium m;
    cr_assert_eq(db_media_get(db, a, &m), 0);
    cr_assert_str_eq(m.alt, "New alt");
    cr_assert_str_eq(m.credit, "Cr");
    medium_clear(&m);
    db_close(db);
}

Test(media, an_avif_is_taken_and_copied_to_jpeg_and_webp)
{
    struct db *db = open_lib();
    const char *png = picture("wide.png", 700, 500, 0);
    char avif[700];
    snprintf(avif, sizeof(avif), "%s/photo.avif", src);
    VipsImage *im = vips_image_new_from_file(png, NULL);
    cr_assert_not_null(im);
    int saved = vips_heifsave(im, avif, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1, NULL);
    g_object_unref(im);
    cr_assert_eq(saved, 0, "libheif writes AVIF here: %s", vips_error_buffer());
    struct media_text text = {0};
    int64_t id;
    int existed;
    char why[MEDIA_WHY_MAX];
    cr_assert_eq(media_add(db, uploads, avif, &text, 0, NOW, NULL, &id, &existed, why), 0, "%s", why);
    struct medium m;
    cr_assert_eq(db_media_get(db, id, &m), 0);
    cr_assert_str_eq(m.mime, "image/avif");
    cr_assert_str_eq(media_fallback_format(&m), "jpeg");
    cr_assert_eq(m.ncopies, 6); /* 320, 640, 700 */
    double rgb[3];
    pixel(media_copy_for(&m, "jpeg", 700)->path, 650, 450, rgb);
    cr_assert(rgb[2] > 180 && rgb[0] < 80, "blue, in 8 bits: %g %g %g", rgb[0], rgb[1], rgb[2]);
    medium_clear(&m);
    db_close(db);
}
