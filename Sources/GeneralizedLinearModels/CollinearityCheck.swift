/// The first column of a symmetric positive-semidefinite Gram matrix G = XᵀWX that is numerically a
/// linear combination of the columns before it, with those columns, or nil when G has full rank.
///
/// G is scaled to unit diagonal (the Gram matrix of the columns normalized to unit weighted norm),
/// then factored by Cholesky in column order: the k-th squared pivot is 1 − R²ₖ, the fraction of
/// column k not explained by the columns before it. Column k is dependent when 1 − R²ₖ ≤ 1e-10
/// (its unexplained part is below 1e-5 of its norm; the Gram matrix itself is only accurate to
/// ≈ 1e-16 relative, so smaller thresholds cannot be resolved). The columns involved are those with a
/// non-negligible coefficient (above 1e-6 of the largest, in normalized units) in the regression of
/// column k on the earlier ones, c = L₁₁⁻ᵀ ℓₖ with ℓₖ the k-th row of the factor.
/// A column with zero weighted norm is reported with no involved columns.
/// Cost: p³/3 multiply-adds (once per fit), by LAPACK when G has full rank.
func firstDependentColumn(_ g: Matrix) -> (column: Int, involved: [Int])? {
    let p = g.rows
    var maxDiagonal = 0.0
    for j in 0..<p { maxDiagonal = Swift.max(maxDiagonal, g[j, j]) }
    var scale = [Double](repeating: 0, count: p)
    for j in 0..<p {
        let d = g[j, j]
        if !(d > 1e-300 && d > maxDiagonal * 1e-300) { return (j, []) }
        scale[j] = 1 / d.squareRoot()
    }
    // l (column-major p × p) receives the factor of the scaled matrix, lower triangle.
    var l = [Double](repeating: 0, count: p * p)
    for j in 0..<p { for i in j..<p { l[i + j * p] = g.elements[i + j * p] * scale[i] * scale[j] } }
    // The common case, full rank, by LAPACK (dpotrf): every squared pivot above the threshold. Only a
    // failure runs the column-by-column factorization below, which names the columns.
    if let factor = try? Cholesky(Matrix(rows: p, columns: p, columnMajor: l)),
       factor.lower.diagonalElements.allSatisfy({ $0 * $0 > 1e-10 }) {
        return nil
    }
    for k in 0..<p {
        var pivot = l[k + k * p]
        for j in 0..<k { pivot -= l[k + j * p] * l[k + j * p] }
        if pivot <= 1e-10 {
            // c = L₁₁⁻ᵀ ℓₖ by back substitution.
            var c = [Double](repeating: 0, count: k)
            for j in stride(from: k - 1, through: 0, by: -1) {
                var s = l[k + j * p]
                for i in (j + 1)..<Swift.max(j + 1, k) { s -= l[i + j * p] * c[i] }
                c[j] = s / l[j + j * p]
            }
            let largest = c.map { Swift.abs($0) }.max() ?? 0
            let involved = (0..<k).filter { Swift.abs(c[$0]) > 1e-6 * largest }
            return (k, involved)
        }
        let d = pivot.squareRoot()
        l[k + k * p] = d
        for i in (k + 1)..<Swift.max(k + 1, p) {
            var s = l[i + k * p]
            for j in 0..<k { s -= l[i + j * p] * l[k + j * p] }
            l[i + k * p] = s / d
        }
    }
    return nil
}

/// The first feature column that is numerically a linear combination of the intercept and the features
/// before it, tested on the weighted, centred columns, with the columns involved (coefficient indices:
/// 0 is the intercept, j + 1 the feature j), or nil when there is none. For designs with an intercept,
/// after the uncentred test (`firstDependentColumn`) failed.
///
/// The centred Gram matrix C = Σᵢ wᵢ(xᵢ − m)(xᵢ − m)ᵀ, m = Σᵢ wᵢxᵢ/Σᵢ wᵢ, is formed from the data (two
/// passes, so that a column's spread is not lost to cancellation against its mean). Feature j is a
/// multiple of the intercept when Cⱼⱼ ≤ 1e-14·Σᵢ wᵢxᵢⱼ² (a spread under 1e-7 of its magnitude, which the
/// uncentred XᵀWX the solver factors, accurate to ≈ 1e-16 of those sums, cannot resolve); otherwise
/// C is scaled to unit diagonal and tested by `firstDependentColumn` (1 − R²ₖ ≤ 1e-10 among the centred
/// features). The intercept is listed among the involved columns when the fitted relation has a
/// constant term a = mₖ − Σⱼ cⱼmⱼ (c the regression of column k on the involved ones) with
/// |a|·√Σwᵢ above 1e-6 of the column's centred norm √Cₖₖ. A column zero on every weighted row is reported
/// with no involved columns. Cost: n·k² multiply-adds (only when the uncentred test failed).
/// On a distributed fit the sums are over every process (`centredGram`), so every process reports the same.
func firstDependentCentredColumn(_ x: Matrix, weights w: [Double],
                                 sums: ProcessSums = ProcessSums(reduction: nil)) throws(GLMError)
    -> (column: Int, involved: [Int])? {
    let (weightSum, means, uncentred, c) = try centredGram(x, weights: w, sums: sums)
    guard weightSum > 0 else { return (1, [0]) }
    let largest = uncentred.max() ?? 0
    for j in 0..<x.columns where !(uncentred[j] > 1e-300 && uncentred[j] > largest * 1e-300) { return (j + 1, []) }
    for j in 0..<x.columns where !(c[j, j] > 1e-14 * uncentred[j]) { return (j + 1, [0]) }
    guard let (column, involved) = firstDependentColumn(c) else { return nil }
    // The relation x_column ≈ a + Σ cⱼ x_j over the involved features: least squares on C.
    var constantTerm = false
    if !involved.isEmpty {
        let q = involved.count
        var a = Matrix(rows: q, columns: q), b = [Double](repeating: 0, count: q)
        for (r, jr) in involved.enumerated() {
            b[r] = c[jr, column]
            for (s, js) in involved.enumerated() { a[r, s] = c[jr, js] }
        }
        if let factor = try? Cholesky(a), let coefficients = try? factor.solving(b) {
            var fitted = 0.0
            for (r, jr) in involved.enumerated() { fitted += coefficients[r] * means[jr] }
            constantTerm = Swift.abs(means[column] - fitted) * weightSum.squareRoot() > 1e-6 * c[column, column].squareRoot()
        }
    }
    return (column + 1, (constantTerm ? [0] : []) + involved.map { $0 + 1 })
}
