/* The demo site: `gazette demo` and `make run` start with it, and the end-to-end tests read
 * it. Headlines, leads and paragraph pools live in demo_text.h; this file combines them with a
 * seeded generator, so the site is the same on every run for a given "now" (only the
 * administrator's password is random). Everything goes in one transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "news/demo.h"
#include "news/menu.h"
#include "news/demo_text.h"
#include "news/post.h"
#include "news/user.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define HOUR 3600
#define DAY 86400
#define DEMO_TAGS_MAX 8

struct rng {
    uint64_t s;
};

static uint64_t next(struct rng *r) /* splitmix64 */
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static size_t pick(struct rng *r, size_t n)
{
    return (size_t)(next(r) % n);
}

/* Appends text with {place}, {person}, {role} and {num} filled in. */
static void fill(struct buf *b, const char *text, struct rng *r, const char *place, const char *person)
{
    for (const char *p = text; *p;) {
        if (strncmp(p, "{place}", 7) == 0) {
            buf_puts(b, place);
            p += 7;
        } else if (strncmp(p, "{person}", 8) == 0) {
            buf_puts(b, person);
            p += 8;
        } else if (strncmp(p, "{role}", 6) == 0) {
            fill(b, demo_roles[pick(r, COUNT(demo_roles))], r, place, person);
            p += 6;
        } else if (strncmp(p, "{num}", 5) == 0) {
            static const int nums[] = {40, 120, 350, 800, 1200, 2400, 5000, 12000};
            int n = nums[pick(r, COUNT(nums))];
            if (n >= 1000)
                buf_printf(b, "%d,%03d", n / 1000, n % 1000);
            else
                buf_printf(b, "%d", n);
            p += 5;
        } else {
            buf_putc(b, *p++);
        }
    }
}

/* The Markdown body of article i. */
static char *body(size_t i)
{
    const struct demo_article *a = &demo_articles[i];
    struct rng r = {0xC0FFEEULL + i * 7919};
    struct buf b = BUF_INIT;
    const char *place = demo_places[pick(&r, COUNT(demo_places))];
    const char *person = demo_people[pick(&r, COUNT(demo_people))];
    size_t order[6] = {0, 1, 2, 3, 4, 5};
    for (size_t k = 5; k > 0; k--) { /* shuffle the section's paragraphs */
        size_t j = pick(&r, k + 1), t = order[k];
        order[k] = order[j];
        order[j] = t;
    }
    size_t paras = 2 + pick(&r, 3);

    buf_puts(&b, a->lead);
    buf_puts(&b, "\n\n");
    for (size_t k = 0; k < paras; k++) {
        if (k == paras / 2 + 1 && i % 3 == 0) {
            buf_printf(&b, "## %s\n\n", demo_headings[(i / 3) % COUNT(demo_headings)]);
        }
        fill(&b, demo_paras[a->section][order[k]], &r, place, person);
        buf_puts(&b, "\n\n");
        if (k == 0 && i % 5 == 2) {
            buf_puts(&b, "> ");
            fill(&b, demo_quotes[(i / 5) % COUNT(demo_quotes)], &r, place, person);
            buf_printf(&b, "\n>\n> — %s\n\n", demo_people[(i + 3) % COUNT(demo_people)]);
        }
    }
    if (i % 4 == 1) {
        buf_puts(&b, "**Good to know:**\n\n");
        for (size_t k = 0; k < 3; k++) {
            buf_puts(&b, "- ");
            fill(&b, demo_list_items[(i + k * 3) % COUNT(demo_list_items)], &r, place, person);
            buf_putc(&b, '\n');
        }
        buf_putc(&b, '\n');
    }
    if (i % 7 == 3)
        buf_puts(&b, "*Additional reporting by the Gazette newsroom.*\n");
    return buf_steal(&b);
}

/* Splits "a,b-c" into tag names "a", "b c". */
static size_t tags_of(const char *list, char names[DEMO_TAGS_MAX][64], const char *ptrs[DEMO_TAGS_MAX])
{
    size_t n = 0;
    const char *p = list;
    while (*p && n < DEMO_TAGS_MAX) {
        size_t len = strcspn(p, ",");
        if (len >= 64)
            len = 63;
        memcpy(names[n], p, len);
        names[n][len] = '\0';
        for (char *c = names[n]; *c; c++)
            if (*c == '-')
                *c = ' ';
        ptrs[n] = names[n];
        n++;
        p += strcspn(p, ",");
        if (*p == ',')
            p++;
    }
    return n;
}

static int add_comment(struct db *db, int64_t post_id, int64_t parent, size_t who, const char *text, int64_t at,
                       enum comment_status status, int64_t *id)
{
    char ip[32];
    struct comment c = {0};
    snprintf(ip, sizeof(ip), "192.0.2.%zu", who + 10);
    c.post_id = post_id;
    c.parent_id = parent;
    c.status = status;
    c.type = COMMENT_TYPE_COMMENT;
    c.author = (char *)demo_commenters[who][0];
    c.email = (char *)demo_commenters[who][1];
    c.url = (char *)demo_commenters[who][2];
    c.ip = ip;
    c.user_agent = (char *)"Mozilla/5.0 (X11; Linux x86_64) demo";
    c.created_at = at;
    c.body = (char *)text;
    int ret = db_comment_insert(db, &c);
    if (ret < 0)
        return ret;
    if (id != NULL)
        *id = c.id;
    return 0;
}

/* A comment thread under a post: top-level comments, replies, and on some posts a long chain
 * of replies that goes past the default thread depth. */
static int add_thread(struct db *db, int64_t post_id, int64_t published, int64_t now, size_t seed, int deep)
{
    struct rng r = {0xBEEFULL + seed * 104729};
    int64_t at = published + 25 * 60;
    size_t tops = 2 + pick(&r, 3);
    int ret;
    for (size_t t = 0; t < tops; t++) {
        int64_t top, parent;
        size_t who = pick(&r, COUNT(demo_commenters));
        if (at >= now)
            at = now - 60;
        if ((ret = add_comment(db, post_id, 0, who, demo_comments[(seed * 3 + t) % COUNT(demo_comments)], at,
                               COMMENT_APPROVED, &top)) < 0)
            return ret;
        at += 40 * 60 + (int64_t)pick(&r, 3 * HOUR);
        size_t replies = pick(&r, 3);
        if (deep && t == 0)
            replies = 6; /* a chain 7 deep */
        parent = top;
        for (size_t k = 0; k < replies; k++) {
            int64_t id;
            size_t who2 = (who + 1 + k) % COUNT(demo_commenters);
            if (at >= now)
                at = now - 30;
            if ((ret = add_comment(db, post_id, parent, who2, demo_replies[(seed + t + k) % COUNT(demo_replies)], at,
                                   COMMENT_APPROVED, &id)) < 0)
                return ret;
            at += 15 * 60 + (int64_t)pick(&r, 2 * HOUR);
            if (deep || k % 2 == 0)
                parent = id; /* nest, or else answer the same comment again */
        }
    }
    return 0;
}

int demo_fill(struct db *db, int64_t now, char *password_out, size_t cap)
{
    static const struct {
        const char *login, *name;
        enum user_role role;
    } staff[] = {{"maria", "Maria Okafor", ROLE_EDITOR},
                 {"tomas", "Tomás Lindqvist", ROLE_AUTHOR},
                 {"priya", "Priya Raman", ROLE_AUTHOR},
                 {"jon", "Jon Hale", ROLE_AUTHOR}};
    char password[USER_PASSWORD_GEN + 1];
    int64_t admin, authors[COUNT(staff)], ids[DEMO_ARTICLES], when[DEMO_ARTICLES];
    int empty, ret;

    if (cap <= USER_PASSWORD_GEN)
        return -ENOSPC;
    if ((ret = db_is_empty(db, &empty)) < 0)
        return ret;
    if (!empty)
        return -EEXIST;
    if ((ret = user_password_generate(password, sizeof(password))) < 0)
        return ret;
    if ((ret = db_begin(db)) < 0)
        return ret;
    if ((ret = user_create(db, DEMO_ADMIN_LOGIN, "Site Admin", "admin@example.com", ROLE_ADMINISTRATOR, password, now,
                           &admin)) < 0)
        goto out;
    for (size_t i = 0; i < COUNT(staff); i++) {
        char email[64];
        snprintf(email, sizeof(email), "%s@example.com", staff[i].login);
        if ((ret = user_create(db, staff[i].login, staff[i].name, email, staff[i].role, NULL, now, &authors[i])) < 0)
            goto out;
    }

    /* the articles, oldest first so ids grow with time; about 22 hours apart over six weeks */
    int64_t today = now - now % 60;
    for (size_t k = DEMO_ARTICLES; k-- > 0;) {
        struct rng r = {0xA11CEULL + k};
        const struct demo_article *a = &demo_articles[k];
        char tagbuf[DEMO_TAGS_MAX][64];
        const char *tags[DEMO_TAGS_MAX];
        const char *cats[1] = {demo_sections[a->section]};
        char *src = body(k);
        struct post_new in = {
            .type = POST_TYPE_POST,
            .status = POST_PUBLISHED,
            .title = a->title,
            .author_id = authors[pick(&r, COUNT(staff))],
            .format = POST_FORMAT_MARKDOWN,
            .source = src,
            .sticky = k == 6,
            .comments_open = k != 9,
            .categories = cats,
            .n_categories = 1,
            .tags = tags,
            .n_tags = tags_of(a->tags, tagbuf, tags),
        };
        /* a day about 22 hours per article back, at a newsroom hour (06:00 to 19:59 UTC) */
        int64_t day = now - (int64_t)(k + 1) * 22 * HOUR;
        day -= day % DAY;
        when[k] = day + (6 + (int64_t)pick(&r, 14)) * HOUR + (int64_t)pick(&r, 60) * 60;
        if (k + 1 < DEMO_ARTICLES && when[k] <= when[k + 1])
            when[k] = when[k + 1] + 47 * 60; /* keep the list's order: newer articles first */
        in.published_at = when[k];
        ret = post_create(db, &in, now, &ids[k]);
        free(src);
        if (ret < 0)
            goto out;
    }

    /* a page, a draft and a scheduled post: the last two must never show */
    struct post_new about = {.type = POST_TYPE_PAGE,
                             .status = POST_PUBLISHED,
                             .title = "About",
                             .slug = "about",
                             .author_id = admin,
                             .source = demo_about,
                             .comments_open = 0,
                             .published_at = when[DEMO_ARTICLES - 1]};
    struct post_new draft = {.type = POST_TYPE_POST,
                             .status = POST_DRAFT,
                             .title = "Council pay talks: draft notes",
                             .author_id = authors[0],
                             .source = "Not ready yet. Check the figures with the "
                                       "council press office before this goes out.",
                             .comments_open = 1,
                             .categories = (const char *[]){"City"},
                             .n_categories = 1,
                             .published_at = today - 2 * HOUR};
    struct post_new scheduled = {.type = POST_TYPE_POST,
                                 .status = POST_SCHEDULED,
                                 .title = "Harbour festival programme revealed",
                                 .author_id = authors[1],
                                 .source = "The full programme for this year's harbour festival.\n\n"
                                           "- Tall ships on the Quays\n- Fireworks on the last night\n",
                                 .comments_open = 1,
                                 .categories = (const char *[]){"Culture"},
                                 .n_categories = 1,
                                 .published_at = today + 3 * DAY};
    int64_t id, about_id;
    if ((ret = post_create(db, &about, now, &about_id)) < 0 || (ret = post_create(db, &draft, now, &id)) < 0 ||
        (ret = post_create(db, &scheduled, now, &id)) < 0)
        goto out;
    /* the menu: Home and the sections, as on any site, and the About page */
    struct user by = {.id = admin, .role = ROLE_ADMINISTRATOR};
    struct menu_action add_about = {.op = MENU_OP_ADD, .kind = MENU_PAGE, .object_id = about_id};
    if ((ret = menu_act(db, &by, &add_about, now, NULL)) < 0)
        goto out;

    /* comments: threads on several posts, a deep one, a held one and a spam one (hidden) */
    static const size_t threaded[] = {0, 1, 3, 4, 7, 12, 15, 20, 26};
    for (size_t t = 0; t < COUNT(threaded); t++) {
        size_t k = threaded[t];
        if ((ret = add_thread(db, ids[k], when[k], now, k, k == 0 || k == 4)) < 0)
            goto out;
    }
    if ((ret = add_comment(db, ids[9], 0, 2, "A lovely piece. Congratulations to the club!", when[9] + HOUR,
                           COMMENT_APPROVED, NULL)) < 0 ||
        (ret = add_comment(db, ids[0], 0, 5, "Waiting for a moderator: this one is held.", now - 600, COMMENT_PENDING,
                           NULL)) < 0 ||
        (ret = add_comment(db, ids[0], 0, 7, "Cheap watches at http://spam.example http://spam.example", now - 300,
                           COMMENT_SPAM, NULL)) < 0)
        goto out;

    ret = db_commit(db);
    if (ret == 0)
        snprintf(password_out, cap, "%s", password);
    return ret;
out:
    db_rollback(db);
    return ret;
}
