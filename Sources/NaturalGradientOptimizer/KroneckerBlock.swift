import LinearAlgebra

/// One layer's Kronecker-factored curvature C_b ≈ A ⊗ G over the parameters vec(W), W an r × c matrix
/// stored column-major at `offset` in θ (K-FAC's form: A = E[āāᵀ] is c × c, G = E[ggᵀ] is r × r).
///
/// The optimizer solves each block with π-adjusted Tikhonov damping (Martens & Grosse 2015, §6.3):
///
///     (A + π√λ I) ⊗ (G + (√λ/π) I),   π = √[(tr A/c)/(tr G/r)],
///
/// i.e. ΔW = (G + (√λ/π)I)⁻¹ ∇W (A + π√λ I)⁻¹, and evaluates the model's curvature term as
/// vec(V)ᵀ(A ⊗ G)vec(V) = Σᵢⱼ (GV)ᵢⱼ(VA)ᵢⱼ. Only the lower triangles of A and G are factored.
public struct KroneckerBlock: Sendable {
    /// A, c × c, symmetric positive semidefinite.
    public var inputFactor: Matrix
    /// G, r × r, symmetric positive semidefinite.
    public var outputFactor: Matrix
    /// Index of W's first entry in θ.
    public var offset: Int

    /// A block with A (c × c), G (r × r) and the offset of vec W in θ.
    public init(inputFactor: Matrix, outputFactor: Matrix, offset: Int) {
        self.inputFactor = inputFactor
        self.outputFactor = outputFactor
        self.offset = offset
    }

    /// r·c, the number of parameters of the block.
    public var parameterCount: Int { inputFactor.rows * outputFactor.rows }

    /// π = √[(tr A/c)/(tr G/r)], 1 when either trace is 0 or the ratio is not finite.
    var pi: Double {
        var ta = 0.0, tg = 0.0
        for i in 0..<inputFactor.rows { ta += inputFactor[i, i] }
        for i in 0..<outputFactor.rows { tg += outputFactor[i, i] }
        let ratio = (ta / Double(inputFactor.rows)) / (tg / Double(outputFactor.rows))
        return ratio > 0 && ratio.isFinite ? ratio.squareRoot() : 1
    }
}
