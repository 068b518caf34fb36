/* Application passwords (news/apppass.h): made from the CSPRNG, hashed with Argon2id
 * (lib/pwhash.h) at the same limits as login passwords, checked in constant time per hash. */
#include "news/apppass.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "lib/pwhash.h"
#include "news/user.h"

_Static_assert(APP_PASSWORD_HASH_MAX == PWHASH_STRBYTES, "apppass.h spells the hash size too");

int app_password_make(char shown[APP_PASSWORD_SHOWN + 1], char uuid[APP_PASSWORD_UUID_LEN + 1],
                      char hash[APP_PASSWORD_HASH_MAX])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    char pw[APP_PASSWORD_LEN + 1];
    unsigned char r[16];
    int ret = 0;

    if (sodium_init() < 0)
        return -EIO;
    for (size_t i = 0; i < APP_PASSWORD_LEN; i++)
        pw[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    pw[APP_PASSWORD_LEN] = '\0';
    if ((ret = pwhash_str(hash, pw, APP_PASSWORD_LEN)) < 0)
        goto out;
    randombytes_buf(r, sizeof(r));
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40); /* version 4 */
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80); /* variant 1 */
    snprintf(uuid, APP_PASSWORD_UUID_LEN + 1, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
    for (size_t i = 0, k = 0; i < APP_PASSWORD_LEN; i++) {
        if (i > 0 && i % 4 == 0)
            shown[k++] = ' ';
        shown[k++] = pw[i];
        shown[k] = '\0';
    }
out:
    sodium_memzero(pw, sizeof(pw));
    return ret;
}

int app_password_store(struct db *db, int64_t user_id, const char *name, const char *uuid, const char *hash,
                       int64_t now)
{
    struct user u = {0};
    struct app_password_list l = {0};
    int ret;

    if (name == NULL || name[0] == '\0' || strlen(name) > APP_PASSWORD_NAME_MAX)
        return -EINVAL;
    if ((ret = db_user_get(db, user_id, &u)) < 0)
        return ret;
    user_clear(&u);
    if ((ret = db_app_password_list(db, user_id, &l)) < 0)
        return ret;
    size_t have = l.n;
    app_password_list_free(&l);
    if (have >= APP_PASSWORDS_MAX)
        return -E2BIG;
    struct app_password p = {
        .user_id = user_id, .uuid = (char *)uuid, .name = (char *)name, .hash = (char *)hash, .created_at = now};
    int64_t rowid;
    return db_app_password_insert(db, &p, &rowid);
}

int app_password_create(struct db *db, int64_t user_id, const char *name, int64_t now,
                        char shown[APP_PASSWORD_SHOWN + 1], char uuid[APP_PASSWORD_UUID_LEN + 1])
{
    char hash[APP_PASSWORD_HASH_MAX], s[APP_PASSWORD_SHOWN + 1], id[APP_PASSWORD_UUID_LEN + 1];
    int ret;
    if (name == NULL || name[0] == '\0' || strlen(name) > APP_PASSWORD_NAME_MAX)
        return -EINVAL;
    if ((ret = app_password_make(s, id, hash)) == 0 &&
        (ret = app_password_store(db, user_id, name, id, hash, now)) == 0) {
        memcpy(shown, s, sizeof(s));
        memcpy(uuid, id, sizeof(id));
    }
    sodium_memzero(s, sizeof(s));
    return ret;
}

int app_password_list(struct db *db, int64_t user_id, struct app_password_list *out)
{
    return db_app_password_list(db, user_id, out);
}

int app_password_revoke(struct db *db, int64_t user_id, const char *uuid)
{
    return db_app_password_delete(db, user_id, uuid);
}

int app_password_verify(struct db *db, const char *login, const char *password, size_t n, struct user *out,
                        char uuid[APP_PASSWORD_UUID_LEN + 1])
{
    char pw[APP_PASSWORD_LEN + 1];
    size_t k = 0;
    struct user u = {0};
    struct app_password_list l = {0};
    int ret, found = -1;

    for (size_t i = 0; i < n; i++) {
        if (password[i] == ' ')
            continue;
        if (k == APP_PASSWORD_LEN)
            return -EACCES; /* too long to be one */
        pw[k++] = password[i];
    }
    pw[k] = '\0';
    if (k != APP_PASSWORD_LEN || strlen(pw) != k)
        return -EACCES;
    if (sodium_init() < 0)
        return -EIO;
    ret = db_user_get_by_login(db, login, &u);
    if (ret == -ENOENT)
        ret = -EACCES;
    if (ret < 0)
        goto out;
    if ((ret = db_app_password_hashes(db, u.id, &l)) < 0)
        goto out;
    for (size_t i = 0; i < l.n; i++)
        if (l.items[i].hash != NULL && pwhash_verify(l.items[i].hash, pw, k) == 0 && found < 0)
            found = (int)i;
    if (found < 0) {
        ret = -EACCES;
        goto out;
    }
    snprintf(uuid, APP_PASSWORD_UUID_LEN + 1, "%s", l.items[found].uuid);
    *out = u;
    memset(&u, 0, sizeof(u));
out:
    sodium_memzero(pw, sizeof(pw));
    user_clear(&u);
    app_password_list_free(&l);
    return ret;
}
