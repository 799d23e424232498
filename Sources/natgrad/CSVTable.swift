import Foundation

/// A numeric CSV file with a header row, read strictly: every error names the file, row and column.
///
/// Rows are numbered as in the file (the header is row 1, the first data row is row 2). Cells are
/// trimmed of spaces; quoted cells ("…") may contain commas. Empty lines are skipped. Only the
/// columns a command asks for must be numeric.
struct CSVTable {
    let path: String
    let header: [String]
    /// Data rows as raw cells, with their row numbers in the file.
    let rows: [(line: Int, cells: [String])]

    init(path: String) throws(CLIError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): cannot read the file")
        }
        let text = String(decoding: data, as: UTF8.self)
        var lines: [(Int, [String])] = []
        var lineNumber = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }) {
            lineNumber += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            lines.append((lineNumber, CSVTable.splitCells(String(line))))
        }
        guard let first = lines.first else { throw CLIError("\(path): the file is empty (a header row is required)") }
        header = first.1
        rows = Array(lines.dropFirst())
        if rows.isEmpty { throw CLIError("\(path): no data rows after the header") }
        for (line, cells) in rows where cells.count != header.count {
            throw CLIError("\(path): row \(line) has \(cells.count) cells, the header has \(header.count)")
        }
    }

    private static func splitCells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var quoted = false
        for ch in line {
            if ch == "\"" { quoted.toggle(); continue }
            if ch == "," && !quoted { cells.append(current); current = ""; continue }
            current.append(ch)
        }
        cells.append(current)
        return cells.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Index of a header name. - Throws: a message listing the available columns.
    func columnIndex(_ name: String) throws(CLIError) -> Int {
        guard let k = header.firstIndex(of: name) else {
            throw CLIError("\(path): no column named '\(name)' (columns: \(header.joined(separator: ", ")))")
        }
        return k
    }

    /// The named column as finite numbers. - Throws: missing column, or the first non-numeric,
    /// empty, NaN or infinite cell with its row.
    func numbers(_ name: String) throws(CLIError) -> [Double] {
        let k = try columnIndex(name)
        var values: [Double] = []
        values.reserveCapacity(rows.count)
        for (line, cells) in rows {
            let cell = cells[k]
            guard let v = Double(cell) else {
                throw CLIError("\(path): row \(line), column '\(name)': '\(cell)' is not a number")
            }
            guard v.isFinite else {
                throw CLIError("\(path): row \(line), column '\(name)': '\(cell)' is not finite")
            }
            values.append(v)
        }
        return values
    }

    /// The named column as integers (for counts and categories). - Throws: as `numbers`, or for a
    /// non-integral value.
    func integers(_ name: String) throws(CLIError) -> [Int] {
        let values = try numbers(name)
        var result: [Int] = []
        result.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            guard v == v.rounded(), Swift.abs(v) < 9.0e15 else {
                throw CLIError("\(path): row \(rows[i].line), column '\(name)': \(v) is not an integer")
            }
            result.append(Int(v))
        }
        return result
    }

    /// Several named columns as rows of finite numbers (row i holds data row i of each column).
    /// - Throws: as `numbers`, for the first bad column.
    func numberRows(_ names: [String]) throws(CLIError) -> [[Double]] {
        var columns: [[Double]] = []
        for name in names { columns.append(try numbers(name)) }
        return (0..<rows.count).map { i in columns.map { $0[i] } }
    }

    /// The file row number of data row `i` (0-based), for error messages.
    func lineNumber(ofDataRow i: Int) -> Int { rows[i].line }
}
