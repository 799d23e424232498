import Foundation
import GeneralizedLinearModels
import LinearAlgebra
import TestSupport
import Testing
@testable import VariationalInference

/// Every GLM family and link a Gaussian q can use, through the same one-dimensional quadrature.
///
/// References: (1) central differences of the log-likelihood in η (ℓ′, ℓ″ against the closed-form
/// derivatives, truncation h²ℓ‴ ≈ 1e-10 and rounding ε|ℓ|/h ≈ 1e-11 at h = 1e-4 — budget 1e-6
/// relative); (2) log p(y | μ, φ) of GeneralizedLinearModels (ExponentialFamilies' densities) equals
/// ℓ − k + k; (3) at each fitted optimum the ELBO's gradient in natural coordinates, by central
/// differences of the ELBO (not from the fit's own derivatives), vanishes relative to its size at the
/// prior (≤ 1e-5: the differences' own accuracy).
@Suite("Every GLM likelihood: derivatives, densities and stationary optima")
struct GLMLikelihoodFamilyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let family: GLMFamily
        let link: GLMLink
        let dispersion: Double
        var testDescription: String { "\(family.name)/\(link.rawValue)" }
    }

    static let cases: [Case] = [
        Case(family: .binomial, link: .probit, dispersion: 1),
        Case(family: .binomial, link: .cloglog, dispersion: 1),
        Case(family: .negativeBinomial(alpha: 0.7), link: .log, dispersion: 1),
        Case(family: .gamma, link: .log, dispersion: 0.5),
        Case(family: .inverseGaussian, link: .log, dispersion: 0.3),
        Case(family: .gaussian, link: .identity, dispersion: 2),
        Case(family: .poisson, link: .log, dispersion: 1),
    ]

    /// Seeded data: intercept + 2 standard-normal features, η = 0.2 + 0.5x₁ − 0.4x₂ + offset, y drawn
    /// near the mean (the exact distribution does not matter for stationarity).
    func data(_ c: Case, n: Int = 80, offset: Bool = false, weights: Bool = false) throws -> BayesianGLM {
        var g = SeededGenerator(seed: 99)
        var x = Matrix(rows: n, columns: 3)
        var y = [Double](repeating: 0, count: n), o = y, w = y
        for i in 0..<n {
            x[i, 0] = 1
            x[i, 1] = g.nextGaussian()
            x[i, 2] = g.nextGaussian()
            o[i] = offset ? 0.3 * g.nextGaussian() : 0
            w[i] = weights ? Double(1 + i % 3) : 1
            let eta = 0.2 + 0.5 * x[i, 1] - 0.4 * x[i, 2] + o[i]
            let mu = c.link.mean(eta)
            let u = Double.random(in: 0..<1, using: &g)
            switch c.family {
            case .binomial: y[i] = u < mu ? 1 : 0
            case .poisson, .negativeBinomial: y[i] = (mu * 2 * u).rounded(.down)
            case .gamma, .inverseGaussian: y[i] = mu * (0.2 + 1.6 * u)
            default: y[i] = mu + g.nextGaussian()
            }
        }
        return try BayesianGLM(design: x, response: y, family: c.family, link: c.link, dispersion: c.dispersion,
                               offset: offset ? o : nil, weights: weights ? w : nil, priorPrecision: 1)
    }

    @Test("ℓ′ and ℓ″ are the derivatives of ℓ (central differences)", arguments: cases)
    func derivatives(c: Case) throws {
        let model = try ObservationModel(family: c.family, link: c.link, dispersion: c.dispersion)
        let ys: [Double]
        switch c.family {
        case .binomial: ys = [0, 1, 0.3]
        case .poisson, .negativeBinomial: ys = [0, 1, 4]
        case .gamma, .inverseGaussian: ys = [0.3, 1.7]
        default: ys = [-1.2, 0.4]
        }
        let h = 1e-4
        for y in ys {
            for eta in [-2.0, -0.3, 0.4, 1.9] {
                let d = model.derivatives(at: eta, response: y)
                let up = model.derivatives(at: eta + h, response: y), down = model.derivatives(at: eta - h, response: y)
                let slope = (up.value - down.value) / (2 * h), curvature = (up.slope - down.slope) / (2 * h)
                #expect(abs(slope - d.slope) <= 1e-6 * max(1, abs(d.slope)), "y = \(y), η = \(eta): ℓ′")
                #expect(abs(curvature - d.curvature) <= 1e-6 * max(1, abs(d.curvature)), "y = \(y), η = \(eta): ℓ″")
                // ℓ − k + k is the family's log-density (GeneralizedLinearModels / ExponentialFamilies).
                if case .binomial = c.family { continue }
                let mu = c.link.mean(eta)
                let density = try c.family.logDensity(y, mean: mu, logMean: log(mu), logComplement: 0, trials: 1,
                                                      dispersion: model.dispersion)
                #expect(abs(d.value + model.constant(response: y) - density) <= 1e-12 * max(1, abs(density)),
                        "y = \(y), η = \(eta): log-density")
            }
        }
    }

    /// Central-difference ∇θ ELBO (steps relative to |θₖ|).
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

    @Test("full covariance: the optimum is stationary (∇θELBO ≈ 0 by finite differences), with offsets and weights",
          arguments: cases)
    func stationary(c: Case) throws {
        for (offset, weights) in [(false, false), (true, true)] {
            let model = try data(c, offset: offset, weights: weights)
            let fit = try model.fitFullCovariance()
            #expect(fit.converged, "offset \(offset), weights \(weights): \(fit.termination), step \(fit.relativeStep)")
            #expect(fit.iterations <= 60)
            let prior = try FullGaussianPosterior.prior(dimension: 3, precision: 1)
            let scale = BLAS.norm(try numericGradient(model, at: prior))
            #expect(BLAS.norm(try numericGradient(model, at: fit.posterior)) <= 1e-5 * scale)
            // The analytic natural gradient (reparametrization, first derivatives only) vanishes too.
            #expect(BLAS.norm(try model.naturalCoordinateGradient(fit.posterior)) <= 1e-8 * scale)
            // Mean field converges to its own optimum, whose ELBO is not above the full one.
            let diagonal = try model.fitDiagonal()
            #expect(diagonal.converged)
            #expect(diagonal.elbo <= fit.elbo + 1e-12 * abs(fit.elbo))
        }
    }

    @Test("links whose inverse leaves the mean space are refused")
    func unsupportedLinks() {
        let x = Matrix(rows: [[1], [1]])
        #expect(throws: VariationalInferenceError.self) {
            _ = try BayesianGLM(design: x, response: [1, 2], family: .gamma, link: .inverse, priorPrecision: 1)
        }
        #expect(throws: VariationalInferenceError.self) {
            _ = try BayesianGLM(design: x, response: [1, 2], family: .poisson, link: .identity, priorPrecision: 1)
        }
        #expect(throws: VariationalInferenceError.self) {
            _ = try BayesianGLM(design: x, response: [1, 2], family: .gamma, dispersion: 0, priorPrecision: 1)
        }
        #expect(throws: VariationalInferenceError.self) {
            _ = try BayesianGLM(design: x, response: [1, 2], family: .poisson, weights: [1, -1], priorPrecision: 1)
        }
    }

    @Test("an offset equals the same shift of the intercept's prior-free model: offset o ≡ response in a shifted frame (Gaussian)")
    func offsetIsAShift() throws {
        // Gaussian–identity with offset o: y − o has the same posterior as y without offset (exact identity).
        let c = Case(family: .gaussian, link: .identity, dispersion: 1)
        let withOffset = try data(c, offset: true)
        let shifted = try BayesianGLM(design: withOffset.design, response: zip(withOffset.response, withOffset.offset!).map { $0 - $1 },
                                      family: .gaussian, priorPrecision: 1)
        let a = try withOffset.fitFullCovariance(), b = try shifted.fitFullCovariance()
        #expect(maxRelative(a.posterior.mean, b.posterior.mean) <= 1e-13)
    }
}
