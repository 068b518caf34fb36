/* The media library's rules (news/media.h): an upload is inspected from its header against the
 * site's limits, hashed, then copied at each width by media/image.c, the full size first so that
 * a damaged file is refused before anything smaller is made. Copies are written beside their
 * final names and renamed; on any failure every file written is removed again. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "news/media.h"

#include "db/db.h"
#include "news/session.h"
#include "news/settings.h"
#include "render/html.h"

const int media_widths[MEDIA_WIDTHS_N] = {320, 640, 1024, 1600, 2400};

void media_limits(struct db *db, struct image_limits *out)
{
    int64_t bytes = IMAGE_FILE_MAX, pixels = IMAGE_PIXELS_MAX, side = 16383;
    setting_get_int(db, "media_max_bytes", &bytes);
    setting_get_int(db, "media_max_pixels", &pixels);
    setting_get_int(db, "media_max_side", &side);
    out->bytes = (size_t)bytes;
    out->pixels = pixels;
    out->side = (int)side;
}

static int check_text(const struct media_text *t, char *why)
{
    const char *v[] = {t->title, t->alt, t->caption, t->credit};
    for (size_t i = 0; i < 4; i++)
        if (v[i] != NULL && strlen(v[i]) > MEDIA_TEXT_MAX) {
            snprintf(why, MEDIA_WHY_MAX, "A title, alt text, caption or credit is longer than %d bytes.",
                     MEDIA_TEXT_MAX);
            return -EINVAL;
        }
    return 0;
}

/* The SHA-256 of the file's bytes, in hex (at most limit bytes are read: the caller checked the size). */
static int hash_file(const char *path, size_t limit, char hex[2 * crypto_hash_sha256_BYTES + 1])
{
    unsigned char buf[65536], digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state s;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    crypto_hash_sha256_init(&s);
    size_t total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0 && total <= limit) {
        crypto_hash_sha256_update(&s, buf, (unsigned long long)n);
        total += (size_t)n;
    }
    int err = n < 0 ? -errno : 0;
    close(fd);
    if (err < 0)
        return err;
    if (total > limit)
        return -EFBIG;
    crypto_hash_sha256_final(&s, digest);
    sodium_bin2hex(hex, 2 * crypto_hash_sha256_BYTES + 1, digest, sizeof(digest));
    return 0;
}

/* mkdir that accepts an existing folder. */
static int ensure_dir(const char *path)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    return -errno;
}

/* The uploads folder and the folders above it, as mkdir -p: on SQLite the data directory holds
 * the database already, on PostgreSQL it may not exist yet. */
static int ensure_dirs(const char *path)
{
    char p[MEDIA_PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(p))
        return -ENAMETOOLONG;
    memcpy(p, path, n + 1);
    for (size_t i = 1; i < n; i++)
        if (p[i] == '/') {
            p[i] = '\0';
            int ret = ensure_dir(p);
            p[i] = '/';
            if (ret < 0)
                return ret;
        }
    return ensure_dir(p);
}

int media_temp_open(const char *uploads, char *path, size_t cap)
{
    int ret = ensure_dirs(uploads);
    if (ret < 0)
        return ret;
    if (snprintf(path, cap, "%s/.upload-XXXXXX", uploads) >= (int)cap)
        return -ENAMETOOLONG;
    int fd = mkstemp(path);
    return fd < 0 ? -errno : fd;
}

/* Writes len bytes to path through a temporary name beside it, then renames. */
static int write_file(const char *path, const void *data, size_t len)
{
    char tmp[MEDIA_PATH_MAX + 32];
    if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof(tmp))
        return -ENAMETOOLONG;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    const unsigned char *p = data;
    int err = 0;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            err = -errno;
            break;
        }
        p += n;
        len -= (size_t)n;
    }
    if (err == 0 && fsync(fd) != 0)
        err = -errno;
    if (close(fd) != 0 && err == 0)
        err = -errno;
    if (err == 0 && rename(tmp, path) != 0)
        err = -errno;
    if (err < 0)
        unlink(tmp);
    return err;
}

static const char *format_ext(const char *format)
{
    return strcmp(format, "jpeg") == 0 ? "jpg" : format;
}

static void remove_written(const char *uploads, struct media_upload *u)
{
    char full[MEDIA_PATH_MAX];
    for (size_t i = 0; i < u->ncopies; i++)
        if (snprintf(full, sizeof(full), "%s/%s", uploads, u->paths[i]) < (int)sizeof(full))
            unlink(full);
    u->ncopies = 0;
}

void media_abandon(const char *uploads, struct media_upload *u)
{
    remove_written(uploads, u);
}

/* Makes and writes the copy of path at width in format. */
static int make_copy(const char *uploads, const char *path, const char *name, int width, const char *format, int strict,
                     const struct image_limits *lim, struct media_upload *u, char *why)
{
    struct image_spec spec = {
        .width = width,
        .height = 10000000, /* the width decides */
        .animated = 1,      /* an animation stays one in WebP (the JPEG or PNG shows its first frame) */
        .format = strcmp(format, "webp") == 0  ? IMAGE_WEBP
                  : strcmp(format, "png") == 0 ? IMAGE_PNG
                                               : IMAGE_JPEG,
    };
    struct image_out out = {0};
    int ret = image_make_checked(path, &spec, lim, strict, &out, why);
    if (ret < 0)
        return ret;
    struct media_copy *c = &u->copies[u->ncopies];
    snprintf(u->paths[u->ncopies], sizeof(u->paths[u->ncopies]), "%s/%s-%d.%s", u->dir, name, out.width,
             format_ext(format));
    char full[MEDIA_PATH_MAX];
    if (snprintf(full, sizeof(full), "%s/%s", uploads, u->paths[u->ncopies]) >= (int)sizeof(full))
        ret = -ENAMETOOLONG;
    else
        ret = write_file(full, out.data, out.len);
    if (ret == 0) {
        c->format = (char *)format;
        c->width = out.width;
        c->height = out.height;
        c->bytes = (int64_t)out.len;
        c->path = u->paths[u->ncopies];
        u->ncopies++;
    } else {
        snprintf(why, MEDIA_WHY_MAX, "A copy of the image could not be written.");
        ret = -EIO;
    }
    image_out_free(&out);
    return ret;
}

int media_prepare(struct db *db, const char *uploads, const char *path, const struct media_text *text, int64_t now,
                  const char *wp_key, struct media_upload *u, char why[MEDIA_WHY_MAX])
{
    struct image_limits lim;
    struct image_info info;
    char name[MEDIA_NAME_HEX + 1], folder[MEDIA_PATH_MAX];
    int64_t found = 0;
    int ret;

    memset(u, 0, sizeof(*u));
    media_limits(db, &lim);
    if ((ret = check_text(text, why)) < 0 || (ret = image_inspect(path, &lim, &info, why)) < 0)
        return ret;
    if ((ret = hash_file(path, lim.bytes, u->hash)) < 0) {
        snprintf(why, MEDIA_WHY_MAX, "The file could not be read.");
        return ret == -EFBIG ? -EINVAL : -EIO;
    }
    if ((ret = db_media_find_hash(db, u->hash, &found)) == 0 ||
        (ret == -ENOENT && wp_key != NULL && (ret = db_media_find_wp(db, wp_key, &found)) == 0)) {
        u->id = found;
        u->existed = 1;
        return 0;
    }
    if (ret != -ENOENT)
        return ret;

    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(u->dir, sizeof(u->dir), "%04d/%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100);
    memcpy(name, u->hash, MEDIA_NAME_HEX);
    name[MEDIA_NAME_HEX] = '\0';
    ret = snprintf(folder, sizeof(folder), "%s/%.4s", uploads, u->dir) < (int)sizeof(folder) ? ensure_dirs(folder) : -1;
    if (ret == 0)
        ret =
            snprintf(folder, sizeof(folder), "%s/%s", uploads, u->dir) < (int)sizeof(folder) ? ensure_dir(folder) : -1;
    if (ret < 0) {
        snprintf(why, MEDIA_WHY_MAX, "The uploads folder cannot be written.");
        return -EIO;
    }

    const char *fallback =
        info.alpha || strcmp(info.mime, "image/png") == 0 || strcmp(info.mime, "image/gif") == 0 ? "png" : "jpeg";
    /* The full size first, decoding the whole file: a damaged one stops here. */
    ret = make_copy(uploads, path, name, info.width, fallback, 1, &lim, u, why);
    if (ret == 0)
        ret = make_copy(uploads, path, name, info.width, "webp", 1, &lim, u, why);
    for (size_t i = 0; ret == 0 && i < MEDIA_WIDTHS_N && media_widths[i] < info.width; i++) {
        ret = make_copy(uploads, path, name, media_widths[i], fallback, 0, &lim, u, why);
        if (ret == 0)
            ret = make_copy(uploads, path, name, media_widths[i], "webp", 0, &lim, u, why);
    }
    if (ret < 0) {
        remove_written(uploads, u);
        return ret;
    }
    struct stat sb;
    u->mime = info.mime;
    u->width = info.width;
    u->height = info.height;
    u->bytes = stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
    return 0;
}

int media_prepare_bytes(struct db *db, const char *uploads, const void *data, size_t len, const struct media_text *text,
                        int64_t now, struct media_upload *u, char why[MEDIA_WHY_MAX])
{
    char tmp[MEDIA_PATH_MAX];
    int fd = media_temp_open(uploads, tmp, sizeof(tmp));
    if (fd < 0) {
        memset(u, 0, sizeof(*u));
        snprintf(why, MEDIA_WHY_MAX, "The uploads folder cannot be written.");
        return -EIO;
    }
    const char *p = data;
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, p + off, len - off);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    close(fd);
    int ret;
    if (off < len) {
        memset(u, 0, sizeof(*u));
        snprintf(why, MEDIA_WHY_MAX, "The uploads folder cannot be written.");
        ret = -EIO;
    } else {
        ret = media_prepare(db, uploads, tmp, text, now, NULL, u, why);
    }
    unlink(tmp);
    return ret;
}

int media_commit(struct db *db, const char *uploads, struct media_upload *u, const struct media_text *text,
                 int64_t author_id, int64_t now, const char *wp_key, char why[MEDIA_WHY_MAX])
{
    if (u->existed)
        return 0;
    struct media_new m = {.hash = u->hash,
                          .dir = u->dir,
                          .mime = u->mime,
                          .width = u->width,
                          .height = u->height,
                          .bytes = u->bytes,
                          .title = text->title,
                          .alt = text->alt,
                          .caption = text->caption,
                          .credit = text->credit,
                          .author_id = author_id,
                          .created_at = now,
                          .wp_key = wp_key,
                          .copies = u->copies,
                          .ncopies = u->ncopies};
    int64_t id = 0;
    int ret = db_media_insert(db, &m, &id);
    if (ret == -EEXIST && db_media_find_hash(db, u->hash, &id) == 0) {
        /* the same bytes recorded meanwhile by another writer: its files are these very names */
        u->existed = 1;
        u->ncopies = 0;
        u->id = id;
        return 0;
    }
    if (ret < 0) {
        remove_written(uploads, u);
        snprintf(why, MEDIA_WHY_MAX, "The image could not be recorded.");
        return ret;
    }
    u->id = id;
    return 0;
}

int media_add(struct db *db, const char *uploads, const char *path, const struct media_text *text, int64_t author_id,
              int64_t now, const char *wp_key, int64_t *id, int *existed, char why[MEDIA_WHY_MAX])
{
    struct media_upload *u = malloc(sizeof(*u));
    if (u == NULL)
        return -ENOMEM;
    int ret = media_prepare(db, uploads, path, text, now, wp_key, u, why);
    if (ret == 0)
        ret = media_commit(db, uploads, u, text, author_id, now, wp_key, why);
    if (ret == 0) {
        *id = u->id;
        *existed = u->existed;
    }
    free(u);
    return ret;
}

int media_may_change(const struct user *user, const struct medium *m)
{
    return role_can(user->role, CAP_UPLOAD_FILES) &&
           (m->author_id == user->id || role_can(user->role, CAP_EDIT_OTHERS_POSTS));
}

int media_set_text(struct db *db, int64_t id, const struct media_text *text, char why[MEDIA_WHY_MAX])
{
    int ret = check_text(text, why);
    if (ret == 0)
        ret = db_media_set_text(db, id, text->title, text->alt, text->caption, text->credit);
    return ret;
}

int media_get_counted(struct db *db, int64_t id, struct medium *out)
{
    struct medium m = {0};
    int ret = db_media_get(db, id, &m);
    if (ret == 0)
        ret = db_media_uses(db, id, &m.uses);
    if (ret == 0)
        *out = m;
    else
        medium_clear(&m);
    return ret;
}

int media_delete_record(struct db *db, int64_t id, int force, struct medium *gone, char why[MEDIA_WHY_MAX])
{
    struct medium m = {0};
    int ret = media_get_counted(db, id, &m);
    if (ret < 0) {
        snprintf(why, MEDIA_WHY_MAX, "%s", ret == -ENOENT ? "There is no such medium." : "The medium cannot be read.");
        return ret;
    }
    if (m.uses > 0 && !force) {
        snprintf(why, MEDIA_WHY_MAX, "%lld post%s show%s this image.", (long long)m.uses, m.uses == 1 ? "" : "s",
                 m.uses == 1 ? "s" : "");
        ret = -EBUSY;
    } else if ((ret = db_media_delete(db, id)) < 0) {
        snprintf(why, MEDIA_WHY_MAX, "The medium could not be deleted.");
    }
    if (ret == 0)
        *gone = m;
    else
        medium_clear(&m);
    return ret;
}

void media_remove_files(const char *uploads, const struct medium *gone)
{
    char full[MEDIA_PATH_MAX];
    for (size_t i = 0; i < gone->ncopies; i++)
        if (snprintf(full, sizeof(full), "%s/%s", uploads, gone->copies[i].path) < (int)sizeof(full))
            unlink(full);
}

int media_delete(struct db *db, const char *uploads, int64_t id, int force, char why[MEDIA_WHY_MAX])
{
    struct medium gone = {0};
    int ret = media_delete_record(db, id, force, &gone, why);
    if (ret == 0) /* after the commit: a failed delete keeps its files */
        media_remove_files(uploads, &gone);
    medium_clear(&gone);
    return ret;
}

int media_featured(struct db *db, const struct post *p, struct medium *out)
{
    return p->featured_id > 0 ? db_media_get(db, p->featured_id, out) : -ENOENT;
}

int media_featured_of(struct db *db, const struct post *posts, size_t n, struct medium *out)
{
    int64_t *ids = malloc((n ? n : 1) * sizeof(*ids));
    size_t with = 0;
    if (ids == NULL)
        abort();
    for (size_t i = 0; i < n; i++) {
        ids[i] = posts[i].featured_id > 0 ? posts[i].featured_id : 0;
        with += ids[i] != 0;
    }
    int ret = 0;
    if (with > 0)
        ret = db_media_get_of(db, ids, n, out);
    else
        memset(out, 0, n * sizeof(*out));
    free(ids);
    return ret;
}

const struct media_copy *media_copy_for(const struct medium *m, const char *format, int width)
{
    const struct media_copy *best = NULL;
    for (size_t i = 0; i < m->ncopies; i++) {
        const struct media_copy *c = &m->copies[i];
        if (strcmp(c->format, format) != 0)
            continue;
        if (best == NULL || (best->width < width && c->width > best->width) ||
            (c->width >= width && c->width < best->width))
            best = c;
    }
    return best;
}

const char *media_fallback_format(const struct medium *m)
{
    for (size_t i = 0; i < m->ncopies; i++)
        if (strcmp(m->copies[i].format, "png") == 0)
            return "png";
    return "jpeg";
}

/* ---- what the editor inserts --------------------------------------------------------------- */

/* Appends s with its line ends as spaces and a backslash before each character of escape. */
static void append_escaped(struct buf *out, const char *s, const char *escape)
{
    for (; *s != '\0'; s++) {
        if (*s == '\r' || *s == '\n') {
            buf_append(out, " ", 1);
            continue;
        }
        if (strchr(escape, *s) != NULL)
            buf_append(out, "\\", 1);
        buf_append(out, s, 1);
    }
}

/* The caption and the credit, joined as WordPress themes show them: "caption — credit". */
static void caption_line(const struct medium *m, struct buf *out)
{
    buf_puts(out, m->caption);
    if (m->caption[0] && m->credit[0])
        buf_puts(out, " — ");
    buf_puts(out, m->credit);
}

int media_snippet(const struct medium *m, int markdown, struct buf *out)
{
    const struct media_copy *c = media_copy_for(m, media_fallback_format(m), MEDIA_SNIPPET_WIDTH);
    struct buf cap = BUF_INIT;
    if (c == NULL)
        return -ENOENT;
    caption_line(m, &cap);
    if (markdown) {
        buf_puts(out, "![");
        append_escaped(out, m->alt, "\\[]");
        buf_printf(out, "](/uploads/%s", c->path);
        if (cap.len > 0) {
            buf_puts(out, " \"");
            append_escaped(out, cap.data, "\\\"");
            buf_puts(out, "\"");
        }
        buf_puts(out, ")");
    } else {
        buf_printf(out, "<figure class=\"wp-block-image\"><img src=\"/uploads/%s\" alt=\"", c->path);
        html_escape(out, m->alt, strlen(m->alt));
        buf_printf(out, "\" width=\"%d\" height=\"%d\" class=\"wp-image-%lld\">", c->width, c->height,
                   (long long)m->id);
        if (cap.len > 0) {
            buf_puts(out, "<figcaption>");
            html_escape_text(out, cap.data, cap.len);
            buf_puts(out, "</figcaption>");
        }
        buf_puts(out, "</figure>");
    }
    buf_free(&cap);
    return out->err ? -ENOMEM : 0;
}

/* ---- images in bodies ------------------------------------------------------------------ */

struct body_lookup {
    struct db *db;
    struct medium m;
    struct buf srcset, webp;
    char src[128];
};

/* The name (hex digits) in url[0..n) when it is a copy's URL: [scheme://host]/uploads/YYYY/MM/NAME-W.ext. */
static int copy_name(const char *url, size_t n, char name[MEDIA_NAME_HEX + 1], int *width)
{
    static const char up[] = "/uploads/";
    const char *p = url, *lim = url + n;
    if (n > 8 && (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0)) {
        p = memchr(url + 8, '/', n - 8);
        if (p == NULL)
            return 0;
    }
    if ((size_t)(lim - p) < sizeof(up) - 1 + 8 + MEDIA_NAME_HEX + 3 || memcmp(p, up, sizeof(up) - 1) != 0)
        return 0;
    p += sizeof(up) - 1 + 8; /* YYYY/MM/ */
    for (size_t i = 0; i < MEDIA_NAME_HEX; i++) {
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return 0;
        name[i] = p[i];
    }
    name[MEDIA_NAME_HEX] = '\0';
    if (p[MEDIA_NAME_HEX] != '-')
        return 0;
    *width = 0;
    for (p += MEDIA_NAME_HEX + 1; p < lim && *p >= '0' && *p <= '9' && *width < 100000; p++)
        *width = *width * 10 + (*p - '0');
    return *width > 0;
}

static void srcset_of(const struct medium *m, const char *format, struct buf *b)
{
    b->len = 0;
    for (size_t i = 0; i < m->ncopies; i++) {
        if (strcmp(m->copies[i].format, format) != 0)
            continue;
        buf_printf(b, "%s/uploads/%s %dw", b->len ? ", " : "", m->copies[i].path, m->copies[i].width);
    }
}

static int body_lookup(void *ctx, const char *url, size_t n, struct html_image *out)
{
    struct body_lookup *l = ctx;
    char name[MEDIA_NAME_HEX + 1];
    int width;
    int64_t id;
    if (!copy_name(url, n, name, &width) || db_media_find_name(l->db, name, &id) < 0)
        return 0;
    medium_clear(&l->m);
    if (db_media_get(l->db, id, &l->m) < 0)
        return 0;
    const char *fallback = media_fallback_format(&l->m);
    const struct media_copy *c = media_copy_for(&l->m, fallback, width);
    if (c == NULL)
        return 0;
    snprintf(l->src, sizeof(l->src), "/uploads/%s", c->path);
    srcset_of(&l->m, fallback, &l->srcset);
    srcset_of(&l->m, "webp", &l->webp);
    if (l->srcset.err || l->webp.err)
        return 0;
    *out = (struct html_image){.id = id,
                               .src = l->src,
                               .srcset = l->srcset.data ? l->srcset.data : "",
                               .webp_srcset = l->webp.data ? l->webp.data : "",
                               .width = c->width,
                               .height = c->height,
                               .alt = l->m.alt};
    return 1;
}

int media_body_images(struct db *db, const char *html, size_t n, struct buf *out, int64_t *ids, size_t *n_ids)
{
    struct body_lookup l = {.db = db, .srcset = BUF_INIT, .webp = BUF_INIT};
    int ret = html_images(html, n, MEDIA_BODY_SIZES, body_lookup, &l, out, ids, n_ids);
    medium_clear(&l.m);
    buf_free(&l.srcset);
    buf_free(&l.webp);
    return ret < 0 ? -ENOMEM : 0;
}
