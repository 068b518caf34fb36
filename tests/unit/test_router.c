#include <criterion/criterion.h>
#include <string.h>

#include "http/router.h"

static struct route match(const char *path)
{
    struct route r;
    route_match(path, strlen(path), &r);
    return r;
}

static void slug_is(const struct route *r, const char *s)
{
    cr_assert_eq(r->slug_len, strlen(s));
    cr_assert_eq(memcmp(r->slug, s, r->slug_len), 0);
}

Test(router, home_and_pages)
{
    struct route r = match("/");
    cr_assert_eq(r.kind, ROUTE_HOME);
    cr_assert_eq(r.page, 1);
    r = match("/page/2/");
    cr_assert_eq(r.kind, ROUTE_HOME);
    cr_assert_eq(r.page, 2);
    cr_assert_eq(match("/page/100000/").kind, ROUTE_HOME);
    cr_assert_eq(match("/page/100001/").kind, ROUTE_NONE);
    cr_assert_eq(match("/page/0/").kind, ROUTE_NONE);
    cr_assert_eq(match("/page/02/").kind, ROUTE_NONE);
    cr_assert_eq(match("/page/x/").kind, ROUTE_NONE);
    cr_assert_eq(match("/page/").kind, ROUTE_NONE);
    cr_assert_eq(match("/page/2").kind, ROUTE_NONE);
    cr_assert_eq(match("/page/2/3/").kind, ROUTE_NONE);
}

Test(router, articles)
{
    struct route r = match("/2026/05/04/a-slug/");
    cr_assert_eq(r.kind, ROUTE_ARTICLE);
    cr_assert_eq(r.year, 2026);
    cr_assert_eq(r.month, 5);
    cr_assert_eq(r.day, 4);
    slug_is(&r, "a-slug");
    cr_assert_eq(match("/2026/13/04/a/").kind, ROUTE_NONE);
    cr_assert_eq(match("/2026/5/04/a/").kind, ROUTE_NONE);
    cr_assert_eq(match("/2026/05/00/a/").kind, ROUTE_NONE);
    cr_assert_eq(match("/2026/05/04/a").kind, ROUTE_NONE);
    cr_assert_eq(match("/2026/05/04//").kind, ROUTE_NONE);
    cr_assert_eq(match("/2026/05/04/a/b/").kind, ROUTE_NONE);
}

Test(router, categories_tags_authors)
{
    struct route r = match("/category/world-news/");
    cr_assert_eq(r.kind, ROUTE_CATEGORY);
    slug_is(&r, "world-news");
    cr_assert_eq(r.page, 1);
    r = match("/category/world-news/page/3/");
    cr_assert_eq(r.kind, ROUTE_CATEGORY);
    cr_assert_eq(r.page, 3);
    cr_assert_eq(match("/tag/x/").kind, ROUTE_TAG);
    cr_assert_eq(match("/author/admin/").kind, ROUTE_AUTHOR);
    cr_assert_eq(match("/category/").kind, ROUTE_NONE);
    cr_assert_eq(match("/category/a/b/").kind, ROUTE_NONE);
    cr_assert_eq(match("/category/a/page/").kind, ROUTE_NONE);
}

Test(router, static_pages_assets_comment)
{
    struct route r = match("/about/");
    cr_assert_eq(r.kind, ROUTE_PAGE);
    slug_is(&r, "about");
    r = match("/static/style.css");
    cr_assert_eq(r.kind, ROUTE_ASSET);
    slug_is(&r, "style.css");
    cr_assert_eq(match("/static/").kind, ROUTE_NONE);
    cr_assert_eq(match("/static/a/b.css").kind, ROUTE_NONE);
    cr_assert_eq(match("/static/..").kind, ROUTE_NONE);
    cr_assert_eq(match("/comment/").kind, ROUTE_COMMENT);
    cr_assert_eq(match("/about").kind, ROUTE_NONE);
}

Test(router, hostile_paths)
{
    cr_assert_eq(match("").kind, ROUTE_NONE);
    cr_assert_eq(match("about/").kind, ROUTE_NONE);
    cr_assert_eq(match("//").kind, ROUTE_NONE);
    cr_assert_eq(match("/../").kind, ROUTE_NONE);
    cr_assert_eq(match("/a b/").kind, ROUTE_NONE);
    cr_assert_eq(match("/a/b/c/d/e/f/g/h/i/j/").kind, ROUTE_NONE);
    char long_slug[ROUTE_MAX_SLUG + 4] = "/";
    memset(long_slug + 1, 'a', ROUTE_MAX_SLUG + 1);
    long_slug[ROUTE_MAX_SLUG + 2] = '/';
    long_slug[ROUTE_MAX_SLUG + 3] = '\0';
    cr_assert_eq(match(long_slug).kind, ROUTE_NONE);
    struct route r;
    route_match("/about/\0/", 9, &r);
    cr_assert_eq(r.kind, ROUTE_NONE);
}

Test(router, feeds)
{
    struct route r = match("/feed/");
    cr_assert_eq(r.kind, ROUTE_HOME);
    cr_assert_eq(r.feed, ROUTE_FEED_RSS);
    cr_assert_eq(match("/feed/atom/").feed, ROUTE_FEED_ATOM);
    cr_assert_eq(match("/feed/atom/").kind, ROUTE_HOME);
    cr_assert_eq(match("/feed/rss2/").feed, ROUTE_FEED_OLD);
    cr_assert_eq(match("/feed/rss/").feed, ROUTE_FEED_OLD);
    cr_assert_eq(match("/feed/rdf/").feed, ROUTE_FEED_OLD);
    cr_assert_eq(match("/feed/json/").kind, ROUTE_NONE);
    cr_assert_eq(match("/feed").kind, ROUTE_NONE);
    cr_assert_eq(match("/").feed, ROUTE_FEED_NONE);
    cr_assert_eq(match("/page/2/").feed, ROUTE_FEED_NONE);
    r = match("/category/world/feed/");
    cr_assert_eq(r.kind, ROUTE_CATEGORY);
    cr_assert_eq(r.feed, ROUTE_FEED_RSS);
    slug_is(&r, "world");
    r = match("/tag/red/feed/atom/");
    cr_assert_eq(r.kind, ROUTE_TAG);
    cr_assert_eq(r.feed, ROUTE_FEED_ATOM);
    slug_is(&r, "red");
    r = match("/author/ann/feed/");
    cr_assert_eq(r.kind, ROUTE_AUTHOR);
    cr_assert_eq(r.feed, ROUTE_FEED_RSS);
    r = match("/2026/05/04/a-slug/feed/");
    cr_assert_eq(r.kind, ROUTE_ARTICLE);
    cr_assert_eq(r.feed, ROUTE_FEED_RSS);
    cr_assert_eq(r.day, 4);
    slug_is(&r, "a-slug");
    r = match("/comments/feed/");
    cr_assert_eq(r.kind, ROUTE_COMMENTS);
    cr_assert_eq(r.feed, ROUTE_FEED_RSS);
    cr_assert_eq(match("/comments/feed/atom/").feed, ROUTE_FEED_ATOM);
    /* only the first page of a list and articles have feeds */
    cr_assert_eq(match("/page/2/feed/").kind, ROUTE_NONE);
    cr_assert_eq(match("/category/world/page/2/feed/").kind, ROUTE_NONE);
    cr_assert_eq(match("/some-page/feed/").kind, ROUTE_NONE);
    cr_assert_eq(match("/comment/feed/").kind, ROUTE_NONE);
    cr_assert_eq(match("/feed/feed/").kind, ROUTE_NONE);
    /* a category or tag called "feed" keeps its page */
    r = match("/category/feed/");
    cr_assert_eq(r.kind, ROUTE_CATEGORY);
    cr_assert_eq(r.feed, ROUTE_FEED_NONE);
    slug_is(&r, "feed");
    r = match("/tag/feed/feed/");
    cr_assert_eq(r.kind, ROUTE_TAG);
    cr_assert_eq(r.feed, ROUTE_FEED_RSS);
    slug_is(&r, "feed");
    /* the comments address without a feed is no page */
    cr_assert_eq(match("/comments/").kind, ROUTE_PAGE);
}

Test(router, comment_pages_of_articles)
{
    struct route r = match("/2026/05/04/a-slug/comment-page-3/");
    cr_assert_eq(r.kind, ROUTE_ARTICLE);
    slug_is(&r, "a-slug");
    cr_assert_eq(r.cpage, 3);
    cr_assert_eq(r.year, 2026);
    cr_assert_eq(match("/2026/05/04/a-slug/").cpage, 0, "the article itself");
    cr_assert_eq(match("/2026/05/04/a-slug/comment-page-1/").cpage, 1);
    cr_assert_eq(match("/2026/05/04/a-slug/comment-page-100000/").cpage, 100000);
    cr_assert_eq(match("/2026/05/04/a-slug/comment-page-100001/").kind, ROUTE_NONE);
    cr_assert_eq(match("/2026/05/04/a-slug/comment-page-0/").kind, ROUTE_NONE);
    cr_assert_eq(match("/2026/05/04/a-slug/comment-page-02/").kind, ROUTE_NONE);
    cr_assert_eq(match("/2026/05/04/a-slug/comment-page-/").kind, ROUTE_NONE);
    cr_assert_eq(match("/2026/05/04/a-slug/comment-page-2").kind, ROUTE_NONE);
    cr_assert_eq(match("/2026/05/04/a-slug/comment-page-2/feed/").kind, ROUTE_NONE);
    /* only articles have comment pages */
    cr_assert_eq(match("/category/news/comment-page-2/").kind, ROUTE_NONE);
    cr_assert_eq(match("/2026/05/page/2/comment-page-2/").kind, ROUTE_NONE);
    /* an article whose slug looks like one is that article */
    r = match("/2026/05/04/comment-page-2/");
    cr_assert_eq(r.kind, ROUTE_ARTICLE);
    cr_assert_eq(r.cpage, 0);
    slug_is(&r, "comment-page-2");

    size_t rest = 0;
    cr_assert_eq(route_comment_page("/a/comment-page-7/", 18, &rest), 7);
    cr_assert_eq(rest, 3);
    cr_assert_eq(route_comment_page("/comment-page-7/", 16, &rest), 7);
    cr_assert_eq(rest, 1);
    cr_assert_eq(route_comment_page("/a/xcomment-page-7/", 19, &rest), 0);
    cr_assert_eq(route_comment_page("/a/comment-page-7", 17, &rest), 0);
}
