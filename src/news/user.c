/* Newsroom users: Argon2id hashes (lib/pwhash.h: libsodium's, at its interactive limits, about
 * 64 MiB and a fraction of a second per login); and the rules of managing accounts from the
 * newsroom. */
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "news/user.h"

#include "lib/pwhash.h"
#include "news/session.h"

static int ready(void)
{
    return sodium_init() < 0 ? -EIO : 0;
}

int user_login_valid(const char *login)
{
    size_t n = login ? strlen(login) : 0;
    if (n == 0 || n > USER_LOGIN_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = login[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '@' || c == '-'))
            return 0;
    }
    return 1;
}

/* The login in lower case (ASCII), into out; the login has been checked by user_login_valid. */
static void lower_login(const char *login, char out[USER_LOGIN_MAX + 1])
{
    size_t n = strlen(login);
    for (size_t i = 0; i <= n; i++)
        out[i] = (login[i] >= 'A' && login[i] <= 'Z') ? (char)(login[i] - 'A' + 'a') : login[i];
}

_Static_assert(USER_PASSWORD_MAX <= PWHASH_INPUT_MAX, "every password a user may have can be hashed");

static int hash(const char *password, size_t n, char out[PWHASH_STRBYTES])
{
    if (n > USER_PASSWORD_MAX)
        return -EINVAL;
    return pwhash_str(out, password, n);
}

int user_create(struct db *db, const char *login, const char *display_name, const char *email, enum user_role role,
                const char *password, int64_t now, int64_t *id)
{
    char lower[USER_LOGIN_MAX + 1];
    char h[PWHASH_STRBYTES];
    struct user u = {0};
    int ret;

    if (!user_login_valid(login) || (display_name && strlen(display_name) > USER_NAME_MAX) ||
        (email && strlen(email) > USER_EMAIL_MAX) || user_role_name(role) == NULL)
        return -EINVAL;
    lower_login(login, lower);
    h[0] = '\0';
    if (password != NULL && password[0] != '\0' && (ret = hash(password, strlen(password), h)) < 0)
        return ret;
    u.login = lower;
    u.display_name = (char *)(display_name && display_name[0] ? display_name : lower);
    u.email = (char *)(email ? email : "");
    u.role = role;
    u.created_at = now;
    ret = db_user_insert(db, &u, h[0] ? h : NULL);
    sodium_memzero(h, sizeof(h));
    if (ret == 0)
        *id = u.id;
    return ret;
}

int user_verify(struct db *db, const char *login, const char *password, size_t n, struct user *out)
{
    char *stored = NULL, lower[USER_LOGIN_MAX + 1] = "";
    int ret, match = 0;

    if (ready() < 0)
        return -EIO;
    if (n > USER_PASSWORD_MAX)
        return -EACCES;
    if (user_login_valid(login))
        lower_login(login, lower);
    ret = lower[0] ? db_user_pwhash(db, lower, &stored) : -ENOENT;
    if (ret < 0 && ret != -ENOENT)
        return ret;
    if (stored != NULL) {
        match = pwhash_verify(stored, password, n) == 0;
    } else {
        /* spend the same time on an unknown login or an account without a password */
        char dummy[PWHASH_STRBYTES];
        hash(password, n, dummy);
    }
    free(stored);
    if (!match)
        return -EACCES;
    struct user u = {0};
    if ((ret = db_user_get_by_login(db, lower, &u)) < 0)
        return ret;
    if (!user_active(&u)) {
        user_clear(&u);
        return -EACCES; /* the same answer as a wrong password */
    }
    if (out != NULL)
        *out = u;
    else
        user_clear(&u);
    return 0;
}

int user_set_password(struct db *db, int64_t id, const char *password)
{
    char h[PWHASH_STRBYTES];
    int ret;
    if (password == NULL || password[0] == '\0')
        return db_user_set_pwhash(db, id, NULL);
    if ((ret = hash(password, strlen(password), h)) < 0)
        return ret;
    ret = db_user_set_pwhash(db, id, h);
    sodium_memzero(h, sizeof(h));
    return ret;
}

int user_password_generate(char *out, size_t cap)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    if (cap <= USER_PASSWORD_GEN)
        return -ENOSPC;
    if (ready() < 0)
        return -EIO;
    for (size_t i = 0; i < USER_PASSWORD_GEN; i++)
        out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    out[USER_PASSWORD_GEN] = '\0';
    return 0;
}

/* ---- managing accounts -------------------------------------------------------------------- */

_Static_assert(USER_HASH_MAX >= PWHASH_STRBYTES, "a stored hash fits USER_HASH_MAX");

int user_active(const struct user *u)
{
    return u->id != 0 && !u->disabled;
}

int user_password_hash(const char *password, char out[USER_HASH_MAX])
{
    return hash(password, strlen(password), out);
}

const char *user_password_refusal(const char *password)
{
    size_t n = password ? strlen(password) : 0, chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)password[i] & 0xC0) != 0x80;
    if (chars < USER_PASSWORD_MIN)
        return "Choose a password of at least 8 characters.";
    if (n > USER_PASSWORD_MAX)
        return "The password is too long.";
    return NULL;
}

/* A display name, email and bio fit their limits; NULL or why not. */
static const char *fields_refusal(const char *name, const char *email, const char *bio)
{
    if (name != NULL && (name[0] == '\0' || strlen(name) > USER_NAME_MAX))
        return "The display name must have 1 to 250 bytes.";
    if (email != NULL && email[0] != '\0') {
        const char *at = strchr(email, '@');
        if (strlen(email) > USER_EMAIL_MAX || at == NULL || at == email || at[1] == '\0' || strchr(email, ' ') != NULL)
            return "Enter an email address such as name@example.com, of at most 100 bytes, or none.";
    }
    if (bio != NULL && strlen(bio) > USER_BIO_MAX)
        return "The biography is too long (at most 4,000 bytes).";
    return NULL;
}

static int refuse(const char **why, const char *text, int ret)
{
    if (why != NULL)
        *why = text;
    return ret;
}

int user_add(struct db *db, const struct user *by, const struct user_new *in, int64_t now, int64_t *id,
             const char **why)
{
    char lower[USER_LOGIN_MAX + 1];
    const char *msg;
    if (!role_can(by->role, CAP_MANAGE_USERS))
        return refuse(why, "Only administrators add accounts.", -EACCES);
    if (!user_login_valid(in->login))
        return refuse(why, "A username has 1 to 60 of a-z 0-9 . _ @ -.", -EINVAL);
    if (user_role_name(in->role) == NULL)
        return refuse(why, "There is no such role.", -EINVAL);
    if ((msg = fields_refusal(in->display_name && in->display_name[0] ? in->display_name : NULL, in->email, NULL)))
        return refuse(why, msg, -EINVAL);
    lower_login(in->login, lower);
    struct user u = {.login = lower,
                     .display_name = (char *)(in->display_name && in->display_name[0] ? in->display_name : lower),
                     .email = (char *)(in->email ? in->email : ""),
                     .role = in->role,
                     .created_at = now};
    int ret = db_user_insert(db, &u, in->pwhash && in->pwhash[0] ? in->pwhash : NULL);
    if (ret == -EEXIST)
        return refuse(why, "That username is taken.", ret);
    if (ret == 0)
        *id = u.id;
    return ret;
}

/* -EBUSY when account u (an active administrator) is the last one. */
static int last_admin(struct db *db, const struct user *u)
{
    int64_t admins = 0;
    if (u->role != ROLE_ADMINISTRATOR || !user_active(u))
        return 0;
    int ret = db_user_count_admins(db, &admins);
    if (ret < 0)
        return ret;
    return admins <= 1 ? -EBUSY : 0;
}

int user_change(struct db *db, const struct user *by, int64_t id, const struct user_change *ch, const char **why)
{
    struct user u = {0};
    const char *msg;
    int admin = role_can(by->role, CAP_MANAGE_USERS), ret;
    if (id != by->id && !admin)
        return refuse(why, "Sorry, you may only change your own profile.", -EACCES);
    if ((ch->role >= 0 || ch->disabled >= 0) && !admin)
        return refuse(why, "Only administrators change roles and disable accounts.", -EACCES);
    if (ch->role >= 0 && user_role_name((enum user_role)ch->role) == NULL)
        return refuse(why, "There is no such role.", -EINVAL);
    if ((msg = fields_refusal(ch->display_name, ch->email, ch->bio)) != NULL)
        return refuse(why, msg, -EINVAL);
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = db_user_get(db, id, &u)) < 0) {
        refuse(why, "There is no such account.", 0);
        goto out;
    }
    int demoted = ch->role >= 0 && (enum user_role)ch->role != ROLE_ADMINISTRATOR;
    if ((demoted || ch->disabled == 1) && (ret = last_admin(db, &u)) < 0) {
        refuse(why, "The site needs an active administrator: make another one first.", 0);
        goto out;
    }
    if (ch->disabled == 1 && id == by->id) {
        ret = refuse(why, "You cannot disable your own account.", -EACCES);
        goto out;
    }
    struct user up = u;
    if (ch->display_name != NULL)
        up.display_name = (char *)ch->display_name;
    if (ch->email != NULL)
        up.email = (char *)ch->email;
    if (ch->bio != NULL)
        up.bio = (char *)ch->bio;
    if (ch->role >= 0)
        up.role = (enum user_role)ch->role;
    if (ch->disabled >= 0)
        up.disabled = ch->disabled;
    if ((ret = db_user_update(db, &up)) == 0 && up.disabled && !u.disabled)
        ret = db_session_delete_user(db, id);
out:
    user_clear(&u);
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

int user_password_set(struct db *db, const struct user *by, int64_t id, const char *pwhash, const char *keep,
                      size_t keep_len, const char **why)
{
    if (id != by->id && !role_can(by->role, CAP_MANAGE_USERS))
        return refuse(why, "Sorry, you may only change your own password.", -EACCES);
    int ret = db_begin(db);
    if (ret < 0)
        return ret;
    if ((ret = db_user_set_pwhash(db, id, pwhash)) == -ENOENT)
        refuse(why, "There is no such account.", 0);
    if (ret == 0)
        ret = keep != NULL ? session_end_others(db, id, keep, keep_len) : db_session_delete_user(db, id);
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

int user_remove(struct db *db, const struct user *by, int64_t id, int64_t to, const char **why)
{
    struct user u = {0}, heir = {0};
    int ret;
    if (!role_can(by->role, CAP_MANAGE_USERS))
        return refuse(why, "Only administrators delete accounts.", -EACCES);
    if (id == by->id)
        return refuse(why, "You cannot delete your own account.", -EACCES);
    if (to == id)
        return refuse(why, "Give the posts to another account than the one deleted.", -EINVAL);
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = db_user_get(db, id, &u)) < 0) {
        refuse(why, "There is no such account.", 0);
        goto out;
    }
    if ((ret = db_user_get(db, to, &heir)) < 0) {
        if (ret == -ENOENT)
            ret = refuse(why, "Choose the account that takes over the posts.", -EINVAL);
        goto out;
    }
    if ((ret = last_admin(db, &u)) < 0) {
        refuse(why, "The site needs an active administrator: make another one first.", 0);
        goto out;
    }
    ret = db_user_delete(db, id, to);
out:
    user_clear(&u);
    user_clear(&heir);
    if (ret < 0) {
        db_rollback(db);
        return ret;
    }
    return db_commit(db);
}

int user_list_all(struct db *db, struct user_list *out)
{
    return db_user_list(db, out);
}

int user_post_count(struct db *db, int64_t id, int64_t *out)
{
    return db_user_post_count(db, id, out);
}

int user_get(struct db *db, int64_t id, struct user *out)
{
    return db_user_get(db, id, out);
}
