import Testing
import Tabular

/// Files as ordinary tools write them (see Fixtures/make_fixtures.py), read back to the values the
/// script wrote.
@Suite("Table reader on files written by real tools")
struct FixtureTests {
    func numbers(_ table: Table, _ name: String) throws -> [Double] {
        guard case let .numbers(v) = try table.column(name) else { Issue.record("\(name) is not numeric"); return [] }
        return v
    }

    func texts(_ table: Table, _ name: String) throws -> [String?] {
        guard case let .text(codes, values) = try table.column(name) else { Issue.record("\(name) is not text"); return [] }
        return codes.map { $0 < 0 ? nil : values[Int($0)] }
    }

    @Test("Python csv module: CRLF, quoted comma, doubled quote, embedded newline")
    func pythonCSV() throws {
        let table = try Table.read(.file(fixture("python_csv_crlf.csv")))
        #expect(table.header == ["id", "label", "x", "y"])
        #expect(table.rowCount == 5)
        #expect(try numbers(table, "x") == [0.5, -1.5, 2.25, 1e-3, 3.0])
        #expect(try numbers(table, "y") == [1.25, 2.0, -3.5, 4.0, 5.5])
        #expect(try texts(table, "label") == ["plain", "with, comma", "say \"hi\"", "two\nlines", nil])
        // The record after the two-line field starts on line 7 (header 1, rows 2–5, the field spans 5–6).
        #expect(table.line(ofRow: 4) == 7)
        #expect(table.line(ofRow: 3) == 5)
    }

    @Test("pandas to_csv() with its index: an empty header cell is a row label, NaN is an empty cell")
    func pandasIndex() throws {
        let table = try Table.read(.file(fixture("pandas_index.csv")))
        #expect(table.rowLabelColumns == [""])
        #expect(table.columnNames == ["x", "y"])
        let x = try numbers(table, "x")
        #expect(x.count == 5 && x[2].isNaN && x[3] == 4)
        #expect(try numbers(table, "y") == [2.1, 3.9, 6.2, 8.1, 9.8])
    }

    @Test("A pandas file read and written again: 'Unnamed: 0' is a row label too")
    func pandasUnnamed() throws {
        let table = try Table.read(.file(fixture("pandas_unnamed.csv")))
        #expect(table.rowLabelColumns == ["", "Unnamed: 0"])
        #expect(table.columnNames == ["x", "y"])
        // It can still be read when asked for by name.
        let labels = try Table.read(.file(fixture("pandas_unnamed.csv")), columns: .named(["Unnamed: 0"]))
        #expect(try numbers(labels, "Unnamed: 0") == [0, 1, 2, 3, 4])
    }

    @Test("Excel CSV UTF-8: the byte-order mark is not part of the first name; CRLF; non-ASCII text")
    func excelBOM() throws {
        let table = try Table.read(.file(fixture("excel_bom_crlf.csv")))
        #expect(table.header == ["température", "ville"])
        #expect(try numbers(table, "température") == [20.5, 21.0, 19.5])
        #expect(try texts(table, "ville") == ["Zürich", "Genève", "Köln"])
    }

    @Test("CR-only and mixed LF/CRLF/CR line endings, a blank line skipped, no final line break")
    func lineEndings() throws {
        let cr = try Table.read(.file(fixture("cr_only.csv")))
        #expect(cr.rowCount == 5)
        #expect(try numbers(cr, "y") == [2.1, 3.9, 6.2, 8.1, 9.8])
        let mixed = try Table.read(.file(fixture("mixed_endings.csv")))
        #expect(try numbers(mixed, "a") == [1, 3, 5, 7])
        #expect(try numbers(mixed, "b") == [2, 4, 6, 8])
        #expect(mixed.line(ofRow: 3) == 6)
    }

    @Test("Tab-separated (.tsv picks the tab) and semicolon-separated (explicit delimiter)")
    func delimiters() throws {
        let tsv = try Table.read(.file(fixture("pandas_tab.tsv")))
        #expect(try numbers(tsv, "y") == [2.1, 3.9, 6.2, 8.1, 9.8])
        let semicolon = try Table.read(.file(fixture("pandas_semicolon.csv")), options: TableReadOptions(delimiter: UInt8(ascii: ";")))
        #expect(try numbers(semicolon, "y") == [2.1, 3.9, 6.2, 8.1, 9.8])
        // Read with the default comma, the semicolon file is one column with text cells.
        let wrong = try Table.read(.file(fixture("pandas_semicolon.csv")))
        #expect(wrong.header == ["x;y"])
    }

    @Test("R write.csv: quoted header and strings, row names, NA")
    func rWriteCSV() throws {
        let table = try Table.read(.file(fixture("r_write_csv.csv")))
        #expect(table.rowLabelColumns == [""])
        let x = try numbers(table, "x")
        #expect(x[0] == 1.5 && x[1].isNaN && x[2] == 2.5)
        #expect(try texts(table, "region") == ["north", "south", nil, "north"])
    }

    @Test("Invalid UTF-8 and a NUL byte are errors naming the row and column")
    func badBytes() throws {
        #expect(throws: TableError.invalidUTF8(source: fixture("invalid_utf8.csv"), row: 3, column: "name")) {
            try Table.read(.file(fixture("invalid_utf8.csv")))
        }
        #expect(throws: TableError.nulByte(source: fixture("nul_in_number.csv"), row: 3, column: "x")) {
            try Table.read(.file(fixture("nul_in_number.csv")))
        }
    }

    @Test("Duplicate names, ragged rows and an unclosed quote are errors")
    func badShapes() throws {
        #expect(throws: TableError.duplicateColumns(source: fixture("duplicate_header.csv"), names: ["x"])) {
            try Table.read(.file(fixture("duplicate_header.csv")))
        }
        #expect(throws: TableError.raggedRow(source: fixture("ragged.csv"), row: 3, cells: 1, expected: 2)) {
            try Table.read(.file(fixture("ragged.csv")))
        }
        #expect(throws: TableError.unterminatedQuote(source: fixture("unclosed_quote.csv"), row: 2, column: "label")) {
            try Table.read(.file(fixture("unclosed_quote.csv")))
        }
    }

    @Test("A missing file is a cannotRead error with the system's reason")
    func missingFile() {
        #expect(throws: TableError.cannotRead(source: "/nonexistent/x.csv", reason: "No such file or directory")) {
            try Table.read(.file("/nonexistent/x.csv"))
        }
    }
}
