import RowPasses
import RealModule

/// A generalized linear model: a response family and a link, fitted by Fisher scoring.
///
/// The model is g(E[y]) = η = Xβ + offset, Var y = φ V(μ)/p with prior weight p. Fisher scoring
/// is the natural gradient of the log-likelihood in β: the Fisher information is XᵀWX, built by a
/// weighted Gram product (syrk) and solved by Cholesky at each step (see `FisherScoringSolver`).
///
/// ```swift
/// let model = try GeneralizedLinearModel(family: .poisson)          // log link
/// let fit = try model.fit(GLMData(features: x, featureNames: ["age", "dose"], response: counts,
///                                 exposure: years))
/// print(fit.coefficients[1].estimate, fit.coefficients[1].standardError)
/// ```
public struct GeneralizedLinearModel: Sendable {
    public let family: GLMFamily
    public let link: GLMLink

    /// - Parameters:
    ///   - family: the response family.
    ///   - link: the link; nil for the family's default (canonical) link.
    /// - Throws: `.invalidAlpha` for a negative binomial α that is not finite and > 0,
    ///   `.invalidTweediePower` for a Tweedie power outside (1, 2).
    public init(family: GLMFamily, link: GLMLink? = nil) throws(GLMError) {
        if case let .negativeBinomial(alpha) = family, !(alpha > 0 && alpha.isFinite) { throw .invalidAlpha(alpha) }
        if case let .tweedie(power) = family, !(power > 1 && power < 2) { throw .invalidTweediePower(power) }
        self.family = family
        self.link = link ?? family.defaultLink
    }

    /// Fits the model by Fisher scoring.
    ///
    /// - Parameters:
    ///   - data: response, features and optional trials, weights, offset, exposure.
    ///   - covariance: the covariance the standard errors, z, p-values and intervals use (default the
    ///     model-based one; see `GLMCovarianceType`).
    ///   - level: the confidence level 1 − α of the coefficients' intervals, in (0, 1).
    ///   - options: iteration cap, tolerance, step halving, Fisher reuse.
    ///   - progress: called after every accepted step (on the calling thread).
    /// - Returns: coefficients with standard errors, z statistics and p-values, and fit statistics.
    /// - Throws: `GLMError`: `.noObservations`, `.noCoefficients`, `.nonFiniteValue`,
    ///   `.responseOutsideSupport`, `.invalidTrials`, `.negativeWeight`, `.nonPositiveExposure`,
    ///   `.degenerateResponse` (all counts 0, all binomial responses 0 or 1) (input checks, before any
    ///   arithmetic); `.collinearColumns` (rank-deficient design); `.separation`
    ///   (binomial data separated by the columns); `.stepHalvingFailed`; `.didNotConverge` (unless
    ///   `options.throwOnNonConvergence` is false); `.noResidualDegreesOfFreedom` (estimated
    ///   dispersion with Σw ≤ p); `.linearAlgebra`; `.invalidConfidenceLevel`, `.clusterGroupCount`,
    ///   `.tooFewClusters` (before any arithmetic). A fit never returns NaN coefficients.
    public func fit(_ data: GLMData, covariance: GLMCovarianceType = .nonrobust, level: Double = 0.95,
                    options: FisherScoringOptions = FisherScoringOptions(),
                    progress: ((FisherScoringProgress) -> Void)? = nil) throws(GLMError) -> GLMFit {
        guard level > 0 && level < 1 else { throw .invalidConfidenceLevel(level) }
        if case let .cluster(groups) = covariance {
            guard groups.count == data.count else { throw .clusterGroupCount(groups: groups.count, rows: data.count) }
            guard Set(groups).count >= 2 else { throw .tooFewClusters(Set(groups).count) }
        }
        let prepared = try prepare(data)
        var solver = FisherScoringSolver(family: family, link: link, data: prepared, options: options)
        let outcome = try solver.run(progress: progress)
        let isBinomial: Bool = { if case .binomial = family { return true }; return false }()
        if isBinomial {
            // Separated data converge in deviance while the coefficients run off: certify along the last
            // step whenever some fitted probability is within e⁻¹⁰ of 0 or 1. (The check uses the score
            // contributions u as scratch; η, μ, W, which the statistics need, are untouched.)
            var extreme = false
            for i in 0..<solver.n where prepared.priorWeights[i] > 0 {
                if solver.logMean[i] < -10 || solver.logComplement[i] < -10 { extreme = true; break }
            }
            if extreme || !outcome.converged, let separation = solver.detectSeparation(direction: solver.step) {
                throw separation
            }
        }
        if !outcome.converged && options.throwOnNonConvergence {
            throw .didNotConverge(iterations: outcome.iterations, lastRelativeDevianceChange: outcome.lastRelativeChange)
        }
        var inverseFisher = try solver.finalInverseFisher()
        // A feature whose spread is below 1e-3 of its mean (1 − Gⱼ₀²/(G₀₀Gⱼⱼ) < 1e-6 in G = XᵀWX) makes the
        // inverse of the uncentred G inaccurate: the covariance then comes from the centred columns.
        if prepared.hasIntercept {
            let g = solver.fisher
            let poorlyCentred = (1..<solver.p).contains { j in 1 - g[0, j] * g[0, j] / (g[0, 0] * g[j, j]) < 1e-6 }
            if poorlyCentred, let centred = centredInverseGram(prepared.features, weights: solver.workingWeights) {
                inverseFisher = centred
            }
        }
        return try summarize(prepared, solver: solver, outcome: outcome, inverseFisher: inverseFisher, options: options,
                             covarianceType: covariance, level: level)
    }

    // MARK: Input checks

    func prepare(_ data: GLMData) throws(GLMError) -> PreparedData {
        try data.validateShapes()
        let n = data.count
        let k = data.features.columns
        let p = k + (data.includeIntercept ? 1 : 0)
        if p == 0 { throw .noCoefficients }
        if n == 0 { throw .noObservations }
        let isBinomial: Bool = { if case .binomial = family { return true }; return false }()
        var response = data.response
        var trials = [Double](repeating: 1, count: n)
        let frequencyWeights = data.weights ?? [Double](repeating: 1, count: n)
        var offset = [Double](repeating: 0, count: n)
        for i in 0..<n where !response[i].isFinite { throw .nonFiniteValue(variable: "response", row: i) }
        if let w = data.weights {
            for i in 0..<n {
                if !w[i].isFinite { throw .nonFiniteValue(variable: "weights", row: i) }
                if w[i] < 0 { throw .negativeWeight(row: i, value: w[i]) }
            }
        }
        if let t = data.trials, isBinomial {
            for i in 0..<n {
                if !t[i].isFinite { throw .nonFiniteValue(variable: "trials", row: i) }
                let s = response[i]
                guard t[i] >= 1, t[i] == t[i].rounded(), s >= 0, s <= t[i], s == s.rounded() else {
                    throw .invalidTrials(row: i, successes: s, trials: t[i])
                }
                trials[i] = t[i]
                response[i] = s / t[i]
            }
        } else if isBinomial {
            for i in 0..<n where response[i] != 0 && response[i] != 1 {
                throw .responseOutsideSupport(row: i, value: response[i], family: family.name, requirement: "0 or 1 (or give the trials)")
            }
        }
        for i in 0..<n where !family.isInSupport(response[i]) {
            throw .responseOutsideSupport(row: i, value: data.response[i], family: family.name, requirement: family.supportDescription)
        }
        var hasOffset = false
        if let o = data.offset {
            for i in 0..<n {
                if !o[i].isFinite { throw .nonFiniteValue(variable: "offset", row: i) }
                offset[i] = o[i]
            }
            hasOffset = true
        }
        if let e = data.exposure {
            for i in 0..<n {
                if !e[i].isFinite { throw .nonFiniteValue(variable: "exposure", row: i) }
                if e[i] <= 0 { throw .nonPositiveExposure(row: i, value: e[i]) }
                offset[i] += Double.log(e[i])
            }
            hasOffset = true
        }
        // Squares of entries above 1e150 overflow in the Gram product (1e300 summed over up to 1e8 rows
        // stays finite); an overflowed XᵀWX would otherwise surface as a misleading rank-deficiency
        // error. One scan settles both checks in the common case; only a failure locates the entry.
        // With the AVX-512 kernels the scan is left to the solver's first read of X (the first score),
        // which does it on the way (`FisherScoringSolver.formScore`), before any other use of X.
        let checkFeatures = !ObservationKernels.available
        if checkFeatures && !data.features.allEntriesBounded(by: Self.featureBound),
           let error = Self.featureError(data.features, names: data.featureNames, hasIntercept: false) {
            throw error
        }
        var priorWeights = [Double](repeating: 0, count: n)
        var weightSum = 0.0
        for i in 0..<n {
            priorWeights[i] = frequencyWeights[i] * trials[i]
            weightSum += frequencyWeights[i]
        }
        if !(weightSum > 0) { throw .noObservations }
        // All responses on the boundary of the mean space: no finite maximum-likelihood estimate.
        var allZero = true, allOne = true
        for i in 0..<n where priorWeights[i] > 0 {
            if response[i] != 0 { allZero = false }
            if response[i] != 1 { allOne = false }
        }
        switch family {
        case .poisson, .negativeBinomial, .tweedie, .binomial:
            if allZero { throw .degenerateResponse(value: 0, family: family.name) }
            if isBinomial && allOne { throw .degenerateResponse(value: 1, family: family.name) }
        default: break
        }
        // The design [1 | features] is never formed: the solver adds the intercept column implicitly.
        return PreparedData(features: data.features, names: data.coefficientNames, response: response,
                            frequencyWeights: frequencyWeights, trials: trials, priorWeights: priorWeights,
                            offset: offset, hasOffset: hasOffset, hasIntercept: data.includeIntercept,
                            featureCheck: checkFeatures ? .done : .pending)
    }

    /// The largest feature magnitude accepted (see `prepare`).
    static let featureBound = 1e150

    /// The error for the first feature entry that is not finite, or else the first above `featureBound`
    /// in magnitude (column-major order); nil when there is none. `names` are the coefficient names,
    /// the intercept's first when `hasIntercept`.
    static func featureError(_ features: Matrix, names: [String], hasIntercept: Bool) -> GLMError? {
        let offset = hasIntercept ? 1 : 0
        if let (r, c) = features.firstNonFiniteEntry {
            return .nonFiniteValue(variable: names[c + offset], row: r)
        }
        let rows = features.rows
        if let k = features.elements.firstIndex(where: { Swift.abs($0) > featureBound }) {
            return .featureOutOfRange(column: names[k / rows + offset], row: k % rows, value: features.elements[k])
        }
        return nil
    }

    // MARK: Statistics

    func summarize(_ data: PreparedData, solver: FisherScoringSolver, outcome: ScoringOutcome,
                   inverseFisher: Matrix, options: FisherScoringOptions,
                   covarianceType: GLMCovarianceType, level: Double) throws(GLMError) -> GLMFit {
        let n = solver.n, p = solver.p
        let isBinomial: Bool = { if case .binomial = family { return true }; return false }()
        var weightedCount = 0.0, pearson = 0.0, squaredResiduals = 0.0, pearsonScale = 0.0
        if let finished = solver.finishedPearsonChi2 {
            pearson = finished
            for i in 0..<n { weightedCount += data.frequencyWeights[i] }
        } else {
            for i in 0..<n {
                weightedCount += data.frequencyWeights[i]
                let w = data.priorWeights[i]
                if w == 0 { continue }
                let y = data.response[i], r = y - solver.mu[i], v = solver.varianceAt(i)
                if r != 0 { pearson += w * r * r / v }
                squaredResiduals += w * r * r
                pearsonScale += w * y * y / v
            }
        }
        let residualDF = weightedCount - Double(p)
        var dispersion = 1.0
        // An exact fit (estimated dispersion, residuals below 1e-12 of the response: Pearson χ² ≤
        // 1e-24·Σ pᵢyᵢ²/V(μᵢ)): what is left is rounding, so the dispersion is 0, the standard errors 0
        // and the log-likelihood its limit +∞.
        let exactFit = family.estimatesDispersion && pearson <= 1e-24 * pearsonScale
        if family.estimatesDispersion {
            guard residualDF > 0 else { throw .noResidualDegreesOfFreedom(weightedObservations: weightedCount, coefficients: p) }
            dispersion = exactFit ? 0 : pearson / residualDF
        }
        // Log-likelihood (statsmodels conventions; see GLMFit).
        var likelihoodScale = dispersion
        if case .gaussian = family, link == .identity { likelihoodScale = squaredResiduals / weightedCount }
        var logLikelihood = exactFit || (family.estimatesDispersion && !(likelihoodScale > 0)) ? Double.infinity : 0.0
        var logFactorials = LogFactorialTable()
        for i in 0..<n where data.frequencyWeights[i] != 0 && logLikelihood.isFinite {
            let m = solver.mu[i], y = data.response[i]
            // With the log link, log μ is η itself (μ = e^η): no logarithm per observation.
            let lm = isBinomial ? solver.logMean[i] : (link == .log ? solver.eta[i] : Double.log(m))
            let lc = isBinomial ? solver.logComplement[i] : 0
            let term: Double
            // The two commonest cases in closed form (a Bernoulli trial; a Poisson count); the rest from the
            // ExponentialFamilies distributions.
            if isBinomial && data.trials[i] == 1 && (y == 0 || y == 1) {
                term = y == 1 ? lm : lc
            } else if case .poisson = family, let k = exactCount(y) {
                term = y * lm - m - logFactorials[k]
            } else {
                term = try family.logDensity(y, mean: m, logMean: lm, logComplement: lc,
                                             trials: data.trials[i], dispersion: likelihoodScale)
            }
            logLikelihood += data.frequencyWeights[i] * term
        }
        let aic = -2 * logLikelihood + 2 * Double(p)
        let nullDeviance = try self.nullDeviance(data, options: options, responseLogResponse: solver.responseLogResponse,
                                                partition: solver.plan.passPartition)
        var coefficients = [GLMCoefficient]()
        var covariance = dispersion * inverseFisher
        if covarianceType != .nonrobust {
            let rows = try FittedObservations(data, coefficients: outcome.coefficients, family: family, link: link)
            covariance = try sandwichCovariance(covarianceType, data: data, rows: rows, inverseFisher: inverseFisher)
        }
        let critical = standardNormalQuantile(0.5 + 0.5 * level)
        for j in 0..<p {
            let estimate = outcome.coefficients[j]
            let se = covariance[j, j].squareRoot()
            let z = estimate / se
            let pValue = Double.erfc(Swift.abs(z) * 0.707_106_781_186_547_524_40)
            coefficients.append(GLMCoefficient(name: data.names[j], estimate: estimate, standardError: se,
                                               statistic: z, pValue: pValue,
                                               lowerConfidenceBound: estimate - critical * se,
                                               upperConfidenceBound: estimate + critical * se))
        }
        var fit = GLMFit(family: family, link: link, observationCount: n, weightedObservationCount: weightedCount,
                      coefficients: coefficients, covariance: covariance, covarianceType: covarianceType.kind,
                      confidenceLevel: level, includesIntercept: data.hasIntercept, deviance: outcome.deviance,
                      nullDeviance: nullDeviance, pearsonChi2: pearson, logLikelihood: logLikelihood, aic: aic,
                      dispersion: dispersion, residualDegreesOfFreedom: residualDF, iterations: outcome.iterations,
                      converged: outcome.converged, fisherEvaluations: solver.fullFisherEvaluations,
                      subsampledFisherEvaluations: solver.fisherEvaluations - solver.fullFisherEvaluations,
                      fittedMeans: solver.mu, isExactFit: exactFit)
        fit.fisherReciprocalCondition = Self.reciprocalCondition(ofInverse: inverseFisher)
        return fit
    }

    /// 1/κ₂(F) = λ_min(F)/λ_max(F) from the eigenvalues of F⁻¹ (the same ratio, as μ_min/μ_max with
    /// μ = 1/λ): p³ flops, negligible next to the n·p² of one Fisher matrix. NaN if dsyevd fails.
    static func reciprocalCondition(ofInverse inverse: Matrix) -> Double {
        guard inverse.rows > 0 else { return 1 }
        guard let eigen = try? SymmetricEigendecomposition(inverse),
              let smallest = eigen.eigenvalues.min(), let largest = eigen.eigenvalues.max(), largest > 0 else { return .nan }
        return Swift.max(smallest, 0) / largest
    }

    /// The deviance of the intercept-only model with the same weights and offset (statsmodels'
    /// `null_deviance`): μ = the weighted mean response without an offset, else an intercept-only fit.
    /// `responseLogResponse` (y log y, when the solver has it) saves the Poisson deviance a logarithm per
    /// observation: d(y, m) = 2(y log y − y log m − y + m) with log m computed once. The sum Σᵢ pᵢd(yᵢ, μᵢ) is
    /// a pass over `partition` (`SerialRowExecutor`, `DevianceSum`).
    func nullDeviance(_ data: PreparedData, options: FisherScoringOptions, responseLogResponse: [Double] = [],
                      partition: RowPartition? = nil) throws(GLMError) -> Double {
        let n = data.response.count
        let partition = partition ?? RowPartition(rows: n, blockRows: 4096, blocksPerGroup: FisherScoringPlan.blocksPerGroup)
        var nullMeans = [Double]()  // per observation with an offset; one constant mean without
        var constantMean = 0.0
        if data.hasOffset {
            var intercept = data
            intercept.features = Matrix(rows: n, columns: 0)
            intercept.names = ["intercept"]
            intercept.hasIntercept = true
            var solver = FisherScoringSolver(family: family, link: link, data: intercept, options: options)
            _ = try solver.run(progress: nil)
            nullMeans = solver.mu
        } else {
            var sw = 0.0, swy = 0.0
            for i in 0..<n {
                sw += data.priorWeights[i]
                swy += data.priorWeights[i] * data.response[i]
            }
            constantMean = swy / sw
        }
        // One mean m for every observation (no offset): its logarithms once.
        let m = constantMean
        let logM = Double.log(m), logComplementM = Double.log(onePlus: -m)
        let family = self.family
        let poissonShortcut: Bool = { if case .poisson = family { return responseLogResponse.count == n }; return false }()
        let binomial: Bool = { if case .binomial = family { return true }; return false }()
        var total = DevianceSum(), scratch = DevianceSum()
        _ = SerialRowExecutor.run(partition, total: &total, scratch: &scratch) { rows, sum in
            if !data.hasOffset {
                if poissonShortcut {
                    for i in rows where data.priorWeights[i] != 0 {
                        let y = data.response[i]
                        sum.deviance += data.priorWeights[i] * 2 * (responseLogResponse[i] - y * logM - y + m)
                    }
                } else if binomial {
                    for i in rows where data.priorWeights[i] != 0 {
                        sum.deviance += data.priorWeights[i]
                            * binomialUnitDeviance(data.response[i], logMean: logM, logComplement: logComplementM)
                    }
                } else {
                    for i in rows where data.priorWeights[i] != 0 {
                        sum.deviance += data.priorWeights[i] * family.unitDeviance(data.response[i], m)
                    }
                }
                return true
            }
            var lm = 0.0, lc = 0.0, logsOf = Double.nan  // the binomial logs, recomputed only when μ changes
            for i in rows where data.priorWeights[i] != 0 {
                let mean = nullMeans[i]
                if binomial {
                    if mean != logsOf { lm = Double.log(mean); lc = Double.log(onePlus: -mean); logsOf = mean }
                    sum.deviance += data.priorWeights[i]
                        * binomialUnitDeviance(data.response[i], logMean: lm, logComplement: lc)
                } else {
                    sum.deviance += data.priorWeights[i] * family.unitDeviance(data.response[i], mean)
                }
            }
            return true
        }
        return total.deviance
    }
}
