import RealModule

/// Predictions of a fitted GLM for new rows, as statsmodels' `get_prediction(…).summary_frame()`
/// reports them (one entry per row).
public struct GLMPrediction: Sendable, Equatable {
    /// η = xᵀβ + offset + log(exposure).
    public var linearPredictor: [Double]
    /// μ = g⁻¹(η) (statsmodels' `mean`).
    public var mean: [Double]
    /// se(η) = √(xᵀΣx), Σ the model's coefficient covariance (of its covariance type).
    public var linearPredictorStandardError: [Double]
    /// se(μ) = |dμ/dη|·se(η), the delta method (`mean_se`).
    public var meanStandardError: [Double]
    /// The (1 − α) interval for μ: g⁻¹(η ∓ z₁₋α/₂·se(η)), the Wald interval on the link scale mapped through
    /// the inverse link (`mean_ci_lower`, `mean_ci_upper`), so it stays inside the mean space. Written as
    /// lower ≤ upper; for the decreasing links (inverse, inverse-squared) statsmodels lists the two ends
    /// the other way round. NaN where an end leaves the domain of g⁻¹ (η ≤ 0 for inverse-squared).
    public var meanLower: [Double]
    /// The upper end g⁻¹(η ± z₁₋α/₂·se(η)) of the (1 − α) interval for μ (see `meanLower`).
    public var meanUpper: [Double]
    /// 1 − α.
    public var level: Double
}

extension FittedGLM {
    /// Predicts new rows.
    ///
    /// - Parameters:
    ///   - features: n × k, the model's feature columns in its order (`featureNames`); no intercept column.
    ///   - offset: per-row offset of the new rows, added to η as in the fit.
    ///   - exposure: per-row exposure (> 0) of the new rows; log(exposure) is added to η as in the fit.
    ///   - level: 1 − α in (0, 1).
    /// - Throws: `.featureCountMismatch`, `.rowCountMismatch`, `.invalidConfidenceLevel`, `.nonFiniteValue`
    ///   (a feature, offset or exposure), `.nonPositiveExposure`. Rows whose η is outside the domain of
    ///   g⁻¹ get NaN means (the inverse-squared link at η ≤ 0).
    public func predict(features: Matrix, offset: [Double]? = nil, exposure: [Double]? = nil,
                        level: Double = 0.95) throws(GLMError) -> GLMPrediction {
        try checkFeatures(features)
        guard level > 0 && level < 1 else { throw .invalidConfidenceLevel(level) }
        let n = features.rows
        if let (r, c) = features.firstNonFiniteEntry { throw .nonFiniteValue(variable: featureNames[c], row: r) }
        var eta = designTimes(features, intercept: includesIntercept, coefficients)
        if let offset {
            guard offset.count == n else { throw .rowCountMismatch(variable: "offset", expected: n, got: offset.count) }
            for i in 0..<n {
                guard offset[i].isFinite else { throw .nonFiniteValue(variable: "offset", row: i) }
                eta[i] += offset[i]
            }
        }
        if let exposure {
            guard exposure.count == n else { throw .rowCountMismatch(variable: "exposure", expected: n, got: exposure.count) }
            for i in 0..<n {
                guard exposure[i].isFinite else { throw .nonFiniteValue(variable: "exposure", row: i) }
                guard exposure[i] > 0 else { throw .nonPositiveExposure(row: i, value: exposure[i]) }
                eta[i] += Double.log(exposure[i])
            }
        }
        let variance = weightedQuadraticForms(features, intercept: includesIntercept,
                                              weights: [Double](repeating: 1, count: n), covariance)
        let z = standardNormalQuantile(0.5 + 0.5 * level)
        var prediction = GLMPrediction(linearPredictor: eta, mean: eta, linearPredictorStandardError: eta,
                                       meanStandardError: eta, meanLower: eta, meanUpper: eta, level: level)
        for i in 0..<n {
            let se = Swift.max(0, variance[i]).squareRoot(), e = eta[i], m = link.mean(e)
            prediction.mean[i] = m
            prediction.linearPredictorStandardError[i] = se
            prediction.meanStandardError[i] = Swift.abs(link.meanDerivative(e, mean: m)) * se
            let a = link.mean(e - z * se), b = link.mean(e + z * se)
            if a.isNaN || b.isNaN {
                prediction.meanLower[i] = a.isNaN ? .nan : Swift.min(a, b.isNaN ? a : b)
                prediction.meanUpper[i] = b.isNaN ? .nan : Swift.max(b, a.isNaN ? b : a)
            } else {
                prediction.meanLower[i] = Swift.min(a, b)
                prediction.meanUpper[i] = Swift.max(a, b)
            }
        }
        return prediction
    }
}
