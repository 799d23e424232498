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
}

/// The state a Fisher-scoring run ends in.
struct ScoringOutcome {
    var coefficients: [Double]
    var deviance: Double
    var iterations: Int
    var converged: Bool
    var lastRelativeChange: Double
    var fisherEvaluations: Int
}

/// Fisher scoring (IRLS in update form) with every per-iteration buffer allocated once.
///
/// One iteration at coefficients β (η = Xβ + offset, μ = g⁻¹(η)):
///   Wᵢ = pᵢ (dμᵢ/dη)² / V(μᵢ)            working weights (pᵢ the prior weight)
///   uᵢ = pᵢ (yᵢ − μᵢ)(dμᵢ/dη) / V(μᵢ)    score contributions; the score is U = Xᵀu
///   F = XᵀWX (syrk on diag(√W)X)          the Fisher information
///   δ = F⁻¹U (Cholesky)                   β ← β + δ, halving δ while the deviance goes up.
/// The first step starts from μ₀ (not from a β): β₁ = F⁻¹Xᵀ(W(η₀ − offset) + u).
/// Near convergence the factorization of F is reused (chord steps) while the deviance change keeps
/// shrinking fast; the fixed point, U(β) = 0, is the same.
struct FisherScoringSolver {
    let family: GLMFamily
    let link: GLMLink
    let data: PreparedData
    let options: FisherScoringOptions
    let n: Int
    let p: Int
    /// F = XᵀWX is the same at every β (Gaussian with identity link: W = prior weights).
    let fisherIsConstant: Bool

    // Workspaces (allocated once per fit).
    var eta: [Double]
    var mu: [Double]
    var logMean: [Double]
    var logComplement: [Double]
    var workingWeights: [Double]
    var scoreContributions: [Double]
    var fisher: Matrix
    /// Rows per block of the Fisher accumulation (a block of √W·X, ≈ 1 MB, stays in L2 cache).
    let blockRows: Int
    /// √(k·Wᵢ) of the rows of one block.
    var rootWeights: [Double]
    /// √(k·Wᵢ)·xᵢⱼ for the rows of one block (blockRows × p, column-major; unused rows zero).
    var scaledBlock: [Double]
    /// Row stride of the subsampled Fisher matrix used while iterating (1: always the full one).
    let subsampleStride: Int
    /// Whether the current factorization is of the subsampled Fisher matrix.
    var usingSubsample: Bool
    var fullFisherEvaluations = 0
    /// Whether chord steps (reusing the factorization) are allowed for this problem size.
    let allowsReuse: Bool
    var cholesky: Cholesky?
    var score: [Double]
    var step: [Double]
    var beta: [Double]
    var trialBeta: [Double]
    var fisherEvaluations = 0
    /// The feature part of a coefficient vector, and of the score (gemv workspaces, k each).
    var featureCoefficients: [Double]
    var featureScore: [Double]

    init(family: GLMFamily, link: GLMLink, data: PreparedData, options: FisherScoringOptions) {
        self.family = family
        self.link = link
        self.data = data
        self.options = options
        n = data.features.rows
        p = data.features.columns + (data.hasIntercept ? 1 : 0)
        featureCoefficients = [Double](repeating: 0, count: data.features.columns)
        featureScore = [Double](repeating: 0, count: data.features.columns)
        if case .gaussian = family, link == .identity { fisherIsConstant = true } else { fisherIsConstant = false }
        eta = [Double](repeating: 0, count: n)
        mu = [Double](repeating: 0, count: n)
        let needsLogs: Bool = { if case .binomial = family { return true }; return false }()
        logMean = [Double](repeating: 0, count: needsLogs ? n : 0)
        logComplement = [Double](repeating: 0, count: needsLogs ? n : 0)
        workingWeights = [Double](repeating: 0, count: n)
        scoreContributions = [Double](repeating: 0, count: n)
        fisher = Matrix(rows: p, columns: p)
        // Large problems iterate on a Fisher matrix estimated from every k-th row (k ≤ 4, keeping at
        // least 128·p rows): a preconditioner only, since each step solves F̃δ = Xᵀu with the full
        // score, so the fixed point is unchanged; the covariance always uses the full matrix.
        let shortcuts = Double(n) * Double(p) * Double(p) >= options.minimumWorkForShortcuts
        allowsReuse = shortcuts && options.reuseFisherBelow > 0
        let stride = shortcuts && options.subsampleFisher && !fisherIsConstant ? Swift.min(4, n / Swift.max(1, 128 * p)) : 1
        subsampleStride = Swift.max(1, stride)
        usingSubsample = subsampleStride > 1
        blockRows = Swift.max(1, Swift.min(n, Swift.max(256, 131_072 / Swift.max(1, p))))
        rootWeights = [Double](repeating: 0, count: blockRows)
        scaledBlock = [Double](repeating: 0, count: blockRows * p)
        cholesky = nil
        score = [Double](repeating: 0, count: p)
        step = [Double](repeating: 0, count: p)
        beta = [Double](repeating: 0, count: p)
        trialBeta = [Double](repeating: 0, count: p)
    }

    private var isBinomial: Bool { if case .binomial = family { return true }; return false }

    // MARK: Per-observation passes

    /// η ← X·coefficients + offset, μ ← g⁻¹(η); returns the deviance Σ pᵢ d(yᵢ, μᵢ), or +∞ when some
    /// μᵢ leaves the mean space or the deviance is not finite.
    mutating func evaluate(_ coefficients: [Double]) -> Double {
        var v = [Double]()
        swap(&v, &eta)
        linearPredictor(coefficients, includingOffset: true, into: &v)
        swap(&v, &eta)
        return meansAndDeviance()
    }

    /// v ← Xβ (+ offset): the intercept β₀ (when present) is added to every row, then the features'
    /// part by gemv.
    mutating func linearPredictor(_ coefficients: [Double], includingOffset: Bool, into v: inout [Double]) {
        let first = data.hasIntercept ? 1 : 0
        let intercept = data.hasIntercept ? coefficients[0] : 0
        if includingOffset && data.hasOffset {
            for i in 0..<n { v[i] = data.offset[i] + intercept }
        } else {
            for i in 0..<n { v[i] = intercept }
        }
        let k = data.features.columns
        if k > 0 {
            for j in 0..<k { featureCoefficients[j] = coefficients[first + j] }
            BLAS.gemv(data.features, featureCoefficients, beta: 1, into: &v)
        }
    }

    /// score ← Xᵀu for u = the score contributions: Σᵢuᵢ for the intercept, gemv for the features.
    mutating func formScore() {
        let first = data.hasIntercept ? 1 : 0
        if data.hasIntercept {
            var total = 0.0
            for i in 0..<n { total += scoreContributions[i] }
            score[0] = total
        }
        let k = data.features.columns
        if k > 0 {
            BLAS.gemv(data.features, transposed: true, scoreContributions, into: &featureScore)
            for j in 0..<k { score[first + j] = featureScore[j] }
        }
    }

    /// μ ← g⁻¹(η) (and log μ, log(1 − μ) for the binomial); returns the deviance or +∞.
    mutating func meansAndDeviance() -> Double {
        var deviance = 0.0
        let binomial = isBinomial
        if binomial && link == .logit {
            // One exp and one log1p per observation: t = e^(−|η|), ℓ = log(1 + t);
            // η ≥ 0: μ = 1/(1 + t), log μ = −ℓ, log(1 − μ) = −η − ℓ; η < 0: μ = t/(1 + t), log μ = η − ℓ,
            // log(1 − μ) = −ℓ.
            for i in 0..<n {
                let e = eta[i]
                let t = Double.exp(-Swift.abs(e))
                let l = Double.log(onePlus: t)
                let lm: Double, lc: Double
                if e >= 0 {
                    mu[i] = 1 / (1 + t); lm = -l; lc = -e - l
                } else {
                    mu[i] = t / (1 + t); lm = e - l; lc = -l
                }
                logMean[i] = lm
                logComplement[i] = lc
                guard lm < 0 && lc < 0 && lm.isFinite && lc.isFinite else { return .infinity }
                let w = data.priorWeights[i]
                if w != 0 { deviance += w * binomialUnitDeviance(data.response[i], logMean: lm, logComplement: lc) }
            }
            return deviance.isFinite ? deviance : .infinity
        }
        for i in 0..<n {
            let e = eta[i]
            let m = link.mean(e)
            mu[i] = m
            if binomial {
                let (lm, lc) = link.logMeanAndComplement(e, mean: m)
                logMean[i] = lm
                logComplement[i] = lc
                // A probability that rounds to 0 or 1 is still a valid mean when its logs are finite.
                guard lm.isFinite && lc.isFinite && lm < 0 && lc < 0 else { return .infinity }
                let w = data.priorWeights[i]
                if w != 0 { deviance += w * binomialUnitDeviance(data.response[i], logMean: lm, logComplement: lc) }
            } else {
                guard family.isValidMean(m) else { return .infinity }
                let w = data.priorWeights[i]
                if w != 0 { deviance += w * family.unitDeviance(data.response[i], m) }
            }
        }
        return deviance.isFinite ? deviance : .infinity
    }

    /// V(μᵢ); for the binomial exp(log μ + log(1 − μ)), accurate near 0 and 1.
    @inline(__always)
    func varianceAt(_ i: Int) -> Double {
        isBinomial ? Double.exp(logMean[i] + logComplement[i]) : family.variance(mu[i])
    }

    /// Working weights Wᵢ and score contributions uᵢ at the current η, μ.
    mutating func workingWeightsAndScore() {
        switch (family, link) {
        case (.gaussian, .identity):
            for i in 0..<n {
                let w = data.priorWeights[i]
                workingWeights[i] = w
                scoreContributions[i] = w * (data.response[i] - mu[i])
            }
        case (.binomial, .logit):
            // Canonical: (dμ/dη)/V = 1 and W = p·μ(1 − μ).
            for i in 0..<n {
                let w = data.priorWeights[i]
                workingWeights[i] = w * Double.exp(logMean[i] + logComplement[i])
                scoreContributions[i] = w * (data.response[i] - mu[i])
            }
        case (.poisson, .log):
            for i in 0..<n {
                let w = data.priorWeights[i]
                workingWeights[i] = w * mu[i]
                scoreContributions[i] = w * (data.response[i] - mu[i])
            }
        default:
            for i in 0..<n {
                let w = data.priorWeights[i]
                let d = link.meanDerivative(eta[i], mean: mu[i])
                let v = varianceAt(i)
                if v > 0 && v.isFinite && d.isFinite {
                    let r = d / v
                    workingWeights[i] = w * d * r
                    scoreContributions[i] = w * (data.response[i] - mu[i]) * r
                } else {
                    workingWeights[i] = 0
                    scoreContributions[i] = 0
                }
            }
        }
    }

    /// F ← XᵀWX (or its subsampled estimate while `usingSubsample`) and its Cholesky factorization.
    /// The first time, the pivots are checked for collinearity so that a rank-deficient design is
    /// reported by column name (a subsample that looks rank deficient falls back to the full matrix).
    mutating func formAndFactorFisher() throws(GLMError) {
        accumulateFisher(stride: usingSubsample ? subsampleStride : 1)
        if !usingSubsample { fullFisherEvaluations += 1 }
        fisherEvaluations += 1
        if fisherEvaluations == 1, let (column, involved) = firstDependentColumn(fisher) {
            if usingSubsample {
                usingSubsample = false
                fisherEvaluations = 0
                return try formAndFactorFisher()
            }
            throw .collinearColumns(column: data.names[column], involved: involved.map { data.names[$0] })
        }
        do {
            if cholesky == nil {
                cholesky = try Cholesky(fisher)
            } else {
                try cholesky!.refactor(fisher)
            }
        } catch {
            cholesky = nil
            if usingSubsample {
                usingSubsample = false
                return try formAndFactorFisher()
            }
            throw fisherFailure(error)
        }
    }

    /// F ← k·Σ_{i ≡ 0 mod k} Wᵢxᵢxᵢᵀ (k = stride; k = 1: the full XᵀWX), accumulated over row blocks:
    /// each block of rows √(k·Wᵢ)·xᵢ is written into a cache-sized workspace and added by syrk, so no
    /// n × p copy of X is made. Rows past the end of the last block are zero and add nothing.
    mutating func accumulateFisher(stride k: Int) {
        let x = data.features.elements
        let first = data.hasIntercept ? 1 : 0
        let weights = workingWeights
        let sampled = (n + k - 1) / k
        let b = blockRows, columns = p
        let scale = Double(k)
        // Local, uniquely referenced buffers: the loops below then compile to plain vectorizable stores
        // (no uniqueness check of a stored property per element).
        var roots = [Double](), block = [Double]()
        swap(&roots, &rootWeights)
        swap(&block, &scaledBlock)
        var start = 0
        while start < sampled {
            let rows = Swift.min(b, sampled - start)
            if k == 1 {
                for r in 0..<rows { roots[r] = weights[start + r].squareRoot() }
                let xs = x.span, rs = roots.span
                var bs = block.mutableSpan
                for j in first..<columns {
                    let base = (j - first) * n + start, blockBase = j * b
                    let source = xs.extracting(base..<(base + rows)), w = rs.extracting(0..<rows)
                    for r in 0..<rows { bs[blockBase + r] = source[r] * w[r] }
                }
            } else {
                for r in 0..<rows { roots[r] = (scale * weights[(start + r) * k]).squareRoot() }
                let xs = x.span, rs = roots.span
                var bs = block.mutableSpan
                for j in first..<columns {
                    let base = (j - first) * n + start * k, blockBase = j * b
                    let source = xs.extracting(base..<(base + (rows - 1) * k + 1)), w = rs.extracting(0..<rows)
                    for r in 0..<rows { bs[blockBase + r] = source[r * k] * w[r] }
                }
            }
            if first == 1 { for r in 0..<rows { block[r] = roots[r] } }  // the intercept column: √(k·Wᵢ)·1
            if rows < b {
                for j in 0..<columns { for r in rows..<b { block[j * b + r] = 0 } }
            }
            do {
                let scaled = Matrix(rows: b, columns: columns, columnMajor: block)
                BLAS.gram(scaled, beta: start == 0 ? 0 : 1, into: &fisher)
            }
            start += rows
        }
        swap(&roots, &rootWeights)
        swap(&block, &scaledBlock)
    }

    /// Turns a Cholesky failure during the iterations into the most telling error.
    mutating func fisherFailure(_ error: LinearAlgebraError) -> GLMError {
        if isBinomial, let separation = detectSeparation(direction: step) { return separation }
        if case let .notPositiveDefinite(minor, _, _) = error, minor >= 1, minor <= p {
            return .collinearColumns(column: data.names[minor - 1], involved: [])
        }
        return .linearAlgebra(error)
    }

    // MARK: The iteration

    /// Runs Fisher scoring from the family's starting means.
    mutating func run(progress: ((FisherScoringProgress) -> Void)?) throws(GLMError) -> ScoringOutcome {
        // Start: μ₀ from the responses, η₀ = g(μ₀).
        var weightSum = 0.0, weightedY = 0.0
        for i in 0..<n {
            weightSum += data.priorWeights[i]
            weightedY += data.priorWeights[i] * data.response[i]
        }
        let meanResponse = weightedY / weightSum
        for i in 0..<n {
            let m = family.startingMean(data.response[i], meanResponse: meanResponse, trials: data.trials[i])
            mu[i] = m
            eta[i] = link.link(m)
        }
        var deviance = meansAndDeviance()
        if !deviance.isFinite { throw .stepHalvingFailed(iteration: 0, halvings: 0) }
        workingWeightsAndScore()
        // First step: β₁ = F⁻¹Xᵀ(W(η₀ − offset) + u).
        for i in 0..<n {
            scoreContributions[i] += workingWeights[i] * (eta[i] - data.offset[i])
        }
        formScore()
        try formAndFactorFisher()
        try Self.solve(cholesky, &beta, rhs: score)
        var trialDeviance = evaluate(beta)
        var halvings = 0, previousHalvings = 0
        if !trialDeviance.isFinite {
            // Halve towards the intercept-only start (intercept g(ȳ), slopes 0).
            for j in 0..<p { trialBeta[j] = 0 }
            if data.hasIntercept { trialBeta[0] = link.link(meanResponse) }
            while !trialDeviance.isFinite {
                halvings += 1
                if halvings > options.maximumStepHalvings { throw .stepHalvingFailed(iteration: 1, halvings: halvings - 1) }
                for j in 0..<p { beta[j] = 0.5 * (beta[j] + trialBeta[j]) }
                trialDeviance = evaluate(beta)
            }
        }
        for j in 0..<p { step[j] = beta[j] }
        var change = Swift.abs(trialDeviance - deviance) / (Swift.abs(trialDeviance) + 0.1)
        deviance = trialDeviance
        var iteration = 1
        progress?(FisherScoringProgress(iteration: 1, deviance: deviance, relativeDevianceChange: change,
                                        formedFisherMatrix: true, stepHalvings: halvings))
        var previousChange = Double.infinity
        var lastStepFresh = true
        var converged = false
        var stepSize = Self.maxMagnitude(step), previousStepSize = Double.infinity

        while true {
            // Converged when the relative deviance change is below the tolerance and the last step
            // moved the coefficients by at most `coefficientTolerance` of their size (or stopped
            // shrinking: the rounding floor of the score). The deviance alone pins β only to about
            // the square root of its tolerance. Iteration 1 compares with the deviance of μ₀, which no
            // β produces: never stop there, except for the Gaussian–identity model (one step is exact).
            if change <= options.relativeTolerance && (iteration >= 2 || fisherIsConstant) {
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
                if fisherIsConstant || stepSize <= coefficientBound || predictedError <= coefficientBound
                    || stepSize >= previousStepSize {
                    converged = true
                    break
                }
            }
            if iteration >= options.maximumIterations { break }
            previousHalvings = halvings
            workingWeightsAndScore()
            formScore()
            var reuse = fisherIsConstant
                || (allowsReuse && change < options.reuseFisherBelow
                    && (lastStepFresh || change <= 0.05 * previousChange || change <= options.relativeTolerance))
            if reuse && usingSubsample && !fisherIsConstant {
                // Entering the chord phase: a subsampled matrix contracts only at the rate of its sampling
                // error (≈ 0.1 per step); the full XᵀWX formed here, close to the optimum, contracts at a
                // rate proportional to the distance left, so the chord steps after it gain several digits each.
                usingSubsample = false
                reuse = false
            }
            if !reuse { try formAndFactorFisher() }
            var fresh = !reuse
            try Self.solve(cholesky, &step, rhs: score)
            halvings = 0
            while true {
                for j in 0..<p { trialBeta[j] = beta[j] + step[j] }
                trialDeviance = evaluate(trialBeta)
                // Accept a decrease, or an increase within the rounding of the deviance sum (near the
                // optimum the deviance is flat to ≈ 1e-14 relative while the score still resolves β).
                if trialDeviance <= deviance + 1e-11 * (Swift.abs(deviance) + 1) { break }
                if (!fresh || usingSubsample) && !fisherIsConstant {
                    // A stale (or subsampled) Fisher matrix gave a bad direction: refresh it (with the
                    // full matrix from now on if the subsample was fresh) instead of halving.
                    if fresh { usingSubsample = false }
                    // The working weights are still those at β (the trial only rewrote η, μ).
                    try formAndFactorFisher()
                    fresh = true
                    try Self.solve(cholesky, &step, rhs: score)
                    continue
                }
                halvings += 1
                if halvings > options.maximumStepHalvings {
                    _ = evaluate(beta)
                    if isBinomial, let separation = detectSeparation(direction: step) { throw separation }
                    throw .stepHalvingFailed(iteration: iteration + 1, halvings: halvings - 1)
                }
                for j in 0..<p { step[j] *= 0.5 }
            }
            for j in 0..<p { beta[j] = trialBeta[j] }
            previousStepSize = stepSize
            stepSize = Self.maxMagnitude(step)
            previousChange = change
            change = Swift.abs(trialDeviance - deviance) / (Swift.abs(trialDeviance) + 0.1)
            deviance = trialDeviance
            iteration += 1
            lastStepFresh = fresh
            progress?(FisherScoringProgress(iteration: iteration, deviance: deviance, relativeDevianceChange: change,
                                            formedFisherMatrix: fresh, stepHalvings: halvings))
        }
        // η, μ are those of the accepted β (the last evaluate was of trialBeta == beta).
        return ScoringOutcome(coefficients: beta, deviance: deviance, iterations: iteration, converged: converged,
                              lastRelativeChange: change, fisherEvaluations: fullFisherEvaluations)
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

    /// After convergence: the Fisher matrix at the final coefficients (μ, η already there) and its
    /// inverse, the unscaled covariance (XᵀWX)⁻¹.
    mutating func finalInverseFisher() throws(GLMError) -> Matrix {
        workingWeightsAndScore()
        usingSubsample = false
        if !(fisherIsConstant && cholesky != nil) { try formAndFactorFisher() }
        do { return try cholesky!.inverse() } catch { throw .linearAlgebra(error) }
    }
}
