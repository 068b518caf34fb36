/* The WordPress import (see import.h): the WXR reader's records become users, terms, posts and
 * comments through the storage interface, all inside one transaction. What must wait for the
 * end (category and page parents that come after their children, galleries whose attachments
 * come later) is kept in small lists and settled before the commit. No SQL here: db/ and
 * db/wpmap.h do the storing.
 *
 * The file is read on a second thread (wxr_parse_file_threaded), which also renders each post's
 * content (prepare_item); this thread makes the excerpts and stores. */
#include "import/import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/wpmap.h"
#include "import/media_import.h"
#include "lib/buf.h"
#include "lib/slug.h"
#include "lib/timeutil.h"
#include "news/post.h"
#include "news/taxonomy.h"
#include "news/user.h"

#define IMPORT_HTML_MAX (POST_SOURCE_MAX * 4) /* bytes of a post's rendered content */
#define IMPORT_WRITEBACK_ITEMS 4096           /* items between two db_bulk_writeback calls */

/* ---- small maps: string or integer keys to local ids ------------------------------------ */

struct map_entry {
    char *key; /* NULL for an integer map */
    int64_t ikey;
    int64_t value;
    int used;
};

struct map {
    struct map_entry *e;
    size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static uint64_t hash_int(int64_t k)
{
    uint64_t h = (uint64_t)k * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

static struct map_entry *map_slot(struct map *m, const char *key, int64_t ikey)
{
    if (m->cap == 0)
        return NULL;
    size_t i = (key ? hash_str(key) : hash_int(ikey)) & (m->cap - 1);
    for (;;) {
        struct map_entry *e = &m->e[i];
        if (!e->used || (key ? (e->key && strcmp(e->key, key) == 0) : e->ikey == ikey))
            return e;
        i = (i + 1) & (m->cap - 1);
    }
}

static int map_get(struct map *m, const char *key, int64_t ikey, int64_t *value)
{
    struct map_entry *e = map_slot(m, key, ikey);
    if (e == NULL || !e->used)
        return -ENOENT;
    *value = e->value;
    return 0;
}

static void map_free(struct map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->e[i].key);
    free(m->e);
    *m = (struct map){0};
}

static void map_clear(struct map *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->e[i].key);
        m->e[i] = (struct map_entry){0};
    }
    m->n = 0;
}

static int map_put(struct map *m, const char *key, int64_t ikey, int64_t value)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct map old = *m;
        size_t cap = m->cap ? m->cap * 2 : 64;
        m->e = calloc(cap, sizeof(*m->e));
        if (m->e == NULL) {
            *m = old;
            return -ENOMEM;
        }
        m->cap = cap;
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++) {
            if (!old.e[i].used)
                continue;
            struct map_entry *e = map_slot(m, old.e[i].key, old.e[i].ikey);
            *e = old.e[i];
            m->n++;
        }
        free(old.e);
    }
    struct map_entry *e = map_slot(m, key, ikey);
    if (!e->used) {
        e->key = key ? strdup(key) : NULL;
        if (key && e->key == NULL)
            return -ENOMEM;
        e->ikey = ikey;
        e->used = 1;
        m->n++;
    }
    e->value = value;
    return 0;
}

/* ---- pending fix-ups ---------------------------------------------------------------------- */

struct fixup {
    int64_t local_id;
    int64_t wp_parent; /* a WordPress id, or 0 with a slug in `slug` */
    char *slug;
};

struct fixups {
    struct fixup *v;
    size_t n, cap;
};

static int fixup_add(struct fixups *f, int64_t local_id, int64_t wp_parent, const char *slug)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 32;
        void *p = realloc(f->v, cap * sizeof(*f->v));
        if (p == NULL)
            return -ENOMEM;
        f->v = p;
        f->cap = cap;
    }
    char *s = slug ? strdup(slug) : NULL;
    if (slug && s == NULL)
        return -ENOMEM;
    f->v[f->n++] = (struct fixup){local_id, wp_parent, s};
    return 0;
}

static void fixups_free(struct fixups *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].slug);
    free(f->v);
    *f = (struct fixups){0};
}

/* ---- the import's state ------------------------------------------------------------------- */

struct importer {
    struct db *db;
    const struct import_options *opt;
    struct import_stats *st;
    struct wxr_error *err;
    int64_t now;
    char site[WP_SITE_MAX];

    struct map users;              /* original login -> user id */
    struct map terms;              /* "c:slug" / "t:slug" -> term id */
    struct map comments;           /* the current item's WordPress comment ids -> comment ids */
    struct fixups cat_parents;     /* category -> parent slug */
    struct fixups page_parents;    /* page -> WordPress id of its parent */
    struct fixups galleries;       /* posts whose [gallery] may name attachments not seen yet */
    struct fixups comment_parents; /* a reply whose parent comes later in its item */

    int64_t first_author; /* the first declared author's user id */
    int64_t item_local;   /* the current item's post id, 0 when skipped */
    int item_is_new;
    long items_seen;
    struct db_bulk *bulk; /* the load (db_bulk_begin), for db_bulk_writeback */
    struct timespec started, last_progress;
    struct buf html;
    struct import_media *media; /* with --uploads: the attachments' files and the bodies' URLs */
};

static double since(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

static void progress(struct importer *im, int final)
{
    FILE *f = im->opt ? im->opt->progress : NULL;
    if (f == NULL)
        return;
    if (!final && (im->items_seen & 255) != 0)
        return;
    if (!final && since(&im->last_progress) < 0.25)
        return;
    clock_gettime(CLOCK_MONOTONIC, &im->last_progress);
    double s = since(&im->started);
    fprintf(f, "\r\033[Kimporting: %ld items, %ld comments, %.0f items/s", im->items_seen, im->st->comments,
            s > 0 ? (double)im->items_seen / s : 0.0);
    if (final)
        fputc('\n', f);
    fflush(f);
}

/* "YYYY-MM-DD HH:MM:SS" as UTC seconds; -EINVAL for anything else (and WordPress's 0000-00-00). */
static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int parse_wp_date(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    /* the form WordPress always writes, read without sscanf (which costs more than the rest) */
    int exact = strlen(s) >= 19 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':' &&
                digits(s, 4, &y) == 0 && digits(s + 5, 2, &mo) == 0 && digits(s + 8, 2, &d) == 0 &&
                digits(s + 11, 2, &h) == 0 && digits(s + 14, 2, &mi) == 0 && digits(s + 17, 2, &se) == 0;
    if (!exact) {
        h = mi = se = 0;
        if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) < 3)
            return -EINVAL;
    }
    if (y < 1)
        return -EINVAL;
    int64_t day = time_from_date(y, mo, d);
    if (day == -EINVAL)
        return -EINVAL;
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
        return -EINVAL;
    *out = day + h * 3600 + mi * 60 + se;
    return 0;
}

static int64_t pick_date(const char *gmt, const char *local, int64_t fallback)
{
    int64_t t;
    if (parse_wp_date(gmt, &t) == 0)
        return t;
    if (parse_wp_date(local, &t) == 0)
        return t;
    return fallback;
}

static int fail(struct importer *im, int rc, const char *fmt, const char *what)
{
    if (im->err && im->err->message[0] == '\0')
        snprintf(im->err->message, sizeof(im->err->message), fmt, what);
    return rc;
}

/* ---- authors -------------------------------------------------------------------------------- */

/* WordPress's sanitize_user() narrowed to Gazette's logins: ASCII letters lowered, [a-z0-9._@-]
 * kept, spaces made '-', anything else dropped. */
static void login_from(const char *wp, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = wp; *p && n + 1 < cap && n < USER_LOGIN_MAX; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' || c == '-')
            out[n++] = c;
        else if (c == ' ')
            out[n++] = '-';
    }
    out[n] = '\0';
}

static int ensure_user(struct importer *im, const char *wp_login, const char *display, const char *email, int64_t wp_id,
                       int64_t *id)
{
    if (map_get(&im->users, wp_login, 0, id) == 0)
        return 0;
    char login[USER_LOGIN_MAX + 1];
    login_from(wp_login, login, sizeof(login));
    if (login[0] == '\0')
        snprintf(login, sizeof(login), "author-%ld", (long)im->users.n + 1);
    struct user u = {0};
    int rc = db_user_get_by_login(im->db, login, &u);
    if (rc == 0) {
        *id = u.id;
        user_clear(&u);
    } else if (rc == -ENOENT) {
        const char *name = display && display[0] ? display : wp_login[0] ? wp_login : login;
        char cut[USER_NAME_MAX + 1];
        snprintf(cut, sizeof(cut), "%s", name);
        char mail[USER_EMAIL_MAX + 1];
        snprintf(mail, sizeof(mail), "%s", email && strlen(email) <= USER_EMAIL_MAX ? email : "");
        rc = user_create(im->db, login, cut, mail, ROLE_AUTHOR, NULL, im->now, id);
        if (rc < 0)
            return fail(im, rc, "cannot create the user for author %s", wp_login);
        im->st->users_created++;
    } else {
        return rc;
    }
    if (wp_id > 0 && (rc = db_wp_map_put(im->db, im->site, WP_USER, wp_id, *id)) < 0)
        return rc;
    return map_put(&im->users, wp_login, 0, *id);
}

static int on_author(void *ctx, const struct wxr_author *a)
{
    struct importer *im = ctx;
    int64_t id;
    im->st->authors++;
    int rc = ensure_user(im, a->login, a->display_name, a->email, a->id, &id);
    if (rc == 0 && im->first_author == 0)
        im->first_author = id;
    return rc;
}

/* The user of an item's dc:creator: a declared author, else (as WordPress's importer does) the
 * first declared author, else one "imported" user made for the purpose. */
static int author_of(struct importer *im, const char *creator, int64_t *id)
{
    if (map_get(&im->users, creator, 0, id) == 0)
        return 0;
    if (im->first_author) {
        *id = im->first_author;
        return 0;
    }
    int rc = ensure_user(im, "imported", "Imported", "", 0, id);
    if (rc == 0)
        im->first_author = *id;
    return rc;
}

/* ---- terms ---------------------------------------------------------------------------------- */

static int term_key(char *out, size_t cap, enum term_taxonomy tax, const char *slug)
{
    return snprintf(out, cap, "%c:%s", tax == TERM_CATEGORY ? 'c' : 't', slug) < (int)cap ? 0 : -E2BIG;
}

/* The term of that taxonomy and slug, created (with name) when missing. *created says which. */
static int ensure_term(struct importer *im, enum term_taxonomy tax, const char *slug_in, const char *name, int64_t *id,
                       int *created)
{
    char slug[SLUG_MAX + 1];
    if (slug_make(slug_in, strlen(slug_in), slug, sizeof(slug)) == 0 &&
        slug_make(name, strlen(name), slug, sizeof(slug)) == 0)
        snprintf(slug, sizeof(slug), "%s", tax == TERM_CATEGORY ? "category" : "tag");
    char key[SLUG_MAX + 8];
    *created = 0;
    if (term_key(key, sizeof(key), tax, slug) < 0)
        return -E2BIG;
    if (map_get(&im->terms, key, 0, id) == 0)
        return 0;
    struct term t = {0};
    int rc = db_term_get_by_slug(im->db, tax, slug, &t);
    if (rc == 0) {
        *id = t.id;
        term_clear(&t);
    } else if (rc == -ENOENT) {
        char cut[TERM_NAME_MAX + 1];
        snprintf(cut, sizeof(cut), "%s", name[0] ? name : slug);
        struct term nt = {.taxonomy = tax, .name = cut, .slug = slug};
        if ((rc = db_term_insert(im->db, &nt)) < 0)
            return fail(im, rc, "cannot create the term %s", slug);
        *id = nt.id;
        *created = 1;
    } else {
        return rc;
    }
    return map_put(&im->terms, key, 0, *id);
}

static int on_term(void *ctx, const struct wxr_term *t)
{
    struct importer *im = ctx;
    enum term_taxonomy tax;
    if (strcmp(t->taxonomy, "category") == 0)
        tax = TERM_CATEGORY;
    else if (strcmp(t->taxonomy, "post_tag") == 0)
        tax = TERM_TAG;
    else {
        im->st->terms_skipped++;
        return 0;
    }
    enum wp_kind kind = tax == TERM_CATEGORY ? WP_CATEGORY : WP_TAG;
    int64_t id;
    int rc = t->id > 0 ? db_wp_map_get(im->db, im->site, kind, t->id, &id) : -ENOENT;
    if (rc == 0) {
        im->st->terms_existing++;
        return 0;
    }
    if (rc != -ENOENT)
        return rc;
    int created;
    if ((rc = ensure_term(im, tax, t->slug, t->name, &id, &created)) < 0)
        return rc;
    if (created) {
        if (tax == TERM_CATEGORY)
            im->st->categories++;
        else
            im->st->tags++;
        if (tax == TERM_CATEGORY && t->parent[0] && (rc = fixup_add(&im->cat_parents, id, 0, t->parent)) < 0)
            return rc;
    } else {
        im->st->terms_existing++;
    }
    if (t->id > 0 && (rc = db_wp_map_put(im->db, im->site, kind, t->id, id)) < 0)
        return rc;
    return 0;
}

/* ---- items ---------------------------------------------------------------------------------- */

static const char *attachment_url(void *ctx, long long wp_id)
{
    struct importer *im = ctx;
    static __thread char *last;
    free(last);
    last = NULL;
    if (db_wp_attachment_url(im->db, im->site, wp_id, &last) < 0)
        return NULL;
    return last;
}

static int status_of(const char *s, enum post_status *out)
{
    static const struct {
        const char *wp;
        enum post_status st;
    } m[] = {{"publish", POST_PUBLISHED}, {"future", POST_SCHEDULED}, {"draft", POST_DRAFT}, {"auto-draft", POST_DRAFT},
             {"pending", POST_PENDING},   {"private", POST_PRIVATE},  {"trash", POST_TRASH}, {"inherit", POST_DRAFT}};
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
        if (strcmp(s, m[i].wp) == 0) {
            *out = m[i].st;
            return 0;
        }
    *out = POST_DRAFT;
    return -EINVAL;
}

/* The path part of an absolute URL ("https://host/a/b/?x" -> "/a/b/"), or NULL when it has a
 * query (then /?p=ID covers it) or is the root. */
static const char *path_of(const char *url, size_t *n)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : (url[0] == '/' ? url : NULL);
    if (p == NULL || strchr(p, '?') || strcmp(p, "/") == 0)
        return NULL;
    *n = strcspn(p, "#");
    return *n > 1 && *n < WP_PATH_MAX ? p : NULL;
}

/* The old path from a permalink structure such as "/%year%/%monthnum%/%postname%/". */
static int structure_path(const char *structure, const struct wxr_item *it, struct buf *out)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    sscanf(it->post_date, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s);
    const char *cat = "uncategorized";
    for (size_t i = 0; i < it->nterms; i++)
        if (strcmp(it->terms[i].domain, "category") == 0) {
            cat = it->terms[i].nicename;
            break;
        }
    for (const char *p = structure; *p;) {
        if (*p != '%') {
            buf_putc(out, *p++);
            continue;
        }
        const char *e = strchr(p + 1, '%');
        if (e == NULL) {
            buf_puts(out, p);
            break;
        }
        size_t n = (size_t)(e - p - 1);
#define TAG(name) (n == sizeof(name) - 1 && strncmp(p + 1, name, n) == 0)
        if (TAG("year"))
            buf_printf(out, "%04d", y);
        else if (TAG("monthnum"))
            buf_printf(out, "%02d", mo);
        else if (TAG("day"))
            buf_printf(out, "%02d", d);
        else if (TAG("hour"))
            buf_printf(out, "%02d", h);
        else if (TAG("minute"))
            buf_printf(out, "%02d", mi);
        else if (TAG("second"))
            buf_printf(out, "%02d", s);
        else if (TAG("postname") || TAG("pagename"))
            buf_puts(out, it->post_name);
        else if (TAG("post_id"))
            buf_printf(out, "%lld", it->id);
        else if (TAG("category"))
            buf_puts(out, cat);
        else if (TAG("author"))
            buf_puts(out, it->creator);
        else
            buf_append(out, p, n + 2);
#undef TAG
        p = e + 1;
    }
    return out->err;
}

static int record_old_path(struct importer *im, const struct wxr_item *it, enum post_type type, int64_t id)
{
    const char *structure = im->opt ? im->opt->old_permalinks : NULL;
    int rc = 0;
    if (structure && structure[0] && type == POST_TYPE_POST && it->post_name[0]) {
        struct buf b = BUF_INIT;
        b.max = WP_PATH_MAX;
        if ((rc = structure_path(structure, it, &b)) == 0 && b.len > 1 &&
            (rc = db_wp_path_put(im->db, b.data, id)) == 0)
            im->st->old_paths++;
        buf_free(&b);
        if (rc < 0 && rc != -EEXIST && rc != -E2BIG) /* a path over WP_PATH_MAX is not recorded */
            return rc;
    }
    size_t n;
    const char *p = path_of(it->link, &n);
    if (p == NULL)
        return 0;
    char path[WP_PATH_MAX];
    snprintf(path, sizeof(path), "%.*s", (int)n, p);
    if ((rc = db_wp_path_put(im->db, path, id)) == -EEXIST)
        return 0; /* the structure gave the same path, or another post had it first */
    if (rc < 0)
        return rc;
    im->st->old_paths++;
    return 0;
}

/* An existing term for an item's <category>: by slug, then by name. */
static int find_term(struct importer *im, enum term_taxonomy tax, const char *slug_in, const char *name, int64_t *id)
{
    char slug[SLUG_MAX + 1], key[SLUG_MAX + 8];
    if (slug_make(slug_in, strlen(slug_in), slug, sizeof(slug)) > 0 && term_key(key, sizeof(key), tax, slug) == 0) {
        if (map_get(&im->terms, key, 0, id) == 0)
            return 0;
        struct term t = {0};
        int rc = db_term_get_by_slug(im->db, tax, slug, &t);
        if (rc == 0) {
            *id = t.id;
            term_clear(&t);
            return map_put(&im->terms, key, 0, *id);
        }
        if (rc != -ENOENT)
            return rc;
    }
    struct term t = {0};
    int rc = name[0] ? db_term_get_by_name(im->db, tax, name, &t) : -ENOENT;
    if (rc == 0) {
        *id = t.id;
        term_clear(&t);
    }
    return rc;
}

/* The item's categories and tags. Only terms the export declares (or the site has) are linked:
 * a reference to an undeclared one is counted and left out, so the site ends with the export's
 * own list of categories and tags. */
static int set_terms(struct importer *im, int64_t post_id, const struct wxr_item *it)
{
    int64_t ids[2][POST_TERMS_MAX];
    size_t n[2] = {0, 0};
    for (size_t i = 0; i < it->nterms; i++) {
        const struct wxr_item_term *t = &it->terms[i];
        int k;
        enum term_taxonomy tax;
        if (strcmp(t->domain, "category") == 0) {
            k = 0;
            tax = TERM_CATEGORY;
        } else if (strcmp(t->domain, "post_tag") == 0 || strcmp(t->domain, "tag") == 0) {
            k = 1;
            tax = TERM_TAG;
        } else {
            continue;
        }
        int64_t id = 0;
        int rc = find_term(im, tax, t->nicename[0] ? t->nicename : t->name, t->name, &id);
        if (rc == -ENOENT) {
            im->st->term_refs_undeclared++;
            continue;
        }
        if (rc < 0)
            return rc;
        int dup = 0;
        for (size_t j = 0; j < n[k]; j++)
            dup |= ids[k][j] == id;
        if (!dup && n[k] < POST_TERMS_MAX)
            ids[k][n[k]++] = id;
    }
    int rc = db_post_add_terms(im->db, post_id, ids[0], n[0]);
    return rc < 0 ? rc : db_post_add_terms(im->db, post_id, ids[1], n[1]);
}

/* What the reading thread prepares for a post or page (wxr_parse_file_threaded): its content
 * rendered, laid out as this header and then the HTML, NUL-terminated. Content with a [gallery]
 * needs the attachments' URLs from the database and is rendered by import_post instead. */
struct prepared {
    int rc; /* of the rendering; a negative errno fails the import */
};

static int is_post_type(const char *t)
{
    return strcmp(t, "post") == 0 || strcmp(t, "page") == 0;
}

static int prepare_item(void *ctx, const struct wxr_item *it, struct buf *out)
{
    (void)ctx; /* runs beside the store: nothing of the importer's is touched */
    if (!is_post_type(it->post_type) || it->content_len > POST_SOURCE_MAX ||
        memmem(it->content, it->content_len, "[gallery", 8))
        return 0;
    struct prepared pr = {0};
    buf_append(out, &pr, sizeof(pr));
    struct post_render_opts how = {.format = POST_FORMAT_HTML};
    pr.rc = post_render(&how, it->content, it->content_len, out, NULL);
    if (pr.rc == 0 && out->len - sizeof(pr) > IMPORT_HTML_MAX)
        pr.rc = -E2BIG;
    buf_putc(out, '\0');
    if (out->err)
        return out->err;
    memcpy(out->data, &pr, sizeof(pr));
    return 0;
}

static int import_post(struct importer *im, const struct wxr_item *it, enum post_type type)
{
    int64_t id;
    int rc = it->id > 0 ? db_wp_map_get(im->db, im->site, WP_POST, it->id, &id) : -ENOENT;
    if (rc == 0) {
        im->st->items_existing++;
        im->item_local = id;
        im->item_is_new = 0;
        return 0;
    }
    if (rc != -ENOENT)
        return rc;
    if (it->content_len > POST_SOURCE_MAX) {
        return fail(im, -E2BIG, "the content of \"%s\" is over the post size limit", it->title);
    }
    enum post_status status;
    status_of(it->status, &status);
    int64_t author;
    if ((rc = author_of(im, it->creator, &author)) < 0)
        return rc;

    char slug[SLUG_MAX + 1];
    const char *base = it->post_name[0]         ? it->post_name
                       : it->title[0]           ? it->title
                       : type == POST_TYPE_PAGE ? "page"
                                                : "post";
    if ((rc = post_unique_slug(im->db, type, base, 0, slug)) < 0)
        return rc;

    /* The excerpt is made here, not with the rendering: the reading thread has the more work. */
    const char *html;
    size_t html_len;
    struct prepared pr;
    if (it->prepared_len > sizeof(pr)) {
        memcpy(&pr, it->prepared, sizeof(pr));
        if (pr.rc < 0)
            return fail(im, pr.rc, "cannot render the content of \"%s\"", it->title);
        html = it->prepared + sizeof(pr);
        html_len = it->prepared_len - sizeof(pr) - 1;
    } else {
        buf_reset(&im->html);
        struct wpautop_media media = {im, attachment_url};
        struct post_render_opts how = {.format = POST_FORMAT_HTML, .media = &media};
        if ((rc = post_render(&how, it->content, it->content_len, &im->html, NULL)) < 0)
            return fail(im, rc, "cannot render the content of \"%s\"", it->title);
        html = im->html.data ? im->html.data : "";
        html_len = im->html.len;
    }
    char *made = NULL; /* the excerpt, when the item has none */
    if (it->excerpt[0] == '\0' && (rc = post_excerpt_from_html(html, html_len, POST_EXCERPT_WORDS, &made)) < 0)
        return rc;

    char title[POST_TITLE_MAX + 1];
    snprintf(title, sizeof(title), "%s", it->title);
    int64_t published = pick_date(it->post_date_gmt, it->post_date, im->now);
    struct post p = {
        .type = type,
        .status = status,
        .title = title,
        .slug = slug,
        .author_id = author,
        .format = POST_FORMAT_HTML,
        .source = (char *)it->content,
        .html = (char *)html,
        .excerpt = made ? made : (char *)it->excerpt,
        .sticky = it->sticky,
        .comments_open = strcmp(it->comment_status, "open") == 0,
        .password = it->post_password[0] ? (char *)it->post_password : NULL,
        .published_at = published,
        .created_at = published,
        .modified_at = pick_date(it->post_modified_gmt, it->post_modified, published),
        .wp_id = it->id,
    };
    int64_t parent = 0;
    if (type == POST_TYPE_PAGE && it->parent > 0 && db_wp_map_get(im->db, im->site, WP_POST, it->parent, &parent) < 0)
        parent = 0;
    p.parent_id = parent;
    rc = db_post_insert(im->db, &p);
    free(made);
    if (rc < 0)
        return fail(im, rc, "cannot store \"%s\"", it->title);
    id = p.id;
    if (type == POST_TYPE_PAGE && it->parent > 0 && parent == 0 &&
        (rc = fixup_add(&im->page_parents, id, it->parent, NULL)) < 0)
        return rc;
    if (memmem(it->content, it->content_len, "[gallery", 8) && (rc = fixup_add(&im->galleries, id, it->id, NULL)) < 0)
        return rc;
    if (im->media != NULL && (rc = import_media_note_post(im->media, id, it)) < 0)
        return rc;
    if ((rc = db_wp_map_put(im->db, im->site, WP_POST, it->id, id)) < 0 || (rc = set_terms(im, id, it)) < 0 ||
        (rc = record_old_path(im, it, type, id)) < 0)
        return rc;

    *(type == POST_TYPE_PAGE ? &im->st->pages : &im->st->posts) += 1;
    switch (status) {
    case POST_PUBLISHED:
        im->st->published++;
        break;
    case POST_SCHEDULED:
        im->st->scheduled++;
        break;
    case POST_PENDING:
        im->st->pending++;
        break;
    case POST_PRIVATE:
        im->st->private_++;
        break;
    case POST_TRASH:
        im->st->trash++;
        break;
    default:
        im->st->draft++;
    }
    im->st->sticky += it->sticky != 0;
    im->st->password += p.password != NULL;
    im->item_local = id;
    im->item_is_new = 1;
    return 0;
}

static int on_item(void *ctx, const struct wxr_item *it)
{
    struct importer *im = ctx;
    im->items_seen++;
    im->item_local = 0;
    im->item_is_new = 0;
    map_clear(&im->comments);
    progress(im, 0);
    if ((im->items_seen & (IMPORT_WRITEBACK_ITEMS - 1)) == 0)
        db_bulk_writeback(im->bulk);
    if (strcmp(it->post_type, "post") == 0)
        return import_post(im, it, POST_TYPE_POST);
    if (strcmp(it->post_type, "page") == 0)
        return import_post(im, it, POST_TYPE_PAGE);
    if (strcmp(it->post_type, "attachment") == 0) {
        const char *url = it->attachment_url[0] ? it->attachment_url : it->guid;
        int rc = db_wp_attachment_put(im->db, im->site, it->id, it->parent, url);
        if (rc == 0)
            im->st->attachments++;
        int64_t author;
        char why[300] = "";
        if (rc == 0 && im->media != NULL && (rc = author_of(im, it->creator, &author)) == 0 &&
            (rc = import_media_attachment(im->media, im->db, im->site, it, author,
                                          pick_date(it->post_date_gmt, it->post_date, im->now), im->st, why,
                                          sizeof(why))) < 0)
            return fail(im, rc, "%s", why);
        return rc;
    }
    if (strcmp(it->post_type, "nav_menu_item") == 0)
        im->st->menu_items++;
    else
        im->st->other_items++;
    return 0;
}

/* ---- comments ------------------------------------------------------------------------------- */

static int on_comment(void *ctx, const struct wxr_item *it, const struct wxr_comment *c)
{
    struct importer *im = ctx;
    (void)it;
    if (im->item_local == 0 || !im->item_is_new) {
        im->st->comments_skipped++;
        return 0;
    }
    enum comment_status status;
    if (strcmp(c->approved, "1") == 0 || strcmp(c->approved, "approve") == 0)
        status = COMMENT_APPROVED;
    else if (strcmp(c->approved, "spam") == 0)
        status = COMMENT_SPAM;
    else if (strcmp(c->approved, "trash") == 0 || strcmp(c->approved, "post-trashed") == 0)
        status = COMMENT_TRASH;
    else
        status = COMMENT_PENDING;
    enum comment_type type = COMMENT_TYPE_COMMENT;
    if (strcmp(c->type, "pingback") == 0)
        type = COMMENT_TYPE_PINGBACK;
    else if (strcmp(c->type, "trackback") == 0)
        type = COMMENT_TYPE_TRACKBACK;
    int64_t parent = 0;
    int deferred = c->parent != 0 && map_get(&im->comments, NULL, c->parent, &parent) < 0;
    struct comment cm = {
        .post_id = im->item_local,
        .parent_id = parent,
        .status = status,
        .type = type,
        .author = (char *)c->author,
        .email = (char *)c->author_email,
        .url = (char *)c->author_url,
        .ip = (char *)c->author_ip,
        .user_agent = (char *)"",
        .created_at = pick_date(c->date_gmt, c->date, im->now),
        .body = (char *)c->content,
    };
    int64_t uid;
    if (c->user_id > 0 && db_wp_map_get(im->db, im->site, WP_USER, c->user_id, &uid) == 0)
        cm.user_id = uid;
    int rc = db_comment_insert(im->db, &cm);
    if (rc < 0)
        return fail(im, rc, "cannot store the comment by %s", c->author);
    if (c->id > 0 && (rc = map_put(&im->comments, NULL, c->id, cm.id)) < 0)
        return rc;
    if (deferred && (rc = fixup_add(&im->comment_parents, cm.id, c->parent, NULL)) < 0)
        return rc;
    im->st->comments++;
    switch (status) {
    case COMMENT_APPROVED:
        im->st->approved++;
        break;
    case COMMENT_SPAM:
        im->st->spam++;
        break;
    case COMMENT_TRASH:
        im->st->trashed++;
        break;
    default:
        im->st->held++;
    }
    im->st->pingbacks += type == COMMENT_TYPE_PINGBACK;
    im->st->trackbacks += type == COMMENT_TYPE_TRACKBACK;
    im->st->threaded += c->parent != 0;
    return 0;
}

static int on_channel(void *ctx, const struct wxr_channel *ch)
{
    struct importer *im = ctx;
    const char *site = ch->base_blog_url[0] ? ch->base_blog_url : ch->link[0] ? ch->link : ch->base_site_url;
    snprintf(im->site, sizeof(im->site), "%s", site);
    return 0;
}

/* A reply whose parent came later in its item: the parent's local id, by the item it is on. The
 * comment map is per item, so these are settled when the item ends (on the next item or at the
 * end of the file). */
static int settle_comment_parents(struct importer *im)
{
    for (size_t i = 0; i < im->comment_parents.n; i++) {
        struct fixup *f = &im->comment_parents.v[i];
        int64_t parent;
        if (map_get(&im->comments, NULL, f->wp_parent, &parent) == 0) {
            int rc = db_comment_set_parent(im->db, f->local_id, parent);
            if (rc < 0)
                return rc;
        }
        free(f->slug);
    }
    im->comment_parents.n = 0;
    return 0;
}

static int on_item_settling(void *ctx, const struct wxr_item *it)
{
    struct importer *im = ctx;
    int rc = settle_comment_parents(im);
    return rc < 0 ? rc : on_item(ctx, it);
}

/* ---- the end: parents, galleries ------------------------------------------------------------ */

static int finish(struct importer *im)
{
    int rc = settle_comment_parents(im);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < im->cat_parents.n; i++) {
        struct fixup *f = &im->cat_parents.v[i];
        int64_t parent;
        int created;
        if ((rc = ensure_term(im, TERM_CATEGORY, f->slug, f->slug, &parent, &created)) < 0)
            return rc;
        if (created)
            im->st->categories++;
        if (parent != f->local_id && (rc = db_term_set_parent(im->db, f->local_id, parent)) < 0)
            return rc;
    }
    for (size_t i = 0; i < im->page_parents.n; i++) {
        struct fixup *f = &im->page_parents.v[i];
        int64_t parent;
        if (db_wp_map_get(im->db, im->site, WP_POST, f->wp_parent, &parent) == 0 &&
            (rc = db_post_set_parent(im->db, f->local_id, parent)) < 0)
            return rc;
    }
    for (size_t i = 0; i < im->galleries.n; i++) {
        struct post p = {0};
        if ((rc = db_post_get(im->db, im->galleries.v[i].local_id, &p)) < 0)
            return rc;
        buf_reset(&im->html);
        struct wpautop_media media = {im, attachment_url};
        struct post_render_opts how = {.format = POST_FORMAT_HTML, .media = &media};
        rc = post_render(&how, p.source ? p.source : "", p.source ? strlen(p.source) : 0, &im->html, NULL);
        if (rc == 0)
            rc = db_post_set_html(im->db, p.id, im->html.data ? im->html.data : "");
        post_clear(&p);
        if (rc < 0)
            return rc;
    }
    if (im->media != NULL) {
        struct wpautop_media media = {im, attachment_url};
        return import_media_finish(im->media, im->db, im->site, &media, im->st);
    }
    return 0;
}

int import_wxr(struct db *db, const char *path, const struct import_options *opt, struct import_stats *st,
               struct wxr_error *err)
{
    struct importer im = {.db = db, .opt = opt, .st = st, .err = err};
    *st = (struct import_stats){0};
    if (err)
        *err = (struct wxr_error){0};
    im.now = opt && opt->now ? opt->now : time_now();
    im.html.max = IMPORT_HTML_MAX;
    clock_gettime(CLOCK_MONOTONIC, &im.started);
    im.last_progress = im.started;

    /* One transaction, loaded the backend's fastest way: the per-row upkeep (kept counts, search
     * index, change log) is set aside and done once at the end. */
    struct db_bulk *bulk = NULL;
    int rc = db_bulk_begin(db, &bulk);
    if (rc < 0) {
        fail(&im, rc, "cannot start the transaction: %s", db_errmsg(db));
        return rc;
    }
    im.bulk = bulk;
    if (opt && opt->uploads_from != NULL && (rc = import_media_new(opt->uploads_from, opt->uploads_to, &im.media)) < 0)
        fail(&im, rc, "cannot read the uploads folder %s", opt->uploads_from);
    struct wxr_handler h = {&im, on_channel, on_author, on_term, on_item_settling, on_comment, prepare_item};
    if (rc == 0)
        rc = wxr_parse_file_threaded(path, &h, err);
    if (rc == 0)
        rc = finish(&im);
    int brc = db_bulk_end(db, bulk, rc == 0);
    if (rc == 0)
        rc = brc;
    import_media_free(im.media, rc < 0); /* a failed import keeps none of the files it made */
    if (rc < 0 && err && err->message[0] == '\0')
        snprintf(err->message, sizeof(err->message), "%s", strerror(-rc));
    progress(&im, 1);
    st->seconds = since(&im.started);
    attachment_url(&im, -1); /* frees its last answer */
    map_free(&im.users);
    map_free(&im.terms);
    map_free(&im.comments);
    fixups_free(&im.cat_parents);
    fixups_free(&im.page_parents);
    fixups_free(&im.galleries);
    fixups_free(&im.comment_parents);
    buf_free(&im.html);
    return rc;
}

void import_print_summary(FILE *f, const struct import_stats *s)
{
    fprintf(f, "authors: %ld in the file, %ld users created (no password: set one with gazette user passwd LOGIN)\n",
            s->authors, s->users_created);
    fprintf(f, "categories: %ld created; tags: %ld created; %ld already there; %ld terms of other taxonomies skipped\n",
            s->categories, s->tags, s->terms_existing, s->terms_skipped);
    if (s->term_refs_undeclared)
        fprintf(f, "category/tag references to terms the export does not declare: %ld, not linked\n",
                s->term_refs_undeclared);
    fprintf(f,
            "posts: %ld, pages: %ld (published %ld, scheduled %ld, draft %ld, pending %ld, private %ld, trash %ld; "
            "sticky %ld, password-protected %ld)\n",
            s->posts, s->pages, s->published, s->scheduled, s->draft, s->pending, s->private_, s->trash, s->sticky,
            s->password);
    fprintf(f,
            "comments: %ld (approved %ld, pending %ld, spam %ld, trash %ld; pingbacks %ld, trackbacks %ld; "
            "replies %ld)\n",
            s->comments, s->approved, s->held, s->spam, s->trashed, s->pingbacks, s->trackbacks, s->threaded);
    if (s->media_added + s->media_existing + s->media_missing == 0)
        fprintf(f, "attachments: %ld recorded (files stay at their old URLs; galleries link to them)\n",
                s->attachments);
    else {
        fprintf(f,
                "attachments: %ld recorded; media: %ld added, %ld already in the library, %ld missing or not "
                "images; %ld featured images; %ld old upload URLs rewritten\n",
                s->attachments, s->media_added, s->media_existing, s->media_missing, s->media_featured, s->media_urls);
        for (long i = 0; i < s->media_missing && i < IMPORT_MISSING_SHOWN; i++)
            fprintf(f, "  missing: %s\n", s->missing[i]);
        if (s->media_missing > IMPORT_MISSING_SHOWN)
            fprintf(f, "  ... and %ld more\n", s->media_missing - IMPORT_MISSING_SHOWN);
    }
    fprintf(f,
            "skipped: %ld menu items, %ld items of other types, %ld items already imported, %ld comments on "
            "those\n",
            s->menu_items, s->other_items, s->items_existing, s->comments_skipped);
    fprintf(f, "old links: %ld old paths recorded for redirects\n", s->old_paths);
    fprintf(f, "done in %.2f s\n", s->seconds);
}
