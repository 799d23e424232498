import LinearAlgebra
import TestSupport
import Testing
@testable import VariationalInference

/// The mean-field ELBO at prior precisions α ≠ 1 (where a wrong sign on log α shows), against the
/// log evidence and against the full-covariance ELBO.
///
/// References: (1) for the Gaussian likelihood the evidence log p(y) is known in closed form (the
/// 50-digit value in ../shared/reference/variational, α = 0.5, β = 4), and for every q the ELBO is
/// log p(y) − KL(q ‖ p(w | y)) ≤ log p(y). The mean-field optimum for the Gaussian posterior N(m*, S⁻¹)
/// is q* = N(m*, diag(S)⁻¹) (known result), so KL(q* ‖ p(w | y)) = ½(Σⱼ log Sⱼⱼ − log det S) (the trace
/// term is d exactly) and ELBO(q*) = log p(y) − ½(Σⱼ log Sⱼⱼ − log det S). (2) A diagonal posterior is
/// also a full-covariance one with a diagonal precision: the two ELBO implementations (O(nd) per-
/// coordinate sums, and the triangular-solve path with log det S) must agree.
@Suite("Mean-field ELBO at α ≠ 1")
struct MeanFieldELBOTests {
    @Test("reference regression (α = 0.5): the mean-field optimum's ELBO is log evidence − ½(Σ log Sⱼⱼ − log det S), below the evidence")
    func boundByEvidence() throws {
        let ref = try ReferenceRegression()
        let model = ref.model
        #expect(model.priorPrecision == 0.5)
        let logEvidence = number(ref.json["log_marginal_likelihood"])
        let s = ref.matrix(ref.json["posterior_precision"])
        let mean = ref.vector(ref.json["posterior_mean"])
        let diagonal = s.diagonalElements
        let gap = 0.5 * (diagonal.reduce(0) { $0 + Double.log($1) } - (try Cholesky(s)).logDeterminant)
        #expect(gap > 0.1, "the reference posterior is correlated: KL of the mean-field optimum \(gap)")
        let expected = logEvidence - gap

        // At q* itself (no fit): ELBO sums of 200 terms ≲ 1e2 cancelling to −152 (rounding ≈ 1e-13
        // relative, as in LinearRegressionTests); 1e-11 relative.
        let optimum = try DiagonalGaussianPosterior(mean: mean, precisions: diagonal)
        for method in [ExpectationMethod.closedForm, .standard] {
            let elbo = try model.elbo(optimum, expectation: method)
            #expect(abs(elbo - expected) <= 1e-11 * abs(expected), "\(method.label): \(elbo) vs \(expected)")
            #expect(elbo <= logEvidence)
        }

        // The fitted mean-field posterior: its ELBO never exceeds the evidence, and reaches the optimum's
        // (means within ≈ 1e-8, LinearRegressionTests; the ELBO is flat to second order there).
        let prior = try DiagonalGaussianPosterior.prior(dimension: 5, precision: model.priorPrecision)
        let fit = try model.fitDiagonal(options: VariationalOptions(relativeTolerance: 1e-15, maximumIterations: 5000),
                                        initial: prior)
        #expect(fit.elbo <= logEvidence)
        #expect(fit.elboHistory.allSatisfy { $0 <= logEvidence })
        #expect(abs(fit.elbo - expected) <= 1e-9 * abs(expected), "\(fit.elbo) vs \(expected)")
    }

    @Test("the diagonal ELBO equals the full-covariance ELBO of the same q (α = 0.5 and 3)", arguments: [
        (GLMLikelihood.bernoulliLogit, 0.5), (.bernoulliLogit, 3), (.poissonLog, 0.5), (.poissonLog, 3),
        (.gaussian(noisePrecision: 2), 0.5), (.gaussian(noisePrecision: 2), 3),
    ])
    func agreesWithFullCovariance(likelihood: GLMLikelihood, alpha: Double) throws {
        let model = try syntheticModel(likelihood, n: 120, d: 5, alpha: alpha, seed: 19)
        // An arbitrary q (not an optimum): means and precisions of different sizes.
        let mean = [0.3, -0.2, 0.15, 0.05, -0.1]
        let precisions = [4.0, 9.0, 2.5, 16.0, 6.0]
        let diagonal = try DiagonalGaussianPosterior(mean: mean, precisions: precisions)
        let full = try FullGaussianPosterior(mean: mean, precision: Matrix.diagonal(precisions))
        // Same expectations on both sides (vᵢ = Σⱼxᵢⱼ²/sⱼ either way); the KL terms are O(d) sums of
        // O(1–10): the implementations differ by rounding, ≲ 1e-13 relative. 1e-12.
        let a = try model.elbo(diagonal), b = try model.elbo(full)
        #expect(abs(a - b) <= 1e-12 * abs(b), "diagonal \(a), full \(b)")
    }
}
