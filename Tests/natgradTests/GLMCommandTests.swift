import Foundation
import Testing
import TestSupport

/// `natgrad glm`: the JSON shape, the table, and error exits (runs the built executable).
@Suite("natgrad glm")
struct GLMCommandTests {
    static let csv = """
    y,x1,x2,w,t
    0,0.5,1.2,1,1
    1,1.5,-0.3,2,2
    3,-0.2,0.8,1,1.5
    2,0.9,0.1,1,1
    5,2.1,-1.1,3,2.5
    1,-1.0,0.4,1,1
    4,1.7,0.6,2,2
    0,-0.6,-0.9,1,0.5
    2,0.3,1.9,1,1
    6,2.4,0.2,1,3
    """

    static func run(_ arguments: [String], csv: String = csv) throws -> CommandResult {
        let path = try temporaryFile(named: "glm.csv", contents: csv)
        return try runProduct("natgrad", ["glm", path] + arguments)
    }

    @Test("--format json prints one object with the documented keys in order")
    func jsonShape() throws {
        let r = try Self.run(["--response", "y", "--family", "poisson", "--features", "x1,x2", "--format", "json"])
        #expect(r.status == 0, "\(r.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        let keys = ["family", "link", "n", "converged", "iterations", "deviance", "nullDeviance", "pearsonChi2",
                    "logLikelihood", "aic", "dispersion", "coefficients", "rowsRead", "rowsDropped", "covarianceType"]
        #expect(Set(object.keys) == Set(keys))
        // Order as listed in the issue: each key appears after the previous one in the text.
        let positions = keys.map { r.standardOutput.range(of: "\"\($0)\":")!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(object["family"] as? String == "poisson")
        #expect(object["link"] as? String == "log")
        #expect(object["n"] as? Int == 10)
        #expect(object["converged"] as? Bool == true)
        let coefficients = try #require(object["coefficients"] as? [[String: Any]])
        #expect(coefficients.map { $0["name"] as? String } == ["intercept", "x1", "x2"])
        for c in coefficients {
            #expect(Set(c.keys) == ["name", "estimate", "standardError", "statistic", "pValue", "ciLower", "ciUpper"])
            let estimate = try #require(c["estimate"] as? Double), se = try #require(c["standardError"] as? Double)
            // z = estimate/SE, printed with full precision on both sides.
            #expect(Swift.abs((c["statistic"] as! Double) - estimate / se) <= 1e-12 * Swift.abs(estimate / se))
        }
        #expect(r.standardError.isEmpty)
    }

    @Test("features default to every other column; weights, exposure and the intercept flag")
    func defaultsAndOptions() throws {
        let all = try Self.run(["--response", "y", "--family", "poisson", "--weights", "w", "--exposure", "t", "--format", "json"])
        #expect(all.status == 0, "\(all.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(all.standardOutput.utf8)) as! [String: Any]
        let names = (object["coefficients"] as! [[String: Any]]).map { $0["name"] as! String }
        #expect(names == ["intercept", "x1", "x2"])
        let none = try Self.run(["--response", "y", "--family", "poisson", "--features", "x1", "--no-intercept", "--format", "json"])
        let noneObject = try JSONSerialization.jsonObject(with: Data(none.standardOutput.utf8)) as! [String: Any]
        #expect((noneObject["coefficients"] as! [[String: Any]]).map { $0["name"] as! String } == ["x1"])
    }

    @Test("the table is a regression summary")
    func table() throws {
        let r = try Self.run(["--response", "y", "--family", "negative-binomial", "--alpha", "0.5", "--features", "x1,x2"])
        #expect(r.status == 0, "\(r.standardError)")
        for text in ["negative-binomial", "log link", "estimate", "std. error", "p-value", "intercept", "Deviance",
                     "Null deviance", "Pearson χ²", "Log-likelihood", "AIC", "Dispersion"] {
            #expect(r.standardOutput.contains(text), "missing \(text)")
        }
    }

    @Test("bad inputs exit non-zero with a message on stderr", arguments: [
        (["--response", "nope"], "no column named 'nope'"),
        (["--response", "y", "--family", "binomial", "--features", "x1"], "outside the binomial family's support"),
        (["--response", "x1", "--family", "poisson", "--features", "x2"], "outside the poisson family's support"),
        (["--response", "y", "--family", "gamma", "--features", "x1"], "outside the gamma family's support"),
        (["--response", "y", "--family", "wrong"], "wrong"),
        (["--response", "y", "--link", "sideways"], "sideways"),
        (["--response", "y", "--alpha", "1"], "negative-binomial"),
        (["--response", "y", "--family", "negative-binomial", "--alpha", "-1"], "alpha"),
        (["--response", "y", "--trials", "t"], "binomial"),
    ])
    func badInputs(arguments: [String], message: String) throws {
        let r = try Self.run(arguments)
        #expect(r.status != 0)
        #expect(r.standardOutput.isEmpty)
        #expect(r.standardError.contains(message), "\(r.standardError)")
    }

    @Test("collinear features are named")
    func collinear() throws {
        let csv = "y,a,b,c\n1,1,2,3\n2,2,1,3\n0,3,5,8\n4,4,1,5\n3,0,2,2\n"
        let r = try Self.run(["--response", "y", "--family", "poisson"], csv: csv)
        #expect(r.status != 0)
        #expect(r.standardError.contains("column 'c' is a linear combination of 'a', 'b'"), "\(r.standardError)")
    }

    @Test("separation is reported")
    func separation() throws {
        let csv = "y,x\n0,-2\n0,-1.5\n0,-1\n0,-0.5\n1,0.5\n1,1\n1,1.5\n1,2\n"
        let r = try Self.run(["--response", "y", "--family", "binomial"], csv: csv)
        #expect(r.status != 0)
        #expect(r.standardError.contains("perfect separation"), "\(r.standardError)")
    }

    @Test("non-finite cells are rejected with their row")
    func nonFinite() throws {
        let csv = "y,x\n1,0.5\n2,nan\n3,1\n"
        let r = try Self.run(["--response", "y", "--family", "poisson"], csv: csv)
        #expect(r.status != 0)
        #expect(r.standardError.contains("row 3"), "\(r.standardError)")
    }
}

/// The command-line side of the fits that used to fail (issue 12).
@Suite("natgrad glm: exact fits and wide values")
struct GLMExactFitCommandTests {
    static let exactLine = "y,x\n2,0\n5,1\n8,2\n11,3\n14,4\n"

    @Test("an exact Gaussian fit succeeds: JSON log-likelihood null, a note on stderr, no internal wording")
    func exactFitJSON() throws {
        let r = try GLMCommandTests.run(["--response", "y", "--format", "json"], csv: Self.exactLine)
        #expect(r.status == 0, "\(r.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        #expect(object["logLikelihood"] is NSNull)
        #expect(object["aic"] is NSNull)
        let coefficients = try #require(object["coefficients"] as? [[String: Any]])
        // Exact to rounding (a few ulps: the normal equations of an exact fit).
        let estimates = coefficients.compactMap { $0["estimate"] as? Double }
        #expect(estimates.count == 2 && Swift.abs(estimates[0] - 2) <= 1e-14 && Swift.abs(estimates[1] - 3) <= 1e-14, "\(estimates)")
        #expect(coefficients.map { $0["standardError"] as? Double } == [0, 0])
        #expect(r.standardError.contains("note: the model fits the response exactly"), "\(r.standardError)")
        #expect(!r.standardError.contains("distribution error"))
    }

    @Test("a constant response is a valid fit")
    func constantResponse() throws {
        let r = try GLMCommandTests.run(["--response", "y"], csv: "y,x\n3,0\n3,1\n3,2\n3,3\n")
        #expect(r.status == 0, "\(r.standardError)")
        #expect(r.standardError.contains("note:"))
    }

    @Test("table columns are as wide as their values: every cell is separated by at least two spaces")
    func tableWidths() throws {
        // Wide values in every column: an exact fit (z = inf) and a probit fit with a huge slope.
        for (csv, extra) in [(Self.exactLine, [String]()),
                             ("y,x\n0,-1\n0,-0.5\n1,0\n0,0.002\n1,0.5\n1,1\n", ["--family", "binomial", "--link", "probit"]),
                             ("y,t\n1,1700000000\n2.5,1700000600\n2,1700001200\n4,1700001800\n", [])] {
            let r = try GLMCommandTests.run(["--response", "y"] + extra, csv: csv)
            #expect(r.status == 0, "\(r.standardError)")
            let lines = r.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let header = try #require(lines.firstIndex { $0.contains("estimate") && $0.contains("p-value") })
            let block = lines[header...].prefix { !$0.isEmpty }
            #expect(block.count >= 3)
            // All rows equally long (right-aligned columns), and splitting on runs of ≥ 2 spaces gives the
            // seven cells (six for the header, whose first cell is empty).
            #expect(Set(block.map(\.count)).count == 1, "\(block)")
            for (index, line) in block.enumerated() {
                let cells = line.components(separatedBy: "  ").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                #expect(cells.count == (index == 0 ? 6 : 7), "\(line)")
            }
        }
    }
}

/// `natgrad glm --covariance … --level …` (the numbers themselves are checked against statsmodels in
/// GeneralizedLinearModelsTests.CovarianceTypeTests).
@Suite("natgrad glm --covariance")
struct GLMCovarianceCommandTests {
    static let csv = GLMCommandTests.csv.replacingOccurrences(of: "y,x1,x2,w,t\n", with: "y,x1,x2,w,t\n")
        .split(separator: "\n").enumerated().map { $0.offset == 0 ? $0.element + ",g" : $0.element + ",\($0.offset % 3)" }
        .joined(separator: "\n")

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try GLMCommandTests.run(["--response", "y", "--family", "poisson", "--features", "x1,x2", "--format", "json"] + arguments,
                                        csv: csv)
        #expect(r.status == 0, "\(r.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
    }

    @Test("each type is reported, and the intervals are estimate ∓ z·SE at the level",
          arguments: ["nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster:g"])
    func types(_ name: String) throws {
        for (level, z) in [(0.95, 1.959963984540054), (0.9, 1.6448536269514722)] {
            let object = try Self.json(["--covariance", name, "--level", "\(level)"])
            #expect(object["covarianceType"] as? String == (name.hasPrefix("cluster") ? "cluster" : name))
            let coefficients = try #require(object["coefficients"] as? [[String: Any]])
            #expect(coefficients.map { $0["name"] as? String } == ["intercept", "x1", "x2"])
            for c in coefficients {
                let estimate = c["estimate"] as! Double, se = c["standardError"] as! Double
                #expect(Swift.abs((c["ciLower"] as! Double) - (estimate - z * se)) <= 1e-12 * (Swift.abs(estimate) + se))
                #expect(Swift.abs((c["ciUpper"] as! Double) - (estimate + z * se)) <= 1e-12 * (Swift.abs(estimate) + se))
            }
        }
    }

    @Test("robust standard errors differ from the model-based ones; the cluster column is not a feature by default")
    func differs() throws {
        let model = try Self.json([]), robust = try Self.json(["--covariance", "HC0"])
        let a = (model["coefficients"] as! [[String: Any]]).map { $0["standardError"] as! Double }
        let b = (robust["coefficients"] as! [[String: Any]]).map { $0["standardError"] as! Double }
        #expect(a != b)
        let r = try GLMCommandTests.run(["--response", "y", "--family", "poisson", "--features", "x1,x2", "--covariance", "cluster:g"], csv: Self.csv)
        #expect(r.standardOutput.contains("lower 95%") && r.standardOutput.contains("upper 95%"), "\(r.standardOutput)")
        #expect(r.standardOutput.contains("cluster-robust by 'g'"))
        let all = try GLMCommandTests.run(["--response", "y", "--family", "poisson", "--weights", "w", "--exposure", "t",
                                           "--covariance", "cluster:g", "--format", "json"], csv: Self.csv)
        let object = try JSONSerialization.jsonObject(with: Data(all.standardOutput.utf8)) as! [String: Any]
        #expect((object["coefficients"] as! [[String: Any]]).map { $0["name"] as! String } == ["intercept", "x1", "x2"])
        // Text cluster labels give the same clusters as the numbers they replace.
        let text = Self.csv.split(separator: "\n").enumerated().map { line -> String in
            guard line.offset > 0, let comma = line.element.lastIndex(of: ",") else { return String(line.element) }
            return line.element[...comma] + "store" + line.element[line.element.index(after: comma)...]
        }.joined(separator: "\n")
        let numeric = try Self.json(["--covariance", "cluster:g"])
        let labelled = try GLMCommandTests.run(["--response", "y", "--family", "poisson", "--features", "x1,x2", "--format", "json",
                                                "--covariance", "cluster:g"], csv: text)
        #expect(labelled.status == 0, "\(labelled.standardError)")
        let labelledObject = try JSONSerialization.jsonObject(with: Data(labelled.standardOutput.utf8)) as! [String: Any]
        #expect((labelledObject["coefficients"] as! [[String: Any]]).map { $0["standardError"] as! Double }
                == (numeric["coefficients"] as! [[String: Any]]).map { $0["standardError"] as! Double })
    }

    @Test("bad covariance options exit non-zero with a message", arguments: [
        (["--covariance", "HC4"], "HC4"),
        (["--covariance", "cluster:"], "cluster:"),
        (["--covariance", "cluster:nope"], "no column named 'nope'"),
        (["--level", "1.5"], "--level must be in (0, 1)"),
    ])
    func bad(arguments: [String], message: String) throws {
        let r = try GLMCommandTests.run(["--response", "y", "--family", "poisson"] + arguments, csv: Self.csv)
        #expect(r.status != 0)
        #expect(r.standardError.contains(message), "\(r.standardError)")
    }
}
