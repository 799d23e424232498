/// One row of a regression summary.
public struct GLMCoefficient: Sendable, Equatable {
    public var name: String
    public var estimate: Double
    /// √(φ·[(XᵀWX)⁻¹]ⱼⱼ) with W at the final coefficients and φ the dispersion.
    public var standardError: Double
    /// z = estimate / standardError.
    public var statistic: Double
    /// Two-sided p-value from the standard normal: 2Φ(−|z|) (as statsmodels' default).
    public var pValue: Double
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
public struct GLMFit: Sendable {
    public var family: GLMFamily
    public var link: GLMLink
    /// Number of data rows n (rows with weight 0 included).
    public var observationCount: Int
    /// Σ wᵢ.
    public var weightedObservationCount: Double
    public var coefficients: [GLMCoefficient]
    /// φ·(XᵀWX)⁻¹, p × p, in coefficient order.
    public var covariance: Matrix
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

    /// The estimates in coefficient order.
    public var estimates: [Double] { coefficients.map(\.estimate) }
    /// The standard errors in coefficient order.
    public var standardErrors: [Double] { coefficients.map(\.standardError) }
}
