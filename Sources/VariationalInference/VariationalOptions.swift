/// Settings of a natural-gradient (Bayesian learning rule) fit.
///
/// Step-size control: a step with ρ is accepted when the new precision is positive definite and the
/// ELBO did not decrease by more than its own rounding error (64·ε·Σ|terms|); otherwise ρ is halved
/// and the step recomputed from the same point. After an accepted step ρ doubles again, up to
/// `maximumStepSize`. The fit has converged when the relative step of the mean and precision,
/// max(‖m′ − m‖∞/‖m′‖∞, ‖S′ − S‖∞/‖S′‖∞)/ρ, is ≤ `stepTolerance` (the fixed-point residual; see
/// `FitRecord`), or, when `relativeTolerance` > 0, when |ΔELBO| ≤ `relativeTolerance`·|ELBO|. It stops
/// without converging after `maximumIterations` accepted steps, or when ρ falls below
/// `minimumStepSize`.
///
/// The mean-field fit extrapolates its fixed-point map by Anderson acceleration (`acceleration`), as
/// the GLM solver does: the plain map is a Jacobi-like sweep that needs hundreds of iterations when
/// the features are correlated.
public struct VariationalOptions: Sendable, Equatable {
    /// How the one-dimensional expectations are computed. Default: 64-point Gauss–Hermite.
    public var expectation: ExpectationMethod
    /// ρ of the first step, in (0, 1]. Default 1.
    public var initialStepSize: Double
    /// Largest ρ, in (0, 1]. Default 1.
    public var maximumStepSize: Double
    /// Smallest ρ tried before giving up. Default 1e-10.
    public var minimumStepSize: Double
    /// Also stop when |ΔELBO| ≤ this · |ELBO| (0: never; the ELBO moves with the square of the
    /// distance to the optimum, so this stop is loose). Default 0.
    public var relativeTolerance: Double
    /// Converged when the relative step of the mean and precision is ≤ this. Default 1e-12, which
    /// leaves mean and covariance within ≈ 1e-10 relative of the optimum on well-conditioned problems
    /// (tested against independent optima to 1e-9).
    public var stepTolerance: Double
    /// Cap on accepted steps. Default 1000.
    public var maximumIterations: Int
    /// Anderson acceleration of the mean-field fixed-point map: the number of past steps it combines
    /// (0: off, plain learning-rule steps). Default 5. The full-covariance fit does not use it.
    public var acceleration: Int
    /// Called after every accepted step (for progress reports); not part of `==`.
    public var progress: (@Sendable (VariationalProgress) -> Void)?

    /// Options with the documented defaults (each parameter is the property of the same name).
    public init(expectation: ExpectationMethod = .standard, initialStepSize: Double = 1, maximumStepSize: Double = 1,
                minimumStepSize: Double = 1e-10, relativeTolerance: Double = 0, stepTolerance: Double = 1e-12,
                maximumIterations: Int = 1000, acceleration: Int = 5,
                progress: (@Sendable (VariationalProgress) -> Void)? = nil) {
        self.expectation = expectation
        self.initialStepSize = initialStepSize
        self.maximumStepSize = maximumStepSize
        self.minimumStepSize = minimumStepSize
        self.relativeTolerance = relativeTolerance
        self.stepTolerance = stepTolerance
        self.maximumIterations = maximumIterations
        self.acceleration = acceleration
        self.progress = progress
    }

    /// Equal settings (the `progress` callback is not compared).
    public static func == (a: VariationalOptions, b: VariationalOptions) -> Bool {
        a.expectation == b.expectation && a.initialStepSize == b.initialStepSize && a.maximumStepSize == b.maximumStepSize
            && a.minimumStepSize == b.minimumStepSize && a.relativeTolerance == b.relativeTolerance
            && a.stepTolerance == b.stepTolerance && a.maximumIterations == b.maximumIterations
            && a.acceleration == b.acceleration
    }

    /// - Throws: `.invalidParameter` naming the first option outside its domain.
    func validate() throws(VariationalInferenceError) {
        func check(_ ok: Bool, _ name: String, _ value: Double, _ requirement: String) throws(VariationalInferenceError) {
            if !ok { throw .invalidParameter(name: name, value: value, requirement: requirement) }
        }
        try check(maximumStepSize > 0 && maximumStepSize <= 1, "maximum step size", maximumStepSize, "in (0, 1]")
        try check(initialStepSize > 0 && initialStepSize <= maximumStepSize, "initial step size", initialStepSize,
                  "in (0, maximum step size]")
        try check(minimumStepSize > 0 && minimumStepSize <= initialStepSize, "minimum step size", minimumStepSize,
                  "in (0, initial step size]")
        try check(relativeTolerance >= 0 && relativeTolerance.isFinite, "relative tolerance", relativeTolerance, "finite and ≥ 0")
        try check(stepTolerance >= 0 && stepTolerance.isFinite, "step tolerance", stepTolerance, "finite and ≥ 0")
        try check(acceleration >= 0 && acceleration <= 50, "acceleration memory", Double(acceleration), "in 0…50")
        try check(maximumIterations >= 1, "maximum iterations", Double(maximumIterations), "≥ 1")
    }
}

/// Why a fit stopped.
public enum VariationalTermination: String, Sendable, Equatable, Codable {
    /// The relative step fell below `stepTolerance` (or the ELBO change below `relativeTolerance`).
    case converged
    /// `maximumIterations` accepted steps were made first.
    case iterationLimit
    /// No step size ≥ `minimumStepSize` gave a positive-definite precision and no ELBO decrease.
    case stepSizeUnderflow
}

/// The outcome of a fit: the posterior and the diagnostics of the run.
public struct VariationalFit<Posterior: Sendable>: Sendable {
    /// The final (last accepted) posterior.
    public var posterior: Posterior
    /// ELBO of `posterior`.
    public var elbo: Double
    /// ELBO of the starting point followed by the ELBO after each accepted step.
    public var elboHistory: [Double]
    /// ρ of each accepted step (1 for an accelerated step).
    public var stepSizes: [Double]
    /// The relative step of each accepted iteration, max(‖m′ − m‖∞/‖m′‖∞, ‖S′ − S‖∞/‖S′‖∞)/ρ (mean
    /// field: the precisions sⱼ in place of S).
    public var relativeSteps: [Double]
    /// The last relative step (what the stopping rule compared with `stepTolerance`); ∞ before any step.
    public var relativeStep: Double { relativeSteps.last ?? .infinity }
    /// Number of accepted steps.
    public var iterations: Int
    /// Steps rejected (ELBO decrease or a precision that was not positive definite) and retried with ρ/2.
    public var rejectedSteps: Int
    /// Why the fit stopped.
    public var termination: VariationalTermination
    /// `termination == .converged`.
    public var converged: Bool { termination == .converged }
}

/// What a fit reports after each accepted step.
public struct VariationalProgress: Sendable {
    /// Accepted steps so far.
    public var iteration: Int
    /// The ELBO now.
    public var elbo: Double
    /// The step's relative size (see ``VariationalFit/relativeSteps``).
    public var relativeStep: Double
}
