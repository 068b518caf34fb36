/* The storage interface. Everything Gazette keeps goes through these functions (and those of
 * changes.h, newsroom.h and wpmap.h); callers never see SQL or a backend's types. db_open picks
 * the backend from a URL; SQLite (a data directory) is the one there is. docs/storage.md
 * describes the interface, the drivers and how to add a table.
 *
 * Threads: a struct db is one connection; open one per thread (db_open is cheap after the
 * first, which creates and migrates the database). Times are seconds since the epoch (UTC).
 * Out-parameters are written only on success. Strings in the structs below are heap copies
 * owned by the struct; free them with the matching *_clear / *_list_free.
 *
 * Errors: 0 on success, or one of these negative errno values, and no other:
 *   -ENOENT        not found (a read of one record, an update or delete of a missing one)
 *   -EEXIST        a unique key is taken (slug, login, an old path ...)
 *   -EINVAL        the schema's rules refuse the values (a CHECK, NOT NULL or foreign key), or
 *                  the call is out of place (a commit without a transaction)
 *   -ESTALE        the record changed since it was read (db_post_update's expected version)
 *   -EBUSY         another writer holds the database past the busy timeout (5 s), or two
 *                  writers deadlocked and this one gave way
 *   -ETIMEDOUT     the work budget ran out (db_budget)
 *   -ENOTCONN      the database server cannot be reached (a backend with a server; the
 *                  connection is tried again at the next call, at most once a second)
 *   -EACCES        the database may not be written (a read-only file or role)
 *   -EPROTO        the database was made by a newer version of Gazette (db_open)
 *   -ENOMEM        the backend ran out of memory
 *   -ENAMETOOLONG, -ENOTDIR, ... (any errno of mkdir(2) and open(2)) db_open: the data
 *                  directory cannot be made or opened
 *   -EIO           any other failure of the backend; db_errmsg() says what
 * Each function's comment names the codes that mean something particular for it. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct db;

/* ---- names ---------------------------------------------------------------------------- */

enum post_type { POST_TYPE_POST, POST_TYPE_PAGE };
enum post_status { POST_DRAFT, POST_PENDING, POST_SCHEDULED, POST_PUBLISHED, POST_PRIVATE, POST_TRASH };
enum post_format { POST_FORMAT_MARKDOWN, POST_FORMAT_HTML };
enum term_taxonomy { TERM_CATEGORY, TERM_TAG };
enum comment_status { COMMENT_PENDING, COMMENT_APPROVED, COMMENT_SPAM, COMMENT_TRASH };
enum comment_type { COMMENT_TYPE_COMMENT, COMMENT_TYPE_PINGBACK, COMMENT_TYPE_TRACKBACK };
enum user_role { ROLE_ADMINISTRATOR, ROLE_EDITOR, ROLE_AUTHOR, ROLE_CONTRIBUTOR };

/* The stored (and command-line) name of each value: "post", "published", "markdown",
 * "category", "approved", "comment", "author" ... Never NULL for a valid value. */
const char *post_type_name(enum post_type v);
const char *post_status_name(enum post_status v);
const char *post_format_name(enum post_format v);
const char *term_taxonomy_name(enum term_taxonomy v);
const char *comment_status_name(enum comment_status v);
const char *comment_type_name(enum comment_type v);
const char *user_role_name(enum user_role v);

/* The reverse: 0 and *out, or -EINVAL for an unknown name. s is NUL-terminated. */
int post_type_parse(const char *s, enum post_type *out);
int post_status_parse(const char *s, enum post_status *out);
int post_format_parse(const char *s, enum post_format *out);
int term_taxonomy_parse(const char *s, enum term_taxonomy *out);
int comment_status_parse(const char *s, enum comment_status *out);
int comment_type_parse(const char *s, enum comment_type *out);
int user_role_parse(const char *s, enum user_role *out);

/* ---- records -------------------------------------------------------------------------- */

struct post {
    int64_t id;
    enum post_type type;
    enum post_status status;
    char *title;
    char *slug;
    int64_t author_id;
    char *author_login; /* filled by every read (joined from users); NULL on insert */
    char *author_name;  /* the author's display name */
    enum post_format format;
    char *source;  /* the Markdown or HTML as written; NULL in list reads */
    char *html;    /* rendered at save time; safe to emit as is */
    char *excerpt; /* plain text, never NULL after a read */
    int sticky;
    int comments_open;
    char *password;    /* NULL when the post is not password protected */
    int64_t parent_id; /* pages: the parent page, 0 for none */
    int64_t published_at;
    int64_t created_at;
    int64_t modified_at;
    int64_t version;       /* starts at 1, bumped by every update (for conflict checks) */
    int64_t wp_id;         /* the WordPress ID it was imported from, 0 for none */
    int64_t comment_count; /* approved comments, filled by reads */
    char *category_slug;   /* the first category's slug (by name), filled by reads; NULL for none */
    int as_written;        /* HTML only: shown exactly as written, without wpautop's paragraphs */
    int64_t featured_id;   /* the featured image (db/media.h), filled by reads; 0 for none */
};

struct post_list {
    struct post *items;
    size_t n;
};

struct term {
    int64_t id;
    enum term_taxonomy taxonomy;
    char *name;
    char *slug;
    int64_t parent_id;
    int64_t count; /* published posts, filled by reads that say so, else 0 */
};

struct term_list {
    struct term *items;
    size_t n;
};

struct comment {
    int64_t id;
    int64_t post_id;
    int64_t parent_id; /* 0 for a top-level comment */
    enum comment_status status;
    enum comment_type type;
    char *author;
    char *email; /* NULL in every public read: the email is never published */
    char *url;   /* NULL or "" when none was given */
    char *ip;
    char *user_agent;
    int64_t created_at;
    char *body;      /* plain text as typed; escape it on output */
    int64_t user_id; /* 0 for a visitor */
    int depth;       /* display depth from 1, filled by comment_thread() only */
};

struct comment_list {
    struct comment *items;
    size_t n;
};

/* Never holds the password hash: that stays inside db/ and news/user.c. */
struct user {
    int64_t id;
    char *login;
    char *display_name;
    char *email;
    enum user_role role;
    int64_t created_at;
    char *bio;    /* shown on the author's archive; "" when none */
    int disabled; /* the account cannot log in */
};

void post_clear(struct post *p);
void post_list_free(struct post_list *l);
void term_clear(struct term *t);
void term_list_free(struct term_list *l);
void comment_clear(struct comment *c);
void comment_list_free(struct comment_list *l);
void user_clear(struct user *u);

/* ---- connection ----------------------------------------------------------------------- */

/* Opens a connection to the database that url names, creating and migrating it when needed
 * (pending migrations run in one transaction, whichever process gets there first):
 *   sqlite:DIR   (or a bare DIR) the data directory DIR, created when missing (not its parents):
 *                gazette.db in WAL mode, and the uploads/ folder.
 * Another kind of URL is refused (-EINVAL). Returns 0 and *out, or a negative errno (and a
 * message on stderr). */
int db_open(const char *url, struct db **out);

/* Closes the connection and frees its cached statements. NULL is fine. */
void db_close(struct db *db);

/* The storage engines and their run-time versions, e.g. "SQLite 3.40.1", into out (cap bytes). */
void db_engine_version(char *out, size_t cap);

/* The last backend error message of this connection, for logs. Never NULL. */
const char *db_errmsg(struct db *db);

/* Bytes of memory the backend holds for all connections of the process (page caches,
 * prepared statements), for the statistics line. */
int64_t db_memory_used(void);

/* The schema version (number of the last applied migration). */
int db_schema_version(struct db *db, int *out);

/* A database-wide content generation: a number that moves whenever a write logs a change
 * (changes.h) and is the same when read from any connection. SQLite: every committed write moves
 * it, at once for every connection. Cheap: rarely more than a system call. */
int db_generation(struct db *db, uint64_t *out);

/* 1 when the generation differs from *gen (and then updates *gen), 0 when unchanged,
 * negative on error. Start with *gen = 0 to get 1 on the first call. */
int db_changed(struct db *db, uint64_t *gen);

/* Write transactions: begin (takes the database's write lock now, waiting up to the busy
 * timeout: -EBUSY past it), commit, roll back. They nest: only the outermost commit commits, and
 * a rollback at any depth makes it roll back (-EIO). Single write calls outside a transaction
 * commit on their own. */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);

/* A budget for this connection's database work (a request's): from now until db_budget(db, 0),
 * a statement still running ms milliseconds after this call stops and fails with -ETIMEDOUT.
 * SQLite looks at the clock every few thousand steps of its engine. */
void db_budget(struct db *db, int64_t ms);
/* 1 when a statement was stopped by the budget set last. */
int db_budget_spent(const struct db *db);

/* 1 when the database holds no posts and no users. */
int db_is_empty(struct db *db, int *out);

/* ---- posts ---------------------------------------------------------------------------- */

/* Inserts p (id ignored; created_at/modified_at/version are taken from p, version 0 means 1).
 * The caller has made the slug unique; -EEXIST if it is not. Writes p->id. */
int db_post_insert(struct db *db, struct post *p);

/* Rewrites every column of the post p->id from p, bumps the version; when expect_version is
 * not 0 and the stored version differs, -ESTALE and nothing changes. */
int db_post_update(struct db *db, const struct post *p, int64_t expect_version);

/* Any post by id, any status (the newsroom's read). -ENOENT when missing. */
int db_post_get(struct db *db, int64_t id, struct post *out);

/* 1 in *out when a post of that type has that slug (other than post except_id), else 0. */
int db_post_slug_taken(struct db *db, enum post_type type, const char *slug, int64_t except_id, int *out);

/* The published post (or page) of that type and slug whose published_at lies in [from, to)
 * and is <= now. Pass from = INT64_MIN, to = INT64_MAX for "any time". -ENOENT otherwise. */
int db_post_find_public(struct db *db, enum post_type type, const char *slug, int64_t from, int64_t to, int64_t now,
                        struct post *out);

/* The post id if it is published and due by now (any type). -ENOENT otherwise. */
int db_post_get_public(struct db *db, int64_t id, int64_t now, struct post *out);

/* Published posts of type post, due by now, newest first (published_at DESC, id DESC), limited
 * to a term when term_id is not 0. With sticky_first, sticky posts come before the others. */
int db_post_list_public(struct db *db, int64_t now, int64_t term_id, int sticky_first, size_t offset, size_t limit,
                        struct post_list *out);

/* How many posts db_post_list_public would list in all. */
int db_post_count_public(struct db *db, int64_t now, int64_t term_id, int64_t *out);

/* Published posts of type post by one author, due by now, newest first (the author archive). */
int db_post_list_by_author(struct db *db, int64_t now, int64_t author_id, size_t offset, size_t limit,
                           struct post_list *out);
/* How many posts db_post_list_by_author would list in all. */
int db_post_count_by_author(struct db *db, int64_t now, int64_t author_id, int64_t *out);

/* The ids of the users with published posts (the API's authors), by id; *ids is heap. Posts
 * dated in the future count (the caller checks when it matters). */
int db_author_ids(struct db *db, int64_t **ids, size_t *n);

/* Published pages due by now, newest first (the API's list of pages), and how many there are. */
int db_page_list_public(struct db *db, int64_t now, size_t offset, size_t limit, struct post_list *out);
int db_page_count_public(struct db *db, int64_t now, int64_t *out);

/* The published posts (type post, due by now) just before and after p in (published_at, id)
 * order. Absent neighbours come back with id 0 and NULL strings. */
int db_post_neighbours(struct db *db, const struct post *p, int64_t now, struct post *prev, struct post *next);

/* The earliest published_at after now among published and scheduled posts and pages: the
 * moment public pages change by themselves (a post dated in the future comes due, a scheduled
 * one is to be published). -ENOENT when none. */
int db_post_next_due(struct db *db, int64_t now, int64_t *out);

/* Publishes the scheduled posts whose published_at <= now (status scheduled -> published);
 * *count gets how many. */
int db_post_publish_due(struct db *db, int64_t now, int *count);

/* Every post of every type and status, by id (the command line's list). */
int db_post_list_all(struct db *db, struct post_list *out);

/* ---- date archives and search --------------------------------------------------------- */

/* A month that has published posts (the "Archives" list). */
struct post_month {
    int year, month;
    int64_t count;
};

/* Published posts of type post, due by now, with published_at in [from, to), newest first
 * (published_at DESC, id DESC): the date archives. */
int db_post_list_between(struct db *db, int64_t now, int64_t from, int64_t to, size_t offset, size_t limit,
                         struct post_list *out);
/* How many posts db_post_list_between would list in all. */
int db_post_count_between(struct db *db, int64_t now, int64_t from, int64_t to, int64_t *out);

/* The newest months (UTC) that have published posts due by now, newest first, at most max of
 * them, into out[0..*n). */
int db_post_months(struct db *db, int64_t now, size_t max, struct post_month *out, size_t *n);

/* A search: every term must be found. A term is a word or a phrase (words in that order,
 * separated by spaces); with prefix set its last word also matches longer words that start with
 * it. Terms are plain text: nothing in them is syntax. */
#define DB_SEARCH_TERMS_MAX 8
#define DB_SEARCH_MAX 1000 /* matches a search considers; past it the total says "more" */
struct search_term {
    const char *text; /* len bytes, not NUL-terminated */
    size_t len;
    int prefix;
    int phrase; /* typed in quotes (the storage reads it as any term) */
};
struct search_query {
    struct search_term terms[DB_SEARCH_TERMS_MAX];
    size_t n;
};

/* Published posts and pages, due by now, that match q: of the newest DB_SEARCH_MAX that match
 * (by id, the order they were written in), best match first (the title weighs most, then the
 * excerpt, then the text; a newer one counts a little more), [offset, offset + limit) of them.
 * *total gets how many match, DB_SEARCH_MAX + 1 meaning more than DB_SEARCH_MAX. The work does
 * not grow with the archive for words that many posts hold (a prefix that many words share
 * still reads every post that holds one of them). */
int db_post_search(struct db *db, const struct search_query *q, int64_t now, size_t offset, size_t limit,
                   struct post_list *out, int64_t *total);

/* ---- terms ---------------------------------------------------------------------------- */

/* Inserts t (id ignored), writes t->id. -EEXIST when the slug is taken in its taxonomy. */
int db_term_insert(struct db *db, struct term *t);
int db_term_get(struct db *db, int64_t id, struct term *out);
int db_term_get_by_slug(struct db *db, enum term_taxonomy tax, const char *slug, struct term *out);
/* By name, ignoring ASCII case. */
int db_term_get_by_name(struct db *db, enum term_taxonomy tax, const char *name, struct term *out);
/* Every term of a taxonomy by name, with count = published posts due by now. */
int db_term_list(struct db *db, enum term_taxonomy tax, int64_t now, struct term_list *out);
/* Replaces the post's terms of one taxonomy by ids[0..n). */
int db_post_set_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, const int64_t *ids, size_t n);
/* The post's terms of one taxonomy, by name. */
int db_post_terms(struct db *db, int64_t post_id, enum term_taxonomy tax, struct term_list *out);
/* The same for n posts at once (a list's), in one read: out[i] gets the terms of ids[i]; on an
 * error nothing is written. */
int db_post_terms_of(struct db *db, const int64_t *ids, size_t n, enum term_taxonomy tax, struct term_list *out);

/* ---- comments ------------------------------------------------------------------------- */

/* Inserts c (id ignored), writes c->id. */
int db_comment_insert(struct db *db, struct comment *c);
/* Any comment by id, with its email (moderation). */
int db_comment_get(struct db *db, int64_t id, struct comment *out);
/* One approved comment of a post as a thread sees it. */
struct comment_node {
    int64_t id;
    int64_t parent_id; /* 0 for none */
};
/* The ids and parents of a post's approved comments, oldest first (created_at, id), read from an
 * index without the comments themselves; *out is heap (free it), *n its length. */
int db_comment_nodes(struct db *db, int64_t post_id, struct comment_node **out, size_t *n);
/* The approved comments of post_id among ids[0..n), in that order (ids that are not one are left
 * out), email, IP and user agent NOT loaded (NULL). */
int db_comment_list_ids(struct db *db, int64_t post_id, const int64_t *ids, size_t n, struct comment_list *out);
/* The newest approved comments (created_at DESC, id DESC), at most limit, of one post or of every
 * post when post_id is 0; only on posts published and due by now and without a password. Email,
 * IP and user agent NOT loaded (NULL). */
int db_comment_list_recent(struct db *db, int64_t post_id, int64_t now, size_t limit, struct comment_list *out);
/* The same list of one post (post_id not 0) from its offset-th comment on (the API's pages): the
 * post's entries of the index are skipped over. */
int db_comment_list_public(struct db *db, int64_t post_id, int64_t now, size_t offset, size_t limit,
                           struct comment_list *out);
/* The ids of the newest approved comments of every public post (as db_comment_list_recent),
 * at most max: *ids is heap (free it), *n its length. */
int db_comment_recent_ids(struct db *db, int64_t now, size_t max, int64_t **ids, size_t *n);
/* One comment by id without its email, IP and user agent (NULL), whatever its status. */
int db_comment_get_public(struct db *db, int64_t id, struct comment *out);
/* Every comment of every status, of one post or of all when post_id is 0, by id; with email. */
int db_comment_list_all(struct db *db, int64_t post_id, struct comment_list *out);
int db_comment_set_status(struct db *db, int64_t id, enum comment_status status);
/* Approved comments of a post. */
int db_comment_count_approved(struct db *db, int64_t post_id, int64_t *out);
/* The newest created_at of a comment from that IP, -ENOENT when none. */
int db_comment_last_from_ip(struct db *db, const char *ip, int64_t *out);
/* 1 when a comment (any status but trash) on post_id has the same author, email and body. */
int db_comment_duplicate(struct db *db, int64_t post_id, const char *author, const char *email, const char *body,
                         int *out);
/* 1 when the commenter (author name + email, email ignoring ASCII case) has an approved comment. */
int db_comment_author_known(struct db *db, const char *author, const char *email, int *out);

/* ---- users ---------------------------------------------------------------------------- */

/* Inserts u (id ignored) with a password hash (NULL: cannot log in), writes u->id.
 * -EEXIST when the login is taken. */
int db_user_insert(struct db *db, struct user *u, const char *pwhash);
int db_user_get(struct db *db, int64_t id, struct user *out);
int db_user_get_by_login(struct db *db, const char *login, struct user *out);
/* The stored hash of a login, for news/user.c's verify only; *out is heap, NULL when the user
 * has no usable password. -ENOENT when no such login. */
int db_user_pwhash(struct db *db, const char *login, char **out);
int db_user_set_pwhash(struct db *db, int64_t id, const char *pwhash);

/* ---- settings ------------------------------------------------------------------------- */

/* The stored value of key (heap, caller frees), -ENOENT when never set. Defaults live in
 * news/settings.c; callers normally use setting_get(). */
int db_setting_get(struct db *db, const char *key, char **out);
int db_setting_set(struct db *db, const char *key, const char *value);
/* Forgets the stored value of key (it reads as its default again); no error when there is none. */
int db_setting_delete(struct db *db, const char *key);
