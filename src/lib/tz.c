/* Time zone conversions through libc: setenv("TZ") + tzset() + localtime_r/mktime under one
 * mutex, tzset run again only when the zone changes. Zone names are checked strictly before
 * they reach the environment or a file path. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/tz.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char current[TZ_NAME_MAX + 1]; /* the zone TZ holds now; "" before the first use */

static int seg_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '+' ||
           c == '-';
}

/* The name's form alone: Area/Location[/Sub], each segment non-empty [A-Za-z0-9_+-]. */
static int name_ok(const char *zone)
{
    size_t n, segs = 1, seglen = 0;
    if (zone == NULL)
        return 0;
    n = strnlen(zone, TZ_NAME_MAX + 1);
    if (n == 0 || n > TZ_NAME_MAX)
        return 0;
    if (strcmp(zone, "UTC") == 0)
        return 1;
    for (size_t i = 0; i < n; i++) {
        if (zone[i] == '/') {
            if (seglen == 0)
                return 0;
            segs++;
            seglen = 0;
        } else if (seg_char(zone[i]) && !(seglen == 0 && zone[i] == '-')) {
            seglen++;
        } else {
            return 0;
        }
    }
    return seglen > 0 && segs >= 2 && segs <= 3;
}

int tz_valid(const char *zone)
{
    char path[sizeof(TZ_DIR) + TZ_NAME_MAX + 2];
    struct stat st;
    if (!name_ok(zone))
        return -EINVAL;
    if (strcmp(zone, "UTC") == 0)
        return 0;
    snprintf(path, sizeof(path), "%s/%s", TZ_DIR, zone);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return -EINVAL;
    return 0;
}

/* With the lock held: makes zone libc's zone. 0, or -EINVAL (and UTC) for an invalid zone. */
static int use_zone(const char *zone)
{
    char env[TZ_NAME_MAX + 2];
    int ret = 0;
    if (zone == NULL || strcmp(zone, current) != 0) {
        if (tz_valid(zone) < 0) {
            zone = "UTC";
            ret = -EINVAL;
        }
        if (strcmp(zone, current) != 0) {
            snprintf(env, sizeof(env), ":%s", zone);
            if (setenv("TZ", env, 1) != 0)
                abort();
            tzset();
            snprintf(current, sizeof(current), "%s", zone);
        }
    }
    return ret;
}

int tz_localtime(const char *zone, int64_t t, struct tm *out, long *gmtoff)
{
    time_t tt = (time_t)t;
    pthread_mutex_lock(&lock);
    int ret = use_zone(zone);
    if (localtime_r(&tt, out) == NULL) {
        memset(out, 0, sizeof(*out));
        out->tm_year = 70;
        out->tm_mday = 1;
        ret = -EINVAL;
    }
    pthread_mutex_unlock(&lock);
    if (gmtoff != NULL)
        *gmtoff = out->tm_gmtoff;
    return ret;
}

int tz_mktime(const char *zone, const struct tm *in, int64_t *out)
{
    struct tm tm = *in;
    time_t t;
    int ret;
    tm.tm_isdst = -1;
    pthread_mutex_lock(&lock);
    ret = use_zone(zone);
    errno = 0;
    t = mktime(&tm);
    if (t == (time_t)-1 && errno != 0)
        ret = -EINVAL;
    pthread_mutex_unlock(&lock);
    if (ret == 0)
        *out = (int64_t)t;
    return ret;
}

void tz_format_human(const char *zone, int64_t t, char out[TIME_HUMAN_MAX])
{
    static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
    struct tm tm;
    tz_localtime(zone, t, &tm, NULL);
    snprintf(out, TIME_HUMAN_MAX, "%s %d, %d", months[tm.tm_mon % 12], tm.tm_mday, tm.tm_year + 1900);
}

void tz_format_human_time(const char *zone, int64_t t, char out[TIME_HUMAN_MAX])
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    tz_localtime(zone, t, &tm, NULL);
    snprintf(out, TIME_HUMAN_MAX, "%s %d, %d at %02d:%02d", months[tm.tm_mon % 12], tm.tm_mday % 100,
             (tm.tm_year + 1900) % 100000, tm.tm_hour % 100, tm.tm_min % 100);
}

void tz_date(const char *zone, int64_t t, int *year, int *month, int *day)
{
    struct tm tm;
    tz_localtime(zone, t, &tm, NULL);
    *year = tm.tm_year + 1900;
    *month = tm.tm_mon + 1;
    *day = tm.tm_mday;
}

int64_t tz_from_date(const char *zone, int year, int month, int day)
{
    int64_t t;
    if (time_from_date(year, month, day) == -EINVAL)
        return -EINVAL;
    struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day};
    if (tz_mktime(zone, &tm, &t) < 0)
        return time_from_date(year, month, day); /* an invalid zone is UTC */
    return t;
}
