import LinearAlgebra
import NaturalGradient

/// A damped natural-gradient (Levenberg–Marquardt) optimizer for models that supply their loss,
/// gradient and curvature (``OptimizationObjective``).
///
/// Each trial step solves
///
///     δ = −(C + λI)⁻¹ g,   then, with a norm constraint r, δ ← δ·min(1, r/‖δ‖₂),
///
/// evaluates the undamped quadratic model m(δ) − m(0) = gᵀδ + ½δᵀCδ and the trial loss L(θ + δ), and
/// forms ρ = (L(θ + δ) − L(θ)) / (m(δ) − m(0)). The step is kept or rejected by ``StepAcceptance``, and
/// λ reacts to ρ by the ``DampingSchedule`` (the LM rule: up when ρ < ¼, down when ρ > ¾). A rejected
/// step reuses g and C: only the solve and one loss evaluation are repeated.
///
/// When C + λI cannot be factored (not numerically positive definite) the LM schedule grows λ and
/// retries, recording ``OptimizerWarning/factorizationFailed(iteration:damping:)``; every dense solve
/// reports 1/κ₁(C + λI), and values below the options' threshold are recorded as
/// ``OptimizerWarning/illConditionedCurvature(iteration:reciprocalCondition:damping:)``.
///
/// The plan (``OptimizerOptions``) is fixed at construction; the state is λ and the iteration count.
/// Work vectors are kept across calls, so a run of stable shapes allocates only its reports.
public struct NaturalGradientOptimizer {
    /// The plan.
    public let options: OptimizerOptions
    /// λ for the next step.
    public private(set) var damping: Double
    /// Trial steps taken so far.
    public private(set) var iterationCount: Int
    private var solver: CurvatureSolver
    private var gradient: [Double]
    private var direction: [Double]
    private var trial: [Double]
    private var pendingWarnings: [OptimizerWarning] = []

    /// An optimizer for p parameters.
    public init(parameterCount p: Int, options: OptimizerOptions = OptimizerOptions()) {
        precondition(p >= 0, "parameterCount must be ≥ 0, got \(p)")
        self.options = options
        damping = options.damping.initialDamping
        iterationCount = 0
        solver = CurvatureSolver(parameters: p)
        gradient = [Double](repeating: 0, count: p)
        direction = [Double](repeating: 0, count: p)
        trial = [Double](repeating: 0, count: p)
    }

    /// Minimizes L from θ₀ until a tolerance or the iteration budget (``OptimizerOptions``). A rejected step
    /// whose predicted decrease |m(δ) − m(0)| is ≤ 4ε·max(1, |L|) also ends the run (`.lossTolerance`):
    /// the loss cannot resolve a smaller change.
    /// - Returns: the final θ, the reports of every trial step and the warnings.
    /// - Throws: ``OptimizerError``: a non-finite L(θ₀) or gradient, a curvature of the wrong shape, or a
    ///   curvature solve the schedule could not recover.
    public mutating func minimize<Objective: OptimizationObjective>(
        _ objective: inout Objective, from start: [Double]
    ) throws(OptimizerError) -> OptimizationResult {
        let p = objective.parameterCount
        precondition(start.count == p && gradient.count == p,
                     "θ₀ of length \(start.count) for an objective of \(p) parameters and an optimizer of \(gradient.count)")
        var theta = start
        var evaluation = objective.evaluate(at: theta, gradient: &gradient)
        guard evaluation.loss.isFinite else { throw .nonFiniteInitialLoss(evaluation.loss) }
        try checkGradient(iteration: 0)
        var reports: [IterationReport] = []
        var warnings: [OptimizerWarning] = []
        var termination = Termination.maximumIterations
        var gNorm = infinityNorm(gradient)
        while true {
            if gNorm <= options.gradientTolerance { termination = .gradientTolerance; break }
            if reports.count >= options.maximumIterations { break }
            let report = try trialStep(objective: &objective, theta: theta, loss: evaluation.loss,
                                       curvature: evaluation.curvature, gradientNorm: gNorm)
            reports.append(report)
            warnings.append(contentsOf: pendingWarnings)
            pendingWarnings.removeAll(keepingCapacity: true)
            // A rejected step whose predicted decrease is below the loss's rounding level cannot be
            // improved on by more damping: L is as small as Double can resolve here.
            if !report.accepted,
               Swift.abs(report.predictedChange) <= 4 * Double.ulpOfOne * Swift.max(1, Swift.abs(evaluation.loss)) {
                termination = .lossTolerance
                break
            }
            if report.accepted {
                swap(&theta, &trial)
                let previous = evaluation.loss
                evaluation = objective.evaluate(at: theta, gradient: &gradient)
                try checkGradient(iteration: report.iteration)
                gNorm = infinityNorm(gradient)
                if options.lossTolerance > 0,
                   Swift.abs(previous - evaluation.loss) <= options.lossTolerance * Swift.max(1, Swift.abs(evaluation.loss)) {
                    termination = .lossTolerance
                    break
                }
            }
        }
        return OptimizationResult(parameters: theta, loss: evaluation.loss, gradientNorm: gNorm,
                                  termination: termination, iterations: reports, warnings: warnings, damping: damping)
    }

    /// One trial step on the objective's current batch, for mini-batch loops: evaluates L, ∇L and C at
    /// θ (the objective may draw a new batch), tries θ + δ, and overwrites `parameters` when it is kept.
    /// Warnings of the step are returned alongside its report.
    /// - Throws: as ``minimize(_:from:)``.
    public mutating func step<Objective: OptimizationObjective>(
        _ objective: inout Objective, parameters: inout [Double]
    ) throws(OptimizerError) -> (report: IterationReport, warnings: [OptimizerWarning]) {
        precondition(parameters.count == gradient.count,
                     "θ of length \(parameters.count) for an optimizer of \(gradient.count) parameters")
        let evaluation = objective.evaluate(at: parameters, gradient: &gradient)
        guard evaluation.loss.isFinite else { throw .nonFiniteInitialLoss(evaluation.loss) }
        try checkGradient(iteration: iterationCount)
        let report = try trialStep(objective: &objective, theta: parameters, loss: evaluation.loss,
                                   curvature: evaluation.curvature, gradientNorm: infinityNorm(gradient))
        if report.accepted { swap(&parameters, &trial) }
        let w = pendingWarnings
        pendingWarnings.removeAll(keepingCapacity: true)
        return (report, w)
    }

    private func checkGradient(iteration: Int) throws(OptimizerError) {
        for i in gradient.indices where !gradient[i].isFinite {
            throw .nonFiniteGradient(iteration: iteration, index: i)
        }
    }

    private func infinityNorm(_ v: [Double]) -> Double {
        var m = 0.0
        for x in v { m = Swift.max(m, Swift.abs(x)) }
        return m
    }

    private func checkShape(_ curvature: Curvature) throws(OptimizerError) {
        let p = gradient.count
        switch curvature {
        case let .fisher(c):
            if c.rows != p || c.columns != p { throw .curvatureShapeMismatch(rows: c.rows, columns: c.columns, parameters: p) }
        case let .sampleGradients(g):
            if g.columns != p { throw .curvatureShapeMismatch(rows: g.rows, columns: g.columns, parameters: p) }
        case .fisherVectorProduct:
            break
        case let .kroneckerFactors(blocks):
            var next = 0
            for b in blocks {
                let a = b.inputFactor, g = b.outputFactor
                guard a.isSquare, g.isSquare, b.offset == next else {
                    throw .curvatureShapeMismatch(rows: g.rows, columns: a.columns, parameters: p)
                }
                next += b.parameterCount
            }
            if next != p { throw .curvatureShapeMismatch(rows: next, columns: 1, parameters: p) }
        }
    }

    /// Solves for δ at the current λ (growing it on factorization failures), tries θ + δ into `trial`,
    /// updates λ from ρ.
    private mutating func trialStep<Objective: OptimizationObjective>(
        objective: inout Objective, theta: [Double], loss: Double, curvature: Curvature, gradientNorm: Double
    ) throws(OptimizerError) -> IterationReport {
        try checkShape(curvature)
        iterationCount += 1
        let iteration = iterationCount
        var failures = 0
        var conditioning: ConditioningReport
        while true {
            for i in direction.indices { direction[i] = gradient[i] }
            do {
                conditioning = try solver.solve(curvature, &direction, damping: damping,
                                                cgTolerance: options.conjugateGradientTolerance, objective: &objective)
                break
            } catch {
                let recoverable: Bool
                switch error {
                case .linearAlgebra(.notPositiveDefinite), .singularEmpiricalFisher, .conjugateGradientBreakdown,
                     .conjugateGradientDidNotConverge, .linearAlgebra(.nonFiniteResult):
                    recoverable = true
                default:
                    recoverable = false
                }
                guard recoverable, let next = options.damping.dampingAfterFactorizationFailure(damping) else {
                    throw .curvatureSolveFailed(iteration: iteration, damping: damping, underlying: error)
                }
                pendingWarnings.append(.factorizationFailed(iteration: iteration, damping: damping))
                failures += 1
                damping = next
            }
        }
        conditioning.factorizationFailures += failures
        if let r = conditioning.reciprocalCondition, conditioning.isIllConditioned(threshold: options.conditionWarningThreshold) {
            pendingWarnings.append(.illConditionedCurvature(iteration: iteration, reciprocalCondition: r, damping: damping))
        }
        // δ = −(C + λI)⁻¹g, optionally shortened.
        BLAS.scale(-1, &direction)
        var norm = BLAS.norm(direction)
        var constrained = false
        if let r = options.maximumStepNorm, norm > r {
            BLAS.scale(r / norm, &direction)
            norm = r
            constrained = true
        }
        let curvatureTerm = solver.curvatureTerm(curvature, direction, objective: &objective)
        let predicted = BLAS.dot(gradient, direction) + 0.5 * curvatureTerm
        for i in trial.indices { trial[i] = theta[i] + direction[i] }
        let trialLoss = objective.loss(at: trial)
        let rho = trialLoss.isFinite ? (trialLoss - loss) / predicted : -Double.infinity
        let accepted: Bool
        switch options.acceptance {
        case .always: accepted = trialLoss.isFinite
        case .decrease: accepted = trialLoss.isFinite && trialLoss < loss
        }
        let used = damping
        damping = options.damping.nextDamping(after: damping, ratio: rho)
        return IterationReport(iteration: iteration, loss: loss, trialLoss: trialLoss, predictedChange: predicted,
                               ratio: rho, damping: used, nextDamping: damping, accepted: accepted, stepNorm: norm,
                               stepWasConstrained: constrained, gradientNorm: gradientNorm, conditioning: conditioning)
    }
}
