#!/bin/sh
# Several nodes: the same site and the same mixed load (cached reads, uncached reads, comments) on
# one node on SQLite, one node on PostgreSQL, and two nodes on one PostgreSQL database, in one run.
# The reads come as fast as the nodes answer (wrk, bench/mixed/zipf.lua: nine in ten pages of a
# Zipf skew over the articles, one in ten a search no cache holds), split evenly over the nodes;
# comments arrive at COMMENTS_PER_S a second, split the same way (bench/mixed/writers.py). Prints
# requests/s, p99 and comments/s for each, the CPU seconds each gazette process and PostgreSQL
# used, and the ratios against one node on SQLite. On a machine of two cores, two nodes and the
# database share the same cores: the CPU per request says what a node costs, not the speed-up.
# PostgreSQL is a throwaway server (scripts/pgtest), the site copied into it by gazette copy.
#   sh bench/nodes.sh [BUILD_DIR]   environment: POSTS (5000), BENCH_SECONDS (20), WARM_SECONDS (10),
#     BENCH_CONNECTIONS (16), THREADS (2), COMMENTS_PER_S (20), NODES_BENCH_DIR (where the site is kept)
set -eu
BUILD=${1:-build}
BIN=$(cd "$BUILD" && pwd)/gazette
POSTS=${POSTS:-5000}
DUR=${BENCH_SECONDS:-20}
WARM=${WARM_SECONDS:-10}
CONN=${BENCH_CONNECTIONS:-16}
THREADS=${THREADS:-2}
CPS=${COMMENTS_PER_S:-20}
DIR=${NODES_BENCH_DIR:-${TMPDIR:-/var/tmp}/gazette-nodes-bench}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
command -v wrk >/dev/null 2>&1 || { echo "bench/nodes.sh: needs wrk (scripts/deps bench)" >&2; exit 1; }

# The site (bench/mixed/site.sh), kept between runs; each run works on copies.
site=$(sh "$here/mixed/site.sh" "$BIN" "$POSTS" "$DIR")

tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/gazette-nodes.XXXXXX")
chmod 755 "$tmp"
pids=""
stop_nodes() {
    for p in $pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
    pids=""
}
cleanup() {
    stop_nodes
    "$root/scripts/pgtest" stop "$tmp/pg" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

GAZETTE_BIN=$BIN "$root/scripts/pgtest" start "$tmp/pg" >/dev/null
pgserver=$(cat "$tmp/pg/url")
pgurl=$(echo "$pgserver" | sed 's,/postgres?,/bench?,')
runurl=$(echo "$pgserver" | sed 's,/postgres?,/run?,')
psql -qX "$pgserver" -c "CREATE DATABASE bench"
echo "copying the site into PostgreSQL (gazette copy):"
/usr/bin/time -f "copy: %e s wall, %U s user, %S s system" "$BIN" copy --from "sqlite:$site" --to "$pgurl" |
    tail -2
postmaster=$(head -1 "$tmp/pg/data/postmaster.pid")

# CPU seconds (user + system) of a process and its children, from /proc.
cpu() { awk '{ printf "%.2f", ($14 + $15 + $16 + $17) / 100 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU seconds of the PostgreSQL server: the postmaster and its backends.
pgcpu() {
    t=$(cpu "$postmaster")
    for c in $(ps --ppid "$postmaster" -o pid= 2>/dev/null); do t=$(echo "$t $(cpu "$c")" | awk '{ printf "%.2f", $1 + $2 }'); done
    echo "$t"
}
pct() {
    awk -v p="$1" '$1 == p { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        m = u == "us" ? 0.001 : u == "s" ? 1000 : 1; printf "%.2f", v * m }' "$2"
}

# Starts a node on database $1 with data directory $2; sets node_url and node_pid.
start_node() {
    out="$tmp/node.$$.$(date +%s%N)"
    "$BIN" --data "$2" --database "$1" serve --listen 127.0.0.1:0 --threads "$THREADS" >"$out" 2>"$out.err" &
    node_pid=$!
    pids="$pids $node_pid"
    for _ in $(seq 150); do grep -q "listening on" "$out" && break; sleep 0.1; done
    node_url=$(sed -n 's/.*listening on \(http:[^ ]*\)/\1/p' "$out" | head -1)
    [ -n "$node_url" ] || { cat "$out.err" >&2; exit 1; }
    node_url=${node_url%/}
}

# One configuration: NAME DATABASE NODES. Prints a table row and appends to the summary.
run() {
    name=$1 db=$2 n=$3
    urls="" npids=""
    rm -rf "$tmp/data"
    if [ "$db" = sqlite ]; then
        cp -r "$site" "$tmp/data"
        db="sqlite:$tmp/data"
    else # a fresh copy of the copied site for each run
        mkdir -p "$tmp/data"
        psql -qX "$pgserver" -c "DROP DATABASE IF EXISTS run WITH (FORCE)" -c "CREATE DATABASE run TEMPLATE bench"
    fi
    for _ in $(seq "$n"); do
        start_node "$db" "$tmp/data"
        urls="$urls $node_url"
        npids="$npids $node_pid"
    done
    load=""
    for u in $urls; do # warm each node's cache
        PATHS_FILE="$site.paths" SEARCH_EVERY=10 wrk -t1 -c"$CONN" -d"${WARM}s" -s "$here/mixed/zipf.lua" "$u" >/dev/null 2>&1 &
        load="$load $!"
    done
    for p in $load; do wait "$p"; done
    c0=""; for p in $npids; do c0="$c0 $(cpu "$p")"; done
    pg0=$(pgcpu)
    i=0
    load=""
    for u in $urls; do
        i=$((i + 1))
        PATHS_FILE="$site.paths" SEARCH_EVERY=10 wrk -t1 -c$((CONN / n)) -d"${DUR}s" --latency -s "$here/mixed/zipf.lua" "$u" \
            >"$tmp/wrk.$name.$i" 2>&1 &
        load="$load $!"
        python3 "$here/mixed/writers.py" "$u" "$site.ids" comments "$(echo "$CPS $n" | awk '{ print $1 / $2 }')" \
            "$DUR" >"$tmp/writers.$name.$i" &
        load="$load $!"
    done
    for p in $load; do wait "$p"; done
    c1=""; for p in $npids; do c1="$c1 $(cpu "$p")"; done
    pg1=$(pgcpu)
    rate=$(cat "$tmp"/wrk."$name".* | awk '/Requests\/sec/ { s += $2 } END { printf "%.0f", s }')
    p99=$(for f in "$tmp"/wrk."$name".*; do pct 99% "$f"; echo; done | sort -n | tail -1)
    cps=$(cat "$tmp"/writers."$name".* | awk -v d="$DUR" '{ ok += $5 } END { printf "%.1f", ok / d }')
    node_cpu=$(echo "$c0 | $c1" | awk -F'|' '{ n = split($1, a, " "); split($2, b, " "); s = "";
        for (i = 1; i <= n; i++) s = s sprintf("%s%.1f", i > 1 ? "+" : "", b[i] - a[i]); print s }')
    pg_cpu=$(echo "$pg0 $pg1" | awk '{ printf "%.1f", $2 - $1 }')
    case $db in sqlite:*) pg_cpu="-" ;; esac
    printf "%-20s %8s %9s %11s  %-14s %8s\n" "$name" "$rate" "$p99" "$cps" "$node_cpu" "$pg_cpu"
    echo "$name $rate $p99 $cps" >>"$tmp/summary"
    stop_nodes
}

echo "nodes: $POSTS articles, wrk -c$CONN in all (9/10 Zipf pages, 1/10 searches), $CPS comments/s in all," \
    "${DUR}s a run after ${WARM}s of warm-up, $THREADS threads a node, $(nproc) cores"
printf "%-20s %8s %9s %11s  %-14s %8s\n" "config" "req/s" "p99 ms" "comments/s" "node CPU s" "PG CPU s"
: >"$tmp/summary"
run "1 node SQLite" sqlite 1
run "1 node PostgreSQL" "$runurl" 1
run "2 nodes PostgreSQL" "$runurl" 2
awk 'NR == 1 { r = $4; p = $5; c = $6 } { n = $1 " " $2 " " $3; printf "%-20s req/s %.2f  p99 %.2f  comments/s %.2f  (against 1 node SQLite)\n", n, $4 / r, $5 / p, $6 / c }' \
    "$tmp/summary"
