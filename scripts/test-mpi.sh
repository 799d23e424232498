#!/usr/bin/env bash
# The MPI tests (issue 15): natgrad built with the MPI trait in its own scratch path (.build-mpi, so the
# default build is not disturbed), then, every mpirun bounded by `timeout`:
#   1. mpirun -np 1, 2, 3 natgrad glm … --distributed (byte-range shares of one file, and one file per rank
#      with --shard-pattern) give the one-process fit's coefficients within 1e-12 relative;
#   2. a missing value at a row only rank 1 reads stops every rank, non-zero, with the one-process
#      command's message (the row numbered as in the file); a quoted field cut by the split is reported;
#   3. a rank killed with SIGKILL ends the job, non-zero, within a bounded wait;
#   4. mpirun -np 1, 2, 3 natgrad vi … --distributed (full and mean-field posteriors, the same files) give
#      the one-process posterior within 1e-10 relative; a bad row only rank 1 reads stops every rank with
#      the one-process message.
# Installs Open MPI through scripts/setup.sh --mpi.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --mpi
export OPENBLAS_NUM_THREADS=1
swift build --traits MPI --scratch-path .build-mpi --product natgrad
bin="$(swift build --traits MPI --scratch-path .build-mpi --show-bin-path)/natgrad"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 scripts/mpi/make_problems.py "$work"
if [ "$(id -u)" -eq 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
# Loopback only; as many ranks as asked whatever the core count.
# mpirun forwards its standard input to rank 0: give it none.
mpi() { local np=$1; shift; timeout 120 mpirun --oversubscribe -np "$np" "$@" </dev/null; }
failures=0
fail() { echo "FAIL $*" >&2; failures=$((failures + 1)); }

# 1. Agreement with the one-process fit.
while IFS=$'\t' read -r -u 3 name file args; do
    # shellcheck disable=SC2086
    "$bin" glm "$work/$file" $args --format json >"$work/$name.ref.json" 2>/dev/null
    for np in 1 2 3; do
        # shellcheck disable=SC2086
        if mpi "$np" "$bin" glm "$work/$file" $args --format json --distributed >"$work/$name.$np.json" 2>"$work/err"; then
            python3 scripts/mpi/compare_fits.py "$work/$name.ref.json" "$work/$name.$np.json" "$name -np $np" || fail "$name -np $np"
        else
            fail "$name -np $np exited non-zero:"; cat "$work/err" >&2
        fi
    done
done 3<"$work/cases.txt"
shard_args="--response s --trials t --family binomial --features x,g --format json"
# shellcheck disable=SC2086
"$bin" glm "$work/binomial.csv" $shard_args >"$work/shards.ref.json"
# shellcheck disable=SC2086
if mpi 3 "$bin" glm binomial --distributed --shard-pattern "$work/binomial-part-{rank}.csv" $shard_args >"$work/shards.json" 2>"$work/err"; then
    python3 scripts/mpi/compare_fits.py "$work/shards.ref.json" "$work/shards.json" "shard-pattern -np 3" || fail "shard-pattern"
else
    fail "shard-pattern -np 3 exited non-zero:"; cat "$work/err" >&2
fi

# Threads inside each rank do not change the result: -np 2 with --threads 3 prints the same bytes as with 1.
pargs="--response y --family poisson --exposure expo --weights w --features x1,x2,x3 --format json --distributed"
# shellcheck disable=SC2086
mpi 2 "$bin" glm "$work/poisson.csv" $pargs --threads 1 >"$work/threads-1.json"
# shellcheck disable=SC2086
mpi 2 "$bin" glm "$work/poisson.csv" $pargs --threads 3 >"$work/threads-3.json"
if cmp -s "$work/threads-1.json" "$work/threads-3.json"; then echo "ok -np 2 --threads 1 and 3: identical output"
else fail "-np 2: --threads 3 changed the output"; fi

# 2. Errors at data row 2800 (line 2801), which with 2 ranks only rank 1 reads: a missing value (found
#    while reading) and a negative weight (found by the fit): every rank exits non-zero and rank 0 prints
#    the one-process command's message.
awk -F, -v OFS=, 'NR == 2801 { $2 = "NaN" } { print }' "$work/poisson.csv" >"$work/bad-nan.csv"
awk -F, -v OFS=, 'NR == 2801 { $6 = "-1" } { print }' "$work/poisson.csv" >"$work/bad-weight.csv"
args="--response y --family poisson --exposure expo --weights w --features x1,x2,x3"
for bad in nan weight; do
    # shellcheck disable=SC2086
    "$bin" glm "$work/bad-$bad.csv" $args >/dev/null 2>"$work/$bad.ref.err" && fail "one process accepted the bad $bad"
    for np in 2 3; do
        # shellcheck disable=SC2086
        if mpi "$np" "$bin" glm "$work/bad-$bad.csv" $args --distributed >/dev/null 2>"$work/$bad.err"; then
            fail "bad $bad in rank 1's rows: -np $np exited 0"
        elif ! grep -Fxq "$(cat "$work/$bad.ref.err")" "$work/$bad.err"; then
            fail "bad $bad in rank 1's rows: -np $np did not print the one-process message '$(cat "$work/$bad.ref.err")':"
            cat "$work/$bad.err" >&2
        else
            echo "ok bad $bad at line 2801, -np $np: $(grep -F 'row 2801' "$work/$bad.err")"
        fi
    done
done
if mpi 2 "$bin" glm "$work/multiline.csv" --response y --features x --distributed >/dev/null 2>"$work/err"; then
    fail "a quoted field cut by the split was not reported"
elif grep -q "quoted field" "$work/err"; then
    echo "ok quoted field across the split: $(grep -m1 'quoted field' "$work/err" | cut -c1-160)…"
else
    fail "a quoted field cut by the split gave another message:"; cat "$work/err" >&2
fi

# 3. A rank that dies: rank 1 blocks opening a FIFO (its shard), rank 0 waits in a collective; killing
#    rank 1 must end the job non-zero within the bound.
mkfifo "$work/dead-1.csv"
cp "$work/binomial-part-0.csv" "$work/dead-0.csv"
start=$(date +%s)
# shellcheck disable=SC2086
mpi 2 "$bin" glm dead --distributed --shard-pattern "$work/dead-{rank}.csv" $shard_args >/dev/null 2>"$work/dead.err" &
job=$!
victim=""
for _ in $(seq 1 100); do
    for pid in $(ps -e -o pid=,args= | grep -F -- "$work/dead-{rank}.csv" | awk '{ print $1 }'); do
        if { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1' &&
           [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$bin")" ]; then victim=$pid; fi
    done
    [ -n "$victim" ] && break
    sleep 0.2
done
if [ -z "$victim" ]; then
    fail "rank 1 of the kill test never started"; kill "$job" 2>/dev/null || true
else
    sleep 1
    kill -9 "$victim"
    if wait "$job"; then status=0; else status=$?; fi
    elapsed=$(( $(date +%s) - start ))
    if [ "$status" -eq 0 ]; then fail "killed rank: the job exited 0"
    elif [ "$status" -eq 124 ]; then fail "killed rank: the job hung until the 120 s timeout"
    else echo "ok killed rank 1: the job ended with status $status after ${elapsed} s"; fi
fi

# 4. natgrad vi --distributed: the same shares, the posterior of one process.
cat >"$work/vi-cases.txt" <<CASES
vi-poisson-full	poisson.csv	--family poisson --response y --exposure expo --weights w --features x1,x2,x3
vi-poisson-diagonal	poisson.csv	--family poisson --response y --exposure expo --weights w --features x1,x2,x3 --covariance diagonal
vi-binomial-full	binomial.csv	--family binomial --response s --trials t --features x,g
vi-gaussian-diagonal	gaussian.csv	--family gaussian --response y --missing drop --covariance diagonal
vi-gamma-full	gamma.csv	--family gamma --response y --categorical k
CASES
while IFS=$'\t' read -r -u 3 name file args; do
    # shellcheck disable=SC2086
    "$bin" vi "$work/$file" $args --format json >"$work/$name.ref.json" 2>/dev/null
    for np in 1 2 3; do
        # shellcheck disable=SC2086
        if mpi "$np" "$bin" vi "$work/$file" $args --format json --distributed >"$work/$name.$np.json" 2>"$work/err"; then
            python3 scripts/mpi/compare_posteriors.py "$work/$name.ref.json" "$work/$name.$np.json" "$name -np $np" || fail "$name -np $np"
        else
            fail "$name -np $np exited non-zero:"; cat "$work/err" >&2
        fi
    done
done 3<"$work/vi-cases.txt"
vargs="--family poisson --response y --exposure expo --weights w --features x1,x2,x3"
# shellcheck disable=SC2086
"$bin" vi "$work/bad-weight.csv" $vargs >/dev/null 2>"$work/vi-weight.ref.err" && fail "vi: one process accepted the bad weight"
# shellcheck disable=SC2086
if mpi 2 "$bin" vi "$work/bad-weight.csv" $vargs --distributed >/dev/null 2>"$work/vi-weight.err"; then
    fail "vi: bad weight in rank 1's rows: -np 2 exited 0"
elif ! grep -Fxq "$(cat "$work/vi-weight.ref.err")" "$work/vi-weight.err"; then
    fail "vi: bad weight in rank 1's rows: -np 2 did not print the one-process message '$(cat "$work/vi-weight.ref.err")':"
    cat "$work/vi-weight.err" >&2
else
    echo "ok vi bad weight at line 2801, -np 2: $(grep -F '2801' "$work/vi-weight.err")"
fi
# shellcheck disable=SC2086
mpi 2 "$bin" vi "$work/poisson.csv" $vargs --format json --distributed --threads 1 >"$work/vi-threads-1.json"
# shellcheck disable=SC2086
mpi 2 "$bin" vi "$work/poisson.csv" $vargs --format json --distributed --threads 3 >"$work/vi-threads-3.json"
if cmp -s "$work/vi-threads-1.json" "$work/vi-threads-3.json"; then echo "ok vi -np 2 --threads 1 and 3: identical output"
else fail "vi -np 2: --threads 3 changed the output"; fi

if [ "$failures" -gt 0 ]; then echo "test-mpi.sh: $failures failure(s)" >&2; exit 1; fi
echo "test-mpi.sh: all MPI tests passed"
