// Products with the design [1 | features] that the covariances, the influence measures and prediction
// share: Xβ, Σ wᵢxᵢxᵢᵀ and the quadratic forms wᵢxᵢᵀAxᵢ, the intercept column implicit.

/// Xβ for the design [1 | features] (intercept first when present), by gemv.
func designTimes(_ features: Matrix, intercept: Bool, _ beta: [Double]) -> [Double] {
    let first = intercept ? 1 : 0
    var v = [Double](repeating: intercept ? beta[0] : 0, count: features.rows)
    if features.columns > 0 { BLAS.gemv(features, Array(beta[first...]), beta: 1, into: &v) }
    return v
}

/// Σᵢ wᵢxᵢxᵢᵀ over the rows of the design [1 | features] (p × p, both triangles), for weights of either
/// sign: by the fused AVX-512 kernel where it applies (`BLAS.accumulateWeightedGram`), else the positive
/// and negative parts by separate √|w|-scaled syrk passes over blocks of 4096 rows.
func weightedDesignGram(_ features: Matrix, intercept: Bool, weights w: [Double]) -> Matrix {
    let n = features.rows, p = features.columns + (intercept ? 1 : 0)
    var total = Matrix(rows: p, columns: p)
    if n > 0 && BLAS.accumulateWeightedGram(of: features, rows: 0..<n, weights: w, intercept: intercept, into: &total) {
        total.symmetrizeFromLower()
        return total
    }
    let hasNegative = w.contains { $0 < 0 }
    for sign in hasNegative ? [1.0, -1.0] : [1.0] {
        var part = Matrix(rows: p, columns: p)
        var start = 0, first = true
        let blockRows = Swift.max(1, Swift.min(n, 4096))
        var factors = [Double](repeating: 0, count: blockRows)
        var block = Matrix(rows: blockRows, columns: p)
        while start < n {
            let rows = start..<Swift.min(n, start + blockRows)
            for (t, i) in rows.enumerated() { factors[t] = Swift.max(0, sign * w[i]).squareRoot() }
            for t in rows.count..<blockRows { factors[t] = 0 }
            if intercept { for t in 0..<blockRows { block[t, 0] = factors[t] } }
            if features.columns > 0 {
                BLAS.scaleRows(of: features, rows: rows, by: factors, into: &block, rowStart: 0, columnStart: intercept ? 1 : 0)
            }
            if rows.count < blockRows { for j in 0..<p { for t in rows.count..<blockRows { block[t, j] = 0 } } }
            BLAS.gramLowerTriangle(block, beta: first ? 0 : 1, into: &part)
            first = false
            start = rows.upperBound
        }
        part.symmetrizeFromLower()
        total = sign > 0 ? part : total - part
    }
    return total
}

/// hᵢ = wᵢ·xᵢᵀA xᵢ for every row of the design [1 | features] (A symmetric p × p): the leverages when
/// A = (Σ wᵢxᵢxᵢᵀ)⁻¹. By blocks of 4096 rows (buffers allocated once): Z = B·A (gemm), then the row-wise
/// dot products of Z and B. Cost: n·p² multiply-adds.
func weightedQuadraticForms(_ features: Matrix, intercept: Bool, weights w: [Double], _ a: Matrix) -> [Double] {
    let n = features.rows, p = a.rows, first = intercept ? 1 : 0
    var h = [Double](repeating: 0, count: n)
    let blockRows = Swift.max(1, Swift.min(n, 4096))
    var block = Matrix(rows: blockRows, columns: p), z = Matrix(rows: blockRows, columns: p)
    if intercept { for t in 0..<blockRows { block[t, 0] = 1 } }
    let ones = [Double](repeating: 1, count: blockRows)
    var dots = [Double](repeating: 0, count: blockRows)
    var start = 0
    while start < n {
        let rows = start..<Swift.min(n, start + blockRows), m = rows.count
        // Rows past m (a short last block) keep an earlier block's values; only the first m are read.
        if features.columns > 0 {
            BLAS.scaleRows(of: features, rows: rows, by: ones, into: &block, rowStart: 0, columnStart: first)
        }
        BLAS.gemm(block, a, into: &z)
        // Row-wise dot products, column by column (both matrices are column-major: contiguous reads).
        for t in 0..<m { dots[t] = 0 }
        let b = block.elements, ze = z.elements
        for j in 0..<p {
            let base = j * blockRows
            for t in 0..<m { dots[t] += ze[base + t] * b[base + t] }
        }
        for (t, i) in rows.enumerated() { h[i] = w[i] * dots[t] }
        start = rows.upperBound
    }
    return h
}
