import Testing
import Foundation
import LinearAlgebra
import NaturalGradientOptimizer
import NeuralNetworks
import TestSupport

/// Multinomial logistic regression by Fisher scoring, written independently of the network code:
/// class K − 1 is the reference (β_{K−1} = 0), p = softmax(Xβ₀, …, Xβ_{K−2}, 0), and each step solves
/// the dense (K−1)(d+1) system H Δ = ∇ with H_{(k,a),(l,b)} = Σᵢ pᵢₖ(δₖₗ − pᵢₗ) xᵢₐ xᵢᵦ (xᵢ with a 1 appended).
func multinomialFisherScoring(_ data: LabeledData, classes K: Int) throws -> [[Double]] {
    let d = data.features.rows + 1
    let n = data.count
    let q = (K - 1) * d
    var beta = [Double](repeating: 0, count: q)
    func x(_ i: Int, _ a: Int) -> Double { a == d - 1 ? 1 : data.features[a, i] }
    for _ in 0..<50 {
        var grad = [Double](repeating: 0, count: q)
        var h = Matrix(rows: q, columns: q)
        for i in 0..<n {
            var eta = [Double](repeating: 0, count: K)
            for k in 0..<(K - 1) { for a in 0..<d { eta[k] += beta[k * d + a] * x(i, a) } }
            let m = eta.max()!
            let e = eta.map { Foundation.exp($0 - m) }
            let s = e.reduce(0, +)
            let p = e.map { $0 / s }
            let y = Int(data.responses[i])
            for k in 0..<(K - 1) {
                for a in 0..<d { grad[k * d + a] += ((y == k ? 1 : 0) - p[k]) * x(i, a) }
                for l in 0..<(K - 1) {
                    let w = p[k] * ((k == l ? 1 : 0) - p[l])
                    for a in 0..<d { for b in 0..<d { h[k * d + a, l * d + b] += w * x(i, a) * x(i, b) } }
                }
            }
        }
        let step = try Cholesky(h).solving(grad)
        for j in 0..<q { beta[j] += step[j] }
        if BLAS.norm(step) <= 1e-13 * Swift.max(1, BLAS.norm(beta)) { break }
    }
    return (0..<(K - 1)).map { Array(beta[($0 * d)..<(($0 + 1) * d)]) }
}

@Suite("A softmax network without hidden layers is multinomial logistic regression")
struct SoftmaxMaximumLikelihoodTests {
    @Test("the exact-Fisher LM optimizer reaches the Fisher-scoring MLE", arguments: [NetworkObjective.CurvatureForm.dense, .products])
    func reachesMaximumLikelihood(form: NetworkObjective.CurvatureForm) throws {
        let K = 3
        let data = try syntheticData(.categorical(classes: K), samples: 300, features: 3, seed: 77)
        let reference = try multinomialFisherScoring(data, classes: K)
        let net = MultilayerPerceptron(inputs: 3, hidden: [], activation: .tanh, output: .categorical(classes: K), seed: 5)
        var objective = try NetworkObjective(network: net, data: data, curvatureForm: form)
        var optimizer = NaturalGradientOptimizer(
            parameterCount: net.parameterCount,
            options: OptimizerOptions(
                damping: .levenbergMarquardt(LevenbergMarquardtRule(initialDamping: 1e-3, minimumDamping: 1e-12)),
                maximumIterations: 100, gradientTolerance: 1e-12))
        let result = try optimizer.minimize(&objective, from: net.parameterVector)
        #expect(result.termination == .gradientTolerance)
        var fitted = net
        fitted.setParameters(result.parameters)
        let w = fitted.weights[0]   // K × (d + 1)
        // Softmax is invariant to a common shift of the logits: compare logit differences to class K − 1.
        for k in 0..<(K - 1) {
            let difference = (0..<4).map { w[k, $0] - w[K - 1, $0] }
            #expect(relativeError(difference, reference[k]) <= 1e-8)
        }
        print("softmax MLE (\(form)): \(result.iterations.count) LM steps, final λ \(result.damping)")
    }
}
