#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "news/comment.h"
#include "news/demo.h"
#include "news/post.h"
#include "news/taxonomy.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(demo, .fini = tmpdata_remove);

#define NOW 1777887000

Test(demo, fills_an_empty_site_and_only_an_empty_one)
{
    struct db *db = tmpdata_open();
    char pw[64];
    cr_assert_eq(demo_fill(db, NOW, pw, sizeof(pw)), 0);
    cr_assert_eq(strlen(pw), USER_PASSWORD_GEN);
    struct user u;
    cr_assert_eq(user_verify(db, DEMO_ADMIN_LOGIN, pw, strlen(pw), &u), 0);
    cr_assert_eq(u.role, ROLE_ADMINISTRATOR);
    user_clear(&u);

    char pw2[64] = "";
    cr_assert_eq(demo_fill(db, NOW, pw2, sizeof(pw2)), -EEXIST);
    cr_assert_str_eq(pw2, "");

    int64_t n;
    cr_assert_eq(post_home_count(db, NOW, &n), 0);
    cr_assert_geq(n, 40);

    struct post_list l;
    cr_assert_eq(post_home(db, NOW, 1, 10, &l), 0);
    cr_assert_eq(l.n, 10);
    cr_assert(l.items[0].sticky, "the sticky post leads page 1");
    cr_assert_not(l.items[1].sticky);
    cr_assert_gt(l.items[1].published_at, l.items[2].published_at);
    post_list_free(&l);

    struct term_list cats;
    cr_assert_eq(term_list(db, TERM_CATEGORY, NOW, &cats), 0);
    cr_assert_geq(cats.n, 4);
    cr_assert_leq(cats.n, 6);
    for (size_t i = 0; i < cats.n; i++)
        cr_assert_geq(cats.items[i].count, 5, "%s", cats.items[i].name);
    term_list_free(&cats);

    struct post p;
    cr_assert_eq(page_by_slug(db, "about", 5, NOW, &p), 0);
    cr_assert_not_null(strstr(p.html, "<h2>"));
    post_clear(&p);

    /* the draft and the scheduled post exist but stay hidden */
    struct post_list all;
    cr_assert_eq(db_post_list_all(db, &all), 0);
    int drafts = 0, scheduled = 0, closed = 0, with_list = 0, with_quote = 0;
    for (size_t i = 0; i < all.n; i++) {
        struct post *q = &all.items[i];
        drafts += q->status == POST_DRAFT;
        if (q->status == POST_PUBLISHED) {
            cr_assert_leq(q->published_at, NOW);
            int hour = (int)(q->published_at % 86400 / 3600);
            cr_assert(hour >= 6 && hour <= 20, "%s published at hour %d", q->title, hour);
        }
        scheduled += q->status == POST_SCHEDULED && q->published_at > NOW;
        closed += q->status == POST_PUBLISHED && q->type == POST_TYPE_POST && !q->comments_open;
        struct post full;
        cr_assert_eq(db_post_get(db, q->id, &full), 0);
        with_list += strstr(full.html, "<ul>") != NULL;
        with_quote += strstr(full.html, "<blockquote>") != NULL;
        if (q->status != POST_PUBLISHED)
            cr_assert_eq(post_public_by_id(db, q->id, NOW, &p), -ENOENT);
        post_clear(&full);
    }
    cr_assert_eq(drafts, 1);
    cr_assert_eq(scheduled, 1);
    cr_assert_eq(closed, 1);
    cr_assert_geq(with_list, 5);
    cr_assert_geq(with_quote, 3);

    /* threaded comments, some deeper than the default depth of 5 */
    int threads = 0, deepest = 0;
    for (size_t i = 0; i < all.n; i++) {
        struct comment_list c;
        cr_assert_eq(comment_thread(db, all.items[i].id, 100, &c), 0);
        threads += c.n > 0;
        for (size_t k = 0; k < c.n; k++) {
            if (c.items[k].depth > deepest)
                deepest = c.items[k].depth;
            cr_assert_lt(c.items[k].created_at, NOW);
            cr_assert_geq(c.items[k].created_at, all.items[i].published_at);
        }
        comment_list_free(&c);
    }
    cr_assert_geq(threads, 5);
    cr_assert_geq(deepest, 6);
    post_list_free(&all);
    db_close(db);
}

Test(demo, is_the_same_site_for_the_same_now)
{
    struct db *a = tmpdata_open();
    char pw[64], dir_a[256];
    cr_assert_eq(demo_fill(a, NOW, pw, sizeof(pw)), 0);
    snprintf(dir_a, sizeof(dir_a), "%s", tmpdata_dir);
    struct db *b = tmpdata_open();
    cr_assert_eq(demo_fill(b, NOW, pw, sizeof(pw)), 0);
    struct post_list la, lb;
    cr_assert_eq(db_post_list_all(a, &la), 0);
    cr_assert_eq(db_post_list_all(b, &lb), 0);
    cr_assert_eq(la.n, lb.n);
    for (size_t i = 0; i < la.n; i++) {
        cr_assert_str_eq(la.items[i].slug, lb.items[i].slug);
        cr_assert_str_eq(la.items[i].html, lb.items[i].html);
        cr_assert_eq(la.items[i].published_at, lb.items[i].published_at);
    }
    /* and the articles differ from each other */
    for (size_t i = 1; i < la.n; i++)
        cr_assert_str_neq(la.items[i].excerpt, la.items[i - 1].excerpt);
    post_list_free(&la);
    post_list_free(&lb);
    db_close(a);
    db_close(b);
    tmpdata_remove();
    snprintf(tmpdata_dir, sizeof(tmpdata_dir), "%s", dir_a);
}
