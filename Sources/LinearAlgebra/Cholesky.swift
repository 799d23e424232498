/// The Cholesky factorization A + λI = LLᵀ of a symmetric positive-definite matrix, as a value.
///
/// Only the **lower triangle** of A is read for the factorization; every entry of A (both triangles)
/// must be finite, which is checked in Swift before LAPACK is called. λ ≥ 0 is Levenberg–Marquardt
/// damping (default 0). A leading minor fails when its pivot is ≤ 0 or NaN (OpenBLAS's dpotrf lets a
/// NaN pivot through; this type checks the diagonal of L after every factorization). With a
/// ``JitterPolicy`` a failed factorization is retried with growing λ; ``damping`` and ``attempts``
/// report what was used. Without one, nothing is retried.
///
/// Solves come in place (`solve(_:)` on an `inout` argument: no allocation, for hot loops) and out
/// of place (`solving(_:)`). A factorization of a 0 × 0 matrix is valid: solves are no-ops and the
/// log-determinant is 0.
///
/// Complexity: factoring costs n³/3 flops (dpotrf), each solve 2n² per right-hand side (dpotrs).
public struct Cholesky: Sendable {
    /// L in the lower triangle; the strict upper triangle holds whatever dpotrf left there (never read).
    private var storage: Matrix
    /// The damping λ in A + λI = LLᵀ.
    public private(set) var damping: Double
    /// Number of factorizations made (1 when the first succeeded).
    public private(set) var attempts: Int
    /// ‖A + λI‖₁, kept when the condition estimate was requested.
    private var oneNorm: Double?
    /// 1/κ₁ when the jitter policy's threshold made `refactor` compute it.
    private var knownReciprocalCondition: Double?
    /// `false` after a `refactor` that threw: the value must not be used until a successful one.
    private var isValid: Bool

    /// Dimension n of A.
    public var dimension: Int { storage.rows }

    /// Factors A + λI.
    /// - Parameters:
    ///   - a: a square matrix; its lower triangle is factored; all entries must be finite.
    ///   - damping: λ ≥ 0 added to the diagonal.
    ///   - jitter: when non-nil, retry a failed factorization with growing λ (see ``JitterPolicy``).
    ///   - conditionEstimate: keep ‖A + λI‖₁ so that ``reciprocalConditionNumber`` is available (O(n²)).
    /// - Throws: `.nonFiniteMatrixEntry` (NaN/±∞ anywhere in A, checked before LAPACK, or a diagonal
    ///   Aᵢᵢ + λ that overflowed), `.invalidDamping` (λ < 0, NaN or ±∞),
    ///   `.notPositiveDefinite(minor:damping:attempts:)` with the first leading minor (1-based) of the
    ///   last matrix tried whose pivot was ≤ 0 or NaN, the last λ tried and the number of attempts.
    ///   Without `jitter` a failure is always thrown (attempts = 1); nothing is retried silently.
    ///   `.illConditioned` when the policy sets ``JitterPolicy/minimumReciprocalCondition`` and no
    ///   damping in its schedule brings 1/κ₁ above it. `.shapeMismatch` when `a` is not square.
    public init(_ a: Matrix, damping: Double = 0, jitter: JitterPolicy? = nil, conditionEstimate: Bool = false) throws(LinearAlgebraError) {
        guard a.isSquare else {
            throw .shapeMismatch(operation: "Cholesky", expected: "a square matrix", actual: "a \(a.shapeDescription) matrix")
        }
        storage = Matrix(rows: a.rows, columns: a.columns)
        self.damping = damping
        attempts = 0
        oneNorm = nil
        knownReciprocalCondition = nil
        isValid = false
        try refactor(a, damping: damping, jitter: jitter, conditionEstimate: conditionEstimate)
    }

    /// Factors a new matrix of the same dimension into this value's storage, without allocating
    /// (when the value is uniquely referenced). Parameters, throws and jitter schedule as ``init(_:damping:jitter:conditionEstimate:)``.
    ///
    /// On a thrown error the value is invalid until a later `refactor` succeeds; using it before
    /// then is a precondition failure. A matrix of another shape throws `.shapeMismatch` (the value
    /// stays as it was).
    public mutating func refactor(_ a: Matrix, damping: Double = 0, jitter: JitterPolicy? = nil, conditionEstimate: Bool = false) throws(LinearAlgebraError) {
        guard a.isSquare && a.rows == dimension else {
            throw .shapeMismatch(operation: "Cholesky refactor", expected: "a \(dimension)×\(dimension) matrix",
                                 actual: "a \(a.shapeDescription) matrix")
        }
        isValid = false
        knownReciprocalCondition = nil
        guard damping >= 0, damping.isFinite else { throw .invalidDamping(damping) }
        let n = dimension
        var lambda = damping
        var attempt = 0
        var jitterCap = 0.0
        let minimumRcond = jitter?.minimumReciprocalCondition ?? 0
        let needsNorm = conditionEstimate || minimumRcond > 0
        var lastRcond = 0.0
        while true {
            attempt += 1
            if !backendCopyCheckingFinite(a.elements, into: &storage.elements) {
                let (r, c) = a.firstNonFiniteEntry!
                throw .nonFiniteMatrixEntry(row: r, column: c)
            }
            if lambda != 0 {
                storage.addToDiagonal(lambda)
                // Aᵢᵢ + λ can overflow to +∞ for huge finite entries; dpotrf must never see ±∞.
                for i in 0..<n where !storage.elements[i + i * n].isFinite {
                    throw .nonFiniteMatrixEntry(row: i, column: i)
                }
            }
            if needsNorm { oneNorm = Cholesky.symmetricOneNorm(lowerOf: storage) }
            var info = backendPotrf(n: n, a: &storage.elements)
            if info == 0 { info = backendFirstInvalidPivot(n: n, storage.elements) }
            var illConditioned = false
            if info == 0 && minimumRcond > 0 {
                // The policy treats 1/κ₁ below its threshold as not positive definite (O(n²): dpocon).
                lastRcond = backendPocon(n: n, l: storage.elements, anorm: oneNorm!)
                illConditioned = !(lastRcond >= minimumRcond)
            }
            if info == 0 && !illConditioned {
                self.damping = lambda
                self.attempts = attempt
                if !needsNorm { oneNorm = nil }
                if minimumRcond > 0 { knownReciprocalCondition = lastRcond }
                isValid = true
                return
            }
            guard let policy = jitter else {
                throw .notPositiveDefinite(minor: info, damping: lambda, attempts: attempt)
            }
            func failure() -> LinearAlgebraError {
                illConditioned ? .illConditioned(reciprocalCondition: lastRcond, damping: lambda, attempts: attempt)
                    : .notPositiveDefinite(minor: info, damping: lambda, attempts: attempt)
            }
            let next: Double
            if attempt == 1 {
                // Scale s = mean |Aᵢᵢ| (summed as |Aᵢᵢ|/n so that it cannot overflow); 1 for a zero diagonal.
                var s = 0.0
                for i in 0..<n { s += Swift.abs(a.elements[i + i * n]) / Double(n) }
                let scale = s > 0 ? s : 1
                jitterCap = Swift.max(lambda, policy.maximumRelativeDamping * scale)
                next = Swift.max(policy.initialRelativeDamping * scale, lambda * policy.growthFactor)
            } else {
                next = lambda * policy.growthFactor
            }
            if attempt >= policy.maximumAttempts || !(next <= jitterCap) {
                throw failure()
            }
            lambda = next
        }
    }

    /// ‖A‖₁ of the symmetric matrix whose lower triangle is stored in `m`.
    private static func symmetricOneNorm(lowerOf m: Matrix) -> Double {
        let n = m.rows
        var best = 0.0
        for j in 0..<n {
            var sum = 0.0
            for i in j..<n { sum += Swift.abs(m.elements[i + j * n]) }
            for i in 0..<j { sum += Swift.abs(m.elements[j + i * n]) }
            best = Swift.max(best, sum)
        }
        return best
    }

    private func requireValid() {
        precondition(isValid, "this Cholesky value failed to refactor; refactor it successfully before use")
    }

    /// The factor L (lower triangular, strict upper triangle zero), as a new matrix.
    public var lower: Matrix {
        requireValid()
        var l = storage
        backendZeroStrictUpper(n: dimension, &l.elements)
        return l
    }

    // MARK: Solves

    /// Solves (A + λI)x = b in place (dpotrs); allocation-free.
    /// - Throws: `.nonFiniteVectorEntry` for NaN/±∞ in b (checked first), `.nonFiniteResult` if the
    ///   solution overflowed. On a throw, b's contents are unspecified.
    public func solve(_ b: inout [Double]) throws(LinearAlgebraError) {
        requireValid()
        guard b.count == dimension else {
            throw .shapeMismatch(operation: "Cholesky solve", expected: "a right-hand side of length \(dimension) (a \(dimension)×\(dimension) system)",
                                 actual: "length \(b.count)")
        }
        try requireFinite(b)
        let n = dimension
        backendPotrs(n: n, nrhs: 1, l: storage.elements, b: &b)
        if firstNonFiniteIndex(b) != nil { throw .nonFiniteResult }
    }

    /// Solves (A + λI)X = B in place for every column of B (n × k); allocation-free.
    /// - Throws: as ``solve(_:)-([Double])``, with column-major indices.
    public func solve(_ b: inout Matrix) throws(LinearAlgebraError) {
        requireValid()
        guard b.rows == dimension else {
            throw .shapeMismatch(operation: "Cholesky solve", expected: "a right-hand side with \(dimension) rows (a \(dimension)×\(dimension) system)",
                                 actual: "a \(b.shapeDescription) matrix")
        }
        try requireFinite(b.elements)
        let n = dimension, k = b.columns
        backendPotrs(n: n, nrhs: k, l: storage.elements, b: &b.elements)
        if firstNonFiniteIndex(b.elements) != nil { throw .nonFiniteResult }
    }

    /// (A + λI)⁻¹b as a new vector.
    public func solving(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        var x = b
        try solve(&x)
        return x
    }

    /// (A + λI)⁻¹B as a new matrix.
    public func solving(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        var x = b
        try solve(&x)
        return x
    }

    /// Solves Lx = b in place (forward substitution, dtrsv). L⁻¹ whitens: if y ~ N(0, A + λI) then
    /// L⁻¹y ~ N(0, I); and ‖L⁻¹b‖² = bᵀ(A + λI)⁻¹b.
    /// - Throws: `.nonFiniteVectorEntry` for NaN/±∞ in b, `.nonFiniteResult` on overflow.
    public func solveLower(_ b: inout [Double]) throws(LinearAlgebraError) {
        try triangular(&b, solve: true, transposed: false)
    }

    /// Solves Lᵀx = b in place (back substitution). If z ~ N(0, I), L⁻ᵀz ~ N(0, (A + λI)⁻¹): the way to
    /// sample from a Gaussian given its precision.
    /// - Throws: `.nonFiniteVectorEntry` for NaN/±∞ in b, `.nonFiniteResult` on overflow.
    public func solveLowerTransposed(_ b: inout [Double]) throws(LinearAlgebraError) {
        try triangular(&b, solve: true, transposed: true)
    }

    /// x ← Lx in place (dtrmv). If z ~ N(0, I), Lz ~ N(0, A + λI): sampling given a covariance.
    /// - Throws: `.nonFiniteVectorEntry` for NaN/±∞ in x, `.nonFiniteResult` on overflow.
    public func multiplyLower(_ x: inout [Double]) throws(LinearAlgebraError) {
        try triangular(&x, solve: false, transposed: false)
    }

    /// x ← Lᵀx in place (dtrmv); xᵀ(A + λI)x = ‖Lᵀx‖².
    /// - Throws: `.nonFiniteVectorEntry` for NaN/±∞ in x, `.nonFiniteResult` on overflow.
    public func multiplyLowerTransposed(_ x: inout [Double]) throws(LinearAlgebraError) {
        try triangular(&x, solve: false, transposed: true)
    }

    private func triangular(_ x: inout [Double], solve: Bool, transposed: Bool) throws(LinearAlgebraError) {
        requireValid()
        guard x.count == dimension else {
            throw .shapeMismatch(operation: "triangular operation", expected: "a vector of length \(dimension) (a \(dimension)×\(dimension) factor)",
                                 actual: "length \(x.count)")
        }
        try requireFinite(x)
        let n = dimension
        backendTriangular(solve: solve, transposed ? .transpose : .none, n: n, l: storage.elements, x: &x)
        if firstNonFiniteIndex(x) != nil { throw .nonFiniteResult }
    }

    /// Solves LX = B in place for every column of B (dtrsm).
    /// - Throws: `.nonFiniteVectorEntry` (column-major index) for NaN/±∞ in B, `.nonFiniteResult` on overflow.
    public func solveLower(_ b: inout Matrix) throws(LinearAlgebraError) {
        requireValid()
        guard b.rows == dimension else {
            throw .shapeMismatch(operation: "triangular solve", expected: "a matrix with \(dimension) rows (a \(dimension)×\(dimension) factor)",
                                 actual: "a \(b.shapeDescription) matrix")
        }
        try requireFinite(b.elements)
        let n = dimension, k = b.columns
        backendTriangularSolveMatrix(.none, n: n, nrhs: k, l: storage.elements, b: &b.elements)
        if firstNonFiniteIndex(b.elements) != nil { throw .nonFiniteResult }
    }

    /// Solves LᵀX = B in place for every column of B (dtrsm): with the columns of Z independent
    /// N(0, I) draws, the columns of L⁻ᵀZ are N(0, (A + λI)⁻¹) draws.
    /// - Throws: `.nonFiniteVectorEntry` (column-major index) for NaN/±∞ in B, `.nonFiniteResult` on overflow.
    public func solveLowerTransposed(_ b: inout Matrix) throws(LinearAlgebraError) {
        requireValid()
        guard b.rows == dimension else {
            throw .shapeMismatch(operation: "triangular solve", expected: "a matrix with \(dimension) rows (a \(dimension)×\(dimension) factor)",
                                 actual: "a \(b.shapeDescription) matrix")
        }
        try requireFinite(b.elements)
        backendTriangularSolveMatrix(.transpose, n: dimension, nrhs: b.columns, l: storage.elements, b: &b.elements)
        if firstNonFiniteIndex(b.elements) != nil { throw .nonFiniteResult }
    }

    /// Solves every row of B against L: B ← B·L⁻ᵀ, so row i of the result is (L⁻¹bᵢ)ᵀ and its squared
    /// norm is bᵢᵀ(LLᵀ)⁻¹bᵢ (dtrsm from the right; B is m × n for an n × n factor, column-major, so a
    /// block of design rows is solved without a transposed copy).
    /// - Throws: `.shapeMismatch` unless B has n columns; `.nonFiniteVectorEntry` (column-major index)
    ///   for NaN/±∞ in B, `.nonFiniteResult` on overflow.
    public func solveLowerForRows(_ b: inout Matrix) throws(LinearAlgebraError) {
        requireValid()
        guard b.columns == dimension else {
            throw .shapeMismatch(operation: "row triangular solve", expected: "a matrix with \(dimension) columns (a \(dimension)×\(dimension) factor)",
                                 actual: "a \(b.shapeDescription) matrix")
        }
        try requireFinite(b.elements)
        backendTriangularSolveRows(n: dimension, m: b.rows, l: storage.elements, b: &b.elements)
        if firstNonFiniteIndex(b.elements) != nil { throw .nonFiniteResult }
    }

    // MARK: Derived quantities

    /// (min Lᵢᵢ / max Lᵢᵢ)², the smallest pivot of the factorization relative to the largest, at O(n)
    /// and always available. With M = A + λI, each pivot Lᵢᵢ² = 1/[(M₁..ᵢ,₁..ᵢ)⁻¹]ᵢᵢ lies in
    /// [λ_min(M), Mᵢᵢ] ⊂ [λ_min(M), λ_max(M)], so the ratio is ≥ 1/κ₂(M) = λ_min/λ_max: a small ratio
    /// proves ill-conditioning (a value near ε ≈ 2e-16 means M is numerically singular even though
    /// dpotrf succeeded, e.g. a duplicated feature whose Fisher has an eigenvalue of ±1e-14), a ratio
    /// near 1 does not prove good conditioning (use ``reciprocalConditionNumber`` for that). 1 for n = 0.
    public var pivotRatio: Double {
        requireValid()
        let n = dimension
        guard n > 0 else { return 1 }
        var smallest = Double.infinity, largest = 0.0
        for i in 0..<n {
            let d = storage.elements[i + i * n]
            smallest = Swift.min(smallest, d)
            largest = Swift.max(largest, d)
        }
        let r = smallest / largest
        return r * r
    }

    /// log det(A + λI) = 2 Σᵢ log Lᵢᵢ. Finite for every successful factorization (Lᵢᵢ > 0).
    public var logDeterminant: Double {
        requireValid()
        let n = dimension
        var s = 0.0
        for i in 0..<n { s += naturalLog(storage.elements[i + i * n]) }
        return 2 * s
    }

    /// (A + λI)⁻¹ as a full symmetric matrix (dpotri). For covariances and standard errors; to apply
    /// the inverse to a vector, ``solve(_:)-([Double])`` is cheaper and more accurate.
    /// - Throws: `.nonFiniteResult` if the inverse overflows.
    public func inverse() throws(LinearAlgebraError) -> Matrix {
        requireValid()
        var inv = storage
        let n = dimension
        let info = backendPotri(n: n, a: &inv.elements)
        // dpotri fails only for a zero diagonal of L, which a successful dpotrf excludes.
        precondition(info == 0, "dpotri failed (info \(info)) after a successful dpotrf")
        inv.symmetrizeFromLower()
        if !inv.isFinite { throw .nonFiniteResult }
        return inv
    }

    /// Estimate of 1/κ₁(A + λI) = 1/(‖A + λI‖₁‖(A + λI)⁻¹‖₁) from dpocon (Hager–Higham estimator of
    /// ‖(A + λI)⁻¹‖₁: O(n²), a lower bound on that norm, so the estimate is ≥ the true 1/κ₁ and
    /// usually within a factor 3 of it),
    /// or nil when the factorization was made without `conditionEstimate: true` (or a jitter policy
    /// with a ``JitterPolicy/minimumReciprocalCondition``, which computes it anyway). 1 for n = 0.
    /// Values near ε mean solves lose nearly all digits.
    public var reciprocalConditionNumber: Double? {
        requireValid()
        if let known = knownReciprocalCondition { return known }
        guard let anorm = oneNorm else { return nil }
        let n = dimension
        return backendPocon(n: n, l: storage.elements, anorm: anorm)
    }
}
