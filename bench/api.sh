#!/bin/sh
# The JSON API against the home page, in one run, on the demo site: requests a second of GET /
# and of GET /wp-json/wp/v2/posts, both kept in the page cache (goal: a ratio near 1), then of
# both made afresh for every request (a new query argument each time, which neither uses), the
# ten newest posts as HTML against the same ten as JSON. Prints each rate and the ratios.
#   sh bench/api.sh [BUILD_DIR]   environment: BENCH_SECONDS (10), BENCH_CONNECTIONS (16), THREADS (2)
set -eu
BUILD=${1:-build}
BIN=$(cd "$BUILD" && pwd)/gazette
DUR=${BENCH_SECONDS:-10}
CONN=${BENCH_CONNECTIONS:-16}
THREADS=${THREADS:-2}
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null 2>&1 || { echo "bench/api.sh: needs wrk (scripts/deps bench)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/gazette-api-bench-XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" --data "$dir/data" setting set site_url "http://127.0.0.1:$port" >/dev/null
"$BIN" --data "$dir/data" demo --listen "127.0.0.1:$port" --threads "$THREADS" >"$dir/log" 2>&1 &
pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.2; done
base="http://127.0.0.1:$port"

rate() { # URL [LUA]: requests a second
    if [ -n "${2:-}" ]; then
        wrk -t2 -c"$CONN" -d"${DUR}s" -s "$2" "$1" | awk '/Requests\/sec/ {print $2}'
    else
        wrk -t2 -c"$CONN" -d"${DUR}s" "$1" | awk '/Requests\/sec/ {print $2}'
    fi
}
# a new address each request: nothing comes from the cache
cat >"$dir/fresh.lua" <<'LUA'
local n = 0
request = function()
    n = n + 1
    return wrk.format("GET", wrk.path .. (string.find(wrk.path, "?", 1, true) and "&" or "?") .. "n=" .. n)
end
LUA
home=$(rate "$base/")
api=$(rate "$base/wp-json/wp/v2/posts")
home_fresh=$(rate "$base/" "$dir/fresh.lua")
api_fresh=$(rate "$base/wp-json/wp/v2/posts" "$dir/fresh.lua")
echo "cached:  GET / $home req/s, GET /wp-json/wp/v2/posts $api req/s, ratio API/home $(awk -v a="$api" -v h="$home" 'BEGIN {printf "%.2f", a / h}')"
echo "made:    GET /?n= $home_fresh req/s, GET /wp-json/wp/v2/posts?n= $api_fresh req/s, ratio API/home $(awk -v a="$api_fresh" -v h="$home_fresh" 'BEGIN {printf "%.2f", a / h}')"
