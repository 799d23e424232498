import LinearAlgebra

/// The Bayesian learning rule for a diagonal Gaussian posterior q(w) = N(m, diag σ²) over the weights
/// (variational online Gauss–Newton, Khan et al. 2018; Osawa et al. 2019; with IVON's moving averages,
/// Shen et al. 2024).
///
/// For the objective N·E_q[L̄(w)] + (δ/2)‖w‖² (L̄ the mean loss, N the training-set size, δ the prior
/// precision), the natural-gradient update of q's natural parameters (m/σ², −1/(2σ²)) becomes, per step
/// on a batch:
///
///     w = m + σ ⊙ ε,  ε ~ N(0, I)                         (weight perturbation),
///     ĝ = ∇L̄(w),   ĥ = (1/B) Σ_b diag(∇ℓ_b(w; ỹ_b))²,  ỹ_b ~ p(· | w)   (Monte Carlo Gauss–Newton diagonal),
///     g ← β₁g + (1 − β₁)(ĝ + (δ/N)m),   h ← β₂h + (1 − β₂)ĥ,
///     m ← m − α·(g/(1 − β₁ᵗ)) / (h + δ/N),   σ² = 1/(N h + δ).
///
/// For a dense layer the per-sample squared gradients sum by one gemm: ĥ_W = (δ̃ ⊙ δ̃)(ā ⊙ ā)ᵀ/B, with δ̃
/// the per-sample output gradients of the sampled labels. The network passed to ``step(_:_:)`` holds m.
/// Predictions average μ(η) over posterior samples (``predictiveMeans(_:_:samples:seed:)``).
public struct BayesianLearningRule: NetworkOptimizer {
    /// g ← β₁g + (1 − β₁)(ĝ + (δ/N)m), h ← β₂h + (1 − β₂)ĥ, m ← m − α(g/c₁)/(h + δ/N), elementwise.
    private static func update(_ gHat: [Double], _ hHat: [Double], momentum: inout [Double], curvature: inout [Double],
                               mean: inout [Double], beta1: Double, beta2: Double, shrink: Double, learningRate: Double,
                               c1: Double) {
        for k in 0..<gHat.count {
            let m = mean[k]
            let g = beta1 * momentum[k] + (1 - beta1) * (gHat[k] + shrink * m)
            let h = beta2 * curvature[k] + (1 - beta2) * hHat[k]
            momentum[k] = g
            curvature[k] = h
            mean[k] = m - learningRate * (g / c1) / (h + shrink)
        }
    }

    /// w = m + ε/√(N h + δ), elementwise.
    private static func perturb(_ mean: [Double], _ h: [Double], n: Double, priorPrecision: Double,
                                random: inout NetworkRandom, into w: inout [Double]) {
        for k in 0..<mean.count {
            let sigma = 1 / (n * h[k] + priorPrecision).squareRoot()
            w[k] = mean[k] + sigma * random.normal()
        }
    }

    /// y = x ⊙ x.
    private static func square(_ x: [Double], into y: inout [Double]) {
        for k in 0..<x.count { let v = x[k]; y[k] = v * v }
    }

    /// "blr".
    public var name: String { "blr" }
    /// α.
    public var learningRate: Double
    /// β₁, the gradient moving-average decay.
    public var beta1: Double
    /// β₂, the curvature moving-average decay.
    public var beta2: Double
    /// δ.
    public var priorPrecision: Double
    /// N.
    public var datasetSize: Int
    /// h, the running Gauss–Newton diagonal (per-sample scale), shaped like the weights.
    public private(set) var curvature: [Matrix]
    private var momentum: [Matrix]
    private var gradient: [Matrix]
    private var hHat: [Matrix]
    private var squaredDeltas: [Matrix] = []
    private var squaredActivations: [Matrix] = []
    private var spareSquares: (deltas: [Matrix], activations: [Matrix]) = ([], [])
    private var sampled: [Double] = []
    private var perturbed: MultilayerPerceptron
    private var random: NetworkRandom
    private var t = 0

    /// The rule for `network`'s shapes; h starts at `initialCurvature` (so σ² starts at 1/(N h₀ + δ)).
    public init(for network: MultilayerPerceptron, datasetSize: Int, learningRate: Double = 0.1, beta1: Double = 0.9,
                beta2: Double = 0.999, priorPrecision: Double = 1, initialCurvature: Double = 0.1, seed: UInt64 = 1) {
        Swift.precondition(datasetSize >= 1 && priorPrecision > 0 && initialCurvature >= 0,
                           "BLR needs N ≥ 1, δ > 0, h₀ ≥ 0")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.priorPrecision = priorPrecision
        self.datasetSize = datasetSize
        curvature = network.weights.map { Matrix(rows: $0.rows, columns: $0.columns, repeating: initialCurvature) }
        momentum = network.zeroWeights()
        gradient = momentum
        hHat = momentum
        perturbed = network
        random = NetworkRandom(seed: seed)
    }

    /// σ² = 1/(N h + δ) for every weight, shaped like the weights.
    public var posteriorVariance: [Matrix] {
        curvature.map { h in
            var v = h
            for k in 0..<v.elements.count { v.elements[k] = 1 / (Double(datasetSize) * h.elements[k] + priorPrecision) }
            return v
        }
    }

    /// One BLR update (perturbation, gradient, MC Gauss–Newton diagonal, natural-gradient step of m and h);
    /// returns the batch loss at the sampled weights.
    public mutating func step(_ network: inout MultilayerPerceptron, _ ws: inout NetworkWorkspace) throws(NeuralNetworkError) -> Double {
        let L = network.layerCount
        let n = Double(datasetSize)
        for l in 0..<L {
            Self.perturb(network.weights[l].elements, curvature[l].elements, n: n, priorPrecision: priorPrecision,
                         random: &random, into: &perturbed.weights[l].elements)
        }
        let loss = perturbed.lossAndGradient(&ws, into: &gradient)
        if sampled.count < ws.means.elements.count { sampled = [Double](repeating: 0, count: ws.means.elements.count) }
        perturbed.backpropagateSampledLabels(&ws, sampled: &sampled, random: &random)
        // One set of square buffers per batch size (the trainer alternates full and remainder batches).
        if squaredDeltas.first?.columns != ws.batchSize {
            if spareSquares.deltas.first?.columns == ws.batchSize {
                swap(&squaredDeltas, &spareSquares.deltas)
                swap(&squaredActivations, &spareSquares.activations)
            } else {
                spareSquares = (squaredDeltas, squaredActivations)
                squaredDeltas = ws.deltas
                squaredActivations = ws.activations
            }
        }
        let invB = 1 / Double(ws.batchSize)
        for l in 0..<L {
            Self.square(ws.deltas[l].elements, into: &squaredDeltas[l].elements)
            Self.square(ws.activations[l].elements, into: &squaredActivations[l].elements)
            BLAS.gemm(squaredDeltas[l], transposed: false, squaredActivations[l], transposed: true, alpha: invB, into: &hHat[l])
        }
        t += 1
        let c1 = 1 - pow(beta1, Double(t))
        let shrink = priorPrecision / n
        for l in 0..<L {
            Self.update(gradient[l].elements, hHat[l].elements, momentum: &momentum[l].elements, curvature: &curvature[l].elements,
                        mean: &network.weights[l].elements, beta1: beta1, beta2: beta2, shrink: shrink,
                        learningRate: learningRate, c1: c1)
        }
        return loss
    }

    /// The predictive means (1/S) Σₛ μ(η(x; wₛ)), wₛ ~ q, at N samples (features d × N); S = 0 gives μ at m.
    /// - Throws: as ``MultilayerPerceptron/predictMeans(_:)``.
    public func predictiveMeans(_ network: MultilayerPerceptron, _ features: Matrix, samples: Int, seed: UInt64) throws(NeuralNetworkError) -> Matrix {
        if samples == 0 { return try network.predictMeans(features) }
        var r = NetworkRandom(seed: seed)
        var draw = network
        let variance = posteriorVariance
        var total = Matrix(rows: network.output.naturalDimension, columns: features.columns)
        for _ in 0..<samples {
            for l in 0..<network.layerCount {
                for k in 0..<draw.weights[l].elements.count {
                    draw.weights[l].elements[k] = network.weights[l].elements[k] + variance[l].elements[k].squareRoot() * r.normal()
                }
            }
            let mu = try draw.predictMeans(features)
            BLAS.axpy(1 / Double(samples), mu.elements, &total.elements)
        }
        return total
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
