import Glibc

/// One process's share of a delimited file: the header (bytes `headerBytes`, from the start of the file)
/// and the data lines in `rowBytes`, whose first line is line `firstLine` of the file, so that every
/// row and every error is numbered as in the whole file.
///
/// The split rule (`locate`): with H the end of the header and S the file's size, part r of K starts at
/// the first line start at or after H + ⌊(S − H)·r / K⌋ and ends where part r + 1 starts; a line start is
/// H, S, or the byte after LF, or after a CR not followed by LF. Every process computes its two boundaries
/// from the file alone (a few bytes read near each), so the parts tile the data lines without overlap and
/// without communication.
///
/// Limitation: the split looks at line breaks only, not at quotes, so a quoted field that spans lines and
/// crosses a split point is cut. That is always detected: the part it starts in ends inside the quotes and
/// its read throws `unterminatedQuote` for the row (the part after it starts inside the field, and whatever
/// it reports is a consequence; report the lowest part's error). One file per process avoids it.
public struct TableFileShare: Sendable, Equatable {
    /// The file.
    public var path: String
    /// The header's bytes (with blank lines and a byte-order mark before it): 0 ..< H.
    public var headerBytes: Range<Int>
    /// The share's data lines, starting at a line start and ending at one (or at the end of the file).
    public var rowBytes: Range<Int>
    /// The line of the file on which `rowBytes` starts (1-based).
    public var firstLine: Int

    /// A share of `path` from its parts: the header's bytes, the share's data lines and the line they start on.
    public init(path: String, headerBytes: Range<Int>, rowBytes: Range<Int>, firstLine: Int) {
        self.path = path
        self.headerBytes = headerBytes
        self.rowBytes = rowBytes
        self.firstLine = firstLine
    }

    /// Part `part` of `parts` of the file's data lines, and the number of line breaks in it.
    ///
    /// `firstLine` is numbered as if the part followed the header directly; add the line breaks of the
    /// parts before it (an exclusive prefix sum of `lineBreaks` over the parts) to number it in the file.
    /// Line breaks are LF, CRLF and CR, as the reader counts them (inside quoted fields too).
    /// - Parameters:
    ///   - path: the file.
    ///   - part: 0 ..< parts.
    ///   - parts: ≥ 1.
    ///   - options: the delimiter (the header is scanned to find where it ends).
    /// - Throws: `TableError`: `cannotRead`, `empty` (no header), and the header's scan errors.
    public static func locate(path: String, part: Int, of parts: Int,
                              options: TableReadOptions = TableReadOptions()) throws(TableError) -> (share: TableFileShare, lineBreaks: Int) {
        precondition(parts >= 1 && part >= 0 && part < parts, "part \(part) of \(parts)")
        let source = TableSource.file(path)
        var scan = RecordScanner(reader: try ByteReader(source, bufferedStandardInput: nil),
                                 delimiter: try options.resolvedDelimiter(for: source), chunkSize: 1 << 16)
        defer { scan.close() }
        guard try scan.nextRecord() else { throw .empty(source: path) }
        let headerLines = scan.line - 1
        var file = try FileBytes(path: path)
        defer { file.close() }
        let size = file.size
        let bom = try file.bytes(at: 0, count: 3) == [0xEF, 0xBB, 0xBF] ? 3 : 0
        let headerEnd = Swift.min(size, bom + scan.bytesConsumed)
        func boundary(_ k: Int) throws(TableError) -> Int {
            if k == 0 { return headerEnd }
            if k == parts { return size }
            return try file.lineStart(atOrAfter: headerEnd + (size - headerEnd) / parts * k
                                          + (size - headerEnd) % parts * k / parts, floor: headerEnd)
        }
        let start = try boundary(part), end = Swift.max(start, try boundary(part + 1))
        let share = TableFileShare(path: path, headerBytes: 0..<headerEnd, rowBytes: start..<end,
                                   firstLine: headerLines + 1)
        return (share, try file.lineBreaks(in: start..<end))
    }

    /// The whole file as one share (one file per process: each is read as a share of itself, which may
    /// hold no rows).
    /// - Throws: as `locate`.
    public static func whole(path: String, options: TableReadOptions = TableReadOptions()) throws(TableError) -> TableFileShare {
        try locate(path: path, part: 0, of: 1, options: options).share
    }
}

extension TableSource {
    /// The file read, for a file or a share of one.
    var filePath: String? {
        switch self {
        case let .file(path): return path
        case let .fileShare(share): return share.path
        case .standardInput, .bytes: return nil
        }
    }

    /// Whether this is a share of a file (which may hold no rows).
    var isShare: Bool {
        if case .fileShare = self { return true }
        return false
    }
}

/// Random access to a file's bytes (`pread`), for finding split points and counting line breaks.
private struct FileBytes {
    let path: String
    let size: Int
    private var descriptor: Int32

    init(path: String) throws(TableError) {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .cannotRead(source: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            _ = Glibc.close(descriptor)
            throw .cannotRead(source: path, reason: String(cString: strerror(errno)))
        }
        size = Int(info.st_size)
    }

    mutating func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor); descriptor = -1 }
    }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    func bytes(at offset: Int, count: Int) throws(TableError) -> [UInt8] {
        let count = Swift.max(0, Swift.min(count, size - offset))
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset + done))
            }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw .cannotRead(source: path, reason: String(cString: strerror(errno))) }
            if got == 0 { break }
            done += got
        }
        return done == count ? buffer : Array(buffer[0..<done])
    }

    /// The first line start p ≥ `position` (p = floor, p = size, or the byte before p is LF, or is a CR
    /// and byte p is not LF).
    func lineStart(atOrAfter position: Int, floor: Int) throws(TableError) -> Int {
        if position <= floor { return floor }
        if position >= size { return size }
        var offset = position - 1
        let chunk = 1 << 16
        while offset < size {
            let bytes = try self.bytes(at: offset, count: chunk + 1)
            if bytes.isEmpty { break }
            for k in 0..<Swift.min(chunk, bytes.count) {
                switch bytes[k] {
                case 0x0A: return offset + k + 1
                case 0x0D:
                    if k + 1 < bytes.count { return offset + k + (bytes[k + 1] == 0x0A ? 2 : 1) }
                    return offset + k + 1  // a CR that ends the file
                default: continue
                }
            }
            offset += chunk
        }
        return size
    }

    /// Line breaks in `range` (LF, CRLF and CR each count once; `range` ends at a line start, so a CRLF
    /// is never cut).
    func lineBreaks(in range: Range<Int>) throws(TableError) -> Int {
        var breaks = 0
        var offset = range.lowerBound
        var previousWasCR = false
        let chunk = 1 << 20
        while offset < range.upperBound {
            let bytes = try self.bytes(at: offset, count: Swift.min(chunk, range.upperBound - offset))
            if bytes.isEmpty { break }
            bytes.withUnsafeBufferPointer { b in
                for byte in b {
                    if byte == 0x0A {
                        if !previousWasCR { breaks += 1 }
                        previousWasCR = false
                    } else if byte == 0x0D {
                        breaks += 1
                        previousWasCR = true
                    } else {
                        previousWasCR = false
                    }
                }
            }
            offset += bytes.count
        }
        return breaks
    }
}
