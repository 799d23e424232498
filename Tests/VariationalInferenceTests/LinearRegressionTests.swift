import LinearAlgebra
import TestSupport
import Testing
@testable import VariationalInference

/// Bayesian linear regression against ../shared/reference/variational/ (computed at 50 digits).
///
/// Tolerances: the posterior precision αI + βXᵀX has eigenvalues in ≈ [300, 1600] (condition ≈ 5), so
/// a float64 solve is accurate to a few·n·κ·ε ≈ 1e-13 relative; the ELBO sums 200 terms of magnitude
/// up to ~1e2 and cancels to −151.5, so its rounding is ≈ 1e-13 relative. 1e-11 leaves a wide margin
/// and still fails for any formula error (those are ≥ 1e-4 here).
@Suite("Bayesian linear regression: one natural-gradient step is exact")
struct LinearRegressionTests {
    static let tolerance = 1e-11

    @Test("ρ = 1 from the prior reaches the exact posterior, and ELBO = log evidence",
          arguments: [ExpectationMethod.closedForm, .gaussHermite(nodes: 2), .standard])
    func oneStepFromPrior(method: ExpectationMethod) throws {
        let ref = try ReferenceRegression()
        let prior = try FullGaussianPosterior.prior(dimension: 5, precision: ref.model.priorPrecision)
        let q = try ref.model.learningRuleStep(from: prior, stepSize: 1, expectation: method)
        #expect(maxRelative(q.mean, ref.vector(ref.json["posterior_mean"])) <= Self.tolerance)
        #expect(try q.covariance().isApproximatelyEqual(to: ref.matrix(ref.json["posterior_cov"]), relativeTolerance: Self.tolerance))
        #expect(q.precision.isApproximatelyEqual(to: ref.matrix(ref.json["posterior_precision"]), relativeTolerance: Self.tolerance))
        let logEvidence = number(ref.json["log_marginal_likelihood"])
        let elbo = try ref.model.elbo(q, expectation: method)
        #expect(abs(elbo - logEvidence) <= Self.tolerance * abs(logEvidence))
    }

    @Test("from the reference's arbitrary initialization: its ELBO, its natural gradient, and the ρ = 1 and ρ = ½ steps")
    func fromReferenceInitialization() throws {
        let ref = try ReferenceRegression()
        let ngvi = ref.json["ngvi"] as! [String: Any]
        let initJSON = ngvi["init"] as! [String: Any]
        let cov = ref.matrix(initJSON["cov"])
        let precision = try Cholesky(cov).inverse()
        let initial = try FullGaussianPosterior(mean: ref.vector(initJSON["mean"]), precision: precision)
        let model = ref.model
        let elboInit = number(initJSON["elbo"])
        #expect(abs(try model.elbo(initial) - elboInit) <= Self.tolerance * abs(elboInit))

        // The natural gradient λ* − λ: the fast path's ρ = 1 step minus the start, in natural coordinates.
        let gradientJSON = ngvi["natural_gradient_at_init"] as! [String: Any]
        var expected = ref.vector(gradientJSON["eta"])
        let lam = ref.matrix(gradientJSON["Lam"])
        for i in 0..<5 { for j in i..<5 { expected.append(lam[i, j]) } }
        let fast = try model.learningRuleStep(from: initial, stepSize: 1)
        var fastGradient = fast.naturalParameters
        BLAS.axpy(-1, initial.naturalParameters, &fastGradient)
        #expect(maxRelative(fastGradient, expected) <= Self.tolerance)

        // The generic path F⁻¹∇θELBO gives the same direction (F of the Gaussian in natural coordinates,
        // from ExponentialFamilies' MultivariateNormal, solved by the engine's Cholesky path). κ(F) = 42 at
        // this start (numpy), so the solve adds ≲ κ·p·ε ≈ 2e-13; measured 1e-16. Budget 1e-12.
        let generic = try model.genericNaturalGradientStep(from: initial, stepSize: 1)
        var genericGradient = generic.naturalParameters
        BLAS.axpy(-1, initial.naturalParameters, &genericGradient)
        #expect(maxRelative(genericGradient, expected) <= 1e-12)

        for (key, rho) in [("1.0", 1.0), ("0.5", 0.5)] {
            let after = (ngvi["after_one_step"] as! [String: Any])[key] as! [String: Any]
            let q = try model.learningRuleStep(from: initial, stepSize: rho)
            #expect(maxRelative(q.mean, ref.vector(after["mean"])) <= Self.tolerance, "ρ = \(rho)")
            #expect(try q.covariance().isApproximatelyEqual(to: ref.matrix(after["cov"]), relativeTolerance: Self.tolerance), "ρ = \(rho)")
            let e = number(after["elbo"])
            #expect(abs(try model.elbo(q) - e) <= Self.tolerance * abs(e), "ρ = \(rho)")
        }
    }

    @Test("the controlled fit from the prior converges after the exact step and reports it")
    func fitConverges() throws {
        let ref = try ReferenceRegression()
        // From the prior, passed explicitly (the default start already has the exact precision).
        let prior = try FullGaussianPosterior.prior(dimension: 5, precision: ref.model.priorPrecision)
        let fit = try ref.model.fitFullCovariance(initial: prior)
        #expect(fit.converged)
        // Step 1 lands on the posterior; step 2 changes the ELBO only by rounding and stops.
        #expect(fit.iterations == 2)
        #expect(fit.rejectedSteps == 0)
        #expect(maxRelative(fit.posterior.mean, ref.vector(ref.json["posterior_mean"])) <= Self.tolerance)
        let logEvidence = number(ref.json["log_marginal_likelihood"])
        #expect(abs(fit.elbo - logEvidence) <= Self.tolerance * abs(logEvidence))
    }

    @Test("mean-field fit: fixed point of the diagonal rule, means of the exact posterior's precision system")
    func meanField() throws {
        let ref = try ReferenceRegression()
        let model = ref.model
        // From the prior, passed explicitly: the default start's precisions are already diag(S).
        let prior = try DiagonalGaussianPosterior.prior(dimension: 5, precision: model.priorPrecision)
        let fit = try model.fitDiagonal(options: VariationalOptions(relativeTolerance: 1e-15, maximumIterations: 5000),
                                        initial: prior)
        // Mean-field Gaussian optimum for a Gaussian posterior N(m*, S⁻¹) (known result): the means
        // equal m* and the precisions are diag(S). Reference: the 50-digit posterior mean and precision.
        let s = ref.matrix(ref.json["posterior_precision"])
        // Coordinate-wise updates converge linearly; with tolerance 1e-15 on the ELBO the mean error is
        // ≈ √(1e-15·|ELBO|/λmin) ≈ 1e-8: allow 1e-7.
        #expect(maxRelative(fit.posterior.mean, ref.vector(ref.json["posterior_mean"])) <= 1e-7)
        #expect(maxRelative(fit.posterior.precisions, s.diagonalElements) <= 1e-11)
    }
}
