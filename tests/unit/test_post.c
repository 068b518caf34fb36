#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "lib/timeutil.h"
#include "news/post.h"
#include "news/taxonomy.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(post, .fini = tmpdata_remove);

#define NOW 1777887000 /* 2026-05-04T09:30:00Z */
#define DAY 86400

static int64_t author(struct db *db)
{
    int64_t id;
    cr_assert_eq(user_create(db, "ann", "Ann Writer", "ann@example.com", ROLE_AUTHOR, NULL, NOW, &id), 0);
    return id;
}

static int64_t add(struct db *db, int64_t uid, const char *title, enum post_status st, int64_t when)
{
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = st,
                          .title = title,
                          .author_id = uid,
                          .source = "Body of the *story*.",
                          .comments_open = 1,
                          .published_at = when};
    int64_t id;
    cr_assert_eq(post_create(db, &in, NOW, &id), 0, "%s", title);
    return id;
}

static struct post get(struct db *db, int64_t id)
{
    struct post p;
    cr_assert_eq(db_post_get(db, id, &p), 0);
    return p;
}

Test(post, create_renders_slugs_and_excerpts)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db);
    int64_t id = add(db, uid, "Café opens on Main Street", POST_PUBLISHED, NOW - DAY);
    struct post p = get(db, id);
    cr_assert_str_eq(p.slug, "cafe-opens-on-main-street");
    cr_assert_str_eq(p.html, "<p>Body of the <em>story</em>.</p>\n");
    cr_assert_str_eq(p.excerpt, "Body of the story.");
    cr_assert_str_eq(p.author_login, "ann");
    cr_assert_str_eq(p.author_name, "Ann Writer");
    cr_assert_eq(p.version, 1);
    cr_assert_eq(p.published_at, NOW - DAY);
    cr_assert_eq(p.created_at, NOW);
    post_clear(&p);
    db_close(db);
}

Test(post, slugs_are_unique_per_type)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db);
    int64_t a = add(db, uid, "Same Title", POST_PUBLISHED, NOW);
    int64_t b = add(db, uid, "Same title!", POST_DRAFT, NOW);
    int64_t c = add(db, uid, "same   TITLE", POST_PUBLISHED, NOW);
    struct post_new page = {.type = POST_TYPE_PAGE, .status = POST_PUBLISHED, .title = "Same Title", .author_id = uid};
    int64_t d;
    cr_assert_eq(post_create(db, &page, NOW, &d), 0);
    struct post pa = get(db, a), pb = get(db, b), pc = get(db, c), pd = get(db, d);
    cr_assert_str_eq(pa.slug, "same-title");
    cr_assert_str_eq(pb.slug, "same-title-2");
    cr_assert_str_eq(pc.slug, "same-title-3");
    cr_assert_str_eq(pd.slug, "same-title", "pages have their own slug space");
    post_clear(&pa);
    post_clear(&pb);
    post_clear(&pc);
    post_clear(&pd);

    char s[SLUG_MAX + 1];
    cr_assert_eq(post_unique_slug(db, POST_TYPE_POST, "Same Title", a, s), 0);
    cr_assert_str_eq(s, "same-title", "a post keeps its own slug");
    cr_assert_eq(post_unique_slug(db, POST_TYPE_PAGE, "category", 0, s), 0);
    cr_assert_str_eq(s, "category-2", "pages cannot shadow the site's own paths");
    cr_assert_eq(post_unique_slug(db, POST_TYPE_POST, "!!!", 0, s), 0);
    cr_assert_str_eq(s, "post");
    db_close(db);
}

Test(post, a_given_slug_wins_and_a_long_one_keeps_its_suffix)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db);
    struct post_new in = {
        .type = POST_TYPE_POST, .status = POST_PUBLISHED, .title = "T", .slug = "My Slug", .author_id = uid};
    int64_t id;
    cr_assert_eq(post_create(db, &in, NOW, &id), 0);
    struct post p = get(db, id);
    cr_assert_str_eq(p.slug, "my-slug");
    post_clear(&p);

    char long_title[SLUG_MAX + 50];
    memset(long_title, 'a', sizeof(long_title) - 1);
    long_title[sizeof(long_title) - 1] = '\0';
    int64_t x = add(db, uid, long_title, POST_PUBLISHED, NOW), y = add(db, uid, long_title, POST_PUBLISHED, NOW);
    struct post px = get(db, x), py = get(db, y);
    cr_assert_eq(strlen(px.slug), SLUG_MAX);
    cr_assert_eq(strlen(py.slug), SLUG_MAX);
    cr_assert_str_eq(py.slug + SLUG_MAX - 2, "-2");
    post_clear(&px);
    post_clear(&py);
    db_close(db);
}

Test(post, refuses_bad_input)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db), id;
    struct post_new in = {.type = POST_TYPE_POST, .status = POST_PUBLISHED, .title = "", .author_id = uid};
    cr_assert_eq(post_create(db, &in, NOW, &id), -EINVAL);
    in.title = "No such author";
    in.author_id = 999;
    cr_assert_lt(post_create(db, &in, NOW, &id), 0);
    int empty;
    struct post_list all;
    cr_assert_eq(db_post_list_all(db, &all), 0);
    cr_assert_eq(all.n, 0, "nothing half-written");
    (void)empty;
    db_close(db);
}

Test(post, permalinks)
{
    struct post p = {.type = POST_TYPE_POST, .slug = "hello", .published_at = NOW};
    char path[POST_PATH_MAX];
    cr_assert_eq(post_path(&p, path, sizeof(path)), 18);
    cr_assert_str_eq(path, "/2026/05/04/hello/");
    p.published_at = 1798761599; /* 2026-12-31T23:59:59Z: the UTC date, whatever the local zone */
    post_path(&p, path, sizeof(path));
    cr_assert_str_eq(path, "/2026/12/31/hello/");
    p.type = POST_TYPE_PAGE;
    p.slug = "about";
    post_path(&p, path, sizeof(path));
    cr_assert_str_eq(path, "/about/");
    cr_assert_eq(post_path(&p, path, 4), -ENOSPC);
}

Test(post, excerpts_strip_tags_and_cut_at_55_words)
{
    char *e = NULL;
    const char *html = "<h2>Head</h2><p>One &amp; <em>two</em></p><script>var x = 1;</script><p>three&nbsp;four</p>";
    cr_assert_eq(post_excerpt_from_html(html, strlen(html), 55, &e), 0);
    cr_assert_str_eq(e, "Head One & two three four");
    free(e);
    char words[2000] = "";
    for (int i = 0; i < 60; i++)
        strcat(words, "w ");
    cr_assert_eq(post_excerpt_from_html(words, strlen(words), 55, &e), 0);
    cr_assert_eq(strlen(e), 55 * 2 - 1 + strlen("…"));
    cr_assert_str_eq(e + strlen(e) - strlen("…"), "…");
    free(e);
}

Test(post, a_cut_excerpt_ends_in_one_mark)
{
    static const struct {
        const char *html;
        size_t words;
        const char *want;
    } cases[] = {
        {"<p>One two. Three</p>", 2, "One two…"},     {"<p>One two, three</p>", 2, "One two…"},
        {"<p>Really?! Yes</p>", 1, "Really…"},        {"<p>Wait... more</p>", 1, "Wait…"},
        {"<p>Wait\xe2\x80\xa6 more</p>", 1, "Wait…"}, {"<p>(aside) three</p>", 1, "(aside)…"},
        {"<p>One two.</p>", 2, "One two."}, /* not cut: the author's own full stop */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *e = NULL;
        cr_assert_eq(post_excerpt_from_html(cases[i].html, strlen(cases[i].html), cases[i].words, &e), 0);
        cr_assert_str_eq(e, cases[i].want, "%s", cases[i].html);
        free(e);
    }
}

Test(post, given_excerpt_and_html_format)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db), id;
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "H",
                          .author_id = uid,
                          .format = POST_FORMAT_HTML,
                          .source = "<p>kept <b>as is</b></p>",
                          .excerpt = "Short."};
    cr_assert_eq(post_create(db, &in, NOW, &id), 0);
    struct post p = get(db, id);
    cr_assert_str_eq(p.html, "<p>kept <b>as is</b></p>\n", "HTML gets wpautop, as the import does");
    cr_assert_str_eq(p.excerpt, "Short.");
    cr_assert_eq(p.as_written, 0);
    post_clear(&p);

    in.source = "line one\nline two\n\n[caption]<img src=\"/a.png\" alt=\"\"> A harbour[/caption]";
    cr_assert_eq(post_create(db, &in, NOW, &id), 0);
    p = get(db, id);
    cr_assert_str_eq(p.html, "<p>line one<br />\nline two</p>\n<figure class=\"wp-caption alignnone\"><img "
                             "src=\"/a.png\" alt=\"\"><figcaption class=\"wp-caption-text\">A "
                             "harbour</figcaption></figure>\n");
    post_clear(&p);

    in.as_written = 1;
    cr_assert_eq(post_create(db, &in, NOW, &id), 0);
    p = get(db, id);
    cr_assert_str_eq(p.html, in.source, "as written: the HTML is the source");
    cr_assert_eq(p.as_written, 1);
    post_clear(&p);
    db_close(db);
}

Test(post, markup_names)
{
    enum post_format f;
    int w = 7;
    cr_assert_eq(post_markup_parse("html-as-written", &f, &w), 0);
    cr_assert(f == POST_FORMAT_HTML && w == 1);
    cr_assert_eq(post_markup_parse("markdown", &f, &w), 0);
    cr_assert(f == POST_FORMAT_MARKDOWN && w == 0);
    cr_assert_eq(post_markup_parse("html", &f, &w), 0);
    cr_assert(f == POST_FORMAT_HTML && w == 0);
    cr_assert_eq(post_markup_parse("HTML", &f, &w), -EINVAL);
    cr_assert_eq(post_markup_parse(NULL, &f, &w), -EINVAL);
    cr_assert_str_eq(post_markup_name(POST_FORMAT_HTML, 1), "html-as-written");
    cr_assert_str_eq(post_markup_name(POST_FORMAT_MARKDOWN, 1), "markdown");
}

Test(post, public_reads_show_only_published_posts_whose_time_has_come)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db);
    int64_t pub = add(db, uid, "Published", POST_PUBLISHED, NOW - DAY);
    add(db, uid, "Draft", POST_DRAFT, NOW - DAY);
    add(db, uid, "Pending", POST_PENDING, NOW - DAY);
    add(db, uid, "Private", POST_PRIVATE, NOW - DAY);
    add(db, uid, "Trash", POST_TRASH, NOW - DAY);
    add(db, uid, "Scheduled", POST_SCHEDULED, NOW + DAY);
    int64_t future = add(db, uid, "Future", POST_PUBLISHED, NOW + DAY);

    struct post_list l;
    cr_assert_eq(post_home(db, NOW, 1, 10, &l), 0);
    cr_assert_eq(l.n, 1);
    cr_assert_eq(l.items[0].id, pub);
    cr_assert_null(l.items[0].source, "lists do not load sources");
    post_list_free(&l);
    int64_t n;
    cr_assert_eq(post_home_count(db, NOW, &n), 0);
    cr_assert_eq(n, 1);

    struct post p;
    cr_assert_eq(post_by_date_slug(db, 2026, 5, 3, "published", 9, NOW, &p), 0);
    cr_assert_eq(p.id, pub);
    cr_assert_not_null(p.source);
    post_clear(&p);
    cr_assert_eq(post_by_date_slug(db, 2026, 5, 4, "published", 9, NOW, &p), -ENOENT, "wrong date");
    cr_assert_eq(post_by_date_slug(db, 2026, 5, 3, "draft", 5, NOW, &p), -ENOENT);
    cr_assert_eq(post_by_date_slug(db, 2026, 5, 3, "private", 7, NOW, &p), -ENOENT);
    cr_assert_eq(post_by_date_slug(db, 2026, 5, 5, "future", 6, NOW, &p), -ENOENT, "not yet");
    cr_assert_eq(post_by_date_slug(db, 2026, 5, 5, "future", 6, NOW + 2 * DAY, &p), 0, "its time has come");
    cr_assert_eq(p.id, future);
    post_clear(&p);
    cr_assert_eq(post_by_date_slug(db, 2026, 2, 30, "published", 9, NOW, &p), -ENOENT);
    cr_assert_eq(post_by_date_slug(db, 2026, 5, 3, "publishedX", 9, NOW, &p), 0, "reads only n bytes");
    post_clear(&p);
    cr_assert_eq(post_public_by_id(db, pub, NOW, &p), 0);
    post_clear(&p);
    cr_assert_eq(post_public_by_id(db, future, NOW, &p), -ENOENT);
    int64_t due = 0;
    cr_assert_eq(post_next_due(db, NOW, &due), 0);
    cr_assert_eq(due, NOW + DAY, "the future post and the scheduled one");
    cr_assert_eq(post_next_due(db, NOW + DAY, &due), -ENOENT);
    int count = -1;
    cr_assert_eq(post_publish_due(db, NOW, &count), 0);
    cr_assert_eq(count, 0, "the scheduled post's time has not come");
    cr_assert_eq(post_by_date_slug(db, 2026, 5, 5, "scheduled", 9, NOW + DAY, &p), -ENOENT, "scheduled is hidden");
    uint64_t gen = 0;
    db_changed(db, &gen);
    cr_assert_eq(post_publish_due(db, NOW + DAY, &count), 0);
    cr_assert_eq(count, 1);
    cr_assert_eq(db_changed(db, &gen), 1, "publishing is a change caches see");
    cr_assert_eq(post_by_date_slug(db, 2026, 5, 5, "scheduled", 9, NOW + DAY, &p), 0, "now published");
    cr_assert_eq(p.status, POST_PUBLISHED);
    cr_assert_eq(p.version, 2);
    post_clear(&p);
    db_close(db);
}

Test(post, pages_by_slug)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db), id;
    struct post_new in = {.type = POST_TYPE_PAGE,
                          .status = POST_PUBLISHED,
                          .title = "About",
                          .author_id = uid,
                          .source = "We are a *newspaper*."};
    cr_assert_eq(post_create(db, &in, NOW, &id), 0);
    in.title = "Secret";
    in.status = POST_DRAFT;
    int64_t id2;
    cr_assert_eq(post_create(db, &in, NOW, &id2), 0);
    struct post p;
    cr_assert_eq(page_by_slug(db, "about", 5, NOW, &p), 0);
    cr_assert_eq(p.id, id);
    char path[POST_PATH_MAX];
    post_path(&p, path, sizeof(path));
    cr_assert_str_eq(path, "/about/");
    post_clear(&p);
    cr_assert_eq(page_by_slug(db, "secret", 6, NOW, &p), -ENOENT);
    add(db, uid, "Story", POST_PUBLISHED, NOW - DAY);
    cr_assert_eq(page_by_slug(db, "story", 5, NOW, &p), -ENOENT, "a post is not a page");
    struct post_list l;
    cr_assert_eq(post_home(db, NOW, 1, 10, &l), 0);
    cr_assert_eq(l.n, 1, "pages are not in the home list");
    post_list_free(&l);
    db_close(db);
}

Test(post, home_is_newest_first_sticky_first_and_paged)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db), ids[25];
    for (int i = 0; i < 25; i++) {
        char t[32];
        snprintf(t, sizeof(t), "Story %d", i);
        ids[i] = add(db, uid, t, POST_PUBLISHED, NOW - (25 - i) * 3600);
    }
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Old but sticky",
                          .author_id = uid,
                          .sticky = 1,
                          .published_at = NOW - 100 * DAY};
    int64_t sticky;
    cr_assert_eq(post_create(db, &in, NOW, &sticky), 0);

    struct post_list l;
    cr_assert_eq(post_home(db, NOW, 1, 10, &l), 0);
    cr_assert_eq(l.n, 10);
    cr_assert_eq(l.items[0].id, sticky);
    cr_assert_eq(l.items[1].id, ids[24]);
    cr_assert_eq(l.items[9].id, ids[16]);
    post_list_free(&l);
    cr_assert_eq(post_home(db, NOW, 3, 10, &l), 0);
    cr_assert_eq(l.n, 6);
    cr_assert_eq(l.items[5].id, ids[0]);
    for (size_t i = 0; i < l.n; i++)
        cr_assert_neq(l.items[i].id, sticky, "sticky posts do not repeat");
    post_list_free(&l);
    cr_assert_eq(post_home(db, NOW, 4, 10, &l), 0);
    cr_assert_eq(l.n, 0);
    post_list_free(&l);
    cr_assert_eq(post_home(db, NOW, (size_t)-1, 10, &l), 0);
    cr_assert_eq(l.n, 0);
    int64_t n;
    cr_assert_eq(post_home_count(db, NOW, &n), 0);
    cr_assert_eq(n, 26);
    db_close(db);
}

Test(post, neighbours_follow_time_then_id_and_skip_hidden_posts)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db);
    int64_t a = add(db, uid, "A", POST_PUBLISHED, NOW - 3 * DAY);
    int64_t b = add(db, uid, "B", POST_PUBLISHED, NOW - 2 * DAY);
    int64_t c = add(db, uid, "C same time as B", POST_PUBLISHED, NOW - 2 * DAY);
    add(db, uid, "Draft", POST_DRAFT, NOW - DAY - 10);
    add(db, uid, "Private", POST_PRIVATE, NOW - DAY - 9);
    add(db, uid, "Trash", POST_TRASH, NOW - DAY - 8);
    add(db, uid, "Pending", POST_PENDING, NOW - DAY - 7);
    add(db, uid, "Scheduled", POST_SCHEDULED, NOW + DAY);
    add(db, uid, "Future", POST_PUBLISHED, NOW + DAY);
    struct post_new page = {
        .type = POST_TYPE_PAGE, .status = POST_PUBLISHED, .title = "Page", .author_id = uid, .published_at = NOW - DAY};
    int64_t pg;
    cr_assert_eq(post_create(db, &page, NOW, &pg), 0);
    int64_t d = add(db, uid, "D", POST_PUBLISHED, NOW - 60);

    struct {
        int64_t id, prev, next;
    } want[] = {{a, 0, b}, {b, a, c}, {c, b, d}, {d, c, 0}};
    for (size_t i = 0; i < 4; i++) {
        struct post p = get(db, want[i].id), prev, next;
        cr_assert_eq(post_neighbours(db, &p, NOW, &prev, &next), 0);
        cr_assert_eq(prev.id, want[i].prev, "prev of %s", p.title);
        cr_assert_eq(next.id, want[i].next, "next of %s", p.title);
        if (prev.id)
            cr_assert_not_null(prev.title);
        else
            cr_assert_null(prev.title);
        post_clear(&p);
        post_clear(&prev);
        post_clear(&next);
    }
    struct post p = get(db, pg), prev, next;
    cr_assert_eq(post_neighbours(db, &p, NOW, &prev, &next), 0);
    cr_assert_eq(prev.id + next.id, 0, "pages have no neighbours");
    post_clear(&p);
    db_close(db);
}

Test(post, categories_and_tags)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db), id, id2;
    const char *cats[] = {"World News", "Économie"}, *tags[] = {"elections", "Europe", "europe"};
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Vote",
                          .author_id = uid,
                          .categories = cats,
                          .n_categories = 2,
                          .tags = tags,
                          .n_tags = 3,
                          .published_at = NOW - DAY};
    cr_assert_eq(post_create(db, &in, NOW, &id), 0);
    in.title = "Draft vote";
    in.status = POST_DRAFT;
    in.n_categories = 1;
    cr_assert_eq(post_create(db, &in, NOW, &id2), 0);

    struct term_list l;
    cr_assert_eq(post_terms(db, id, TERM_CATEGORY, &l), 0);
    cr_assert_eq(l.n, 2);
    /* by name, case ignored: SQLite orders the bytes ignoring ASCII case (non-ASCII letters sort
     * after), PostgreSQL by Unicode's collation (É with E) */
    int e = tmpdata_pg() ? 0 : 1;
    cr_assert_str_eq(l.items[1 - e].slug, "world-news");
    cr_assert_str_eq(l.items[e].name, "Économie");
    cr_assert_str_eq(l.items[e].slug, "economie");
    term_list_free(&l);
    cr_assert_eq(post_terms(db, id, TERM_TAG, &l), 0);
    cr_assert_eq(l.n, 2, "names match ignoring case");
    term_list_free(&l);

    struct term t;
    cr_assert_eq(term_by_slug(db, TERM_CATEGORY, "world-news", 10, &t), 0);
    struct post_list posts;
    cr_assert_eq(term_posts(db, t.id, NOW, 1, 10, &posts), 0);
    cr_assert_eq(posts.n, 1, "the draft is not listed");
    cr_assert_eq(posts.items[0].id, id);
    post_list_free(&posts);
    int64_t n;
    cr_assert_eq(term_post_count(db, t.id, NOW, &n), 0);
    cr_assert_eq(n, 1);
    term_clear(&t);
    cr_assert_eq(term_by_slug(db, TERM_TAG, "world-news", 10, &t), -ENOENT, "taxonomies are apart");
    cr_assert_eq(term_list(db, TERM_CATEGORY, NOW, &l), 0);
    cr_assert_eq(l.n, 2);
    cr_assert_eq(l.items[0].count, 1);
    term_list_free(&l);

    int64_t tid;
    cr_assert_eq(term_ensure(db, TERM_CATEGORY, "World-News", &tid), 0, "a different name with the same slug");
    cr_assert_eq(db_term_get(db, tid, &t), 0);
    cr_assert_str_eq(t.slug, "world-news-2");
    term_clear(&t);
    cr_assert_eq(term_ensure(db, TERM_CATEGORY, "", &tid), -EINVAL);
    int64_t by_slug;
    cr_assert_eq(term_ensure(db, TERM_CATEGORY, "economie", &by_slug), 0);
    cr_assert_eq(db_term_get(db, by_slug, &t), 0);
    cr_assert_str_eq(t.name, "Économie", "a slug names the existing term");
    term_clear(&t);
    db_close(db);
}

Test(post, author_and_update_versions)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db);
    int64_t id = add(db, uid, "V", POST_PUBLISHED, NOW);
    struct post p = get(db, id);
    struct user u;
    cr_assert_eq(post_author(db, &p, &u), 0);
    cr_assert_str_eq(u.login, "ann");
    user_clear(&u);
    cr_assert_eq(db_post_update(db, &p, 1), 0);
    cr_assert_eq(db_post_update(db, &p, 1), -ESTALE, "someone else saved in between");
    post_clear(&p);
    p = get(db, id);
    cr_assert_eq(p.version, 2);
    post_clear(&p);
    db_close(db);
}

Test(post, update_rewrites_rerenders_and_checks_the_version)
{
    struct db *db = tmpdata_open();
    int64_t uid = author(db);
    int64_t other = add(db, uid, "Taken title", POST_PUBLISHED, NOW - DAY);
    int64_t id = add(db, uid, "First title", POST_DRAFT, NOW - DAY);
    const char *cats[] = {"City"};
    struct post_new in = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Taken title",
                          .source = "New *body*",
                          .comments_open = 1,
                          .categories = cats,
                          .n_categories = 1};
    cr_assert_eq(post_update(db, id, &in, 1, NOW + 60), 0);
    struct post p = get(db, id);
    cr_assert_str_eq(p.slug, "taken-title-2", "still unique");
    cr_assert_str_eq(p.html, "<p>New <em>body</em></p>\n");
    cr_assert_str_eq(p.excerpt, "New body");
    cr_assert_eq(p.status, POST_PUBLISHED);
    cr_assert_eq(p.author_id, uid, "kept");
    cr_assert_eq(p.published_at, NOW - DAY, "kept");
    cr_assert_eq(p.created_at, NOW);
    cr_assert_eq(p.modified_at, NOW + 60);
    cr_assert_eq(p.version, 2);
    post_clear(&p);
    struct term_list l;
    cr_assert_eq(post_terms(db, id, TERM_CATEGORY, &l), 0);
    cr_assert_eq(l.n, 1);
    term_list_free(&l);

    in.title = "Stale edit";
    cr_assert_eq(post_update(db, id, &in, 1, NOW + 120), -ESTALE);
    p = get(db, id);
    cr_assert_str_eq(p.title, "Taken title", "nothing changed");
    post_clear(&p);
    in.slug = "taken-title-2";
    cr_assert_eq(post_update(db, id, &in, 0, NOW + 120), 0, "0: no version check");
    p = get(db, id);
    cr_assert_str_eq(p.slug, "taken-title-2", "a post keeps its own slug");
    post_clear(&p);
    cr_assert_eq(post_update(db, 9999, &in, 0, NOW), -ENOENT);
    (void)other;
    db_close(db);
}
