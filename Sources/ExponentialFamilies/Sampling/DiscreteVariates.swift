import RealModule

// Exact samplers for the count and category families. "Exact" means: correct in exact arithmetic,
// with no approximation beyond float64 rounding (no normal approximation for large means).
// Draws that would exceed Int.max (only possible for means beyond ~10¹⁸) saturate at Int.max.

@inline(__always)
func saturatingInt(_ x: Double) -> Int { x >= 9.223_372_036_854_775e18 ? Int.max : Int(x) }

/// A Poisson(λ) draw.
///
/// λ < 10: inversion by sequential search from 0 (expected λ + 1 comparisons).
/// λ ≥ 10: Hörmann's transformed rejection with squeeze, PTRS (1993), O(1) expected time
/// (acceptance ≈ 0.9 or better).
/// - Precondition: λ ≥ 0 and finite (λ = 0 returns 0).
package func poissonVariate<G: RandomNumberGenerator>(rate lambda: Double, using g: inout G) -> Int {
    precondition(lambda >= 0 && lambda.isFinite, "Poisson rate must be finite and ≥ 0, got \(lambda)")
    if lambda == 0 { return 0 }
    if lambda < 10 {
        while true {
            var p = Double.exp(-lambda)
            var cumulative = p
            let u = openUnitUniform(using: &g)
            var x = 0
            while u > cumulative {
                x += 1
                p *= lambda / Double(x)
                cumulative += p
                if p == 0 && u > cumulative { break }  // rounding left u above the total: redraw
            }
            if u <= cumulative { return x }
        }
    }
    let sqrtLambda = lambda.squareRoot()
    let logLambda = Double.log(lambda)
    let b = 0.931 + 2.53 * sqrtLambda
    let a = -0.059 + 0.02483 * b
    let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
    let vr = 0.9277 - 3.6224 / (b - 2)
    while true {
        let u = openUnitUniform(using: &g) - 0.5
        let v = openUnitUniform(using: &g)
        let us = 0.5 - Swift.abs(u)
        let k = ((2 * a / us + b) * u + lambda + 0.43).rounded(.down)
        if us >= 0.07 && v <= vr { return saturatingInt(k) }
        if k < 0 || (us < 0.013 && v > us) { continue }
        let lhs = Double.log(v) + Double.log(inverseAlpha) - Double.log(a / (us * us) + b)
        let rhs = -lambda + k * logLambda - Double.logGamma(k + 1)
        if lhs <= rhs { return saturatingInt(k) }
    }
}

/// A Binomial(n, p) draw.
///
/// With p̃ = min(p, 1 − p) (the other tail by symmetry): n·p̃ < 10 uses inversion (sequential search
/// with the pmf recurrence); otherwise Hörmann's BTRS transformed rejection (1993), O(1) expected time.
/// - Precondition: n ≥ 0, 0 ≤ p ≤ 1.
package func binomialVariate<G: RandomNumberGenerator>(trials n: Int, p: Double, using g: inout G) -> Int {
    precondition(n >= 0 && p >= 0 && p <= 1, "Binomial needs n ≥ 0 and p in [0, 1], got n = \(n), p = \(p)")
    if n == 0 || p == 0 { return 0 }
    if p == 1 { return n }
    if p > 0.5 { return n - binomialVariate(trials: n, p: 1 - p, using: &g) }
    let q = 1 - p
    let nd = Double(n)
    if nd * p < 10 {
        let s = p / q
        let a = (nd + 1) * s
        let start = Double.exp(nd * Double.log(onePlus: -p))
        while true {
            var r = start
            var u = openUnitUniform(using: &g)
            var x = 0
            while u > r {
                u -= r
                x += 1
                if x > n { break }
                r *= a / Double(x) - s
            }
            if x <= n { return x }
        }
    }
    let spq = (nd * p * q).squareRoot()
    let b = 1.15 + 2.53 * spq
    let a = -0.0873 + 0.0248 * b + 0.01 * p
    let c = nd * p + 0.5
    let vr = 0.92 - 4.2 / b
    let alpha = (2.83 + 5.1 / b) * spq
    let logOdds = Double.log(p / q)
    let m = ((nd + 1) * p).rounded(.down)
    let h = Double.logGamma(m + 1) + Double.logGamma(nd - m + 1)
    while true {
        let u = openUnitUniform(using: &g) - 0.5
        var v = openUnitUniform(using: &g)
        let us = 0.5 - Swift.abs(u)
        let k = ((2 * a / us + b) * u + c).rounded(.down)
        if k < 0 || k > nd { continue }
        if us >= 0.07 && v <= vr { return Int(k) }
        v = Double.log(v * alpha / (a / (us * us) + b))
        if v <= h - Double.logGamma(k + 1) - Double.logGamma(nd - k + 1) + (k - m) * logOdds { return Int(k) }
    }
}

/// A Geometric(p) draw: the number of failures before the first success, ⌊log U / log(1 − p)⌋
/// (exact inversion; log(1 − p) via log1p so tiny p keeps its accuracy).
/// - Precondition: 0 < p ≤ 1.
package func geometricVariate<G: RandomNumberGenerator>(p: Double, using g: inout G) -> Int {
    precondition(p > 0 && p <= 1, "Geometric p must be in (0, 1], got \(p)")
    if p == 1 { return 0 }
    let x = (Double.log(openUnitUniform(using: &g)) / Double.log(onePlus: -p)).rounded(.down)
    return saturatingInt(x)
}

/// A NegativeBinomial(r, p) draw: failures before the r-th success (real r > 0 allowed), as the
/// Gamma–Poisson mixture λ ~ Gamma(shape r, rate p/(1 − p)), x ~ Poisson(λ) (exact).
/// - Precondition: r > 0 finite, 0 < p ≤ 1.
package func negativeBinomialVariate<G: RandomNumberGenerator>(r: Double, p: Double, using g: inout G) -> Int {
    precondition(r > 0 && r.isFinite && p > 0 && p <= 1, "NegativeBinomial needs r > 0 and p in (0, 1], got r = \(r), p = \(p)")
    if p == 1 { return 0 }
    let lambda = standardGamma(shape: r, using: &g) * ((1 - p) / p)
    return poissonVariate(rate: Swift.min(lambda, 1e300), using: &g)
}

/// A categorical draw in 0..<K with P(k) = probabilities[k] (inversion by a linear scan: O(K)).
/// The probabilities need not sum exactly to 1 (they are normalized by their sum).
/// - Precondition: at least one category, all probabilities ≥ 0 and finite, positive sum.
package func categoricalVariate<G: RandomNumberGenerator>(probabilities: [Double], using g: inout G) -> Int {
    var total = 0.0
    for p in probabilities {
        precondition(p >= 0 && p.isFinite, "categorical probabilities must be finite and ≥ 0")
        total += p
    }
    precondition(total > 0, "categorical probabilities must have a positive sum")
    let u = openUnitUniform(using: &g) * total
    var cumulative = 0.0
    for (k, p) in probabilities.enumerated() {
        cumulative += p
        if u < cumulative { return k }
    }
    // Rounding left u at or above the running total: the last category with positive probability.
    return probabilities.lastIndex(where: { $0 > 0 })!
}
