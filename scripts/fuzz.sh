#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of the parsers that see outside bytes.
#
#   scripts/fuzz.sh TARGET SECONDS    one target: json, manifest, jsonrpc, s3xml, jwt or keys
#   scripts/fuzz.sh all SECONDS       each target in turn for SECONDS
#
# Builds the fuzz package (Fuzz/Package.swift, scratch .build-fuzz) when needed, checks that the toolchain has
# clang's libFuzzer and ASan runtimes (installing Debian's when it has not), then runs each target on its committed
# seeds (Fuzz/Corpus/TARGET) and known crashes (Fuzz/Regressions/TARGET, replayed first). New inputs go to
# $FUZZ_WORK/corpus/TARGET and crash files to $FUZZ_WORK/artifacts/TARGET/ ($FUZZ_WORK defaults to a folder under
# /tmp), never into the repository. Prints one line per target:
#   fuzz TARGET: N execs in S s, 0 crashes
# and exits non-zero when any target crashed, naming the crash file. Design: docs/design/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(json manifest jsonrpc s3xml jwt keys)

usage() {
    echo "usage: scripts/fuzz.sh {$(IFS='|'; echo "${all_targets[*]}")|all} SECONDS" >&2
    exit 2
}
[ $# -eq 2 ] || usage
case "$2" in '' | *[!0-9]*) usage ;; esac
seconds=$2
if [ "$1" = all ]; then
    targets=("${all_targets[@]}")
else
    [[ " ${all_targets[*]} " == *" $1 "* ]] || usage
    targets=("$1")
fi

work=${FUZZ_WORK:-${TMPDIR:-/tmp}/quilt-mcp-fuzz}
scratch=.build-fuzz

# Per-target libFuzzer options. max_len: a little above the largest realistic input of that kind.
max_len() {
    case "$1" in
        manifest) echo 8192 ;;
        keys) echo 512 ;;
        jwt) echo 2048 ;;
        *) echo 4096 ;;
    esac
}
# Leak checks stay on except for s3xml: FoundationXML leaks a CFError per XML parse error, and the leak check
# libFuzzer then runs after every such input makes the target ~50x slower (Fuzz/lsan-suppressions.txt).
detect_leaks() { if [ "$1" = s3xml ]; then echo 0; else echo 1; fi; }

# clang's runtimes ship with the Swift toolchain for Linux; a toolchain without them gets Debian's newest.
ensure_runtime() {
    local resource
    resource=$(clang -print-resource-dir 2>/dev/null || true)
    [ -n "$resource" ] || resource="$(dirname "$(command -v swift)")/../lib/clang/$(ls "$(dirname "$(command -v swift)")/../lib/clang" | sort -V | tail -1)"
    local dir="$resource/lib/linux"
    local needed=(libclang_rt.fuzzer-x86_64.a libclang_rt.fuzzer_no_main-x86_64.a libclang_rt.asan-x86_64.a)
    local missing=()
    for lib in "${needed[@]}"; do [ -e "$dir/$lib" ] || missing+=("$lib"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "== libFuzzer/ASan runtime missing from $dir (${missing[*]}); installing Debian's"
    apt-get update -qq
    local version=""
    for v in 21 20 19 18 17 16 15 14; do
        if apt-cache show "libclang-rt-$v-dev" >/dev/null 2>&1; then version=$v; break; fi
    done
    [ -n "$version" ] || { echo "fuzz: no libclang-rt-*-dev package found" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "libclang-rt-$version-dev" >/dev/null
    local from
    from=$(dirname "$(find /usr/lib/llvm-"$version" -name libclang_rt.fuzzer-x86_64.a | head -1)")
    mkdir -p "$dir"
    for lib in "$from"/libclang_rt.fuzzer*-x86_64.a "$from"/libclang_rt.asan*-x86_64.*; do
        [ -e "$dir/$(basename "$lib")" ] || ln -s "$lib" "$dir/$(basename "$lib")"
    done
}

build() {
    local products=()
    if [ ${#targets[@]} -eq 1 ]; then products=(--product "fuzz-${targets[0]}"); fi
    mkdir -p "$work"
    local log="$work/build.log" status=0
    # --sanitize=fuzzer makes SwiftPM link libFuzzer's main; the sanitizers themselves come from ONE swiftc flag:
    # swiftc keeps only the last -sanitize= it is given, and SwiftPM's `--sanitize=fuzzer --sanitize=address`
    # passes two in a per-process order (a Set), so a build got either coverage or ASan, never both.
    # --disable-dead-strip: release links with --gc-sections, which drops the coverage counters' constructor under
    # ld.gold, and libFuzzer then sees no coverage at all.
    swift build -c release --disable-dead-strip --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
        --package-path Fuzz --scratch-path "$scratch" "${products[@]}" >"$log" 2>&1 || status=$?
    grep -vE "^warning: 'fuzz'|Cannot export local symbol|^\[[0-9]+/[0-9]+\]" "$log" || true
    if [ "$status" -ne 0 ]; then
        echo "fuzz: swift build failed with status $status (full log: $log)" >&2
        exit 1
    fi
}

# libFuzzer's start-up line proves the binary carries coverage counters (a binary without them would fuzz blind),
# and ASan's module constructor that the code is instrumented for AddressSanitizer.
instrumented() {
    local binary="$scratch/release/fuzz-$1" out
    out=$("$binary" -runs=0 "$work/empty" 2>&1 || true)
    grep -qE 'INFO: Loaded [0-9]+ modules +\([1-9][0-9]* inline 8-bit counters' <<<"$out" || return 1
    if command -v nm >/dev/null; then
        out=$(nm "$binary")
        grep -q 'asan.module_ctor' <<<"$out" || return 1
    fi
}

check_instrumented() {
    mkdir -p "$work/empty"
    local t
    for t in "${targets[@]}"; do
        instrumented "$t" && continue
        echo "== fuzz-$t lacks coverage or ASan instrumentation; rebuilding from clean"
        rm -rf "$scratch"
        build
        for t in "${targets[@]}"; do
            instrumented "$t" || { echo "fuzz: fuzz-$t is still not instrumented for coverage and ASan" >&2; exit 1; }
        done
        return 0
    done
}

run_target() {
    local t=$1
    local binary="$scratch/release/fuzz-$t"
    local corpus="$work/corpus/$t" artifacts="$work/artifacts/$t" log="$work/logs/$t.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    local seeds=(Fuzz/Corpus/"$t")
    [ -d Fuzz/Regressions/"$t" ] && seeds+=(Fuzz/Regressions/"$t")
    local start end status=0
    start=$(date +%s.%N)
    # The first corpus directory receives new inputs; the committed seeds and regressions are only read (and all
    # of them run once at start, so a regression that crashes again fails here).
    SWIFT_BACKTRACE=enable=no \
        ASAN_OPTIONS="detect_leaks=$(detect_leaks "$t"):${ASAN_OPTIONS:-}" \
        LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan-suppressions.txt:print_suppressions=0:${LSAN_OPTIONS:-}" \
        "$binary" "$corpus" "${seeds[@]}" \
        -max_total_time="$seconds" -print_final_stats=1 -max_len="$(max_len "$t")" -rss_limit_mb=2048 \
        -malloc_limit_mb=2048 -timeout=10 -detect_leaks="$(detect_leaks "$t")" -artifact_prefix="$artifacts/" \
        >"$log" 2>&1 || status=$?
    end=$(date +%s.%N)
    local execs elapsed crash
    execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
    elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
    crash=$(grep -oE 'Test unit written to [^ ]+' "$log" | sed 's/Test unit written to //' | tail -1 || true)
    if [ "$status" -eq 0 ] && [ -z "$crash" ]; then
        echo "fuzz $t: ${execs:-0} execs in $elapsed s, 0 crashes"
        return 0
    fi
    echo "fuzz $t: ${execs:-0} execs in $elapsed s, 1 crash (libFuzzer exit $status): ${crash:-no crash file; see $log}"
    # The report: what failed and where (the full log stays in $log).
    grep -E 'ERROR: |Fatal error|fuzz property violated|SUMMARY|^    #[0-9]+ .* in \$s' "$log" | head -40 | sed 's/^/    /'
    return 1
}

ensure_runtime
build
check_instrumented
failed=0
passed=0
for t in "${targets[@]}"; do
    if run_target "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
if [ ${#targets[@]} -gt 1 ]; then echo "fuzz: $passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
