// JSON forms of the variational posteriors, for saving a fit: the parameters a person reads (the mean
// and the precision), not the natural coordinates. Decoding goes through the validating initializers,
// so a file with a precision that is not positive definite, a NaN, or lengths that do not fit is a
// `DecodingError.dataCorrupted` carrying the `VariationalInferenceError`'s description.
import LinearAlgebra

/// `{"mean": [m], "precision": {"rows": d, "columns": d, "columnMajor": [S]}}`.
extension FullGaussianPosterior: Codable {
    private enum CodingKeys: String, CodingKey { case mean, precision }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let mean = try container.decode([Double].self, forKey: .mean)
        let precision = try container.decode(Matrix.self, forKey: .precision)
        do {
            try self.init(mean: mean, precision: precision)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .precision, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mean, forKey: .mean)
        try container.encode(precision, forKey: .precision)
    }
}

/// `{"mean": [m], "precisions": [s]}` (sⱼ = 1/σⱼ²).
extension DiagonalGaussianPosterior: Codable {
    private enum CodingKeys: String, CodingKey { case mean, precisions }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let mean = try container.decode([Double].self, forKey: .mean)
        let precisions = try container.decode([Double].self, forKey: .precisions)
        do {
            try self.init(mean: mean, precisions: precisions)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .precisions, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mean, forKey: .mean)
        try container.encode(precisions, forKey: .precisions)
    }
}
