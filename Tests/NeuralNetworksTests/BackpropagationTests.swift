import Testing
import Foundation
import LinearAlgebra
import NeuralNetworks
import TestSupport

@Suite("MultilayerPerceptron: backpropagation and Gauss–Newton products")
struct BackpropagationTests {
    // 6 output families × 2 activations.
    static let cases: [(OutputFamily, Activation)] = allOutputs.flatMap { o in [(o, Activation.tanh), (o, .relu)] }

    @Test("backprop gradient equals central differences of the loss", arguments: cases)
    func gradientMatchesFiniteDifferences(output: OutputFamily, activation: Activation) throws {
        let data = try syntheticData(output, samples: 7, features: 3, seed: 21)
        var net = MultilayerPerceptron(inputs: 3, hidden: [4, 3], activation: activation, output: output, seed: 4)
        // Biases start at 0, so a sample whose ReLUs are all off has z = b = 0 exactly in the next layer:
        // a kink, where central differences average the one-sided slopes. Random biases move off it.
        var noise = SeededGenerator(seed: 40)
        net.setParameters(net.parameterVector.map { $0 + 0.1 * noise.nextGaussian() })
        var ws = NetworkWorkspace(for: net, batchSize: 7)
        ws.load(data, indices: Array(0..<7)[...])
        var grad = net.zeroWeights()
        net.lossAndGradient(&ws, into: &grad)
        let analytic = grad.flatMap { $0.elements }
        let theta = net.parameterVector
        let h = 1e-5
        var worst = 0.0
        for i in theta.indices {
            var plus = net, minus = net
            var tp = theta, tm = theta
            tp[i] += h; tm[i] -= h
            plus.setParameters(tp); minus.setParameters(tm)
            let fd = (plus.forward(&ws) - minus.forward(&ws)) / (2 * h)
            worst = Swift.max(worst, Swift.abs(fd - analytic[i]) / Swift.max(1, Swift.abs(analytic[i])))
        }
        // Central differences: O(h²) truncation ≈ 1e-10·|L‴| plus ε·|L|/h ≈ 1e-11 rounding. ReLU kinks
        // are not met at these random points (checked by the small error itself).
        #expect(worst <= 1e-7)
    }

    @Test("wᵀ(G v) equals (1/B) Σ (J w)ᵀ F(η) (J v) with J·v by central differences of η", arguments: cases)
    func gaussNewtonMatchesFiniteDifferences(output: OutputFamily, activation: Activation) throws {
        let data = try syntheticData(output, samples: 6, features: 3, seed: 22)
        let net = MultilayerPerceptron(inputs: 3, hidden: [5], activation: activation, output: output, seed: 8)
        var ws = NetworkWorkspace(for: net, batchSize: 6)
        ws.load(data, indices: Array(0..<6)[...])
        var g = SeededGenerator(seed: 99)
        let v = net.weights.map { randomGaussianMatrix($0.rows, $0.columns, using: &g) }
        let w = net.weights.map { randomGaussianMatrix($0.rows, $0.columns, using: &g) }
        net.forward(&ws)
        let means = ws.means
        var gv = net.zeroWeights()
        net.gaussNewtonProduct(&ws, direction: v, into: &gv)
        let analytic = zip(w, gv).reduce(0.0) { $0 + BLAS.dot($1.0.elements, $1.1.elements) }

        func jacobianTimes(_ dir: [Matrix]) -> [Double] {
            let h = 1e-5
            let theta = net.parameterVector
            let d = dir.flatMap { $0.elements }
            var plus = net, minus = net
            plus.setParameters(zip(theta, d).map { $0 + h * $1 })
            minus.setParameters(zip(theta, d).map { $0 - h * $1 })
            var wp = ws, wm = ws
            plus.forward(&wp); minus.forward(&wm)
            return zip(wp.preactivations.last!.elements, wm.preactivations.last!.elements).map { ($0 - $1) / (2 * h) }
        }
        let jv = jacobianTimes(v), jw = jacobianTimes(w)
        // F(η_b) from the family's formulas (diag(p) − ppᵀ, σ(1−σ), 1, e^η), written out here.
        let k = output.naturalDimension
        var reference = 0.0
        for b in 0..<6 {
            for r in 0..<k {
                for c in 0..<k {
                    let p = means.elements
                    let f: Double
                    switch output {
                    case .categorical: f = (r == c ? p[r + b * k] : 0) - p[r + b * k] * p[c + b * k]
                    case .bernoulli: f = p[b] * (1 - p[b])
                    case .normal: f = 1
                    case .diagonalNormal: f = r == c ? 1 : 0
                    // F = diag(τ, ½) with τ = e^{η₂} (the means buffer holds (μ, τ)).
                    case .normalWithLogPrecision: f = r != c ? 0 : (r == 0 ? p[1 + b * k] : 0.5)
                    case .poisson: f = p[b]
                    }
                    reference += jw[r + b * k] * f * jv[c + b * k]
                }
            }
        }
        reference /= 6
        #expect(Swift.abs(analytic - reference) <= 1e-7 * Swift.max(1, Swift.abs(reference)))
    }

    @Test("the GN product is symmetric: wᵀ(Gv) = vᵀ(Gw)")
    func gaussNewtonIsSymmetric() throws {
        let data = try syntheticData(.categorical(classes: 3), samples: 9, features: 4, seed: 3)
        let net = MultilayerPerceptron(inputs: 4, hidden: [6, 5], activation: .tanh, output: .categorical(classes: 3), seed: 1)
        var ws = NetworkWorkspace(for: net, batchSize: 9)
        ws.load(data, indices: Array(0..<9)[...])
        var g = SeededGenerator(seed: 7)
        let v = net.weights.map { randomGaussianMatrix($0.rows, $0.columns, using: &g) }
        let w = net.weights.map { randomGaussianMatrix($0.rows, $0.columns, using: &g) }
        net.forward(&ws)
        var gv = net.zeroWeights(), gw = net.zeroWeights()
        net.gaussNewtonProduct(&ws, direction: v, into: &gv)
        net.gaussNewtonProduct(&ws, direction: w, into: &gw)
        let a = zip(w, gv).reduce(0.0) { $0 + BLAS.dot($1.0.elements, $1.1.elements) }
        let b = zip(v, gw).reduce(0.0) { $0 + BLAS.dot($1.0.elements, $1.1.elements) }
        #expect(Swift.abs(a - b) <= 1e-12 * Swift.max(1, Swift.abs(a)))
    }

    @Test("bad data is a typed error")
    func badData() throws {
        #expect(throws: NeuralNetworkError.invalidTarget(index: 1, value: 3, family: "categorical(3)")) {
            try LabeledData(rows: [[0], [1]], responses: [0, 3], output: .categorical(classes: 3))
        }
        #expect(throws: NeuralNetworkError.sampleCountMismatch(features: 2, targets: 1)) {
            try LabeledData(rows: [[0], [1]], responses: [0], output: .normal)
        }
        #expect(throws: NeuralNetworkError.nonFiniteFeature(sample: 1, feature: 0)) {
            try LabeledData(rows: [[0], [.nan]], responses: [0, 1], output: .bernoulli)
        }
        #expect(throws: NeuralNetworkError.invalidTarget(index: 0, value: 0.5, family: "poisson")) {
            try LabeledData(rows: [[0]], responses: [0.5], output: .poisson)
        }
        // Data that do not fit the network: thrown at the boundary, never a trap in a workspace.
        var net = MultilayerPerceptron(inputs: 3, hidden: [2], activation: .tanh, output: .normal, seed: 1)
        let twoFeatures = try LabeledData(rows: [[0, 1], [1, 0]], responses: [0, 1], output: .normal)
        var adam = Adam(for: net)
        #expect(throws: NeuralNetworkError.featureCountMismatch(columns: 2, expected: 3)) {
            try Trainer(batchSize: 2, seed: 1).train(&net, on: twoFeatures, with: &adam, epochs: 1)
        }
        #expect(throws: NeuralNetworkError.featureCountMismatch(columns: 2, expected: 3)) {
            try net.predictMeans(twoFeatures.features)
        }
        #expect(throws: NeuralNetworkError.featureCountMismatch(columns: 2, expected: 3)) {
            try NetworkObjective(network: net, data: twoFeatures, curvatureForm: .dense)
        }
        #expect(throws: NeuralNetworkError.nonFiniteFeature(sample: 0, feature: 1)) {
            try net.predictMeans(Matrix(rows: 3, columns: 1, columnMajor: [0, .infinity, 0]))
        }
    }
}
