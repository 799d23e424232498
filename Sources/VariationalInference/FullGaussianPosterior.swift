import ExponentialFamilies
import LinearAlgebra

/// A full-covariance Gaussian q(w) = N(m, S⁻¹) held in precision form: the mean m, the precision S and
/// its Cholesky factorization S = LLᵀ. Every solve and every sample goes through L; the covariance is
/// formed only on request (``covariance()``).
///
/// Natural parameters (the exponential-family convention of this project, dimension d + d(d+1)/2):
/// T(w) = (w, w₁², 2w₁w₂, …, 2w₁w_d, w₂², 2w₂w₃, …, w_d²) and θ = (η, Λ₁₁, Λ₁₂, …, Λ₁d, Λ₂₂, …, Λdd) with
/// η = Sm and Λ = −½S, the upper triangle of Λ row by row, each off-diagonal entry once (the factor 2
/// lives in T), so θᵀT(w) = ηᵀw + wᵀΛw.
public struct FullGaussianPosterior: Sendable {
    /// m.
    public let mean: [Double]
    /// S = Σ⁻¹ (symmetric, both triangles stored).
    public let precision: Matrix
    /// S = LLᵀ.
    public let cholesky: Cholesky

    /// Dimension d.
    public var dimension: Int { mean.count }

    /// (min Lᵢᵢ / max Lᵢᵢ)² of S = LLᵀ (O(d), see `Cholesky.pivotRatio`): ≥ 1/κ₂(S),
    /// so a value near ε ≈ 2e-16 proves the precision numerically singular.
    public var precisionPivotRatio: Double { cholesky.pivotRatio }

    /// A Gaussian with mean m and precision S.
    /// - Throws: `.invalidInitialPosterior` when m has a NaN/±∞ entry or S is not positive definite
    ///   (the Cholesky error's message is included); `.shapeMismatch` unless S is d × d with d = m.count.
    public init(mean: [Double], precision: Matrix) throws(VariationalInferenceError) {
        guard precision.rows == mean.count && precision.columns == mean.count else {
            throw .shapeMismatch(operation: "FullGaussianPosterior", expected: "a \(mean.count)×\(mean.count) precision (the mean has length \(mean.count))",
                                 actual: "\(precision.shapeDescription)")
        }
        guard mean.allSatisfy(\.isFinite) else { throw .invalidInitialPosterior(reason: "the mean has a NaN or infinite entry") }
        do {
            cholesky = try Cholesky(precision)
        } catch {
            throw .invalidInitialPosterior(reason: "the precision is not usable: \(error)")
        }
        self.mean = mean
        self.precision = precision
    }

    /// Internal: an already factored precision.
    init(mean: [Double], precision: Matrix, cholesky: Cholesky) {
        self.mean = mean
        self.precision = precision
        self.cholesky = cholesky
    }

    /// The prior N(0, α⁻¹I) in d dimensions (the usual starting point).
    public static func prior(dimension d: Int, precision alpha: Double) throws(VariationalInferenceError) -> FullGaussianPosterior {
        guard alpha > 0 && alpha.isFinite else {
            throw .invalidParameter(name: "prior precision", value: alpha, requirement: "finite and > 0")
        }
        let s = Matrix.diagonal([Double](repeating: alpha, count: d))
        return try FullGaussianPosterior(mean: [Double](repeating: 0, count: d), precision: s)
    }

    /// Σ = S⁻¹ (from the Cholesky factor, dpotri). For reporting; never used inside the iteration.
    /// - Throws: `.linearAlgebra(.nonFiniteResult)` if Σ overflows.
    public func covariance() throws(VariationalInferenceError) -> Matrix {
        do { return try cholesky.inverse() } catch { throw .linearAlgebra(error) }
    }

    /// log det Σ = −log det S = −2 Σ log Lᵢᵢ.
    public var logDeterminantOfCovariance: Double { -cholesky.logDeterminant }

    /// θ = (Sm, upper triangle of −½S row-major).
    public var naturalParameters: [Double] {
        let d = dimension
        var theta = precision * mean
        theta.reserveCapacity(d + d * (d + 1) / 2)
        for i in 0..<d { for j in i..<d { theta.append(-0.5 * precision[i, j]) } }
        return theta
    }

    /// The Gaussian with natural parameters θ (see the type's documentation for the layout).
    /// - Throws: `.invalidInitialPosterior` when −2Λ is not positive definite or θ is not finite.
    ///   `.shapeMismatch` unless θ has d + d(d+1)/2 entries.
    /// - Precondition: d ≥ 0.
    public init(naturalParameters theta: [Double], dimension d: Int) throws(VariationalInferenceError) {
        precondition(d >= 0, "dimension must be ≥ 0, got \(d)")
        guard theta.count == d + d * (d + 1) / 2 else {
            throw .shapeMismatch(operation: "FullGaussianPosterior(naturalParameters:)",
                                 expected: "\(d + d * (d + 1) / 2) natural parameters (d = \(d))", actual: "\(theta.count)")
        }
        guard theta.allSatisfy(\.isFinite) else { throw .invalidInitialPosterior(reason: "θ has a NaN or infinite entry") }
        var s = Matrix(rows: d, columns: d)
        var k = d
        for i in 0..<d {
            for j in i..<d {
                s[i, j] = -2 * theta[k]
                s[j, i] = -2 * theta[k]
                k += 1
            }
        }
        let chol: Cholesky
        do { chol = try Cholesky(s) } catch {
            throw .invalidInitialPosterior(reason: "−2Λ is not positive definite: \(error)")
        }
        var m = Array(theta[0..<d])
        do { try chol.solve(&m) } catch { throw .linearAlgebra(error) }
        self.init(mean: m, precision: s, cholesky: chol)
    }

    /// A draw w = m + L⁻ᵀz with z ~ N(0, I) (so Cov w = (LLᵀ)⁻¹ = S⁻¹). For many draws use
    /// ``samples(count:using:)`` (one solve with all right-hand sides).
    /// - Throws: `.samplingFailed` if the draw is not finite (never a NaN).
    public func sample<G: RandomNumberGenerator>(using generator: inout G) throws(VariationalInferenceError) -> [Double] {
        var z = (0..<dimension).map { _ in standardNormal(using: &generator) }
        do { try cholesky.solveLowerTransposed(&z) } catch { throw .samplingFailed(reason: "L⁻ᵀz is not finite (\(error))") }
        for i in 0..<dimension { z[i] += mean[i] }
        return z
    }
}

/// A mean-field Gaussian q(w) = Πⱼ N(mⱼ, 1/sⱼ): mean m and precisions sⱼ > 0.
///
/// Natural parameters (dimension 2d): θ = (s₁m₁, …, s_d m_d, −½s₁, …, −½s_d) with T(w) = (w, w∘w).
public struct DiagonalGaussianPosterior: Sendable, Equatable {
    /// m.
    public let mean: [Double]
    /// sⱼ = 1/σⱼ² > 0.
    public let precisions: [Double]

    /// Dimension d.
    public var dimension: Int { mean.count }
    /// σⱼ² = 1/sⱼ.
    public var variances: [Double] { precisions.map { 1 / $0 } }
    /// 1/κ₂ of the diagonal precision, exactly: min sⱼ / max sⱼ (1 for d = 0).
    public var precisionReciprocalCondition: Double {
        guard let lo = precisions.min(), let hi = precisions.max() else { return 1 }
        return lo / hi
    }

    /// Creates q(w) = N(m, diag(1/sⱼ)) from its mean m and precisions sⱼ.
    ///
    /// - Throws: `.invalidInitialPosterior` for a non-finite mean or a precision that is not finite and > 0;
    ///   `.shapeMismatch` for lengths that differ.
    public init(mean: [Double], precisions: [Double]) throws(VariationalInferenceError) {
        guard mean.count == precisions.count else {
            throw .shapeMismatch(operation: "DiagonalGaussianPosterior", expected: "\(mean.count) precisions (the mean has length \(mean.count))",
                                 actual: "\(precisions.count)")
        }
        guard mean.allSatisfy(\.isFinite) else { throw .invalidInitialPosterior(reason: "the mean has a NaN or infinite entry") }
        if let j = precisions.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
            throw .invalidInitialPosterior(reason: "precision \(j) = \(precisions[j]) is not finite and > 0")
        }
        self.mean = mean
        self.precisions = precisions
    }

    /// The prior N(0, α⁻¹I).
    public static func prior(dimension d: Int, precision alpha: Double) throws(VariationalInferenceError) -> DiagonalGaussianPosterior {
        guard alpha > 0 && alpha.isFinite else {
            throw .invalidParameter(name: "prior precision", value: alpha, requirement: "finite and > 0")
        }
        return try DiagonalGaussianPosterior(mean: [Double](repeating: 0, count: d),
                                             precisions: [Double](repeating: alpha, count: d))
    }

    /// A draw wⱼ = mⱼ + zⱼ/√sⱼ.
    /// - Throws: `.samplingFailed` if the draw is not finite.
    public func sample<G: RandomNumberGenerator>(using generator: inout G) throws(VariationalInferenceError) -> [Double] {
        let w = (0..<dimension).map { mean[$0] + standardNormal(using: &generator) / precisions[$0].squareRoot() }
        guard w.allSatisfy(\.isFinite) else { throw .samplingFailed(reason: "a coefficient of the draw is not finite") }
        return w
    }
}

/// One standard-normal draw (ExponentialFamilies' sampler).
@inline(__always)
func standardNormalDraw<G: RandomNumberGenerator>(using generator: inout G) -> Double { standardNormal(using: &generator) }
