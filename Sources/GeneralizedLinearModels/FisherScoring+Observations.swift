import RowPasses
import RealModule

// The per-observation work of Fisher scoring: one pass over the rows of X per evaluated β, in blocks
// that stay in cache, computing η, μ, the deviance, the working weights and the score together.

extension FisherScoringSolver {
    /// One pass over the rows at `coefficients`: η = Xβ + offset, μ = g⁻¹(η) (and log μ, log(1 − μ) for
    /// the binomial; deferred to `finishObservations` on the fast paths), and the deviance Σ pᵢ d(yᵢ, μᵢ),
    /// returned; then, at the same β, the score contributions u, the score Xᵀu and (except on the fast
    /// paths without `formingFisher`) the working weights W. Returns +∞ (and leaves W, u, the score
    /// unspecified) as soon as some μᵢ leaves the mean space or the deviance is not finite.
    ///
    /// Each block of rows X[r₀ ..< r₁, :] (≈ 256 KB) is read by the gemv for η and again, from cache,
    /// by the gemv for its part of Xᵀu, so X streams from memory once per evaluation.
    ///
    /// With `formingFisher`, the pass also accumulates the full XᵀWX at these coefficients from the same
    /// blocks (X is then read from memory once for both); `products` is then `.weightsAndFisher` when it
    /// is complete (the deviance was finite).
    /// On a distributed fit the pass's sums (and XᵀWX) are summed over the processes, so every process
    /// returns the same deviance and score.
    /// - Throws: `.reductionFailed` (only with a reduction).
    @discardableResult
    mutating func evaluate(_ coefficients: [Double], formingFisher: Bool = false) throws(GLMError) -> Double {
        let fastPath = loop != .general
        products = formingFisher || !fastPath ? .weights : .score
        let writeWeights = formingFisher || !fastPath
        let partition = formingFisher ? plan.fisherPartition : plan.passPartition
        if formingFisher { gram.begin() }
        let intercept = design.split(coefficients, features: &featureCoefficients)
        let offset = data.hasOffset ? data.offset : nil
        let model = plan.passModel
        // η as a local, uniquely referenced array while the pass writes it (no per-element uniqueness check);
        // likewise the sums.
        var eta = [Double](), total = ScorePassSums(featureCount: 0), partial = ScorePassSums(featureCount: 0)
        swap(&eta, &self.eta)
        swap(&total, &passSums)
        swap(&partial, &groupSums)
        defer {
            swap(&eta, &self.eta)
            swap(&total, &passSums)
            swap(&partial, &groupSums)
        }
        let finished = SerialRowExecutor.run(partition, total: &total, scratch: &partial) { rows, sums in
            if let model, let d = ObservationKernels.pass(
                model, rows, features: data.features, coefficients: featureCoefficients,
                intercept: intercept, offset: offset, response: data.response,
                priorWeights: data.priorWeights, responseLogResponse: responseLogResponse, eta: &eta,
                u: &scoreContributions, weights: &workingWeights, writeWeights: writeWeights,
                score: &sums.featureScore, uSum: &sums.uSum) {
                // The fused kernel: η, u (W), the deviance and the score of the rows in one read of X.
                sums.deviance += d
            } else {
                design.linearPredictor(rows, featureCoefficients: featureCoefficients, intercept: intercept,
                                       offset: offset, into: &eta)
                sums.deviance += observations(rows, eta: eta, weights: writeWeights)
                if !sums.deviance.isFinite { return false }
                design.addTransposedProduct(rows, scoreContributions, featureScore: &sums.featureScore,
                                            uSum: &sums.uSum)
            }
            if !sums.deviance.isFinite { return false }
            if formingFisher { design.addWeightedGram(rows, weights: workingWeights, scale: 1, into: &gram) }
            return true
        }
        if sums.reduction != nil {
            // Every process sends its sums, a stopped pass +∞ for its deviance (so that all agree it failed).
            passBuffer[0] = finished && total.deviance.isFinite ? total.deviance : .infinity
            passBuffer[1] = total.uSum
            for j in 0..<design.featureCount { passBuffer[2 + j] = total.featureScore[j] }
            try sums.sum(&passBuffer)
            total.deviance = passBuffer[0]
            total.uSum = passBuffer[1]
            for j in 0..<design.featureCount { total.featureScore[j] = passBuffer[2 + j] }
        } else if !finished {
            return .infinity
        }
        if !total.deviance.isFinite { return .infinity }
        if formingFisher {
            gram.finish(into: &fisher)
            try completeFisher()
            fullFisherEvaluations += 1
            fisherEvaluations += 1
            products = .weightsAndFisher
        }
        design.assembleScore(uSum: total.uSum, featureScore: total.featureScore, into: &score)
        return total.deviance
    }

    /// score ← Xᵀu over all rows: Σᵢuᵢ for the intercept, gemv for the features. When `prepare` left the
    /// features unchecked, this first read of X also checks them (finite, |x| ≤ 1e150) and throws the error
    /// `prepare` would have thrown.
    /// On a distributed fit the features' check is collective (a process with a bad entry throws its
    /// error, the others `.otherProcessFailed`) and the score is summed over the processes.
    mutating func formScore() throws(GLMError) {
        var total = 0.0
        for i in 0..<n { total += scoreContributions[i] }
        let k = design.featureCount
        var scored = false
        if featureCheck == .pending {
            let bounded = ObservationKernels.scoreBounded(data.features, scoreContributions,
                                                          bound: GeneralizedLinearModel.featureBound, into: &featureScore)
                ?? data.features.allEntriesBounded(by: GeneralizedLinearModel.featureBound)
            let error = bounded ? nil : GeneralizedLinearModel.featureError(
                data.features, names: data.names, hasIntercept: data.hasIntercept, firstRow: data.rowOffset)
            try sums.agree(error)
            featureCheck = .done
            scored = k > 0 && ObservationKernels.available
        }
        if k > 0 && !scored { BLAS.gemv(data.features, transposed: true, scoreContributions, into: &featureScore) }
        if sums.reduction != nil {
            passBuffer[0] = 0
            passBuffer[1] = total
            for j in 0..<k { passBuffer[2 + j] = featureScore[j] }
            try sums.sum(&passBuffer)
            total = passBuffer[1]
            for j in 0..<k { featureScore[j] = passBuffer[2 + j] }
        }
        design.assembleScore(uSum: total, featureScore: featureScore, into: &score)
    }

    /// W at the current η for the fast-path models, whose passes skip it unless a Fisher matrix is
    /// formed from the same pass: logistic W = p·t/(1 + t)² with t = e^(−|η|), Poisson W = p·e^η.
    mutating func recomputeWorkingWeights() {
        let etaValues = eta, priorWeights = data.priorWeights
        var weights = [Double]()
        swap(&weights, &workingWeights)
        defer { swap(&weights, &workingWeights) }
        // The kernels: t·s² for the logistic, e^η times the prior weights for the Poisson.
        switch plan.observationKernel {
        case .logisticAVX512:
            if ObservationKernels.logisticWeights(eta: etaValues, priorWeights: priorWeights, into: &weights) { return }
        case .poissonAVX512:
            if ObservationKernels.exp(etaValues, into: &weights) {
                for i in 0..<n { weights[i] *= priorWeights[i] }
                return
            }
        case .scalar:
            break
        }
        let etaSpan = etaValues.span, prior = priorWeights.span
        var weight = weights.mutableSpan
        if isBinomial {
            for i in 0..<n { weight[i] = prior[i] * LogisticTerms(etaSpan[i]).variance }
        } else {
            for i in 0..<n { weight[i] = prior[i] * Double.exp(etaSpan[i]) }
        }
    }

    /// After the iteration, for the fast-path models (whose passes skip them): μ at the current η, and
    /// for the logistic log μ and log(1 − μ), for the statistics and the separation check.
    mutating func finishObservations() {
        finishedPearsonChi2 = nil
        guard loop != .general else { return }
        let etaValues = eta
        var meanValues = [Double](), logValues = [Double](), complementValues = [Double]()
        swap(&meanValues, &mu)
        swap(&logValues, &logMean)
        swap(&complementValues, &logComplement)
        defer {
            swap(&meanValues, &mu)
            swap(&logValues, &logMean)
            swap(&complementValues, &logComplement)
        }
        switch plan.observationKernel {
        case .logisticAVX512:
            if let pearson = ObservationKernels.logisticFinish(
                eta: etaValues, response: data.response, priorWeights: data.priorWeights, mean: &meanValues,
                logMean: &logValues, logComplement: &complementValues) {
                finishedPearsonChi2 = pearson
                return
            }
        case .poissonAVX512:
            if ObservationKernels.exp(etaValues, into: &meanValues) { return }
        case .scalar:
            break
        }
        let etaSpan = etaValues.span
        var means = meanValues.mutableSpan
        if isBinomial {
            var logs = logValues.mutableSpan, complementLogs = complementValues.mutableSpan
            for i in 0..<n {
                let terms = LogisticTerms(etaSpan[i])
                means[i] = terms.mean
                (logs[i], complementLogs[i]) = terms.logs
            }
        } else {
            for i in 0..<n { means[i] = Double.exp(etaSpan[i]) }
        }
    }

    /// V(μᵢ); for the binomial exp(log μ + log(1 − μ)), accurate near 0 and 1.
    @inline(__always)
    func varianceAt(_ i: Int) -> Double {
        isBinomial ? Double.exp(logMean[i] + logComplement[i]) : family.variance(mu[i])
    }

    /// For the observations `rows` at the linear predictor `eta`: μ (and the binomial logs), the working weights
    /// Wᵢ = pᵢ(dμᵢ/dη)²/V(μᵢ) and score contributions uᵢ = pᵢ(yᵢ − μᵢ)(dμᵢ/dη)/V(μᵢ); returns the
    /// deviance of these rows, or +∞ when some μᵢ leaves the mean space (then W, u are unspecified).
    /// The three most common canonical models have fused loops with one or two transcendental calls
    /// per observation; every other family/link pair goes through `GLMFamily` and `GLMLink`.
    ///
    /// The logistic and Poisson fast paths write only u during the iteration: W when `weights` (it is
    /// needed only to form a Fisher matrix; otherwise `formAndFactorFisher` recomputes it from η), and μ
    /// (with the logistic logs) once, after convergence (`finishObservations`).
    mutating func observations(_ rows: Range<Int>, eta: [Double], weights: Bool) -> Double {
        // Local, uniquely referenced arrays: element writes then compile to plain stores, without a
        // uniqueness check of a stored property per element.
        var mu = [Double](), logMean = [Double](), logComplement = [Double]()
        var workingWeights = [Double](), scoreContributions = [Double]()
        swap(&mu, &self.mu)
        swap(&logMean, &self.logMean)
        swap(&logComplement, &self.logComplement)
        swap(&workingWeights, &self.workingWeights)
        swap(&scoreContributions, &self.scoreContributions)
        defer {
            swap(&mu, &self.mu)
            swap(&logMean, &self.logMean)
            swap(&logComplement, &self.logComplement)
            swap(&workingWeights, &self.workingWeights)
            swap(&scoreContributions, &self.scoreContributions)
        }
        let response = data.response, priorWeights = data.priorWeights
        var deviance = 0.0
        switch (family, link) {
        case (.binomial, .logit):
            // t = e^(−|η|), s = 1/(1 + t): μ = s (η ≥ 0) or t·s (η < 0), μ(1 − μ) = t·s², and with
            // ℓ = log(1 + t): log μ = −ℓ, log(1 − μ) = −η − ℓ (η ≥ 0) or log μ = η − ℓ, log(1 − μ) = −ℓ
            // (η < 0). A 0/1 response at unit weight has deviance 2ℓ + 2·max(0, (1 − 2y)η); its ℓ are
            // summed as the log of their product (each factor 1 + t is in [1, 2], 512 of them stay far
            // from overflow; the product's rounding, ≤ 512 ulps, is ≈ 6e-14 absolute per block), one log
            // per 512 observations instead of one each. Other observations use ℓ itself. μ, log μ and
            // log(1 − μ) are stored after convergence (`finishObservations`).
            if plan.observationKernel == .logisticAVX512, let d = ObservationKernels.logistic(
                rows, eta: eta, response: response, priorWeights: priorWeights, u: &scoreContributions,
                weights: &workingWeights, writeWeights: weights) {
                deviance = d
                break
            }
            var product = 1.0, factors = 0, logSum = 0.0, linear = 0.0
            let etaSpan = eta.span, y = response.span, prior = priorWeights.span
            var u = scoreContributions.mutableSpan
            var weight = workingWeights.mutableSpan
            for i in rows {
                let e = etaSpan[i]
                let terms = LogisticTerms(e)
                guard terms.t > 0 else { return .infinity }  // |η| > 745 (or NaN): μ rounds to 0 or 1
                let w = prior[i], yi = y[i]
                if weights { weight[i] = w * terms.variance }
                u[i] = w * (yi - terms.mean)
                if w == 1 && (yi == 0 || yi == 1) {
                    product *= 1 + terms.t
                    factors += 1
                    if factors == 512 { logSum += Double.log(product); product = 1; factors = 0 }
                    linear += Swift.max(0, (1 - 2 * yi) * e)
                } else if w != 0 {
                    let (lm, lc) = terms.logs
                    deviance += w * binomialUnitDeviance(yi, logMean: lm, logComplement: lc)
                }
            }
            deviance += 2 * (logSum + Double.log(product) + linear)
        case (.poisson, .log):
            // log μ = η, so d(y, μ) = 2(y log y − yη − y + μ) with y log y computed once per fit.
            if plan.observationKernel == .poissonAVX512, let d = ObservationKernels.poisson(
                rows, eta: eta, response: response, priorWeights: priorWeights,
                responseLogResponse: responseLogResponse, u: &scoreContributions, weights: &workingWeights,
                writeWeights: weights) {
                deviance = d
                break
            }
            let etaSpan = eta.span, y = response.span, prior = priorWeights.span, yLogY = responseLogResponse.span
            var u = scoreContributions.mutableSpan
            var weight = workingWeights.mutableSpan
            for i in rows {
                let e = etaSpan[i]
                let m = Double.exp(e)
                guard m > 0 && m.isFinite else { return .infinity }
                let w = prior[i], yi = y[i]
                if w != 0 { deviance += 2 * w * (yLogY[i] - yi * e - yi + m) }
                if weights { weight[i] = w * m }
                u[i] = w * (yi - m)
            }
        case (.gaussian, .identity):
            for i in rows {
                let m = eta[i]
                guard m.isFinite else { return .infinity }
                mu[i] = m
                let w = data.priorWeights[i], r = data.response[i] - m
                deviance += w * r * r
                workingWeights[i] = w
                scoreContributions[i] = w * r
            }
        default:
            let binomial = isBinomial
            for i in rows {
                let e = eta[i]
                let m = link.mean(e)
                mu[i] = m
                let w = data.priorWeights[i]
                let v: Double
                if binomial {
                    let (lm, lc) = link.logMeanAndComplement(e, mean: m)
                    logMean[i] = lm
                    logComplement[i] = lc
                    // A probability that rounds to 0 or 1 is still a valid mean when its logs are finite
                    // (one of them is then 0: the probit beyond |η| ≈ 38).
                    guard lm.isFinite && lc.isFinite && lm <= 0 && lc <= 0 else { return .infinity }
                    let y = data.response[i]
                    if w != 0 { deviance += w * binomialUnitDeviance(y, logMean: lm, logComplement: lc) }
                    // In logarithms, with y − μ = y(1 − μ) − (1 − y)μ: W = p·(dμ/dη)²/(μ(1 − μ)) and
                    // u = p·[y·(dμ/dη)/μ − (1 − y)·(dμ/dη)/(1 − μ)] stay accurate where μ(1 − μ) or dμ/dη
                    // underflow (a misclassified observation far in the tail has u ≈ ∓|η| for the probit).
                    let logD = link.logMeanDerivative(e, mean: m, logMean: lm, logComplement: lc)
                    workingWeights[i] = w * Double.exp(2 * logD - lm - lc)
                    scoreContributions[i] = w * (y * Double.exp(logD - lm) - (1 - y) * Double.exp(logD - lc))
                    continue
                } else {
                    guard family.isValidMean(m) else { return .infinity }
                    if w != 0 { deviance += w * family.unitDeviance(data.response[i], m) }
                    v = family.variance(m)
                }
                let d = link.meanDerivative(e, mean: m)
                if v > 0 && v.isFinite && d.isFinite {
                    let r = d / v
                    workingWeights[i] = w * d * r
                    scoreContributions[i] = w * (data.response[i] - m) * r
                } else {
                    workingWeights[i] = 0
                    scoreContributions[i] = 0
                }
            }
        }
        return deviance.isFinite ? deviance : .infinity
    }
}

/// The logistic link at η, as the fast paths use it: t = e^(−|η|) and s = 1/(1 + t) give μ = s (η ≥ 0)
/// or t·s (η < 0) and μ(1 − μ) = t·s² without forming 1 − μ; with ℓ = log(1 + t), log μ = −ℓ and
/// log(1 − μ) = −η − ℓ (η ≥ 0), or log μ = η − ℓ and log(1 − μ) = −ℓ (η < 0).
struct LogisticTerms {
    let eta: Double
    /// e^(−|η|), in (0, 1] unless |η| > 745 (then 0: μ rounds to 0 or 1).
    let t: Double
    /// 1/(1 + t).
    let s: Double

    @inline(__always)
    init(_ eta: Double) {
        self.eta = eta
        t = Double.exp(-Swift.abs(eta))
        s = 1 / (1 + t)
    }

    @inline(__always) var mean: Double { eta >= 0 ? s : t * s }
    /// μ(1 − μ), the logistic variance and dμ/dη.
    @inline(__always) var variance: Double { t * s * s }

    /// (log μ, log(1 − μ)). ℓ = log of the rounded 1 + t (≤ 1.1e-16 absolute error, 2–4× faster than
    /// glibc's log1p), or t − t²/2 + t³/3 below t = 1e-5 (relative error < t³/4), so that ℓ > 0 whenever t > 0.
    @inline(__always) var logs: (Double, Double) {
        let l = t > 1e-5 ? Double.log(1 + t) : t * (1 - t * (0.5 - t * (1.0 / 3)))
        return eta >= 0 ? (-l, -eta - l) : (eta - l, -l)
    }
}
