/// How well-conditioned the damped curvature system C + λI was when a step was solved.
///
/// `reciprocalCondition` is the LAPACK estimate of 1/κ₁(C + λI) (dpocon, O(p²) after the factor) for
/// dense solves — the dense `.fisher` form and the dense branch of `.sampleGradients`; for the Woodbury
/// branch it is the estimate for the n × n system nλI + GGᵀ, and it is nil for conjugate gradient.
/// Values near ε ≈ 2.2e-16 mean the direction carries few or no correct digits: a duplicated feature
/// makes C singular, and with λ ≈ 0 this is where it shows.
public struct ConditioningReport: Sendable, Equatable, Hashable {
    /// The λ in the system that was factored (after any retries).
    public var damping: Double
    /// Estimate of 1/κ₁ of the factored system, or nil when none is available (CG).
    public var reciprocalCondition: Double?
    /// Factorizations that failed (C + λI not numerically positive definite) before one succeeded.
    public var factorizationFailures: Int
    /// Conjugate-gradient iterations (0 for the direct solves).
    public var conjugateGradientIterations: Int

    /// A report with every field given.
    public init(damping: Double, reciprocalCondition: Double?, factorizationFailures: Int, conjugateGradientIterations: Int) {
        self.damping = damping
        self.reciprocalCondition = reciprocalCondition
        self.factorizationFailures = factorizationFailures
        self.conjugateGradientIterations = conjugateGradientIterations
    }

    /// True when the estimate is below `threshold`.
    public func isIllConditioned(threshold: Double) -> Bool {
        guard let r = reciprocalCondition else { return false }
        return !(r >= threshold)
    }
}
