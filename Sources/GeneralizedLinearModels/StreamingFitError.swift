/// Why a streaming fit (`GeneralizedLinearModel.fit(streaming:)`) failed: the model's own error (row
/// indices are the source's 0-based rows), or the source's read error, passed through.
public enum StreamingFitError<SourceError: Error>: Error, CustomStringConvertible {
    case model(GLMError)
    case source(SourceError)

    public var description: String {
        switch self {
        case let .model(error): return error.description
        case let .source(error): return "\(error)"
        }
    }
}
