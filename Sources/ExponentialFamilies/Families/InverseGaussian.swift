import RealModule

/// The InverseGaussian (Wald) family on x > 0 with mean m and shape λ:
/// density √(λ/(2πx³))·exp(−λ(x − m)²/(2m²x)).
///
/// - T(x) = (x, 1/x), h(x) = (2πx³)^(−½), θ = (−λ/(2m²), −λ/2), θ₁ < 0, θ₂ < 0.
/// - A(θ) = −2√(θ₁θ₂) − ½·log(−2θ₂) = −λ/m − ½·log λ.
/// - μ = (m, 1/m + 1/λ); F = [[m³/λ, −m/λ], [−m/λ, 1/(mλ) + 2/λ²]] (F·v in O(1)).
/// - Mean space: μ₁ > 0 and μ₁μ₂ > 1 (Jensen; equality only for a point mass).
/// - Usual parameters: `mean` m > 0, `shape` λ > 0 (scipy invgauss(m/λ, scale=λ)).
public struct InverseGaussian: ExponentialFamily, Hashable {
    public typealias Observation = Double
    /// The mean m > 0.
    public let mean: Double
    /// The shape λ > 0.
    public let shape: Double

    /// InverseGaussian(mean m, shape λ), both > 0.
    ///
    /// - Throws: `.nonFinite`/`.outsideDomain(…, "> 0")` for "mean" or "shape".
    public init(mean: Double, shape: Double) throws(ExponentialFamilyError) {
        try DomainCheck.positive(mean, "mean")
        try DomainCheck.positive(shape, "shape")
        self.mean = mean
        self.shape = shape
    }
    /// The member with natural parameters θ = (−λ/(2m²), −λ/2).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("theta[k]")`, `.outsideDomain("theta[k]", …, "< 0")`,
    ///   or `.outsideDomain` when m = √(θ₂/θ₁) over- or underflows.
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(theta, 2, "theta")
        try DomainCheck.negative(theta[0], "theta[0]")
        try DomainCheck.negative(theta[1], "theta[1]")
        let m = (theta[1] / theta[0]).squareRoot()
        guard m > 0 && m.isFinite else {
            throw .outsideDomain(parameter: "theta[0]", value: theta[0], requirement: "such that sqrt(theta[1]/theta[0]) is a positive finite double")
        }
        mean = m
        shape = -2 * theta[1]
    }
    /// The member with mean parameters μ = (m, 1/m + 1/λ).
    ///
    /// - Throws: `.wrongDimension`, `.nonFinite("mu[k]")`, `.outsideDomain("mu[0]", …, "> 0")`,
    ///   `.outsideDomain("mu[1] - 1/mu[0]", …, "> 0")`.
    public init(meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        try DomainCheck.count(mu, 2, "mu")
        try DomainCheck.positive(mu[0], "mu[0]")
        let inverseShape = mu[1] - 1 / mu[0]
        guard inverseShape > 0 && (1 / inverseShape).isFinite else {
            throw .outsideDomain(parameter: "mu[1] - 1/mu[0]", value: inverseShape, requirement: "> 0 (1/shape)")
        }
        mean = mu[0]
        shape = 1 / inverseShape
    }

    public var dimension: Int { 2 }
    public var naturalParameters: [Double] { [-shape / (2 * mean * mean), -shape / 2] }
    public var meanParameters: [Double] { [mean, 1 / mean + 1 / shape] }
    public var logPartition: Double { -shape / mean - 0.5 * Double.log(shape) }
    public var fisherInformation: Matrix {
        let m = mean, l = shape
        return Matrix(rows: [[m * m * m / l, -m / l], [-m / l, 1 / (m * l) + 2 / (l * l)]])
    }
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == 2, "InverseGaussian F·v: v has \(v.count) entries, F is 2×2")
        let m = mean, l = shape
        return [m * m * m / l * v[0] - m / l * v[1], -m / l * v[0] + (1 / (m * l) + 2 / (l * l)) * v[1]]
    }
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> InverseGaussian {
        try InverseGaussian(naturalParameters: theta)
    }
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> InverseGaussian {
        try InverseGaussian(meanParameters: mu)
    }
    public func sufficientStatistics(_ x: Double) throws(ExponentialFamilyError) -> [Double] {
        try Exponential.check(x)
        return [x, 1 / x]
    }
    public func accumulateSufficientStatistics(_ x: Double, into sum: inout [Double]) throws(ExponentialFamilyError) {
        try Exponential.check(x)
        sum[0] += x
        sum[1] += 1 / x
    }
    public func logBaseMeasure(_ x: Double) throws(ExponentialFamilyError) -> Double {
        try Exponential.check(x)
        return -Normal.logSqrtTwoPi - 1.5 * Double.log(x)
    }
    /// log p(x) = ½·log(λ/(2πx³)) − λ(x − m)²/(2m²x), without the cancellation of θ₁x + θ₂/x + λ/m.
    /// - Throws: `.outsideSupport(index: nil, …)` for x ≤ 0 or non-finite.
    public func logDensity(_ x: Double) throws(ExponentialFamilyError) -> Double {
        try Exponential.check(x)
        let d = x - mean
        return 0.5 * Double.log(shape) - Normal.logSqrtTwoPi - 1.5 * Double.log(x)
            - shape * d * d / (2 * mean * mean * x)
    }
    /// E[log h] = −½·log(2π) − (3/2)·E[log x], E[log x] = log m − e^z·E₁(z), z = 2λ/m.
    public var expectedLogBaseMeasure: Double {
        let z = 2 * shape / mean
        return -Normal.logSqrtTwoPi - 1.5 * (Double.log(mean) - ScalarFunctions.scaledExponentialIntegralE1(z))
    }
    /// H = ½·log(2πe·m³/λ) − (3/2)·e^z·E₁(z), z = 2λ/m.
    public var entropy: Double {
        let z = 2 * shape / mean
        return 0.5 + Normal.logSqrtTwoPi + 1.5 * Double.log(mean) - 0.5 * Double.log(shape)
            - 1.5 * ScalarFunctions.scaledExponentialIntegralE1(z)
    }
    /// KL = ½·φ(λ′/λ − 1) + λ′(m − m′)²/(2m·m′²), φ(d) = d − log(1 + d) (non-negative terms).
    public func klDivergence(to other: InverseGaussian) -> Double {
        let dm = mean - other.mean
        return 0.5 * ScalarFunctions.dMinusLog1p((other.shape - shape) / shape)
            + other.shape * dm * dm / (2 * mean * other.mean * other.mean)
    }
    /// Maximum likelihood: m̂ = x̄, 1/λ̂ = (1/n)Σ(xᵢ − x̄)²/(xᵢ·x̄²) — the same value as mean(1/x) − 1/x̄,
    /// but as a sum of non-negative terms (no cancellation).
    /// - Throws: `.outsideSupport(index: i, …)` for x ≤ 0 or non-finite; `.maximumLikelihoodDoesNotExist`
    ///   for no data or all observations equal.
    public func fitted<S: Sequence>(to data: S) throws(ExponentialFamilyError) -> InverseGaussian where S.Element == Double {
        let xs = Array(data)
        guard !xs.isEmpty else { throw .maximumLikelihoodDoesNotExist(reason: "there are no observations") }
        var sum = 0.0
        for (i, x) in xs.enumerated() {
            do { try Exponential.check(x) } catch { throw error.locatedAt(index: i) }
            sum += x
        }
        if xs.allSatisfy({ $0 == xs[0] }) {
            throw .maximumLikelihoodDoesNotExist(
                reason: "all \(xs.count) observations are equal, so 1/shape = 0 is on the boundary of (0, ∞)")
        }
        let m = sum / Double(xs.count)
        var s = 0.0
        for x in xs { let d = x - m; s += d * d / x }
        let inverseShape = s / (m * m * Double(xs.count))
        guard inverseShape > 0 && (1 / inverseShape).isFinite else {
            throw .maximumLikelihoodDoesNotExist(reason: "the estimate 1/shape = \(inverseShape) is not a positive finite number")
        }
        return try InverseGaussian(mean: m, shape: 1 / inverseShape)
    }
    /// Michael, Schucany & Haas (1976): y = N², a = m·y/(2λ), the smaller root
    /// x₁ = m/(1 + a + √(a(a + 2))) (written without the cancellation of m(1 + a − √(a² + 2a))), then
    /// x₁ with probability m/(m + x₁), else m²/x₁. Exact.
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        let n = standardNormal(using: &generator)
        let a = mean * n * n / (2 * shape)
        let x1 = mean / (1 + a + (a * (a + 2)).squareRoot())
        return openUnitUniform(using: &generator) <= mean / (mean + x1) ? x1 : mean * mean / x1
    }
}
