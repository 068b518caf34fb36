#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "lib/timeutil.h"

static int64_t parse(const char *s)
{
    int64_t t = -1;
    cr_assert_eq(time_parse_iso(s, strlen(s), &t), 0, "%s", s);
    return t;
}

Test(timeutil, parses_iso_8601_utc)
{
    cr_assert_eq(parse("1970-01-01T00:00:00Z"), 0);
    cr_assert_eq(parse("2026-05-04T09:30:00Z"), 1777887000);
    cr_assert_eq(parse("2026-05-04T09:30Z"), 1777887000);
    cr_assert_eq(parse("2026-05-04 09:30:00"), 1777887000);
    cr_assert_eq(parse("2026-05-04T11:30:00+02:00"), 1777887000);
    cr_assert_eq(parse("2026-05-04T09:30:00.123Z"), 1777887000);
    cr_assert_eq(parse("2026-05-04"), 1777852800);
}

Test(timeutil, refuses_what_is_not_a_time)
{
    const char *bad[] = {"",
                         "2026",
                         "2026-13-01",
                         "2026-02-30",
                         "2026-05-04T25:00:00Z",
                         "2026-05-04T09:30:00Q",
                         "2026-05-04X",
                         "tomorrow",
                         "2026-05-04T09:30:00Z trailing"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t t;
        cr_assert_eq(time_parse_iso(bad[i], strlen(bad[i]), &t), -EINVAL, "%s", bad[i]);
    }
}

Test(timeutil, formats)
{
    char iso[TIME_ISO_LEN], human[TIME_HUMAN_MAX];
    time_format_iso(1777887000, iso);
    cr_assert_str_eq(iso, "2026-05-04T09:30:00Z");
    time_format_human(1777887000, human);
    cr_assert_str_eq(human, "May 4, 2026");
    int y, m, d;
    time_utc_date(1777887000, &y, &m, &d);
    cr_assert(y == 2026 && m == 5 && d == 4);
    cr_assert_eq(time_from_date(2024, 2, 29), 1709164800);
    cr_assert_eq(time_from_date(2023, 2, 29), -EINVAL);
}
