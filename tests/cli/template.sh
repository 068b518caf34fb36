#!/bin/sh
# End to end: `gazette template render` prints exactly the rendered bytes, reads partials from
# --partials DIR, and on an error prints NAME:LINE:COL to stderr, nothing to stdout, exit 1.
#   tests/cli/template.sh GAZETTE_BINARY
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0
check() { # name, condition result
    if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; fails=$((fails + 1)); fi
}

mkdir "$dir/partials"
printf '<ul>\n  {{#items}}\n  {{>item}}\n  {{/items}}\n</ul>\n{{>footer}}' > "$dir/page.mustache"
printf '<li>{{name}}</li>\n' > "$dir/partials/item.mustache"
printf '<footer>{{{note}}} & {{note}}</footer>' > "$dir/partials/footer.mustache"
printf '{"items": [{"name": "a<b"}, {"name": "c"}], "note": "<i>x</i>"}' > "$dir/data.json"
printf '<ul>\n  <li>a&lt;b</li>\n  <li>c</li>\n</ul>\n<footer><i>x</i> & &lt;i&gt;x&lt;/i&gt;</footer>' > "$dir/want"

"$bin" template render "$dir/page.mustache" --data "$dir/data.json" --partials "$dir/partials" \
    > "$dir/out" 2> "$dir/err"
check "renders with partials, exit 0" $?
cmp -s "$dir/out" "$dir/want"
check "stdout is exactly the rendered bytes (no newline added)" $?
[ ! -s "$dir/err" ]
check "stderr is empty on success" $?

printf 'one\n{{#items}}\n{{name}\n' > "$dir/bad.mustache"
"$bin" template render "$dir/bad.mustache" --data "$dir/data.json" > "$dir/out" 2> "$dir/err"
[ $? = 1 ]
check "a bad template exits 1" $?
[ ! -s "$dir/out" ]
check "a bad template prints nothing on stdout" $?
grep -q '^bad:3:1: unclosed tag' "$dir/err"
check "the error names template, line and column: $(cat "$dir/err")" $?

printf '{{#items}}{{name}}{{/items}}{{>missing}}' > "$dir/nopartial.mustache"
"$bin" template render "$dir/nopartial.mustache" --data "$dir/data.json" --partials "$dir/partials" \
    > "$dir/out" 2> "$dir/err"
[ $? = 1 ] && [ ! -s "$dir/out" ] && grep -q "^nopartial:1:29: unknown partial 'missing'" "$dir/err"
check "an unknown partial is an error with no output: $(cat "$dir/err")" $?

"$bin" template render "$dir/page.mustache" --data "$dir/nothere.json" > "$dir/out" 2> "$dir/err"
[ $? = 1 ] && [ ! -s "$dir/out" ] && [ -s "$dir/err" ]
check "a missing data file exits 1 with a message" $?

"$bin" template render "$dir/page.mustache" > "$dir/out" 2> "$dir/err"
[ $? = 2 ] && grep -q usage "$dir/err"
check "missing --data is a usage error" $?

echo "$(( 9 - fails )) passed, $fails failed"
[ "$fails" = 0 ]
