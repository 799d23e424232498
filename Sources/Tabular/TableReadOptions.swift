/// How a delimited text file is read.
///
/// The defaults read what spreadsheet programs, Python's `csv` module, pandas and R write: a comma
/// between fields, `"` around fields that hold a delimiter, a quote or a line break (a quote inside is
/// doubled), any mix of LF, CRLF and CR line endings, and an optional UTF-8 byte-order mark.
public struct TableReadOptions: Sendable, Equatable {
    /// The field delimiter, one ASCII byte other than `"`, CR or LF; `nil` picks a tab for files whose
    /// name ends in `.tsv` or `.tab` and a comma otherwise.
    public var delimiter: UInt8?
    /// Cell texts (after trimming spaces) that mean "missing". A quoted cell is compared the same way.
    public var missingTokens: [String]

    /// The tokens pandas and R treat as missing, without the ones that are easily data:
    /// empty, `NA`, `NaN`, `nan`, `null`, `NULL`, `N/A`, `#N/A` and `.` (SAS and Stata).
    public static let defaultMissingTokens = ["", "NA", "NaN", "nan", "null", "NULL", "N/A", "#N/A", "."]

    /// Options with the given delimiter (nil: from the file name) and missing-value tokens.
    public init(delimiter: UInt8? = nil, missingTokens: [String] = TableReadOptions.defaultMissingTokens) {
        self.delimiter = delimiter
        self.missingTokens = missingTokens
    }

    /// The delimiter for a source: the explicit one, else by file extension.
    /// - Throws: `TableError.invalidOption` for a delimiter that is a quote, CR, LF, NUL or not ASCII.
    func resolvedDelimiter(for source: TableSource) throws(TableError) -> UInt8 {
        if let delimiter {
            guard delimiter < 0x80, ![UInt8(ascii: "\""), 0x0A, 0x0D, 0].contains(delimiter) else {
                throw .invalidOption("the delimiter must be one ASCII character other than a quote or a line break")
            }
            return delimiter
        }
        if case let .file(path) = source {
            let lower = path.lowercased()
            if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return 0x09 }
        }
        return UInt8(ascii: ",")
    }
}
