#!/bin/sh
# WordPress import throughput: generates a WXR of POSTS posts with COMMENTS comments each
# (default 100,000 and 5: 500,000 comments), imports it into an empty data directory, and
# reports posts per second and the peak resident memory (/usr/bin/time -v).
# Goal: at least 20,000 posts/s and under 64 MiB peak.
#   sh bench/wxr.sh [BUILD_DIR]       environment: POSTS, COMMENTS, WXR_BENCH_DIR
set -eu
BUILD=${1:-build}
POSTS=${POSTS:-100000}
COMMENTS=${COMMENTS:-5}
DIR=${WXR_BENCH_DIR:-${TMPDIR:-/tmp}/gazette-wxr-bench}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DIR"
file="$DIR/bench-$POSTS-$COMMENTS.xml"
if [ ! -s "$file" ]; then
    echo "generating $file ..."
    python3 "$here/wxr/gen.py" "$POSTS" "$COMMENTS" > "$file.tmp" && mv "$file.tmp" "$file"
fi
data="$DIR/data"
rm -rf "$data"
log="$DIR/time.log"
/usr/bin/time -v "$BUILD/gazette" --data "$data" import wxr "$file" --quiet 2> "$log"
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
user=$(sed -n 's/.*User time (seconds): //p' "$log")
sys=$(sed -n 's/.*System time (seconds): //p' "$log")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
bytes=$(stat -L -c %s "$file")
awk -v p="$POSTS" -v c="$COMMENTS" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v b="$bytes" 'BEGIN {
    n = split(w, a, ":"); secs = 0; for (i = 1; i <= n; i++) secs = secs * 60 + a[i];
    printf "wxr import: %d posts, %d comments, %.0f MB file\n", p, p * c, b / 1e6;
    printf "  wall %.2f s (user %.2f s, sys %.2f s): %.0f posts/s wall, %.0f posts/s of CPU\n", secs, u, s, p / secs, p / (u + s);
    printf "  peak RSS %.1f MiB (goal: >= 20000 posts/s, < 64 MiB)\n", r / 1024;
}'
rm -rf "$data"
