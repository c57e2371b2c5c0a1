#!/usr/bin/env bash
# Builds the quilt-mcp binary we ship, to dist/quilt-mcp (release; the same sources and behaviour as
# `swift build -c release`, linked for a small, fast-starting single file):
#   - the Swift runtime and Foundation linked in (--static-swift-stdlib): no Swift toolchain is needed where it
#     runs, only glibc (as new as the build machine's; ≥ 2.36 with --pie), libstdc++, libxml2 and zlib (no longer
#     libcurl: nothing imports FoundationNetworking since swift-sdk left; the check below still asks for its -dev
#     files, as CI installs them anyway);
#   - every function in its own section and the functions that start-up and the common tool calls run laid out
#     together (lld --symbol-ordering-file=scripts/startup.order): a starting server faults in a few MB of code
#     instead of pages scattered over 33 MB of text;
#   - no dynamic symbol table beyond what the C libraries need (--no-export-dynamic);
#   - position-dependent by default, as Go links linux/amd64 binaries: the loader then writes no relocations into
#     the data of code a run never uses (NIO, Hummingbird, BoringSSL over stdio). `--pie` keeps ASLR for the image
#     (relative relocations packed as RELR) at ~1.2 MiB more idle memory, for platforms whose policy requires PIE.
#   - debug information removed (185 MB -> 111 MB); the symbol table stays, so crash backtraces and profilers still
#     name every function. `--keep-debug` keeps it (for a debugger).
# A stale order file changes no behaviour, it only costs memory (regenerate: scripts/startup-order.sh).
# Usage: scripts/build-dist.sh [--pie] [--no-order] [--keep-debug]   (QUILT_DIST_SCRATCH: build directory, default .build-dist)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${QUILT_DIST_SCRATCH:-.build-dist}
position=(-Xswiftc -Xclang-linker -Xswiftc -no-pie)
order=(-Xlinker "--symbol-ordering-file=$PWD/scripts/startup.order" -Xlinker --no-warn-symbol-ordering)
strip_debug=1
for arg in "$@"; do
    case "$arg" in
        --pie) position=(-Xlinker -z -Xlinker pack-relative-relocs) ;;
        --no-order) order=() ;;
        --keep-debug) strip_debug=0 ;;
        *) echo "build-dist.sh: unknown option $arg (use --pie, --no-order, --keep-debug)" >&2; exit 2 ;;
    esac
done
for lib in libcurl libxml2 libz; do
    found=""
    for f in /usr/lib/*-linux-gnu/$lib.so /usr/lib64/$lib.so /usr/lib/$lib.so; do [ -e "$f" ] && found=$f; done
    if [ -z "$found" ]; then
        echo "build-dist.sh: linking Foundation statically needs $lib.so: apt-get install libcurl4-openssl-dev libxml2-dev zlib1g-dev" >&2
        exit 1
    fi
done
swift build -c release --product quilt-mcp --scratch-path "$scratch" --static-swift-stdlib \
    -Xswiftc -use-ld=lld -Xlinker --no-export-dynamic "${position[@]}" \
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections \
    "${order[@]}" >&2
mkdir -p dist
if [ "$strip_debug" = 1 ]; then
    # The toolchain's own objcopy (binutils may not be installed where Swift is).
    objcopy="$(dirname "$(command -v swift)")/llvm-objcopy"
    [ -x "$objcopy" ] || objcopy=$(command -v objcopy)
    "$objcopy" --strip-debug "$scratch/release/quilt-mcp" dist/quilt-mcp
else
    cp "$scratch/release/quilt-mcp" dist/quilt-mcp
fi
echo dist/quilt-mcp
