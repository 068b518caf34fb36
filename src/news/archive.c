/* Date archives: a year, month or day becomes a half-open UTC interval of publish times, and
 * the storage lists the published posts inside it. */
#include "news/archive.h"

#include <errno.h>

#include "lib/timeutil.h"

#define PER_PAGE_MAX 1000

/* Midnight UTC on the first of January after `year` (9999 has no next year to ask for). */
static int64_t year_end(int year)
{
    return year == 9999 ? time_from_date(9999, 12, 31) + 86400 : time_from_date(year + 1, 1, 1);
}

int archive_range(int year, int month, int day, int64_t *from, int64_t *to)
{
    int64_t a, b;
    if (year < 1000 || year > 9999 || month < 0 || month > 12 || day < 0 || day > 31 || (day > 0 && month == 0))
        return -EINVAL;
    if (month == 0) {
        a = time_from_date(year, 1, 1);
        b = year_end(year);
    } else if (day == 0) {
        a = time_from_date(year, month, 1);
        b = month == 12 ? year_end(year) : time_from_date(year, month + 1, 1);
    } else {
        a = time_from_date(year, month, day);
        b = a + 86400;
    }
    if (a == -EINVAL || b == -EINVAL)
        return -EINVAL;
    *from = a;
    *to = b;
    return 0;
}

int archive_posts(struct db *db, int year, int month, int day, int64_t now, size_t page, size_t per_page,
                  struct post_list *out, int64_t *total)
{
    int64_t from, to, count;
    struct post_list l = {0};
    int ret = archive_range(year, month, day, &from, &to);
    if (ret < 0)
        return ret;
    if (page == 0)
        page = 1;
    if (per_page == 0)
        per_page = 1;
    if (per_page > PER_PAGE_MAX)
        per_page = PER_PAGE_MAX;
    if ((ret = db_post_count_between(db, now, from, to, &count)) < 0)
        return ret;
    if (count > 0 && page - 1 <= (size_t)count / per_page &&
        (ret = db_post_list_between(db, now, from, to, (page - 1) * per_page, per_page, &l)) < 0)
        return ret;
    *out = l;
    *total = count;
    return 0;
}

int archive_months(struct db *db, int64_t now, struct post_month out[ARCHIVE_MONTHS_MAX], size_t *n)
{
    return db_post_months(db, now, ARCHIVE_MONTHS_MAX, out, n);
}
