#!/bin/sh
# The site of the mixed-load benchmarks (mixed.sh, nodes.sh): POSTS articles with 2 comments each
# from the import benchmark's generator, in DIR/site-POSTS, kept between runs, with the flood and
# first-comment holds off and a newsroom login (benchlogin). Beside it, site-POSTS.paths (what
# readers GET, most read first: the home page, the feed and a section, then the articles in a fixed
# shuffled order, so that the most read are not simply the newest) and site-POSTS.ids ("PATH ID").
#   sh bench/mixed/site.sh BIN POSTS DIR    prints the site's directory
set -eu
BIN=$1 POSTS=$2 DIR=$3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DIR"
site="$DIR/site-$POSTS"
if [ ! -s "$site/gazette.db" ] || [ ! -s "$site.ids" ]; then
    echo "building a $POSTS-post site in $site ..." >&2
    rm -rf "$site"
    python3 "$here/../wxr/gen.py" "$POSTS" 2 >"$DIR/site.xml"
    "$BIN" --data "$site" import wxr "$DIR/site.xml" --quiet >/dev/null
    rm -f "$DIR/site.xml"
    "$BIN" --data "$site" setting set comment_flood_seconds 0
    "$BIN" --data "$site" setting set comment_hold_first 0
    echo "bench-password-1234" | "$BIN" --data "$site" user add benchlogin --role author >/dev/null
    "$BIN" --data "$site" post list --format=json | python3 -c '
import json, random, sys
posts = [p for p in json.load(sys.stdin) if p["type"] == "post" and p["status"] == "published"]
random.Random(1).shuffle(posts)
with open(sys.argv[1], "w") as paths, open(sys.argv[2], "w") as ids:
    paths.write("/\n/feed/\n/category/section-1/\n")
    for p in posts:
        paths.write(p["path"] + "\n")
        ids.write("%s %d\n" % (p["path"], p["id"]))
' "$site.paths" "$site.ids"
fi
echo "$site"
