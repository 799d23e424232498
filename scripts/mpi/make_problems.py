#!/usr/bin/env python3
"""Seeded test problems for scripts/test-mpi.sh: CSV files whose distributed fits (mpirun -np 1, 2, 3)
must match the one-process fit of the same file.

Usage: python3 make_problems.py DIR   (writes DIR/*.csv and DIR/cases.txt: one case per line,
"name<TAB>file<TAB>natgrad glm arguments").

The files exercise what a split can get wrong: CRLF line endings, quoted fields holding the delimiter,
a row-label column, rows dropped for missing values, a categorical column whose levels occur only in
some parts of the file (one level only in the last rows, one only in the first), blank lines.
"""
import math
import os
import sys

import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(20261204)
cases = []


def write(name, header, rows, newline="\n"):
    path = os.path.join(out, name)
    with open(path, "w", newline="") as f:
        f.write(",".join(header) + newline)
        for r in rows:
            f.write(",".join(r) + newline)
    return path


def num(v):
    return "%.10g" % v


# 1. Poisson with exposure and frequency weights, numeric features, LF.
n = 3000
x1 = rng.normal(size=n)
x2 = rng.uniform(-1, 1, size=n)
x3 = rng.normal(size=n)
expo = rng.uniform(0.5, 2.0, size=n)
w = rng.integers(1, 4, size=n)
mu = expo * np.exp(0.4 + 0.5 * x1 - 0.3 * x2 + 0.2 * x3)
y = rng.poisson(mu)
write("poisson.csv", ["y", "x1", "x2", "x3", "expo", "w"],
      [[str(y[i]), num(x1[i]), num(x2[i]), num(x3[i]), num(expo[i]), str(w[i])] for i in range(n)])
cases.append(("poisson-exposure-weights", "poisson.csv",
              "--response y --family poisson --exposure expo --weights w --features x1,x2,x3"))

# 2. Binomial with trials and a text categorical column, CRLF, quoted fields with commas; level
#    "zeta" appears only in the last 5 rows, "alpha" only in the first 5.
n = 2400
levels = ["beta", "gamma", "delta"]
g = [levels[i] for i in rng.integers(0, 3, size=n)]
for i in range(5):
    g[i] = "alpha"
    g[n - 1 - i] = "zeta"
effect = {"alpha": 0.5, "beta": 0.0, "gamma": 0.3, "delta": -0.4, "zeta": 0.8}
x = rng.normal(size=n)
t = rng.integers(1, 10, size=n)
eta = np.array([-0.2 + 0.7 * x[i] + effect[g[i]] for i in range(n)])
s = rng.binomial(t, 1 / (1 + np.exp(-eta)))
notes = ['"a, b"', "plain", '"say ""hi"""']
write("binomial.csv", ["s", "t", "x", "g", "note"],
      [[str(s[i]), str(t[i]), num(x[i]), g[i], notes[i % 3]] for i in range(n)], newline="\r\n")
cases.append(("binomial-trials-categorical-crlf", "binomial.csv",
              "--response s --trials t --family binomial --features x,g"))

# 3. Gaussian with a row-label column (pandas' index), missing values dropped, blank lines.
n = 1500
x1 = rng.normal(size=n)
x2 = rng.normal(size=n)
y = 1.0 + 2.0 * x1 - 1.5 * x2 + rng.normal(scale=0.5, size=n)
rows = []
for i in range(n):
    cells = [str(i), num(y[i]), num(x1[i]), num(x2[i])]
    if i % 97 == 5:
        cells[2] = "NA"
    rows.append(cells)
path = write("gaussian.csv", ["", "y", "x1", "x2"], rows)
with open(path) as f:
    lines = f.read().split("\n")
lines.insert(700, "")
lines.insert(1100, "   ")
with open(path, "w") as f:
    f.write("\n".join(lines))
cases.append(("gaussian-labels-missing-blank-lines", "gaussian.csv", "--response y --missing drop"))

# 4. Gamma with the log link and a numeric column coded as categorical.
n = 2000
x = rng.normal(size=n)
k = rng.integers(1, 4, size=n)
mu = np.exp(0.3 + 0.4 * x + 0.2 * (k == 2) - 0.3 * (k == 3))
y = rng.gamma(shape=2.0, scale=mu / 2.0)
write("gamma.csv", ["y", "x", "k"], [[num(y[i]), num(x[i]), str(k[i])] for i in range(n)])
cases.append(("gamma-log-categorical-codes", "gamma.csv", "--response y --family gamma --link log --categorical k"))

# 5. The binomial problem in three shard files (each with the header), for --shard-pattern; the
#    one-process reference reads binomial.csv. Shard 1 gets no "alpha" or "zeta" rows.
with open(os.path.join(out, "binomial.csv"), newline="") as f:
    text = f.read().split("\r\n")
header, body = text[0], [r for r in text[1:] if r]
cuts = [0, 800, 1700, n if False else len(body)]
for part in range(3):
    with open(os.path.join(out, "binomial-part-%d.csv" % part), "w", newline="") as f:
        f.write(header + "\n")
        for r in body[cuts[part]:cuts[part + 1]]:
            f.write(r + "\n")

# 6. A quoted field spanning many lines: any split into two parts falls inside it.
with open(os.path.join(out, "multiline.csv"), "w") as f:
    f.write("y,x,comment\n1,0.5,short\n")
    f.write('2,1.5,"' + "\n".join("line %d of a long comment" % i for i in range(4000)) + '"\n')
    for i in range(20):
        f.write("%d,%g,ok\n" % (i % 5, i * 0.25))

with open(os.path.join(out, "cases.txt"), "w") as f:
    for c in cases:
        f.write("\t".join(c) + "\n")
