#!/usr/bin/env bash
# Hostile-input checks for CI (docs/FUZZING.md):
#  (a) builds the libFuzzer targets with clang in build-fuzz/ and runs each for a bounded time
#      over a scratch copy of the seed corpus (the committed corpus never grows); any crash,
#      sanitizer report or property violation fails the run and leaves the input in
#      build-fuzz/artifacts/;
#  (b) builds the whole test suite with ASan+UBSan (-DCHALK_SANITIZE=ON) in build-asan/ and runs
#      CTest there. The last lines printed are CTest's summary.
# Environment: FUZZ_SECONDS (per target, default 60), JOBS (default 2), FUZZ_BUILD_DIR,
# ASAN_BUILD_DIR, SKIP_FUZZ=1, SKIP_ASAN=1, LSAN=0 to turn leak detection off.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
jobs=${JOBS:-2}
fuzz_seconds=${FUZZ_SECONDS:-60}
fuzz_dir=${FUZZ_BUILD_DIR:-build-fuzz}
asan_dir=${ASAN_BUILD_DIR:-build-asan}
fuzzers=(fuzz_decode_call fuzz_decode_envelope fuzz_decode_drawing_got fuzz_frame_reader)

# Both halves report the first problem and stop: a sanitizer report is a failure, not a warning.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Qt and fontconfig keep some allocations until exit; those (and only those) are suppressed.
leaks=${LSAN:-1}
export ASAN_OPTIONS="detect_leaks=$leaks:check_initialization_order=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0"

step() { printf '\n==== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

if [[ "${SKIP_FUZZ:-0}" != 1 ]]; then
    step "fuzz: build with clang in $fuzz_dir"
    # The whole project is configured with clang; only the protocol library and the fuzzers
    # are built. fuzzer-no-link instruments the code under test for coverage.
    cmake -S . -B "$fuzz_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link \
        -DCHALK_FUZZ=ON -DCHALK_SANITIZE=ON \
        -DCHALK_BUILD_UI=OFF -DCHALK_BUILD_TESTS=OFF -DCHALK_BUILD_BENCH=OFF >/dev/null
    cmake --build "$fuzz_dir" -j"$jobs" --target chalk_fuzzers

    step "fuzz: ${fuzz_seconds}s per target"
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    artifacts="$root/$fuzz_dir/artifacts"
    mkdir -p "$artifacts"
    pids=()
    for f in "${fuzzers[@]}"; do
        mkdir -p "$scratch/$f"
        cp tests/fuzz/corpus/* "$scratch/$f/"
        # Side by side: the bound is wall time either way. libFuzzer checks each input for leaks.
        (cd "$scratch" && "$root/$fuzz_dir/tests/fuzz/$f" -max_total_time="$fuzz_seconds" \
            -max_len=20000 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -dict="$root/tests/fuzz/chalk.dict" -artifact_prefix="$artifacts/$f-" \
            "$scratch/$f" >"$scratch/$f.log" 2>&1) &
        pids+=($!)
    done
    failed=()
    for i in "${!fuzzers[@]}"; do
        if ! wait "${pids[$i]}"; then
            failed+=("${fuzzers[$i]}")
        fi
    done
    for f in "${fuzzers[@]}"; do
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$f.log")
        cov=$(grep -o 'cov: [0-9]*' "$scratch/$f.log" | tail -1)
        echo "$f: ${runs:-?} runs, ${cov:-cov: ?}"
    done
    if ((${#failed[@]})); then
        for f in "${failed[@]}"; do
            echo "---- $f FAILED; last lines of its log:"
            grep -v -E '^#[0-9]+ +(NEW|REDUCE|pulse)' "$scratch/$f.log" | tail -60
        done
        echo "Crashing inputs are in $artifacts/ (reproduce: $fuzz_dir/tests/fuzz/<target> <file>)."
        exit 1
    fi
fi

if [[ "${SKIP_ASAN:-0}" != 1 ]]; then
    step "asan: build the test suite with ASan+UBSan in $asan_dir"
    # -g1: line tables are enough for sanitizer stack traces and keep the cold build fast.
    cmake -S . -B "$asan_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
        -DCHALK_SANITIZE=ON -DCHALK_BUILD_TESTS=ON -DCHALK_BUILD_BENCH=OFF >/dev/null
    cmake --build "$asan_dir" -j"$jobs"

    step "asan: ctest (detect_leaks=$leaks)"
    # ASan prints the report; Qt Test's own crash handler would attach gdb and can hang.
    export QTEST_DISABLE_STACK_DUMP=1
    ctest --test-dir "$asan_dir" --output-on-failure -j"$jobs"
fi
