#!/usr/bin/env bash
# The benchmark command: set-up, release build, then the comparison executable (arguments pass through).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
swift build -c release --product natgrad-bench
"$(swift build -c release --show-bin-path)/natgrad-bench" "$@"
