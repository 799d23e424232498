import Foundation
import Testing
@testable import Tabular
import TestSupport

/// The byte parser against the C library's correctly rounded `strtod` (glibc) on the texts real
/// writers produce: Python/numpy shortest round-trip (Swift's `description` is the same algorithm
/// class), %.17g, %.15e, fixed-point, and near-halfway decimals.
@Suite("Decimal parser")
struct DecimalParserTests {
    func parse(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { DecimalParser.parse($0) }
    }

    func reference(_ text: String) -> Double {
        text.withCString { strtod($0, nil) }
    }

    @Test("Grammar: what is a number and what is not")
    func grammar() {
        for (text, value) in [("0", 0.0), ("-0", -0.0), ("+1", 1), (".5", 0.5), ("5.", 5), ("1e3", 1000), ("1E-3", 0.001),
                              ("007", 7), ("-2.5e+2", -250), ("Inf", .infinity), ("-infinity", -.infinity)] {
            #expect(parse(text) == value, "\(text)")
        }
        #expect(parse("-0")!.sign == .minus)
        // Eight-digit runs are converted at once: a non-digit anywhere in such a run must still be seen.
        for text in ["0.1234567a", "0.123456:8", "0.1234/678", "1.00000000:", "0.12345678e", "0.1234567\u{7F}",
                     "0.12345678901234567 ", "1.2345678\u{0}"] {
            #expect(parse(text) == nil, "\(text)")
        }
        #expect(parse("0.12345678") == 0.12345678 && parse("9.9999999999999999") == 10 && parse("0.00000000012345678") == 1.2345678e-10)
        for text in ["", "-", ".", "e5", "1e", "1e+", "1.2.3", "1,5", "0x10", "nan", "NaN", "1 2", "12a", "inf5", "--1", "1_000"] {
            #expect(parse(text) == nil, "\(text)")
        }
    }

    @Test("Random doubles in every format real writers use parse to strtod's value, bit for bit")
    func randomDoubles() {
        var g = SeededGenerator(seed: 42)
        for _ in 0..<20_000 {
            let bits = UInt64.random(in: 0...UInt64.max, using: &g)
            var x = Double(bitPattern: bits)
            if !x.isFinite { continue }
            // Mostly moderate magnitudes (data), sometimes anything.
            if Bool.random(using: &g) { x = Double.random(in: -1e6...1e6, using: &g) * pow(10, Double(Int.random(in: -12...12, using: &g))) }
            for text in ["\(x)", String(format: "%.17g", x), String(format: "%.15e", x), String(format: "%.6f", x), String(format: "%.3g", x)] {
                let expected = reference(text)
                guard let got = parse(text) else { Issue.record("\(text) not parsed"); continue }
                #expect(got.bitPattern == expected.bitPattern, "\(text)")
            }
        }
    }

    @Test("Halfway and near-halfway decimals between adjacent doubles round as strtod does")
    func halfway() {
        var g = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            let x = Double.random(in: 1...1e4, using: &g)
            let next = x.nextUp
            // The exact midpoint has more digits than %.17g shows; write it with 25 and with 19 digits.
            let mid = (Float80(x) + Float80(next)) / 2
            for text in [String(format: "%.25Lg", mid as CLongDouble), String(format: "%.19Lg", mid as CLongDouble)] {
                #expect(parse(text)?.bitPattern == reference(text).bitPattern, "\(text)")
            }
        }
        // Many digits, long exponents, subnormals, overflow to infinity.
        for text in ["123456789012345678901234567890", "0.000000000000000000000000000001234", "4.9e-324", "2.2250738585072014e-308",
                     "1.7976931348623157e308", "1e-400", "3.14159265358979323846264338327950288"] {
            #expect(parse(text)?.bitPattern == reference(text).bitPattern, "\(text)")
        }
    }
}
