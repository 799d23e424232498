import Foundation
import Testing
@testable import Tabular

/// The `.ngb` format: CSV → .ngb → Table gives the table `Table.read` gives for the CSV, bit for bit
/// (every fixture written by Python's csv module, pandas, R and Excel, with categoricals and missing
/// cells, at several group sizes), row ranges across groups, and every kind of damaged file rejected with
/// a typed error (never a trap).
@Suite("NGB format")
struct NGBFormatTests {
    static let fixtures: [(String, UInt8?)] = [
        ("python_csv_crlf.csv", nil), ("pandas_index.csv", nil), ("pandas_noindex.csv", nil),
        ("pandas_semicolon.csv", UInt8(ascii: ";")), ("pandas_tab.tsv", nil), ("pandas_unnamed.csv", nil),
        ("r_write_csv.csv", nil), ("excel_bom_crlf.csv", nil), ("mixed_endings.csv", nil), ("cr_only.csv", nil),
        ("glm_categorical.csv", nil),
    ]

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ngb-test-\(UUID().uuidString)-\(name).ngb").path
    }

    /// Exact equality of two tables' parsed columns (numbers by bit pattern, so NaN = NaN).
    static func expectIdentical(_ a: Table, _ b: Table, _ context: String) throws {
        #expect(a.columnNames == b.columnNames, "\(context)")
        #expect(a.rowCount == b.rowCount, "\(context)")
        for name in a.columnNames {
            switch (try a.column(name), try b.column(name)) {
            case let (.numbers(x), .numbers(y)):
                #expect(x.map(\.bitPattern) == y.map(\.bitPattern), "\(context): column \(name)")
            case let (.text(c1, v1), .text(c2, v2)):
                #expect(c1 == c2 && v1 == v2, "\(context): column \(name)")
            default:
                Issue.record("\(context): column \(name) has different types")
            }
        }
    }

    @Test("CSV → .ngb → Table is bit-exact for files written by real tools", arguments: [1, 3, 65_536])
    func roundTripFixtures(rowsPerGroup: Int) throws {
        for (name, delimiter) in Self.fixtures {
            let options = TableReadOptions(delimiter: delimiter)
            let expected = try Table.read(.file(fixture(name)), options: options)
            let path = Self.temporaryPath(name)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let summary = try NGBConversion.convert(.file(fixture(name)), options: options, to: path, rowsPerGroup: rowsPerGroup)
            #expect(summary.rows == expected.rowCount)
            #expect(summary.rowLabelColumns == expected.rowLabelColumns)
            let loaded = try Table.read(.file(path))
            try Self.expectIdentical(expected, loaded, "\(name), G = \(rowsPerGroup)")
            // A subset of columns, in the order asked for.
            let names = Array(expected.columnNames.reversed().prefix(2))
            let subset = try Table.read(.file(path), columns: .named(names))
            #expect(subset.columnNames == names)
        }
    }

    @Test("missing-value tokens: the defaults, a custom list, and text columns with missing cells")
    func missingTokens() throws {
        let csv = "a,b,c\n1,x,NA\n,y,2\nNaN,,3\n-,x,4\n"
        for tokens in [TableReadOptions.defaultMissingTokens, ["-", ""], ["NA"]] {
            let options = TableReadOptions(missingTokens: tokens)
            let expected = try Table.read(.bytes(Array(csv.utf8), name: "m.csv"), options: options)
            let path = Self.temporaryPath("missing")
            defer { try? FileManager.default.removeItem(atPath: path) }
            _ = try NGBConversion.convert(.bytes(Array(csv.utf8), name: "m.csv"), options: options, to: path, rowsPerGroup: 2)
            try Self.expectIdentical(expected, try Table.read(.file(path)), "tokens \(tokens)")
        }
    }

    @Test("--missing error counts the incomplete rows; drop leaves them out")
    func missingPolicies() throws {
        let csv = Array("a,b\n1,x\n,y\n3,\n4,z\n".utf8)
        let path = Self.temporaryPath("policy")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: TableError.missingValues(source: "p.csv", incompleteRows: 2, firstRow: 3, column: "a")) {
            _ = try NGBConversion.convert(.bytes(csv, name: "p.csv"), to: path, missing: .error)
        }
        let summary = try NGBConversion.convert(.bytes(csv, name: "p.csv"), to: path, missing: .drop)
        #expect(summary.rows == 2 && summary.rowsRead == 4)
        let table = try Table.read(.file(path))
        #expect(try table.column("a") == .numbers([1, 4]))
        #expect(try table.column("b") == .text(codes: [0, 1], values: ["x", "z"]))
    }

    @Test("a Table written whole reads back whole; row ranges across groups read the right rows")
    func writerAndRanges() throws {
        let n = 23
        var csv = "u,v,w\n"
        for i in 0..<n { csv += "\(Double(i) * 0.5),\(i % 3 == 0 ? "p" : "q\(i % 4)"),\(i % 5 == 0 ? "" : "\(-i)")\n" }
        let table = try Table.read(.bytes(Array(csv.utf8), name: "r.csv"))
        let path = Self.temporaryPath("ranges")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NGBWriter.write(table, to: path, rowsPerGroup: 4)
        try Self.expectIdentical(table, try Table.read(.file(path)), "writer")
        let reader = try NGBReader(path: path)
        #expect(reader.layout.groupCount == 6 && reader.layout.rows(inGroup: 5) == 3)
        guard case let .numbers(u) = try table.column("u"), case let .text(codes, _) = try table.column("v") else {
            Issue.record("types"); return
        }
        for (a, b) in [(0, 0), (0, 23), (3, 9), (4, 8), (7, 23), (22, 23)] {
            var buffer = [Double](repeating: -1, count: b - a + 2)
            try reader.readNumbers(column: 0, rows: a..<b, into: &buffer, at: 1)
            #expect(Array(buffer[1..<(1 + b - a)]) == Array(u[a..<b]), "\(a)..<\(b)")
            #expect(buffer[0] == -1 && buffer[b - a + 1] == -1)
            var codeBuffer = [Int32](repeating: 0, count: b - a)
            try reader.readCodes(column: 1, rows: a..<b, into: &codeBuffer)
            #expect(codeBuffer == Array(codes[a..<b]))
        }
        #expect(throws: NGBError.self) { var b = [Double](repeating: 0, count: 5); try reader.readNumbers(column: 0, rows: 20..<25, into: &b) }
        #expect(throws: NGBError.self) { var b = [Double](repeating: 0, count: 5); try reader.readNumbers(column: 1, rows: 0..<5, into: &b) }
        #expect(throws: NGBError.self) { var b = [Double](repeating: 0, count: 2); try reader.readNumbers(column: 0, rows: 0..<5, into: &b) }
    }

    /// A small valid file's bytes.
    static func sampleBytes() throws -> [UInt8] {
        let csv = Array("x,g\n1.5,a\n2.5,b\n,a\n4,\n".utf8)
        let path = temporaryPath("sample")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try NGBConversion.convert(.bytes(csv, name: "s.csv"), to: path, rowsPerGroup: 3)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func open(_ bytes: [UInt8]) -> Result<Table, TableError> {
        let path = temporaryPath("damaged")
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do { return .success(try Table.read(.file(path))) } catch { return .failure(error) }
    }

    @Test("every truncation of a file is rejected with a typed error")
    func truncations() throws {
        let bytes = try Self.sampleBytes()
        #expect(throws: Never.self) { _ = try Self.open(bytes).get() }
        for length in 0..<bytes.count {
            switch Self.open(Array(bytes[0..<length])) {
            case .success: Issue.record("a file cut to \(length) of \(bytes.count) bytes was read")
            case let .failure(error):
                guard case let .binaryFile(inner) = error else { Issue.record("\(error)"); continue }
                switch inner {
                case .truncated, .corrupt, .notNGB: break
                default: Issue.record("length \(length): \(inner)")
                }
            }
        }
        // A byte more is corrupt too (the descriptors must end the file).
        #expect(throws: TableError.self) { _ = try Self.open(bytes + [0]).get() }
    }

    @Test("wrong magic, another version, an unknown type, a bad level code, a bad count")
    func damagedFields() throws {
        let bytes = try Self.sampleBytes()
        func damaged(_ edit: (inout [UInt8]) -> Void) -> NGBError? {
            var b = bytes
            edit(&b)
            if case let .failure(.binaryFile(error)) = Self.open(b) { return error }
            return nil
        }
        if case .notNGB = damaged({ $0[1] = UInt8(ascii: "X") }) {} else { Issue.record("magic") }
        if case .notNGB = Self.open(Array("x,y\n1,2\n".utf8)).failureNGB {} else { Issue.record("a CSV named .ngb") }
        if case .unsupportedVersion(_, 2) = damaged({ $0[8] = 2 }) {} else { Issue.record("version") }
        if case .corrupt = damaged({ $0[24] = 0; $0[25] = 0; $0[26] = 0; $0[27] = 0 }) {} else { Issue.record("G = 0") }
        if case .corrupt = damaged({ $0[16] = 5 }) {} else { Issue.record("row count") }
        if case .corrupt = damaged({ $0[12] = 3 }) {} else { Issue.record("column count") }
        // The descriptors start at 64 + 4·(8 + 4) = 112: "x" (u32 1, 'x', type 1), then "g".
        let descriptors = 64 + 4 * 12
        #expect(bytes[descriptors] == 1 && bytes[descriptors + 4] == UInt8(ascii: "x") && bytes[descriptors + 5] == 1)
        if case .corrupt = damaged({ $0[descriptors + 5] = 7 }) {} else { Issue.record("type byte") }
        if case .corrupt = damaged({ $0[descriptors + 4] = 0xFF }) {} else { Issue.record("UTF-8 name") }
        // Codes of g: group 0 (rows 0-2) at 64 + 3·8 = 88; set row 1's code to 9.
        if case .invalidLevelCode(_, 1, "g", 9, 2) = damaged({ $0[88 + 4] = 9 }) {} else { Issue.record("level code") }
        if case .invalidLevelCode(_, 0, "g", -2, 2) = damaged({ $0[88] = 0xFE; $0[89] = 0xFF; $0[90] = 0xFF; $0[91] = 0xFF }) {} else {
            Issue.record("negative level code")
        }
    }

    @Test("every single-byte change of the header and descriptors is read or rejected, never a trap")
    func byteFlips() throws {
        let bytes = try Self.sampleBytes()
        let positions = Array(0..<64) + Array((64 + 4 * 12)..<bytes.count)
        for position in positions {
            for value: UInt8 in [0, 1, 0x7F, 0xFF] where bytes[position] != value {
                var b = bytes
                b[position] = value
                _ = Self.open(b)
            }
        }
    }

    @Test("an unfinished file (the writer never finished) has no magic")
    func unfinished() throws {
        let path = Self.temporaryPath("unfinished")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let writer = try NGBWriter(path: path, names: ["a"], categorical: [false], rowsPerGroup: 2)
            for i in 0..<5 { writer.append(Double(i), column: 0); try writer.endRow() }
        }
        #expect(throws: NGBError.self) { _ = try NGBReader(path: path) }
        #expect(throws: NGBError.self) { _ = try NGBReader(path: path + ".does-not-exist") }
    }
}

extension Result where Failure == TableError {
    var failureNGB: NGBError? {
        if case let .failure(.binaryFile(error)) = self { return error }
        return nil
    }
}
