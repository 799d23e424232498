import LinearAlgebra

/// The design X = [1 | features] of a fit (the intercept column implicit, p = k + 1, or X = features,
/// p = k), owning the products of the row passes over a row range r:
///   η_r = X_r β + offset_r,   Xᵀu += X_rᵀ u_r,   F += c·X_rᵀ W_r X_r.
/// The intercept is handled here and nowhere else: β₀ is added to every η, Σᵢuᵢ is its score, and its
/// column of the Gram product is the weights' column. Dense blocks only; a categorical block (level
/// codes) would add its own η, Xᵀu and Gram terms here without touching the solvers.
struct DenseDesign: Sendable {
    /// The k feature columns (n × k).
    let features: Matrix
    /// Whether the implicit column of ones comes first.
    let hasIntercept: Bool

    /// n.
    var rows: Int { features.rows }
    /// k.
    var featureCount: Int { features.columns }
    /// p = k + (1 with an intercept).
    var columns: Int { features.columns + (hasIntercept ? 1 : 0) }
    /// The index of the first feature's coefficient.
    var firstFeature: Int { hasIntercept ? 1 : 0 }

    /// β₀ (0 without an intercept), and the feature part of β copied into `featureCoefficients` (k).
    @inline(__always)
    func split(_ coefficients: [Double], features featureCoefficients: inout [Double]) -> Double {
        let first = firstFeature
        for j in 0..<featureCount { featureCoefficients[j] = coefficients[first + j] }
        return hasIntercept ? coefficients[0] : 0
    }

    /// score ← (Σᵢuᵢ, Xᵀu of the features), from the sums of a pass.
    @inline(__always)
    func assembleScore(uSum: Double, featureScore: [Double], into score: inout [Double]) {
        if hasIntercept { score[0] = uSum }
        let first = firstFeature
        for j in 0..<featureCount { score[first + j] = featureScore[j] }
    }

    /// η[rows] ← β₀ + offset[rows] (offset nil: none) + X_rows·β_features (`eta` indexed by row).
    @inline(__always)
    func linearPredictor(_ rows: Range<Int>, featureCoefficients: [Double], intercept: Double, offset: [Double]?,
                         into eta: RowBuffer) {
        if let offset {
            for i in rows { eta[i] = offset[i] + intercept }
        } else {
            for i in rows { eta[i] = intercept }
        }
        if featureCount > 0 && !rows.isEmpty {
            BLAS.gemv(features, rows: rows, featureCoefficients, beta: 1, into: eta)
        }
    }

    /// uSum += Σ_{i ∈ rows} uᵢ and featureScore += X_rowsᵀ u_rows (`u` indexed by row).
    @inline(__always)
    func addTransposedProduct(_ rows: Range<Int>, _ u: RowBuffer, featureScore: inout [Double], uSum: inout Double) {
        for i in rows { uSum += u[i] }
        if featureCount > 0 && !rows.isEmpty {
            BLAS.gemvTransposed(features, rows: rows, u, beta: 1, into: &featureScore)
        }
    }

    /// c·Σ_{i ∈ rows} Wᵢxᵢxᵢᵀ added to the Gram product being accumulated in `gram` (see
    /// `WeightedGramAccumulator` for the two kernels).
    @inline(__always)
    func addWeightedGram(_ rows: Range<Int>, weights: RowBuffer, scale: Double, into gram: inout WeightedGramAccumulator,
                         scratch: GramScratch) {
        gram.add(features, intercept: hasIntercept, rows: rows, weights: weights, scale: scale, scratch: scratch)
    }
}
