/// CSV → `.ngb` in bounded memory: the delimited file is read twice in chunks of bytes, record by
/// record, and never held whole.
///
/// 1. The first pass decides each column's type by `Table.read`'s rule (numbers unless some cell that is
///    not missing fails to parse as a number), counts the rows and finds every error `Table.read` would
///    throw (ragged rows, bad quoting or UTF-8, an infinite number in a numeric column).
/// 2. The second pass writes the row groups as they fill (`NGBWriter`): numbers as float64 (NaN for a
///    missing cell), text as int32 codes into a level dictionary that grows in order of first
///    appearance (−1 for a missing cell), which is `Table`'s coding; the levels go into the descriptors
///    at the end of the file.
/// Missing cells (`options.missingTokens`) follow `missing`: kept as missing (NaN, code −1; a fit on
/// the file then applies its own policy to the columns it uses), an error (`missingValues`, counting
/// the incomplete rows, after the first pass), or rows with a missing cell left out.
/// Memory: one row group (G rows × R bytes), the read chunk (4 MB) and the distinct levels of the text
/// columns. Standard input is buffered whole (it cannot be read twice). Row-label columns (an empty
/// header or `Unnamed: N`) are not written. The result loads as the very `Table` that `Table.read`
/// gives for the CSV (bit for bit: the same parser, tokens and codes).
public enum NGBConversion {
    /// What a conversion does with a cell that is missing.
    public enum MissingCells: String, Sendable, Equatable, CaseIterable {
        /// Write it as missing: NaN in a float64 column, −1 in a categorical one.
        case keep
        /// Stop with `TableError.missingValues`.
        case error
        /// Leave out every row with a missing cell (listwise deletion over all columns).
        case drop
    }

    /// What a conversion wrote.
    public struct Summary: Sendable, Equatable {
        /// Data rows written.
        public var rows: Int
        /// Data rows read (more than `rows` when rows were dropped).
        public var rowsRead: Int
        /// The columns written, with the levels of the categorical ones.
        public var columns: [NGBColumn]
        /// Header cells skipped as row labels.
        public var rowLabelColumns: [String]
    }

    /// Converts a delimited text table to an `.ngb` file.
    /// - Parameters:
    ///   - source: the CSV (a file, standard input or bytes).
    ///   - options: delimiter and missing-value tokens, as for `Table.read`.
    ///   - path: the `.ngb` file to create (overwritten).
    ///   - missing: what to do with missing cells (default: keep them as missing).
    ///   - rowsPerGroup: G, rows per group (default 65 536).
    /// - Throws: `TableError` as `Table.read` (`empty`, `noDataRows`, `raggedRow`, `notFinite`, …);
    ///   `missingValues` (with `.error`), `noCompleteRows` (with `.drop`); `binaryFile` when the output cannot
    ///   be written.
    public static func convert(_ source: TableSource, options: TableReadOptions = TableReadOptions(), to path: String,
                               missing: MissingCells = .keep, rowsPerGroup: Int = NGBFormat.defaultRowsPerGroup) throws(TableError) -> Summary {
        let name = source.name
        let delimiter = try options.resolvedDelimiter(for: source)
        let tokens = options.missingTokens.map { Array($0.utf8) }
        var lengths = [Bool](repeating: false, count: 64)
        for token in tokens { if token.count < 64 { lengths[token.count] = true } else { lengths = [Bool](repeating: true, count: 64); break } }
        let buffered: [UInt8]? = source == .standardInput ? try ByteReader.readStandardInput() : nil
        func scanner() throws(TableError) -> RecordScanner {
            RecordScanner(reader: try ByteReader(source, bufferedStandardInput: buffered), delimiter: delimiter)
        }

        // Pass 1: header, types, row count, the errors.
        var scan = try scanner()
        defer { scan.close() }
        guard try scan.nextRecord() else { throw .empty(source: name) }
        let header = (0..<scan.fields.count).map { scan.string($0) }
        scan.columnNames = header
        let labels = header.filter(TableParser.isRowLabel)
        let wanted = header.filter { !TableParser.isRowLabel($0) }
        var seen = Set<String>(), repeated: [String] = []
        for h in wanted where !seen.insert(h).inserted && !repeated.contains(h) { repeated.append(h) }
        if !repeated.isEmpty { throw .duplicateColumns(source: name, names: repeated) }
        if wanted.isEmpty { throw .invalidDesign("\(name): every column is a row-label column; nothing to convert") }
        let fieldIndex = wanted.map { header.firstIndex(of: $0)! }
        var isText = [Bool](repeating: false, count: wanted.count)
        var firstInfinite: [(row: Int, text: String)?] = Array(repeating: nil, count: wanted.count)
        var rowCount = 0, incomplete = 0
        var firstIncomplete: (row: Int, column: String)?
        while try scan.nextRecord() {
            guard scan.fields.count == header.count else {
                throw .raggedRow(source: name, row: scan.recordLine, cells: scan.fields.count, expected: header.count)
            }
            if missing != .keep {
                for c in 0..<wanted.count where scan.withField(fieldIndex[c], { TableParser.isMissing($0, tokens: tokens, lengths: lengths) }) {
                    incomplete += 1
                    if firstIncomplete == nil { firstIncomplete = (scan.recordLine, wanted[c]) }
                    break
                }
            }
            for c in 0..<wanted.count where !isText[c] {
                let parsed: Double? = scan.withField(fieldIndex[c]) { bytes in
                    if TableParser.isMissing(bytes, tokens: tokens, lengths: lengths) { return 0 }
                    return DecimalParser.parse(bytes)
                }
                if let v = parsed {
                    if v.isInfinite && firstInfinite[c] == nil { firstInfinite[c] = (scan.recordLine, scan.string(fieldIndex[c])) }
                } else {
                    isText[c] = true
                }
            }
            rowCount += 1
        }
        if rowCount == 0 { throw .noDataRows(source: name) }
        for c in 0..<wanted.count where !isText[c] {
            if let bad = firstInfinite[c] { throw .notFinite(source: name, row: bad.row, column: wanted[c], text: bad.text) }
        }
        if let first = firstIncomplete, missing == .error {
            throw .missingValues(source: name, incompleteRows: incomplete, firstRow: first.row, column: first.column)
        }
        if missing == .drop && incomplete == rowCount { throw .noCompleteRows(source: name, rowsRead: rowCount) }

        // Pass 2: the row groups.
        var second = try scanner()
        defer { second.close() }
        second.columnNames = header
        _ = try second.nextRecord()
        let writer: NGBWriter
        do { writer = try NGBWriter(path: path, names: wanted, categorical: isText, rowsPerGroup: rowsPerGroup) } catch {
            throw .binaryFile(error)
        }
        var levels = [[String]](repeating: [], count: wanted.count)
        var lookup = [[String: Int32]](repeating: [:], count: wanted.count)
        var written = 0
        var cellMissing = [Bool](repeating: false, count: wanted.count)
        while try second.nextRecord() {
            var complete = true
            for c in 0..<wanted.count {
                cellMissing[c] = second.withField(fieldIndex[c]) { TableParser.isMissing($0, tokens: tokens, lengths: lengths) }
                if cellMissing[c] { complete = false }
            }
            if missing == .drop && !complete { continue }
            for c in 0..<wanted.count {
                let k = fieldIndex[c]
                let missing = cellMissing[c]
                if !isText[c] {
                    let v = missing ? Double.nan : (second.withField(k) { DecimalParser.parse($0) } ?? .nan)
                    writer.append(v, column: c)
                } else if missing {
                    writer.append(code: -1, column: c)
                } else {
                    let text = second.string(k)
                    if let code = lookup[c][text] {
                        writer.append(code: code, column: c)
                    } else {
                        let code = Int32(levels[c].count)
                        lookup[c][text] = code
                        levels[c].append(text)
                        writer.append(code: code, column: c)
                    }
                }
            }
            do { try writer.endRow() } catch { throw .binaryFile(error) }
            written += 1
        }
        var dictionary: [Int: [String]] = [:]
        for c in 0..<wanted.count where isText[c] { dictionary[c] = levels[c] }
        do { try writer.finish(levels: dictionary) } catch { throw .binaryFile(error) }
        let columns = wanted.indices.map { c in
            NGBColumn(name: wanted[c], kind: isText[c] ? .categorical(levels: levels[c]) : .float64)
        }
        return Summary(rows: written, rowsRead: rowCount, columns: columns, rowLabelColumns: labels)
    }
}
