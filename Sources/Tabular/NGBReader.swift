import Glibc

/// Reads an `.ngb` file: the header and descriptors when it is opened (checked against the file's size),
/// then any row range of any column with pread(2) into a buffer the caller owns and reuses, so that
/// resident memory stays at the caller's buffers however large the file (the kernel's page cache is not
/// the process's memory). `table(columns:)` loads columns whole as a `Table`.
///
/// Every inconsistency is a thrown `NGBError`, never a trap: wrong magic (`notNGB`), another version,
/// a file shorter or longer than its header says (`truncated`, `corrupt`), malformed descriptors, a
/// short read (the file shrank after it was opened), a level code outside its column's levels.
public final class NGBReader {
    /// The file read.
    public let path: String
    /// The file's shape: row count, rows per group, columns with their levels.
    public let layout: NGBLayout
    private var descriptor: Int32
    private var scratch: [UInt8] = []

    /// n.
    public var rowCount: Int { layout.rowCount }
    /// The columns in file order.
    public var columns: [NGBColumn] { layout.columns }

    /// Opens `path` and reads its header and descriptors.
    /// - Throws: `NGBError`: `io` (open, read), `notNGB`, `unsupportedVersion`, `truncated`, `corrupt`.
    public init(path: String) throws(NGBError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .io(path: path, operation: "open", reason: String(cString: strerror(errno))) }
        descriptor = fd
        do {
            layout = try Self.readLayout(fd, path: path)
        } catch {
            _ = Glibc.close(fd)
            descriptor = -1
            throw error
        }
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    /// The index of the column named `name`, or nil.
    public func columnIndex(_ name: String) -> Int? { layout.columns.firstIndex { $0.name == name } }

    /// Reads float64 column `column` over `rows` into `buffer[start ..< start + rows.count]` (one pread per
    /// row group the range touches).
    /// - Throws: `invalidRequest` (a categorical column, rows outside 0 ..< n, a buffer too short), `io`,
    ///   `truncated` (a short read).
    public func readNumbers(column: Int, rows: Range<Int>, into buffer: inout [Double], at start: Int = 0) throws(NGBError) {
        try check(column: column, rows: rows, bufferCount: buffer.count, start: start, width: 8)
        guard case .float64 = layout.columns[column].kind else {
            throw .invalidRequest(path: path, reason: "column '\(layout.columns[column].name)' is categorical, not float64")
        }
        var done = 0
        while done < rows.count {
            let row = rows.lowerBound + done
            let take = Swift.min(rows.count - done, layout.rowsPerGroup - row % layout.rowsPerGroup)
            let offset = layout.offset(row: row, column: column)
            var failure: NGBError?
            buffer.withUnsafeMutableBytes { raw in
                failure = readFully(into: raw.baseAddress! + (start + done) * 8, count: take * 8, offset: offset)
            }
            if let failure { throw failure }
            done += take
        }
        if UInt16(1).littleEndian != 1 {
            for i in start..<(start + rows.count) { buffer[i] = Double(bitPattern: UInt64(littleEndian: buffer[i].bitPattern)) }
        }
    }

    /// Reads categorical column `column` over `rows` into `buffer[start ..< start + rows.count]`, checking
    /// each code is −1 or a level index.
    /// - Throws: as `readNumbers` (a float64 column is the wrong type), and `invalidLevelCode`.
    public func readCodes(column: Int, rows: Range<Int>, into buffer: inout [Int32], at start: Int = 0) throws(NGBError) {
        try check(column: column, rows: rows, bufferCount: buffer.count, start: start, width: 4)
        guard case let .categorical(levels) = layout.columns[column].kind else {
            throw .invalidRequest(path: path, reason: "column '\(layout.columns[column].name)' is float64, not categorical")
        }
        var done = 0
        while done < rows.count {
            let row = rows.lowerBound + done
            let take = Swift.min(rows.count - done, layout.rowsPerGroup - row % layout.rowsPerGroup)
            let offset = layout.offset(row: row, column: column)
            var failure: NGBError?
            buffer.withUnsafeMutableBytes { raw in
                failure = readFully(into: raw.baseAddress! + (start + done) * 4, count: take * 4, offset: offset)
            }
            if let failure { throw failure }
            done += take
        }
        let count = Int32(levels.count)
        for i in start..<(start + rows.count) {
            let code = Int32(littleEndian: buffer[i])
            buffer[i] = code
            if code < -1 || code >= count {
                throw .invalidLevelCode(path: path, row: rows.lowerBound + i - start, column: layout.columns[column].name,
                                        code: code, levels: levels.count)
            }
        }
    }

    private func check(column: Int, rows: Range<Int>, bufferCount: Int, start: Int, width: Int) throws(NGBError) {
        guard layout.columns.indices.contains(column) else {
            throw .invalidRequest(path: path, reason: "no column \(column) (the file has \(layout.columns.count))")
        }
        guard rows.lowerBound >= 0 && rows.upperBound <= layout.rowCount else {
            throw .invalidRequest(path: path, reason: "rows \(rows.lowerBound) ..< \(rows.upperBound) are outside 0 ..< \(layout.rowCount)")
        }
        guard start >= 0 && start + rows.count <= bufferCount else {
            throw .invalidRequest(path: path, reason: "a buffer of \(bufferCount) cannot take \(rows.count) values at \(start)")
        }
    }

    /// pread(2) of exactly `count` bytes at `offset` (EINTR retried); the error, or nil: a short read is
    /// `truncated`.
    private func readFully(into pointer: UnsafeMutableRawPointer, count: Int, offset: Int) -> NGBError? {
        var done = 0
        while done < count {
            let k = pread(descriptor, pointer + done, count - done, off_t(offset + done))
            if k < 0 && errno == EINTR { continue }
            if k < 0 { return .io(path: path, operation: "read", reason: String(cString: strerror(errno))) }
            if k == 0 { return .truncated(path: path, expected: offset + count, actual: offset + done) }
            done += k
        }
        return nil
    }

    // MARK: Header

    private static func readLayout(_ fd: Int32, path: String) throws(NGBError) -> NGBLayout {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, operation: "stat", reason: String(cString: strerror(errno))) }
        let size = Int(info.st_size)
        var header = [UInt8](repeating: 0, count: NGBFormat.headerBytes)
        let got = try readAt(fd, into: &header, offset: 0, path: path)
        guard got >= NGBFormat.magic.count, Array(header[0..<8]) == NGBFormat.magic else {
            if got < NGBFormat.magic.count && NGBFormat.magic.starts(with: header[0..<got]) && got > 0 {
                throw .truncated(path: path, expected: NGBFormat.headerBytes, actual: got)
            }
            throw .notNGB(path: path)
        }
        guard got == NGBFormat.headerBytes else { throw .truncated(path: path, expected: NGBFormat.headerBytes, actual: got) }
        var cursor = ByteCursor(bytes: header, position: 8)
        let version = cursor.u32()!
        guard version == NGBFormat.version else { throw .unsupportedVersion(path: path, version: version) }
        let columnCount = Int(cursor.u32()!)
        let rowCount64 = cursor.u64()!
        let rowsPerGroup = Int(cursor.u32()!)
        let reserved = cursor.u32()!
        let descriptorOffset64 = cursor.u64()!, descriptorLength64 = cursor.u64()!
        let dataOffset = cursor.u64()!, reserved2 = cursor.u64()!
        guard dataOffset == UInt64(NGBFormat.headerBytes), reserved == 0, reserved2 == 0 else {
            throw .corrupt(path: path, reason: "unexpected header fields (data offset \(dataOffset))")
        }
        guard columnCount >= 1 else { throw .corrupt(path: path, reason: "no columns") }
        guard rowsPerGroup >= 1 else { throw .corrupt(path: path, reason: "rows per group is 0") }
        // Bounds before any arithmetic that could overflow: every size fits in the file.
        guard rowCount64 <= UInt64(size), descriptorOffset64 <= UInt64(size), descriptorLength64 <= UInt64(size) else {
            throw .truncated(path: path, expected: Int(clamping: descriptorOffset64 &+ descriptorLength64), actual: size)
        }
        let rowCount = Int(rowCount64), descriptorOffset = Int(descriptorOffset64), descriptorLength = Int(descriptorLength64)
        guard descriptorOffset + descriptorLength <= size else {
            throw .truncated(path: path, expected: descriptorOffset + descriptorLength, actual: size)
        }
        guard descriptorOffset + descriptorLength == size else {
            throw .corrupt(path: path, reason: "\(size - descriptorOffset - descriptorLength) bytes after the column descriptors")
        }
        guard descriptorLength >= 6 * columnCount else { throw .corrupt(path: path, reason: "the column descriptors are too short") }
        var tail = [UInt8](repeating: 0, count: descriptorLength)
        let tailGot = try readAt(fd, into: &tail, offset: descriptorOffset, path: path)
        guard tailGot == descriptorLength else { throw .truncated(path: path, expected: size, actual: descriptorOffset + tailGot) }
        var reader = ByteCursor(bytes: tail, position: 0)
        var columns: [NGBColumn] = []
        for j in 0..<columnCount {
            guard let name = reader.string() else { throw .corrupt(path: path, reason: "the name of column \(j + 1) is cut short or not UTF-8") }
            guard let type = reader.u8() else { throw .corrupt(path: path, reason: "column '\(name)' has no type") }
            switch type {
            case 1: columns.append(NGBColumn(name: name, kind: .float64))
            case 2:
                guard let count = reader.u32(), Int(count) <= reader.remaining / 4 else {
                    throw .corrupt(path: path, reason: "column '\(name)' has a level count past the end of the file")
                }
                var levels: [String] = []
                levels.reserveCapacity(Int(count))
                for k in 0..<Int(count) {
                    guard let level = reader.string() else {
                        throw .corrupt(path: path, reason: "level \(k + 1) of column '\(name)' is cut short or not UTF-8")
                    }
                    levels.append(level)
                }
                columns.append(NGBColumn(name: name, kind: .categorical(levels: levels)))
            default:
                throw .corrupt(path: path, reason: "column '\(name)' has the unknown type \(type)")
            }
        }
        guard reader.remaining == 0 else { throw .corrupt(path: path, reason: "\(reader.remaining) stray bytes after the descriptors") }
        guard Set(columns.map(\.name)).count == columns.count else { throw .corrupt(path: path, reason: "two columns have the same name") }
        let layout = NGBLayout(rowCount: rowCount, rowsPerGroup: rowsPerGroup, columns: columns)
        // The data must end exactly where the descriptors start: 64 + n·R.
        let (product, overflow) = rowCount.multipliedReportingOverflow(by: layout.rowBytes)
        guard !overflow, NGBFormat.headerBytes + product == descriptorOffset else {
            throw .corrupt(path: path, reason: "\(rowCount) rows of \(layout.rowBytes) bytes do not end at the descriptors (offset \(descriptorOffset))")
        }
        return layout
    }

    /// pread(2) of up to `buffer.count` bytes at `offset`; returns how many were read (fewer at the end).
    private static func readAt(_ fd: Int32, into buffer: inout [UInt8], offset: Int, path: String) throws(NGBError) -> Int {
        var done = 0
        while done < buffer.count {
            let k = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(offset + done)) }
            if k < 0 && errno == EINTR { continue }
            if k < 0 { throw .io(path: path, operation: "read", reason: String(cString: strerror(errno))) }
            if k == 0 { break }
            done += k
        }
        return done
    }
}

/// Little-endian fields out of a byte array; nil past the end.
private struct ByteCursor {
    let bytes: [UInt8]
    var position: Int

    var remaining: Int { bytes.count - position }

    mutating func u8() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[position + k]) << (8 * k) }
        position += 4
        return v
    }

    mutating func u64() -> UInt64? {
        guard remaining >= 8 else { return nil }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[position + k]) << (8 * k) }
        position += 8
        return v
    }

    /// A u32 length and that many UTF-8 bytes.
    mutating func string() -> String? {
        guard let length = u32(), Int(length) <= remaining else { return nil }
        let slice = bytes[position..<(position + Int(length))]
        position += Int(length)
        return String(validating: slice, as: UTF8.self)
    }
}
