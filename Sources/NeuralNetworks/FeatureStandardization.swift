import LinearAlgebra

/// Per-feature standardization x̃ⱼ = (xⱼ − mⱼ)/sⱼ with the training means mⱼ and standard deviations sⱼ
/// (divisor N); a constant feature (sⱼ = 0) keeps sⱼ = 1, so it maps to 0. Saved with a model so that
/// predictions use the training statistics.
public struct FeatureStandardization: Sendable, Equatable, Hashable, Codable {
    /// mⱼ.
    public var means: [Double]
    /// sⱼ (1 for a constant feature).
    public var scales: [Double]

    /// The statistics of the columns (samples) of a d × N matrix.
    public init(fitting features: Matrix) {
        let d = features.rows, n = features.columns
        var m = [Double](repeating: 0, count: d), s = m
        for i in 0..<n { for j in 0..<d { m[j] += features.elements[j + i * d] } }
        for j in 0..<d { m[j] /= Double(Swift.max(n, 1)) }
        for i in 0..<n { for j in 0..<d { let c = features.elements[j + i * d] - m[j]; s[j] += c * c } }
        for j in 0..<d { let v = (s[j] / Double(Swift.max(n, 1))).squareRoot(); s[j] = v > 0 ? v : 1 }
        means = m
        scales = s
    }

    /// Given statistics (e.g. read from a saved model).
    public init(means: [Double], scales: [Double]) {
        self.means = means
        self.scales = scales
    }

    /// The standardized copy of a d × N matrix.
    public func apply(_ features: Matrix) -> Matrix {
        precondition(features.rows == means.count, "\(features.rows) features for a standardization of \(means.count)")
        var out = features
        let d = features.rows
        for k in 0..<out.elements.count { let j = k % d; out.elements[k] = (out.elements[k] - means[j]) / scales[j] }
        return out
    }

    /// The standardized copy of labeled data (targets unchanged).
    public func apply(_ data: LabeledData, output: OutputFamily) throws(NeuralNetworkError) -> LabeledData {
        try LabeledData(features: apply(data.features), responses: data.responses, output: output)
    }
}
