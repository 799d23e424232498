#!/usr/bin/env bash
# Installs the system libraries NatGrad links against (OpenBLAS, LAPACKE, pkg-config).
# Idempotent: when the headers and pkg-config file are already present it does nothing.
set -euo pipefail

have_everything() {
    command -v pkg-config >/dev/null 2>&1 &&
    pkg-config --exists openblas 2>/dev/null &&
    [ -f "$(pkg-config --variable=includedir openblas)/cblas.h" ] &&
    [ -f /usr/include/lapacke.h ]
}

if have_everything; then
    exit 0
fi

packages=(libopenblas-dev liblapacke-dev pkg-config)
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
