import Foundation
import TestSupport
import Testing

/// `natgrad vi`: JSON shape, agreement with the reference posterior, one-line errors with non-zero exit.
@Suite("natgrad vi")
struct VICommandTests {
    /// The reference regression (../shared/reference/variational) as a CSV with a header x1…x5,y.
    func referenceCSV() throws -> String {
        let x = try referenceText("variational/X.csv").split(whereSeparator: \.isNewline)
        let y = try referenceText("variational/y.csv").split(whereSeparator: \.isNewline)
        var text = "x1,x2,x3,x4,x5,y\n"
        for (row, value) in zip(x, y) { text += "\(row),\(value)\n" }
        return try temporaryFile(named: "regression.csv", contents: text)
    }

    func json(_ result: CommandResult) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
    }

    static let logisticCSV = """
        x1,x2,y
        0.5,1.0,1
        -1.2,0.3,0
        0.8,-0.4,1
        -0.3,-1.1,0
        1.5,0.2,1
        -0.9,0.9,1
        0.1,-0.6,0
        2.0,1.4,1
        """

    @Test("linear model: JSON shape and the exact posterior of the reference problem")
    func linearReference() throws {
        let path = try referenceCSV()
        let result = try runProduct("natgrad", ["vi", path, "--model", "linear", "--response", "y", "--no-intercept",
                                                "--prior-precision", "0.5", "--noise-precision", "4", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try json(result)
        #expect(Set(object.keys) == ["model", "covariance", "names", "mean", "covarianceMatrix", "elbo", "iterations", "converged"])
        // Keys in the documented order.
        #expect(result.standardOutput.hasPrefix(#"{"model":"linear","covariance":"full","names":["x1","x2","x3","x4","x5"],"mean":["#))
        let root = try referenceJSON("variational/bayesian_linear_regression.json") as! [String: Any]
        let reference = root["linear_regression"] as! [String: Any]
        let mean = (object["mean"] as! [Any]).map { number($0) }
        let expected = (reference["posterior_mean"] as! [Any]).map { number($0) }
        // Same doubles as the library test (the CSV carries the reference's 17-digit values, and JSON
        // prints shortest round-trip decimals): the library's 1e-11 budget applies.
        #expect(relativeError(mean, expected) <= 1e-11)
        let covariance = (object["covarianceMatrix"] as! [[Any]]).map { $0.map { number($0) } }
        let expectedCovariance = (reference["posterior_cov"] as! [[Any]]).map { $0.map { number($0) } }
        #expect(relativeError(covariance.flatMap { $0 }, expectedCovariance.flatMap { $0 }) <= 1e-11)
        let logEvidence = number(reference["log_marginal_likelihood"])
        #expect(abs(number(object["elbo"]) - logEvidence) <= 1e-11 * abs(logEvidence))
        #expect(object["converged"] as? Bool == true)
    }

    @Test("logistic, diagonal: intercept first, variances instead of a covariance matrix")
    func diagonalShape() throws {
        let path = try temporaryFile(named: "logistic.csv", contents: Self.logisticCSV)
        let result = try runProduct("natgrad", ["vi", path, "--model", "logistic", "--response", "y", "--covariance", "diagonal", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try json(result)
        #expect(Set(object.keys) == ["model", "covariance", "names", "mean", "variances", "elbo", "iterations", "converged"])
        #expect(object["names"] as? [String] == ["intercept", "x1", "x2"])
        #expect(object["covariance"] as? String == "diagonal")
        #expect((object["variances"] as! [Any]).map { number($0) }.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(object["converged"] as? Bool == true)
    }

    @Test("table output and --features selection")
    func table() throws {
        let path = try temporaryFile(named: "logistic.csv", contents: Self.logisticCSV)
        let result = try runProduct("natgrad", ["vi", path, "--model", "poisson", "--response", "y", "--features", "x2"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("intercept"))
        #expect(result.standardOutput.contains("x2"))
        #expect(!result.standardOutput.contains("x1"))
        #expect(result.standardOutput.contains("converged: yes"))
    }

    @Test("errors: one line on stderr and a non-zero exit",
          arguments: [
            (["--model", "logistic", "--response", "x1"], "row 2, column 'x1'"),
            (["--model", "logistic", "--response", "nope"], "no column named 'nope'"),
            (["--model", "logistic", "--response", "y", "--noise-precision", "2"], "--noise-precision"),
            (["--model", "logistic", "--response", "y", "--prior-precision", "0"], "--prior-precision"),
            (["--model", "logistic", "--response", "y", "--features", "x1,y"], "response"),
            (["--model", "poisson", "--response", "y", "--features", "x1,,x2"], "empty"),
            (["--model", "probit", "--response", "y"], "probit"),
            (["--family", "binomial", "--response", "y", "--weights", "x1", "--features", "x2"],
             "row 3, column 'x1': -1.2 is invalid for the binomial/logit model (it must be a weight that is finite and ≥ 0)"),
            (["--model", "logistic", "--response", "y", "--threads", "0"], "--threads must be at least 1"),
            (["--model", "logistic", "--response", "y", "--distributed"], "built without MPI: swift build --traits MPI"),
          ])
    func errors(arguments: [String], fragment: String) throws {
        let path = try temporaryFile(named: "logistic.csv", contents: Self.logisticCSV)
        let result = try runProduct("natgrad", ["vi", path] + arguments)
        #expect(result.status != 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains(fragment), "\(result.standardError)")
        if fragment != "probit" {
            // ArgumentParser's own parse errors add a usage block; ours are exactly one line.
            #expect(result.standardError.split(whereSeparator: \.isNewline).count == 1, "\(result.standardError)")
        }
    }

    @Test("unreadable file and non-numeric cells")
    func fileErrors() throws {
        let missing = try runProduct("natgrad", ["vi", "/nonexistent/file.csv", "--model", "linear", "--response", "y"])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("cannot read"))
        // Text in the response is an error; text in a feature makes it categorical (a note says so).
        let path = try temporaryFile(named: "bad.csv", contents: "x,y\n1,2\n2,abc\n3,1\n")
        let bad = try runProduct("natgrad", ["vi", path, "--model", "linear", "--response", "y"])
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("row 3, column 'y': 'abc' is not a number"), "\(bad.standardError)")
        let text = try temporaryFile(named: "text.csv", contents: "x,y\n1,2\nabc,3\n2,1\n")
        let coded = try runProduct("natgrad", ["vi", text, "--model", "linear", "--response", "y", "--format", "json"])
        #expect(coded.status == 0, "\(coded.standardError)")
        #expect(coded.standardOutput.contains("\"names\":[\"intercept\",\"x[T.2]\",\"x[T.abc]\"]"), "\(coded.standardOutput)")
        #expect(coded.standardError.contains("column 'x' mixes numbers ('1') and text ('abc')"))
    }

    /// examples/claims.csv in this repository (unscaled features: age 18–79).
    static var claimsPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/claims.csv").path
    }

    @Test("claims example with unscaled age: Poisson (full, diagonal) and logistic fits converge",
          arguments: [
            ["--model", "poisson", "--response", "claims", "--features", "age,urban"],
            ["--model", "poisson", "--response", "claims", "--features", "age,urban", "--covariance", "diagonal"],
            ["--model", "logistic", "--response", "urban", "--features", "age"],
          ])
    func claims(arguments: [String]) throws {
        let result = try runProduct("natgrad", ["vi", Self.claimsPath] + arguments + ["--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try json(result)
        #expect(object["converged"] as? Bool == true)
        #expect((object["names"] as? [String])?.first == "intercept")
        #expect(number(object["elbo"]).isFinite)
        // The table form reports the same convergence.
        let table = try runProduct("natgrad", ["vi", Self.claimsPath] + arguments)
        #expect(table.standardOutput.contains("converged: yes"), "\(table.standardOutput)")
    }
}
