/// One row of a regression summary.
public struct GLMCoefficient: Sendable, Equatable {
    /// The coefficient's name ("intercept", a feature name, or patsy's `x[T.level]`).
    public var name: String
    /// The estimate β̂ⱼ.
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
    /// The upper end estimate + z₁₋α/₂·standardError of the (1 − α) Wald interval.
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
    /// The response distribution of the model.
    public var family: GLMFamily
    /// The link g with g(μ) = η.
    public var link: GLMLink
    /// Number of data rows n (rows with weight 0 included).
    public var observationCount: Int
    /// Σ wᵢ.
    public var weightedObservationCount: Double
    /// The summary rows (estimate, standard error, z, p-value, interval), in coefficient order.
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
    /// The deviance D = Σᵢ pᵢ d(yᵢ, μ̂ᵢ) at the estimate.
    public var deviance: Double
    /// The deviance of the intercept-only model with the same offset (the type's conventions give its mean).
    public var nullDeviance: Double
    /// Pearson χ² = Σᵢ pᵢ(yᵢ − μ̂ᵢ)²/V(μ̂ᵢ).
    public var pearsonChi2: Double
    /// The log-likelihood ℓ = Σᵢ wᵢ log p(yᵢ | μ̂ᵢ, φ) (the type's conventions give the φ used).
    public var logLikelihood: Double
    /// AIC = −2ℓ + 2p.
    public var aic: Double
    /// The dispersion φ: Pearson χ²/(n_w − p) for families with estimated dispersion, 1 otherwise.
    public var dispersion: Double
    /// n_w − p.
    public var residualDegreesOfFreedom: Double
    /// The number of accepted Fisher-scoring steps.
    public var iterations: Int
    /// Whether the convergence criteria of `FisherScoringOptions` were met before the iteration cap.
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
