#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "news/comment.h"
#include "news/post.h"
#include "news/settings.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(comment, .fini = tmpdata_remove);

#define NOW 1777887000
#define F(s) ((struct comment_field){(s), strlen(s)})

static int64_t post_id, closed_id, draft_id;

static struct db *site(void)
{
    struct db *db = tmpdata_open();
    int64_t uid;
    cr_assert_eq(user_create(db, "ed", "Ed", "", ROLE_EDITOR, NULL, NOW, &uid), 0);
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Open",
                          .author_id = uid,
                          .comments_open = 1,
                          .published_at = NOW - 3600};
    cr_assert_eq(post_create(db, &in, NOW, &post_id), 0);
    in.title = "Closed";
    in.comments_open = 0;
    cr_assert_eq(post_create(db, &in, NOW, &closed_id), 0);
    in.title = "Draft";
    in.comments_open = 1;
    in.status = POST_DRAFT;
    cr_assert_eq(post_create(db, &in, NOW, &draft_id), 0);
    return db;
}

static struct comment_submission sub(const char *author, const char *email, const char *body)
{
    struct comment_submission s = {.post_id = post_id,
                                   .author = F(author),
                                   .email = F(email),
                                   .body = F(body),
                                   .ip = F("192.0.2.1"),
                                   .user_agent = F("test"),
                                   .now = NOW,
                                   .force_status = -1};
    return s;
}

static struct comment_result submit(struct db *db, struct comment_submission s)
{
    struct comment_result r;
    cr_assert_eq(comment_submit(db, &s, &r), 0);
    return r;
}

/* The fields with errors, joined by spaces. */
static const char *fields(const struct comment_submission *s)
{
    static char out[256];
    struct comment_result r = {0};
    comment_validate(s, &r);
    out[0] = '\0';
    for (size_t i = 0; i < r.n_errors; i++) {
        strcat(out, i ? " " : "");
        strcat(out, r.errors[i].field);
        cr_assert_not_null(r.errors[i].message);
    }
    return out;
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

Test(comment, required_fields)
{
    struct comment_submission s = sub("", "", "");
    cr_assert_str_eq(fields(&s), "comment author email");
    s = sub("  ", "a@example.com", " \n\t ");
    cr_assert_str_eq(fields(&s), "comment author");
    s = sub("Ann", "a@example.com", "Hello");
    cr_assert_str_eq(fields(&s), "");
    s.author = (struct comment_field){NULL, 0};
    cr_assert_str_eq(fields(&s), "author");
}

Test(comment, email_shapes)
{
    const char *good[] = {"a@example.com", "first.last+tag@sub.example.org", "x_y@ex-ample.co"};
    const char *bad[] = {"plain",          "@example.com",   "a@",
                         "a@example",      "a@@example.com", "a b@example.com",
                         "a@exa mple.com", "a@-example.com", "a@example.com.",
                         "a@example.c",    "a@example.123",  "a@.example.com",
                         "<a@example.com>"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct comment_submission s = sub("Ann", good[i], "Hi");
        cr_assert_str_eq(fields(&s), "", "%s", good[i]);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct comment_submission s = sub("Ann", bad[i], "Hi");
        cr_assert_str_eq(fields(&s), "email", "%s", bad[i]);
    }
}

Test(comment, url_must_be_http_or_https)
{
    const char *good[] = {"http://example.com", "https://example.com/a?b=c", "HTTPS://Example.com",
                          "https://typed.example/?a=1&b=<2>"};
    const char *bad[] = {"javascript:alert(1)", "ftp://example.com", "example.com",     "http://",
                         "https:// x.com",      "http://a.com/\tx",  "data:text/html,x"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct comment_submission s = sub("Ann", "a@example.com", "Hi");
        s.url = F(good[i]);
        cr_assert_str_eq(fields(&s), "", "%s", good[i]);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct comment_submission s = sub("Ann", "a@example.com", "Hi");
        s.url = F(bad[i]);
        cr_assert_str_eq(fields(&s), "url", "%s", bad[i]);
    }
}

Test(comment, byte_limits_at_the_boundary)
{
    char *name = repeat('n', COMMENT_AUTHOR_MAX + 1), *body = repeat('b', COMMENT_BODY_MAX + 1);
    char email[COMMENT_EMAIL_MAX + 2], url[COMMENT_URL_MAX + 2];
    struct comment_submission s = sub("Ann", "a@example.com", "Hi");

    s.author = (struct comment_field){name, COMMENT_AUTHOR_MAX};
    cr_assert_str_eq(fields(&s), "");
    s.author.n++;
    cr_assert_str_eq(fields(&s), "author");
    s = sub("Ann", "a@example.com", "Hi");

    s.body = (struct comment_field){body, COMMENT_BODY_MAX};
    cr_assert_str_eq(fields(&s), "");
    s.body.n++;
    cr_assert_str_eq(fields(&s), "comment");
    s = sub("Ann", "a@example.com", "Hi");

    memset(email, 'e', sizeof(email));
    memcpy(email + COMMENT_EMAIL_MAX - 12, "@example.com", 12);
    s.email = (struct comment_field){email, COMMENT_EMAIL_MAX};
    cr_assert_str_eq(fields(&s), "");
    memcpy(email + COMMENT_EMAIL_MAX - 11, "@example.com", 12);
    s.email.n++;
    cr_assert_str_eq(fields(&s), "email");
    s = sub("Ann", "a@example.com", "Hi");

    memset(url, 'u', sizeof(url));
    memcpy(url, "http://", 7);
    s.url = (struct comment_field){url, COMMENT_URL_MAX};
    cr_assert_str_eq(fields(&s), "");
    s.url.n++;
    cr_assert_str_eq(fields(&s), "url");
    free(name);
    free(body);
}

Test(comment, multibyte_text_counts_bytes_and_bad_bytes_are_refused)
{
    struct comment_submission s = sub("Zoë", "a@example.com", "Grüße aus Köln");
    cr_assert_str_eq(fields(&s), "");
    s.body = (struct comment_field){"a\0b", 3};
    cr_assert_str_eq(fields(&s), "comment");
    s.body = F("bad \xff byte");
    cr_assert_str_eq(fields(&s), "comment");
    s = sub("Two\nlines", "a@example.com", "Hi");
    cr_assert_str_eq(fields(&s), "author");
}

Test(comment, refusals_post_missing_closed_and_parent)
{
    struct db *db = site();
    struct comment_submission s = sub("Ann", "a@example.com", "Hello");
    s.post_id = 9999;
    cr_assert_eq(submit(db, s).outcome, COMMENT_NOT_FOUND);
    s.post_id = draft_id;
    cr_assert_eq(submit(db, s).outcome, COMMENT_NOT_FOUND);
    s.post_id = closed_id;
    cr_assert_eq(submit(db, s).outcome, COMMENT_CLOSED);
    s.post_id = post_id;
    s.parent_id = 12345;
    struct comment_result r = submit(db, s);
    cr_assert_eq(r.outcome, COMMENT_INVALID);
    cr_assert_eq(r.n_errors, 1);
    cr_assert_str_eq(r.errors[0].field, "comment_parent");
    struct comment_list all;
    cr_assert_eq(db_comment_list_all(db, 0, &all), 0);
    cr_assert_eq(all.n, 0, "nothing stored");
    comment_list_free(&all);
    db_close(db);
}

Test(comment, parent_must_be_an_approved_comment_of_the_same_post)
{
    struct db *db = site();
    int64_t other;
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Other",
                          .author_id = 1,
                          .comments_open = 1,
                          .published_at = NOW - 60};
    cr_assert_eq(post_create(db, &in, NOW, &other), 0);
    struct comment_submission s = sub("Ann", "a@example.com", "On the other post");
    s.post_id = other;
    s.force_status = COMMENT_APPROVED;
    struct comment_result r = submit(db, s);
    cr_assert_eq(r.outcome, COMMENT_ACCEPTED);
    s = sub("Ann", "a@example.com", "Reply across posts");
    s.parent_id = r.id;
    cr_assert_eq(submit(db, s).outcome, COMMENT_INVALID);
    s = sub("Bob", "b@example.com", "Held one");
    s.now += 50;
    struct comment_result held = submit(db, s);
    cr_assert_eq(held.outcome, COMMENT_ACCEPTED);
    cr_assert_eq(held.status, COMMENT_PENDING);
    s = sub("Ann", "a@example.com", "Reply to held");
    s.parent_id = held.id;
    s.now += 100;
    cr_assert_eq(submit(db, s).outcome, COMMENT_INVALID);
    cr_assert_eq(comment_set_status(db, held.id, COMMENT_APPROVED), 0);
    cr_assert_eq(submit(db, s).outcome, COMMENT_ACCEPTED);
    db_close(db);
}

Test(comment, first_comment_is_held_then_known_commenters_pass)
{
    struct db *db = site();
    struct comment_submission s = sub("Ann", "ann@example.com", "First!");
    struct comment_result r = submit(db, s);
    cr_assert_eq(r.outcome, COMMENT_ACCEPTED);
    cr_assert_eq(r.status, COMMENT_PENDING);
    s = sub("Ann", "ann@example.com", "Second, still unknown");
    s.now += 60;
    r = submit(db, s);
    cr_assert_eq(r.status, COMMENT_PENDING, "held until one is approved");
    cr_assert_eq(comment_set_status(db, r.id, COMMENT_APPROVED), 0);
    s = sub("Ann", "ANN@example.com", "Third");
    s.now += 120;
    r = submit(db, s);
    cr_assert_eq(r.status, COMMENT_APPROVED, "email case does not matter");
    s = sub("Ann Other", "ann@example.com", "Same email, other name");
    s.now += 180;
    cr_assert_eq(submit(db, s).status, COMMENT_PENDING, "name and email together");
    cr_assert_eq(setting_set(db, "comment_hold_first", "0"), 0);
    s = sub("Newcomer", "new@example.com", "Hello");
    s.now += 240;
    cr_assert_eq(submit(db, s).status, COMMENT_APPROVED);
    db_close(db);
}

Test(comment, too_many_links_are_held_and_the_honeypot_catches_spam)
{
    struct db *db = site();
    cr_assert_eq(setting_set(db, "comment_hold_first", "0"), 0);
    cr_assert_eq(setting_set(db, "comment_flood_seconds", "0"), 0);
    struct comment_submission s = sub("Ann", "a@example.com", "see http://a.example and https://b.example");
    cr_assert_eq(submit(db, s).status, COMMENT_APPROVED, "two links: the limit");
    s = sub("Ann", "a@example.com", "see http://a.example, https://b.example and www.c.example");
    cr_assert_eq(submit(db, s).status, COMMENT_PENDING, "three links: held");
    cr_assert_eq(setting_set(db, "comment_max_links", "5"), 0);
    s = sub("Ann", "a@example.com", "see http://a.example, https://b.example and www.c.example again");
    cr_assert_eq(submit(db, s).status, COMMENT_APPROVED);
    s = sub("Bot", "bot@example.com", "Buy now");
    s.honeypot = F("http://spam.example");
    struct comment_result r = submit(db, s);
    cr_assert_eq(r.outcome, COMMENT_ACCEPTED);
    cr_assert_eq(r.status, COMMENT_SPAM);
    db_close(db);
}

Test(comment, counts_links)
{
    cr_assert_eq(comment_count_links("", 0), 0);
    const char *s = "HTTP://a http://www.b https://c www.d wwwe http:/f";
    cr_assert_eq(comment_count_links(s, strlen(s)), 4);
}

Test(comment, flood_from_the_same_ip)
{
    struct db *db = site();
    struct comment_submission s = sub("Ann", "a@example.com", "One");
    cr_assert_eq(submit(db, s).outcome, COMMENT_ACCEPTED);
    s = sub("Bob", "b@example.com", "Two");
    s.now = NOW + 14;
    cr_assert_eq(submit(db, s).outcome, COMMENT_FLOOD);
    s.ip = F("192.0.2.2");
    cr_assert_eq(submit(db, s).outcome, COMMENT_ACCEPTED, "another address may post");
    s = sub("Cat", "c@example.com", "Three");
    s.now = NOW + 15;
    cr_assert_eq(submit(db, s).outcome, COMMENT_ACCEPTED, "15 seconds later is fine");
    cr_assert_eq(setting_set(db, "comment_flood_seconds", "0"), 0);
    s = sub("Dan", "d@example.com", "Four");
    s.now = NOW + 15;
    cr_assert_eq(submit(db, s).outcome, COMMENT_ACCEPTED, "0 turns the check off");
    s = sub("Eve", "e@example.com", "Five");
    s.ip = (struct comment_field){NULL, 0};
    cr_assert_eq(submit(db, s).outcome, COMMENT_ACCEPTED);
    db_close(db);
}

Test(comment, duplicates)
{
    struct db *db = site();
    struct comment_submission s = sub("Ann", "a@example.com", "Same words");
    cr_assert_eq(submit(db, s).outcome, COMMENT_ACCEPTED);
    s.now += 1;
    cr_assert_eq(submit(db, s).outcome, COMMENT_DUPLICATE, "reported before the flood check");
    s.now += 100;
    cr_assert_eq(submit(db, s).outcome, COMMENT_DUPLICATE);
    s.body = F("  Same words \n");
    cr_assert_eq(submit(db, s).outcome, COMMENT_DUPLICATE, "surrounding space does not make it new");
    s = sub("Bob", "b@example.com", "Same words");
    s.now += 200;
    cr_assert_eq(submit(db, s).outcome, COMMENT_ACCEPTED, "someone else may say it");
    s = sub("Ann", "a@example.com", "Same words");
    s.post_id = closed_id;
    cr_assert_eq(submit(db, s).outcome, COMMENT_CLOSED);
    db_close(db);
}

Test(comment, stored_fields_are_trimmed_and_complete)
{
    struct db *db = site();
    struct comment_submission s = sub("  Ann  ", " a@example.com ", "\n Hello there \n");
    s.url = F("https://ann.example/");
    struct comment_result r = submit(db, s);
    struct comment c;
    cr_assert_eq(db_comment_get(db, r.id, &c), 0);
    cr_assert_str_eq(c.author, "Ann");
    cr_assert_str_eq(c.email, "a@example.com");
    cr_assert_str_eq(c.body, "Hello there");
    cr_assert_str_eq(c.url, "https://ann.example/");
    cr_assert_str_eq(c.ip, "192.0.2.1");
    cr_assert_str_eq(c.user_agent, "test");
    cr_assert_eq(c.created_at, NOW);
    cr_assert_eq(c.post_id, post_id);
    comment_clear(&c);
    s = sub("Ann", "a@example.com", "Dated");
    s.ip = (struct comment_field){NULL, 0};
    s.created_at = NOW - 60;
    r = submit(db, s);
    cr_assert_eq(db_comment_get(db, r.id, &c), 0);
    cr_assert_eq(c.created_at, NOW - 60, "scripts and imports give the time");
    comment_clear(&c);
    db_close(db);
}

/* Adds an approved comment; returns its id. */
static int64_t approved(struct db *db, int64_t parent, const char *body, int64_t at)
{
    struct comment_submission s = sub("Ann", "a@example.com", body);
    s.parent_id = parent;
    s.now = at;
    s.ip = (struct comment_field){NULL, 0};
    s.force_status = COMMENT_APPROVED;
    struct comment_result r = submit(db, s);
    cr_assert_eq(r.outcome, COMMENT_ACCEPTED, "%s", body);
    return r.id;
}

Test(comment, threads_nest_oldest_first_and_hide_the_email)
{
    struct db *db = site();
    int64_t a = approved(db, 0, "A", NOW + 1);
    int64_t b = approved(db, 0, "B", NOW + 2);
    int64_t a1 = approved(db, a, "A1", NOW + 3);
    int64_t a1x = approved(db, a1, "A1x", NOW + 4);
    int64_t a2 = approved(db, a, "A2", NOW + 5);
    int64_t b1 = approved(db, b, "B1", NOW + 6);
    struct comment_submission s = sub("Held", "h@example.com", "held");
    s.now = NOW + 7;
    s.ip = (struct comment_field){NULL, 0};
    cr_assert_eq(submit(db, s).status, COMMENT_PENDING);

    struct comment_list l;
    cr_assert_eq(comment_thread(db, post_id, 5, &l), 0);
    int64_t want_id[] = {a, a1, a1x, a2, b, b1};
    int want_depth[] = {1, 2, 3, 2, 1, 2};
    cr_assert_eq(l.n, 6, "only approved comments");
    for (size_t i = 0; i < l.n; i++) {
        cr_assert_eq(l.items[i].id, want_id[i], "position %zu: %s", i, l.items[i].body);
        cr_assert_eq(l.items[i].depth, want_depth[i], "depth of %s", l.items[i].body);
        cr_assert_null(l.items[i].email, "the public listing never loads the email");
        cr_assert_null(l.items[i].ip);
    }
    comment_list_free(&l);
    db_close(db);
}

Test(comment, replies_past_the_depth_limit_stay_at_the_deepest_level)
{
    struct db *db = site();
    int64_t ids[6], prev = 0;
    for (int i = 0; i < 6; i++)
        prev = ids[i] = approved(db, prev, (const char *[]){"d1", "d2", "d3", "d4", "d5", "d6"}[i], NOW + i);
    int64_t late = approved(db, ids[1], "d3 sibling", NOW + 10);
    struct comment_list l;
    cr_assert_eq(comment_thread(db, post_id, 3, &l), 0);
    int want[] = {1, 2, 3, 3, 3, 3, 3};
    cr_assert_eq(l.n, 7);
    for (size_t i = 0; i < 6; i++) {
        cr_assert_eq(l.items[i].id, ids[i]);
        cr_assert_eq(l.items[i].depth, want[i], "%s", l.items[i].body);
    }
    cr_assert_eq(l.items[6].id, late);
    cr_assert_eq(l.items[6].depth, 3);
    comment_list_free(&l);
    cr_assert_eq(comment_thread(db, post_id, 1, &l), 0);
    for (size_t i = 0; i < l.n; i++)
        cr_assert_eq(l.items[i].depth, 1, "thread_depth 1 is flat");
    comment_list_free(&l);
    db_close(db);
}

Test(comment, a_reply_whose_parent_is_hidden_shows_at_the_top_level)
{
    struct db *db = site();
    int64_t a = approved(db, 0, "A", NOW + 1);
    int64_t a1 = approved(db, a, "A1", NOW + 2);
    cr_assert_eq(comment_set_status(db, a, COMMENT_TRASH), 0);
    struct comment_list l;
    cr_assert_eq(comment_thread(db, post_id, 5, &l), 0);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.items[0].id, a1);
    cr_assert_eq(l.items[0].depth, 1);
    comment_list_free(&l);
    struct comment c;
    cr_assert_eq(comment_public_get(db, post_id, a1, &c), 0);
    cr_assert_null(c.email);
    comment_clear(&c);
    cr_assert_eq(comment_public_get(db, post_id, a, &c), -ENOENT, "trashed");
    cr_assert_eq(comment_public_get(db, closed_id, a1, &c), -ENOENT, "another post");
    cr_assert_eq(comment_set_status(db, 99999, COMMENT_SPAM), -ENOENT);
    db_close(db);
}

Test(comment, counts_approved_on_the_post_record)
{
    struct db *db = site();
    approved(db, 0, "A", NOW + 1);
    approved(db, 0, "B", NOW + 2);
    struct post p;
    cr_assert_eq(db_post_get(db, post_id, &p), 0);
    cr_assert_eq(p.comment_count, 2);
    post_clear(&p);
    db_close(db);
}

/* A comment stored as is, approved (for posts that the form would refuse). */
static int64_t stored(struct db *db, int64_t post, const char *body, int64_t at)
{
    struct comment c = {.post_id = post,
                        .status = COMMENT_APPROVED,
                        .author = "Zed",
                        .email = "zed@example.com",
                        .created_at = at,
                        .body = (char *)body};
    cr_assert_eq(db_comment_insert(db, &c), 0);
    return c.id;
}

Test(comment, recent_lists_newest_first_public_posts_only_without_email)
{
    struct db *db = site();
    int64_t uid = 1, other_id, locked_id, future_id;
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Other",
                          .author_id = uid,
                          .comments_open = 1,
                          .published_at = NOW - 60};
    cr_assert_eq(post_create(db, &in, NOW, &other_id), 0);
    in.title = "Locked";
    in.password = "secret";
    cr_assert_eq(post_create(db, &in, NOW, &locked_id), 0);
    in.title = "Future";
    in.password = NULL;
    in.published_at = NOW + 86400;
    cr_assert_eq(post_create(db, &in, NOW, &future_id), 0);

    int64_t a = approved(db, 0, "A", NOW + 1);
    struct comment_submission s = sub("Ann", "a@example.com", "O");
    s.post_id = other_id;
    s.now = NOW + 2;
    s.ip = (struct comment_field){NULL, 0};
    s.force_status = COMMENT_APPROVED;
    int64_t o = submit(db, s).id;
    int64_t b = approved(db, 0, "B", NOW + 3);
    s = sub("Held", "h@example.com", "held");
    s.now = NOW + 4;
    s.ip = (struct comment_field){NULL, 0};
    cr_assert_eq(submit(db, s).status, COMMENT_PENDING);
    stored(db, locked_id, "on a protected post", NOW + 5);
    stored(db, draft_id, "on a draft", NOW + 6);
    stored(db, future_id, "on a post not due yet", NOW + 7);

    struct comment_list l;
    cr_assert_eq(comment_recent(db, 0, NOW + 10, 10, &l), 0);
    int64_t want[] = {b, o, a};
    cr_assert_eq(l.n, 3);
    for (size_t i = 0; i < l.n; i++) {
        cr_assert_eq(l.items[i].id, want[i], "position %zu: %s", i, l.items[i].body);
        cr_assert_null(l.items[i].email, "feeds never load the email");
        cr_assert_null(l.items[i].ip);
        cr_assert_null(l.items[i].user_agent);
    }
    comment_list_free(&l);

    cr_assert_eq(comment_recent(db, post_id, NOW + 10, 10, &l), 0);
    cr_assert_eq(l.n, 2);
    cr_assert_eq(l.items[0].id, b);
    cr_assert_eq(l.items[1].id, a);
    comment_list_free(&l);
    cr_assert_eq(comment_recent(db, post_id, NOW + 10, 1, &l), 0);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.items[0].id, b);
    comment_list_free(&l);
    cr_assert_eq(comment_recent(db, future_id, NOW + 86400 * 2, 10, &l), 0);
    cr_assert_eq(l.n, 1, "the post is due by then");
    comment_list_free(&l);
    db_close(db);
}

/* The ids of a page of comments, and where it is. */
static size_t page_of(struct db *db, const struct comment_paging *pg, size_t page, int64_t *ids,
                      struct comment_pages *where)
{
    struct comment_list l;
    cr_assert_eq(comment_thread_page(db, post_id, 5, pg, page, &l, where), 0, "page %zu", page);
    for (size_t i = 0; i < l.n; i++) {
        ids[i] = l.items[i].id;
        cr_assert_null(l.items[i].email);
    }
    size_t n = l.n;
    comment_list_free(&l);
    return n;
}

Test(comment, long_threads_are_paged_by_top_level_comment_and_replies_stay_with_theirs)
{
    struct db *db = site();
    int64_t top[7], reply[7];
    for (int i = 0; i < 7; i++)
        top[i] = approved(db, 0, (const char *[]){"t1", "t2", "t3", "t4", "t5", "t6", "t7"}[i], NOW + i);
    /* replies come after every top-level comment, yet are shown with their parent */
    for (int i = 0; i < 7; i++)
        reply[i] = approved(db, top[i], (const char *[]){"r1", "r2", "r3", "r4", "r5", "r6", "r7"}[i], NOW + 10 + i);
    struct comment_submission held = sub("Held", "h@example.com", "held");
    held.now = NOW + 30;
    held.ip = (struct comment_field){NULL, 0};
    struct comment_result hr = submit(db, held);
    cr_assert_eq(hr.status, COMMENT_PENDING);

    struct comment_paging pg = {.on = 1, .per_page = 3, .newest = 1};
    struct comment_pages where;
    int64_t ids[32];
    cr_assert_eq(page_of(db, &pg, 1, ids, &where), 6);
    cr_assert_eq(where.page, 1);
    cr_assert_eq(where.pages, 3);
    cr_assert_eq(where.total, 14, "the count is every approved comment, on every page");
    int64_t want1[] = {top[0], reply[0], top[1], reply[1], top[2], reply[2]};
    cr_assert_arr_eq(ids, want1, sizeof(want1));
    cr_assert_eq(page_of(db, &pg, 3, ids, &where), 2);
    cr_assert_eq(ids[0], top[6]);
    cr_assert_eq(ids[1], reply[6]);
    /* the default page: the newest with "newest", the first with "oldest" */
    cr_assert_eq(page_of(db, &pg, 0, ids, &where), 2);
    cr_assert_eq(where.page, 3);
    pg.newest = 0;
    cr_assert_eq(page_of(db, &pg, 0, ids, &where), 6);
    cr_assert_eq(where.page, 1);
    struct comment_list l;
    cr_assert_eq(comment_thread_page(db, post_id, 5, &pg, 4, &l, &where), -ENOENT, "past the last page");

    /* where each comment is, and a held one is nowhere */
    int64_t ask[] = {reply[0], top[4], reply[6], hr.id};
    size_t at[4], pages;
    cr_assert_eq(comment_pages_of(db, post_id, &pg, ask, 4, at, &pages), 0);
    cr_assert_eq(pages, 3);
    cr_assert_eq(at[0], 1);
    cr_assert_eq(at[1], 2);
    cr_assert_eq(at[2], 3);
    cr_assert_eq(at[3], 0);

    /* paging off: one page with everything */
    pg.on = 0;
    cr_assert_eq(page_of(db, &pg, 0, ids, &where), 14);
    cr_assert_eq(where.pages, 1);
    cr_assert_eq(comment_pages_of(db, post_id, &pg, ask, 4, at, &pages), 0);
    cr_assert_eq(at[2], 1);
    cr_assert_eq(comment_thread_page(db, post_id, 5, &pg, 2, &l, &where), -ENOENT);

    /* moderation moves threads between pages: a trashed top-level comment's reply starts a thread */
    pg.on = 1;
    cr_assert_eq(comment_set_status(db, top[0], COMMENT_TRASH), 0);
    cr_assert_eq(page_of(db, &pg, 1, ids, &where), 6);
    cr_assert_eq(where.total, 13);
    int64_t want2[] = {top[1], reply[1], top[2], reply[2], top[3], reply[3]};
    cr_assert_arr_eq(ids, want2, sizeof(want2));
    cr_assert_eq(page_of(db, &pg, 3, ids, &where), 1);
    cr_assert_eq(ids[0], reply[0], "r1 is a thread of its own, in the order it was written");
    db_close(db);
}

Test(comment, the_settings_page_comments_as_wordpress_does_by_default)
{
    struct db *db = site();
    struct comment_paging pg;
    cr_assert_eq(comment_paging_get(db, &pg), 0);
    cr_assert_eq(pg.on, 1);
    cr_assert_eq(pg.per_page, 50);
    cr_assert_eq(pg.newest, 1);
    cr_assert_eq(comment_default_page(&pg, 4), 4);
    cr_assert_eq(setting_set(db, "default_comments_page", "oldest"), 0);
    cr_assert_eq(setting_set(db, "default_comments_page", "middle"), -EINVAL);
    cr_assert_eq(setting_set(db, "comments_per_page", "0"), -EINVAL);
    cr_assert_eq(setting_set(db, "page_comments", "0"), 0);
    cr_assert_eq(comment_paging_get(db, &pg), 0);
    cr_assert_eq(pg.on, 0);
    cr_assert_eq(pg.newest, 0);
    cr_assert_eq(comment_default_page(&pg, 4), 1);
    db_close(db);
}
