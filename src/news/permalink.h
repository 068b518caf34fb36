/* Permalink structures: WordPress's "/%year%/%monthnum%/%postname%/" and kin. A structure is
 * parsed once (when the site settings load) into segments, then used both ways: to make a
 * post's path (post_path) and to match a request path to the parts that find the post. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define PERMALINK_MAX_LEN 128    /* bytes of a structure */
#define PERMALINK_MAX_SEGMENTS 6 /* path segments of a structure */
#define PERMALINK_MAX_LITERAL 32 /* bytes of a literal segment */
#define PERMALINK_DEFAULT "/%year%/%monthnum%/%day%/%postname%/"

enum permalink_tag {
    PERMALINK_LITERAL,
    PERMALINK_YEAR,
    PERMALINK_MONTHNUM,
    PERMALINK_DAY,
    PERMALINK_POSTNAME,
    PERMALINK_POST_ID,
    PERMALINK_CATEGORY,
};

struct permalink_seg {
    enum permalink_tag tag;
    char lit[PERMALINK_MAX_LITERAL + 1]; /* PERMALINK_LITERAL: the word */
};

struct permalink {
    size_t n;
    struct permalink_seg seg[PERMALINK_MAX_SEGMENTS];
};

/* What a path matched: the parts present in the structure (others 0 / NULL). slug and
 * category point into the path. */
struct permalink_match {
    int year, month, day; /* 0 when the structure lacks them */
    const char *slug;
    size_t slug_len;
    int64_t id;
    const char *category;
    size_t category_len;
};

/* Parses s (NUL-terminated). 0, or -EINVAL unless: starts and ends with '/', at most
 * PERMALINK_MAX_LEN bytes, each segment a literal word ([a-z0-9_-], at most
 * PERMALINK_MAX_LITERAL bytes) or exactly one known tag, no tag twice, %postname% or %post_id%
 * present, at most PERMALINK_MAX_SEGMENTS segments. */
int permalink_parse(const char *s, struct permalink *out);

/* The default structure, parsed. */
const struct permalink *permalink_default(void);

/* 1 when pl is the default structure. */
int permalink_is_default(const struct permalink *pl);

/* Writes the path of post p under pl into out (NUL-terminated); the length, or -ENOSPC.
 * %category% is the post's first category's slug, "uncategorized" without one. */
int permalink_format(const struct permalink *pl, const struct post *p, char *out, size_t cap);

/* Matches path[0..n) (segments split on '/', starting and ending with '/') against pl.
 * 0 and *m filled, or -ENOENT. Numbers must have their exact widths (year 4, month and day 2)
 * and be in range; a post id is 1 to 18 digits. */
int permalink_match(const struct permalink *pl, const char *path, size_t n, struct permalink_match *m);

/* The structure post_path() uses in the calling thread (until the next call); NULL goes back to
 * the default. pl must outlive its use. */
void permalink_use(const struct permalink *pl);

/* The structure in use in the calling thread. */
const struct permalink *permalink_current(void);
