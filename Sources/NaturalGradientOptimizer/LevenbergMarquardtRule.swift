/// The Levenberg–Marquardt damping rule driven by the reduction ratio (Moré 1978; Martens & Grosse
/// 2015, §6.5; kfac-jax's `damping_adaptation`):
///
///     ρ = (L(θ + δ) − L(θ)) / (m(δ) − m(0)),   m(δ) = gᵀδ + ½ δᵀCδ,
///
/// the actual change of the loss over the change the (undamped) quadratic model predicts. Then
///
///     λ ← λ·ω↑  when ρ < ρ↓ (0.25: the model over-promised, trust it less),
///     λ ← λ·ω↓  when ρ > ρ↑ (0.75: the model is good, trust it more),
///
/// and λ is kept in [λmin, λmax]. A non-finite ρ (the trial loss was NaN or ±∞) counts as ρ = −∞.
public struct LevenbergMarquardtRule: Sendable, Equatable, Hashable {
    /// λ₀.
    public var initialDamping: Double
    /// ρ↓: below it λ grows (default 0.25).
    public var lowerRatio: Double
    /// ρ↑: above it λ shrinks (default 0.75).
    public var upperRatio: Double
    /// ω↑ > 1 (default 1.5).
    public var increaseFactor: Double
    /// ω↓ < 1 (default 2/3).
    public var decreaseFactor: Double
    /// λmin ≥ 0 (default 1e-10).
    public var minimumDamping: Double
    /// λmax (default 1e10).
    public var maximumDamping: Double

    /// A rule; the defaults are kfac-jax's thresholds with ω = 1.5.
    /// Invalid constants (ω↑ ≤ 1, ω↓ ≥ 1, ρ↓ > ρ↑, λ₀ outside [λmin, λmax]) are programmer errors.
    public init(
        initialDamping: Double = 1e-2, lowerRatio: Double = 0.25, upperRatio: Double = 0.75,
        increaseFactor: Double = 1.5, decreaseFactor: Double = 2.0 / 3.0,
        minimumDamping: Double = 1e-10, maximumDamping: Double = 1e10
    ) {
        precondition(increaseFactor > 1 && decreaseFactor > 0 && decreaseFactor < 1,
                     "LM factors need ω↑ > 1 and 0 < ω↓ < 1, got \(increaseFactor), \(decreaseFactor)")
        precondition(lowerRatio <= upperRatio, "LM thresholds need ρ↓ ≤ ρ↑, got \(lowerRatio), \(upperRatio)")
        precondition(minimumDamping >= 0 && minimumDamping <= maximumDamping && maximumDamping.isFinite,
                     "LM bounds need 0 ≤ λmin ≤ λmax < ∞, got \(minimumDamping), \(maximumDamping)")
        precondition(initialDamping >= minimumDamping && initialDamping <= maximumDamping,
                     "λ₀ = \(initialDamping) outside [\(minimumDamping), \(maximumDamping)]")
        self.initialDamping = initialDamping
        self.lowerRatio = lowerRatio
        self.upperRatio = upperRatio
        self.increaseFactor = increaseFactor
        self.decreaseFactor = decreaseFactor
        self.minimumDamping = minimumDamping
        self.maximumDamping = maximumDamping
    }

    /// The damping after a step with ratio ρ, clamped to [λmin, λmax].
    public func nextDamping(after lambda: Double, ratio rho: Double) -> Double {
        let next: Double
        if !(rho >= lowerRatio) {           // also NaN
            next = lambda == 0 ? Swift.max(minimumDamping, 1e-12) : lambda * increaseFactor
        } else if rho > upperRatio {
            next = lambda * decreaseFactor
        } else {
            next = lambda
        }
        return Swift.min(Swift.max(next, minimumDamping), maximumDamping)
    }
}
