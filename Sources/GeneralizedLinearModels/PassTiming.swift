import RowPasses

/// The time of the passes of a fit, for the benchmark (glm-bench): package access, not a public API.
package struct PassTiming: Sendable {
    /// Seconds per evaluation pass (η, u, the deviance and Xᵀu at β: one read of X), the median of the repeats.
    package var evaluation: Double
    /// Seconds per full XᵀWX (the Fisher partition, W recomputed from η first as a chord step needs it).
    package var fisher: Double
    /// The bytes of X one pass reads (n·k·8).
    package var bytes: Double
}

extension GeneralizedLinearModel {
    /// Times `repeats` evaluation passes and full Fisher matrices at β = (0.1, 0, …, 0) (a pass's cost does
    /// not depend on β), on `threads` workers, with the plan a fit of `data` would choose. `clock` returns
    /// seconds.
    package func timePasses(_ data: GLMData, threads: Int, repeats: Int,
                            clock: () -> Double) throws(GLMError) -> PassTiming {
        let prepared = try prepare(data)
        var solver = FisherScoringSolver(family: family, link: link, data: prepared, options: FisherScoringOptions(),
                                         executor: RowExecutor(threads: threads))
        var beta = [Double](repeating: 0, count: solver.p)
        if prepared.hasIntercept { beta[0] = 0.1 }
        try solver.evaluate(beta)  // the features' first read, and warm-up
        var evaluations = [Double](), fishers = [Double]()
        for _ in 0..<Swift.max(1, repeats) {
            var t = clock()
            try solver.evaluate(beta)
            evaluations.append(clock() - t)
            solver.products = .score
            t = clock()
            try solver.accumulateFisher(stride: 1)
            fishers.append(clock() - t)
        }
        func median(_ v: [Double]) -> Double { let s = v.sorted(); return s[s.count / 2] }
        return PassTiming(evaluation: median(evaluations), fisher: median(fishers),
                          bytes: Double(data.features.rows * data.features.columns * 8))
    }
}
