import LinearAlgebra

extension MultilayerPerceptron {
    /// Backpropagates Monte Carlo labels: draws ỹ_b ~ p(· | η_b) for every sample, sets
    /// δ_{L−1} = ∇ηℓ(η; ỹ) (μ − T(ỹ) in natural parameters; per sample, not divided by B) and backpropagates, so that column b of δₗ is
    /// ∂ℓ(η_b; ỹ_b)/∂zₗ. Then E_ỹ[δ δᵀ] is the Fisher of the output pulled back to zₗ, the quantity
    /// K-FAC's G and the BLR's diagonal Gauss–Newton estimate average. Needs a ``forward(_:)`` first;
    /// `sampled` (k × B) receives T(ỹ).
    func backpropagateSampledLabels(_ ws: inout NetworkWorkspace, sampled: inout [Double], random: inout NetworkRandom) {
        let L = layerCount
        let mu = ws.means.elements
        for j in 0..<ws.batchSize { output.sampleSufficientStatistic(mean: mu, column: j, into: &sampled, random: &random) }
        output.writeOutputGradient(scale: 1, mean: mu, targets: sampled, into: &ws.deltas[L - 1].elements)
        backpropagate(&ws)
    }
}
