/* Old WordPress addresses answered with a 301 to the new place (news/wplink.h knows where). */
#pragma once

#include "app/app_int.h"

/* /?p=ID, /?page_id=ID, /?cat=ID, /?tag=slug, /?author=ID: 1 when a redirect was sent, else 0. */
int wplinks_redirect_query(struct page_ctx *c);

/* An old permalink of an imported post: 1 when a redirect was sent, else 0. */
int wplinks_redirect_path(struct page_ctx *c);
