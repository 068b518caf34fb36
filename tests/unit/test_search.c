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

/* The terms of s, as "text" (or "text*" for a prefix, "\"text\"" for a phrase) joined by '|'. */
static size_t terms_are(const char *s, size_t n, const char *want)
{
    struct search_query q;
    char got[1024] = "";
    size_t k = search_parse(s, n, &q);
    cr_assert_eq(k, q.n);
    for (size_t i = 0; i < q.n; i++) {
        const struct search_term *t = &q.terms[i];
        char one[300];
        snprintf(one, sizeof(one), "%s%s%.*s%s%s", i ? "|" : "", t->phrase ? "\"" : "", (int)t->len, t->text,
                 t->phrase ? "\"" : "", t->prefix ? "*" : "");
        strncat(got, one, sizeof(got) - strlen(got) - 1);
    }
    cr_assert_str_eq(got, want, "terms of [%.*s]", (int)n, s);
    return k;
}

static size_t terms_of(const char *s, const char *want)
{
    return terms_are(s, strlen(s), want);
}

Test(search, words_phrases_and_prefixes)
{
    cr_assert_eq(terms_of("election", "election"), 1);
    cr_assert_eq(terms_of("  city   election\tresults\n", "city|election|results"), 3);
    cr_assert_eq(terms_of("elect*", "elect"), 1, "the last word is only made a prefix by search_posts");
    cr_assert_eq(terms_of("el** x*", "el|x"), 2);
    cr_assert_eq(terms_of("\"city council\" vote", "\"city council\"|vote"), 2);
    cr_assert_eq(terms_of("vote \"city council", "vote|\"city council\""), 2, "an unclosed quote runs to the end");
    cr_assert_eq(terms_of("\"\" \"  \" x", "x"), 1);
}

Test(search, operators_stay_plain_words)
{
    terms_of("a OR b", "a|OR|b");
    terms_of("NOT x AND y", "NOT|x|AND|y");
    terms_of("NEAR(a b, 3)", "NEAR(a|b,|3)");
    terms_of("title:secret", "title:secret");
    terms_of("^start", "^start");
    terms_of("a\"b", "a\"b");
    terms_of("{title excerpt}: x", "{title|excerpt}:|x");
}

Test(search, punctuation_alone_is_no_term)
{
    cr_assert_eq(terms_of("", ""), 0);
    cr_assert_eq(terms_of("   ", ""), 0);
    cr_assert_eq(terms_of("\"", ""), 0);
    cr_assert_eq(terms_of("* \" ( ) : ^ - +", ""), 0);
    cr_assert_eq(terms_of("* vote", "vote"), 1);
    struct search_query q;
    cr_assert_eq(search_parse(NULL, 5, &q), 0);
}

Test(search, unicode_words_are_kept)
{
    terms_of("café Zürich", "café|Zürich");
    terms_of("日本", "日本");
}

Test(search, bounded_in_terms_and_bytes)
{
    cr_assert_eq(terms_of("a b c d e f g h i j k", "a|b|c|d|e|f|g|h"), SEARCH_MAX_TERMS);

    /* 1000 bytes of one word: only SEARCH_MAX_INPUT of them count. */
    char big[1001];
    memset(big, 'x', 1000);
    big[1000] = '\0';
    struct search_query q;
    cr_assert_eq(search_parse(big, 1000, &q), 1);
    cr_assert_eq(q.terms[0].len, SEARCH_MAX_INPUT);

    /* A cut never splits a UTF-8 character: 'é' is 2 bytes, the 200th byte starts one. */
    char u[400];
    u[0] = 'a';
    for (int i = 1; i < 399; i += 2)
        u[i] = (char)0xc3, u[i + 1] = (char)0xa9;
    cr_assert_eq(search_parse(u, 399, &q), 1);
    cr_assert_eq(q.terms[0].len, 1 + 198);
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
    /* the title matches (the page's by prefix: few posts hold the whole word) before the body's */
    cr_assert((l.items[0].id == title && l.items[1].id == page) || (l.items[0].id == page && l.items[1].id == title));
    cr_assert_eq(l.items[2].id, body);
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

/* The count of matches of s (search_posts, which tries the last word as a prefix when few posts
 * hold it whole). */
static int64_t matches(struct db *db, const char *s)
{
    struct post_list l;
    int64_t total = -1;
    cr_assert_eq(search_posts(db, s, strlen(s), NOW, 1, 10, &l, &total), 0, "[%s]", s);
    post_list_free(&l);
    return total;
}

/* The start of a word is found whether the word came with a new post, an edit or a publication,
 * folded as the index folds it; a start that no word has finds nothing (on SQLite, told by the
 * list of the index's words, search_words, without reading the index). */
Test(search, the_start_of_a_word_finds_it_however_it_came)
{
    struct db *db = tmpdata_open();
    int64_t uid;
    cr_assert_eq(user_create(db, "ann", "Ann Writer", "ann@example.com", ROLE_AUTHOR, NULL, NOW, &uid), 0);
    int64_t id = add(db, uid, POST_TYPE_POST, POST_PUBLISHED, "Harbourmaster retires", "At the Café Zoë.", NOW - DAY);
    cr_assert_eq(matches(db, "harbo"), 1);
    cr_assert_eq(matches(db, "Harbourm"), 1);
    cr_assert_eq(matches(db, "Zo\xc3\xab"), 1);
    if (!tmpdata_pg()) /* PostgreSQL's 'simple' configuration keeps accents (docs/storage.md) */
        cr_assert_eq(matches(db, "cafe"), 1, "accents folded");
    cr_assert_eq(matches(db, "harbx"), 0);
    cr_assert_eq(matches(db, "zebra"), 0);
    cr_assert_eq(matches(db, "lighth"), 0);

    struct post_new edit = {.type = POST_TYPE_POST,
                            .status = POST_PUBLISHED,
                            .title = "Harbourmaster retires",
                            .source = "The lighthouse keeper too.",
                            .comments_open = 1};
    cr_assert_eq(post_update(db, id, &edit, 0, NOW), 0);
    cr_assert_eq(matches(db, "lighth"), 1, "a word an edit brought");
    cr_assert_eq(matches(db, "harbourmaster lighth"), 1);

    int64_t draft = add(db, uid, POST_TYPE_POST, POST_DRAFT, "Zeppelin sighted", "Over the bay.", NOW - DAY);
    cr_assert_eq(matches(db, "zeppe"), 0, "a draft's words are not searched");
    struct post_new pub = {.type = POST_TYPE_POST,
                           .status = POST_PUBLISHED,
                           .title = "Zeppelin sighted",
                           .source = "Over the bay.",
                           .comments_open = 1,
                           .published_at = NOW - DAY};
    cr_assert_eq(post_update(db, draft, &pub, 0, NOW), 0);
    cr_assert_eq(matches(db, "zeppe"), 1, "published");
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
