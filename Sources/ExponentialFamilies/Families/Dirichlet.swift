import RealModule

/// The Dirichlet distribution Dir(α) on the open (K−1)-simplex, as a canonical exponential family.
///
/// - Support: x = (x₁…x_K) with xᵢ > 0 and Σxᵢ = 1 (an `[Double]` of length K; the sum is accepted
///   within 10⁻⁸ of 1). Density w.r.t. Lebesgue measure dx₁…dx_{K−1}.
/// - Natural parameters (dimension K): θ = α − 1 (the reference file's convention).
/// - Sufficient statistic: T(x) = (log x₁, …, log x_K).
/// - Base measure: h(x) = 1.
/// - Log-partition: A(θ) = Σᵢ log Γ(αᵢ) − log Γ(α₀), α₀ = Σαᵢ.
/// - Domain: αᵢ > 0, i.e. θᵢ > −1; K ≥ 2.
/// - Mean parameters: μᵢ = E[log xᵢ] = ψ(αᵢ) − ψ(α₀). Interior of the mean space:
///   Σᵢ exp(μᵢ) < 1 (Jensen: exp E[log xᵢ] < E[xᵢ], and every such μ is attained).
/// - Usual parameters: concentrations α.
/// - Fisher: F = diag(ψ′(α)) − ψ′(α₀)·11ᵀ; F·v = ψ′(α)∘v − ψ′(α₀)(Σv)·1 in O(K).
///
/// μ → θ has no closed form: Newton's method (``NewtonInverseMap``) from the closed-form precision
/// α₀ ≈ s = (K − 1)/(−2 log Σexp(μⱼ)) (Minka's approximation ψ(x) ≈ log x − 1/(2x) inverted),
/// αᵢ = ψ⁻¹(μᵢ + ψ(s)) and two sweeps of Minka's fixed point, with Newton steps solved in O(K) by
/// Sherman–Morrison on the diagonal-plus-rank-one F.
public struct Dirichlet: ExponentialFamily {
    public typealias Observation = [Double]

    /// Number of categories K.
    public let K: Int
    /// θ = α − 1.
    public let naturalParameters: [Double]
    /// The concentrations α (αᵢ > 0).
    public let alpha: [Double]

    /// K.
    public var dimension: Int { K }

    /// Tolerance on |Σxᵢ − 1| for an observation to be on the simplex.
    public static let simplexTolerance = 1e-8

    /// Dir(α).
    /// - Throws: `.wrongDimension(parameter: "alpha", expected: 2, …)` for K < 2, `.nonFinite("alpha[i]")`,
    ///   `.outsideDomain(parameter: "alpha[i]", value:, requirement: "> 0")`.
    public init(alpha: [Double]) throws(ExponentialFamilyError) {
        if alpha.count < 2 { throw .wrongDimension(parameter: "alpha (at least 2 categories)", expected: 2, actual: alpha.count) }
        try requireFiniteParameter(alpha, name: "alpha")
        for i in alpha.indices where !(alpha[i] > 0) {
            throw .outsideDomain(parameter: "alpha[\(i)]", value: alpha[i], requirement: "> 0")
        }
        K = alpha.count
        self.alpha = alpha
        naturalParameters = alpha.map { $0 - 1 }
    }

    /// The member with θ = α − 1.
    /// - Throws: `.wrongDimension` for K < 2, `.nonFinite("theta[i]")`,
    ///   `.outsideDomain(parameter: "theta[i] (alpha[i] − 1)", value:, requirement: "> −1")`.
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        if theta.count < 2 { throw .wrongDimension(parameter: "theta (at least 2 categories)", expected: 2, actual: theta.count) }
        try requireFiniteParameter(theta, name: "theta")
        var a = theta
        for i in theta.indices {
            a[i] = theta[i] + 1
            // θᵢ > −1 is tested on α = θ + 1 itself: θ just above −1 can round to α = 0.
            if !(a[i] > 0) {
                throw .outsideDomain(parameter: "theta[\(i)] (alpha[\(i)] − 1)", value: theta[i], requirement: "> −1")
            }
        }
        K = theta.count
        alpha = a
        naturalParameters = theta
    }

    /// The member with mean parameters μ = E[log x], by Newton's method.
    /// - Parameters:
    ///   - mu: μ, length K ≥ 2, in the interior of the mean space (Σ exp μᵢ < 1).
    ///   - newton: iteration cap and tolerance (default ``NewtonInverseMap/standard``).
    /// - Throws: `.wrongDimension`, `.nonFinite("mu[i]")`, `.outsideDomain(parameter: "Σ exp(mu[i])
    ///   (mean parameters E[log xᵢ])", value: Σ exp μᵢ, requirement: "< 1")` when μ is not attainable,
    ///   `.inverseMapDidNotConverge(iterations:residual:)`.
    public init(meanParameters mu: [Double], newton: NewtonInverseMap = .standard) throws(ExponentialFamilyError) {
        if mu.count < 2 { throw .wrongDimension(parameter: "mu (at least 2 categories)", expected: 2, actual: mu.count) }
        let start = try Dirichlet(alpha: Self.startingAlpha(meanParameters: mu))
        let solution = try newton.solve(meanParameters: mu, from: start) { (member: Dirichlet, r: [Double]) throws(ExponentialFamilyError) -> [Double] in
            try member.solveFisher(r)
        }
        self = solution.member
    }

    /// The start of the μ → α solve, after checking that μ is attainable: α₀ ≈ s = (K − 1)/(−2 log Σⱼexp(μⱼ)),
    /// αᵢ = ψ⁻¹(μᵢ + ψ(s)), refined by two fixed-point sweeps αᵢ ← ψ⁻¹(μᵢ + ψ(Σα)).
    /// - Throws: `.nonFinite("mu[i]")`, `.outsideDomain` when Σ exp μᵢ ≥ 1 (or underflows to 0).
    static func startingAlpha(meanParameters mu: [Double]) throws(ExponentialFamilyError) -> [Double] {
        try requireFiniteParameter(mu, name: "mu")
        // log Σ exp μ, computed stably.
        let top = mu.max()!
        var sum = 0.0
        for m in mu { sum += Double.exp(m - top) }
        let logSum = top + Double.log(sum)
        if !(logSum < 0) {
            throw .outsideDomain(parameter: "Σ exp(mu[i]) (mean parameters E[log xᵢ])", value: Double.exp(logSum),
                                 requirement: "< 1 (exp E[log xᵢ] < E[xᵢ] and Σ E[xᵢ] = 1)")
        }
        // Precision α₀ from Minka's approximation ψ(x) ≈ log x − 1/(2x), then every αᵢ from
        // ψ(αᵢ) = μᵢ + ψ(α₀) (exact given α₀, and finite even where exp(μᵢ) underflows), then two
        // sweeps of Minka's fixed point α ← ψ⁻¹(μ + ψ(Σα)), which moves α₀ toward the solution.
        let s = Swift.min(Swift.max(Double(mu.count - 1) / (-2 * logSum), 1e-8), 1e100)
        var alpha = [Double](repeating: 0, count: mu.count)
        var psi0 = SpecialFunctions.digamma(s)
        for sweep in 0..<3 {
            var total = 0.0
            for i in mu.indices {
                alpha[i] = Swift.min(Swift.max(SpecialFunctions.inverseDigamma(mu[i] + psi0), 1e-300), 1e300)
                total += alpha[i]
            }
            if sweep < 2 { psi0 = SpecialFunctions.digamma(total) }
        }
        return alpha
    }

    /// δ with F·δ = r in O(K) by Sherman–Morrison on F = D − c11ᵀ (D = diag ψ′(α), c = ψ′(α₀)):
    /// δ = D⁻¹r + c(1ᵀD⁻¹r)/(1 − c·1ᵀD⁻¹1)·D⁻¹1. Falls back to a Cholesky solve of the explicit F when
    /// the denominator is not positive in floating point (it is in exact arithmetic: F is PD).
    func solveFisher(_ r: [Double]) throws(ExponentialFamilyError) -> [Double] {
        let c = SpecialFunctions.trigamma(alpha.reduce(0, +))
        var dInvR = [Double](repeating: 0, count: K), dInvOne = dInvR
        var sumR = 0.0, sumOne = 0.0
        for i in 0..<K {
            let w = 1 / SpecialFunctions.trigamma(alpha[i])
            dInvR[i] = w * r[i]
            dInvOne[i] = w
            sumR += dInvR[i]
            sumOne += w
        }
        let denominator = 1 - c * sumOne
        guard denominator > 0, denominator.isFinite else {
            return try NewtonInverseMap.choleskyStep(fisher: fisherInformation, r)
        }
        let factor = c * sumR / denominator
        for i in 0..<K { dInvR[i] += factor * dInvOne[i] }
        return dInvR
    }

    // MARK: ExponentialFamily

    /// A = Σ log Γ(αᵢ) − log Γ(α₀).
    public var logPartition: Double {
        var a = 0.0, a0 = 0.0
        for x in alpha {
            a += Double.logGamma(x)
            a0 += x
        }
        return a - Double.logGamma(a0)
    }

    /// μᵢ = ψ(αᵢ) − ψ(α₀). O(K).
    public var meanParameters: [Double] {
        let psi0 = SpecialFunctions.digamma(alpha.reduce(0, +))
        return alpha.map { SpecialFunctions.digamma($0) - psi0 }
    }

    /// F = diag(ψ′(α)) − ψ′(α₀)·11ᵀ (K × K).
    public var fisherInformation: Matrix {
        let c = SpecialFunctions.trigamma(alpha.reduce(0, +))
        var f = [Double](repeating: -c, count: K * K)
        for i in 0..<K { f[i + i * K] += SpecialFunctions.trigamma(alpha[i]) }
        return Matrix(rows: K, columns: K, columnMajor: f)
    }

    /// F·v = ψ′(α)∘v − ψ′(α₀)(Σv)·1, O(K).
    /// - Precondition: v.count == K.
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == K, "Fisher-vector product: v has \(v.count) entries, the family has dimension \(K)")
        var a0 = 0.0, sumV = 0.0
        for i in 0..<K { a0 += alpha[i]; sumV += v[i] }
        let shift = SpecialFunctions.trigamma(a0) * sumV
        var out = [Double](repeating: 0, count: K)
        for i in 0..<K { out[i] = SpecialFunctions.trigamma(alpha[i]) * v[i] - shift }
        return out
    }

    /// log p(x) = log Γ(α₀) − Σ log Γ(αᵢ) + Σ (αᵢ − 1)·log xᵢ, evaluated without the O(α·log α)
    /// cancellation of θ·T(x) − A (see `GammaFunctionDivergences.dirichletLogDensity`): the error is of
    /// the size that rounding x to doubles causes, ε·Σ αᵢ|xᵢ/āᵢ − 1|.
    /// - Throws: as ``sufficientStatistics(_:)``.
    public func logDensity(_ x: [Double]) throws(ExponentialFamilyError) -> Double {
        try checkObservation(x)
        var a0 = 0.0
        for a in alpha { a0 += a }
        var u = [Double](repeating: 0, count: K), logX = u
        for i in 0..<K {
            u[i] = (-alpha[i]).addingProduct(x[i], a0) / alpha[i]  // xᵢα₀/αᵢ − 1, one rounding in the numerator
            logX[i] = Double.log(x[i])
        }
        return GammaFunctionDivergences.dirichletLogDensity(alpha: alpha, relativeDeviation: u, logX: logX)
    }

    /// H = Σ log Γ(αᵢ) − log Γ(α₀) + (α₀ − K)ψ(α₀) − Σ (αᵢ − 1)ψ(αᵢ), with the O(α·log α) parts
    /// cancelled algebraically (see `GammaFunctionDivergences.dirichletEntropy`), so large
    /// concentrations keep their relative accuracy. O(K).
    public var entropy: Double { GammaFunctionDivergences.dirichletEntropy(alpha) }

    /// KL(self ‖ q) = log Γ(α₀) − Σ log Γ(αᵢ) − log Γ(β₀) + Σ log Γ(βᵢ) + Σ (αᵢ − βᵢ)(ψ(αᵢ) − ψ(α₀))
    /// (self = Dir(α), q = Dir(β)), evaluated without that form's cancellation as
    /// Σ βᵢ·φ(αᵢβ₀/(α₀βᵢ) − 1) + Σ D_g(βᵢ, αᵢ) − D_g(β₀, α₀): β₀ times the KL of the normalized
    /// concentrations, plus Bregman divergences of g(k) = log Γ(k) − k·log k + k (see
    /// `GammaFunctionDivergences`). Relative error ~10⁻¹⁴ also for p ≈ q; exactly 0 for q = p. O(K).
    /// - Precondition: q has the same K.
    public func klDivergence(to q: Dirichlet) -> Double {
        precondition(q.K == K, "KL between Dirichlets with \(K) and \(q.K) categories")
        return GammaFunctionDivergences.dirichletKL(alpha, q.alpha)
    }

    /// The member with natural parameters θ (validated).
    ///
    /// - Throws: as ``init(naturalParameters:)``, plus `.wrongDimension` if θ.count ≠ K.
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> Dirichlet {
        try requireCount(theta, K, name: "theta")
        return try Dirichlet(naturalParameters: theta)
    }

    /// Newton's method. - Throws: as ``init(meanParameters:newton:)``, plus `.wrongDimension` if μ.count ≠ K.
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> Dirichlet {
        try requireCount(mu, K, name: "mu")
        return try Dirichlet(meanParameters: mu)
    }

    /// T(x) = log x.
    /// - Throws: `.outsideSupport` when x has the wrong length, an entry that is not in (0, 1] or not
    ///   finite, or entries that do not sum to 1 within ``simplexTolerance``.
    public func sufficientStatistics(_ x: [Double]) throws(ExponentialFamilyError) -> [Double] {
        try checkObservation(x)
        return x.map { Double.log($0) }
    }

    /// log h(x) = 0. - Throws: as ``sufficientStatistics(_:)``.
    public func logBaseMeasure(_ x: [Double]) throws(ExponentialFamilyError) -> Double {
        try checkObservation(x)
        return 0
    }

    /// 0.
    public var expectedLogBaseMeasure: Double { 0 }

    /// xᵢ = gᵢ/Σgⱼ with gᵢ ~ Gamma(αᵢ, 1), normalized in log space (log gᵢ = log Gamma(αᵢ + 1) +
    /// log(U)/αᵢ for αᵢ < 1) so small concentrations do not underflow every gᵢ to 0. A coordinate can
    /// still round to 0 when its share is below the smallest double (as its true probability dictates).
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> [Double] {
        var logG = [Double](repeating: 0, count: K)
        for i in 0..<K { logG[i] = logStandardGamma(shape: alpha[i], using: &generator) }
        let top = logG.max()!
        var sum = 0.0
        for i in 0..<K {
            logG[i] = Double.exp(logG[i] - top)
            sum += logG[i]
        }
        for i in 0..<K { logG[i] /= sum }
        return logG
    }

    /// Maximum likelihood: the average of T followed by Newton's method (``withMeanParameters(_:)``),
    /// after checking that the data are not all equal — then the average T lies on the boundary of the
    /// mean space (Jensen's inequality is an equality) and the concentration estimates diverge, while rounding could still
    /// make the average look interior and send Newton to an absurd finite answer.
    /// - Throws: `.outsideSupport(index: i, …)`; `.maximumLikelihoodDoesNotExist` for no data or all
    ///   observations equal; `.inverseMapDidNotConverge`.
    public func fitted<S: Sequence>(to data: S) throws(ExponentialFamilyError) -> Dirichlet where S.Element == [Double] {
        let xs = Array(data)
        let mu = try averageSufficientStatistics(of: xs)
        if let first = xs.first, xs.allSatisfy({ $0 == first }) {
            throw .maximumLikelihoodDoesNotExist(reason: "all \(xs.count) observations equal \(first): the concentration estimates diverge")
        }
        return try withMaximumLikelihoodMean(mu)
    }

    private func checkObservation(_ x: [Double]) throws(ExponentialFamilyError) {
        if x.count != K {
            throw .outsideSupport(index: nil, description: "x has \(x.count) entries, the Dirichlet has \(K) categories")
        }
        var sum = 0.0
        for i in 0..<K {
            if !(x[i] > 0 && x[i] <= 1) {
                throw .outsideSupport(index: nil, description: "x[\(i)] = \(x[i]) is not in (0, 1]")
            }
            sum += x[i]
        }
        if Swift.abs(sum - 1) > Self.simplexTolerance {
            throw .outsideSupport(index: nil, description: "the entries of x sum to \(sum), not 1 (tolerance \(Self.simplexTolerance))")
        }
    }
}

/// log g for g ~ Gamma(shape k, rate 1), without underflow for small k:
/// log Gamma(k + 1) + log(U)/k when k < 1 (the same identity ``standardGamma(shape:using:)`` uses).
func logStandardGamma<G: RandomNumberGenerator>(shape k: Double, using g: inout G) -> Double {
    if k < 1 {
        let y = standardGamma(shape: k + 1, using: &g)
        return Double.log(y) + Double.log(openUnitUniform(using: &g)) / k
    }
    return Double.log(standardGamma(shape: k, using: &g))
}
