import Testing
import Foundation
import LinearAlgebra
import NaturalGradientOptimizer
import NeuralNetworks
import TestSupport

/// (A ⊗ G)[(j, i), (l, k)] = A[j, l]·G[i, k] for vec column-major W (index i + j·out).
func kronecker(_ a: Matrix, _ g: Matrix) -> Matrix {
    var k = Matrix(rows: a.rows * g.rows, columns: a.columns * g.columns)
    for j in 0..<a.rows { for l in 0..<a.columns { for i in 0..<g.rows { for m in 0..<g.columns {
        k[i + j * g.rows, m + l * g.rows] = a[j, l] * g[i, m]
    } } } }
    return k
}

@Suite("K-FAC")
struct KFACTests {
    @Test("one sample, one layer: A = āāᵀ exactly, G → F(η) (Monte Carlo), and A ⊗ F(η) is the exact Fisher block")
    func oneSampleOneLayerIsExact() throws {
        let K = 3
        let data = try LabeledData(rows: [[0.7, -1.2]], responses: [1], output: .categorical(classes: K))
        var net = MultilayerPerceptron(inputs: 2, hidden: [], activation: .tanh, output: .categorical(classes: K), seed: 3)
        var noise = SeededGenerator(seed: 9)
        net.setParameters(net.parameterVector.map { $0 + 0.3 * noise.nextGaussian() })
        let start = net
        // decay 1 makes the factor average a plain running mean over all steps.
        var kfac = KFAC(for: net, decay: 1, refactorEvery: 1000, adaptEvery: 1000, seed: 17)
        var ws = NetworkWorkspace(for: net, batchSize: 1)
        ws.load(data, indices: [0])
        let steps = 20000
        for _ in 0..<steps {
            net = start
            _ = try kfac.step(&net, &ws)
        }
        let a = kfac.factors[0].inputCovariance
        let abar = [0.7, -1.2, 1.0]
        // A is the running mean of 20,000 identical āāᵀ: each update εA + (1 − ε)Â rounds by ≤ 2ε, so the
        // worst-case drift is 4e4·ε ≈ 9e-12 relative.
        for j in 0..<3 { for l in 0..<3 { #expect(Swift.abs(a[j, l] - abar[j] * abar[l]) <= 1e-11 * Swift.abs(abar[j] * abar[l])) } }
        // F(η) = diag(p) − ppᵀ at η = W ā.
        let p = try start.predictMeans(Matrix(rows: 2, columns: 1, columnMajor: [0.7, -1.2])).elements
        var f = Matrix(rows: K, columns: K)
        for i in 0..<K { for k in 0..<K { f[i, k] = (i == k ? p[i] : 0) - p[i] * p[k] } }
        let g = kfac.factors[0].outputGradientCovariance
        // Monte Carlo: each entry of δδᵀ is bounded by 1, so its mean over 20,000 draws has standard
        // error ≤ 1/√20000 ≈ 0.007; 0.03 is over four standard errors.
        for i in 0..<K { for k in 0..<K { #expect(Swift.abs(g[i, k] - f[i, k]) <= 0.03) } }
        // The exact Fisher of the network (dense, from Gauss–Newton products) is A ⊗ F(η) to rounding.
        var objective = try NetworkObjective(network: start, data: data, curvatureForm: .dense)
        var grad = [Double](repeating: 0, count: start.parameterCount)
        guard case let .fisher(exact) = objective.evaluate(at: start.parameterVector, gradient: &grad).curvature else {
            Issue.record("dense curvature expected"); return
        }
        #expect(exact.isApproximatelyEqual(to: kronecker(a, f), relativeTolerance: 1e-14, absoluteFloor: 1e-15))
    }

    @Test("K-FAC lowers the training loss of a small tanh network")
    func reducesLoss() throws {
        let data = try syntheticData(.categorical(classes: 3), samples: 256, features: 5, seed: 12)
        var net = MultilayerPerceptron(inputs: 5, hidden: [16], activation: .tanh, output: .categorical(classes: 3), seed: 2)
        var eval = NetworkWorkspace(for: net, batchSize: 256)
        eval.load(data, indices: Array(0..<256)[...])
        let before = net.forward(&eval)
        var kfac = KFAC(for: net)
        let history = try Trainer(batchSize: 64, seed: 5).train(&net, on: data, with: &kfac, epochs: 10)
        #expect(history.last!.trainLoss < 0.8 * before)
    }
}
