import RealModule

/// Residuals and influence measures of a fitted GLM on data, as statsmodels' `GLMResults` and
/// `get_influence()` define them (one entry per data row). With yᵢ the GLM response (successes/trials
/// for the binomial), mᵢ the trials (1 otherwise), μᵢ the fitted mean, V the variance function, g the link
/// and φ the model's dispersion:
public struct GLMDiagnostics: Sendable, Equatable {
    /// mᵢ(yᵢ − μᵢ): in the response's own units (successes − trials·μ for the binomial) (`resid_response`).
    public var response: [Double]
    /// √mᵢ(yᵢ − μᵢ)/√V(μᵢ) (`resid_pearson`; frequency weights not included).
    public var pearson: [Double]
    /// sign(yᵢ − μᵢ)·√(mᵢ d(yᵢ, μᵢ)), d the unit deviance (`resid_deviance`).
    public var deviance: [Double]
    /// (yᵢ − μᵢ)·g'(μᵢ), the residual of the working response (`resid_working` for 0/1 and non-binomial
    /// responses; statsmodels multiplies the binomial one by mᵢ², its own comment doubting it).
    public var working: [Double]
    /// The hat values hᵢ = Oᵢ xᵢᵀ(Σⱼ Oⱼxⱼxⱼᵀ)⁻¹xᵢ with Oᵢ the observed-information weight (prior weights
    /// included; = the IRLS weight Wᵢ for canonical links): `get_hat_matrix_diag()`. Σhᵢ = p.
    public var leverage: [Double]
    /// Cook's distance rᵢ²hᵢ/(p(1 − hᵢ)), rᵢ = pearsonᵢ/√(φ(1 − hᵢ)) the studentized Pearson residual
    /// (`get_influence().cooks_distance[0]`).
    public var cooksDistance: [Double]
}

extension FittedGLM {
    /// The residuals and influence measures of the model on `data` (normally its training data; the
    /// leverages are those of these rows at the model's coefficients).
    ///
    /// - Throws: the input errors of `GeneralizedLinearModel.fit` (`.responseOutsideSupport`,
    ///   `.nonFiniteValue`, …), `.featureCountMismatch`, `.interceptMismatch`, `.nonFiniteValue` with
    ///   variable "linear predictor" where a mean leaves the mean space, `.linearAlgebra` when the
    ///   observed information is not positive definite.
    public func diagnostics(_ data: GLMData) throws(GLMError) -> GLMDiagnostics {
        try checkFeatures(data.features)
        guard data.includeIntercept == includesIntercept else { throw .interceptMismatch(model: includesIntercept) }
        let prepared = try GeneralizedLinearModel(family: family, link: link).prepare(data)
        let rows = try FittedObservations(prepared, coefficients: coefficients, family: family, link: link)
        let n = data.count, p = coefficients.count
        let information = weightedDesignGram(prepared.features, intercept: includesIntercept, weights: rows.observedWeight)
        let inverse: Matrix
        do { inverse = try Cholesky(information).inverse() } catch { throw .linearAlgebra(error) }
        let leverage = weightedQuadraticForms(prepared.features, intercept: includesIntercept,
                                              weights: rows.observedWeight, inverse)
        var result = GLMDiagnostics(response: leverage, pearson: leverage, deviance: leverage, working: leverage,
                                    leverage: leverage, cooksDistance: leverage)
        for i in 0..<n {
            let y = prepared.response[i], m = rows.mu[i], trials = prepared.trials[i]
            let r = y - m
            result.response[i] = trials * r
            let pearson = trials.squareRoot() * r / family.variance(m).squareRoot()
            result.pearson[i] = pearson
            let unit = Swift.max(0, family.unitDeviance(y, m))
            result.deviance[i] = (r > 0 ? 1 : (r < 0 ? -1 : 0)) * (trials * unit).squareRoot()
            result.working[i] = r / link.meanDerivative(rows.eta[i], mean: m)
            let h = leverage[i]
            result.cooksDistance[i] = pearson * pearson * h / (dispersion * Double(p) * (1 - h) * (1 - h))
        }
        return result
    }
}
