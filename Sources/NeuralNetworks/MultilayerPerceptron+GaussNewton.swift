import LinearAlgebra

extension MultilayerPerceptron {
    /// The Gauss–Newton (= Fisher, for these outputs) matrix–vector product
    ///
    ///     G·v = (1/B) Σ_b J_bᵀ F(η_b) J_b v,   J_b = ∂η_b/∂θ,
    ///
    /// by one forward-mode pass for J v (R-operator: R(zₗ) = Wₗ R(āₗ) + Vₗ āₗ, R(aₗ₊₁) = φ′(aₗ₊₁) ⊙ R(zₗ),
    /// R(ā₀) = 0), the output Fisher per sample, and backpropagation of F(η)Jv/B. `direction` is shaped like
    /// the weights; the product is written into `result`. Needs a ``forward(_:)`` on the same batch first;
    /// overwrites `ws.deltas`.
    public func gaussNewtonProduct(_ ws: inout NetworkWorkspace, direction v: [Matrix], into result: inout [Matrix]) {
        precondition(v.count == layerCount, "\(v.count) direction matrices for \(layerCount) layers")
        let L = layerCount
        let b = ws.batchSize
        for l in 0..<L {
            BLAS.gemm(v[l], ws.activations[l], into: &ws.rPreactivations[l])
            if l > 0 { BLAS.gemm(weights[l], ws.rActivations[l], beta: 1, into: &ws.rPreactivations[l]) }
            if l < L - 1 {
                let out = sizes[l + 1]
                let rz = ws.rPreactivations[l].elements
                let a = ws.activations[l + 1].elements
                for j in 0..<b {
                    for i in 0..<out {
                        let k = i + j * (out + 1)
                        ws.rActivations[l + 1].elements[k] = activation.derivative(output: a[k]) * rz[i + j * out]
                    }
                }
            }
        }
        let scale = 1 / Double(b)
        let k = output.naturalDimension
        for e in 0..<(k * b) { ws.deltas[L - 1].elements[e] = scale * ws.rPreactivations[L - 1].elements[e] }
        let mu = ws.means.elements
        for j in 0..<b { output.fisherTimes(&ws.deltas[L - 1].elements, mean: mu, column: j) }
        backpropagate(&ws)
        accumulateWeightGradients(ws, into: &result)
    }
}
