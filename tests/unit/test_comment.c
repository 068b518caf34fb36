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
