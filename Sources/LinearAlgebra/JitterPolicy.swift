/// An opt-in schedule of growing diagonal damping for a factorization that fails.
///
/// With scale s = mean |Aᵢᵢ| (1 when the diagonal is zero) and the caller's damping λ₀ ≥ 0:
/// attempt 1 factors A + λ₀I; if it fails, attempt 2 uses λ₂ = max(`initialRelativeDamping`·s,
/// `growthFactor`·λ₀), and each later attempt multiplies λ by `growthFactor`. The schedule stops with
/// `.notPositiveDefinite` (carrying the last λ tried and the attempt count) when the next λ would
/// exceed max(λ₀, `maximumRelativeDamping`·s) or after `maximumAttempts` factorizations.
/// The factorization reports the λ it used (``Cholesky/damping``) and ``Cholesky/attempts``.
///
/// With the defaults (ε·s, ×10, cap s) an undamped failure is retried with λ = ε·s, 10ε·s, …,
/// 10¹⁵ε·s ≈ 0.22·s: at most 17 factorizations.
public struct JitterPolicy: Sendable, Equatable, Hashable {
    /// First jitter, relative to the mean absolute diagonal. Default ε (machine epsilon).
    public var initialRelativeDamping: Double
    /// Ratio between successive jitters (> 1). Default 10.
    public var growthFactor: Double
    /// Largest jitter, relative to the mean absolute diagonal. Default 1: more than that changes the
    /// problem rather than regularizing it, and is reported as a failure.
    public var maximumRelativeDamping: Double
    /// Cap on the total number of factorizations, including the undamped first one. Default 25.
    public var maximumAttempts: Int
    /// When > 0, a factorization that succeeds but whose reciprocal condition estimate 1/κ₁(A + λI)
    /// (dpocon, O(n²) extra per attempt) is below this value counts as failed, so the schedule goes on
    /// to the next λ; if it runs out the error is `.illConditioned`. Default 0 (off: only a failed
    /// pivot triggers the jitter). A typical setting is 1e-12 (solves keep ≥ 3–4 digits).
    public var minimumReciprocalCondition: Double

    /// A policy; the defaults are those documented on each property.
    public init(
        initialRelativeDamping: Double = Double.ulpOfOne, growthFactor: Double = 10,
        maximumRelativeDamping: Double = 1, maximumAttempts: Int = 25, minimumReciprocalCondition: Double = 0
    ) {
        precondition(initialRelativeDamping > 0 && initialRelativeDamping.isFinite,
                     "initialRelativeDamping must be finite and > 0, got \(initialRelativeDamping)")
        precondition(growthFactor > 1 && growthFactor.isFinite, "growthFactor must be finite and > 1, got \(growthFactor)")
        precondition(maximumRelativeDamping >= initialRelativeDamping,
                     "maximumRelativeDamping \(maximumRelativeDamping) is below initialRelativeDamping \(initialRelativeDamping)")
        precondition(maximumAttempts >= 1, "maximumAttempts must be ≥ 1, got \(maximumAttempts)")
        self.initialRelativeDamping = initialRelativeDamping
        self.growthFactor = growthFactor
        self.maximumRelativeDamping = maximumRelativeDamping
        self.maximumAttempts = maximumAttempts
        precondition(minimumReciprocalCondition >= 0 && minimumReciprocalCondition < 1,
                     "minimumReciprocalCondition must be in [0, 1), got \(minimumReciprocalCondition)")
        self.minimumReciprocalCondition = minimumReciprocalCondition
    }

    /// ε start, ×10 growth, capped at the mean diagonal, at most 25 attempts.
    public static let standard = JitterPolicy()
}
