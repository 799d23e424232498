/// Numerical failures of the linear-algebra layer, as typed, inspectable values.
///
/// Everything data can cause is one of these cases, shape mismatches included
/// (``shapeMismatch(operation:expected:actual:)`` names both shapes). Preconditions remain only for
/// misuse that no input data can cause: a negative dimension, an index outside a matrix, using a
/// factorization after a failed `refactor`, and LAPACK reporting an illegal argument (a wrapper bug).
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The leading minor of order `minor` (1-based, LAPACK's convention) of A + λI is not positive
    /// definite: its pivot was ≤ 0 or NaN. `damping` is the last λ tried and `attempts` the number
    /// of factorizations made (1 without jitter).
    case notPositiveDefinite(minor: Int, damping: Double, attempts: Int)
    /// A matrix entry is NaN or ±∞ (0-based row and column; the description counts from 1). Checked
    /// before any LAPACK call.
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
    /// The shapes of two operands do not fit: `operation` names the call, `expected` the shape the
    /// first operand requires (e.g. "3×3 system"), `actual` the shape supplied (e.g. "vector of length 4").
    case shapeMismatch(operation: String, expected: String, actual: String)
    /// The factorization succeeded but its reciprocal condition estimate 1/κ₁ = `reciprocalCondition`
    /// is below the policy's ``JitterPolicy/minimumReciprocalCondition`` after `attempts`
    /// factorizations, the last with damping λ = `damping`: solves would return mostly rounding noise.
    case illConditioned(reciprocalCondition: Double, damping: Double, attempts: Int)

    public var description: String {
        switch self {
        case let .notPositiveDefinite(minor, damping, attempts):
            return "matrix is not positive definite: leading minor of order \(minor) failed"
                + " (damping λ = \(damping), \(attempts) factorization attempt\(attempts == 1 ? "" : "s"))"
        case let .nonFiniteMatrixEntry(row, column):
            return "matrix entry in row \(row + 1), column \(column + 1) is NaN or infinite"
        case let .nonFiniteVectorEntry(index):
            return "vector entry \(index) is NaN or infinite"
        case .nonFiniteResult:
            return "the solution overflowed to infinity: the system is too ill-conditioned for Double"
        case let .invalidDamping(value):
            return "damping λ = \(value) is invalid: it must be finite and ≥ 0"
        case let .eigendecompositionDidNotConverge(info):
            return "symmetric eigendecomposition did not converge (dsyevd info = \(info))"
        case let .shapeMismatch(operation, expected, actual):
            return "\(operation): expected \(expected), got \(actual)"
        case let .illConditioned(rcond, damping, attempts):
            return "matrix is numerically singular: reciprocal condition estimate \(rcond)"
                + " (damping λ = \(damping), \(attempts) factorization attempt\(attempts == 1 ? "" : "s"))"
        }
    }
}

/// Throws `nonFiniteVectorEntry` for the first NaN/±∞ entry of `values`.
@inline(__always)
func requireFinite(_ values: [Double]) throws(LinearAlgebraError) {
    if let index = firstNonFiniteIndex(values) { throw .nonFiniteVectorEntry(index: index) }
}
