import Foundation
import LinearAlgebra
import TestSupport
import Testing
@testable import VariationalInference

/// p ≫ n: the full-covariance fit in the n × n Woodbury form equals the dense d × d fit.
///
/// Reference: the dense path (``BayesianGLM/fitFullCovariance(options:initial:)``), an independent
/// implementation of the same optimum (d × d Cholesky, triangular solves for the variances). Both stop
/// at a relative step ≤ 1e-12 (≈ 1e-12 from the optimum, contraction rate ≈ 0.3 here), and the two
/// paths' rounding differs by ≈ κ(S)·ε ≈ 1e-13: budget 1e-10 relative.
@Suite("Woodbury (n < p) full-covariance fit")
struct WoodburyTests {
    /// Seeded data: an intercept and d − 1 features N(0, 1/d) (so the prior predictive variance xᵀxᵢ/α ≈ 1,
    /// where 64-point quadrature of e^η is exact to rounding), five of them informative.
    func model(_ likelihood: GLMLikelihood, n: Int, d: Int, seed: UInt64) throws -> BayesianGLM {
        var g = SeededGenerator(seed: seed)
        var x = Matrix(rows: n, columns: d)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            x[i, 0] = 1
            var a = 0.2
            for j in 1..<d { x[i, j] = g.nextGaussian() / Double(d).squareRoot(); if j < 6 { a += 3 * x[i, j] } }
            let u = Double.random(in: 0..<1, using: &g)
            switch likelihood {
            case .poissonLog: y[i] = (exp(a) * 2 * u).rounded(.down)
            default: y[i] = u < 1 / (1 + exp(-a)) ? 1 : 0
            }
        }
        return try BayesianGLM(design: x, response: y, likelihood: likelihood, priorPrecision: 1)
    }

    @Test("equal to the dense path to 1e-10 (n = 30, d = 80)", arguments: [GLMLikelihood.bernoulliLogit, .poissonLog])
    func equalsDense(likelihood: GLMLikelihood) throws {
        let model = try model(likelihood, n: 30, d: 80, seed: 5)
        let woodbury = try model.fitWoodbury()
        let dense = try model.fitFullCovariance()
        #expect(woodbury.converged && dense.converged)
        #expect(woodbury.iterations <= 40, Comment(rawValue: "woodbury \(woodbury.iterations) \(woodbury.termination) \(woodbury.relativeStep) rej \(woodbury.rejectedSteps); dense \(dense.iterations) \(dense.termination) \(dense.relativeStep) rej \(dense.rejectedSteps)"))
        #expect(maxRelative(woodbury.posterior.mean, dense.posterior.mean) <= 1e-10)
        let q = try woodbury.posterior.dense()
        #expect(maxRelative(q.precision.elements, dense.posterior.precision.elements) <= 1e-10)
        let sigma = try dense.posterior.covariance()
        #expect(maxRelative(try woodbury.posterior.marginalVariances(), sigma.diagonalElements) <= 1e-10)
        #expect(abs(woodbury.elbo - dense.elbo) <= 1e-10 * abs(dense.elbo))
        #expect(abs(woodbury.posterior.logDeterminantOfCovariance - dense.posterior.logDeterminantOfCovariance)
                <= 1e-10 * abs(dense.posterior.logDeterminantOfCovariance))
    }
}
