/* The WXR 1.2 writer (see export.h): channel, authors, categories (parents before children, as
 * WordPress's importer needs), tags, then one item per post or page with its terms and comments.
 * Posts are read one at a time, so only the list of ids and titles is held in memory. */
#include "import/export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "db/wpmap.h"
#include "lib/timeutil.h"
#include "news/post.h"
#include "news/settings.h"

#define W(call)                                                                                                        \
    do {                                                                                                               \
        if ((call) < 0)                                                                                                \
            goto write_error;                                                                                          \
    } while (0)

static const xmlChar *X(const char *s)
{
    return (const xmlChar *)(s ? s : "");
}

/* CDATA cannot hold "]]>": split it across two sections, as WordPress's wxr_cdata() does. */
static int write_cdata(xmlTextWriterPtr w, const char *name, const char *s)
{
    if (xmlTextWriterStartElement(w, X(name)) < 0)
        return -1;
    s = s ? s : "";
    for (;;) {
        const char *e = strstr(s, "]]>");
        size_t n = e ? (size_t)(e - s) + 2 : strlen(s);
        if (xmlTextWriterStartCDATA(w) < 0 || xmlTextWriterWriteRawLen(w, X(s), (int)n) < 0 ||
            xmlTextWriterEndCDATA(w) < 0)
            return -1;
        if (e == NULL)
            break;
        s = e + 2;
    }
    return xmlTextWriterEndElement(w);
}

static int write_text(xmlTextWriterPtr w, const char *name, const char *s)
{
    return xmlTextWriterWriteElement(w, X(name), X(s));
}

static int write_int(xmlTextWriterPtr w, const char *name, long long v)
{
    return xmlTextWriterWriteFormatElement(w, X(name), "%lld", v);
}

/* "YYYY-MM-DD HH:MM:SS" in UTC, as the *_gmt fields want. */
static void wp_date(int64_t t, char out[20])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

static void rfc822(int64_t t, char out[40])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 40, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

static const char *wp_status(enum post_status s)
{
    switch (s) {
    case POST_PUBLISHED:
        return "publish";
    case POST_SCHEDULED:
        return "future";
    case POST_PENDING:
        return "pending";
    case POST_PRIVATE:
        return "private";
    case POST_TRASH:
        return "trash";
    default:
        return "draft";
    }
}

static const char *wp_approved(enum comment_status s)
{
    switch (s) {
    case COMMENT_APPROVED:
        return "1";
    case COMMENT_SPAM:
        return "spam";
    case COMMENT_TRASH:
        return "trash";
    default:
        return "0";
    }
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static const char *slug_of(const struct term_list *l, int64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].id == id)
            return l->items[i].slug;
    return "";
}

static int write_terms(xmlTextWriterPtr w, const struct term_list *cats, const struct term_list *tags)
{
    /* Categories whose parent is written before them, round after round. */
    char *done = calloc(cats->n + 1, 1);
    if (done == NULL)
        return -ENOMEM;
    size_t left = cats->n;
    while (left > 0) {
        size_t before = left;
        for (size_t i = 0; i < cats->n; i++) {
            const struct term *t = &cats->items[i];
            if (done[i])
                continue;
            int parent_done = t->parent_id == 0;
            for (size_t j = 0; j < cats->n && !parent_done; j++)
                parent_done = cats->items[j].id == t->parent_id && done[j];
            if (!parent_done)
                continue;
            done[i] = 1;
            left--;
            W(xmlTextWriterStartElement(w, X("wp:category")));
            W(write_int(w, "wp:term_id", t->id));
            W(write_cdata(w, "wp:category_nicename", t->slug));
            W(write_cdata(w, "wp:category_parent", t->parent_id ? slug_of(cats, t->parent_id) : ""));
            W(write_cdata(w, "wp:cat_name", t->name));
            W(xmlTextWriterEndElement(w));
        }
        if (left == before) { /* a parent outside the list (a cycle): write the rest as they are */
            for (size_t i = 0; i < cats->n; i++)
                if (!done[i]) {
                    done[i] = 1;
                    left--;
                    const struct term *t = &cats->items[i];
                    W(xmlTextWriterStartElement(w, X("wp:category")));
                    W(write_int(w, "wp:term_id", t->id));
                    W(write_cdata(w, "wp:category_nicename", t->slug));
                    W(write_cdata(w, "wp:category_parent", ""));
                    W(write_cdata(w, "wp:cat_name", t->name));
                    W(xmlTextWriterEndElement(w));
                }
        }
    }
    free(done);
    for (size_t i = 0; i < tags->n; i++) {
        const struct term *t = &tags->items[i];
        W(xmlTextWriterStartElement(w, X("wp:tag")));
        W(write_int(w, "wp:term_id", t->id));
        W(write_cdata(w, "wp:tag_slug", t->slug));
        W(write_cdata(w, "wp:tag_name", t->name));
        W(xmlTextWriterEndElement(w));
    }
    return 0;
write_error:
    free(done);
    return -EIO;
}

static int write_item(struct db *db, xmlTextWriterPtr w, const char *site, int64_t id, struct export_stats *st)
{
    struct post p = {0};
    struct term_list terms[2] = {{0}, {0}};
    struct comment_list cl = {0};
    int rc = db_post_get(db, id, &p);
    if (rc < 0)
        return rc;
    if ((rc = db_post_terms(db, id, TERM_CATEGORY, &terms[0])) < 0 ||
        (rc = db_post_terms(db, id, TERM_TAG, &terms[1])) < 0 || (rc = db_comment_list_all(db, id, &cl)) < 0)
        goto out;
    char path[POST_PATH_MAX], date[20], mod[20], pub[40];
    if (post_path(&p, path, sizeof(path)) < 0)
        path[0] = '\0';
    wp_date(p.published_at, date);
    wp_date(p.modified_at, mod);
    rfc822(p.published_at, pub);
    rc = -EIO;
    W(xmlTextWriterStartElement(w, X("item")));
    W(write_text(w, "title", p.title));
    W(xmlTextWriterWriteFormatElement(w, X("link"), "%s%s", site, path));
    W(write_text(w, "pubDate", pub));
    W(write_cdata(w, "dc:creator", p.author_login));
    W(xmlTextWriterStartElement(w, X("guid")));
    W(xmlTextWriterWriteAttribute(w, X("isPermaLink"), X("false")));
    W(xmlTextWriterWriteFormatString(w, "%s/?p=%lld", site, (long long)p.id));
    W(xmlTextWriterEndElement(w));
    W(write_text(w, "description", ""));
    /* Markdown is shown as its rendered HTML: WordPress cannot render Markdown. */
    W(write_cdata(w, "content:encoded", p.format == POST_FORMAT_HTML ? p.source : p.html));
    W(write_cdata(w, "excerpt:encoded", p.excerpt));
    W(write_int(w, "wp:post_id", p.id));
    W(write_cdata(w, "wp:post_date", date));
    W(write_cdata(w, "wp:post_date_gmt", date));
    W(write_cdata(w, "wp:post_modified", mod));
    W(write_cdata(w, "wp:post_modified_gmt", mod));
    W(write_cdata(w, "wp:comment_status", p.comments_open ? "open" : "closed"));
    W(write_cdata(w, "wp:ping_status", "closed"));
    W(write_cdata(w, "wp:post_name", p.slug));
    W(write_cdata(w, "wp:status", wp_status(p.status)));
    W(write_int(w, "wp:post_parent", p.parent_id));
    W(write_int(w, "wp:menu_order", 0));
    W(write_cdata(w, "wp:post_type", p.type == POST_TYPE_PAGE ? "page" : "post"));
    W(write_cdata(w, "wp:post_password", p.password ? p.password : ""));
    W(write_int(w, "wp:is_sticky", p.sticky != 0));
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < terms[k].n; i++) {
            W(xmlTextWriterStartElement(w, X("category")));
            W(xmlTextWriterWriteAttribute(w, X("domain"), X(k == 0 ? "category" : "post_tag")));
            W(xmlTextWriterWriteAttribute(w, X("nicename"), X(terms[k].items[i].slug)));
            W(xmlTextWriterStartCDATA(w));
            W(xmlTextWriterWriteRaw(w, X(terms[k].items[i].name)));
            W(xmlTextWriterEndCDATA(w));
            W(xmlTextWriterEndElement(w));
        }
    }
    for (size_t i = 0; i < cl.n; i++) {
        const struct comment *c = &cl.items[i];
        char cdate[20];
        wp_date(c->created_at, cdate);
        W(xmlTextWriterStartElement(w, X("wp:comment")));
        W(write_int(w, "wp:comment_id", c->id));
        W(write_cdata(w, "wp:comment_author", c->author));
        W(write_cdata(w, "wp:comment_author_email", c->email));
        W(write_text(w, "wp:comment_author_url", c->url));
        W(write_text(w, "wp:comment_author_IP", c->ip));
        W(write_cdata(w, "wp:comment_date", cdate));
        W(write_cdata(w, "wp:comment_date_gmt", cdate));
        W(write_cdata(w, "wp:comment_content", c->body));
        W(write_cdata(w, "wp:comment_approved", wp_approved(c->status)));
        W(write_cdata(w, "wp:comment_type", comment_type_name(c->type)));
        W(write_int(w, "wp:comment_parent", c->parent_id));
        W(write_int(w, "wp:comment_user_id", c->user_id));
        W(xmlTextWriterEndElement(w));
        st->comments++;
    }
    W(xmlTextWriterEndElement(w));
    *(p.type == POST_TYPE_PAGE ? &st->pages : &st->posts) += 1;
    rc = 0;
write_error:
out:
    post_clear(&p);
    term_list_free(&terms[0]);
    term_list_free(&terms[1]);
    comment_list_free(&cl);
    return rc;
}

struct attachment_ctx {
    xmlTextWriterPtr w;
    const struct post_list *posts;
    int64_t last;
    long n;
};

static int post_id_taken(const struct post_list *l, int64_t id)
{
    size_t lo = 0, hi = l->n; /* ordered by id */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->items[mid].id == id)
            return 1;
        if (l->items[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Recorded attachments go out as attachment items under their WordPress ids, so that the
 * [gallery ids="..."] of imported posts still find their images; an id that a post now uses is
 * left out. */
static int write_attachment(void *arg, int64_t wp_id, int64_t parent_wp_id, const char *url)
{
    struct attachment_ctx *a = arg;
    xmlTextWriterPtr w = a->w;
    if (wp_id == a->last || post_id_taken(a->posts, wp_id))
        return 0;
    a->last = wp_id;
    W(xmlTextWriterStartElement(w, X("item")));
    const char *base = strrchr(url, '/');
    W(write_text(w, "title", base && base[1] ? base + 1 : url));
    W(write_text(w, "guid", url));
    W(write_int(w, "wp:post_id", wp_id));
    W(write_cdata(w, "wp:status", "inherit"));
    W(write_int(w, "wp:post_parent", parent_wp_id));
    W(write_cdata(w, "wp:post_type", "attachment"));
    W(write_text(w, "wp:attachment_url", url));
    W(xmlTextWriterEndElement(w));
    a->n++;
    return 0;
write_error:
    return -EIO;
}

int export_wxr(struct db *db, FILE *f, struct export_stats *st)
{
    *st = (struct export_stats){0};
    struct post_list posts = {0};
    struct term_list cats = {0}, tags = {0};
    char *title = NULL, *tagline = NULL, *site = NULL;
    int64_t *authors = NULL;
    xmlTextWriterPtr w = NULL;
    struct permalink pl;
    const struct permalink *prev = permalink_current();
    int rc;
    setting_permalink(db, &pl);
    permalink_use(&pl); /* the links follow the site's structure */
    if ((rc = db_post_list_all(db, &posts)) < 0 || (rc = db_term_list(db, TERM_CATEGORY, time_now(), &cats)) < 0 ||
        (rc = db_term_list(db, TERM_TAG, time_now(), &tags)) < 0 || (rc = setting_get(db, "site_title", &title)) < 0 ||
        (rc = setting_get(db, "site_tagline", &tagline)) < 0 || (rc = setting_get(db, "site_url", &site)) < 0)
        goto out;
    size_t n = strlen(site);
    while (n > 0 && site[n - 1] == '/')
        site[--n] = '\0';

    /* The authors of the posts, each once. */
    size_t na = 0;
    authors = malloc((posts.n + 1) * sizeof(*authors));
    if (authors == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < posts.n; i++)
        authors[na++] = posts.items[i].author_id;
    qsort(authors, na, sizeof(*authors), cmp_id);

    xmlOutputBufferPtr ob = xmlOutputBufferCreateFile(f, NULL);
    if (ob == NULL || (w = xmlNewTextWriter(ob)) == NULL) {
        if (ob)
            xmlOutputBufferClose(ob);
        rc = -ENOMEM;
        goto out;
    }
    rc = -EIO;
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterSetIndentString(w, X("\t"));
    char now[40];
    rfc822(time_now(), now);
    W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
    W(xmlTextWriterWriteComment(w, X(" This is a WordPress eXtended RSS file generated by Gazette as an export of "
                                     "your site. Import it with WordPress's importer or with gazette import wxr. ")));
    W(xmlTextWriterStartElement(w, X("rss")));
    W(xmlTextWriterWriteAttribute(w, X("version"), X("2.0")));
    W(xmlTextWriterWriteAttribute(w, X("xmlns:excerpt"), X("http://wordpress.org/export/1.2/excerpt/")));
    W(xmlTextWriterWriteAttribute(w, X("xmlns:content"), X("http://purl.org/rss/1.0/modules/content/")));
    W(xmlTextWriterWriteAttribute(w, X("xmlns:wfw"), X("http://wellformedweb.org/CommentAPI/")));
    W(xmlTextWriterWriteAttribute(w, X("xmlns:dc"), X("http://purl.org/dc/elements/1.1/")));
    W(xmlTextWriterWriteAttribute(w, X("xmlns:wp"), X("http://wordpress.org/export/1.2/")));
    W(xmlTextWriterStartElement(w, X("channel")));
    W(write_text(w, "title", title));
    W(write_text(w, "link", site));
    W(write_text(w, "description", tagline));
    W(write_text(w, "pubDate", now));
    W(write_text(w, "language", "en"));
    W(write_text(w, "wp:wxr_version", "1.2"));
    W(write_text(w, "wp:base_site_url", site));
    W(write_text(w, "wp:base_blog_url", site));
    for (size_t i = 0; i < na; i++) {
        if (i > 0 && authors[i] == authors[i - 1])
            continue;
        struct user u = {0};
        if (db_user_get(db, authors[i], &u) < 0)
            continue;
        int bad = xmlTextWriterStartElement(w, X("wp:author")) < 0 || write_int(w, "wp:author_id", u.id) < 0 ||
                  write_cdata(w, "wp:author_login", u.login) < 0 || write_cdata(w, "wp:author_email", u.email) < 0 ||
                  write_cdata(w, "wp:author_display_name", u.display_name) < 0 ||
                  write_cdata(w, "wp:author_first_name", "") < 0 || write_cdata(w, "wp:author_last_name", "") < 0 ||
                  xmlTextWriterEndElement(w) < 0;
        user_clear(&u);
        if (bad)
            goto write_error;
        st->authors++;
    }
    if ((rc = write_terms(w, &cats, &tags)) < 0)
        goto out;
    st->categories = (long)cats.n;
    st->tags = (long)tags.n;
    W(write_text(w, "generator", "Gazette"));
    for (size_t i = 0; i < posts.n; i++)
        if ((rc = write_item(db, w, site, posts.items[i].id, st)) < 0)
            goto out;
    struct attachment_ctx actx = {w, &posts, 0, 0};
    if ((rc = db_wp_attachment_each(db, write_attachment, &actx)) < 0)
        goto out;
    st->attachments = actx.n;
    rc = -EIO;
    W(xmlTextWriterEndElement(w)); /* channel */
    W(xmlTextWriterEndElement(w)); /* rss */
    W(xmlTextWriterEndDocument(w));
    W(xmlTextWriterFlush(w));
    rc = 0;
    goto out;
write_error:
    rc = -EIO;
out:
    if (w)
        xmlFreeTextWriter(w);
    free(authors);
    free(title);
    free(tagline);
    free(site);
    post_list_free(&posts);
    term_list_free(&cats);
    term_list_free(&tags);
    permalink_use(prev);
    return rc;
}
