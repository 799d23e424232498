import LinearAlgebra
import RealModule

/// Buffers reused by every iteration of a mean-field fit.
struct DiagonalWorkspace {
    var means: [Double]
    var variances: [Double]
    var terms: ExpectedTerms
    var weights: [Double]
    /// 1/sⱼ.
    var reciprocal: [Double]
    /// α + Σᵢ(−E[ℓ″ᵢ])xᵢⱼ² = α − diag(E[∇²ℓ])ⱼ.
    var targetPrecisions: [Double]
    /// (Xᵀ E[ℓ′])ⱼ − diag(E[∇²ℓ])ⱼ·mⱼ.
    var targetShift: [Double]

    init(n: Int, d: Int) {
        means = [Double](repeating: 0, count: n)
        variances = means
        terms = ExpectedTerms(count: n)
        weights = means
        reciprocal = [Double](repeating: 0, count: d)
        targetPrecisions = reciprocal
        targetShift = reciprocal
    }
}

extension BayesianGLM {
    /// The ELBO of a mean-field Gaussian q = Πⱼ N(mⱼ, 1/sⱼ):
    /// Σᵢ E[ℓ(aᵢ)] − ½Σⱼ[α/sⱼ + α·mⱼ² − 1 − log α + log sⱼ], with vᵢ = Σⱼ xᵢⱼ²/sⱼ.
    /// - Throws: as ``elbo(_:expectation:)-(FullGaussianPosterior,_)``.
    public func elbo(_ q: DiagonalGaussianPosterior, expectation: ExpectationMethod = .standard) throws(VariationalInferenceError) -> Double {
        precondition(q.dimension == dimension, "ELBO of a \(q.dimension)-dimensional posterior for a model with d = \(dimension)")
        let rule = try ExpectationRule(expectation, likelihood: likelihood)
        var ws = DiagonalWorkspace(n: observationCount, d: dimension)
        return evaluate(q, rule: rule, workspace: &ws).elbo
    }

    /// One mean-field Bayesian-learning-rule step with fixed ρ. The mean-field family's mean parameters
    /// are (mⱼ, E[wⱼ²]), so ∇μ E_q[ℓ] involves only the diagonal of the expected Hessian:
    ///
    ///     s′ⱼ = (1 − ρ)sⱼ + ρ(α − E[∂ⱼ²ℓ]),   s′ⱼm′ⱼ = (1 − ρ)sⱼmⱼ + ρ(E[∂ⱼℓ] − E[∂ⱼ²ℓ]·mⱼ).
    ///
    /// - Throws: `.invalidParameter` for ρ ∉ (0, 1]; `.invalidInitialPosterior` if a new precision is
    ///   not finite and > 0 (impossible for the concave likelihoods here unless it overflows).
    public func learningRuleStep(from q: DiagonalGaussianPosterior, stepSize rho: Double,
                                 expectation: ExpectationMethod = .standard) throws(VariationalInferenceError) -> DiagonalGaussianPosterior {
        precondition(q.dimension == dimension, "step from a \(q.dimension)-dimensional posterior for a model with d = \(dimension)")
        guard rho > 0 && rho <= 1 else { throw .invalidParameter(name: "step size", value: rho, requirement: "in (0, 1]") }
        let rule = try ExpectationRule(expectation, likelihood: likelihood)
        var ws = DiagonalWorkspace(n: observationCount, d: dimension)
        _ = evaluate(q, rule: rule, workspace: &ws)
        formTargets(q, &ws)
        return try blend(q, rho: rho, workspace: &ws)
    }

    /// Fits a mean-field Gaussian by the Bayesian learning rule with ELBO-based step control.
    /// Each iteration costs O(nd) plus the n one-dimensional expectations; no factorization.
    /// - Parameters:
    ///   - options: step control, stopping rule and expectation method.
    ///   - initial: the starting posterior; default ``curvatureInformedDiagonalStart()``
    ///     (sⱼ = α + D₀Σᵢxᵢⱼ²); pass `DiagonalGaussianPosterior.prior(dimension:precision:)` to start
    ///     from the prior.
    /// - Throws: as ``fitFullCovariance(options:initial:)``.
    public func fitDiagonal(options: VariationalOptions = VariationalOptions(),
                            initial: DiagonalGaussianPosterior? = nil) throws(VariationalInferenceError) -> VariationalFit<DiagonalGaussianPosterior> {
        try options.validate()
        let rule = try ExpectationRule(options.expectation, likelihood: likelihood)
        let q: DiagonalGaussianPosterior
        if let initial { q = initial } else { q = try curvatureInformedDiagonalStart() }
        precondition(q.dimension == dimension, "initial posterior has dimension \(q.dimension), the model d = \(dimension)")
        var ws = DiagonalWorkspace(n: observationCount, d: dimension)
        let (current, slack) = evaluate(q, rule: rule, workspace: &ws)
        guard current.isFinite else { throw nonFiniteStart(means: ws.means, variances: ws.variances, terms: ws.terms) }
        return iterateLearningRule(
            from: q, elbo: current, slack: slack, options: options,
            formTargets: { formTargets($0, &ws) },
            trial: { q, rho in
                guard let trial = try? blend(q, rho: rho, workspace: &ws) else { return nil }
                let (value, trialSlack) = evaluate(trial, rule: rule, workspace: &ws)
                return (trial, value, trialSlack)
            })
    }

    func evaluate(_ q: DiagonalGaussianPosterior, rule: ExpectationRule,
                  workspace ws: inout DiagonalWorkspace) -> (elbo: Double, slack: Double) {
        let d = dimension
        BLAS.gemv(design, q.mean, into: &ws.means)
        for j in 0..<d { ws.reciprocal[j] = 1 / q.precisions[j] }
        BLAS.gemv(designSquared, ws.reciprocal, into: &ws.variances)
        let (expected, magnitude) = expectedTerms(means: ws.means, variances: ws.variances, rule: rule, into: &ws.terms)
        let alpha = priorPrecision
        var kl = 0.0, klMagnitude = 0.0
        for j in 0..<d {
            let t = alpha * ws.reciprocal[j] + alpha * q.mean[j] * q.mean[j] - 1 - Double.log(alpha) + Double.log(q.precisions[j])
            kl += t
            klMagnitude += Swift.abs(t) + alpha * ws.reciprocal[j] + alpha * q.mean[j] * q.mean[j]
        }
        kl *= 0.5
        return (expected - kl, 64 * Double.ulpOfOne * (magnitude + klMagnitude))
    }

    func formTargets(_ q: DiagonalGaussianPosterior, _ ws: inout DiagonalWorkspace) {
        let n = observationCount, d = dimension
        for i in 0..<n { ws.weights[i] = -ws.terms.curvature[i] }
        BLAS.gemv(designSquared, transposed: true, ws.weights, into: &ws.targetPrecisions)
        BLAS.gemv(design, transposed: true, ws.terms.slope, into: &ws.targetShift)
        for j in 0..<d {
            ws.targetShift[j] += ws.targetPrecisions[j] * q.mean[j]
            ws.targetPrecisions[j] += priorPrecision
        }
    }

    func blend(_ q: DiagonalGaussianPosterior, rho: Double, workspace ws: inout DiagonalWorkspace) throws(VariationalInferenceError) -> DiagonalGaussianPosterior {
        let d = dimension
        var s = [Double](repeating: 0, count: d), m = s
        for j in 0..<d {
            s[j] = (1 - rho) * q.precisions[j] + rho * ws.targetPrecisions[j]
            m[j] = ((1 - rho) * q.precisions[j] * q.mean[j] + rho * ws.targetShift[j]) / s[j]
        }
        return try DiagonalGaussianPosterior(mean: m, precisions: s)
    }
}
