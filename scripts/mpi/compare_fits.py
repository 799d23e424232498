#!/usr/bin/env python3
"""Compares a distributed fit's JSON (natgrad glm --format json) with the one-process fit's.

Usage: python3 compare_fits.py REFERENCE.json CANDIDATE.json LABEL
Exit status 1 unless: the same coefficient names, n, rowsRead and rowsDropped; every estimate and the
deviance within 1e-12 relative (|a − b| ≤ 1e-12·|b|; the processes add their sums in a different order
than one process does, so the last bits differ, by ≈ 1e-15 per pass); standard errors within 1e-10
relative (they come from the inverse Fisher matrix, one more solve away).
"""
import json
import sys

ref = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[2]))
label = sys.argv[3]
problems = []
for key in ("n", "rowsRead", "rowsDropped", "family", "link", "converged"):
    if ref[key] != got[key]:
        problems.append("%s: %r vs %r" % (key, got[key], ref[key]))
names = [c["name"] for c in ref["coefficients"]]
if names != [c["name"] for c in got["coefficients"]]:
    problems.append("coefficient names %r vs %r" % ([c["name"] for c in got["coefficients"]], names))


def rel(a, b):
    return abs(a - b) / abs(b) if b != 0 else abs(a)


worst = 0.0
worst_se = 0.0
for a, b in zip(got["coefficients"], ref["coefficients"]):
    worst = max(worst, rel(a["estimate"], b["estimate"]))
    worst_se = max(worst_se, rel(a["standardError"], b["standardError"]))
worst_dev = rel(got["deviance"], ref["deviance"])
if worst > 1e-12:
    problems.append("estimates differ by %.3g relative (> 1e-12)" % worst)
if worst_dev > 1e-12:
    problems.append("deviance differs by %.3g relative (> 1e-12)" % worst_dev)
if worst_se > 1e-10:
    problems.append("standard errors differ by %.3g relative (> 1e-10)" % worst_se)
status = "FAIL" if problems else "ok"
print("%s %s: estimates %.2g, deviance %.2g, std. errors %.2g relative; iterations %d vs %d"
      % (status, label, worst, worst_dev, worst_se, got["iterations"], ref["iterations"]))
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
