#!/usr/bin/env python3
"""The seeded Poisson problem of docs/readme/distributed.md: n rows, d features x1..xd ~ N(0, 1) rounded
to 3 decimals (clipped to ±5), y ~ Poisson(exp(0.3 + Σ bⱼ xⱼ)) with bⱼ ~ U(−0.1, 0.1).

Usage: python3 make_benchmark.py OUT.csv [n] [d]   (defaults 1000000 and 50; about 0.4 GB)
The cells are looked up in a table of the 10 001 possible texts, so writing takes seconds, not minutes.
"""
import sys

import numpy as np

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
d = int(sys.argv[3]) if len(sys.argv) > 3 else 50
rng = np.random.default_rng(20261204)
b = rng.uniform(-0.1, 0.1, size=d)
texts = np.array(["%.3f" % (k / 1000) for k in range(-5000, 5001)], dtype=object)
with open(path, "w") as f:
    f.write(",".join(["y"] + ["x%d" % (j + 1) for j in range(d)]) + "\n")
    block = 50_000
    for start in range(0, n, block):
        m = min(block, n - start)
        codes = np.clip(np.rint(rng.normal(size=(m, d)) * 1000), -5000, 5000).astype(np.int64)
        y = rng.poisson(np.exp(0.3 + (codes / 1000) @ b))
        cells = texts[codes + 5000]
        f.write("".join(str(y[i]) + "," + ",".join(cells[i]) + "\n" for i in range(m)))
