/* Slugs: the URL-safe names of posts, pages and terms ("Élan vital!" -> "elan-vital").
 * Lower-case ASCII letters, digits and single hyphens; common Latin letters are transliterated
 * (é->e, ß->ss, æ->ae, ø->o, ł->l ...), everything else separates words. */
#pragma once

#include <stddef.h>

#define SLUG_MAX 200 /* bytes, without the NUL; longer slugs are cut at a word boundary */

/* Writes the slug of the n bytes at s (UTF-8, need not be NUL-terminated) into out (cap bytes,
 * at least SLUG_MAX + 1 is always enough) and NUL-terminates it. Returns its length; 0 when
 * nothing usable was left (the caller then picks a fallback such as "post"). */
size_t slug_make(const char *s, size_t n, char *out, size_t cap);

/* 1 when the n bytes at s are already a well-formed slug (what slug_make could produce), else 0. */
int slug_valid(const char *s, size_t n);
