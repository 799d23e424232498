import Foundation
import Testing
import TestSupport

/// Every subcommand on files as real tools write them (fixtures from
/// Tests/TabularTests/Fixtures/make_fixtures.py), and the reading rules of issue 11.
@Suite("natgrad on real files")
struct TableInputTests {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TabularTests/Fixtures/\(name)").path
    }

    static func json(_ r: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any], "\(r.standardError)")
    }

    @Test("CRLF (Python's csv module), with a quoted newline in an unused column: fit, glm and vi all read it")
    func crlfEverySubcommand() throws {
        let path = Self.fixture("python_csv_crlf.csv")
        let fit = try runProduct("natgrad", ["fit", path, "--family", "normal", "--column", "x", "--format", "json"])
        #expect(fit.status == 0, "\(fit.standardError)")
        let mean = try #require(((try Self.json(fit))["parameters"] as? [String: Any])?["mean"] as? Double)
        #expect(Swift.abs(mean - (0.5 - 1.5 + 2.25 + 1e-3 + 3.0) / 5) < 1e-15)
        let glm = try runProduct("natgrad", ["glm", path, "--response", "y", "--features", "x", "--format", "json"])
        #expect(glm.status == 0, "\(glm.standardError)")
        #expect((try Self.json(glm))["n"] as? Int == 5)
        let vi = try runProduct("natgrad", ["vi", path, "--model", "linear", "--response", "y", "--features", "x,id", "--format", "json"])
        #expect(vi.status == 0, "\(vi.standardError)")
    }

    @Test("Excel's BOM + CRLF: the first column is usable by its name")
    func excelBOM() throws {
        let r = try runProduct("natgrad", ["fit", Self.fixture("excel_bom_crlf.csv"), "--family", "normal", "--column", "température", "--format", "json"])
        #expect(r.status == 0, "\(r.standardError)")
        #expect((try Self.json(r))["n"] as? Int == 3)
    }

    @Test("pandas' index column is a row label with a note, never a predictor")
    func pandasIndex() throws {
        let r = try runProduct("natgrad", ["glm", Self.fixture("pandas_index.csv"), "--response", "y", "--missing", "drop", "--format", "json"])
        #expect(r.status == 0, "\(r.standardError)")
        let object = try Self.json(r)
        let names = (object["coefficients"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["intercept", "x"])
        #expect(object["rowsRead"] as? Int == 5 && object["rowsDropped"] as? Int == 1 && object["n"] as? Int == 4)
        #expect(r.standardError.contains("holds row labels"))
        // The same fit from the file written without the index (and the missing row dropped by hand).
        let plain = try temporaryFile(named: "plain.csv", contents: "x,y\n1.0,2.1\n2.0,3.9\n4.0,8.1\n5.0,9.8\n")
        let reference = try runProduct("natgrad", ["glm", plain, "--response", "y", "--format", "json"])
        let a = (object["coefficients"] as? [[String: Any]])?.compactMap { $0["estimate"] as? Double }
        let b = ((try Self.json(reference))["coefficients"] as? [[String: Any]])?.compactMap { $0["estimate"] as? Double }
        #expect(a == b)
    }

    @Test("String, boolean and missing cells with --missing drop match statsmodels' y ~ region + member + x (1e-8)")
    func categoricalAgainstStatsmodels() throws {
        let r = try runProduct("natgrad", ["glm", Self.fixture("glm_categorical.csv"), "--response", "y", "--missing", "drop", "--format", "json"])
        #expect(r.status == 0, "\(r.standardError)")
        let object = try Self.json(r)
        let reference = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: Self.fixture("glm_categorical_reference.json")))) as? [String: Any])
        let coefficients = try #require(object["coefficients"] as? [[String: Any]])
        #expect(coefficients.compactMap { $0["name"] as? String } == reference["names"] as? [String])
        let estimates = (reference["coefficients"] as? [String] ?? []).compactMap(Double.init)
        let errors = (reference["standardErrors"] as? [String] ?? []).compactMap(Double.init)
        #expect(estimates.count == 5 && errors.count == 5)
        for (k, c) in coefficients.enumerated() where k < 5 {
            let estimate = try #require(c["estimate"] as? Double), se = try #require(c["standardError"] as? Double)
            #expect(Swift.abs(estimate - estimates[k]) <= 1e-8 * Swift.max(1, Swift.abs(estimates[k])), "\(c)")
            #expect(Swift.abs(se - errors[k]) <= 1e-8 * errors[k], "\(c)")
        }
        #expect(object["rowsRead"] as? Int == reference["rowsRead"] as? Int)
        #expect(object["n"] as? Int == reference["rowsUsed"] as? Int)
        #expect(object["rowsDropped"] as? Int == 7)
    }

    @Test("Missing cells stop the fit by default, with the count and the way out")
    func missingDefault() throws {
        let r = try runProduct("natgrad", ["glm", Self.fixture("glm_categorical.csv"), "--response", "y"])
        #expect(r.status != 0)
        #expect(r.standardError.contains("7 rows have missing values in the columns the model uses (first: row 5, column 'x'); drop them with --missing drop"),
                "\(r.standardError)")
        // Only the columns the model uses count: x alone has 3 missing cells, y one more.
        let x = try runProduct("natgrad", ["fit", Self.fixture("glm_categorical.csv"), "--family", "normal", "--column", "x", "--missing", "drop", "--format", "json"])
        #expect((try Self.json(x))["n"] as? Int == 197)
    }

    @Test("--na-values replaces the missing tokens")
    func naValues() throws {
        let path = try temporaryFile(named: "na.csv", contents: "x,y\n1,2\n-999,3\n2,4\n3,5\n")
        let r = try runProduct("natgrad", ["glm", path, "--response", "y", "--na-values", "-999", "--missing", "drop", "--format", "json"])
        #expect((try Self.json(r))["n"] as? Int == 3)
    }

    @Test("Tab- and semicolon-separated files, and standard input through -")
    func delimitersAndStandardInput() throws {
        let tsv = try runProduct("natgrad", ["glm", Self.fixture("pandas_tab.tsv"), "--response", "y", "--missing", "drop", "--format", "json"])
        let semicolon = try runProduct("natgrad", ["glm", Self.fixture("pandas_semicolon.csv"), "--response", "y", "--missing", "drop",
                                                   "--delimiter", ";", "--format", "json"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("pandas_noindex.csv")))
        let piped = try runProduct("natgrad", ["glm", "-", "--response", "y", "--missing", "drop", "--format", "json"], standardInput: bytes)
        for r in [tsv, semicolon, piped] { #expect(r.status == 0, "\(r.standardError)") }
        let estimates = try [tsv, semicolon, piped].map { r in
            ((try Self.json(r))["coefficients"] as? [[String: Any]])?.compactMap { $0["estimate"] as? Double }
        }
        #expect(estimates[0] != nil && estimates[0] == estimates[1] && estimates[1] == estimates[2])
    }

    @Test("Broken input: duplicate names, a NUL in a number, invalid UTF-8, a repeated option, a feature named intercept")
    func brokenInput() throws {
        let cases: [([String], String)] = [
            (["glm", Self.fixture("duplicate_header.csv"), "--response", "y"], "the header names 'x' more than once"),
            (["glm", Self.fixture("nul_in_number.csv"), "--response", "y"], "row 3, column 'x': a NUL byte"),
            (["fit", Self.fixture("invalid_utf8.csv"), "--family", "normal", "--column", "x"], "row 3, column 'name': the bytes are not valid UTF-8"),
            (["glm", Self.fixture("pandas_noindex.csv"), "--response", "y", "--family", "poisson", "--family", "gaussian"], "--family is given more than once"),
        ]
        for (arguments, message) in cases {
            let r = try runProduct("natgrad", arguments)
            #expect(r.status != 0, "\(arguments)")
            #expect(r.standardError.contains(message), "\(r.standardError)")
        }
        let clash = try temporaryFile(named: "clash.csv", contents: "intercept,y\n1,2\n2,3\n3,5\n")
        let r = try runProduct("natgrad", ["glm", clash, "--response", "y"])
        #expect(r.status != 0 && r.standardError.contains("a feature is named 'intercept'"), "\(r.standardError)")
    }

    @Test("--categorical codes numbers as levels; --reference picks the baseline")
    func categoricalOptions() throws {
        let path = try temporaryFile(named: "codes.csv", contents: "y,code,g\n1,1,a\n2,2,b\n3,3,a\n2,1,b\n5,3,a\n4,2,b\n")
        let r = try runProduct("natgrad", ["glm", path, "--response", "y", "--categorical", "code", "--reference", "code=3,g=b", "--format", "json"])
        #expect(r.status == 0, "\(r.standardError)")
        let names = ((try Self.json(r))["coefficients"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["intercept", "code[T.1]", "code[T.2]", "g[T.a]"])
        let bad = try runProduct("natgrad", ["glm", path, "--response", "y", "--reference", "g=z"])
        #expect(bad.standardError.contains("column 'g' has no level 'z' for the reference (levels: a, b)"), "\(bad.standardError)")
    }
}
