import LinearAlgebra

/// Samples for a network: features as a d × N matrix (column i is sample i) and the targets' sufficient
/// statistics T(yᵢ) as a k × N matrix (one-hot for a categorical output), with the raw targets kept.
public struct LabeledData: Sendable, Equatable {
    /// d × N.
    public let features: Matrix
    /// k × N, T(yᵢ) in column i.
    public let targets: Matrix
    /// yᵢ as given (empty for vector targets).
    public let responses: [Double]
    /// N.
    public var count: Int { features.columns }

    /// Checks and converts row-major samples.
    /// - Parameters:
    ///   - rows: N feature rows of d values each.
    ///   - responses: N targets in the support of `output`.
    ///   - output: the output family (its support constrains the responses).
    /// - Throws: ``NeuralNetworkError`` `.emptyData`, `.sampleCountMismatch`, `.featureCountMismatch`
    ///   (ragged rows), `.nonFiniteFeature`, `.invalidTarget`.
    public init(rows: [[Double]], responses: [Double], output: OutputFamily) throws(NeuralNetworkError) {
        guard !rows.isEmpty else { throw .emptyData }
        guard rows.count == responses.count else { throw .sampleCountMismatch(features: rows.count, targets: responses.count) }
        let d = rows[0].count
        var f = Matrix(rows: d, columns: rows.count)
        for (i, row) in rows.enumerated() {
            guard row.count == d else { throw .featureCountMismatch(columns: row.count, expected: d) }
            for (j, v) in row.enumerated() {
                guard v.isFinite else { throw .nonFiniteFeature(sample: i, feature: j) }
                f.elements[j + i * d] = v
            }
        }
        try self.init(features: f, responses: responses, output: output)
    }

    /// From a d × N feature matrix (columns are samples).
    /// - Throws: as ``init(rows:responses:output:)``.
    public init(features: Matrix, responses: [Double], output: OutputFamily) throws(NeuralNetworkError) {
        guard features.columns > 0 else { throw .emptyData }
        guard features.columns == responses.count else {
            throw .sampleCountMismatch(features: features.columns, targets: responses.count)
        }
        if let (r, c) = features.firstNonFiniteEntry { throw .nonFiniteFeature(sample: c, feature: r) }
        let k = output.naturalDimension
        var t = [Double](repeating: 0, count: k * responses.count)
        for (i, y) in responses.enumerated() {
            try output.writeSufficientStatistic(y, index: i, into: &t, column: i)
        }
        self.features = features
        self.targets = Matrix(rows: k, columns: responses.count, columnMajor: t)
        self.responses = responses
    }

    /// Vector targets for a ``OutputFamily/diagonalNormal(dimensions:)`` output: T(yᵢ) = yᵢ, column i of
    /// `targets` (k × N).
    /// - Throws: `.emptyData`, `.sampleCountMismatch`, `.featureCountMismatch` (k ≠ the output's
    ///   dimension), `.nonFiniteFeature` (NaN/±∞ in features or targets), `.invalidTarget` for another family.
    public init(features: Matrix, targets: Matrix, output: OutputFamily) throws(NeuralNetworkError) {
        guard features.columns > 0 else { throw .emptyData }
        guard case let .diagonalNormal(k) = output else {
            throw .invalidTarget(index: 0, value: .nan, family: output.description + " (vector targets need diagonalNormal)")
        }
        guard targets.columns == features.columns else {
            throw .sampleCountMismatch(features: features.columns, targets: targets.columns)
        }
        guard targets.rows == k else { throw .featureCountMismatch(columns: targets.rows, expected: k) }
        if let (r, c) = features.firstNonFiniteEntry { throw .nonFiniteFeature(sample: c, feature: r) }
        if let (r, c) = targets.firstNonFiniteEntry { throw .nonFiniteFeature(sample: c, feature: r) }
        self.features = features
        self.targets = targets
        responses = []
    }
}
