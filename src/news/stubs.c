/* Placeholder bodies for functions declared in the storage and domain headers and not yet
 * implemented; each answers -ENOSYS. Removed function by function as the real ones land. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "db/db.h"
#include "news/post.h"
#include "news/taxonomy.h"
#include "news/comment.h"
#include "news/user.h"
#include "news/settings.h"
#include "news/demo.h"
#include "render/markdown.h"
#include "lib/slug.h"
#include "lib/timeutil.h"

const char * post_type_name(enum post_type v)
{
    (void)v;
    return NULL;
}

const char * post_status_name(enum post_status v)
{
    (void)v;
    return NULL;
}

const char * post_format_name(enum post_format v)
{
    (void)v;
    return NULL;
}

const char * term_taxonomy_name(enum term_taxonomy v)
{
    (void)v;
    return NULL;
}

const char * comment_status_name(enum comment_status v)
{
    (void)v;
    return NULL;
}

const char * comment_type_name(enum comment_type v)
{
    (void)v;
    return NULL;
}

const char * user_role_name(enum user_role v)
{
    (void)v;
    return NULL;
}

int post_type_parse(const char *s, enum post_type *out)
{
    (void)s;
    (void)out;
    return -ENOSYS;
}

int post_status_parse(const char *s, enum post_status *out)
{
    (void)s;
    (void)out;
    return -ENOSYS;
}

int post_format_parse(const char *s, enum post_format *out)
{
    (void)s;
    (void)out;
    return -ENOSYS;
}

int term_taxonomy_parse(const char *s, enum term_taxonomy *out)
{
    (void)s;
    (void)out;
    return -ENOSYS;
}

int comment_status_parse(const char *s, enum comment_status *out)
{
    (void)s;
    (void)out;
    return -ENOSYS;
}

int comment_type_parse(const char *s, enum comment_type *out)
{
    (void)s;
    (void)out;
    return -ENOSYS;
}

int user_role_parse(const char *s, enum user_role *out)
{
    (void)s;
    (void)out;
    return -ENOSYS;
}

void post_clear(struct post *p)
{
    (void)p;
}

void post_list_free(struct post_list *l)
{
    (void)l;
}

void term_clear(struct term *t)
{
    (void)t;
}

void term_list_free(struct term_list *l)
{
    (void)l;
}

void comment_clear(struct comment *c)
{
    (void)c;
}

void comment_list_free(struct comment_list *l)
{
    (void)l;
}

void user_clear(struct user *u)
{
    (void)u;
}

int db_open(const char *dir, struct db **out)
{
    (void)dir;
    (void)out;
    return -ENOSYS;
}

void db_close(struct db *db)
{
    (void)db;
}

const char * db_errmsg(struct db *db)
{
    (void)db;
    return NULL;
}

int db_schema_version(struct db *db, int *out)
{
    (void)db;
    (void)out;
    return -ENOSYS;
}

int db_journal_mode(struct db *db, char *out, size_t cap)
{
    (void)db;
    (void)out;
    (void)cap;
    return -ENOSYS;
}

int db_generation(struct db *db, uint64_t *out)
{
    (void)db;
    (void)out;
    return -ENOSYS;
}

int db_changed(struct db *db, uint64_t *gen)
{
    (void)db;
    (void)gen;
    return -ENOSYS;
}

int db_begin(struct db *db)
{
    (void)db;
    return -ENOSYS;
}

int db_commit(struct db *db)
{
    (void)db;
    return -ENOSYS;
}

int db_rollback(struct db *db)
{
    (void)db;
    return -ENOSYS;
}

int db_is_empty(struct db *db, int *out)
{
    (void)db;
    (void)out;
    return -ENOSYS;
}

int db_post_insert(struct db *db, struct post *p)
{
    (void)db;
    (void)p;
    return -ENOSYS;
}

int db_post_update(struct db *db, const struct post *p, int64_t expect_version)
{
    (void)db;
    (void)p;
    (void)expect_version;
    return -ENOSYS;
}

int db_post_get(struct db *db, int64_t id, struct post *out)
{
    (void)db;
    (void)id;
    (void)out;
    return -ENOSYS;
}

int db_post_slug_taken(struct db *db, enum post_type type, const char *slug, int64_t except_id, int *out)
{
    (void)db;
    (void)type;
    (void)slug;
    (void)except_id;
    (void)out;
    return -ENOSYS;
}

int db_post_find_public(struct db *db, enum post_type type, const char *slug, int64_t from, int64_t to, int64_t now, struct post *out)
{
    (void)db;
    (void)type;
    (void)slug;
    (void)from;
    (void)to;
    (void)now;
    (void)out;
    return -ENOSYS;
}

int db_post_get_public(struct db *db, int64_t id, int64_t now, struct post *out)
{
    (void)db;
    (void)id;
    (void)now;
    (void)out;
    return -ENOSYS;
}

int db_post_list_public(struct db *db, int64_t now, int64_t term_id, int sticky_first, size_t offset, size_t limit, struct post_list *out)
{
    (void)db;
    (void)now;
    (void)term_id;
    (void)sticky_first;
    (void)offset;
    (void)limit;
    (void)out;
    return -ENOSYS;
}

int db_post_count_public(struct db *db, int64_t now, int64_t term_id, int64_t *out)
{
    (void)db;
    (void)now;
    (void)term_id;
    (void)out;
    return -ENOSYS;
}

int db_post_neighbours(struct db *db, const struct post *p, int64_t now, struct post *prev, struct post *next)
{
    (void)db;
    (void)p;
    (void)now;
    (void)prev;
    (void)next;
    return -ENOSYS;
}

int db_post_list_all(struct db *db, struct post_list *out)
{
    (void)db;
    (void)out;
    return -ENOSYS;
}

int db_term_insert(struct db *db, struct term *t)
{
    (void)db;
    (void)t;
    return -ENOSYS;
}

int db_term_get(struct db *db, int64_t id, struct term *out)
{
    (void)db;
    (void)id;
    (void)out;
    return -ENOSYS;
}

int db_term_get_by_slug(struct db *db, enum term_taxonomy tax, const char *slug, struct term *out)
{
    (void)db;
    (void)tax;
    (void)slug;
    (void)out;
    return -ENOSYS;
}

int db_term_get_by_name(struct db *db, enum term_taxonomy tax, const char *name, struct term *out)
{
    (void)db;
    (void)tax;
    (void)name;
    (void)out;
    return -ENOSYS;
}

int db_term_list(struct db *db, enum term_taxonomy tax, int64_t now, struct term_list *out)
{
    (void)db;
    (void)tax;
    (void)now;
    (void)out;
    return -ENOSYS;
}

int db_post_set_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, const int64_t *ids, size_t n)
{
    (void)db;
    (void)post_id;
    (void)tax;
    (void)ids;
    (void)n;
    return -ENOSYS;
}

int db_post_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, struct term_list *out)
{
    (void)db;
    (void)post_id;
    (void)tax;
    (void)out;
    return -ENOSYS;
}

int db_comment_insert(struct db *db, struct comment *c)
{
    (void)db;
    (void)c;
    return -ENOSYS;
}

int db_comment_get(struct db *db, int64_t id, struct comment *out)
{
    (void)db;
    (void)id;
    (void)out;
    return -ENOSYS;
}

int db_comment_list_approved(struct db *db, int64_t post_id, struct comment_list *out)
{
    (void)db;
    (void)post_id;
    (void)out;
    return -ENOSYS;
}

int db_comment_list_all(struct db *db, int64_t post_id, struct comment_list *out)
{
    (void)db;
    (void)post_id;
    (void)out;
    return -ENOSYS;
}

int db_comment_set_status(struct db *db, int64_t id, enum comment_status status)
{
    (void)db;
    (void)id;
    (void)status;
    return -ENOSYS;
}

int db_comment_count_approved(struct db *db, int64_t post_id, int64_t *out)
{
    (void)db;
    (void)post_id;
    (void)out;
    return -ENOSYS;
}

int db_comment_last_from_ip(struct db *db, const char *ip, int64_t *out)
{
    (void)db;
    (void)ip;
    (void)out;
    return -ENOSYS;
}

int db_comment_duplicate(struct db *db, int64_t post_id, const char *author, const char *email, const char *body, int *out)
{
    (void)db;
    (void)post_id;
    (void)author;
    (void)email;
    (void)body;
    (void)out;
    return -ENOSYS;
}

int db_comment_author_known(struct db *db, const char *author, const char *email, int *out)
{
    (void)db;
    (void)author;
    (void)email;
    (void)out;
    return -ENOSYS;
}

int db_user_insert(struct db *db, struct user *u, const char *pwhash)
{
    (void)db;
    (void)u;
    (void)pwhash;
    return -ENOSYS;
}

int db_user_get(struct db *db, int64_t id, struct user *out)
{
    (void)db;
    (void)id;
    (void)out;
    return -ENOSYS;
}

int db_user_get_by_login(struct db *db, const char *login, struct user *out)
{
    (void)db;
    (void)login;
    (void)out;
    return -ENOSYS;
}

int db_user_pwhash(struct db *db, const char *login, char **out)
{
    (void)db;
    (void)login;
    (void)out;
    return -ENOSYS;
}

int db_user_set_pwhash(struct db *db, int64_t id, const char *pwhash)
{
    (void)db;
    (void)id;
    (void)pwhash;
    return -ENOSYS;
}

int db_setting_get(struct db *db, const char *key, char **out)
{
    (void)db;
    (void)key;
    (void)out;
    return -ENOSYS;
}

int db_setting_set(struct db *db, const char *key, const char *value)
{
    (void)db;
    (void)key;
    (void)value;
    return -ENOSYS;
}

int post_create(struct db *db, const struct post_new *in, int64_t now, int64_t *id)
{
    (void)db;
    (void)in;
    (void)now;
    (void)id;
    return -ENOSYS;
}

int post_render(enum post_format format, const char *source, size_t n, int allow_html, char **html)
{
    (void)format;
    (void)source;
    (void)n;
    (void)allow_html;
    (void)html;
    return -ENOSYS;
}

int post_excerpt_from_html(const char *html, size_t n, size_t words, char **out)
{
    (void)html;
    (void)n;
    (void)words;
    (void)out;
    return -ENOSYS;
}

int post_unique_slug(struct db *db, enum post_type type, const char *base, int64_t except_id, char *out)
{
    (void)db;
    (void)type;
    (void)base;
    (void)except_id;
    (void)out;
    return -ENOSYS;
}

int post_path(const struct post *p, char *out, size_t cap)
{
    (void)p;
    (void)out;
    (void)cap;
    return -ENOSYS;
}

int post_home(struct db *db, int64_t now, size_t page, size_t per_page, struct post_list *out)
{
    (void)db;
    (void)now;
    (void)page;
    (void)per_page;
    (void)out;
    return -ENOSYS;
}

int post_home_count(struct db *db, int64_t now, int64_t *out)
{
    (void)db;
    (void)now;
    (void)out;
    return -ENOSYS;
}

int post_by_date_slug(struct db *db, int year, int month, int day, const char *slug, size_t n, int64_t now, struct post *out)
{
    (void)db;
    (void)year;
    (void)month;
    (void)day;
    (void)slug;
    (void)n;
    (void)now;
    (void)out;
    return -ENOSYS;
}

int page_by_slug(struct db *db, const char *slug, size_t n, int64_t now, struct post *out)
{
    (void)db;
    (void)slug;
    (void)n;
    (void)now;
    (void)out;
    return -ENOSYS;
}

int post_public_by_id(struct db *db, int64_t id, int64_t now, struct post *out)
{
    (void)db;
    (void)id;
    (void)now;
    (void)out;
    return -ENOSYS;
}

int post_neighbours(struct db *db, const struct post *p, int64_t now, struct post *prev, struct post *next)
{
    (void)db;
    (void)p;
    (void)now;
    (void)prev;
    (void)next;
    return -ENOSYS;
}

int post_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, struct term_list *out)
{
    (void)db;
    (void)post_id;
    (void)tax;
    (void)out;
    return -ENOSYS;
}

int post_author(struct db *db, const struct post *p, struct user *out)
{
    (void)db;
    (void)p;
    (void)out;
    return -ENOSYS;
}

int term_by_slug(struct db *db, enum term_taxonomy tax, const char *slug, size_t n, struct term *out)
{
    (void)db;
    (void)tax;
    (void)slug;
    (void)n;
    (void)out;
    return -ENOSYS;
}

int term_posts(struct db *db, int64_t term_id, int64_t now, size_t page, size_t per_page, struct post_list *out)
{
    (void)db;
    (void)term_id;
    (void)now;
    (void)page;
    (void)per_page;
    (void)out;
    return -ENOSYS;
}

int term_post_count(struct db *db, int64_t term_id, int64_t now, int64_t *out)
{
    (void)db;
    (void)term_id;
    (void)now;
    (void)out;
    return -ENOSYS;
}

int term_list(struct db *db, enum term_taxonomy tax, int64_t now, struct term_list *out)
{
    (void)db;
    (void)tax;
    (void)now;
    (void)out;
    return -ENOSYS;
}

int term_ensure(struct db *db, enum term_taxonomy tax, const char *name, int64_t *id)
{
    (void)db;
    (void)tax;
    (void)name;
    (void)id;
    return -ENOSYS;
}

size_t comment_validate(const struct comment_submission *in, struct comment_result *out)
{
    (void)in;
    (void)out;
    return 0;
}

int comment_submit(struct db *db, const struct comment_submission *in, struct comment_result *out)
{
    (void)db;
    (void)in;
    (void)out;
    return -ENOSYS;
}

size_t comment_count_links(const char *s, size_t n)
{
    (void)s;
    (void)n;
    return 0;
}

int comment_thread(struct db *db, int64_t post_id, int max_depth, struct comment_list *out)
{
    (void)db;
    (void)post_id;
    (void)max_depth;
    (void)out;
    return -ENOSYS;
}

int comment_public_get(struct db *db, int64_t post_id, int64_t id, struct comment *out)
{
    (void)db;
    (void)post_id;
    (void)id;
    (void)out;
    return -ENOSYS;
}

int comment_set_status(struct db *db, int64_t id, enum comment_status status)
{
    (void)db;
    (void)id;
    (void)status;
    return -ENOSYS;
}

int user_create(struct db *db, const char *login, const char *display_name, const char *email, enum user_role role, const char *password, int64_t now, int64_t *id)
{
    (void)db;
    (void)login;
    (void)display_name;
    (void)email;
    (void)role;
    (void)password;
    (void)now;
    (void)id;
    return -ENOSYS;
}

int user_verify(struct db *db, const char *login, const char *password, size_t n, struct user *out)
{
    (void)db;
    (void)login;
    (void)password;
    (void)n;
    (void)out;
    return -ENOSYS;
}

int user_set_password(struct db *db, int64_t id, const char *password)
{
    (void)db;
    (void)id;
    (void)password;
    return -ENOSYS;
}

int user_password_generate(char *out, size_t cap)
{
    (void)out;
    (void)cap;
    return -ENOSYS;
}

int user_login_valid(const char *login)
{
    (void)login;
    return -ENOSYS;
}

const struct setting_def * settings_known(size_t *n)
{
    (void)n;
    return NULL;
}

int setting_get(struct db *db, const char *key, char **out)
{
    (void)db;
    (void)key;
    (void)out;
    return -ENOSYS;
}

int setting_get_int(struct db *db, const char *key, int64_t *out)
{
    (void)db;
    (void)key;
    (void)out;
    return -ENOSYS;
}

int setting_set(struct db *db, const char *key, const char *value)
{
    (void)db;
    (void)key;
    (void)value;
    return -ENOSYS;
}

int demo_fill(struct db *db, int64_t now, char *password_out, size_t cap)
{
    (void)db;
    (void)now;
    (void)password_out;
    (void)cap;
    return -ENOSYS;
}

int markdown_render(const char *src, size_t n, unsigned flags, struct buf *out)
{
    (void)src;
    (void)n;
    (void)flags;
    (void)out;
    return -ENOSYS;
}

size_t slug_make(const char *s, size_t n, char *out, size_t cap)
{
    (void)s;
    (void)n;
    (void)out;
    (void)cap;
    return 0;
}

int slug_valid(const char *s, size_t n)
{
    (void)s;
    (void)n;
    return -ENOSYS;
}

int64_t time_now(void)
{
    return 0;
}

int time_parse_iso(const char *s, size_t n, int64_t *out)
{
    (void)s;
    (void)n;
    (void)out;
    return -ENOSYS;
}

void time_format_iso(int64_t t, char out[TIME_ISO_LEN])
{
    (void)t;
    (void)out;
}

void time_format_human(int64_t t, char out[TIME_HUMAN_MAX])
{
    (void)t;
    (void)out;
}

void time_utc_date(int64_t t, int *year, int *month, int *day)
{
    (void)t;
    (void)year;
    (void)month;
    (void)day;
}

int64_t time_from_date(int year, int month, int day)
{
    (void)year;
    (void)month;
    (void)day;
    return -ENOSYS;
}
