/// A delimited text table, parsed column by column: only the selected columns are kept, numbers
/// as `Double`s and text dictionary-encoded (no `String` per numeric cell).
///
/// Header rules: an empty header cell (the index column pandas' `to_csv()` and R's `write.csv`
/// write) or one named `Unnamed: N` is a *row-label column*: listed in `rowLabelColumns`, never part
/// of `.all`. Other header names must be unique.
public struct Table: Sendable {
    /// The source's name, for messages.
    public let source: String
    /// Every header cell, trimmed, in file order.
    public let header: [String]
    /// Header cells that are row labels (empty or `Unnamed: N`).
    public let rowLabelColumns: [String]
    /// The parsed columns' names, in selection order.
    public let columnNames: [String]
    /// Number of data rows.
    public let rowCount: Int
    private let columns: [String: TableColumn]
    private let lines: RowLines

    init(source: String, header: [String], rowLabelColumns: [String], columnNames: [String],
         columns: [String: TableColumn], rowCount: Int, lines: RowLines) {
        self.source = source
        self.header = header
        self.rowLabelColumns = rowLabelColumns
        self.columnNames = columnNames
        self.columns = columns
        self.rowCount = rowCount
        self.lines = lines
    }

    /// Reads a table. - Parameters:
    ///   - source: a file (read in chunks), standard input or bytes. A file whose name ends in `.ngb` is
    ///     read as the binary format (`NGBReader.table(columns:)`; `options` do not apply to it).
    ///   - options: delimiter and missing-value tokens.
    ///   - columns: the columns to parse.
    /// - Throws: `TableError`: I/O, encoding, quoting and shape errors with their row and column;
    ///   `duplicateColumns`, `unknownColumn`, `notFinite` (an infinite number in a numeric column),
    ///   `empty`, `noDataRows`.
    public static func read(_ source: TableSource, options: TableReadOptions = TableReadOptions(),
                            columns: ColumnSelection = .all) throws(TableError) -> Table {
        if case let .file(path) = source, NGBFormat.isNGBPath(path) {
            let reader: NGBReader
            do { reader = try NGBReader(path: path) } catch { throw .binaryFile(error) }
            return try reader.table(columns: columns)
        }
        return try TableParser(source: source, options: options).read(columns)
    }

    /// Whether the header has this column.
    public func hasColumn(_ name: String) -> Bool { header.contains(name) }

    /// A parsed column. - Throws: `unknownColumn` when it was not parsed or does not exist.
    public func column(_ name: String) throws(TableError) -> TableColumn {
        guard let column = columns[name] else {
            throw .unknownColumn(source: source, name: name, available: header.filter { !rowLabelColumns.contains($0) })
        }
        return column
    }

    /// The line in the file on which data row `row` (0-based) starts.
    public func line(ofRow row: Int) -> Int { lines.line(ofRow: row) }

    /// The column's values in `rows` (all rows by default) as finite numbers.
    /// - Throws: `unknownColumn`; `notANumber` for the first text cell; `missingValues` for a missing cell.
    public func numbers(_ name: String, rows: [Int]? = nil) throws(TableError) -> [Double] {
        let column = try self.column(name)
        let indices = rows ?? Array(0..<rowCount)
        switch column {
        case let .numbers(values):
            var result = [Double]()
            result.reserveCapacity(indices.count)
            for i in indices {
                let v = values[i]
                if v.isNaN {
                    let incomplete = indices.reduce(0) { $0 + (values[$1].isNaN ? 1 : 0) }
                    throw .missingValues(source: source, incompleteRows: incomplete, firstRow: line(ofRow: i), column: name)
                }
                result.append(v)
            }
            return result
        case let .text(codes, values):
            for i in indices where codes[i] >= 0 {
                let text = values[Int(codes[i])]
                if Double(text) == nil {
                    throw .notANumber(source: source, row: line(ofRow: i), column: name, text: text)
                }
            }
            throw .invalidDesign("\(source): column '\(name)' is not numeric")
        }
    }

    /// The column's values in `rows` as integers (counts, labels).
    /// - Throws: as `numbers`, or `notAnInteger`.
    public func integers(_ name: String, rows: [Int]? = nil) throws(TableError) -> [Int] {
        let values = try numbers(name, rows: rows)
        let indices = rows ?? Array(0..<rowCount)
        var result = [Int]()
        result.reserveCapacity(values.count)
        for (k, v) in values.enumerated() {
            guard v == v.rounded(), Swift.abs(v) < 9.0e15 else {
                throw .notAnInteger(source: source, row: line(ofRow: indices[k]), column: name, value: v)
            }
            result.append(Int(v))
        }
        return result
    }

    /// The rows a model over `names` uses under `policy`.
    /// - Throws: `unknownColumn`; with `.error`, `missingValues` counting the incomplete rows; with
    ///   `.drop`, `noCompleteRows` when nothing is left.
    public func rows(complete names: [String], policy: MissingPolicy) throws(TableError) -> RowSelection {
        var used: [(String, TableColumn)] = []
        for name in names { used.append((name, try column(name))) }
        var kept: [Int] = []
        kept.reserveCapacity(rowCount)
        var firstIncomplete: (row: Int, column: String)?
        for i in 0..<rowCount {
            var complete = true
            for (name, column) in used where column.isMissing(i) {
                complete = false
                if firstIncomplete == nil { firstIncomplete = (i, name) }
                break
            }
            if complete { kept.append(i) }
        }
        if let first = firstIncomplete, policy == .error {
            throw .missingValues(source: source, incompleteRows: rowCount - kept.count,
                                 firstRow: line(ofRow: first.row), column: first.column)
        }
        if kept.isEmpty { throw .noCompleteRows(source: source, rowsRead: rowCount) }
        return RowSelection(rows: kept, rowsRead: rowCount)
    }
}
