#!/usr/bin/env bash
# Malloc counts (and timings) of the linear-algebra layer's hot loops: the package-benchmark suite in
# Benchmarks/ (a nested package, so the root build never compiles the benchmark framework).
# Fails when any measured loop allocated (malloc count p100 > 0): allocation counts are deterministic.
# Extra arguments pass through to `swift package benchmark` (e.g. --filter cholesky).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
cd Benchmarks
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
swift package --disable-sandbox benchmark --target LinearAlgebraAllocations \
    --metric mallocCountTotal --metric wallClock --no-progress "$@" | tee "$log"
# Table rows read "│ Malloc (total) * │ p0 │ p25 │ p50 │ p75 │ p90 │ p99 │ p100 │ Samples │".
awk -F'│' '
    /^[a-z0-9-]+$/ { name = $0 }
    /Malloc \(total\)/ { rows++; gsub(/ /, "", $9); if ($9 != "0") { print "allocations in " name ": " $9; bad++ } }
    END {
        if (rows == 0) { print "bench-allocations: no malloc counts found"; exit 1 }
        if (bad > 0) exit 1
        print "bench-allocations: " rows " benchmarks, 0 mallocs in every measured loop"
    }' "$log"
