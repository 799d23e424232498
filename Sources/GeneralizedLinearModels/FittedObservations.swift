import RealModule

/// The per-row quantities of a GLM at given coefficients β, computed from the data alone (no solver
/// state), for the covariances, the residuals and the influence measures:
///   ηᵢ = xᵢᵀβ + offsetᵢ, μᵢ = g⁻¹(ηᵢ), dᵢ = dμ/dη, Vᵢ = V(μᵢ), pᵢ the prior weight (frequency weight ×
///   trials), and, with φ = 1 (the dispersion scales them all and cancels where they are used):
///   - the score factor uᵢ = pᵢ(yᵢ − μᵢ)dᵢ/Vᵢ (the score of row i is uᵢxᵢ),
///   - the expected-information weight Wᵢ = pᵢdᵢ²/Vᵢ,
///   - the observed-information weight Oᵢ = Wᵢ·(1 + (yᵢ − μᵢ)(Vᵢg''(μᵢ) + V'(μᵢ)g'(μᵢ))/(g'(μᵢ)Vᵢ)), so that
///     −∂²ℓ/∂β∂βᵀ = Σᵢ Oᵢxᵢxᵢᵀ (statsmodels' `hessian_factor(observed=True)`); Oᵢ = Wᵢ for canonical links.
struct FittedObservations {
    var eta: [Double]
    var mu: [Double]
    var score: [Double]
    var expectedWeight: [Double]
    var observedWeight: [Double]

    /// - Throws: `.nonFiniteValue(variable: "linear predictor", row:)` where μ leaves the mean space.
    init(_ data: PreparedData, coefficients beta: [Double], family: GLMFamily, link: GLMLink) throws(GLMError) {
        let n = data.response.count
        eta = designTimes(data.features, intercept: data.hasIntercept, beta)
        for i in 0..<n { eta[i] += data.offset[i] }
        mu = [Double](repeating: 0, count: n)
        score = mu
        expectedWeight = mu
        observedWeight = mu
        let canonical = link == family.defaultLink && { if case .negativeBinomial = family { return false }; return true }()
        for i in 0..<n {
            let e = eta[i], m = link.mean(e)
            let valid: Bool
            if case .binomial = family { valid = m >= 0 && m <= 1 } else { valid = family.isValidMean(m) }
            guard valid else { throw .nonFiniteValue(variable: "linear predictor", row: i) }
            mu[i] = m
            let p = data.priorWeights[i], d = link.meanDerivative(e, mean: m), v = family.variance(m)
            let r = data.response[i] - m
            guard v > 0, d != 0 else { continue }  // a probability that rounded to 0 or 1: no information
            score[i] = p * r * d / v
            let w = p * d * d / v
            expectedWeight[i] = w
            if canonical {
                observedWeight[i] = w
            } else {
                let gPrime = 1 / d
                let correction = r * (v * link.secondDerivative(m) + family.varianceDerivative(m) * gPrime) / (gPrime * v)
                observedWeight[i] = w * (1 + correction)
            }
        }
    }
}

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
