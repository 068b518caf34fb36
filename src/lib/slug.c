/* Slugs from titles and names: ASCII letters and digits kept (lowered), common Latin letters
 * transliterated, apostrophes dropped ("Don't" -> "dont"), every other run of characters a
 * single hyphen. Works on raw UTF-8; invalid bytes count as separators. */
#include <string.h>

#include "lib/slug.h"

/* ASCII spellings of U+00C0..U+017F; NULL: a separator. */
static const char *const latin[0x180 - 0xC0] = {
    /* C0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c",  "e", "e", "e", "e", "i", "i", "i",  "i",
    /* D0 */ "d",  "n", "o",  "o",  "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
    /* E0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c",  "e", "e", "e", "e", "i", "i", "i",  "i",
    /* F0 */ "d",  "n", "o",  "o",  "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "y",
    /* 100 */ "a", "a", "a",  "a",  "a", "a", "c",  "c",  "c", "c", "c", "c", "c", "c", "d",  "d",
    /* 110 */ "d", "d", "e",  "e",  "e", "e", "e",  "e",  "e", "e", "e", "e", "g", "g", "g",  "g",
    /* 120 */ "g", "g", "g",  "g",  "h", "h", "h",  "h",  "i", "i", "i", "i", "i", "i", "i",  "i",
    /* 130 */ "i", "i", "ij", "ij", "j", "j", "k",  "k",  "k", "l", "l", "l", "l", "l", "l",  "l",
    /* 140 */ "l", "l", "l",  "n",  "n", "n", "n",  "n",  "n", "n", "n", "n", "o", "o", "o",  "o",
    /* 150 */ "o", "o", "oe", "oe", "r", "r", "r",  "r",  "r", "r", "s", "s", "s", "s", "s",  "s",
    /* 160 */ "s", "s", "t",  "t",  "t", "t", "t",  "t",  "u", "u", "u", "u", "u", "u", "u",  "u",
    /* 170 */ "u", "u", "u",  "u",  "w", "w", "y",  "y",  "y", "z", "z", "z", "z", "z", "z",  "s",
};

/* Decodes one UTF-8 sequence at s (n > 0 bytes left); returns its length, *cp = -1 if invalid. */
static size_t utf8_next(const unsigned char *s, size_t n, long *cp)
{
    unsigned char c = s[0];
    size_t len;
    long v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        v = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        v = c & 0x07;
    } else {
        *cp = -1;
        return 1;
    }
    if (len > n) {
        *cp = -1;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return len;
}

/* The ASCII spelling of cp, "" to drop it silently, NULL for a separator. */
static const char *translit(long cp, char ascii[2])
{
    if (cp >= 'A' && cp <= 'Z')
        cp += 'a' - 'A';
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
        ascii[0] = (char)cp;
        ascii[1] = '\0';
        return ascii;
    }
    if (cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0xAD) /* apostrophes, soft hyphen */
        return "";
    if (cp >= 0xC0 && cp < 0x180)
        return latin[cp - 0xC0];
    switch (cp) {
    case 0x218:
    case 0x219:
        return "s"; /* Romanian s and t with comma */
    case 0x21A:
    case 0x21B:
        return "t";
    default:
        return NULL;
    }
}

size_t slug_make(const char *s, size_t n, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t limit, len = 0, i = 0;
    int pending_sep = 0;

    if (cap == 0)
        return 0;
    limit = cap - 1 < SLUG_MAX ? cap - 1 : SLUG_MAX;
    while (i < n) {
        long cp;
        char ascii[2];
        const char *t;
        i += utf8_next(p + i, n - i, &cp);
        t = cp < 0 ? NULL : translit(cp, ascii);
        if (t == NULL) {
            pending_sep = 1;
            continue;
        }
        size_t tl = strlen(t);
        if (tl == 0)
            continue;
        if (pending_sep && len > 0) {
            if (len + 1 + tl > limit)
                break;
            out[len++] = '-';
        }
        pending_sep = 0;
        if (len + tl > limit) {
            /* cut at the last word boundary when there is one */
            char *dash = memrchr(out, '-', len);
            if (dash != NULL)
                len = (size_t)(dash - out);
            break;
        }
        memcpy(out + len, t, tl);
        len += tl;
    }
    out[len] = '\0';
    return len;
}

int slug_valid(const char *s, size_t n)
{
    if (n == 0 || n > SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '-') {
            if (s[i + 1] == '-')
                return 0;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return 0;
        }
    }
    return 1;
}
