import RealModule

/// The Exponential family on x > 0 with rate λ: density λ·e^(−λx).
///
/// - T(x) = x, h(x) = 1, θ = −λ, θ < 0.
/// - A(θ) = −log(−θ), μ = −1/θ = 1/λ, F = 1/θ² = 1/λ².
/// - Mean space: μ > 0. Usual parameter: `rate` (λ > 0).
public struct Exponential: ExponentialFamily, Hashable {
    public typealias Observation = Double
    /// λ > 0.
    public let rate: Double

    /// Exponential(rate b), b > 0.
    ///
    /// - Throws: `.nonFinite("rate")`, `.outsideDomain("rate", …, "> 0")`.
    public init(rate: Double) throws(ExponentialFamilyError) {
        try DomainCheck.positive(rate, "rate")
        self.rate = rate
    }
    /// The member with natural parameter θ = (−b).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("theta")`, `.outsideDomain("theta", …, "< 0")`.
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(theta, 1, "theta")
        try DomainCheck.negative(theta[0], "theta")
        rate = -theta[0]
    }
    /// The member with mean parameter μ = (1/b).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("mu")`, `.outsideDomain("mu", …, "> 0")` (also when 1/μ
    ///   overflows).
    public init(meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(mu, 1, "mu")
        try DomainCheck.positive(mu[0], "mu")
        guard (1 / mu[0]).isFinite else {
            throw .outsideDomain(parameter: "mu", value: mu[0], requirement: "large enough that 1/mu is finite")
        }
        rate = 1 / mu[0]
    }

    public var dimension: Int { 1 }
    public var naturalParameters: [Double] { [-rate] }
    public var meanParameters: [Double] { [1 / rate] }
    public var logPartition: Double { -Double.log(rate) }
    public var fisherInformation: Matrix { Matrix(rows: [[1 / (rate * rate)]]) }
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == 1, "Exponential F·v: v has \(v.count) entries, F is 1×1")
        return [v[0] / (rate * rate)]
    }
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> Exponential {
        try Exponential(naturalParameters: theta)
    }
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> Exponential {
        try Exponential(meanParameters: mu)
    }
    public func sufficientStatistics(_ x: Double) throws(ExponentialFamilyError) -> [Double] {
        try Exponential.check(x)
        return [x]
    }
    public func accumulateSufficientStatistics(_ x: Double, into sum: inout [Double]) throws(ExponentialFamilyError) {
        try Exponential.check(x)
        sum[0] += x
    }
    public func logBaseMeasure(_ x: Double) throws(ExponentialFamilyError) -> Double {
        try Exponential.check(x)
        return 0
    }
    public var expectedLogBaseMeasure: Double { 0 }
    /// H = 1 − log λ.
    public var entropy: Double { 1 - Double.log(rate) }
    /// KL(λ ‖ λ′) = φ(λ′/λ − 1), φ(d) = d − log(1 + d) (no cancellation).
    public func klDivergence(to other: Exponential) -> Double {
        ScalarFunctions.dMinusLog1p((other.rate - rate) / rate)
    }
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        -Double.log(openUnitUniform(using: &generator)) / rate
    }
    static func check(_ x: Double) throws(ExponentialFamilyError) {
        guard x > 0 && x.isFinite else {
            throw .outsideSupport(index: nil, description: "x = \(x) is not a finite number > 0")
        }
    }
}
