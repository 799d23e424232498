import LinearAlgebra

/// The buffers of a forward and backward pass over a batch of B samples (column b is sample b):
/// āₗ ((sizes[l] + 1) × B, last row 1), zₗ and δₗ = ∂ℓ/∂zₗ (sizes[l+1] × B), Wₗᵀδₗ, the output
/// means μ(η) and targets T(y) (k × B), and the directional-derivative (R-op) buffers of the
/// Gauss–Newton product. Built once per batch size; passes through it allocate nothing.
public struct NetworkWorkspace: Sendable {
    /// B.
    public let batchSize: Int
    /// āₗ for l = 0…L−1; ā₀ holds the inputs.
    public internal(set) var activations: [Matrix]
    /// zₗ; z_{L−1} = η.
    public internal(set) var preactivations: [Matrix]
    /// δₗ = ∂(loss)/∂zₗ.
    public internal(set) var deltas: [Matrix]
    var backward: [Matrix]
    /// μ(η), k × B.
    public internal(set) var means: Matrix
    /// T(y), k × B.
    public internal(set) var targets: Matrix
    var rActivations: [Matrix]
    var rPreactivations: [Matrix]

    /// Buffers for `network`'s shapes and batch size B ≥ 1.
    public init(for network: MultilayerPerceptron, batchSize b: Int) {
        precondition(b >= 1, "batch size must be ≥ 1, got \(b)")
        batchSize = b
        let s = network.sizes
        let L = s.count - 1
        activations = (0..<L).map { l in
            var m = Matrix(rows: s[l] + 1, columns: b)
            for j in 0..<b { m[s[l], j] = 1 }
            return m
        }
        preactivations = (0..<L).map { Matrix(rows: s[$0 + 1], columns: b) }
        deltas = preactivations
        backward = (0..<L).map { Matrix(rows: s[$0] + 1, columns: b) }
        means = Matrix(rows: s[L], columns: b)
        targets = means
        rActivations = (0..<L).map { Matrix(rows: s[$0] + 1, columns: b) }
        rPreactivations = preactivations
    }

    /// Copies the samples `indices` of `data` into ā₀ and T (indices.count must be B).
    public mutating func load(_ data: LabeledData, indices: ArraySlice<Int>) {
        precondition(indices.count == batchSize, "\(indices.count) samples for a workspace of batch size \(batchSize)")
        let d = data.features.rows, k = data.targets.rows
        precondition(activations[0].rows == d + 1 && targets.rows == k,
                     "data with \(d) features and \(k) target rows for a \(activations[0].rows - 1)-input network with \(targets.rows) outputs")
        var j = 0
        for i in indices {
            for r in 0..<d { activations[0].elements[r + j * (d + 1)] = data.features.elements[r + i * d] }
            for r in 0..<k { targets.elements[r + j * k] = data.targets.elements[r + i * k] }
            j += 1
        }
    }
}
