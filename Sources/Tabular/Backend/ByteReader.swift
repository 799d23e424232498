import Glibc

/// Reads a source's bytes in chunks: a file through `read(2)`, standard input to its end once (so a
/// second pass can run over it), in-memory bytes as they are.
struct ByteReader {
    private var descriptor: Int32 = -1
    private var memory: [UInt8]?
    private var memoryOffset = 0
    /// Bytes read from the file so far, and its size when it was opened (nil when unknown).
    private var fileOffset = 0
    private var fileSize: Int?
    /// For a file share: the byte ranges of the file still to read, in order (`pread`); nil for a whole file.
    private var segments: [Range<Int>]?
    let name: String

    /// Opens the source. - Throws: `TableError.cannotRead` with the system's reason.
    init(_ source: TableSource, bufferedStandardInput: [UInt8]?) throws(TableError) {
        name = source.name
        switch source {
        case let .file(path):
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw .cannotRead(source: path, reason: String(cString: strerror(errno))) }
            descriptor = fd
            var info = stat()
            if fstat(fd, &info) == 0, info.st_size > 0 { fileSize = Int(info.st_size) }
        case .standardInput:
            memory = bufferedStandardInput ?? []
        case let .bytes(bytes, _):
            memory = bytes
        case let .fileShare(share):
            let fd = open(share.path, O_RDONLY)
            guard fd >= 0 else { throw .cannotRead(source: share.path, reason: String(cString: strerror(errno))) }
            descriptor = fd
            segments = [share.headerBytes, share.rowBytes].filter { !$0.isEmpty }
            fileSize = share.headerBytes.count + share.rowBytes.count
        }
    }

    /// The file's size in bytes when known (for reserving column storage), else nil.
    var sizeHint: Int? {
        if let memory { return memory.count }
        return fileSize
    }

    /// Appends up to `count` bytes to `buffer`; returns how many were read (0 at the end).
    /// - Throws: `TableError.cannotRead` on an I/O error.
    mutating func read(into buffer: inout [UInt8], count: Int) throws(TableError) -> Int {
        if let memory {
            let k = min(count, memory.count - memoryOffset)
            if k > 0 { buffer.append(contentsOf: memory[memoryOffset..<(memoryOffset + k)]) }
            memoryOffset += k
            return k
        }
        // No more than the file still holds (+1 to see its end), so a small file costs a small buffer.
        var count = fileSize.map { Swift.min(count, Swift.max(4096, $0 - fileOffset + 1)) } ?? count
        if let segments {
            guard let segment = segments.first else { return 0 }
            count = Swift.min(count, segment.count)
        }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        var got = 0
        while true {
            got = buffer.withUnsafeMutableBytes { raw in
                if let start = segments?.first?.lowerBound {
                    return Glibc.pread(descriptor, raw.baseAddress! + old, count, off_t(start))
                }
                return Glibc.read(descriptor, raw.baseAddress! + old, count)
            }
            if got < 0 && errno == EINTR { continue }
            break
        }
        if got > 0, let segment = segments?.first {
            segments![0] = (segment.lowerBound + got)..<segment.upperBound
            if segments![0].isEmpty { segments!.removeFirst() }
        } else if got == 0, segments?.isEmpty == false {
            segments!.removeFirst()  // the file is shorter than the share says: go on with what is there
        }
        guard got >= 0 else {
            buffer.removeLast(count)
            throw .cannotRead(source: name, reason: String(cString: strerror(errno)))
        }
        buffer.removeLast(count - got)
        fileOffset += got
        return got
    }

    /// Closes the file.
    mutating func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor); descriptor = -1 }
    }

    /// Standard input to its end. - Throws: `TableError.cannotRead`.
    static func readStandardInput() throws(TableError) -> [UInt8] {
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { raw in Glibc.read(0, raw.baseAddress!, raw.count) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw .cannotRead(source: "<stdin>", reason: String(cString: strerror(errno))) }
            if got == 0 { return all }
            all.append(contentsOf: chunk[0..<got])
        }
    }
}
