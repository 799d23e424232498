import RealModule

/// The Categorical family on K ≥ 2 classes x ∈ {0, …, K − 1}, in the minimal K − 1 parametrization
/// with the LAST class K − 1 as reference (as class K in the reference file's 1-based labels).
///
/// - T(x) = (1[x = 0], …, 1[x = K − 2]) (K − 1 indicators), h(x) = 1.
/// - θₖ = log(pₖ/p_{K−1}), k = 0…K − 2, θ ∈ ℝ^(K−1).
/// - A(θ) = log(1 + Σₖ e^θₖ) = −log p_{K−1}, evaluated as a log-sum-exp that includes the
///   reference's 0 (no overflow for large θ, no lost digits for very negative θ).
/// - μ = (p₀, …, p_{K−2}); F = diag(μ) − μμᵀ, applied as F·v = μ∘v − μ(μᵀv) in O(K).
/// - Mean space: μₖ > 0 and Σₖ μₖ < 1. Usual parameter: `probabilities` (all K, summing to 1).
public struct Categorical: ExponentialFamily, Hashable {
    public typealias Observation = Int
    /// K, the number of classes (a hyperparameter).
    public let categories: Int

    /// The largest K accepted, 2²⁴ (each K-vector of the law is then 128 MiB): a larger count, which data
    /// can ask for (a label of 5e9 read as "K = largest label + 1"), is an `.outsideDomain("categories")`
    /// error instead of an allocation that ends the process.
    public static let maximumCategories = 1 << 24

    /// Throws unless K ≤ `maximumCategories`.
    static func checkCategoryCount(_ k: Int) throws(ExponentialFamilyError) {
        guard k <= maximumCategories else {
            throw .outsideDomain(parameter: "categories", value: Double(k), requirement: "≤ \(maximumCategories) (2^24)")
        }
    }
    /// θ (K − 1 entries).
    public let theta: [Double]
    /// log pₖ = θₖ − A for k < K − 1 and −A for the reference: all K.
    public let logProbabilities: [Double]
    /// A(θ).
    public let logPartition: Double
    /// All K probabilities pₖ = e^(log pₖ) (computed once).
    public let probabilities: [Double]

    /// From all K probabilities (a sum within 1e-9 of 1 is accepted and renormalized: the member has
    /// pₖ ∝ the given values).
    /// - Throws: `.wrongDimension("probabilities")` when K < 2 entries are given (expected 2 reported),
    ///   `.nonFinite("probabilities[k]")`, `.outsideDomain("probabilities[k]", …, "> 0")`,
    ///   `.outsideDomain("sum of probabilities", …, "= 1 within 1e-9")`.
    public init(probabilities: [Double]) throws(ExponentialFamilyError) {
        try Self.checkCategoryCount(probabilities.count)
        guard probabilities.count >= 2 else {
            throw .wrongDimension(parameter: "probabilities", expected: Swift.max(2, probabilities.count + 1), actual: probabilities.count)
        }
        var total = 0.0
        for (k, p) in probabilities.enumerated() {
            try DomainCheck.positive(p, "probabilities[\(k)]")
            total += p
        }
        guard Swift.abs(total - 1) <= 1e-9 else {
            throw .outsideDomain(parameter: "sum of probabilities", value: total, requirement: "= 1 within 1e-9")
        }
        let logReference = Double.log(probabilities[probabilities.count - 1])
        try self.init(categories: probabilities.count,
                      unvalidatedTheta: probabilities.dropLast().map { Double.log($0) - logReference })
    }
    /// Categorical over K categories with natural parameters θₖ = log(pₖ/p_K), k < K.
    ///
    /// - Throws: `.outsideDomain("categories", …, "≥ 2")`, `.wrongDimension("theta", K − 1, …)`,
    ///   `.nonFinite("theta[k]")`.
    public init(categories: Int, naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        try Self.checkCategoryCount(categories)
        guard categories >= 2 else {
            throw .outsideDomain(parameter: "categories", value: Double(categories), requirement: "≥ 2")
        }
        try DomainCheck.count(theta, categories - 1, "theta")
        try self.init(categories: categories, unvalidatedTheta: theta)
    }
    /// Categorical over K categories with mean parameters μ = (p₁, …, p_{K−1}).
    ///
    /// - Throws: `.outsideDomain("categories", …)`, `.wrongDimension("mu", K − 1, …)`,
    ///   `.nonFinite("mu[k]")`, `.outsideDomain("mu[k]", …, "> 0")`,
    ///   `.outsideDomain("1 - sum(mu)", …, "> 0")` (the reference class needs positive probability).
    public init(categories: Int, meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        try Self.checkCategoryCount(categories)
        guard categories >= 2 else {
            throw .outsideDomain(parameter: "categories", value: Double(categories), requirement: "≥ 2")
        }
        try DomainCheck.count(mu, categories - 1, "mu")
        var total = 0.0
        for (k, m) in mu.enumerated() {
            try DomainCheck.positive(m, "mu[\(k)]")
            total += m
        }
        let reference = 1 - total
        guard reference > 0 else {
            throw .outsideDomain(parameter: "1 - sum(mu)", value: reference, requirement: "> 0")
        }
        let logReference = Double.log(reference)
        try self.init(categories: categories, unvalidatedTheta: mu.map { Double.log($0) - logReference })
    }

    private init(categories: Int, unvalidatedTheta theta: [Double]) throws(ExponentialFamilyError) {
        for (k, t) in theta.enumerated() where !t.isFinite { throw .nonFinite(parameter: "theta[\(k)]") }
        self.categories = categories
        self.theta = theta
        // A = m + log(e^−m + Σ e^(θₖ−m)), m = max(0, θ).
        let m = Swift.max(0, theta.max() ?? 0)
        var s = Double.exp(-m)
        for t in theta { s += Double.exp(t - m) }
        let a = m + Double.log(s)
        logPartition = a
        logProbabilities = theta.map { $0 - a } + [-a]
        probabilities = logProbabilities.map { Double.exp($0) }
    }

    public var dimension: Int { categories - 1 }
    public var naturalParameters: [Double] { theta }
    public var meanParameters: [Double] { Array(probabilities.dropLast()) }
    public var fisherInformation: Matrix {
        let mu = meanParameters
        let d = dimension
        var f = Matrix(rows: d, columns: d)
        for j in 0..<d {
            for i in 0..<d { f[i, j] = (i == j ? mu[i] : 0) - mu[i] * mu[j] }
        }
        return f
    }
    /// F·v = μ∘v − μ(μᵀv), O(K).
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == dimension, "Categorical F·v: v has \(v.count) entries, F is \(dimension)×\(dimension)")
        let mu = probabilities  // the first K − 1 entries are μ
        var dot = 0.0
        for k in 0..<dimension { dot += mu[k] * v[k] }
        return (0..<dimension).map { mu[$0] * (v[$0] - dot) }
    }
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> Categorical {
        try Categorical(categories: categories, naturalParameters: theta)
    }
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> Categorical {
        try Categorical(categories: categories, meanParameters: mu)
    }
    public func hasSameHyperparameters(as other: Categorical) -> Bool { categories == other.categories }

    public func sufficientStatistics(_ x: Int) throws(ExponentialFamilyError) -> [Double] {
        try check(x)
        var t = [Double](repeating: 0, count: dimension)
        if x < dimension { t[x] = 1 }
        return t
    }
    public func accumulateSufficientStatistics(_ x: Int, into sum: inout [Double]) throws(ExponentialFamilyError) {
        try check(x)
        if x < dimension { sum[x] += 1 }
    }
    public func logBaseMeasure(_ x: Int) throws(ExponentialFamilyError) -> Double {
        try check(x)
        return 0
    }
    public var expectedLogBaseMeasure: Double { 0 }
    /// H = −Σₖ pₖ log pₖ over all K classes (non-negative terms).
    public var entropy: Double {
        var h = 0.0
        for l in logProbabilities { h -= Double.exp(l) * l }
        return h
    }
    /// KL(p ‖ p′) = Σₖ pₖ·φ(e^(log p′ₖ − log pₖ) − 1), φ(d) = d − log(1 + d) ≥ 0, over all K classes
    /// (the linear terms Σ(p′ₖ − pₖ) = 0 are dropped exactly).
    public func klDivergence(to other: Categorical) -> Double {
        precondition(categories == other.categories, "Categorical KL between K = \(categories) and K = \(other.categories)")
        var kl = 0.0
        for k in 0..<categories {
            let l = logProbabilities[k]
            kl += probabilities[k] * ScalarFunctions.dMinusLog1p(Double.expMinusOne(other.logProbabilities[k] - l))
        }
        return kl
    }
    /// Maximum likelihood from the exact class counts cₖ: θ̂ₖ = log cₖ − log c_{K−1} (no rounding in
    /// 1 − Σμ̂, so a missing reference class is always detected).
    /// - Throws: `.maximumLikelihoodDoesNotExist` for no data or a class that never occurs (its
    ///   estimated probability 0 is on the boundary); `.outsideSupport(index: i, …)`.
    public func fitted<S: Sequence>(to data: S) throws(ExponentialFamilyError) -> Categorical where S.Element == Int {
        var counts = [Int](repeating: 0, count: categories)
        var n = 0
        for x in data {
            do { try check(x) } catch { throw error.locatedAt(index: n) }
            counts[x] += 1
            n += 1
        }
        guard n > 0 else { throw .maximumLikelihoodDoesNotExist(reason: "there are no observations") }
        if let k = counts.firstIndex(of: 0) {
            throw .maximumLikelihoodDoesNotExist(
                reason: "category \(k) never occurs, so its estimated probability 0 is on the boundary")
        }
        let logReference = Double.log(Double(counts[categories - 1]))
        return try Categorical(categories: categories,
                               unvalidatedTheta: counts.dropLast().map { Double.log(Double($0)) - logReference })
    }
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        categoricalVariate(probabilities: probabilities, using: &generator)
    }
    private func check(_ x: Int) throws(ExponentialFamilyError) {
        guard x >= 0 && x < categories else {
            throw .outsideSupport(index: nil, description: "x = \(x) is not a category label in 0…\(categories - 1)")
        }
    }
}
