import LinearAlgebra
import RealModule
import RowPasses

/// A GLM fitted by penalized IRLS: minimizes f(β) = D(β)/(2Σsᵢ) + λr‖β‖₁ + ½λ(1 − r)‖β‖₂² (glum's
/// objective; see `GLMPenalty`) over a `MixedDesign`.
///
/// Each iteration forms the quadratic model of D/(2Σs) at β — gradient g = −Xᵀu/Σs with
/// uᵢ = sᵢ(yᵢ − μᵢ)μ′ᵢ/V(μᵢ), and H = XᵀWX/Σs with Wᵢ the Fisher weight sᵢμ′ᵢ²/V(μᵢ), or for the log link
/// with V = μᵖ the exact second derivative of ½sᵢd(yᵢ, μᵢ) in ηᵢ (Newton's method, as glum does; see
/// `PenalizedObservationKernel`) — and minimizes it plus the penalty:
/// - smooth penalty (r = 0, ridge, or λ = 0): one Newton/Fisher step, (H + λ(1 − r)I′)d = −(g + λ(1 − r)β′)
///   by Cholesky (I′ and β′ restricted to the penalized coordinates);
/// - r > 0: `CoordinateDescent` on the model held in H (no pass over the rows).
/// The step b − β is then scaled by ½ until f decreases by at least 10⁻⁴ of the model's predicted decrease
/// (Tseng and Yun's rule). It stops when the optimality conditions hold to `tolerance`.
///
/// Rows enter only through two passes over fixed row blocks: an evaluation at β (η, D, Xᵀu) and the
/// Fisher matrix (`MixedGramAccumulator`) at the accepted β.
public struct PenalizedGeneralizedLinearModel: Sendable {
    /// The response distribution (unit deviance d(y, μ) in D(β)).
    public let family: GLMFamily
    /// The link g with g(μ) = η (the family's default link when none was given).
    public let link: GLMLink
    /// The penalty λr‖β‖₁ + ½λ(1 − r)‖β‖₂² added to D(β)/(2Σsᵢ).
    public let penalty: GLMPenalty

    /// Creates a penalized model of a family, a link (nil: the family's default) and a penalty.
    ///
    /// - Throws: `.invalidAlpha`, `.invalidTweediePower` (as `GeneralizedLinearModel`).
    public init(family: GLMFamily, link: GLMLink? = nil, penalty: GLMPenalty) throws(GLMError) {
        let model = try GeneralizedLinearModel(family: family, link: link)
        self.family = model.family
        self.link = model.link
        self.penalty = penalty
    }

    /// Fits the model.
    /// - Parameters:
    ///   - data: the design, response and optional weights, offset, exposure.
    ///   - start: starting coefficients (a warm start, p entries), or nil for the intercept at g(ȳ) and 0 elsewhere.
    ///   - options: iteration cap and tolerance.
    /// - Throws: the data errors of `PenalizedGLMData`; `.linearAlgebra` (a singular unpenalized system:
    ///   collinear columns with λ(1 − r) = 0); `.stepHalvingFailed`; `.didNotConverge` (unless disabled).
    public func fit(_ data: PenalizedGLMData, start: [Double]? = nil,
                    options: PenalizedFitOptions = PenalizedFitOptions()) throws(GLMError) -> PenalizedGLMFit {
        var solver = try PenalizedFisherScoringSolver(family: family, link: link, data: data)
        return try solver.fit(penalty: penalty, start: start, options: options)
    }
}

/// The state of a penalized fit that survives between λ values of a path: the prepared data and the
/// workspaces (η, u, W, the Gram accumulator, H).
struct PenalizedFisherScoringSolver {
    let family: GLMFamily
    let link: GLMLink
    let design: MixedDesign
    let response: [Double]
    let weights: [Double]
    let offset: [Double]?
    let weightSum: Double
    let partition: RowPartition
    let firstPenalized: Int
    /// The per-observation work, chosen once.
    let kernel: PenalizedObservationKernel
    /// The η-free part of the deviance (`PenalizedObservationKernel.devianceConstant`).
    let devianceConstant: Double
    /// A bound on the rounding error of the last evaluated deviance: 64ε·(|Σ sᵢc(yᵢ)| + |the η part|), the
    /// two parts of `.logPower`'s deviance cancelling near a good fit.
    var devianceRoundoff = 0.0
    var eta: [Double]
    var u: [Double]
    var workingWeights: [Double]
    var denseScratch: [Double]
    var gram: MixedGramAccumulator
    var hessian: Matrix
    /// The evaluation the workspaces (η, u, W) hold, left by the last fit: a fit that starts there (the next
    /// λ of a path) skips its first pass.
    var lastEvaluation: (coefficients: [Double], deviance: Double, gradient: [Double])? = nil

    /// The matrix of a fit's first quadratic model.
    enum FirstHessian {
        /// Formed at the start.
        case fresh
        /// The last one formed (by the previous fit of a path, at a nearby β): saves a pass; the line search
        /// guards the step, and later iterations form fresh ones.
        case previous
    }

    init(family: GLMFamily, link: GLMLink, data: PenalizedGLMData) throws(GLMError) {
        let (s, o, sum) = try data.prepared(for: family)
        self.family = family
        self.link = link
        design = data.design
        response = data.response
        weights = s
        offset = o
        weightSum = sum
        let n = design.rows
        partition = RowPartition(rows: n, blockRows: 4096, blocksPerGroup: 16)
        firstPenalized = design.hasIntercept ? 1 : 0
        kernel = PenalizedObservationKernel(family: family, link: link)
        devianceConstant = kernel.devianceConstant(response: data.response, weights: s)
        eta = [Double](repeating: 0, count: n)
        u = eta
        workingWeights = eta
        denseScratch = [Double](repeating: 0, count: design.denseCount)
        gram = MixedGramAccumulator(design: design)
        hessian = Matrix(rows: design.columns, columns: design.columns)
    }

    /// The default start: intercept g(Σsy/Σs) (with the log link and an offset, log(Σsy/Σs·eᵒ)), 0 elsewhere.
    func defaultStart() -> [Double] {
        var beta = [Double](repeating: 0, count: design.columns)
        guard design.hasIntercept else { return beta }
        var sy = 0.0, so = 0.0
        for i in 0..<design.rows {
            sy += weights[i] * response[i]
            so += weights[i] * (link == .log ? Double.exp(offset?[i] ?? 0) : 1)
        }
        var mean = sy / (link == .log ? so : weightSum)
        if case .binomial = family { mean = Swift.min(Swift.max(mean, 1e-6), 1 - 1e-6) }
        let start = link.link(mean)
        beta[0] = start.isFinite ? start : 0
        return beta
    }

    /// The evaluation pass at β: η, D(β), the gradient g = −Xᵀu/Σs of D/(2Σs), and the working weights W
    /// at β (for the Fisher pass that follows an accepted step). Returns nil when some μ leaves the mean
    /// space (an invalid step).
    mutating func evaluate(_ beta: [Double], gradient: inout [Double]) -> Double? {
        for j in gradient.indices { gradient[j] = 0 }
        var deviance = 0.0
        for b in 0..<partition.blockCount {
            let rows = partition.block(b)
            design.linearPredictor(rows, coefficients: beta, offset: offset, denseScratch: &denseScratch, into: &eta)
            var blockDeviance = 0.0
            switch kernel {
            case let .logPower(p):
                let response = self.response, weights = self.weights, eta = self.eta
                u.withUnsafeMutableBufferPointer { uu in
                    workingWeights.withUnsafeMutableBufferPointer { ww in
                        for i in rows {
                            let s = weights[i], e = eta[i], y = response[i]
                            let mu = Double.exp(e)
                            let a = p == 1 ? 1 : (p == 2 ? 1 / mu : Double.exp((1 - p) * e))
                            uu[i] = s * (y - mu) * a
                            ww[i] = p == 1 ? s * mu : s * a * ((2 - p) * mu + (p - 1) * y)
                            if p == 1 {
                                blockDeviance += s * (mu - y * e)
                            } else if p == 2 {
                                blockDeviance += s * (y / mu + e)
                            } else {
                                blockDeviance += s * (mu * a / (2 - p) - y * a / (1 - p))
                            }
                        }
                    }
                }
                blockDeviance *= 2
            case .general:
                for i in rows {
                    let s = weights[i]
                    let m = link.mean(eta[i])
                    guard family.isValidMean(m) else { return nil }
                    if s == 0 { u[i] = 0; workingWeights[i] = 0; continue }
                    let y = response[i], d = link.meanDerivative(eta[i], mean: m), v = family.variance(m)
                    blockDeviance += s * family.unitDeviance(y, m)
                    u[i] = s * (y - m) * d / v
                    workingWeights[i] = s * d * d / v
                }
            }
            deviance += blockDeviance
            design.addTransposedProduct(rows, u, denseScratch: &denseScratch, into: &gradient)
        }
        devianceRoundoff = 64 * Double.ulpOfOne * (Swift.abs(devianceConstant) + Swift.abs(deviance))
        deviance += devianceConstant
        guard deviance.isFinite, gradient.allSatisfy(\.isFinite) else { return nil }
        let scale = -1 / weightSum
        for j in gradient.indices { gradient[j] *= scale }
        return deviance
    }

    /// The Fisher pass at the W of the last evaluation: H ← XᵀWX/Σs.
    mutating func formHessian() {
        gram.begin()
        for b in 0..<partition.blockCount {
            gram.add(design, rows: partition.block(b), weights: workingWeights)
        }
        gram.finish(design, scale: 1 / weightSum, into: &hessian)
    }

    /// Minimizes f for `penalty` from `start` (see `PenalizedGeneralizedLinearModel`).
    mutating func fit(penalty: GLMPenalty, start: [Double]?, options: PenalizedFitOptions,
                      firstHessian: FirstHessian = .fresh) throws(GLMError) -> PenalizedGLMFit {
        let p = design.columns
        var beta = start ?? defaultStart()
        precondition(beta.count == p, "start has \(beta.count) coefficients, the design \(p)")
        var gradient = [Double](repeating: 0, count: p), trialGradient = gradient
        var q = gradient, candidate = gradient, trial = gradient
        var deviance: Double
        if let last = lastEvaluation, last.coefficients == beta {
            deviance = last.deviance
            gradient = last.gradient
        } else {
            guard let d = evaluate(beta, gradient: &gradient) else {
                throw .nonFiniteValue(variable: "linear predictor at the start", row: 0)
            }
            deviance = d
        }
        lastEvaluation = nil
        var objective = deviance / (2 * weightSum) + penalty.value(beta, firstPenalized: firstPenalized)
        var violation = penalty.optimalityViolation(gradient: gradient, coefficients: beta, firstPenalized: firstPenalized)
        var iterations = 0, sweeps = 0
        let cd = CoordinateDescent()
        while violation > options.tolerance && iterations < options.maximumIterations {
            iterations += 1
            if iterations > 1 || firstHessian == .fresh { formHessian() }
            candidate = beta
            if penalty.isSmooth {
                var system = hessian
                var rhs = gradient
                for j in 0..<p {
                    rhs[j] = -rhs[j]
                    if j >= firstPenalized {
                        system[j, j] += penalty.l2
                        rhs[j] -= penalty.l2 * beta[j]
                    }
                }
                do {
                    let factor = try Cholesky(system)
                    try factor.solve(&rhs)
                } catch {
                    throw .linearAlgebra(error)
                }
                for j in 0..<p { candidate[j] += rhs[j] }
            } else {
                let inner = Swift.max(0.1 * options.tolerance, 0.01 * violation)
                sweeps += cd.minimize(hessian: hessian, gradient: gradient, coefficients: &candidate,
                                      firstPenalized: firstPenalized, penalty: penalty, tolerance: inner, q: &q)
            }
            // Predicted decrease of the model: gᵀd + P(b) − P(β) (≤ 0 at the model's minimizer).
            var predicted = penalty.value(candidate, firstPenalized: firstPenalized)
                - penalty.value(beta, firstPenalized: firstPenalized)
            for j in 0..<p { predicted += gradient[j] * (candidate[j] - beta[j]) }
            var step = 1.0, accepted = false
            for _ in 0...options.maximumHalvings {
                for j in 0..<p { trial[j] = beta[j] + step * (candidate[j] - beta[j]) }
                if let d = evaluate(trial, gradient: &trialGradient) {
                    let f = d / (2 * weightSum) + penalty.value(trial, firstPenalized: firstPenalized)
                    // Accept a sufficient decrease, or an increase within the rounding error of f (near the
                    // minimum the decrease is below what the deviance sum resolves).
                    let roundoff = devianceRoundoff / (2 * weightSum) + 1e-15 * Swift.abs(objective)
                    if f <= objective + 1e-4 * step * Swift.min(predicted, 0) || f - objective <= roundoff {
                        beta = trial
                        swap(&gradient, &trialGradient)
                        deviance = d
                        objective = f
                        accepted = true
                        break
                    }
                }
                step *= 0.5
            }
            guard accepted else {
                _ = evaluate(beta, gradient: &gradient)  // restore η for a caller that continues
                throw .stepHalvingFailed(iteration: iterations, halvings: options.maximumHalvings)
            }
            violation = penalty.optimalityViolation(gradient: gradient, coefficients: beta, firstPenalized: firstPenalized)
        }
        lastEvaluation = (beta, deviance, gradient)
        let converged = violation <= options.tolerance
        if !converged && options.throwOnNonConvergence {
            throw .didNotConverge(iterations: iterations, lastRelativeDevianceChange: violation)
        }
        return PenalizedGLMFit(family: family, link: link, penalty: penalty, coefficientNames: design.coefficientNames,
                               coefficients: beta, deviance: deviance, objective: objective,
                               optimalityViolation: violation, iterations: iterations, coordinateSweeps: sweeps,
                               converged: converged, includesIntercept: design.hasIntercept)
    }
}
