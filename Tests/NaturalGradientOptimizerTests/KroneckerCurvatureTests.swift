import Testing
import LinearAlgebra
import NaturalGradient
import NaturalGradientOptimizer
import TestSupport

/// (A ⊗ G)[i + j·r, k + l·r] = A[j, l]·G[i, k] (vec column-major of an r × c W).
private func kron(_ a: Matrix, _ g: Matrix) -> Matrix {
    let r = g.rows, c = a.rows
    var m = Matrix(rows: r * c, columns: r * c)
    for j in 0..<c { for l in 0..<c { for i in 0..<r { for k in 0..<r { m[i + j * r, k + l * r] = a[j, l] * g[i, k] } } } }
    return m
}

/// L(θ) = bᵀθ + ½θᵀ(A ⊗ G)θ with curvature handed over as one Kronecker block; records every θ the
/// optimizer tries.
struct KroneckerQuadratic: OptimizationObjective {
    let a: Matrix, g: Matrix, b: [Double]
    var tried: [[Double]] = []
    var parameterCount: Int { b.count }
    var hessian: Matrix { kron(a, g) }
    mutating func loss(at t: [Double]) -> Double {
        tried.append(t)
        var h = [Double](repeating: 0, count: b.count)
        BLAS.symv(hessian, t, into: &h)
        return BLAS.dot(b, t) + 0.5 * BLAS.dot(t, h)
    }
    mutating func evaluate(at t: [Double], gradient: inout [Double]) -> Evaluation {
        BLAS.symv(hessian, t, into: &gradient)
        BLAS.axpy(1, b, &gradient)
        var h = [Double](repeating: 0, count: b.count)
        BLAS.symv(hessian, t, into: &h)
        let l = BLAS.dot(b, t) + 0.5 * BLAS.dot(t, h)
        return Evaluation(loss: l, curvature: .kroneckerFactors([KroneckerBlock(inputFactor: a, outputFactor: g, offset: 0)]))
    }
}

@Suite("NaturalGradientOptimizer with Kronecker-factored curvature")
struct KroneckerCurvatureTests {
    @Test("the first step is −[(A + π√λI) ⊗ (G + (√λ/π)I)]⁻¹g, solved densely here as the reference")
    func firstStepMatchesDenseSolve() throws {
        var rng = SeededGenerator(seed: 41)
        let a = randomSPD(4, using: &rng), g = randomSPD(3, using: &rng)
        let b = randomGaussianVector(12, using: &rng)
        var objective = KroneckerQuadratic(a: a, g: g, b: b)
        let lambda = 0.3
        var optimizer = NaturalGradientOptimizer(
            parameterCount: 12, options: OptimizerOptions(damping: .fixed(lambda), acceptance: .always, maximumIterations: 1))
        _ = try optimizer.minimize(&objective, from: [Double](repeating: 0, count: 12))
        var ta = 0.0, tg = 0.0
        for i in 0..<4 { ta += a[i, i] }
        for i in 0..<3 { tg += g[i, i] }
        let pi = ((ta / 4) / (tg / 3)).squareRoot()
        var ad = a, gd = g
        ad.addToDiagonal(pi * lambda.squareRoot())
        gd.addToDiagonal(lambda.squareRoot() / pi)
        let reference = try NaturalGradient.solve(fisher: kron(ad, gd), gradient: b).direction.map { -$0 }
        // Both are backward-stable solves of a system with κ ≲ 25: agreement to 1e-13 relative.
        #expect(relativeError(objective.tried[0], reference) <= 1e-13)
    }

    @Test("LM with Kronecker curvature reaches the quadratic's minimizer −(A ⊗ G)⁻¹b")
    func convergesToMinimizer() throws {
        var rng = SeededGenerator(seed: 42)
        let a = randomSPD(5, using: &rng), g = randomSPD(2, using: &rng)
        let b = randomGaussianVector(10, using: &rng)
        var objective = KroneckerQuadratic(a: a, g: g, b: b)
        var optimizer = NaturalGradientOptimizer(parameterCount: 10, options: OptimizerOptions(gradientTolerance: 1e-13))
        let result = try optimizer.minimize(&objective, from: [Double](repeating: 0, count: 10))
        // ‖g‖∞ stalls near 5e-12 where L no longer resolves the predicted decrease; the run then stops
        // with .lossTolerance instead of growing λ to λmax.
        #expect(result.converged)
        #expect(result.iterations.count < 100)
        #expect(result.iterations.allSatisfy { $0.conditioning.reciprocalCondition != nil })
        let minimizer = try NaturalGradient.solve(fisher: kron(a, g), gradient: b).direction.map { -$0 }
        // Accepting steps by the loss limits θ to ‖θ − θ*‖ ≈ √(4ε|L|/λmin(H)) ≈ 1e-8 (a change of L below its
        // rounding is invisible): 1e-7 relative.
        #expect(relativeError(result.parameters, minimizer) <= 1e-7)
    }

    @Test("blocks that do not tile θ are a typed error")
    func tilingChecked() throws {
        struct Bad: OptimizationObjective {
            var parameterCount: Int { 7 }
            func loss(at t: [Double]) -> Double { 0 }
            mutating func evaluate(at t: [Double], gradient: inout [Double]) -> Evaluation {
                for i in gradient.indices { gradient[i] = 1 }
                return Evaluation(loss: 0, curvature: .kroneckerFactors([
                    KroneckerBlock(inputFactor: .identity(2), outputFactor: .identity(3), offset: 0)]))
            }
        }
        var o = NaturalGradientOptimizer(parameterCount: 7)
        var bad = Bad()
        #expect(throws: OptimizerError.curvatureShapeMismatch(rows: 6, columns: 1, parameters: 7)) {
            try o.minimize(&bad, from: [Double](repeating: 0, count: 7))
        }
    }
}
