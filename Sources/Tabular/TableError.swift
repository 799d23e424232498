/// Why a table could not be read, or a design could not be built from it.
///
/// Row numbers are the file's own line numbers, 1-based (the header is usually row 1), so that an
/// editor jumps to them; a record whose quoted field spans several lines is numbered by the line it
/// starts on. Columns are named by their header text.
public enum TableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or read (`reason` is the system's message).
    case cannotRead(source: String, reason: String)
    /// The input holds no header row.
    case empty(source: String)
    /// The header is followed by no data row.
    case noDataRows(source: String)
    /// A byte sequence that is not UTF-8.
    case invalidUTF8(source: String, row: Int, column: String)
    /// A NUL byte (0x00), which no text file holds.
    case nulByte(source: String, row: Int, column: String)
    /// A quoted field that is never closed.
    case unterminatedQuote(source: String, row: Int, column: String)
    /// Characters after the closing quote of a field (`"a"b`).
    case textAfterQuote(source: String, row: Int, column: String)
    /// A row with a different number of cells than the header.
    case raggedRow(source: String, row: Int, cells: Int, expected: Int)
    /// Two header cells with the same name.
    case duplicateColumns(source: String, names: [String])
    /// A column asked for that the header does not have.
    case unknownColumn(source: String, name: String, available: [String])
    /// A column asked for as numbers holds text.
    case notANumber(source: String, row: Int, column: String, text: String)
    /// A number that is infinite (`inf`, `1e999`).
    case notFinite(source: String, row: Int, column: String, text: String)
    /// Missing cells in the columns a model uses, with the policy `.error`.
    case missingValues(source: String, incompleteRows: Int, firstRow: Int, column: String)
    /// Every row has a missing cell in the columns a model uses.
    case noCompleteRows(source: String, rowsRead: Int)
    /// A value that is not an integer where one is required.
    case notAnInteger(source: String, row: Int, column: String, value: Double)
    /// A read option that cannot work (a delimiter that is a quote or a line break, say).
    case invalidOption(String)
    /// A categorical level in new data that the design was not built with.
    case unseenLevel(source: String, row: Int, column: String, level: String, known: [String])
    /// A reference level that the column does not have.
    case unknownReference(column: String, level: String, known: [String])
    /// A design that cannot be built as asked (a feature named like the intercept, a categorical
    /// column with one level, a column listed twice).
    case invalidDesign(String)
    /// An `.ngb` file that cannot be read or is corrupt.
    case binaryFile(NGBError)

    public var description: String {
        switch self {
        case let .cannotRead(source, reason): return "\(source): cannot read the file (\(reason))"
        case let .empty(source): return "\(source): the file is empty (a header row is required)"
        case let .noDataRows(source): return "\(source): no data rows after the header"
        case let .invalidUTF8(source, row, column):
            return "\(source): row \(row), column '\(column)': the bytes are not valid UTF-8 (save the file as UTF-8)"
        case let .nulByte(source, row, column):
            return "\(source): row \(row), column '\(column)': a NUL byte (0x00); the file is not a text file or is corrupted"
        case let .unterminatedQuote(source, row, column):
            return "\(source): row \(row), column '\(column)': a quoted field is never closed"
        case let .textAfterQuote(source, row, column):
            return "\(source): row \(row), column '\(column)': text after the closing quote (a quote inside a quoted field is written \"\")"
        case let .raggedRow(source, row, cells, expected):
            return "\(source): row \(row) has \(cells) cells, the header has \(expected)"
        case let .duplicateColumns(source, names):
            return "\(source): the header names \(names.map { "'\($0)'" }.joined(separator: ", ")) more than once; column names must be unique"
        case let .unknownColumn(source, name, available):
            return "\(source): no column named '\(name)' (columns: \(available.joined(separator: ", ")))"
        case let .notANumber(source, row, column, text):
            return "\(source): row \(row), column '\(column)': '\(text)' is not a number"
        case let .notFinite(source, row, column, text):
            return "\(source): row \(row), column '\(column)': '\(text)' is not finite"
        case let .missingValues(source, count, firstRow, column):
            return "\(source): \(count) row\(count == 1 ? " has" : "s have") missing values in the columns the model uses "
                + "(first: row \(firstRow), column '\(column)'); drop them with --missing drop"
        case let .noCompleteRows(source, rowsRead):
            return "\(source): all \(rowsRead) rows have a missing value in the columns the model uses"
        case let .notAnInteger(source, row, column, value):
            return "\(source): row \(row), column '\(column)': \(value) is not an integer"
        case let .invalidOption(message): return message
        case let .unseenLevel(source, row, column, level, known):
            return "\(source): row \(row), column '\(column)': level '\(level)' was not seen when the model was fitted "
                + "(levels: \(known.joined(separator: ", ")))"
        case let .unknownReference(column, level, known):
            return "column '\(column)' has no level '\(level)' for the reference (levels: \(known.joined(separator: ", ")))"
        case let .invalidDesign(message): return message
        case let .binaryFile(error): return error.description
        }
    }
}
