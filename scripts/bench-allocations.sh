#!/usr/bin/env bash
# Malloc counts (and timings) of the linear-algebra layer's hot loops and of GLM fits: the package-benchmark suites in
# Benchmarks/ (a nested package, so the root build never compiles the benchmark framework).
# Fails when any measured loop allocated (malloc count p100 > 0), or when a GLM fit allocates per
# iteration (see below): allocation counts are deterministic.
# Extra arguments pass through to `swift package benchmark` (e.g. --filter cholesky).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
cd Benchmarks
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
swift package --disable-sandbox benchmark --target LinearAlgebraAllocations --target GLMAllocations \
    --metric mallocCountTotal --metric wallClock --no-progress "$@" | tee "$log"
# Table rows read "│ Malloc (total) * │ p0 │ p25 │ p50 │ p75 │ p90 │ p99 │ p100 │ Samples │".
# Benchmarks named glm-<model>-cap<k> are whole GLM fits capped at k iterations (they allocate their
# workspaces): for each model, (count at the larger cap − count at the smaller) / (difference in caps)
# is the number of allocations per iteration, which must be 0.
awk -F'│' '
    /^[a-z0-9-]+$/ { name = $0 }
    /Malloc \(total\)/ {
        rows++; gsub(/ /, "", $9)
        if (name ~ /^glm-.*-cap[0-9]+$/) {
            model = name; sub(/-cap[0-9]+$/, "", model)
            cap = name; sub(/^.*-cap/, "", cap)
            if (!(model in low) || cap + 0 < low[model] + 0) low[model] = cap
            if (!(model in high) || cap + 0 > high[model] + 0) high[model] = cap
            count[model, cap] = $9
            next
        }
        if ($9 != "0") { print "allocations in " name ": " $9; bad++ }
    }
    END {
        if (rows == 0) { print "bench-allocations: no malloc counts found"; exit 1 }
        for (model in low) {
            a = low[model]; b = high[model]
            if (a == b) { print model ": needs two iteration caps"; bad++; continue }
            per = (count[model, b] - count[model, a]) / (b - a)
            print model ": " count[model, a] " mallocs for a fit capped at " a " iterations, " count[model, b] \
                " at " b ": " per " per iteration"
            if (per != 0) bad++
        }
        if (bad > 0) exit 1
        print "bench-allocations: " rows " benchmarks, 0 mallocs in every measured loop and per GLM iteration"
    }' "$log"
