/* Date archives: a year, month or day of the site's time zone becomes a half-open interval of
 * publish times, and the storage lists the published posts inside it. */
#include "news/archive.h"

#include <errno.h>

#include "lib/timeutil.h"
#include "lib/tz.h"

#define PER_PAGE_MAX 1000

/* Local midnight on the first of January after `year` (9999 has no next year to ask for). */
static int64_t year_end(const char *zone, int year)
{
    return year == 9999 ? tz_from_date(zone, 9999, 12, 31) + 86400 : tz_from_date(zone, year + 1, 1, 1);
}

/* Local midnight after the given (existing) date: days are 23 or 25 hours long on the days
 * summer time starts or ends. */
static int64_t next_day(const char *zone, int year, int month, int day)
{
    int y, m, d;
    time_utc_date(time_from_date(year, month, day) + 86400, &y, &m, &d); /* the calendar's next date */
    if (y > 9999)
        return tz_from_date(zone, 9999, 12, 31) + 86400;
    return tz_from_date(zone, y, m, d);
}

int archive_range(const char *zone, int year, int month, int day, int64_t *from, int64_t *to)
{
    int64_t a, b;
    if (year < 1000 || year > 9999 || month < 0 || month > 12 || day < 0 || day > 31 || (day > 0 && month == 0))
        return -EINVAL;
    if (month == 0) {
        a = tz_from_date(zone, year, 1, 1);
        b = year_end(zone, year);
    } else if (day == 0) {
        a = tz_from_date(zone, year, month, 1);
        b = month == 12 ? year_end(zone, year) : tz_from_date(zone, year, month + 1, 1);
    } else {
        a = tz_from_date(zone, year, month, day);
        b = a == -EINVAL ? a : next_day(zone, year, month, day);
    }
    if (a == -EINVAL || b == -EINVAL)
        return -EINVAL;
    *from = a;
    *to = b;
    return 0;
}

int archive_posts(struct db *db, const char *zone, int year, int month, int day, int64_t now, size_t page,
                  size_t per_page, struct post_list *out, int64_t *total)
{
    int64_t from, to, count;
    struct post_list l = {0};
    int ret = archive_range(zone, year, month, day, &from, &to);
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
