import Testing
import Foundation
import LinearAlgebra
import NeuralNetworks
import TestSupport

@Suite("Bayesian learning rule (diagonal Gaussian posterior)")
struct BayesianLearningRuleTests {
    @Test("on a linear-Gaussian model it reaches the exact (mean-field) posterior")
    func linearGaussianPosterior() throws {
        // y = xᵀw + ε, ε ~ N(0, 1), prior w ~ N(0, δ⁻¹I) on all d + 1 weights (bias included). The exact
        // posterior is N(P⁻¹Xᵀy, P⁻¹) with P = XᵀX + δI; the best diagonal Gaussian (the fixed point of
        // the BLR) has the same mean and variances 1/Pⱼⱼ.
        let n = 200, d = 3
        let data = try syntheticData(.normal, samples: n, features: d, seed: 31)
        let delta = 2.0
        var x = Matrix(rows: n, columns: d + 1)
        for i in 0..<n { for j in 0..<d { x[i, j] = data.features[j, i] }; x[i, d] = 1 }
        var precision = BLAS.gram(x)
        precision.addToDiagonal(delta)
        var xty = [Double](repeating: 0, count: d + 1)
        BLAS.gemv(x, transposed: true, data.responses, into: &xty)
        let exactMean = try Cholesky(precision).solving(xty)
        let exactVariance = (0..<(d + 1)).map { 1 / precision[$0, $0] }

        var net = MultilayerPerceptron(inputs: d, hidden: [], activation: .tanh, output: .normal, seed: 1)
        var blr = BayesianLearningRule(for: net, datasetSize: n, learningRate: 0.05, beta1: 0.9, beta2: 0.995,
                                       priorPrecision: delta, initialCurvature: 1, seed: 4)
        var ws = NetworkWorkspace(for: net, batchSize: n)
        ws.load(data, indices: Array(0..<n)[...])
        var meanSum = [Double](repeating: 0, count: d + 1)
        var varianceSum = [Double](repeating: 0, count: d + 1)
        let burnIn = 3000, averaged = 2000
        for s in 0..<(burnIn + averaged) {
            _ = try blr.step(&net, &ws)
            if s >= burnIn {
                BLAS.axpy(1, net.weights[0].elements, &meanSum)
                BLAS.axpy(1, blr.posteriorVariance[0].elements, &varianceSum)
            }
        }
        let mean = meanSum.map { $0 / Double(averaged) }
        let variance = varianceSum.map { $0 / Double(averaged) }
        print("BLR mean", mean, "exact", exactMean, "variance", variance, "exact", exactVariance)
        for j in 0...d {
            // The mean's stationary noise is ~√α·σⱼ per step, averaged over 2000 correlated steps: well
            // under 0.1σⱼ. The curvature average has ~1 % Monte Carlo error (β₂ = 0.995, N = 200).
            #expect(Swift.abs(mean[j] - exactMean[j]) <= 0.1 * exactVariance[j].squareRoot())
            #expect(Swift.abs(variance[j] / exactVariance[j] - 1) <= 0.05)
        }
    }
}
