/* The line diff behind the revision screen: split both texts into lines, set aside the common
 * head and tail, fill an LCS length table over the rest (16-bit cells, at most DIFF_MAX_LINES a
 * side, so at most 8 MiB), and walk it from the start to emit the shortest edit. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/diff.h"
#include "render/html.h"

struct line {
    const char *p;
    size_t n;
};

/* Splits s into lines (pointers into s). Returns the count, or -E2BIG past max. */
static long split(const char *s, size_t n, struct line *out, size_t max)
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n && start == n)
            break;
        if (i == n || s[i] == '\n') {
            if (k == max)
                return -E2BIG;
            out[k].p = s + start;
            out[k].n = i - start;
            k++;
            start = i + 1;
        }
    }
    return (long)k;
}

static size_t count_lines(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k + (n > 0 && s[n - 1] != '\n');
}

static int same(const struct line *x, const struct line *y)
{
    return x->n == y->n && memcmp(x->p, y->p, x->n) == 0;
}

int diff_lines(const char *a, size_t an, const char *b, size_t bn,
               void (*emit)(enum diff_op op, const char *line, size_t len, void *arg), void *arg)
{
    size_t na = count_lines(a, an), nb = count_lines(b, bn);
    struct line *la = calloc(na + 1, sizeof(*la)), *lb = calloc(nb + 1, sizeof(*lb));
    uint16_t *t = NULL;
    int ret = 0;

    if (la == NULL || lb == NULL) {
        ret = -ENOMEM;
        goto out;
    }
    split(a, an, la, na);
    split(b, bn, lb, nb);

    size_t head = 0, tail = 0;
    while (head < na && head < nb && same(&la[head], &lb[head]))
        head++;
    while (tail < na - head && tail < nb - head && same(&la[na - 1 - tail], &lb[nb - 1 - tail]))
        tail++;
    size_t m = na - head - tail, n = nb - head - tail;
    if (m > DIFF_MAX_LINES || n > DIFF_MAX_LINES) {
        ret = -E2BIG;
        goto out;
    }
    /* t[i][j]: LCS length of the middle parts' suffixes from i and j */
    size_t w = n + 1;
    t = calloc((m + 1) * w, sizeof(*t));
    if (t == NULL) {
        ret = -ENOMEM;
        goto out;
    }
    const struct line *ma = la + head, *mb = lb + head;
    for (size_t i = m; i-- > 0;)
        for (size_t j = n; j-- > 0;)
            t[i * w + j] = same(&ma[i], &mb[j])                     ? (uint16_t)(t[(i + 1) * w + j + 1] + 1)
                           : t[(i + 1) * w + j] >= t[i * w + j + 1] ? t[(i + 1) * w + j]
                                                                    : t[i * w + j + 1];

    for (size_t i = 0; i < head; i++)
        emit(DIFF_SAME, la[i].p, la[i].n, arg);
    size_t i = 0, j = 0;
    while (i < m || j < n) {
        if (i < m && j < n && same(&ma[i], &mb[j])) {
            emit(DIFF_SAME, ma[i].p, ma[i].n, arg);
            i++, j++;
        } else if (i < m && (j == n || t[(i + 1) * w + j] >= t[i * w + j + 1])) {
            emit(DIFF_DEL, ma[i].p, ma[i].n, arg);
            i++;
        } else {
            emit(DIFF_ADD, mb[j].p, mb[j].n, arg);
            j++;
        }
    }
    for (size_t k = nb - tail; k < nb; k++)
        emit(DIFF_SAME, lb[k].p, lb[k].n, arg);
out:
    free(t);
    free(la);
    free(lb);
    return ret;
}

struct html_state {
    struct buf *out;
    size_t changes;
};

static void emit_html(enum diff_op op, const char *line, size_t len, void *arg)
{
    struct html_state *s = arg;
    if (op == DIFF_DEL)
        buf_puts(s->out, "<del>");
    else if (op == DIFF_ADD)
        buf_puts(s->out, "<ins>");
    html_escape(s->out, line, len);
    if (op == DIFF_DEL)
        buf_puts(s->out, "</del>");
    else if (op == DIFF_ADD)
        buf_puts(s->out, "</ins>");
    buf_putc(s->out, '\n');
    s->changes += op != DIFF_SAME;
}

int diff_html(struct buf *out, const char *a, size_t an, const char *b, size_t bn, size_t *changes)
{
    struct html_state s = {out, 0};
    int ret = diff_lines(a, an, b, bn, emit_html, &s);
    if (ret == 0 && out->err)
        ret = out->err;
    if (ret == 0 && changes != NULL)
        *changes = s.changes;
    return ret;
}
