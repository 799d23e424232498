import RealModule

/// The Poisson family on x ∈ {0, 1, 2, …} with rate λ.
///
/// - T(x) = x, h(x) = 1/x!, θ = log λ, θ ∈ ℝ.
/// - A(θ) = eᶿ = λ, μ = λ, F = λ.
/// - Mean space: μ > 0. Usual parameter: `rate` (λ > 0).
public struct Poisson: ExponentialFamily, Hashable {
    public typealias Observation = Int
    /// θ = log λ.
    public let theta: Double
    /// λ = eᶿ (stored as given when constructed from λ or μ, so a fitted λ̂ is exactly the sample mean).
    public let rate: Double

    /// Poisson(rate λ), λ > 0.
    ///
    /// - Throws: `.nonFinite("rate")`, `.outsideDomain("rate", …, "> 0")`.
    public init(rate: Double) throws(ExponentialFamilyError) {
        try DomainCheck.positive(rate, "rate")
        self.rate = rate
        theta = Double.log(rate)
    }
    /// The member with natural parameter θ = (log λ).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("theta")`, `.outsideDomain("theta", …)` when eᶿ
    ///   overflows or underflows to 0.
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(theta, 1, "theta")
        let rate = Double.exp(theta[0])
        guard rate > 0 && rate.isFinite else {
            throw .outsideDomain(parameter: "theta", value: theta[0], requirement: "such that exp(theta) is a positive finite double")
        }
        self.theta = theta[0]
        self.rate = rate
    }
    /// The member with mean parameter μ = (λ).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("mu")`, `.outsideDomain("mu", …, "> 0")`.
    public init(meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(mu, 1, "mu")
        try DomainCheck.positive(mu[0], "mu")
        rate = mu[0]
        theta = Double.log(mu[0])
    }

    public var dimension: Int { 1 }
    public var naturalParameters: [Double] { [theta] }
    public var meanParameters: [Double] { [rate] }
    public var logPartition: Double { rate }
    public var fisherInformation: Matrix { Matrix(rows: [[rate]]) }
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == 1, "Poisson F·v: v has \(v.count) entries, F is 1×1")
        return [rate * v[0]]
    }
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> Poisson {
        try Poisson(naturalParameters: theta)
    }
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> Poisson {
        try Poisson(meanParameters: mu)
    }
    public func sufficientStatistics(_ x: Int) throws(ExponentialFamilyError) -> [Double] {
        try Poisson.check(x)
        return [Double(x)]
    }
    public func accumulateSufficientStatistics(_ x: Int, into sum: inout [Double]) throws(ExponentialFamilyError) {
        try Poisson.check(x)
        sum[0] += Double(x)
    }
    public func logBaseMeasure(_ x: Int) throws(ExponentialFamilyError) -> Double {
        try Poisson.check(x)
        return -Double.logGamma(Double(x) + 1)
    }

    private func logProbability(_ x: Int) -> Double { LogProbabilityMass.poisson(Double(x), rate) }

    /// log P(x) in Loader's saddle-point form (no cancellation between x·log λ and log x!).
    /// - Throws: `.outsideSupport(index: nil, …)` for x < 0.
    public func logDensity(_ x: Int) throws(ExponentialFamilyError) -> Double {
        try Poisson.check(x)
        return logProbability(x)
    }
    private var mode: Int { saturatingInt(rate.rounded(.down)) }

    /// −E[log x!], summed over the non-negligible x (cost O(√λ)); for λ ≥ 10⁴ it is
    /// A − θμ − H = λ(1 − θ) − H with the asymptotic H (O(1); H ≪ λ|1 − θ| so nothing cancels).
    public var expectedLogBaseMeasure: Double {
        if rate >= 1e4 { return rate * (1 - theta) - entropy }
        return CountSums.expectation(mode: mode, upper: nil, logProbability: logProbability) { -Double.logGamma(Double($0) + 1) }
    }
    /// H = −Σ P(x) log P(x), a sum of non-negative terms (cost O(√λ)), instead of
    /// λ(1 − log λ) + E[log x!], which cancels badly for large λ. For λ ≥ 10⁴ the asymptotic series
    /// H = ½·log(2πeλ) − 1/(12λ) − 1/(24λ²) − 19/(360λ³) + O(λ⁻⁴) is used (O(1) cost; the omitted term
    /// is ≈ 0.12/λ⁴ ≤ 1.2e-17, checked against mpmath, below the rounding of H ≈ 6).
    public var entropy: Double {
        let lambda = rate
        if lambda >= 1e4 {
            let inverse = 1 / lambda
            return 0.5 + Normal.logSqrtTwoPi + 0.5 * theta
                - inverse * (1.0 / 12 + inverse * (1.0 / 24 + inverse * 19.0 / 360))
        }
        return CountSums.expectation(mode: mode, upper: nil, logProbability: logProbability) { -logProbability($0) }
    }
    /// KL(λ ‖ λ′) = λ·φ(λ′/λ − 1), φ(d) = d − log(1 + d) (no cancellation; λ′ − λ is exact when
    /// λ′ ≈ λ).
    public func klDivergence(to other: Poisson) -> Double {
        rate * ScalarFunctions.dMinusLog1p((other.rate - rate) / rate)
    }
    public func maximumLikelihoodObstruction(averageStatistics mu: [Double]) -> String? {
        mu[0] <= 0 ? "every observation is 0, so the rate estimate 0 is on the boundary of (0, ∞)" : nil
    }
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        poissonVariate(rate: rate, using: &generator)
    }
    private static func check(_ x: Int) throws(ExponentialFamilyError) {
        guard x >= 0 else { throw .outsideSupport(index: nil, description: "x = \(x) is not a count ≥ 0") }
    }
}
