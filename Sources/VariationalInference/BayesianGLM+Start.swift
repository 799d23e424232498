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
    ///
    /// With a cross-process reduction (`execution.reduction`) every sum is over all processes' rows and
    /// every process must call this at the same point (a collective).
    /// - Throws: `.linearAlgebra` if S₀ overflows or is numerically not positive definite; `.reduction`.
    public func curvatureInformedStart() throws(VariationalInferenceError) -> FullGaussianPosterior {
        let (mean, curvature) = try startingMeanAndCurvature()
        var s = Matrix(rows: dimension, columns: dimension)
        var scratch = Matrix(rows: observationCount, columns: dimension)
        BLAS.weightedGram(design, weights: curvature, into: &s, workspace: &scratch)
        try reduceAcrossProcesses(&s.elements)
        s.addToDiagonal(priorPrecision)
        do {
            return FullGaussianPosterior(mean: mean, precision: s, cholesky: try Cholesky(s))
        } catch { throw .linearAlgebra(error) }
    }

    /// The default starting posterior of ``fitDiagonal(options:initial:)``: the mean m₀ of
    /// ``curvatureInformedStart()`` and the diagonal of its precision, sⱼ = α + Σᵢ D₀ᵢxᵢⱼ² (the
    /// mean-field learning-rule target at a point mass).
    /// - Throws: `.invalidInitialPosterior` if a precision overflows; `.reduction`.
    public func curvatureInformedDiagonalStart() throws(VariationalInferenceError) -> DiagonalGaussianPosterior {
        let (mean, curvature) = try startingMeanAndCurvature()
        let n = observationCount
        var s = [Double](repeating: 0, count: dimension)
        for j in 0..<dimension {
            var total = 0.0
            for i in 0..<n { let x = design.elements[j * n + i]; total += curvature[i] * x * x }
            s[j] = total
        }
        try reduceAcrossProcesses(&s)
        for j in 0..<dimension { s[j] += priorPrecision }
        return try DiagonalGaussianPosterior(mean: mean, precisions: s)
    }

    /// m₀ and the weights D₀ᵢ (see ``curvatureInformedStart()``). With a cross-process reduction the
    /// intercept column (all ones on every process) and the weighted sums behind c are taken over all
    /// processes' rows, so every process starts from the same m₀.
    /// - Throws: `.reduction`.
    func startingMeanAndCurvature() throws(VariationalInferenceError) -> (mean: [Double], curvature: [Double]) {
        let n = observationCount
        var mean = [Double](repeating: 0, count: dimension)
        var c = 0.0
        // notOnes[j] = 1 when some row of column j is not exactly 1 (summed: > 0 on any process).
        var notOnes = (0..<dimension).map { j in (0..<n).allSatisfy { design[$0, j] == 1 } ? 0.0 : 1.0 }
        try reduceAcrossProcesses(&notOnes)
        let interceptColumn = (0..<dimension).first { notOnes[$0] == 0 }
        if let k = interceptColumn {
            // Σw, Σwy, Σwo, Σw·eᵒ.
            var sums = [0.0, 0.0, 0.0, 0.0]
            for i in 0..<n {
                let w = weights?[i] ?? 1, o = offset?[i] ?? 0
                sums[0] += w
                sums[1] += w * response[i]
                sums[2] += w * o
                sums[3] += w * Double.exp(o)
            }
            try reduceAcrossProcesses(&sums)
            let (weight, total, offsetTotal, exposureTotal) = (sums[0], sums[1], sums[2], sums[3])
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

    /// values ← their sum over the processes of `execution.reduction` (unchanged without one).
    /// - Throws: `.reduction`.
    func reduceAcrossProcesses(_ values: inout [Double]) throws(VariationalInferenceError) {
        guard let reduction = execution.reduction else { return }
        do { try reduction.sum(&values) } catch { throw .reduction(error) }
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
