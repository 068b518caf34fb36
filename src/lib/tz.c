/* Time zone conversions through ICU's calendar (ucal_*), which takes the zone as an argument:
 * no process environment, no lock. Each thread keeps the calendars of the few zones it used
 * last, closed when the thread ends. Zone names are checked strictly before they reach ICU or a
 * file path. The calendar is proleptic Gregorian, as libc's is. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/ucal.h>

#include "lib/tz.h"

#define TZ_SLOTS 4 /* zones a thread keeps a calendar for */

struct tz_slot {
    char name[TZ_NAME_MAX + 1]; /* as asked for; "" for an empty slot */
    int valid;                  /* 0: the name was refused and cal is UTC */
    UCalendar *cal;
};

struct tz_cache {
    struct tz_slot slot[TZ_SLOTS];
    unsigned next; /* the slot to reuse next */
    int registered;
};

static __thread struct tz_cache tls;
static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void close_all(void *p)
{
    struct tz_cache *c = p;
    for (size_t i = 0; i < TZ_SLOTS; i++) {
        if (c->slot[i].cal != NULL)
            ucal_close(c->slot[i].cal);
        c->slot[i].cal = NULL;
        c->slot[i].name[0] = '\0';
    }
}

static void make_key(void)
{
    if (pthread_key_create(&key, close_all) != 0)
        abort();
}

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

static UCalendar *open_zone(const char *zone)
{
    UChar id[TZ_NAME_MAX + 1];
    size_t n = strlen(zone);
    for (size_t i = 0; i <= n; i++)
        id[i] = (UChar)(unsigned char)zone[i]; /* checked: ASCII only */
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(id, (int32_t)n, "en_US_POSIX", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st))
        abort();                                 /* ICU without its data, or out of memory */
    ucal_setGregorianChange(cal, -8.64e15, &st); /* proleptic: no Julian dates before 1582 */
    /* A local time that a change to summer time skips moves forward; of a repeated one, and so
     * of a midnight that happens twice, the first is taken. */
    ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_LAST);
    ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
    return cal;
}

/* The calendar of zone for this thread (UTC when zone is refused, *valid then 0). */
static UCalendar *calendar(const char *zone, int *valid)
{
    struct tz_cache *c = &tls;
    const char *name = zone != NULL ? zone : "";
    size_t n = strnlen(name, TZ_NAME_MAX + 1);
    for (size_t i = 0; n <= TZ_NAME_MAX && i < TZ_SLOTS; i++) {
        struct tz_slot *s = &c->slot[i];
        if (s->cal != NULL && strcmp(s->name, name) == 0) {
            *valid = s->valid;
            return s->cal;
        }
    }
    if (!c->registered) {
        pthread_once(&key_once, make_key);
        pthread_setspecific(key, c); /* close_all runs when the thread ends */
        c->registered = 1;
    }
    struct tz_slot *s = &c->slot[c->next];
    c->next = (c->next + 1) % TZ_SLOTS;
    if (s->cal != NULL)
        ucal_close(s->cal);
    s->valid = tz_valid(zone) == 0;
    s->cal = open_zone(s->valid ? zone : "UTC");
    snprintf(s->name, sizeof(s->name), "%s", n <= TZ_NAME_MAX ? name : "");
    if (n > TZ_NAME_MAX)
        s->name[0] = '\1'; /* matches no name: a too-long one is looked at again next time */
    *valid = s->valid;
    return s->cal;
}

int tz_localtime(const char *zone, int64_t t, struct tm *out, long *gmtoff)
{
    int valid;
    UCalendar *cal = calendar(zone, &valid);
    UErrorCode st = U_ZERO_ERROR;
    ucal_setMillis(cal, (UDate)t * 1000.0, &st);
    struct tm tm = {0};
    int32_t zone_ms = 0, dst_ms = 0;
    if (U_SUCCESS(st)) {
        tm.tm_year = ucal_get(cal, UCAL_EXTENDED_YEAR, &st) - 1900;
        tm.tm_mon = ucal_get(cal, UCAL_MONTH, &st);
        tm.tm_mday = ucal_get(cal, UCAL_DATE, &st);
        tm.tm_hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &st);
        tm.tm_min = ucal_get(cal, UCAL_MINUTE, &st);
        tm.tm_sec = ucal_get(cal, UCAL_SECOND, &st);
        tm.tm_wday = ucal_get(cal, UCAL_DAY_OF_WEEK, &st) - UCAL_SUNDAY;
        tm.tm_yday = ucal_get(cal, UCAL_DAY_OF_YEAR, &st) - 1;
        zone_ms = ucal_get(cal, UCAL_ZONE_OFFSET, &st);
        dst_ms = ucal_get(cal, UCAL_DST_OFFSET, &st);
        tm.tm_isdst = dst_ms != 0;
        tm.tm_gmtoff = (zone_ms + dst_ms) / 1000;
    }
    if (U_FAILURE(st)) {
        memset(&tm, 0, sizeof(tm));
        tm.tm_year = 70;
        tm.tm_mday = 1;
        valid = 0;
    }
    *out = tm;
    if (gmtoff != NULL)
        *gmtoff = tm.tm_gmtoff;
    return valid ? 0 : -EINVAL;
}

int tz_mktime(const char *zone, const struct tm *in, int64_t *out)
{
    int valid;
    UCalendar *cal = calendar(zone, &valid);
    UErrorCode st = U_ZERO_ERROR;
    ucal_clear(cal);
    ucal_set(cal, UCAL_EXTENDED_YEAR, in->tm_year + 1900);
    ucal_set(cal, UCAL_MONTH, in->tm_mon);
    ucal_set(cal, UCAL_DATE, in->tm_mday);
    ucal_set(cal, UCAL_HOUR_OF_DAY, in->tm_hour);
    ucal_set(cal, UCAL_MINUTE, in->tm_min);
    ucal_set(cal, UCAL_SECOND, in->tm_sec);
    UDate ms = ucal_getMillis(cal, &st); /* lenient: out-of-range fields carry over, as mktime's do */
    if (!valid || U_FAILURE(st))
        return -EINVAL;
    int64_t secs = (int64_t)(ms / 1000.0);
    if ((UDate)secs * 1000.0 > ms)
        secs--; /* floor */
    *out = secs;
    return 0;
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
