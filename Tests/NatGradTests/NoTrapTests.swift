import NatGrad
import Testing

/// A child process (a Swift Testing exit test) calls every public entry point that receives data with
/// mismatched shapes; it must exit normally. A precondition failure would end it with a signal.
@Suite("No public data path traps")
struct NoTrapTests {
    @Test("mismatched shapes at every data boundary: the child process exits with success")
    func childProcessSurvivesMalformedInput() async {
        await #expect(processExitsWith: .success) {
            let square = Matrix(rows: [[4, 1], [1, 3]])
            let three = Matrix.identity(3)
            var v: [Double] = [1, 2, 3]
            _ = try? Cholesky(Matrix(rows: 2, columns: 3))
            _ = try? Cholesky(square).solving(v)
            var c = try! Cholesky(square)
            _ = try? c.refactor(three)
            _ = try? c.solveLower(&v)
            var dense = DenseFisherWorkspace(dimension: 2)
            _ = try? dense.solve(fisher: three, gradient: &v)
            _ = try? NaturalGradient.solve(fisher: square, gradient: v)
            _ = try? NaturalGradient.solve(family: MultivariateNormal.standard(d: 2), naturalParameterGradient: v)
            var empirical = EmpiricalFisherWorkspace(samples: 2, parameters: 3)
            _ = try? empirical.solve(gradients: three, gradient: &v, damping: 0.1)
            var none = EmpiricalFisherWorkspace(samples: 0, parameters: 3)
            _ = try? none.solve(gradients: Matrix(rows: 0, columns: 3), gradient: &v, damping: 0.1)
            var woodbury = EmpiricalFisherWorkspace(samples: 3, parameters: 3)
            _ = try? woodbury.solve(gradients: three, gradient: &v, damping: 0, method: .woodbury)
            var cg = ConjugateGradientWorkspace(dimension: 2)
            var x: [Double] = [0, 0]
            _ = try? cg.solve(gradient: v, solution: &x) { a, r in r = a }
            _ = try? MultivariateNormal.standard(d: 2).naturalGradientStep(meanGradient: [1], stepSize: 1)
            let model = try! GeneralizedLinearModel(family: .poisson)
            let design = Matrix(rows: [[0.0], [1], [2], [3]])
            _ = try? model.fit(GLMData(features: design, response: [1, 2]))
            _ = try? model.fit(GLMData(features: design, response: [1, 2, 2, 5], weights: [1]))
            _ = try? model.fit(GLMData(features: design, featureNames: ["a", "b"], response: [1, 2, 2, 5]))
            _ = try? BayesianGLM(design: design, response: [1], likelihood: .poissonLog, priorPrecision: 1)
            _ = try? FullGaussianPosterior(mean: [0, 0], precision: three)
            _ = try? FullGaussianPosterior(naturalParameters: [0], dimension: 2)
            _ = try? DiagonalGaussianPosterior(mean: [0, 0], precisions: [1])
        }
    }
}
