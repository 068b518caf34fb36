#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "db/newsroom.h"
#include "news/editor.h"
#include "news/post.h"
#include "news/revision.h"
#include "news/user.h"
#include "tmpdata.h"

TestSuite(editor, .fini = tmpdata_remove);

#define NOW 1777887000
#define DAY 86400

static int64_t mkrole(struct db *db, const char *login, enum user_role role)
{
    int64_t id;
    cr_assert_eq(user_create(db, login, NULL, NULL, role, NULL, NOW, &id), 0);
    return id;
}

static int64_t mkuser(struct db *db, const char *login)
{
    return mkrole(db, login, ROLE_EDITOR);
}

/* The user id (free with user_clear). */
static struct user who(struct db *db, int64_t id)
{
    struct user u;
    cr_assert_eq(db_user_get(db, id, &u), 0);
    return u;
}

/* post_save by user id uid; *id and *version (either may be NULL) on success. Tests start those
 * variables at 0: GCC at -O3 cannot follow them through criterion's assertion macros. */
static int save(struct db *db, int64_t uid, const struct post_edit *e, int64_t now, int64_t *id, int64_t *version)
{
    struct user u = who(db, uid);
    struct edit_result res;
    int ret = post_save(db, &u, e, now, &res);
    user_clear(&u);
    if (ret == 0 && id != NULL)
        *id = res.id;
    if (ret == 0 && version != NULL)
        *version = res.version;
    return ret;
}

static int restore(struct db *db, int64_t uid, int64_t post, int64_t rev, int64_t expect, int64_t now)
{
    struct user u = who(db, uid);
    struct edit_result res;
    int ret = post_restore_revision(db, &u, post, rev, expect, now, &res);
    user_clear(&u);
    return ret;
}

static struct post get(struct db *db, int64_t id)
{
    struct post p;
    cr_assert_eq(db_post_get(db, id, &p), 0);
    return p;
}

Test(editor, every_save_keeps_a_revision_and_stale_saves_are_refused)
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
    cr_assert_eq(save(db, uid, &e, NOW, &id, &v), 0);
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
    cr_assert_eq(save(db, uid, &e, NOW + 10, &id, &v), 0);
    cr_assert_eq(v, 2);
    e.source = "something else\n";
    cr_assert_eq(save(db, other, &e, NOW + 20, &id, &v), -ESTALE);
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

    cr_assert_eq(restore(db, other, id, first, 1, NOW + 30), -ESTALE);
    cr_assert_eq(restore(db, other, id, first, 2, NOW + 30), 0);
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

Test(editor, a_future_time_schedules_and_the_timer_publishes)
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
    cr_assert_eq(save(db, uid, &e, NOW, &id, NULL), 0);
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

Test(editor, lists_filter_and_count_by_status)
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
        cr_assert_eq(save(db, uid, &e, NOW, &ids[i], NULL), 0);
    }
    struct user u = who(db, uid);
    struct edit_result res;
    cr_assert_eq(post_trash(db, &u, ids[1], NOW, &res), 0);
    user_clear(&u);
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

Test(editor, an_untouched_html_body_keeps_its_source_and_html_byte_for_byte)
{
    struct db *db = tmpdata_open();
    int64_t uid = mkuser(db, "ed");
    const char *src = "Intro with <em>emphasis</em>\r\n\r\n[caption id=\"a\" width=\"300\"]<img src=\"/x.png\" "
                      "alt=\"\"> A caption[/caption]\r\n<table><tr><td>1</td></tr></table>";
    const char *html = "<p>as the import made it</p>";
    int64_t id = imported(db, uid, src, html), nid = 0, v = 0;
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
    cr_assert_eq(save(db, uid, &e, NOW, &nid, &v), 0);
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
    cr_assert_eq(save(db, uid, &e, NOW + 1, &nid, &v), 0);
    p = get(db, id);
    cr_assert_str_eq(p.html, "<p>Intro with <em>emphasis</em>, fixed</p>\n<figure id=\"a\" style=\"width: 300px\" "
                             "class=\"wp-caption alignnone\"><img src=\"/x.png\" alt=\"\"><figcaption "
                             "class=\"wp-caption-text\">A caption</figcaption></figure>\n");
    post_clear(&p);

    /* the same body sent as Markdown is a change of format: rendered as Markdown */
    e.version = v;
    e.format = POST_FORMAT_MARKDOWN;
    e.source = "Intro with *emphasis*";
    cr_assert_eq(save(db, uid, &e, NOW + 2, &nid, &v), 0);
    p = get(db, id);
    cr_assert_eq(p.format, POST_FORMAT_MARKDOWN);
    cr_assert_str_eq(p.html, "<p>Intro with <em>emphasis</em></p>\n");
    post_clear(&p);
    buf_free(&shown);
    db_close(db);
}

Test(editor, html_made_before_paragraphs_stays_as_written)
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
    cr_assert_eq(save(db, uid, &e, NOW, &nid, &v), 0);
    struct post p = get(db, id);
    cr_assert_str_eq(p.html, e.source, "no <br> nor <p> added by an edit");
    cr_assert_eq(p.as_written, 1);
    post_clear(&p);
    db_close(db);
}

Test(editor, the_first_edit_keeps_the_original_which_restores_byte_for_byte)
{
    struct db *db = tmpdata_open();
    int64_t uid = mkuser(db, "ed"), nid = 0, v = 0;
    const char *src = "Old <em>words</em>\r\nfrom WordPress";
    int64_t id = imported(db, uid, src, "<p>as the import made it</p>");
    struct revision_list rl;
    cr_assert_eq(revision_list(db, id, &rl), 0);
    cr_assert_eq(rl.n, 0, "nothing edited yet");
    revision_list_free(&rl);
    struct post_edit e = {.id = id,
                          .version = 1,
                          .type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Imported",
                          .format = POST_FORMAT_HTML,
                          .source = "New words",
                          .comments_open = 1};
    cr_assert_eq(save(db, uid, &e, NOW, &nid, &v), 0);
    cr_assert_eq(revision_list(db, id, &rl), 0);
    cr_assert_eq(rl.n, 2, "the original, then the save");
    cr_assert_eq(rl.items[1].kind, REVISION_ORIGINAL);
    cr_assert_eq(rl.items[0].kind, REVISION_SAVE);
    cr_assert_eq(rl.items[1].format, POST_FORMAT_HTML);
    cr_assert_eq(rl.items[1].created_at, NOW - DAY, "dated when the post was last changed");
    int64_t original = rl.items[1].id;
    revision_list_free(&rl);
    struct revision r;
    cr_assert_eq(revision_of(db, id, original, &r), 0);
    cr_assert_str_eq(r.body, src);
    revision_clear(&r);
    cr_assert_eq(revision_of(db, id + 1, original, &r), -ENOENT, "a revision of another post");

    /* a second save keeps no second original */
    e.version = v;
    e.source = "Newer words";
    cr_assert_eq(save(db, uid, &e, NOW + 1, &nid, &v), 0);
    cr_assert_eq(revision_list(db, id, &rl), 0);
    cr_assert_eq(rl.n, 3);
    revision_list_free(&rl);

    cr_assert_eq(restore(db, uid, id, original, v, NOW + 2), 0);
    struct post p = get(db, id);
    cr_assert_str_eq(p.source, src, "the original source, byte for byte");
    cr_assert_str_eq(p.html, "<p>Old <em>words</em><br />\nfrom WordPress</p>\n", "rendered as the import renders");
    cr_assert_eq(p.format, POST_FORMAT_HTML);
    post_clear(&p);
    db_close(db);
}

Test(editor, autosaves_leave_the_post_alone_and_replace_each_other)
{
    struct db *db = tmpdata_open();
    int64_t uid = mkuser(db, "ed"), id, v;
    struct user u = who(db, uid);
    struct edit_result res;
    struct post_edit e = {.type = POST_TYPE_POST, .status = POST_PUBLISHED, .title = "", .source = ""};
    cr_assert_eq(post_autosave(db, &u, &e, NOW, &res), -ENODATA, "nothing typed, nothing kept");
    e.title = "Typed";
    e.source = "first *draft*";
    cr_assert_eq(post_autosave(db, &u, &e, NOW, &res), 0);
    id = res.id;
    v = res.version;
    struct post p = get(db, id);
    cr_assert_eq(p.status, POST_DRAFT, "a new post's autosave is a draft, never published");
    post_clear(&p);

    e.id = id;
    e.version = v;
    e.source = "second draft";
    cr_assert_eq(post_autosave(db, &u, &e, NOW + 30, &res), 0);
    e.source = "third draft";
    cr_assert_eq(post_autosave(db, &u, &e, NOW + 60, &res), 0);
    p = get(db, id);
    cr_assert_str_eq(p.source, "first *draft*", "the post itself is untouched");
    cr_assert_eq(p.version, v);
    post_clear(&p);
    struct revision_list rl;
    cr_assert_eq(revision_list(db, id, &rl), 0);
    size_t autos = 0;
    for (size_t i = 0; i < rl.n; i++)
        autos += rl.items[i].kind == REVISION_AUTOSAVE;
    cr_assert_eq(autos, 1, "one autosave per user and post");
    const struct revision *newer = revision_newer_autosave(&rl, uid);
    cr_assert_not_null(newer);
    cr_assert_null(revision_newer_autosave(&rl, uid + 1), "someone else's");
    int64_t auto_id = newer->id;
    revision_list_free(&rl);
    struct revision r;
    cr_assert_eq(revision_of(db, id, auto_id, &r), 0);
    cr_assert_str_eq(r.body, "third draft");
    cr_assert_eq(r.created_at, NOW + 60);
    revision_clear(&r);
    cr_assert_eq(restore(db, uid, id, auto_id, v, NOW + 90), 0);
    p = get(db, id);
    cr_assert_str_eq(p.source, "third draft");
    post_clear(&p);
    user_clear(&u);
    db_close(db);
}

Test(editor, authors_html_goes_through_the_allow_list_editors_keep_theirs)
{
    struct db *db = tmpdata_open();
    int64_t ed = mkuser(db, "ed"), au = mkrole(db, "ann", ROLE_AUTHOR), id = 0, v = 0;
    const char *body = "<p onclick=\"x()\">Hi <a href=\"javascript:alert(1)\">there</a></p>\n"
                       "<script>alert(2)</script><iframe src=\"https://video.example/\"></iframe>";
    struct post_edit e = {.type = POST_TYPE_POST,
                          .status = POST_PUBLISHED,
                          .title = "Mixed",
                          .format = POST_FORMAT_HTML,
                          .source = body,
                          .comments_open = 1};
    cr_assert_eq(save(db, au, &e, NOW, &id, &v), 0);
    struct post p = get(db, id);
    cr_assert_null(strstr(p.html, "script"));
    cr_assert_null(strstr(p.html, "onclick"));
    cr_assert_null(strstr(p.html, "javascript"));
    cr_assert_null(strstr(p.html, "iframe"));
    cr_assert_not_null(strstr(p.html, "Hi <a>there</a>"));
    cr_assert_null(strstr(p.source, "script"), "the author's source is stored filtered too: %s", p.source);
    post_clear(&p);

    /* the preview shows what the save keeps */
    struct user u = who(db, au);
    struct edit_result res;
    struct buf pv = BUF_INIT;
    e.id = id;
    e.version = v;
    cr_assert_eq(post_preview(db, &u, &e, &pv, &res), 0);
    p = get(db, id);
    cr_assert_str_eq(pv.data, p.html);
    cr_assert_gt(res.removed.count, 2);
    cr_assert_not_null(strstr(res.removed.names, "<script>"), "%s", res.removed.names);
    post_clear(&p);
    buf_free(&pv);
    user_clear(&u);

    e.id = 0;
    e.version = 0;
    e.title = "Editor's";
    cr_assert_eq(save(db, ed, &e, NOW, &id, &v), 0);
    p = get(db, id);
    cr_assert_not_null(strstr(p.html, "<script>alert(2)</script>"), "editors may post any HTML");
    cr_assert_not_null(strstr(p.html, "<iframe"));
    cr_assert_not_null(strstr(p.html, "onclick"));
    cr_assert_null(strstr(p.html, "javascript:"), "but no javascript: link, whoever writes it");
    post_clear(&p);

    e.format = POST_FORMAT_MARKDOWN;
    e.source = "[x](javascript:alert(1)) and [y](JaVaScRiPt&#58;alert(1)) and [z](https://ok.example/)";
    e.title = "Markdown";
    cr_assert_eq(save(db, ed, &e, NOW, &id, &v), 0);
    p = get(db, id);
    cr_assert_null(strcasestr(p.html, "javascript"), "%s", p.html);
    cr_assert_not_null(strstr(p.html, "href=\"https://ok.example/\""));
    post_clear(&p);
    db_close(db);
}

Test(editor, who_may_do_what)
{
    struct db *db = tmpdata_open();
    int64_t ed = mkuser(db, "ed"), au = mkrole(db, "ann", ROLE_AUTHOR), co = mkrole(db, "cid", ROLE_CONTRIBUTOR);
    int64_t id = 0, v = 0, mine = 0;
    struct post_edit e = {.type = POST_TYPE_POST, .status = POST_PUBLISHED, .title = "Editor's", .source = "x"};
    cr_assert_eq(save(db, ed, &e, NOW, &id, &v), 0);
    e.id = id;
    e.version = v;
    cr_assert_eq(save(db, au, &e, NOW, NULL, NULL), -EACCES, "an author edits their own posts only");
    e.id = 0;
    e.version = 0;
    cr_assert_eq(save(db, co, &e, NOW, NULL, NULL), -EACCES, "a contributor cannot publish");
    e.status = POST_PENDING;
    cr_assert_eq(save(db, co, &e, NOW, &mine, &v), 0);
    e.author_id = ed;
    cr_assert_eq(save(db, co, &e, NOW, NULL, NULL), -EACCES, "nor credit someone else");
    e.author_id = 9999;
    cr_assert_eq(save(db, ed, &e, NOW, NULL, NULL), -EINVAL, "no such author");
    e.author_id = 0;
    e.type = POST_TYPE_PAGE;
    cr_assert_eq(save(db, au, &e, NOW, NULL, NULL), -EACCES, "pages are for editors");
    e.type = POST_TYPE_POST;
    e.title = "";
    e.source = "";
    cr_assert_eq(save(db, ed, &e, NOW, NULL, NULL), -EINVAL, "nothing at all");

    struct user c = who(db, co), d = who(db, ed);
    struct edit_result res;
    cr_assert_eq(post_delete_forever(db, &c, mine, &res), -EACCES);
    cr_assert_eq(post_delete_forever(db, &d, mine, &res), -EBUSY, "only from the trash");
    cr_assert_eq(post_untrash(db, &d, mine, NOW, &res), -EINVAL, "not in the trash");
    cr_assert_eq(post_trash(db, &c, mine, NOW, &res), 0);
    cr_assert_eq(post_untrash(db, &c, mine, NOW, &res), 0);
    struct post p = get(db, mine);
    cr_assert_eq(p.status, POST_DRAFT);
    post_clear(&p);
    cr_assert_eq(post_trash(db, &c, mine, NOW, &res), 0);
    cr_assert_eq(post_delete_forever(db, &d, mine, &res), 0);
    cr_assert_eq(db_post_get(db, mine, &p), -ENOENT);
    user_clear(&c);
    user_clear(&d);
    db_close(db);
}
