import Foundation
import Testing
import Tabular

/// A file read in K shares (one per process of a distributed fit) must give the whole file's rows, in
/// order, with the whole file's line numbers; coded with merged levels, the same design matrix. (A quoted
/// field spanning lines may be cut by a split: `quotedFieldAcrossASplit` tests that it is reported.)
@Suite("File shares")
struct TableFileShareTests {
    /// A file with what a split can cut wrongly: a byte-order mark, LF, CRLF and CR line endings, quoted
    /// fields holding the delimiter and quotes, blank lines, a missing cell, text in a column that is
    /// numeric in most rows, a level seen only in the last row.
    static let text: String = {
        var lines = ["\u{FEFF}y,x,g,note"]
        for i in 0..<60 {
            let g = i == 59 ? "zeta" : ["b", "a", "c"][i % 3]
            let x = i == 17 ? "" : (i == 40 ? "text" : String(Double(i) * 0.5))
            let note = i % 7 == 3 ? "\"a comma, and \"\"quotes\"\"\"" : "\"q, \"\"r\"\"\""
            let end = i % 3 == 0 ? "\r\n" : (i % 3 == 1 ? "\n" : "\r")
            lines.append("\(i % 4),\(x),\(g),\(note)" + end)
            if i == 30 { lines.append("\n   \n") }
        }
        return lines[0] + "\n" + lines.dropFirst().joined()
    }()

    static func write(_ text: String, _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("natgrad-share-\(name)-\(getpid()).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The shares of a file, numbered in the file (the prefix sum of the line breaks before each).
    static func shares(_ path: String, parts: Int) throws -> [TableFileShare] {
        var result: [TableFileShare] = []
        var before = 0
        for part in 0..<parts {
            var (share, breaks) = try TableFileShare.locate(path: path, part: part, of: parts)
            share.firstLine += before
            before += breaks
            result.append(share)
        }
        return result
    }

    /// A column as optional strings (numbers printed), for comparing shares with the whole.
    static func cells(_ table: Table, _ name: String) throws -> [String?] {
        switch try table.column(name) {
        case let .numbers(v): return v.map { $0.isNaN ? nil : String($0) }
        case let .text(codes, values): return codes.map { $0 < 0 ? nil : values[Int($0)] }
        }
    }

    @Test("The shares tile the rows: same cells, same line numbers, any number of parts", arguments: [1, 2, 3, 5, 17, 200])
    func sharesTileTheFile(parts: Int) throws {
        let path = try Self.write(Self.text, "tile-\(parts)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try Table.read(.file(path))
        var options = TableReadOptions()
        options.textColumns = ["x", "g", "note"]  // what the processes agree on: text anywhere is text
        var cells: [String: [String?]] = [:]
        var lines: [Int] = []
        let shares = try Self.shares(path, parts: parts)
        #expect(shares.first?.rowBytes.lowerBound == shares.first?.headerBytes.upperBound)
        for (a, b) in zip(shares, shares.dropFirst()) { #expect(a.rowBytes.upperBound == b.rowBytes.lowerBound) }
        for share in shares {
            let table = try Table.read(.fileShare(share), options: options)
            #expect(table.header == whole.header)
            for name in whole.columnNames { cells[name, default: []] += try Self.cells(table, name) }
            lines += (0..<table.rowCount).map(table.line(ofRow:))
        }
        for name in whole.columnNames { #expect(cells[name] == (try Self.cells(whole, name)), "column \(name)") }
        #expect(lines == (0..<whole.rowCount).map(whole.line(ofRow:)))
    }

    @Test("An error in a later share names the file's line")
    func errorsNameTheFileLine() throws {
        let body = (0..<40).map { "\($0),\($0 == 33 ? "1,2" : "\($0)")\n" }.joined()
        let path = try Self.write("a,b\n" + body, "ragged")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: TableError.raggedRow(source: path, row: 35, cells: 3, expected: 2)) { try Table.read(.file(path)) }
        var thrown: [TableError] = []
        for share in try Self.shares(path, parts: 3) {
            do { _ = try Table.read(.fileShare(share)) } catch { thrown.append(error) }
        }
        #expect(thrown == [.raggedRow(source: path, row: 35, cells: 3, expected: 2)])
    }

    @Test("A quoted field cut by a split: the share it starts in reports an unclosed quote at its row")
    func quotedFieldAcrossASplit() throws {
        let long = (0..<500).map { "line \($0)" }.joined(separator: "\n")
        let path = try Self.write("y,comment\n1,short\n2,\"" + long + "\"\n3,end\n", "quoted")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let shares = try Self.shares(path, parts: 2)
        #expect(throws: TableError.unterminatedQuote(source: path, row: 3, column: "comment")) {
            try Table.read(.fileShare(shares[0]))
        }
    }

    @Test("More parts than rows: the extra shares hold no rows")
    func emptyShares() throws {
        let path = try Self.write("a,b\n1,2\n3,4\n", "empty")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let counts = try Self.shares(path, parts: 8).map { try Table.read(.fileShare($0)).rowCount }
        #expect(counts.reduce(0, +) == 2 && counts.filter { $0 == 0 }.count == 6)
    }

    @Test("Designs coded with the merged levels of the shares are the whole file's design, row for row", arguments: [2, 3, 7])
    func mergedLevels(parts: Int) throws {
        let path = try Self.write(Self.text, "levels-\(parts)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let request = DesignRequest(features: ["y", "g"], categorical: ["y"])
        let whole = try DesignMatrix.build(try Table.read(.file(path), columns: .named(["y", "g"])), request: request)
        var options = TableReadOptions()
        options.textColumns = ["g"]
        let tables = try Self.shares(path, parts: parts).map { try Table.read(.fileShare($0), options: options, columns: .named(["y", "g"])) }
        var merged: [String: ObservedLevels] = [:]
        for table in tables {
            let rows = RowSelection(rows: Array(0..<table.rowCount), rowsRead: table.rowCount)
            for (name, seen) in try DesignMatrix.observedLevels(table, request: request, rows: rows) {
                merged[name] = merged[name].map { $0.union(seen) } ?? seen
            }
        }
        var stacked: [[Double]] = []
        for table in tables {
            let rows = RowSelection(rows: Array(0..<table.rowCount), rowsRead: table.rowCount)
            let design = try DesignMatrix.build(table, request: request, rows: rows, levels: merged)
            #expect(design.spec == whole.spec)
            for i in 0..<design.matrix.rows { stacked.append((0..<design.matrix.columns).map { design.matrix[i, $0] }) }
        }
        #expect(stacked == (0..<whole.matrix.rows).map { i in (0..<whole.matrix.columns).map { whole.matrix[i, $0] } })
    }
}
