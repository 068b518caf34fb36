/* What search engines and social sites are told about the site and its posts: the language as
 * each of them spells it, a post's description, and the image that stands for a post in a
 * preview. The markup that carries it is the app's (src/app/head.c). */
#pragma once

#include <stddef.h>

#include "db/db.h"
#include "lib/buf.h"
#include "news/identity.h"

#define SEO_LANG_MAX 16         /* bytes of a language tag, with its NUL */
#define SEO_DESCRIPTION_MAX 300 /* bytes of a description, "…" included */

/* 1 when tag is a language tag Gazette can use (BCP 47: a language of 2 or 3 letters, then
 * optionally a script of 4 letters and a region of 2 letters or 3 digits: "en", "en-US",
 * "pt-BR", "zh-Hant-TW"), else 0. */
int seo_language_ok(const char *tag);

/* The tag as Open Graph's og:locale has it: "en_US" (language_TERRITORY); a tag without a region
 * gives the language alone ("fr"). */
void seo_og_locale(const char *tag, char out[SEO_LANG_MAX]);

/* The tag as a news sitemap's news:language has it: the ISO 639 language in lower case, except
 * Chinese, which is "zh-cn" or "zh-tw" (traditional script, or a region TW, HK or MO). */
void seo_news_language(const char *tag, char out[SEO_LANG_MAX]);

/* Appends the description of a post for search results and previews: its excerpt cut at
 * SEO_DESCRIPTION_MAX bytes between words (with "…"), nothing for a post with a password. */
void seo_post_description(const struct post *p, struct buf *out);

/* Appends text cut at SEO_DESCRIPTION_MAX bytes as seo_post_description does. */
void seo_description(const char *text, struct buf *out);

/* The image that stands for post p in previews and structured data: its featured image (the
 * JPEG or PNG copy at least SEO_IMAGE_WIDTH wide, or the largest), else the site's default
 * social image. 0 and *out, or -ENOENT when there is none. */
#define SEO_IMAGE_WIDTH 1200 /* what social sites ask for a large preview */
int seo_post_image(struct db *db, const struct post *p, const struct identity *site, struct identity_image *out);
