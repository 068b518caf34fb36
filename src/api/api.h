/* The WordPress-shaped JSON API under /wp-json/ (and /?rest_route=): WordPress's REST API
 * routes, fields and errors over the same news/ rules as the site (docs/api.md). Hooked into
 * the reader's site by app.c; public answers are cached like pages. */
#pragma once

#include <stddef.h>

struct page_ctx;

/* 1 when the request is the API's: a path of /wp-json or below, or /?rest_route=. */
int api_wants(const struct page_ctx *c);

/* Answers an API request completely (it sends the response itself). */
void api_handle(struct page_ctx *c);

/* The value of the Link header every HTML page sends for discovery, for a site at site_url:
 * `<SITE/wp-json/>; rel="https://api.w.org/"` into out (cap bytes); its length, 0 when it
 * does not fit. */
size_t api_link_header(const char *site_url, char *out, size_t cap);
