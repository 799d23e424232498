/// What bad data or a failed numerical step in the neural-network layer can cause, as typed values.
///
/// Shapes that only a programmer can get wrong (a workspace built for another network) are
/// preconditions; everything that arrives with data is one of these cases.
public enum NeuralNetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Feature rows and target count differ.
    case sampleCountMismatch(features: Int, targets: Int)
    /// A feature matrix has `columns` features where the network expects `expected`.
    case featureCountMismatch(columns: Int, expected: Int)
    /// Target `index` (0-based sample) is outside the output family's support.
    case invalidTarget(index: Int, value: Double, family: String)
    /// Feature (`sample`, `feature`) is NaN or ±∞.
    case nonFiniteFeature(sample: Int, feature: Int)
    /// No samples.
    case emptyData
    /// The training loss became NaN or ±∞ at `epoch` (the step size is too large for this problem).
    case divergence(epoch: Int, loss: Double)
    /// A Cholesky factorization of a damped Kronecker factor failed (layer, which factor).
    case factorizationFailed(layer: Int, factor: String, description: String)
    /// A saved model that cannot be read (the reason).
    case invalidModel(String)

    /// A one-line message (rows and features 1-based).
    public var description: String {
        switch self {
        case let .sampleCountMismatch(f, t): return "\(f) feature rows but \(t) targets"
        case let .featureCountMismatch(c, e): return "\(c) features, the network expects \(e)"
        case let .invalidTarget(i, v, fam): return "target \(v) of sample \(i + 1) is outside the support of the \(fam) output"
        case let .nonFiniteFeature(s, f): return "feature \(f + 1) of sample \(s + 1) is NaN or infinite"
        case .emptyData: return "no samples"
        case let .divergence(e, l): return "training diverged at epoch \(e): loss \(l)"
        case let .factorizationFailed(l, f, d): return "K-FAC factor \(f) of layer \(l + 1) could not be factored: \(d)"
        case let .invalidModel(r): return "invalid model: \(r)"
        }
    }
}
