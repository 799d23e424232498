import LinearAlgebra

extension MultilayerPerceptron {
    /// Backpropagation of δ_{L−1} (already in `ws.deltas`) to every layer:
    ///
    ///     δₗ₋₁ = φ′(aₗ) ⊙ (Vₗᵀ δₗ),   computed as the first sizes[l] rows of Wₗᵀδₗ (one gemm),
    ///
    /// with φ′ from the stored outputs aₗ.
    func backpropagate(_ ws: inout NetworkWorkspace) {
        let b = ws.batchSize
        for l in stride(from: layerCount - 1, to: 0, by: -1) {
            BLAS.gemm(weights[l], transposed: true, ws.deltas[l], into: &ws.backward[l])
            let width = sizes[l]
            multiplyByDerivative(activation, ws.backward[l].elements, outputs: ws.activations[l].elements, rows: width,
                                 columns: b, into: &ws.deltas[l - 1].elements)
        }
    }

    /// ∂/∂Wₗ = δₗāₗᵀ for every layer (one gemm each), into `gradient`.
    func accumulateWeightGradients(_ ws: NetworkWorkspace, into gradient: inout [Matrix]) {
        precondition(gradient.count == layerCount, "\(gradient.count) gradient matrices for \(layerCount) layers")
        for l in 0..<layerCount {
            BLAS.gemm(ws.deltas[l], transposed: false, ws.activations[l], transposed: true, into: &gradient[l])
        }
    }
}
