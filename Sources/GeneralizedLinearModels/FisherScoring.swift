import RowPasses
import RealModule

/// Validated observations of one fit: the features (n × k; the design X = [1 | features] when there is
/// an intercept, p = k + 1, kept implicit so that X is never copied), the GLM response y (a proportion for the
/// binomial), the frequency weights w, the variance weights m (binomial trials, else 1), their product
/// (the prior weights used in the deviance and the Fisher matrix), and the total offset.
struct PreparedData {
    var features: Matrix
    var names: [String]
    var response: [Double]
    var frequencyWeights: [Double]
    var trials: [Double]
    var priorWeights: [Double]
    var offset: [Double]
    var hasOffset: Bool
    var hasIntercept: Bool
    /// `.done` when `prepare` checked the features (finite, |x| ≤ 1e150); `.pending` leaves the check to the
    /// solver's first read of X (the first score, `ObservationKernels.scoreBounded`).
    var featureCheck: PendingCheck = .done
    /// n over every process of a distributed fit (the rows here otherwise).
    var totalRows = 0
    /// The global index of this process's first row (0 on one process).
    var rowOffset = 0
    /// Every response (of every process) is 0 or 1.
    var responsesAreBinary = false
}

/// The state a Fisher-scoring run ends in.
struct ScoringOutcome {
    var coefficients: [Double]
    var deviance: Double
    var iterations: Int
    var converged: Bool
    var lastRelativeChange: Double
}

/// Fisher scoring (IRLS in update form) with every per-iteration buffer allocated once.
///
/// One iteration at coefficients β (η = Xβ + offset, μ = g⁻¹(η)):
///   Wᵢ = pᵢ (dμᵢ/dη)² / V(μᵢ)            working weights (pᵢ the prior weight)
///   uᵢ = pᵢ (yᵢ − μᵢ)(dμᵢ/dη) / V(μᵢ)    score contributions; the score is U = Xᵀu
///   F = XᵀWX (a weighted Gram product)    the Fisher information
///   δ = F⁻¹U (Cholesky)                   β ← β + δ, halving δ while the deviance goes up.
/// The first step starts from μ₀ (not from a β): β₁ = F⁻¹Xᵀ(W(η₀ − offset) + u).
/// Near convergence the factorization of F is reused (chord steps, Anderson-accelerated:
/// `AndersonAcceleration`) while the deviance change keeps shrinking fast; for large problems F is
/// estimated from a subsample of the rows (a preconditioner: `FisherScoringOptions.subsampleFisher`);
/// the fixed point, U(β) = 0, is the same. Each evaluation of a β is one pass over X by row blocks
/// (`evaluate`; the fused AVX-512 pass of `ObservationKernels` for logistic and Poisson regression) that
/// also leaves u and U (and W, see `products`) at that β.
struct FisherScoringSolver {
    let family: GLMFamily
    let link: GLMLink
    let data: PreparedData
    let options: FisherScoringOptions
    /// Kernels, Fisher strategy, reuse policy and partitions, chosen before the first pass.
    let plan: FisherScoringPlan
    /// X = [1 | features] and its products over row ranges.
    let design: DenseDesign
    /// The observation loop of the (family, link) pair, dispatched once.
    let loop: ObservationLoop
    let n: Int
    let p: Int
    /// The cross-process completion of every sum over rows (nothing on one process).
    let sums: ProcessSums

    /// The sums of an evaluation pass packed for `sums` (deviance, Σu, Xᵀu: k + 2), and the lower triangle
    /// of XᵀWX (p(p + 1)/2); empty on one process.
    var passBuffer: [Double]
    var fisherBuffer: [Double]
    /// The factor n/|S| of the subsampled Fisher matrix (the rows of every process), set by `run`.
    var subsampleScale = 1.0

    // Workspaces (allocated once per fit).
    /// The per-row work and workspaces (η, μ, log μ, log(1 − μ), W, u), shared by the pass's workers.
    let rows: ObservationPass
    /// Where the passes run (the groups of a partition on `threads` workers).
    let executor: RowExecutor
    var fisher: Matrix
    /// The sums of an evaluation pass: in total, and per group of the pass partition.
    var passSums: ScorePassSums
    let passSlots: GroupSlots<ScorePassSums>
    /// The sums of a pass over the Fisher partition (XᵀWX, with an evaluation's sums when it forms the
    /// Fisher matrix at the trial β): in total and per group.
    var fisherTotal: FisherPassSums
    let fisherSlots: GroupSlots<FisherPassSums>
    /// The √W-scaled rows of the copy-and-syrk Gram kernel, one per worker.
    let gramScratch: [GramScratch]
    /// The first score pass's sums (with the features' check), and the final μ pass's Pearson χ².
    var scoreTotal: ScoreCheckSums
    let scoreSlots: GroupSlots<ScoreCheckSums>
    let pearsonSlots: GroupSlots<PearsonSum>
    /// yᵢ log yᵢ (0 at yᵢ = 0), for the Poisson deviance with the log link; empty otherwise.
    var responseLogResponse: [Double] { rows.responseLogResponse }
    var eta: RowBuffer { rows.eta }
    var mu: RowBuffer { rows.mu }
    var logMean: RowBuffer { rows.logMean }
    var logComplement: RowBuffer { rows.logComplement }
    var workingWeights: RowBuffer { rows.workingWeights }
    var scoreContributions: RowBuffer { rows.scoreContributions }

    // Iteration state.
    /// Which Fisher matrix the current factorization is of.
    var factorSource: FisherSource
    /// What the last evaluation left besides η, u and the score.
    var products = PassProducts.score
    /// The first factorization's collinearity check (again if a subsample looked rank deficient).
    var collinearityCheck = PendingCheck.pending
    /// The features' check (finite, |x| ≤ 1e150), when `prepare` left it to the first score.
    var featureCheck: PendingCheck
    var fullFisherEvaluations = 0
    var fisherEvaluations = 0
    /// The Pearson χ² at the final coefficients when `finishObservations` computed it along with μ (the
    /// logistic kernel), else nil.
    var finishedPearsonChi2: Double?
    var cholesky: Cholesky?
    /// Acceleration of the steps that reuse a factorization (chord steps).
    var anderson: AndersonAcceleration
    var score: [Double]
    var step: [Double]
    var beta: [Double]
    var trialBeta: [Double]
    /// The feature part of a coefficient vector, and of the score (gemv workspaces, k each).
    var featureCoefficients: [Double]
    var featureScore: [Double]

    /// A solver with the plan `FisherScoringPlan.choose` picks, or `plan` (tests).
    init(family: GLMFamily, link: GLMLink, data: PreparedData, options: FisherScoringOptions,
         plan: FisherScoringPlan? = nil, sums: ProcessSums = ProcessSums(reduction: nil),
         executor: RowExecutor = .serial) {
        self.executor = executor
        self.sums = sums
        self.family = family
        self.link = link
        self.data = data
        self.options = options
        let plan = plan ?? FisherScoringPlan.choose(family: family, link: link, data: data, options: options)
        self.plan = plan
        loop = ObservationLoop(family: family, link: link)
        design = DenseDesign(features: data.features, hasIntercept: data.hasIntercept)
        n = design.rows
        p = design.columns
        let k = design.featureCount
        featureCoefficients = [Double](repeating: 0, count: k)
        featureScore = [Double](repeating: 0, count: k)
        passSums = ScorePassSums(featureCount: k)
        passSlots = GroupSlots(count: plan.passPartition.groupCount) { ScorePassSums(featureCount: k) }
        let gramKernel = plan.gramKernel, dimension = p
        fisherTotal = FisherPassSums(score: ScorePassSums(featureCount: k),
                                     gram: WeightedGramAccumulator(kernel: gramKernel, dimension: dimension))
        fisherSlots = GroupSlots(count: plan.fisherPartition.groupCount) {
            FisherPassSums(score: ScorePassSums(featureCount: k),
                           gram: WeightedGramAccumulator(kernel: gramKernel, dimension: dimension))
        }
        let blockRows = plan.fisherPartition.blockRows
        gramScratch = (0..<Swift.max(executor.workers(plan.fisherPartition), executor.workers(plan.passPartition)))
            .map { _ in GramScratch(blockRows: blockRows) }
        scoreTotal = ScoreCheckSums(featureCount: k)
        scoreSlots = GroupSlots(count: plan.passPartition.groupCount) { ScoreCheckSums(featureCount: k) }
        pearsonSlots = GroupSlots(count: plan.passPartition.groupCount) { PearsonSum() }
        let needsLogs: Bool = { if case .binomial = family { return true }; return false }()
        let responseLogResponse: [Double]
        if case .poisson = family, link == .log {
            // Counts take few values: few logarithms.
            var cache = RepeatedValueCache()
            responseLogResponse = data.response.map { y in cache.value(y) { $0 > 0 ? $0 * Double.log($0) : 0 } }
        } else {
            responseLogResponse = []
        }
        rows = ObservationPass(family: family, link: link, kernel: plan.observationKernel, data: data,
                               design: design, responseLogResponse: responseLogResponse,
                               eta: RowBuffer(count: n), mu: RowBuffer(count: n),
                               logMean: RowBuffer(count: needsLogs ? n : 0),
                               logComplement: RowBuffer(count: needsLogs ? n : 0),
                               workingWeights: RowBuffer(count: n), scoreContributions: RowBuffer(count: n))
        fisher = Matrix(rows: p, columns: p)
        // Large problems iterate on a Fisher matrix estimated from every k-th chunk of rows (a
        // preconditioner only, since each step solves F̃δ = Xᵀu with the full score, so the fixed point is
        // unchanged); the covariance always uses the full matrix.
        if case .subsampled = plan.fisher { factorSource = .subsample } else { factorSource = .full }
        featureCheck = data.featureCheck
        cholesky = nil
        let memory: Int = { if case let .chord(_, m) = plan.reuse { return m }; return 0 }()
        anderson = AndersonAcceleration(dimension: p, memory: memory)
        score = [Double](repeating: 0, count: p)
        step = [Double](repeating: 0, count: p)
        beta = [Double](repeating: 0, count: p)
        trialBeta = [Double](repeating: 0, count: p)
        let distributed = sums.reduction != nil
        passBuffer = [Double](repeating: 0, count: distributed ? k + 2 : 0)
        fisherBuffer = [Double](repeating: 0, count: distributed ? p * (p + 1) / 2 : 0)
    }

    var isBinomial: Bool { if case .binomial = family { return true }; return false }

    // MARK: The iteration

    /// Runs Fisher scoring from the family's starting means.
    mutating func run(progress: ((FisherScoringProgress) -> Void)?) throws(GLMError) -> ScoringOutcome {
        // Start: μ₀ from the responses, η₀ = g(μ₀).
        var weightSum = 0.0, weightedY = 0.0
        for i in 0..<n {
            weightSum += data.priorWeights[i]
            weightedY += data.priorWeights[i] * data.response[i]
        }
        // The subsample's rows (every stride-th chunk of `subsampleChunk` rows in the global order).
        var sampled = 0.0
        if plan.subsampleStride > 1 { forEachSubsampledRange(stride: plan.subsampleStride) { sampled += Double($0.count) } }
        if sums.reduction != nil {
            var start = [weightSum, weightedY, sampled]
            try sums.sum(&start)
            (weightSum, weightedY, sampled) = (start[0], start[1], start[2])
        }
        subsampleScale = Double(data.totalRows) / sampled
        let meanResponse = weightedY / weightSum
        // η₀ = g(μ₀): for 0/1 responses and counts μ₀ takes only a few values, and g (a logarithm for the
        // log and logit links) is then evaluated a few times, not n.
        var linkCache = RepeatedValueCache()
        let link = self.link
        for i in 0..<n {
            let m = family.startingMean(data.response[i], meanResponse: meanResponse, trials: data.trials[i])
            mu[i] = m
            eta[i] = linkCache.value(m) { link.link($0) }
        }
        let pass = rows
        var startDeviance = DevianceSum()
        _ = executor.run(plan.passPartition, total: &startDeviance,
                         slots: GroupSlots(count: plan.passPartition.groupCount) { DevianceSum() }) { rows, sum in
            sum.deviance += pass.observations(rows, weights: true)
            return true
        }
        var deviance = try sums.sum(startDeviance.deviance.isFinite ? startDeviance.deviance : .infinity)
        products = .weights
        if !deviance.isFinite { throw .stepHalvingFailed(iteration: 0, halvings: 0) }
        // First step: β₁ = F⁻¹Xᵀ(W(η₀ − offset) + u).
        for i in 0..<n {
            scoreContributions[i] += workingWeights[i] * (eta[i] - data.offset[i])
        }
        try formScore()
        try formAndFactorFisher()
        try Self.solve(cholesky, &beta, rhs: score)
        var trialDeviance = try evaluate(beta)
        var halvings = 0, previousHalvings = 0
        if !trialDeviance.isFinite {
            // Halve towards the intercept-only start (intercept g(ȳ), slopes 0).
            for j in 0..<p { trialBeta[j] = 0 }
            if data.hasIntercept { trialBeta[0] = link.link(meanResponse) }
            while !trialDeviance.isFinite {
                halvings += 1
                if halvings > options.maximumStepHalvings { throw .stepHalvingFailed(iteration: 1, halvings: halvings - 1) }
                for j in 0..<p { beta[j] = 0.5 * (beta[j] + trialBeta[j]) }
                trialDeviance = try evaluate(beta)
            }
        }
        for j in 0..<p { step[j] = beta[j] }
        var change = Swift.abs(trialDeviance - deviance) / (Swift.abs(trialDeviance) + 0.1)
        deviance = trialDeviance
        var iteration = 1
        progress?(FisherScoringProgress(iteration: 1, deviance: deviance, relativeDevianceChange: change,
                                        formedFisherMatrix: true, stepHalvings: halvings))
        var previousChange = Double.infinity
        var lastFactor = FactorAge.fresh
        var converged = false
        let constant = plan.fisher == .constant
        let reuseBelow = plan.reuseBelow
        var stepSize = Self.maxMagnitude(step), previousStepSize = Double.infinity

        while true {
            // Converged when the relative deviance change is below the tolerance and the last step
            // moved the coefficients by at most `coefficientTolerance` of their size (or stopped
            // shrinking: the rounding floor of the score). The deviance alone pins β only to about
            // the square root of its tolerance. Iteration 1 compares with the deviance of μ₀, which no
            // β produces: never stop there.
            // The Gaussian–identity model (a quadratic deviance) decides on the steps alone: its first step
            // is exact only up to the conditioning of XᵀX (features with a large mean, like Unix
            // timestamps, leave ≈ 1e-5 relative error), and the next ones, iterative refinement with the
            // same factorization, run until they vanish or stop shrinking; its deviance, with rounding
            // noise above the tolerance in such cases, is not a stopping test.
            if (constant && iteration >= 2) || (change <= options.relativeTolerance && iteration >= 2) {
                // Contraction estimate: when the last two steps were full (no halving), ρ = ‖δₖ‖/‖δₖ₋₁‖
                // estimates the rate of the iteration, and the distance left to the fixed point is
                // ‖β − β*‖ ≤ Σ_{j>k} ‖δⱼ‖ ≈ ρ/(1 − ρ)·‖δₖ‖ for a linearly converging (chord) iteration; for
                // a quadratically converging (Newton) one ‖δₖ₊₁‖ ≈ C‖δₖ‖² with C‖δₖ‖ < C‖δₖ₋₁‖ ≈ ρ, so the
                // same bound over-estimates. Stop when twice that bound is within the coefficient
                // tolerance (ρ ≤ 1/4 required, so that the estimate comes from the asymptotic regime):
                // the verification step that would only confirm it is skipped.
                let rate = stepSize / previousStepSize
                let predictedError = rate <= 0.25 && halvings == 0 && previousHalvings == 0
                    ? 2 * rate / (1 - rate) * stepSize : Double.infinity
                let coefficientBound = options.coefficientTolerance * Self.maxMagnitude(beta)
                if stepSize <= coefficientBound || predictedError <= coefficientBound
                    || stepSize >= previousStepSize {
                    converged = true
                    break
                }
            }
            if iteration >= options.maximumIterations { break }
            previousHalvings = halvings
            // The score (and W, u) at β came with the evaluation that accepted β.
            var reuse = constant
                || (reuseBelow.map { change < $0 } ?? false
                    && (lastFactor == .fresh || change <= 0.05 * previousChange || change <= options.relativeTolerance))
            // Chord steps on the subsampled matrix F̃ contract at the rate ρ of its sampling error (≈ 0.1
            // for the default sample of ≥ 128·p rows; measured, not assumed): ≈ one digit per pass over
            // X, several passes cheaper than one full XᵀWX. When they contract slowly (the deviance
            // change shrinks by less than 20×, or the step by less than 2×), F̃ is a poor preconditioner
            // for these data: the exact matrix from here on, with Newton's rate.
            if factorSource == .subsample, let below = reuseBelow, lastFactor == .reused, change < below,
               !reuse || stepSize > 0.5 * previousStepSize {
                factorSource = .full
                reuse = false
            }
            var factor: FactorAge
            if products == .weightsAndFisher && !constant {
                // The last pass formed the full XᵀWX at β expecting to stop; it did not: a Newton step.
                factorSource = .full
                try factorFisher()
                factor = .fresh
            } else {
                if !reuse { try formAndFactorFisher() }
                factor = reuse ? .reused : .fresh
            }
            try Self.solve(cholesky, &step, rhs: score)
            // Chord steps (one factorization, several β) are accelerated; the history starts at the step
            // that formed the factorization, whose residual belongs to the same fixed-point map.
            if factor == .fresh || constant { anderson.reset() }
            var accelerated = !constant && anderson.accelerate(beta: beta, step: &step)
            // When this step will almost surely be the last (the convergence test below, applied to it
            // in advance), its evaluation pass also forms the full XᵀWX at the new β for the standard
            // errors: X is read once for both.
            let nextStepSize = Self.maxMagnitude(step), nextRate = nextStepSize / stepSize
            let bound = options.coefficientTolerance * Self.maxMagnitude(beta)
            var formFisherWithTrial = reuseBelow != nil && !constant && change <= options.relativeTolerance
                && halvings == 0
                && (nextStepSize <= bound || (nextRate <= 0.25 && 2 * nextRate / (1 - nextRate) * nextStepSize <= bound))
            halvings = 0
            while true {
                for j in 0..<p { trialBeta[j] = beta[j] + step[j] }
                trialDeviance = try evaluate(trialBeta, formingFisher: formFisherWithTrial)
                formFisherWithTrial = false
                // Accept a decrease, or an increase within the rounding of the deviance sum (near the
                // optimum the deviance is flat to ≈ 1e-14 relative while the score still resolves β).
                // A Gaussian–identity refinement step (exact in exact arithmetic) is never halved.
                if trialDeviance <= deviance + 1e-11 * (Swift.abs(deviance) + 1)
                    || (constant && trialDeviance.isFinite) { break }
                if accelerated {
                    // The secant model misled: the plain step, and a fresh history.
                    for j in 0..<p { step[j] = anderson.residual[j] }
                    anderson.reset()
                    accelerated = false
                    continue
                }
                if (factor == .reused || factorSource == .subsample) && !constant {
                    // A stale (or subsampled) Fisher matrix gave a bad direction: refresh it (with the
                    // full matrix from now on if the subsample was fresh) instead of halving.
                    if factor == .fresh { factorSource = .full }
                    try evaluate(beta)  // W (and the score) at β again: the trial's evaluation overwrote them
                    try formAndFactorFisher()
                    factor = .fresh
                    try Self.solve(cholesky, &step, rhs: score)
                    continue
                }
                halvings += 1
                if halvings > options.maximumStepHalvings {
                    try evaluate(beta)
                    if isBinomial, let separation = detectSeparation(direction: step) { throw separation }
                    throw .stepHalvingFailed(iteration: iteration + 1, halvings: halvings - 1)
                }
                for j in 0..<p { step[j] *= 0.5 }
            }
            for j in 0..<p { beta[j] = trialBeta[j] }
            if halvings > 0 { anderson.reset() }
            previousStepSize = stepSize
            stepSize = Self.maxMagnitude(step)
            previousChange = change
            change = Swift.abs(trialDeviance - deviance) / (Swift.abs(trialDeviance) + 0.1)
            deviance = trialDeviance
            iteration += 1
            lastFactor = factor
            progress?(FisherScoringProgress(iteration: iteration, deviance: deviance, relativeDevianceChange: change,
                                            formedFisherMatrix: factor == .fresh, stepHalvings: halvings))
        }
        // η, μ, W are those of the accepted β (the last evaluate was of trialBeta == beta).
        finishObservations()
        return ScoringOutcome(coefficients: beta, deviance: deviance, iterations: iteration, converged: converged,
                              lastRelativeChange: change)
    }

    /// maxⱼ |vⱼ|.
    static func maxMagnitude(_ v: [Double]) -> Double {
        var m = 0.0
        for x in v { m = Swift.max(m, Swift.abs(x)) }
        return m
    }

    /// x ← F⁻¹ rhs with the factorization `cholesky`.
    static func solve(_ cholesky: Cholesky?, _ x: inout [Double], rhs: [Double]) throws(GLMError) {
        for j in 0..<rhs.count { x[j] = rhs[j] }
        do { try cholesky!.solve(&x) } catch { throw .linearAlgebra(error) }
    }

    /// After convergence: the Fisher matrix at the final coefficients (W already there: the last
    /// `evaluate` was of them) and its
    /// inverse, the unscaled covariance (XᵀWX)⁻¹.
    mutating func finalInverseFisher() throws(GLMError) -> Matrix {
        factorSource = .full
        if products == .weightsAndFisher {
            try factorFisher()
        } else if !(plan.fisher == .constant && cholesky != nil) {
            try formAndFactorFisher()
        }
        do { return try cholesky!.inverse() } catch { throw .linearAlgebra(error) }
    }
}
