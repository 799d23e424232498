#!/usr/bin/env python3
"""Writes the seeded Poisson data set of the out-of-core benchmark straight to .ngb, one row group at a time
(docs/readme/ngb-format.md; memory: one group).

Columns: y, x1 … x19 (20 float64 columns, 160 bytes a row: 60 000 000 rows are 9.6 GB).
x_j ~ N(0, 1) independent; y ~ Poisson(exp(0.3 + Σ_j b_j x_j)) with b_j = 0.1·(-1)^j·(1 + j mod 3)/3.

    python3 scripts/make_out_of_core_data.py --rows 60000000 --output /tmp/poisson-60m.ngb
"""
import argparse
import struct

import numpy as np

MAGIC = bytes([0x89, 0x4E, 0x47, 0x42, 0x0D, 0x0A, 0x1A, 0x0A])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=60_000_000)
    parser.add_argument("--output", required=True)
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--rows-per-group", type=int, default=65_536)
    args = parser.parse_args()
    n, g, k = args.rows, args.rows_per_group, 19
    names = ["y"] + [f"x{j + 1}" for j in range(k)]
    beta = np.array([0.1 * (-1) ** j * (1 + j % 3) / 3 for j in range(1, k + 1)])
    rng = np.random.default_rng(args.seed)
    with open(args.output, "wb") as out:
        out.write(bytes(64))  # the header goes in last
        done = 0
        while done < n:
            r = min(g, n - done)
            x = rng.standard_normal((k, r))  # one row per feature: column-major for the group
            y = rng.poisson(np.exp(0.3 + beta @ x)).astype("<f8")
            out.write(y.tobytes())
            out.write(x.astype("<f8").tobytes())
            done += r
        tail = b""
        for name in names:
            b = name.encode()
            tail += struct.pack("<I", len(b)) + b + bytes([1])
        out.write(tail)
        row_bytes = 8 * len(names)
        header = MAGIC + struct.pack("<IIQII", 1, len(names), n, g, 0)
        header += struct.pack("<QQQQ", 64 + n * row_bytes, len(tail), 64, 0)
        assert len(header) == 64
        out.seek(0)
        out.write(header)


if __name__ == "__main__":
    main()
