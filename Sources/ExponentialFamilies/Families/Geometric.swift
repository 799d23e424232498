import RealModule

/// The Geometric family: x ∈ {0, 1, 2, …} failures before the first success, P(x) = p(1 − p)ˣ.
///
/// - T(x) = x, h(x) = 1, θ = log(1 − p), θ < 0.
/// - A(θ) = −log(1 − eᶿ) = −log p, μ = (1 − p)/p = 1/(e^−θ − 1), F = (1 − p)/p² = μ(1 + μ).
/// - Mean space: μ > 0. Usual parameter: `p` (success probability in (0, 1)).
public struct Geometric: ExponentialFamily, Hashable {
    public typealias Observation = Int
    /// θ = log(1 − p) < 0.
    public let theta: Double

    /// Geometric(p) (failures before the first success), p ∈ (0, 1).
    ///
    /// - Throws: `.nonFinite("p")`, `.outsideDomain("p", …, "in (0, 1)")`.
    public init(p: Double) throws(ExponentialFamilyError) {
        try DomainCheck.openUnitInterval(p, "p")
        theta = Double.log(onePlus: -p)
    }
    /// The member with natural parameter θ = (log(1 − p)).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("theta")`, `.outsideDomain("theta", …, "< 0")`.
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(theta, 1, "theta")
        try DomainCheck.negative(theta[0], "theta")
        self.theta = theta[0]
    }
    /// The member with mean parameter μ = ((1 − p)/p).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("mu")`, `.outsideDomain("mu", …, "> 0")`.
    public init(meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(mu, 1, "mu")
        try DomainCheck.positive(mu[0], "mu")
        theta = Double.log(mu[0]) - Double.log(onePlus: mu[0])  // log(μ/(1 + μ))
    }

    /// p = 1 − eᶿ = −expm1(θ).
    public var p: Double { -Double.expMinusOne(theta) }
    /// (1 − p)/p, the mean number of failures.
    var odds: Double { 1 / Double.expMinusOne(-theta) }

    public var dimension: Int { 1 }
    public var naturalParameters: [Double] { [theta] }
    public var meanParameters: [Double] { [odds] }
    public var logPartition: Double { -Double.log(p) }
    public var fisherInformation: Matrix { let m = odds; return Matrix(rows: [[m * (1 + m)]]) }
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == 1, "Geometric F·v: v has \(v.count) entries, F is 1×1")
        let m = odds
        return [m * (1 + m) * v[0]]
    }
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> Geometric {
        try Geometric(naturalParameters: theta)
    }
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> Geometric {
        try Geometric(meanParameters: mu)
    }
    public func sufficientStatistics(_ x: Int) throws(ExponentialFamilyError) -> [Double] {
        try Geometric.check(x)
        return [Double(x)]
    }
    public func accumulateSufficientStatistics(_ x: Int, into sum: inout [Double]) throws(ExponentialFamilyError) {
        try Geometric.check(x)
        sum[0] += Double(x)
    }
    public func logBaseMeasure(_ x: Int) throws(ExponentialFamilyError) -> Double {
        try Geometric.check(x)
        return 0
    }
    /// h = 1. (The default entropy A − θμ = −log p − θ·μ is a sum of two non-negative terms.)
    public var expectedLogBaseMeasure: Double { 0 }

    /// KL(p ‖ p′) = φ(−m·e) + m·φ(e), m = (1 − p)/p, e = e^(θ′−θ) − 1, φ(d) = d − log(1 + d):
    /// two non-negative terms, with the exact differences p′/p − 1 = −m·e and (1−p′)/(1−p) − 1 = e.
    public func klDivergence(to other: Geometric) -> Double {
        let m = odds
        let e = Double.expMinusOne(other.theta - theta)
        return ScalarFunctions.dMinusLog1p(-m * e) + m * ScalarFunctions.dMinusLog1p(e)
    }
    public func maximumLikelihoodObstruction(averageStatistics mu: [Double]) -> String? {
        mu[0] <= 0 ? "every observation is 0, so p̂ = 1 is on the boundary of (0, 1)" : nil
    }
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        geometricVariate(p: p, using: &generator)
    }
    private static func check(_ x: Int) throws(ExponentialFamilyError) {
        guard x >= 0 else { throw .outsideSupport(index: nil, description: "x = \(x) is not a count ≥ 0") }
    }
}
