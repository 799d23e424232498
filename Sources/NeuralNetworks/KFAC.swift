import LinearAlgebra
import NaturalGradientOptimizer

/// Kronecker-factored approximate curvature (Martens & Grosse 2015) for a ``MultilayerPerceptron``.
///
/// Per step on a batch: the gradient ∇Wₗ (true labels); the factor estimates from one backward pass
/// with labels drawn from the model (``KroneckerFactors``, moving averages with decay ε); every
/// `refactorEvery` steps damped Cholesky factors of each A and G (π-adjusted damping γ = λ + η); the
/// preconditioned direction Δₗ = −(G + (√γ/π)I)⁻¹∇Wₗ(A + π√γ I)⁻¹; the step length from the exact
/// Gauss–Newton quadratic model on the batch (M&G §6.4),
///
///     α* = −gᵀΔ / (Δᵀ(C + γI)Δ),   C the GN matrix (one GN product),
///
/// and the update W ← W + α*Δ. Every `adaptEvery` steps λ is adapted by the Levenberg–Marquardt rule
/// from ρ = (L(θ + α*Δ) − L(θ)) / (α* gᵀΔ + ½α*² ΔᵀCΔ) on the same batch (one extra forward pass).
/// η is an L2 weight decay (0 by default); its gradient ηW is added.
public struct KFAC: NetworkOptimizer {
    /// "kfac".
    public var name: String { "kfac" }
    /// The LM rule for λ.
    public let dampingRule: LevenbergMarquardtRule
    /// λ now.
    public private(set) var damping: Double
    /// ε of the factor moving averages.
    public var decay: Double
    /// Steps between refactorizations (k).
    public var refactorEvery: Int
    /// Steps between λ adaptations.
    public var adaptEvery: Int
    /// η.
    public var weightDecay: Double
    /// Cap on α* (1 by default: never longer than the preconditioned step).
    public var maximumStepScale: Double
    /// The last ρ measured.
    public private(set) var lastRatio: Double = .nan
    /// Per-layer factors.
    public private(set) var factors: [KroneckerFactors]
    private var gradient: [Matrix]
    private var direction: [Matrix]
    private var product: [Matrix]
    private var sampled: [Double] = []
    private var random: NetworkRandom
    private var steps = 0
    private var trialNetwork: MultilayerPerceptron

    /// K-FAC for `network`'s shapes; `seed` drives the Monte Carlo labels.
    public init(
        for network: MultilayerPerceptron,
        dampingRule: LevenbergMarquardtRule = LevenbergMarquardtRule(initialDamping: 1e-1, increaseFactor: 1.5,
                                                                     decreaseFactor: 2.0 / 3.0, minimumDamping: 1e-6),
        decay: Double = 0.95, refactorEvery: Int = 5, adaptEvery: Int = 5, weightDecay: Double = 0,
        maximumStepScale: Double = 1, seed: UInt64 = 1
    ) {
        Swift.precondition(refactorEvery >= 1 && adaptEvery >= 1, "refactorEvery and adaptEvery must be ≥ 1")
        self.dampingRule = dampingRule
        damping = dampingRule.initialDamping
        self.decay = decay
        self.refactorEvery = refactorEvery
        self.adaptEvery = adaptEvery
        self.weightDecay = weightDecay
        self.maximumStepScale = maximumStepScale
        factors = (0..<network.layerCount).map { KroneckerFactors(inputs: network.sizes[$0], outputs: network.sizes[$0 + 1]) }
        gradient = network.zeroWeights()
        direction = gradient
        product = gradient
        random = NetworkRandom(seed: seed)
        trialNetwork = network
    }

    /// One K-FAC update on the loaded batch; returns the batch loss (with the weight-decay term) before it.
    public mutating func step(_ network: inout MultilayerPerceptron, _ ws: inout NetworkWorkspace) throws(NeuralNetworkError) -> Double {
        let L = network.layerCount
        var loss = network.lossAndGradient(&ws, into: &gradient)
        if weightDecay != 0 {
            for l in 0..<L {
                BLAS.axpy(weightDecay, network.weights[l].elements, &gradient[l].elements)
                loss += 0.5 * weightDecay * BLAS.dot(network.weights[l].elements, network.weights[l].elements)
            }
        }
        // Factor statistics from model-sampled labels (activations are still those of this batch).
        // Sized for the largest batch seen; a smaller (remainder) batch uses a prefix, so alternating batch
        // sizes allocate nothing after the first of each.
        if sampled.count < ws.means.elements.count { sampled = [Double](repeating: 0, count: ws.means.elements.count) }
        network.backpropagateSampledLabels(&ws, sampled: &sampled, random: &random)
        for l in 0..<L { factors[l].accumulate(activations: ws.activations[l], deltas: ws.deltas[l], decay: decay) }
        let gamma = damping + weightDecay
        if steps % refactorEvery == 0 || !factors[0].isFactored {
            for l in 0..<L { try factors[l].refactor(damping: gamma, layer: l) }
        }
        steps += 1
        // Δ = −F̂⁻¹g.
        var gDelta = 0.0, deltaNorm2 = 0.0
        for l in 0..<L {
            negate(gradient[l].elements, into: &direction[l].elements)
            try factors[l].precondition(&direction[l], layer: l)
            gDelta += BLAS.dot(gradient[l].elements, direction[l].elements)
            deltaNorm2 += BLAS.dot(direction[l].elements, direction[l].elements)
        }
        // ΔᵀCΔ from the exact GN on this batch (the forward state is still this batch's).
        network.gaussNewtonProduct(&ws, direction: direction, into: &product)
        var curvature = 0.0
        for l in 0..<L { curvature += BLAS.dot(direction[l].elements, product[l].elements) }
        curvature += weightDecay * deltaNorm2
        var alpha = -gDelta / (curvature + damping * deltaNorm2)
        if !(alpha > 0) || !alpha.isFinite { alpha = 0 }
        alpha = Swift.min(alpha, maximumStepScale)
        let adapt = steps % adaptEvery == 0
        if adapt {
            for l in 0..<L {
                addScaled(network.weights[l].elements, alpha, direction[l].elements, into: &trialNetwork.weights[l].elements)
            }
            var trialLoss = trialNetwork.forward(&ws)
            if weightDecay != 0 {
                for l in 0..<L { trialLoss += 0.5 * weightDecay * BLAS.dot(trialNetwork.weights[l].elements, trialNetwork.weights[l].elements) }
            }
            let predicted = alpha * gDelta + 0.5 * alpha * alpha * curvature
            lastRatio = predicted < 0 ? (trialLoss - loss) / predicted : .nan
            damping = dampingRule.nextDamping(after: damping, ratio: lastRatio.isNaN ? 0.5 : lastRatio)
            if trialLoss.isFinite { swap(&network.weights, &trialNetwork.weights) }
        } else {
            for l in 0..<L { BLAS.axpy(alpha, direction[l].elements, &network.weights[l].elements) }
        }
        return loss
    }
}

/// y = −x.
private func negate(_ x: [Double], into y: inout [Double]) {
    for k in 0..<x.count { y[k] = -x[k] }
}

/// z = x + αy.
private func addScaled(_ x: [Double], _ alpha: Double, _ y: [Double], into z: inout [Double]) {
    for k in 0..<x.count { z[k] = x[k] + alpha * y[k] }
}
