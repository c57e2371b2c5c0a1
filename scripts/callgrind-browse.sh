#!/usr/bin/env bash
# Instruction counts of one whole `quilt-mcp call package_browse` as Benchmarks/README.md times it (one directory
# of the 100,000-entry package), under callgrind: the program total and the functions with the most self cost.
#
#   scripts/callgrind-browse.sh BINARY [FIXTURE_DIR]   # FIXTURE_DIR from `quilt-bench generate-fixture DIR 100000`
#
# Needs valgrind (apt-get install valgrind). Takes about a minute (callgrind runs ~50x slower).
set -euo pipefail
binary=$1
fixture=${2:-/tmp/quilt-bench-registry}
out=$(mktemp /tmp/callgrind.browse.XXXXXX)
HOME=$(mktemp -d) valgrind --tool=callgrind --callgrind-out-file="$out" "$binary" --registry "file://$fixture" \
    call package_browse '{"package_name": "bench/big", "path": "data/part-0042", "recursive": false}' >/dev/null 2>"$out.log"
grep -E 'Collected' "$out.log" | sed 's/.*Collected : /total instructions: /'
callgrind_annotate --inclusive=no "$out" 2>/dev/null | grep -E '^ *[0-9,]+ +\([ 0-9.]+%\) ' | grep -v 'PROGRAM TOTALS' | head -${TOP:-12} \
    | sed -E 's/\[[^]]*\]$//; s/\?\?\?://' | swift demangle --simplified | cut -c1-150
echo "profile: $out"
