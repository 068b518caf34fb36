/* The Mustache engine: the whole spec suite (lambdas excepted: JSON data holds no code), then
 * Gazette's own promises: error positions, escaping, strict partials, no partial output. */
#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/template.h"

static const char *spec_files[] = {
    "comments.json", "delimiters.json", "interpolation.json", "inverted.json",
    "partials.json", "sections.json",   "~inheritance.json",  "~dynamic-names.json",
};

#define SPEC_MAIN "spec-template"

/* Runs one spec case; returns NULL on success or a malloc'd description of the failure. */
static char *run_case(json_t *tc)
{
    struct tpl_set *set = tpl_set_new();
    struct tpl_error err;
    struct buf out = BUF_INIT;
    char *fail = NULL, msg[512];
    tpl_set_strict(set, false);
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(tc, "partials"), key, v)
    {
        if (tpl_set_add(set, key, json_string_value(v), json_string_length(v), &err) != 0) {
            if (asprintf(&fail, "partial %s: %s", key, tpl_error_str(&err, msg, sizeof(msg))) < 0)
                abort();
            goto out;
        }
    }
    json_t *tpl = json_object_get(tc, "template");
    if (tpl_set_add(set, SPEC_MAIN, json_string_value(tpl), json_string_length(tpl), &err) != 0 ||
        tpl_render(set, SPEC_MAIN, json_object_get(tc, "data"), &out, &err) != 0) {
        if (asprintf(&fail, "error %s", tpl_error_str(&err, msg, sizeof(msg))) < 0)
            abort();
        goto out;
    }
    json_t *want = json_object_get(tc, "expected");
    if (out.len != json_string_length(want) || (out.len && memcmp(out.data, json_string_value(want), out.len) != 0)) {
        json_t *gotv = json_stringn(out.data ? out.data : "", out.len);
        char *got = json_dumps(gotv, JSON_ENCODE_ANY);
        json_decref(gotv);
        char *exp = json_dumps(want, JSON_ENCODE_ANY);
        if (asprintf(&fail, "got %s, want %s", got, exp) < 0)
            abort();
        free(got);
        free(exp);
    }
out:
    buf_free(&out);
    tpl_set_free(set);
    return fail;
}

Test(template_spec, every_case_passes)
{
    const char *dir = getenv("GAZETTE_TESTDATA");
    cr_assert_not_null(dir, "GAZETTE_TESTDATA is set by meson");
    int ran = 0, failed = 0;
    for (size_t f = 0; f < sizeof(spec_files) / sizeof(spec_files[0]); f++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/mustache-spec/%s", dir, spec_files[f]);
        json_error_t jerr;
        json_t *doc = json_load_file(path, 0, &jerr);
        cr_assert_not_null(doc, "%s: %s", path, jerr.text);
        size_t i;
        json_t *tc;
        json_array_foreach(json_object_get(doc, "tests"), i, tc)
        {
            char *why = run_case(tc);
            ran++;
            if (why) {
                failed++;
                cr_log_error("%s / %s: %s", spec_files[f], json_string_value(json_object_get(tc, "name")), why);
                free(why);
            }
        }
        json_decref(doc);
    }
    cr_log_info("mustache spec: %d cases ran, %d failed", ran, failed);
    cr_expect_eq(ran, 184, "the spec files without lambdas hold 184 cases, ran %d", ran);
    cr_assert_eq(failed, 0, "%d of %d spec cases failed (named above)", failed, ran);
}

/* ---- helpers for Gazette's own cases ---- */

static struct tpl_set *set_of(const char *const *pairs)
{
    struct tpl_set *set = tpl_set_new();
    struct tpl_error err;
    for (; pairs && pairs[0]; pairs += 2) {
        int rc = tpl_set_add(set, pairs[0], pairs[1], strlen(pairs[1]), &err);
        cr_assert_eq(rc, 0, "%s: %s", pairs[0], err.msg);
    }
    return set;
}

static char *render(struct tpl_set *set, const char *name, const char *json)
{
    json_t *data = json ? json_loads(json, JSON_DECODE_ANY, NULL) : NULL;
    struct buf out = BUF_INIT;
    struct tpl_error err;
    int rc = tpl_render(set, name, data, &out, &err);
    json_decref(data);
    cr_assert_eq(rc, 0, "render %s: %s:%d:%d: %s", name, err.name, err.line, err.col, err.msg);
    return buf_steal(&out);
}

static void expect_render(const char *src, const char *json, const char *want)
{
    const char *pairs[] = {"t", src, NULL};
    struct tpl_set *set = set_of(pairs);
    char *got = render(set, "t", json);
    cr_expect_str_eq(got, want, "template %s", src);
    free(got);
    tpl_set_free(set);
}

static void expect_compile_error(const char *src, int line, int col, const char *fragment)
{
    struct tpl_set *set = tpl_set_new();
    struct tpl_error err;
    cr_assert_eq(tpl_set_add(set, "page", src, strlen(src), &err), -EINVAL, "template %s compiled", src);
    cr_expect_str_eq(err.name, "page");
    cr_expect_eq(err.line, line, "%s: line %d, want %d (%s)", src, err.line, line, err.msg);
    cr_expect_eq(err.col, col, "%s: col %d, want %d (%s)", src, err.col, col, err.msg);
    cr_expect_not_null(strstr(err.msg, fragment), "message '%s' lacks '%s'", err.msg, fragment);
    cr_expect(!tpl_set_has(set, "page"), "a bad template is not stored");
    tpl_set_free(set);
}

/* ---- escaping and values ---- */

Test(template, escapes_the_five_html_characters)
{
    expect_render("{{v}}", "{\"v\": \"a&b<c>d\\\"e'f/g`h=i\"}", "a&amp;b&lt;c&gt;d&quot;e&#39;f/g`h=i");
    expect_render("{{{v}}}|{{&v}}", "{\"v\": \"<&>\"}", "<&>|<&>");
    expect_render("{{v}}", "{\"v\": \"\"}", "");
    expect_render("{{v}}", "{\"v\": \"<<<<\"}", "&lt;&lt;&lt;&lt;");
}

Test(template, numbers_print_as_javascript_does)
{
    expect_render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
                  "{\"a\": 85, \"b\": 1.21, \"c\": -0.5, \"d\": 1.0, \"e\": 1e21, \"f\": 0.000001, \"g\": 1e-7}",
                  "85 1.21 -0.5 1 1e+21 0.000001 1e-7");
    expect_render("{{t}} {{f}} [{{n}}] [{{o}}] [{{l}}]",
                  "{\"t\": true, \"f\": false, \"n\": null, \"o\": {}, \"l\": [1]}", "true false [] [] []");
}

Test(template, falsy_values_follow_mustache_js)
{
    expect_render("{{#s}}S{{/s}}{{#z}}Z{{/z}}{{#e}}E{{/e}}{{#n}}N{{/n}}{{^s}}!s{{/s}}{{^z}}!z{{/z}}",
                  "{\"s\": \"\", \"z\": 0, \"e\": [], \"n\": null}", "!s!z");
    expect_render("{{#s}}{{.}}{{/s}}{{#z}}{{.}}{{/z}}", "{\"s\": \"x\", \"z\": 2}", "x2");
}

Test(template, list_index_in_dotted_names)
{
    expect_render("{{list.1.name}}|{{list.9.name}}", "{\"list\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}", "b|");
}

Test(template, renders_with_no_data)
{
    const char *pairs[] = {"t", "a{{x}}b{{#y}}c{{/y}}{{^y}}d{{/y}}", NULL};
    struct tpl_set *set = set_of(pairs);
    char *got = render(set, "t", NULL);
    cr_expect_str_eq(got, "abd");
    free(got);
    tpl_set_free(set);
}

/* ---- errors name the template, line and column ---- */

Test(template_errors, unclosed_tag)
{
    expect_compile_error("line one\n  hello {{name\n", 2, 9, "unclosed tag");
    expect_compile_error("{{{raw}}", 1, 1, "unclosed tag");
}

Test(template_errors, unclosed_section)
{
    expect_compile_error("a\n{{#items}}\n  {{name}}\n", 2, 1, "unclosed section 'items'");
    expect_compile_error("{{^x}}", 1, 1, "unclosed inverted section 'x'");
}

Test(template_errors, mismatched_section_end)
{
    expect_compile_error("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}", 3, 1, "{{/a}} does not match {{#b}} opened at 2:1");
    expect_compile_error("x {{/a}}", 1, 3, "closing tag without an open section");
}

Test(template_errors, bad_tags)
{
    expect_compile_error("{{}}", 1, 1, "empty tag name");
    expect_compile_error("ab{{first name}}", 1, 3, "whitespace inside tag name");
    expect_compile_error("{{=<% =}}", 1, 1, "bad set-delimiter tag");
    expect_compile_error("{{a..b}}", 1, 1, "empty segment");
}

Test(template_errors, nesting_limit)
{
    char src[1024] = "";
    for (int i = 0; i < TPL_MAX_NESTING + 1; i++)
        strcat(src, "{{#a}}");
    expect_compile_error(src, 1, 1 + 6 * TPL_MAX_NESTING, "nested too deep");
}

Test(template_errors, size_limit)
{
    size_t n = TPL_MAX_SIZE + 1;
    char *src = malloc(n);
    memset(src, 'x', n);
    struct tpl_set *set = tpl_set_new();
    struct tpl_error err;
    cr_expect_eq(tpl_set_add(set, "big", src, n, &err), -E2BIG);
    cr_expect_eq(tpl_set_add(set, "ok", src, n - 1, &err), 0);
    free(src);
    tpl_set_free(set);
}

Test(template_errors, unknown_partial_is_an_error_in_a_strict_set)
{
    const char *pairs[] = {"page", "<h1>{{title}}</h1>\n\n  {{> footer}}\n", NULL};
    struct tpl_set *set = set_of(pairs);
    struct tpl_error err;
    char line[512];
    cr_assert_eq(tpl_set_check(set, &err), -ENOENT);
    cr_expect_str_eq(tpl_error_str(&err, line, sizeof(line)), "page:3:3: unknown partial 'footer'");

    struct buf out = BUF_INIT;
    buf_puts(&out, "kept");
    cr_assert_eq(tpl_render(set, "page", NULL, &out, &err), -ENOENT);
    cr_expect_str_eq(tpl_error_str(&err, line, sizeof(line)), "page:3:3: unknown partial 'footer'");
    cr_expect_str_eq(out.data, "kept", "no partial output: the buffer is as it was");
    cr_expect_eq(out.len, 4);

    tpl_set_strict(set, false);
    cr_expect_eq(tpl_set_check(set, &err), 0);
    buf_reset(&out);
    cr_assert_eq(tpl_render(set, "page", NULL, &out, &err), 0);
    cr_expect_str_eq(out.data, "<h1></h1>\n\n");
    buf_free(&out);
    tpl_set_free(set);
}

Test(template_errors, unknown_dynamic_partial_is_a_render_error)
{
    const char *pairs[] = {"page", "{{#items}}{{>*kind}}{{/items}}", "text", "[{{v}}]", NULL};
    struct tpl_set *set = set_of(pairs);
    struct tpl_error err;
    struct buf out = BUF_INIT;
    cr_expect_eq(tpl_set_check(set, &err), 0, "dynamic names are checked at render time");
    json_t *ok = json_loads("{\"items\": [{\"kind\": \"text\", \"v\": 1}, {\"v\": 2}]}", 0, NULL);
    cr_assert_eq(tpl_render(set, "page", ok, &out, &err), 0, "%s", err.msg);
    cr_expect_str_eq(out.data, "[1]", "a missing dynamic name renders nothing");
    json_t *bad = json_loads("{\"items\": [{\"kind\": \"text\", \"v\": 1}, {\"kind\": \"image\"}]}", 0, NULL);
    buf_reset(&out);
    cr_assert_eq(tpl_render(set, "page", bad, &out, &err), -ENOENT);
    cr_expect_str_eq(err.msg, "unknown partial 'image'");
    cr_expect_eq(err.line, 1);
    cr_expect_eq(err.col, 11);
    cr_expect_eq(out.len, 0, "nothing of the first item is left behind");
    json_decref(ok);
    json_decref(bad);
    buf_free(&out);
    tpl_set_free(set);
}

Test(template_errors, recursion_stops_at_the_depth_limit)
{
    const char *pairs[] = {"page", "<ul>\n{{>node}}\n</ul>", "node", "<li>{{name}}\n  {{#kids}}{{>node}}{{/kids}}",
                           NULL};
    struct tpl_set *set = set_of(pairs);
    struct tpl_error err;
    struct buf out = BUF_INIT;
    /* {"name":"n","kids":{...}} nested well past the limit: each level expands the partial once. */
    json_t *root = json_object(), *cur = root;
    for (int i = 0; i < TPL_MAX_DEPTH + 5; i++) {
        json_t *k = json_object();
        json_object_set_new(cur, "name", json_string("n"));
        json_object_set_new(cur, "kids", k);
        cur = k;
    }
    cr_assert_eq(tpl_render(set, "page", root, &out, &err), -ELOOP);
    cr_expect_str_eq(err.name, "node");
    cr_expect_eq(err.line, 2);
    cr_expect_eq(err.col, 12);
    cr_expect_not_null(strstr(err.msg, "deeper than 64"), "%s", err.msg);
    cr_expect_eq(out.len, 0);
    json_decref(root);

    /* A parent naming itself is caught the same way. */
    const char *loop[] = {"a", "x{{<b}}{{/b}}", "b", "{{<a}}{{/a}}", NULL};
    struct tpl_set *set2 = set_of(loop);
    cr_expect_eq(tpl_render(set2, "a", NULL, &out, &err), -ELOOP);
    cr_expect_eq(out.len, 0);
    buf_free(&out);
    tpl_set_free(set2);
    tpl_set_free(set);
}

Test(template_errors, step_limit_stops_long_loops)
{
    const char *pairs[] = {"t", "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}.{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}", NULL};
    struct tpl_set *set = set_of(pairs);
    struct tpl_error err;
    struct buf out = BUF_INIT;
    json_t *d = json_loads("{\"l\": [1,2,3,4,5,6,7,8,9,10]}", 0, NULL);
    tpl_set_max_steps(set, 100000);
    cr_expect_eq(tpl_render(set, "t", d, &out, &err), -ELOOP);
    cr_expect_eq(out.len, 0);
    tpl_set_max_steps(set, TPL_MAX_STEPS_DEFAULT);
    cr_expect_eq(tpl_render(set, "t", d, &out, &err), 0);
    cr_expect_eq(out.len, 1000000);
    json_decref(d);
    buf_free(&out);
    tpl_set_free(set);
}

Test(template_errors, output_limit_leaves_no_partial_output)
{
    const char *pairs[] = {"t", "{{#l}}0123456789{{/l}}", NULL};
    struct tpl_set *set = set_of(pairs);
    struct tpl_error err;
    struct buf out = {.max = 64};
    buf_puts(&out, "head:");
    json_t *d = json_loads("{\"l\": [1,2,3,4,5,6,7,8,9,10]}", 0, NULL);
    cr_expect_eq(tpl_render(set, "t", d, &out, &err), -E2BIG);
    cr_expect_str_eq(out.data, "head:");
    cr_expect_eq(out.err, 0, "the buffer can be used again");
    json_decref(d);
    buf_free(&out);
    tpl_set_free(set);
}

Test(template_errors, unknown_template)
{
    struct tpl_set *set = tpl_set_new();
    struct tpl_error err;
    struct buf out = BUF_INIT;
    cr_expect_eq(tpl_render(set, "nope", NULL, &out, &err), -ENOENT);
    cr_expect_str_eq(err.name, "nope");
    tpl_set_free(set);
}

/* ---- sets, partials, inheritance ---- */

Test(template, replacing_a_template_keeps_the_set_consistent)
{
    const char *pairs[] = {"a", "old", "b", "[{{>a}}]", NULL};
    struct tpl_set *set = set_of(pairs);
    struct tpl_error err;
    cr_assert_eq(tpl_set_add(set, "a", "new", 3, &err), 0);
    cr_expect_eq(tpl_set_add(set, "a", "{{#x}}", 6, &err), -EINVAL);
    char *got = render(set, "b", NULL);
    cr_expect_str_eq(got, "[new]", "a failed replacement keeps the old template");
    free(got);
    /* Many templates: the table grows and every name still resolves. */
    for (int i = 0; i < 300; i++) {
        char name[32], src[32];
        snprintf(name, sizeof(name), "t%d", i);
        snprintf(src, sizeof(src), "<%d>", i);
        cr_assert_eq(tpl_set_add(set, name, src, strlen(src), &err), 0);
    }
    got = render(set, "t299", NULL);
    cr_expect_str_eq(got, "<299>");
    free(got);
    tpl_set_free(set);
}

Test(template, partial_indentation_and_inheritance_together)
{
    const char *pairs[] = {
        "layout",  "<body>\n  {{$main}}\n  <p>empty</p>\n  {{/main}}\n  {{>footer}}\n</body>\n",
        "footer",  "<footer>\n  {{year}}\n</footer>\n",
        "article", "{{<layout}}\n{{$main}}\n<article>\n  <h1>{{title}}</h1>\n</article>\n{{/main}}\n{{/layout}}\n",
        NULL,
    };
    struct tpl_set *set = set_of(pairs);
    char *got = render(set, "article", "{\"title\": \"A & B\", \"year\": 2026}");
    cr_expect_str_eq(got, "<body>\n  <article>\n    <h1>A &amp; B</h1>\n  </article>\n  <footer>\n    2026\n  "
                          "</footer>\n</body>\n");
    free(got);
    got = render(set, "layout", "{\"year\": 1}");
    cr_expect_str_eq(got, "<body>\n  <p>empty</p>\n  <footer>\n    1\n  </footer>\n</body>\n");
    free(got);
    tpl_set_free(set);
}

Test(template, load_dir_names_templates_by_basename)
{
    char dir[] = "/tmp/gazette-tpl-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    const char *files[][2] = {
        {"page.mustache", "[{{>part}}]"}, {"part.mustache", "{{x}}"}, {"notes.txt", "{{"}, {".hidden.mustache", "{{#"}};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
        FILE *f = fopen(path, "w");
        fputs(files[i][1], f);
        fclose(f);
    }
    struct tpl_set *set = tpl_set_new();
    struct tpl_error err;
    cr_assert_eq(tpl_set_load_dir(set, dir, &err), 0, "%s", err.msg);
    cr_expect(tpl_set_has(set, "page") && tpl_set_has(set, "part") && !tpl_set_has(set, "notes"));
    cr_expect_eq(tpl_set_check(set, &err), 0);
    char *got = render(set, "page", "{\"x\": \"<y>\"}");
    cr_expect_str_eq(got, "[&lt;y&gt;]");
    free(got);
    tpl_set_free(set);

    snprintf(path, sizeof(path), "%s/broken.mustache", dir);
    FILE *f = fopen(path, "w");
    fputs("ok\n{{#open}}\n", f);
    fclose(f);
    set = tpl_set_new();
    cr_expect_eq(tpl_set_load_dir(set, dir, &err), -EINVAL);
    cr_expect_str_eq(err.name, "broken");
    cr_expect_eq(err.line, 2);
    tpl_set_free(set);
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i][0]);
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/broken.mustache", dir);
    unlink(path);
    rmdir(dir);
    set = tpl_set_new();
    cr_expect_eq(tpl_set_load_dir(set, dir, &err), -ENOENT, "a missing directory is an error");
    tpl_set_free(set);
}

struct shared {
    const struct tpl_set *set;
    json_t *data;
    const char *want;
    int bad;
};

static void *render_many(void *arg)
{
    struct shared *s = arg;
    struct buf out = BUF_INIT;
    struct tpl_error err;
    for (int i = 0; i < 2000; i++) {
        buf_reset(&out);
        if (tpl_render(s->set, "page", s->data, &out, &err) != 0 || strcmp(out.data, s->want) != 0)
            __atomic_add_fetch(&s->bad, 1, __ATOMIC_RELAXED);
    }
    buf_free(&out);
    return NULL;
}

Test(template, threads_render_one_set_at_once)
{
    const char *pairs[] = {"page", "{{#items}}\n  {{>item}}\n{{/items}}", "item", "<{{name}}>\n", NULL};
    struct tpl_set *set = set_of(pairs);
    struct shared s = {set, json_loads("{\"items\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}", 0, NULL),
                       "  <a>\n  <b>\n", 0};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, render_many, &s);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    cr_expect_eq(s.bad, 0);
    json_decref(s.data);
    tpl_set_free(set);
}

Test(template, dynamic_parent_and_delimiters_stay_local)
{
    const char *pairs[] = {
        "page",  "{{<*layout}}{{$body}}<b>{{x}}</b>{{/body}}{{/*layout}}|{{=[ ]=}}[x][>plain]{{x}}",
        "wide",  "W[{{$body}}{{/body}}]",
        "plain", "{{x}}",
        NULL,
    };
    struct tpl_set *set = set_of(pairs);
    char *got = render(set, "page", "{\"layout\": \"wide\", \"x\": 1}");
    cr_expect_str_eq(got, "W[<b>1</b>]|11{{x}}", "a partial is parsed with its own delimiters");
    free(got);
    tpl_set_free(set);
}

Test(template, indentation_follows_the_partial_source_lines)
{
    /* As if the partial's source were indented: a list item on its own line gets the indentation on
     * every pass, data newlines get none, empty lines stay empty. */
    const char *pairs[] = {
        "page", "<ul>\n    {{>items}}\n</ul>\n", "items", "{{#l}}\n<li>{{.}}</li>\n{{/l}}\n\n<p>{{{raw}}}</p>\n", NULL,
    };
    struct tpl_set *set = set_of(pairs);
    char *got = render(set, "page", "{\"l\": [1, 2], \"raw\": \"a\\nb\"}");
    cr_expect_str_eq(got, "<ul>\n    <li>1</li>\n    <li>2</li>\n\n    <p>a\nb</p>\n</ul>\n");
    free(got);
    tpl_set_free(set);
}
