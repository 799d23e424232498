import LinearAlgebra
import RealModule

/// Buffers reused by every iteration of a full-covariance fit (sizes fixed by n and d).
struct FullCovarianceWorkspace {
    /// L⁻¹Xᵀ (d × n): column i is L⁻¹xᵢ, so vᵢ = xᵢᵀS⁻¹xᵢ = ‖L⁻¹xᵢ‖².
    var whitened: Matrix
    /// L⁻¹ (d × d), for tr Σ = ‖L⁻¹‖²_F.
    var inverseFactor: Matrix
    /// μᵢ = xᵢᵀm.
    var means: [Double]
    /// vᵢ = xᵢᵀΣxᵢ.
    var variances: [Double]
    var terms: ExpectedTerms
    /// Weights for XᵀWX and Xᵀr.
    var weights: [Double]
    /// Scratch for the weighted Gram (n × d).
    var gramScratch: Matrix
    /// The target precision αI − E[∇²ℓ] = αI + Xᵀdiag(−E[ℓ″])X.
    var targetPrecision: Matrix
    /// The target E[∇ℓ] − E[∇²ℓ]m = Xᵀ(E[ℓ′] − E[ℓ″]∘μ).
    var targetShift: [Double]
    var scratch: [Double]

    init(n: Int, d: Int) {
        whitened = Matrix(rows: d, columns: n)
        inverseFactor = Matrix(rows: d, columns: d)
        means = [Double](repeating: 0, count: n)
        variances = means
        terms = ExpectedTerms(count: n)
        weights = means
        gramScratch = Matrix(rows: n, columns: d)
        targetPrecision = Matrix(rows: d, columns: d)
        targetShift = [Double](repeating: 0, count: d)
        scratch = targetShift
    }
}

extension BayesianGLM {
    /// The ELBO of a full-covariance Gaussian q (see ``BayesianGLM`` for the formula).
    /// - Throws: `.invalidParameter` / `.unsupportedExpectation` for a bad `expectation`,
    ///   `.linearAlgebra` if a triangular solve overflows.
    /// - Precondition: q.dimension == d.
    public func elbo(_ q: FullGaussianPosterior, expectation: ExpectationMethod = .standard) throws(VariationalInferenceError) -> Double {
        precondition(q.dimension == dimension, "ELBO of a \(q.dimension)-dimensional posterior for a model with d = \(dimension)")
        let rule = try ExpectationRule(expectation, likelihood: likelihood)
        var ws = FullCovarianceWorkspace(n: observationCount, d: dimension)
        return try evaluate(q, rule: rule, workspace: &ws).elbo
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
        let rule = try ExpectationRule(expectation, likelihood: likelihood)
        var ws = FullCovarianceWorkspace(n: observationCount, d: dimension)
        _ = try evaluate(q, rule: rule, workspace: &ws)
        formTargets(&ws)
        do { return try blend(q, rho: rho, workspace: &ws) } catch { throw .linearAlgebra(error) }
    }

    /// Fits a full-covariance Gaussian by the Bayesian learning rule with ELBO-based step control
    /// (see ``VariationalOptions``).
    ///
    /// Each iteration costs one triangular solve L⁻¹Xᵀ (nd²), one weighted Gram XᵀWX (nd²), the n
    /// one-dimensional expectations and one Cholesky factorization (d³/3); no inverse is formed.
    /// - Parameters:
    ///   - options: step control, stopping rule and expectation method.
    ///   - initial: the starting posterior; default ``curvatureInformedStart()`` (αI + XᵀD₀X, not the
    ///     prior, whose predictive variances ‖xᵢ‖²/α overflow E[eᵃ] for unscaled features). Pass
    ///     `FullGaussianPosterior.prior(dimension:precision:)` to start from the prior.
    /// - Throws: `.invalidParameter` for bad options; if the ELBO at the start is not finite,
    ///   `.nonFiniteExpectedLogLikelihood` naming the first observation whose expectation is not finite,
    ///   else `.nonFiniteObjective(iteration: 0)` (the KL term overflows); `.linearAlgebra` for a solve
    ///   that overflows or a default start that is not positive definite.
    public func fitFullCovariance(options: VariationalOptions = VariationalOptions(),
                                  initial: FullGaussianPosterior? = nil) throws(VariationalInferenceError) -> VariationalFit<FullGaussianPosterior> {
        try options.validate()
        let rule = try ExpectationRule(options.expectation, likelihood: likelihood)
        let q: FullGaussianPosterior
        if let initial { q = initial } else { q = try curvatureInformedStart() }
        precondition(q.dimension == dimension, "initial posterior has dimension \(q.dimension), the model d = \(dimension)")
        var ws = FullCovarianceWorkspace(n: observationCount, d: dimension)
        let (current, slack) = try evaluate(q, rule: rule, workspace: &ws)
        guard current.isFinite else { throw nonFiniteStart(means: ws.means, variances: ws.variances, terms: ws.terms) }
        // The targets stay in the workspace while trial points overwrite the expectations.
        return iterateLearningRule(
            from: q, elbo: current, slack: slack, options: options,
            formTargets: { _ in formTargets(&ws) },
            trial: { q, rho in
                guard let trial = try? blend(q, rho: rho, workspace: &ws),
                      let (value, trialSlack) = try? evaluate(trial, rule: rule, workspace: &ws) else { return nil }
                return (trial, value, trialSlack)
            })
    }

    // MARK: Pieces

    /// Fills μ, v and the expectations for q; returns the ELBO and its rounding slack 64ε·Σ|terms|.
    func evaluate(_ q: FullGaussianPosterior, rule: ExpectationRule,
                  workspace ws: inout FullCovarianceWorkspace) throws(VariationalInferenceError) -> (elbo: Double, slack: Double) {
        let n = observationCount, d = dimension
        BLAS.gemv(design, q.mean, into: &ws.means)
        // Overwrite the workspaces in place (0·x + y with BLAS): no O(nd) allocation per iteration.
        BLAS.scale(0, &ws.whitened.elements)
        BLAS.axpy(1, designTransposed.elements, &ws.whitened.elements)
        BLAS.scale(0, &ws.inverseFactor.elements)
        for j in 0..<d { ws.inverseFactor[j, j] = 1 }
        do {
            try q.cholesky.solveLower(&ws.whitened)
            try q.cholesky.solveLower(&ws.inverseFactor)
        } catch { throw .linearAlgebra(error) }
        for i in 0..<n {
            var s = 0.0
            let base = i * d
            for j in 0..<d { let t = ws.whitened.elements[base + j]; s += t * t }
            ws.variances[i] = s
        }
        let (expected, magnitude) = expectedTerms(means: ws.means, variances: ws.variances, rule: rule, into: &ws.terms)
        var traceCovariance = 0.0
        for t in ws.inverseFactor.elements { traceCovariance += t * t }
        let alpha = priorPrecision
        let meanSquare = BLAS.dot(q.mean, q.mean)
        let logDetS = q.cholesky.logDeterminant
        let kl = 0.5 * (alpha * traceCovariance + alpha * meanSquare - Double(d) - Double(d) * Double.log(alpha) + logDetS)
        let slack = 64 * Double.ulpOfOne * (magnitude + Swift.abs(kl) + alpha * (traceCovariance + meanSquare) + Swift.abs(logDetS))
        return (expected - kl, slack)
    }

    /// From the expectations in `ws`: targetPrecision = αI + Xᵀdiag(−E[ℓ″])X and
    /// targetShift = Xᵀ(E[ℓ′] − E[ℓ″]∘μ), which is E[∇ℓ] − E[∇²ℓ]m because E[∇²ℓ]m = XᵀHXm = Xᵀ(H μ).
    func formTargets(_ ws: inout FullCovarianceWorkspace) {
        let n = observationCount
        for i in 0..<n { ws.weights[i] = -ws.terms.curvature[i] }
        BLAS.weightedGram(design, weights: ws.weights, into: &ws.targetPrecision, workspace: &ws.gramScratch)
        ws.targetPrecision.addToDiagonal(priorPrecision)
        for i in 0..<n { ws.weights[i] = ws.terms.slope[i] - ws.terms.curvature[i] * ws.means[i] }
        BLAS.gemv(design, transposed: true, ws.weights, into: &ws.targetShift)
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
}
