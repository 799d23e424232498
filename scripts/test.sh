#!/usr/bin/env bash
# The test command: set-up, build, every test, then the benchmark's CI speedup check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Small problems want one BLAS thread, and Swift Testing already runs tests in parallel.
export OPENBLAS_NUM_THREADS=1
swift build --build-tests
swift test --skip-build
# The paths without the AVX-512 kernels (what a processor without AVX-512F runs): the modules that use them.
NATGRAD_KERNELS=off swift test --skip-build --filter "LinearAlgebraTests|GeneralizedLinearModelsTests|natgradTests"
# Distributed fits over Open MPI: mpirun -np 1/2/3 against the one-process fit, an error in one rank's rows,
# a killed rank (installs Open MPI via setup.sh --mpi; builds with the MPI trait in .build-mpi).
bash scripts/test-mpi.sh
# An application's view: a separate package (Swift 5 mode) that depends on NatGrad by path, runs the
# README's "Using NatGrad from your package" program, then calls every public entry point that receives
# data with mismatched shapes. Each must throw; a trap ends the process with a signal and fails this script.
swift build --package-path Tests/Consumer --product natgrad-consumer
"$(swift build --package-path Tests/Consumer --show-bin-path)/natgrad-consumer"
# The mutation lists still point at code that exists (no build; the mutation run itself is not part of CI).
python3 scripts/mutation-check --check
# Every module's DocC archive, with zero warnings (≈ 30 s after the debug build above).
bash scripts/docs.sh
swift build -c release --product natgrad-bench
"$(swift build -c release --show-bin-path)/natgrad-bench" --quick --check
