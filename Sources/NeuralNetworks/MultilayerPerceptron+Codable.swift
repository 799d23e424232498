import LinearAlgebra

/// JSON form of a network: `{"sizes", "activation", "output", "weights"}` with each Wₗ as its
/// column-major entries (sizes[l+1] × (sizes[l] + 1), bias last column). Decoding checks every shape and
/// that every weight is finite, and throws `DecodingError.dataCorrupted` otherwise.
extension MultilayerPerceptron: Codable {
    private enum CodingKeys: String, CodingKey { case sizes, activation, output, weights }

    /// Decodes and checks a network (shapes, finiteness).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let sizes = try c.decode([Int].self, forKey: .sizes)
        let activation = try c.decode(Activation.self, forKey: .activation)
        let output = try c.decode(OutputFamily.self, forKey: .output)
        let raw = try c.decode([[Double]].self, forKey: .weights)
        func corrupt(_ why: String) -> DecodingError {
            .dataCorrupted(DecodingError.Context(codingPath: c.codingPath, debugDescription: why))
        }
        guard sizes.count >= 2, sizes.allSatisfy({ $0 > 0 && $0 <= 1 << 20 }), sizes.last == output.naturalDimension else {
            throw corrupt("layer sizes \(sizes) do not fit the \(output.description) output")
        }
        if case let .categorical(k) = output, k < 2 { throw corrupt("a categorical output needs ≥ 2 classes") }
        guard raw.count == sizes.count - 1 else { throw corrupt("\(raw.count) weight matrices for \(sizes.count - 1) layers") }
        var weights: [Matrix] = []
        for l in 0..<raw.count {
            let r = sizes[l + 1], cols = sizes[l] + 1
            guard raw[l].count == r * cols else { throw corrupt("layer \(l + 1) has \(raw[l].count) weights, expected \(r)×\(cols)") }
            guard raw[l].allSatisfy({ $0.isFinite }) else { throw corrupt("layer \(l + 1) has a non-finite weight") }
            weights.append(Matrix(rows: r, columns: cols, columnMajor: raw[l]))
        }
        self.init(sizes: sizes, activation: activation, output: output, weights: weights)
    }

    /// Encodes sizes, activation, output and the column-major weights.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sizes, forKey: .sizes)
        try c.encode(activation, forKey: .activation)
        try c.encode(output, forKey: .output)
        try c.encode(weights.map(\.elements), forKey: .weights)
    }
}
