// Validation helpers for matrix-valued parameters (covariance, precision), shared by the Gaussian
// families: they turn linear-algebra failures into errors that name the parameter.

/// Factors a symmetric matrix parameter that must be positive definite.
/// - Throws: `.nonFinite("name[i, j]")` for a NaN/±∞ entry; `.outsideDomain(parameter: "name (smallest
///   eigenvalue)", value: λₘᵢₙ, requirement: …)` when it is not positive definite (λₘᵢₙ is computed
///   on this error path only, for the message; NaN if even the eigensolver fails).
func factorPositiveDefinite(_ a: Matrix, name: String) throws(ExponentialFamilyError) -> Cholesky {
    do {
        return try Cholesky(a)
    } catch {
        switch error {
        case let .nonFiniteMatrixEntry(row, column):
            throw .nonFinite(parameter: "\(name)[\(row), \(column)]")
        case let .notPositiveDefinite(minor, _, _):
            let smallest = (try? SymmetricEigendecomposition(a))?.eigenvalues.first ?? .nan
            throw .outsideDomain(parameter: "\(name) (smallest eigenvalue)", value: smallest,
                                 requirement: "> 0: \(name) must be positive definite (leading minor \(minor) is not)")
        default:
            throw .linearAlgebra(error)
        }
    }
}

/// Checks that a square matrix parameter is symmetric up to rounding (|aᵢⱼ − aⱼᵢ| ≤ 10⁻¹²·max|a|) and
/// returns it with both triangles set to the average (so later code may read either triangle).
/// - Precondition: `a` is d × d (names both shapes otherwise).
/// - Throws: `.nonFinite("name[i, j]")`, `.outsideDomain(parameter: "name[i, j] − name[j, i]", …)`.
func symmetricParameter(_ a: Matrix, d: Int, name: String) throws(ExponentialFamilyError) -> Matrix {
    precondition(a.rows == d && a.columns == d, "\(name) must be \(d)×\(d) to match a mean of length \(d), got \(a.shapeDescription)")
    if let (r, c) = a.firstNonFiniteEntry { throw .nonFinite(parameter: "\(name)[\(r), \(c)]") }
    var scale = 0.0
    for x in a.elements { scale = Swift.max(scale, Swift.abs(x)) }
    let e = a.elements
    var s = e
    for j in 0..<d {
        for i in (j + 1)..<Swift.max(j + 1, d) {
            let lower = e[i + j * d], upper = e[j + i * d]
            let gap = lower - upper
            if Swift.abs(gap) > 1e-12 * scale {
                throw .outsideDomain(parameter: "\(name)[\(i), \(j)] − \(name)[\(j), \(i)]", value: gap,
                                     requirement: "0: \(name) must be symmetric")
            }
            let average = 0.5 * (lower + upper)
            s[i + j * d] = average
            s[j + i * d] = average
        }
    }
    // Built in a plain array: element-wise writes through `Matrix.elements` copy the storage each time.
    return Matrix(rows: d, columns: d, columnMajor: s)
}

/// Throws `.nonFinite("name[i]")` for the first NaN/±∞ entry.
func requireFiniteParameter(_ values: [Double], name: String) throws(ExponentialFamilyError) {
    for i in values.indices where !values[i].isFinite { throw .nonFinite(parameter: "\(name)[\(i)]") }
}

/// Throws `.wrongDimension` unless `values.count == expected`.
func requireCount(_ values: [Double], _ expected: Int, name: String) throws(ExponentialFamilyError) {
    if values.count != expected { throw .wrongDimension(parameter: name, expected: expected, actual: values.count) }
}
