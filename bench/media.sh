#!/bin/sh
# The copies of one upload: the time Gazette takes to make every copy of a 12-megapixel JPEG
# (`gazette media add`: the full size and 320, 640, 1024, 1600, 2400 pixels wide, each in JPEG and
# WebP, upright, sRGB, without metadata; its checks, hash and database row included) against
# libvips' own vipsthumbnail and ImageMagick's convert making the same twelve files, in one run,
# each with its peak resident memory (the largest of its processes).
#   sh bench/media.sh [BUILD_DIR]   environment: WIDTH (4000), HEIGHT (3000)
set -eu
BUILD=${1:-build}
BIN=$(cd "$BUILD" && pwd)/gazette
W=${WIDTH:-4000}
H=${HEIGHT:-3000}
for tool in vips vipsthumbnail convert /usr/bin/time; do
    command -v $tool >/dev/null 2>&1 || { echo "bench/media.sh: needs $tool (scripts/deps bench)" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/gazette-media-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# A photograph-like source: noise over smooth gradients compresses as a camera's JPEG does.
vips gaussnoise "$tmp/n.v" "$W" "$H" --sigma 12 --mean 128
vips xyz "$tmp/xy.v" "$W" "$H"
vips extract_band "$tmp/xy.v" "$tmp/x.v" 0
vips linear "$tmp/x.v" "$tmp/x2.v" "$(awk "BEGIN { print 255 / $W }")" 0
vips bandjoin "$tmp/n.v $tmp/x2.v $tmp/n.v" "$tmp/rgb.v"
vips cast "$tmp/rgb.v" "$tmp/photo.jpg[Q=92]" uchar
rm -f "$tmp"/*.v
SIZES="$W 320 640 1024 1600 2400"

# seconds and peak RSS (KiB) of a command: "S KIB"
measure() {
    /usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >/dev/null 2>&1 || { echo "bench/media.sh: $* failed" >&2; exit 1; }
    cat "$tmp/t"
}
sum() { # adds the "S KIB" lines on stdin: total seconds, largest KiB
    awk '{ s += $1; if ($2 > m) m = $2 } END { printf "%.2f %d\n", s, m }'
}

mkdir -p "$tmp/data" "$tmp/vt" "$tmp/im"
"$BIN" --data "$tmp/data" setting get site_title >/dev/null # the database made before the clock starts
gz=$(measure "$BIN" --data "$tmp/data" media add "$tmp/photo.jpg")
files=$(find "$tmp/data/uploads" -type f | wc -l)

vt=$(for s in $SIZES; do
    measure vipsthumbnail "$tmp/photo.jpg" --size "${s}x" -o "$tmp/vt/%s-$s.jpg[Q=85,strip,optimize_coding]"
    measure vipsthumbnail "$tmp/photo.jpg" --size "${s}x" -o "$tmp/vt/%s-$s.webp[Q=80,strip]"
done | sum)

im=$(for s in $SIZES; do
    measure convert "$tmp/photo.jpg" -auto-orient -strip -colorspace sRGB -resize "${s}x" -quality 85 "$tmp/im/$s.jpg"
    measure convert "$tmp/photo.jpg" -auto-orient -strip -colorspace sRGB -resize "${s}x" -quality 80 "$tmp/im/$s.webp"
done | sum)

echo "media: 12 copies of a ${W}x${H} JPEG ($(du -k "$tmp/photo.jpg" | cut -f1) KiB); one run on this machine"
printf "%-28s %8s %12s %10s\n" "" seconds "peak RSS MiB" "vs gazette"
g=${gz% *}
for row in "gazette media add ($files files)|$gz" "vipsthumbnail (12 runs)|$vt" "ImageMagick convert (12 runs)|$im"; do
    name=${row%%|*}
    v=${row#*|}
    s=${v% *}
    k=${v#* }
    printf "%-28s %8.2f %12.1f %9.2fx\n" "$name" "$s" "$(awk "BEGIN { print $k / 1024 }")" "$(awk "BEGIN { print $s / $g }")"
done
