#!/usr/bin/env bash
# One command: install what is missing, build, and run the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
scripts/build.sh -DCHALK_BUILD_TESTS=ON -DCHALK_BUILD_BENCH=ON
export QT_QPA_PLATFORM=offscreen QT_NO_GLIB=1
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"${JOBS:-2}"
