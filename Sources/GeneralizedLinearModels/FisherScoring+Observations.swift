import LinearAlgebra
import RowPasses
import RealModule

// The per-observation work of Fisher scoring: one pass over the rows of X per evaluated β, in blocks
// that stay in cache, computing η, μ, the deviance, the working weights and the score together. The
// per-block work is `ObservationPass`; the passes run on the fit's `RowExecutor` (its groups on worker
// threads, merged in group order).

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
    ///
    /// On a distributed fit the pass's sums (and XᵀWX) are summed over the processes, so every process
    /// returns the same deviance and score.
    /// - Throws: `.reductionFailed` (only with a reduction).
    @discardableResult
    mutating func evaluate(_ coefficients: [Double], formingFisher: Bool = false) throws(GLMError) -> Double {
        let fastPath = loop != .general
        products = formingFisher || !fastPath ? .weights : .score
        let writeWeights = formingFisher || !fastPath
        let intercept = design.split(coefficients, features: &featureCoefficients)
        let model = plan.passModel
        let pass = rows, features = featureCoefficients
        var finished: Bool
        if formingFisher {
            let scratch = gramScratch, design = self.design
            finished = executor.run(plan.fisherPartition, total: &fisherTotal, slots: fisherSlots) { rows, sums, worker in
                guard pass.evaluate(rows, model: model, coefficients: features, intercept: intercept,
                                    writeWeights: true, into: &sums.score) else { return false }
                design.addWeightedGram(rows, weights: pass.workingWeights, scale: 1, into: &sums.gram,
                                       scratch: scratch[worker])
                return true
            }
            passSums.reset()
            passSums.merge(fisherTotal.score)
        } else {
            finished = executor.run(plan.passPartition, total: &passSums, slots: passSlots) { rows, sums in
                pass.evaluate(rows, model: model, coefficients: features, intercept: intercept,
                              writeWeights: writeWeights, into: &sums)
            }
        }
        if sums.reduction != nil {
            // Every process sends its sums, a stopped pass +∞ for its deviance (so that all agree it failed).
            passBuffer[0] = finished && passSums.deviance.isFinite ? passSums.deviance : .infinity
            passBuffer[1] = passSums.uSum
            for j in 0..<design.featureCount { passBuffer[2 + j] = passSums.featureScore[j] }
            try sums.sum(&passBuffer)
            passSums.deviance = passBuffer[0]
            passSums.uSum = passBuffer[1]
            for j in 0..<design.featureCount { passSums.featureScore[j] = passBuffer[2 + j] }
            finished = true
        }
        if !finished || !passSums.deviance.isFinite { return .infinity }
        if formingFisher {
            fisherTotal.gram.finish(into: &fisher)
            try completeFisher()
            fullFisherEvaluations += 1
            fisherEvaluations += 1
            products = .weightsAndFisher
        }
        design.assembleScore(uSum: passSums.uSum, featureScore: passSums.featureScore, into: &score)
        return passSums.deviance
    }

    /// score ← Xᵀu over all rows: Σᵢuᵢ for the intercept, Xᵀu for the features (a pass). When `prepare` left
    /// the features unchecked, this first read of X also checks them (finite, |x| ≤ 1e150) and throws the
    /// error `prepare` would have thrown.
    /// On a distributed fit the features' check is collective (a process with a bad entry throws its
    /// error, the others `.otherProcessFailed`) and the score is summed over the processes.
    mutating func formScore() throws(GLMError) {
        let check = featureCheck == .pending
        let pass = rows, design = self.design
        let bound = GeneralizedLinearModel.featureBound
        _ = executor.run(plan.passPartition, total: &scoreTotal, slots: scoreSlots) { rows, sums in
            sums.score.uSum += pass.scoreContributions.sum(rows)
            if design.featureCount == 0 { return true }
            if check, let bounded = ObservationKernels.scoreBounded(
                pass.data.features, rows: rows, pass.scoreContributions, bound: bound, into: &sums.blockScore) {
                if !bounded { sums.outOfBounds += 1 }
                for j in 0..<design.featureCount { sums.score.featureScore[j] += sums.blockScore[j] }
            } else {
                BLAS.gemvTransposed(pass.data.features, rows: rows, pass.scoreContributions, beta: 1,
                                    into: &sums.score.featureScore)
            }
            return true
        }
        if check {
            let bounded = scoreTotal.outOfBounds == 0 && (ObservationKernels.available
                || data.features.allEntriesBounded(by: GeneralizedLinearModel.featureBound))
            let error = bounded ? nil : GeneralizedLinearModel.featureError(
                data.features, names: data.names, hasIntercept: data.hasIntercept, firstRow: data.rowOffset)
            try sums.agree(error)
            featureCheck = .done
        }
        if sums.reduction != nil {
            passBuffer[0] = 0
            passBuffer[1] = scoreTotal.score.uSum
            for j in 0..<design.featureCount { passBuffer[2 + j] = scoreTotal.score.featureScore[j] }
            try sums.sum(&passBuffer)
            scoreTotal.score.uSum = passBuffer[1]
            for j in 0..<design.featureCount { scoreTotal.score.featureScore[j] = passBuffer[2 + j] }
        }
        design.assembleScore(uSum: scoreTotal.score.uSum, featureScore: scoreTotal.score.featureScore, into: &score)
    }

    /// After the iteration, for the fast-path models (whose passes skip them): μ at the current η, and
    /// for the logistic log μ and log(1 − μ), for the statistics and the separation check (a pass; the
    /// logistic kernel also sums the Pearson χ², `finishedPearsonChi2`).
    mutating func finishObservations() {
        finishedPearsonChi2 = nil
        guard loop != .general else { return }
        let pass = rows
        var total = PearsonSum()
        _ = executor.run(plan.passPartition, total: &total, slots: pearsonSlots) { rows, sum in
            if let pearson = pass.finish(rows) { sum.value += pearson } else { sum.declined += 1 }
            return true
        }
        if plan.observationKernel == .logisticAVX512 && total.declined == 0 { finishedPearsonChi2 = total.value }
    }

    /// V(μᵢ); for the binomial exp(log μ + log(1 − μ)), accurate near 0 and 1.
    @inline(__always)
    func varianceAt(_ i: Int) -> Double { rows.varianceAt(i) }
}

/// The Pearson χ² of the rows added (the logistic kernel's by-product of `finishObservations`), and the
/// blocks for which no kernel computed it.
struct PearsonSum: RowAccumulator {
    var value = 0.0
    var declined = 0
    mutating func reset() { value = 0; declined = 0 }
    mutating func merge(_ other: PearsonSum) { value += other.value; declined += other.declined }
}

/// The sums of the first score pass (`formScore`): Σu and Xᵀu, the blocks whose features were not all
/// finite and ≤ 1e150, and a k-vector of one block's score (scratch).
struct ScoreCheckSums: RowAccumulator {
    var score: ScorePassSums
    var outOfBounds = 0
    var blockScore: [Double]

    init(featureCount k: Int) {
        score = ScorePassSums(featureCount: k)
        blockScore = [Double](repeating: 0, count: Swift.max(1, k))
    }

    mutating func reset() { score.reset(); outOfBounds = 0 }
    mutating func merge(_ other: ScoreCheckSums) { score.merge(other.score); outOfBounds += other.outOfBounds }
}

/// The sums of a pass over the Fisher partition: an evaluation's (deviance, Σu, Xᵀu) and XᵀWX.
struct FisherPassSums: RowAccumulator {
    var score: ScorePassSums
    var gram: WeightedGramAccumulator

    mutating func reset() { score.reset(); gram.reset() }
    mutating func merge(_ other: FisherPassSums) { score.merge(other.score); gram.merge(other.gram) }
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
