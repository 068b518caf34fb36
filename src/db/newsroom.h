/* The storage interface of the newsroom (/admin/): login sessions, failed-login records,
 * revisions, and the filtered lists and counts that editors work from. Same conventions as
 * db/db.h: 0 or a negative errno, out-parameters written only on success, heap strings owned by
 * the structs and freed by the matching *_clear / *_free. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define DB_SESSION_HASH 32 /* bytes of a stored session token hash */

/* ---- sessions -------------------------------------------------------------------------- */

/* Stores a session by the hash of its token. */
int db_session_insert(struct db *db, const unsigned char hash[DB_SESSION_HASH], int64_t user_id, int64_t created_at,
                      int64_t expires_at);
/* The user of the session with that hash if it has not expired by now; -ENOENT otherwise. */
int db_session_user(struct db *db, const unsigned char hash[DB_SESSION_HASH], int64_t now, struct user *out);
/* Ends one session (no error when it does not exist). */
int db_session_delete(struct db *db, const unsigned char hash[DB_SESSION_HASH]);
/* Ends every session of a user (after a password change). */
int db_session_delete_user(struct db *db, int64_t user_id);
/* Forgets sessions expired by now and failed logins older than before. */
int db_session_purge(struct db *db, int64_t now, int64_t before);

/* ---- failed logins --------------------------------------------------------------------- */

int db_login_failure_add(struct db *db, const char *key, int64_t at);
/* How many failures key has at or after since. */
int db_login_failure_count(struct db *db, const char *key, int64_t since, int64_t *out);
int db_login_failure_clear(struct db *db, const char *key);

/* ---- revisions ------------------------------------------------------------------------- */

/* original: the post as it was before its first edit in the newsroom; save: a save, trash,
 * restore or revert; autosave: the editor's periodic copy of what is being typed (one per user
 * and post, replaced by the next). */
enum revision_kind { REVISION_SAVE, REVISION_ORIGINAL, REVISION_AUTOSAVE };

struct revision {
    int64_t id;
    int64_t post_id;
    int64_t user_id;
    char *user_name; /* the display name of user_id, "" when unknown; filled by reads */
    int64_t created_at;
    char *title;
    char *body; /* NULL in list reads */
    enum post_format format;
    int as_written; /* HTML: without wpautop paragraphs */
    enum revision_kind kind;
};

struct revision_list {
    struct revision *items;
    size_t n;
};

void revision_clear(struct revision *r);
void revision_list_free(struct revision_list *l);

/* Inserts r (id ignored), writes r->id. */
int db_revision_insert(struct db *db, struct revision *r);
/* A revision by id; -ENOENT when missing. */
int db_revision_get(struct db *db, int64_t id, struct revision *out);
/* The revisions of a post, newest first, at most limit, bodies not loaded. */
int db_revision_list(struct db *db, int64_t post_id, size_t limit, struct revision_list *out);
/* How many revisions a post has, of any kind. */
int db_revision_count(struct db *db, int64_t post_id, int64_t *out);
/* Forgets the autosaves of one user on one post. */
int db_revision_delete_autosaves(struct db *db, int64_t post_id, int64_t user_id);

/* ---- the newsroom's post lists --------------------------------------------------------- */

struct post_filter {
    enum post_type type;
    int status;         /* an enum post_status, or -1: every status but trash */
    int64_t author_id;  /* 0: any author */
    int64_t term_id;    /* 0: any category */
    const char *search; /* NULL or "": any title; else titles containing it (ASCII case ignored) */
    size_t offset, limit;
};

/* Posts matching f, newest first (published_at DESC, id DESC), sources not loaded. */
int db_post_list_filtered(struct db *db, const struct post_filter *f, struct post_list *out);
/* How many posts match f (offset and limit ignored). */
int db_post_count_filtered(struct db *db, const struct post_filter *f, int64_t *out);
/* Posts of a type per status (indexed by enum post_status, 6 entries), of one author or all (0). */
int db_post_status_counts(struct db *db, enum post_type type, int64_t author_id, int64_t counts[6]);
/* Deletes a post for good (its terms, comments and revisions go with it). -ENOENT when missing. */
int db_post_delete(struct db *db, int64_t id);
/* The title of a post (heap), -ENOENT when missing. */
int db_post_title(struct db *db, int64_t id, char **out);

/* ---- the comment queue ----------------------------------------------------------------- */

/* Comments of one status, newest first, with emails (moderation only). */
int db_comment_list_status(struct db *db, enum comment_status status, size_t offset, size_t limit,
                           struct comment_list *out);
/* Comments per status (indexed by enum comment_status, 4 entries). */
int db_comment_status_counts(struct db *db, int64_t counts[4]);
/* Rewrites a comment's author, email, url and body. -ENOENT when missing. */
int db_comment_update(struct db *db, const struct comment *c);

/* ---- users ----------------------------------------------------------------------------- */

struct user_list {
    struct user *items;
    size_t n;
};

void user_list_free(struct user_list *l);
/* Every user, by login. */
int db_user_list(struct db *db, struct user_list *out);

/* Deletes a comment for good (its replies keep their place at the top level). -ENOENT when missing. */
int db_comment_delete(struct db *db, int64_t id);

/* ---- managing the site: accounts, terms, the menu, the server's own state ------------------ */

/* Rewrites a user's display name, email, role, bio and disabled flag (not the login or the
 * password). -ENOENT when missing. */
int db_user_update(struct db *db, const struct user *u);
/* Administrators that are not disabled. */
int db_user_count_admins(struct db *db, int64_t *out);
/* Posts and pages of any status written by a user. */
int db_user_post_count(struct db *db, int64_t id, int64_t *out);
/* Gives every post of user id to user to, then deletes the account (its sessions go with it; its
 * comments and revisions stay, without a user). -ENOENT when id is missing. */
int db_user_delete(struct db *db, int64_t id, int64_t to);
/* Ends every session of a user but the one with that hash (after changing one's own password). */
int db_session_delete_others(struct db *db, int64_t user_id, const unsigned char keep[DB_SESSION_HASH]);

/* The number of failures key has at or after since, and when the last of them was (0: none). */
int db_login_failure_stats(struct db *db, const char *key, int64_t since, int64_t *count, int64_t *last);

/* Rewrites a term's name, slug and parent. -EEXIST when the slug is taken in its taxonomy. */
int db_term_update(struct db *db, const struct term *t);
/* Every term of a taxonomy by name, each with count = posts of any status that carry it. */
int db_term_list_all(struct db *db, enum term_taxonomy tax, struct term_list *out);
/* Remembers that slug (of a term of that taxonomy) now means term_id, for a 301. */
int db_term_redirect_add(struct db *db, enum term_taxonomy tax, const char *slug, int64_t term_id);
/* The term an old slug of that taxonomy now means; -ENOENT when none. */
int db_term_redirect_get(struct db *db, enum term_taxonomy tax, const char *slug, int64_t *term_id);
/* Gives every post of term from the term to as well, moves from's sub-terms and old slugs to
 * to, then deletes from. */
int db_term_merge(struct db *db, int64_t from, int64_t to);
/* Deletes a term: its sub-terms move up to its parent, and with fallback not 0 each post that
 * is left without a category gets that category. -ENOENT when missing. */
int db_term_delete(struct db *db, int64_t id, int64_t fallback);

/* One entry of the header menu. */
enum menu_kind { MENU_HOME, MENU_PAGE, MENU_CATEGORY, MENU_CUSTOM };
struct menu_item {
    int64_t id;
    int64_t parent_id; /* 0: top level */
    int64_t position;  /* order among its siblings (and of the whole list) */
    enum menu_kind kind;
    int64_t object_id; /* the page or the category */
    char *label;       /* "" means the object's own name */
    char *url;         /* MENU_CUSTOM */
};
struct menu_list {
    struct menu_item *items;
    size_t n;
};
void menu_list_free(struct menu_list *l);
/* The menu items, by position then id, at most max of them. */
int db_menu_items(struct db *db, size_t max, struct menu_list *out);
/* Inserts it (id ignored), writes it->id. */
int db_menu_item_insert(struct db *db, struct menu_item *it);
/* Rewrites an item's parent, position, label and url. -ENOENT when missing. */
int db_menu_item_update(struct db *db, const struct menu_item *it);
/* Deletes an item and its sub-items. */
int db_menu_item_delete(struct db *db, int64_t id);
/* Deletes every item (the menu goes back to Home and the categories). */
int db_menu_clear(struct db *db);

/* The server's own value of key (site_state), as bytes: *out is heap (free it), *n its length.
 * -ENOENT when none. */
int db_state_get(struct db *db, const char *key, unsigned char **out, size_t *n);
/* Sets key to value[0..n). */
int db_state_set(struct db *db, const char *key, const void *value, size_t n);
/* Sets key to value[0..n) unless it has a value already (which stays). */
int db_state_add(struct db *db, const char *key, const void *value, size_t n);
