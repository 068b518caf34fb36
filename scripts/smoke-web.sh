#!/bin/sh
# A quick look at the reader's site by hand: starts `gazette demo` on a free loopback port with a
# fresh data directory, fetches each page type with curl, posts a comment, prints one line per
# check, then stops the server with SIGTERM and reports its exit status.
#   scripts/smoke-web.sh [path/to/gazette]     (default: build/gazette)
set -u
BIN=${1:-build/gazette}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
"$BIN" --data "$DIR/data" demo --listen 127.0.0.1:0 --threads 2 >"$DIR/out" 2>"$DIR/err" &
PID=$!
for _ in $(seq 50); do grep -q '^listening on' "$DIR/out" && break; sleep 0.2; done
URL=$(sed -n 's|^listening on \(http://[^ ]*\)/$|\1|p' "$DIR/out")
[ -n "$URL" ] || { echo "no 'listening on' line"; cat "$DIR/out" "$DIR/err"; kill "$PID"; exit 1; }
grep '^admin login:' "$DIR/out"
fails=0
check() { # WHAT EXPECTED_STATUS CURL_ARGS...
    what=$1 want=$2; shift 2
    got=$(curl -s -o "$DIR/body" -w '%{http_code}' "$@")
    if [ "$got" = "$want" ]; then echo "ok   $want $what"; else echo "FAIL $got (want $want) $what"; fails=$((fails + 1)); fi
}
check "home" 200 "$URL/"
check "page 2" 200 "$URL/page/2/"
ART=$(grep -o 'href="/[0-9]\{4\}/[0-9][0-9]/[0-9][0-9]/[^"]*/"' "$DIR/body" | head -1 | sed 's/href="\(.*\)"/\1/')
check "article $ART" 200 "$URL$ART"
ID=$(sed -n 's/.*name="comment_post_ID" id="comment_post_ID" value="\([0-9]*\)".*/\1/p' "$DIR/body")
CAT=$(grep -o 'href="/category/[^"]*/"' "$DIR/body" | head -1 | sed 's/href="\(.*\)"/\1/')
check "category $CAT" 200 "$URL$CAT"
check "stylesheet" 200 "$URL/static/style.css"
check "404" 404 "$URL/no/such/page/"
check "HEAD home" 200 -I "$URL/"
check "PUT home" 405 -X PUT "$URL/"
check "comment, first time: held" 303 --data "comment_post_ID=$ID&comment_parent=0&author=Smoke+Tester&email=smoke%40example.com&comment=Smoke+test+$$" "$URL/comment/"
check "comment, no email: 422" 422 --data "comment_post_ID=$ID&comment_parent=0&author=Smoke+Tester&comment=x" "$URL/comment/"
curl -s -D - -o /dev/null "$URL$ART" | grep -i -E '^(content-security-policy|x-content-type-options|content-length|etag):'
kill -TERM "$PID"
wait "$PID"
status=$?
echo "server exit status $status"
[ "$fails" = 0 ] && [ "$status" = 0 ]
