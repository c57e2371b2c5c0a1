#!/usr/bin/env bash
# Instruction counts of one whole `quilt-mcp call package_browse` as Benchmarks/README.md times it (one directory
# of the 100,000-entry package), under callgrind: the program total and the functions with the most self cost.
#
#   scripts/callgrind-browse.sh BINARY [FIXTURE_DIR]   # FIXTURE_DIR from `quilt-bench generate-fixture DIR 100000`
#
# Needs valgrind (apt-get install valgrind). Takes about a minute (callgrind runs ~50x slower).
# Profile the shipped form (scripts/build-dist.sh: static Swift runtime): valgrind 3.19 crashes at start-up under a
# plain `swift build -c release` binary (the dynamic libdispatch parks the main thread in a way it cannot follow),
# and it cannot read the DWARF 5 debug info Swift 6.3 writes, so a binary with debug info is profiled from a
# --strip-debug copy (symbols stay).
set -euo pipefail
binary=$1
fixture=${2:-/tmp/quilt-bench-registry}
sections=$(readelf -S "$binary" 2>/dev/null || true)
if [[ $sections == *.debug_info* ]]; then
    stripped=$(mktemp /tmp/callgrind.binary.XXXXXX)
    cp "$binary" "$stripped" && strip --strip-debug "$stripped" && chmod +x "$stripped"
    binary=$stripped
fi
out=$(mktemp /tmp/callgrind.browse.XXXXXX)
HOME=$(mktemp -d) valgrind --tool=callgrind --callgrind-out-file="$out" "$binary" --registry "file://$fixture" \
    call package_browse '{"package_name": "bench/big", "path": "data/part-0042", "recursive": false}' >/dev/null 2>"$out.log"
grep -E 'Collected' "$out.log" | sed 's/.*Collected : /total instructions: /'
callgrind_annotate --inclusive=no "$out" 2>/dev/null | grep -E '^ *[0-9,]+ +\([ 0-9.]+%\) ' | grep -v 'PROGRAM TOTALS' | head -${TOP:-12} \
    | sed -E 's/\[[^]]*\]$//; s/\?\?\?://' | swift demangle --simplified | cut -c1-150
echo "profile: $out"
