#!/usr/bin/env python3
"""Writes claims.csv: 240 synthetic motor-insurance policies (seeded), for the `natgrad glm` example.

claims ~ Poisson(years * exp(-2.1 + 0.018*(age-40)... )): counts of claims over `years` of exposure.
"""
import numpy as np

rng = np.random.default_rng(7)
n = 240
age = rng.integers(18, 80, size=n)
vehicle_age = rng.integers(0, 15, size=n)
urban = (rng.uniform(size=n) < 0.55).astype(int)
years = np.round(rng.uniform(0.25, 3.0, size=n), 2)
rate = np.exp(-1.6 - 0.015 * (age - 45) + 0.04 * vehicle_age + 0.45 * urban)
claims = rng.poisson(years * rate)
with open("claims.csv", "w") as f:
    f.write("claims,years,age,vehicle_age,urban\n")
    for row in zip(claims, years, age, vehicle_age, urban):
        f.write("%d,%.2f,%d,%d,%d\n" % row)
