#!/usr/bin/env bash
# Installs the system libraries NatGrad links against (OpenBLAS, LAPACKE, pkg-config), and with --mpi
# also Open MPI (libopenmpi-dev, openmpi-bin: for `swift build --traits MPI` and scripts/test-mpi.sh).
# Idempotent: when the headers and pkg-config files are already present it does nothing.
set -euo pipefail

want_mpi=false
for argument in "$@"; do
    case "$argument" in
        --mpi) want_mpi=true ;;
        *) echo "setup.sh: unknown option '$argument' (known: --mpi)" >&2; exit 2 ;;
    esac
done

have_everything() {
    command -v pkg-config >/dev/null 2>&1 &&
    pkg-config --exists openblas 2>/dev/null &&
    [ -f "$(pkg-config --variable=includedir openblas)/cblas.h" ] &&
    [ -f /usr/include/lapacke.h ]
}

have_mpi() {
    command -v pkg-config >/dev/null 2>&1 &&
    pkg-config --exists ompi-c 2>/dev/null &&
    [ -f "$(pkg-config --variable=includedir ompi-c)/mpi.h" ] &&
    command -v mpirun >/dev/null 2>&1
}

packages=()
have_everything || packages+=(libopenblas-dev liblapacke-dev pkg-config)
if $want_mpi && ! have_mpi; then packages+=(libopenmpi-dev openmpi-bin); fi
if [ ${#packages[@]} -eq 0 ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "setup.sh: need root (or sudo) to install: ${packages[*]}" >&2
        exit 1
    fi
fi
echo "setup.sh: installing ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null; then
    $sudo apt-get update >/dev/null
    $sudo apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null
fi
have_everything || { echo "setup.sh: OpenBLAS/LAPACKE still not found after installing" >&2; exit 1; }
if $want_mpi; then
    have_mpi || { echo "setup.sh: Open MPI (pkg-config ompi-c, mpi.h, mpirun) still not found after installing" >&2; exit 1; }
fi
