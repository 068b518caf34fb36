#!/bin/sh
# WordPress import throughput: generates a WXR of POSTS posts with COMMENTS comments each
# (default 100,000 and 5: 500,000 comments), imports it RUNS times (default 3) into an empty
# data directory, and reports each run and the median: posts per second of wall time, and the
# peak resident memory (/usr/bin/time -v). Before each run the file is read once (so the runs
# measure the import, not the disk) and earlier writes are synced (so a run does not wait for
# the previous one's). Goal: at least 20,000 posts/s and under 64 MiB peak.
#   sh bench/wxr.sh [BUILD_DIR]       environment: POSTS, COMMENTS, RUNS, WXR_BENCH_DIR
set -eu
BUILD=${1:-build}
POSTS=${POSTS:-100000}
COMMENTS=${COMMENTS:-5}
RUNS=${RUNS:-3}
DIR=${WXR_BENCH_DIR:-${TMPDIR:-/tmp}/gazette-wxr-bench}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DIR"
file="$DIR/bench-$POSTS-$COMMENTS.xml"
if [ ! -s "$file" ]; then
    echo "generating $file ..."
    python3 "$here/wxr/gen.py" "$POSTS" "$COMMENTS" > "$file.tmp" && mv "$file.tmp" "$file"
fi
data="$DIR/data"
log="$DIR/time.log"
results="$DIR/results"
: > "$results"
bytes=$(stat -L -c %s "$file")
awk -v p="$POSTS" -v c="$COMMENTS" -v b="$bytes" -v n="$RUNS" \
    'BEGIN { printf "wxr import: %d posts, %d comments, %.0f MB file, %d runs\n", p, p * c, b / 1e6, n }'
i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    rm -rf "$data"
    cat "$file" > /dev/null
    sync
    /usr/bin/time -v "$BUILD/gazette" --data "$data" import wxr "$file" --quiet 2> "$log"
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
    user=$(sed -n 's/.*User time (seconds): //p' "$log")
    sys=$(sed -n 's/.*System time (seconds): //p' "$log")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    awk -v p="$POSTS" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v i="$i" 'BEGIN {
        n = split(w, a, ":"); secs = 0; for (k = 1; k <= n; k++) secs = secs * 60 + a[k];
        printf "  run %d: wall %.2f s (user %.2f s, sys %.2f s): %.0f posts/s, peak RSS %.1f MiB\n", i, secs, u, s, p / secs, r / 1024;
        printf "%.0f %.1f\n", p / secs, r / 1024 > "/dev/stderr";
    }' 2>> "$results"
done
rm -rf "$data"
sort -n "$results" | awk -v runs="$RUNS" '{ rate[NR] = $1; if ($2 > rss) rss = $2 } END {
    printf "  median %d posts/s, highest peak RSS %.1f MiB (goal: >= 20000 posts/s, < 64 MiB)\n", rate[int((runs + 1) / 2)], rss;
}'
