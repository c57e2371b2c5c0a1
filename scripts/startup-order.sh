#!/usr/bin/env bash
# Regenerates scripts/startup.order: the functions dist/quilt-mcp runs while it starts, answers initialize and
# tools/list, and serves a few common calls on the zero-setup local registry — read from a valgrind callgrind run
# (apt-get install valgrind). scripts/build-dist.sh lays these functions out together.
# Usage: scripts/startup-order.sh   (builds dist/quilt-mcp first if it is missing)
set -euo pipefail
export LC_ALL=C  # comm and the sorted function lists must agree on order
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "startup-order.sh: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
[ -x dist/quilt-mcp ] || scripts/build-dist.sh --no-order >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind cannot read the DWARF of large Swift binaries; the symbol table is enough.
objcopy --strip-debug dist/quilt-mcp "$work/quilt-mcp"
initialize='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"order","version":"1"}}}'
startup=("$initialize" '{"jsonrpc":"2.0","method":"notifications/initialized"}' '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' \
    '{"jsonrpc":"2.0","id":9,"method":"ping"}')
calls=("${startup[@]:0:3}" \
    '{"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"auth://catalog/info"}}' \
    '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"packages_list","arguments":{}}}' \
    '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"package_create","arguments":{"package_name":"order/demo","entries":[{"logical_key":"a.txt","text":"hello"},{"logical_key":"d/b.csv","text":"x,y\n1,2\n"}],"metadata":{"k":1}}}}' \
    '{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"package_browse","arguments":{"package_name":"order/demo","recursive":true}}}' \
    '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"package_info","arguments":{"package_name":"order/demo"}}}' \
    '{"jsonrpc":"2.0","id":9,"method":"ping"}')

# profile NAME MESSAGE... : one session on a fresh zero-setup HOME under callgrind -> $work/NAME.functions
profile() {
    local name=$1; shift
    rm -rf "$work/home" && mkdir -p "$work/home"
    { printf '%s\n' "$@"; sleep 30; } | HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" timeout 300 \
        valgrind --tool=callgrind --demangle=no --dump-instr=no --callgrind-out-file="$work/$name.out" \
        "$work/quilt-mcp" >"$work/$name.stdout" 2>"$work/$name.log" || true
    if ! grep -q '"id":9' "$work/$name.stdout"; then
        echo "startup-order.sh: the $name session did not complete under valgrind:" >&2; tail -20 "$work/$name.log" >&2; exit 1
    fi
    python3 scripts/callgrind_functions.py "$work/$name.out" quilt-mcp > "$work/$name.functions"
}
profile startup "${startup[@]}"
profile calls "${calls[@]}"
# Start-up first (what every process touches), then what the common calls add.
{ cat "$work/startup.functions"; comm -13 "$work/startup.functions" "$work/calls.functions"; } > scripts/startup.order
echo "scripts/startup.order: $(wc -l < "$work/startup.functions") start-up functions, then $(comm -13 "$work/startup.functions" "$work/calls.functions" | wc -l) more for common calls" >&2
