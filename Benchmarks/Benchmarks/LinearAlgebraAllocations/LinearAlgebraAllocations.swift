// Malloc counts of the linear-algebra layer's hot-loop entry points: the in-place solve, refactor
// into reused storage, and the weighted Gram product with a workspace. The expected count is 0.
import Benchmark
import LinearAlgebra

/// A diagonally dominant SPD matrix (deterministic, no generator needed).
func spd(_ n: Int) -> Matrix {
    var a = Matrix(rows: n, columns: n)
    for j in 0..<n {
        for i in 0..<n { a[i, j] = i == j ? Double(n) + 1 : 0.5 / Double(1 + abs(i - j)) }
    }
    return a
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.mallocCountTotal, .wallClock],
        maxDuration: .seconds(1),
        maxIterations: 10_000,
        // Zero means zero: any allocation in these loops is a regression.
        thresholds: [.mallocCountTotal: .init(absolute: [.p100: 0])]
    )

    // Inputs and reused outputs are built once per benchmark, outside every measured region; the
    // measured loop is exactly what a hot loop would run.
    for n in [4, 64, 256] {
        let a = spd(n)
        let b = (0..<n).map { Double($0 % 5) - 2 }

        let factor = try! Cholesky(a)
        var x = [Double](repeating: 0, count: n)  // its own storage (a copy of b would share b's)
        Benchmark("cholesky-solve-in-place-n\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                for i in 0..<n { x[i] = b[i] }
                try! factor.solve(&x)
            }
            blackHole(x[0])
        }

        var refactored = try! Cholesky(a)
        Benchmark("cholesky-refactor-n\(n)") { benchmark in
            for k in benchmark.scaledIterations {
                try! refactored.refactor(a, damping: k % 2 == 0 ? 0 : 1e-3)
            }
            blackHole(refactored.damping)
        }
    }

    for (m, p) in [(200, 12), (2000, 50)] {
        var a = Matrix(rows: m, columns: p)
        for k in a.elements.indices { a.elements[k] = Double((k * 7919) % 1000) / 1000 - 0.5 }
        let w = (0..<m).map { Double($0 % 4) * 0.25 }  // includes zero weights
        var c = Matrix(rows: p, columns: p)
        var workspace = Matrix(rows: m, columns: p)
        Benchmark("weighted-gram-workspace-\(m)x\(p)") { benchmark in
            for _ in benchmark.scaledIterations {
                BLAS.weightedGram(a, weights: w, into: &c, workspace: &workspace)
            }
            blackHole(c[0, 0])
        }
    }
}
