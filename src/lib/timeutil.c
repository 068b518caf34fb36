/* Time helpers: UTC only, so the same instant prints the same way on every machine. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/timeutil.h"

int64_t time_now(void)
{
    return (int64_t)time(NULL);
}

static int digits(const char *s, size_t n, size_t at, size_t count, int *out)
{
    int v = 0;
    if (at + count > n)
        return -EINVAL;
    for (size_t i = at; i < at + count; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -EINVAL;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int64_t time_from_date(int year, int month, int day)
{
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return -EINVAL;
    struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day};
    return (int64_t)timegm(&tm);
}

int time_parse_iso(const char *s, size_t n, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 1;
    size_t i = 10;
    int64_t t;

    if (digits(s, n, 0, 4, &y) || n < 10 || s[4] != '-' || digits(s, n, 5, 2, &mo) || s[7] != '-' ||
        digits(s, n, 8, 2, &d))
        return -EINVAL;
    t = time_from_date(y, mo, d);
    if (t == -EINVAL) /* never a real midnight, so no date is mistaken for it */
        return -EINVAL;
    if (n == 10) {
        *out = t;
        return 0;
    }
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
        return -EINVAL;
    if (digits(s, n, 11, 2, &h) || i + 3 >= n || s[13] != ':' || digits(s, n, 14, 2, &mi))
        return -EINVAL;
    i = 16;
    if (i < n && s[i] == ':') {
        if (digits(s, n, 17, 2, &sec))
            return -EINVAL;
        i = 19;
        if (i < n && s[i] == '.') /* fractions of a second are ignored */
            for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
                ;
    }
    if (h > 23 || mi > 59 || sec > 60)
        return -EINVAL;
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        sign = s[i] == '-' ? -1 : 1;
        if (digits(s, n, i + 1, 2, &oh))
            return -EINVAL;
        i += 3;
        if (i < n && s[i] == ':')
            i++;
        if (digits(s, n, i, 2, &om))
            return -EINVAL;
        i += 2;
        if (oh > 23 || om > 59)
            return -EINVAL;
    } else if (i != n) {
        return -EINVAL;
    }
    if (i != n)
        return -EINVAL;
    *out = t + h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
    return 0;
}

static void to_tm(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    if (gmtime_r(&tt, tm) == NULL)
        memset(tm, 0, sizeof(*tm));
}

void time_format_iso(int64_t t, char out[TIME_ISO_LEN])
{
    struct tm tm;
    to_tm(t, &tm);
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
    memcpy(out, tmp, TIME_ISO_LEN - 1);
    out[TIME_ISO_LEN - 1] = '\0';
}

void time_format_human(int64_t t, char out[TIME_HUMAN_MAX])
{
    static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
    struct tm tm;
    to_tm(t, &tm);
    snprintf(out, TIME_HUMAN_MAX, "%s %d, %d", months[tm.tm_mon % 12], tm.tm_mday, tm.tm_year + 1900);
}

void time_format_rfc822(int64_t t, char out[TIME_RFC822_LEN])
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    char tmp[64];
    to_tm(t, &tm);
    int year = tm.tm_year + 1900;
    if (year < 0 || year > 9999) /* outside what the format can say */
        to_tm(0, &tm), year = 1970;
    snprintf(tmp, sizeof(tmp), "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], year, tm.tm_hour, tm.tm_min, tm.tm_sec);
    memcpy(out, tmp, TIME_RFC822_LEN - 1);
    out[TIME_RFC822_LEN - 1] = '\0';
}

void time_utc_date(int64_t t, int *year, int *month, int *day)
{
    struct tm tm;
    to_tm(t, &tm);
    *year = tm.tm_year + 1900;
    *month = tm.tm_mon + 1;
    *day = tm.tm_mday;
}
