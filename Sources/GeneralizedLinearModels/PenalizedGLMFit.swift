/// The result of a penalized GLM fit: the coefficients minimizing f(β) = D(β)/(2Σs) + P(β) (see
/// `GLMPenalty`), with the objective, the deviance and how well the optimality conditions hold.
///
/// No standard errors are reported. The penalty biases the estimates towards 0, so the usual covariance
/// φ(XᵀWX)⁻¹ — or the sandwich with (XᵀWX + λ(1 − r)I)⁻¹ — describes the spread of a shrunken estimator
/// around its own biased mean, not around the true β; intervals from it do not have their nominal coverage,
/// and with an L1 part the set of non-zero coefficients is itself chosen from the data, which no Wald
/// interval accounts for (glum warns the same and reports none; use the bootstrap or selective inference).
public struct PenalizedGLMFit: Sendable {
    /// The response distribution of the model.
    public var family: GLMFamily
    /// The link g with g(μ) = η.
    public var link: GLMLink
    /// The penalty P(β) = λr‖β‖₁ + ½λ(1 − r)‖β‖₂² the fit minimized with.
    public var penalty: GLMPenalty
    /// The coefficient names (`intercept` first when included).
    public var coefficientNames: [String]
    /// The minimizer β̂ of f, in the order of `coefficientNames`.
    public var coefficients: [Double]
    /// D(β) = Σ sᵢ d(yᵢ, μᵢ).
    public var deviance: Double
    /// f(β) = D/(2Σs) + P(β).
    public var objective: Double
    /// The largest violation of the optimality conditions at the returned β (`GLMPenalty.optimalityViolation`).
    public var optimalityViolation: Double
    /// Outer (IRLS) iterations.
    public var iterations: Int
    /// Coordinate-descent sweeps over all inner problems (0 for ridge and unpenalized fits).
    public var coordinateSweeps: Int
    /// Whether `optimalityViolation` fell to `PenalizedFitOptions.tolerance` within the iteration cap.
    public var converged: Bool
    /// Whether the first coefficient is the intercept.
    public var includesIntercept: Bool

    /// The number of non-zero non-intercept coefficients.
    public var nonZeroCount: Int {
        coefficients.indices.filter { $0 >= (includesIntercept ? 1 : 0) && coefficients[$0] != 0 }.count
    }
}
