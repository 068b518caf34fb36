/* The WXR reader against the shared fixtures: every figure of EXPECTED.md, the malformed files
 * refused with a line and column, and text that must come through byte for byte. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import/wxr.h"

struct tally {
    int channels, authors, categories, tags, terms, cat_with_parent;
    int items, posts, pages, attachments, menu_items;
    int publish, inherit, future, draft, private_, pending;
    int sticky, password, page_parents, attachment_urls;
    int comments, approved, unapproved, threaded, pingbacks, trackbacks, typed_comment, untyped;
    int item_terms_category, item_terms_tag, item_terms_menu, item_terms_format;
    long long comment_item[64]; /* the item id of each comment, in order */
    long long comment_id[64], comment_parent[64];
    char first_content[4096], first_title[512], first_excerpt[1024], author_login[256], cat_name[256];
    char tag_name[256], comment_content[512], wxr_version[16];
    long long last_item_id;
};

static void copy(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s);
}

static int t_channel(void *ctx, const struct wxr_channel *ch)
{
    struct tally *t = ctx;
    t->channels++;
    copy(t->wxr_version, sizeof(t->wxr_version), ch->wxr_version);
    return 0;
}

static int t_author(void *ctx, const struct wxr_author *a)
{
    struct tally *t = ctx;
    if (t->authors++ == 0)
        copy(t->author_login, sizeof(t->author_login), a->login);
    return 0;
}

static int t_term(void *ctx, const struct wxr_term *term)
{
    struct tally *t = ctx;
    switch (term->kind) {
    case WXR_CATEGORY:
        if (t->categories++ == 0)
            copy(t->cat_name, sizeof(t->cat_name), term->name);
        if (term->parent[0])
            t->cat_with_parent++;
        break;
    case WXR_TAG:
        if (t->tags++ == 0)
            copy(t->tag_name, sizeof(t->tag_name), term->name);
        break;
    case WXR_TERM:
        t->terms++;
    }
    return 0;
}

static int t_item(void *ctx, const struct wxr_item *it)
{
    struct tally *t = ctx;
    if (t->items++ == 0) {
        copy(t->first_content, sizeof(t->first_content), it->content);
        copy(t->first_title, sizeof(t->first_title), it->title);
        copy(t->first_excerpt, sizeof(t->first_excerpt), it->excerpt);
    }
    cr_assert_eq(strlen(it->content), it->content_len);
    t->last_item_id = it->id;
    if (strcmp(it->post_type, "post") == 0)
        t->posts++;
    else if (strcmp(it->post_type, "page") == 0)
        t->pages++;
    else if (strcmp(it->post_type, "attachment") == 0)
        t->attachments++;
    else if (strcmp(it->post_type, "nav_menu_item") == 0)
        t->menu_items++;
    if (strcmp(it->status, "publish") == 0)
        t->publish++;
    else if (strcmp(it->status, "inherit") == 0)
        t->inherit++;
    else if (strcmp(it->status, "future") == 0)
        t->future++;
    else if (strcmp(it->status, "draft") == 0)
        t->draft++;
    else if (strcmp(it->status, "private") == 0)
        t->private_++;
    else if (strcmp(it->status, "pending") == 0)
        t->pending++;
    t->sticky += it->sticky;
    t->password += it->post_password[0] != '\0';
    t->page_parents += strcmp(it->post_type, "page") == 0 && it->parent != 0;
    t->attachment_urls += it->attachment_url[0] != '\0';
    for (size_t i = 0; i < it->nterms; i++) {
        const char *d = it->terms[i].domain;
        t->item_terms_category += strcmp(d, "category") == 0;
        t->item_terms_tag += strcmp(d, "post_tag") == 0;
        t->item_terms_menu += strcmp(d, "nav_menu") == 0;
        t->item_terms_format += strcmp(d, "post_format") == 0;
    }
    return 0;
}

static int t_comment(void *ctx, const struct wxr_item *it, const struct wxr_comment *c)
{
    struct tally *t = ctx;
    cr_assert_eq(it->id, t->last_item_id, "a comment comes with its own item");
    if (t->comments < 64) {
        t->comment_item[t->comments] = it->id;
        t->comment_id[t->comments] = c->id;
        t->comment_parent[t->comments] = c->parent;
    }
    if (t->comments++ == 0)
        copy(t->comment_content, sizeof(t->comment_content), c->content);
    t->approved += strcmp(c->approved, "1") == 0;
    t->unapproved += strcmp(c->approved, "0") == 0;
    t->threaded += c->parent != 0;
    t->pingbacks += strcmp(c->type, "pingback") == 0;
    t->trackbacks += strcmp(c->type, "trackback") == 0;
    t->typed_comment += strcmp(c->type, "comment") == 0;
    t->untyped += c->type[0] == '\0';
    return 0;
}

static char *fixture(const char *name)
{
    const char *root = getenv("GAZETTE_TESTDATA");
    cr_assert_not_null(root, "GAZETTE_TESTDATA is set");
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/wxr/%s", root, name) > 0);
    return p;
}

/* Parses a fixture with the plain reader, then with the threaded one, which must hand over the
 * same records in the same order and end the same way. */
static int parse(const char *name, struct tally *t, struct wxr_error *err)
{
    struct wxr_handler h = {t, t_channel, t_author, t_term, t_item, t_comment, NULL};
    char *path = fixture(name);
    memset(t, 0, sizeof(*t));
    int rc = wxr_parse_file(path, &h, err);
    struct tally *t2 = calloc(1, sizeof(*t2));
    struct wxr_error err2;
    cr_assert_not_null(t2);
    h.ctx = t2;
    int rc2 = wxr_parse_file_threaded(path, &h, &err2);
    cr_assert_eq(rc2, rc, "%s: threaded %d, plain %d", name, rc2, rc);
    cr_assert(memcmp(t2, t, sizeof(*t)) == 0, "%s: the threaded reader saw other records", name);
    cr_assert_eq(err2.line, err->line);
    cr_assert_eq(err2.column, err->column);
    cr_assert_str_eq(err2.message, err->message);
    free(t2);
    free(path);
    return rc;
}

Test(wxr, theme_unit_test_data)
{
    struct tally t;
    struct wxr_error err;
    int rc = parse("themeunittestdata.wordpress.xml", &t, &err);
    cr_assert_eq(rc, 0, "parse: %d %d:%d %s", rc, err.line, err.column, err.message);
    cr_assert_eq(t.channels, 1);
    cr_assert_str_eq(t.wxr_version, "1.2");
    cr_assert_eq(t.items, 186);
    cr_assert_eq(t.posts, 58);
    cr_assert_eq(t.pages, 21);
    cr_assert_eq(t.attachments, 37);
    cr_assert_eq(t.menu_items, 70);
    cr_assert_eq(t.publish, 147);
    cr_assert_eq(t.inherit, 37);
    cr_assert_eq(t.future, 1);
    cr_assert_eq(t.draft, 1);
    cr_assert_eq(t.private_, 0);
    cr_assert_eq(t.pending, 0);
    cr_assert_eq(t.categories, 68);
    cr_assert_eq(t.cat_with_parent, 10);
    cr_assert_eq(t.tags, 110);
    cr_assert_eq(t.terms, 7);
    cr_assert_eq(t.authors, 2);
    cr_assert_str_eq(t.author_login, "themedemos");
    cr_assert_eq(t.comments, 33);
    cr_assert_eq(t.approved, 30);
    cr_assert_eq(t.unapproved, 3);
    cr_assert_eq(t.untyped, 28);
    cr_assert_eq(t.typed_comment, 1);
    cr_assert_eq(t.pingbacks, 2);
    cr_assert_eq(t.trackbacks, 2);
    cr_assert_eq(t.threaded, 10);
    cr_assert_eq(t.sticky, 1);
    cr_assert_eq(t.password, 1);
    cr_assert_eq(t.page_parents, 13);
    cr_assert_eq(t.attachment_urls, 37);
    cr_assert_eq(t.item_terms_category, 175);
    cr_assert_eq(t.item_terms_tag, 188);
    cr_assert_eq(t.item_terms_menu, 70);
    cr_assert_eq(t.item_terms_format, 13);
    cr_assert_str_eq(t.first_title, "WP 6.1 Font size scale");
    /* CDATA content, without the blanks between it and the closing tag. */
    cr_assert(strncmp(t.first_content, "<!-- wp:paragraph -->\n<p>This test post", 39) == 0);
    const char *tail = "<p class=\"has-x-large-font-size\">Extra Large paragraph</p>\n<!-- /wp:paragraph -->";
    size_t n = strlen(t.first_content), m = strlen(tail);
    cr_assert(n > m && strcmp(t.first_content + n - m, tail) == 0, "content ends: [%s]", t.first_content + n - 20);
    cr_assert_str_eq(t.first_excerpt, "");

    /* The 10-deep thread 904→905→…→915 on item 1148: every parent is an earlier comment. */
    long long chain[] = {904, 905, 906, 907, 910, 911, 912, 913, 914, 915};
    for (size_t i = 1; i < 10; i++) {
        int found = 0;
        for (int c = 0; c < t.comments; c++)
            if (t.comment_id[c] == chain[i]) {
                cr_assert_eq(t.comment_parent[c], chain[i - 1], "parent of %lld", chain[i]);
                cr_assert_eq(t.comment_item[c], 1148);
                found = 1;
            }
        cr_assert(found, "comment %lld", chain[i]);
    }
}

struct small_case {
    const char *file, *version;
    int items, posts, pages, publish, draft, private_, categories, tags, terms, authors, comments, approved;
};

Test(wxr, small_fixtures)
{
    static const struct small_case cases[] = {
        {"small-export.xml", "1.1", 11, 6, 5, 9, 1, 1, 30, 3, 0, 3, 1, 1},
        {"valid-wxr-1.1.xml", "1.1", 2, 1, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1},
        {"slashes.xml", "1.1", 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1},
        {"wxr-utf-8-challenges.xml", "1.2", 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0},
        {"test-serialized-comment-meta.xml", "1.0", 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct small_case *c = &cases[i];
        char name[128];
        snprintf(name, sizeof(name), "wordpress-importer/%s", c->file);
        struct tally t;
        struct wxr_error err;
        int rc = parse(name, &t, &err);
        cr_assert_eq(rc, 0, "%s: %d %d:%d %s", c->file, rc, err.line, err.column, err.message);
        cr_assert_str_eq(t.wxr_version, c->version, "%s", c->file);
        cr_assert_eq(t.items, c->items, "%s items %d", c->file, t.items);
        cr_assert_eq(t.posts, c->posts, "%s posts %d", c->file, t.posts);
        cr_assert_eq(t.pages, c->pages, "%s pages %d", c->file, t.pages);
        cr_assert_eq(t.publish, c->publish, "%s publish %d", c->file, t.publish);
        cr_assert_eq(t.draft, c->draft, "%s draft %d", c->file, t.draft);
        cr_assert_eq(t.private_, c->private_, "%s private %d", c->file, t.private_);
        cr_assert_eq(t.categories, c->categories, "%s categories %d", c->file, t.categories);
        cr_assert_eq(t.tags, c->tags, "%s tags %d", c->file, t.tags);
        cr_assert_eq(t.terms, c->terms, "%s terms %d", c->file, t.terms);
        cr_assert_eq(t.authors, c->authors, "%s authors %d", c->file, t.authors);
        cr_assert_eq(t.comments, c->comments, "%s comments %d", c->file, t.comments);
        cr_assert_eq(t.approved, c->approved, "%s approved %d", c->file, t.approved);
    }
}

Test(wxr, slashes_byte_exact)
{
    struct tally t;
    struct wxr_error err;
    cr_assert_eq(parse("wordpress-importer/slashes.xml", &t, &err), 0);
    cr_assert_str_eq(t.first_content, "Slashes aren\\'t \\\"cool\\\"");
    cr_assert_str_eq(t.cat_name, "a \\\"great\\\" category");
    cr_assert_str_eq(t.tag_name, "foo\\'bar");
    cr_assert_str_eq(t.comment_content, "\\o/ \xc2\xaf\\_(\xe3\x83\x84)_/\xc2\xaf");
}

Test(wxr, utf8_challenges_byte_exact)
{
    struct tally t;
    struct wxr_error err;
    cr_assert_eq(parse("wordpress-importer/wxr-utf-8-challenges.xml", &t, &err), 0);
    /* admin + ZWNJ ZWSP ZWJ LRM */
    cr_assert_str_eq(t.author_login, "admin\xe2\x80\x8c\xe2\x80\x8b\xe2\x80\x8d\xe2\x80\x8e");
    /* "The Road <RLO>Not<PDF> Taken" by Rob<LRO>ert <RLO>Frost <LRE>🌲<PDF> */
    cr_assert_str_eq(t.first_title, "\"The Road \xe2\x80\xaeNot\xe2\x80\xac Taken\" by Rob\xe2\x80\xad"
                                    "ert \xe2\x80\xae"
                                    "Frost \xe2\x80\xaa\xf0\x9f\x8c\xb2\xe2\x80\xac");
    /* Character references inside CDATA stay as written; the emoji line comes through whole. */
    cr_assert_not_null(strstr(t.first_content, "&#x200B;And s"));
    cr_assert_not_null(strstr(t.first_content, "\xf0\x9f\x9a\x80\xf0\x9f\x8c\x9f\xf0\x9f\x92\xab"));
    cr_assert_not_null(strstr(t.first_content, "&#xD800;&#xDC00;&#xDBFF;&#xDFFF;"));
}

static void refused(const char *file, int line)
{
    struct tally t;
    struct wxr_error err;
    char name[128];
    snprintf(name, sizeof(name), "wordpress-importer/%s", file);
    int rc = parse(name, &t, &err);
    cr_assert_eq(rc, -EBADMSG, "%s: rc %d", file, rc);
    cr_assert_eq(err.line, line, "%s: line %d (%s)", file, err.line, err.message);
    cr_assert(err.column > 0 || line == 14, "%s: column %d", file, err.column);
    cr_assert(err.message[0] != '\0');
    cr_assert_null(strchr(err.message, '\n'));
}

Test(wxr, malformed_refused_with_position)
{
    refused("crazy-cdata.xml", 18);
    refused("malformed.xml", 90);
    refused("malformed-simple.xml", 14);
}

Test(wxr, not_wxr_refused)
{
    const char *doc = "<?xml version=\"1.0\"?><feed><title>x</title></feed>";
    struct wxr_error err;
    cr_assert_eq(wxr_parse_memory(doc, strlen(doc), NULL, &err), -EBADMSG);
    cr_assert_not_null(strstr(err.message, "not a WordPress export"), "%s", err.message);
    const char *rss = "<rss><channel><title>x</title><item><title>a</title></item></channel></rss>";
    cr_assert_eq(wxr_parse_memory(rss, strlen(rss), NULL, &err), -EBADMSG);
    cr_assert_not_null(strstr(err.message, "wxr_version"), "%s", err.message);
}

static int stop_at_item(void *ctx, const struct wxr_item *it)
{
    (void)it;
    (*(int *)ctx)++;
    return -ECANCELED;
}

Test(wxr, callback_stops_parse)
{
    int n = 0;
    struct wxr_handler h = {.ctx = &n, .on_item = stop_at_item};
    struct wxr_error err;
    char *path = fixture("themeunittestdata.wordpress.xml");
    cr_assert_eq(wxr_parse_file(path, &h, &err), -ECANCELED);
    free(path);
    cr_assert_eq(n, 1);
}

Test(wxr, callback_stops_threaded_parse)
{
    int n = 0;
    struct wxr_handler h = {.ctx = &n, .on_item = stop_at_item};
    struct wxr_error err;
    char *path = fixture("themeunittestdata.wordpress.xml");
    cr_assert_eq(wxr_parse_file_threaded(path, &h, &err), -ECANCELED);
    free(path);
    cr_assert_eq(n, 1, "nothing is handed over after a callback fails");
}

Test(wxr, missing_file)
{
    struct wxr_error err;
    cr_assert_eq(wxr_parse_file("/nonexistent/x.xml", NULL, &err), -ENOENT);
    cr_assert_eq(wxr_parse_file_threaded("/nonexistent/x.xml", NULL, &err), -ENOENT);
    cr_assert(err.message[0] != '\0');
}

/* Many items, one with more comments than a batch holds, and big contents: records cross batch
 * boundaries, and each comment still comes with its own item and that item's prepared bytes. */
struct crossing {
    long items, comments, prepared_ok, wrong_item;
    long long item_id;
};

static int x_prepare(void *ctx, const struct wxr_item *it, struct buf *out)
{
    (void)ctx;
    return buf_printf(out, "%lld:%zu", it->id, it->content_len);
}

static int x_item(void *ctx, const struct wxr_item *it)
{
    struct crossing *x = ctx;
    char want[64];
    snprintf(want, sizeof(want), "%lld:%zu", it->id, it->content_len);
    x->items++;
    x->prepared_ok += it->prepared && it->prepared_len == strlen(want) && strcmp(it->prepared, want) == 0;
    x->item_id = it->id;
    return 0;
}

static int x_comment(void *ctx, const struct wxr_item *it, const struct wxr_comment *c)
{
    struct crossing *x = ctx;
    x->comments++;
    x->wrong_item += it->id != x->item_id || c->parent != it->id;
    return 0;
}

Test(wxr, threaded_records_cross_batches)
{
    char path[] = "/tmp/gazette-wxr-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fputs("<rss xmlns:wp=\"http://wordpress.org/export/1.2/\" "
          "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
          "<wp:wxr_version>1.2</wp:wxr_version>\n",
          f);
    long want_comments = 0;
    for (int i = 1; i <= 400; i++) {
        fprintf(f, "<item><title>t%d</title><wp:post_id>%d</wp:post_id><wp:post_type>post</wp:post_type>", i, i);
        fputs("<content:encoded><![CDATA[", f);
        for (int k = 0; k < (i % 7) * 2000; k++) /* up to 120 KB: batches fill by bytes too */
            fputs("words ", f);
        fputs("]]></content:encoded>", f);
        int n = i == 200 ? 1500 : i % 3;
        for (int k = 0; k < n; k++)
            fprintf(f,
                    "<wp:comment><wp:comment_id>%d%04d</wp:comment_id><wp:comment_parent>%d</wp:comment_parent>"
                    "<wp:comment_content>c</wp:comment_content></wp:comment>",
                    i, k, i);
        want_comments += n;
        fputs("</item>\n", f);
    }
    fputs("</channel></rss>\n", f);
    cr_assert_eq(fclose(f), 0);
    struct crossing x = {0};
    struct wxr_handler h = {.ctx = &x, .on_item = x_item, .on_comment = x_comment, .prepare_item = x_prepare};
    struct wxr_error err;
    int rc = wxr_parse_file_threaded(path, &h, &err);
    unlink(path);
    cr_assert_eq(rc, 0, "%d:%d %s", err.line, err.column, err.message);
    cr_assert_eq(x.items, 400);
    cr_assert_eq(x.prepared_ok, 400);
    cr_assert_eq(x.comments, want_comments);
    cr_assert_eq(x.wrong_item, 0);
}

/* Plain text and CDATA, the https namespace, entities, empty elements, fields after comments. */
Test(wxr, namespaces_and_text_forms)
{
    const char *doc =
        "<rss xmlns:wp=\"https://wordpress.org/export/1.3/\" xmlns:c=\"http://purl.org/rss/1.0/modules/content/\""
        " xmlns:e=\"https://wordpress.org/export/1.3/excerpt/\"><channel>"
        "<wp:wxr_version>1.3</wp:wxr_version>"
        "<item><title>A &amp; B &lt;i&gt;</title><c:encoded>&lt;p&gt;x&lt;/p&gt;\n\ny</c:encoded>"
        "<e:encoded><![CDATA[ex]]> </e:encoded><wp:post_id> 7 </wp:post_id>"
        "<wp:post_type><![CDATA[post]]></wp:post_type><wp:status>publish</wp:status>"
        "<wp:is_sticky>1</wp:is_sticky><wp:post_password/>"
        "<category domain=\"post_tag\" nicename=\"t\"><![CDATA[T]]></category>"
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>12</wp:meta_value></wp:postmeta>"
        "<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_parent/><wp:comment_type/>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_content>hi</wp:comment_content>"
        "<wp:commentmeta><wp:meta_key>k</wp:meta_key></wp:commentmeta></wp:comment>"
        "<wp:post_name>late</wp:post_name>"
        "</item></channel></rss>";
    struct tally t;
    memset(&t, 0, sizeof(t));
    struct wxr_handler h = {&t, t_channel, t_author, t_term, t_item, t_comment, NULL};
    struct wxr_error err;
    int rc = wxr_parse_memory(doc, strlen(doc), &h, &err);
    cr_assert_eq(rc, 0, "%d:%d %s", err.line, err.column, err.message);
    cr_assert_eq(t.items, 1);
    cr_assert_eq(t.posts, 1);
    cr_assert_eq(t.sticky, 1);
    cr_assert_eq(t.item_terms_tag, 1);
    cr_assert_str_eq(t.first_title, "A & B <i>");
    cr_assert_str_eq(t.first_content, "<p>x</p>\n\ny");
    cr_assert_str_eq(t.first_excerpt, "ex");
    cr_assert_eq(t.last_item_id, 7);
    cr_assert_eq(t.comments, 1);
    cr_assert_str_eq(t.comment_content, "hi");
    cr_assert_eq(t.untyped, 1);
}

Test(wxr, field_limit)
{
    size_t big = WXR_FIELD_MAX + 10;
    const char *head =
        "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><wp:wxr_version>1.2</wp:wxr_version>"
        "<item><title>";
    const char *foot = "</title></item></channel></rss>";
    size_t hn = strlen(head), fn = strlen(foot);
    char *doc = malloc(hn + big + fn);
    cr_assert_not_null(doc);
    memcpy(doc, head, hn);
    memset(doc + hn, 'a', big);
    memcpy(doc + hn + big, foot, fn);
    struct wxr_error err;
    int rc = wxr_parse_memory(doc, hn + big + fn, NULL, &err);
    free(doc);
    cr_assert(rc == -E2BIG || rc == -EBADMSG, "rc %d", rc);
    cr_assert(err.message[0] != '\0');
}
