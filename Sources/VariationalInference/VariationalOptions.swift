/// Settings of a natural-gradient (Bayesian learning rule) fit.
///
/// Step-size control: a step with ρ is accepted when the new precision is positive definite and the
/// ELBO did not decrease by more than its own rounding error (64·ε·Σ|terms|); otherwise ρ is halved
/// and the step recomputed from the same point. After an accepted step ρ doubles again, up to
/// `maximumStepSize`. The fit stops when |ΔELBO| ≤ `relativeTolerance`·|ELBO| after an accepted step
/// (converged), after `maximumIterations` accepted steps, or when ρ falls below `minimumStepSize`
/// (both reported as not converged).
public struct VariationalOptions: Sendable, Equatable {
    /// How the one-dimensional expectations are computed. Default: 64-point Gauss–Hermite.
    public var expectation: ExpectationMethod
    /// ρ of the first step, in (0, 1]. Default 1.
    public var initialStepSize: Double
    /// Largest ρ, in (0, 1]. Default 1.
    public var maximumStepSize: Double
    /// Smallest ρ tried before giving up. Default 1e-10.
    public var minimumStepSize: Double
    /// Stop when |ΔELBO| ≤ this · |ELBO|. Default 1e-10.
    public var relativeTolerance: Double
    /// Cap on accepted steps. Default 1000.
    public var maximumIterations: Int

    public init(expectation: ExpectationMethod = .standard, initialStepSize: Double = 1, maximumStepSize: Double = 1,
                minimumStepSize: Double = 1e-10, relativeTolerance: Double = 1e-10, maximumIterations: Int = 1000) {
        self.expectation = expectation
        self.initialStepSize = initialStepSize
        self.maximumStepSize = maximumStepSize
        self.minimumStepSize = minimumStepSize
        self.relativeTolerance = relativeTolerance
        self.maximumIterations = maximumIterations
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
        try check(maximumIterations >= 1, "maximum iterations", Double(maximumIterations), "≥ 1")
    }
}

/// Why a fit stopped.
public enum VariationalTermination: String, Sendable, Equatable, Codable {
    /// The relative ELBO change fell below the tolerance.
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
    /// ρ of each accepted step.
    public var stepSizes: [Double]
    /// Number of accepted steps.
    public var iterations: Int
    /// Steps rejected (ELBO decrease or a precision that was not positive definite) and retried with ρ/2.
    public var rejectedSteps: Int
    /// Why the fit stopped.
    public var termination: VariationalTermination
    /// `termination == .converged`.
    public var converged: Bool { termination == .converged }
}
