/* Old WordPress links on the reader's site: the home page's query parameters and the old
 * permalinks of imported posts, each answered with a 301 to today's address (see wplinks.h). */
#include "app/wplinks.h"

#include <string.h>

#include "http/response.h"
#include "news/wplink.h"

static void redirect(struct page_ctx *c, const char *path)
{
    http_redirect(c->req, 301, path, strlen(path));
    c->sent = 1;
}

int wplinks_redirect_query(struct page_ctx *c)
{
    static const char *const names[] = {"p", "page_id", "cat", "tag", "author"};
    char path[WPLINK_PATH_MAX];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        size_t n;
        const char *v = app_query(c, names[i], &n);
        if (v != NULL && wplink_from_query(c->t->db, names[i], v, n, c->now, path, sizeof(path)) == 0) {
            redirect(c, path);
            return 1;
        }
    }
    return 0;
}

int wplinks_redirect_path(struct page_ctx *c)
{
    char path[WPLINK_PATH_MAX];
    h2o_iovec_t p = c->req->path_normalized;
    if (wplink_from_path(c->t->db, p.base, p.len, c->now, path, sizeof(path)) < 0)
        return 0;
    redirect(c, path);
    return 1;
}
