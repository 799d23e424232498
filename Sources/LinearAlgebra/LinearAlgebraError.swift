/// Numerical failures of the linear-algebra layer, as typed, inspectable values.
///
/// Shape mismatches are programmer errors and stop the program with a precondition that names both
/// shapes; everything a *numerical* input can cause is one of these cases instead.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The leading minor of order `minor` (1-based, LAPACK's convention) of A + λI is not positive
    /// definite: its pivot was ≤ 0 or NaN. `damping` is the last λ tried and `attempts` the number
    /// of factorizations made (1 without jitter).
    case notPositiveDefinite(minor: Int, damping: Double, attempts: Int)
    /// A matrix entry is NaN or ±∞ (0-based row and column). Checked before any LAPACK call.
    case nonFiniteMatrixEntry(row: Int, column: Int)
    /// A vector entry (or right-hand-side entry, column-major index) is NaN or ±∞.
    case nonFiniteVectorEntry(index: Int)
    /// The result overflowed to ±∞ although every input was finite (the system is too ill-conditioned
    /// for Double precision at this right-hand side).
    case nonFiniteResult
    /// A damping λ that is negative, NaN or ±∞.
    case invalidDamping(Double)
    /// LAPACK's symmetric eigensolver did not converge (`info` from dsyevd).
    case eigendecompositionDidNotConverge(info: Int)

    public var description: String {
        switch self {
        case let .notPositiveDefinite(minor, damping, attempts):
            return "matrix is not positive definite: leading minor of order \(minor) failed"
                + " (damping λ = \(damping), \(attempts) factorization attempt\(attempts == 1 ? "" : "s"))"
        case let .nonFiniteMatrixEntry(row, column):
            return "matrix entry (\(row), \(column)) is NaN or infinite"
        case let .nonFiniteVectorEntry(index):
            return "vector entry \(index) is NaN or infinite"
        case .nonFiniteResult:
            return "the solution overflowed to infinity: the system is too ill-conditioned for Double"
        case let .invalidDamping(value):
            return "damping λ = \(value) is invalid: it must be finite and ≥ 0"
        case let .eigendecompositionDidNotConverge(info):
            return "symmetric eigendecomposition did not converge (dsyevd info = \(info))"
        }
    }
}

/// Throws `nonFiniteVectorEntry` for the first NaN/±∞ entry of `values`.
@inline(__always)
func requireFinite(_ values: [Double]) throws(LinearAlgebraError) {
    if let index = firstNonFiniteIndex(values) { throw .nonFiniteVectorEntry(index: index) }
}
