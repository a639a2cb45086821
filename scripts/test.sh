#!/usr/bin/env bash
# One command: install what is missing, build, and run the whole test suite with CTest; then the
# hardening checks (bounded fuzzing, the suite under ASan+UBSan: scripts/ci-hardening.sh).
# HARDENING=0 skips the latter. The last lines printed are the normal run's CTest summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
scripts/build.sh -DCHALK_BUILD_TESTS=ON -DCHALK_BUILD_BENCH=ON
export QT_QPA_PLATFORM=offscreen QT_NO_GLIB=1
build_dir=${BUILD_DIR:-build}
if [[ "${HARDENING:-1}" == 0 ]]; then
    exec ctest --test-dir "$build_dir" --output-on-failure -j"${JOBS:-2}"
fi

log="$build_dir/ctest-output.log"
status=0
# pipefail: the pipeline fails when ctest does.
ctest --test-dir "$build_dir" --output-on-failure -j"${JOBS:-2}" | tee "$log" || status=1
hardening=0
scripts/ci-hardening.sh || hardening=1

echo
echo "==== hardening: $( ((hardening)) && echo FAILED || echo passed) (scripts/ci-hardening.sh)"
echo "==== CTest summary of the normal build ($build_dir):"
sed -n '/tests passed, .* tests failed out of/,$p' "$log"
exit $((status | hardening))
