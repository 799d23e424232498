import LinearAlgebra
import RealModule

extension BayesianGLM {
    /// The default starting posterior of ``fitFullCovariance(options:initial:)``: a Gaussian
    /// informed by the likelihood's curvature, N(m₀, S₀⁻¹) with
    ///
    ///     m₀ = c·e_k  (intercept column k, if any) or 0,
    ///     S₀ = αI + XᵀD₀X,   D₀ = diag(−ℓ″(aᵢ)) at aᵢ = xᵢᵀm₀,
    ///
    /// which is the Bayesian-learning-rule target precision αI − E_q[∇²ℓ] for q a point mass at m₀.
    /// The intercept column is the first column whose entries are all exactly 1, and c is the
    /// maximum-likelihood intercept of the intercept-only model: ȳ (linear), logit ȳ (logistic, when
    /// 0 < ȳ < 1) or log ȳ (Poisson, when ȳ > 0); otherwise c = 0. All aᵢ are then equal, so D₀ is
    /// constant: β, ȳ(1 − ȳ) or ȳ (with c = 0: β, ¼ or 1).
    ///
    /// Why not the prior N(0, α⁻¹I): its predictive variances vᵢ = ‖xᵢ‖²/α grow with the features'
    /// scale, so for unscaled data (ages 20–80, say) E_q[exp(aᵢ)] = exp(μᵢ + vᵢ/2) overflows and the
    /// logistic expectations need absurdly wide quadrature. Under S₀, vᵢ = xᵢᵀS₀⁻¹xᵢ ≤ hᵢ/D₀ with the
    /// leverage hᵢ = D₀xᵢᵀ(αI + D₀XᵀX)⁻¹xᵢ < 1, whatever the scale of X. For the linear model S₀ is the
    /// exact posterior precision.
    /// - Throws: `.linearAlgebra` if S₀ overflows or is numerically not positive definite.
    public func curvatureInformedStart() throws(VariationalInferenceError) -> FullGaussianPosterior {
        let (mean, curvature) = startingMeanAndCurvature()
        var s = Matrix(rows: dimension, columns: dimension)
        var scratch = Matrix(rows: observationCount, columns: dimension)
        BLAS.weightedGram(design, weights: [Double](repeating: curvature, count: observationCount), into: &s, workspace: &scratch)
        s.addToDiagonal(priorPrecision)
        do {
            return FullGaussianPosterior(mean: mean, precision: s, cholesky: try Cholesky(s))
        } catch { throw .linearAlgebra(error) }
    }

    /// The default starting posterior of ``fitDiagonal(options:initial:)``: the mean m₀ of
    /// ``curvatureInformedStart()`` and the diagonal of its precision, sⱼ = α + D₀Σᵢxᵢⱼ² (the
    /// mean-field learning-rule target at a point mass). Then vᵢ = Σⱼxᵢⱼ²/sⱼ ≤ d/D₀.
    /// - Throws: `.invalidInitialPosterior` if a precision overflows.
    public func curvatureInformedDiagonalStart() throws(VariationalInferenceError) -> DiagonalGaussianPosterior {
        let (mean, curvature) = startingMeanAndCurvature()
        var s = [Double](repeating: 0, count: dimension)
        BLAS.gemv(designSquared, transposed: true, [Double](repeating: curvature, count: observationCount), into: &s)
        for j in 0..<dimension { s[j] += priorPrecision }
        return try DiagonalGaussianPosterior(mean: mean, precisions: s)
    }

    /// m₀ and the constant curvature D₀ = −ℓ″(c) (see ``curvatureInformedStart()``).
    func startingMeanAndCurvature() -> (mean: [Double], curvature: Double) {
        var mean = [Double](repeating: 0, count: dimension)
        var c = 0.0
        let interceptColumn = (0..<dimension).first { j in (0..<observationCount).allSatisfy { design[$0, j] == 1 } }
        if let k = interceptColumn {
            var total = 0.0
            for y in response { total += y }
            let average = total / Double(observationCount)
            switch likelihood {
            case .gaussian: c = average
            case .bernoulliLogit: if average > 0 && average < 1 { c = Double.log(average / (1 - average)) }
            case .poissonLog: if average > 0 { c = Double.log(average) }
            }
            mean[k] = c
        }
        // The curvature does not depend on y; any response in the support will do.
        let curvature = -likelihood.derivatives(at: c, response: 0).curvature
        return (mean, curvature)
    }

    /// The error for a start whose ELBO is not finite: the first observation whose expected
    /// log-likelihood is not finite, or (all finite) the KL term's overflow.
    func nonFiniteStart(means: [Double], variances: [Double], terms: ExpectedTerms) -> VariationalInferenceError {
        if let i = terms.value.indices.first(where: { !terms.value[$0].isFinite }) {
            return .nonFiniteExpectedLogLikelihood(observation: i, predictorMean: means[i], predictorVariance: variances[i])
        }
        return .nonFiniteObjective(iteration: 0)
    }
}
