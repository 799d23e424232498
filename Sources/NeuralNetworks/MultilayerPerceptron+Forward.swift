import LinearAlgebra

extension MultilayerPerceptron {
    /// The forward pass over the batch in `workspace` (inputs and targets loaded):
    /// zₗ = Wₗāₗ (one gemm per layer), aₗ₊₁ = φ(zₗ), μ = ∇A(η), and the mean loss
    ///
    ///     L = (1/B) Σ_b [A(η_b) − ⟨η_b, T(y_b)⟩ − log h(y_b)].
    ///
    /// - Returns: L (NaN/±∞ propagate: non-finite weights give a non-finite loss, never a trap).
    @discardableResult
    public func forward(_ ws: inout NetworkWorkspace) -> Double {
        let L = layerCount
        let b = ws.batchSize
        for l in 0..<L {
            BLAS.gemm(weights[l], ws.activations[l], into: &ws.preactivations[l])
            if l < L - 1 {
                let out = sizes[l + 1]
                applyActivation(activation, ws.preactivations[l].elements, rows: out, columns: b,
                                into: &ws.activations[l + 1].elements)
            }
        }
        let eta = ws.preactivations[L - 1].elements
        let t = ws.targets.elements
        let total = batchLoss(output, eta: eta, targets: t, columns: b, means: &ws.means.elements)
        return total / Double(b)
    }

    /// The mean loss L and its gradient ∂L/∂Wₗ = δₗāₗᵀ (written into `gradient`, shaped like the weights)
    /// by a forward pass, δ_{L−1} = (μ − T)/B and backpropagation.
    /// - Returns: L.
    @discardableResult
    public func lossAndGradient(_ ws: inout NetworkWorkspace, into gradient: inout [Matrix]) -> Double {
        let loss = forward(&ws)
        setOutputGradient(&ws, scale: 1 / Double(ws.batchSize))
        backpropagate(&ws)
        accumulateWeightGradients(ws, into: &gradient)
        return loss
    }

    /// δ_{L−1} = s·∇ηℓ for the loaded targets, s·(μ − T) in natural parameters (after ``forward(_:)``).
    func setOutputGradient(_ ws: inout NetworkWorkspace, scale s: Double) {
        let L = layerCount
        output.writeOutputGradient(scale: s, mean: ws.means.elements, targets: ws.targets.elements, into: &ws.deltas[L - 1].elements)
    }

    /// The means μ(η) (k × N) of the network at N samples (features d × N, columns are samples).
    /// - Throws: ``NeuralNetworkError/featureCountMismatch(columns:expected:)`` when d is not the
    ///   network's input count, `.emptyData` for N = 0, `.nonFiniteFeature` for NaN/±∞ features.
    public func predictMeans(_ features: Matrix) throws(NeuralNetworkError) -> Matrix {
        guard features.rows == sizes[0] else { throw .featureCountMismatch(columns: features.rows, expected: sizes[0]) }
        guard features.columns > 0 else { throw .emptyData }
        if let (r, c) = features.firstNonFiniteEntry { throw .nonFiniteFeature(sample: c, feature: r) }
        var ws = NetworkWorkspace(for: self, batchSize: features.columns)
        let d = sizes[0]
        for j in 0..<features.columns { for r in 0..<d { ws.activations[0].elements[r + j * (d + 1)] = features.elements[r + j * d] } }
        forward(&ws)
        return ws.means
    }

    /// Throws unless `data` fits the network: d inputs and k = dim η target rows.
    func check(_ data: LabeledData) throws(NeuralNetworkError) {
        guard data.features.rows == sizes[0] else { throw .featureCountMismatch(columns: data.features.rows, expected: sizes[0]) }
        guard data.targets.rows == output.naturalDimension else {
            throw .featureCountMismatch(columns: data.targets.rows, expected: output.naturalDimension)
        }
    }
}
