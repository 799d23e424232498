import LinearAlgebra
import NaturalGradient
import ExponentialFamilies
import Testing

/// Mismatched shapes at the natural-gradient entry points are thrown errors that name both shapes.
@Suite("Natural-gradient shape errors")
struct ShapeErrorTests {
    @Test("dense workspace: a Fisher of the wrong size, a gradient of the wrong length")
    func dense() {
        var w = DenseFisherWorkspace(dimension: 2)
        var g: [Double] = [1, 2]
        #expect(throws: NaturalGradientError.shapeMismatch(
            operation: "dense Fisher solve", expected: "a 2×2 Fisher matrix (the workspace's)", actual: "3×3")) {
            try w.solve(fisher: Matrix.identity(3), gradient: &g)
        }
        var h: [Double] = [1, 2, 3]
        #expect(throws: NaturalGradientError.shapeMismatch(
            operation: "dense Fisher solve", expected: "a gradient of length 2 (a 2×2 Fisher matrix)", actual: "length 3")) {
            try w.solve(fisher: Matrix.identity(2), gradient: &h)
        }
        #expect(throws: NaturalGradientError.self) { try NaturalGradient.solve(fisher: Matrix(rows: 2, columns: 3), gradient: [1, 2]) }
        #expect(throws: NaturalGradientError.self) {
            try NaturalGradient.solve(family: MultivariateNormal.standard(d: 2), naturalParameterGradient: [1])
        }
    }

    @Test("empirical Fisher: wrong G, wrong g, no samples, forced Woodbury with λ = 0")
    func empirical() {
        var w = EmpiricalFisherWorkspace(samples: 2, parameters: 3)
        var g: [Double] = [1, 2, 3]
        #expect(throws: NaturalGradientError.shapeMismatch(
            operation: "empirical Fisher solve", expected: "2×3 per-sample gradients (the workspace's)", actual: "3×3")) {
            try w.solve(gradients: Matrix.identity(3), gradient: &g, damping: 0.1)
        }
        var short: [Double] = [1]
        #expect(throws: NaturalGradientError.self) {
            try w.solve(gradients: Matrix(rows: 2, columns: 3), gradient: &short, damping: 0.1)
        }
        var empty = EmpiricalFisherWorkspace(samples: 0, parameters: 3)
        #expect(throws: NaturalGradientError.noSamples) {
            try empty.solve(gradients: Matrix(rows: 0, columns: 3), gradient: &g, damping: 0.1)
        }
        // GᵀG/n of no samples is the empty sum.
        #expect(EmpiricalFisherWorkspace.fisher(gradients: Matrix(rows: 0, columns: 2)) == Matrix(rows: 2, columns: 2))
        var square = EmpiricalFisherWorkspace(samples: 3, parameters: 3)
        #expect(throws: NaturalGradientError.woodburyNeedsDamping(0)) {
            try square.solve(gradients: Matrix.identity(3), gradient: &g, damping: 0, method: .woodbury)
        }
    }

    @Test("conjugate gradient and the fast-path step")
    func conjugateGradientAndStep() {
        var w = ConjugateGradientWorkspace(dimension: 2)
        var x: [Double] = [0, 0]
        #expect(throws: NaturalGradientError.self) {
            try w.solve(gradient: [1, 2, 3], solution: &x) { v, r in r = v }
        }
        #expect(throws: NaturalGradientError.shapeMismatch(
            operation: "natural-gradient step", expected: "a mean gradient of length 5 (the family's dimension)", actual: "length 1")) {
            try MultivariateNormal.standard(d: 2).naturalGradientStep(meanGradient: [1], stepSize: 1)
        }
    }
}
