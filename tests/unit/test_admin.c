#include <criterion/criterion.h>
#include <string.h>

#include "app/admin.c"
#include "app/admin_posts.c"

Test(admin, paths_below_admin_belong_to_the_newsroom)
{
    cr_assert(admin_path("/admin", 6));
    cr_assert(admin_path("/admin/", 7));
    cr_assert(admin_path("/admin/post/12", 14));
    cr_assert(!admin_path("/administrator/", 15));
    cr_assert(!admin_path("/adm", 4));
    cr_assert(!admin_path("/2026/01/01/admin/", 18));
}

/* seg[] points into the context's own copy of the path, so the context is filled in place */
static void split(struct admin_ctx *a, const char *p)
{
    memset(a, 0, sizeof(*a));
    cr_assert_eq(split_path(a, p, strlen(p)), 0, "%s", p);
}

Test(admin, the_path_splits_into_segments)
{
    struct admin_ctx a;
    split(&a, "/admin");
    cr_assert_eq(a.n_seg, 0);
    split(&a, "/admin/");
    cr_assert_eq(a.n_seg, 0);
    split(&a, "/admin/post/12/trash");
    cr_assert_eq(a.n_seg, 3);
    cr_assert_str_eq(a.seg[0], "post");
    cr_assert_str_eq(a.seg[1], "12");
    cr_assert_str_eq(a.seg[2], "trash");
    split(&a, "/admin/posts/");
    cr_assert_eq(a.n_seg, 1);
    cr_assert_str_eq(a.seg[0], "posts");

    struct admin_ctx b = {0};
    cr_assert_eq(split_path(&b, "/admin/a//b", 11), -1, "empty segment");
    struct admin_ctx c = {0};
    cr_assert_eq(split_path(&c, "/admin/a/b/c/d/e", 16), -1, "too many segments");
    char longp[400];
    memset(longp, 'x', sizeof(longp));
    memcpy(longp, "/admin/", 7);
    struct admin_ctx d = {0};
    cr_assert_eq(split_path(&d, longp, sizeof(longp)), -1, "too long");
}

Test(admin, publish_time_from_the_date_and_time_fields)
{
    cr_assert_eq(form_time("UTC", NULL, NULL), 0);
    cr_assert_eq(form_time("UTC", "", ""), 0, "empty means now");
    cr_assert_eq(form_time("UTC", "2026-05-04", "09:30"), 1777887000);
    cr_assert_eq(form_time("UTC", "2026-05-04", "09:30:05"), 1777887005);
    cr_assert_eq(form_time("UTC", "2026-05-04", ""), 1777852800, "midnight UTC");
    cr_assert_eq(form_time("UTC", "", "09:30"), -1, "a time needs a date");
    cr_assert_eq(form_time("UTC", "2026-02-30", "09:30"), -1);
    cr_assert_eq(form_time("UTC", "tomorrow", "09:30"), -1);
    cr_assert_eq(form_time("UTC", "2026-05-04", "09:30:05.123456"), -1);
}

Test(admin, publish_time_fields_are_a_local_time_of_the_site_zone)
{
    /* 2026-05-05 05:30 in Tokyo (UTC+9) is 2026-05-04 20:30 UTC */
    cr_assert_eq(form_time("Asia/Tokyo", "2026-05-05", "05:30"), 1777926600);
    /* Paris is UTC+2 in May, UTC+1 in January */
    cr_assert_eq(form_time("Europe/Paris", "2026-05-04", "11:30"), 1777887000);
    cr_assert_eq(form_time("Europe/Paris", "2026-01-15", "10:00"), 1768467600);
    cr_assert_eq(form_time(NULL, "2026-05-04", "09:30"), 1777887000, "no zone is UTC");
    cr_assert_eq(form_time("Mars/Olympus", "2026-05-04", "09:30"), 1777887000, "an unknown zone is UTC");
}

Test(admin, comma_separated_terms_are_trimmed_and_bounded)
{
    char s[] = " World ,  , Sport,Local news  ,";
    const char *v[4];
    size_t n = split_csv(s, v, 4);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(v[0], "World");
    cr_assert_str_eq(v[1], "Sport");
    cr_assert_str_eq(v[2], "Local news");
    char t[] = "a,b,c,d,e";
    cr_assert_eq(split_csv(t, v, 2), 2, "at most max names");
    char e[] = "";
    cr_assert_eq(split_csv(e, v, 4), 0);
}

Test(admin, flash_messages_come_from_a_fixed_table)
{
    cr_assert_str_eq(flash_text("saved"), "Saved.");
    cr_assert_null(flash_text("<script>"), "no text from the query reaches the page");
    cr_assert_null(flash_text(NULL));
}
