#!/usr/bin/env python3
"""Generates InferenceReferences.swift: references for the fits that used to fail, robust and clustered
covariances, residuals and influence measures, and predictions with confidence intervals (%.17g).

Run from this directory: python3 make_inference_references.py > ../InferenceReferences.swift
Needs numpy, scipy and statsmodels (0.15.0 used). Every statsmodels fit uses tol=1e-15, so the reference
is the converged optimum, not a stopping point. Where statsmodels is not the reference, the case says
what is: exact rational arithmetic (fractions.Fraction) for the ill-conditioned least-squares fits.
"""
import warnings
from fractions import Fraction

import numpy as np
import scipy
from scipy import optimize, stats
import statsmodels
import statsmodels.api as sm

warnings.simplefilter("ignore")
F = sm.families
L = sm.families.links
out = []


def fmt(v):
    v = float(v)
    if np.isnan(v):
        return ".nan"
    if np.isinf(v):
        return ".infinity" if v > 0 else "-.infinity"
    return "%.17g" % v


def arr(a):
    return "[" + ", ".join(fmt(v) for v in np.asarray(a, float).ravel()) + "]"


def let(name, value):
    out.append("let %s: [Double] = %s" % (name, arr(value)))


def scalar(name, value):
    out.append("let %s: Double = %s" % (name, fmt(value)))


def exact_least_squares(X, y):
    """β = (XᵀX)⁻¹Xᵀy, the dispersion φ = Σr²/(n − p) and the standard errors √(φ[(XᵀX)⁻¹]ⱼⱼ), all in
    exact rational arithmetic from the double inputs (then rounded once)."""
    n, p = X.shape
    Xf = [[Fraction(float(v)) for v in row] for row in X]
    yf = [Fraction(float(v)) for v in y]
    A = [[sum(Xf[i][a] * Xf[i][b] for i in range(n)) for b in range(p)] for a in range(p)]
    M = [A[i] + [sum(Xf[k][i] * yf[k] for k in range(n))] + [Fraction(int(i == j)) for j in range(p)]
         for i in range(p)]
    for c in range(p):
        piv = M[c][c]
        M[c] = [v / piv for v in M[c]]
        for r in range(p):
            if r != c:
                f = M[r][c]
                M[r] = [M[r][k] - f * M[c][k] for k in range(len(M[c]))]
    beta = [M[i][p] for i in range(p)]
    inverse = [[M[i][p + 1 + j] for j in range(p)] for i in range(p)]
    resid = [yf[i] - sum(Xf[i][j] * beta[j] for j in range(p)) for i in range(n)]
    phi = sum(r * r for r in resid) / (n - p)
    se = [float(phi * inverse[j][j]) ** 0.5 for j in range(p)]
    return [float(b) for b in beta], se


# MARK: The fits that used to fail

# Probit on nearly separated data: one overlapping pair 0.002 apart; the MLE exists (finite) with a large
# slope. statsmodels' IRLS and scipy's Nelder–Mead on the log-likelihood must agree.
px = np.array([-1, -0.8, -0.6, -0.4, -0.2, -0.05, 0.0, 0.002, 0.05, 0.2, 0.4, 0.6, 0.8, 1.0])
py = np.array([0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1], float)
PX = sm.add_constant(px)
pr = sm.GLM(py, PX, family=F.Binomial(L.Probit())).fit(tol=1e-15, maxiter=1000)
nll = lambda b: -np.sum(py * stats.norm.logcdf(PX @ b) + (1 - py) * stats.norm.logcdf(-(PX @ b)))
opt = optimize.minimize(nll, [0, 1], method="Nelder-Mead",
                        options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 20000})
assert np.allclose(opt.x, pr.params, rtol=1e-6), (opt.x, pr.params)
out.append("// Probit near separation (statsmodels; scipy's Nelder–Mead agrees to 1e-6: %s)." % arr(opt.x))
let("probitX", px)
let("probitY", py)
let("probitCoefficients", pr.params)
let("probitStandardErrors", pr.bse)
scalar("probitDeviance", pr.deviance)

# Uncentred features with a small relative spread: Unix timestamps over 6 hours, YYYYMMDD dates within a
# month. Reference: exact rational least squares (statsmodels' pinv-based answer is off by ~1e-12 in β and
# ~1 % in the dispersion here, the conditioning of [1, t] being ≈ 5e14).
rng = np.random.default_rng(20261204)
n = 40
ts = 1.7e9 + np.sort(rng.integers(0, 6 * 3600, size=n)).astype(float)
tsy = np.round(3.0 + 2e-4 * (ts - 1.7e9) + rng.normal(scale=0.3, size=n), 4)
b, se = exact_least_squares(np.column_stack([np.ones(n), ts]), tsy)
out.append("// Unix timestamps (exact rational least squares).")
let("timestampX", ts)
let("timestampY", tsy)
let("timestampCoefficients", b)
let("timestampStandardErrors", se)
dates = np.array([20251101 + k for k in rng.integers(0, 30, size=n)], float)
datey = np.round(1 + 0.05 * (dates - 20251101) + rng.normal(scale=0.2, size=n), 4)
b, se = exact_least_squares(np.column_stack([np.ones(n), dates]), datey)
out.append("// YYYYMMDD dates within a month (exact rational least squares).")
let("dateX", dates)
let("dateY", datey)
let("dateCoefficients", b)
let("dateStandardErrors", se)
# A Poisson rate in the timestamps: statsmodels (both sides limited by the conditioning: 1e-6 in the test).
tpy = rng.poisson(np.exp(0.5 + 1e-4 * (ts - 1.7e9))).astype(float)
tr = sm.GLM(tpy, sm.add_constant(ts), family=F.Poisson()).fit(tol=1e-15, maxiter=1000)
out.append("// Poisson counts against the timestamps (statsmodels).")
let("timestampCounts", tpy)
let("timestampPoissonCoefficients", tr.params)
let("timestampPoissonStandardErrors", tr.bse)

# MARK: Covariance types
# Shared data: n = 60, design [1, x1, x2], 8 clusters. statsmodels' GLM gives nonrobust, HC0 and cluster
# directly (fit(cov_type=…, use_t=False)); it returns HC0 for HC1–HC3, so those are built from its own
# pieces (score_obs, hessian, get_hat_matrix_diag) by the textbook corrections, checked against OLS's
# HC1–HC3 for the Gaussian and against its HC0 for every case.
rng = np.random.default_rng(20261205)
cn = 60
cx1 = np.round(rng.normal(size=cn), 4)
cx2 = np.round(rng.uniform(-1, 1, size=cn), 4)
CX = np.column_stack([np.ones(cn), cx1, cx2])
groups = rng.integers(0, 8, size=cn)
ceta = 0.2 + 0.6 * cx1 - 0.5 * cx2
cov_cases = [
    ("gaussian", "gaussian", "identity", F.Gaussian(),
     np.round(1 + ceta + rng.normal(scale=0.4 + 0.4 * np.abs(cx1), size=cn), 4)),
    ("poisson", "poisson", "log", F.Poisson(), rng.poisson(np.exp(ceta) * rng.gamma(2, 0.5, size=cn)).astype(float)),
    ("logistic", "binomial", "logit", F.Binomial(), (rng.uniform(size=cn) < 1 / (1 + np.exp(-ceta))).astype(float)),
    ("gammaLog", "gamma", "log", F.Gamma(L.Log()), np.round(rng.gamma(2.0, np.exp(ceta) / 2.0), 5) + 1e-5),
]
out.append("")
out.append("struct CovarianceCase: Sendable {")
out.append("    let name: String; let family: GLMFamily; let link: GLMLink; let y: [Double]")
out.append("    /// p × p, row-major, for nonrobust, HC0, HC1, HC2, HC3, cluster.")
out.append("    let covariances: [[Double]]")
out.append("    /// statsmodels' conf_int(alpha = 0.1) with HC0: lower then upper per coefficient.")
out.append("    let hc0Interval90: [Double]")
out.append("}")
let("covarianceX1", cx1)
let("covarianceX2", cx2)
out.append("let covarianceGroups: [Int] = [" + ", ".join(str(int(g)) for g in groups) + "]")
out.append("let covarianceCases: [CovarianceCase] = [")
for name, fam, link, fobj, y in cov_cases:
    model = sm.GLM(y, CX, family=fobj)
    r = {t: model.fit(tol=1e-15, maxiter=1000, cov_type=t, use_t=False) for t in ["nonrobust", "HC0"]}
    rc = model.fit(tol=1e-15, maxiter=1000, cov_type="cluster", cov_kwds={"groups": groups}, use_t=False)
    base = r["HC0"]
    params = base.params
    xu = model.score_obs(params)
    hinv = np.linalg.inv(model.hessian(params))
    h = base.get_hat_matrix_diag()
    def sandwich(w):
        return hinv @ (xu.T * w) @ xu @ hinv
    hc0 = sandwich(np.ones(cn))
    assert np.allclose(hc0, base.cov_params(), rtol=1e-10, atol=0), name
    hc1 = cn / (cn - 3) * hc0
    hc2 = sandwich(1 / (1 - h))
    hc3 = sandwich(1 / (1 - h) ** 2)
    if fam == "gaussian":
        for t, mine in [("HC1", hc1), ("HC2", hc2), ("HC3", hc3)]:
            ols = sm.OLS(y, CX).fit(cov_type=t)
            assert np.allclose(mine, ols.cov_params(), rtol=1e-10, atol=0), t
    ci = base.conf_int(alpha=0.1)
    covs = [r["nonrobust"].cov_params(), hc0, hc1, hc2, hc3, rc.cov_params()]
    out.append('    CovarianceCase(name: "%s", family: .%s, link: .%s, y: %s,' % (name, fam, link, arr(y)))
    out.append("        covariances: [" + ", ".join(arr(np.asarray(c)) for c in covs) + "],")
    out.append("        hc0Interval90: %s)," % arr(np.concatenate([ci[:, 0], ci[:, 1]])))
out.append("]")

# MARK: Residuals and influence
# The covariance cases' data plus exposure and binomial trials; statsmodels' resid_response, resid_pearson,
# resid_deviance, resid_working, get_hat_matrix_diag() and get_influence().cooks_distance[0].
cexpo = np.round(rng.uniform(0.5, 3, size=cn), 3)
ctrials = rng.integers(1, 9, size=cn).astype(float)
ysucc = rng.binomial(ctrials.astype(int), 1 / (1 + np.exp(-ceta))).astype(float)
res_cases = [
    ("poissonExposure", "poisson", "log", F.Poisson(), cov_cases[1][4], dict(exposure=cexpo), None),
    ("logistic", "binomial", "logit", F.Binomial(), cov_cases[2][4], {}, None),
    ("gammaLog", "gamma", "log", F.Gamma(L.Log()), cov_cases[3][4], {}, None),
    ("binomialTrials", "binomial", "logit", F.Binomial(), ysucc, {}, ctrials),
    ("probit", "binomial", "probit", F.Binomial(L.Probit()), cov_cases[2][4], {}, None),
]
out.append("")
out.append("struct ResidualCase: Sendable {")
out.append("    let name: String; let family: GLMFamily; let link: GLMLink; let y: [Double]")
out.append("    let exposure: [Double]?; let trials: [Double]?")
out.append("    let response: [Double]; let pearson: [Double]; let deviance: [Double]; let working: [Double]")
out.append("    let leverage: [Double]; let cooksDistance: [Double]")
out.append("}")
out.append("let residualCases: [ResidualCase] = [")
for name, fam, link, fobj, y, kw, tr in res_cases:
    endog = np.column_stack([y, tr - y]) if tr is not None else y
    r = sm.GLM(endog, CX, family=fobj, **kw).fit(tol=1e-15, maxiter=1000)
    infl = r.get_influence()
    working = r.resid_working if tr is None else r.resid_working / tr ** 2  # statsmodels' extra trials²
    def opt(v):
        return "nil" if v is None else arr(v)
    out.append('    ResidualCase(name: "%s", family: .%s, link: .%s, y: %s, exposure: %s, trials: %s,'
               % (name, fam, link, arr(y), opt(kw.get("exposure")), opt(tr)))
    out.append("        response: %s, pearson: %s, deviance: %s, working: %s," % (
        arr(r.resid_response), arr(r.resid_pearson), arr(r.resid_deviance), arr(working)))
    out.append("        leverage: %s, cooksDistance: %s)," % (arr(r.get_hat_matrix_diag()), arr(infl.cooks_distance[0])))
out.append("]")

# MARK: Prediction
# Training data with a three-level categorical (treatment coded, reference "a": dummies b, c) and new rows
# with their own exposure; statsmodels' get_prediction(new, exposure=…/offset=…).summary_frame(alpha).
import pandas as pd
import statsmodels.formula.api as smf
region = rng.choice(["a", "b", "c"], size=cn)
train = pd.DataFrame({"x1": cx1, "x2": cx2, "region": region, "expo": cexpo})
train["yp"] = rng.poisson(cexpo * np.exp(0.1 + 0.5 * cx1 + 0.3 * (region == "b") - 0.4 * (region == "c")))
train["yb"] = (rng.uniform(size=cn) < 1 / (1 + np.exp(-(0.2 + 0.8 * cx1 - 0.6 * (region == "c"))))).astype(float)
train["yg"] = np.round(rng.gamma(2.0, np.exp(0.3 + 0.4 * cx1 + 0.2 * (region == "b")) / 2.0), 5) + 1e-5
new = pd.DataFrame({"x1": [-1.2, 0.0, 0.35, 2.1, -0.4], "x2": [0.5, -0.25, 0.9, 0.0, -0.8],
                    "region": ["a", "b", "c", "b", "c"], "expo": [0.5, 1.0, 2.5, 1.7, 3.2]})
pred_cases = [
    ("poissonExposure", "poisson", "log", F.Poisson(), "yp", True, "nonrobust", 0.05),
    ("logisticHC0", "binomial", "logit", F.Binomial(), "yb", False, "HC0", 0.05),
    ("gammaLog90", "gamma", "log", F.Gamma(L.Log()), "yg", False, "nonrobust", 0.1),
]
def dummies(df):
    return np.column_stack([df.x1, df.x2, (df.region == "b").astype(float), (df.region == "c").astype(float)])
let("predictionTrainFeatures", dummies(train).T)  # column-major n × 4: x1, x2, region b, region c
let("predictionTrainExposure", train.expo)
let("predictionNewFeatures", dummies(new).T)
let("predictionNewExposure", new.expo)
out.append("struct PredictionCase: Sendable {")
out.append("    let name: String; let family: GLMFamily; let link: GLMLink; let y: [Double]; let usesExposure: Bool")
out.append("    let covarianceHC0: Bool; let level: Double")
out.append("    let mean: [Double]; let meanStandardError: [Double]; let meanLower: [Double]; let meanUpper: [Double]")
out.append("}")
out.append("let predictionCases: [PredictionCase] = [")
for name, fam, link, fobj, col, use_expo, ct, alpha in pred_cases:
    kw = dict(exposure=train.expo) if use_expo else {}
    m = smf.glm(col + " ~ x1 + x2 + C(region)", data=train, family=fobj, **kw)
    # The same design as the stored columns (intercept, x1, x2, b, c) up to column order.
    assert list(m.exog_names) == ["Intercept", "C(region)[T.b]", "C(region)[T.c]", "x1", "x2"], m.exog_names
    r = m.fit(tol=1e-15, maxiter=1000, cov_type=ct, use_t=False)
    pkw = dict(exposure=new.expo) if use_expo else {}
    sf = r.get_prediction(new, **pkw).summary_frame(alpha=alpha)
    out.append('    PredictionCase(name: "%s", family: .%s, link: .%s, y: %s, usesExposure: %s, covarianceHC0: %s, level: %s,'
               % (name, fam, link, arr(train[col]), "true" if use_expo else "false", "true" if ct == "HC0" else "false",
                  fmt(1 - alpha)))
    out.append("        mean: %s, meanStandardError: %s, meanLower: %s, meanUpper: %s)," % (
        arr(sf["mean"]), arr(sf["mean_se"]), arr(sf["mean_ci_lower"]), arr(sf["mean_ci_upper"])))
out.append("]")

print("// Generated by Support/make_inference_references.py with statsmodels " + statsmodels.__version__
      + ", numpy " + np.__version__ + " and scipy " + scipy.__version__ + "; do not edit.")
print("@testable import GeneralizedLinearModels")
print()
print("\n".join(out))
