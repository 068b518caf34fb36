/* Site settings: one table declares every setting once (key, type, allowed values, default,
 * section, label, one-line help, validator), and the command line (gazette setting), the
 * newsroom's settings screen and every write are driven by it. Only known keys may be read or
 * written; a refused value comes with a sentence saying what is allowed. Adding a setting is one
 * row in settings.c (plus a check function when its type does not say enough). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "news/permalink.h"

struct identity_made;

#define SETTING_VALUE_MAX 4096
#define SETTING_HEADER_MAX 256 /* cache_control: sent as a response header */
#define SETTING_WHY_MAX 256    /* bytes of a refusal sentence */
#define SETTING_URL_MAX 1024   /* bytes of site_url */

enum setting_type {
    SETTING_TEXT,     /* one line of text */
    SETTING_LINES,    /* several lines (word lists) */
    SETTING_URL,      /* an absolute http:// or https:// address */
    SETTING_INT,      /* a whole number in [min, max] */
    SETTING_BOOL,     /* "1" (on) or "0" (off) */
    SETTING_CHOICE,   /* one of choices */
    SETTING_CATEGORY, /* the id of a category, or "" */
    SETTING_IMAGE,    /* the full path of an image file on the server, or "": images are made from it
                         when it is set (news/identity.h) */
};

/* The screen shows the sections in this order. */
enum setting_section {
    SETTINGS_SITE,
    SETTINGS_WRITING,
    SETTINGS_READING,
    SETTINGS_DISCUSSION,
    SETTINGS_PERMALINKS,
    SETTINGS_TIME,
    SETTINGS_NEWSROOM,
    SETTINGS_HTTP,
    SETTINGS_API,
    SETTINGS_SECTIONS /* their number */
};

struct setting_def {
    const char *key;
    enum setting_type type;
    const char *def;            /* the default value */
    int64_t min, max;           /* SETTING_INT: the allowed range */
    const char *const *choices; /* SETTING_CHOICE: the allowed values, NULL-terminated */
    enum setting_section section;
    const char *label; /* what the settings screen calls it */
    const char *help;  /* one line under it */
    /* Further rules (may be NULL): NULL when value is allowed, else a sentence saying what is. */
    const char *(*check)(struct db *db, const char *value);
    /* The default computed when nothing is stored (may be NULL: def is the default). A setting
     * with one may be set to "" to go back to it. */
    int (*computed)(struct db *db, char **out);
    size_t max_len; /* bytes; 0 means SETTING_VALUE_MAX */
};

/* The known settings, in the order of the screen within each section; *n gets their number. */
const struct setting_def *settings_known(size_t *n);
/* The setting called key, or NULL. */
const struct setting_def *setting_find(const char *key);
/* The title of a section ("Site", "Reading" ...). */
const char *setting_section_title(enum setting_section s);
/* The allowed values of d in words ("a whole number from 1 to 1000"), into out. */
void setting_rule(const struct setting_def *d, char *out, size_t cap);

/* The value of key (heap, caller frees): the stored one, else the default. -ENOENT for an
 * unknown key. */
int setting_get(struct db *db, const char *key, char **out);

/* 1 in *out when key has a stored value (set by the owner), 0 when it reads as its default. */
int setting_is_set(struct db *db, const char *key, int *out);

/* An integer setting; a stored value that does not parse gives the default. */
int setting_get_int(struct db *db, const char *key, int64_t *out);

/* Whether value may be stored for key: 0, -ENOENT for an unknown key, or -EINVAL with the
 * refusal ("Enter a whole number from 1 to 1000.") in why (when why is not NULL). */
int setting_check(struct db *db, const char *key, const char *value, char *why, size_t cap);

/* Stores value after setting_check. "" for a setting with a computed default forgets the stored
 * value; a SETTING_IMAGE value makes its images first (slow) and is refused (-EINVAL) when its
 * file is not a usable image (settings_save says why). -ENOENT, -EINVAL, or a storage error. */
int setting_set(struct db *db, const char *key, const char *value);

/* The slow part of saving keys[i] = values[i] (i < n), which needs no database and so runs on a
 * worker: the images of each SETTING_IMAGE value, made into made[i] (made holds n zeroed
 * entries; the others stay empty). -EINVAL when a file is refused, why[i] saying why ("" for the
 * others). Free made with settings_made_free whatever it returns. */
int settings_make(const char *const *keys, const char *const *values, size_t n, struct identity_made *made,
                  char (*why)[SETTING_WHY_MAX]);
void settings_made_free(struct identity_made *made, size_t n);

/* Stores keys[i] = values[i] for i < n in one transaction, only when every value is allowed:
 * else -EINVAL, nothing stored, and why[i] holds each refusal ("" for the allowed ones; each
 * why[i] holds SETTING_WHY_MAX bytes). The images of SETTING_IMAGE values come from made (of
 * settings_make), or are made here when made is NULL (slow: the command line, never a loop). */
int settings_save(struct db *db, const char *const *keys, const char *const *values, size_t n,
                  const struct identity_made *made, char (*why)[SETTING_WHY_MAX]);

/* The permalink_structure setting, parsed into *out (the default structure when it does not
 * parse or cannot be read; then the read's error is returned, else 0). */
int setting_permalink(struct db *db, struct permalink *out);

/* Records the address the server listens on ("http://127.0.0.1:8080"), which site_url follows
 * until the owner sets it. */
int settings_listening(struct db *db, const char *url);
