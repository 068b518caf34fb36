#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "news/comment.h"
#include "news/post.h"
#include "news/settings.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(comment_rules, .fini = tmpdata_remove);

#define NOW 1777887000
#define DAY 86400

static int64_t story(struct db *db, int64_t published)
{
    int64_t uid, id;
    if (user_create(db, "ed", NULL, NULL, ROLE_EDITOR, NULL, NOW, &uid) == -EEXIST)
        uid = 1;
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Story",
                          .author_id = uid,
                          .source = "x",
                          .comments_open = 1,
                          .published_at = published};
    cr_assert_eq(post_create(db, &in, NOW, &id), 0);
    return id;
}

#define F(s) ((struct comment_field){(s), strlen(s)})

static struct comment_result submit(struct db *db, int64_t post, const char *author, const char *email,
                                    const char *body)
{
    struct comment_submission s = {
        .post_id = post, .author = F(author), .email = F(email), .body = F(body), .now = NOW, .force_status = -1};
    struct comment_result r;
    cr_assert_eq(comment_submit(db, &s, &r), 0);
    return r;
}

Test(comment_rules, word_lists_send_to_spam_or_hold)
{
    struct db *db = tmpdata_open();
    int64_t p = story(db, NOW - DAY);
    cr_assert_eq(setting_set(db, "comment_hold_first", "0"), 0);
    cr_assert_eq(setting_set(db, "comment_disallowed_keys", "  casino \n\nViagra"), 0);
    cr_assert_eq(setting_set(db, "comment_moderation_keys", "refund"), 0);
    struct comment_result r = submit(db, p, "Ann", "ann@example.com", "Nice story.");
    cr_assert_eq(r.status, COMMENT_APPROVED);
    r = submit(db, p, "Bob", "bob@example.com", "Cheap VIAGRA here");
    cr_assert_eq(r.outcome, COMMENT_ACCEPTED);
    cr_assert_eq(r.status, COMMENT_SPAM, "a disallowed word, any case");
    r = submit(db, p, "Casino Carl", "carl@example.com", "Hello");
    cr_assert_eq(r.status, COMMENT_SPAM, "the author's name counts too");
    r = submit(db, p, "Dee", "dee@example.com", "I want a refund");
    cr_assert_eq(r.status, COMMENT_PENDING, "a moderation word holds it");
    db_close(db);
}

Test(comment_rules, comments_close_after_n_days)
{
    struct db *db = tmpdata_open();
    int64_t old = story(db, NOW - 10 * DAY);
    cr_assert_eq(setting_set(db, "comment_close_days", "7"), 0);
    struct comment_result r = submit(db, old, "Ann", "ann@example.com", "Late.");
    cr_assert_eq(r.outcome, COMMENT_CLOSED);
    cr_assert_eq(setting_set(db, "comment_close_days", "0"), 0);
    r = submit(db, old, "Ann", "ann@example.com", "Late.");
    cr_assert_eq(r.outcome, COMMENT_ACCEPTED, "0 never closes");
    db_close(db);
}

Test(comment_rules, name_and_email_may_be_optional)
{
    struct db *db = tmpdata_open();
    int64_t p = story(db, NOW - DAY);
    struct comment_result r = submit(db, p, "", "", "Who am I?");
    cr_assert_eq(r.outcome, COMMENT_INVALID, "required by default");
    cr_assert_eq(setting_set(db, "comment_require_name_email", "0"), 0);
    r = submit(db, p, "", "", "Who am I?");
    cr_assert_eq(r.outcome, COMMENT_ACCEPTED);
    struct comment c;
    cr_assert_eq(db_comment_get(db, r.id, &c), 0);
    cr_assert_str_eq(c.author, "Anonymous");
    comment_clear(&c);
    r = submit(db, p, "Eve", "not-an-address", "Bad email still refused");
    cr_assert_eq(r.outcome, COMMENT_INVALID, "a given email must still look like one");
    db_close(db);
}
