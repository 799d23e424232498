import Testing
import Tabular

/// Edge cases of the reader on small in-memory inputs.
@Suite("Table reader edge cases")
struct ReaderEdgeCaseTests {
    func read(_ text: String, _ options: TableReadOptions = TableReadOptions(),
              columns: ColumnSelection = .all) throws(TableError) -> Table {
        try Table.read(.bytes(Array(text.utf8), name: "t.csv"), options: options, columns: columns)
    }

    @Test("Empty input, a header alone, whitespace-only lines")
    func emptyInputs() {
        #expect(throws: TableError.empty(source: "t.csv")) { try read("") }
        #expect(throws: TableError.noDataRows(source: "t.csv")) { try read("a,b\r\n") }
        #expect(throws: TableError.noDataRows(source: "t.csv")) { try read("a,b\n   \n\n") }
    }

    @Test("Missing tokens: the default list, and --na-values replacing it")
    func missingTokens() throws {
        let text = "x\n1\nNA\nNaN\nnan\nnull\nNULL\nN/A\n#N/A\n.\n\n\"\"\n2\n"
        guard case let .numbers(v) = try read(text).column("x") else { Issue.record("not numeric"); return }
        // The blank line is skipped; the quoted empty cell is a missing value.
        #expect(v.count == 11 && v.first == 1 && v.last == 2 && v[1..<10].allSatisfy(\.isNaN))
        let custom = try read("x\n1\n-999\nNA\n", TableReadOptions(missingTokens: ["-999"]))
        guard case let .text(codes, values) = try custom.column("x") else { Issue.record("NA should be text now"); return }
        #expect(codes == [0, -1, 1] && values == ["1", "NA"])
    }

    @Test("Infinite numbers are an error naming the cell; text in one cell makes a column text")
    func numbersAndText() throws {
        #expect(throws: TableError.notFinite(source: "t.csv", row: 3, column: "x", text: "inf")) { try read("x\n1\ninf\n") }
        #expect(throws: TableError.notFinite(source: "t.csv", row: 2, column: "x", text: "1e999")) { try read("x\n1e999\n") }
        let table = try read("x,y\n1,a\n2,3\n")
        #expect(try table.column("y") == .text(codes: [0, 1], values: ["a", "3"]))
        #expect(throws: TableError.notANumber(source: "t.csv", row: 2, column: "y", text: "a")) { try table.numbers("y") }
    }

    @Test("Spaces around cells are trimmed; spaces around a quoted cell are ignored; quotes stay inside unquoted text")
    func spacesAndQuotes() throws {
        let table = try read(" a , b \n 1.5 ,  \"x, y\"  \n2,5\"\n")
        #expect(table.header == ["a", "b"])
        #expect(try table.numbers("a") == [1.5, 2])
        #expect(try table.column("b") == .text(codes: [0, 1], values: ["x, y", "5\""]))
        #expect(throws: TableError.textAfterQuote(source: "t.csv", row: 2, column: "b")) { try read("a,b\n1,\"x\"y\n") }
    }

    @Test("Only the selected columns are parsed; unknown names list the columns")
    func selection() throws {
        let table = try read("a,b,c\n1,x,3\n", columns: .named(["c", "a"]))
        #expect(table.columnNames == ["c", "a"])
        #expect(throws: TableError.unknownColumn(source: "t.csv", name: "b", available: ["a", "b", "c"])) { try table.column("b") }
        #expect(throws: TableError.unknownColumn(source: "t.csv", name: "z", available: ["a", "b", "c"])) {
            try read("a,b,c\n1,x,3\n", columns: .named(["z"]))
        }
    }

    @Test("Long cells in semicolon and tab files: the eight-byte scan stops at the file's own delimiter")
    func longCellsOtherDelimiters() throws {
        for (delimiter, byte) in [(";", UInt8(ascii: ";")), ("\t", UInt8(0x09)), ("|", UInt8(ascii: "|"))] {
            let row = ["0.12345678901234567", "-1.2345678901234567", "12345678.876543210"].joined(separator: delimiter)
            let text = ["alpha", "beta", "gamma"].joined(separator: delimiter) + "\n" + row + "\n" + row + "\r\n"
            let table = try read(text, TableReadOptions(delimiter: byte))
            #expect(table.header == ["alpha", "beta", "gamma"], "\(delimiter)")
            #expect(try table.numbers("alpha") == [0.12345678901234567, 0.12345678901234567], "\(delimiter)")
            #expect(try table.numbers("beta") == [-1.2345678901234567, -1.2345678901234567], "\(delimiter)")
            #expect(try table.numbers("gamma") == [12345678.876543210, 12345678.876543210], "\(delimiter)")
        }
    }

    @Test("A delimiter that cannot work is an option error")
    func badDelimiter() {
        #expect(throws: TableError.invalidOption("the delimiter must be one ASCII character other than a quote or a line break")) {
            try read("a\n1\n", TableReadOptions(delimiter: UInt8(ascii: "\"")))
        }
    }

    @Test("Records straddling the 4 MiB chunks, and one longer than two chunks, read whole")
    func longRecords() throws {
        let long = String(repeating: "z", count: 70_000)
        var text = "a,b\r\n"
        for i in 0..<100 { text += "\(i),\"\(long)\(i)\"\r\n" }
        let huge = String(repeating: "y", count: 9_000_000)
        text += "100,\"\(huge)\"\r\n101,end\r\n"
        let table = try read(text)
        #expect(table.rowCount == 102)
        #expect(try table.numbers("a") == (0..<102).map(Double.init))
        guard case let .text(_, values) = try table.column("b") else { Issue.record("b is text"); return }
        #expect(values.count == 102 && values[99] == long + "99" && values[100] == huge && values[101] == "end")
        #expect(table.line(ofRow: 101) == 103)
    }

    @Test("Missing-value policy: error counts the incomplete rows; drop keeps complete rows only")
    func missingPolicy() throws {
        let table = try read("x,y,z\n1,2,a\n,3,b\n4,NA,\n5,6,c\n")
        #expect(throws: TableError.missingValues(source: "t.csv", incompleteRows: 2, firstRow: 3, column: "x")) {
            try table.rows(complete: ["x", "y"], policy: .error)
        }
        let kept = try table.rows(complete: ["x", "y", "z"], policy: .drop)
        #expect(kept.rows == [0, 3] && kept.rowsRead == 4 && kept.rowsDropped == 2)
        #expect(try table.rows(complete: ["z"], policy: .drop).rows == [0, 1, 3])
        let none = try read("x\nNA\n")
        #expect(throws: TableError.noCompleteRows(source: "t.csv", rowsRead: 1)) { try none.rows(complete: ["x"], policy: .drop) }
    }
}
