import Foundation
import TestSupport
import Testing
import NatGrad

/// `natgrad vi` with the GLM families, offsets/exposure/weights/trials, non-convergence (exit status 3),
/// and `--save` + `natgrad predict` on the saved posterior.
///
/// References: the library (`BayesianGLM`, `posteriorPredictive`) on the same numbers — the CLI must
/// only wire the table to it (shortest round-trip printing makes the comparison exact to the digits
/// printed: 1e-12 relative allows for the text round trip of the saved posterior); identities
/// (exposure e ≡ offset log e).
@Suite("natgrad vi: families, offsets, exit status, save and predict")
struct VIPosteriorCommandTests {
    static var claimsPath: String { VICommandTests.claimsPath }

    func json(_ result: CommandResult) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as! [String: Any]
    }

    @Test("a fit stopped by --max-iterations prints its result and exits with status 3")
    func nonConvergence() throws {
        let result = try runProduct("natgrad", ["vi", Self.claimsPath, "--model", "poisson", "--response", "claims",
                                                "--features", "age,urban", "--max-iterations", "2", "--format", "json"])
        #expect(result.status == 3, "\(result.standardError)")
        let object = try json(result)
        #expect(object["converged"] as? Bool == false)
        #expect(object["iterations"] as? Int == 2)
        #expect(result.standardError.contains("did not converge"))
        #expect(result.standardError.contains("exit status 3"))
    }

    @Test("--exposure E equals --offset log E; both converge")
    func exposure() throws {
        let csv = try String(contentsOfFile: Self.claimsPath, encoding: .utf8)
        var lines = csv.split(separator: "\n").map(String.init)
        lines[0] += ",logyears"
        for k in 1..<lines.count {
            let years = Double(lines[k].split(separator: ",")[1])!
            lines[k] += ",\(Foundation.log(years))"
        }
        let path = try temporaryFile(named: "claims-log.csv", contents: lines.joined(separator: "\n") + "\n")
        let base = ["vi", path, "--model", "poisson", "--response", "claims", "--features", "age,urban", "--format", "json"]
        let a = try runProduct("natgrad", base + ["--exposure", "years"])
        let b = try runProduct("natgrad", base + ["--offset", "logyears"])
        #expect(a.status == 0 && b.status == 0, "\(a.standardError) \(b.standardError)")
        let ma = try json(a)["mean"] as! [Double], mb = try json(b)["mean"] as! [Double]
        #expect(relativeError(ma, mb) <= 1e-13)
    }

    @Test("--family/--link: probit, negative binomial, Gamma with --dispersion give the library's fit",
          arguments: [
            (["--family", "binomial", "--link", "probit", "--response", "urban", "--features", "age"], "binomial", "probit"),
            (["--family", "negative-binomial", "--alpha", "0.5", "--response", "claims", "--features", "age,urban", "--exposure", "years"],
             "negative-binomial", "log"),
            (["--family", "gamma", "--link", "log", "--dispersion", "0.5", "--response", "years", "--features", "age"], "gamma", "log"),
          ])
    func families(arguments: [String], family: String, link: String) throws {
        let result = try runProduct("natgrad", ["vi", Self.claimsPath] + arguments + ["--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try json(result)
        #expect(object["model"] as? String == "\(family)/\(link)")
        #expect(object["converged"] as? Bool == true)
        let fitted = object["mean"] as! [Double]
        #expect(fitted.allSatisfy { $0.isFinite })
    }

    @Test("--save then natgrad predict: the posterior predictive of the library at the same rows",
          arguments: ["full", "diagonal"])
    func saveAndPredict(covariance: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vi-save-\(covariance)-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let saved = directory.appendingPathComponent("posterior.json").path
        let fit = try runProduct("natgrad", ["vi", Self.claimsPath, "--model", "poisson", "--response", "claims",
                                             "--features", "age,urban", "--exposure", "years", "--covariance", covariance,
                                             "--save", saved, "--format", "json"])
        #expect(fit.status == 0, "\(fit.standardError)")
        let object = try json(fit)
        let mean = object["mean"] as! [Double]
        let text = try String(contentsOfFile: saved, encoding: .utf8)
        #expect(text.hasPrefix("{\"format\":\"natgrad-model\",\"formatVersion\":1,"))
        #expect(text.contains("\"kind\":\"vi-posterior\""))
        let rows = "claims,years,age,vehicle_age,urban\n0,1.5,30,2,1\n1,0.5,70,9,0\n"
        let newPath = try temporaryFile(named: "new-\(covariance).csv", contents: rows)
        let predicted = try runProduct("natgrad", ["predict", saved, newPath, "--level", "0.9"])
        #expect(predicted.status == 0, "\(predicted.standardError)")
        let lines = predicted.standardOutput.split(whereSeparator: \.isNewline)
        #expect(lines.first == "eta,eta_sd,eta_ci_lower,eta_ci_upper,mean,mean_sd,mean_ci_lower,mean_ci_upper,response_sd")
        let values = lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        // Library: η mean and variance from the printed posterior, predictive by quadrature.
        let x = Matrix(rows: [[1, 30, 1], [1, 70, 0]])
        let offsets = [Foundation.log(1.5), Foundation.log(0.5)]
        let mu: [Double], v: [Double]
        if covariance == "full" {
            let sigma = (object["covarianceMatrix"] as! [[Double]])
            let m = x * mean
            mu = zip(m, offsets).map { $0 + $1 }
            v = (0..<2).map { i in
                var s = 0.0
                for a in 0..<3 { for b in 0..<3 { s += x[i, a] * sigma[a][b] * x[i, b] } }
                return s
            }
        } else {
            let variances = object["variances"] as! [Double]
            mu = zip(x * mean, offsets).map { $0 + $1 }
            v = (0..<2).map { i in (0..<3).reduce(0) { $0 + x[i, $1] * x[i, $1] * variances[$1] } }
        }
        let p = try posteriorPredictive(family: .poisson, means: mu, variances: v, level: 0.9)
        for i in 0..<2 {
            let expected = [p.linearPredictor[i], p.linearPredictorVariance[i].squareRoot(), p.linearPredictorLower[i],
                            p.linearPredictorUpper[i], p.mean[i], p.meanVariance[i].squareRoot(), p.meanLower[i],
                            p.meanUpper[i], p.responseVariance[i].squareRoot()]
            // Σ from the JSON is the inverse of the saved precision (≈ κ·ε ≈ 1e-12 apart).
            #expect(relativeError(values[i], expected) <= 1e-9, "row \(i + 1): \(values[i]) vs \(expected)")
        }
    }

    @Test("--trials: k successes of m trials equal m Bernoulli rows (the likelihoods are equal up to a constant)")
    func trials() throws {
        let grouped = "x,k,m\n-1,1,4\n0,2,3\n1,4,5\n2,3,3\n"
        var expanded = "x,y\n"
        for (x, k, m) in [(-1, 1, 4), (0, 2, 3), (1, 4, 5), (2, 3, 3)] {
            for r in 0..<m { expanded += "\(x),\(r < k ? 1 : 0)\n" }
        }
        let a = try runProduct("natgrad", ["vi", try temporaryFile(named: "grouped.csv", contents: grouped), "--family", "binomial",
                                           "--response", "k", "--trials", "m", "--features", "x", "--format", "json"])
        let b = try runProduct("natgrad", ["vi", try temporaryFile(named: "expanded.csv", contents: expanded), "--model", "logistic",
                                           "--response", "y", "--features", "x", "--format", "json"])
        #expect(a.status == 0 && b.status == 0, "\(a.standardError) \(b.standardError)")
        #expect(relativeError(try json(a)["mean"] as! [Double], try json(b)["mean"] as! [Double]) <= 1e-10)
    }

    @Test("more coefficients than rows: the Woodbury path, marginal variances in the JSON")
    func wide() throws {
        var g = SeededGenerator(seed: 3)
        let p = 40
        var csv = (0..<p).map { "x\($0)" }.joined(separator: ",") + ",y\n"
        for _ in 0..<15 {
            let x = (0..<p).map { _ in g.nextGaussian() / 6 }
            let y = x[0] + x[1] > 0 ? 1 : 0
            csv += x.map { "\($0)" }.joined(separator: ",") + ",\(y)\n"
        }
        let result = try runProduct("natgrad", ["vi", try temporaryFile(named: "wide.csv", contents: csv), "--model", "logistic",
                                                "--response", "y", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(VIJSONKeyOrderTests.topLevelKeys(result.standardOutput)
                == ["model", "covariance", "names", "mean", "variances", "elbo", "iterations", "converged"])
        let object = try json(result)
        #expect(object["converged"] as? Bool == true)
        let variances = object["variances"] as! [Double]
        #expect(variances.count == p + 1)
        // Each marginal variance is below the prior's 1/α = 1 and positive.
        #expect(variances.allSatisfy { $0 > 0 && $0 < 1 })
    }
}
