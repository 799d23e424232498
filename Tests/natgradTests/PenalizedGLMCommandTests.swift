import Foundation
import Testing
import TestSupport

/// `natgrad glm --lambda/--l1-ratio/--path` and `--family tweedie` (runs the built executable).
@Suite("natgrad glm, penalized and Tweedie")
struct PenalizedGLMCommandTests {
    static let csv = """
    y,x1,g,e
    0,0.5,a,1
    1,1.5,b,2
    3,-0.2,c,1.5
    2,0.9,a,1
    5,2.1,b,2.5
    1,-1.0,c,1
    4,1.7,a,2
    0,-0.6,b,0.5
    2,0.3,c,1
    6,2.4,a,3
    1,0.1,b,1
    2,-0.4,c,2
    """

    static func run(_ arguments: [String]) throws -> CommandResult {
        let path = try temporaryFile(named: "penalized.csv", contents: csv)
        return try runProduct("natgrad", ["glm", path, "--response", "y"] + arguments)
    }

    @Test("--lambda with --l1-ratio 1: JSON with the penalty, the objective and the coefficients in design order")
    func lassoJSON() throws {
        let r = try Self.run(["--family", "poisson", "--exposure", "e", "--lambda", "0.05", "--l1-ratio", "1", "--format", "json"])
        #expect(r.status == 0, "\(r.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        #expect(object["lambda"] as? Double == 0.05 && object["l1Ratio"] as? Double == 1)
        #expect(object["converged"] as? Bool == true)
        let names = (object["coefficients"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["intercept", "x1", "g[T.b]", "g[T.c]"])
        #expect((object["optimalityViolation"] as? Double ?? 1) <= 1e-7)
    }

    @Test("--path K: K entries with lambda, deviance, nonZero and coefficients; the first all zeros")
    func pathJSON() throws {
        let r = try Self.run(["--family", "poisson", "--path", "4", "--l1-ratio", "1", "--format", "json"])
        #expect(r.status == 0, "\(r.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.standardOutput.utf8)) as? [String: Any])
        let path = try #require(object["path"] as? [[String: Any]])
        #expect(path.count == 4)
        #expect(path.allSatisfy { Set($0.keys) == ["lambda", "deviance", "nonZero", "coefficients"] })
        #expect(path[0]["nonZero"] as? Int == 0)
        let lambdas = path.compactMap { $0["lambda"] as? Double }
        #expect(Swift.abs(lambdas[3] / lambdas[0] - 1e-3) < 1e-12)
    }

    @Test("the table says no standard errors are reported; a path prints a table per λ")
    func tables() throws {
        let single = try Self.run(["--family", "poisson", "--lambda", "0.01"])
        #expect(single.status == 0, "\(single.standardError)")
        #expect(single.standardOutput.contains("No standard errors"))
        #expect(single.standardOutput.contains("ridge (λ = 0.01)"))
        let path = try Self.run(["--family", "poisson", "--path", "3"])
        #expect(path.standardOutput.components(separatedBy: "λ = ").count - 1 >= 3)
    }

    @Test("--family tweedie --power 1.5: the log-likelihood and AIC are null in JSON")
    func tweedie() throws {
        let r = try Self.run(["--family", "tweedie", "--power", "1.5", "--format", "json"])
        #expect(r.status == 0, "\(r.standardError)")
        #expect(r.standardOutput.contains("\"logLikelihood\":null") && r.standardOutput.contains("\"aic\":null"))
        #expect(r.standardOutput.contains("\"family\":\"tweedie\""))
    }

    @Test("natgrad vi rejects --family tweedie (no closed-form density) with a message")
    func viRejectsTweedie() throws {
        let path = try temporaryFile(named: "penalized-vi.csv", contents: Self.csv)
        let r = try runProduct("natgrad", ["vi", path, "--response", "y", "--family", "tweedie", "--features", "x1"])
        #expect(r.status != 0)
        #expect(r.standardError.contains("tweedie"))
    }

    @Test("invalid combinations are usage errors", arguments: [
        ["--lambda", "-1"], ["--l1-ratio", "0.5"], ["--lambda", "1", "--l1-ratio", "2"], ["--lambda", "1", "--path", "3"],
        ["--lambda", "1", "--covariance", "HC0"], ["--power", "1.5"], ["--family", "tweedie", "--power", "2"],
    ])
    func usageErrors(arguments: [String]) throws {
        let r = try Self.run(arguments)
        #expect(r.status != 0)
    }
}
