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
        let count = fileSize.map { Swift.min(count, Swift.max(4096, $0 - fileOffset + 1)) } ?? count
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        var got = 0
        while true {
            got = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(descriptor, raw.baseAddress! + old, count)
            }
            if got < 0 && errno == EINTR { continue }
            break
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
