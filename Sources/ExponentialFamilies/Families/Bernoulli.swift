import RealModule

/// The Bernoulli family on x ∈ {0, 1}, P(x = 1) = p.
///
/// - T(x) = x, h(x) = 1, θ = log(p/(1 − p)) (the logit), θ ∈ ℝ.
/// - A(θ) = log(1 + eᶿ) (softplus, evaluated without overflow), μ = σ(θ) = p, F = p(1 − p).
/// - Mean space: μ ∈ (0, 1). Usual parameter: `p`.
///
/// Any finite θ is accepted; for |θ| > ~36.7, p rounds to 0 or 1 in float64, so the mean
/// parametrization (and the round trip θ → μ → θ) is only meaningful below that.
public struct Bernoulli: ExponentialFamily, Hashable {
    public typealias Observation = Int
    /// θ = logit p.
    public let theta: Double
    /// p = σ(θ) (stored as given when constructed from p or μ, so a fitted p̂ is exactly the sample mean).
    public let p: Double
    /// 1 − p = σ(−θ), accurate also when p ≈ 1.
    public let q: Double

    /// Bernoulli(p), success probability p ∈ (0, 1).
    ///
    /// - Throws: `.nonFinite("p")`, `.outsideDomain("p", …, "in (0, 1)")`.
    public init(p: Double) throws(ExponentialFamilyError) {
        try DomainCheck.openUnitInterval(p, "p")
        self.p = p
        q = 1 - p
        theta = Double.log(p) - Double.log(onePlus: -p)
    }
    /// The member with natural parameter θ = (log(p/(1 − p))).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("theta")`.
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(theta, 1, "theta")
        self.theta = theta[0]
        p = ScalarFunctions.logistic(theta[0])
        q = ScalarFunctions.logistic(-theta[0])
    }
    /// The member with mean parameter μ = (p).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("mu")`, `.outsideDomain("mu", …, "in (0, 1)")`.
    public init(meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(mu, 1, "mu")
        try DomainCheck.openUnitInterval(mu[0], "mu")
        self = try Bernoulli(p: mu[0])
    }

    public var dimension: Int { 1 }
    public var naturalParameters: [Double] { [theta] }
    public var meanParameters: [Double] { [p] }
    public var logPartition: Double { ScalarFunctions.softplus(theta) }
    public var fisherInformation: Matrix { Matrix(rows: [[p * q]]) }
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == 1, "Bernoulli F·v: v has \(v.count) entries, F is 1×1")
        return [p * q * v[0]]
    }
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> Bernoulli {
        try Bernoulli(naturalParameters: theta)
    }
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> Bernoulli {
        try Bernoulli(meanParameters: mu)
    }
    public func sufficientStatistics(_ x: Int) throws(ExponentialFamilyError) -> [Double] {
        try Bernoulli.check(x)
        return [Double(x)]
    }
    public func accumulateSufficientStatistics(_ x: Int, into sum: inout [Double]) throws(ExponentialFamilyError) {
        try Bernoulli.check(x)
        sum[0] += Double(x)
    }
    public func logBaseMeasure(_ x: Int) throws(ExponentialFamilyError) -> Double {
        try Bernoulli.check(x)
        return 0
    }
    public var expectedLogBaseMeasure: Double { 0 }

    /// H = −p log p − q log q = log1p(e^−|θ|) + |θ|·σ(−|θ|): two non-negative terms, no cancellation.
    public var entropy: Double {
        let a = Swift.abs(theta)
        return Double.log(onePlus: Double.exp(-a)) + a * ScalarFunctions.logistic(-a)
    }

    /// KL(p ‖ p′) = p·φ(δ/p) + q·φ(−δ/q), δ = p′ − p, φ(d) = d − log(1 + d) ≥ 0 (no cancellation).
    public func klDivergence(to other: Bernoulli) -> Double {
        let p0 = p, q0 = q
        // δ = σ(θ′) − σ(θ) = sinh(Δ/2) / (2 cosh(θ/2) cosh(θ′/2)): exact difference, no cancellation.
        let delta: Double
        if Swift.abs(theta) + Swift.abs(other.theta) < 1400 {  // cosh(θ/2)·cosh(θ′/2) stays finite
            delta = Double.sinh((other.theta - theta) / 2)
                / (2 * Double.cosh(theta / 2) * Double.cosh(other.theta / 2))
        } else {
            delta = other.p - p0
        }
        return p0 * ScalarFunctions.dMinusLog1p(delta / p0) + q0 * ScalarFunctions.dMinusLog1p(-delta / q0)
    }

    public func maximumLikelihoodObstruction(averageStatistics mu: [Double]) -> String? {
        if mu[0] <= 0 { return "every observation is 0, so p̂ = 0 is on the boundary of (0, 1)" }
        if mu[0] >= 1 { return "every observation is 1, so p̂ = 1 is on the boundary of (0, 1)" }
        return nil
    }

    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        openUnitUniform(using: &generator) < p ? 1 : 0
    }

    private static func check(_ x: Int) throws(ExponentialFamilyError) {
        guard x == 0 || x == 1 else { throw .outsideSupport(index: nil, description: "x = \(x) is not 0 or 1") }
    }
}
