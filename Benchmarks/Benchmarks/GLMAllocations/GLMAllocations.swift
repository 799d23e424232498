// Malloc counts of whole GLM fits (logistic and Poisson regression), each capped at two iteration
// counts: the difference between the two counts divided by the difference in iterations is the number
// of allocations per Fisher-scoring iteration (expected 0: every workspace is allocated once per fit).
// scripts/bench-allocations.sh computes it from the benchmarks named glm-<model>-cap<iterations>.
import Benchmark
import Foundation
import GeneralizedLinearModels

/// Deterministic design (n × d, entries in [−0.5, 0.5) from xorshift64) and responses drawn
/// against a fixed threshold sequence, so that the data need no random-number generator.
func syntheticData(logistic: Bool, n: Int, d: Int) -> GLMData {
    var x = [Double](repeating: 0, count: n * d)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for k in x.indices {
        // xorshift64: uniform in [−0.5, 0.5).
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        x[k] = Double(state >> 11) * 0x1p-53 - 0.5
    }
    let slopes = (0..<d).map { Double($0 % 5 - 2) / Double(d).squareRoot() }
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
        var eta = 0.2
        for j in 0..<d { eta += x[i + j * n] * slopes[j] }
        let u = Double((i &* 104_729) % 997) / 997  // a fixed threshold in [0, 1)
        if logistic {
            y[i] = u < 1 / (1 + exp(-eta)) ? 1 : 0
        } else {
            y[i] = (exp(eta) * 2 * u).rounded(.down)
        }
    }
    let features = Matrix(rows: n, columns: d, columnMajor: x)
    return GLMData(features: features, featureNames: (1...d).map { "x\($0)" }, response: y)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.mallocCountTotal, .wallClock],
        maxDuration: .seconds(2),
        maxIterations: 20
    )

    // n·p² ≥ minimumWorkForShortcuts (set to 0) so that the subsampled and chord steps are exercised too.
    let n = 20_000, d = 20
    for logistic in [true, false] {
        let data = syntheticData(logistic: logistic, n: n, d: d)
        let model = try! GeneralizedLinearModel(family: logistic ? .binomial : .poisson)
        for cap in [2, 4] {
            let options = FisherScoringOptions(maximumIterations: cap, minimumWorkForShortcuts: 0,
                                               throwOnNonConvergence: false)
            Benchmark("glm-\(logistic ? "logistic" : "poisson")-cap\(cap)") { benchmark in
                for _ in benchmark.scaledIterations {
                    let fit = try! model.fit(data, options: options)
                    precondition(fit.iterations == cap, "the capped fit stopped after \(fit.iterations) iterations")
                    blackHole(fit.deviance)
                }
            }
        }
    }
}
