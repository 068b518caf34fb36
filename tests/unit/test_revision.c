#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "db/newsroom.h"
#include "news/post.h"
#include "news/revision.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(revision, .fini = tmpdata_remove);

#define NOW 1777887000
#define DAY 86400

static int64_t mkuser(struct db *db, const char *login)
{
    int64_t id;
    cr_assert_eq(user_create(db, login, NULL, NULL, ROLE_EDITOR, NULL, NOW, &id), 0);
    return id;
}

static struct post get(struct db *db, int64_t id)
{
    struct post p;
    cr_assert_eq(db_post_get(db, id, &p), 0);
    return p;
}

Test(revision, every_save_keeps_a_revision_and_stale_saves_are_refused)
{
    struct db *db = tmpdata_open();
    int64_t uid = mkuser(db, "ed"), other = mkuser(db, "eve");
    const char *cats[] = {"World", "world", "Sport"};
    struct post_edit e = {.type = POST_TYPE_POST,
                          .status = POST_DRAFT,
                          .title = "First",
                          .source = "one\n",
                          .author_id = uid,
                          .comments_open = 1,
                          .categories = cats,
                          .n_categories = 3};
    int64_t id, v;
    cr_assert_eq(post_save(db, &e, uid, NOW, &id, &v), 0);
    cr_assert_eq(v, 1);
    struct post p = get(db, id);
    cr_assert_str_eq(p.slug, "first");
    cr_assert_eq(p.status, POST_DRAFT);
    post_clear(&p);
    struct term_list tl;
    cr_assert_eq(db_post_terms(db, id, TERM_CATEGORY, &tl), 0);
    cr_assert_eq(tl.n, 2, "World named twice is one category");
    term_list_free(&tl);

    /* two editors open version 1; the first save wins, the second is refused */
    e.id = id;
    e.version = 1;
    e.source = "one\ntwo\n";
    cr_assert_eq(post_save(db, &e, uid, NOW + 10, &id, &v), 0);
    cr_assert_eq(v, 2);
    e.source = "something else\n";
    cr_assert_eq(post_save(db, &e, other, NOW + 20, &id, &v), -ESTALE);
    p = get(db, id);
    cr_assert_str_eq(p.source, "one\ntwo\n", "the stale save changed nothing");
    cr_assert_eq(p.version, 2);
    post_clear(&p);

    struct revision_list rl;
    cr_assert_eq(db_revision_list(db, id, 10, &rl), 0);
    cr_assert_eq(rl.n, 2);
    cr_assert_str_eq(rl.items[0].user_name, "ed");
    int64_t first = rl.items[1].id;
    revision_list_free(&rl);

    cr_assert_eq(revision_restore(db, first, 1, other, NOW + 30), -ESTALE);
    cr_assert_eq(revision_restore(db, first, 2, other, NOW + 30), 0);
    p = get(db, id);
    cr_assert_str_eq(p.source, "one\n");
    cr_assert_eq(p.version, 3);
    post_clear(&p);
    cr_assert_eq(db_revision_list(db, id, 10, &rl), 0);
    cr_assert_eq(rl.n, 3, "restoring is itself a revision");
    cr_assert_eq(rl.items[0].user_id, other);
    revision_list_free(&rl);
    db_close(db);
}

Test(revision, a_future_time_schedules_and_the_timer_publishes)
{
    struct db *db = tmpdata_open();
    int64_t uid = mkuser(db, "ed");
    struct post_edit e = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Later",
                          .source = "x",
                          .author_id = uid,
                          .published_at = NOW + DAY};
    int64_t id, at;
    int n;
    cr_assert_eq(post_save(db, &e, uid, NOW, &id, NULL), 0);
    struct post p = get(db, id);
    cr_assert_eq(p.status, POST_SCHEDULED);
    post_clear(&p);
    cr_assert_eq(db_post_next_due(db, NOW, &at), 0);
    cr_assert_eq(at, NOW + DAY);
    cr_assert_eq(db_post_publish_due(db, NOW + DAY - 1, &n), 0);
    cr_assert_eq(n, 0, "never before its time");
    cr_assert_eq(db_post_publish_due(db, NOW + DAY, &n), 0);
    cr_assert_eq(n, 1);
    p = get(db, id);
    cr_assert_eq(p.status, POST_PUBLISHED);
    post_clear(&p);
    cr_assert_eq(db_post_next_due(db, NOW + DAY, &at), -ENOENT);
    db_close(db);
}

Test(revision, lists_filter_and_count_by_status)
{
    struct db *db = tmpdata_open();
    int64_t uid = mkuser(db, "ed"), other = mkuser(db, "eve");
    const char *titles[] = {"Alpha news", "Beta news", "Gamma"};
    int64_t ids[3];
    for (int i = 0; i < 3; i++) {
        struct post_edit e = {.type = POST_TYPE_POST,
                              .status = i == 0 ? POST_PUBLISHED : POST_DRAFT,
                              .title = titles[i],
                              .author_id = i == 2 ? other : uid,
                              .published_at = NOW - DAY + i};
        cr_assert_eq(post_save(db, &e, uid, NOW, &ids[i], NULL), 0);
    }
    cr_assert_eq(post_set_status(db, ids[1], POST_TRASH, 0, uid, NOW), 0);
    int64_t c[6];
    cr_assert_eq(db_post_status_counts(db, POST_TYPE_POST, 0, c), 0);
    cr_assert_eq(c[POST_PUBLISHED], 1);
    cr_assert_eq(c[POST_DRAFT], 1);
    cr_assert_eq(c[POST_TRASH], 1);

    struct post_filter f = {.type = POST_TYPE_POST, .status = -1, .limit = 10};
    struct post_list l;
    cr_assert_eq(db_post_list_filtered(db, &f, &l), 0);
    cr_assert_eq(l.n, 2, "trash is left out of 'all'");
    cr_assert_str_eq(l.items[0].title, "Gamma");
    post_list_free(&l);
    f.search = "NEWS";
    int64_t n;
    cr_assert_eq(db_post_count_filtered(db, &f, &n), 0);
    cr_assert_eq(n, 1);
    f.search = NULL;
    f.author_id = other;
    cr_assert_eq(db_post_count_filtered(db, &f, &n), 0);
    cr_assert_eq(n, 1);
    f.author_id = 0;
    f.status = POST_TRASH;
    cr_assert_eq(db_post_list_filtered(db, &f, &l), 0);
    cr_assert_eq(l.n, 1);
    cr_assert_str_eq(l.items[0].title, "Beta news");
    post_list_free(&l);
    cr_assert_eq(db_post_delete(db, ids[1]), 0);
    cr_assert_eq(db_post_delete(db, ids[1]), -ENOENT);
    db_close(db);
}

/* An imported post: WordPress content, format html, its HTML made by the import (here, something
 * no rendering of today would make, so any rendering again shows). */
static int64_t imported(struct db *db, int64_t uid, const char *source, const char *html)
{
    struct post p = {.type = POST_TYPE_POST,
                     .status = POST_PUBLISHED,
                     .title = "Imported",
                     .slug = "imported",
                     .author_id = uid,
                     .format = POST_FORMAT_HTML,
                     .source = (char *)source,
                     .html = (char *)html,
                     .excerpt = "",
                     .published_at = NOW - DAY,
                     .created_at = NOW - DAY,
                     .modified_at = NOW - DAY,
                     .wp_id = 42};
    cr_assert_eq(db_post_insert(db, &p), 0);
    return p.id;
}

Test(revision, an_untouched_html_body_keeps_its_source_and_html_byte_for_byte)
{
    struct db *db = tmpdata_open();
    int64_t uid = mkuser(db, "ed");
    const char *src = "Intro with <em>emphasis</em>\r\n\r\n[caption id=\"a\" width=\"300\"]<img src=\"/x.png\" "
                      "alt=\"\"> A caption[/caption]\r\n<table><tr><td>1</td></tr></table>";
    const char *html = "<p>as the import made it</p>";
    int64_t id = imported(db, uid, src, html), nid, v;
    /* what a browser sends back: the text the editor showed, CR LF made LF */
    struct buf shown = BUF_INIT;
    cr_assert_eq(post_source_shown(src, strlen(src), &shown), 0);
    cr_assert_null(strchr(shown.data, '\r'));
    struct post_edit e = {.id = id,
                          .version = 1,
                          .type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Imported, retitled",
                          .format = POST_FORMAT_HTML,
                          .source = shown.data,
                          .author_id = uid,
                          .comments_open = 1};
    cr_assert_eq(post_save(db, &e, uid, NOW, &nid, &v), 0);
    struct post p = get(db, id);
    cr_assert_str_eq(p.source, src, "the source is kept byte for byte");
    cr_assert_str_eq(p.html, html, "so is what readers see");
    cr_assert_str_eq(p.title, "Imported, retitled");
    cr_assert_eq(p.format, POST_FORMAT_HTML);
    post_clear(&p);

    /* a typo fixed: rendered as the import renders, wpautop and the caption figure */
    e.version = v;
    e.source = "Intro with <em>emphasis</em>, fixed\n\n[caption id=\"a\" width=\"300\"]<img src=\"/x.png\" alt=\"\"> A "
               "caption[/caption]";
    cr_assert_eq(post_save(db, &e, uid, NOW + 1, &nid, &v), 0);
    p = get(db, id);
    cr_assert_str_eq(p.html, "<p>Intro with <em>emphasis</em>, fixed</p>\n<figure id=\"a\" style=\"width: 300px\" "
                             "class=\"wp-caption alignnone\"><img src=\"/x.png\" alt=\"\"><figcaption "
                             "class=\"wp-caption-text\">A caption</figcaption></figure>\n");
    post_clear(&p);

    /* the same body sent as Markdown is a change of format: rendered as Markdown */
    e.version = v;
    e.format = POST_FORMAT_MARKDOWN;
    e.source = "Intro with *emphasis*";
    cr_assert_eq(post_save(db, &e, uid, NOW + 2, &nid, &v), 0);
    p = get(db, id);
    cr_assert_eq(p.format, POST_FORMAT_MARKDOWN);
    cr_assert_str_eq(p.html, "<p>Intro with <em>emphasis</em></p>\n");
    post_clear(&p);
    buf_free(&shown);
    db_close(db);
}

Test(revision, html_made_before_paragraphs_stays_as_written)
{
    struct db *db = tmpdata_open();
    int64_t uid = mkuser(db, "ed"), nid, v;
    /* the command line stored such posts with their HTML as given */
    const char *src = "<p>one\ntwo</p>\n<div>block</div>";
    struct post_new n = {.type = POST_TYPE_POST,
                         .status = POST_PUBLISHED,
                         .title = "Old",
                         .author_id = uid,
                         .format = POST_FORMAT_HTML,
                         .as_written = 1,
                         .source = src};
    int64_t id;
    cr_assert_eq(post_create(db, &n, NOW, &id), 0);
    struct post_edit e = {.id = id,
                          .version = 1,
                          .type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Old",
                          .format = POST_FORMAT_HTML,
                          .as_written = 1,
                          .source = "<p>one\ntwo, fixed</p>\n<div>block</div>",
                          .author_id = uid};
    cr_assert_eq(post_save(db, &e, uid, NOW, &nid, &v), 0);
    struct post p = get(db, id);
    cr_assert_str_eq(p.html, e.source, "no <br> nor <p> added by an edit");
    cr_assert_eq(p.as_written, 1);
    post_clear(&p);
    db_close(db);
}
