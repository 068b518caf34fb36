/* A growing byte buffer with a hard maximum, for building output (pages, JSON, messages).
 * Appends never fail loudly: past the maximum, or out of memory, the buffer keeps the bytes it
 * had and remembers the error in `err`, which the caller checks once at the end. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#define BUF_MAX_DEFAULT ((size_t)64 << 20) /* 64 MiB */

struct buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    size_t max; /* 0 means BUF_MAX_DEFAULT */
    int err;    /* 0, or -ENOMEM / -E2BIG after a failed append */
};

#define BUF_INIT                                                                                                       \
    {                                                                                                                  \
        0                                                                                                              \
    }

/* Appends n bytes from p. Returns 0, or the sticky error. */
int buf_append(struct buf *b, const void *p, size_t n);
/* Appends a NUL-terminated string. */
int buf_puts(struct buf *b, const char *s);
/* Appends one byte. */
int buf_putc(struct buf *b, char c);
/* Appends formatted text. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Forgets the contents but keeps the memory. */
void buf_reset(struct buf *b);
/* Hands the data to the caller (who frees it) and leaves b empty. */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);
