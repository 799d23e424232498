import LinearAlgebra
import TestSupport
import VariationalInference
#if canImport(Glibc)
import Glibc
#endif

/// The reference linear-regression problem of ../shared/reference/variational/ (n = 200, d = 5).
struct ReferenceRegression {
    let model: BayesianGLM
    let json: [String: Any]

    init() throws {
        let x = parseNumberRows(try referenceText("variational/X.csv"))
        let y = parseNumberRows(try referenceText("variational/y.csv")).map { $0[0] }
        let root = try referenceJSON("variational/bayesian_linear_regression.json") as! [String: Any]
        json = root["linear_regression"] as! [String: Any]
        model = try BayesianGLM(design: Matrix(rows: x), response: y,
                                likelihood: .gaussian(noisePrecision: number(json["beta"])),
                                priorPrecision: number(json["alpha"]))
    }

    func vector(_ any: Any?) -> [Double] { (any as! [Any]).map { number($0) } }
    func matrix(_ any: Any?) -> Matrix { Matrix(rows: (any as! [Any]).map { vector($0) }) }
}

/// Seeded synthetic GLM data: an intercept column plus `d − 1` standard-normal features with
/// coefficients w, responses drawn from the model.
func syntheticModel(_ likelihood: GLMLikelihood, n: Int, d: Int, alpha: Double = 1, seed: UInt64) throws -> BayesianGLM {
    var g = SeededGenerator(seed: seed)
    var x = Matrix(rows: n, columns: d)
    let w = (0..<d).map { j in j == 0 ? 0.3 : 0.8 * g.nextGaussian() / Double(d).squareRoot() }
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
        x[i, 0] = 1
        for j in 1..<d { x[i, j] = g.nextGaussian() }
        var a = 0.0
        for j in 0..<d { a += x[i, j] * w[j] }
        let u = Double.random(in: 0..<1, using: &g)
        switch likelihood {
        case .bernoulliLogit:
            y[i] = u < 1 / (1 + exp(-a)) ? 1 : 0
        case .poissonLog:
            // Inversion of the Poisson CDF (rates here are below ~10).
            let rate = exp(a)
            var k = 0.0, p = exp(-rate), cdf = p
            while u > cdf && k < 1000 { k += 1; p *= rate / k; cdf += p }
            y[i] = k
        case let .gaussian(beta):
            y[i] = a + g.nextGaussian() / beta.squareRoot()
        }
    }
    return try BayesianGLM(design: x, response: y, likelihood: likelihood, priorPrecision: alpha)
}

/// max |aᵢ − bᵢ| / max(max |bᵢ|, floor).
func maxRelative(_ a: [Double], _ b: [Double], floor: Double = 0) -> Double { relativeError(a, b, floor: floor) }
