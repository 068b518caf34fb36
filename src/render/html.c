/* Escaping and the plain-text rendering of reader comments (see html.h). Everything a visitor
 * typed reaches the page through here or through the template engine's escaping; the comment
 * renderer also guarantees valid UTF-8 without control characters, so pages always validate. */
#include "render/html.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define HTML_URL_MAX 2048 /* longest URL turned into a link; longer ones are cut there */

/* Appends s[0..n) with & < > escaped, and the quotes too when quotes is set. */
static int escape(struct buf *out, const char *s, size_t n, int quotes)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            if (!quotes)
                continue;
            rep = "&quot;";
            break;
        case '\'':
            if (!quotes)
                continue;
            rep = "&#39;";
            break;
        default:
            continue;
        }
        buf_append(out, s + start, i - start);
        buf_puts(out, rep);
        start = i + 1;
    }
    return buf_append(out, s + start, n - start);
}

int html_escape(struct buf *out, const char *s, size_t n)
{
    return escape(out, s, n, 1);
}

int html_escape_text(struct buf *out, const char *s, size_t n)
{
    return escape(out, s, n, 0);
}

/* Decodes one UTF-8 character at s[0..n) (n >= 1). Returns its length and stores the code point,
 * or returns 1 and stores -1 for a byte that does not start a valid, shortest-form character. */
static size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    int32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        len = 2, v = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, v = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = -1;
        return 1;
    }
    if (n < len) {
        *cp = -1;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
        *cp = -1;
        return 1;
    }
    *cp = v;
    return len;
}

/* Code points HTML forbids in text (controls other than tab and newline, C1 controls,
 * noncharacters): they are dropped from comments. */
static bool forbidden(int32_t cp)
{
    if (cp < 0x20)
        return cp != '\t' && cp != '\n';
    if (cp >= 0x7f && cp <= 0x9f)
        return true;
    if (cp >= 0xfdd0 && cp <= 0xfdef)
        return true;
    return (cp & 0xfffe) == 0xfffe;
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Characters allowed unescaped in a URL's path, query and fragment (RFC 3986 minus brackets). */
static bool is_url_char(char c)
{
    return is_alnum(c) || (c != '\0' && strchr("-._~!$&'()*+,;=:@/?", c) != NULL);
}

/* Length of a host name at s[0..n): labels of letters, digits and hyphens joined by single dots.
 * An all-numeric last label means an IPv4 address, which must then be four numbers up to 255. */
static size_t host_len(const char *s, size_t n)
{
    size_t i = 0, labels = 0;
    bool numeric = true, all_numeric = true;
    while (i < n) {
        size_t j = i;
        bool digits = true;
        while (j < n && (is_alnum(s[j]) || s[j] == '-')) {
            if (!is_digit(s[j]))
                digits = false;
            j++;
        }
        if (j == i)
            break;
        labels++;
        numeric = digits;
        all_numeric = all_numeric && digits;
        i = j;
        if (i + 1 < n && s[i] == '.' && (is_alnum(s[i + 1]) || s[i + 1] == '-'))
            i++;
        else
            break;
    }
    if (labels == 0)
        return 0;
    if (numeric) {
        if (!all_numeric || labels != 4)
            return 0;
        size_t k = 0;
        for (int part = 0; part < 4; part++) {
            unsigned v = 0;
            size_t d = 0;
            while (k < i && is_digit(s[k])) {
                v = v * 10 + (unsigned)(s[k] - '0');
                k++;
                if (++d > 3 || v > 255)
                    return 0;
            }
            k++; /* the dot */
        }
    }
    return i;
}

size_t html_url_len(const char *s, size_t n)
{
    size_t i;
    if (n > HTML_URL_MAX)
        n = HTML_URL_MAX;
    if (n >= 7 && strncasecmp(s, "http://", 7) == 0)
        i = 7;
    else if (n >= 8 && strncasecmp(s, "https://", 8) == 0)
        i = 8;
    else
        return 0;
    size_t h = host_len(s + i, n - i);
    if (h == 0)
        return 0;
    i += h;
    if (i + 1 < n && s[i] == ':' && is_digit(s[i + 1])) {
        size_t j = i + 1;
        unsigned long port = 0;
        while (j < n && is_digit(s[j]) && port <= 65535)
            port = port * 10 + (unsigned long)(s[j++] - '0');
        if (port > 65535 || (j < n && is_digit(s[j])))
            return 0;
        i = j;
    }
    size_t end = i; /* the URL without its rest */
    if (i < n && (s[i] == '/' || s[i] == '?' || s[i] == '#')) {
        bool in_fragment = false;
        int open = 0, close = 0;
        while (i < n) {
            char c = s[i];
            if (c == '#') {
                if (in_fragment)
                    break;
                in_fragment = true;
            } else if (c == '%') {
                if (i + 2 >= n || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
                    break;
                i += 3;
                continue;
            } else if (!is_url_char(c)) {
                break;
            }
            i++;
        }
        /* Leave out trailing punctuation that belongs to the sentence, and an unbalanced ')'. */
        for (size_t k = end; k < i; k++) {
            if (s[k] == '(')
                open++;
            else if (s[k] == ')')
                close++;
        }
        while (i > end) {
            char c = s[i - 1];
            if (c == ')' && close > open) {
                close--;
                i--;
            } else if (c != ')' && strchr(".,;:!?'*", c) != NULL) {
                i--;
            } else {
                break;
            }
        }
        end = i;
    }
    return end;
}

/* Appends one line of comment text: escaped characters and autolinks. */
static void line_html(struct buf *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if ((s[i] == 'h' || s[i] == 'H') && (i == 0 || !is_alnum(s[i - 1]))) {
            size_t u = html_url_len(s + i, n - i);
            if (u > 0) {
                buf_puts(out, "<a href=\"");
                html_escape(out, s + i, u);
                buf_puts(out, "\" rel=\"nofollow ugc\">");
                html_escape(out, s + i, u);
                buf_puts(out, "</a>");
                i += u;
                continue;
            }
        }
        int32_t cp;
        size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp < 0)
            buf_puts(out, "\xef\xbf\xbd"); /* U+FFFD */
        else if (!forbidden(cp))
            html_escape(out, s + i, len);
        i += len;
    }
}

int html_clean(struct buf *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        int32_t cp;
        size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp < 0)
            buf_puts(out, "\xef\xbf\xbd");
        else if (cp == '\r')
            buf_putc(out, '\n');
        else if (!forbidden(cp))
            buf_append(out, s + i, len);
        if (cp == '\r' && i + 1 < n && s[i + 1] == '\n')
            len++;
        i += len;
    }
    return out->err;
}

static bool blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

int html_comment_text(struct buf *out, const char *s, size_t n)
{
    bool open = false, gap = false;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '\n' && s[j] != '\r')
            j++;
        const char *line = s + i;
        size_t len = j - i;
        if (j < n && s[j] == '\r' && j + 1 < n && s[j + 1] == '\n')
            j++;
        i = j < n ? j + 1 : j;
        if (blank_line(line, len)) {
            gap = open;
            continue;
        }
        if (!open) {
            buf_puts(out, "<p>");
            open = true;
        } else if (gap) {
            buf_puts(out, "</p>\n<p>");
        } else {
            buf_puts(out, "<br>\n");
        }
        gap = false;
        line_html(out, line, len);
    }
    if (open)
        buf_puts(out, "</p>\n");
    return out->err;
}
