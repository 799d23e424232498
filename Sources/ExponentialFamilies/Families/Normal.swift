import RealModule

/// The univariate Normal family N(m, s²) on x ∈ ℝ.
///
/// - T(x) = (x, x²), h(x) = 1/√(2π), θ = (m/s², −1/(2s²)), θ₂ < 0.
/// - A(θ) = −θ₁²/(4θ₂) − ½·log(−2θ₂) = m²/(2s²) + ½·log s².
/// - μ = (m, m² + s²); F = [[s², 2ms²], [2ms², 2s⁴ + 4m²s²]] (F·v in O(1)).
/// - Mean space: μ₂ − μ₁² > 0. Usual parameters: `mean` m, `variance` s² > 0.
///
/// The usual parameters are stored (θ and μ are computed from them), so `mean`/`variance` are exact.
public struct Normal: ExponentialFamily, Hashable {
    public typealias Observation = Double
    /// The mean m.
    public let mean: Double
    /// The variance σ² > 0.
    public let variance: Double

    /// Normal(mean m, variance σ²), σ² > 0.
    ///
    /// - Throws: `.nonFinite("mean")`, `.nonFinite("variance")`, `.outsideDomain("variance", …, "> 0")`.
    public init(mean: Double, variance: Double) throws(ExponentialFamilyError) {
        try DomainCheck.finite(mean, "mean")
        try DomainCheck.positive(variance, "variance")
        self.mean = mean
        self.variance = variance
    }
    /// The member with natural parameters θ = (m/σ², −1/(2σ²)).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("theta[k]")`, `.outsideDomain("theta[1]", …, "< 0")`
    ///   (also when −1/(2θ₂) or θ₁·s² overflows).
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(theta, 2, "theta")
        try DomainCheck.negative(theta[1], "theta[1]")
        let s2 = -0.5 / theta[1]
        let m = theta[0] * s2
        guard s2.isFinite && m.isFinite else {
            throw .outsideDomain(parameter: "theta[1]", value: theta[1], requirement: "< 0 and large enough that -1/(2 theta[1]) and theta[0]·s² are finite")
        }
        mean = m
        variance = s2
    }
    /// The member with mean parameters μ = (m, m² + σ²).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("mu[k]")`, `.outsideDomain("mu[1] - mu[0]^2", …, "> 0")`.
    public init(meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(mu, 2, "mu")
        let s2 = mu[1] - mu[0] * mu[0]
        guard s2 > 0 && s2.isFinite else {
            throw .outsideDomain(parameter: "mu[1] - mu[0]^2", value: s2, requirement: "> 0 (a positive variance)")
        }
        mean = mu[0]
        variance = s2
    }

    public var dimension: Int { 2 }
    public var naturalParameters: [Double] { [mean / variance, -0.5 / variance] }
    public var meanParameters: [Double] { [mean, mean * mean + variance] }
    public var logPartition: Double { mean * mean / (2 * variance) + 0.5 * Double.log(variance) }
    public var fisherInformation: Matrix {
        let s2 = variance, m = mean
        let off = 2 * m * s2
        return Matrix(rows: [[s2, off], [off, 2 * s2 * s2 + 4 * m * m * s2]])
    }
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == 2, "Normal F·v: v has \(v.count) entries, F is 2×2")
        let s2 = variance, m = mean
        let off = 2 * m * s2
        return [s2 * v[0] + off * v[1], off * v[0] + (2 * s2 * s2 + 4 * m * m * s2) * v[1]]
    }
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> Normal {
        try Normal(naturalParameters: theta)
    }
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> Normal {
        try Normal(meanParameters: mu)
    }
    public func sufficientStatistics(_ x: Double) throws(ExponentialFamilyError) -> [Double] {
        try Normal.check(x)
        return [x, x * x]
    }
    public func accumulateSufficientStatistics(_ x: Double, into sum: inout [Double]) throws(ExponentialFamilyError) {
        try Normal.check(x)
        sum[0] += x
        sum[1] += x * x
    }
    static let logSqrtTwoPi = 0.918_938_533_204_672_741_8
    public func logBaseMeasure(_ x: Double) throws(ExponentialFamilyError) -> Double {
        try Normal.check(x)
        return -Normal.logSqrtTwoPi
    }
    public var expectedLogBaseMeasure: Double { -Normal.logSqrtTwoPi }
    /// H = ½·log(2πe·s²).
    public var entropy: Double { 0.5 + Normal.logSqrtTwoPi + 0.5 * Double.log(variance) }
    /// log p(x) = −½·log(2πs²) − (x − m)²/(2s²), without the cancellation of log h + θ·T − A.
    public func logDensity(_ x: Double) throws(ExponentialFamilyError) -> Double {
        try Normal.check(x)
        let z = x - mean
        return -Normal.logSqrtTwoPi - 0.5 * Double.log(variance) - z * z / (2 * variance)
    }
    /// KL = ½·φ(s²/s′² − 1) + (m − m′)²/(2s′²), φ(d) = d − log(1 + d) (non-negative terms).
    public func klDivergence(to other: Normal) -> Double {
        let dm = mean - other.mean
        return 0.5 * ScalarFunctions.dMinusLog1p((variance - other.variance) / other.variance)
            + dm * dm / (2 * other.variance)
    }
    /// Maximum likelihood by the corrected two-pass algorithm: m̂ = x̄, ŝ² = (1/n)Σ(xᵢ − x̄)²
    /// (never E[x²] − x̄², which cancels).
    /// - Throws: `.maximumLikelihoodDoesNotExist` for no data or all observations equal (ŝ² = 0);
    ///   `.outsideSupport(index: i, …)` for NaN/±∞.
    public func fitted<S: Sequence>(to data: S) throws(ExponentialFamilyError) -> Normal where S.Element == Double {
        let (m, s2) = try Normal.meanAndVariance(Array(data)) { x throws(ExponentialFamilyError) in
            try Normal.check(x)
            return x
        }
        return try Normal(mean: m, variance: s2)
    }
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        mean + variance.squareRoot() * standardNormal(using: &generator)
    }
    static func check(_ x: Double) throws(ExponentialFamilyError) {
        guard x.isFinite else { throw .outsideSupport(index: nil, description: "x = \(x) is not a finite real number") }
    }

    /// (x̄, (1/n)Σ(yᵢ − ȳ)²) of yᵢ = transform(xᵢ) by the corrected two-pass algorithm.
    static func meanAndVariance(
        _ xs: [Double], transform: (Double) throws(ExponentialFamilyError) -> Double
    ) throws(ExponentialFamilyError) -> (Double, Double) {
        guard !xs.isEmpty else { throw .maximumLikelihoodDoesNotExist(reason: "there are no observations") }
        var ys = [Double]()
        ys.reserveCapacity(xs.count)
        for (i, x) in xs.enumerated() {
            do { ys.append(try transform(x)) } catch { throw error.locatedAt(index: i) }
        }
        if ys.allSatisfy({ $0 == ys[0] }) {
            throw .maximumLikelihoodDoesNotExist(
                reason: ys.count == 1
                    ? "a single observation gives a variance estimate of 0, on the boundary of (0, ∞)"
                    : "all \(ys.count) observations are equal, so the variance estimate 0 is on the boundary of (0, ∞)")
        }
        let n = Double(ys.count)
        var sum = 0.0
        for y in ys { sum += y }
        var m = sum / n
        var correction = 0.0, squares = 0.0
        for y in ys {
            let d = y - m
            correction += d
            squares += d * d
        }
        m += correction / n
        let s2 = (squares - correction * correction / n) / n
        guard s2 > 0 && s2.isFinite else {
            throw .maximumLikelihoodDoesNotExist(reason: "the variance estimate \(s2) is not a positive finite number")
        }
        return (m, s2)
    }
}
