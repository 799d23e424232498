/// Controls of the Fisher-scoring iteration.
public struct FisherScoringOptions: Sendable, Equatable {
    /// Iteration cap (each iteration is one accepted step). Default 100.
    public var maximumIterations: Int
    /// Converged when |Dₖ − Dₖ₋₁| ≤ tolerance · (|Dₖ| + 0.1) for the deviance D (R's criterion,
    /// tighter default). Default 1e-10.
    public var relativeTolerance: Double
    /// Also required for convergence: the last step changed no coefficient by more than this times
    /// the largest coefficient magnitude (maxⱼ|δⱼ| ≤ tol·maxⱼ|βⱼ|), or steps stopped shrinking (the
    /// rounding floor of the score). Default 1e-10, so that coefficients agree with the exact optimum to
    /// ≈ 1e-10 relative even where the deviance is flat. After two undamped steps at a contraction
    /// rate ρ = ‖δₖ‖/‖δₖ₋₁‖ ≤ ¼, the test is applied to the predicted distance left, 2ρ/(1 − ρ)·‖δₖ‖,
    /// instead of ‖δₖ‖, which saves the step that would only confirm convergence.
    public var coefficientTolerance: Double
    /// How often a step may be halved when the deviance goes up or the means leave the mean space.
    /// Default 30.
    public var maximumStepHalvings: Int
    /// Once the relative deviance change falls below this, the last Fisher factorization is reused
    /// (chord steps: one pass over X per step for η and the score Xᵀu, instead of also an n·p² Gram
    /// product) while the deviance change keeps shrinking at least 20× per step; the converged answer
    /// is the same (the score equation Xᵀu = 0 does not involve the Fisher matrix) and the standard
    /// errors always come from a Fisher matrix formed at the final coefficients. 0 disables reuse.
    /// Default 5e-2 (with the Anderson acceleration of chord steps; 1e-2 without it: measured on the
    /// glm-bench problems, 0.05 saves one Fisher matrix of three in Poisson regression, logistic unchanged).
    public var reuseFisherBelow: Double
    /// Fisher reuse and subsampling apply only when forming XᵀWX costs at least this many
    /// multiply-adds (n·p²); below it a Fisher matrix is cheaper than the extra iterations chord
    /// steps need, and every step is a full Fisher-scoring step. Default 1e7.
    public var minimumWorkForShortcuts: Double
    /// For large problems (n ≥ 256·p rows), iterate with the Fisher matrix F̃ estimated from a
    /// systematic subsample: every k-th chunk of 512 consecutive rows, k = min(4, n/(128p)) (so at
    /// least ≈ 128·p rows), scaled by n/(rows sampled). F̃ is only a preconditioner of the steps
    /// F̃δ = Xᵀu, whose fixed point Xᵀu = 0 is the same; chord steps on it contract at the rate of its
    /// sampling error (≈ 0.1), about one digit per pass over X. When they contract slowly (the step
    /// shrinks by less than 2×, or the deviance change by less than 20×), or a step on a fresh F̃
    /// fails, the full XᵀWX takes over. The full XᵀWX is always formed at the final coefficients,
    /// for the standard errors. Default true.
    public var subsampleFisher: Bool
    /// Memory m of the Anderson acceleration of steps that reuse one factorization (`AndersonAcceleration`):
    /// each such step combines the last m + 1 residuals F̃⁻¹U, which roughly halves the contraction rate
    /// of chord steps (about one pass over X saved per three). Every accelerated step must lower the
    /// deviance, else the plain step is taken. 0 disables it. Default 3.
    public var andersonMemory: Int
    /// Throw `GLMError.didNotConverge` at the iteration cap (default). When `false`, the last iterate
    /// is returned with `converged == false`.
    public var throwOnNonConvergence: Bool

    /// Creates options; every argument defaults to the value its property documents.
    public init(maximumIterations: Int = 100, relativeTolerance: Double = 1e-10, coefficientTolerance: Double = 1e-10,
                maximumStepHalvings: Int = 30,
                reuseFisherBelow: Double = 5e-2, subsampleFisher: Bool = true, minimumWorkForShortcuts: Double = 1e7,
                throwOnNonConvergence: Bool = true, andersonMemory: Int = 3) {
        precondition(maximumIterations >= 1, "maximumIterations must be ≥ 1, got \(maximumIterations)")
        precondition(relativeTolerance > 0 && relativeTolerance.isFinite, "relativeTolerance must be finite and > 0, got \(relativeTolerance)")
        precondition(maximumStepHalvings >= 0, "maximumStepHalvings must be ≥ 0, got \(maximumStepHalvings)")
        precondition(reuseFisherBelow >= 0 && reuseFisherBelow.isFinite, "reuseFisherBelow must be finite and ≥ 0, got \(reuseFisherBelow)")
        self.maximumIterations = maximumIterations
        self.relativeTolerance = relativeTolerance
        precondition(coefficientTolerance >= 0 && coefficientTolerance.isFinite, "coefficientTolerance must be finite and ≥ 0, got \(coefficientTolerance)")
        self.coefficientTolerance = coefficientTolerance
        self.maximumStepHalvings = maximumStepHalvings
        self.reuseFisherBelow = reuseFisherBelow
        self.throwOnNonConvergence = throwOnNonConvergence
        self.subsampleFisher = subsampleFisher
        precondition(minimumWorkForShortcuts >= 0, "minimumWorkForShortcuts must be ≥ 0, got \(minimumWorkForShortcuts)")
        self.minimumWorkForShortcuts = minimumWorkForShortcuts
        precondition(andersonMemory >= 0 && andersonMemory <= 20, "andersonMemory must be in 0 ... 20, got \(andersonMemory)")
        self.andersonMemory = andersonMemory
    }
}

/// One accepted Fisher-scoring step, reported to a progress callback.
public struct FisherScoringProgress: Sendable {
    /// 1-based iteration number.
    public var iteration: Int
    /// Deviance after the step.
    public var deviance: Double
    /// |Dₖ − Dₖ₋₁| / (|Dₖ| + 0.1).
    public var relativeDevianceChange: Double
    /// Whether this step formed a new Fisher matrix XᵀWX (false for a chord step).
    public var formedFisherMatrix: Bool
    /// How many times the step was halved.
    public var stepHalvings: Int
}
