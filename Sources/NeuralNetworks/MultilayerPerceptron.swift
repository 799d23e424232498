import LinearAlgebra

/// A multilayer perceptron with an exponential-family output: z₀ = W₀ā₀, aₗ = φ(zₗ₋₁), …, η = W_{L−1}ā_{L−1},
/// where āₗ = (aₗ, 1) appends a constant 1 so that the bias is the last column of Wₗ.
///
/// Layer l maps sizes[l] inputs to sizes[l+1] outputs with the (sizes[l+1]) × (sizes[l] + 1) matrix
/// Wₗ = [Vₗ bₗ]. Hidden layers apply ``Activation``; the last layer is linear and its output is the
/// natural parameter η of ``OutputFamily`` (so its size is `output.naturalDimension`).
///
/// Initialization (seeded, reproducible bit for bit): Vₗ entries N(0, s²/fan-in) with s² = 1 for tanh
/// (LeCun) and 2 for ReLU (He), biases 0.
public struct MultilayerPerceptron: Sendable, Equatable {
    /// [inputs, hidden₁, …, outputs].
    public let sizes: [Int]
    /// The hidden nonlinearity.
    public let activation: Activation
    /// The output family.
    public let output: OutputFamily
    /// Wₗ = [Vₗ bₗ], one per layer.
    public var weights: [Matrix]

    /// The number of layers L (weight matrices).
    public var layerCount: Int { weights.count }

    /// Σₗ sizes[l+1]·(sizes[l] + 1).
    public var parameterCount: Int { weights.reduce(0) { $0 + $1.elements.count } }

    /// A network with the given hidden widths, initialized from `seed`.
    /// Sizes ≤ 0 are programmer errors.
    public init(inputs: Int, hidden: [Int], activation: Activation, output: OutputFamily, seed: UInt64) {
        precondition(inputs > 0 && hidden.allSatisfy { $0 > 0 }, "layer sizes must be positive, got \(inputs), \(hidden)")
        if case let .categorical(k) = output { precondition(k >= 2, "a categorical output needs ≥ 2 classes, got \(k)") }
        sizes = [inputs] + hidden + [output.naturalDimension]
        self.activation = activation
        self.output = output
        var random = NetworkRandom(seed: seed)
        var w: [Matrix] = []
        for l in 0..<(sizes.count - 1) {
            let fanIn = sizes[l]
            var m = Matrix(rows: sizes[l + 1], columns: fanIn + 1)
            let scale = ((activation == .relu ? 2.0 : 1.0) / Double(fanIn)).squareRoot()
            for j in 0..<fanIn { for i in 0..<sizes[l + 1] { m[i, j] = scale * random.normal() } }
            w.append(m)
        }
        weights = w
    }

    /// A network with given weights (shapes checked by precondition: a programmer's construction).
    public init(sizes: [Int], activation: Activation, output: OutputFamily, weights: [Matrix]) {
        precondition(sizes.count >= 2 && weights.count == sizes.count - 1 && sizes.last == output.naturalDimension,
                     "sizes \(sizes) do not fit \(weights.count) layers and output \(output)")
        for l in 0..<weights.count {
            precondition(weights[l].rows == sizes[l + 1] && weights[l].columns == sizes[l] + 1,
                         "layer \(l) weights are \(weights[l].shapeDescription), expected \(sizes[l + 1])×\(sizes[l] + 1)")
        }
        self.sizes = sizes
        self.activation = activation
        self.output = output
        self.weights = weights
    }

    /// θ = (vec W₀, vec W₁, …), each Wₗ column-major.
    public var parameterVector: [Double] {
        var v: [Double] = []
        v.reserveCapacity(parameterCount)
        for w in weights { v.append(contentsOf: w.elements) }
        return v
    }

    /// Sets every Wₗ from θ laid out as ``parameterVector``.
    public mutating func setParameters(_ theta: [Double]) {
        precondition(theta.count == parameterCount, "θ of length \(theta.count) for \(parameterCount) parameters")
        var o = 0
        for l in weights.indices {
            let c = weights[l].elements.count
            for k in 0..<c { weights[l].elements[k] = theta[o + k] }
            o += c
        }
    }

    /// Zero matrices shaped like the weights (gradients, moments, directions).
    public func zeroWeights() -> [Matrix] { weights.map { Matrix(rows: $0.rows, columns: $0.columns) } }
}
