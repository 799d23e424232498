import Foundation
import Testing
import TestSupport

/// A JSON number as Double (JSONSerialization on Linux may return NSDecimalNumber for short decimals,
/// which `as? Double` does not bridge).
private func double(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }
private func doubles(_ any: Any?) -> [Double]? {
    guard let array = any as? [Any] else { return nil }
    let values = array.compactMap(double)
    return values.count == array.count ? values : nil
}

/// `natgrad fit` end to end: runs the built executable (needs `swift build --build-tests`).
@Suite("natgrad fit")
struct FitCommandTests {
    static let data = """
        x,count,label,flag,fraction
        1.25,3,0,1,0.2
        0.5,0,2,0,0.55
        2.75,5,1,1,0.35
        1.0,2,2,0,0.8
        0.25,1,0,1,0.1
        4.5,7,2,1,0.45
        """
    static let x = [1.25, 0.5, 2.75, 1.0, 0.25, 4.5]
    static let counts = [3.0, 0, 5, 2, 1, 7]

    private func fitJSON(_ arguments: [String], file: String? = nil) throws -> [String: Any] {
        let path = try file ?? temporaryFile(named: "data.csv", contents: Self.data)
        let result = try runProduct("natgrad", ["fit", path] + arguments + ["--format", "json"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        return try #require(object as? [String: Any])
    }

    /// Normal: ŝ² = (1/n)Σ(x − x̄)² and the log-likelihood −(n/2)(log 2πŝ² + 1), closed forms computed
    /// here independently; agreement to 1e-12 relative (a few roundings in each).
    @Test func normalJSON() throws {
        let object = try fitJSON(["--family", "normal", "--column", "x"])
        #expect(Set(object.keys) == ["family", "n", "parameters", "natural", "mean", "logLikelihood"])
        #expect(object["family"] as? String == "normal")
        #expect(object["n"] as? Int == 6)
        let n = Double(Self.x.count)
        let m = Self.x.reduce(0, +) / n
        let s2 = Self.x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / n
        let parameters = try #require((object["parameters"] as? [String: Any])?.compactMapValues(double))
        #expect(Set(parameters.keys) == ["mean", "variance"])
        #expect(Swift.abs(parameters["mean"]! - m) <= 1e-12 * Swift.abs(m))
        #expect(Swift.abs(parameters["variance"]! - s2) <= 1e-12 * s2)
        let natural = try #require(doubles(object["natural"]))
        #expect(natural.count == 2)
        #expect(Swift.abs(natural[0] - m / s2) <= 1e-12 * Swift.abs(m / s2))
        #expect(Swift.abs(natural[1] + 0.5 / s2) <= 1e-12 * (0.5 / s2))
        let mean = try #require(doubles(object["mean"]))
        #expect(Swift.abs(mean[1] - (m * m + s2)) <= 1e-12 * (m * m + s2))
        let logLikelihood = try #require(double(object["logLikelihood"]))
        let expected = -0.5 * n * (log(2 * Double.pi * s2) + 1)
        #expect(Swift.abs(logLikelihood - expected) <= 1e-12 * Swift.abs(expected))
    }

    /// Every univariate family runs and reports its usual parameters under the names of issue 3.
    @Test(arguments: [
        (["--family", "bernoulli", "--column", "flag"], ["p"]),
        (["--family", "binomial", "--column", "count", "--trials", "8"], ["n", "p"]),
        (["--family", "categorical", "--column", "label"], ["probabilities"]),
        (["--family", "poisson", "--column", "count"], ["rate"]),
        (["--family", "geometric", "--column", "count"], ["p"]),
        (["--family", "exponential", "--column", "x"], ["rate"]),
        (["--family", "normal", "--column", "x"], ["mean", "variance"]),
        (["--family", "lognormal", "--column", "x"], ["mu", "sigma2"]),
        (["--family", "inverse-gaussian", "--column", "x"], ["mean", "shape"]),
        (["--family", "negative-binomial", "--column", "count", "--r", "3"], ["r", "p"]),
        (["--family", "gamma", "--column", "x"], ["shape", "rate"]),
        (["--family", "beta", "--column", "fraction"], ["alpha", "beta"]),
    ])
    func familyParameterNames(_ arguments: [String], _ names: [String]) throws {
        let object = try fitJSON(arguments)
        #expect(object["family"] as? String == arguments[1])
        let parameters = try #require(object["parameters"] as? [String: Any])
        #expect(Set(parameters.keys) == Set(names))
        #expect(double(object["logLikelihood"])?.isFinite == true)
    }

    /// Closed-form MLEs: Bernoulli p̂ = mean, Poisson λ̂ = mean, Binomial p̂ = mean/n, Categorical
    /// p̂ₖ = countₖ/n, Exponential λ̂ = 1/mean, NegativeBinomial p̂ = r/(r + mean) (relative 1e-12).
    @Test func closedFormEstimates() throws {
        func parameter(_ args: [String], _ key: String) throws -> Any? {
            (try fitJSON(args)["parameters"] as? [String: Any])?[key]
        }
        let meanCount = Self.counts.reduce(0, +) / 6
        let meanX = Self.x.reduce(0, +) / 6
        func close(_ a: Any?, _ b: Double) { #expect(Swift.abs((double(a) ?? .nan) - b) <= 1e-12 * Swift.abs(b), "\(String(describing: a)) vs \(b)") }
        close(try parameter(["--family", "bernoulli", "--column", "flag"], "p"), 4.0 / 6)
        close(try parameter(["--family", "poisson", "--column", "count"], "rate"), meanCount)
        close(try parameter(["--family", "binomial", "--column", "count", "--trials", "8"], "p"), meanCount / 8)
        close(try parameter(["--family", "exponential", "--column", "x"], "rate"), 1 / meanX)
        close(try parameter(["--family", "geometric", "--column", "count"], "p"), 1 / (1 + meanCount))
        close(try parameter(["--family", "negative-binomial", "--column", "count", "--r", "3"], "p"), 3 / (3 + meanCount))
        let probabilities = try #require(doubles(try parameter(["--family", "categorical", "--column", "label"], "probabilities")))
        #expect(probabilities.count == 3)
        for (k, expected) in [2.0 / 6, 1.0 / 6, 3.0 / 6].enumerated() { close(probabilities[k], expected) }
    }

    /// Gamma and Beta (Newton μ → θ): at the MLE the mean parameters equal the averages of T(x) —
    /// (log x, x) for Gamma, (log x, log(1 − x)) for Beta — to the Newton tolerance (1e-8 relative here).
    @Test func newtonFamiliesMatchTheAverageStatistics() throws {
        let gamma = try #require(doubles(try fitJSON(["--family", "gamma", "--column", "x"])["mean"]))
        let fractions = [0.2, 0.55, 0.35, 0.8, 0.1, 0.45]
        let beta = try #require(doubles(try fitJSON(["--family", "beta", "--column", "fraction"])["mean"]))
        let expectedGamma = [Self.x.map { log($0) }.reduce(0, +) / 6, Self.x.reduce(0, +) / 6]
        let expectedBeta = [fractions.map { log($0) }.reduce(0, +) / 6, fractions.map { log1p(-$0) }.reduce(0, +) / 6]
        for k in 0..<2 {
            #expect(Swift.abs(gamma[k] - expectedGamma[k]) <= 1e-8 * Swift.abs(expectedGamma[k]))
            #expect(Swift.abs(beta[k] - expectedBeta[k]) <= 1e-8 * Swift.abs(expectedBeta[k]))
        }
    }

    @Test func tableFormat() throws {
        let path = try temporaryFile(named: "data.csv", contents: Self.data)
        let result = try runProduct("natgrad", ["fit", path, "--family", "poisson", "--column", "count"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("rate"))
        #expect(result.standardOutput.contains("logLikelihood"))
    }

    /// Each failure: non-zero exit, nothing on stdout, exactly one line on stderr containing `needle`.
    @Test(arguments: [
        ("missing column", Self.data, ["--family", "normal", "--column", "nope"], "no column named 'nope'"),
        ("non-numeric cell", "x\n1.5\nabc\n2\n", ["--family", "normal", "--column", "x"], "row 3, column 'x': 'abc' is not a number"),
        ("empty file", "", ["--family", "normal", "--column", "x"], "the file is empty"),
        ("header only", "x\n", ["--family", "normal", "--column", "x"], "no data rows"),
        ("outside support", "x\n1.5\n2\n-0.5\n", ["--family", "exponential", "--column", "x"], "row 4, column 'x': x = -0.5 is not a finite number > 0"),
        ("count not integer", "k\n1\n2.5\n", ["--family", "poisson", "--column", "k"], "row 3, column 'k': 2.5 is not an integer"),
        ("Bernoulli 2", "k\n1\n2\n", ["--family", "bernoulli", "--column", "k"], "row 3, column 'k': x = 2 is not 0 or 1"),
        ("all-zero Bernoulli", "k\n0\n0\n0\n", ["--family", "bernoulli", "--column", "k"], "maximum-likelihood estimate does not exist: every observation is 0"),
        ("constant normal", "x\n2\n2\n", ["--family", "normal", "--column", "x"], "maximum-likelihood estimate does not exist: all 2 observations are equal"),
        ("beta outside (0, 1)", "x\n0.5\n1.5\n", ["--family", "beta", "--column", "x"], "row 3, column 'x'"),
        ("gamma non-positive", "x\n0.5\n0\n", ["--family", "gamma", "--column", "x"], "row 3, column 'x'"),
        ("categorical label 5e9", "k\n0\n5000000000\n", ["--family", "categorical", "--column", "k"], "column 'k': 5000000001 categories (labels are 0…K−1) is more than the 16777216 (2^24)"),
        ("--categories 1e8", "k\n0\n1\n", ["--family", "categorical", "--column", "k", "--categories", "100000000"], "more than the 16777216 (2^24)"),
        ("binomial above n", "k\n1\n9\n", ["--family", "binomial", "--column", "k", "--trials", "8"], "row 3, column 'k': x = 9 is not a count in 0…8"),
    ])
    func errors(_ name: String, _ contents: String, _ arguments: [String], _ needle: String) throws {
        let path = try temporaryFile(named: "bad.csv", contents: contents)
        let result = try runProduct("natgrad", ["fit", path] + arguments + ["--format", "json"])
        #expect(result.status != 0, "\(name): exit status \(result.status)")
        #expect(result.standardOutput.isEmpty, "\(name): stdout \(result.standardOutput)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(name): stderr \(result.standardError)")
        #expect(result.standardError.contains(needle), "\(name): stderr \(result.standardError)")
    }

    static let multivariate = """
        a,b,c,u,v
        0.2,0.3,0.5,1.0,2.0
        0.1,0.6,0.3,2.0,1.5
        0.4,0.4,0.2,0.5,0.1
        0.25,0.25,0.5,3,2.5
        0.3,0.1,0.6,1.2,0.9
        """

    /// Multivariate normal: mean and covariance (1/n)Σ(x − x̄)(x − x̄)ᵀ computed here, to 1e-12 relative.
    @Test func multivariateNormalJSON() throws {
        let path = try temporaryFile(named: "m.csv", contents: Self.multivariate)
        let object = try fitJSON(["--family", "multivariate-normal", "--columns", "u,v"], file: path)
        #expect(object["n"] as? Int == 5)
        let parameters = try #require(object["parameters"] as? [String: Any])
        #expect(Set(parameters.keys) == ["mean", "covariance"])
        let u = [1.0, 2.0, 0.5, 3, 1.2], v = [2.0, 1.5, 0.1, 2.5, 0.9]
        let mu = u.reduce(0, +) / 5, mv = v.reduce(0, +) / 5
        var cuu = 0.0, cuv = 0.0, cvv = 0.0
        for i in 0..<5 {
            cuu += (u[i] - mu) * (u[i] - mu) / 5
            cuv += (u[i] - mu) * (v[i] - mv) / 5
            cvv += (v[i] - mv) * (v[i] - mv) / 5
        }
        let mean = try #require(doubles(parameters["mean"]))
        let covariance = try #require((parameters["covariance"] as? [Any])?.compactMap(doubles))
        for (a, b) in zip(mean, [mu, mv]) { #expect(Swift.abs(a - b) <= 1e-12 * Swift.abs(b)) }
        for (a, b) in zip(covariance.flatMap { $0 }, [cuu, cuv, cuv, cvv]) { #expect(Swift.abs(a - b) <= 1e-12 * Swift.abs(b)) }
        #expect(doubles(object["natural"])?.count == 5)
        #expect(doubles(object["mean"])?.count == 5)
    }

    /// Dirichlet: at the MLE the mean parameters equal the average of log x (Newton converged to its
    /// stated tolerance; 1e-8 here).
    @Test func dirichletJSON() throws {
        let path = try temporaryFile(named: "m.csv", contents: Self.multivariate)
        let object = try fitJSON(["--family", "dirichlet", "--columns", "a,b,c"], file: path)
        let alpha = try #require(doubles((object["parameters"] as? [String: Any])?["alpha"]))
        #expect(alpha.count == 3 && alpha.allSatisfy { $0 > 0 })
        let rows = [[0.2, 0.3, 0.5], [0.1, 0.6, 0.3], [0.4, 0.4, 0.2], [0.25, 0.25, 0.5], [0.3, 0.1, 0.6]]
        let mean = try #require(doubles(object["mean"]))
        for k in 0..<3 {
            let average = rows.map { log($0[k]) }.reduce(0, +) / 5
            #expect(Swift.abs(mean[k] - average) <= 1e-8 * Swift.abs(average))
        }
    }

    @Test(arguments: [
        (["--family", "multivariate-normal", "--columns", "a,b,c"], "sample covariance of 5 rows in 3 dimensions is not positive definite"),
        (["--family", "dirichlet", "--columns", "a,b"], "row 2, columns 'a,b': the entries of x sum to 0.5"),
        (["--family", "dirichlet", "--columns", "a,zz"], "no column named 'zz'"),
    ])
    func multivariateErrors(_ arguments: [String], _ needle: String) throws {
        let path = try temporaryFile(named: "m.csv", contents: Self.multivariate)
        let result = try runProduct("natgrad", ["fit", path] + arguments)
        #expect(result.status != 0)
        #expect(result.standardError.split(separator: "\n").count == 1, "stderr: \(result.standardError)")
        #expect(result.standardError.contains(needle), "stderr: \(result.standardError)")
    }

    @Test func missingHyperparameterIsAUsageError() throws {
        let path = try temporaryFile(named: "data.csv", contents: Self.data)
        let result = try runProduct("natgrad", ["fit", path, "--family", "binomial", "--column", "count"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--trials"))
    }
}
