import Glibc

/// Writes an `.ngb` file row group by row group, in memory bounded by one group (G rows × R bytes).
///
/// Cells are appended column by column within a row (`append(_:column:)`, then `endRow()`); a full group
/// is written as soon as its last row ends. `finish(levels:)` writes the last partial group, the column
/// descriptors (with the categorical columns' levels, known only at the end) and then the header, so a
/// file whose writer did not finish has no magic bytes and is rejected by `NGBReader` as `notNGB`.
///
/// ```swift
/// let writer = try NGBWriter(path: "out.ngb", names: ["x", "g"], categorical: [false, true])
/// writer.append(1.5, column: 0); writer.append(code: 0, column: 1); try writer.endRow()
/// try writer.finish(levels: [1: ["a"]])
/// ```
public final class NGBWriter {
    /// The file being written.
    public let path: String
    /// The column names.
    public let names: [String]
    /// Per column, whether it holds level codes.
    public let categorical: [Bool]
    /// G, rows per group.
    public let rowsPerGroup: Int
    private var descriptor: Int32
    private var numbers: [[Double]]
    private var codes: [[Int32]]
    private var filled = 0
    private var rowCount = 0
    private var bytes: [UInt8] = []

    /// Creates (or truncates) `path`. - Parameters:
    ///   - names: the column names (unique, UTF-8).
    ///   - categorical: per column, whether it holds level codes (true) or float64 values (false).
    ///   - rowsPerGroup: G ≥ 1.
    /// - Throws: `NGBError.io` when the file cannot be created; `.invalidRequest` for no columns,
    ///   repeated names or G < 1.
    public init(path: String, names: [String], categorical: [Bool],
                rowsPerGroup: Int = NGBFormat.defaultRowsPerGroup) throws(NGBError) {
        precondition(names.count == categorical.count, "NGBWriter: \(names.count) names but \(categorical.count) column types")
        guard !names.isEmpty else { throw .invalidRequest(path: path, reason: "an .ngb file needs at least one column") }
        guard Set(names).count == names.count else { throw .invalidRequest(path: path, reason: "column names must be unique") }
        guard rowsPerGroup >= 1 && rowsPerGroup <= Int(Int32.max) else {
            throw .invalidRequest(path: path, reason: "rows per group must be in 1 ... 2³¹ − 1, got \(rowsPerGroup)")
        }
        self.path = path
        self.names = names
        self.categorical = categorical
        self.rowsPerGroup = rowsPerGroup
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "open", reason: String(cString: strerror(errno))) }
        descriptor = fd
        numbers = categorical.map { $0 ? [] : [Double](repeating: 0, count: rowsPerGroup) }
        codes = categorical.map { $0 ? [Int32](repeating: 0, count: rowsPerGroup) : [] }
        // The header is written last (zeros hold its place, so an unfinished file has no magic).
        let zeros = [UInt8](repeating: 0, count: NGBFormat.headerBytes)
        do { try Self.writeAll(fd, zeros, path: path) } catch {
            _ = Glibc.close(fd)
            descriptor = -1
            throw error
        }
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    /// Sets the current row's value of float64 column `column` (NaN: missing).
    public func append(_ value: Double, column: Int) {
        numbers[column][filled] = value
    }

    /// Sets the current row's level code of categorical column `column` (−1: missing).
    public func append(code: Int32, column: Int) {
        codes[column][filled] = code
    }

    /// Ends the current row (every column must have been set), writing the group when it is full.
    /// - Throws: `NGBError.io` on a write error.
    public func endRow() throws(NGBError) {
        filled += 1
        rowCount += 1
        if filled == rowsPerGroup { try flush() }
    }

    /// Writes the rows of the current group.
    private func flush() throws(NGBError) {
        guard filled > 0 else { return }
        bytes.removeAll(keepingCapacity: true)
        for j in names.indices {
            if categorical[j] {
                for i in 0..<filled { Self.put(UInt32(bitPattern: codes[j][i]), into: &bytes) }
            } else {
                for i in 0..<filled { Self.put(numbers[j][i].bitPattern, into: &bytes) }
            }
        }
        try Self.writeAll(descriptor, bytes, path: path)
        filled = 0
    }

    /// Writes the last group, the descriptors and the header, and closes the file.
    /// - Parameter levels: for each categorical column index, its level strings in code order (a
    ///   categorical column absent from the dictionary has no levels: every code must then be −1).
    /// - Returns: the number of rows written.
    /// - Throws: `NGBError.io` on a write or close error.
    @discardableResult
    public func finish(levels: [Int: [String]]) throws(NGBError) -> Int {
        precondition(descriptor >= 0, "NGBWriter.finish called twice for \(path)")
        try flush()
        var tail: [UInt8] = []
        for j in names.indices {
            Self.putString(names[j], into: &tail)
            tail.append(categorical[j] ? 2 : 1)
            if categorical[j] {
                let list = levels[j] ?? []
                Self.put(UInt32(list.count), into: &tail)
                for level in list { Self.putString(level, into: &tail) }
            }
        }
        try Self.writeAll(descriptor, tail, path: path)
        let layout = NGBLayout(rowCount: rowCount, rowsPerGroup: rowsPerGroup,
                               columns: names.indices.map { NGBColumn(name: names[$0], kind: categorical[$0] ? .categorical(levels: []) : .float64) })
        var header = NGBFormat.magic
        Self.put(NGBFormat.version, into: &header)
        Self.put(UInt32(names.count), into: &header)
        Self.put(UInt64(rowCount), into: &header)
        Self.put(UInt32(rowsPerGroup), into: &header)
        Self.put(UInt32(0), into: &header)
        Self.put(UInt64(layout.descriptorOffset), into: &header)
        Self.put(UInt64(tail.count), into: &header)
        Self.put(UInt64(NGBFormat.headerBytes), into: &header)
        Self.put(UInt64(0), into: &header)
        let written = header.withUnsafeBytes { pwrite(descriptor, $0.baseAddress!, $0.count, 0) }
        guard written == header.count else {
            throw .io(path: path, operation: "write", reason: written < 0 ? String(cString: strerror(errno)) : "short write")
        }
        let fd = descriptor
        descriptor = -1
        guard Glibc.close(fd) == 0 else { throw .io(path: path, operation: "close", reason: String(cString: strerror(errno))) }
        return rowCount
    }

    /// Appends the little-endian bytes of an unsigned integer.
    static func put<T: FixedWidthInteger & UnsignedInteger>(_ value: T, into bytes: inout [UInt8]) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
    }

    /// Appends a u32 length and the UTF-8 bytes.
    static func putString(_ s: String, into bytes: inout [UInt8]) {
        let utf8 = Array(s.utf8)
        put(UInt32(utf8.count), into: &bytes)
        bytes.append(contentsOf: utf8)
    }

    /// write(2) until every byte is written (EINTR retried).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(NGBError) {
        var done = 0
        while done < bytes.count {
            let k = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if k < 0 && errno == EINTR { continue }
            guard k > 0 else { throw .io(path: path, operation: "write", reason: k < 0 ? String(cString: strerror(errno)) : "no progress") }
            done += k
        }
    }
}

extension NGBWriter {
    /// Writes a whole `Table` (its parsed columns, in `columnNames` order: numbers as float64, text as
    /// categorical with the table's codes and levels) to `path`.
    /// - Throws: `NGBError`.
    public static func write(_ table: Table, to path: String,
                             rowsPerGroup: Int = NGBFormat.defaultRowsPerGroup) throws(NGBError) {
        var columns: [TableColumn] = []
        for name in table.columnNames {
            guard let column = try? table.column(name) else {
                throw .invalidRequest(path: path, reason: "column '\(name)' is not parsed")
            }
            columns.append(column)
        }
        let categorical = columns.map { if case .text = $0 { return true }; return false }
        let writer = try NGBWriter(path: path, names: table.columnNames, categorical: categorical, rowsPerGroup: rowsPerGroup)
        var levels: [Int: [String]] = [:]
        for (j, column) in columns.enumerated() { if case let .text(_, values) = column { levels[j] = values } }
        for i in 0..<table.rowCount {
            for (j, column) in columns.enumerated() {
                switch column {
                case let .numbers(v): writer.append(v[i], column: j)
                case let .text(c, _): writer.append(code: c[i], column: j)
                }
            }
            try writer.endRow()
        }
        try writer.finish(levels: levels)
    }
}
