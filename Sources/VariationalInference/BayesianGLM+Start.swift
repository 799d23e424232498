import GeneralizedLinearModels
import LinearAlgebra
import RealModule

extension BayesianGLM {
    /// The default starting posterior of ``fitFullCovariance(options:initial:)``: a Gaussian
    /// informed by the likelihood's curvature, N(m₀, S₀⁻¹) with
    ///
    ///     m₀ = c·e_k  (intercept column k, if any) or 0,
    ///     S₀ = αI + XᵀD₀X,   D₀ = diag(cᵢ·μ′(ηᵢ)²/(φV(μᵢ))) at ηᵢ = xᵢᵀm₀ + oᵢ,
    ///
    /// the expected Fisher weights, which for the canonical links equal −ℓ″(ηᵢ): S₀ is then the
    /// Bayesian-learning-rule target precision αI − E_q[∇²ℓ] for q a point mass at m₀.
    /// The intercept column is the first column whose entries are all exactly 1, and c is the
    /// intercept of the intercept-only model: log(Σcᵢyᵢ/Σcᵢe^{oᵢ}) for the log link, else g(ȳ) − ō
    /// (ȳ, ō the weighted means), when that is finite and ȳ is a valid mean; otherwise c = 0. For the
    /// logistic model without offsets that is logit ȳ, D₀ = ȳ(1 − ȳ); Poisson log ȳ, D₀ = ȳ; linear ȳ, D₀ = β.
    ///
    /// Why not the prior N(0, α⁻¹I): its predictive variances vᵢ = ‖xᵢ‖²/α grow with the features'
    /// scale, so for unscaled data (ages 20–80, say) E_q[exp(aᵢ)] = exp(μᵢ + vᵢ/2) overflows and the
    /// logistic expectations need absurdly wide quadrature. Under S₀, vᵢ = xᵢᵀS₀⁻¹xᵢ ≤ hᵢ/D₀ᵢ with the
    /// leverage hᵢ < 1, whatever the scale of X. For the linear model S₀ is the exact posterior precision.
    /// - Throws: `.linearAlgebra` if S₀ overflows or is numerically not positive definite.
    public func curvatureInformedStart() throws(VariationalInferenceError) -> FullGaussianPosterior {
        let (mean, curvature) = startingMeanAndCurvature()
        var s = Matrix(rows: dimension, columns: dimension)
        var scratch = Matrix(rows: observationCount, columns: dimension)
        BLAS.weightedGram(design, weights: curvature, into: &s, workspace: &scratch)
        s.addToDiagonal(priorPrecision)
        do {
            return FullGaussianPosterior(mean: mean, precision: s, cholesky: try Cholesky(s))
        } catch { throw .linearAlgebra(error) }
    }

    /// The default starting posterior of ``fitDiagonal(options:initial:)``: the mean m₀ of
    /// ``curvatureInformedStart()`` and the diagonal of its precision, sⱼ = α + Σᵢ D₀ᵢxᵢⱼ² (the
    /// mean-field learning-rule target at a point mass).
    /// - Throws: `.invalidInitialPosterior` if a precision overflows.
    public func curvatureInformedDiagonalStart() throws(VariationalInferenceError) -> DiagonalGaussianPosterior {
        let (mean, curvature) = startingMeanAndCurvature()
        let n = observationCount
        var s = [Double](repeating: priorPrecision, count: dimension)
        for j in 0..<dimension {
            var total = 0.0
            for i in 0..<n { let x = design.elements[j * n + i]; total += curvature[i] * x * x }
            s[j] += total
        }
        return try DiagonalGaussianPosterior(mean: mean, precisions: s)
    }

    /// m₀ and the weights D₀ᵢ (see ``curvatureInformedStart()``).
    func startingMeanAndCurvature() -> (mean: [Double], curvature: [Double]) {
        let n = observationCount
        var mean = [Double](repeating: 0, count: dimension)
        var c = 0.0
        let interceptColumn = (0..<dimension).first { j in (0..<n).allSatisfy { design[$0, j] == 1 } }
        if let k = interceptColumn {
            var weight = 0.0, total = 0.0, offsetTotal = 0.0, exposureTotal = 0.0
            for i in 0..<n {
                let w = weights?[i] ?? 1, o = offset?[i] ?? 0
                weight += w
                total += w * response[i]
                offsetTotal += w * o
                exposureTotal += w * Double.exp(o)
            }
            if weight > 0 {
                let average = total / weight
                let candidate: Double
                if link == .log {
                    candidate = Double.log(total / exposureTotal)
                } else {
                    candidate = link.link(average) - offsetTotal / weight
                }
                if family.isValidMean(average) && candidate.isFinite { c = candidate }
            }
            mean[k] = c
        }
        var curvature = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let w = observation.fisherWeight(at: c + (offset?[i] ?? 0))
            curvature[i] = (weights?[i] ?? 1) * (w.isFinite ? w : 0)
        }
        return (mean, curvature)
    }

    /// The error for a start whose ELBO is not finite: the first observation whose expected
    /// log-likelihood is not finite, or (all finite) the KL term's overflow.
    func nonFiniteStart(_ first: (row: Int, mean: Double, variance: Double)?) -> VariationalInferenceError {
        if let first {
            return .nonFiniteExpectedLogLikelihood(observation: first.row, predictorMean: first.mean, predictorVariance: first.variance)
        }
        return .nonFiniteObjective(iteration: 0)
    }
}
