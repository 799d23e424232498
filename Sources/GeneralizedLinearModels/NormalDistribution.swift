import RealModule

/// φ(x) = exp(−x²/2)/√(2π).
@inline(__always)
func standardNormalDensity(_ x: Double) -> Double {
    0.398_942_280_401_432_677_94 * Double.exp(-0.5 * x * x)
}

/// Φ(x) = erfc(−x/√2)/2, accurate in both tails (no cancellation for x ≪ 0).
@inline(__always)
func standardNormalCDF(_ x: Double) -> Double {
    0.5 * Double.erfc(-x * 0.707_106_781_186_547_524_40)
}

/// log Φ(x): log1p(−Φ(−x)) for x > 0 (negative, not rounded to 0, until Φ(−x) underflows near
/// x ≈ 38), the log of `standardNormalCDF` for −30 < x ≤ 0, and the asymptotic series
/// log Φ(x) ≈ −x²/2 − log(−x√(2π)) + log(1 − 1/x² + 3/x⁴ − 15/x⁶) for x ≤ −30, where Φ underflows
/// (the first omitted term, 105/x⁸, is below 2e-10 relative to the correction there).
func logStandardNormalCDF(_ x: Double) -> Double {
    if x > 0 { return Double.log(onePlus: -standardNormalCDF(-x)) }
    if x > -30 { return Double.log(standardNormalCDF(x)) }
    let x2 = x * x
    return -0.5 * x2 - Double.log(-x * 2.506_628_274_631_000_502_4) + Double.log(onePlus: (-1 + (3 - 15 / x2) / x2) / x2)
}

/// Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation (relative error < 1.2e-9) polished by one
/// Halley step on Φ(x) − p, which brings it to full double precision. Returns −∞ at 0, +∞ at 1 and
/// NaN outside [0, 1].
func standardNormalQuantile(_ p: Double) -> Double {
    guard p > 0 && p < 1 else {
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        return .nan
    }
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
             3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
        let q = (-2 * Double.log(p)).squareRoot()
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
        let q = p - 0.5
        let r = q * q
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
        let q = (-2 * Double.log(onePlus: -p)).squareRoot()
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    // Halley step on f(x) = Φ(x) − p, with e = Φ(x) − p taken from the tail that keeps it accurate.
    let e = x < 0 ? standardNormalCDF(x) - p : (1 - p) - standardNormalCDF(-x)
    let u = e * (2.506_628_274_631_000_502_4 * Double.exp(0.5 * x * x))
    x -= u / (1 + 0.5 * x * u)
    return x
}
