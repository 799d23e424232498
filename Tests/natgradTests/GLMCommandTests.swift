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
                    "logLikelihood", "aic", "dispersion", "coefficients", "rowsRead", "rowsDropped"]
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
            #expect(Set(c.keys) == ["name", "estimate", "standardError", "statistic", "pValue"])
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
