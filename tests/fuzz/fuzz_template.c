/* libFuzzer target for the Mustache engine: the input is up to three templates separated by NUL
 * bytes ("main", "p1", "p2"), compiled next to fixed partials and rendered against a fixed data
 * tree with nested objects and lists. Errors are fine; crashes, leaks and sanitizer reports are not. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/template.h"

static const char data_json[] =
    "{\"title\": \"A <b>&</b> 'x'\", \"n\": 3, \"r\": 1.5, \"t\": true, \"f\": false, \"z\": null, \"e\": \"\","
    " \"name\": \"p1\", \"kind\": \"item\","
    " \"items\": [{\"name\": \"one\", \"kind\": \"item\", \"kids\": [{\"name\": \"one.a\", \"kids\": []}]},"
    "            {\"name\": \"two\", \"kind\": \"p2\", \"t\": false}, 3, \"s\", null, [1, [2]]],"
    " \"obj\": {\"a\": {\"b\": {\"c\": \"deep\"}}, \"list\": [1, 2]}}";

static const char *const fixed[][2] = {
    {"item", "<li>{{name}}{{#kids}}\n  {{>item}}\n{{/kids}}</li>\n"},
    {"layout", "<main>\n  {{$body}}default {{title}}{{/body}}\n</main>{{$foot}}{{/foot}}"},
    {"tree", "{{name}}{{#kids}}{{>tree}}{{/kids}}"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *tree;
    if (tree == NULL)
        tree = json_loads(data_json, 0, NULL);

    struct tpl_set *set = tpl_set_new();
    struct tpl_error err;
    struct buf out = {.max = 1 << 20};
    tpl_set_max_steps(set, 200000);
    tpl_set_strict(set, size > 0 && (data[0] & 1));
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        tpl_set_add(set, fixed[i][0], fixed[i][1], strlen(fixed[i][1]), &err);

    static const char *const names[] = {"main", "p1", "p2"};
    const char *p = (const char *)data, *end = p + size;
    for (size_t i = 0; i < 3 && p <= end; i++) {
        const char *z = i < 2 ? memchr(p, '\0', (size_t)(end - p)) : NULL;
        size_t n = z ? (size_t)(z - p) : (size_t)(end - p);
        tpl_set_add(set, names[i], p, n, &err);
        p += n + 1;
    }
    tpl_set_check(set, &err);
    if (tpl_render(set, "main", tree, &out, &err) == 0) {
        if (out.err != 0)
            abort();
    } else if (out.len != 0 || err.msg[0] == '\0') {
        abort(); /* an error leaves no output and always says why */
    }
    buf_free(&out);
    tpl_set_free(set);
    return 0;
}
