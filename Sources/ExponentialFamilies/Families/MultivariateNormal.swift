import RealModule

/// The d-dimensional normal distribution N(m, Σ) with full covariance, as a canonical exponential
/// family in its precision (information) form.
///
/// - Support: x ∈ ℝᵈ (an `[Double]` of length d).
/// - Natural parameters (dimension d + d(d+1)/2): θ = (η₁…η_d, Λ₁₁, Λ₁₂, …, Λ₁d, Λ₂₂, …, Λdd), with
///   η = Σ⁻¹m and Λ = −½Σ⁻¹: the **upper triangle of Λ, row-major**, each off-diagonal Λᵢⱼ (i < j)
///   appearing **once** and standing for both Λᵢⱼ and Λⱼᵢ.
/// - Sufficient statistic, matched so that θ·T(x) = ηᵀx + xᵀΛx:
///   T(x) = (x₁…x_d, x₁², 2x₁x₂, …, 2x₁x_d, x₂², …, x_d²) — the **off-diagonal statistics are doubled**.
/// - Base measure: h(x) = (2π)^(−d/2).
/// - Log-partition: A(θ) = −¼ηᵀΛ⁻¹η − ½ log det(−2Λ) = ½ηᵀm − ½ log det P, with precision P = −2Λ.
/// - Domain: Λ negative definite (P positive definite), η ∈ ℝᵈ.
/// - Mean parameters: μ = (m, S₁₁, 2S₁₂, …, 2S₁d, S₂₂, …, S_dd), S = E[xxᵀ] = Σ + mmᵀ (upper triangle,
///   row-major, off-diagonals doubled). Interior of the mean space: S − mmᵀ positive definite.
/// - Usual parameters: mean m, covariance Σ = P⁻¹ (or precision P).
///
/// This is exactly the convention of `expfam_reference.json` (family MultivariateNormal).
///
/// Numerics: the value holds the Cholesky factor of the precision, P = LLᵀ; the mean is a solve
/// (m = P⁻¹η), never an explicit inverse times a vector. Σ itself is a mean parameter, so it is formed
/// once (dpotri) when the value is built. Building from θ costs O(d³); μ costs O(d²) (a copy);
/// F·v costs O(d³) (two d × d products, derived from μ's directional derivative, never forming F);
/// the explicit F is (d + d(d+1)/2)² entries from the Isserlis moments.
public struct MultivariateNormal: ExponentialFamily {
    public typealias Observation = [Double]

    /// Number of variables d.
    public let d: Int
    /// θ = (η, upper triangle of Λ row-major).
    public let naturalParameters: [Double]
    /// The mean m.
    public let mean: [Double]
    /// The covariance Σ (symmetric, both triangles set).
    public let covariance: Matrix
    /// Cholesky factor of the precision P = Σ⁻¹ = LLᵀ.
    public let precisionFactor: Cholesky
    /// A(θ).
    public let logPartition: Double

    /// d + d(d+1)/2.
    public var dimension: Int { Self.dimension(d: d) }

    /// d + d(d+1)/2, the number of natural parameters for d variables.
    public static func dimension(d: Int) -> Int { d + d * (d + 1) / 2 }

    /// The d with d + d(d+1)/2 = `dimension`, or nil when there is none.
    public static func variableCount(forDimension dimension: Int) -> Int? {
        var d = 0
        while Self.dimension(d: d) < dimension { d += 1 }
        return Self.dimension(d: d) == dimension ? d : nil
    }

    /// The precision P = Σ⁻¹ = −2Λ (symmetric), read from θ.
    public var precision: Matrix { Self.symmetricMatrix(fromUpperTriangleOf: naturalParameters, d: d, scale: -2) }

    /// The symmetric d × d matrix whose upper triangle, row-major and multiplied by `scale`, is
    /// `vector[d...]` (the Λ part of a θ-like vector). Built in a plain array: element-wise writes
    /// through `Matrix.elements` copy the whole storage each time (its `didSet` observer).
    static func symmetricMatrix(fromUpperTriangleOf vector: [Double], d: Int, scale: Double) -> Matrix {
        var a = [Double](repeating: 0, count: d * d)
        var k = d
        for i in 0..<d {
            for j in i..<d {
                a[i + j * d] = scale * vector[k]
                a[j + i * d] = scale * vector[k]
                k += 1
            }
        }
        return Matrix(rows: d, columns: d, columnMajor: a)
    }

    // MARK: Construction

    /// N(m, Σ) from its mean and covariance.
    /// - Parameters:
    ///   - mean: m, length d (d = 0 gives the trivial distribution on ℝ⁰).
    ///   - covariance: Σ, d × d, symmetric (to 10⁻¹² relative; it is symmetrized) and positive definite.
    /// - Throws: `.nonFinite("mean[i]")`, `.nonFinite("covariance[i, j]")`, `.outsideDomain` naming
    ///   "covariance[i, j] − covariance[j, i]" (not symmetric) or "covariance (smallest eigenvalue)"
    ///   (not positive definite), `.linearAlgebra(.nonFiniteResult)` if Σ⁻¹ overflows.
    /// - Precondition: covariance is d × d.
    public init(mean: [Double], covariance: Matrix) throws(ExponentialFamilyError) {
        try requireFiniteParameter(mean, name: "mean")
        let d = mean.count
        let sigma = try symmetricParameter(covariance, d: d, name: "covariance")
        let sigmaFactor = try factorPositiveDefinite(sigma, name: "covariance")
        let p: Matrix
        do { p = try sigmaFactor.inverse() } catch { throw .linearAlgebra(error) }
        let pFactor = try factorPositiveDefinite(p, name: "precision")
        self.init(d: d, mean: mean, covariance: sigma, precision: p, precisionFactor: pFactor)
    }

    /// N(m, P⁻¹) from its mean and precision.
    /// - Throws: as ``init(mean:covariance:)`` with "precision" in place of "covariance".
    /// - Precondition: precision is d × d.
    public init(mean: [Double], precision: Matrix) throws(ExponentialFamilyError) {
        try requireFiniteParameter(mean, name: "mean")
        let d = mean.count
        let p = try symmetricParameter(precision, d: d, name: "precision")
        let pFactor = try factorPositiveDefinite(p, name: "precision")
        let sigma: Matrix
        do { sigma = try pFactor.inverse() } catch { throw .linearAlgebra(error) }
        self.init(d: d, mean: mean, covariance: sigma, precision: p, precisionFactor: pFactor)
    }

    /// The member with natural parameters θ (d is inferred from the length).
    /// - Throws: `.wrongDimension` when the length is not d + d(d+1)/2 for any d; `.nonFinite("theta[k]")`;
    ///   `.outsideDomain(parameter: "precision −2Λ (smallest eigenvalue)", …)` when Λ is not negative
    ///   definite; `.linearAlgebra(.nonFiniteResult)` when m or Σ overflows.
    public init(naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        guard let d = Self.variableCount(forDimension: theta.count) else {
            // No d fits: report the nearest valid length above.
            var d = 0
            while Self.dimension(d: d) < theta.count { d += 1 }
            throw .wrongDimension(parameter: "theta", expected: Self.dimension(d: d), actual: theta.count)
        }
        try self.init(d: d, naturalParameters: theta)
    }

    /// The member with natural parameters θ for d variables.
    /// - Throws: as ``init(naturalParameters:)``; `.wrongDimension` if θ.count ≠ d + d(d+1)/2.
    public init(d: Int, naturalParameters theta: [Double]) throws(ExponentialFamilyError) {
        precondition(d >= 0, "d must be ≥ 0, got \(d)")
        try requireCount(theta, Self.dimension(d: d), name: "theta")
        try requireFiniteParameter(theta, name: "theta")
        let p = Self.symmetricMatrix(fromUpperTriangleOf: theta, d: d, scale: -2)
        let pFactor = try factorPositiveDefinite(p, name: "precision −2Λ")
        var m = Array(theta[0..<d])
        let sigma: Matrix
        do {
            try pFactor.solve(&m)
            sigma = try pFactor.inverse()
        } catch {
            throw .linearAlgebra(error)
        }
        self.init(d: d, theta: theta, mean: m, covariance: sigma, precisionFactor: pFactor)
    }

    /// The member with mean parameters μ = (m, upper triangle of E[xxᵀ] with off-diagonals doubled).
    /// Closed form: m = μ[0..<d], Σ = S − mmᵀ, P = Σ⁻¹.
    /// - Throws: `.wrongDimension`, `.nonFinite("mu[k]")`, `.outsideDomain(parameter: "covariance
    ///   E[xxᵀ] − mmᵀ (second moment minus outer product of the mean) (smallest eigenvalue)", …)` when μ is
    ///   not in the interior of the mean space.
    public init(d: Int, meanParameters mu: [Double]) throws(ExponentialFamilyError) {
        precondition(d >= 0, "d must be ≥ 0, got \(d)")
        try requireCount(mu, Self.dimension(d: d), name: "mu")
        try requireFiniteParameter(mu, name: "mu")
        let m = Array(mu[0..<d])
        var sigmaElements = [Double](repeating: 0, count: d * d)
        var k = d
        for i in 0..<d {
            for j in i..<d {
                let s = (i == j ? mu[k] : 0.5 * mu[k]) - m[i] * m[j]
                sigmaElements[i + j * d] = s
                sigmaElements[j + i * d] = s
                k += 1
            }
        }
        let sigma = Matrix(rows: d, columns: d, columnMajor: sigmaElements)
        let sigmaFactor = try factorPositiveDefinite(sigma, name: "covariance E[xxᵀ] − mmᵀ (second moment minus mean outer product)")
        let p: Matrix
        do { p = try sigmaFactor.inverse() } catch { throw .linearAlgebra(error) }
        let pFactor = try factorPositiveDefinite(p, name: "precision")
        self.init(d: d, mean: m, covariance: sigma, precision: p, precisionFactor: pFactor)
    }

    /// The standard normal N(0, I) on ℝᵈ.
    public static func standard(d: Int) -> MultivariateNormal {
        precondition(d >= 0, "d must be ≥ 0, got \(d)")
        // N(0, I) is always valid: θ = (0, −½ on the diagonal of Λ).
        var theta = [Double](repeating: 0, count: dimension(d: d))
        var k = d
        for i in 0..<d { theta[k] = -0.5; k += d - i }
        return try! MultivariateNormal(d: d, naturalParameters: theta)
    }

    /// From usual parameters already validated: computes θ = (Pm, −½P upper).
    private init(d: Int, mean: [Double], covariance: Matrix, precision p: Matrix, precisionFactor: Cholesky) {
        var theta = [Double](repeating: 0, count: Self.dimension(d: d))
        var eta = [Double](repeating: 0, count: d)
        BLAS.symv(p, mean, into: &eta)
        for i in 0..<d { theta[i] = eta[i] }
        let pElements = p.elements
        var k = d
        for i in 0..<d {
            for j in i..<d {
                theta[k] = -0.5 * pElements[i + j * d]
                k += 1
            }
        }
        self.init(d: d, theta: theta, mean: mean, covariance: covariance, precisionFactor: precisionFactor)
    }

    private init(d: Int, theta: [Double], mean: [Double], covariance: Matrix, precisionFactor: Cholesky) {
        self.d = d
        self.naturalParameters = theta
        self.mean = mean
        self.covariance = covariance
        self.precisionFactor = precisionFactor
        // A = ½ηᵀm − ½ log det P.
        var etaDotMean = 0.0
        for i in 0..<d { etaDotMean += theta[i] * mean[i] }
        self.logPartition = 0.5 * etaDotMean - 0.5 * precisionFactor.logDeterminant
    }

    // MARK: ExponentialFamily

    /// μ = (m, upper triangle of Σ + mmᵀ row-major, off-diagonals doubled). O(d²).
    public var meanParameters: [Double] {
        var mu = [Double](repeating: 0, count: dimension)
        for i in 0..<d { mu[i] = mean[i] }
        let sigma = covariance.elements
        var k = d
        for i in 0..<d {
            for j in i..<d {
                let s = sigma[i + j * d] + mean[i] * mean[j]
                mu[k] = i == j ? s : 2 * s
                k += 1
            }
        }
        return mu
    }

    /// F = Cov[T(x)] from the Isserlis moments (S = Σ, cᵢⱼ = 2 for i ≠ j, 1 for i = j):
    /// Cov(xᵢ, xₖ) = Sᵢₖ; Cov(xᵢ, cₖₗxₖxₗ) = cₖₗ(mₖSᵢₗ + mₗSᵢₖ);
    /// Cov(cᵢⱼxᵢxⱼ, cₖₗxₖxₗ) = cᵢⱼcₖₗ(SᵢₖSⱼₗ + SᵢₗSⱼₖ + mᵢmₖSⱼₗ + mᵢmₗSⱼₖ + mⱼmₖSᵢₗ + mⱼmₗSᵢₖ).
    /// O(dim²) = O(d⁴) entries.
    public var fisherInformation: Matrix {
        let n = dimension
        var f = [Double](repeating: 0, count: n * n)
        let s = covariance.elements, m = mean
        @inline(__always) func S(_ i: Int, _ j: Int) -> Double { s[i + j * d] }
        // Index pairs of the quadratic block.
        var pairs = [(Int, Int)]()
        pairs.reserveCapacity(n - d)
        for i in 0..<d { for j in i..<d { pairs.append((i, j)) } }
        for a in 0..<d {
            for b in 0..<d { f[a + b * n] = S(a, b) }
            for (q, (k, l)) in pairs.enumerated() {
                let c = k == l ? 1.0 : 2.0
                let v = c * (m[k] * S(a, l) + m[l] * S(a, k))
                f[a + (d + q) * n] = v
                f[(d + q) + a * n] = v
            }
        }
        for (p, (i, j)) in pairs.enumerated() {
            let cij = i == j ? 1.0 : 2.0
            for (q, (k, l)) in pairs.enumerated() where q >= p {
                let ckl = k == l ? 1.0 : 2.0
                let v = cij * ckl * (S(i, k) * S(j, l) + S(i, l) * S(j, k)
                    + m[i] * m[k] * S(j, l) + m[i] * m[l] * S(j, k)
                    + m[j] * m[k] * S(i, l) + m[j] * m[l] * S(i, k))
                f[(d + p) + (d + q) * n] = v
                f[(d + q) + (d + p) * n] = v
            }
        }
        return Matrix(rows: n, columns: n, columnMajor: f)
    }

    /// F·v as the directional derivative of μ(θ) along v = (a, b), never forming F. With V the
    /// symmetric matrix read from b like Λ from θ (Vᵢⱼ = Vⱼᵢ = b for i < j):
    /// δΣ = 2ΣVΣ, δm = Σ(a + 2Vm), δS = δΣ + δm mᵀ + m δmᵀ, and F·v = (δm, upper(δS) with
    /// off-diagonals doubled). Two d × d matrix products: O(d³).
    /// - Precondition: v.count == dimension.
    public func fisherVectorProduct(_ v: [Double]) -> [Double] {
        precondition(v.count == dimension, "Fisher-vector product: v has \(v.count) entries, the family has dimension \(dimension)")
        if d == 0 { return [] }
        var vm = Self.symmetricMatrix(fromUpperTriangleOf: v, d: d, scale: 1)
        // u = a + 2Vm; δm = Σu.
        var u = Array(v[0..<d])
        BLAS.symv(vm, mean, alpha: 2, beta: 1, into: &u)
        var dm = [Double](repeating: 0, count: d)
        BLAS.symv(covariance, u, into: &dm)
        // W = VΣ; δΣ = 2ΣW, written over V (no longer needed): two d × d buffers per call, not three.
        var w = Matrix(rows: d, columns: d)
        BLAS.gemm(vm, covariance, into: &w)
        BLAS.gemm(covariance, w, alpha: 2, into: &vm)
        var out = [Double](repeating: 0, count: dimension)
        for i in 0..<d { out[i] = dm[i] }
        let ds = vm.elements  // δΣ
        var k = d
        for i in 0..<d {
            for j in i..<d {
                // δΣ is symmetric in exact arithmetic; average the two triangles.
                let sym = 0.5 * (ds[i + j * d] + ds[j + i * d])
                let value = sym + dm[i] * mean[j] + mean[i] * dm[j]
                out[k] = i == j ? value : 2 * value
                k += 1
            }
        }
        return out
    }

    /// The member with natural parameters θ (validated).
    ///
    /// - Throws: as ``init(d:naturalParameters:)``.
    public func withNaturalParameters(_ theta: [Double]) throws(ExponentialFamilyError) -> MultivariateNormal {
        try MultivariateNormal(d: d, naturalParameters: theta)
    }

    /// Closed form (no Newton). - Throws: as ``init(d:meanParameters:)``.
    public func withMeanParameters(_ mu: [Double]) throws(ExponentialFamilyError) -> MultivariateNormal {
        try MultivariateNormal(d: d, meanParameters: mu)
    }

    /// T(x) = (x, x₁², 2x₁x₂, …, x_d²).
    /// - Throws: `.outsideSupport` when x has the wrong length or a NaN/±∞ entry.
    public func sufficientStatistics(_ x: [Double]) throws(ExponentialFamilyError) -> [Double] {
        try checkObservation(x)
        var t = [Double](repeating: 0, count: dimension)
        for i in 0..<d { t[i] = x[i] }
        var k = d
        for i in 0..<d {
            for j in i..<d {
                t[k] = i == j ? x[i] * x[i] : 2 * x[i] * x[j]
                k += 1
            }
        }
        return t
    }

    /// log h(x) = −(d/2)·log 2π. - Throws: as ``sufficientStatistics(_:)``.
    public func logBaseMeasure(_ x: [Double]) throws(ExponentialFamilyError) -> Double {
        try checkObservation(x)
        return expectedLogBaseMeasure
    }

    /// −(d/2)·log 2π.
    public var expectedLogBaseMeasure: Double { -Double(d) * Normal.logSqrtTwoPi }

    /// H = (d/2)·(1 + log 2π) − ½·log det P, from the precision factor: independent of m (the generic
    /// A − θ·μ − E[log h] subtracts terms of size ½mᵀPm). 0 for d = 0.
    public var entropy: Double { Double(d) * (0.5 + Normal.logSqrtTwoPi) - 0.5 * precisionFactor.logDeterminant }

    /// log p(x) = −(d/2)·log 2π + ½·log det P − ½‖Lᵀ(x − m)‖² (P = LLᵀ), without the cancellation of
    /// log h + θ·T(x) − A (terms of size xᵀPx). −∞ when x − m or the whitened residual overflows (the
    /// density underflows; x itself is finite).
    /// - Throws: as ``sufficientStatistics(_:)``.
    public func logDensity(_ x: [Double]) throws(ExponentialFamilyError) -> Double {
        try checkObservation(x)
        var r = [Double](repeating: 0, count: d)
        for i in 0..<d { r[i] = x[i] - mean[i] }
        do { try precisionFactor.multiplyLowerTransposed(&r) } catch { return -.infinity }
        var q = 0.0
        for v in r { q += v * v }
        return -Double(d) * Normal.logSqrtTwoPi + 0.5 * precisionFactor.logDeterminant - 0.5 * q
    }

    /// x = m + L⁻ᵀz with z ~ N(0, I) and P = LLᵀ (one back substitution, O(d²)).
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> [Double] {
        var z = [Double](repeating: 0, count: d)
        for i in 0..<d { z[i] = standardNormal(using: &generator) }
        do {
            try precisionFactor.solveLowerTransposed(&z)
        } catch {
            // Unreachable: z is finite and ‖(L⁻ᵀ)ᵢ,:‖₂ = √Σᵢᵢ is finite (Σ was checked when built).
            preconditionFailure("sampling a multivariate normal: \(error)")
        }
        for i in 0..<d { z[i] += mean[i] }
        return z
    }

    /// KL(self ‖ q) = ½[tr(PqΣp) − d − log det(PqΣp) + ‖Lqᵀ(mp − mq)‖²], Pq = LqLqᵀ, evaluated without
    /// the cancellation of tr − d − log det when p ≈ q: with E = Lqᵀ(Σp − Σq)Lq (so LqᵀΣpLq = I + E;
    /// the difference Σp − Σq is taken entrywise before any product), tr − d − log det = Σᵢ φ(eᵢ) over
    /// the eigenvalues eᵢ > −1 of E, φ(e) = e − log(1 + e) ≥ 0 evaluated by a series for small e.
    /// Relative accuracy ≈ κ·ε even when KL ≪ ε·|A| (where the Bregman form returns noise).
    /// O(d³): 2d triangular products and one symmetric eigendecomposition. Falls back to the Bregman
    /// form if the eigensolver fails.
    /// - Precondition: the same d.
    public func klDivergence(to q: MultivariateNormal) -> Double {
        precondition(d == q.d, "KL between MultivariateNormal members of dimensions \(d) and \(q.d)")
        if d == 0 { return 0 }
        let sp = covariance.elements, sq = q.covariance.elements
        // Columns of D = Σp − Σq, each multiplied by Lqᵀ: B = LqᵀD (column-major in `b`).
        var b = [Double](repeating: 0, count: d * d)
        var column = [Double](repeating: 0, count: d)
        do {
            for j in 0..<d {
                for i in 0..<d { column[i] = sp[i + j * d] - sq[i + j * d] }
                try q.precisionFactor.multiplyLowerTransposed(&column)
                for i in 0..<d { b[i + j * d] = column[i] }
            }
            // E = B·Lq = (Lqᵀ·Bᵀ)ᵀ: multiply each row of B by Lqᵀ; row i of B becomes row i of E.
            var e = [Double](repeating: 0, count: d * d)
            for i in 0..<d {
                for j in 0..<d { column[j] = b[i + j * d] }
                try q.precisionFactor.multiplyLowerTransposed(&column)
                for j in 0..<d { e[i + j * d] = column[j] }
            }
            for j in 0..<d {
                for i in (j + 1)..<Swift.max(j + 1, d) {
                    let average = 0.5 * (e[i + j * d] + e[j + i * d])
                    e[i + j * d] = average
                    e[j + i * d] = average
                }
            }
            let eigen = try SymmetricEigendecomposition(Matrix(rows: d, columns: d, columnMajor: e))
            var kl = 0.0
            for ev in eigen.eigenvalues {
                // eᵢ > −1 in exact arithmetic (I + E is positive definite); rounding cannot push it
                // below −1 by more than ≈ κ·ε, and log1p would return NaN there.
                guard ev > -1 else { return bregmanDivergence(to: q) }
                kl += ScalarFunctions.dMinusLog1p(ev)
            }
            var dm = [Double](repeating: 0, count: d)
            for i in 0..<d { dm[i] = mean[i] - q.mean[i] }
            try q.precisionFactor.multiplyLowerTransposed(&dm)
            for x in dm { kl += x * x }
            return 0.5 * kl
        } catch {
            return bregmanDivergence(to: q)
        }
    }

    /// Maximum likelihood with a two-pass covariance: m̂ = (1/n)Σxᵢ, Σ̂ = (1/n)Σ(xᵢ − m̂)(xᵢ − m̂)ᵀ (a
    /// Gram product of the centred data), instead of E[xxᵀ] − m̂m̂ᵀ from averaged T, which cancels
    /// catastrophically when ‖m‖² ≫ the variances. The result is the same member in exact arithmetic.
    /// - Throws: `.outsideSupport(index: i, …)` for the first bad observation;
    ///   `.maximumLikelihoodDoesNotExist` for no data or a singular sample covariance (n ≤ d, or data
    ///   confined to a hyperplane).
    public func fitted<S: Sequence>(to data: S) throws(ExponentialFamilyError) -> MultivariateNormal where S.Element == [Double] {
        let xs = Array(data)
        let n = xs.count
        guard n > 0 else { throw .maximumLikelihoodDoesNotExist(reason: "there are no observations") }
        var m = [Double](repeating: 0, count: d)
        for (i, x) in xs.enumerated() {
            do { try checkObservation(x) } catch { throw error.locatedAt(index: i) }
            for j in 0..<d { m[j] += x[j] }
        }
        for j in 0..<d { m[j] /= Double(n) }
        // Centred data, n × d column-major, scaled by 1/√n so that the Gram product is Σ̂.
        let scale = 1 / Double(n).squareRoot()
        var centred = [Double](repeating: 0, count: n * d)
        for (i, x) in xs.enumerated() {
            for j in 0..<d { centred[i + j * n] = (x[j] - m[j]) * scale }
        }
        let sigma = BLAS.gram(Matrix(rows: n, columns: d, columnMajor: centred))
        do {
            return try MultivariateNormal(mean: m, covariance: sigma)
        } catch {
            switch error {
            case .outsideDomain, .nonFinite, .linearAlgebra:
                throw .maximumLikelihoodDoesNotExist(
                    reason: "the sample covariance of \(n) observations in \(d) dimensions is not positive definite"
                        + " (it needs n > d observations not confined to a hyperplane): \(error)")
            default:
                throw error
            }
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
