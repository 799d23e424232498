#!/usr/bin/env python3
"""Compares a distributed variational fit's JSON (natgrad vi --format json) with the one-process fit's.

Usage: python3 compare_posteriors.py REFERENCE.json CANDIDATE.json LABEL
Exit status 1 unless: the same model, covariance kind, coefficient names and convergence; the mean,
the covariance matrix (or the variances) and the ELBO within 1e-10 relative. The processes add each
pass's sums in another order than one process does (≈ 1e-15 relative per pass); the fit stops at a
relative step ≤ 1e-12, so the posteriors may differ by about that much, not more.
"""
import json
import sys

ref = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[2]))
label = sys.argv[3]
problems = []
for key in ("model", "covariance", "names", "converged"):
    if ref[key] != got[key]:
        problems.append("%s: %r vs %r" % (key, got[key], ref[key]))


def rel(a, b):
    return abs(a - b) / abs(b) if b != 0 else abs(a)


def worst(a, b):
    return max((rel(x, y) for x, y in zip(a, b)), default=0.0)


mean = worst(got["mean"], ref["mean"])
if "covarianceMatrix" in ref:
    spread = worst([v for row in got.get("covarianceMatrix", []) for v in row],
                   [v for row in ref["covarianceMatrix"] for v in row])
    if "covarianceMatrix" not in got:
        problems.append("no covarianceMatrix")
else:
    spread = worst(got.get("variances", []), ref["variances"])
elbo = rel(got["elbo"], ref["elbo"])
for name, value in (("mean", mean), ("covariance", spread), ("ELBO", elbo)):
    if value > 1e-10:
        problems.append("%s differs by %.3g relative (> 1e-10)" % (name, value))
status = "FAIL" if problems else "ok"
print("%s %s: mean %.2g, covariance %.2g, ELBO %.2g relative; iterations %d vs %d"
      % (status, label, mean, spread, elbo, got["iterations"], ref["iterations"]))
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
