#!/bin/sh
# Serving speed: Gazette serving a demo article page against nginx serving the same bytes from a
# file, one worker each, measured with wrk in one run. Prints requests/s for both and the ratio.
#   bench/serve.sh [BUILD_DIR]     (needs nginx and wrk: apt-get install nginx-light wrk)
set -eu
BUILD=${1:-build}
BIN=$(cd "$BUILD" && pwd)/gazette
DUR=${BENCH_SECONDS:-5}
CONN=${BENCH_CONNECTIONS:-32}
for tool in nginx wrk curl; do
    command -v $tool >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
    command -v $tool >/dev/null 2>&1 || { echo "bench/serve.sh: needs $tool" >&2; exit 1; }
done

tmp=$(mktemp -d)
chmod 755 "$tmp" # nginx workers read the page as an unprivileged user
gz_pid=""
ngx_pid=""
cleanup() {
    [ -n "$gz_pid" ] && kill "$gz_pid" 2>/dev/null && wait "$gz_pid" 2>/dev/null
    [ -n "$ngx_pid" ] && kill "$ngx_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# Gazette: the demo site, one thread.
"$BIN" --data "$tmp/data" demo --listen 127.0.0.1:0 --threads 1 >"$tmp/gazette.out" 2>&1 &
gz_pid=$!
for _ in $(seq 100); do
    grep -q "listening on" "$tmp/gazette.out" && break
    sleep 0.1
done
gz=$(sed -n 's/.*listening on \(http:[^ ]*\)/\1/p' "$tmp/gazette.out" | head -1)
[ -n "$gz" ] || { cat "$tmp/gazette.out" >&2; exit 1; }
gz=${gz%/}
path=$(curl -s "$gz/" | grep -o 'href="/[0-9]\{4\}/[0-9][0-9]/[0-9][0-9]/[^"]*/"' | head -1 | sed 's/href="//; s/"$//')
[ -n "$path" ] || { echo "bench/serve.sh: no article link on the home page" >&2; exit 1; }

# nginx: the same bytes from a file, one worker.
mkdir -p "$tmp/www$path"
curl -s "$gz$path" -o "$tmp/www${path}index.html"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$tmp/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $tmp/nginx.err;
pid $tmp/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    default_type text/html;
    sendfile on;
    server { listen 127.0.0.1:$port; root $tmp/www; index index.html; }
}
CONF
nginx -c "$tmp/nginx.conf" -p "$tmp" &
ngx_pid=$!
sleep 0.5
ngx="http://127.0.0.1:$port"
[ "$(curl -s "$ngx$path" | md5sum)" = "$(curl -s "$gz$path" | md5sum)" ] || { echo "bench/serve.sh: bodies differ" >&2; exit 1; }

rate() { wrk -t1 -c"$CONN" -d"${DUR}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
rate "$gz$path" >/dev/null # warm the page cache
g=$(rate "$gz$path")
n=$(rate "$ngx$path")
bytes=$(wc -c <"$tmp/www${path}index.html")
echo "article page $path ($bytes bytes), wrk -t1 -c$CONN -d${DUR}s, one worker each"
echo "gazette: $g requests/s"
echo "nginx:   $n requests/s"
awk -v g="$g" -v n="$n" 'BEGIN { printf "ratio gazette/nginx: %.2f\n", g / n }'
