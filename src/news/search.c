/* Search: turns a visitor's words into an FTS5 query made only of quoted strings (so operators
 * such as OR, NOT, NEAR(, column filters, * and ^ typed by a visitor are plain words) and asks
 * the storage for the matching public posts and pages. */
#include "news/search.h"

#include <errno.h>
#include <string.h>

#define PER_PAGE_MAX 1000

static int is_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* A word worth searching for: the index only keeps letters and digits (ASCII or not). */
static int has_token(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)w[i];
        if (ch >= 0x80 || (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))
            return 1;
    }
    return 0;
}

int search_fts_query(const char *s, size_t n, struct buf *out)
{
    const char *words[SEARCH_MAX_TERMS];
    size_t lens[SEARCH_MAX_TERMS], k = 0;
    if (s == NULL)
        n = 0;
    if (n > SEARCH_MAX_INPUT) {
        n = SEARCH_MAX_INPUT;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) /* not inside a UTF-8 character */
            n--;
    }
    size_t i = 0;
    while (i < n && k < SEARCH_MAX_TERMS) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        size_t start = i;
        while (i < n && !is_space((unsigned char)s[i]))
            i++;
        if (i > start && has_token(s + start, i - start)) {
            words[k] = s + start;
            lens[k++] = i - start;
        }
    }
    for (size_t w = 0; w < k; w++) {
        if (w > 0)
            buf_putc(out, ' ');
        buf_putc(out, '"');
        for (size_t j = 0; j < lens[w]; j++) {
            if (words[w][j] == '"')
                buf_putc(out, '"');
            if (words[w][j] != '\0')
                buf_putc(out, words[w][j]);
        }
        buf_putc(out, '"');
        if (w + 1 == k && lens[w] >= SEARCH_PREFIX_MIN)
            buf_putc(out, '*');
    }
    if (out->err != 0)
        return out->err;
    return (int)k;
}

int search_posts(struct db *db, const char *s, size_t n, int64_t now, size_t page, size_t per_page,
                 struct post_list *out, int64_t *total)
{
    struct buf q = BUF_INIT;
    struct post_list l = {0};
    int64_t count = 0;
    int ret = search_fts_query(s, n, &q);
    if (ret <= 0)
        goto out;
    if (page == 0)
        page = 1;
    if (per_page == 0)
        per_page = 1;
    if (per_page > PER_PAGE_MAX)
        per_page = PER_PAGE_MAX;
    if ((ret = db_post_search_count(db, q.data, now, &count)) < 0)
        goto out;
    if (count > 0 && page - 1 <= (size_t)count / per_page &&
        (ret = db_post_search(db, q.data, now, (page - 1) * per_page, per_page, &l)) < 0)
        goto out;
    ret = 0;
out:
    buf_free(&q);
    if (ret == 0) {
        *out = l;
        *total = count;
    }
    return ret;
}
