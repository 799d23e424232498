import LinearAlgebra

/// Stochastic gradient descent with heavy-ball momentum (PyTorch's form):
///
///     u ← μu + g,   w ← w − η·u.
public struct MomentumSGD: NetworkOptimizer {
    /// u ← μu + g, w ← w − ηu, elementwise.
    private static func update(_ g: [Double], velocity: inout [Double], w: inout [Double], learningRate: Double, momentum: Double) {
        for k in 0..<g.count {
            let u = momentum * velocity[k] + g[k]
            velocity[k] = u
            w[k] -= learningRate * u
        }
    }

    /// "sgd".
    public var name: String { "sgd" }
    /// η.
    public var learningRate: Double
    /// μ.
    public var momentum: Double
    private var velocity: [Matrix]
    private var gradient: [Matrix]

    /// SGD for `network`'s shapes (velocity starts at 0).
    public init(for network: MultilayerPerceptron, learningRate: Double = 0.05, momentum: Double = 0.9) {
        self.learningRate = learningRate
        self.momentum = momentum
        velocity = network.zeroWeights()
        gradient = velocity
    }

    /// One update from the batch gradient; returns the batch loss before it.
    public mutating func step(_ network: inout MultilayerPerceptron, _ ws: inout NetworkWorkspace) throws(NeuralNetworkError) -> Double {
        let loss = network.lossAndGradient(&ws, into: &gradient)
        for l in 0..<network.layerCount {
            Self.update(gradient[l].elements, velocity: &velocity[l].elements, w: &network.weights[l].elements,
                        learningRate: learningRate, momentum: momentum)
        }
        return loss
    }
}
