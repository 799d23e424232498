import LinearAlgebra
import RowPasses
import RealModule

/// The per-row work of Fisher scoring over one row block, shared by the workers of a pass: what it reads
/// (the data, the design, y log y) is immutable, what it writes are the rows of the block in the per-row
/// workspaces (`RowBuffer`s: η, μ, log μ, log(1 − μ), W, u), so blocks run concurrently. Everything it
/// sums goes to the pass's accumulator. Built once per fit by the solver (`FisherScoringSolver.rows`).
struct ObservationPass: Sendable {
    let family: GLMFamily
    let link: GLMLink
    /// The plan's per-observation kernel.
    let kernel: FisherScoringPlan.ObservationKernel
    let data: PreparedData
    let design: DenseDesign
    /// yᵢ log yᵢ (0 at yᵢ = 0), for the Poisson deviance with the log link; empty otherwise.
    let responseLogResponse: [Double]
    let eta: RowBuffer
    let mu: RowBuffer
    /// log μ and log(1 − μ) (binomial; empty otherwise).
    let logMean: RowBuffer
    let logComplement: RowBuffer
    let workingWeights: RowBuffer
    let scoreContributions: RowBuffer

    var isBinomial: Bool { if case .binomial = family { return true }; return false }

    /// One block of an evaluation pass at β (features part `coefficients`, intercept β₀): η of the rows, then
    /// u (and W when `writeWeights`) and the sums: the deviance, Σu, Xᵀu (the fused kernel `model` for the
    /// logistic and Poisson models). Returns false when the deviance of the rows is not finite.
    @inline(__always)
    func evaluate(_ rows: Range<Int>, model: ObservationKernels.PassModel?, coefficients: [Double],
                  intercept: Double, writeWeights: Bool, into sums: inout ScorePassSums) -> Bool {
        let offset = data.hasOffset ? data.offset : nil
        if let model, let d = ObservationKernels.pass(
            model, rows, features: data.features, coefficients: coefficients, intercept: intercept, offset: offset,
            response: data.response, priorWeights: data.priorWeights, responseLogResponse: responseLogResponse,
            eta: eta, u: scoreContributions, weights: workingWeights, writeWeights: writeWeights,
            score: &sums.featureScore, uSum: &sums.uSum) {
            // The fused kernel: η, u (W), the deviance and the score of the rows in one read of X.
            sums.deviance += d
        } else {
            design.linearPredictor(rows, featureCoefficients: coefficients, intercept: intercept, offset: offset,
                                   into: eta)
            sums.deviance += observations(rows, weights: writeWeights)
            if !sums.deviance.isFinite { return false }
            design.addTransposedProduct(rows, scoreContributions, featureScore: &sums.featureScore, uSum: &sums.uSum)
        }
        return sums.deviance.isFinite
    }

    /// W of `rows` at the current η for the fast-path models, whose passes skip it unless a Fisher matrix
    /// is formed from the same pass: logistic W = p·t/(1 + t)² with t = e^(−|η|), Poisson W = p·e^η.
    @inline(__always)
    func recomputeWorkingWeights(_ rows: Range<Int>) {
        let priorWeights = data.priorWeights
        switch kernel {
        case .logisticAVX512:
            if ObservationKernels.logisticWeights(rows, eta: eta, priorWeights: priorWeights, into: workingWeights) {
                return
            }
        case .poissonAVX512:
            if ObservationKernels.exp(rows, eta, into: workingWeights) {
                for i in rows { workingWeights[i] *= priorWeights[i] }
                return
            }
        case .scalar:
            break
        }
        if isBinomial {
            for i in rows { workingWeights[i] = priorWeights[i] * LogisticTerms(eta[i]).variance }
        } else {
            for i in rows { workingWeights[i] = priorWeights[i] * Double.exp(eta[i]) }
        }
    }

    /// After the iteration, for the fast-path models (whose passes skip them): μ of `rows` at the current η,
    /// and for the logistic log μ and log(1 − μ). Returns the rows' Pearson χ² when the logistic kernel
    /// computed it along the way, else nil.
    @inline(__always)
    func finish(_ rows: Range<Int>) -> Double? {
        switch kernel {
        case .logisticAVX512:
            if let pearson = ObservationKernels.logisticFinish(
                rows, eta: eta, response: data.response, priorWeights: data.priorWeights, mean: mu,
                logMean: logMean, logComplement: logComplement) {
                return pearson
            }
        case .poissonAVX512:
            if ObservationKernels.exp(rows, eta, into: mu) { return nil }
        case .scalar:
            break
        }
        if isBinomial {
            for i in rows {
                let terms = LogisticTerms(eta[i])
                mu[i] = terms.mean
                (logMean[i], logComplement[i]) = terms.logs
            }
        } else {
            for i in rows { mu[i] = Double.exp(eta[i]) }
        }
        return nil
    }

    /// V(μᵢ); for the binomial exp(log μ + log(1 − μ)), accurate near 0 and 1.
    @inline(__always)
    func varianceAt(_ i: Int) -> Double {
        isBinomial ? Double.exp(logMean[i] + logComplement[i]) : family.variance(mu[i])
    }

    /// For the observations `rows` at the linear predictor η: μ (and the binomial logs), the working weights
    /// Wᵢ = pᵢ(dμᵢ/dη)²/V(μᵢ) and score contributions uᵢ = pᵢ(yᵢ − μᵢ)(dμᵢ/dη)/V(μᵢ); returns the
    /// deviance of these rows, or +∞ when some μᵢ leaves the mean space (then W, u are unspecified).
    /// The three most common canonical models have fused loops with one or two transcendental calls
    /// per observation; every other family/link pair goes through `GLMFamily` and `GLMLink`.
    ///
    /// The logistic and Poisson fast paths write only u during the iteration: W when `weights` (it is
    /// needed only to form a Fisher matrix; otherwise `recomputeWorkingWeights` recomputes it from η), and μ
    /// (with the logistic logs) once, after convergence (`finish`).
    func observations(_ rows: Range<Int>, weights: Bool) -> Double {
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
            if kernel == .logisticAVX512, let d = ObservationKernels.logistic(
                rows, eta: eta, response: response, priorWeights: priorWeights, u: scoreContributions,
                weights: workingWeights, writeWeights: weights) {
                deviance = d
                break
            }
            var product = 1.0, factors = 0, logSum = 0.0, linear = 0.0
            let etaSpan = eta, y = response, prior = priorWeights
            let u = scoreContributions
            let weight = workingWeights
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
            if kernel == .poissonAVX512, let d = ObservationKernels.poisson(
                rows, eta: eta, response: response, priorWeights: priorWeights,
                responseLogResponse: responseLogResponse, u: scoreContributions, weights: workingWeights,
                writeWeights: weights) {
                deviance = d
                break
            }
            let etaSpan = eta, y = response, prior = priorWeights, yLogY = responseLogResponse
            let u = scoreContributions
            let weight = workingWeights
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
