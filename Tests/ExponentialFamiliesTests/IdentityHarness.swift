import ExponentialFamilies
import Foundation
import LinearAlgebra
import Testing

/// Tolerances of ``checkExponentialFamilyIdentities(_:other:seed:tolerances:sourceLocation:)``.
///
/// Deterministic checks use relative tolerances; statistical checks use z standard errors, where the
/// standard error is the exact one (√(Fᵢᵢ/N) for a mean of T, √((F⁻¹)ᵢᵢ/N) for θ̂) or, for covariance
/// entries and Monte Carlo entropies, the one estimated from the same seeded sample.
struct IdentityTolerances: Sendable {
    /// θ → μ → θ, relative to max(1, ‖θ‖∞). The inverse map amplifies rounding in μ by about cond(F),
    /// so 1e-9 leaves room for cond(F) up to ~10⁶ (closed-form maps are far better than this).
    var roundTrip = 1e-9
    /// Central differences with step h = ε^⅓·max(1, |θᵢ|) ≈ 6e-6: truncation ~h²·|A‴|/6 ≈ 1e-11 and
    /// rounding ~ε·|A|/h ≈ 4e-11·|A|, so 1e-6 relative to max(1, ‖μ‖∞, ‖F‖max) is generous but still
    /// catches any wrong formula (errors there are O(1)).
    var finiteDifference = 1e-6
    /// F·v against F formed, relative to ‖F‖max·‖v‖∞·dim (a few ulps per term).
    var fisherVectorProduct = 1e-13
    /// Closed-form KL against the Bregman form, relative to the Bregman cancellation scale
    /// |A(θq)| + |A(θp)| + Σ|(θq − θp)ₖ μp,ₖ| (the Bregman form is accurate to ~ε times that).
    var klAgreement = 1e-12
    /// Monte Carlo sample size and the number of standard errors allowed. With z = 5 a correct
    /// implementation fails a given comparison with probability < 6e-7 (the seed is fixed anyway).
    var sampleSize = 100_000
    var z = 5.0
    /// Skip the Monte Carlo part (e.g. for families whose T has infinite fourth moments).
    var monteCarlo = true
}

/// Runs the identity tests every canonical exponential family must pass, recording failures with
/// `#expect` at `sourceLocation`:
/// 1. θ → μ → θ round trip;
/// 2. μ = ∇A(θ) by central differences of A;
/// 3. F = ∂μ/∂θ by central differences of μ; F symmetric; F positive definite (Cholesky succeeds:
///    the families are minimal);
/// 4. F·v equals F formed, times v;
/// 5. KL(p‖p) = 0, KL(p‖q) ≥ 0, closed-form KL equals the Bregman form, cross-entropy =
///    entropy + KL;
/// 6. Monte Carlo with N seeded draws from p: mean of T ≈ μ, covariance of T ≈ F, −mean log p(x) ≈
///    H(p), mean log(p(x)/q(x)) ≈ KL(p‖q), all within z standard errors;
/// 7. maximum likelihood on those draws recovers θ within z·√((F⁻¹)ᵢᵢ/N).
///
/// `p` must be away from the boundary of the natural domain by more than the finite-difference
/// step, and `q` must have the same hyperparameters.
func checkExponentialFamilyIdentities<F: ExponentialFamily>(
    _ p: F, other q: F, seed: UInt64, tolerances tol: IdentityTolerances = IdentityTolerances(),
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let d = p.dimension
    let theta = p.naturalParameters
    let mu = p.meanParameters
    let fisher = p.fisherInformation
    #expect(theta.count == d && mu.count == d, "θ, μ must have dimension entries", sourceLocation: sourceLocation)
    #expect(fisher.rows == d && fisher.columns == d, "F must be \(d)×\(d)", sourceLocation: sourceLocation)
    #expect(p.hasSameHyperparameters(as: q), sourceLocation: sourceLocation)

    // 1. Round trip.
    let back = try p.withMeanParameters(mu).naturalParameters
    let thetaScale = Swift.max(1, theta.map(Swift.abs).max() ?? 0)
    for k in 0..<d {
        #expect(Swift.abs(back[k] - theta[k]) <= tol.roundTrip * thetaScale,
                "round trip θ[\(k)]: \(theta[k]) → \(back[k])", sourceLocation: sourceLocation)
    }

    // 2–3. Central differences of A and μ.
    let muScale = Swift.max(1, mu.map(Swift.abs).max() ?? 0, Swift.abs(p.logPartition))
    var fisherScale = 1.0
    for v in fisher.elements { fisherScale = Swift.max(fisherScale, Swift.abs(v)) }
    for j in 0..<d {
        let h = 6.0e-6 * Swift.max(1, Swift.abs(theta[j]))
        var plus = theta, minus = theta
        plus[j] += h
        minus[j] -= h
        let pp = try p.withNaturalParameters(plus), pm = try p.withNaturalParameters(minus)
        let step = plus[j] - minus[j]  // the step actually taken (exact in binary)
        let gradient = (pp.logPartition - pm.logPartition) / step
        #expect(Swift.abs(gradient - mu[j]) <= tol.finiteDifference * muScale,
                "∂A/∂θ[\(j)] = \(gradient) by central differences, μ[\(j)] = \(mu[j])", sourceLocation: sourceLocation)
        let mp = pp.meanParameters, mm = pm.meanParameters
        for i in 0..<d {
            let derivative = (mp[i] - mm[i]) / step
            #expect(Swift.abs(derivative - fisher[i, j]) <= tol.finiteDifference * fisherScale,
                    "∂μ[\(i)]/∂θ[\(j)] = \(derivative) by central differences, F = \(fisher[i, j])",
                    sourceLocation: sourceLocation)
        }
    }
    for i in 0..<d {
        for j in 0..<i {
            #expect(Swift.abs(fisher[i, j] - fisher[j, i]) <= 4 * Double.ulpOfOne * fisherScale,
                    "F not symmetric at (\(i), \(j))", sourceLocation: sourceLocation)
        }
    }
    #expect(throws: Never.self, "F must be positive definite", sourceLocation: sourceLocation) {
        _ = try Cholesky(fisher)
    }

    // 4. F·v against F formed.
    var rng = Xoshiro256(seed: seed)
    let v = (0..<d).map { _ in standardNormal(using: &rng) }
    let fv = p.fisherVectorProduct(v)
    let explicit = fisher * v
    let vScale = v.map(Swift.abs).max() ?? 0
    for i in 0..<d {
        #expect(Swift.abs(fv[i] - explicit[i]) <= tol.fisherVectorProduct * fisherScale * vScale * Double(Swift.max(d, 1)),
                "F·v[\(i)] = \(fv[i]), F formed gives \(explicit[i])", sourceLocation: sourceLocation)
    }

    // 5. KL and cross-entropy.
    let klSelf = p.klDivergence(to: p)
    #expect(Swift.abs(klSelf) <= 4 * Double.ulpOfOne * Swift.max(1, Swift.abs(p.logPartition)),
            "KL(p‖p) = \(klSelf)", sourceLocation: sourceLocation)
    let kl = p.klDivergence(to: q)
    #expect(kl >= 0, "KL(p‖q) = \(kl) < 0", sourceLocation: sourceLocation)
    let bregman = p.bregmanDivergence(to: q)
    var bregmanScale = Swift.abs(p.logPartition) + Swift.abs(q.logPartition)
    let thetaQ = q.naturalParameters
    for k in 0..<d { bregmanScale += Swift.abs((thetaQ[k] - theta[k]) * mu[k]) }
    #expect(Swift.abs(kl - bregman) <= tol.klAgreement * bregmanScale,
            "KL closed form \(kl) vs Bregman \(bregman)", sourceLocation: sourceLocation)
    let crossEntropy = p.crossEntropy(to: q)
    #expect(Swift.abs(crossEntropy - (p.entropy + kl)) <= 1e-14 * Swift.max(1, Swift.abs(crossEntropy)),
            sourceLocation: sourceLocation)

    guard tol.monteCarlo else { return }

    // 6. Monte Carlo moments of T, entropy and KL.
    let n = tol.sampleSize
    var samples: [F.Observation] = []
    samples.reserveCapacity(n)
    var statistics = [[Double]]()
    statistics.reserveCapacity(n)
    var logRatios = [Double](), negLogP = [Double]()
    for _ in 0..<n {
        let x = p.sample(using: &rng)
        samples.append(x)
        statistics.append(try p.sufficientStatistics(x))
        let lp = try p.logDensity(x)
        negLogP.append(-lp)
        logRatios.append(lp - (try q.logDensity(x)))
    }
    let nd = Double(n)
    var sampleMean = [Double](repeating: 0, count: d)
    for t in statistics { for k in 0..<d { sampleMean[k] += t[k] } }
    for k in 0..<d { sampleMean[k] /= nd }
    for k in 0..<d {
        let se = (fisher[k, k] / nd).squareRoot()
        #expect(Swift.abs(sampleMean[k] - mu[k]) <= tol.z * se + 1e-12 * Swift.abs(mu[k]),
                "mean of T[\(k)] over \(n) draws = \(sampleMean[k]), μ = \(mu[k]) (se \(se))",
                sourceLocation: sourceLocation)
    }
    for i in 0..<d {
        for j in 0...i {
            var products = [Double]()
            products.reserveCapacity(n)
            for t in statistics { products.append((t[i] - sampleMean[i]) * (t[j] - sampleMean[j])) }
            let (m, se) = meanAndStandardError(products)
            #expect(Swift.abs(m - fisher[i, j]) <= tol.z * se + 1e-12 * fisherScale,
                    "Cov[T] (\(i), \(j)) over \(n) draws = \(m), F = \(fisher[i, j]) (se \(se))",
                    sourceLocation: sourceLocation)
        }
    }
    let (hMC, hSE) = meanAndStandardError(negLogP)
    #expect(Swift.abs(hMC - p.entropy) <= tol.z * hSE + 1e-12 * Swift.max(1, Swift.abs(p.entropy)),
            "Monte Carlo entropy \(hMC) (se \(hSE)), closed form \(p.entropy)", sourceLocation: sourceLocation)
    let (klMC, klSE) = meanAndStandardError(logRatios)
    #expect(Swift.abs(klMC - kl) <= tol.z * klSE + 1e-12 * Swift.max(1, kl),
            "Monte Carlo KL \(klMC) (se \(klSE)), closed form \(kl)", sourceLocation: sourceLocation)

    // 7. Maximum likelihood recovers θ.
    let fit = try p.fitted(to: samples)
    let thetaHat = fit.naturalParameters
    let inverseFisher = try Cholesky(fisher).inverse()
    for k in 0..<d {
        let se = (inverseFisher[k, k] / nd).squareRoot()
        #expect(Swift.abs(thetaHat[k] - theta[k]) <= tol.z * se + 1e-12 * thetaScale,
                "MLE θ̂[\(k)] = \(thetaHat[k]) from \(n) draws, θ = \(theta[k]) (se \(se))",
                sourceLocation: sourceLocation)
    }
}

/// Sample mean and its standard error √(s²/n).
func meanAndStandardError(_ x: [Double]) -> (mean: Double, standardError: Double) {
    let n = Double(x.count)
    var m = 0.0
    for v in x { m += v }
    m /= n
    var ss = 0.0
    for v in x { ss += (v - m) * (v - m) }
    return (m, (ss / (n - 1) / n).squareRoot())
}
