/// The user tolerances of a penalized fit.
public struct PenalizedFitOptions: Sendable, Hashable {
    /// The cap on IRLS iterations.
    public var maximumIterations: Int
    /// Convergence: the largest violation of the optimality conditions (`GLMPenalty.optimalityViolation`,
    /// in units of the gradient of D/(2Σs), which the 1/Σs makes independent of n) at most this. The default
    /// 1e-7 is 1000 times tighter than glum's default `gradient_tol` (1e-4) on the same gradient; after the
    /// Newton steps that reach it, the objective is typically within 1e-13 (relative) of its minimum.
    public var tolerance: Double
    /// The cap on step halvings per iteration.
    public var maximumHalvings: Int
    /// Throw `.didNotConverge` when the cap is reached (else return the fit with `converged` false).
    public var throwOnNonConvergence: Bool

    /// Creates options: at most 100 iterations, tolerance 1e-7 and 40 halvings per iteration by default.
    public init(maximumIterations: Int = 100, tolerance: Double = 1e-7, maximumHalvings: Int = 40,
                throwOnNonConvergence: Bool = true) {
        self.maximumIterations = maximumIterations
        self.tolerance = tolerance
        self.maximumHalvings = maximumHalvings
        self.throwOnNonConvergence = throwOnNonConvergence
    }
}
