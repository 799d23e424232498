import LinearAlgebra
import TestSupport
import Testing
@testable import VariationalInference

/// Logistic and Poisson regression: the Bayesian learning rule converges to the Gaussian VI optimum.
///
/// The optimum has no closed form, so it is certified by three independent facts: (1) it is a fixed
/// point of the ρ = 1 map, (2) the ELBO's gradient in natural coordinates — computed without second
/// derivatives and checked against central differences of the ELBO — vanishes, (3) the fast path and
/// the generic F⁻¹∇θ path produce the same step away from the optimum.
@Suite("Logistic and Poisson regression: convergence to the VI optimum")
struct ConvergenceTests {
    static let likelihoods: [GLMLikelihood] = [.bernoulliLogit, .poissonLog]
    static let tight = VariationalOptions(relativeTolerance: 1e-15, maximumIterations: 200)

    func model(_ likelihood: GLMLikelihood) throws -> BayesianGLM {
        try syntheticModel(likelihood, n: 150, d: 4, alpha: 1, seed: likelihood == .bernoulliLogit ? 11 : 12)
    }

    /// Central-difference gradient of the ELBO with respect to θ (steps relative to |θₖ|).
    func numericGradient(_ model: BayesianGLM, at q: FullGaussianPosterior) throws -> [Double] {
        let theta = q.naturalParameters
        return try theta.indices.map { k in
            let h = 1e-6 * max(1, abs(theta[k]))
            var plus = theta, minus = theta
            plus[k] += h
            minus[k] -= h
            let up = try model.elbo(FullGaussianPosterior(naturalParameters: plus, dimension: q.dimension))
            let down = try model.elbo(FullGaussianPosterior(naturalParameters: minus, dimension: q.dimension))
            return (up - down) / (2 * h)
        }
    }

    @Test("full covariance: converges, fixed point of the ρ = 1 map, ∇θELBO = 0", arguments: likelihoods)
    func fullCovarianceOptimum(likelihood: GLMLikelihood) throws {
        let model = try model(likelihood)
        let fit = try model.fitFullCovariance(options: Self.tight)
        #expect(fit.converged)
        #expect(fit.iterations < 50)
        // The ELBO never decreases beyond rounding along the accepted steps.
        for k in 1..<fit.elboHistory.count { #expect(fit.elboHistory[k] >= fit.elboHistory[k - 1] - 1e-12 * abs(fit.elbo)) }

        // (1) Fixed point. The ELBO is flat to second order at the optimum, so stopping on a relative
        // ELBO change of 1e-15 leaves θ within ≈ √(1e-15)·κ ≈ 1e-7 of it (measured 3e-8): a ρ = 1 step
        // moves θ by ≤ 1e-6. Ten further ρ = 1 steps contract that to rounding (≤ 1e-12), which is
        // the fixed-point property itself.
        var q = fit.posterior
        let again = try model.learningRuleStep(from: q, stepSize: 1)
        #expect(maxRelative(again.naturalParameters, q.naturalParameters) <= 1e-6)
        for _ in 0..<10 { q = try model.learningRuleStep(from: q, stepSize: 1) }
        let polished = try model.learningRuleStep(from: q, stepSize: 1)
        #expect(maxRelative(polished.naturalParameters, q.naturalParameters) <= 1e-12)
        #expect(maxRelative(q.mean, fit.posterior.mean) <= 1e-6)

        // (2) Stationarity: the analytic ∇θELBO at the optimum is ≤ 1e-7 of its size at the prior.
        let prior = try FullGaussianPosterior.prior(dimension: model.dimension, precision: model.priorPrecision)
        let startGradient = try model.naturalCoordinateGradient(prior)
        let gradient = try model.naturalCoordinateGradient(q)
        let startNorm = BLAS.norm(startGradient)
        #expect(BLAS.norm(gradient) <= 1e-7 * startNorm)
        // …and the analytic gradient itself is right: central differences of the ELBO at the prior
        // (truncation h²·L‴ and rounding ε|L|/h ≈ 1e-8 relative to the gradient norm).
        let numeric = try numericGradient(model, at: prior)
        var diff = startGradient
        BLAS.axpy(-1, numeric, &diff)
        #expect(BLAS.norm(diff) <= 1e-6 * startNorm)
        // Central differences at the optimum also vanish (to their own accuracy).
        #expect(BLAS.norm(try numericGradient(model, at: q)) <= 1e-5 * startNorm)
    }

    @Test("full covariance: fast path equals the generic F⁻¹∇θELBO path (ρ = 1 and 0.3)", arguments: likelihoods)
    func fastEqualsGeneric(likelihood: GLMLikelihood) throws {
        let model = try model(likelihood)
        // A point away from the optimum: a damped step from the prior.
        let prior = try FullGaussianPosterior.prior(dimension: model.dimension, precision: model.priorPrecision)
        let start = try model.learningRuleStep(from: prior, stepSize: 0.5)
        for rho in [1.0, 0.3] {
            let fast = try model.learningRuleStep(from: start, stepSize: rho)
            let generic = try model.genericNaturalGradientStep(from: start, stepSize: rho)
            // The two agree exactly in exact arithmetic (Stein's lemma links E[zℓ′]/2√v and ½E[ℓ″],
            // and the discrete Gauss–Hermite rule satisfies it to quadrature accuracy ≈ 1e-14 here);
            // the generic path solves with F (dimension 14; κ(F) = 6e2 logistic, 7e4 Poisson here), so
            // κ·p·ε ≈ 2e-10 at worst; measured 5e-15 (logistic) and 3e-12 (Poisson). Budget 1e-9.
            #expect(maxRelative(generic.naturalParameters, fast.naturalParameters) <= 1e-9, "ρ = \(rho)")
        }
    }

    @Test("diagonal (mean-field): converges to the mean-field optimum", arguments: likelihoods)
    func diagonalOptimum(likelihood: GLMLikelihood) throws {
        let model = try model(likelihood)
        let fit = try model.fitDiagonal(options: VariationalOptions(relativeTolerance: 1e-15, maximumIterations: 2000))
        #expect(fit.converged)
        let q = fit.posterior
        // Fixed point of the mean-field map (linear convergence; 1e-7 relative after ELBO change 1e-15).
        let again = try model.learningRuleStep(from: q, stepSize: 1)
        #expect(maxRelative(again.mean, q.mean, floor: 1e-3) <= 1e-6)
        #expect(maxRelative(again.precisions, q.precisions) <= 1e-6)
        // Stationarity within the mean-field family: central differences in mⱼ and log sⱼ vanish
        // relative to the same derivatives at the prior.
        func elbo(_ m: [Double], _ logS: [Double]) throws -> Double {
            try model.elbo(DiagonalGaussianPosterior(mean: m, precisions: logS.map { Double.exp($0) }))
        }
        func gradient(_ q: DiagonalGaussianPosterior) throws -> [Double] {
            let logS = q.precisions.map { Double.log($0) }
            var g: [Double] = []
            let h = 1e-6
            for j in 0..<q.dimension {
                var mp = q.mean, mm = q.mean
                mp[j] += h; mm[j] -= h
                g.append((try elbo(mp, logS) - elbo(mm, logS)) / (2 * h))
            }
            for j in 0..<q.dimension {
                var sp = logS, sm = logS
                sp[j] += h; sm[j] -= h
                g.append((try elbo(q.mean, sp) - elbo(q.mean, sm)) / (2 * h))
            }
            return g
        }
        let prior = try DiagonalGaussianPosterior.prior(dimension: model.dimension, precision: model.priorPrecision)
        #expect(BLAS.norm(try gradient(q)) <= 1e-6 * BLAS.norm(try gradient(prior)))
        // Mean-field is a restriction of the full family: its optimal ELBO cannot be higher.
        let full = try model.fitFullCovariance(options: Self.tight)
        #expect(fit.elbo <= full.elbo + 1e-12 * abs(full.elbo))
    }

    @Test("Poisson: quadrature and closed-form expectations give the same optimum")
    func poissonQuadratureVersusClosedForm() throws {
        let model = try model(.poissonLog)
        let a = try model.fitFullCovariance(options: Self.tight)
        var options = Self.tight
        options.expectation = .closedForm
        let b = try model.fitFullCovariance(options: options)
        // Expectations agree to ~1e-15 relative; the optima then agree to the convergence level.
        #expect(maxRelative(a.posterior.mean, b.posterior.mean) <= 1e-9)
        #expect(abs(a.elbo - b.elbo) <= 1e-12 * abs(b.elbo))
    }

    @Test("seeded Monte Carlo: reproducible, and close to the quadrature optimum", arguments: likelihoods)
    func monteCarlo(likelihood: GLMLikelihood) throws {
        let model = try model(likelihood)
        var options = VariationalOptions(expectation: .monteCarlo(samples: 4000, seed: 2024), relativeTolerance: 1e-12)
        let first = try model.fitFullCovariance(options: options)
        let second = try model.fitFullCovariance(options: options)
        #expect(first.posterior.mean == second.posterior.mean)
        #expect(first.elbo == second.elbo)
        options.expectation = .monteCarlo(samples: 4000, seed: 2025)
        let other = try model.fitFullCovariance(options: options)
        #expect(other.posterior.mean != first.posterior.mean)
        let exact = try model.fitFullCovariance(options: Self.tight)
        // Sample-average error O(1/√S) ≈ 1.6e-2 of each expectation's spread; the posterior moves by
        // less (it averages 150 observations with shared draws): 5e-2 relative on the mean.
        #expect(maxRelative(first.posterior.mean, exact.posterior.mean, floor: 0.1) <= 5e-2)
        #expect(abs(first.elbo - exact.elbo) <= 5e-2 * abs(exact.elbo))
    }

    @Test("Euclidean gradient ascent reaches the same optimum (slowly)")
    func euclideanBaseline() throws {
        let model = try model(.bernoulliLogit)
        let natural = try model.fitFullCovariance(options: Self.tight)
        let euclid = try model.fitByEuclideanGradientAscent(stepSize: 2e-3, maximumIterations: 200_000, relativeTolerance: 1e-14)
        #expect(euclid.converged)
        // ELBO agreement to the Euclidean run's tolerance (its last steps are tiny but steady).
        #expect(abs(euclid.elbo - natural.elbo) <= 1e-9 * abs(natural.elbo))
        #expect(maxRelative(euclid.mean, natural.posterior.mean) <= 1e-4)
        #expect(euclid.iterations > 10 * natural.iterations)
    }
}
