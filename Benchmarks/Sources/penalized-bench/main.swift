// penalized-bench: times `PenalizedGeneralizedLinearModel.fit` and `RegularizationPath.fit` on a data set
// written by scripts/compare-glm (raw little-endian arrays, so both libraries fit exactly the same
// doubles), and prints one JSON object: the median wall time of the fit (data preparation included,
// file reading excluded) and the answer.
//
// Directory layout: numeric.f64 (n × k, column-major), codes.i32 (n × m, column-major; −1 the reference
// level), meta.json {"n", "numeric": k, "levels": [L₁ … L_m] (coded levels per block)}, and the arrays
// named by --response, --weights, --exposure (n doubles each).
import ArgumentParser
import Foundation
import NatGrad

struct PenalizedBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "penalized-bench",
                                                    abstract: "Time penalized GLM fits on a compare-glm data set.")

    @Option(help: "Data directory.") var dir: String
    @Option(help: "poisson, gamma or tweedie.") var family: String
    @Option(help: "Tweedie power.") var power = 1.5
    @Option(help: "Response array file (in --dir).") var response: String
    @Option(help: "Exposure array file, or none.") var exposure: String?
    @Option(help: "Weights array file, or none.") var weights: String?
    @Option(help: "λ.") var lambda = 1e-3
    @Option(help: "L1 ratio.") var l1Ratio = 0.0
    @Option(help: "Fit a path of this many values instead of one λ.") var path: Int?
    @Option(help: "Optimality tolerance.") var tolerance = 1e-7
    @Option(help: "Timed repetitions (median reported).") var repeats = 3

    func doubles(_ name: String) throws -> [Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    }

    func run() throws {
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/meta.json"))) as! [String: Any]
        let n = meta["n"] as! Int, k = meta["numeric"] as! Int, levels = meta["levels"] as! [Int]
        let numeric = try doubles("numeric.f64")
        let codeData = try Data(contentsOf: URL(fileURLWithPath: dir + "/codes.i32"))
        let codes = codeData.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
        let blocks = levels.enumerated().map { b, l in
            CategoricalBlock(name: "c\(b)", levelNames: (1...l).map { "c\(b)[T.\($0)]" },
                             codes: Array(codes[(b * n)..<((b + 1) * n)]))
        }
        let design = try MixedDesign(dense: Matrix(rows: n, columns: k, columnMajor: numeric),
                                     denseNames: (0..<k).map { "x\($0)" }, blocks: blocks)
        let data = PenalizedGLMData(design: design, response: try doubles(response),
                                    weights: try weights.map(doubles), exposure: try exposure.map(doubles))
        let glmFamily: GLMFamily = family == "poisson" ? .poisson : family == "gamma" ? .gamma : .tweedie(power: power)
        let options = PenalizedFitOptions(tolerance: tolerance)
        var times = [Double]()
        var output: [String: Any] = [:]
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            if let path {
                let fits = try RegularizationPath(family: glmFamily, link: .log, l1Ratio: l1Ratio, count: path).fit(data, options: options)
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                times.append(elapsed)
                output["path"] = fits.map { ["lambda": $0.penalty.lambda, "objective": $0.objective, "deviance": $0.deviance,
                                             "nonZero": $0.nonZeroCount, "coefficients": $0.coefficients,
                                             "iterations": $0.iterations] as [String: Any] }
            } else {
                let fit = try PenalizedGeneralizedLinearModel(family: glmFamily, link: .log,
                                                              penalty: GLMPenalty(lambda: lambda, l1Ratio: l1Ratio)).fit(data, options: options)
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                times.append(elapsed)
                output["objective"] = fit.objective
                output["deviance"] = fit.deviance
                output["coefficients"] = fit.coefficients
                output["iterations"] = fit.iterations
                output["sweeps"] = fit.coordinateSweeps
                output["violation"] = fit.optimalityViolation
                output["nonZero"] = fit.nonZeroCount
            }
        }
        output["seconds"] = times.sorted()[times.count / 2]
        output["allSeconds"] = times
        let json = try JSONSerialization.data(withJSONObject: output)
        print(String(decoding: json, as: UTF8.self))
    }
}

PenalizedBench.main()
