import RealModule

/// The Binomial family with a known number of trials n: x ∈ {0, …, n} successes, P(success) = p.
///
/// - T(x) = x, h(x) = C(n, x), θ = log(p/(1 − p)), θ ∈ ℝ.
/// - A(θ) = n·log(1 + eᶿ), μ = n·p, F = n·p·(1 − p).
/// - Mean space: μ ∈ (0, n). Usual parameters: `trials` (n ≥ 1, fixed), `p`.
public struct Binomial: ExponentialFamily, Hashable {
    public typealias Observation = Int
    /// n, the number of trials (a hyperparameter: never estimated).
    public let trials: Int
    /// θ = logit p.
    public let theta: Double
    /// p = σ(θ) (stored as given when constructed from p or μ, so a fitted p̂ is exactly x̄/n).
    public let p: Double
    /// 1 − p = σ(−θ), accurate also when p ≈ 1.
    public let q: Double

    /// Binomial(n, p): n ≥ 1 trials, success probability p ∈ (0, 1).
    ///
    /// - Throws: `.outsideDomain("trials", …, "≥ 1")`, `.nonFinite("p")`, `.outsideDomain("p", …, "in (0, 1)")`.
    public init(trials: Int, p: Double) throws(ExponentialFamilyError) {
        try Binomial.checkTrials(trials)
        try DomainCheck.openUnitInterval(p, "p")
        self.trials = trials
        self.p = p
        q = 1 - p
        theta = Double.log(p) - Double.log(onePlus: -p)
    }
    /// Binomial with n trials and natural parameter θ = (log(p/(1 − p))).
    ///
    /// - Throws: `.outsideDomain("trials", …)`, `.wrongDimension`, `.nonFinite("theta")`.
    public init(trials: Int, naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        try Binomial.checkTrials(trials)
        try DomainCheck.count(theta, 1, "theta")
        self.trials = trials
        self.theta = theta[0]
        p = ScalarFunctions.logistic(theta[0])
        q = ScalarFunctions.logistic(-theta[0])
    }
    /// Binomial with n trials and mean parameter μ = (n·p).
    ///
    /// - Throws: `.outsideDomain("trials", …)`, `.wrongDimension`, `.nonFinite("mu")`,
    ///   `.outsideDomain("mu", …, "in (0, n)")`.
    public init(trials: Int, meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        try Binomial.checkTrials(trials)
        try DomainCheck.count(mu, 1, "mu")
        let n = Double(trials)
        guard mu[0] > 0 && mu[0] < n else {
            throw .outsideDomain(parameter: "mu", value: mu[0], requirement: "in (0, \(trials))")
        }
        self.trials = trials
        // θ = log(μ/(n − μ)); n − μ is exact when μ > n/2 (Sterbenz) and benign otherwise.
        theta = Double.log(mu[0]) - Double.log(n - mu[0])
        p = mu[0] / n
        q = (n - mu[0]) / n
    }

    public var dimension: Int { 1 }
    public var naturalParameters: [Double] { [theta] }
    public var meanParameters: [Double] { [Double(trials) * p] }
    public var logPartition: Double { Double(trials) * ScalarFunctions.softplus(theta) }
    public var fisherInformation: Matrix { Matrix(rows: [[Double(trials) * p * q]]) }
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == 1, "Binomial F·v: v has \(v.count) entries, F is 1×1")
        return [Double(trials) * p * q * v[0]]
    }
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> Binomial {
        try Binomial(trials: trials, naturalParameters: theta)
    }
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> Binomial {
        try Binomial(trials: trials, meanParameters: mu)
    }
    public func hasSameHyperparameters(as other: Binomial) -> Bool { trials == other.trials }

    public func sufficientStatistics(_ x: Int) throws(ExponentialFamilyError) -> [Double] {
        try check(x)
        return [Double(x)]
    }
    public func accumulateSufficientStatistics(_ x: Int, into sum: inout [Double]) throws(ExponentialFamilyError) {
        try check(x)
        sum[0] += Double(x)
    }
    public func logBaseMeasure(_ x: Int) throws(ExponentialFamilyError) -> Double {
        try check(x)
        return ScalarFunctions.logBinomialCoefficient(Double(trials), Double(x))
    }

    /// log P(x) = log C(n, x) + x·log p + (n − x)·log(1 − p), in Loader's saddle-point form.
    private func logProbability(_ x: Int) -> Double {
        LogProbabilityMass.binomial(Double(x), Double(trials), p, q)
    }

    /// log P(x) without the cancellation of log C(n, x) + θx − A for large n.
    /// - Throws: `.outsideSupport(index: nil, …)` for x ∉ 0…n.
    public func logDensity(_ x: Int) throws(ExponentialFamilyError) -> Double {
        try check(x)
        return logProbability(x)
    }
    private var mode: Int { Swift.min(trials, saturatingInt(((Double(trials) + 1) * p).rounded(.down))) }

    /// E[log C(n, x)], summed over the non-negligible x (cost O(√(npq))); for npq ≥ 10⁸ it is
    /// A − θμ − H = n·H_Bernoulli(p) − H with the asymptotic H (O(1); H ≪ n·H_Bernoulli).
    public var expectedLogBaseMeasure: Double {
        let n = Double(trials)
        if n * p * q >= 1e8 { return n * Bernoulli(unchecked: theta).entropy - entropy }
        return CountSums.expectation(mode: mode, upper: trials, logProbability: logProbability) {
            ScalarFunctions.logBinomialCoefficient(n, Double($0))
        }
    }
    /// H = −Σ P(x) log P(x): a sum of non-negative terms (cost O(√(npq))). For v = npq ≥ 10⁸ the
    /// asymptotic H = ½·log(2πe·v) − (1 − 4pq)/(12v) + O(v⁻²) is used (O(1); the 1/v coefficient and an
    /// O(v⁻²) remainder below 0.1/v² ≤ 1e-17 were checked against mpmath sums).
    public var entropy: Double {
        let v = Double(trials) * p * q
        if v >= 1e8 {
            return 0.5 + Normal.logSqrtTwoPi + 0.5 * Double.log(v) - (1 - 4 * p * q) / (12 * v)
        }
        return CountSums.expectation(mode: mode, upper: trials, logProbability: logProbability) { -logProbability($0) }
    }
    /// KL = n × the Bernoulli KL (cancellation-free φ form).
    public func klDivergence(to other: Binomial) -> Double {
        precondition(trials == other.trials, "Binomial KL between n = \(trials) and n = \(other.trials)")
        return Double(trials) * Bernoulli(unchecked: theta).klDivergence(to: Bernoulli(unchecked: other.theta))
    }

    public func maximumLikelihoodObstruction(averageStatistics mu: [Double]) -> String? {
        if mu[0] <= 0 { return "every observation is 0, so p̂ = 0 is on the boundary of (0, 1)" }
        if mu[0] >= Double(trials) { return "every observation is \(trials) (= n), so p̂ = 1 is on the boundary of (0, 1)" }
        return nil
    }

    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        binomialVariate(trials: trials, p: p, using: &generator)
    }

    private func check(_ x: Int) throws(ExponentialFamilyError) {
        guard x >= 0 && x <= trials else {
            throw .outsideSupport(index: nil, description: "x = \(x) is not a count in 0…\(trials)")
        }
    }
    private static func checkTrials(_ n: Int) throws(ExponentialFamilyError) {
        guard n >= 1 else { throw .outsideDomain(parameter: "trials", value: Double(n), requirement: "≥ 1") }
    }
}

extension Bernoulli {
    /// θ known to be finite.
    init(unchecked theta: Double) { try! self.init(naturalParameters: [theta]) }
}
