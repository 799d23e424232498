// The centred Gram matrix of the features and the covariance built from it, for features whose spread
// is small against their mean (Unix timestamps, YYYYMMDD dates).

/// The weighted, centred Gram matrix of the columns of x: Σw = Σᵢ wᵢ, the means m = Σᵢ wᵢxᵢ/Σw, the
/// uncentred sums of squares Σᵢ wᵢxᵢⱼ², and C = Σᵢ wᵢ(xᵢ − m)(xᵢ − m)ᵀ (both triangles), formed from the
/// centred rows (blocks of 4096 √wᵢ-scaled rows and syrk) so that no spread is lost to cancellation
/// against the mean. Negative weights count as 0. Cost: n·k²/2 multiply-adds plus a pass for m.
/// On a distributed fit (`sums` with a reduction) Σw, the column sums and C are summed over the processes.
/// - Throws: `.reductionFailed` (only with a reduction).
func centredGram(_ x: Matrix, weights w: [Double], sums: ProcessSums = ProcessSums(reduction: nil)) throws(GLMError)
    -> (weightSum: Double, means: [Double], uncentred: [Double], gram: Matrix) {
    let n = x.rows, k = x.columns
    var weightSum = 0.0
    for i in 0..<n { weightSum += Swift.max(0, w[i]) }
    var means = [Double](repeating: 0, count: k), uncentred = [Double](repeating: 0, count: k)
    var c = Matrix(rows: k, columns: k)
    var columnSums = [Double](repeating: 0, count: 2 * k)
    for j in 0..<k {
        var s = 0.0, s2 = 0.0
        for i in 0..<n {
            let v = x[i, j], wi = Swift.max(0, w[i])
            s += wi * v
            s2 += wi * v * v
        }
        columnSums[j] = s
        columnSums[k + j] = s2
    }
    if sums.reduction != nil {
        columnSums.append(weightSum)
        try sums.sum(&columnSums)
        weightSum = columnSums[2 * k]
    }
    guard weightSum > 0 else { return (0, means, uncentred, c) }
    for j in 0..<k {
        means[j] = columnSums[j] / weightSum
        uncentred[j] = columnSums[k + j]
    }
    let blockRows = Swift.max(1, Swift.min(n, 4096))
    var block = Matrix(rows: blockRows, columns: k)
    var start = 0, first = true
    while start < n {
        let rows = start..<Swift.min(n, start + blockRows)
        for j in 0..<k {
            for (t, i) in rows.enumerated() { block[t, j] = Swift.max(0, w[i]).squareRoot() * (x[i, j] - means[j]) }
            for t in rows.count..<blockRows { block[t, j] = 0 }
        }
        BLAS.gramLowerTriangle(block, beta: first ? 0 : 1, into: &c)
        first = false
        start = rows.upperBound
    }
    if sums.reduction != nil {
        var lower = [Double]()
        for j in 0..<k { for i in j..<k { lower.append(c[i, j]) } }
        try sums.sum(&lower)
        var t = 0
        for j in 0..<k { for i in j..<k { c[i, j] = lower[t]; t += 1 } }
    }
    c.symmetrizeFromLower()
    return (weightSum, means, uncentred, c)
}

/// (XᵀWX)⁻¹ for the design X = [1 | x] through the centred Gram matrix C (`centredGram`):
///   (XᵀWX)⁻¹ = [[1/Σw + mᵀC⁻¹m, −(C⁻¹m)ᵀ], [−C⁻¹m, C⁻¹]],
/// accurate when a column's spread is small against its mean (Unix timestamps: the uncentred XᵀWX has
/// condition ≈ 1e29 there, and its inverse keeps ≈ 1e-5 relative error). Nil when C is not positive
/// definite. Cost: one pass over x (n·k²/2 multiply-adds) and k³/3 for the factorization.
func centredInverseGram(_ x: Matrix, weights w: [Double],
                        sums: ProcessSums = ProcessSums(reduction: nil)) throws(GLMError) -> Matrix? {
    let k = x.columns
    let (weightSum, means, _, c) = try centredGram(x, weights: w, sums: sums)
    guard weightSum > 0, let factor = try? Cholesky(c), let inverse = try? factor.inverse(),
          let cm = try? factor.solving(means) else { return nil }
    var result = Matrix(rows: k + 1, columns: k + 1)
    var corner = 1 / weightSum
    for j in 0..<k { corner += means[j] * cm[j] }
    result[0, 0] = corner
    for j in 0..<k {
        result[0, j + 1] = -cm[j]
        result[j + 1, 0] = -cm[j]
        for i in 0..<k { result[i + 1, j + 1] = inverse[i, j] }
    }
    return result
}
