import RealModule

/// The d-dimensional normal distribution with diagonal covariance (mean-field Gaussian),
/// N(m, diag(σ₁², …, σ_d²)), as a canonical exponential family.
///
/// - Support: x ∈ ℝᵈ (an `[Double]` of length d).
/// - Natural parameters (dimension 2d): θ = (η₁…η_d, λ₁…λ_d) with ηᵢ = mᵢ/σᵢ², λᵢ = −1/(2σᵢ²) —
///   all η first, then all λ.
/// - Sufficient statistic: T(x) = (x₁…x_d, x₁²…x_d²).
/// - Base measure: h(x) = (2π)^(−d/2).
/// - Log-partition: A(θ) = Σᵢ [−ηᵢ²/(4λᵢ) − ½ log(−2λᵢ)] = Σᵢ [mᵢ²/(2σᵢ²) + log σᵢ].
/// - Domain: λᵢ < 0, ηᵢ ∈ ℝ.
/// - Mean parameters: μ = (m₁…m_d, m₁² + σ₁², …, m_d² + σ_d²); interior: μ_{d+i} − μᵢ² > 0.
/// - Usual parameters: mean m, variances σ².
///
/// The Fisher matrix is block diagonal in the pairs (ηᵢ, λᵢ):
/// [[σᵢ², 2mᵢσᵢ²], [2mᵢσᵢ², 4mᵢ²σᵢ² + 2σᵢ⁴]] (Cov of (xᵢ, xᵢ²)); F·v costs O(d).
public struct DiagonalNormal: ExponentialFamily {
    public typealias Observation = [Double]

    /// Number of variables d.
    public let d: Int
    /// θ = (η₁…η_d, λ₁…λ_d).
    public let naturalParameters: [Double]
    /// The mean m.
    public let mean: [Double]
    /// The variances σᵢ².
    public let variances: [Double]

    /// 2d.
    public var dimension: Int { 2 * d }

    /// N(m, diag(σ²)).
    /// - Throws: `.nonFinite("mean[i]")`, `.nonFinite("variances[i]")`,
    ///   `.outsideDomain(parameter: "variances[i]", value:, requirement: "> 0")`.
    /// - Precondition: mean and variances have the same length.
    public init(mean: [Double], variances: [Double]) throws(ExponentialFamilyError) {
        precondition(mean.count == variances.count, "DiagonalNormal: mean has \(mean.count) entries, variances has \(variances.count)")
        try requireFiniteParameter(mean, name: "mean")
        try requireFiniteParameter(variances, name: "variances")
        for i in variances.indices where !(variances[i] > 0) {
            throw .outsideDomain(parameter: "variances[\(i)]", value: variances[i], requirement: "> 0")
        }
        let d = mean.count
        var theta = [Double](repeating: 0, count: 2 * d)
        for i in 0..<d {
            theta[i] = mean[i] / variances[i]
            theta[d + i] = -0.5 / variances[i]
        }
        // 1/σ² can overflow for subnormal σ².
        try requireFiniteParameter(theta, name: "theta (from mean and variances)")
        self.d = d
        self.naturalParameters = theta
        self.mean = mean
        self.variances = variances
    }

    /// The member with θ = (η, λ) (d = θ.count / 2).
    /// - Throws: `.wrongDimension` (odd length), `.nonFinite("theta[k]")`,
    ///   `.outsideDomain(parameter: "theta[d+i] (λᵢ = −1/(2σᵢ²))", …, requirement: "< 0")`,
    ///   `.nonFinite("variances[i]")` / `.nonFinite("mean[i]")` when σ² or m overflows.
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        if theta.count % 2 != 0 {
            throw .wrongDimension(parameter: "theta", expected: theta.count + 1, actual: theta.count)
        }
        try requireFiniteParameter(theta, name: "theta")
        let d = theta.count / 2
        var m = [Double](repeating: 0, count: d), v = m
        for i in 0..<d {
            let lambda = theta[d + i]
            if !(lambda < 0) {
                throw .outsideDomain(parameter: "theta[\(d + i)] (λ\(i) = −1/(2σ²))", value: lambda, requirement: "< 0")
            }
            v[i] = -0.5 / lambda
            m[i] = theta[i] * v[i]
        }
        try requireFiniteParameter(v, name: "variances")
        try requireFiniteParameter(m, name: "mean")
        self.d = d
        self.naturalParameters = theta
        self.mean = m
        self.variances = v
    }

    /// The member with μ = (m, m² + σ²): closed form σᵢ² = μ_{d+i} − μᵢ².
    /// - Throws: `.wrongDimension` (odd length), `.nonFinite("mu[k]")`, `.outsideDomain(parameter:
    ///   "variance mu[d+i] − mu[i]² (second moment minus squared mean)", …, requirement: "> 0")`.
    public init(meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        if mu.count % 2 != 0 {
            throw .wrongDimension(parameter: "mu", expected: mu.count + 1, actual: mu.count)
        }
        try requireFiniteParameter(mu, name: "mu")
        let d = mu.count / 2
        var v = [Double](repeating: 0, count: d)
        for i in 0..<d {
            v[i] = mu[d + i] - mu[i] * mu[i]
            if !(v[i] > 0) {
                throw .outsideDomain(parameter: "variance mu[\(d + i)] − mu[\(i)]² (second moment minus squared mean)",
                                     value: v[i], requirement: "> 0")
            }
        }
        try self.init(mean: Array(mu[0..<d]), variances: v)
    }

    /// N(0, I) on ℝᵈ.
    public static func standard(d: Int) -> DiagonalNormal {
        precondition(d >= 0, "d must be ≥ 0, got \(d)")
        return try! DiagonalNormal(mean: [Double](repeating: 0, count: d), variances: [Double](repeating: 1, count: d))
    }

    // MARK: ExponentialFamily

    /// A = Σᵢ [mᵢ²/(2σᵢ²) + ½ log σᵢ²] (equal to Σ[−ηᵢ²/(4λᵢ) − ½ log(−2λᵢ)]).
    public var logPartition: Double {
        var a = 0.0
        for i in 0..<d { a += 0.5 * mean[i] * naturalParameters[i] + 0.5 * Double.log(variances[i]) }
        return a
    }

    /// μ = (m, m² + σ²). O(d).
    public var meanParameters: [Double] {
        var mu = [Double](repeating: 0, count: 2 * d)
        for i in 0..<d {
            mu[i] = mean[i]
            mu[d + i] = mean[i] * mean[i] + variances[i]
        }
        return mu
    }

    /// The 2d × 2d block-diagonal (in the (ηᵢ, λᵢ) pairs) Fisher matrix.
    public var fisherInformation: Matrix {
        let n = 2 * d
        var f = [Double](repeating: 0, count: n * n)
        for i in 0..<d {
            let s = variances[i], m = mean[i]
            let c = 2 * m * s
            f[i + i * n] = s
            f[i + (d + i) * n] = c
            f[(d + i) + i * n] = c
            f[(d + i) + (d + i) * n] = 4 * m * m * s + 2 * s * s
        }
        return Matrix(rows: n, columns: n, columnMajor: f)
    }

    /// F·v in O(d): (F·v)ᵢ = σᵢ²aᵢ + 2mᵢσᵢ²bᵢ, (F·v)_{d+i} = 2mᵢσᵢ²aᵢ + (4mᵢ²σᵢ² + 2σᵢ⁴)bᵢ.
    /// - Precondition: v.count == 2d.
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == 2 * d, "Fisher-vector product: v has \(v.count) entries, the family has dimension \(2 * d)")
        var out = [Double](repeating: 0, count: 2 * d)
        for i in 0..<d {
            let s = variances[i], m = mean[i]
            let a = v[i], b = v[d + i]
            let c = 2 * m * s
            out[i] = s * a + c * b
            out[d + i] = c * a + (4 * m * m * s + 2 * s * s) * b
        }
        return out
    }

    /// The member with natural parameters θ (validated).
    ///
    /// - Throws: as ``init(naturalParameters:)``, plus `.wrongDimension` if θ.count ≠ 2d.
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> DiagonalNormal {
        try requireCount(theta, 2 * d, name: "theta")
        return try DiagonalNormal(naturalParameters: theta)
    }

    /// Closed form. - Throws: as ``init(meanParameters:)``, plus `.wrongDimension` if μ.count ≠ 2d.
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> DiagonalNormal {
        try requireCount(mu, 2 * d, name: "mu")
        return try DiagonalNormal(meanParameters: mu)
    }

    /// T(x) = (x, x²). - Throws: `.outsideSupport` for a wrong length or a NaN/±∞ entry.
    public func sufficientStatistics(_ x: [Double]) throws(ExponentialFamilyError) -> [Double] {
        try checkObservation(x)
        var t = [Double](repeating: 0, count: 2 * d)
        for i in 0..<d {
            t[i] = x[i]
            t[d + i] = x[i] * x[i]
        }
        return t
    }

    /// log h(x) = −(d/2) log 2π. - Throws: as ``sufficientStatistics(_:)``.
    public func logBaseMeasure(_ x: [Double]) throws(ExponentialFamilyError) -> Double {
        try checkObservation(x)
        return expectedLogBaseMeasure
    }

    /// −(d/2) log 2π.
    public var expectedLogBaseMeasure: Double { -Double(d) * Normal.logSqrtTwoPi }

    /// H = Σᵢ ½·(1 + log 2πσᵢ²), independent of m. 0 for d = 0.
    public var entropy: Double {
        var h = 0.0
        for v in variances { h += 0.5 + Normal.logSqrtTwoPi + 0.5 * Double.log(v) }
        return h
    }

    /// log p(x) = Σᵢ [−½·log 2πσᵢ² − (xᵢ − mᵢ)²/(2σᵢ²)], without the cancellation of
    /// log h + θ·T(x) − A (terms of size xᵢ²/σᵢ²). −∞ when a term overflows (the density underflows).
    /// - Throws: as ``sufficientStatistics(_:)``.
    public func logDensity(_ x: [Double]) throws(ExponentialFamilyError) -> Double {
        try checkObservation(x)
        var s = 0.0
        for i in 0..<d {
            let z = x[i] - mean[i]
            s -= Normal.logSqrtTwoPi + 0.5 * Double.log(variances[i]) + z * z / (2 * variances[i])
        }
        return s
    }

    /// xᵢ = mᵢ + σᵢ·zᵢ, independent standard normals zᵢ.
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> [Double] {
        var x = [Double](repeating: 0, count: d)
        for i in 0..<d { x[i] = mean[i] + variances[i].squareRoot() * standardNormal(using: &generator) }
        return x
    }

    /// KL(self ‖ q) = Σᵢ ½[φ((σᵢ² − τᵢ²)/τᵢ²) + (mᵢ − nᵢ)²/τᵢ²] with q = N(n, diag τ²) and
    /// φ(e) = e − log(1 + e) evaluated without cancellation: every term is ≥ 0 and keeps its relative
    /// accuracy when p ≈ q (the Bregman form A(θq) − A(θp) − (θq − θp)·μp loses it there).
    /// - Precondition: the same d.
    public func klDivergence(to q: DiagonalNormal) -> Double {
        precondition(d == q.d, "KL between DiagonalNormal members of dimensions \(d) and \(q.d)")
        var kl = 0.0
        for i in 0..<d {
            let dm = mean[i] - q.mean[i]
            kl += 0.5 * (ScalarFunctions.dMinusLog1p((variances[i] - q.variances[i]) / q.variances[i])
                         + dm * dm / q.variances[i])
        }
        return kl
    }

    /// Maximum likelihood with two-pass variances: m̂ⱼ = (1/n)Σxᵢⱼ, σ̂ⱼ² = (1/n)Σ(xᵢⱼ − m̂ⱼ)², avoiding
    /// the cancellation of E[x²] − m̂² from averaged T.
    /// - Throws: `.outsideSupport(index: i, …)`; `.maximumLikelihoodDoesNotExist` for no data or a
    ///   coordinate whose observations are all equal (σ̂ⱼ² = 0), naming the coordinate.
    public func fitted<S: Sequence>(to data: S) throws(ExponentialFamilyError) -> DiagonalNormal where S.Element == [Double] {
        let xs = Array(data)
        let n = Double(xs.count)
        guard !xs.isEmpty else { throw .maximumLikelihoodDoesNotExist(reason: "there are no observations") }
        var m = [Double](repeating: 0, count: d), v = m
        for (i, x) in xs.enumerated() {
            do { try checkObservation(x) } catch { throw error.locatedAt(index: i) }
            for j in 0..<d { m[j] += x[j] }
        }
        for j in 0..<d { m[j] /= n }
        for x in xs { for j in 0..<d { v[j] += (x[j] - m[j]) * (x[j] - m[j]) } }
        for j in 0..<d {
            v[j] /= n
            if !(v[j] > 0) {
                throw .maximumLikelihoodDoesNotExist(reason: "every observation has x[\(j)] = \(xs[0][j]): the variance estimate of coordinate \(j) is 0")
            }
        }
        do {
            return try DiagonalNormal(mean: m, variances: v)
        } catch {
            throw .maximumLikelihoodDoesNotExist(reason: "\(error)")
        }
    }

    private func checkObservation(_ x: [Double]) throws(ExponentialFamilyError) {
        if x.count != d {
            throw .outsideSupport(index: nil, description: "x has \(x.count) entries, the distribution is on ℝ^\(d)")
        }
        for i in 0..<d where !x[i].isFinite {
            throw .outsideSupport(index: nil, description: "x[\(i)] = \(x[i]) is not a finite real number")
        }
    }
}
