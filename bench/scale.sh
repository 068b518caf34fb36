#!/bin/sh
# A newspaper's whole archive: every public page type's cost on sites of 1,000, 100,000 and
# 1,000,000 posts (bench/wxr/gen.py, imported as a WordPress export), each page rendered without
# the page cache, as the ratio to the 1,000-post site; start-up time and memory; requests that
# run past request_budget_ms while another page is served. Prints one table.
#   sh bench/scale.sh [BUILD_DIR]
# Environment: SCALE_BENCH_DIR (the generated sites are kept there between runs, default
# /tmp/gazette-scale-bench; a 1,000,000-post site takes about 4 GB and 3 to 10 minutes to make),
# SCALE_SIZES ("1000 100000 1000000"), SCALE_REQUESTS (per page type, 200), SCALE_CALLGRIND (1:
# also count instructions under valgrind, the noise-free figure; 0 to skip), SCALE_WRITES (1: also run
# bench/mixed.sh and bench/comments.sh for the write rows; their own variables apply, so
# SOAK_SECONDS=600 adds the ten-minute memory row; 0 to skip).
set -eu
BUILD=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$BUILD/gazette" ] || { echo "bench/scale.sh: no $BUILD/gazette (run make first)" >&2; exit 1; }
exec python3 "$here/scale/scale.py" "$BUILD"
