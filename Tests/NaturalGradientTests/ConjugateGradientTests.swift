import Testing
import NaturalGradient
import TestSupport
import Foundation

@Suite("ConjugateGradientWorkspace (matrix-free)")
struct ConjugateGradientTests {
    @Test("CG converges to the dense Cholesky solve on SPD problems", arguments: [1, 2, 17, 64])
    func convergesToDense(n: Int) throws {
        var g = SeededGenerator(seed: 500 + UInt64(n))
        let f = randomSPD(n, using: &g)
        let rhs = randomGaussianVector(n, using: &g)
        let lambda = 0.1
        let dense = try NaturalGradient.solve(fisher: f, gradient: rhs, damping: lambda).direction
        var workspace = ConjugateGradientWorkspace(dimension: n)
        var x = [Double](repeating: 0, count: n)
        let report = try workspace.solve(gradient: rhs, solution: &x, damping: lambda, tolerance: 1e-13) { v, out in
            BLAS.symv(f, v, into: &out)
        }
        #expect(report.relativeResidual <= 1e-13)
        #expect(report.iterations >= 1 && report.iterations <= 2 * n + 10)
        // κ(F + λI) ≤ (4 + 1.1)/1.1 < 5 for randomSPD: a 1e-13 residual gives ≲ 5e-13 forward error,
        // plus rounding in the recurrence; 1e-11 is a safe bound.
        #expect(relativeError(x, dense) <= 1e-11)
    }

    @Test("an ill-conditioned spectrum with a small cap is reported as non-convergence")
    func defeated() {
        // F = diag(10^(−12k/49)), k = 0…49: 50 distinct eigenvalues spanning 12 decades, so CG needs
        // ~50 iterations; with a cap of 10 the residual stays far above 1e-10.
        let n = 50
        let eigenvalues = (0..<n).map { k in pow10Double(-12 * Double(k) / Double(n - 1)) }
        var workspace = ConjugateGradientWorkspace(dimension: n)
        var x = [Double](repeating: 0, count: n)
        do throws(NaturalGradientError) {
            try workspace.solve(gradient: [Double](repeating: 1, count: n), solution: &x, tolerance: 1e-10,
                                maximumIterations: 10) { v, out in
                for i in 0..<n { out[i] = eigenvalues[i] * v[i] }
            }
            Issue.record("CG claimed convergence")
        } catch {
            guard case let .conjugateGradientDidNotConverge(iterations, residual, tolerance) = error else {
                Issue.record("unexpected \(error)"); return
            }
            #expect(iterations == 10 && tolerance == 1e-10 && residual > 1e-10)
        }
    }

    @Test("an indefinite operator is a breakdown, not a wrong answer")
    func breakdown() {
        var workspace = ConjugateGradientWorkspace(dimension: 2)
        var x = [0.0, 0.0]
        // F = diag(1, −1), g = (1, 1): p = g and pᵀFp = 0 at the first iteration.
        #expect(throws: NaturalGradientError.conjugateGradientBreakdown(iteration: 1, curvature: 0)) {
            try workspace.solve(gradient: [1, 1], solution: &x) { v, out in out[0] = v[0]; out[1] = -v[1] }
        }
    }

    @Test("zero right-hand side, bad inputs")
    func edges() throws {
        var workspace = ConjugateGradientWorkspace(dimension: 3)
        var x = [1.0, 2, 3]
        let report = try workspace.solve(gradient: [0, 0, 0], solution: &x) { v, out in out = v }
        #expect(report == ConjugateGradientReport(iterations: 0, relativeResidual: 0) && x == [0, 0, 0])
        #expect(throws: NaturalGradientError.nonFiniteGradient(index: 2)) {
            try workspace.solve(gradient: [0, 0, .nan], solution: &x) { v, out in out = v }
        }
        #expect(throws: NaturalGradientError.invalidDamping(.infinity)) {
            try workspace.solve(gradient: [1, 0, 0], solution: &x, damping: .infinity) { v, out in out = v }
        }
    }

    @Test("a reused workspace with a warm start converges immediately")
    func warmStart() throws {
        var g = SeededGenerator(seed: 8)
        let f = randomSPD(20, using: &g)
        let rhs = randomGaussianVector(20, using: &g)
        var workspace = ConjugateGradientWorkspace(dimension: 20)
        var x = [Double](repeating: 0, count: 20)
        try workspace.solve(gradient: rhs, solution: &x, tolerance: 1e-12) { v, out in BLAS.symv(f, v, into: &out) }
        let second = try workspace.solve(gradient: rhs, solution: &x, tolerance: 1e-6) { v, out in BLAS.symv(f, v, into: &out) }
        // The previous solution already has residual ≤ 1e-12 ≪ 1e-6 (recomputed from scratch here).
        #expect(second.iterations == 0)
    }
}

func pow10Double(_ e: Double) -> Double { Foundation.pow(10, e) }
