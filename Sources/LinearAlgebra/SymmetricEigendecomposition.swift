/// The eigendecomposition A = QΛQᵀ of a symmetric matrix (dsyevd, divide and conquer).
///
/// Only the lower triangle of A is read; every entry must be finite. Eigenvalues are in ascending
/// order and the columns of `eigenvectors` are orthonormal. Used for spectral diagnostics (the
/// smallest eigenvalue tells how much damping a Fisher matrix needs) and spectral damping.
public struct SymmetricEigendecomposition: Sendable {
    /// λ₁ ≤ λ₂ ≤ … ≤ λₙ.
    public let eigenvalues: [Double]
    /// Q: column j is the unit eigenvector of `eigenvalues[j]`.
    public let eigenvectors: Matrix

    /// The eigendecomposition of the symmetric matrix `a` (LAPACK dsyevd; the lower triangle is read).
    ///
    /// - Throws: `.nonFiniteMatrixEntry` for NaN/±∞ anywhere in A, `.eigendecompositionDidNotConverge`.
    public init(_ a: Matrix) throws(LinearAlgebraError) {
        precondition(a.isSquare, "eigendecomposition needs a square matrix, got \(a.shapeDescription)")
        if let (r, c) = a.firstNonFiniteEntry { throw .nonFiniteMatrixEntry(row: r, column: c) }
        var q = a
        var w = [Double](repeating: 0, count: a.rows)
        let info = backendSyevd(n: a.rows, a: &q.elements, w: &w)
        if info != 0 { throw .eigendecompositionDidNotConverge(info: info) }
        eigenvalues = w
        eigenvectors = q
    }

    /// λₘᵢₙ / λₘₐₓ-free diagnostic: the 2-norm condition number λₘₐₓ/λₘᵢₙ (∞ when λₘᵢₙ ≤ 0; 1 for n = 0).
    public var conditionNumber: Double {
        guard let lo = eigenvalues.first, let hi = eigenvalues.last else { return 1 }
        return lo > 0 ? hi / lo : .infinity
    }
}
