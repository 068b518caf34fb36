#!/bin/sh
# Template rendering, Gazette against mustache.js (npm `mustache`) under node, in one run: the same
# page (layout + article + 50 threaded comments), the same data, byte-identical output (checked).
#   bench/template.sh BUILD_DIR [SECONDS]     (SECONDS of CPU time for each side, default 3)
set -eu
build=${1:-build}
seconds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

node "$root/bench/template/gen.js" "$dir"
c=$("$build/bench/bench_template" "$dir" "$seconds" "$dir/out-gazette.html")
js=$(node "$root/bench/template/mustache-bench.js" "$dir" "$seconds" "$dir/out-mustachejs.html")
echo "$c"
echo "$js"
if ! cmp -s "$dir/out-gazette.html" "$dir/out-mustachejs.html"; then
    echo "template bench: outputs differ" >&2
    diff "$dir/out-gazette.html" "$dir/out-mustachejs.html" | head -20 >&2
    exit 1
fi
echo "outputs are byte-identical ($(wc -c < "$dir/out-gazette.html") bytes)"
rc=$(echo "$c" | sed 's/.* \([0-9]*\) renders\/s CPU (\([0-9]*\) wall).*/\1 \2/')
rj=$(echo "$js" | sed 's/.* \([0-9]*\) renders\/s CPU (\([0-9]*\) wall).*/\1 \2/')
echo "$rc $rj" | awk '{ printf "ratio: gazette renders %.1fx as many pages per CPU second as mustache.js (%.1fx per wall-clock second)\n", $1 / $3, $2 / $4 }'
