import RealModule

/// The Beta distribution Beta(α, β) on (0, 1), as a canonical exponential family.
///
/// - Support: 0 < x < 1.
/// - Natural parameters (dimension 2): θ = (α − 1, β − 1) (the reference file's convention).
/// - Sufficient statistic: T(x) = (log x, log(1 − x)) (the second computed as log1p(−x)).
/// - Base measure: h(x) = 1.
/// - Log-partition: A(θ) = log Γ(α) + log Γ(β) − log Γ(α + β).
/// - Domain: θᵢ > −1 (α, β > 0).
/// - Mean parameters: μ = (ψ(α) − ψ(α + β), ψ(β) − ψ(α + β)). Interior of the mean space:
///   exp μ₁ + exp μ₂ < 1 (Jensen, as for the Dirichlet with K = 2, which this is).
/// - Usual parameters: α, β.
/// - Fisher: F = [[ψ′(α) − ψ′(α₀), −ψ′(α₀)], [−ψ′(α₀), ψ′(β) − ψ′(α₀)]], α₀ = α + β.
///
/// μ → θ: the generic ``NewtonInverseMap`` (Cholesky-solved 2 × 2 steps, halving to stay in the
/// domain) from the same closed-form start as ``Dirichlet``.
public struct Beta: ExponentialFamily {
    public typealias Observation = Double

    /// α > 0.
    public let alpha: Double
    /// β > 0.
    public let beta: Double

    /// 2.
    public var dimension: Int { 2 }
    /// θ = (α − 1, β − 1).
    public var naturalParameters: [Double] { [alpha - 1, beta - 1] }

    /// Beta(α, β).
    /// - Throws: `.nonFinite("alpha")` / `.nonFinite("beta")`, `.outsideDomain(parameter: "alpha" or
    ///   "beta", value:, requirement: "> 0")`.
    public init(alpha: Double, beta: Double) throws(ExponentialFamilyError) {
        if !alpha.isFinite { throw .nonFinite(parameter: "alpha") }
        if !beta.isFinite { throw .nonFinite(parameter: "beta") }
        if !(alpha > 0) { throw .outsideDomain(parameter: "alpha", value: alpha, requirement: "> 0") }
        if !(beta > 0) { throw .outsideDomain(parameter: "beta", value: beta, requirement: "> 0") }
        self.alpha = alpha
        self.beta = beta
    }

    /// The member with θ = (α − 1, β − 1).
    /// - Throws: `.wrongDimension`, `.nonFinite("theta[i]")`, `.outsideDomain(parameter:
    ///   "theta[0] (alpha − 1)" or "theta[1] (beta − 1)", value:, requirement: "> −1")`.
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        try requireCount(theta, 2, name: "theta")
        try requireFiniteParameter(theta, name: "theta")
        let a = theta[0] + 1, b = theta[1] + 1
        if !(a > 0) { throw .outsideDomain(parameter: "theta[0] (alpha − 1)", value: theta[0], requirement: "> −1") }
        if !(b > 0) { throw .outsideDomain(parameter: "theta[1] (beta − 1)", value: theta[1], requirement: "> −1") }
        alpha = a
        beta = b
    }

    /// The member with μ = (E[log x], E[log(1 − x)]), by Newton's method.
    /// - Throws: `.wrongDimension`, `.nonFinite("mu[i]")`, `.outsideDomain(parameter: "Σ exp(mu[i])
    ///   (mean parameters E[log xᵢ])", value:, requirement: "< 1 …")` when μ is not attainable,
    ///   `.inverseMapDidNotConverge(iterations:residual:)`.
    public init(meanParameters mu: [Double], newton: NewtonInverseMap = .standard) throws(ExponentialFamilyError) {
        try requireCount(mu, 2, name: "mu")
        let start = try Dirichlet.startingAlpha(meanParameters: mu)
        self = try newton.solve(meanParameters: mu, from: Beta(alpha: start[0], beta: start[1])).member
    }

    // MARK: ExponentialFamily

    /// A = log Γ(α) + log Γ(β) − log Γ(α + β).
    public var logPartition: Double {
        Double.logGamma(alpha) + Double.logGamma(beta) - Double.logGamma(alpha + beta)
    }

    /// μ = (ψ(α) − ψ(α + β), ψ(β) − ψ(α + β)).
    public var meanParameters: [Double] {
        let psi0 = SpecialFunctions.digamma(alpha + beta)
        return [SpecialFunctions.digamma(alpha) - psi0, SpecialFunctions.digamma(beta) - psi0]
    }

    /// F = [[ψ′(α) − ψ′(α₀), −ψ′(α₀)], [−ψ′(α₀), ψ′(β) − ψ′(α₀)]].
    public var fisherInformation: Matrix {
        let c = SpecialFunctions.trigamma(alpha + beta)
        return Matrix(rows: [[SpecialFunctions.trigamma(alpha) - c, -c], [-c, SpecialFunctions.trigamma(beta) - c]])
    }

    /// F·v (O(1)). - Precondition: v.count == 2.
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == 2, "Fisher-vector product: v has \(v.count) entries, the family has dimension 2")
        let c = SpecialFunctions.trigamma(alpha + beta) * (v[0] + v[1])
        return [SpecialFunctions.trigamma(alpha) * v[0] - c, SpecialFunctions.trigamma(beta) * v[1] - c]
    }

    /// log p(x) = (α − 1)·log x + (β − 1)·log(1 − x) − log B(α, β), as the Dirichlet with K = 2
    /// (``Dirichlet/logDensity(_:)``), with xα₀ − α formed once by a fused multiply–add (the second
    /// component's deviation is its negative, so 1 − x is never rounded) and log(1 − x) = log1p(−x).
    /// - Throws: as ``sufficientStatistics(_:)``.
    public func logDensity(_ x: Double) throws(ExponentialFamilyError) -> Double {
        try Self.checkObservation(x)
        let a0 = alpha + beta
        let deviation = (-alpha).addingProduct(x, a0)  // xα₀ − α = −((1 − x)α₀ − β)
        return GammaFunctionDivergences.dirichletLogDensity(
            alpha: [alpha, beta], relativeDeviation: [deviation / alpha, -deviation / beta],
            logX: [Double.log(x), Double.log(onePlus: -x)])
    }

    /// H = log B(α, β) − (α − 1)ψ(α) − (β − 1)ψ(β) + (α + β − 2)ψ(α + β), the Dirichlet form with K = 2
    /// (``Dirichlet/entropy``): no O(α·log α) cancellation for large α, β.
    public var entropy: Double { GammaFunctionDivergences.dirichletEntropy([alpha, beta]) }

    /// KL(self ‖ q), the Dirichlet formula with K = 2 (``Dirichlet/klDivergence(to:)``): a sum of
    /// φ terms and Bregman divergences of g(k) = log Γ(k) − k·log k + k instead of the Bregman form's
    /// difference of log Γ values. Relative error ~10⁻¹⁴ also for p ≈ q; exactly 0 for q = p.
    public func klDivergence(to q: Beta) -> Double {
        GammaFunctionDivergences.dirichletKL([alpha, beta], [q.alpha, q.beta])
    }

    /// The member with natural parameters θ (validated).
    ///
    /// - Throws: as ``init(naturalParameters:)``.
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> Beta {
        try Beta(naturalParameters: theta)
    }

    /// Newton's method. - Throws: as ``init(meanParameters:newton:)``.
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> Beta {
        try Beta(meanParameters: mu)
    }

    /// T(x) = (log x, log(1 − x)). - Throws: `.outsideSupport` unless 0 < x < 1.
    public func sufficientStatistics(_ x: Double) throws(ExponentialFamilyError) -> [Double] {
        try Self.checkObservation(x)
        return [Double.log(x), Double.log(onePlus: -x)]
    }

    /// log h(x) = 0. - Throws: as ``sufficientStatistics(_:)``.
    public func logBaseMeasure(_ x: Double) throws(ExponentialFamilyError) -> Double {
        try Self.checkObservation(x)
        return 0
    }

    /// 0.
    public var expectedLogBaseMeasure: Double { 0 }

    /// x = g₁/(g₁ + g₂) with gᵢ ~ Gamma(αᵢ, 1), formed as 1/(1 + exp(log g₂ − log g₁)) so that
    /// small α, β do not underflow both gammas to 0.
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        let l1 = logStandardGamma(shape: alpha, using: &generator)
        let l2 = logStandardGamma(shape: beta, using: &generator)
        return 1 / (1 + Double.exp(l2 - l1))
    }

    /// Maximum likelihood: the average of T followed by Newton's method (``withMeanParameters(_:)``),
    /// after checking that the data are not all equal — then the average T lies on the boundary of the
    /// mean space (Jensen's inequality is an equality) and α̂ and β̂ diverge, while rounding could still
    /// make the average look interior and send Newton to an absurd finite answer.
    /// - Throws: `.outsideSupport(index: i, …)`; `.maximumLikelihoodDoesNotExist` for no data or all
    ///   observations equal; `.inverseMapDidNotConverge`.
    public func fitted<S: Sequence>(to data: S) throws(ExponentialFamilyError) -> Beta where S.Element == Double {
        let xs = Array(data)
        let mu = try averageSufficientStatistics(of: xs)
        if let first = xs.first, xs.allSatisfy({ $0 == first }) {
            throw .maximumLikelihoodDoesNotExist(reason: "all \(xs.count) observations equal \(first): α̂ and β̂ diverge")
        }
        return try withMaximumLikelihoodMean(mu)
    }

    private static func checkObservation(_ x: Double) throws(ExponentialFamilyError) {
        if !(x > 0 && x < 1) {
            throw .outsideSupport(index: nil, description: "x = \(x) is outside the Beta support (0, 1)")
        }
    }
}
