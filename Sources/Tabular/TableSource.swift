/// Where a table's bytes come from.
public enum TableSource: Sendable, Equatable {
    /// A file, read in chunks (it is never held in memory whole).
    case file(String)
    /// The process's standard input (read to its end, then parsed).
    case standardInput
    /// Bytes already in memory, with a name for messages.
    case bytes([UInt8], name: String)
    /// One process's share of a file's rows: its header, then a byte range of whole lines (see
    /// `TableFileShare`), numbered as the lines of the whole file.
    case fileShare(TableFileShare)

    /// The command-line convention: `-` is standard input, anything else a path.
    public init(path: String) {
        self = path == "-" ? .standardInput : .file(path)
    }

    /// The name used in messages: the path, `<stdin>`, or the given name.
    public var name: String {
        switch self {
        case let .file(path): return path
        case .standardInput: return "<stdin>"
        case let .bytes(_, name): return name
        case let .fileShare(share): return share.path
        }
    }
}
