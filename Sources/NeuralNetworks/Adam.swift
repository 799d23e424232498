import LinearAlgebra

/// Adam (Kingma & Ba 2015) on every weight w with gradient g of the batch loss:
///
///     m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
///     w ← w − η·m̂/(√v̂ + ε),  m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).
public struct Adam: NetworkOptimizer {
    /// m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w − (η/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε), elementwise.
    private static func update(_ g: [Double], m: inout [Double], v: inout [Double], w: inout [Double],
                               beta1: Double, beta2: Double, stepSize: Double, root2: Double, epsilon: Double) {
        for k in 0..<g.count {
            let mk = beta1 * m[k] + (1 - beta1) * g[k]
            let vk = beta2 * v[k] + (1 - beta2) * g[k] * g[k]
            m[k] = mk
            v[k] = vk
            w[k] -= stepSize * mk / (vk.squareRoot() / root2 + epsilon)
        }
    }

    /// "adam".
    public var name: String { "adam" }
    /// η.
    public var learningRate: Double
    /// β₁, the first-moment decay.
    public var beta1: Double
    /// β₂, the second-moment decay.
    public var beta2: Double
    /// ε in the denominator.
    public var epsilon: Double
    private var m: [Matrix]
    private var v: [Matrix]
    private var gradient: [Matrix]
    private var t = 0

    /// Adam for `network`'s shapes (defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8, PyTorch's).
    public init(for network: MultilayerPerceptron, learningRate: Double = 1e-3, beta1: Double = 0.9,
                beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        m = network.zeroWeights()
        v = m
        gradient = m
    }

    /// One Adam update from the batch gradient; returns the batch loss before it.
    public mutating func step(_ network: inout MultilayerPerceptron, _ ws: inout NetworkWorkspace) throws(NeuralNetworkError) -> Double {
        let loss = network.lossAndGradient(&ws, into: &gradient)
        t += 1
        let c1 = 1 - pow(beta1, Double(t)), c2 = 1 - pow(beta2, Double(t))
        let stepSize = learningRate / c1
        let root2 = c2.squareRoot()
        for l in 0..<network.layerCount {
            Self.update(gradient[l].elements, m: &m[l].elements, v: &v[l].elements, w: &network.weights[l].elements,
                        beta1: beta1, beta2: beta2, stepSize: stepSize, root2: root2, epsilon: epsilon)
        }
        return loss
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
