import LinearAlgebra
import Testing
@testable import VariationalInference

@Suite("Bad inputs give typed errors")
struct BadInputTests {
    let x = Matrix(rows: [[1, 0.5], [1, -0.3], [1, 2.0]])

    @Test("empty data")
    func empty() {
        #expect(throws: VariationalInferenceError.emptyData(rows: 0, columns: 2)) {
            _ = try BayesianGLM(design: Matrix(rows: 0, columns: 2), response: [], likelihood: .bernoulliLogit, priorPrecision: 1)
        }
        #expect(throws: VariationalInferenceError.emptyData(rows: 3, columns: 0)) {
            _ = try BayesianGLM(design: Matrix(rows: 3, columns: 0), response: [0, 1, 0], likelihood: .bernoulliLogit, priorPrecision: 1)
        }
    }

    @Test("NaN and ±∞ in the design", arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteDesign(value: Double) {
        var bad = x
        bad[2, 1] = value
        #expect(throws: VariationalInferenceError.nonFiniteDesign(row: 2, column: 1)) {
            _ = try BayesianGLM(design: bad, response: [0, 1, 0], likelihood: .bernoulliLogit, priorPrecision: 1)
        }
    }

    @Test("responses outside the support",
          arguments: [(GLMLikelihood.bernoulliLogit, 2.0), (.bernoulliLogit, 0.5), (.poissonLog, -1.0), (.poissonLog, 1.5),
                      (.gaussian(noisePrecision: 1), .nan), (.poissonLog, .infinity)])
    func badResponse(likelihood: GLMLikelihood, value: Double) {
        do {
            _ = try BayesianGLM(design: x, response: [0, value, 1], likelihood: likelihood, priorPrecision: 1)
            Issue.record("no error for response \(value)")
        } catch {
            guard case let .invalidResponse(index, _, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(index == 1)
        }
    }

    @Test("hyperparameters outside their domains", arguments: [0.0, -1.0, .nan, .infinity])
    func badHyperparameters(value: Double) {
        #expect(throws: VariationalInferenceError.self) {
            _ = try BayesianGLM(design: x, response: [0, 1, 1], likelihood: .bernoulliLogit, priorPrecision: value)
        }
        #expect(throws: VariationalInferenceError.self) {
            _ = try BayesianGLM(design: x, response: [0, 1, 1], likelihood: .gaussian(noisePrecision: value), priorPrecision: 1)
        }
    }

    @Test("invalid options and step sizes")
    func badOptions() throws {
        let model = try BayesianGLM(design: x, response: [0, 1, 1], likelihood: .bernoulliLogit, priorPrecision: 1)
        for options in [VariationalOptions(initialStepSize: 0), VariationalOptions(maximumStepSize: 1.5),
                        VariationalOptions(relativeTolerance: -1), VariationalOptions(maximumIterations: 0),
                        VariationalOptions(expectation: .gaussHermite(nodes: 0)), VariationalOptions(expectation: .closedForm)] {
            #expect(throws: VariationalInferenceError.self) { _ = try model.fitFullCovariance(options: options) }
            #expect(throws: VariationalInferenceError.self) { _ = try model.fitDiagonal(options: options) }
        }
        let prior = try FullGaussianPosterior.prior(dimension: 2, precision: 1)
        #expect(throws: VariationalInferenceError.self) { _ = try model.learningRuleStep(from: prior, stepSize: 0) }
        #expect(throws: VariationalInferenceError.self) { _ = try model.learningRuleStep(from: prior, stepSize: 1.5) }
        #expect(throws: VariationalInferenceError.self) { _ = try model.fitByEuclideanGradientAscent(stepSize: -1) }
    }

    @Test("invalid posteriors: indefinite precision, non-positive variances, bad natural parameters")
    func badPosteriors() {
        #expect(throws: VariationalInferenceError.self) {
            _ = try FullGaussianPosterior(mean: [0, 0], precision: Matrix(rows: [[1, 2], [2, 1]]))
        }
        #expect(throws: VariationalInferenceError.self) {
            _ = try FullGaussianPosterior(mean: [.nan, 0], precision: .identity(2))
        }
        #expect(throws: VariationalInferenceError.self) {
            _ = try DiagonalGaussianPosterior(mean: [0, 0], precisions: [1, 0])
        }
        // Λ must be negative definite: +½I is not.
        #expect(throws: VariationalInferenceError.self) {
            _ = try FullGaussianPosterior(naturalParameters: [0, 0, 0.5, 0, 0.5], dimension: 2)
        }
    }

    @Test("iteration cap is reported as non-convergence")
    func iterationCap() throws {
        let model = try BayesianGLM(design: x, response: [0, 1, 1], likelihood: .bernoulliLogit, priorPrecision: 1)
        let fit = try model.fitFullCovariance(options: VariationalOptions(relativeTolerance: 0, maximumIterations: 2))
        #expect(!fit.converged)
        #expect(fit.termination == .iterationLimit)
        #expect(fit.iterations == 2)
        #expect(fit.elboHistory.count == 3)
    }

    @Test("separable logistic data still give a proper posterior (the prior keeps it bounded)")
    func separable() throws {
        let model = try BayesianGLM(design: x, response: [1, 0, 1], likelihood: .bernoulliLogit, priorPrecision: 0.01)
        let fit = try model.fitFullCovariance()
        #expect(fit.converged)
        #expect(fit.posterior.mean.allSatisfy { $0.isFinite })
        _ = try fit.posterior.covariance()
    }
}

@Suite("Positive definiteness is never given up")
struct PositiveDefinitenessTests {
    @Test("a blend toward an indefinite target is refused at ρ = 1 and accepted once ρ is small enough")
    func indefiniteTargetIsRejected() throws {
        let x = Matrix(rows: [[1, 0.5], [1, -0.3], [1, 2.0]])
        let model = try BayesianGLM(design: x, response: [0, 1, 1], likelihood: .bernoulliLogit, priorPrecision: 1)
        let q = try FullGaussianPosterior.prior(dimension: 2, precision: 1)
        var ws = FullCovarianceWorkspace(n: 3, d: 2)
        // Target precision −I (what a non-concave likelihood could produce): (1 − ρ)I + ρ(−I) is
        // indefinite for ρ > ½ and positive definite for ρ < ½.
        ws.targetPrecision = Matrix(rows: [[-1, 0], [0, -1]])
        #expect(throws: LinearAlgebraError.self) { _ = try model.blend(q, rho: 1, workspace: &ws) }
        #expect(throws: LinearAlgebraError.self) { _ = try model.blend(q, rho: 0.5, workspace: &ws) }
        let accepted = try model.blend(q, rho: 0.25, workspace: &ws)
        #expect(accepted.precision == Matrix(rows: [[0.5, 0], [0, 0.5]]))
    }
}
