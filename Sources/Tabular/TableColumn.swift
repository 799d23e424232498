/// One column of a `Table`, as parsed.
///
/// A column is `numbers` when every cell that is not missing spells a decimal number, and `text`
/// otherwise (the rule of pandas' type inference: one non-numeric value makes the column text).
public enum TableColumn: Sendable, Equatable {
    /// Numbers; a missing cell is NaN (a literal NaN in the file is one of the missing-value tokens,
    /// and an infinite value is an error, so NaN means only "missing").
    case numbers([Double])
    /// Text, dictionary-encoded: `codes[i]` indexes `values` (in order of first appearance), −1 marks a
    /// missing cell.
    case text(codes: [Int32], values: [String])

    /// Number of rows.
    public var count: Int {
        switch self {
        case let .numbers(v): return v.count
        case let .text(codes, _): return codes.count
        }
    }

    /// Whether row `i` is missing.
    public func isMissing(_ i: Int) -> Bool {
        switch self {
        case let .numbers(v): return v[i].isNaN
        case let .text(codes, _): return codes[i] < 0
        }
    }
}

/// Which columns `Table.read` parses (the others are only scanned past).
public enum ColumnSelection: Sendable, Equatable {
    /// Every column but the row-label columns.
    case all
    /// These columns, in this order (a row-label column may be named explicitly).
    case named([String])
}

/// What to do with rows that have a missing cell in the columns a model uses.
public enum MissingPolicy: String, Sendable, Equatable, CaseIterable, Codable {
    /// Stop with `TableError.missingValues`, which counts the incomplete rows.
    case error
    /// Listwise deletion: drop every row with a missing cell in any column the model uses.
    case drop
}

/// The data rows a model uses, after the missing-value policy.
public struct RowSelection: Sendable, Equatable {
    /// Indices (0-based data rows) of the rows kept, increasing.
    public var rows: [Int]
    /// Number of data rows read.
    public var rowsRead: Int
    /// Number of rows dropped for missing values.
    public var rowsDropped: Int { rowsRead - rows.count }

    /// A selection keeping `rows` (0-based indices into the rows read) of `rowsRead` rows.
    public init(rows: [Int], rowsRead: Int) {
        self.rows = rows
        self.rowsRead = rowsRead
    }
}
