import LinearAlgebra
import Testing
import VariationalInference

/// Mismatched shapes at the variational entry points are thrown errors naming both shapes.
@Suite("Variational shape errors")
struct ShapeErrorTests {
    @Test("BayesianGLM, FullGaussianPosterior and DiagonalGaussianPosterior with mismatched inputs")
    func mismatches() {
        let x = Matrix(rows: [[1.0, 0], [1, 1], [1, 2]])
        #expect(throws: VariationalInferenceError.shapeMismatch(
            operation: "BayesianGLM", expected: "3 responses (the design is 3×2)", actual: "2 responses")) {
            try BayesianGLM(design: x, response: [1, 0], likelihood: .bernoulliLogit, priorPrecision: 1)
        }
        #expect(throws: VariationalInferenceError.self) {
            try FullGaussianPosterior(mean: [0, 0], precision: Matrix.identity(3))
        }
        #expect(throws: VariationalInferenceError.self) {
            try FullGaussianPosterior(naturalParameters: [0, 0, 0], dimension: 2)
        }
        #expect(throws: VariationalInferenceError.shapeMismatch(
            operation: "DiagonalGaussianPosterior", expected: "2 precisions (the mean has length 2)", actual: "1")) {
            try DiagonalGaussianPosterior(mean: [0, 0], precisions: [1])
        }
    }

    @Test("posterior conditioning: exact for the diagonal, the pivot ratio for the full precision")
    func conditioning() throws {
        #expect(try DiagonalGaussianPosterior(mean: [0, 0, 0], precisions: [2, 8, 4]).precisionReciprocalCondition == 0.25)
        // S = diag(4, 1): L = diag(2, 1), (min/max)² = 1/4 = λ_min/λ_max exactly for a diagonal S.
        #expect(try FullGaussianPosterior(mean: [0, 0], precision: Matrix.diagonal([4, 1])).precisionPivotRatio == 0.25)
    }
}
