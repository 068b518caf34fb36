#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "cli/cli.h"
#include "news/post.h"
#include "news/settings.h"
#include "tmpdata.h"

TestSuite(cli, .fini = tmpdata_remove);

static char out_path[300], body_path[300];
static struct cli cli;

static void setup(void)
{
    static char data[300], url[1100];
    const char *db = tmpdata_new_url(); /* a new directory, and a database on the run's backend */
    snprintf(out_path, sizeof(out_path), "%s/out.txt", tmpdata_dir);
    snprintf(body_path, sizeof(body_path), "%s/body.md", tmpdata_dir);
    snprintf(data, sizeof(data), "%s/data", tmpdata_dir);
    if (tmpdata_pg())
        snprintf(url, sizeof(url), "%s", db);
    else
        snprintf(url, sizeof(url), "sqlite:%s", data);
    cli.data_dir = data;
    cli.database = url;
}

static void write_body(const char *s)
{
    FILE *f = fopen(body_path, "w");
    fputs(s, f);
    fclose(f);
}

/* Runs fn with the given arguments, stdout into out_path; returns the exit status. */
static int run(int (*fn)(struct cli *, int, char **), const char **args, char **output)
{
    int argc = 0;
    char *argv[64];
    while (args[argc])
        argv[argc] = (char *)args[argc], argc++;
    argv[argc] = NULL;
    fflush(stdout);
    FILE *saved = stdout;
    stdout = fopen(out_path, "w");
    int status = fn(&cli, argc, argv);
    fclose(stdout);
    stdout = saved;
    if (output) {
        FILE *f = fopen(out_path, "r");
        static char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = '\0';
        fclose(f);
        *output = buf;
    }
    return status;
}

Test(cli, post_add_then_list_as_json, .init = setup)
{
    char *out;
    write_body("# Heading\n\nThe *body*.\n");
    const char *add[] = {
        "add",   "--title", "Harbour news",         "--category", "City",     "--category", "Sea Life", "--tag",
        "boats", "--date",  "2026-05-04T09:30:00Z", "--author",   "Jane Doe", "--sticky",   "--file",   body_path,
        NULL};
    cr_assert_eq(run(cli_post, add, &out), 0);
    cr_assert_str_eq(out, "1 /2026/05/04/harbour-news/\n");
    const char *page[] = {"add",   "--title",    "About",  "--type", "page",    "--status",
                          "draft", "--comments", "closed", "--file", body_path, NULL};
    cr_assert_eq(run(cli_post, page, &out), 0);
    cr_assert_str_eq(out, "2 /about/\n");

    const char *list[] = {"list", "--format=json", NULL};
    cr_assert_eq(run(cli_post, list, &out), 0);
    json_error_t err;
    json_t *a = json_loads(out, 0, &err);
    cr_assert_not_null(a, "%s", err.text);
    cr_assert_eq(json_array_size(a), 2);
    json_t *p = json_array_get(a, 0);
    cr_assert_str_eq(json_string_value(json_object_get(p, "title")), "Harbour news");
    cr_assert_str_eq(json_string_value(json_object_get(p, "status")), "published");
    cr_assert_str_eq(json_string_value(json_object_get(p, "path")), "/2026/05/04/harbour-news/");
    cr_assert_str_eq(json_string_value(json_object_get(p, "author")), "jane-doe");
    cr_assert_str_eq(json_string_value(json_object_get(p, "published_at")), "2026-05-04T09:30:00Z");
    cr_assert(json_is_true(json_object_get(p, "sticky")));
    cr_assert_eq(json_array_size(json_object_get(p, "categories")), 2);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(p, "tags"), 0)), "boats");
    cr_assert_eq(json_integer_value(json_object_get(p, "comment_count")), 0);
    p = json_array_get(a, 1);
    cr_assert_str_eq(json_string_value(json_object_get(p, "type")), "page");
    cr_assert_str_eq(json_string_value(json_object_get(p, "status")), "draft");
    cr_assert_str_eq(json_string_value(json_object_get(p, "comment_status")), "closed");
    json_decref(a);
}

Test(cli, usage_errors_exit_2_and_failures_exit_1, .init = setup)
{
    write_body("x");
    const char *no_title[] = {"add", "--file", body_path, NULL};
    cr_assert_eq(run(cli_post, no_title, NULL), 2);
    const char *bad_date[] = {"add", "--title", "T", "--date", "May 4", "--file", body_path, NULL};
    cr_assert_eq(run(cli_post, bad_date, NULL), 2);
    const char *bad_status[] = {"add", "--title", "T", "--status", "live", "--file", body_path, NULL};
    cr_assert_eq(run(cli_post, bad_status, NULL), 2);
    const char *missing_file[] = {"add", "--title", "T", "--file", "/nonexistent/body", NULL};
    cr_assert_eq(run(cli_post, missing_file, NULL), 1);
    const char *unknown_key[] = {"get", "no_such", NULL};
    cr_assert_eq(run(cli_setting, unknown_key, NULL), 1);
    const char *bad_value[] = {"set", "posts_per_page", "many", NULL};
    cr_assert_eq(run(cli_setting, bad_value, NULL), 1);
    const char *no_comment[] = {"approve", "42", NULL};
    cr_assert_eq(run(cli_comment, no_comment, NULL), 1);
    const char *not_id[] = {"approve", "x", NULL};
    cr_assert_eq(run(cli_comment, not_id, NULL), 2);
}

Test(cli, comments_added_listed_and_moderated, .init = setup)
{
    char *out;
    write_body("Story.");
    const char *add[] = {"add", "--title", "Story", "--date", "2026-05-04T09:30:00Z", "--file", body_path, NULL};
    cr_assert_eq(run(cli_post, add, NULL), 0);
    write_body("First!");
    const char *c1[] = {"add",     "--post",          "1",      "--author", "Ann",
                        "--email", "ann@example.com", "--file", body_path,  NULL};
    cr_assert_eq(run(cli_comment, c1, &out), 0);
    cr_assert_str_eq(out, "1 pending\n", "a first comment is held");
    cr_assert_eq(run(cli_comment, c1, NULL), 1, "duplicate");
    const char *approve[] = {"approve", "1", NULL};
    cr_assert_eq(run(cli_comment, approve, NULL), 0);
    write_body("A reply");
    const char *c2[] = {"add",
                        "--post",
                        "1",
                        "--parent",
                        "1",
                        "--author",
                        "Bob",
                        "--email",
                        "bob@example.com",
                        "--status",
                        "approved",
                        "--date",
                        "2026-05-05T10:00:00Z",
                        "--file",
                        body_path,
                        NULL};
    cr_assert_eq(run(cli_comment, c2, &out), 0);
    cr_assert_str_eq(out, "2 approved\n");
    write_body("bad");
    const char *bad[] = {"add", "--post", "1", "--author", "Bob", "--email", "nope", "--file", body_path, NULL};
    cr_assert_eq(run(cli_comment, bad, NULL), 1);

    const char *list[] = {"list", "--format=json", "--post", "1", NULL};
    cr_assert_eq(run(cli_comment, list, &out), 0);
    json_t *a = json_loads(out, 0, NULL);
    cr_assert_eq(json_array_size(a), 2);
    json_t *c = json_array_get(a, 1);
    cr_assert_eq(json_integer_value(json_object_get(c, "parent_id")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(c, "email")), "bob@example.com");
    cr_assert_str_eq(json_string_value(json_object_get(c, "created_at")), "2026-05-05T10:00:00Z");
    cr_assert_str_eq(json_string_value(json_object_get(c, "body")), "A reply");
    json_decref(a);
    const char *spam[] = {"spam", "2", NULL};
    cr_assert_eq(run(cli_comment, spam, NULL), 0);
    cr_assert_eq(run(cli_comment, list, &out), 0);
    cr_assert_not_null(strstr(out, "\"spam\""));
}

Test(cli, settings_get_and_set, .init = setup)
{
    char *out;
    const char *get[] = {"get", "posts_per_page", NULL};
    cr_assert_eq(run(cli_setting, get, &out), 0);
    cr_assert_str_eq(out, "10\n");
    const char *set[] = {"set", "posts_per_page", "3", NULL};
    cr_assert_eq(run(cli_setting, set, NULL), 0);
    cr_assert_eq(run(cli_setting, get, &out), 0);
    cr_assert_str_eq(out, "3\n");
}
