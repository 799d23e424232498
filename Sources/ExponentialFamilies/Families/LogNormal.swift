import RealModule

/// The LogNormal family on x > 0: log x ~ N(m, s²).
///
/// - T(x) = (log x, (log x)²), h(x) = 1/(x√(2π)), θ = (m/s², −1/(2s²)), θ₂ < 0.
/// - A(θ) = −θ₁²/(4θ₂) − ½·log(−2θ₂) (as the Normal), μ = (m, m² + s²), F as the Normal's.
/// - Mean space: μ₂ − μ₁² > 0. Usual parameters: `logMean` m = E[log x] and `logVariance`
///   s² = Var[log x] (the CLI names them `mu` and `sigma2`).
public struct LogNormal: ExponentialFamily, Hashable {
    public typealias Observation = Double
    /// The Normal law of log x (same θ, μ, A, F).
    public let logarithm: Normal

    /// LogNormal: log x ~ Normal(logMean, logVariance), logVariance > 0.
    ///
    /// - Throws: `.nonFinite("logMean")`, `.nonFinite("logVariance")`, `.outsideDomain("logVariance", …, "> 0")`.
    public init(logMean: Double, logVariance: Double) throws(ExponentialFamilyError) {
        try DomainCheck.finite(logMean, "logMean")
        try DomainCheck.positive(logVariance, "logVariance")
        logarithm = try Normal(mean: logMean, variance: logVariance)
    }
    /// The member with the natural parameters of the Normal law of log x.
    ///
    /// - Throws: as ``Normal/init(naturalParameters:)``.
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        logarithm = try Normal(naturalParameters: theta)
    }
    /// The member with the mean parameters (E log x, E log² x).
    ///
    /// - Throws: as ``Normal/init(meanParameters:)``.
    public init(meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        logarithm = try Normal(meanParameters: mu)
    }
    init(logarithm: Normal) { self.logarithm = logarithm }

    /// E[log x].
    public var logMean: Double { logarithm.mean }
    /// Var[log x].
    public var logVariance: Double { logarithm.variance }

    public var dimension: Int { 2 }
    public var naturalParameters: [Double] { logarithm.naturalParameters }
    public var meanParameters: [Double] { logarithm.meanParameters }
    public var logPartition: Double { logarithm.logPartition }
    public var fisherInformation: Matrix { logarithm.fisherInformation }
    public func fisherVectorProduct(_ v: [Double]) -> [Double] { logarithm.fisherVectorProduct(v) }
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> LogNormal {
        try LogNormal(naturalParameters: theta)
    }
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> LogNormal {
        try LogNormal(meanParameters: mu)
    }
    public func sufficientStatistics(_ x: Double) throws(ExponentialFamilyError) -> [Double] {
        let y = try LogNormal.logOf(x)
        return [y, y * y]
    }
    public func accumulateSufficientStatistics(_ x: Double, into sum: inout [Double]) throws(ExponentialFamilyError) {
        let y = try LogNormal.logOf(x)
        sum[0] += y
        sum[1] += y * y
    }
    public func logBaseMeasure(_ x: Double) throws(ExponentialFamilyError) -> Double {
        -(try LogNormal.logOf(x)) - Normal.logSqrtTwoPi
    }
    /// E[log h] = −m − ½·log(2π).
    public var expectedLogBaseMeasure: Double { -logMean - Normal.logSqrtTwoPi }
    /// H = m + ½·log(2πe·s²).
    public var entropy: Double { logMean + logarithm.entropy }
    /// log p(x) = −log x + log N(log x; m, s²).
    public func logDensity(_ x: Double) throws(ExponentialFamilyError) -> Double {
        let y = try LogNormal.logOf(x)
        return try logarithm.logDensity(y) - y
    }
    /// KL between the laws of log x (a change of variables leaves KL unchanged).
    public func klDivergence(to other: LogNormal) -> Double { logarithm.klDivergence(to: other.logarithm) }
    /// Maximum likelihood: the two-pass Normal fit of log x.
    /// - Throws: `.outsideSupport(index: i, …)` for x ≤ 0 or non-finite; `.maximumLikelihoodDoesNotExist`
    ///   for no data or all observations equal.
    public func fitted<S: Sequence>(to data: S) throws(ExponentialFamilyError) -> LogNormal where S.Element == Double {
        let (m, s2) = try Normal.meanAndVariance(Array(data), transform: LogNormal.logOf)
        return try LogNormal(logMean: m, logVariance: s2)
    }
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Double {
        Double.exp(logarithm.sample(using: &generator))
    }
    static func logOf(_ x: Double) throws(ExponentialFamilyError) -> Double {
        try Exponential.check(x)
        return Double.log(x)
    }
}
