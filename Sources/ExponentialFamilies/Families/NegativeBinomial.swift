import RealModule

/// The NegativeBinomial family with known r > 0: x ∈ {0, 1, 2, …} failures before the r-th success,
/// P(x) = C(x + r − 1, x)·pʳ(1 − p)ˣ (scipy.stats.nbinom(r, p)); real r is allowed
/// (C(x + r − 1, x) = Γ(x + r)/(Γ(r)·x!)).
///
/// - T(x) = x, h(x) = C(x + r − 1, x), θ = log(1 − p), θ < 0.
/// - A(θ) = −r·log(1 − eᶿ) = −r·log p, μ = r(1 − p)/p, F = r(1 − p)/p².
/// - Mean space: μ > 0. Usual parameters: `r` (fixed), `p` (success probability in (0, 1)).
public struct NegativeBinomial: ExponentialFamily, Hashable {
    public typealias Observation = Int
    /// r > 0, the number of successes (a hyperparameter: never estimated).
    public let r: Double
    /// θ = log(1 − p) < 0.
    public let theta: Double

    /// NegativeBinomial(r, p) (failures before the r-th success), r > 0, p ∈ (0, 1).
    ///
    /// - Throws: `.nonFinite`/`.outsideDomain` for "r" (> 0) or "p" (in (0, 1)).
    public init(r: Double, p: Double) throws(ExponentialFamilyError) {
        try DomainCheck.positive(r, "r")
        try DomainCheck.openUnitInterval(p, "p")
        self.r = r
        theta = Double.log(onePlus: -p)
    }
    /// NegativeBinomial with r and natural parameter θ = (log(1 − p)).
    ///
    /// - Throws: errors for "r", `.wrongDimension`, `.nonFinite("theta")`, `.outsideDomain("theta", …, "< 0")`.
    public init(r: Double, naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.positive(r, "r")
        try DomainCheck.count(theta, 1, "theta")
        try DomainCheck.negative(theta[0], "theta")
        self.r = r
        self.theta = theta[0]
    }
    /// NegativeBinomial with r and mean parameter μ = (r(1 − p)/p).
    ///
    /// - Throws: errors for "r", `.wrongDimension`, `.nonFinite("mu")`, `.outsideDomain("mu", …, "> 0")`.
    public init(r: Double, meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.positive(r, "r")
        try DomainCheck.count(mu, 1, "mu")
        try DomainCheck.positive(mu[0], "mu")
        self.r = r
        let m = mu[0] / r
        theta = Double.log(m) - Double.log(onePlus: m)
    }

    /// The success probability p = 1 − e^θ.
    public var p: Double { -Double.expMinusOne(theta) }
    private var odds: Double { 1 / Double.expMinusOne(-theta) }

    public var dimension: Int { 1 }
    public var naturalParameters: [Double] { [theta] }
    public var meanParameters: [Double] { [r * odds] }
    public var logPartition: Double { -r * Double.log(p) }
    public var fisherInformation: Matrix { let m = odds; return Matrix(rows: [[r * m * (1 + m)]]) }
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == 1, "NegativeBinomial F·v: v has \(v.count) entries, F is 1×1")
        let m = odds
        return [r * m * (1 + m) * v[0]]
    }
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> NegativeBinomial {
        try NegativeBinomial(r: r, naturalParameters: theta)
    }
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> NegativeBinomial {
        try NegativeBinomial(r: r, meanParameters: mu)
    }
    public func hasSameHyperparameters(as other: NegativeBinomial) -> Bool { r == other.r }

    public func sufficientStatistics(_ x: Int) throws(ExponentialFamilyError) -> [Double] {
        try NegativeBinomial.check(x)
        return [Double(x)]
    }
    public func accumulateSufficientStatistics(_ x: Int, into sum: inout [Double]) throws(ExponentialFamilyError) {
        try NegativeBinomial.check(x)
        sum[0] += Double(x)
    }
    private func logH(_ x: Int) -> Double {
        let xd = Double(x)
        return Double.logGamma(xd + r) - Double.logGamma(r) - Double.logGamma(xd + 1)
    }
    public func logBaseMeasure(_ x: Int) throws(ExponentialFamilyError) -> Double {
        try NegativeBinomial.check(x)
        return logH(x)
    }
    private func logProbability(_ x: Int) -> Double {
        LogProbabilityMass.negativeBinomial(Double(x), r, p, Double.exp(theta))  // q = 1 − p = eᶿ
    }

    /// log P(x) in Loader's saddle-point form (no cancellation between log-gamma values).
    /// - Throws: `.outsideSupport(index: nil, …)` for x < 0.
    public func logDensity(_ x: Int) throws(ExponentialFamilyError) -> Double {
        try NegativeBinomial.check(x)
        return logProbability(x)
    }
    private var mode: Int { r > 1 ? saturatingInt(((r - 1) * odds).rounded(.down)) : 0 }

    /// E[log C(x + r − 1, x)], summed over the non-negligible x (cost ≈ the number of x with
    /// P(x) > 2⁻⁶⁰·max P, i.e. O(√(r(1 − p))/p + log(2⁶⁰)/p): slow for p below ~10⁻⁷).
    public var expectedLogBaseMeasure: Double {
        CountSums.expectation(mode: mode, upper: nil, logProbability: logProbability, value: logH)
    }
    /// H = −Σ P(x) log P(x), a sum of non-negative terms (cost as ``expectedLogBaseMeasure``).
    public var entropy: Double {
        CountSums.expectation(mode: mode, upper: nil, logProbability: logProbability) { -logProbability($0) }
    }
    /// KL = r × the Geometric KL (cancellation-free φ form).
    public func klDivergence(to other: NegativeBinomial) -> Double {
        precondition(r == other.r, "NegativeBinomial KL between r = \(r) and r = \(other.r)")
        let a = try! Geometric(naturalParameters: [theta]), b = try! Geometric(naturalParameters: [other.theta])
        return r * a.klDivergence(to: b)
    }
    public func maximumLikelihoodObstruction(averageStatistics mu: [Double]) -> String? {
        mu[0] <= 0 ? "every observation is 0, so p̂ = 1 is on the boundary of (0, 1)" : nil
    }
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        negativeBinomialVariate(r: r, p: p, using: &generator)
    }
    private static func check(_ x: Int) throws(ExponentialFamilyError) {
        guard x >= 0 else { throw .outsideSupport(index: nil, description: "x = \(x) is not a count ≥ 0") }
    }
}
