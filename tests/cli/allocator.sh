#!/bin/sh
# The binary allocates with jemalloc (whose size classes keep the page cache's churn from leaving
# holes in the heap), unless it was built with sanitizers, which bring their own allocator.
#   tests/cli/allocator.sh GAZETTE_BINARY jemalloc|sanitizer
set -u
bin=$1 want=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0
check() { # name, condition result
    if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; fails=$((fails + 1)); fi
}

MALLOC_CONF=stats_print:true "$bin" --version > "$dir/out" 2> "$dir/err"
check "gazette --version exits 0" $?
if [ "$want" = jemalloc ]; then
    grep -q '^jemalloc [0-9]' "$dir/out"
    check "--version names jemalloc" $?
    # jemalloc prints its statistics at exit only if it is the malloc the program calls
    grep -q 'Begin jemalloc statistics' "$dir/out" "$dir/err"
    check "malloc is jemalloc's, not only linked" $?
else
    ! grep -q '^jemalloc' "$dir/out"
    check "--version names no jemalloc" $?
fi

echo "$(( $([ "$want" = jemalloc ] && echo 3 || echo 2) - fails )) passed, $fails failed"
[ "$fails" = 0 ]
