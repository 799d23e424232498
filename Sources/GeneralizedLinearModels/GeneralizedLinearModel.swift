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
    /// The response distribution (variance function V(μ), unit deviance d(y, μ)).
    public let family: GLMFamily
    /// The link g with g(μ) = η (the family's default link when none was given).
    public let link: GLMLink

    /// Creates a model of a family and a link.
    ///
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
    ///   - execution: the threads of this process (the passes over the rows run their row groups on that
    ///     many workers; the result is the same bits for any count; with more than one, OpenBLAS is set to
    ///     one thread for the duration of the fit, process-wide, and restored after) and, for a distributed
    ///     fit, the sum across processes
    ///     (`RowExecution.reduction`): `data` then holds this process's share of the rows (in the global
    ///     row order, after the rows of the processes before it), every sum over rows the fit makes goes
    ///     through the reduction, and every process returns the same coefficients, covariance and
    ///     statistics (n and the degrees of freedom count every process's rows); the per-row outputs
    ///     (fitted means) are this process's rows. Every process must call `fit` with the same model,
    ///     options and covariance type.
    ///   - progress: called after every accepted step (on the calling thread).
    /// - Returns: coefficients with standard errors, z statistics and p-values, and fit statistics.
    /// - Throws: `GLMError`: `.noObservations`, `.noCoefficients`, `.nonFiniteValue`,
    ///   `.responseOutsideSupport`, `.invalidTrials`, `.negativeWeight`, `.nonPositiveExposure`,
    ///   `.degenerateResponse` (all counts 0, all binomial responses 0 or 1) (input checks, before any
    ///   arithmetic); `.collinearColumns` (rank-deficient design); `.separation`
    ///   (binomial data separated by the columns); `.stepHalvingFailed`; `.didNotConverge` (unless
    ///   `options.throwOnNonConvergence` is false); `.noResidualDegreesOfFreedom` (estimated
    ///   dispersion with Σw ≤ p); `.linearAlgebra`; `.invalidConfidenceLevel`, `.clusterGroupCount`,
    ///   `.tooFewClusters` (before any arithmetic); `.invalidThreadCount` (`execution.threads` < 1);
    ///   `.covarianceNeedsAllRows` (a robust covariance with a reduction: HC* and cluster sandwiches need
    ///   every row); `.reductionFailed`, `.otherProcessFailed` (distributed fits: the communication failed,
    ///   or another process's rows were rejected). A fit never returns NaN coefficients.
    public func fit(_ data: GLMData, covariance: GLMCovarianceType = .nonrobust, level: Double = 0.95,
                    options: FisherScoringOptions = FisherScoringOptions(),
                    execution: RowExecution = RowExecution(),
                    progress: ((FisherScoringProgress) -> Void)? = nil) throws(GLMError) -> GLMFit {
        guard level > 0 && level < 1 else { throw .invalidConfidenceLevel(level) }
        guard execution.threads >= 1 else { throw .invalidThreadCount(execution.threads) }
        let sums = ProcessSums(reduction: execution.reduction)
        if sums.reduction != nil && covariance != .nonrobust {
            throw .covarianceNeedsAllRows(kind: covariance.kind.rawValue)
        }
        if case let .cluster(groups) = covariance {
            guard groups.count == data.count else { throw .clusterGroupCount(groups: groups.count, rows: data.count) }
            guard Set(groups).count >= 2 else { throw .tooFewClusters(Set(groups).count) }
        }
        let prepared = try prepare(data, sums: sums)
        // The workers of the passes run their own BLAS calls: OpenBLAS at one thread inside them (restored
        // after the fit).
        let blasThreads = BLASThreading.threadCount
        if execution.threads > 1 && blasThreads != 1 { BLASThreading.setThreadCount(1) }
        defer { if BLASThreading.threadCount != blasThreads { BLASThreading.setThreadCount(blasThreads) } }
        var solver = FisherScoringSolver(family: family, link: link, data: prepared, options: options, sums: sums,
                                         executor: RowExecutor(threads: execution.threads))
        let outcome = try solver.run(progress: progress)
        let isBinomial: Bool = { if case .binomial = family { return true }; return false }()
        if isBinomial {
            // Separated data converge in deviance while the coefficients run off: certify along the last
            // step whenever some fitted probability is within e⁻¹⁰ of 0 or 1. (The check uses the score
            // contributions u as scratch; η, μ, W, which the statistics need, are untouched.)
            var extreme = 0.0
            for i in 0..<solver.n where prepared.priorWeights[i] > 0 {
                if solver.logMean[i] < -10 || solver.logComplement[i] < -10 { extreme = 1; break }
            }
            extreme = try sums.sum(extreme)
            if extreme > 0 || !outcome.converged, let separation = solver.detectSeparation(direction: solver.step) {
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
            if poorlyCentred, let centred = try centredInverseGram(prepared.features, weights: solver.workingWeights.array,
                                                                   sums: sums) {
                inverseFisher = centred
            }
        }
        return try summarize(prepared, solver: solver, outcome: outcome, inverseFisher: inverseFisher, options: options,
                             covarianceType: covariance, level: level)
    }

    // MARK: Input checks

    /// Validates `data` (this process's rows of a distributed fit) and prepares the solver's view of it.
    /// With a reduction, the row counts are gathered first (so that errors name global rows: this process's
    /// rows follow those of the processes before it), a row error on any process stops every process (the
    /// others with `.otherProcessFailed`), and the weight and response checks are made on the sums over all
    /// processes.
    func prepare(_ data: GLMData, sums: ProcessSums = ProcessSums(reduction: nil)) throws(GLMError) -> PreparedData {
        try data.validateShapes()
        let k = data.features.columns
        let p = k + (data.includeIntercept ? 1 : 0)
        if p == 0 { throw .noCoefficients }
        var (totalRows, rowOffset) = (data.count, 0)
        if let reduction = sums.reduction {
            var counts = [Double](repeating: 0, count: reduction.processCount)
            counts[reduction.processIndex] = Double(data.count)
            try sums.sum(&counts)
            totalRows = Int(counts.reduce(0, +))
            rowOffset = Int(counts[..<reduction.processIndex].reduce(0, +))
        }
        if totalRows == 0 { throw .noObservations }
        var prepared: PreparedData?, failure: GLMError?
        do { prepared = try prepareRows(data, firstRow: rowOffset) } catch { failure = error }
        try sums.agree(failure)
        guard var prepared else { preconditionFailure("prepareRows returned no data and no error") }
        prepared.totalRows = totalRows
        prepared.rowOffset = rowOffset
        // Σ frequency weights, and the positive-weight rows whose response is not 0, not 1, not in {0, 1}.
        var tally = [0.0, 0, 0, 0]
        for i in 0..<data.count {
            tally[0] += prepared.frequencyWeights[i]
            guard prepared.priorWeights[i] > 0 else { continue }
            let y = prepared.response[i]
            if y != 0 { tally[1] += 1 }
            if y != 1 { tally[2] += 1 }
        }
        tally[3] = prepared.response.allSatisfy { $0 == 0 || $0 == 1 } ? 0 : 1
        try sums.sum(&tally)
        prepared.responsesAreBinary = tally[3] == 0
        if !(tally[0] > 0) { throw .noObservations }
        // All responses on the boundary of the mean space: no finite maximum-likelihood estimate.
        let isBinomial: Bool = { if case .binomial = family { return true }; return false }()
        switch family {
        case .poisson, .negativeBinomial, .tweedie, .binomial:
            if tally[1] == 0 { throw .degenerateResponse(value: 0, family: family.name) }
            if isBinomial && tally[2] == 0 { throw .degenerateResponse(value: 1, family: family.name) }
        default: break
        }
        return prepared
    }

    /// The row checks and the per-row vectors of `prepare` (`firstRow`: the global index of row 0, for the
    /// errors).
    func prepareRows(_ data: GLMData, firstRow: Int) throws(GLMError) -> PreparedData {
        let n = data.count
        let isBinomial: Bool = { if case .binomial = family { return true }; return false }()
        var response = data.response
        var trials = [Double](repeating: 1, count: n)
        let frequencyWeights = data.weights ?? [Double](repeating: 1, count: n)
        var offset = [Double](repeating: 0, count: n)
        for i in 0..<n where !response[i].isFinite { throw .nonFiniteValue(variable: "response", row: firstRow + i) }
        if let w = data.weights {
            for i in 0..<n {
                if !w[i].isFinite { throw .nonFiniteValue(variable: "weights", row: firstRow + i) }
                if w[i] < 0 { throw .negativeWeight(row: firstRow + i, value: w[i]) }
            }
        }
        if let t = data.trials, isBinomial {
            for i in 0..<n {
                if !t[i].isFinite { throw .nonFiniteValue(variable: "trials", row: firstRow + i) }
                let s = response[i]
                guard t[i] >= 1, t[i] == t[i].rounded(), s >= 0, s <= t[i], s == s.rounded() else {
                    throw .invalidTrials(row: firstRow + i, successes: s, trials: t[i])
                }
                trials[i] = t[i]
                response[i] = s / t[i]
            }
        } else if isBinomial {
            for i in 0..<n where response[i] != 0 && response[i] != 1 {
                throw .responseOutsideSupport(row: firstRow + i, value: response[i], family: family.name,
                                              requirement: "0 or 1 (or give the trials)")
            }
        }
        for i in 0..<n where !family.isInSupport(response[i]) {
            throw .responseOutsideSupport(row: firstRow + i, value: data.response[i], family: family.name,
                                          requirement: family.supportDescription)
        }
        var hasOffset = false
        if let o = data.offset {
            for i in 0..<n {
                if !o[i].isFinite { throw .nonFiniteValue(variable: "offset", row: firstRow + i) }
                offset[i] = o[i]
            }
            hasOffset = true
        }
        if let e = data.exposure {
            for i in 0..<n {
                if !e[i].isFinite { throw .nonFiniteValue(variable: "exposure", row: firstRow + i) }
                if e[i] <= 0 { throw .nonPositiveExposure(row: firstRow + i, value: e[i]) }
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
           let error = Self.featureError(data.features, names: data.featureNames, hasIntercept: false,
                                         firstRow: firstRow) {
            throw error
        }
        var priorWeights = [Double](repeating: 0, count: n)
        for i in 0..<n { priorWeights[i] = frequencyWeights[i] * trials[i] }
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
    static func featureError(_ features: Matrix, names: [String], hasIntercept: Bool,
                             firstRow: Int = 0) -> GLMError? {
        let offset = hasIntercept ? 1 : 0
        if let (r, c) = features.firstNonFiniteEntry {
            return .nonFiniteValue(variable: names[c + offset], row: firstRow + r)
        }
        let rows = features.rows
        if let k = features.elements.firstIndex(where: { Swift.abs($0) > featureBound }) {
            return .featureOutOfRange(column: names[k / rows + offset], row: firstRow + k % rows,
                                      value: features.elements[k])
        }
        return nil
    }

    // MARK: Statistics

    func summarize(_ data: PreparedData, solver: FisherScoringSolver, outcome: ScoringOutcome,
                   inverseFisher: Matrix, options: FisherScoringOptions,
                   covarianceType: GLMCovarianceType, level: Double) throws(GLMError) -> GLMFit {
        let p = solver.p
        let isBinomial: Bool = { if case .binomial = family { return true }; return false }()
        // Σ frequency weights and (unless the logistic kernel summed it) the Pearson χ² Σ p(y − μ)²/V(μ),
        // Σ p(y − μ)², Σ p y²/V(μ): a pass.
        let finished = solver.finishedPearsonChi2
        let pass = solver.rows, partition = solver.plan.passPartition
        var statistics = FitStatisticsSums()
        _ = solver.executor.run(partition, total: &statistics,
                                slots: GroupSlots(count: partition.groupCount) { FitStatisticsSums() }) { rows, sum in
            for i in rows { sum.weightedCount += data.frequencyWeights[i] }
            if finished != nil { return true }
            for i in rows {
                let w = data.priorWeights[i]
                if w == 0 { continue }
                let y = data.response[i], r = y - pass.mu[i], v = pass.varianceAt(i)
                if r != 0 { sum.pearson += w * r * r / v }
                sum.squaredResiduals += w * r * r
                sum.pearsonScale += w * y * y / v
            }
            return true
        }
        var weightedCount = statistics.weightedCount, pearson = finished ?? statistics.pearson
        var squaredResiduals = statistics.squaredResiduals, pearsonScale = statistics.pearsonScale
        let sums = solver.sums
        if sums.reduction != nil {
            var statistics = [weightedCount, pearson, squaredResiduals, pearsonScale]
            try sums.sum(&statistics)
            (weightedCount, pearson, squaredResiduals, pearsonScale) = (statistics[0], statistics[1], statistics[2],
                                                                        statistics[3])
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
        let infiniteLikelihood = exactFit || (family.estimatesDispersion && !(likelihoodScale > 0))
        var logLikelihood = infiniteLikelihood ? Double.infinity : 0.0
        if !infiniteLikelihood {
            // Σ fᵢ log p(yᵢ | μᵢ) over the rows with a frequency weight (a pass; a group stops at a term of
            // −∞, or at the first error of a distribution).
            let family = self.family, link = self.link, scale = likelihoodScale
            var total = LogLikelihoodSum()
            let slots = GroupSlots(count: partition.groupCount) { LogLikelihoodSum() }
            let complete = solver.executor.run(partition, total: &total, slots: slots) { rows, sum in
                for i in rows where data.frequencyWeights[i] != 0 && sum.value.isFinite {
                    let m = pass.mu[i], y = data.response[i]
                    // With the log link, log μ is η itself (μ = e^η): no logarithm per observation.
                    let lm = isBinomial ? pass.logMean[i] : (link == .log ? pass.eta[i] : Double.log(m))
                    let lc = isBinomial ? pass.logComplement[i] : 0
                    let term: Double
                    // The two commonest cases in closed form (a Bernoulli trial; a Poisson count); the rest
                    // from the ExponentialFamilies distributions.
                    if isBinomial && data.trials[i] == 1 && (y == 0 || y == 1) {
                        term = y == 1 ? lm : lc
                    } else if case .poisson = family, let k = exactCount(y) {
                        term = y * lm - m - sum.logFactorials[k]
                    } else {
                        do throws(GLMError) {
                            term = try family.logDensity(y, mean: m, logMean: lm, logComplement: lc,
                                                         trials: data.trials[i], dispersion: scale)
                        } catch {
                            sum.error = error
                            return false
                        }
                    }
                    sum.value += data.frequencyWeights[i] * term
                }
                return true
            }
            // A distribution's error on one process stops every process (collectively, before the sum).
            try sums.agree(complete ? nil : (0..<slots.count).lazy.compactMap({ slots[$0].error }).first)
            logLikelihood = try sums.sum(total.value)
        }
        let aic = -2 * logLikelihood + 2 * Double(p)
        let nullDeviance = try self.nullDeviance(data, options: options, responseLogResponse: solver.responseLogResponse,
                                                partition: solver.plan.passPartition, sums: sums,
                                                executor: solver.executor)
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
        var fit = GLMFit(family: family, link: link, observationCount: data.totalRows,
                         weightedObservationCount: weightedCount,
                      coefficients: coefficients, covariance: covariance, covarianceType: covarianceType.kind,
                      confidenceLevel: level, includesIntercept: data.hasIntercept, deviance: outcome.deviance,
                      nullDeviance: nullDeviance, pearsonChi2: pearson, logLikelihood: logLikelihood, aic: aic,
                      dispersion: dispersion, residualDegreesOfFreedom: residualDF, iterations: outcome.iterations,
                      converged: outcome.converged, fisherEvaluations: solver.fullFisherEvaluations,
                      subsampledFisherEvaluations: solver.fisherEvaluations - solver.fullFisherEvaluations,
                      fittedMeans: solver.mu.array, isExactFit: exactFit)
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
    /// a pass over `partition` (`SerialRowExecutor`, `DevianceSum`); on a distributed fit the means' sums, the
    /// intercept-only fit and the deviance are completed over the processes (`sums`).
    func nullDeviance(_ data: PreparedData, options: FisherScoringOptions, responseLogResponse: [Double] = [],
                      partition: RowPartition? = nil, sums: ProcessSums = ProcessSums(reduction: nil),
                      executor: RowExecutor = .serial) throws(GLMError) -> Double {
        let n = data.response.count
        let partition = partition ?? RowPartition(rows: n, blockRows: 4096, blocksPerGroup: FisherScoringPlan.blocksPerGroup)
        var nullMeans = [Double]()  // per observation with an offset; one constant mean without
        var constantMean = 0.0
        if data.hasOffset {
            var intercept = data
            intercept.features = Matrix(rows: n, columns: 0)
            intercept.names = ["intercept"]
            intercept.hasIntercept = true
            var solver = FisherScoringSolver(family: family, link: link, data: intercept, options: options, sums: sums,
                                             executor: executor)
            _ = try solver.run(progress: nil)
            nullMeans = solver.mu.array
        } else {
            var sw = 0.0, swy = 0.0
            for i in 0..<n {
                sw += data.priorWeights[i]
                swy += data.priorWeights[i] * data.response[i]
            }
            if sums.reduction != nil {
                var weighted = [sw, swy]
                try sums.sum(&weighted)
                (sw, swy) = (weighted[0], weighted[1])
            }
            constantMean = swy / sw
        }
        let nullMeanValues = nullMeans
        // One mean m for every observation (no offset): its logarithms once.
        let m = constantMean
        let logM = Double.log(m), logComplementM = Double.log(onePlus: -m)
        let family = self.family
        let poissonShortcut: Bool = { if case .poisson = family { return responseLogResponse.count == n }; return false }()
        let binomial: Bool = { if case .binomial = family { return true }; return false }()
        var total = DevianceSum()
        _ = executor.run(partition, total: &total,
                         slots: GroupSlots(count: partition.groupCount) { DevianceSum() }) { rows, sum in
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
                let mean = nullMeanValues[i]
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
        return try sums.sum(total.deviance)
    }
}

/// The sums of the statistics pass: Σ fᵢ, and Σ pᵢ(yᵢ − μᵢ)²/V(μᵢ), Σ pᵢ(yᵢ − μᵢ)², Σ pᵢyᵢ²/V(μᵢ).
struct FitStatisticsSums: RowAccumulator {
    var weightedCount = 0.0
    var pearson = 0.0
    var squaredResiduals = 0.0
    var pearsonScale = 0.0
    mutating func reset() { self = FitStatisticsSums() }
    mutating func merge(_ other: FitStatisticsSums) {
        weightedCount += other.weightedCount
        pearson += other.pearson
        squaredResiduals += other.squaredResiduals
        pearsonScale += other.pearsonScale
    }
}

/// Σ fᵢ log p(yᵢ | μᵢ) over the rows added, the group's table of log k! and the first error of a
/// distribution (which stops the pass).
struct LogLikelihoodSum: RowAccumulator {
    var value = 0.0
    var logFactorials = LogFactorialTable()
    var error: GLMError?
    mutating func reset() { value = 0; error = nil }
    mutating func merge(_ other: LogLikelihoodSum) { value += other.value }
}
