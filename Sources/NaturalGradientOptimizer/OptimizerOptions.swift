/// The plan of a natural-gradient run: chosen before it starts, never changed by it.
///
/// Convergence is declared when ‖g‖∞ ≤ `gradientTolerance`, or when an accepted step changed the loss
/// by at most `lossTolerance`·max(1, |L|).
public struct OptimizerOptions: Sendable, Equatable, Hashable {
    /// How λ is chosen (default: Levenberg–Marquardt from λ₀ = 1e-2).
    public var damping: DampingSchedule
    /// Which trial steps are kept.
    public var acceptance: StepAcceptance
    /// When non-nil, a step with ‖δ‖₂ > r is scaled to ‖δ‖₂ = r (a trust region on the step's length).
    public var maximumStepNorm: Double?
    /// Iterations (accepted or rejected trial steps) before giving up.
    public var maximumIterations: Int
    /// Converged when ‖∇L‖∞ ≤ this.
    public var gradientTolerance: Double
    /// Converged when an accepted step changes L by ≤ this·max(1, |L|) (0 disables the test).
    public var lossTolerance: Double
    /// The curvature solve is reported as ill-conditioned when 1/κ₁(C + λI) < this (default 1e-12).
    public var conditionWarningThreshold: Double
    /// Conjugate-gradient relative tolerance for `.fisherVectorProduct` curvature.
    public var conjugateGradientTolerance: Double

    /// A plan; invalid constants (negative iterations, a non-positive step bound, a negative λ₀) are
    /// programmer errors.
    public init(
        damping: DampingSchedule = .levenbergMarquardt(LevenbergMarquardtRule()),
        acceptance: StepAcceptance = .decrease,
        maximumStepNorm: Double? = nil,
        maximumIterations: Int = 200,
        gradientTolerance: Double = 1e-9,
        lossTolerance: Double = 0,
        conditionWarningThreshold: Double = 1e-12,
        conjugateGradientTolerance: Double = 1e-10
    ) {
        precondition(maximumIterations >= 0, "maximumIterations must be ≥ 0, got \(maximumIterations)")
        if let r = maximumStepNorm { precondition(r > 0 && r.isFinite, "maximumStepNorm must be finite and > 0, got \(r)") }
        precondition(damping.initialDamping >= 0 && damping.initialDamping.isFinite,
                     "initial damping must be finite and ≥ 0, got \(damping.initialDamping)")
        self.damping = damping
        self.acceptance = acceptance
        self.maximumStepNorm = maximumStepNorm
        self.maximumIterations = maximumIterations
        self.gradientTolerance = gradientTolerance
        self.lossTolerance = lossTolerance
        self.conditionWarningThreshold = conditionWarningThreshold
        self.conjugateGradientTolerance = conjugateGradientTolerance
    }
}

/// Which trial steps θ + δ the optimizer keeps.
public enum StepAcceptance: Sendable, Equatable, Hashable {
    /// Keep every step with a finite trial loss (plain damped natural gradient).
    case always
    /// Keep a step only when the trial loss is finite and below L(θ); otherwise θ stays and λ reacts.
    case decrease
}
