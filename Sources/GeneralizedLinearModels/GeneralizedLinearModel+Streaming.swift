import RealModule
import RowPasses

extension GeneralizedLinearModel {
    /// Fits the model by Fisher scoring over a `RowBlockSource`, one block of rows in memory at a time (a
    /// file larger than memory fits in the memory of one block): every iteration is one pass over the
    /// source computing the deviance, Xᵀu and XᵀWX at β (see `StreamingFisherScoring`).
    ///
    /// The result is the in-memory fit's (`fit(_:covariance:level:options:progress:)` on the same rows)
    /// to the convergence tolerance: the same input checks and errors, starting point, first step,
    /// convergence rule, statistics and statsmodels conventions (`GLMFit`), with these differences:
    /// - `fittedMeans` is empty (no n-long array is kept);
    /// - the covariance is the model-based φ·(XᵀWX)⁻¹ (`nonrobust`); the sandwich estimators need per-row
    ///   leverages and are in-memory only;
    /// - every step is a full Newton step (`fisherEvaluations` counts the passes that formed XᵀWX); the
    ///   binomial separation certificate is not computed (separated data end in `.didNotConverge` or
    ///   `.stepHalvingFailed`); the covariance is not recomputed from centred features when a feature's
    ///   spread is tiny against its mean;
    /// - passes: one for the checks, one at the starting means (with the null deviance when there is no
    ///   offset), one per iteration (more when a step is halved; for the families with a fixed dispersion
    ///   they also sum the log-likelihood), one for the log-likelihood of the families that estimate the
    ///   dispersion, and with an offset or exposure the null model's iterations. Each block is read while
    ///   the one before it is computed on (`BlockPrefetcher`), without changing the result.
    ///
    /// - Parameters:
    ///   - source: the rows (features, response, optional weights, trials, offset, exposure).
    ///   - includeIntercept: whether the design gets a leading column of ones (default true).
    ///   - level: the confidence level 1 − α of the intervals, in (0, 1).
    ///   - options: iteration cap, tolerances, step halving (the chord, subsampling and acceleration
    ///     options do not apply).
    ///   - threads: threads of the passes (nil: the machine's active processors). The blocks are summed in
    ///     two lanes (even and odd blocks) merged in order, whatever the thread count, so 1, 2 or 7 threads
    ///     give the same bits; more than 2 are not used. Fewer than 1 is a programmer error (precondition).
    ///   - progress: called after every accepted step.
    /// - Throws: `StreamingFitError.source` for a read error; `.model` with the in-memory fit's `GLMError`
    ///   cases (rows are the source's 0-based row numbers): the input checks, `.collinearColumns`,
    ///   `.stepHalvingFailed`, `.didNotConverge`, `.noResidualDegreesOfFreedom`, `.invalidConfidenceLevel`,
    ///   `.noCoefficients`, `.noObservations`, `.linearAlgebra`.
    public func fit<Source: RowBlockSource>(streaming source: Source, includeIntercept: Bool = true, level: Double = 0.95,
                                            options: FisherScoringOptions = FisherScoringOptions(),
                                            threads: Int? = nil,
                                            progress: ((FisherScoringProgress) -> Void)? = nil)
        throws(StreamingFitError<Source.ReadError>) -> GLMFit {
        guard level > 0 && level < 1 else { throw .model(.invalidConfidenceLevel(level)) }
        let names = (includeIntercept ? ["intercept"] : []) + source.featureNames
        if names.isEmpty { throw .model(.noCoefficients) }
        let workers = threads ?? RowExecution().threads
        precondition(workers >= 1, "fit(streaming:): threads must be ≥ 1, got \(workers)")
        var solver = StreamingFisherScoring(source: source, family: family, link: link, includeIntercept: includeIntercept,
                                            options: options, threads: workers)
        let totals = try solver.check(names: names)
        let outcome = try solver.iterate(totals: totals, names: names, progress: progress)
        if !outcome.converged && options.throwOnNonConvergence {
            throw .model(.didNotConverge(iterations: outcome.iterations, lastRelativeDevianceChange: outcome.lastRelativeChange))
        }
        let p = names.count
        let inverseFisher: Matrix
        do { inverseFisher = try Cholesky(solver.fisher).inverse() } catch { throw .model(.linearAlgebra(error)) }
        let fisherEvaluations = solver.fisherEvaluations
        // Statistics (statsmodels' conventions; see GLMFit and `summarize`).
        let sums = outcome.sums
        let weightedCount = totals.frequencySum
        let pearson = sums.pearson
        let residualDF = weightedCount - Double(p)
        var dispersion = 1.0
        let exactFit = family.estimatesDispersion && pearson <= 1e-24 * sums.pearsonScale
        if family.estimatesDispersion {
            guard residualDF > 0 else {
                throw .model(.noResidualDegreesOfFreedom(weightedObservations: weightedCount, coefficients: p))
            }
            dispersion = exactFit ? 0 : pearson / residualDF
        }
        var likelihoodScale = dispersion
        if case .gaussian = family, link == .identity { likelihoodScale = sums.squaredResiduals / weightedCount }
        var logLikelihood = Double.infinity
        if solver.foldsLogLikelihood {
            logLikelihood = sums.logLikelihood
        } else if !(exactFit || (family.estimatesDispersion && !(likelihoodScale > 0))) {
            guard let statistics = try solver.run(.statistics(outcome.coefficients, scale: likelihoodScale)) else {
                throw .model(.stepHalvingFailed(iteration: outcome.iterations, halvings: 0))
            }
            logLikelihood = statistics.logLikelihood
        }
        let aic = -2 * logLikelihood + 2 * Double(p)
        var nullDeviance = outcome.startSums.nullDeviance
        if solver.hasOffset {
            // The intercept-only model with the same offset, by the same iteration over the blocks.
            var null = solver
            null.usesFeatures = false
            null.hasIntercept = true
            null.fisher = Matrix(rows: 1, columns: 1)
            null.score = [0]
            let outcome = try null.iterate(totals: totals, names: ["intercept"], progress: nil)
            nullDeviance = outcome.deviance
        }
        let covariance = dispersion * inverseFisher
        let critical = standardNormalQuantile(0.5 + 0.5 * level)
        var coefficients = [GLMCoefficient]()
        for j in 0..<p {
            let estimate = outcome.coefficients[j]
            let se = covariance[j, j].squareRoot()
            let z = estimate / se
            let pValue = Double.erfc(Swift.abs(z) * 0.707_106_781_186_547_524_40)
            coefficients.append(GLMCoefficient(name: names[j], estimate: estimate, standardError: se, statistic: z,
                                               pValue: pValue, lowerConfidenceBound: estimate - critical * se,
                                               upperConfidenceBound: estimate + critical * se))
        }
        var fit = GLMFit(family: family, link: link, observationCount: totals.rows, weightedObservationCount: weightedCount,
                         coefficients: coefficients, covariance: covariance, covarianceType: .nonrobust,
                         confidenceLevel: level, includesIntercept: includeIntercept, deviance: outcome.deviance,
                         nullDeviance: nullDeviance, pearsonChi2: pearson, logLikelihood: logLikelihood, aic: aic,
                         dispersion: dispersion, residualDegreesOfFreedom: residualDF, iterations: outcome.iterations,
                         converged: outcome.converged, fisherEvaluations: fisherEvaluations,
                         subsampledFisherEvaluations: 0, fittedMeans: [], isExactFit: exactFit)
        fit.fisherReciprocalCondition = Self.reciprocalCondition(ofInverse: inverseFisher)
        return fit
    }
}
