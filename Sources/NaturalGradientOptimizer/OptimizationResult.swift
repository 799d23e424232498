/// Why a run stopped.
public enum Termination: Sendable, Equatable, Hashable {
    /// ‖∇L‖∞ ≤ gradientTolerance.
    case gradientTolerance
    /// An accepted step changed L by ≤ lossTolerance·max(1, |L|), or a rejected step's predicted
    /// change was below L's rounding level (4ε·max(1, |L|)).
    case lossTolerance
    /// The iteration budget ran out.
    case maximumIterations
}

/// A warning the caller should see although the run went on.
public enum OptimizerWarning: Sendable, Equatable, Hashable {
    /// 1/κ₁(C + λI) was below the threshold at this iteration: the direction is unreliable (a
    /// near-singular Fisher, e.g. a duplicated feature). Carries the estimate and λ.
    case illConditionedCurvature(iteration: Int, reciprocalCondition: Double, damping: Double)
    /// C + λI was not positive definite at this λ and the damping had to grow.
    case factorizationFailed(iteration: Int, damping: Double)
}

/// The outcome of ``NaturalGradientOptimizer/minimize(_:from:)``.
public struct OptimizationResult: Sendable, Equatable, Hashable {
    /// θ at the end (the last accepted point).
    public var parameters: [Double]
    /// L(θ) at the end.
    public var loss: Double
    /// ‖∇L(θ)‖∞ at the end.
    public var gradientNorm: Double
    /// Why it stopped.
    public var termination: Termination
    /// Every trial step, in order.
    public var iterations: [IterationReport]
    /// Conditioning and factorization warnings, in order (each ill-conditioned iteration once).
    public var warnings: [OptimizerWarning]
    /// λ at the end.
    public var damping: Double

    /// Whether a tolerance was met.
    public var converged: Bool { termination != .maximumIterations }
}
