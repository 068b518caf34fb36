#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "lib/tz.h"
#include "news/archive.h"

Test(tz, accepts_utc_and_area_location_names_that_exist)
{
    const char *good[] = {"UTC",       "Europe/Paris",          "Asia/Tokyo", "America/Argentina/Buenos_Aires",
                          "Etc/GMT+5", "America/Port-au-Prince"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        cr_assert_eq(tz_valid(good[i]), 0, "%s", good[i]);
}

Test(tz, refuses_hostile_and_unknown_names)
{
    char longname[80];
    memset(longname, 'a', sizeof(longname));
    memcpy(longname, "Europe/", 7);
    longname[sizeof(longname) - 1] = '\0';
    const char *bad[] = {"",
                         "utc ",
                         "Europe",
                         "../../etc/passwd",
                         "/etc/passwd",
                         "/Europe/Paris",
                         "Europe/../../../etc/passwd",
                         "Europe/./Paris",
                         "Europe//Paris",
                         "Europe/Paris/",
                         "Europe/Paris\n",
                         "Europe/Pa ris",
                         "Europe/Paris;id",
                         "Europe/Paris:",
                         "-x/Paris",
                         "Mars/Olympus",
                         "America/Argentina", /* a directory, not a zone */
                         "Europe/Paris/Left/Bank",
                         longname};
    cr_assert_eq(tz_valid(NULL), -EINVAL);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(tz_valid(bad[i]), -EINVAL, "%s", bad[i]);
}

Test(tz, paris_has_summer_time)
{
    struct tm tm;
    long off;
    cr_assert_eq(tz_localtime("Europe/Paris", 1768478400, &tm, &off), 0); /* 2026-01-15T12:00:00Z */
    cr_assert_eq(tm.tm_hour, 13);
    cr_assert_eq(off, 3600);
    cr_assert_eq(tz_localtime("Europe/Paris", 1784116800, &tm, &off), 0); /* 2026-07-15T12:00:00Z */
    cr_assert_eq(tm.tm_hour, 14);
    cr_assert_eq(tm.tm_mday, 15);
    cr_assert_eq(off, 7200);
}

Test(tz, an_invalid_zone_reads_as_utc)
{
    struct tm tm;
    long off = -1;
    cr_assert_eq(tz_localtime("../etc/passwd", 1784116800, &tm, &off), -EINVAL);
    cr_assert_eq(tm.tm_hour, 12);
    cr_assert_eq(off, 0);
    char human[TIME_HUMAN_MAX];
    tz_format_human(NULL, 1777926600, human);
    cr_assert_str_eq(human, "May 4, 2026");
}

Test(tz, local_times_go_back_to_instants)
{
    struct tm tm = {.tm_year = 126, .tm_mon = 6, .tm_mday = 15, .tm_hour = 14, .tm_isdst = 0};
    int64_t t = 0;
    cr_assert_eq(tz_mktime("Europe/Paris", &tm, &t), 0);
    cr_assert_eq(t, 1784116800, "tm_isdst from the caller is not trusted");
    tm = (struct tm){.tm_year = 126, .tm_mon = 0, .tm_mday = 15, .tm_hour = 13};
    cr_assert_eq(tz_mktime("Europe/Paris", &tm, &t), 0);
    cr_assert_eq(t, 1768478400);
    tm = (struct tm){.tm_year = 126, .tm_mon = 4, .tm_mday = 5, .tm_hour = 5, .tm_min = 30};
    cr_assert_eq(tz_mktime("Asia/Tokyo", &tm, &t), 0);
    cr_assert_eq(t, 1777926600);
    cr_assert_eq(tz_mktime("Mars/Olympus", &tm, &t), -EINVAL);
}

Test(tz, dates_and_days_in_a_zone)
{
    int y, m, d;
    char human[TIME_HUMAN_MAX];
    tz_date("Asia/Tokyo", 1777926600, &y, &m, &d); /* 2026-05-04T20:30:00Z */
    cr_assert(y == 2026 && m == 5 && d == 5);
    tz_format_human("Asia/Tokyo", 1777926600, human);
    cr_assert_str_eq(human, "May 5, 2026");
    tz_format_human("UTC", 1777926600, human);
    cr_assert_str_eq(human, "May 4, 2026");
    /* summer time starts in Paris on 2026-03-29: that day has 23 hours, starting 23:00Z the day before */
    cr_assert_eq(tz_from_date("Europe/Paris", 2026, 3, 29), 1774742400 - 3600);
    cr_assert_eq(tz_from_date("Europe/Paris", 2026, 2, 30), -EINVAL);
    int64_t a, b;
    cr_assert_eq(archive_range("Europe/Paris", 2026, 3, 29, &a, &b), 0);
    cr_assert_eq(b - a, 23 * 3600);
    cr_assert_eq(archive_range("Asia/Tokyo", 2026, 5, 5, &a, &b), 0);
    cr_assert(a <= 1777926600 && 1777926600 < b, "the Tokyo day holds the post");
    cr_assert_eq(archive_range("Asia/Tokyo", 2026, 5, 0, &a, &b), 0);
    cr_assert_eq(a, 1777561200, "May starts at 2026-04-30T15:00:00Z in Tokyo");
    cr_assert_eq(archive_range("Asia/Tokyo", 9999, 12, 31, &a, &b), 0);
    cr_assert_eq(b - a, 86400);
}

struct worker {
    const char *zone;
    int hour; /* the local hour of 2026-07-15T12:00:00Z */
    long gmtoff;
    int failures;
};

static void *convert(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 3000; i++) {
        struct tm tm;
        long off;
        int64_t back = 0;
        if (tz_localtime(w->zone, 1784116800, &tm, &off) < 0 || tm.tm_hour != w->hour || off != w->gmtoff)
            w->failures++;
        if (tz_mktime(w->zone, &tm, &back) < 0 || back != 1784116800)
            w->failures++;
    }
    return NULL;
}

Test(tz, threads_in_different_zones_do_not_mix)
{
    struct worker w[4] = {{"Europe/Paris", 14, 7200, 0},
                          {"Asia/Tokyo", 21, 32400, 0},
                          {"America/New_York", 8, -14400, 0},
                          {"UTC", 12, 0, 0}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, convert, &w[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(w[i].failures, 0, "%s: %d wrong", w[i].zone, w[i].failures);
}

Test(tz, skipped_and_repeated_local_times_and_old_dates)
{
    /* 2026-03-29 02:30 does not exist in Paris (clocks go from 02:00 to 03:00): it moves forward,
     * to 03:30 summer time, which is 01:30Z */
    struct tm tm = {.tm_year = 126, .tm_mon = 2, .tm_mday = 29, .tm_hour = 2, .tm_min = 30};
    int64_t t = 0;
    cr_assert_eq(tz_mktime("Europe/Paris", &tm, &t), 0);
    cr_assert_eq(t, 1774747800);
    /* 2026-10-25 02:30 happens twice: the first, in summer time, is 00:30Z */
    tm = (struct tm){.tm_year = 126, .tm_mon = 9, .tm_mday = 25, .tm_hour = 2, .tm_min = 30};
    cr_assert_eq(tz_mktime("Europe/Paris", &tm, &t), 0);
    cr_assert_eq(t, 1792888200);
    /* days out of range carry over, as mktime's do */
    tm = (struct tm){.tm_year = 126, .tm_mon = 0, .tm_mday = 32};
    cr_assert_eq(tz_mktime("UTC", &tm, &t), 0);
    cr_assert_eq(t, time_from_date(2026, 2, 1));
    /* the Gregorian calendar before 1582 too (as libc and the date archives count) */
    cr_assert_eq(tz_from_date("UTC", 1500, 3, 1), time_from_date(1500, 3, 1));
    struct tm out;
    cr_assert_eq(tz_localtime("UTC", time_from_date(1200, 6, 15), &out, NULL), 0);
    cr_assert(out.tm_year == 1200 - 1900 && out.tm_mon == 5 && out.tm_mday == 15);
    cr_assert_eq(out.tm_wday, 4, "15 June 1200 (proleptic Gregorian) was a Thursday");
}

Test(tz, more_zones_than_a_thread_keeps_calendars_for)
{
    const char *zones[] = {"Europe/Paris",     "Asia/Tokyo",   "America/New_York", "UTC",
                           "Australia/Sydney", "Europe/Paris", "Africa/Lagos",     "Asia/Tokyo"};
    const long offs[] = {7200, 32400, -14400, 0, 36000, 7200, 3600, 32400};
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
            struct tm tm;
            long off;
            cr_assert_eq(tz_localtime(zones[i], 1784116800, &tm, &off), 0);
            cr_assert_eq(off, offs[i], "%s", zones[i]);
        }
    struct tm tm;
    cr_assert_eq(tz_localtime("Mars/Olympus", 1784116800, &tm, NULL), -EINVAL,
                 "refused every time, not cached as good");
    cr_assert_eq(tz_localtime("Mars/Olympus", 1784116800, &tm, NULL), -EINVAL);
}
