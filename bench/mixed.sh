#!/bin/sh
# Mixed load: readers spread over 10,000 articles with a Zipf skew (wrk, bench/mixed/zipf.lua)
# while comments arrive at 5 a second, then also 10 newsroom logins a second (Argon2id), against
# the same reads alone, in one run. The reads come at a steady rate (READ_RATE a second, spread
# over the connections with random think times), as a busy site's readers do; BENCH_MAX=1 runs
# them as fast as the server answers instead (then latency measures the queue, not the server). Prints requests/s, p50 and p99 latency and the page cache's
# hit rate of each phase, the p99 ratios (goal: mixed <= 2x read-only, hit rate >= 95%), and the
# server's resident memory after each phase. With SOAK_SECONDS set, then runs the mixed load that
# long and samples the memory every 30 s (no per-request growth: the samples stay flat).
#   sh bench/mixed.sh [BUILD_DIR]   environment: POSTS (10000), BENCH_SECONDS (20), WARM_SECONDS (30),
#     BENCH_CONNECTIONS (32), THREADS (2), CACHE_MB (256), ZIPF_S (1.0), COMMENTS_PER_S (5),
#     LOGINS_PER_S (10), READ_RATE (3000), SOAK_SECONDS (0), MIXED_BENCH_DIR (where the site is kept)
set -eu
BUILD=${1:-build}
BIN=$(cd "$BUILD" && pwd)/gazette
POSTS=${POSTS:-10000}
DUR=${BENCH_SECONDS:-20}
WARM=${WARM_SECONDS:-30}
CONN=${BENCH_CONNECTIONS:-32}
THREADS=${THREADS:-2}
CACHE_MB=${CACHE_MB:-256}
CPS=${COMMENTS_PER_S:-5}
LPS=${LOGINS_PER_S:-10}
SOAK=${SOAK_SECONDS:-0}
READ_RATE=${READ_RATE:-3000}
if [ "${BENCH_MAX:-0}" = 1 ]; then
    export THINK_MS=0
else
    export THINK_MS=$(awk -v c="$CONN" -v r="$READ_RATE" 'BEGIN { printf "%.3f", 1000 * c / r }')
fi
DIR=${MIXED_BENCH_DIR:-${TMPDIR:-/var/tmp}/gazette-mixed-bench}
here=$(cd "$(dirname "$0")" && pwd)
export ZIPF_S=${ZIPF_S:-1.0}
command -v wrk >/dev/null 2>&1 || { echo "bench/mixed.sh: needs wrk (scripts/deps bench)" >&2; exit 1; }

# The site (bench/mixed/site.sh), kept between runs; each run works on a copy.
site=$(sh "$here/mixed/site.sh" "$BIN" "$POSTS" "$DIR")

tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/gazette-mixed.XXXXXX")
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
cp -r "$site" "$tmp/data"
: >"$tmp/out"
"$BIN" --data "$tmp/data" serve --listen 127.0.0.1:0 --threads "$THREADS" --cache-mb "$CACHE_MB" \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$tmp/out" && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http:[^ ]*\)/\1/p' "$tmp/out" | head -1)
[ -n "$url" ] || { cat "$tmp/err" >&2; exit 1; }
url=${url%/}

# The counters of a fresh statistics line: "hits misses".
counters() {
    n=$(grep -c "gazette stats:" "$tmp/err" || true)
    kill -USR1 "$pid"
    for _ in $(seq 100); do [ "$(grep -c "gazette stats:" "$tmp/err" || true)" -gt "$n" ] && break; sleep 0.02; done
    grep "gazette stats:" "$tmp/err" | tail -1 | awk '{ for (i = 1; i < NF; i++) v[$i] = $(i + 1); print v["cache_hits"], v["cache_misses"], v["cache_pages"], v["cache_bytes"], v["cache_evictions"], v["sqlite_bytes"], v["heap_free"] }'
}
rss() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
# wrk's latency line for a percentile, in ms.
pct() {
    awk -v p="$1" '$1 == p { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        m = u == "us" ? 0.001 : u == "s" ? 1000 : 1; printf "%.2f", v * m }' "$2"
}
reads() { PATHS_FILE="$site.paths" wrk -t1 -c"$CONN" -d"${1}s" --latency -s "$here/mixed/zipf.lua" "$url" >"$2" 2>&1; }

# One measured phase: reads for DUR seconds next to the given writers; prints a table row.
phase() {
    name=$1
    shift
    before=$(counters)
    writers=""
    for w in "$@"; do
        python3 "$here/mixed/writers.py" "$url" "$site.ids" $w "$DUR" benchlogin bench-password-1234 \
            >>"$tmp/writers.$name" &
        writers="$writers $!"
    done
    reads "$DUR" "$tmp/wrk.$name"
    for w in $writers; do wait "$w"; done
    after=$(counters)
    rate=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$tmp/wrk.$name")
    p50=$(pct 50% "$tmp/wrk.$name")
    p99=$(pct 99% "$tmp/wrk.$name")
    hit=$(printf '%s\n%s\n' "$before" "$after" | awk 'NR == 1 { h = $1; m = $2 }
        NR == 2 { h = $1 - h; m = $2 - m; printf "%.2f", h + m ? 100 * h / (h + m) : 0 }')
    w=$(cat "$tmp/writers.$name" 2>/dev/null | awk '{ sep = NR > 1 ? ", " : ""; printf "%s%s %s/%s ok (p50 %s ms)", sep, $1, $5, $3, $9 }')
    printf "%-22s %8s %9s %9s %8s%%  %s  RSS %s MiB\n" "$name" "$rate" "$p50" "$p99" "$hit" "$w" "$(rss)"
    echo "$name $p99 $hit" >>"$tmp/summary"
}

echo "mixed load: $POSTS articles, Zipf s=$ZIPF_S, wrk -t1 -c$CONN (think ${THINK_MS} ms), ${DUR}s a phase, $THREADS threads, cache $CACHE_MB MiB"
THINK_MS=0 reads "$WARM" "$tmp/wrk.warm" # as fast as it goes: every thread meets most pages
c=$(counters)
echo "after ${WARM}s of warm-up: $(echo "$c" | awk '{ printf "%d pages, %.1f MiB cached, %d evictions", $3, $4 / 1048576, $5 }'), RSS $(rss) MiB"
printf "%-22s %8s %9s %9s %9s  %s\n" "phase" "req/s" "p50 ms" "p99 ms" "hit rate" "writes"
: >"$tmp/summary"
phase read-only
phase "mixed" "comments $CPS"
phase "mixed+logins" "comments $CPS" "logins $LPS"
awk '{ p[$1] = $2; h[$1] = $3 } END {
    printf "p99 mixed / read-only: %.2f (goal <= 2); hit rate mixed: %s%% (goal >= 95%%)\n", p["mixed"] / p["read-only"], h["mixed"]
    printf "p99 mixed+logins / read-only: %.2f\n", p["mixed+logins"] / p["read-only"]
}' "$tmp/summary"

if [ "$SOAK" -gt 0 ]; then
    # The cache fills and its pages grow with their comments, SQLite's page caches fill up to
    # their size: the memory outside both must stay flat.
    echo "soak: mixed load for ${SOAK}s; every 30 s: RSS, page cache, SQLite, RSS less both, of which the"
    echo "allocator's free holes (MiB)"
    python3 "$here/mixed/writers.py" "$url" "$site.ids" comments "$CPS" "$SOAK" >"$tmp/writers.soak" &
    soak_writer=$!
    PATHS_FILE="$site.paths" wrk -t1 -c"$CONN" -d"${SOAK}s" -s "$here/mixed/zipf.lua" "$url" >"$tmp/wrk.soak" 2>&1 &
    soak_wrk=$!
    t=0
    : >"$tmp/soak"
    while [ "$t" -lt "$SOAK" ]; do
        sleep 30
        t=$((t + 30))
        r=$(rss)
        c=$(counters | awk '{ printf "%.1f %.1f %.1f", $4 / 1048576, $6 / 1048576, $7 / 1048576 }')
        echo "$t $r $c" | awk '{ printf "  %4ds: %7.1f %7.1f %7.1f %7.1f %7.1f\n", $1, $2, $3, $4, $2 - $3 - $4, $5 }' |
            tee -a "$tmp/soak"
    done
    wait "$soak_writer" "$soak_wrk"
    awk 'NR == 1 { f = $5 } { l = $5 } END { printf "RSS less the caches: first %.1f, last %.1f MiB (%+.1f)\n", f, l, l - f }' "$tmp/soak"
    cat "$tmp/writers.soak"
fi
