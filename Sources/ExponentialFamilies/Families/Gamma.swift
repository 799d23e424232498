import RealModule

/// The Gamma distribution with shape k and rate b, as a canonical exponential family.
///
/// - Support: x > 0.
/// - Natural parameters (dimension 2): θ = (k − 1, −b) (the reference file's convention).
/// - Sufficient statistic: T(x) = (log x, x).
/// - Base measure: h(x) = 1.
/// - Log-partition: A(θ) = log Γ(θ₁ + 1) − (θ₁ + 1)·log(−θ₂) = log Γ(k) − k log b.
/// - Domain: θ₁ > −1 (k > 0), θ₂ < 0 (b > 0).
/// - Mean parameters: μ = (ψ(k) − log b, k/b). Interior of the mean space: μ₂ > 0 and μ₁ < log μ₂
///   (Jensen: E[log x] < log E[x]).
/// - Usual parameters: shape k, rate b (scale 1/b). Density b^k x^(k−1) e^(−bx)/Γ(k).
/// - Fisher: F = [[ψ′(k), 1/b], [1/b, k/b²]].
///
/// μ → θ: b = k/μ₂ exactly, and k solves the one-dimensional equation log k − ψ(k) = s with
/// s = log μ₂ − μ₁ > 0, by Newton's method from the closed-form start
/// k₀ = (3 − s + √((s − 3)² + 24s))/(12s) (within 1.5 % of the root for all s). Both sides are
/// evaluated without cancellation (``SpecialFunctions/digammaMinusLog(_:)``,
/// ``SpecialFunctions/trigammaMinusReciprocal(_:)``), so k is found to full relative accuracy even for
/// k ~ 10¹², where s ≈ 1/(2k) is tiny.
public struct Gamma: ExponentialFamily {
    public typealias Observation = Double

    /// Shape k > 0.
    public let shape: Double
    /// Rate b > 0.
    public let rate: Double

    /// Scale 1/b.
    public var scale: Double { 1 / rate }
    /// 2.
    public var dimension: Int { 2 }
    /// θ = (k − 1, −b).
    public var naturalParameters: [Double] { [shape - 1, -rate] }

    /// Gamma(shape k, rate b).
    /// - Throws: `.nonFinite("shape")` / `.nonFinite("rate")`, `.outsideDomain(parameter: "shape" or
    ///   "rate", value:, requirement: "> 0")`.
    public init(shape: Double, rate: Double) throws(ExponentialFamilyError) {
        if !shape.isFinite { throw .nonFinite(parameter: "shape") }
        if !rate.isFinite { throw .nonFinite(parameter: "rate") }
        if !(shape > 0) { throw .outsideDomain(parameter: "shape", value: shape, requirement: "> 0") }
        if !(rate > 0) { throw .outsideDomain(parameter: "rate", value: rate, requirement: "> 0") }
        self.shape = shape
        self.rate = rate
    }

    /// The member with θ = (k − 1, −b).
    /// - Throws: `.wrongDimension`, `.nonFinite("theta[i]")`, `.outsideDomain(parameter:
    ///   "theta[0] (shape − 1)", …, "> −1")`, `.outsideDomain(parameter: "theta[1] (−rate)", …, "< 0")`.
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        try requireCount(theta, 2, name: "theta")
        try requireFiniteParameter(theta, name: "theta")
        let k = theta[0] + 1
        if !(k > 0) { throw .outsideDomain(parameter: "theta[0] (shape − 1)", value: theta[0], requirement: "> −1") }
        if !(theta[1] < 0) { throw .outsideDomain(parameter: "theta[1] (−rate)", value: theta[1], requirement: "< 0") }
        shape = k
        rate = -theta[1]
    }

    /// The member with μ = (E[log x], E[x]), solving log k − ψ(k) = log μ₂ − μ₁ by Newton's method.
    /// - Parameters:
    ///   - mu: μ = (E[log x], E[x]), length 2, with E[x] > 0 and log E[x] − E[log x] > 0 (Jensen).
    ///   - newton: `maximumIterations` caps the Newton steps; convergence is |log k − ψ(k) − s| ≤
    ///     `tolerance`·s (relative to s, which is tiny for large k). Default ``NewtonInverseMap/standard``.
    /// - Throws: `.wrongDimension`, `.nonFinite("mu[i]")`, `.outsideDomain(parameter: "mu[1] (E[x])",
    ///   …, "> 0")`, `.outsideDomain(parameter: "log(mu[1]) − mu[0] (log E[x] − E[log x])", …, "> 0")`,
    ///   `.inverseMapDidNotConverge(iterations:residual:)` with residual |μ₁(θ) − μ₁|.
    public init(meanParameters mu: [Double], newton: NewtonInverseMap = .standard) throws(ExponentialFamilyError) {
        try requireCount(mu, 2, name: "mu")
        try requireFiniteParameter(mu, name: "mu")
        if !(mu[1] > 0) { throw .outsideDomain(parameter: "mu[1] (E[x])", value: mu[1], requirement: "> 0") }
        let s = Double.log(mu[1]) - mu[0]
        if !(s > 0) {
            throw .outsideDomain(parameter: "log(mu[1]) − mu[0] (log E[x] − E[log x])", value: s,
                                 requirement: "> 0 (Jensen's inequality, strict for a non-degenerate distribution)")
        }
        let k = try Self.solveShape(s: s, newton: newton)
        try self.init(shape: k, rate: k / mu[1])
    }

    /// The k > 0 with log k − ψ(k) = s (s > 0), by safeguarded Newton iteration.
    static func solveShape(s: Double, newton: NewtonInverseMap) throws(ExponentialFamilyError) -> Double {
        // f(k) = log k − ψ(k) − s is convex and decreasing from +∞ to −s; f′(k) = 1/k − ψ′(k) < 0.
        var k = (3 - s + ((s - 3) * (s - 3) + 24 * s).squareRoot()) / (12 * s)
        if !(k.isFinite && k > 0) { k = 0.5 / s }
        var residual = -SpecialFunctions.digammaMinusLog(k) - s
        for iteration in 0...newton.maximumIterations {
            if Swift.abs(residual) <= newton.tolerance * s { return k }
            if iteration == newton.maximumIterations { break }
            let slope = -SpecialFunctions.trigammaMinusReciprocal(k)
            var next = k - residual / slope
            // Newton from the right of the root can jump to k ≤ 0; halve the step toward 0 instead.
            var halvings = 0
            while !(next > 0 && next.isFinite) && halvings < newton.maximumHalvings {
                next = 0.5 * (k + Swift.max(next, 0))
                halvings += 1
            }
            let nextResidual = -SpecialFunctions.digammaMinusLog(next) - s
            if !nextResidual.isFinite || next == k {
                throw .inverseMapDidNotConverge(iterations: iteration, residual: Swift.abs(residual))
            }
            k = next
            residual = nextResidual
        }
        throw .inverseMapDidNotConverge(iterations: newton.maximumIterations, residual: Swift.abs(residual))
    }

    // MARK: ExponentialFamily

    /// A = log Γ(k) − k log b.
    public var logPartition: Double { Double.logGamma(shape) - shape * Double.log(rate) }

    /// μ = (ψ(k) − log b, k/b).
    public var meanParameters: [Double] {
        [SpecialFunctions.digamma(shape) - Double.log(rate), shape / rate]
    }

    /// F = [[ψ′(k), 1/b], [1/b, k/b²]].
    public var fisherInformation: Matrix {
        let c = 1 / rate
        return Matrix(rows: [[SpecialFunctions.trigamma(shape), c], [c, shape * c * c]])
    }

    /// F·v (2 × 2, O(1)). - Precondition: v.count == 2.
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == 2, "Fisher-vector product: v has \(v.count) entries, the family has dimension 2")
        let c = 1 / rate
        return [SpecialFunctions.trigamma(shape) * v[0] + c * v[1], c * v[0] + shape * c * c * v[1]]
    }

    /// log p(x) = log(k/x) + log Pois(k; bx), Pois(k; λ) = λᵏe^−λ/Γ(k + 1) in Loader's saddle-point
    /// form (Stirling's error and bd0(k, bx) = k·log(k/(bx)) + bx − k ≥ 0), since
    /// p(x) = bᵏxᵏ⁻¹e^−bx/Γ(k) = (k/x)·Pois(k; bx). The direct θ·T(x) − A subtracts terms of size
    /// k·log k (error ε·k·log k, 2·10⁻⁷ absolute at k = 10⁸); this form keeps a few ulps of
    /// |log p| + 1 (bx is carried as an exact two-term sum). When bx is not a normal double (it underflows or overflows) the direct form is used.
    /// - Throws: as ``sufficientStatistics(_:)``.
    public func logDensity(_ x: Double) throws(ExponentialFamilyError) -> Double {
        try Self.checkObservation(x)
        let lambda = rate * x
        if lambda.isNormal {
            // bx = λ + e exactly (fused multiply–add); bd0 changes by e·(1 − k/λ) to first order, which
            // matters when |k − bx| is large: the rounding of bx alone would cost ε·|k − bx|.
            let low = (-lambda).addingProduct(rate, x)
            // log k − log x, not log(k/x): the quotient overflows for k ≫ 1 ≫ x.
            // low·(1 − k/λ) as low − (low/λ)·k: |low/λ| ≤ 2⁻⁵³, so nothing overflows even when k/λ does.
            return (Double.log(shape) - Double.log(x)) + LogProbabilityMass.poisson(shape, lambda)
                - (low - (low / lambda) * shape)
        }
        return shape * Double.log(rate) + (shape - 1) * Double.log(x) - rate * x - Double.logGamma(shape)
    }

    /// H = log Γ(k) − (k − 1)·ψ(k) + k − log b, with the k·log k terms cancelled algebraically (see
    /// `GammaFunctionDivergences.gammaEntropy`): ~10⁻¹⁴ relative for every k, where A − θ·μ lost
    /// ε·k·log k absolute.
    public var entropy: Double { GammaFunctionDivergences.gammaEntropy(shape: shape, rate: rate) }

    /// KL(self ‖ q) = (kp − kq)·ψ(kp) − log Γ(kp) + log Γ(kq) + kq·log(bp/bq) + kp·(bq − bp)/bp, evaluated
    /// without the cancellation of that (Bregman) form as kq·φ(mp/mq − 1) + D_g(kq, kp): the mean
    /// part (m = k/b, φ(d) = d − log(1 + d)) plus the Bregman divergence of g(k) = log Γ(k) − k·log k + k,
    /// both non-negative (see `GammaFunctionDivergences`). Relative error ~10⁻¹⁴ also for p ≈ q;
    /// exactly 0 for q = p.
    public func klDivergence(to q: Gamma) -> Double {
        GammaFunctionDivergences.gammaKL(shape: shape, rate: rate, toShape: q.shape, rate: q.rate)
    }

    /// The member with natural parameters θ (validated).
    ///
    /// - Throws: as ``init(naturalParameters:)``.
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> Gamma {
        try Gamma(naturalParameters: theta)
    }

    /// Newton's method on the shape. - Throws: as ``init(meanParameters:newton:)``.
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> Gamma {
        try Gamma(meanParameters: mu)
    }

    /// T(x) = (log x, x). - Throws: `.outsideSupport` unless 0 < x < ∞.
    public func sufficientStatistics(_ x: Double) throws(ExponentialFamilyError) -> [Double] {
        try Self.checkObservation(x)
        return [Double.log(x), x]
    }

    /// log h(x) = 0. - Throws: as ``sufficientStatistics(_:)``.
    public func logBaseMeasure(_ x: Double) throws(ExponentialFamilyError) -> Double {
        try Self.checkObservation(x)
        return 0
    }

    /// 0.
    public var expectedLogBaseMeasure: Double { 0 }

    /// x = g/b with g ~ Gamma(k, 1) (Marsaglia–Tsang; for k < 1 through Gamma(k + 1)·U^(1/k) in log
    /// space). For very small shapes a draw can underflow to 0 — as often as the true distribution puts
    /// mass below the smallest double (P(x < 10⁻³⁰⁸) ≈ 0.5 for k = 10⁻³) — and 0 is outside the support.
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        standardGamma(shape: shape, using: &generator) / rate
    }

    /// Maximum likelihood: the average of T followed by Newton's method (``withMeanParameters(_:)``),
    /// after checking that the data are not all equal — then the average T lies on the boundary of the
    /// mean space (Jensen's inequality is an equality) and the shape estimate diverges, while rounding could still
    /// make the average look interior and send Newton to an absurd finite answer.
    /// - Throws: `.outsideSupport(index: i, …)`; `.maximumLikelihoodDoesNotExist` for no data or all
    ///   observations equal; `.inverseMapDidNotConverge`.
    public func fitted<S: Sequence>(to data: S) throws(ExponentialFamilyError) -> Gamma where S.Element == Double {
        let xs = Array(data)
        let mu = try averageSufficientStatistics(of: xs)
        if let first = xs.first, xs.allSatisfy({ $0 == first }) {
            throw .maximumLikelihoodDoesNotExist(reason: "all \(xs.count) observations equal \(first): the shape estimate diverges")
        }
        return try withMaximumLikelihoodMean(mu)
    }

    private static func checkObservation(_ x: Double) throws(ExponentialFamilyError) {
        if !(x > 0 && x.isFinite) {
            throw .outsideSupport(index: nil, description: "x = \(x) is outside the Gamma support (0, ∞)")
        }
    }
}
