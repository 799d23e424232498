import RealModule

/// Cancellation-free KL divergences and entropies of the Gamma, Beta and Dirichlet families.
///
/// Their Bregman form A(θq) − A(θp) − (θq − θp)·μp subtracts log Γ values of size k·log k to leave an
/// answer that is O(|θq − θp|²) when p ≈ q, so its float64 error ε·|A| can exceed the answer. Here the
/// log Γ terms are split as log Γ(k) = g(k) + k·log k − k with
///
///     g(k) = log Γ(k) − k·log k + k = δ(k) − ½·log k + ½·log(2π)    (δ = Stirling's error),
///
/// a convex function (g″ = ψ′ − 1/k > 0) of size O(log k); the k·log k − k parts combine into sums of
/// φ(d) = d − log(1 + d) ≥ 0 terms, and the g parts into Bregman divergences of g computed from the
/// integral of g″ (no cancellation) when the two arguments are close.
enum GammaFunctionDivergences {
    /// D_g(y, x) = g(y) − g(x) − (y − x)·g′(x) = ∫ₓʸ (y − t)·g″(t) dt ≥ 0 for x, y > 0, with
    /// g′ = ψ − log, g″ = ψ′ − 1/k.
    ///
    /// Method: for max(x, y) ≤ 2·min(x, y) and max(x, y) ≤ ½, the closed-form integral of the 1/t² − 1/t
    /// part of g″(t) = 1/t² − 1/t + ψ′(1 + t), φ(Δ/x) − (y·log(y/x) + x − y), plus the ψ′(1 + t) part by
    /// quadrature (no overflow for tiny x; the subtracted term is at most half the first). Otherwise
    /// for max(x, y) ≤ 2·min(x, y), with y − x = Δ, D = Δ²·∫₀¹ (1 − s)·g″(x + Δs) ds by
    /// 16-point Gauss–Legendre (the integrand is analytic in a Bernstein ellipse of parameter ≥ 3 + √8
    /// around [0, 1] — its nearest singularity is t = 0 — so the rule's error is below 5.8⁻³² relative;
    /// every term is positive, so the sum is as accurate as g″, ~10⁻¹⁴ relative). Otherwise the
    /// definition, with g(y) − g(x) = δ(y) − δ(x) − ½·log(y/x) and g′(x) by
    /// ``SpecialFunctions/digammaMinusLog(_:)``: at a ratio ≥ 2 the terms exceed D by a factor ≤ ~4, so
    /// the error is ~10⁻¹⁴ relative (δ for arguments < 15 has ~10⁻¹⁴ absolute error).
    ///
    /// The step Δ = y − x is an argument of its own so that a caller who knows it more accurately than
    /// the rounded y (the Dirichlet's β₀ − α₀ = Σ(βᵢ − αᵢ)) can pass it: D is O(Δ²) and inherits Δ's
    /// relative error twice.
    ///
    /// Edge cases: D_g(x, x) = 0; +∞ when the answer overflows (x ≪ 1 ≪ y far beyond the double range).
    static func stirlingBregman(from x: Double, step delta: Double) -> Double {
        if delta == 0 { return 0 }
        let y = x + delta
        if Swift.max(x, y) <= 2 * Swift.min(x, y) {
            if Swift.max(x, y) <= 0.5 {
                // Small arguments: g″(t) = 1/t² − 1/t + ψ′(1 + t), and the first two terms integrate in
                // closed form, ∫ₓʸ (y − t)(1/t² − 1/t) dt = φ(Δ/x) − bd0(y, x) with
                // bd0(y, x) = y·log(y/x) + x − y = x·O((Δ/x)²) ≤ ½·φ-sized here. Without this split
                // 1/t² overflows (t < 1.5e-154) and Δ² underflows, and their product was NaN.
                var sum = 0.0
                for j in 0..<gaussLegendreNodes.count {
                    let s = gaussLegendreNodes[j]
                    sum += gaussLegendreWeights[j] * (1 - s) * SpecialFunctions.trigamma(1 + (x + delta * s))
                }
                return ScalarFunctions.dMinusLog1p(delta / x) - LogProbabilityMass.deviance(y, x)
                    + delta * delta * sum
            }
            var sum = 0.0
            for j in 0..<gaussLegendreNodes.count {
                let s = gaussLegendreNodes[j]
                sum += gaussLegendreWeights[j] * (1 - s) * SpecialFunctions.trigammaMinusReciprocal(x + delta * s)
            }
            return delta * delta * sum
        }
        // y/x can overflow or underflow at the ends of the range: then log y − log x (the answer is then
        // beyond the range too, +∞, and must not come out as −∞ + ∞ = NaN).
        let ratio = y / x
        let logRatio = ratio.isNormal ? Double.log(ratio) : Double.log(y) - Double.log(x)
        let gDifference = LogProbabilityMass.stirlingError(y) - LogProbabilityMass.stirlingError(x) - 0.5 * logRatio
        return Swift.max(0, gDifference - delta * SpecialFunctions.digammaMinusLog(x))
    }

    /// KL(Dir(α) ‖ Dir(β)) for concentrations of equal length K ≥ 2 (Beta: K = 2), as
    ///
    ///     Σᵢ βᵢ·φ(xᵢ) + Σᵢ D_g(βᵢ, αᵢ) − D_g(β₀, α₀),   xᵢ = αᵢβ₀/(α₀βᵢ) − 1 = (αᵢΔ₀ − Δᵢα₀)/(α₀βᵢ),
    ///
    /// with Δ = β − α, α₀ = Σα, β₀ = Σβ, φ(d) = d − log(1 + d). The first sum is β₀ times the KL between
    /// the categorical distributions α/α₀ and β/β₀ (≥ 0); the D_g part is O(Σ Δᵢ²/αᵢ²) and, for large
    /// concentrations, ≥ 0 by Cauchy–Schwarz. αᵢΔ₀ − Δᵢα₀ is formed with a fused multiply–add so that it
    /// keeps its relative accuracy when the two products are close. Clamped at 0; +∞ when the terms
    /// overflow (only for concentrations at opposite ends of the double range).
    static func dirichletKL(_ alpha: [Double], _ beta: [Double]) -> Double {
        var a0 = 0.0, b0 = 0.0, d0 = 0.0
        for i in alpha.indices {
            a0 += alpha[i]
            b0 += beta[i]
            d0 += beta[i] - alpha[i]
        }
        var categorical = 0.0
        var bregman = -stirlingBregman(from: a0, step: d0)
        for i in alpha.indices {
            let di = beta[i] - alpha[i]
            bregman += stirlingBregman(from: alpha[i], step: di)
            // βᵢ·xᵢ = (αᵢΔ₀ − Δᵢα₀)/α₀, the products formed exactly up to one rounding (Kahan's trick).
            var bx = differenceOfProducts(alpha[i], d0, di, a0) / a0
            if !bx.isFinite { bx = alpha[i] * (d0 / a0) - di }  // the products overflowed
            let x = bx / beta[i]
            if x >= -0.5 {
                categorical += beta[i] * ScalarFunctions.dMinusLog1p(x)
            } else {
                // 1 + x = αᵢβ₀/(α₀βᵢ) can round to 0 or below when αᵢ/α₀ ≪ βᵢ/β₀: take its log directly.
                let logRatio = (Double.log(alpha[i]) - Double.log(beta[i])) + (Double.log(b0) - Double.log(a0))
                categorical += bx - beta[i] * logRatio
            }
        }
        let total = categorical + bregman
        // ∞ − ∞: both D_g terms overflowed (concentrations ~10⁻³⁰⁰ against ~10³⁰⁰): the KL is beyond the
        // double range too. (max(0, NaN) would return 0.)
        if total.isNaN { return .infinity }
        return Swift.max(0, total)
    }

    /// KL(Gamma(kp, bp) ‖ Gamma(kq, bq)) (shape k, rate b) as
    ///
    ///     kq·φ(mp/mq − 1) + D_g(kq, kp),   mp/mq − 1 = (kp·bq − bp·kq)/(bp·kq),
    ///
    /// (m = k/b the means; shape and mean are orthogonal coordinates, and the two terms are the KL's
    /// mean and shape parts, both ≥ 0), with kp·bq − bp·kq formed by a fused multiply–add.
    static func gammaKL(shape kp: Double, rate bp: Double, toShape kq: Double, rate bq: Double) -> Double {
        var d = differenceOfProducts(kp, bq, bp, kq) / (bp * kq)
        if !d.isFinite { d = (kp / bp) / (kq / bq) - 1 }  // the products overflowed or underflowed
        let mean: Double
        if d >= -0.5 {
            mean = kq * ScalarFunctions.dMinusLog1p(d)
        } else {
            // 1 + d = mp/mq can round to 0 when mp ≪ mq: take log(mp/mq) from the logarithms.
            mean = kq * d - kq * ((Double.log(kp) - Double.log(kq)) + (Double.log(bq) - Double.log(bp)))
        }
        return mean + stirlingBregman(from: kp, step: kq - kp)
    }

    /// Entropy of Gamma(k, b): H = log Γ(k) − (k − 1)·ψ(k) + k − log b, evaluated as
    ///
    ///     ½·log(2π) + δ(k) − (k − 1)·(ψ(k) − log k) + ½·log k − log b
    ///
    /// (log Γ(k) = δ(k) + (k − ½)·log k − k + ½·log(2π)): the k·log k and k terms cancel exactly in the
    /// algebra instead of in floating point, where log Γ(k) − (k − 1)ψ(k) + k lost ε·k·log k absolute
    /// (2·10⁻⁸ relative at k = 10⁸). ψ − log is ``SpecialFunctions/digammaMinusLog(_:)``.
    static func gammaEntropy(shape k: Double, rate b: Double) -> Double {
        Normal.logSqrtTwoPi + LogProbabilityMass.stirlingError(k) - (k - 1) * SpecialFunctions.digammaMinusLog(k)
            + 0.5 * Double.log(k) - Double.log(b)
    }

    /// Entropy of Dir(α): H = Σ log Γ(αᵢ) − log Γ(α₀) + (α₀ − K)·ψ(α₀) − Σ (αᵢ − 1)·ψ(αᵢ), evaluated as
    ///
    ///     ((K − 1)/2)·log(2π) + Σ δ(αᵢ) − δ(α₀) + ½·Σ log αᵢ − (K − ½)·log α₀
    ///       + (α₀ − K)·(ψ(α₀) − log α₀) − Σ (αᵢ − 1)·(ψ(αᵢ) − log αᵢ)
    ///
    /// (the same split as ``gammaEntropy(shape:rate:)``): every term is O(log α) or O(1) instead of
    /// O(α·log α), so large concentrations keep their relative accuracy.
    static func dirichletEntropy(_ alpha: [Double]) -> Double {
        let k = Double(alpha.count)
        var a0 = 0.0, stirling = 0.0, logs = 0.0, tails = 0.0
        for a in alpha {
            a0 += a
            stirling += LogProbabilityMass.stirlingError(a)
            logs += Double.log(a)
            tails += (a - 1) * SpecialFunctions.digammaMinusLog(a)
        }
        return (k - 1) * Normal.logSqrtTwoPi + (stirling - LogProbabilityMass.stirlingError(a0))
            + (0.5 * logs - (k - 0.5) * Double.log(a0))
            + ((a0 - k) * SpecialFunctions.digammaMinusLog(a0) - tails)
    }

    /// log p(x) of Dir(α) from uᵢ = xᵢ/āᵢ − 1 (āᵢ = αᵢ/α₀; callers form xᵢα₀ − αᵢ with a fused
    /// multiply–add) and log xᵢ:
    ///
    ///     Σ αᵢ·log(1 + uᵢ) − Σ log xᵢ − Σ δ(αᵢ) + δ(α₀) + ½·Σ log αᵢ − ½·log α₀ − ((K − 1)/2)·log(2π)
    ///
    /// (log Γ(α₀) − Σ log Γ(αᵢ) split with g as in ``dirichletEntropy(_:)``; the αᵢ·log αᵢ terms become
    /// αᵢ·log(xᵢ/āᵢ)). The terms are O(√α) where the direct Σ(αᵢ − 1)·log xᵢ − A(θ) has O(α·log α)
    /// ones; the error, ε·Σ αᵢ|uᵢ|, is what rounding x itself to doubles already costs. For uᵢ < −½
    /// (1 + uᵢ can round to 0 when xᵢ ≪ āᵢ) the term is αᵢ·(log xᵢ − log αᵢ + log α₀).
    static func dirichletLogDensity(alpha: [Double], relativeDeviation u: [Double], logX: [Double]) -> Double {
        var a0 = 0.0
        for a in alpha { a0 += a }
        let logA0 = Double.log(a0)
        var sum = LogProbabilityMass.stirlingError(a0) - 0.5 * logA0 - Double(alpha.count - 1) * Normal.logSqrtTwoPi
        for i in alpha.indices {
            let logA = Double.log(alpha[i])
            let deviation = u[i] >= -0.5 ? alpha[i] * Double.log(onePlus: u[i]) : alpha[i] * (logX[i] - logA + logA0)
            sum += deviation - logX[i] - LogProbabilityMass.stirlingError(alpha[i]) + 0.5 * logA
        }
        return sum
    }

    /// a·b − c·d with one rounding error relative to the result plus one per product's low part
    /// (Kahan's algorithm: the rounding error of c·d is recovered exactly with a fused multiply–add).
    static func differenceOfProducts(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> Double {
        let w = c * d
        let e = w.addingProduct(-c, d)  // w − c·d, exactly
        return (-w).addingProduct(a, b) + e
    }

    /// Gauss–Legendre nodes on [0, 1] (16 points; mpmath at 40 digits, printed %.17g).
    static let gaussLegendreNodes: [Double] = [
        0.0052995325041750333, 0.02771248846338371, 0.067184398806084122, 0.12229779582249849,
        0.19106187779867811, 0.27099161117138632, 0.35919822461037054, 0.45249374508118129,
        0.54750625491881877, 0.64080177538962946, 0.72900838882861374, 0.80893812220132189,
        0.87770220417750155, 0.93281560119391582, 0.9722875115366163, 0.99470046749582497,
    ]
    /// The matching weights (sum 1).
    static let gaussLegendreWeights: [Double] = [
        0.013576229705877048, 0.031126761969323947, 0.047579255841246393, 0.062314485627766938,
        0.074797994408288368, 0.084578259697501268, 0.091301707522461792, 0.094725305227534251,
        0.094725305227534251, 0.091301707522461792, 0.084578259697501268, 0.074797994408288368,
        0.062314485627766938, 0.047579255841246393, 0.031126761969323947, 0.013576229705877048,
    ]
}
