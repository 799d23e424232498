/// One field of the current record: a byte range of the scanner's buffer.
///
/// For a quoted field the range is the text between the quotes, with doubled quotes still doubled
/// (`hasDoubledQuotes`); an unquoted field's range includes its surrounding spaces.
struct FieldSpan {
    var start: Int
    var end: Int
    var quoted: Bool
    var hasDoubledQuotes: Bool
}

/// An RFC 4180 tokenizer over chunks of bytes: records end at LF, CRLF or CR (any mix) outside
/// quotes; fields are separated by one delimiter byte; a field that starts with `"` (after spaces)
/// runs to the next lone `"` and may hold delimiters, line breaks and doubled quotes. A UTF-8
/// byte-order mark at the start is skipped; every byte is checked to be UTF-8 and not NUL.
///
/// The scanner reads a chunk at a time and hands out one complete record at a time; a record that
/// reaches past the buffered bytes is scanned again after the next read, so no state survives
/// inside a record. Lines made only of spaces are skipped (as pandas does).
struct RecordScanner {
    private var reader: ByteReader
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var started = false
    private var chunkSize: Int
    /// The line the next record starts on (1-based). A file share sets it after the header, so that its
    /// rows are numbered as the lines of the whole file.
    var line = 1
    private var scratch: [UInt8] = []
    let delimiter: UInt8
    /// The fields of the record most recently returned by `nextRecord`.
    private(set) var fields: [FieldSpan] = []
    /// The line on which that record starts (1-based).
    private(set) var recordLine = 0
    /// Bytes of the records returned so far (with skipped blank lines), for estimating the row count.
    private(set) var bytesConsumed = 0
    /// Header names, for error messages (columns past them are named by number).
    var columnNames: [String] = []

    init(reader: ByteReader, delimiter: UInt8, chunkSize: Int = 1 << 22) {
        self.reader = reader
        self.delimiter = delimiter
        self.chunkSize = chunkSize
        fields.reserveCapacity(64)
    }

    var sizeHint: Int? { reader.sizeHint }
    var sourceName: String { reader.name }

    mutating func close() { reader.close() }

    private func columnName(_ k: Int) -> String {
        k < columnNames.count ? columnNames[k] : "#\(k + 1)"
    }

    private enum Outcome { case complete(next: Int, lines: Int, blank: Bool), needMore, endOfInput }

    private enum ScanFailure: Error {
        case nul(Int), utf8(Int), unterminated(Int), textAfterQuote(Int)
    }

    /// Advances to the next record that is not blank.
    /// - Returns: false at the end of the input.
    /// - Throws: `TableError` for a NUL byte, invalid UTF-8, an unclosed quote or text after a
    ///   closing quote, naming the row and column; `cannotRead` on an I/O error.
    mutating func nextRecord() throws(TableError) -> Bool {
        if !started {
            started = true
            try fill()
            if buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
        }
        while true {
            var spans = fields
            fields = []
            let outcome: Outcome
            do {
                outcome = try scan(into: &spans)
            } catch {
                fields = spans
                switch error {
                case let .nul(k): throw .nulByte(source: sourceName, row: line, column: columnName(k))
                case let .utf8(k): throw .invalidUTF8(source: sourceName, row: line, column: columnName(k))
                case let .unterminated(k): throw .unterminatedQuote(source: sourceName, row: line, column: columnName(k))
                case let .textAfterQuote(k): throw .textAfterQuote(source: sourceName, row: line, column: columnName(k))
                }
            }
            fields = spans
            switch outcome {
            case .endOfInput:
                return false
            case .needMore:
                try fill()
            case let .complete(next, lines, blank):
                recordLine = line
                line += lines
                bytesConsumed += next - position
                position = next
                if !blank { return true }
            }
        }
    }

    /// Drops the consumed bytes and reads the next chunk (twice as much when one record outgrows
    /// the buffer).
    private mutating func fill() throws(TableError) {
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        if buffer.count > chunkSize / 2 { chunkSize *= 2 }
        if buffer.capacity < buffer.count + chunkSize { buffer.reserveCapacity(buffer.count + chunkSize) }
        let got = try reader.read(into: &buffer, count: chunkSize)
        if got == 0 { atEnd = true }
    }

    /// Scans one record from `position` over the buffered bytes.
    private func scan(into spans: inout [FieldSpan]) throws(ScanFailure) -> Outcome {
        spans.removeAll(keepingCapacity: true)
        let delimiter = self.delimiter
        let atEnd = self.atEnd
        let quote = UInt8(ascii: "\"")
        let tabIsSpace = delimiter != 0x09
        let delimiterPattern = UInt64(delimiter) &* 0x0101_0101_0101_0101
        return try buffer.withUnsafeBufferPointer { (p) throws(ScanFailure) -> Outcome in
            let n = p.count
            var i = position
            var lines = 0
            if i >= n { return atEnd ? .endOfInput : .needMore }
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b == 0x09 && tabIsSpace) }
            /// Bytes in a UTF-8 sequence at k, 0 when invalid, -1 when the buffer ends inside it.
            func utf8Length(_ k: Int) -> Int {
                let b = p[k]
                var length = 0, low: UInt8 = 0x80, high: UInt8 = 0xBF
                switch b {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; low = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; high = 0x9F
                case 0xF0: length = 4; low = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; high = 0x8F
                default: return 0
                }
                if k + length > n { return atEnd ? 0 : -1 }
                let second = p[k + 1]
                guard second >= low && second <= high else { return 0 }
                for m in 2..<length where p[k + m] & 0xC0 != 0x80 { return 0 }
                return length
            }
            /// The end of a record at the line break at k: its length (CRLF is one break).
            func lineBreak(_ k: Int) -> Int? {
                if p[k] == 0x0A { return 1 }
                if k + 1 < n { return p[k + 1] == 0x0A ? 2 : 1 }
                return atEnd ? 1 : nil
            }
            while true {
                let column = spans.count
                if i >= n {
                    if !atEnd { return .needMore }
                    spans.append(FieldSpan(start: n, end: n, quoted: false, hasDoubledQuotes: false))
                    return .complete(next: n, lines: lines, blank: false)
                }
                var j = i
                while j < n && isSpace(p[j]) { j += 1 }
                if j < n && p[j] == quote {
                    var k = j + 1
                    var doubled = false
                    var innerLines = 0
                    while true {
                        if k >= n {
                            if atEnd { throw .unterminated(column) }
                            return .needMore
                        }
                        let b = p[k]
                        if b == quote {
                            if k + 1 >= n && !atEnd { return .needMore }
                            if k + 1 < n && p[k + 1] == quote { doubled = true; k += 2; continue }
                            break
                        }
                        if b >= 0x80 {
                            let length = utf8Length(k)
                            if length < 0 { return .needMore }
                            if length == 0 { throw .utf8(column) }
                            k += length
                            continue
                        }
                        if b == 0x0A {
                            innerLines += 1
                        } else if b == 0x0D {
                            if k + 1 >= n && !atEnd { return .needMore }
                            if k + 1 >= n || p[k + 1] != 0x0A { innerLines += 1 }
                        } else if b == 0 {
                            throw .nul(column)
                        }
                        k += 1
                    }
                    lines += innerLines
                    spans.append(FieldSpan(start: j + 1, end: k, quoted: true, hasDoubledQuotes: doubled))
                    var m = k + 1
                    while m < n && isSpace(p[m]) { m += 1 }
                    if m >= n {
                        if !atEnd { return .needMore }
                        return .complete(next: n, lines: lines, blank: false)
                    }
                    let b = p[m]
                    if b == delimiter { i = m + 1; continue }
                    if b == 0x0A || b == 0x0D {
                        guard let length = lineBreak(m) else { return .needMore }
                        return .complete(next: m + length, lines: lines + 1, blank: false)
                    }
                    throw .textAfterQuote(column)
                }
                var k = i
                // Eight bytes at a time while none is special (delimiter, LF, CR, NUL or ≥ 0x80):
                // a zero byte of v ⊕ pattern is detected by (x − 0x01…) & ~x & 0x80… (exact for "any").
                if let base = p.baseAddress {
                    while k + 8 <= n {
                        let v = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)
                        let special = RecordScanner.zeroByte(v ^ delimiterPattern) | RecordScanner.zeroByte(v ^ 0x0A0A_0A0A_0A0A_0A0A)
                            | RecordScanner.zeroByte(v ^ 0x0D0D_0D0D_0D0D_0D0D) | RecordScanner.zeroByte(v) | (v & 0x8080_8080_8080_8080)
                        if special != 0 { break }
                        k += 8
                    }
                }
                while k < n {
                    let b = p[k]
                    if b &- 0x0E < 0x72 && b != delimiter { k += 1; continue }
                    if b == delimiter || b == 0x0A || b == 0x0D { break }
                    if b == 0 { throw .nul(column) }
                    if b >= 0x80 {
                        let length = utf8Length(k)
                        if length < 0 { return .needMore }
                        if length == 0 { throw .utf8(column) }
                        k += length
                        continue
                    }
                    k += 1
                }
                if k >= n && !atEnd { return .needMore }
                spans.append(FieldSpan(start: i, end: k, quoted: false, hasDoubledQuotes: false))
                let blank = spans.count == 1 && j >= k
                if k >= n { return .complete(next: n, lines: lines, blank: blank) }
                if p[k] == delimiter { i = k + 1; continue }
                guard let length = lineBreak(k) else { return .needMore }
                return .complete(next: k + length, lines: lines + 1, blank: blank)
            }
        }
    }

    /// Nonzero when some byte of x is zero.
    @inline(__always)
    private static func zeroByte(_ x: UInt64) -> UInt64 {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// Calls `body` with the bytes of the current record's field `k`: trimmed of surrounding spaces
    /// when unquoted, with `""` turned into `"` when quoted.
    mutating func withField<R>(_ k: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let span = fields[k]
        let tabIsSpace = delimiter != 0x09
        if span.hasDoubledQuotes {
            scratch.removeAll(keepingCapacity: true)
            var i = span.start
            while i < span.end {
                let b = buffer[i]
                scratch.append(b)
                i += (b == UInt8(ascii: "\"")) ? 2 : 1
            }
            return scratch.withUnsafeBufferPointer(body)
        }
        return buffer.withUnsafeBufferPointer { p in
            var s = span.start, e = span.end
            if !span.quoted {
                while s < e && (p[s] == 0x20 || (p[s] == 0x09 && tabIsSpace)) { s += 1 }
                while e > s && (p[e - 1] == 0x20 || (p[e - 1] == 0x09 && tabIsSpace)) { e -= 1 }
            }
            return body(UnsafeBufferPointer(rebasing: p[s..<e]))
        }
    }

    /// The current record's field `k` as a `String` (it is valid UTF-8: the scanner checked).
    mutating func string(_ k: Int) -> String {
        withField(k) { String(decoding: $0, as: UTF8.self) }
    }
}
