#!/bin/sh
# Durable comment throughput: Gazette acknowledging comments (303 only once the comment is on
# disk; the writer commits all waiting comments with one fsync) at CONN connections, against the
# plain alternative, a loop of one-row transactions with one fsync each into a SQLite file on the
# same disk, in one run. Then both again with every fsync made FSYNC_DELAY_US slower (an
# LD_PRELOAD shim built for this bench only), as on a disk whose flushes are slow.
#   sh bench/comments.sh [BUILD_DIR]   environment: BENCH_SECONDS (10), BENCH_CONNECTIONS (32),
#                                       FSYNC_DELAY_US (2000), THREADS (2), POSTS (100: the
#                                       comments are spread over that many posts)
set -eu
BUILD=${1:-build}
BIN=$(cd "$BUILD" && pwd)/gazette
LOOP=$(cd "$BUILD" && pwd)/bench/bench_insert_loop
SHIM=$(cd "$BUILD" && pwd)/bench/slow_fsync.so
DUR=${BENCH_SECONDS:-10}
CONN=${BENCH_CONNECTIONS:-32}
DELAY=${FSYNC_DELAY_US:-2000}
THREADS=${THREADS:-2}
POSTS=${POSTS:-100}
here=$(cd "$(dirname "$0")" && pwd)
for tool in wrk curl; do
    command -v $tool >/dev/null 2>&1 || { echo "bench/comments.sh: needs $tool (scripts/deps bench)" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/gazette-comments-bench.XXXXXX") # a disk, not a tmpfs
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# One run of each side; prints "server_acked_per_s loop_rows_per_s batches jobs lost".
run() {
    preload=$1
    rm -rf "$tmp/data" "$tmp/loop"
    mkdir -p "$tmp/loop"
    "$BIN" --data "$tmp/data" user add writer --role author >/dev/null </dev/null
    ids=""
    for i in $(seq "$POSTS"); do
        id=$(echo "Story $i." | "$BIN" --data "$tmp/data" post add --title "Story $i" --author writer | cut -d' ' -f1)
        ids="$ids${ids:+,}$id"
    done
    "$BIN" --data "$tmp/data" setting set comment_flood_seconds 0
    "$BIN" --data "$tmp/data" setting set comment_hold_first 0
    : >"$tmp/out"
    env ${preload:+LD_PRELOAD=$preload} FSYNC_DELAY_US="$DELAY" \
        "$BIN" --data "$tmp/data" serve --listen 127.0.0.1:0 --threads "$THREADS" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 100); do grep -q "listening on" "$tmp/out" && break; sleep 0.1; done
    url=$(sed -n 's/.*listening on \(http:[^ ]*\)/\1/p' "$tmp/out" | head -1)
    [ -n "$url" ] || { cat "$tmp/err" >&2; exit 1; }
    POST_IDS=$ids wrk -t1 -c"$CONN" -d"${DUR}s" -s "$here/comments/post.lua" "${url%/}" >"$tmp/wrk" 2>&1
    kill -USR1 "$pid"
    sleep 0.3
    kill "$pid"
    wait "$pid" || true
    pid=""
    acked=$(sed -n 's/^acked \([0-9]*\) other.*/\1/p' "$tmp/wrk")
    other=$(sed -n 's/^acked [0-9]* other \([0-9]*\).*/\1/p' "$tmp/wrk")
    secs=$(awk '/requests in/ { for (i = 1; i <= NF; i++) if ($i ~ /s,$/) { sub(/s,$/, "", $i); print $i } }' "$tmp/wrk")
    stored=$("$BIN" --data "$tmp/data" comment list --format=json | grep -c '"status": "approved"' || true)
    batches=$(sed -n 's/.*writer_batches \([0-9]*\).*/\1/p' "$tmp/err" | tail -1)
    jobs=$(sed -n 's/.*writer_jobs \([0-9]*\).*/\1/p' "$tmp/err" | tail -1)
    env ${preload:+LD_PRELOAD=$preload} FSYNC_DELAY_US="$DELAY" "$LOOP" "$tmp/loop" "$DUR" >"$tmp/loop.out"
    loop=$(cat "$tmp/loop.out")
    echo "$acked $other $secs $loop $batches $jobs $stored"
}

report() {
    echo "$2" | awk -v what="$1" '{
        rate = $1 / $3
        printf "%-34s %8.0f/s  (303: %d, other: %d; %d batches, %.1f comments a commit)\n", "gazette, " what, rate, $1, $2, $5, $5 ? $6 / $5 : 0
        printf "%-34s %8.0f/s\n", "one fsync per row, " what, $4
        printf "%-34s %8.2f\n", "ratio gazette / loop", rate / $4
        if ($7 < $1) printf "LOST: %d acknowledged, %d stored\n", $1, $7
    }'
}

echo "comment throughput, wrk -t1 -c$CONN -d${DUR}s, $THREADS server threads, $POSTS posts"
report "plain disk" "$(run "")"
report "fsync +${DELAY}us" "$(run "$SHIM")"
