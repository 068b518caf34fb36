/* Time helpers: Gazette stores every instant as seconds since the Unix epoch, UTC, and shows
 * it as ISO 8601 ("2026-05-04T09:30:00Z") in markup and JSON, and as "May 4, 2026" to readers. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define TIME_ISO_LEN 21 /* "2026-05-04T09:30:00Z" plus the NUL */
#define TIME_HUMAN_MAX 32
#define TIME_RFC822_LEN 32 /* "Mon, 04 May 2026 09:30:00 +0000" plus the NUL */

/* The current time, seconds since the epoch. */
int64_t time_now(void);

/* Parses n bytes of "YYYY-MM-DDTHH:MM[:SS]Z" (also "+00:00", a space for the T, or a bare
 * "YYYY-MM-DD" meaning midnight UTC; other offsets are applied). Returns 0 and writes *out,
 * or -EINVAL. */
int time_parse_iso(const char *s, size_t n, int64_t *out);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (UTC) into out, which holds TIME_ISO_LEN bytes. */
void time_format_iso(int64_t t, char out[TIME_ISO_LEN]);

/* Writes "May 4, 2026" (UTC) into out, which holds TIME_HUMAN_MAX bytes. */
void time_format_human(int64_t t, char out[TIME_HUMAN_MAX]);

/* Writes the RFC 822 date of RSS, "Mon, 04 May 2026 09:30:00 +0000" (UTC, four-digit year as
 * RFC 1123 has it), into out, which holds TIME_RFC822_LEN bytes. */
void time_format_rfc822(int64_t t, char out[TIME_RFC822_LEN]);

/* The UTC calendar date of t. */
void time_utc_date(int64_t t, int *year, int *month, int *day);

/* Seconds since the epoch of 00:00:00 UTC on the given date; -EINVAL (negative) when the date
 * does not exist (month 13, February 30). */
int64_t time_from_date(int year, int month, int day);
