/// Why a streaming fit (`GeneralizedLinearModel.fit(streaming:)`) failed: the model's own error (row
/// indices are the source's 0-based rows), or the source's read error, passed through.
public enum StreamingFitError<SourceError: Error>: Error, CustomStringConvertible {
    /// The model's error (input checks, collinearity, step halving, convergence).
    case model(GLMError)
    /// The source's read error, as it threw it.
    case source(SourceError)

    /// The wrapped error's message.
    public var description: String {
        switch self {
        case let .model(error): return error.description
        case let .source(error): return "\(error)"
        }
    }
}
