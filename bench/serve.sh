#!/bin/sh
# Serving speed: Gazette serving a demo article page against nginx serving the same bytes from a
# file, one worker each, in one run. Rows:
#   plain      no Accept-Encoding (wrk)
#   gzip       Accept-Encoding: gzip: Gazette's copy made once when the page was cached, nginx's
#              made per request at the level Debian ships (gzip on, level 1)
#   gzip,br    what a browser asks for: Gazette answers brotli, nginx-light (no brotli) gzip
#   https      TLS 1.3, HTTP/1.1 keep-alive (wrk), the same certificate for both
#   h2         TLS 1.3, HTTP/2 (h2load, 10 streams per connection)
# Each row is measured BENCH_ROUNDS times, alternating the servers; the best round of each is
# printed: requests/s, the server's CPU time per request (from /proc: steadier than requests/s on
# a machine doing other work), the ratios, and the bytes of one response on the wire (header +
# body, TLS records not counted).
#   bench/serve.sh [BUILD_DIR]     (needs nginx, wrk, h2load, openssl: scripts/deps bench)
#   BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS, BENCH_ROWS="https h2" change what is run
set -eu
BUILD=${1:-build}
BIN=$(cd "$BUILD" && pwd)/gazette
DUR=${BENCH_SECONDS:-5}
CONN=${BENCH_CONNECTIONS:-32}
ROUNDS=${BENCH_ROUNDS:-2}
ROWS=${BENCH_ROWS:-plain gzip gzip,br https h2} # which rows to run
for tool in nginx wrk h2load openssl curl python3; do
    command -v $tool >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
    command -v $tool >/dev/null 2>&1 || { echo "bench/serve.sh: needs $tool" >&2; exit 1; }
done

tmp=$(mktemp -d)
chmod 755 "$tmp" # nginx workers read the page as an unprivileged user
gz_pid=""
gzs_pid=""
ngx_pid=""
cleanup() {
    [ -n "$gz_pid" ] && kill "$gz_pid" 2>/dev/null && wait "$gz_pid" 2>/dev/null
    [ -n "$gzs_pid" ] && kill "$gzs_pid" 2>/dev/null && wait "$gzs_pid" 2>/dev/null
    [ -n "$ngx_pid" ] && kill "$ngx_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits for a gazette's "listening on" line in file $1 and prints its address.
address() {
    for _ in $(seq 100); do
        grep -q "listening on" "$1" && break
        sleep 0.1
    done
    a=$(sed -n 's/.*listening on \(https*:[^ ]*\)/\1/p' "$1" | head -1)
    [ -n "$a" ] || { cat "$1" >&2; exit 1; }
    echo "${a%/}"
}

# One certificate for both servers: a throwaway CA and a P-256 leaf for 127.0.0.1.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/ca.key" -out "$tmp/ca.crt" \
    -days 1 -subj "/CN=bench CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/site.key" -out "$tmp/site.csr" \
    -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$tmp/ext.cnf"
openssl x509 -req -in "$tmp/site.csr" -CA "$tmp/ca.crt" -CAkey "$tmp/ca.key" -CAcreateserial -days 1 \
    -extfile "$tmp/ext.cnf" -out "$tmp/site.crt" 2>/dev/null
cat "$tmp/site.crt" "$tmp/ca.crt" >"$tmp/chain.pem"
chmod 644 "$tmp/site.key"

# Gazette: the demo site, one thread, in cleartext and (a second process on the same data) over TLS.
"$BIN" --data "$tmp/data" demo --listen 127.0.0.1:0 --threads 1 >"$tmp/gazette.out" 2>&1 &
gz_pid=$!
gz=$(address "$tmp/gazette.out")
"$BIN" --data "$tmp/data" serve --listen 127.0.0.1:0 --threads 1 --tls-cert "$tmp/chain.pem" \
    --tls-key "$tmp/site.key" >"$tmp/gazette-tls.out" 2>&1 &
gzs_pid=$!
gzs=$(address "$tmp/gazette-tls.out")
path=$(curl -s "$gz/" | grep -o 'href="/[0-9]\{4\}/[0-9][0-9]/[0-9][0-9]/[^"]*/"' | head -1 | sed 's/href="//; s/"$//')
[ -n "$path" ] || { echo "bench/serve.sh: no article link on the home page" >&2; exit 1; }

# nginx: the same bytes from a file, one worker, gzip as Debian's nginx.conf has it, files' descriptors
# kept open, and connections kept however many requests they carry.
mkdir -p "$tmp/www$path"
curl -s "$gz$path" -o "$tmp/www${path}index.html"
port=$(free_port)
sport=$(free_port)
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
    open_file_cache max=100;
    keepalive_requests 1000000; # Gazette does not close busy connections either
    gzip on;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:SSL:1m;
    server { listen 127.0.0.1:$port; root $tmp/www; index index.html; }
    server {
        listen 127.0.0.1:$sport ssl http2;
        ssl_certificate $tmp/chain.pem;
        ssl_certificate_key $tmp/site.key;
        root $tmp/www;
        index index.html;
    }
}
CONF
nginx -c "$tmp/nginx.conf" -p "$tmp" &
ngx_pid=$!
sleep 0.5
ngx="http://127.0.0.1:$port"
ngxs="https://127.0.0.1:$sport"
# 0 when URL [CURL OPTIONS] gives the page's bytes (decompressed)
same() {
    u=$1
    shift
    [ "$(curl -s --compressed --cacert "$tmp/ca.crt" "$@" "$u" | md5sum)" = "$(cat "$tmp/want.md5")" ]
}
curl -s "$gz$path" | md5sum >"$tmp/want.md5"
for u in "$ngx$path" "$gzs$path" "$ngxs$path"; do
    same "$u" || { echo "bench/serve.sh: bodies differ at $u" >&2; exit 1; }
    same "$u" -H 'Accept-Encoding: gzip, br' || { echo "bench/serve.sh: compressed bodies differ at $u" >&2; exit 1; }
done

# CPU time (clock ticks, user + system) used so far by processes $@
ticks() {
    for p in "$@"; do
        sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}'
    done | awk '{ t += $1 } END { print t }'
}

# One measurement: KIND URL [HEADER] against processes PIDS (a space-separated list); prints the
# requests/s and the server's CPU microseconds per request. KIND is wrk or h2.
measure() {
    kind=$1 url=$2 pids=$3
    shift 3
    t0=$(ticks $pids)
    if [ "$kind" = h2 ]; then
        h2load -t1 -c"$CONN" -m10 -D"$DUR" --warm-up-time=1 "$url" >"$tmp/out"
        rate=$(awk '/^finished in/ {print $4}' "$tmp/out")
        done_n=$(awk '/^requests:/ {print $8}' "$tmp/out")
    elif [ $# -gt 0 ]; then
        wrk -t1 -c"$CONN" -d"${DUR}s" -H "$1" "$url" >"$tmp/out"
    else
        wrk -t1 -c"$CONN" -d"${DUR}s" "$url" >"$tmp/out"
    fi
    if [ "$kind" = wrk ]; then
        rate=$(awk '/Requests\/sec/ {print $2}' "$tmp/out")
        done_n=$(awk '/requests in/ {print $1}' "$tmp/out")
    fi
    t1=$(ticks $pids)
    tck=$(getconf CLK_TCK)
    # h2load's warm-up second is not counted in its requests: leave it out of the CPU time too
    awk -v r="$rate" -v n="$done_n" -v t="$((t1 - t0))" -v k="$tck" -v w="$kind" -v d="$DUR" \
        'BEGIN { if (w == "h2") t = t * d / (d + 1); printf "%s %.1f\n", r, t / k * 1e6 / n }'
}
# bytes of one response on the wire (header + body): URL [HEADER]
wire() {
    if [ $# -gt 1 ]; then
        curl -s -o /dev/null --cacert "$tmp/ca.crt" -w '%{size_header}+%{size_download}' -H "$2" "$1"
    else
        curl -s -o /dev/null --cacert "$tmp/ca.crt" -w '%{size_header}+%{size_download}' "$1"
    fi | awk -F+ '{print $1 + $2}'
}
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b || b == 0 ? a : b) }'; }

# row NAME KIND GAZETTE_URL GAZETTE_PID NGINX_URL [HEADER]
row() {
    name=$1 kind=$2 g_url=$3 g_pid=$4 n_url=$5
    shift 5
    case " $ROWS " in *" $name "*) ;; *) return 0 ;; esac
    g=0 n=0 gc=0 nc=0
    measure "$kind" "$g_url" "$g_pid" "$@" >/dev/null # warm the page cache and the connections
    for _ in $(seq "$ROUNDS"); do
        m=$(measure "$kind" "$g_url" "$g_pid" "$@")
        g=$(max "$g" "${m% *}") gc=$(min "${m#* }" "$gc")
        m=$(measure "$kind" "$n_url" "$ngx_workers" "$@")
        n=$(max "$n" "${m% *}") nc=$(min "${m#* }" "$nc")
    done
    printf '%-9s %10s %10s %6s %8s %8s %6s %8s %8s\n' "$name" "$g" "$n" \
        "$(awk -v g="$g" -v n="$n" 'BEGIN { printf "%.2f", g / n }')" "$gc" "$nc" \
        "$(awk -v g="$gc" -v n="$nc" 'BEGIN { printf "%.2f", n / g }')" "$(wire "$g_url" "$@")" "$(wire "$n_url" "$@")"
}

ngx_workers=$(pgrep -P "$ngx_pid" | tr '\n' ' ')
bytes=$(wc -c <"$tmp/www${path}index.html")
echo "article page $path ($bytes bytes), one worker each, $CONN connections, best of $ROUNDS x ${DUR}s"
echo "req/s: higher is better; CPU us/req: the server's user+system time per request, lower is better;"
echo "ratios are gazette over nginx (req/s) and nginx over gazette (CPU), so above 1 is Gazette ahead"
printf '%-9s %10s %10s %6s %8s %8s %6s %8s %8s\n' row "g req/s" "n req/s" ratio "g us/req" "n us/req" ratio \
    "g bytes" "n bytes"
row plain wrk "$gz$path" "$gz_pid" "$ngx$path"
row gzip wrk "$gz$path" "$gz_pid" "$ngx$path" 'Accept-Encoding: gzip'
row gzip,br wrk "$gz$path" "$gz_pid" "$ngx$path" 'Accept-Encoding: gzip, br'
row https wrk "$gzs$path" "$gzs_pid" "$ngxs$path"
row h2 h2 "$gzs$path" "$gzs_pid" "$ngxs$path"
