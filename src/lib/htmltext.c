/* HTML to the text a reader sees (lib/htmltext.h), for excerpts and the search index. A small
 * scanner, not a parser: stored HTML was made by Gazette (Markdown, or an author's or an import's
 * HTML), and a mistake here costs a word in an excerpt or a search, never markup on a page. */
#include "lib/htmltext.h"

#include <string.h>
#include <strings.h>

/* Appends the UTF-8 form of code point cp (a replacement character for what is not one). */
static void put_utf8(struct buf *b, unsigned long cp)
{
    char u[4];
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        buf_append(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        buf_append(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        buf_append(b, u, 4);
    }
}

/* A numeric reference at s ("&#8217;", "&#x2019;"): the bytes consumed, 0 when it is not one. */
static size_t numeric(const char *s, size_t n, struct buf *b)
{
    size_t i = 2;
    int hex = 0;
    unsigned long cp = 0;
    if (n < 4 || s[1] != '#')
        return 0;
    if (s[2] == 'x' || s[2] == 'X')
        hex = 1, i = 3;
    size_t start = i;
    for (; i < n && i - start < 7; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            cp = cp * (hex ? 16 : 10) + (unsigned long)(c - '0');
        else if (hex && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))
            cp = cp * 16 + (unsigned long)((c | 0x20) - 'a' + 10);
        else
            break;
    }
    if (i == start || i >= n || s[i] != ';')
        return 0;
    put_utf8(b, cp);
    return i + 1;
}

/* Decodes the entity at s (s[0] == '&') into b; returns the bytes consumed, 0 if not an entity. */
static size_t entity(const char *s, size_t n, struct buf *b)
{
    static const struct {
        const char *name;
        const char *text;
    } named[] = {{"amp;", "&"},
                 {"lt;", "<"},
                 {"gt;", ">"},
                 {"quot;", "\""},
                 {"#39;", "'"},
                 {"apos;", "'"},
                 {"nbsp;", " "},
                 {"mdash;", "\xe2\x80\x94"},
                 {"ndash;", "\xe2\x80\x93"},
                 {"hellip;", "\xe2\x80\xa6"},
                 {"rsquo;", "\xe2\x80\x99"},
                 {"lsquo;", "\xe2\x80\x98"},
                 {"rdquo;", "\xe2\x80\x9d"},
                 {"ldquo;", "\xe2\x80\x9c"}};
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
        size_t l = strlen(named[i].name);
        if (n > l && memcmp(s + 1, named[i].name, l) == 0) {
            buf_puts(b, named[i].text);
            return l + 1;
        }
    }
    return numeric(s, n, b);
}

/* Block-level tags end a word even without surrounding spaces ("<p>a</p><p>b</p>"). */
static int tag_separates(const char *t, size_t n)
{
    static const char *const inline_tags[] = {"a", "em",  "strong", "b",     "i",    "u",    "code", "span", "del",
                                              "s", "sub", "sup",    "small", "mark", "abbr", "kbd",  "q",    "cite"};
    size_t i = 0, l;
    if (i < n && t[i] == '/')
        i++;
    for (l = 0; i + l < n && ((t[i + l] >= 'a' && t[i + l] <= 'z') || (t[i + l] >= 'A' && t[i + l] <= 'Z') ||
                              (t[i + l] >= '0' && t[i + l] <= '9'));
         l++)
        ;
    for (size_t k = 0; k < sizeof(inline_tags) / sizeof(inline_tags[0]); k++)
        if (strlen(inline_tags[k]) == l && strncasecmp(t + i, inline_tags[k], l) == 0)
            return 0;
    return 1;
}

/* The offset just past the closing tag that starts with `close` ("</script"), or n. */
static size_t skip_past(const char *html, size_t n, size_t i, const char *close)
{
    size_t sl = strlen(close);
    for (size_t k = i; k + sl <= n; k++) {
        if (strncasecmp(html + k, close, sl) == 0) {
            const char *gt = memchr(html + k, '>', n - k);
            return gt ? (size_t)(gt - html) + 1 : n;
        }
    }
    return n;
}

int html_text(struct buf *out, const char *html, size_t n)
{
    size_t i = 0;
    while (i < n) {
        char c = html[i];
        if (c == '<') {
            const char *end = memchr(html + i, '>', n - i);
            size_t tl = end ? (size_t)(end - (html + i)) : n - i;
            const char *close = NULL;
            if (tl >= 7 && strncasecmp(html + i + 1, "script", 6) == 0)
                close = "</script";
            else if (tl >= 6 && strncasecmp(html + i + 1, "style", 5) == 0)
                close = "</style";
            if (tag_separates(html + i + 1, tl > 0 ? tl - 1 : 0))
                buf_putc(out, ' ');
            i = end ? (size_t)(end - html) + 1 : n;
            if (close != NULL)
                i = skip_past(html, n, i, close);
        } else if (c == '&') {
            size_t used = entity(html + i, n - i, out);
            if (used == 0) {
                buf_putc(out, '&');
                used = 1;
            }
            i += used;
        } else { /* a run of text up to the next tag or entity */
            size_t j = i + 1;
            while (j < n && html[j] != '<' && html[j] != '&')
                j++;
            buf_append(out, html + i, j - i);
            i = j;
        }
    }
    return out->err;
}
