/* Date archives (/YYYY/, /YYYY/MM/, /YYYY/MM/DD/): which instants a period covers and its
 * published posts, and the months that have posts (the "Archives" list). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define ARCHIVE_MONTHS_MAX 12 /* months in the "Archives" list */

/* The period [*from, *to) of a year (month and day 0), a month (day 0) or a day, from local
 * midnight to local midnight in zone (NULL or invalid: UTC). -EINVAL when there is no such date
 * (month 13, February 30, a day without a month, a year outside 1000-9999). */
int archive_range(const char *zone, int year, int month, int day, int64_t *from, int64_t *to);

/* Page `page` (from 1) of the published posts of the period, newest first, per_page a page, and
 * *total, how many it has in all. -EINVAL when the date does not exist. */
int archive_posts(struct db *db, const char *zone, int year, int month, int day, int64_t now, size_t page,
                  size_t per_page, struct post_list *out, int64_t *total);

/* The newest months with published posts, newest first, at most ARCHIVE_MONTHS_MAX, into
 * out[0..*n). */
int archive_months(struct db *db, int64_t now, struct post_month out[ARCHIVE_MONTHS_MAX], size_t *n);
