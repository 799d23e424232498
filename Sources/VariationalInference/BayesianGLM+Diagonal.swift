import LinearAlgebra
import RealModule

/// The targets of a mean-field step, and the iterate buffers of a mean-field fit.
struct DiagonalWorkspace {
    /// 1/sⱼ.
    var reciprocal: [Double]
    /// α + Σᵢ(−E[ℓ″ᵢ])xᵢⱼ² = α − diag(E[∇²ℓ])ⱼ.
    var targetPrecisions: [Double]
    /// (Xᵀ E[ℓ′])ⱼ − diag(E[∇²ℓ])ⱼ·mⱼ.
    var targetShift: [Double]
    /// sⱼmⱼ (the natural parameter η), for the accelerated fit.
    var naturalMean: [Double]
    var candidate: [Double]

    init(n: Int, d: Int) {
        reciprocal = [Double](repeating: 0, count: d)
        targetPrecisions = reciprocal
        targetShift = reciprocal
        naturalMean = reciprocal
        candidate = [Double](repeating: 0, count: 2 * d)
    }

    /// The targets from a learning-rule pass at mean m.
    mutating func takeTargets(from total: DiagonalPassSums, mean m: [Double], priorPrecision alpha: Double) {
        for j in targetShift.indices {
            targetShift[j] = total.shift[j] + total.curvature[j] * m[j]
            targetPrecisions[j] = total.curvature[j] + alpha
        }
    }
}

/// A mean-field iterate in place.
struct DiagonalIterate {
    var mean: [Double]
    var precisions: [Double]
    var elbo = 0.0
    var slack = 0.0
}

extension BayesianGLM {
    /// The ELBO of a mean-field Gaussian q = Πⱼ N(mⱼ, 1/sⱼ):
    /// Σᵢ cᵢE[ℓ(ηᵢ)] − ½Σⱼ[α/sⱼ + α·mⱼ² − 1 − log α + log sⱼ], with vᵢ = Σⱼ xᵢⱼ²/sⱼ.
    /// - Throws: as ``elbo(_:expectation:)-(FullGaussianPosterior,_)``.
    public func elbo(_ q: DiagonalGaussianPosterior, expectation: ExpectationMethod = .standard) throws(VariationalInferenceError) -> Double {
        precondition(q.dimension == dimension, "ELBO of a \(q.dimension)-dimensional posterior for a model with d = \(dimension)")
        let rule = try ExpectationRule(expectation, model: observation)
        let ws = takeDiagonalWorkspace()
        defer { workspaces.give(ws) }
        var buffers = DiagonalWorkspace(n: observationCount, d: dimension)
        return try evaluate(mean: q.mean, precisions: q.precisions, rule: rule, sums: .value, workspace: ws, buffers: &buffers).elbo
    }

    /// One mean-field Bayesian-learning-rule step with fixed ρ. The mean-field family's mean parameters
    /// are (mⱼ, E[wⱼ²]), so ∇μ E_q[ℓ] involves only the diagonal of the expected Hessian:
    ///
    ///     s′ⱼ = (1 − ρ)sⱼ + ρ(α − E[∂ⱼ²ℓ]),   s′ⱼm′ⱼ = (1 − ρ)sⱼmⱼ + ρ(E[∂ⱼℓ] − E[∂ⱼ²ℓ]·mⱼ).
    ///
    /// - Throws: `.invalidParameter` for ρ ∉ (0, 1]; `.invalidInitialPosterior` if a new precision is
    ///   not finite and > 0 (impossible for the concave likelihoods unless it overflows).
    public func learningRuleStep(from q: DiagonalGaussianPosterior, stepSize rho: Double,
                                 expectation: ExpectationMethod = .standard) throws(VariationalInferenceError) -> DiagonalGaussianPosterior {
        precondition(q.dimension == dimension, "step from a \(q.dimension)-dimensional posterior for a model with d = \(dimension)")
        guard rho > 0 && rho <= 1 else { throw .invalidParameter(name: "step size", value: rho, requirement: "in (0, 1]") }
        let rule = try ExpectationRule(expectation, model: observation)
        let ws = takeDiagonalWorkspace()
        defer { workspaces.give(ws) }
        var buffers = DiagonalWorkspace(n: observationCount, d: dimension)
        _ = try evaluate(mean: q.mean, precisions: q.precisions, rule: rule, sums: .learningRule, workspace: ws, buffers: &buffers)
        buffers.takeTargets(from: ws.total, mean: q.mean, priorPrecision: priorPrecision)
        var trial = DiagonalIterate(mean: q.mean, precisions: q.precisions)
        guard blend(DiagonalIterate(mean: q.mean, precisions: q.precisions), rho: rho, buffers: buffers, into: &trial) else {
            throw .invalidInitialPosterior(reason: "a precision of the step is not finite and > 0")
        }
        return try DiagonalGaussianPosterior(mean: trial.mean, precisions: trial.precisions)
    }

    /// Fits a mean-field Gaussian by the Bayesian learning rule with ELBO-based step control and
    /// Anderson acceleration of its fixed-point map (`options.acceleration` past steps; see
    /// Anderson extrapolation): each iteration first tries the extrapolated point, accepted when
    /// all its precisions are > 0 and its ELBO is not below the current one by more than the rounding
    /// slack; otherwise (and then the history restarts) the plain step with step control.
    /// Each iteration costs one O(nd) pass plus the n one-dimensional expectations; no factorization.
    /// - Parameters:
    ///   - options: step control, stopping rule, acceleration and expectation method.
    ///   - initial: the starting posterior; default ``curvatureInformedDiagonalStart()``
    ///     (sⱼ = α + Σᵢ D₀ᵢxᵢⱼ²); pass `DiagonalGaussianPosterior.prior(dimension:precision:)` to start
    ///     from the prior.
    /// - Throws: as ``fitFullCovariance(options:initial:)``.
    public func fitDiagonal(options: VariationalOptions = VariationalOptions(),
                            initial: DiagonalGaussianPosterior? = nil) throws(VariationalInferenceError) -> VariationalFit<DiagonalGaussianPosterior> {
        try options.validate()
        let rule = try ExpectationRule(options.expectation, model: observation)
        let q: DiagonalGaussianPosterior
        if let initial { q = initial } else { q = try curvatureInformedDiagonalStart() }
        precondition(q.dimension == dimension, "initial posterior has dimension \(q.dimension), the model d = \(dimension)")
        let d = dimension
        let ws = takeDiagonalWorkspace()
        defer { workspaces.give(ws) }
        var buffers = DiagonalWorkspace(n: observationCount, d: d)
        var current = DiagonalIterate(mean: q.mean, precisions: q.precisions)
        (current.elbo, current.slack) = try evaluate(mean: current.mean, precisions: current.precisions, rule: rule,
                                                     sums: .learningRule, workspace: ws, buffers: &buffers)
        guard current.elbo.isFinite else { throw nonFiniteStart(ws.total.firstNonFinite) }
        buffers.takeTargets(from: ws.total, mean: current.mean, priorPrecision: priorPrecision)
        var trial = current
        var anderson = AndersonExtrapolation(dimension: 2 * d, memory: Swift.max(options.acceleration, 1))
        var record = FitRecord(start: current.elbo, options: options)
        var rho = options.initialStepSize

        /// Evaluates `trial`; true when it is accepted against `current`.
        func tryTrial() -> Bool {
            guard let (value, slack) = try? evaluate(mean: trial.mean, precisions: trial.precisions, rule: rule,
                                                     sums: .learningRule, workspace: ws, buffers: &buffers),
                  value.isFinite, value >= current.elbo - current.slack else { return false }
            trial.elbo = value
            trial.slack = slack
            return true
        }

        while record.iterations < options.maximumIterations {
            var accepted = false
            var stepRho = rho
            if options.acceleration > 0 {
                for j in 0..<d { buffers.naturalMean[j] = current.precisions[j] * current.mean[j] }
                anderson.push(buffers.naturalMean, current.precisions, images: buffers.targetShift, buffers.targetPrecisions)
                if anderson.extrapolate(into: &buffers.candidate) {
                    var valid = true
                    for j in 0..<d {
                        let s = buffers.candidate[d + j]
                        guard s > 0 && s.isFinite else { valid = false; break }
                        trial.precisions[j] = s
                        trial.mean[j] = buffers.candidate[j] / s
                    }
                    if valid && tryTrial() {
                        accepted = true
                        stepRho = 1
                    } else {
                        record.rejectedSteps += 1
                        anderson.reset()
                        for j in 0..<d { buffers.naturalMean[j] = current.precisions[j] * current.mean[j] }
                        anderson.push(buffers.naturalMean, current.precisions, images: buffers.targetShift, buffers.targetPrecisions)
                    }
                }
            }
            if !accepted {
                while rho >= options.minimumStepSize {
                    if blend(current, rho: rho, buffers: buffers, into: &trial), tryTrial() {
                        accepted = true
                        break
                    }
                    record.rejectedSteps += 1
                    rho *= 0.5
                }
                stepRho = rho
            }
            guard accepted else { record.termination = .stepSizeUnderflow; break }
            let step = Swift.max(relativeChange(trial.mean, current.mean), relativeChange(trial.precisions, current.precisions)) / stepRho
            swap(&current, &trial)
            buffers.takeTargets(from: ws.total, mean: current.mean, priorPrecision: priorPrecision)
            if record.accept(elbo: current.elbo, previous: trial.elbo, slack: current.slack, rho: stepRho, step: step, options: options) { break }
            options.progress?(VariationalProgress(iteration: record.iterations, elbo: current.elbo, relativeStep: step))
            rho = Swift.min(options.maximumStepSize, 2 * rho)
        }
        // Precisions of accepted iterates are finite and > 0 (checked by the blend or the candidate).
        let posterior = try DiagonalGaussianPosterior(mean: current.mean, precisions: current.precisions)
        return record.fit(posterior)
    }

    /// One pass at q plus the KL term: the ELBO and its rounding slack.
    func evaluate(mean m: [Double], precisions s: [Double], rule: ExpectationRule, sums: PassSums,
                  workspace ws: PassWorkspace<DiagonalPassSums>,
                  buffers: inout DiagonalWorkspace) throws(VariationalInferenceError) -> (elbo: Double, slack: Double) {
        let d = dimension
        for j in 0..<d { buffers.reciprocal[j] = 1 / s[j] }
        try diagonalPass(mean: m, reciprocal: buffers.reciprocal, rule: rule, sums: sums, workspace: ws)
        let alpha = priorPrecision
        var kl = 0.0, klMagnitude = 0.0
        for j in 0..<d {
            let t = alpha * buffers.reciprocal[j] + alpha * m[j] * m[j] - 1 - Double.log(alpha) + Double.log(s[j])
            kl += t
            klMagnitude += Swift.abs(t) + alpha * buffers.reciprocal[j] + alpha * m[j] * m[j]
        }
        kl *= 0.5
        let expected = ws.total.expected + constantOutsidePasses
        let magnitude = ws.total.magnitude + Swift.abs(constantOutsidePasses)
        return (expected - kl, 64 * Double.ulpOfOne * (magnitude + klMagnitude))
    }

    /// s′ = (1 − ρ)s + ρ·target, s′m′ = (1 − ρ)s∘m + ρ·shift, into `trial`; false when some s′ⱼ is not
    /// finite and > 0.
    @discardableResult
    func blend(_ current: DiagonalIterate, rho: Double, buffers: DiagonalWorkspace, into trial: inout DiagonalIterate) -> Bool {
        for j in 0..<dimension {
            let s = (1 - rho) * current.precisions[j] + rho * buffers.targetPrecisions[j]
            guard s > 0 && s.isFinite else { return false }
            trial.precisions[j] = s
            trial.mean[j] = ((1 - rho) * current.precisions[j] * current.mean[j] + rho * buffers.targetShift[j]) / s
        }
        return true
    }
}
