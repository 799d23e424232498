/// One row of a regression summary.
public struct GLMCoefficient: Sendable, Equatable {
    public var name: String
    public var estimate: Double
    /// √Σⱼⱼ with Σ the covariance of the fit's `covarianceType`: √(φ·[(XᵀWX)⁻¹]ⱼⱼ) (W at the final
    /// coefficients, φ the dispersion) for `nonrobust`, the sandwich's otherwise.
    public var standardError: Double
    /// z = estimate / standardError.
    public var statistic: Double
    /// Two-sided p-value from the standard normal: 2Φ(−|z|) (as statsmodels' default).
    public var pValue: Double
    /// The (1 − α) Wald interval estimate ∓ z₁₋α/₂·standardError at the fit's `confidenceLevel` 1 − α
    /// (statsmodels' `conf_int(alpha)` with `use_t=False`).
    public var lowerConfidenceBound: Double
    public var upperConfidenceBound: Double
}

/// A fitted generalized linear model, with the statistics statsmodels reports.
///
/// Conventions (those of statsmodels' `GLM(...).fit()` with `freq_weights` = the weights):
/// - n_w = Σ wᵢ (the weighted observation count) and the residual degrees of freedom are n_w − p.
/// - dispersion φ = Pearson χ²/(n_w − p) for gaussian, gamma and inverse Gaussian; 1 otherwise.
/// - Pearson χ² = Σ pᵢ(yᵢ − μᵢ)²/V(μᵢ), with pᵢ the prior weight (weight × trials).
/// - null deviance: the deviance of the intercept-only model with the same offset (the weighted mean
///   response when there is no offset), whether or not the model has an intercept.
/// - log-likelihood: Σ wᵢ log p(yᵢ | μᵢ, φ) with φ as above, except for the gaussian with identity
///   link, which uses the maximum-likelihood φ = Σ wᵢ(yᵢ − μᵢ)²/n_w (the concentrated likelihood).
/// - AIC = −2ℓ + 2p.
/// - an exact fit (`isExactFit`) has dispersion 0 and log-likelihood +∞.
public struct GLMFit: Sendable {
    public var family: GLMFamily
    public var link: GLMLink
    /// Number of data rows n (rows with weight 0 included).
    public var observationCount: Int
    /// Σ wᵢ.
    public var weightedObservationCount: Double
    public var coefficients: [GLMCoefficient]
    /// The covariance of the coefficients, p × p, in coefficient order: φ·(XᵀWX)⁻¹ for `nonrobust`,
    /// the sandwich of `covarianceType` otherwise (see `GLMCovarianceType`).
    public var covariance: Matrix
    /// Which covariance `covariance` and the standard errors are.
    public var covarianceType: GLMCovarianceKind
    /// The level 1 − α of the coefficients' confidence intervals (default 0.95).
    public var confidenceLevel: Double
    /// Whether the first coefficient is the intercept.
    public var includesIntercept: Bool
    public var deviance: Double
    public var nullDeviance: Double
    public var pearsonChi2: Double
    public var logLikelihood: Double
    public var aic: Double
    public var dispersion: Double
    /// n_w − p.
    public var residualDegreesOfFreedom: Double
    public var iterations: Int
    public var converged: Bool
    /// How many times XᵀWX was formed (the dominant cost, n·p² flops each), the final one included.
    public var fisherEvaluations: Int
    /// How many subsampled Fisher matrices (every k-th row; see `FisherScoringOptions.subsampleFisher`)
    /// preconditioned the iterations.
    public var subsampledFisherEvaluations: Int
    /// Fitted means μᵢ.
    public var fittedMeans: [Double]
    /// 1/κ₂ of the final Fisher matrix XᵀWX: λ_min/λ_max (from the eigenvalues of its inverse). Values
    /// near ε ≈ 2e-16 mean the standard errors and coefficients carry few or no correct digits (a
    /// near-duplicate feature); 1 for an orthogonal, equally scaled design.
    public var fisherReciprocalCondition: Double = .nan

    /// Whether the model reproduces the response exactly (a family with estimated dispersion whose
    /// residuals are below 1e-12 of the response, Pearson χ² ≤ 1e-24·Σ pᵢyᵢ²/V(μᵢ): a constant response,
    /// or y = 2 + 3x). The residuals left are rounding, so the dispersion and the standard errors are
    /// reported as 0, z as ±∞ (NaN for a zero estimate), and the log-likelihood as its limit +∞ (AIC −∞).
    public var isExactFit: Bool = false

    /// The estimates in coefficient order.
    public var estimates: [Double] { coefficients.map(\.estimate) }
    /// The standard errors in coefficient order.
    public var standardErrors: [Double] { coefficients.map(\.standardError) }
}
