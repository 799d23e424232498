import LinearAlgebra
import RealModule

/// The targets of one Bayesian-learning-rule step (the one-step API's workspace).
struct FullCovarianceWorkspace {
    /// The target precision αI − E[∇²ℓ] = αI + Xᵀdiag(−E[ℓ″])X.
    var targetPrecision: Matrix
    /// The target E[∇ℓ] − E[∇²ℓ]m = Xᵀ(E[ℓ′] − E[ℓ″]∘(Xm)).
    var targetShift: [Double]
    var scratch: [Double]
    /// L⁻¹ (d × d), for tr Σ = ‖L⁻¹‖²_F.
    var inverseFactor: Matrix

    init(n: Int, d: Int) {
        targetPrecision = Matrix(rows: d, columns: d)
        targetShift = [Double](repeating: 0, count: d)
        scratch = targetShift
        inverseFactor = Matrix(rows: d, columns: d)
    }

    /// targetPrecision ← αI + Σwᵢxᵢxᵢᵀ, targetShift ← Σrᵢxᵢ from a learning-rule pass (copied in place).
    mutating func takeTargets(from total: FullPassSums, priorPrecision alpha: Double) {
        for k in targetPrecision.elements.indices { targetPrecision.elements[k] = total.gram.elements[k] }
        targetPrecision.addToDiagonal(alpha)
        for j in targetShift.indices { targetShift[j] = total.shift[j] }
    }
}

/// A full-covariance iterate held in place: m, S and S = LLᵀ, with its ELBO and rounding slack.
struct FullIterate {
    var mean: [Double]
    var precision: Matrix
    var cholesky: Cholesky
    var elbo = 0.0
    var slack = 0.0
}

extension BayesianGLM {
    /// The ELBO of a full-covariance Gaussian q (see ``BayesianGLM`` for the formula).
    /// - Throws: `.invalidParameter` / `.unsupportedExpectation` for a bad `expectation`,
    ///   `.linearAlgebra` if a triangular solve overflows, `.reduction`.
    /// - Precondition: q.dimension == d.
    public func elbo(_ q: FullGaussianPosterior, expectation: ExpectationMethod = .standard) throws(VariationalInferenceError) -> Double {
        precondition(q.dimension == dimension, "ELBO of a \(q.dimension)-dimensional posterior for a model with d = \(dimension)")
        let rule = try ExpectationRule(expectation, model: observation)
        let ws = takeFullWorkspace()
        defer { workspaces.give(ws) }
        var buffers = FullCovarianceWorkspace(n: observationCount, d: dimension)
        return try evaluate(mean: q.mean, cholesky: q.cholesky, rule: rule, sums: .value, workspace: ws, buffers: &buffers).elbo
    }

    /// One Bayesian-learning-rule step with a fixed ρ and no step control (for tests and studies):
    ///
    ///     S′ = (1 − ρ)S + ρ(αI − E_q[∇²ℓ]),   S′m′ = (1 − ρ)Sm + ρ(E_q[∇ℓ] − E_q[∇²ℓ]m).
    ///
    /// With ρ = 1 this is the fixed-point map whose fixed points are the stationary points of the ELBO.
    /// - Throws: `.linearAlgebra(.notPositiveDefinite…)` if S′ is not positive definite; the errors of
    ///   ``elbo(_:expectation:)-(FullGaussianPosterior,_)``.
    public func learningRuleStep(from q: FullGaussianPosterior, stepSize rho: Double,
                                 expectation: ExpectationMethod = .standard) throws(VariationalInferenceError) -> FullGaussianPosterior {
        precondition(q.dimension == dimension, "step from a \(q.dimension)-dimensional posterior for a model with d = \(dimension)")
        guard rho > 0 && rho <= 1 else { throw .invalidParameter(name: "step size", value: rho, requirement: "in (0, 1]") }
        let rule = try ExpectationRule(expectation, model: observation)
        let ws = takeFullWorkspace()
        defer { workspaces.give(ws) }
        var buffers = FullCovarianceWorkspace(n: observationCount, d: dimension)
        _ = try evaluate(mean: q.mean, cholesky: q.cholesky, rule: rule, sums: .learningRule, workspace: ws, buffers: &buffers)
        buffers.takeTargets(from: ws.total, priorPrecision: priorPrecision)
        do { return try blend(q, rho: rho, workspace: &buffers) } catch { throw .linearAlgebra(error) }
    }

    /// Fits a full-covariance Gaussian by the Bayesian learning rule with ELBO-based step control
    /// (see ``VariationalOptions``).
    ///
    /// Each iteration is one pass over the rows (per block: the triangular solve L⁻¹X_bᵀ, the
    /// one-dimensional expectations, the block's XᵀWX and Xᵀr: nd² in all), one Cholesky factorization
    /// (d³/3) and the trace tr Σ = ‖L⁻¹‖²_F (d³/3); no inverse is formed. Rejected trial points cost one
    /// more pass each. The pass workspaces are the model's, reused across calls. After 50 plain steps
    /// (slow linear convergence) each iteration first tries the Anderson extrapolation of the map
    /// θ = (Sm, vech S) ↦ targets (`options.acceleration` past pairs), as the mean-field fit does.
    /// - Parameters:
    ///   - options: step control, stopping rule and expectation method.
    ///   - initial: the starting posterior; default ``curvatureInformedStart()`` (αI + XᵀD₀X, not the
    ///     prior, whose predictive variances ‖xᵢ‖²/α overflow E[eᵃ] for unscaled features). Pass
    ///     `FullGaussianPosterior.prior(dimension:precision:)` to start from the prior.
    /// - Throws: `.invalidParameter` for bad options; if the ELBO at the start is not finite,
    ///   `.nonFiniteExpectedLogLikelihood` naming the first observation whose expectation is not finite,
    ///   else `.nonFiniteObjective(iteration: 0)` (the KL term overflows); `.linearAlgebra` for a solve
    ///   that overflows or a default start that is not positive definite; `.reduction`.
    public func fitFullCovariance(options: VariationalOptions = VariationalOptions(),
                                  initial: FullGaussianPosterior? = nil) throws(VariationalInferenceError) -> VariationalFit<FullGaussianPosterior> {
        try options.validate()
        let rule = try ExpectationRule(options.expectation, model: observation)
        let q: FullGaussianPosterior
        if let initial { q = initial } else { q = try curvatureInformedStart() }
        precondition(q.dimension == dimension, "initial posterior has dimension \(q.dimension), the model d = \(dimension)")
        let ws = takeFullWorkspace()
        defer { workspaces.give(ws) }
        var buffers = FullCovarianceWorkspace(n: observationCount, d: dimension)
        var current = FullIterate(mean: q.mean, precision: q.precision, cholesky: q.cholesky)
        (current.elbo, current.slack) = try evaluate(mean: current.mean, cholesky: current.cholesky, rule: rule,
                                                     sums: .learningRule, workspace: ws, buffers: &buffers)
        guard current.elbo.isFinite else { throw nonFiniteStart(ws.total.firstNonFinite) }
        buffers.takeTargets(from: ws.total, priorPrecision: priorPrecision)
        var trial = current
        var record = FitRecord(start: current.elbo, options: options)
        var rho = options.initialStepSize
        // Anderson acceleration once the plain map has taken `accelerationStart` steps (slow linear
        // convergence: elongated posteriors such as separable logistic data with a weak prior).
        let d = dimension, packed = d * (d + 1) / 2
        var anderson: AndersonExtrapolation? = nil
        var theta = [Double](), image = [Double](), candidate = [Double]()
        while record.iterations < options.maximumIterations {
            var accepted = false
            var stepRho = rho
            if options.acceleration > 0 && record.iterations >= Self.accelerationStart {
                if anderson == nil {
                    anderson = AndersonExtrapolation(dimension: d + packed, memory: options.acceleration)
                    theta = [Double](repeating: 0, count: packed)
                    image = theta
                    candidate = [Double](repeating: 0, count: d + packed)
                }
                var k = 0
                for j in 0..<d { for i in j..<d { theta[k] = current.precision[i, j]; image[k] = buffers.targetPrecision[i, j]; k += 1 } }
                BLAS.symv(current.precision, current.mean, into: &buffers.scratch)
                anderson!.push(buffers.scratch, theta, images: buffers.targetShift, image)
                if anderson!.extrapolate(into: &candidate) {
                    k = d
                    for j in 0..<d {
                        for i in j..<d {
                            trial.precision[i, j] = candidate[k]
                            trial.precision[j, i] = candidate[k]
                            k += 1
                        }
                        trial.mean[j] = candidate[j]
                    }
                    var valid = true
                    do {
                        try trial.cholesky.refactor(trial.precision)
                        try trial.cholesky.solve(&trial.mean)
                    } catch { valid = false }
                    if valid, let (value, slack) = try? evaluate(mean: trial.mean, cholesky: trial.cholesky, rule: rule,
                                                                 sums: .learningRule, workspace: ws, buffers: &buffers),
                       value.isFinite, value >= current.elbo - current.slack {
                        trial.elbo = value
                        trial.slack = slack
                        accepted = true
                        stepRho = 1
                    } else {
                        record.rejectedSteps += 1
                        anderson!.reset()
                        anderson!.push(buffers.scratch, theta, images: buffers.targetShift, image)
                    }
                }
            }
            while !accepted && rho >= options.minimumStepSize {
                if blend(current, rho: rho, buffers: &buffers, into: &trial),
                   let (value, slack) = try? evaluate(mean: trial.mean, cholesky: trial.cholesky, rule: rule,
                                                      sums: .learningRule, workspace: ws, buffers: &buffers),
                   value.isFinite, value >= current.elbo - current.slack {
                    trial.elbo = value
                    trial.slack = slack
                    accepted = true
                    stepRho = rho
                    break
                }
                record.rejectedSteps += 1
                rho *= 0.5
            }
            guard accepted else { record.termination = .stepSizeUnderflow; break }
            let step = Swift.max(relativeChange(trial.mean, current.mean),
                                 relativeChange(trial.precision.elements, current.precision.elements)) / stepRho
            swap(&current, &trial)
            buffers.takeTargets(from: ws.total, priorPrecision: priorPrecision)
            if record.accept(elbo: current.elbo, previous: trial.elbo, slack: current.slack, rho: stepRho, step: step, options: options) { break }
            options.progress?(VariationalProgress(iteration: record.iterations, elbo: current.elbo, relativeStep: step))
            rho = Swift.min(options.maximumStepSize, 2 * rho)
        }
        return record.fit(FullGaussianPosterior(mean: current.mean, precision: current.precision, cholesky: current.cholesky))
    }

    /// Plain learning-rule steps before the full-covariance fit starts Anderson acceleration (most fits
    /// converge before; the mean-field and Woodbury fits accelerate from the start).
    static let accelerationStart = 50

    // MARK: Pieces

    /// One pass at N(m, (LLᵀ)⁻¹) plus the KL term: the ELBO and its rounding slack 64ε·Σ|terms|.
    func evaluate(mean m: [Double], cholesky: Cholesky, rule: ExpectationRule, sums: PassSums,
                  workspace ws: PassWorkspace<FullPassSums>,
                  buffers: inout FullCovarianceWorkspace) throws(VariationalInferenceError) -> (elbo: Double, slack: Double) {
        let d = dimension
        try fullPass(mean: m, cholesky: cholesky, rule: rule, sums: sums, workspace: ws)
        for k in buffers.inverseFactor.elements.indices { buffers.inverseFactor.elements[k] = 0 }
        for j in 0..<d { buffers.inverseFactor[j, j] = 1 }
        do { try cholesky.solveLower(&buffers.inverseFactor) } catch { throw .linearAlgebra(error) }
        var traceCovariance = 0.0
        for t in buffers.inverseFactor.elements { traceCovariance += t * t }
        let alpha = priorPrecision
        let meanSquare = BLAS.dot(m, m)
        let logDetS = cholesky.logDeterminant
        let kl = 0.5 * (alpha * traceCovariance + alpha * meanSquare - Double(d) - Double(d) * Double.log(alpha) + logDetS)
        let expected = ws.total.expected + constantOutsidePasses
        let magnitude = ws.total.magnitude + Swift.abs(constantOutsidePasses)
        let slack = 64 * Double.ulpOfOne * (magnitude + Swift.abs(kl) + alpha * (traceCovariance + meanSquare) + Swift.abs(logDetS))
        return (expected - kl, slack)
    }

    /// S′ = (1 − ρ)S + ρ·target, S′m′ = (1 − ρ)Sm + ρ·shift, m′ by the Cholesky of S′.
    func blend(_ q: FullGaussianPosterior, rho: Double, workspace ws: inout FullCovarianceWorkspace) throws(LinearAlgebraError) -> FullGaussianPosterior {
        var s = q.precision
        BLAS.scale(1 - rho, &s.elements)
        BLAS.axpy(rho, ws.targetPrecision.elements, &s.elements)
        BLAS.symv(q.precision, q.mean, into: &ws.scratch)
        var b = ws.targetShift
        BLAS.scale(rho, &b)
        BLAS.axpy(1 - rho, ws.scratch, &b)
        let chol = try Cholesky(s)
        try chol.solve(&b)
        return FullGaussianPosterior(mean: b, precision: s, cholesky: chol)
    }

    /// The same blend into `trial`'s storage (no allocation once `trial` owns its buffers); false when
    /// S′ is not positive definite or the solve overflows.
    func blend(_ current: FullIterate, rho: Double, buffers: inout FullCovarianceWorkspace, into trial: inout FullIterate) -> Bool {
        let d = dimension
        for k in 0..<(d * d) {
            trial.precision.elements[k] = (1 - rho) * current.precision.elements[k] + rho * buffers.targetPrecision.elements[k]
        }
        BLAS.symv(current.precision, current.mean, into: &buffers.scratch)
        for j in 0..<d { trial.mean[j] = rho * buffers.targetShift[j] + (1 - rho) * buffers.scratch[j] }
        do {
            try trial.cholesky.refactor(trial.precision)
            try trial.cholesky.solve(&trial.mean)
        } catch { return false }
        return true
    }
}

/// max |aᵢ − bᵢ| / max |aᵢ| (the absolute change when a = 0).
func relativeChange(_ a: [Double], _ b: [Double]) -> Double {
    var change = 0.0, size = 0.0
    for k in a.indices {
        change = Swift.max(change, Swift.abs(a[k] - b[k]))
        size = Swift.max(size, Swift.abs(a[k]))
    }
    return size > 0 ? change / size : change
}
