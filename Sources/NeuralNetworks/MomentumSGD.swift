import LinearAlgebra

/// Stochastic gradient descent with heavy-ball momentum (PyTorch's form):
///
///     u ← μu + g,   w ← w − η·u.
public struct MomentumSGD: NetworkOptimizer {
    public var name: String { "sgd" }
    /// η.
    public var learningRate: Double
    /// μ.
    public var momentum: Double
    private var velocity: [Matrix]
    private var gradient: [Matrix]

    public init(for network: MultilayerPerceptron, learningRate: Double = 0.05, momentum: Double = 0.9) {
        self.learningRate = learningRate
        self.momentum = momentum
        velocity = network.zeroWeights()
        gradient = velocity
    }

    public mutating func step(_ network: inout MultilayerPerceptron, _ ws: inout NetworkWorkspace) throws(NeuralNetworkError) -> Double {
        let loss = network.lossAndGradient(&ws, into: &gradient)
        for l in 0..<network.layerCount {
            let g = gradient[l].elements
            for k in 0..<g.count {
                let u = momentum * velocity[l].elements[k] + g[k]
                velocity[l].elements[k] = u
                network.weights[l].elements[k] -= learningRate * u
            }
        }
        return loss
    }
}
