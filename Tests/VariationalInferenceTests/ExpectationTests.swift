import ExponentialFamilies
import LinearAlgebra
import TestSupport
import Testing
@testable import VariationalInference

@Suite("One-dimensional GLM expectations")
struct ExpectationTests {
    /// (μ, v, E[softplus(a)], E[σ(a)], E[σ(a)σ(−a)]) for a ~ N(μ, v), mpmath quad at 40 digits.
    static let logisticReference: [(Double, Double, Double, Double, Double)] = [
        (0.3, 0.5, 0.91234294453431153, 0.56701327200651275, 0.2209008651224639),
        (-2.0, 4.0, 0.35631636021311369, 0.22479975460333643, 0.11239987730166821),
        (1.5, 0.01, 1.7021592037336062, 0.81710176016519687, 0.14922335241590107),
        (4.0, 2.25, 4.0488867395975454, 0.95603737601289007, 0.036707520053963764),
    ]

    func terms(_ likelihood: GLMLikelihood, y: Double, mu: Double, v: Double, method: ExpectationMethod) throws -> ExpectedTerms {
        let model = try BayesianGLM(design: Matrix(rows: [[1]]), response: [y], likelihood: likelihood, priorPrecision: 1)
        var t = ExpectedTerms(count: 1)
        let rule = try ExpectationRule(method, likelihood: likelihood)
        _ = model.expectedTerms(means: [mu], variances: [v], rule: rule, into: &t)
        return t
    }

    @Test("logistic: Gauss–Hermite matches mpmath to 1e-13 (64 nodes for v ≤ 2.25, 128 for v = 4)", arguments: 0..<4)
    func logistic(k: Int) throws {
        let (mu, v, softplus, sigma, sigmaPrime) = Self.logisticReference[k]
        // softplus and σ have poles at a = ±iπ, so the n-point error decays like exp(−π√(2n)/√v):
        // measured (numpy, E[σσ′]) 2e-10 at v = 4 with 64 nodes, 1e-14 with 128; 3e-14 at v = 2.25 with 64.
        let method = ExpectationMethod.gaussHermite(nodes: v > 3 ? 128 : 64)
        for y in [0.0, 1.0] {
            let t = try terms(.bernoulliLogit, y: y, mu: mu, v: v, method: method)
            // E[ℓ] = yμ − E[softplus], E[ℓ′] = y − E[σ], E[ℓ″] = −E[σσ′]; allow 1e-13 absolute on O(1) values.
            #expect(abs(t.value[0] - (y * mu - softplus)) <= 1e-13)
            #expect(abs(t.slope[0] - (y - sigma)) <= 1e-13)
            #expect(abs(t.curvature[0] + sigmaPrime) <= 1e-13)
            // Stein's lemma: ∂E[ℓ]/∂v computed from E[zℓ′]/(2√v) equals ½E[ℓ″].
            #expect(abs(t.varianceSlope[0] + 0.5 * sigmaPrime) <= 1e-13)
        }
    }

    @Test("Poisson and Gaussian: quadrature equals the closed forms",
          arguments: [(0.3, 0.5), (-2.0, 4.0), (1.5, 0.01), (2.0, 1e-30), (0.0, 0.0)])
    func closedForms(mu: Double, v: Double) throws {
        for (likelihood, y) in [(GLMLikelihood.poissonLog, 3.0), (.poissonLog, 0.0), (.gaussian(noisePrecision: 2.5), -0.7)] {
            let exact = try terms(likelihood, y: y, mu: mu, v: v, method: .closedForm)
            let quadrature = try terms(likelihood, y: y, mu: mu, v: v, method: .standard)
            // e^(μ + s z) is entire: 64 nodes are exact to rounding for v ≤ 4 (terms up to e^(μ+2v) ≈ 400
            // at the outer nodes but weights ≈ 1e-50 there); relative 1e-13.
            let scale = max(1, abs(exact.value[0]), abs(exact.slope[0]), abs(exact.curvature[0]))
            #expect(abs(quadrature.value[0] - exact.value[0]) <= 1e-13 * scale, "\(likelihood) y = \(y)")
            #expect(abs(quadrature.slope[0] - exact.slope[0]) <= 1e-13 * scale)
            #expect(abs(quadrature.curvature[0] - exact.curvature[0]) <= 1e-13 * scale)
            // For v = 1e-30 the reparametrization quotient E[zℓ′]/(2√v) cancels: it is only as good as
            // ε·|ℓ′|/√v; skip that comparison there (the fast path never uses it).
            if v > 1e-6 { #expect(abs(quadrature.varianceSlope[0] - exact.varianceSlope[0]) <= 1e-12 * scale) }
        }
    }

    @Test("closed-form expectations do not exist for the logistic likelihood")
    func logisticClosedForm() {
        #expect(throws: VariationalInferenceError.unsupportedExpectation(likelihood: "logistic", method: "closed-form")) {
            _ = try ExpectationRule(.closedForm, likelihood: .bernoulliLogit)
        }
    }

    @Test("Monte Carlo rule: same seed, same nodes; different seeds differ; bad sample counts throw")
    func monteCarloRule() throws {
        let a = try ExpectationRule(.monteCarlo(samples: 100, seed: 7), likelihood: .bernoulliLogit)
        let b = try ExpectationRule(.monteCarlo(samples: 100, seed: 7), likelihood: .bernoulliLogit)
        let c = try ExpectationRule(.monteCarlo(samples: 100, seed: 8), likelihood: .bernoulliLogit)
        #expect(a.nodes == b.nodes)
        #expect(a.nodes != c.nodes)
        #expect(throws: VariationalInferenceError.self) { _ = try ExpectationRule(.monteCarlo(samples: 0, seed: 1), likelihood: .poissonLog) }
    }
}

@Suite("Gaussian natural coordinates")
struct GaussianNaturalCoordinatesTests {
    /// μ(θ) = E[T(w)] = (m, cᵢⱼ(Σᵢⱼ + mᵢmⱼ)) for i ≤ j.
    func meanParameters(_ q: FullGaussianPosterior) throws -> [Double] {
        let sigma = try q.covariance()
        var mu = q.mean
        let d = q.dimension
        for i in 0..<d { for j in i..<d { mu.append((i == j ? 1 : 2) * (sigma[i, j] + q.mean[i] * q.mean[j])) } }
        return mu
    }

    @Test("θ ↔ (m, S) round trip and F·v = dμ/dθ·v by central differences", arguments: [1, 2, 4])
    func fisherIsJacobianOfMeanMap(d: Int) throws {
        var g = SeededGenerator(seed: UInt64(100 + d))
        let q = try FullGaussianPosterior(mean: randomGaussianVector(d, using: &g), precision: randomSPD(d, using: &g))
        let theta = q.naturalParameters
        let back = try FullGaussianPosterior(naturalParameters: theta, dimension: d)
        // Round trip through one Cholesky solve of a well-conditioned S: a few ulps·κ.
        #expect(maxRelative(back.mean, q.mean) <= 1e-13)
        // The posterior's θ is ExponentialFamilies' MultivariateNormal θ (same layout), and that type's
        // Fisher matrix is the Jacobian of this module's mean map.
        let mvn = try MultivariateNormal(mean: q.mean, precision: q.precision)
        #expect(maxRelative(mvn.naturalParameters, theta) <= 1e-14)
        let f = mvn.fisherInformation
        let p = theta.count
        for k in 0..<p {
            // Direction e_k: central difference of μ(θ) with h = 1e-5; truncation O(h²·μ‴) ≈ 1e-10 and
            // rounding ε/h ≈ 1e-11 relative: 1e-7 leaves margin.
            let h = 1e-5 * max(1, abs(theta[k]))
            var plus = theta, minus = theta
            plus[k] += h
            minus[k] -= h
            let mp = try meanParameters(FullGaussianPosterior(naturalParameters: plus, dimension: d))
            let mm = try meanParameters(FullGaussianPosterior(naturalParameters: minus, dimension: d))
            let numeric = (0..<p).map { (mp[$0] - mm[$0]) / (2 * h) }
            #expect(maxRelative(f.column(k), numeric, floor: 1) <= 1e-7, "column \(k)")
        }
        // F is symmetric positive definite.
        #expect(f == f.transposed)
        _ = try Cholesky(f)
    }
}
