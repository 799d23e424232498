#!/usr/bin/env bash
# The test command: set-up, build, every test, then the benchmark's CI speedup check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Small problems want one BLAS thread, and Swift Testing already runs tests in parallel.
export OPENBLAS_NUM_THREADS=1
swift build --build-tests
swift test --skip-build
swift build -c release --product natgrad-bench
"$(swift build -c release --show-bin-path)/natgrad-bench" --quick --check
