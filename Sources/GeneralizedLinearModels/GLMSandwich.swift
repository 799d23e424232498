// The robust (sandwich) covariances of `GLMCovarianceType`: bread H⁻¹ (the inverse observed
// information), meat Σ ωᵢsᵢsᵢᵀ or the cluster sums, one pass over X for each of them.

extension GeneralizedLinearModel {
    /// The covariance of β̂ of a robust `type` (not `.nonrobust`) at the fitted rows `rows` (see
    /// `GLMCovarianceType` for the formulas). `inverseFisher` is the unscaled (XᵀWX)⁻¹ at β̂, the bread
    /// for canonical links (where observed and expected information agree).
    /// Cost: one pass over X for the meat (a weighted Gram product or the cluster sums), one more for the
    /// bread with a non-canonical link, one more for the leverages of HC2 and HC3.
    /// - Throws: `.clusterGroupCount`, `.tooFewClusters`, `.linearAlgebra` (observed information not
    ///   positive definite).
    func sandwichCovariance(_ type: GLMCovarianceType, data: PreparedData, rows: FittedObservations,
                            inverseFisher: Matrix) throws(GLMError) -> Matrix {
        let n = data.response.count
        let p = data.features.columns + (data.hasIntercept ? 1 : 0)
        let bread: Matrix
        if isCanonical {
            bread = inverseFisher
        } else {
            let h = weightedDesignGram(data.features, intercept: data.hasIntercept, weights: rows.observedWeight)
            do { bread = try Cholesky(h).inverse() } catch { throw .linearAlgebra(error) }
        }
        var meat: Matrix
        switch type {
        case .nonrobust:
            preconditionFailure("sandwichCovariance is for the robust types")
        case .hc0, .hc1, .hc2, .hc3:
            var leverage = [Double]()
            if type == .hc2 || type == .hc3 {
                leverage = weightedQuadraticForms(data.features, intercept: data.hasIntercept,
                                                  weights: rows.observedWeight, bread)
            }
            var omega = [Double](repeating: 0, count: n)
            var weightedCount = 0.0
            for i in 0..<n {
                let f = data.frequencyWeights[i]
                weightedCount += f
                guard f > 0 else { continue }
                let s = rows.score[i]
                var w = s * s / f
                if !leverage.isEmpty {
                    let h = leverage[i] / f  // one replicate's leverage
                    w /= type == .hc2 ? 1 - h : (1 - h) * (1 - h)
                }
                omega[i] = w
            }
            meat = weightedDesignGram(data.features, intercept: data.hasIntercept, weights: omega)
            if type == .hc1 { meat = (weightedCount / (weightedCount - Double(p))) * meat }
        case let .cluster(groups):
            guard groups.count == n else { throw .clusterGroupCount(groups: groups.count, rows: n) }
            var index = [Int: Int]()
            for g in groups where index[g] == nil { index[g] = index.count }
            let clusters = index.count
            guard clusters >= 2 else { throw .tooFewClusters(clusters) }
            // S (G × p, column-major): row g is Σ_{i ∈ g} uᵢxᵢ, accumulated column by column of X (contiguous).
            let cluster = groups.map { index[$0]! }
            var sums = [Double](repeating: 0, count: clusters * p)
            let first = data.hasIntercept ? 1 : 0, x = data.features.elements, u = rows.score
            if first == 1 { for i in 0..<n { sums[cluster[i]] += u[i] } }
            for j in 0..<data.features.columns {
                let column = j * n, target = (first + j) * clusters
                for i in 0..<n { sums[target + cluster[i]] += u[i] * x[column + i] }
            }
            meat = BLAS.gram(Matrix(rows: clusters, columns: p, columnMajor: sums))
            let g = Double(clusters), rowCount = Double(n)
            meat = (g / (g - 1) * (rowCount - 1) / (rowCount - Double(p))) * meat
        }
        var covariance = bread * meat * bread
        covariance.symmetrizeFromLower()
        return covariance
    }

    /// Whether the link is the family's canonical one (observed information = expected information).
    /// The negative binomial's and Tweedie's default log link is not canonical.
    var isCanonical: Bool {
        family.defaultLinkIsCanonical && link == family.defaultLink
    }
}
