#!/usr/bin/env bash
# One command: install what is missing, build, and open Chalkroom on its embedded server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
scripts/build.sh -DCHALK_BUILD_TESTS=OFF -DCHALK_BUILD_BENCH=OFF
exec build/app/chalkroom "$@"
