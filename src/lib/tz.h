/* Time zones: the site's zone (an IANA name such as "Europe/Paris") turns UTC instants into the
 * local calendar dates and times readers and editors see, and back. libc's TZ is process-wide,
 * so every conversion here runs under one lock. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/timeutil.h"

#define TZ_NAME_MAX 64
#define TZ_DIR "/usr/share/zoneinfo"

/* 0 when zone is "UTC" or an Area/Location[/Sub] name of [A-Za-z0-9_+-] segments, at most
 * TZ_NAME_MAX bytes, that names a file under TZ_DIR; -EINVAL otherwise. */
int tz_valid(const char *zone);

/* The local broken-down time of t in zone and, when gmtoff is not NULL, its offset from UTC in
 * seconds. An invalid or NULL zone means UTC and returns -EINVAL (out is still filled). */
int tz_localtime(const char *zone, int64_t t, struct tm *out, long *gmtoff);

/* The instant of the local time in (tm_isdst ignored: the zone decides; a time skipped by a
 * change to summer time moves forward) in zone, into *out. -EINVAL for an invalid zone or a
 * time libc cannot represent. */
int tz_mktime(const char *zone, const struct tm *in, int64_t *out);

/* "May 4, 2026", the local date of t in zone, into out. */
void tz_format_human(const char *zone, int64_t t, char out[TIME_HUMAN_MAX]);

/* "Dec 1, 2026 at 14:05", the local date and time of t in zone (24-hour clock), into out. */
void tz_format_human_time(const char *zone, int64_t t, char out[TIME_HUMAN_MAX]);

/* The local calendar date of t in zone. */
void tz_date(const char *zone, int64_t t, int *year, int *month, int *day);

/* The instant of local midnight starting the given date in zone (the first instant of the day
 * where midnight does not exist); a negative value when the date does not exist. */
int64_t tz_from_date(const char *zone, int year, int month, int day);
