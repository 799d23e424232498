/// The two passes behind `Table.read`: the first parses every selected column as numbers and notes
/// the ones that hold text; the second (only when there are such columns) reads those as text.
struct TableParser {
    let source: TableSource
    let options: TableReadOptions
    private let delimiter: UInt8
    private let missing: [[UInt8]]
    /// missingLength[k]: whether some missing token has k bytes (k < 64), so most cells skip the comparison.
    private let missingLength: [Bool]
    private var standardInput: [UInt8]?

    init(source: TableSource, options: TableReadOptions) throws(TableError) {
        self.source = source
        self.options = options
        delimiter = try options.resolvedDelimiter(for: source)
        missing = options.missingTokens.map { Array($0.utf8) }
        var lengths = [Bool](repeating: false, count: 64)
        var long = false
        for token in missing { if token.count < 64 { lengths[token.count] = true } else { long = true } }
        missingLength = long ? [Bool](repeating: true, count: 64) : lengths
        if case .standardInput = source { standardInput = try ByteReader.readStandardInput() }
    }

    /// Whether a header name marks a row-label column.
    static func isRowLabel(_ name: String) -> Bool {
        if name.isEmpty { return true }
        guard name.hasPrefix("Unnamed: ") else { return false }
        let rest = name.dropFirst("Unnamed: ".count)
        return !rest.isEmpty && rest.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private func scanner() throws(TableError) -> RecordScanner {
        RecordScanner(reader: try ByteReader(source, bufferedStandardInput: standardInput), delimiter: delimiter)
    }

    private func isMissing(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        TableParser.isMissing(p, tokens: missing, lengths: missingLength)
    }

    /// Whether the bytes are one of the tokens (`lengths[k]`: some token has k bytes).
    static func isMissing(_ p: UnsafeBufferPointer<UInt8>, tokens missing: [[UInt8]], lengths missingLength: [Bool]) -> Bool {
        if p.count < 64 && !missingLength[p.count] { return false }
        for token in missing where token.count == p.count {
            if token.isEmpty || token.withUnsafeBufferPointer({ t in
                for k in 0..<t.count where t[k] != p[k] { return false }
                return true
            }) { return true }
        }
        return false
    }

    func read(_ selection: ColumnSelection) throws(TableError) -> Table {
        let name = source.name
        var scan = try scanner()
        defer { scan.close() }
        guard try scan.nextRecord() else { throw .empty(source: name) }
        let header = (0..<scan.fields.count).map { scan.string($0) }
        scan.columnNames = header
        let labels = header.filter(TableParser.isRowLabel)
        let named = header.filter { !TableParser.isRowLabel($0) }
        var seen = Set<String>(), repeated: [String] = []
        for h in named where !seen.insert(h).inserted && !repeated.contains(h) { repeated.append(h) }
        if !repeated.isEmpty { throw .duplicateColumns(source: name, names: repeated) }

        let wanted: [String]
        switch selection {
        case .all: wanted = named
        case let .named(list):
            for c in list where !header.contains(c) {
                throw .unknownColumn(source: name, name: c, available: named)
            }
            var unique: [String] = []
            for c in list where !unique.contains(c) { unique.append(c) }
            wanted = unique
        }
        let fieldIndex = wanted.map { header.firstIndex(of: $0)! }

        // Pass 1: numbers.
        var values = [[Double]](repeating: [], count: wanted.count)
        var isText = [Bool](repeating: false, count: wanted.count)
        var firstInfinite: [(row: Int, text: String)?] = Array(repeating: nil, count: wanted.count)
        var lines = RowLines()
        var rowCount = 0
        let tokens = missing, lengths = missingLength
        while try scan.nextRecord() {
            guard scan.fields.count == header.count else {
                throw .raggedRow(source: name, row: scan.recordLine, cells: scan.fields.count, expected: header.count)
            }
            lines.append(line: scan.recordLine)
            if rowCount == 1000, let size = scan.sizeHint {
                // Reserve once from the bytes per row so far (+10 %): no regrowth, no page-zeroing churn.
                let estimate = Int(Double(size) / Double(scan.bytesConsumed) * 1000 * 1.1)
                for c in 0..<wanted.count where !isText[c] { values[c].reserveCapacity(min(estimate, 1 << 34)) }
            }
            for c in 0..<wanted.count where !isText[c] {
                let parsed: Double? = scan.withField(fieldIndex[c]) { bytes in
                    if TableParser.isMissing(bytes, tokens: tokens, lengths: lengths) { return .nan }
                    return DecimalParser.parse(bytes)
                }
                if let v = parsed {
                    if v.isInfinite && firstInfinite[c] == nil {
                        firstInfinite[c] = (scan.recordLine, scan.string(fieldIndex[c]))
                    }
                    values[c].append(v)
                } else {
                    isText[c] = true
                    values[c] = []
                }
            }
            rowCount += 1
        }
        if rowCount == 0 { throw .noDataRows(source: name) }
        var columns: [String: TableColumn] = [:]
        for c in 0..<wanted.count where !isText[c] {
            if let bad = firstInfinite[c] { throw .notFinite(source: name, row: bad.row, column: wanted[c], text: bad.text) }
            columns[wanted[c]] = .numbers(values[c])
        }
        values = []

        // Pass 2: the text columns, dictionary-encoded.
        let textColumns = (0..<wanted.count).filter { isText[$0] }
        if !textColumns.isEmpty {
            var second = try scanner()
            defer { second.close() }
            second.columnNames = header
            _ = try second.nextRecord()
            var codes = [[Int32]](repeating: [], count: textColumns.count)
            var levels = [[String]](repeating: [], count: textColumns.count)
            var lookup = [[String: Int32]](repeating: [:], count: textColumns.count)
            for t in 0..<textColumns.count { codes[t].reserveCapacity(rowCount) }
            while try second.nextRecord() {
                for (t, c) in textColumns.enumerated() {
                    let k = fieldIndex[c]
                    if second.withField(k, { isMissing($0) }) { codes[t].append(-1); continue }
                    let text = second.string(k)
                    if let code = lookup[t][text] {
                        codes[t].append(code)
                    } else {
                        let code = Int32(levels[t].count)
                        lookup[t][text] = code
                        levels[t].append(text)
                        codes[t].append(code)
                    }
                }
            }
            for (t, c) in textColumns.enumerated() { columns[wanted[c]] = .text(codes: codes[t], values: levels[t]) }
        }
        return Table(source: name, header: header, rowLabelColumns: labels, columnNames: wanted,
                     columns: columns, rowCount: rowCount, lines: lines)
    }
}
