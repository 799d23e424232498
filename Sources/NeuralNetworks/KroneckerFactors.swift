import LinearAlgebra

/// K-FAC's approximation of one layer's Fisher block, F_l ≈ A ⊗ G (Martens & Grosse 2015):
///
///     A = E[ā āᵀ]  ((in + 1) × (in + 1), the layer's inputs with the constant 1),
///     G = E[g gᵀ]  (out × out, g = ∂ℓ/∂z for labels drawn from the model),
///
/// each kept as an exponential moving average A ← εA + (1 − ε)Â, and inverted through damped Cholesky
/// factors with π-adjusted Tikhonov damping (M&G §6.3): for total damping γ,
///
///     (A + π√γ I) ⊗ (G + (√γ/π) I),   π = √[(tr A/(in + 1)) / (tr G/out)],
///
/// so the update ΔW = (G + (√γ/π)I)⁻¹ ∇W (A + π√γ I)⁻¹ costs two triangular solve pairs per layer.
public struct KroneckerFactors: Sendable {
    /// A.
    public internal(set) var inputCovariance: Matrix
    /// G.
    public internal(set) var outputGradientCovariance: Matrix
    /// Estimates averaged so far.
    public internal(set) var updates: Int
    private var factorA: Cholesky?
    private var factorG: Cholesky?
    private var transposeBuffer: Matrix

    init(inputs: Int, outputs: Int) {
        inputCovariance = Matrix(rows: inputs + 1, columns: inputs + 1)
        outputGradientCovariance = Matrix(rows: outputs, columns: outputs)
        transposeBuffer = Matrix(rows: inputs + 1, columns: outputs)
        updates = 0
    }

    /// A ← εA + (1 − ε)āāᵀ/B and G ← εG + (1 − ε)δδᵀ/B, each as one gemm with β = ε (the first batch
    /// replaces: ε = 0). ε is `decay`, capped by 1 − 1/(t + 1) so that early averages are plain means.
    mutating func accumulate(activations a: Matrix, deltas d: Matrix, decay: Double) {
        let b = Double(a.columns)
        let e = updates == 0 ? 0 : Swift.min(decay, 1 - 1 / Double(updates + 1))
        BLAS.gemm(a, transposed: false, a, transposed: true, alpha: (1 - e) / b, beta: e, into: &inputCovariance)
        BLAS.gemm(d, transposed: false, d, transposed: true, alpha: (1 - e) / b, beta: e, into: &outputGradientCovariance)
        updates += 1
    }

    /// π = √[(tr A/dim A)/(tr G/dim G)], 1 when either trace is 0.
    var pi: Double {
        var ta = 0.0, tg = 0.0
        let na = inputCovariance.rows, ng = outputGradientCovariance.rows
        for i in 0..<na { ta += inputCovariance[i, i] }
        for i in 0..<ng { tg += outputGradientCovariance[i, i] }
        let r = (ta / Double(na)) / (tg / Double(ng))
        return r > 0 && r.isFinite ? r.squareRoot() : 1
    }

    /// Refactors A + π√γ I and G + (√γ/π) I.
    mutating func refactor(damping gamma: Double, layer: Int) throws(NeuralNetworkError) {
        let p = pi
        let s = gamma.squareRoot()
        do {
            if factorA == nil { factorA = try Cholesky(inputCovariance, damping: p * s) }
            else { try factorA!.refactor(inputCovariance, damping: p * s) }
        } catch { throw .factorizationFailed(layer: layer, factor: "A", description: error.description) }
        do {
            if factorG == nil { factorG = try Cholesky(outputGradientCovariance, damping: s / p) }
            else { try factorG!.refactor(outputGradientCovariance, damping: s / p) }
        } catch { throw .factorizationFailed(layer: layer, factor: "G", description: error.description) }
    }

    /// Whether factors exist (after the first ``refactor(damping:layer:)``).
    var isFactored: Bool { factorA != nil && factorG != nil }

    /// Overwrites `w` (out × (in + 1), a gradient) with (G + (√γ/π)I)⁻¹ w (A + π√γ I)⁻¹.
    mutating func precondition(_ w: inout Matrix, layer: Int) throws(NeuralNetworkError) {
        do {
            try factorG!.solve(&w)
            let r = w.rows, c = w.columns
            transpose(w.elements, rows: r, columns: c, into: &transposeBuffer.elements)
            try factorA!.solve(&transposeBuffer)
            transpose(transposeBuffer.elements, rows: c, columns: r, into: &w.elements)
        } catch {
            throw .factorizationFailed(layer: layer, factor: "solve", description: error.description)
        }
    }
}

/// y = xᵀ for an r × c column-major x (y is c × r).
private func transpose(_ x: [Double], rows r: Int, columns c: Int, into y: inout [Double]) {
    for j in 0..<c { for i in 0..<r { y[j + i * c] = x[i + j * r] } }
}
