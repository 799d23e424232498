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
                multiplyDerivativeIntoAugmented(activation, ws.rPreactivations[l].elements, outputs: ws.activations[l + 1].elements,
                                                rows: out, columns: b, into: &ws.rActivations[l + 1].elements)
            }
        }
        scaledFisherTimes(output, 1 / Double(b), ws.rPreactivations[L - 1].elements, means: ws.means.elements, columns: b,
                          into: &ws.deltas[L - 1].elements)
        backpropagate(&ws)
        accumulateWeightGradients(ws, into: &result)
    }
}
