/* Placeholder bodies for functions declared in the storage and domain headers and not yet
 * implemented; each answers -ENOSYS. Removed function by function as the real ones land. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "db/db.h"
#include "news/post.h"
#include "news/taxonomy.h"
#include "news/comment.h"
#include "news/user.h"
#include "news/settings.h"
#include "news/demo.h"
#include "render/markdown.h"
#include "lib/slug.h"
#include "lib/timeutil.h"

int demo_fill(struct db *db, int64_t now, char *password_out, size_t cap)
{
    (void)db;
    (void)now;
    (void)password_out;
    (void)cap;
    return -ENOSYS;
}
