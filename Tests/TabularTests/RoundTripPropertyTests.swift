import Foundation
import Testing
import PropertyBased
import Tabular
import TestSupport

/// Any table an RFC 4180 writer produces — random quoting of any field, any of `,` `;` tab as the
/// delimiter, LF/CRLF/CR or a random mix of them, an optional BOM and a final line break or not —
/// reads back to the same numbers (bit for bit) and the same text. (Unquoted cells are trimmed of
/// spaces and tabs, so the writer quotes text that starts or ends with them, as RFC 4180 writers may.)
@Suite("Table reader round trip")
struct RoundTripPropertyTests {
    @Test("Random tables written with random quoting, delimiters and line endings read back exactly")
    func roundTrip() async {
        await propertyCheck(
            count: 100, input: Gen.int(in: 1...6), Gen.int(in: 1...25), Gen.int(in: 0...2), Gen.int(in: 0...3),
            Gen.bool, Gen.uint64(in: 0...UInt64.max)
        ) { columns, rows, delimiterChoice, endingChoice, bom, seed in
            var g = SeededGenerator(seed: seed)
            let delimiter = [",", ";", "\t"][delimiterChoice]
            let endings = ["\n", "\r\n", "\r"]
            func ending() -> String { endingChoice < 3 ? endings[endingChoice] : endings.randomElement(using: &g)! }
            // Column kinds: numbers, or text with delimiters, quotes and line breaks inside.
            let isText = (0..<columns).map { _ in Int.random(in: 0..<4, using: &g) == 0 }
            let names = (0..<columns).map { "c\($0)" }
            var numbers = [[Double]](repeating: [], count: columns)
            var texts = [[String]](repeating: [], count: columns)
            let pieces = ["a", "b c", ",", ";", "\t", "\"", "\n", "\r\n", "é", "ß", "1"]
            func field(_ s: String) -> String {
                let mustQuote = s.contains(delimiter) || s.contains("\"") || s.contains("\n") || s.contains("\r")
                    || s.hasPrefix(" ") || s.hasSuffix(" ") || s.hasPrefix("\t") || s.hasSuffix("\t") || s.isEmpty
                if mustQuote || Bool.random(using: &g) { return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
                return s
            }
            var text = bom ? "\u{FEFF}" : ""
            text += names.map(field).joined(separator: delimiter) + ending()
            for r in 0..<rows {
                var cells: [String] = []
                for c in 0..<columns {
                    if isText[c] {
                        var s = "t"   // never a number or a missing token
                        for _ in 0..<Int.random(in: 0...4, using: &g) { s += pieces.randomElement(using: &g)! }
                        texts[c].append(s)
                        cells.append(field(s))
                    } else {
                        let x = Double.random(in: -1e3...1e3, using: &g) * pow(10, Double(Int.random(in: -8...8, using: &g)))
                        numbers[c].append(x)
                        cells.append(field(Bool.random(using: &g) ? "\(x)" : String(format: "%.17g", x)))
                    }
                }
                text += cells.joined(separator: delimiter)
                if r < rows - 1 || Bool.random(using: &g) { text += ending() }
            }
            let options = TableReadOptions(delimiter: UInt8(ascii: Unicode.Scalar(delimiter)!))
            let table = try Table.read(.bytes(Array(text.utf8), name: "random"), options: options)
            #expect(table.header == names)
            #expect(table.rowCount == rows)
            for c in 0..<columns {
                let column = try table.column(names[c])
                if isText[c] {
                    guard case let .text(codes, values) = column else { Issue.record("column \(c) should be text"); continue }
                    #expect(codes.map { values[Int($0)] } == texts[c])
                } else {
                    guard case let .numbers(v) = column else { Issue.record("column \(c) should be numbers"); continue }
                    #expect(v.map(\.bitPattern) == numbers[c].map(\.bitPattern))
                }
            }
        }
    }
}
