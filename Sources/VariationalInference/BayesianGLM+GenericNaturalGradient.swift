import ExponentialFamilies
import LinearAlgebra
import NaturalGradient

extension BayesianGLM {
    /// The ELBO's partial derivatives with respect to m and Σ, by reparametrization (first derivatives
    /// of ℓ only):
    ///
    ///     ∂L/∂m = Xᵀ E[ℓ′] − αm,
    ///     ∂L/∂Σ = Xᵀ diag(qᵢ) X + ½(S − αI),   qᵢ = ∂E[ℓᵢ]/∂vᵢ = E[z·ℓ′(μᵢ + √vᵢ z)]/(2√vᵢ),
    ///
    /// (½(S − αI) is ∂/∂Σ of −KL: −½α·tr Σ + ½ log det Σ). Used by the generic natural-gradient path and
    /// by Euclidean gradient ascent.
    /// - Returns: (∂L/∂m, ∂L/∂Σ, ELBO).
    public func elboGradients(_ q: FullGaussianPosterior, expectation: ExpectationMethod = .standard)
        throws(VariationalInferenceError) -> (mean: [Double], covariance: Matrix, elbo: Double)
    {
        precondition(q.dimension == dimension, "gradient at a \(q.dimension)-dimensional posterior for a model with d = \(dimension)")
        let rule = try ExpectationRule(expectation, model: observation)
        let ws = takeFullWorkspace()
        defer { workspaces.give(ws) }
        var buffers = FullCovarianceWorkspace(n: observationCount, d: dimension)
        let value = try evaluate(mean: q.mean, cholesky: q.cholesky, rule: rule, sums: .gradient, workspace: ws, buffers: &buffers).elbo
        var gradM = ws.total.shift
        BLAS.axpy(-priorPrecision, q.mean, &gradM)
        var gradSigma = ws.total.gram
        BLAS.axpy(0.5, q.precision.elements, &gradSigma.elements)
        gradSigma.addToDiagonal(-0.5 * priorPrecision)
        return (gradM, gradSigma, value)
    }

    /// ∇θ ELBO in the Gaussian's natural coordinates (``GaussianNaturalCoordinates``), by the chain rule
    /// from ``elboGradients(_:expectation:)``.
    public func naturalCoordinateGradient(_ q: FullGaussianPosterior, expectation: ExpectationMethod = .standard)
        throws(VariationalInferenceError) -> [Double]
    {
        let (gradM, gradSigma, _) = try elboGradients(q, expectation: expectation)
        let sigma = try q.covariance()
        return GaussianNaturalCoordinates.naturalGradientOfObjective(mean: q.mean, covariance: sigma,
                                                                     meanGradient: gradM, covarianceGradient: gradSigma)
    }

    /// The same step as ``learningRuleStep(from:stepSize:expectation:)-(FullGaussianPosterior,_,_)``
    /// computed the generic way: θ′ = θ + ρ·F(θ)⁻¹∇θELBO, with F the Gaussian's Fisher matrix in natural
    /// coordinates (dimension d + d(d+1)/2, from ExponentialFamilies' `MultivariateNormal`, whose θ
    /// layout is this module's) solved by Cholesky. Costs O(d⁶) — a reference, not a method.
    ///
    /// Agreement with the fast path is a real check: the fast path uses Price's theorem (E[ℓ″]) and
    /// never forms F; this path uses only first derivatives of ℓ and an explicit F.
    /// - Throws: `.naturalGradient` if F is not positive definite, `.invalidInitialPosterior` if the new
    ///   −2Λ is not.
    public func genericNaturalGradientStep(from q: FullGaussianPosterior, stepSize rho: Double,
                                           expectation: ExpectationMethod = .standard) throws(VariationalInferenceError) -> FullGaussianPosterior {
        guard rho > 0 && rho <= 1 else { throw .invalidParameter(name: "step size", value: rho, requirement: "in (0, 1]") }
        let (gradM, gradSigma, _) = try elboGradients(q, expectation: expectation)
        let sigma = try q.covariance()
        var direction = GaussianNaturalCoordinates.naturalGradientOfObjective(mean: q.mean, covariance: sigma,
                                                                              meanGradient: gradM, covarianceGradient: gradSigma)
        // The engine's exact-Fisher Cholesky path: F(θ) of ExponentialFamilies' MultivariateNormal (same
        // θ layout as this module), (F + 0·I)⁻¹∇θL by Cholesky.
        let family: MultivariateNormal
        do { family = try MultivariateNormal(mean: q.mean, precision: q.precision) } catch {
            throw .invalidInitialPosterior(reason: "\(error)")
        }
        do {
            direction = try NaturalGradient.solve(family: family, naturalParameterGradient: direction).direction
        } catch { throw .naturalGradient(error) }
        var theta = q.naturalParameters
        BLAS.axpy(rho, direction, &theta)
        return try FullGaussianPosterior(naturalParameters: theta, dimension: dimension)
    }
}
