/// One trial step of the optimizer: what was tried, what the model predicted, what happened.
public struct IterationReport: Sendable, Equatable, Hashable {
    /// 1-based.
    public var iteration: Int
    /// L(θ) before the step.
    public var loss: Double
    /// L(θ + δ) (NaN or ±∞ when the trial left the model's domain).
    public var trialLoss: Double
    /// m(δ) − m(0) = gᵀδ + ½δᵀCδ, the change the undamped quadratic model predicts (< 0).
    public var predictedChange: Double
    /// ρ = (trialLoss − loss) / predictedChange.
    public var ratio: Double
    /// λ used for this step.
    public var damping: Double
    /// λ for the next step (after the schedule reacted to ρ).
    public var nextDamping: Double
    /// Whether θ + δ was kept.
    public var accepted: Bool
    /// ‖δ‖₂ as taken (after the norm constraint).
    public var stepNorm: Double
    /// Whether the norm constraint shortened δ.
    public var stepWasConstrained: Bool
    /// ‖∇L(θ)‖∞ before the step.
    public var gradientNorm: Double
    /// The curvature solve's conditioning.
    public var conditioning: ConditioningReport
}
