#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "news/post.h"
#include "news/search.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(search, .fini = tmpdata_remove);

#define NOW 1777887000 /* 2026-05-04T09:30:00Z */
#define DAY 86400

/* The FTS5 query for s, checked against want; returns the number of words. */
static int query_is(const char *s, const char *want)
{
    struct buf b = BUF_INIT;
    int k = search_fts_query(s, strlen(s), &b);
    cr_assert_geq(k, 0, "%s", s);
    cr_assert_str_eq(b.data ? b.data : "", want, "query for [%s]", s);
    buf_free(&b);
    return k;
}

Test(search, words_are_quoted_and_the_last_is_a_prefix)
{
    cr_assert_eq(query_is("election", "\"election\"*"), 1);
    cr_assert_eq(query_is("  city   election\tresults\n", "\"city\" \"election\" \"results\"*"), 3);
    cr_assert_eq(query_is("an", "\"an\""), 1); /* too short to be a prefix */
    cr_assert_eq(query_is("vote an", "\"vote\" \"an\""), 2);
}

Test(search, fts5_syntax_stays_plain_words)
{
    query_is("a OR b", "\"a\" \"OR\" \"b\"");
    query_is("NOT x AND y", "\"NOT\" \"x\" \"AND\" \"y\"");
    query_is("NEAR(a b, 3)", "\"NEAR(a\" \"b,\" \"3)\"");
    query_is("title:secret", "\"title:secret\"*");
    query_is("^start", "\"^start\"*");
    query_is("say \"hi\"", "\"say\" \"\"\"hi\"\"\"*");
    query_is("a\"b", "\"a\"\"b\"*");
    query_is("x*", "\"x*\"");
    query_is("{title excerpt}: x", "\"{title\" \"excerpt}:\" \"x\"");
}

Test(search, punctuation_alone_is_no_word)
{
    cr_assert_eq(query_is("", ""), 0);
    cr_assert_eq(query_is("   ", ""), 0);
    cr_assert_eq(query_is("\"", ""), 0);
    cr_assert_eq(query_is("* \" ( ) : ^ - +", ""), 0);
    cr_assert_eq(query_is("* vote", "\"vote\"*"), 1);
    struct buf b = BUF_INIT;
    cr_assert_eq(search_fts_query(NULL, 5, &b), 0);
    buf_free(&b);
}

Test(search, unicode_words_are_kept)
{
    query_is("café Zürich", "\"café\" \"Zürich\"*");
    query_is("\xe2\x80\x9cquoted\xe2\x80\x9d", "\"\xe2\x80\x9cquoted\xe2\x80\x9d\"*");
    query_is("日本", "\"日本\"*");
}

Test(search, nul_bytes_are_dropped)
{
    struct buf b = BUF_INIT;
    cr_assert_eq(search_fts_query("ab\0cd", 5, &b), 1);
    cr_assert_eq(b.len, strlen("\"abcd\"*"));
    cr_assert_eq(memcmp(b.data, "\"abcd\"*", b.len), 0);
    buf_free(&b);
}

Test(search, bounded_in_words_and_bytes)
{
    struct buf b = BUF_INIT;
    cr_assert_eq(search_fts_query("a b c d e f g h i j k", 21, &b), SEARCH_MAX_TERMS);
    cr_assert_str_eq(b.data, "\"a\" \"b\" \"c\" \"d\" \"e\" \"f\" \"g\" \"h\"");
    buf_free(&b);

    /* 1000 bytes of one word: only SEARCH_MAX_INPUT of them count. */
    char big[1001];
    memset(big, 'x', 1000);
    big[1000] = '\0';
    cr_assert_eq(search_fts_query(big, 1000, &b), 1);
    cr_assert_eq(b.len, SEARCH_MAX_INPUT + 3);
    buf_free(&b);

    /* A cut never splits a UTF-8 character: 'é' is 2 bytes, the 200th byte starts one. */
    char u[400];
    u[0] = 'a';
    for (int i = 1; i < 399; i += 2)
        u[i] = (char)0xc3, u[i + 1] = (char)0xa9;
    cr_assert_eq(search_fts_query(u, 399, &b), 1);
    cr_assert_eq(b.len, 1 + 199 + 2); /* "a" + 99 x "é" inside the quotes and the '*' */
    buf_free(&b);
}

static int64_t add(struct db *db, int64_t uid, enum post_type type, enum post_status st, const char *title,
                   const char *body, int64_t when)
{
    struct post_new in = {.type = type,
                          .status = st,
                          .title = title,
                          .author_id = uid,
                          .source = body,
                          .comments_open = 1,
                          .published_at = when};
    int64_t id;
    cr_assert_eq(post_create(db, &in, NOW, &id), 0, "%s", title);
    return id;
}

Test(search, finds_public_posts_and_pages_best_first)
{
    struct db *db = tmpdata_open();
    int64_t uid;
    cr_assert_eq(user_create(db, "ann", "Ann Writer", "ann@example.com", ROLE_AUTHOR, NULL, NOW, &uid), 0);
    int64_t body =
        add(db, uid, POST_TYPE_POST, POST_PUBLISHED, "Harbour news", "The election was quiet.", NOW - 3 * DAY);
    int64_t title = add(db, uid, POST_TYPE_POST, POST_PUBLISHED, "Election day", "Queues at dawn.", NOW - 5 * DAY);
    int64_t page = add(db, uid, POST_TYPE_PAGE, POST_PUBLISHED, "About elections", "How we cover them.", NOW - 9 * DAY);
    add(db, uid, POST_TYPE_POST, POST_DRAFT, "Election draft", "Secret election.", NOW - DAY);
    add(db, uid, POST_TYPE_POST, POST_PRIVATE, "Election private", "Private election.", NOW - DAY);
    add(db, uid, POST_TYPE_POST, POST_SCHEDULED, "Election later", "Scheduled election.", NOW + DAY);
    add(db, uid, POST_TYPE_POST, POST_PUBLISHED, "Election future", "Future election.", NOW + DAY);

    struct post_list l;
    int64_t total;
    cr_assert_eq(search_posts(db, "election", 8, NOW, 1, 10, &l, &total), 0);
    cr_assert_eq(total, 3);
    cr_assert_eq(l.n, 3);
    cr_assert_eq(l.items[0].id, title, "a title match ranks first");
    cr_assert(l.items[1].id == page || l.items[2].id == page, "the page is found by prefix");
    cr_assert(l.items[1].id == body || l.items[2].id == body);
    post_list_free(&l);

    /* paging */
    cr_assert_eq(search_posts(db, "election", 8, NOW, 2, 2, &l, &total), 0);
    cr_assert_eq(total, 3);
    cr_assert_eq(l.n, 1);
    post_list_free(&l);
    cr_assert_eq(search_posts(db, "election", 8, NOW, 3, 2, &l, &total), 0);
    cr_assert_eq(l.n, 0);
    post_list_free(&l);

    /* two words: both required */
    cr_assert_eq(search_posts(db, "election quiet", 14, NOW, 1, 10, &l, &total), 0);
    cr_assert_eq(total, 1);
    cr_assert_eq(l.items[0].id, body);
    post_list_free(&l);
    db_close(db);
}

Test(search, hostile_input_never_fails)
{
    struct db *db = tmpdata_open();
    int64_t uid;
    cr_assert_eq(user_create(db, "ann", "Ann Writer", "ann@example.com", ROLE_AUTHOR, NULL, NOW, &uid), 0);
    add(db, uid, POST_TYPE_POST, POST_PUBLISHED, "Near or far", "Nothing (special) here: \"quoted\".", NOW - DAY);
    static const char *const inputs[] = {
        "\"",      "\"\"",     "*",        "NEAR(",   "NEAR(a b)",  "a OR",       "OR",         "AND NOT",
        "NOT",     "(",        ")",        "title:x", "{title}: x", "^",          "-x",         "+",
        "a\"b\"c", "\xff\xfe", "\xe2\x80", "near or", "quoted\"",   "x NEAR/3 y", "col : near",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        struct post_list l;
        int64_t total = -1;
        cr_assert_eq(search_posts(db, inputs[i], strlen(inputs[i]), NOW, 1, 10, &l, &total), 0, "[%s]", inputs[i]);
        cr_assert_geq(total, 0);
        post_list_free(&l);
    }
    struct post_list l;
    int64_t total;
    cr_assert_eq(search_posts(db, "near or", 7, NOW, 1, 10, &l, &total), 0);
    cr_assert_eq(total, 1, "operators are words");
    post_list_free(&l);
    cr_assert_eq(search_posts(db, "", 0, NOW, 1, 10, &l, &total), 0);
    cr_assert_eq(total, 0);
    cr_assert_eq(l.n, 0);
    post_list_free(&l);
    db_close(db);
}
