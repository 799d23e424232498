import Dispatch
import RealModule

/// Fisher scoring (Newton–IRLS with step halving) over a `RowBlockSource`, holding one block of rows at a
/// time: every evaluation of β is ONE pass over the blocks that computes, at β,
///   D(β) = Σᵢ pᵢ d(yᵢ, μᵢ),   U = Xᵀu (uᵢ = pᵢ(yᵢ − μᵢ)μ'ᵢ/V(μᵢ)),   F = XᵀWX (Wᵢ = pᵢμ'ᵢ²/V(μᵢ)),
/// and the Pearson sums, with μᵢ = g⁻¹(xᵢᵀβ + offsetᵢ); the step solves F δ = U by Cholesky. Nothing
/// per row survives a pass (no n-long array): memory is the block buffer, a few B-long scratch vectors
/// and p × p matrices.
///
/// The passes of a fit:
/// 1. `check`: the in-memory fit's input checks of the response, weights, trials, offset and exposure
///    (finite values, supports) with the source's row numbers, and n, Σwᵢ, Σpᵢyᵢ, Σpᵢ; it reads only those
///    vectors when the source can (`RowBlockSource.readResponses`);
/// 2. `start`: the features' check (finite, |x| ≤ 1e150: the in-memory fit checks them after the other
///    inputs too), and at the starting means μ₀ᵢ (`GLMFamily.startingMean`) D₀, U₀ = Xᵀ(W(η₀ − offset) + u)
///    and F₀, so β₁ = F₀⁻¹U₀ is the in-memory fit's first step; without an offset, the null deviance at ȳ;
/// 3. `evaluate(β)` per trial β: accepted when D does not rise (beyond 1e-11 rounding), else the step is
///    halved; an accepted trial's pass already holds U and F at it, so each iteration is one pass;
/// 4. `statistics` (families that estimate the dispersion): the log-likelihood at the final β, with the
///    dispersion from the last pass (the others sum it in the evaluation passes);
/// 5. with an offset, the null model (intercept and offset only) is fitted the same way, in passes that
///    ignore the features.
/// Convergence is the in-memory rule (`FisherScoringOptions`): |ΔD| ≤ tol·(|D| + 0.1) from the second
/// iteration on and the last step ≤ coefficientTolerance·max|β| (or its predicted remainder, or steps that
/// stopped shrinking). The covariance is φ·F⁻¹ with F from the final pass. Newton steps only: no chord
/// steps or subsampled Fisher matrices (each would save arithmetic, not the pass over the data, which is
/// what a file larger than memory costs).
struct StreamingFisherScoring<Source: RowBlockSource> {
    typealias Failure = StreamingFitError<Source.ReadError>

    /// The source, read one block ahead.
    var reader: BlockPrefetcher<Source>
    /// The lanes of the passes after the check pass: L = 2 copies of this solver's per-block state, lane l
    /// summing blocks l, l + L, l + 2L, …; the pass's sums are lane 0's plus lane 1's, in that order, so
    /// the result is the same bits whether the lanes run on one thread or two (`threads`). Empty for a
    /// source of one block (the pass then runs here).
    var lanes: [StreamingLane<Source>] = []
    /// Threads the lanes run on (1: one after the other).
    var threads = 1
    /// The coefficient names ("intercept" first when there is one), for messages.
    let names: [String]
    /// n of the source.
    let rowCount: Int
    let family: GLMFamily
    let link: GLMLink
    let options: FisherScoringOptions
    /// Whether the design has the implicit column of ones (always for the null model).
    var hasIntercept: Bool
    /// Whether the passes use the features (false for the null model with an offset).
    var usesFeatures: Bool
    /// k of the source.
    let sourceFeatureCount: Int
    let hasOffset: Bool
    var block: RowBlock
    /// B-long scratch: η, u, W, the GLM response y (a proportion for the binomial), prior weights p,
    /// frequency weights, the total offset (offset + log exposure), the trials.
    var eta, u, w, y, prior, frequency, totalOffset, trialCount: [Double]
    /// y log y of the block's rows (Poisson–log only, for the fused AVX-512 pass kernel).
    var responseLogResponses: [Double]
    /// Whether the evaluation passes use the fused AVX-512 Poisson kernel (η, u, W, the deviance and Xᵀu in
    /// one read of the block, as the in-memory fit's kernel does).
    let fusedPoisson: Bool
    var gram: WeightedGramAccumulator
    /// The p × p matrix of the last pass and the score U.
    var fisher: Matrix
    var score: [Double]
    var featureScore: [Double]
    var featureCoefficients: [Double]
    let emptyFeatures: Matrix
    var responseLogResponse = RepeatedValueCache()
    /// log k! of the Poisson log-likelihood.
    var logFactorials = LogFactorialTable()
    var fisherEvaluations = 0
    var passes = 0

    /// The sums of one pass.
    struct PassSums {
        var deviance = 0.0
        var uSum = 0.0
        var pearson = 0.0
        var squaredResiduals = 0.0
        var pearsonScale = 0.0
        var logLikelihood = 0.0
        var nullDeviance = 0.0

        /// self += other, field by field.
        mutating func add(_ other: PassSums) {
            deviance += other.deviance
            uSum += other.uSum
            pearson += other.pearson
            squaredResiduals += other.squaredResiduals
            pearsonScale += other.pearsonScale
            logLikelihood += other.logLikelihood
            nullDeviance += other.nullDeviance
        }
    }

    /// What the check pass found.
    struct Totals {
        var rows = 0
        var frequencySum = 0.0
        var priorSum = 0.0
        var priorResponseSum = 0.0
        var meanResponse: Double { priorResponseSum / priorSum }
    }

    enum Pass {
        /// At the starting means from ȳ.
        case start(meanResponse: Double)
        /// At β (p entries: the intercept first when there is one).
        case evaluate([Double])
        /// The log-likelihood at β with the given likelihood scale φ.
        case statistics([Double], scale: Double)
    }

    init(source: Source, family: GLMFamily, link: GLMLink, includeIntercept: Bool, options: FisherScoringOptions,
         threads: Int = 1) {
        rowCount = source.rowCount
        names = (includeIntercept ? ["intercept"] : []) + source.featureNames
        self.family = family
        self.link = link
        self.options = options
        hasIntercept = includeIntercept
        usesFeatures = true
        let k = source.featureNames.count
        sourceFeatureCount = k
        hasOffset = !source.columns.isDisjoint(with: [.offset, .exposure])
        let b = Swift.max(1, source.blockRows)
        block = RowBlock(capacity: b, featureCount: k, columns: source.columns)
        reader = BlockPrefetcher(source: source, capacity: b, featureCount: k)
        func scratch() -> [Double] { [Double](repeating: 0, count: b) }
        eta = scratch(); u = scratch(); w = scratch(); y = scratch()
        prior = scratch(); frequency = scratch(); totalOffset = scratch(); trialCount = scratch()
        let binomialFamily: Bool = { if case .binomial = family { return true }; return false }()
        if !source.columns.contains(.weights) && !(source.columns.contains(.trials) && binomialFamily) {
            // Unit weights and trials for every block (`load` then only copies the response).
            prior = [Double](repeating: 1, count: b)
            frequency = prior
            trialCount = prior
        }
        let poissonLog: Bool = { if case .poisson = family, link == .log { return true }; return false }()
        fusedPoisson = poissonLog && ObservationKernels.available && k > 0
        responseLogResponses = fusedPoisson ? scratch() : []
        let p = k + (includeIntercept ? 1 : 0)
        gram = Self.accumulator(featureCount: k, p: p)
        fisher = Matrix(rows: p, columns: p)
        score = [Double](repeating: 0, count: p)
        featureScore = [Double](repeating: 0, count: k)
        featureCoefficients = [Double](repeating: 0, count: k)
        emptyFeatures = Matrix(rows: b, columns: 0)
        self.threads = threads
        if source.rowCount > b {
            for _ in 0..<2 {
                var lane = self
                lane.lanes = []
                lane.reader = BlockPrefetcher(source: source, capacity: b, featureCount: k)
                lanes.append(StreamingLane(lane))
            }
        }
    }

    /// The Gram accumulator of the in-memory plan for k features (the fused AVX-512 kernel for 4 ≤ k ≤ 100
    /// where the processor has it, else copy-and-syrk over blocks of 131 072/p rows).
    static func accumulator(featureCount k: Int, p: Int) -> WeightedGramAccumulator {
        let kernel: FisherScoringPlan.GramKernel = ObservationKernels.available && (4...100).contains(k) ? .fusedAVX512 : .scaledCopySyrk
        return WeightedGramAccumulator(kernel: kernel, dimension: p, blockRows: Swift.max(1, 131_072 / Swift.max(1, p)))
    }

    /// k of the current model (0 for the null model).
    var k: Int { usesFeatures ? sourceFeatureCount : 0 }
    /// p of the current model.
    var p: Int { k + (hasIntercept ? 1 : 0) }
    var isBinomial: Bool { if case .binomial = family { return true }; return false }

    // MARK: Blocks

    /// The next block of the pass (`reader.begin()` starts a pass), or false at the end.
    mutating func nextBlock() throws(Failure) -> Bool {
        do { return try reader.next(into: &block) } catch { throw .source(error) }
    }

    /// Takes the next block of the pass and fills y, p, the frequency weights, the trials and the total
    /// offset of its rows (without checks: the check pass made them). Returns its row count, nil at the end.
    mutating func load() throws(Failure) -> Int? {
        guard try nextBlock() else { return nil }
        let m = block.count
        let weights = !block.weights.isEmpty, trials = !block.trials.isEmpty && isBinomial
        if !weights && !trials {
            // p = w = trials = 1 (set once, in `init`): y is the response.
            block.response.withUnsafeBufferPointer { r in
                y.withUnsafeMutableBufferPointer { out in for t in 0..<m { out[t] = r[t] } }
            }
        } else {
            try fillWeights(m, weights: weights, trials: trials)
        }
        if fusedPoisson {
            for t in 0..<m { responseLogResponses[t] = responseLogResponse.value(y[t]) { $0 > 0 ? $0 * Double.log($0) : 0 } }
        }
        if hasOffset {
            let offset = !block.offset.isEmpty, exposure = !block.exposure.isEmpty
            for t in 0..<m {
                var o = offset ? block.offset[t] : 0
                if exposure { o += Double.log(block.exposure[t]) }
                totalOffset[t] = o
            }
        }
        return m
    }

    /// Frequency weights, trials, prior weights and the GLM response (successes/trials) of the block's rows.
    mutating func fillWeights(_ m: Int, weights: Bool, trials: Bool) throws(Failure) {
        for t in 0..<m {
            let f = weights ? block.weights[t] : 1
            let c = trials ? block.trials[t] : 1
            frequency[t] = f
            trialCount[t] = c
            prior[t] = f * c
            y[t] = trials ? block.response[t] / c : block.response[t]
        }
    }

    /// The check pass: the in-memory fit's input checks but the features' (made by the start pass), row by
    /// row, and the totals.
    mutating func check(names: [String]) throws(Failure) -> Totals {
        var totals = Totals()
        var allZero = true, allOne = true
        reader.begin(responsesOnly: true)
        while try nextBlock() {
            for t in 0..<block.count {
                let row = block.rowNumbers[t]
                let response = block.response[t]
                guard response.isFinite else { throw .model(.nonFiniteValue(variable: "response", row: row)) }
                var f = 1.0, c = 1.0, yt = response
                if !block.weights.isEmpty {
                    f = block.weights[t]
                    guard f.isFinite else { throw .model(.nonFiniteValue(variable: "weights", row: row)) }
                    guard f >= 0 else { throw .model(.negativeWeight(row: row, value: f)) }
                }
                if isBinomial && !block.trials.isEmpty {
                    c = block.trials[t]
                    guard c.isFinite else { throw .model(.nonFiniteValue(variable: "trials", row: row)) }
                    guard c >= 1, c == c.rounded(), response >= 0, response <= c, response == response.rounded() else {
                        throw .model(.invalidTrials(row: row, successes: response, trials: c))
                    }
                    yt = response / c
                } else if isBinomial && response != 0 && response != 1 {
                    throw .model(.responseOutsideSupport(row: row, value: response, family: family.name,
                                                         requirement: "0 or 1 (or give the trials)"))
                }
                guard family.isInSupport(yt) else {
                    throw .model(.responseOutsideSupport(row: row, value: response, family: family.name,
                                                         requirement: family.supportDescription))
                }
                if !block.offset.isEmpty, !block.offset[t].isFinite { throw .model(.nonFiniteValue(variable: "offset", row: row)) }
                if !block.exposure.isEmpty {
                    let e = block.exposure[t]
                    guard e.isFinite else { throw .model(.nonFiniteValue(variable: "exposure", row: row)) }
                    guard e > 0 else { throw .model(.nonPositiveExposure(row: row, value: e)) }
                }
                let pw = f * c
                totals.frequencySum += f
                totals.priorSum += pw
                totals.priorResponseSum += pw * yt
                if pw > 0 {
                    if yt != 0 { allZero = false }
                    if yt != 1 { allOne = false }
                }
            }
            totals.rows += block.count
        }
        passes += 1
        if totals.rows == 0 || !(totals.frequencySum > 0) { throw .model(.noObservations) }
        switch family {
        case .poisson, .negativeBinomial, .binomial:
            if allZero { throw .model(.degenerateResponse(value: 0, family: family.name)) }
            if isBinomial && allOne { throw .model(.degenerateResponse(value: 1, family: family.name)) }
        default: break
        }
        return totals
    }

    /// One pass: the sums at the pass's point, and (for `start` and `evaluate`) U in `score` and F in
    /// `fisher` (the lanes' sums merged in lane order). Returns nil as soon as some μᵢ leaves the mean space
    /// or the deviance is not finite.
    mutating func run(_ pass: Pass) throws(Failure) -> PassSums? {
        let forming: Bool = { if case .statistics = pass { return false }; return true }()
        passes += 1
        if forming { fisherEvaluations += 1 }
        if lanes.isEmpty { return try runLane(pass, first: 0, stride: 1) }
        let count = lanes.count
        for lane in lanes {
            lane.solver.usesFeatures = usesFeatures
            lane.solver.hasIntercept = hasIntercept
        }
        let jobs = lanes.enumerated().map { l, lane in
            WorkerJob { lane.run(pass, first: l, stride: count) }
        }
        if threads >= 2 {
            DispatchQueue.concurrentPerform(iterations: jobs.count) { jobs[$0].body() }
        } else {
            for job in jobs { job.body() }
        }
        // The merge, in lane order.
        var total = PassSums()
        var valid = true
        let p = self.p
        if forming {
            if fisher.rows != p { fisher = Matrix(rows: p, columns: p) }
            for j in 0..<p { for i in 0..<p { fisher[i, j] = 0 } }
            score = [Double](repeating: 0, count: p)
        }
        // A failure: the one at the earliest row (the lanes' blocks interleave), else the first lane's.
        let failures = lanes.compactMap { lane -> Failure? in if case let .failure(e) = lane.result { return e }; return nil }
        if let first = failures.min(by: { (Self.row(of: $0) ?? .max) < (Self.row(of: $1) ?? .max) }) { throw first }
        for lane in lanes {
            switch lane.result {
            case let .failure(error): throw error
            case .success(nil): valid = false
            case let .success(sums?):
                total.add(sums)
                if forming {
                    for j in 0..<p { for i in 0..<p { fisher[i, j] += lane.solver.fisher[i, j] } }
                    for j in 0..<p { score[j] += lane.solver.score[j] }
                }
            }
        }
        return valid && total.deviance.isFinite ? total : nil
    }

    /// One pass over blocks `first`, `first + stride`, …: the sums at the pass's point, and (for `start` and
    /// `evaluate`) U in `score` and F in `fisher`. Returns nil as soon as some μᵢ leaves the mean space or
    /// the deviance is not finite.
    mutating func runLane(_ pass: Pass, first: Int, stride: Int) throws(Failure) -> PassSums? {
        var sums = PassSums()
        let forming: Bool
        var intercept = 0.0
        switch pass {
        case .start: forming = true
        case let .evaluate(beta):
            forming = true
            intercept = split(beta)
        case let .statistics(beta, _):
            forming = false
            intercept = split(beta)
        }
        if forming {
            gram = gram.dimension == p ? gram : Self.accumulator(featureCount: k, p: p)
            gram.begin()
            for j in 0..<k { featureScore[j] = 0 }
            if fisher.rows != p { fisher = Matrix(rows: p, columns: p) }
            if score.count != p { score = [Double](repeating: 0, count: p) }
        }
        var logFactorials = LogFactorialTable()
        let subRows = Swift.max(64, 32_768 / Swift.max(1, k))
        reader.begin(first: first, stride: stride)
        while let m = try load() {
            if case .start = pass, usesFeatures { try checkFeatures(m) }
            let design = DenseDesign(features: usesFeatures ? block.features : emptyFeatures, hasIntercept: hasIntercept)
            var a = 0
            while a < m {
                let rows = a..<Swift.min(m, a + subRows)
                a = rows.upperBound
                switch pass {
                case let .start(meanResponse):
                    var linkCache = RepeatedValueCache()
                    let link = self.link, family = self.family
                    for t in rows {
                        let mu0 = family.startingMean(y[t], meanResponse: meanResponse, trials: trialCount[t])
                        eta[t] = linkCache.value(mu0) { link.link($0) }
                    }
                    guard observe(rows, into: &sums, logLikelihood: false) else { return nil }
                    for t in rows { u[t] += w[t] * (eta[t] - (hasOffset ? totalOffset[t] : 0)) }
                    if !hasOffset {
                        // The null deviance: μ = ȳ for every row.
                        let logM = Double.log(meanResponse), logC = Double.log(onePlus: -meanResponse)
                        for t in rows where prior[t] != 0 {
                            sums.nullDeviance += prior[t] * (isBinomial
                                ? binomialUnitDeviance(y[t], logMean: logM, logComplement: logC)
                                : family.unitDeviance(y[t], meanResponse))
                        }
                    }
                case .evaluate where fusedPoisson && usesFeatures:
                    // The fused kernel adds the rows' Xᵀu itself; W = p·μ gives the Pearson and log-likelihood sums.
                    guard let d = ObservationKernels.pass(
                        .poisson, rows, features: block.features, coefficients: featureCoefficients, intercept: intercept,
                        offset: hasOffset ? totalOffset : nil, response: y, priorWeights: prior,
                        responseLogResponse: responseLogResponses, eta: &eta, u: &u, weights: &w, writeWeights: true,
                        score: &featureScore, uSum: &sums.uSum), d.isFinite else { return nil }
                    sums.deviance += d
                    poissonStatistics(rows, into: &sums)
                    addGram(rows, design: design)
                    continue
                case .evaluate:
                    design.linearPredictor(rows, featureCoefficients: featureCoefficients, intercept: intercept,
                                           offset: hasOffset ? totalOffset : nil, into: &eta)
                    guard observe(rows, into: &sums, logLikelihood: foldsLogLikelihood) else { return nil }
                    if foldsLogLikelihood && !isPoissonLog {
                        do { try addLogLikelihood(rows, scale: 1, table: &logFactorials, into: &sums) } catch {
                            throw .model(error)
                        }
                    }
                case let .statistics(_, scale):
                    design.linearPredictor(rows, featureCoefficients: featureCoefficients, intercept: intercept,
                                           offset: hasOffset ? totalOffset : nil, into: &eta)
                    do { try addLogLikelihood(rows, scale: scale, table: &logFactorials, into: &sums) } catch {
                        throw .model(error)
                    }
                }
                if forming {
                    design.addTransposedProduct(rows, u, featureScore: &featureScore, uSum: &sums.uSum)
                    addGram(rows, design: design)
                }
            }
        }
        if forming {
            gram.finish(into: &fisher)
            if hasIntercept { score[0] = sums.uSum }
            let first = hasIntercept ? 1 : 0
            for j in 0..<k { score[first + j] = featureScore[j] }
        }
        return sums.deviance.isFinite ? sums : nil
    }

    /// The in-memory fit's feature check on the block's m rows, column by column: finite, |x| ≤ 1e150
    /// (squares above 1e300 would overflow XᵀWX).
    func checkFeatures(_ m: Int) throws(Failure) {
        let first = hasIntercept ? 1 : 0
        let capacity = block.capacity
        for j in 0..<sourceFeatureCount {
            let bad: Int? = block.features.elements.withUnsafeBufferPointer { x in
                for t in 0..<m where !(Swift.abs(x[j * capacity + t]) <= GeneralizedLinearModel.featureBound) { return t }
                return nil
            }
            guard let t = bad else { continue }
            let x = block.features.elements[j * capacity + t]
            let name = names[first + j]
            if !x.isFinite { throw .model(.nonFiniteValue(variable: name, row: block.rowNumbers[t])) }
            throw .model(.featureOutOfRange(column: name, row: block.rowNumbers[t], value: x))
        }
    }

    /// F += Σ_{rows} Wᵢxᵢxᵢᵀ (in pieces that fit the copy-and-syrk kernel's free rows).
    mutating func addGram(_ rows: Range<Int>, design: DenseDesign) {
        var remaining = rows
        while !remaining.isEmpty {
            let take = Swift.min(remaining.count, gram.kernel == .fusedAVX512 ? remaining.count : gram.blockRows - gram.filled)
            design.addWeightedGram(remaining.lowerBound..<(remaining.lowerBound + take), weights: w, scale: 1, into: &gram)
            remaining = (remaining.lowerBound + take)..<remaining.upperBound
        }
    }

    /// The Pearson sums and the log-likelihood Σ wᵢ(yᵢηᵢ − μᵢ − log yᵢ!) of Poisson rows after the fused kernel,
    /// with μᵢ = Wᵢ/pᵢ (W = p·e^η) and η as it wrote them.
    mutating func poissonStatistics(_ rows: Range<Int>, into sums: inout PassSums) {
        for t in rows where prior[t] != 0 {
            let pw = prior[t], yt = y[t], m = w[t] / pw, r = yt - m
            if r != 0 { sums.pearson += pw * r * r / m }
            sums.squaredResiduals += pw * r * r
            sums.pearsonScale += pw * yt * yt / m
            if frequency[t] != 0 {
                let logFactorial = exactCount(yt).map { logFactorials[$0] } ?? Double.logGamma(yt + 1)
                sums.logLikelihood += frequency[t] * (yt * eta[t] - m - logFactorial)
            }
        }
    }

    /// The source row an error names, if it names one.
    static func row(of failure: Failure) -> Int? {
        switch failure {
        case let .model(.nonFiniteValue(_, row)), let .model(.featureOutOfRange(_, row, _)): return row
        default: return nil
        }
    }

    /// β₀ (0 without an intercept); the feature part of β into `featureCoefficients`.
    mutating func split(_ beta: [Double]) -> Double {
        let first = hasIntercept ? 1 : 0
        for j in 0..<k { featureCoefficients[j] = beta[first + j] }
        return hasIntercept ? beta[0] : 0
    }

    /// Whether the evaluation passes also sum the log-likelihood (the families with a fixed dispersion,
    /// whose log-likelihood does not wait for the Pearson χ² of the final pass: no statistics pass).
    var foldsLogLikelihood: Bool { !family.estimatesDispersion }
    var isPoissonLog: Bool { if case .poisson = family, link == .log { return true }; return false }

    /// At η of `rows`: the deviance and Pearson sums, u and W, and for the Poisson–log model with
    /// `logLikelihood` the log-likelihood Σ wᵢ(yᵢηᵢ − μᵢ − log yᵢ!). False when some μ is outside the mean space.
    mutating func observe(_ rows: Range<Int>, into sums: inout PassSums, logLikelihood: Bool) -> Bool {
        let family = self.family, link = self.link
        switch (family, link) {
        case (.poisson, .log):
            for t in rows {
                let e = eta[t], m = Double.exp(e)
                guard m > 0 && m.isFinite else { return false }
                let pw = prior[t], yt = y[t]
                let r = yt - m
                if logLikelihood && frequency[t] != 0 {
                    let logFactorial = exactCount(yt).map { logFactorials[$0] } ?? Double.logGamma(yt + 1)
                    sums.logLikelihood += frequency[t] * (yt * e - m - logFactorial)
                }
                if pw != 0 {
                    let yLogY = responseLogResponse.value(yt) { $0 > 0 ? $0 * Double.log($0) : 0 }
                    sums.deviance += 2 * pw * (yLogY - yt * e - yt + m)
                    if r != 0 { sums.pearson += pw * r * r / m }
                    sums.squaredResiduals += pw * r * r
                    sums.pearsonScale += pw * yt * yt / m
                }
                w[t] = pw * m
                u[t] = pw * r
            }
        default:
            let binomial = isBinomial
            for t in rows {
                let e = eta[t], m = link.mean(e), pw = prior[t], yt = y[t]
                if binomial {
                    let (lm, lc) = link.logMeanAndComplement(e, mean: m)
                    guard lm.isFinite && lc.isFinite && lm <= 0 && lc <= 0 else { return false }
                    let v = Double.exp(lm + lc)
                    if pw != 0 {
                        sums.deviance += pw * binomialUnitDeviance(yt, logMean: lm, logComplement: lc)
                        let r = yt - m
                        if r != 0 { sums.pearson += pw * r * r / v }
                        sums.squaredResiduals += pw * r * r
                        sums.pearsonScale += pw * yt * yt / v
                    }
                    // In logarithms (see `FisherScoringSolver.observations`).
                    let logD = link.logMeanDerivative(e, mean: m, logMean: lm, logComplement: lc)
                    w[t] = pw * Double.exp(2 * logD - lm - lc)
                    u[t] = pw * (yt * Double.exp(logD - lm) - (1 - yt) * Double.exp(logD - lc))
                    continue
                }
                guard family.isValidMean(m) else { return false }
                let v = family.variance(m)
                if pw != 0 {
                    sums.deviance += pw * family.unitDeviance(yt, m)
                    let r = yt - m
                    if r != 0 { sums.pearson += pw * r * r / v }
                    sums.squaredResiduals += pw * r * r
                    sums.pearsonScale += pw * yt * yt / v
                }
                let d = link.meanDerivative(e, mean: m)
                if v > 0 && v.isFinite && d.isFinite {
                    let q = d / v
                    w[t] = pw * d * q
                    u[t] = pw * (yt - m) * q
                } else {
                    w[t] = 0
                    u[t] = 0
                }
            }
        }
        return sums.deviance.isFinite
    }

    /// Σ wᵢ log p(yᵢ | μᵢ, φ) over `rows` (statsmodels' conventions, as `GeneralizedLinearModel.summarize`).
    func addLogLikelihood(_ rows: Range<Int>, scale: Double, table: inout LogFactorialTable,
                          into sums: inout PassSums) throws(GLMError) {
        let binomial = isBinomial
        for t in rows where frequency[t] != 0 {
            let e = eta[t], m = link.mean(e), yt = y[t]
            var lm = 0.0, lc = 0.0
            if binomial { (lm, lc) = link.logMeanAndComplement(e, mean: m) } else { lm = link == .log ? e : Double.log(m) }
            let term: Double
            if binomial && trialCount[t] == 1 && (yt == 0 || yt == 1) {
                term = yt == 1 ? lm : lc
            } else if case .poisson = family, let c = exactCount(yt) {
                term = yt * lm - m - table[c]
            } else {
                term = try family.logDensity(yt, mean: m, logMean: lm, logComplement: lc, trials: trialCount[t], dispersion: scale)
            }
            sums.logLikelihood += frequency[t] * term
        }
    }

    // MARK: The iteration

    /// The outcome of `iterate`.
    struct Outcome {
        var coefficients: [Double]
        var deviance: Double
        var sums: PassSums
        var startSums: PassSums
        var iterations: Int
        var converged: Bool
        var lastRelativeChange: Double
    }

    /// Newton–IRLS from the starting means to convergence (see the type's documentation); `fisher` then
    /// holds F at the returned coefficients.
    mutating func iterate(totals: Totals, names: [String],
                          progress: ((FisherScoringProgress) -> Void)?) throws(Failure) -> Outcome {
        let p = self.p
        let meanResponse = totals.meanResponse
        guard let startSums = try run(.start(meanResponse: meanResponse)) else {
            throw .model(.stepHalvingFailed(iteration: 0, halvings: 0))
        }
        var deviance = startSums.deviance
        var cholesky = try factor(names: names, first: true)
        var beta = score
        do { try cholesky.solve(&beta) } catch { throw .model(.linearAlgebra(error)) }
        var accepted = try run(.evaluate(beta))
        var halvings = 0, previousHalvings = 0
        if accepted == nil {
            // Halve towards the intercept-only start (intercept g(ȳ), slopes 0).
            var target = [Double](repeating: 0, count: p)
            if hasIntercept { target[0] = link.link(meanResponse) }
            while accepted == nil {
                halvings += 1
                if halvings > options.maximumStepHalvings { throw .model(.stepHalvingFailed(iteration: 1, halvings: halvings - 1)) }
                for j in 0..<p { beta[j] = 0.5 * (beta[j] + target[j]) }
                accepted = try run(.evaluate(beta))
            }
        }
        var sums = accepted!
        var step = beta
        var change = Swift.abs(sums.deviance - deviance) / (Swift.abs(sums.deviance) + 0.1)
        deviance = sums.deviance
        var iteration = 1
        progress?(FisherScoringProgress(iteration: 1, deviance: deviance, relativeDevianceChange: change,
                                        formedFisherMatrix: true, stepHalvings: halvings))
        let constant: Bool = { if case .gaussian = family, link == .identity { return true }; return false }()
        var converged = false
        var stepSize = GLMStreamingMath.maxMagnitude(step), previousStepSize = Double.infinity
        var trial = [Double](repeating: 0, count: p)
        while true {
            if (constant && iteration >= 2) || (change <= options.relativeTolerance && iteration >= 2) {
                let rate = stepSize / previousStepSize
                let predictedError = rate <= 0.25 && halvings == 0 && previousHalvings == 0
                    ? 2 * rate / (1 - rate) * stepSize : Double.infinity
                let bound = options.coefficientTolerance * GLMStreamingMath.maxMagnitude(beta)
                if stepSize <= bound || predictedError <= bound || stepSize >= previousStepSize {
                    converged = true
                    break
                }
            }
            if iteration >= options.maximumIterations { break }
            previousHalvings = halvings
            cholesky = try factor(names: names, first: false)
            step = score
            do { try cholesky.solve(&step) } catch { throw .model(.linearAlgebra(error)) }
            halvings = 0
            var trialSums: PassSums
            while true {
                for j in 0..<p { trial[j] = beta[j] + step[j] }
                let result = try run(.evaluate(trial))
                if let result, result.deviance <= deviance + 1e-11 * (Swift.abs(deviance) + 1) || constant {
                    trialSums = result
                    break
                }
                halvings += 1
                if halvings > options.maximumStepHalvings {
                    throw .model(.stepHalvingFailed(iteration: iteration + 1, halvings: halvings - 1))
                }
                for j in 0..<p { step[j] *= 0.5 }
            }
            beta = trial
            sums = trialSums
            previousStepSize = stepSize
            stepSize = GLMStreamingMath.maxMagnitude(step)
            change = Swift.abs(sums.deviance - deviance) / (Swift.abs(sums.deviance) + 0.1)
            deviance = sums.deviance
            iteration += 1
            progress?(FisherScoringProgress(iteration: iteration, deviance: deviance, relativeDevianceChange: change,
                                            formedFisherMatrix: true, stepHalvings: halvings))
        }
        return Outcome(coefficients: beta, deviance: deviance, sums: sums, startSums: startSums, iterations: iteration,
                       converged: converged, lastRelativeChange: change)
    }

    /// The Cholesky factor of `fisher`; the first time, the collinearity check of the in-memory fit on
    /// the Gram matrix (with an intercept, on its Schur complement, the centred Gram matrix of the features).
    func factor(names: [String], first: Bool) throws(Failure) -> Cholesky {
        if first, let (column, involved) = firstDependentColumn(fisher) {
            if hasIntercept && k > 0 {
                var centred = Matrix(rows: k, columns: k)
                let g00 = fisher[0, 0]
                for a in 0..<k { for b in 0..<k { centred[a, b] = fisher[a + 1, b + 1] - fisher[a + 1, 0] * fisher[b + 1, 0] / g00 } }
                if let (c, inv) = firstDependentColumn(centred) {
                    throw .model(.collinearColumns(column: names[c + 1], involved: inv.map { names[$0 + 1] }))
                }
            } else {
                throw .model(.collinearColumns(column: names[column], involved: involved.map { names[$0] }))
            }
        }
        do {
            return try Cholesky(fisher)
        } catch {
            if case let .notPositiveDefinite(minor, _, _) = error, minor >= 1, minor <= p {
                throw .model(.collinearColumns(column: names[minor - 1], involved: []))
            }
            throw .model(.linearAlgebra(error))
        }
    }
}

/// Small helpers of the streaming fit.
enum GLMStreamingMath {
    /// maxⱼ |vⱼ|.
    static func maxMagnitude(_ v: [Double]) -> Double {
        var m = 0.0
        for x in v { m = Swift.max(m, Swift.abs(x)) }
        return m
    }
}

/// One lane of a streaming pass: a copy of the solver's per-block state (block buffers, scratch vectors,
/// Gram accumulator, its own read-ahead) and the result of its last pass. Touched by one thread at a time
/// (the worker of its lane during a pass, the solver between passes).
final class StreamingLane<Source: RowBlockSource>: @unchecked Sendable {
    var solver: StreamingFisherScoring<Source>
    var result: Result<StreamingFisherScoring<Source>.PassSums?, StreamingFitError<Source.ReadError>> = .success(nil)

    init(_ solver: StreamingFisherScoring<Source>) {
        self.solver = solver
    }

    /// `result` ← the lane's pass over blocks `first`, `first + stride`, ….
    func run(_ pass: StreamingFisherScoring<Source>.Pass, first: Int, stride: Int) {
        do throws(StreamingFitError<Source.ReadError>) {
            result = .success(try solver.runLane(pass, first: first, stride: stride))
        } catch {
            result = .failure(error)
        }
    }
}
