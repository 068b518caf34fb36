/* Search: turns a visitor's words into a search_query of plain-text terms (the storage quotes
 * them, so operators such as OR, NOT, NEAR(, column filters and ^ typed by a visitor are plain
 * words) and asks the storage for the matching public posts and pages. */
#include "news/search.h"

#include <errno.h>
#include <string.h>

#define PER_PAGE_MAX 1000

static int is_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* A term worth searching for: the index only keeps letters and digits (ASCII or not). */
static int has_token(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)w[i];
        if (ch >= 0x80 || (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))
            return 1;
    }
    return 0;
}

size_t search_parse(const char *s, size_t n, struct search_query *q)
{
    memset(q, 0, sizeof(*q));
    if (s == NULL)
        n = 0;
    if (n > SEARCH_MAX_INPUT) {
        n = SEARCH_MAX_INPUT;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) /* not inside a UTF-8 character */
            n--;
    }
    size_t i = 0;
    while (i < n && q->n < SEARCH_MAX_TERMS) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (i >= n)
            break;
        struct search_term t = {0};
        if (s[i] == '"') { /* a phrase, to the closing quote or the end */
            size_t start = ++i;
            while (i < n && s[i] != '"')
                i++;
            t.text = s + start;
            t.len = i - start;
            t.phrase = 1;
            if (i < n)
                i++;
        } else {
            size_t start = i;
            while (i < n && !is_space((unsigned char)s[i]))
                i++;
            t.text = s + start;
            t.len = i - start;
            while (t.len > 0 && t.text[t.len - 1] == '*') /* the habit of word*: see search_posts */
                t.len--;
        }
        if (t.len > 0 && has_token(t.text, t.len))
            q->terms[q->n++] = t;
    }
    return q->n;
}

int search_posts(struct db *db, const char *s, size_t n, int64_t now, size_t page, size_t per_page,
                 struct post_list *out, int64_t *total)
{
    struct search_query q;
    struct post_list l = {0};
    int64_t count = 0;
    int ret = 0;
    if (search_parse(s, n, &q) == 0)
        goto out;
    if (page == 0)
        page = 1;
    if (per_page == 0)
        per_page = 1;
    if (per_page > PER_PAGE_MAX)
        per_page = PER_PAGE_MAX;
    size_t offset = page - 1 > SEARCH_RESULTS_MAX ? SEARCH_RESULTS_MAX : (page - 1) * per_page;
    if ((ret = db_post_search(db, &q, now, offset, per_page, &l, &count)) < 0)
        goto out;
    /* Few posts hold the whole words: the last word may be the start of longer ones ("harb",
     * "election" for "elections"). Searched again as a prefix, which finds a superset. */
    struct search_term *last = &q.terms[q.n - 1];
    if (count < SEARCH_PREFIX_BELOW && !last->prefix && !last->phrase && last->len >= SEARCH_PREFIX_MIN) {
        last->prefix = 1;
        post_list_free(&l);
        ret = db_post_search(db, &q, now, offset, per_page, &l, &count);
    }
out:
    if (ret < 0)
        return ret;
    *out = l;
    *total = count;
    return 0;
}
